"""Mail through Resend (KonfirmadoMailTransport resend): POST /emails with the Bearer key of
KonfirmadoResendKeyFile, the parts as JSON, the invite as a base64 attachment and the mail's
id as Idempotency-Key; 429 and 5xx retried under the same key, an answer lost never makes a
second email; a key Resend refuses (401, 403) keeps the mail queued, retried on the schedule,
and shows on the operator's status page until the mail goes; only a 422 about the address
fails the mail at once, on its booking's deliveries, with Resend's error name, while the
booking and its payment stay as they are."""
import base64
import secrets
import time

import pytest

from conftest import configtest, psql
from mail_transport_support import (RESEND_KEY, only_server, outbox_row, queue, resend_conf,
                                    resend_key_file, transport_conf)
from narrow_server_support import client_of
from payments_helpers import PayTenant, booking_row, wait_for
from status_support import mails_retrying

INVITE = ("BEGIN:VCALENDAR\r\nPRODID:-//Konfirmado//Konfirmado//ES\r\nVERSION:2.0\r\n"
          "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:cita-1@konfirmado.localhost\r\n"
          "DTSTAMP:20261201T120000Z\r\nDTSTART:20261202T140000Z\r\nDTEND:20261202T143000Z\r\n"
          "SUMMARY:Consulta\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def address():
    return "resend-%s@example.com" % secrets.token_hex(5)


def calls_with(fakes, key):
    return [c for c in fakes._call("GET", "/resend/_control/calls")["calls"]
            if c["idempotency_key"] == key]


def emails_with(fakes, key):
    return [e for e in fakes._call("GET", "/resend/_control/emails")["emails"]
            if e["idempotency_key"] == key]


def requests_with(fakes, key):
    return [r for r in fakes.requests("resend")
            if r["path"].endswith("/emails") and r["headers"].get("Idempotency-Key") == key]


def test_a_mail_goes_to_resend_with_its_parts_its_invite_and_its_id_as_key(fakes):
    to = address()
    with only_server(resend_conf()):
        mail = queue(to, subject="Cita confirmada ✓", text="Hola Ana\n", html="<p>Hola Ana</p>\n",
                     calendar=INVITE, method="REQUEST")
        wait_for(lambda: outbox_row(mail)["sent"], timeout=20, what="the mail sent")
    [email] = emails_with(fakes, mail)
    assert email["from"] == "Konfirmado <no-reply@konfirmado.localhost>"
    assert email["to"] == [to]
    assert email["subject"] == "Cita confirmada ✓"
    assert email["text"] == "Hola Ana\n" and email["html"] == "<p>Hola Ana</p>\n"
    [ics] = email["attachments"]
    assert ics["filename"] == "invite.ics"
    assert ics["content_type"] == "text/calendar; charset=UTF-8; method=REQUEST"
    assert base64.b64decode(ics["content"]).decode("utf-8") == INVITE
    [req] = requests_with(fakes, mail)
    assert req["method"] == "POST"
    assert req["headers"]["Authorization"] == "Bearer " + RESEND_KEY
    assert req["headers"]["Content-Type"] == "application/json"
    row = outbox_row(mail)
    assert row["attempts"] == 1 and row["last_error"] == ""


def test_429_and_500_are_retried_under_the_same_key_and_the_mail_goes_once(fakes):
    to = address()
    fakes.config("resend", answers_to={to: [429, 500]})
    with only_server(resend_conf()):
        mail = queue(to)
        wait_for(lambda: outbox_row(mail)["sent"], timeout=30, what="the mail sent")
    assert [c["status"] for c in calls_with(fakes, mail)] == [429, 500, 200]
    assert len(emails_with(fakes, mail)) == 1
    assert outbox_row(mail)["attempts"] == 3


def next_attempt_in(mail_id):
    return float(psql("SELECT extract(epoch FROM next_attempt_at - now()) FROM mail_outbox"
                      " WHERE id = :'p1'", mail_id))


@pytest.mark.parametrize("refusal", ["401 missing_api_key", "403 invalid_api_key"])
def test_a_key_resend_refuses_keeps_the_mail_queued_and_alerts_until_it_goes(fakes, refusal):
    to = address()
    if refusal.startswith("401"):
        fakes.config("resend", answers_to={to: [401] * 100})      # no key reached Resend
    else:
        fakes.config("resend", api_key="re_the_new_key")  # ours was revoked
    with only_server(resend_conf()) as extra:
        status = client_of(extra)
        before = mails_retrying(status, "sender")
        mail = queue(to)
        wait_for(lambda: outbox_row(mail)["attempts"] >= 2, timeout=20,
                 what="the mail tried again")
        row = outbox_row(mail)
        assert not row["failed"] and not row["sent"], row
        assert row["last_error"].startswith("resend " + refusal), row
        assert next_attempt_in(mail) > 0, "retried on the schedule, not at once"
        assert mails_retrying(status, "sender") == before + 1
        assert any("mail %s" % mail in line and refusal in line
                   for line in extra.error_lines())
        # the operator puts the right key in place: the mail goes at its next attempt
        fakes.config("resend", answers_to={}, api_key=RESEND_KEY)
        psql("UPDATE mail_outbox SET next_attempt_at = now() WHERE id = :'p1'", mail)
        wait_for(lambda: outbox_row(mail)["sent"], timeout=20, what="the mail sent")
        assert mails_retrying(status, "sender") == before
    assert len(emails_with(fakes, mail)) == 1
    assert outbox_row(mail)["last_error"] == ""


def test_an_answer_lost_after_resend_took_the_mail_never_sends_it_twice(fakes):
    to = address()
    fakes.config("resend", lose_answers_to={to: 1})
    with only_server(resend_conf()) as extra:
        mail = queue(to)
        wait_for(lambda: outbox_row(mail)["sent"], timeout=30, what="the mail sent")
        time.sleep(1.5)     # a further run would have sent it again by now
    calls = calls_with(fakes, mail)
    assert [c["status"] for c in calls] == [0, 200]
    assert calls[0]["id"] == calls[1]["id"], "the retry was answered another email"
    assert len(emails_with(fakes, mail)) == 1
    assert any("mail %s" % mail in line and "not delivered" in line for line in extra.error_lines())


@pytest.mark.allow_log(r"mail \S+ to \S+ given up after 1 attempt")
def test_a_mail_resend_refuses_fails_on_its_booking_and_the_booking_stays_paid(merchant, fakes,
                                                                               stack):
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    refused = "ana-%s@example.com" % secrets.token_hex(4)
    psql("UPDATE reservations SET customer_email = :'p1' WHERE id = :'p2'", refused, booking)
    fakes.config("resend", refused_to=[refused])
    with only_server(resend_conf()) as extra:
        fakes.config("wompi", events_url="http://127.0.0.1:%d/api/webhooks/wompi" % extra.port,
                     events_host="%s:%d" % (stack["KF_BASE_DOMAIN"], extra.port))
        shop.fire(ref)
        wait_for(lambda: booking_row(booking)[0] in ("paid", "confirmed"), timeout=20,
                 what="the booking paid")
        api = client_of(extra, merchant)

        def failed():
            r = api.get("/api/admin/deliveries", params={"status": "failed"})
            assert r.status_code == 200, r.text
            return [d for d in r.json()["items"] if d["booking_id"] == booking]
        [delivery] = wait_for(failed, timeout=20, what="the refused mail failed")
        assert delivery["channel"] == "email" and delivery["to"] == refused
        assert delivery["kind"].startswith("Reserva confirmada")
        assert delivery["attempts"] == 1, "a refusal for good is not tried again"
        assert delivery["error"].startswith("resend 422 validation_error: Invalid `to` field.")
        detail = api.get("/api/admin/bookings/%s" % booking)
        assert detail.status_code == 200, detail.text
        seen = detail.json()["booking"]
        assert seen["status"] in ("paid", "confirmed")
        assert any(d["id"] == delivery["id"] and d["status"] == "failed"
                   for d in seen["deliveries"])
        time.sleep(1.5)
    assert booking_row(booking)[0] in ("paid", "confirmed")
    assert psql("SELECT status FROM payments WHERE reference = :'p1'", ref) == "approved"
    assert len(calls_with(fakes, delivery["id"])) == 1


def test_resend_without_its_key_or_with_a_key_all_may_read_does_not_start():
    code, out = configtest(transport_conf("KonfirmadoMailTransport resend"))
    assert code != 0
    assert "KonfirmadoMailTransport resend needs KonfirmadoResendKeyFile" in out
    code, out = configtest(transport_conf("KonfirmadoMailTransport resend",
                                          'KonfirmadoResendKeyFile "%s"' % resend_key_file(0o644)))
    assert code != 0 and "is readable by every user of the machine" in out
    code, out = configtest(transport_conf("KonfirmadoMailTransport pigeon"))
    assert code != 0 and "must be smtp, resend or maildir <folder>, not 'pigeon'" in out
    code, out = configtest(transport_conf("KonfirmadoMailTransport maildir"))
    assert code != 0 and "maildir needs the folder" in out
    code, out = configtest(resend_conf())
    assert code == 0, out
