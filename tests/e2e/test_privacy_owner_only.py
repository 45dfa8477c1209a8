"""Erasure takes only what belongs to its owner (API.md "Customers", docs/privacy.md): the
personal data of the erased bookings, and the preferences, portal sessions and sign-in links
of the address that asked. A stranger who types someone else's address into a name field, or
books with someone else's address and number and never pays, erases nothing of hers: her
number's STOP, her preferences, her portal session, the mail log to her and to the business,
and every audit row that is not the erased booking's stay exactly as they were."""
import secrets

import pytest

from conftest import psql
from payments_helpers import count, wait_for
from test_customers_own_data import signed_in
from test_messaging import account
from test_privacy import customer, paid_booking, shop, where_found  # noqa: F401 (fixture)


def twilio_text(fakes, stack, settings, tenant_id, number, body):
    """A text from `number` to the tenant's Twilio number, signed as Twilio signs it."""
    order = {"account_sid": settings["account_sid"], "from": number, "body": body,
             "url": stack["KF_URL"] + "/api/webhooks/twilio/" + tenant_id}
    r = fakes._call("POST", "/twilio/_control/inbound", json=order)
    assert r["status"] == 200, r
    return r


def stopped(tenant_id, number):
    return psql("SELECT kf_text_stopped(:'p1', :'p2')", tenant_id, number) == "t"


def snapshot(tenant_id, victim, agenda, spared_booking):
    """What the victim and the business own, as the database holds it."""
    return {
        "mails": psql("""SELECT string_agg(recipient || '|' || subject || '|' || md5(body_text)
                                           || '|' || coalesce(sent_at::text, ''), E'\\n' ORDER BY id)
                         FROM mail_outbox WHERE tenant_id = :'p1'
                          AND lower(recipient) IN (lower(:'p2'), lower(:'p3'))""",
                      tenant_id, victim["email"], agenda),
        "audit": psql("""SELECT string_agg(id || '|' || action || '|' || changes::text, E'\\n'
                                           ORDER BY id)
                         FROM audit_log WHERE tenant_id = :'p1'""", tenant_id),
        "preferences": psql("""SELECT reminders_email || ' ' || reminders_text FROM customer_preferences
                               WHERE tenant_id = :'p1' AND email = lower(:'p2')""",
                            tenant_id, victim["email"]),
        "booking": psql("""SELECT customer_name || '|' || customer_email || '|' || customer_phone
                           FROM reservations WHERE id = :'p1'""", spared_booking),
    }


@pytest.fixture
def victim(api, maildir, stack, fakes, shop, merchant):
    """A customer with everything the attacks used to take: a paid booking (its mails to her
    and to the business's agenda address, which an audit row names), an audit row of the
    merchant correcting her number, a portal session, reminders by text turned off there, and
    a STOP from her phone."""
    agenda = "agenda-%s@clinica.example" % secrets.token_hex(4)
    assert merchant.api.patch("/api/admin/tenant",
                              json={"notification_email": agenda}).status_code == 200
    settings = account(fakes)
    r = merchant.api.put("/api/admin/tenant/messaging/twilio", json=settings)
    assert r.status_code == 200, r.text
    who = customer()
    first_phone, who["phone"] = who["phone"], "+57310%07d" % secrets.randbelow(10**7)
    who_then = dict(who, phone=first_phone)
    booking, _ = paid_booking(shop, who_then)
    r = merchant.api.patch("/api/admin/bookings/%s" % booking, json={"customer": {"phone": who["phone"]}})
    assert r.status_code == 200, r.text
    wait_for(lambda: count("SELECT count(*) FROM mail_outbox WHERE reservation_id = :'p1'"
                           " AND recipient = :'p2' AND sent_at IS NOT NULL", booking, agenda) > 0,
             what="the business told of her booking")
    me = signed_in(api, maildir, merchant, who["email"])
    assert me.patch("/api/public/me/preferences", json={"reminders_text": False}).status_code == 200
    twilio_text(fakes, stack, settings, shop.tenant_id, who["phone"], "STOP")
    assert stopped(shop.tenant_id, who["phone"])
    # the audit names the business's agenda address (the settings change that set it)
    assert count("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1'"
                 " AND changes::text LIKE '%%' || :'p2' || '%%'", shop.tenant_id, agenda) == 1
    return {"who": who, "booking": booking, "agenda": agenda, "me": me, "settings": settings}


def seed_attempt(shop, name, email, phone, status="pending_payment"):
    """A booking as its author typed it (the name field takes any printable text)."""
    booking, _ = shop.pending_booking(status=status)
    psql("""UPDATE reservations SET customer_name = :'p2', customer_email = :'p3',
              customer_phone = :'p4' WHERE id = :'p1'""", booking, name, email, phone)
    return booking


def assert_victim_untouched(shop, victim, before):
    who = victim["who"]
    assert stopped(shop.tenant_id, who["phone"]), "her STOP was erased"
    after = snapshot(shop.tenant_id, who, victim["agenda"], victim["booking"])
    assert after["preferences"] == before["preferences"] == "true false"
    assert after["mails"] == before["mails"] and before["mails"]
    assert after["booking"] == before["booking"]
    # the audit gained rows (the erasure's own), and every row there before reads the same
    assert after["audit"].startswith(before["audit"])
    r = victim["me"].get("/api/public/me/bookings")
    assert r.status_code == 200, r.text
    assert [b["id"] for b in r.json()["items"]] == [victim["booking"]]


def assert_erased(booking, *values):
    row = psql("SELECT customer_name || '|' || coalesce(customer_email, '-') || '|'"
               " || coalesce(customer_phone, '-') || '|' || (erased_at IS NOT NULL)"
               " FROM reservations WHERE id = :'p1'", booking)
    assert row == "[erased]|-|-|true"
    if values:
        assert where_found(values) == []


def test_a_name_that_is_her_address_erases_nothing_of_hers(api, maildir, shop, merchant, victim):
    who = victim["who"]
    stranger = customer()
    # two bookings of the stranger's own address: her address, then the business's agenda
    # address as the name, her phone as the phone
    typed_her = seed_attempt(shop, who["email"], stranger["email"], who["phone"], status="expired")
    typed_agenda = seed_attempt(shop, victim["agenda"], stranger["email"], who["phone"],
                                status="expired")
    before = snapshot(shop.tenant_id, who, victim["agenda"], victim["booking"])

    # the stranger asks the portal to erase them, and the business erases by itself
    assert merchant.api.patch("/api/admin/tenant", json={"erasure_auto_days": 1}).status_code == 200
    me = signed_in(api, maildir, merchant, stranger["email"], victim["me"].subdomain)
    r = me.post("/api/public/me/erasure")
    assert r.status_code == 202, r.text
    request = r.json()["id"]
    psql("UPDATE erasure_requests SET requested_at = now() - interval '2 days' WHERE id = :'p1'",
         request)
    wait_for(lambda: psql("SELECT status FROM erasure_requests WHERE id = :'p1'", request)
             == "erased", what="the request carried out")
    assert psql("SELECT erased_by || ' ' || erased_bookings FROM erasure_requests WHERE id = :'p1'",
                request) == "automatic 2"

    assert_erased(typed_her)
    assert_erased(typed_agenda, stranger["email"])
    assert_victim_untouched(shop, victim, before)
    # the stranger's own session is the one that ended
    assert me.get("/api/public/me/bookings").status_code == 401


def test_an_abandoned_booking_in_her_name_erases_only_itself(shop, merchant, victim):
    who = victim["who"]
    # started with her address and number, never paid, given up 31 days ago
    abandoned = seed_attempt(shop, "Impostor %s" % secrets.token_hex(3), who["email"], who["phone"],
                             status="expired")
    psql("UPDATE reservations SET expires_at = NULL, updated_at = now() - interval '31 days'"
         " WHERE id = :'p1'", abandoned)
    before = snapshot(shop.tenant_id, who, victim["agenda"], victim["booking"])

    wait_for(lambda: psql("SELECT erased_at IS NOT NULL FROM reservations WHERE id = :'p1'",
                          abandoned) == "t", what="the abandoned booking erased")
    assert_erased(abandoned)
    assert_victim_untouched(shop, victim, before)


def test_an_erased_customers_stop_keeps_blocking_texts(shop, merchant, fakes, victim):
    who = victim["who"]
    r = merchant.api.post("/api/admin/customers/erase", json={"email": who["email"]})
    assert r.status_code == 200 and r.json() == {"erased_bookings": 1}, r.text
    # her number appears nowhere any more, and its STOP still holds
    assert where_found([who["email"], who["name"], who["phone"], who["phone"][1:]]) == []
    assert stopped(shop.tenant_id, who["phone"])
    # her preferences and portal session were hers to lose: the merchant erased her address
    assert count("SELECT count(*) FROM customer_preferences WHERE tenant_id = :'p1'"
                 " AND email = lower(:'p2')", shop.tenant_id, who["email"]) == 0
    assert victim["me"].get("/api/public/me/bookings").status_code == 401

    # she books again with the same number: its cancellation is not texted, and says so
    again = customer()
    again["phone"] = who["phone"]
    booking, _ = paid_booking(shop, again)
    r = merchant.api.post("/api/admin/bookings/%s/cancel" % booking,
                          json={"reason": "Agenda cerrada", "refund": "none"})
    assert r.status_code == 200, r.text
    detail = merchant.api.get("/api/admin/bookings/%s" % booking).json()["booking"]
    texts = [d for d in detail["deliveries"] if d["channel"] == "sms"]
    assert [(d["kind"], d["status"]) for d in texts] == [("cancelled", "suppressed")]
    sid = victim["settings"]["account_sid"]
    assert [m for m in fakes._call("GET", "/twilio/_control/messages")["messages"]
            if m["account_sid"] == sid] == []
