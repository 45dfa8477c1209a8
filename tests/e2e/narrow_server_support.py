"""A second httpd on the stack's database with one child and two pooled connections
(DBDMax 2): what a request does with its connection while it waits on another server shows
at once, as a health check that waits for a free connection."""
import threading
import time

from conftest import Api, render_conf

NARROW = {
    "StartServers": "    StartServers 1",
    "ServerLimit": "    ServerLimit 1",
    "ThreadsPerChild": "    ThreadsPerChild 25",
    "ThreadLimit": "    ThreadLimit 25",
    "MaxRequestWorkers": "    MaxRequestWorkers 25",
    "MinSpareThreads": "    MinSpareThreads 25",
    "MaxSpareThreads": "    MaxSpareThreads 25",
    "DBDKeep": "DBDKeep 1",
    "DBDMax": "DBDMax 2",
}


def narrow_conf():
    return render_conf(NARROW)


def client_of(extra, merchant=None, host=None):
    """A client of the extra server (on `host`: the platform host by default), logged in as
    `merchant` when given."""
    c = Api(extra.stack, host)
    if merchant:
        c.session.cookies.set("kf_session", merchant.session_token)
        c.session.headers["X-CSRF-Token"] = merchant.csrf
    return c


def timed_health(extra):
    """(seconds, answer) of GET /api/health on the extra server, which takes a connection."""
    started = time.time()
    r = client_of(extra).get("/api/health", timeout=15)
    return time.time() - started, r


def while_they_wait(extra, calls, what, join=30):
    """Runs the calls at once; while they wait on another server (`what`), a health check on
    the extra server must still get a connection at once. Their answers, in finishing order."""
    results = []
    threads = [threading.Thread(target=lambda c=c: results.append(c())) for c in calls]
    for t in threads:
        t.start()
    time.sleep(1)      # the calls are waiting on the other server now
    assert all(t.is_alive() for t in threads), "%s's delay did not hold them" % what
    took, health = timed_health(extra)
    for t in threads:
        t.join(join)
    assert health.status_code == 200 and health.json()["database"] == "ok", health.text
    assert took < 1.5, "health waited %.1f s for a connection" % took
    return results
