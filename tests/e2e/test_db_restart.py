"""A PostgreSQL restart as an operator meets it: meanwhile /api/health answers 503 naming the
database as the dependency that failed and why; the error log says what happened in words (not
libpq's bare FATAL) and, in every process that lost its connections, that the pool recovered;
afterwards every request succeeds without touching httpd, and a merchant stays logged in."""
import re
import time

from conftest import pg_down, read_stack_env

DB_DOWN_LOG = [r"DBD", r"dbd", r"database unreachable", r"Failed to acquire", r"kf_ping failed",
               r"answered 503", r"connection lost"]
# the reason (some have words in parentheses of their own), then libpq's or mod_dbd's words
# in parentheses
LOST = re.compile(r"\[pid (\d+):.*\] database connection lost: (.*); requests answer")
RECOVERED = re.compile(r"\[pid (\d+):.*\] database reachable again after \d+ s: "
                       r"the connection pool recovered")


def new_log_lines(start):
    with open(read_stack_env()["KF_ERROR_LOG"], "rb") as f:
        f.seek(start)
        return f.read().decode("utf-8", "replace").splitlines()


def story_of(lines):
    """Per process, its outages as told: "lost" and "recovered", in order."""
    story = {}
    for line in lines:
        m, back = LOST.search(line), RECOVERED.search(line)
        if m or back:
            story.setdefault((m or back).group(1), []).append("lost" if m else "recovered")
    return story


def lines_told_back(lines):
    """Every process that told a loss has told a recovery after it."""
    return all(told[-1] == "recovered" for told in story_of(lines).values() if "lost" in told)


def test_a_postgresql_restart_is_explained_and_the_pool_recovers(api, merchant, allow_log):
    allow_log(*DB_DOWN_LOG)
    # every pooled connection of both children in use before the restart
    for _ in range(20):
        assert api.get("/api/diagnostics/db").status_code == 200
        assert merchant.api.get("/api/admin/services").status_code == 200
    log = read_stack_env()["KF_ERROR_LOG"]
    with open(log, "rb") as f:
        start = f.seek(0, 2)
    with pg_down():
        r = api.get("/api/health")
        assert r.status_code == 503
        body = r.json()
        assert body["database"] == "down"
        assert body["failed"]["dependency"] == "database"
        # what this child found, or the fallback when it found nothing yet
        assert body["failed"]["reason"] in {
            "PostgreSQL cannot be reached",
            "PostgreSQL was shut down or restarted", "PostgreSQL is shutting down",
            "PostgreSQL is starting up or shutting down",
            "PostgreSQL refuses connections (not running?)",
            "PostgreSQL is not running (no socket)", "the connection to PostgreSQL broke"}
    deadline = time.time() + 20
    while time.time() < deadline and api.get("/api/health").status_code != 200:
        time.sleep(0.2)
    ok = api.get("/api/health")
    assert ok.status_code == 200 and "failed" not in ok.json()
    # each pooled connection notices the restart before it is used (the server's closed
    # socket), however recently it served: no request fails afterwards, and the merchant's
    # session is still hers (a failed lookup is never a logout)
    codes = []
    for _ in range(20):
        codes.append(api.get("/api/diagnostics/db").status_code)
        codes.append(merchant.api.get("/api/admin/services").status_code)
    assert set(codes) == {200}, codes
    # a process tells its recovery at its connections' next use: the jobs' (every second, in
    # the one process that runs them) or a request's. Keep-alive holds this client to one
    # process, so each request here comes on a new connection, which any process may take:
    # wait until each process that lost its pool has told its recovery
    deadline = time.time() + 30
    while True:
        lines = new_log_lines(start)
        if time.time() > deadline or lines_told_back(lines):
            break
        assert api.get("/api/health", headers={"Connection": "close"}).status_code == 200
        time.sleep(0.2)
    lost = [LOST.search(line) for line in lines]
    lost = [m for m in lost if m]
    assert lost, "\n".join(lines[-30:])
    reasons = ("PostgreSQL was shut down or restarted", "PostgreSQL is shutting down",
               "PostgreSQL is starting up or shutting down",
               "PostgreSQL refuses connections (not running?)", "PostgreSQL is not running (no socket)",
               "the connection to PostgreSQL broke")
    told = [m.group(2) for m in lost]
    assert all(any(t.startswith(r + " (") for r in reasons) for t in told), told
    # one line per process and outage, not one per connection, and each one's recovery: in
    # each process the two lines alternate, lost then recovered (PostgreSQL may refuse a job's
    # connection once more while it starts up, after another one got through: a second outage
    # of that process, told as such)
    story = story_of(lines)
    assert any("lost" in told for told in story.values()), "\n".join(lines[-30:])
    for pid, told in story.items():
        if "lost" in told:
            assert told == ["lost", "recovered"] * (len(told) // 2), (pid, told, lines[-30:])
