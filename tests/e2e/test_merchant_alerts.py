"""Merchant alerts (GET /api/admin/alerts, POST /api/admin/alerts/{id}/dismiss): callbacks to
a merchant URL that keeps failing raise `callbacks_failing` and mail the business once, a
delivered callback resolves it; a customer's mail given up raises `messages_bouncing`; a
dismissed alert is no longer listed; no business sees another's. The alerts job runs every
KonfirmadoAlertsInterval (2 s in the test stack): each step waits for its next run."""
import datetime as dt
import json
import re
import secrets

import pytest

from admin_bookings_seed import add_booking, add_professional, add_service
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, count, wait_for

JOB = 30   # seconds: a run of the alerts job (every 2 s in the test stack: KonfirmadoAlertsInterval) and some


def alerts(api, lang=None, **params):
    """The alerts; their details told in `lang` (Accept-Language; none: Spanish)."""
    r = api.get("/api/admin/alerts", params=params, headers={"Accept-Language": lang} if lang else {})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def open_kinds(api):
    return sorted(a["kind"] for a in alerts(api))


def attempts(tenant_id):
    return count("""SELECT count(*) FROM callback_attempts a JOIN merchant_callbacks c
                    ON c.id = a.callback_id WHERE c.tenant_id = :'p1'""", tenant_id)


def retry_now(tenant_id):
    """The next attempt is due now rather than after the retry schedule's wait."""
    psql("""UPDATE merchant_callbacks SET next_attempt_at = now()
            WHERE tenant_id = :'p1' AND status = 'pending'""", tenant_id)


def alert_mails(tenant_id, to):
    return count("""SELECT count(*) FROM mail_outbox WHERE tenant_id = :'p1' AND recipient = :'p2'
                    AND reservation_id IS NULL""", tenant_id, to)


@pytest.mark.allow_log(r"callback .* (failed|HTTP 500)", r"alerts: ")
def test_failing_callbacks_raise_an_alert_mailed_once_and_resolved_by_a_success(
        merchant, other_merchant, fakes, stack, maildir):
    shop = PayTenant(merchant, fakes, stack)
    notify = "avisos-%s@example.com" % secrets.token_hex(5)
    psql("UPDATE tenants SET notification_email = :'p1', locale = 'en' WHERE id = :'p2'",
         notify, shop.tenant_id)
    fakes.config("merchant", status=500, body={"error": "boom"},
                 scope="/callback/" + shop.tenant_id)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    # three failed attempts, the retries brought forward
    for n in (1, 2, 3):
        wait_for(lambda: attempts(shop.tenant_id) >= n, timeout=30, what="attempt %d" % n)
        retry_now(shop.tenant_id)
    [alert] = wait_for(lambda: alerts(shop.api), timeout=JOB, what="the alert")
    assert alert["kind"] == "callbacks_failing" and alert["resolved_at"] is None
    # the facts, in the reader's language
    assert re.fullmatch(r"\d+ intentos fallidos en la última hora\.", alert["detail"])
    [english] = alerts(shop.api, lang="en")
    assert re.fullmatch(r"\d+ failed attempts in the last hour\.", english["detail"])
    # the last failure as a reason the dashboard words, never the raw answer
    assert alert["last_reason"] == {"reason": "site_error", "answer_code": 500, "to": None}
    # the business is mailed at its notification address, in its language
    subject = "Callbacks to your system keep failing"
    [mail] = maildir.wait(1, timeout=30, to=notify, subject=subject)
    text = mail.get_body(("plain",)).get_content()
    assert "/dashboard/" in text and "failed attempts in the last hour." in text
    assert "HTTP 500" not in text
    # the next run sees it again and does not mail again
    seen = alert["last_seen_at"]
    wait_for(lambda: alerts(shop.api)[0]["last_seen_at"] != seen, timeout=JOB,
             what="the next run")
    assert alert_mails(shop.tenant_id, notify) == 1 and len(maildir.new(notify, subject)) == 1
    # another business sees nothing of it, nor can dismiss it
    assert alerts(other_merchant.api) == [] and alerts(other_merchant.api, all="true") == []
    r = other_merchant.api.post("/api/admin/alerts/%s/dismiss" % alert["id"])
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    # the merchant's server answers again: the next delivery resolves the alert
    fakes.config("merchant", status=200, body={"ok": True}, scope="/callback/" + shop.tenant_id)
    retry_now(shop.tenant_id)
    wait_for(lambda: any(c["body"] and booking in c["body"] for c in callbacks_for(fakes, shop)),
             what="a delivered callback")
    wait_for(lambda: alerts(shop.api) == [], timeout=JOB, what="the alert resolved")
    [resolved] = alerts(shop.api, all="true")
    assert resolved["id"] == alert["id"] and resolved["resolved_at"] is not None
    assert alert_mails(shop.tenant_id, notify) == 1


@pytest.mark.allow_log(r"alerts: ")
def test_a_bounced_customer_mail_raises_an_alert_the_merchant_can_dismiss(
        merchant, other_merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, _ = shop.pending_booking()
    psql("""INSERT INTO mail_outbox (tenant_id, reservation_id, recipient, subject, body_text,
                                     body_html, attempts, failed_at, last_error)
            VALUES (:'p1', :'p2', 'ana@example.com', 'booking_confirmed', '', '', 12,
                    now() - interval '2 hours', '550 5.1.1 mailbox unavailable')""",
         shop.tenant_id, booking)
    [alert] = wait_for(lambda: alerts(shop.api), timeout=JOB, what="the alert")
    assert alert["kind"] == "messages_bouncing"
    assert alert["detail"] == ("1 correo y 0 mensajes de texto sobre reservas no se pudieron entregar"
                               " en las últimas 24 horas.")
    # what the mail server said, as a reason: the dashboard words it as the deliveries list does
    assert alert["last_reason"] == {"reason": "mail_mailbox_missing", "answer_code": 550,
                                    "to": "ana@example.com"}
    assert "ana@example.com" not in alert["detail"]
    assert alerts(other_merchant.api) == []
    # dismissed: no longer listed, kept in the full list
    r = shop.api.post("/api/admin/alerts/%s/dismiss" % alert["id"])
    assert r.status_code == 200, r.text
    assert r.json()["id"] == alert["id"] and r.json()["dismissed_at"] is not None
    assert alerts(shop.api) == []
    [kept] = alerts(shop.api, all="true")
    assert kept["id"] == alert["id"] and kept["resolved_at"] is None
    # dismissed again: the same answer
    assert shop.api.post("/api/admin/alerts/%s/dismiss" % alert["id"]).status_code == 200


def test_bad_ids_and_parameters_are_clear_errors(merchant, new_api):
    for bad in ("nope", "00000000-0000-0000-0000-000000000000"):
        r = merchant.api.post("/api/admin/alerts/%s/dismiss" % bad)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = merchant.api.get("/api/admin/alerts", params={"all": "yes"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parameter"
    r = new_api().get("/api/admin/alerts")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


@pytest.mark.allow_log(r"webhook for payment .* refused", r"alerts: ")
def test_webhooks_failing_their_signature_raise_an_alert_of_their_business_only(
        merchant, other_merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    _, ref = shop.pending_booking()
    for _ in range(3):
        assert shop.fire(ref, checksum="0" * 64)["delivery"]["status"] == 401
    # counted in memory, written by the job's next run: no row per refused request before it
    [alert] = wait_for(lambda: alerts(shop.api), timeout=JOB, what="the alert")
    assert alert["kind"] == "webhook_signatures_failing"
    assert alert["detail"] == "3 avisos de pago rechazados por su firma en la última hora"
    assert alerts(shop.api, lang="en")[0]["detail"] == "3 webhooks refused in the last hour"
    assert count("""SELECT coalesce(sum(count), 0) FROM metrics_incidents
                    WHERE tenant_id = :'p1' AND kind = 'webhook_signature'""", shop.tenant_id) == 3
    assert alerts(other_merchant.api) == []


def calendar(tenant_id, name, **columns):
    """A professional whose calendar connection has `columns`; the sync job leaves it alone
    (no read due, no channel to renew)."""
    pro = psql("""INSERT INTO professionals (tenant_id, name, timezone)
                  VALUES (:'p1', :'p2', 'America/Bogota') RETURNING id""", tenant_id, name)
    psql("""INSERT INTO calendar_connections (professional_id, tenant_id, provider, status,
                secret_sealed, sync_due_at, sync_error, synced_at, error_mailed_at)
            VALUES (:'p1', :'p2', 'google', :'p3', 'sealed', now() + interval '1 day', :'p4',
                    now() - (:'p5')::interval, CASE WHEN :'p6' = 'yes' THEN now() END)""",
         pro, tenant_id, columns["status"], columns["sync_error"], columns["synced_ago"],
         columns["mailed"])


@pytest.mark.allow_log(r"alerts: ")
def test_a_calendar_already_mailed_is_shown_but_not_mailed_again(merchant, stack):
    calendar(merchant.tenant_id, "Dra. Núñez", status="error", sync_error="invalid_grant",
             synced_ago="3 hours", mailed="yes")
    [alert] = wait_for(lambda: alerts(merchant.api), timeout=JOB, what="the alert")
    assert alert["kind"] == "calendar_not_syncing"
    # in words: what Google said stays on the professional's calendar page
    assert alert["detail"] == "Dra. Núñez (Google): acceso denegado"
    assert alert_mails(merchant.tenant_id, merchant.email) == 0
    # a calendar whose reads fail for over an hour was told nothing yet: the alert mails it
    calendar(merchant.tenant_id, "Dr. Ortega", status="connected", sync_error="HTTP 503",
             synced_ago="2 hours", mailed="no")
    wait_for(lambda: "Dr. Ortega" in alerts(merchant.api)[0]["detail"], timeout=JOB,
             what="the second calendar in the alert")
    [again] = alerts(merchant.api)
    assert again["id"] == alert["id"]
    assert sorted(again["detail"].split("; ")) == [
        "Dr. Ortega (Google): su calendario no responde, seguimos intentando",
        "Dra. Núñez (Google): acceso denegado"]
    wait_for(lambda: alert_mails(merchant.tenant_id, merchant.email) == 1, what="the alert's mail")


def attempt_rows_read(plan):
    """The rows a plan (EXPLAIN ANALYZE, JSON) read from callback_attempts: those it kept and
    those its filters threw away, over every loop."""
    read = 0
    if plan.get("Relation Name") == "callback_attempts":
        read += (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
                 + plan.get("Rows Removed by Index Recheck", 0)) * plan.get("Actual Loops", 1)
    return read + sum(attempt_rows_read(p) for p in plan.get("Plans", []))


def add_attempts(merchant, status_code, n, minutes_ago):
    """n attempts answered `status_code` (None: no answer) of a new callback of the business,
    `minutes_ago` minutes back, one a millisecond: delivered at the last when it is a 2xx,
    else failed for good (the callback job leaves both alone)."""
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(microsecond=0)
    booking = add_booking(merchant, add_service(merchant), add_professional(merchant), start.isoformat())
    ok = status_code is not None and 200 <= status_code < 300
    at = "now() - make_interval(mins => %d) + %%s * interval '1 millisecond'" % minutes_ago
    callback = psql("INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, status, delivered_at)"
                    " VALUES (:'p1', :'p2', '{}', :'p3', CASE WHEN :'p3' = 'delivered' THEN %s END)"
                    " RETURNING id" % (at % n), merchant.tenant_id, booking, "delivered" if ok else "failed")
    psql("INSERT INTO callback_attempts (callback_id, attempt, status_code, latency_ms, error, at)"
         " SELECT :'p1', i, nullif(:'p2', '')::int, 5, CASE WHEN :'p2' = '' THEN 'timeout' END, %s"
         " FROM generate_series(1, :'p3'::int) i" % (at % "i"),
         callback, "" if status_code is None else str(status_code), str(n))


@pytest.mark.allow_log(r"alerts: ")
def test_failing_callbacks_are_found_from_the_failures_not_from_every_delivery(merchant, other_merchant):
    """The alerts job looks for failing endpoints every minute: it reads the hour's failed
    attempts and each failing business's last delivery, not every attempt delivered in the
    hour (3,000 of a neighbour here: a busy gateway delivers hundreds a second)."""
    add_attempts(other_merchant, 200, 3000, 50)
    add_attempts(merchant, 200, 1, 40)
    add_attempts(merchant, 500, 2, 30)
    add_attempts(merchant, None, 1, 20)
    psql("ANALYZE callback_attempts, merchant_callbacks")
    failing = "SELECT tenant_id, detail FROM kf_alerts_callbacks_failing(interval '1 hour', 3)"
    rows = [line.split("|", 1) for line in psql(failing).splitlines()]
    assert [merchant.tenant_id] == [t for t, _ in rows if t in (merchant.tenant_id, other_merchant.tenant_id)]
    assert json.loads(dict(rows)[merchant.tenant_id]) == {"failures": 3, "last_status": None,
                                                          "last_error": "timeout"}
    # what it read: the failed attempts of the hour (other tests' too), not the deliveries
    failed = int(psql("SELECT count(*) FROM callback_attempts WHERE at > now() - interval '1 hour'"
                      " AND (status_code IS NULL OR status_code NOT BETWEEN 200 AND 299)"))
    plan = json.loads(psql("EXPLAIN (ANALYZE, FORMAT JSON) " + failing))[0]["Plan"]
    assert 3 <= attempt_rows_read(plan) <= failed + 10
    # a delivery after the failures: nothing is failing
    add_attempts(merchant, 204, 1, 10)
    assert merchant.tenant_id not in psql(failing)


@pytest.mark.allow_log(r"alerts: ")
def test_an_erased_customer_is_not_named_by_an_alert(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, _ = shop.pending_booking()
    psql("""INSERT INTO mail_outbox (tenant_id, reservation_id, recipient, subject, body_text,
                                     body_html, attempts, failed_at, last_error)
            VALUES (:'p1', :'p2', 'ana@example.com', 'booking_confirmed', '', '', 12,
                    now() - interval '2 hours', '550 5.1.1 <ana@example.com> unknown')""",
         shop.tenant_id, booking)
    [alert] = wait_for(lambda: alerts(shop.api), timeout=JOB, what="the alert")
    assert alert["last_reason"]["to"] == "ana@example.com"
    r = shop.api.post("/api/admin/customers/erase", json={"email": "ana@example.com"})
    assert r.status_code == 200, r.text
    stored = psql("SELECT detail FROM merchant_alerts WHERE id = :'p1'", alert["id"])
    assert "ana@example.com" not in stored and json.loads(stored)["mails"] == 1
    [after] = alerts(shop.api)
    assert after["last_reason"] is None or after["last_reason"]["to"] != "ana@example.com"
