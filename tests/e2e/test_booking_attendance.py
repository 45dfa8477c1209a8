"""After the appointment (API.md "Admin API"): the merchant marks a paid or confirmed booking
`completed` or `no_show` once its end has passed (POST /api/admin/bookings/{id}/complete and
/no-show); before its end, from any other state or the same mark again it is 409
invalid_transition, another business's booking 404 (changing a mark within its day:
test_booking_mark_changes.py); each mark is in the history and the audit, and the merchant's
server hears booking.completed / booking.no_show, signed; the metrics count both and the
no-show rate between them. A booking nobody marks becomes
`completed` auto_complete_hours (a tenant setting, 0-720, default 24) after its end, through
the same state machine, by a job."""
import secrets
import time

from conftest import psql, render_conf, start_extra_httpd
from payments_helpers import callbacks_for, check_callback_signatures, wait_for
from test_booking_reschedule_admin import Shop


def ended(booking_id, hours_ago=2):
    """The booking moved into the past: it ended `hours_ago` hours ago."""
    psql("""UPDATE reservations SET
              starts_at = now() - make_interval(hours => :'p2'::int) - (ends_at - starts_at),
              blocked = tstzrange(now() - make_interval(hours => :'p2'::int) - (ends_at - starts_at)
                                  - (starts_at - lower(blocked)),
                                  now() - make_interval(hours => :'p2'::int) + (upper(blocked) - ends_at)),
              ends_at = now() - make_interval(hours => :'p2'::int)
            WHERE id = :'p1'""", booking_id, hours_ago)


def status_of(booking_id):
    return psql("SELECT status FROM reservations WHERE id = :'p1'", booking_id)


def with_callbacks(shop, fakes):
    url = fakes.base("merchant") + "/callback/" + shop.sc.tenant_id
    assert shop.admin.patch("/api/admin/tenant", json={"callback_url": url}).status_code == 200
    return shop.admin.post("/api/admin/tenant/callback-secret").json()["secret"]


def test_the_merchant_marks_completed_and_no_show_after_the_end(api, stack, fakes):
    shop = Shop(api, stack)
    secret = with_callbacks(shop, fakes)
    came, _ = shop.book()
    absent, _ = shop.book()
    # before its end: refused, nothing changes
    r = shop.admin.post("/api/admin/bookings/%s/complete" % came["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition", r.text
    assert status_of(came["id"]) in ("paid", "confirmed")
    ended(came["id"])
    ended(absent["id"], hours_ago=3)

    r = shop.admin.post("/api/admin/bookings/%s/complete" % came["id"])
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["id"] == came["id"] and r.json()["booking"]["status"] == "completed"
    r = shop.admin.post("/api/admin/bookings/%s/no-show" % absent["id"])
    assert r.status_code == 200 and r.json()["booking"]["status"] == "no_show", r.text

    # the same mark again is refused and the first stands
    r = shop.admin.post("/api/admin/bookings/%s/no-show" % absent["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert status_of(absent["id"]) == "no_show"

    # the list, the detail's history and the audit say so
    detail = shop.admin.get("/api/admin/bookings/" + came["id"]).json()["booking"]
    assert detail["status"] == "completed"
    assert detail["history"][-1]["reason"] == "completed"
    listed = shop.admin.get("/api/admin/bookings", params={"status": "no_show"}).json()["items"]
    assert [b["id"] for b in listed] == [absent["id"]]
    audit = shop.admin.get("/api/admin/audit", params={"action": "booking.no_show"}).json()["items"]
    assert audit[0]["entity_id"] == absent["id"] and audit[0]["changes"]["status"] == "no_show"

    # the metrics count them: one of two marked appointments was missed
    metrics = shop.admin.get("/api/admin/metrics").json()
    assert (metrics["completed"], metrics["no_shows"], metrics["no_show_rate"]) == (1, 1, 0.5)

    # the merchant's server hears each, signed, with the booking's facts
    for booking, event in ((came, "booking.completed"), (absent, "booking.no_show")):
        got = wait_for(lambda: [c for c in callbacks_for(fakes, shop.sc)
                                if c["headers"]["X-Konfirmado-Event"] == event], what=event)
        body = check_callback_signatures(got[0], secret)
        assert body["evento"] == event and body["booking_id"] == booking["id"]

    # the customer's page shows the booking as it is now, and cancelling is closed
    status = api.get("/api/public/bookings/%s" % came["id"], params={"token": came["token"]})
    assert status.status_code == 200 and status.json()["booking"]["status"] == "completed"
    r = shop.admin.post("/api/admin/bookings/%s/cancel" % came["id"], json={"reason": "Se cerró la agenda", "refund": "none"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "cancel_closed"


def test_what_cannot_be_marked(api, stack):
    shop = Shop(api, stack)
    other = Shop(api, stack)
    theirs, _ = other.book()
    ended(theirs["id"])
    r = shop.admin.post("/api/admin/bookings/%s/complete" % theirs["id"])
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    r = shop.admin.post("/api/admin/bookings/not-a-uuid/no-show")
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    # a cancelled booking is not marked, even after its end
    mine, _ = shop.book()
    assert shop.admin.post("/api/admin/bookings/%s/cancel" % mine["id"],
                           json={"reason": "Se cerró la agenda", "refund": "none"}).status_code == 200
    ended(mine["id"])
    r = shop.admin.post("/api/admin/bookings/%s/no-show" % mine["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert status_of(mine["id"]) == "cancelled"
    assert status_of(theirs["id"]) in ("paid", "confirmed")
    # without a session: 401, nothing changes
    assert api.post("/api/admin/bookings/%s/complete" % theirs["id"]).status_code == 401


def test_auto_complete_hours_is_a_tenant_setting(api, stack):
    shop = Shop(api, stack)
    assert shop.admin.get("/api/admin/tenant").json()["tenant"]["auto_complete_hours"] == 24
    for bad in (-1, 721, "24", 2.5):
        r = shop.admin.patch("/api/admin/tenant", json={"auto_complete_hours": bad})
        assert r.status_code == 400 and "auto_complete_hours" in r.json()["error"]["fields"], r.text
    r = shop.admin.patch("/api/admin/tenant", json={"auto_complete_hours": 3})
    assert r.status_code == 200 and r.json()["tenant"]["auto_complete_hours"] == 3


def test_a_booking_nobody_marks_is_completed_by_the_job(api, stack, fakes):
    shop = Shop(api, stack)
    with_callbacks(shop, fakes)
    assert shop.admin.patch("/api/admin/tenant", json={"auto_complete_hours": 3}).status_code == 200
    due, _ = shop.book()
    recent, _ = shop.book()
    marked, _ = shop.book()
    ended(due["id"], hours_ago=4)       # past the tenant's 3 hours
    ended(recent["id"], hours_ago=2)    # not yet
    ended(marked["id"], hours_ago=5)
    assert shop.admin.post("/api/admin/bookings/%s/no-show" % marked["id"]).status_code == 200
    with start_extra_httpd(render_conf({}, add=["KonfirmadoExpiryInterval 1"])):
        wait_for(lambda: status_of(due["id"]) == "completed", timeout=20, what="the auto-complete job")
        time.sleep(2)
    assert status_of(recent["id"]) in ("paid", "confirmed")
    assert status_of(marked["id"]) == "no_show"
    assert psql("SELECT reason FROM reservation_history WHERE reservation_id = :'p1' "
                "ORDER BY id DESC LIMIT 1", due["id"]) == "completed_automatically"
    wait_for(lambda: [c for c in callbacks_for(fakes, shop.sc)
                      if c["headers"]["X-Konfirmado-Event"] == "booking.completed"],
             what="booking.completed")


def test_auto_completion_waits_for_the_merchants_window(api, stack, fakes):
    """The job leaves a booking alone for the auto_complete_hours after its end, the
    merchant's time to mark it; inside them the merchant marks a no-show. An automatic
    completion is a mark like the merchant's: changed to a no-show within a day of it
    (test_booking_mark_changes.py), final after that day, the first state standing."""
    shop = Shop(api, stack)
    with_callbacks(shop, fakes)
    assert shop.admin.patch("/api/admin/tenant", json={"auto_complete_hours": 3}).status_code == 200
    inside, _ = shop.book()
    past, _ = shop.book()
    ended(inside["id"], hours_ago=2)    # 1 hour of the window left
    ended(past["id"], hours_ago=4)      # the window closed an hour ago
    with start_extra_httpd(render_conf({}, add=["KonfirmadoExpiryInterval 1"])):
        # the run that completes `past` has looked at `inside` too
        wait_for(lambda: status_of(past["id"]) == "completed", timeout=20, what="the auto-complete job")
    assert status_of(inside["id"]) in ("paid", "confirmed")

    r = shop.admin.post("/api/admin/bookings/%s/no-show" % inside["id"])
    assert r.status_code == 200 and r.json()["booking"]["status"] == "no_show", r.text
    # a day after its completion (its history moved back by as much)
    psql("UPDATE reservation_history SET created_at = created_at - interval '25 hours'"
         " WHERE reservation_id = :'p1'", past["id"])
    r = shop.admin.post("/api/admin/bookings/%s/no-show" % past["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition", r.text
    assert status_of(past["id"]) == "completed"
    detail = shop.admin.get("/api/admin/bookings/" + past["id"]).json()["booking"]
    assert [h["reason"] for h in detail["history"]][-1] == "completed_automatically"
    got = wait_for(lambda: [c for c in callbacks_for(fakes, shop.sc)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.no_show"],
                   what="booking.no_show")
    assert [c["body"] for c in got if inside["id"] in c["body"]]
