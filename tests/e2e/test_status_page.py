"""The operator's status page (API.md "Operations"): `SetHandler konfirmado-status` at
/konfirmado-status answers Prometheus text that Prometheus' own parser reads; its counters are
the whole server's (every httpd child adds to the same shared memory), rise with the requests
made, and the job queues are read from the database."""
import concurrent.futures

import pytest
import requests

from conftest import _PsqlSession, psql, read_stack_env
from prometheus_client.parser import text_string_to_metric_families

from status_support import STATUS, mails_retrying, scrape, value

REQUIRED = {
    "konfirmado_requests": "counter",
    "konfirmado_request_duration_seconds": "histogram",
    "konfirmado_job_queue": "gauge",
    "konfirmado_job_lag_seconds": "gauge",
    "konfirmado_deliveries_failed": "counter",
    "konfirmado_db_pool_in_use": "gauge",
    "konfirmado_cache_hits": "counter",
    "konfirmado_cache_misses": "counter",
    "konfirmado_rate_limited": "counter",
    "konfirmado_build_info": "gauge",
    "konfirmado_mail_retrying": "gauge",
    "konfirmado_payment_provider_errors": "gauge",
}
JOBS = {"mails", "texts", "callbacks", "calendar_events", "reconciliation"}


def requests_of(families, cls, status):
    return value(families, "konfirmado_requests", "konfirmado_requests_total",
                 **{"class": cls, "status": status})


def test_every_metric_of_the_contract_is_there_and_parses(api, stack):
    families = scrape(api)
    for name, kind in REQUIRED.items():
        assert name in families, name
        assert families[name].type == kind, (name, families[name].type)
    assert {s.labels["job"] for s in families["konfirmado_job_queue"].samples} == JOBS
    assert {s.labels["job"] for s in families["konfirmado_job_lag_seconds"].samples} == JOBS
    assert {s.labels["reason"] for s in families["konfirmado_mail_retrying"].samples} == \
        {"sender", "busy", "unreachable"}
    build = families["konfirmado_build_info"].samples[0]
    health = api.get("/api/health").json()
    assert build.labels == {"version": health["version"],
                            "schema": str(health["schema"]["expected"])}
    assert value(families, "konfirmado_schema_outdated", "konfirmado_schema_outdated") == 0
    assert value(families, "konfirmado_database_up", "konfirmado_database_up") == 1


def test_counters_rise_with_the_requests_of_every_child(api, stack):
    """Forty requests on forty connections, eight at a time, spread over the stack's httpd
    children (StartServers 4): the page, answered by any one child, counts them all."""
    before = scrape(api)

    def one(i):
        with requests.Session() as s:
            host = stack["KF_BASE_DOMAIN"]
            r = s.get("http://127.0.0.1:%s/api/health" % stack["KF_PORT"], headers={"Host": host},
                      timeout=10)
            return r.status_code
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert list(pool.map(one, range(40))) == [200] * 40
    for _ in range(3):
        assert api.get("/api/no-such-endpoint").status_code == 404
    after = scrape(api)
    assert requests_of(after, "health", "2xx") - requests_of(before, "health", "2xx") >= 40
    assert requests_of(after, "unrouted", "4xx") - requests_of(before, "unrouted", "4xx") >= 3
    count = lambda f: value(f, "konfirmado_request_duration_seconds",  # noqa: E731
                            "konfirmado_request_duration_seconds_count", **{"class": "health"})
    assert count(after) - count(before) >= 40
    inf = value(after, "konfirmado_request_duration_seconds",
                "konfirmado_request_duration_seconds_bucket", **{"class": "health", "le": "+Inf"})
    assert inf == count(after)


def test_a_rate_limited_request_is_counted(api, stack):
    """The failed log-in limit's 429 (too_many_attempts) counts as rate-limited too."""
    before = value(scrape(api), "konfirmado_rate_limited", "konfirmado_rate_limited_total")
    client = api
    codes = []
    for _ in range(40):
        r = client.post("/api/auth/login", json={"email": "nobody-status@example.com",
                                                 "password": "wrong-password-1"})
        codes.append(r.status_code)
        if r.status_code == 429:
            break
    assert codes[-1] == 429, codes
    after = value(scrape(api), "konfirmado_rate_limited", "konfirmado_rate_limited_total")
    assert after - before >= 1


def test_a_due_mail_shows_in_the_queue_with_its_lag(api, stack):
    """A mail due ten minutes ago that no job took yet (a session keeps it locked against the
    mail job's claim, which skips locked rows) is a row waiting with ten minutes of lag."""
    mail_id = psql("INSERT INTO mail_outbox (recipient, subject, body_text, body_html,"
                   " next_attempt_at) VALUES ('queue-status@example.com', 'status', 'x', 'x',"
                   " now() + interval '1 hour') RETURNING id")
    holder = _PsqlSession(read_stack_env()["KF_PGURL"])
    try:
        # a key-share lock lets the next UPDATE through but makes FOR UPDATE SKIP LOCKED skip it
        holder.run("BEGIN; SELECT 1 FROM mail_outbox WHERE id = :'p1' FOR KEY SHARE", [mail_id])
        psql("UPDATE mail_outbox SET next_attempt_at = now() - interval '10 minutes'"
             " WHERE id = :'p1'", mail_id)
        families = scrape(api)
        assert value(families, "konfirmado_job_queue", "konfirmado_job_queue", job="mails") >= 1
        assert value(families, "konfirmado_job_lag_seconds", "konfirmado_job_lag_seconds",
                     job="mails") >= 600
        holder.run("DELETE FROM mail_outbox WHERE id = :'p1'; COMMIT", [mail_id])
    finally:
        holder.close()
        psql("DELETE FROM mail_outbox WHERE id = :'p1'", mail_id)


def test_a_mail_that_gave_up_is_a_failed_delivery(api, stack):
    before = value(scrape(api), "konfirmado_deliveries_failed", "konfirmado_deliveries_failed_total",
                   channel="mail")
    mail_id = psql("INSERT INTO mail_outbox (recipient, subject, body_text, body_html, attempts,"
                   " last_error, failed_at) VALUES ('failed-status@example.com', 'status', '', '',"
                   " 8, '550 no such user', now()) RETURNING id")
    try:
        after = value(scrape(api), "konfirmado_deliveries_failed",
                      "konfirmado_deliveries_failed_total", channel="mail")
        assert after == before + 1
    finally:
        psql("DELETE FROM mail_outbox WHERE id = :'p1'", mail_id)


def test_a_mail_waiting_after_a_refusal_is_counted_by_its_fault(api, stack):
    """A mail whose last attempt the mail service refused for our key waits for its next one:
    counted under its fault until it goes; a bounced one is a failed delivery instead."""
    before = {r: mails_retrying(api, r) for r in ("sender", "busy")}
    mail_id = psql("INSERT INTO mail_outbox (recipient, subject, body_text, body_html, attempts,"
                   " last_error, last_fault, next_attempt_at) VALUES ('waits-status@example.com',"
                   " 'status', 'x', 'x', 2, 'resend 403 invalid_api_key: API key is invalid',"
                   " 'sender', now() + interval '1 hour') RETURNING id")
    try:
        assert mails_retrying(api, "sender") == before["sender"] + 1
        assert mails_retrying(api, "busy") == before["busy"]
        psql("UPDATE mail_outbox SET sent_at = now(), last_fault = NULL WHERE id = :'p1'", mail_id)
        assert mails_retrying(api, "sender") == before["sender"]
    finally:
        psql("DELETE FROM mail_outbox WHERE id = :'p1'", mail_id)


def test_the_page_lives_only_where_the_operator_put_it(api, stack):
    # another virtual host of the same server has no status page
    other = api.with_host("other-site.localhost")
    assert other.get(STATUS).status_code == 404
    # only GET
    assert api.post(STATUS, data="").status_code == 405


def test_the_page_names_the_key_ids_the_server_loaded_never_a_key(api, stack):
    """konfirmado_key_info: the stack's one key by its key id (the id every value it sealed
    carries), marked as the one it seals with; the key itself in no encoding."""
    import base64
    import hashlib
    with open(stack["KF_KEYFILE"], "rb") as f:
        key = f.read()
    kid = hashlib.sha256(b"konfirmado-key-id:" + key).hexdigest()[:8]
    r = api.get(STATUS)
    assert r.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(r.text)}
    assert families["konfirmado_key_info"].type == "gauge"
    assert [(s.labels, s.value) for s in families["konfirmado_key_info"].samples] == [
        ({"server": "%s:%s" % (stack["KF_BASE_DOMAIN"], stack["KF_PORT"]), "kid": kid,
          "sealing": "1"}, 1)]
    assert key not in r.content
    for shown in (key.hex(), base64.b64encode(key).decode().rstrip("="),
                  base64.urlsafe_b64encode(key).decode().rstrip("=")):
        assert shown.lower() not in r.text.lower()


@pytest.mark.parametrize("path", ["/konfirmado-status/", "/konfirmado-status?x=1"])
def test_the_page_answers_the_same_under_its_location(api, path):
    r = api.get(path)
    assert r.status_code == 200
    assert "konfirmado_build_info" in r.text


def test_the_example_alert_rules_read_what_the_page_exposes(api, stack):
    """docs/monitoring.md's rules file: valid YAML of Prometheus' rule-file shape, and every
    konfirmado_ series an expression reads is one the page answers (a renamed metric would
    silently never fire)."""
    import os
    import re

    import yaml
    path = os.path.join(stack["KF_SRCDIR"], "conf", "prometheus", "konfirmado-alerts.yml")
    with open(path) as f:
        rules = yaml.safe_load(f)
    exposed = {s.name for f in scrape(api).values() for s in f.samples}
    names = set()
    for group in rules["groups"]:
        assert set(group) == {"name", "rules"}
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert rule["alert"] and rule["expr"].strip()
            assert re.fullmatch(r"\d+[smh]", rule.get("for", "0s")), rule
            names |= set(re.findall(r"\bkonfirmado_[a-z_]+", rule["expr"]))
    assert {"konfirmado_requests_total", "konfirmado_job_lag_seconds",
            "konfirmado_deliveries_failed_total", "konfirmado_schema_outdated",
            "konfirmado_mail_retrying"} <= names
    assert names <= exposed, names - exposed


def test_the_availability_cache_counts_its_misses_and_hits(api):
    """A new link's first availability answer is computed (a miss), the same question asked
    again is answered from the cache (a hit). Right after Apache starts the cache waits for
    the change notices' listener, so the question is asked until the cache answers."""
    import datetime as dt
    import time

    import booking_seed as bs
    day = {"from": (dt.date.today() + dt.timedelta(days=3)).isoformat(), "days": 1}
    hits = lambda f: value(f, "konfirmado_cache_hits", "konfirmado_cache_hits_total")  # noqa: E731
    misses = lambda f: value(f, "konfirmado_cache_misses",  # noqa: E731
                             "konfirmado_cache_misses_total")
    before = scrape(api)
    sc = bs.Scenario(api)
    first = sc.slots(**day)
    deadline = time.time() + 10
    while True:
        assert sc.slots(**day) == first
        after = scrape(api)
        if hits(after) > hits(before) or time.time() > deadline:
            break
        time.sleep(0.2)
    assert misses(after) - misses(before) >= 1
    assert hits(after) - hits(before) >= 1
