"""The database server turns read-only under the module's pooled connections, as a primary
does while a failover manager demotes it (pg_auto_failover sets default_transaction_read_only
before it stops it): every write answers 503 service_unavailable with Retry-After, never 500,
reads still answer, and once a server takes writes again the next write succeeds. The
connection that met the read-only server is dropped and made again (where
target_session_attrs=read-write finds the new primary: docs/high-availability.md)."""
import contextlib
import re
import time

import booking_seed as bs
from conftest import psql, read_stack_env


@contextlib.contextmanager
def read_only_server():
    """Every session of the stack's cluster, its pooled ones included, read-only inside."""
    psql("ALTER SYSTEM SET default_transaction_read_only = on")
    psql("SELECT pg_reload_conf()")
    try:
        # a fresh session sees the reloaded setting once the postmaster has read it
        deadline = time.time() + 10
        while psql("SHOW default_transaction_read_only") != "on":
            assert time.time() < deadline, "the reload did not take"
            time.sleep(0.05)
        yield
    finally:
        psql("ALTER SYSTEM RESET default_transaction_read_only")
        psql("SELECT pg_reload_conf()")
        deadline = time.time() + 10
        while psql("SHOW default_transaction_read_only") != "off" and time.time() < deadline:
            time.sleep(0.05)


def test_writes_on_a_read_only_server_answer_503_and_the_next_one_after_it_succeeds(
        api, stack, allow_log):
    allow_log(r"read-only", r"answered 503", r"connection lost", r"25006")
    sc = bs.Scenario(api)
    day = bs.today_plus(3)
    starts = [s["start"] for s in sc.slots(**{"from": day, "days": 1})]
    assert len(starts) >= 17
    with open(stack["KF_ERROR_LOG"], "rb") as f:
        log_start = f.seek(0, 2)

    with read_only_server():
        # both children's pooled connections meet it, one write after another
        for start in starts[:10]:
            r = sc.hold(start)
            assert r.status_code == 503, r.text
            assert r.json()["error"]["code"] == "service_unavailable"
            assert r.headers.get("Retry-After")
        # a read decides nothing and a read-only server still answers it
        assert sc.availability(**{"from": day, "days": 1}).status_code == 200

    # the server takes writes again: the very next writes succeed (slots apart: a slot's
    # 30 minutes overlap the next start's)
    for start in (starts[12], starts[16]):
        r = sc.hold(start)
        assert r.status_code == 201, r.text
    assert psql("SELECT count(*) FROM reservations WHERE tenant_id = :'p1'", sc.tenant_id) == "2"

    with open(read_stack_env()["KF_ERROR_LOG"], "rb") as f:
        f.seek(log_start)
        lines = f.read().decode("utf-8", "replace")
    assert re.search(r"failed, the server is read-only \(a standby, or a primary being "
                     r"demoted\): its connection is dropped: SQLSTATE 25006", lines), lines
    assert "answered 500" not in lines
