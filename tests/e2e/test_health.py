"""GET /api/health (API.md "Operations"): 200 with the database up, 503 within one
request when PostgreSQL stops, 200 again once it is back — httpd untouched."""
import os
import subprocess
import time

from conftest import own_database, pg_down, psql, read_stack_env, render_conf, start_extra_httpd

# What mod_dbd and the module log while the database is away.
DB_DOWN_LOG = [r"DBD", r"dbd", r"database unreachable", r"Failed to acquire", r"kf_ping failed",
               r"answered 503"]


def httpd_pid(stack):
    with open(stack["KF_HTTPD_PIDFILE"]) as f:
        return int(f.read())


def test_health_ok(api):
    r = api.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["version"] == "0.1.0"
    assert body["schema"]["status"] == "ok"
    assert body["schema"]["current"] == body["schema"]["expected"] >= 1
    assert r.headers["Cache-Control"] == "no-store"


def test_health_follows_the_database_without_restarting_httpd(api, stack, allow_log):
    allow_log(*DB_DOWN_LOG)
    pid = httpd_pid(stack)
    # warm every pooled connection first, so the outage hits "ready" connections
    for _ in range(10):
        assert api.get("/api/health").status_code == 200
    with pg_down():
        r = api.get("/api/health")
        assert r.status_code == 503, r.text
        assert r.json()["database"] == "down"
        assert r.json()["status"] != "ok"
        for _ in range(5):
            assert api.get("/api/health").status_code == 503
        r = api.get("/api/diagnostics/db")
        assert r.status_code == 503
        assert r.json()["error"]["code"] == "service_unavailable"
    deadline = time.time() + 20
    statuses = []
    while time.time() < deadline:
        statuses.append(api.get("/api/health").status_code)
        if statuses[-1] == 200:
            break
        time.sleep(0.2)
    assert statuses[-1] == 200, statuses
    # a stale connection may fail at most once per pooled connection, then all is well
    assert all(api.get("/api/health").status_code == 200 for _ in range(20))
    assert httpd_pid(stack) == pid


def _psql(stack, sql, db=None):
    url = stack["KF_PGURL"] if db is None else stack["KF_PGURL"].rsplit("/", 1)[0] + "/" + db
    return subprocess.run(["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


def test_outdated_schema_answers_503_schema_outdated(stack, allow_log):
    """An httpd pointed at a database without the migrations refuses to serve from it."""
    allow_log(r"schema is at version")
    with own_database("kf_unmigrated", migrate=False) as (name, url):
        conf = render_conf()
        conf = conf.replace("dbname=konfirmado ", "dbname=%s " % name)
        with start_extra_httpd(conf) as extra:
            client = extra.api()
            r = client.get("/api/diagnostics/db", headers={"Accept-Language": "en"})
            assert r.status_code == 503
            assert r.json()["error"]["code"] == "schema_outdated"
            assert "migrations" in r.json()["error"]["message"]
            h = client.get("/api/health")
            assert h.status_code == 503
            assert h.json()["database"] == "ok"
            schema = h.json()["schema"]
            assert schema["current"] == 0 and schema["status"] == "outdated"
            assert schema["expected"] == _newest_migration(stack)
            # migrating while httpd runs brings it back without a restart
            migrate = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-migrate")
            subprocess.run([migrate, url], check=True, stdout=subprocess.PIPE)
            assert client.get("/api/health").status_code == 200
            assert client.get("/api/diagnostics/db").status_code == 200


def _newest_migration(stack):
    names = [n for n in os.listdir(os.path.join(stack["KF_SRCDIR"], "sql")) if n.endswith(".sql")]
    return max(int(n.split("_", 1)[0]) for n in names)


def test_migrate_is_safe_to_run_twice(stack):
    migrate = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-migrate")
    before = _psql(stack, "SELECT count(*) FROM kf_schema_migrations")
    out = subprocess.run([migrate, stack["KF_PGURL"]], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    assert "0 applied now" in out
    assert _psql(stack, "SELECT count(*) FROM kf_schema_migrations") == before
    status = subprocess.run([migrate, "--status", stack["KF_PGURL"]], check=True,
                            stdout=subprocess.PIPE, text=True).stdout
    assert "pending" not in status


def test_connections_run_in_utc(stack):
    assert _psql(stack, "SHOW timezone") == "UTC"


def test_a_statement_that_no_longer_prepares_fails_the_first_request(stack):
    """A connection prepares a statement at its first use, but the first connection of each
    process, made ready as the child starts, prepares them all: a schema that disagrees with
    the module's SQL (here a table dropped by hand) is named in the log at once, and the
    requests after it are refused, not only whichever rare one first needs that
    statement."""
    with own_database("kf_broken") as (name, url):
        # the merchants' audit trail: no request below reads or writes it
        psql("DROP TABLE audit_log CASCADE", db_url=url)
        # one child, so that the request below comes to the child whose line was read
        conf = render_conf({"StartServers": "StartServers 1", "ServerLimit": "ServerLimit 1",
                            "MaxRequestWorkers": "MaxRequestWorkers 100",
                            "MinSpareThreads": "MinSpareThreads 1"})
        conf = conf.replace("dbname=konfirmado ", "dbname=%s " % name)
        with start_extra_httpd(conf) as extra:
            def named():
                return any("statement kf_audit_" in line and "does not prepare" in line
                           for line in extra.error_lines())
            deadline = time.time() + 20
            while not named() and time.time() < deadline:
                time.sleep(0.1)
            assert named()
            r = extra.api().get("/api/diagnostics/db")
            assert r.status_code == 500, r.text
            assert r.json()["error"]["code"] == "internal_error"
