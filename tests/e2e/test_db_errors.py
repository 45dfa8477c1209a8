"""Database errors are logged by SQLSTATE and constraint name, never with PostgreSQL's
DETAIL (which carries row values such as emails); lists in request bodies are capped and
cost what their size says."""
import os
import subprocess
import secrets
import time

from conftest import psql, read_stack_env


def log_since(offset):
    with open(read_stack_env()["KF_ERROR_LOG"], encoding="utf-8", errors="replace") as f:
        f.seek(offset)
        return f.read()


def log_size():
    return os.path.getsize(read_stack_env()["KF_ERROR_LOG"])


def test_a_unique_violation_is_logged_without_the_row_values(merchant, other_merchant, stack):
    """Another transaction holds the subdomain uncommitted: the PATCH's own check cannot see
    it, its UPDATE waits and then violates the unique constraint, whose DETAIL names the
    value. The log keeps the SQLSTATE and the constraint, never the value."""
    sub = "secreto-%s" % secrets.token_hex(5)
    holder = subprocess.Popen(["psql", stack["KF_PGURL"], "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN;\nUPDATE tenants SET subdomain = '%s' WHERE id = '%s';\n"
                       "\\echo updated\nSELECT pg_sleep(3);\nCOMMIT;\n" % (sub, other_merchant.tenant_id))
    holder.stdin.flush()
    # the holder's UPDATE is in, not committed (a fixed sleep was too short on a busy machine)
    assert holder.stdout.readline().strip() == "updated"
    start = log_size()
    r = merchant.api.patch("/api/admin/tenant", json={"subdomain": sub})
    holder.stdin.close()
    holder.wait(timeout=10)
    assert r.status_code == 409 and r.json()["error"]["code"] == "subdomain_taken", r.text
    time.sleep(0.3)
    text = log_since(start)
    assert "refused by a constraint: SQLSTATE 23505, constraint tenants_subdomain_key" in text, text
    assert sub not in text, "a row value reached the error log:\n" + text
    assert "DETAIL" not in text and "Key (" not in text


def test_lists_in_bodies_are_capped_and_change_nothing(merchant):
    before = psql("SELECT count(*) FROM professionals WHERE tenant_id = :'p1'", merchant.tenant_id)
    ids = [str(__import__("uuid").uuid4()) for _ in range(1000)]
    r = merchant.api.post("/api/admin/professionals", json={
        "name": "Dra. Lista", "timezone": "America/Bogota", "service_ids": ids})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "validation_failed"
    assert "service_ids" in r.json()["error"]["fields"]
    assert psql("SELECT count(*) FROM professionals WHERE tenant_id = :'p1'",
                merchant.tenant_id) == before


def test_a_thousand_exceptions_are_taken_in_one_request(merchant):
    """The largest list a body may bring is built in one pass (apr_array_pstrcat): it is
    accepted quickly, every entry stored."""
    import datetime
    start = datetime.date(2027, 1, 1)
    exceptions = [{"date": (start + datetime.timedelta(days=i)).isoformat(), "closed": True}
                  for i in range(1000)]
    t0 = time.time()
    r = merchant.api.post("/api/admin/professionals", json={
        "name": "Dra. Vacaciones", "timezone": "America/Bogota",
        "schedule": [{"weekday": 1, "start": "09:00", "end": "17:00"}],
        "exceptions": exceptions}, timeout=30)
    assert r.status_code == 201, r.text[:500]
    assert len(r.json()["exceptions"]) == 1000
    assert time.time() - t0 < 10
