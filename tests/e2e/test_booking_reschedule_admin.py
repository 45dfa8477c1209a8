"""The merchant moves a booking (API.md "After booking": POST /api/admin/bookings/{id}/reschedule
{"start", "professional"?}): to a slot the link offers now (the hold check), no cutoff and
no limit for the merchant, same booking and payment, the old slot free and the new one taken
at once, history, audit, the booking.rescheduled callback and the moved invite like the
customer's reschedule; 404 for another business's booking, 409 reschedule_closed for a
booking that is not paid/confirmed, 409 slot_unavailable for a start not offered, 400
validation_failed for a bad body; a refusal changes nothing."""
import hashlib
import re
import secrets

import pytest

from booking_seed import ALL_WEEK, Scenario, today_plus
from conftest import Api, psql, seed_merchant
from payments_helpers import callbacks_for, check_callback_signatures, wait_for
from test_booking_mails import invite_of, mails_to, text_of

icalendar = pytest.importorskip("icalendar")


class Shop:
    """A Scenario's business with a logged-in owner (the admin API) and a free service."""

    def __init__(self, api, stack, professionals=({"name": "Dra. Ana Restrepo"},)):
        self.sc = Scenario(api, service={"charge": "free", "price": 0, "horizon": 60, "duration": 45},
                           professionals=[dict(hours=ALL_WEEK(("09:00", "17:00")), **p)
                                          for p in professionals])
        self.admin = session_for(stack, self.sc.tenant_id)

    def book(self, day=None, email=None, professional=None):
        email = email or "cliente-%s@example.com" % secrets.token_hex(5)
        slots = self.sc.slots(**{"from": day or today_plus(5), "days": 1})
        hold = self.sc.hold(slots[0]["start"], professional=professional).json()["hold"]
        r = self.sc.book(hold["token"], email=email, name="María Pérez")
        assert r.status_code == 201, r.text
        return r.json()["booking"], email

    def starts(self, day, professional=None):
        return [s["start"] for s in self.sc.slots(**{"from": day, "days": 1},
                                                  **({"professional": professional} if professional else {}))]

    def move(self, booking_id, **body):
        return self.admin.post("/api/admin/bookings/%s/reschedule" % booking_id, json=body)


def session_for(stack, tenant_id):
    """An owner and a session of an existing tenant (the scenario's), logged in."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    user = psql("""INSERT INTO users (tenant_id, email, password_hash, email_verified_at)
                   VALUES (:'p1', :'p2', 'x', now()) RETURNING id""",
                tenant_id, "owner-%s@example.com" % secrets.token_hex(6))
    psql("""INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, idle_expires_at,
                                  absolute_expires_at)
            VALUES (:'p1', :'p2', :'p3', :'p4', now() + interval '1 hour', now() + interval '1 day')""",
         hashlib.sha256(token.encode()).hexdigest(), user, tenant_id, csrf)
    client = Api(stack)
    client.session.cookies.set("kf_session", token)
    client.session.headers["X-CSRF-Token"] = csrf
    return client


def starts_at(booking_id):
    return psql("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                "FROM reservations WHERE id = :'p1'", booking_id)


def test_the_merchant_moves_a_booking_and_availability_shows_it_at_once(api, stack, fakes, maildir):
    shop = Shop(api, stack)
    admin = shop.admin
    cb = admin.patch("/api/admin/tenant", json={"callback_url": fakes.base("merchant") + "/callback/" + shop.sc.tenant_id})
    assert cb.status_code == 200, cb.text
    secret = admin.post("/api/admin/tenant/callback-secret").json()["secret"]
    booking, email = shop.book()
    # past every cutoff and limit a customer has: the merchant still moves it
    psql("UPDATE tenants SET reschedule_cutoff_hours = 720, max_reschedules = 0 WHERE id = :'p1'",
         shop.sc.tenant_id)
    day = today_plus(6)
    new_start = shop.starts(day)[4]
    r = shop.move(booking["id"], start=new_start)
    assert r.status_code == 200, r.text
    moved = r.json()["booking"]
    assert moved["id"] == booking["id"] and moved["start"] == new_start
    assert moved["status"] in ("paid", "confirmed") and moved["professional"] == shop.sc.professional_id
    # at once: the old time is offered again, the new one is not
    assert booking["start"] in shop.starts(booking["start"][:10])
    assert new_start not in shop.starts(day)
    # the detail's history says it moved; the audit names the merchant
    detail = admin.get("/api/admin/bookings/" + booking["id"]).json()["booking"]
    assert detail["start"] == new_start
    reasons = [h["reason"] for h in detail["history"]]
    assert reasons.count("rescheduled") == 1, reasons
    # the paid callback's acknowledgement (paid -> confirmed) may land before or after the move
    assert set(reasons[reasons.index("rescheduled") + 1:]) <= {"callback_acknowledged"}, reasons
    audit = admin.get("/api/admin/audit", params={"action": "booking.reschedule"}).json()["items"]
    assert audit[0]["changes"] == {"start": new_start, "professional_id": shop.sc.professional_id,
                                   "by": "merchant"}
    # the customer gets the moved invite: same UID, SEQUENCE + 1, the new time
    confirmation, moved_mail = mails_to(maildir, email, n=2)
    assert moved_mail["Subject"] == "Tu reserva cambió de hora: Consulta general"
    # with the booking's page, the same link as the confirmation's
    link = re.search(r"http\S+/book/manage/\S+", text_of(confirmation)).group(0)
    assert link in text_of(moved_mail)
    first, event = invite_of(confirmation), invite_of(moved_mail)
    assert str(event["UID"]) == str(first["UID"]) and int(event["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert event["DTSTART"].dt.isoformat().replace("+00:00", "Z") == new_start
    # the merchant's server hears booking.rescheduled, signed
    got = wait_for(lambda: [c for c in callbacks_for(fakes, shop.sc)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.rescheduled"],
                   what="booking.rescheduled")
    body = check_callback_signatures(got[0], secret)
    assert body["booking_id"] == booking["id"]
    # reminders are armed for the new start (none sent yet for it)
    assert psql("SELECT count(*) FROM reservations WHERE id = :'p1' AND reschedule_count = 1",
                booking["id"]) == "1"


def test_to_another_professional_of_the_service(api, stack):
    shop = Shop(api, stack, professionals=({"name": "Dra. Ana"}, {"name": "Dr. Beto"}))
    ana, beto = shop.sc.professionals
    booking, _ = shop.book(professional=ana)
    day = today_plus(7)
    start = shop.starts(day, professional=beto)[2]
    r = shop.move(booking["id"], start=start, professional=beto)
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["professional"] == beto
    assert start not in shop.starts(day, professional=beto)
    assert start in shop.starts(day, professional=ana)
    assert booking["start"] in shop.starts(booking["start"][:10], professional=ana)


def test_a_taken_or_unoffered_start_is_refused_and_changes_nothing(api, stack):
    shop = Shop(api, stack)
    booking, _ = shop.book()
    other, _ = shop.book(day=today_plus(6))
    holds_before = psql("SELECT count(*) FROM reservations WHERE tenant_id = :'p1'", shop.sc.tenant_id)
    for start in (other["start"],                          # another booking's time
                  today_plus(6) + "T03:00:00Z",            # 22:00 in Bogotá: outside hours
                  today_plus(6) + "T14:07:00Z"):           # off the 15-minute grid
        r = shop.move(booking["id"], start=start)
        assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable", (start, r.text)
    assert starts_at(booking["id"]) == booking["start"]
    # no hold was left behind by the refusals
    assert psql("SELECT count(*) FROM reservations WHERE tenant_id = :'p1'", shop.sc.tenant_id) == holds_before
    assert psql("SELECT count(*) FROM reservation_history h JOIN reservations r ON r.id = h.reservation_id"
                " WHERE r.id = :'p1' AND h.reason = 'rescheduled'", booking["id"]) == "0"


def test_bad_bodies_are_field_errors(api, stack):
    shop = Shop(api, stack)
    booking, _ = shop.book()
    for body, field in (({}, "start"), ({"start": 5}, "start"), ({"start": "mañana"}, "start"),
                        ({"start": today_plus(6) + "T14:00:00Z", "professional": "x"}, "professional"),
                        ({"start": today_plus(6) + "T14:00:00Z", "professional": 3}, "professional")):
        r = shop.move(booking["id"], **body)
        assert r.status_code == 400, r.text
        err = r.json()["error"]
        assert err["code"] == "validation_failed" and field in err["fields"], (body, r.text)
    # a professional of another business (or one who does not offer the service)
    stranger = Scenario(api).professional_id
    r = shop.move(booking["id"], start=shop.starts(today_plus(6))[0], professional=stranger)
    assert r.status_code == 400 and "professional" in r.json()["error"]["fields"], r.text
    assert starts_at(booking["id"]) == booking["start"]


def test_another_business_booking_is_not_found(api, stack):
    shop = Shop(api, stack)
    booking, _ = shop.book()
    other = seed_merchant(stack)
    start = shop.starts(today_plus(6))[0]
    r = other.api.post("/api/admin/bookings/%s/reschedule" % booking["id"], json={"start": start})
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    r = shop.move("00000000-0000-4000-8000-000000000000", start=start)
    assert r.status_code == 404
    assert starts_at(booking["id"]) == booking["start"] and start in shop.starts(today_plus(6))
    # and without the CSRF token nothing happens either
    del shop.admin.session.headers["X-CSRF-Token"]
    assert shop.move(booking["id"], start=start).status_code == 403


def test_a_cancelled_booking_cannot_be_moved(api, stack):
    shop = Shop(api, stack)
    booking, _ = shop.book()
    r = shop.admin.post("/api/admin/bookings/%s/cancel" % booking["id"], json={"reason": "Cierre"})
    assert r.status_code == 200, r.text
    start = shop.starts(today_plus(6))[0]
    r = shop.move(booking["id"], start=start)
    assert r.status_code == 409 and r.json()["error"]["code"] == "reschedule_closed"
    assert start in shop.starts(today_plus(6))


def test_the_manage_page_is_told_what_the_customer_may_do(api, stack):
    shop = Shop(api, stack)
    booking, _ = shop.book()
    get = lambda: api.get("/api/public/bookings/%s" % booking["id"], params={"token": booking["token"]}).json()["booking"]
    b = get()
    assert b["link"] == shop.sc.slug
    assert b["actions"] == {"cancel": True, "reschedule": True, "reschedules_left": 2}
    psql("UPDATE tenants SET reschedule_cutoff_hours = 720 WHERE id = :'p1'", shop.sc.tenant_id)
    assert get()["actions"] == {"cancel": True, "reschedule": False, "reschedules_left": 2}
    psql("UPDATE tenants SET reschedule_cutoff_hours = 0, max_reschedules = 0 WHERE id = :'p1'", shop.sc.tenant_id)
    assert get()["actions"]["reschedule"] is False
    shop.admin.post("/api/admin/bookings/%s/cancel" % booking["id"], json={"reason": "Cierre"})
    assert get()["actions"] == {"cancel": False, "reschedule": False, "reschedules_left": 0}
