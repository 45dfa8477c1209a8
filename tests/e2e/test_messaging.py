"""Reminders by SMS and WhatsApp through Twilio (API.md "After booking"): the tenant's account
(PUT|DELETE /api/admin/tenant/messaging/twilio, the token never shown again), each reminder
texted once next to its mail, WhatsApp addresses, an outage retried and delivered once, a
refused number recorded without touching the mail, and no text for a business without Twilio.
The fake Twilio (tests/fakes/twilio.py) speaks the Messages API with its error bodies."""
import re
import secrets
import time

from booking_seed import ALL_WEEK, Scenario, today_plus
from conftest import psql
from payments_helpers import wait_for
from test_booking_mails import mails_to, text_of
from test_booking_reminders import make_due
from test_booking_reschedule_admin import session_for

FROM = "+14155552671"


def account(fakes, **extra):
    sid = "AC" + secrets.token_hex(16)
    token = secrets.token_hex(16)
    known = dict(fakes._call("GET", "/_fakes/twilio/config")["accounts"])
    known[sid] = dict({"auth_token": token, "from": FROM}, **extra)
    fakes.config("twilio", accounts=known)
    return {"account_sid": sid, "auth_token": token, "from": FROM, "channel": "sms"}


def texts(fakes, sid):
    return [m for m in fakes._call("GET", "/twilio/_control/messages")["messages"]
            if m["account_sid"] == sid]


def outbox(booking_id):
    row = psql("SELECT status, attempts, coalesce(last_error, ''), coalesce(provider_sid, '')"
               " FROM message_outbox WHERE reservation_id = :'p1'", booking_id)
    return tuple(row.split("|")) if row else None


class Business:
    """A scenario's tenant with a logged-in owner and reminders 15 minutes ahead."""

    def __init__(self, api, stack, phone="+573001234567"):
        self.sc = Scenario(api, service={"charge": "free", "price": 0, "horizon": 60, "duration": 45},
                           professionals=[{"name": "Dra. Ana Restrepo", "timezone": "America/Bogota",
                                           "hours": ALL_WEEK(("09:00", "17:00"))}])
        self.admin = session_for(stack, self.sc.tenant_id)
        self.phone = phone
        psql("UPDATE tenants SET reminders = '{15}' WHERE id = :'p1'", self.sc.tenant_id)

    def booking_due(self, phone=None):
        email = "cliente-%s@example.com" % secrets.token_hex(5)
        slots = self.sc.slots(**{"from": today_plus(5), "days": 1})
        hold = self.sc.hold(slots[0]["start"]).json()["hold"]
        r = self.sc.book(hold["token"], email=email, name="María Pérez", phone=phone or self.phone)
        assert r.status_code == 201, r.text
        booking = r.json()["booking"]
        make_due(booking["id"], 10)
        return booking, email


def test_the_settings_are_checked_and_the_token_never_comes_back(api, stack, fakes):
    biz = Business(api, stack)
    admin = biz.admin
    bad = admin.put("/api/admin/tenant/messaging/twilio",
                    json={"account_sid": "AC12", "auth_token": "secret", "from": "4155552671",
                          "channel": "telegram"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"account_sid", "auth_token", "from", "channel"}
    assert admin.get("/api/admin/tenant").json()["tenant"]["messaging"] is None
    settings = account(fakes)
    r = admin.put("/api/admin/tenant/messaging/twilio", json=settings)
    assert r.status_code == 200, r.text
    shown = r.json()["messaging"]
    assert shown["configured"] is True and shown["account_sid"] == settings["account_sid"]
    assert shown["auth_token_last4"] == settings["auth_token"][-4:]
    assert settings["auth_token"] not in r.text
    tenant = admin.get("/api/admin/tenant")
    assert tenant.json()["tenant"]["messaging"]["channel"] == "sms"
    assert settings["auth_token"] not in tenant.text
    sealed = psql("SELECT secrets_sealed FROM tenant_messaging_settings WHERE tenant_id = :'p1'",
                  biz.sc.tenant_id)
    assert settings["auth_token"] not in sealed
    audit = admin.get("/api/admin/audit", params={"action": "tenant.messaging.twilio.update"}).json()["items"]
    assert audit[0]["changes"]["auth_token"] == "[redacted]"
    assert admin.delete("/api/admin/tenant/messaging/twilio").status_code == 204
    assert admin.get("/api/admin/tenant").json()["tenant"]["messaging"] is None
    again = admin.delete("/api/admin/tenant/messaging/twilio")
    assert again.status_code == 404 and again.json()["error"]["code"] == "messaging_not_configured"


def test_a_reminder_is_texted_once_next_to_its_mail(api, stack, fakes, maildir):
    biz = Business(api, stack)
    settings = account(fakes)
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    booking, email = biz.booking_due()
    confirmation, reminder = mails_to(maildir, email, n=2)
    sent = wait_for(lambda: texts(fakes, settings["account_sid"]), what="the text")
    assert len(sent) == 1
    sms = sent[0]
    assert sms["to"] == "+573001234567" and sms["from"] == FROM
    assert "Consulta" in sms["body"] or "te recordamos" in sms["body"]
    link = re.search(r"http\S+/book/manage/\S+", text_of(confirmation)).group(0)
    # the first text to a number says how to stop them
    assert link in sms["body"]
    assert sms["body"].endswith("\nResponde BAJA o STOP para no recibir más mensajes.")
    wait_for(lambda: outbox(booking["id"]) and outbox(booking["id"])[0] == "sent", what="recorded sent")
    assert outbox(booking["id"])[3] == sms["sid"]
    time.sleep(2.5)                      # the jobs run every second: nothing is sent twice
    assert len(texts(fakes, settings["account_sid"])) == 1
    assert len(maildir.new(to=email)) == 2
    # the text is dropped once sent, like a mail's body
    assert psql("SELECT body_sealed IS NULL FROM message_outbox WHERE reservation_id = :'p1'",
                booking["id"]) == "t"


def test_whatsapp_addresses_both_ends(api, stack, fakes, maildir):
    biz = Business(api, stack)
    settings = dict(account(fakes), channel="whatsapp")
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    biz.booking_due()
    sent = wait_for(lambda: texts(fakes, settings["account_sid"]), what="the WhatsApp message")
    assert sent[0]["to"] == "whatsapp:+573001234567" and sent[0]["from"] == "whatsapp:" + FROM


def test_an_outage_is_retried_and_the_text_arrives_once(api, stack, fakes, maildir):
    biz = Business(api, stack)
    settings = account(fakes)
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    fakes.config("twilio", status=503)
    try:
        booking, email = biz.booking_due()
        mails_to(maildir, email, n=2)            # the mail does not wait for the text
        # a claim counts the attempt before its answer is written: wait for the answer
        wait_for(lambda: outbox(booking["id"]) and int(outbox(booking["id"])[1]) >= 1
                 and outbox(booking["id"])[2], what="a failed attempt with its error")
        status, attempts, error, _ = outbox(booking["id"])
        assert status == "queued" and "Internal Server Error" in error
    finally:
        fakes.config("twilio", status=None)
    wait_for(lambda: outbox(booking["id"])[0] == "sent", timeout=20, what="sent after the outage")
    assert len(texts(fakes, settings["account_sid"])) == 1


def test_a_refused_number_is_recorded_and_the_mail_still_goes(api, stack, fakes, maildir):
    biz = Business(api, stack, phone="+573009998877")
    settings = account(fakes, unsubscribed=["+573009998877"])
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    booking, email = biz.booking_due()
    assert mails_to(maildir, email, n=2)[1]["Subject"].startswith("Recordatorio")
    wait_for(lambda: outbox(booking["id"]) and outbox(booking["id"])[0] == "failed", what="failed")
    status, attempts, error, _ = outbox(booking["id"])
    assert attempts == "1" and error.startswith("21610")
    time.sleep(2)
    assert outbox(booking["id"])[1] == "1" and texts(fakes, settings["account_sid"]) == []


def test_a_business_without_twilio_sends_mail_only(api, stack, fakes, maildir):
    biz = Business(api, stack)
    booking, email = biz.booking_due()
    mails_to(maildir, email, n=2)
    time.sleep(1.5)
    assert outbox(booking["id"]) is None
