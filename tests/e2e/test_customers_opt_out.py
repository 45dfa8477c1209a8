"""Opting out of reminders (API.md "Customer portal ("my bookings") and preferences"): every
reminder mail carries RFC 8058's List-Unsubscribe (the tenant host's one-click URL and a
mailto) with List-Unsubscribe-Post and a visible link; one POST turns reminder mails off for
that customer at that tenant and the reminder job sends them no more, while confirmations
still go. A STOP or BAJA texted to the tenant's Twilio number (the fake Twilio delivers it
signed, as Twilio does) stops text reminders; START brings them back; the first text to a
number says so. A bad signature changes nothing."""
import re
import time
from urllib.parse import urlsplit

import pytest

from conftest import psql
from customers_support import Customer, book, new_email
from payments_helpers import wait_for
from test_booking_mails import mails_to, text_of
from test_booking_reminders import make_due, reminders_of
from test_messaging import Business, account, texts

PHONE = "+573001234567"
# what a mail provider's server POSTs (RFC 8058)
ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def retire(booking_id, days_ago):
    """The booking took place `days_ago` days ago: its professional is free for the next one."""
    psql("""UPDATE reservations SET starts_at = now() - make_interval(days => :'p2'::int),
              ends_at = now() - make_interval(days => :'p2'::int) + interval '45 minutes',
              blocked = tstzrange(now() - make_interval(days => :'p2'::int),
                                  now() - make_interval(days => :'p2'::int) + interval '45 minutes')
            WHERE id = :'p1'""", booking_id, days_ago)


def unsubscribe_url(mail):
    header = re.sub(r"\s+", " ", mail["List-Unsubscribe"])
    m = re.fullmatch(r"<(http[^>]+)>, <mailto:([^>?]+)\?subject=unsubscribe>", header)
    assert m, header
    return m.group(1)


def test_one_click_turns_reminder_mails_off_and_the_job_sends_no_more(api, stack, maildir):
    biz = Business(api, stack)
    booking, email = biz.booking_due()
    confirmation, reminder = mails_to(maildir, email, n=2)
    assert confirmation["List-Unsubscribe"] is None          # a confirmation is no reminder
    url = unsubscribe_url(reminder)
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = urlsplit(url)
    assert parts.netloc.split(":")[0] == "%s.%s" % (biz.sc.subdomain, api.base_domain)
    assert parts.path == "/api/public/unsubscribe"
    assert url in text_of(reminder)                          # the visible link
    assert 'href="%s"' % url.replace("&", "&amp;") in reminder.get_body(("html",)).get_content()

    # a scanner following the visible link changes nothing: it lands on the page that asks
    page = api.get(parts.path + "?" + parts.query, host=parts.hostname)
    assert page.status_code == 303
    assert page.headers["Location"].startswith("/book/unsubscribe?token=")
    # the mail client's one click (RFC 8058: a form POST to the header's URL)
    r = api.post(parts.path + "?" + parts.query, host=parts.hostname, data=ONE_CLICK, headers=FORM)
    assert r.status_code == 200, r.text
    assert r.json() == {"reminders_email": False, "reminders_text": True, "locale": "es"}
    again = api.post(parts.path + "?" + parts.query, host=parts.hostname, data=ONE_CLICK, headers=FORM)
    assert again.status_code == 200 and again.json()["reminders_email"] is False

    # the next booking of that customer is confirmed, and its reminder is claimed but not mailed
    second = book(biz.sc, email, day=6)
    mails_to(maildir, email, n=3)
    retire(booking["id"], 2)
    make_due(second["id"], 10)
    wait_for(lambda: reminders_of(second["id"]) == 1, what="the reminder claimed")
    time.sleep(2)
    assert [m["Subject"].split(":")[0] for m in maildir.new(to=email)] == [
        "Reserva confirmada", "Recordatorio", "Reserva confirmada"]
    # the customer sees it in the portal, and can turn them back on
    me = Customer(api, biz.sc.subdomain, email).sign_in(maildir, n=4)
    assert me.get("/api/public/me/preferences").json()["reminders_email"] is False


@pytest.mark.parametrize("token", ["", "v1.00000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                   "not-a-token", "A" * 43],
                         ids=["empty", "forged", "garbage", "unknown"])
def test_a_token_that_does_not_open_changes_nothing(api, token):
    r = api.post("/api/public/unsubscribe?token=" + token, data=ONE_CLICK, headers=FORM)
    assert r.status_code == 404 and r.json()["error"]["code"] == "token_not_found"


def twilio_text(fakes, stack, settings, tenant_id, body, signature=None):
    order = {"account_sid": settings["account_sid"], "from": PHONE, "body": body,
             "url": stack["KF_URL"] + "/api/webhooks/twilio/" + tenant_id}
    if signature:
        order["signature"] = signature
    return fakes._call("POST", "/twilio/_control/inbound", json=order)


def test_stop_by_text_ends_text_reminders_and_start_brings_them_back(api, stack, fakes, maildir):
    biz = Business(api, stack, phone=PHONE)
    settings = account(fakes)
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    sid = settings["account_sid"]
    first, email = biz.booking_due()
    [sms] = wait_for(lambda: texts(fakes, sid), what="the first text")
    assert sms["body"].endswith("Responde BAJA o STOP para no recibir más mensajes.")

    # a text that is not Twilio's changes nothing
    forged = twilio_text(fakes, stack, settings, biz.sc.tenant_id, "BAJA", signature="AAAA")
    assert forged["status"] == 401 and '"invalid_signature"' in forged["body"]
    assert psql("SELECT count(*) FROM customer_text_opt_outs WHERE tenant_id = :'p1'", biz.sc.tenant_id) == "0"
    # any other words are just noted
    hello = twilio_text(fakes, stack, settings, biz.sc.tenant_id, "Gracias, allá estaré")
    assert hello["status"] == 200 and hello["content_type"].startswith("application/xml")

    stop = twilio_text(fakes, stack, settings, biz.sc.tenant_id, "baja")
    assert stop["status"] == 200 and "<Response></Response>" in stop["body"]
    # the next reminder to that number is a mail only
    retire(first["id"], 2)
    second, email2 = biz.booking_due()
    mails_to(maildir, email2, n=2)
    wait_for(lambda: reminders_of(second["id"]) == 1, what="the reminder claimed")
    time.sleep(2)
    assert len(texts(fakes, sid)) == 1
    rows = biz.admin.get("/api/admin/customers", params={"q": email2}).json()["items"]
    assert rows[0]["reminders_opt_out"] == {"email": False, "text": True}

    assert twilio_text(fakes, stack, settings, biz.sc.tenant_id, "START")["status"] == 200
    retire(second["id"], 3)
    third, email3 = biz.booking_due()
    sent = wait_for(lambda: texts(fakes, sid)[1:], what="a text again")
    assert "BAJA" not in sent[0]["body"]                    # only the first text says it
    rows = biz.admin.get("/api/admin/customers", params={"q": email2}).json()["items"]
    assert rows[0]["reminders_opt_out"] == {"email": False, "text": False}


def test_the_portal_turns_text_reminders_off(api, stack, fakes, maildir):
    biz = Business(api, stack, phone=PHONE)
    settings = account(fakes)
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    email = new_email()
    booking = book(biz.sc, email, day=5, phone=PHONE)
    me = Customer(api, biz.sc.subdomain, email).sign_in(maildir, n=2)
    assert me.patch("/api/public/me/preferences", json={"reminders_text": False}).status_code == 200
    make_due(booking["id"], 10)
    mails_to(maildir, email, n=3)                            # the reminder mail still goes
    time.sleep(2)
    assert texts(fakes, settings["account_sid"]) == []


def test_a_reply_changes_its_own_numbers_texts_and_no_addresss_preferences(api, stack, fakes, maildir):
    """A stranger who booked with her address and his own phone cannot turn her text
    reminders back on by texting START, nor off by STOP: a reply is that number's only."""
    stranger_phone = "+573009998877"
    biz = Business(api, stack, phone=PHONE)
    settings = account(fakes)
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    her = new_email()
    book(biz.sc, her, day=5, phone=PHONE)
    me = Customer(api, biz.sc.subdomain, her).sign_in(maildir, n=2)
    assert me.patch("/api/public/me/preferences", json={"reminders_text": False}).status_code == 200
    book(biz.sc, her, day=6, phone=stranger_phone)          # her address, his phone

    for word in ("START", "STOP", "START"):
        order = {"account_sid": settings["account_sid"], "from": stranger_phone, "body": word,
                 "url": stack["KF_URL"] + "/api/webhooks/twilio/" + biz.sc.tenant_id}
        assert fakes._call("POST", "/twilio/_control/inbound", json=order)["status"] == 200
        assert me.get("/api/public/me/preferences").json()["reminders_text"] is False
    assert psql("SELECT count(*) FROM customer_preferences WHERE tenant_id = :'p1'",
                biz.sc.tenant_id) == "1"
    # her own number's STOP is hers, and the stranger's START does not lift it
    assert twilio_text(fakes, stack, settings, biz.sc.tenant_id, "STOP")["status"] == 200
    assert psql("SELECT kf_text_stopped(:'p1', :'p2')", biz.sc.tenant_id, PHONE) == "t"
    assert psql("SELECT kf_text_stopped(:'p1', :'p2')", biz.sc.tenant_id, stranger_phone) == "f"


def test_stop_withholds_every_text_and_the_booking_says_so(api, stack, fakes, maildir):
    """After STOP, a reschedule and a cancellation are not texted (their mails still go):
    each is on the booking's deliveries as suppressed, and a suppressed text is not resent."""
    biz = Business(api, stack, phone=PHONE)
    settings = account(fakes)
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    email = new_email()
    booking = book(biz.sc, email, day=5, phone=PHONE)
    assert twilio_text(fakes, stack, settings, biz.sc.tenant_id, "BAJA")["status"] == 200

    r = biz.admin.post("/api/admin/bookings/%s/cancel" % booking["id"],
                       json={"reason": "Agenda cerrada", "refund": "none"})
    assert r.status_code == 200, r.text
    assert [m["Subject"].split(":")[0] for m in mails_to(maildir, email, n=2)] == [
        "Reserva confirmada", "Reserva cancelada"]
    detail = biz.admin.get("/api/admin/bookings/%s" % booking["id"]).json()["booking"]
    [text] = [d for d in detail["deliveries"] if d["channel"] == "sms"]
    assert (text["kind"], text["status"], text["error"]) == ("cancelled", "suppressed", None)
    listed = biz.admin.get("/api/admin/deliveries", params={"status": "suppressed"}).json()["items"]
    assert [d["id"] for d in listed] == [text["id"]]
    r = biz.admin.post("/api/admin/deliveries/%s/resend" % text["id"])
    assert r.status_code == 409, r.text
    time.sleep(1)
    assert texts(fakes, settings["account_sid"]) == []


def test_a_stop_after_a_text_was_queued_still_holds_it(api, stack, fakes, maildir):
    biz = Business(api, stack, phone=PHONE)
    settings = account(fakes)
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    booking = book(biz.sc, new_email(), day=5, phone=PHONE)
    # the cancellation's text waits in the queue (as one retried later would) when STOP comes
    psql("""INSERT INTO message_outbox (tenant_id, reservation_id, kind, lead_minutes, starts_at,
              recipient, body_sealed, next_attempt_at)
            SELECT tenant_id, id, 'cancelled', 0, starts_at, customer_phone,
                   'not opened: never sent', now() + interval '2 seconds'
            FROM reservations WHERE id = :'p1'""", booking["id"])
    assert twilio_text(fakes, stack, settings, biz.sc.tenant_id, "STOP")["status"] == 200
    wait_for(lambda: psql("SELECT status FROM message_outbox WHERE reservation_id = :'p1'",
                          booking["id"]) == "suppressed", what="the queued text suppressed")
    assert psql("SELECT body_sealed IS NULL FROM message_outbox WHERE reservation_id = :'p1'",
                booking["id"]) == "t"
    assert texts(fakes, settings["account_sid"]) == []
