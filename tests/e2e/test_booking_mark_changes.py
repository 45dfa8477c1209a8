"""A mark is not final for a day (API.md "Admin API"): within 24 hours of a booking's mark
(the merchant's, or the auto-complete job's) the merchant changes it to the other one with
the same endpoints (POST /complete on a no_show, /no-show on a completed booking: 200, the
new state's callback) or takes it back with DELETE /api/admin/bookings/{id}/mark (200, the
status it had before the mark, no callback); after those 24 hours the mark is final (409
invalid_transition). Every change is in the booking's history. A booking whose mark was
taken back is never completed again by the job: its merchant marks it.

Time moves as in test_booking_attendance.py: the booking's end, and the moment of its mark
(its history line), are written into the past in the database."""
import time

from conftest import psql, render_conf, start_extra_httpd
from payments_helpers import callbacks_for, check_callback_signatures, wait_for
from test_booking_attendance import ended, status_of, with_callbacks
from test_booking_reschedule_admin import Shop


def marked_hours_ago(booking_id, hours):
    """The booking's mark, made a moment ago, made `hours` hours ago: its whole history moved
    back by as much, in the same order."""
    psql("""UPDATE reservation_history SET created_at = created_at - make_interval(hours => :'p2'::int)
             WHERE reservation_id = :'p1'""", booking_id, hours)


def queued(booking_id, event):
    """How many callbacks of `event` were queued for the booking (in the transaction of the
    change that queued them: a change that queues none will never send one)."""
    return int(psql("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'"
                    " AND event = :'p2'", booking_id, event))


def events_sent(fakes, shop, booking_id, event):
    return [c for c in callbacks_for(fakes, shop.sc)
            if c["headers"]["X-Konfirmado-Event"] == event and booking_id in c["body"]]


def confirmed_booking(shop):
    """A booking the merchant's server acknowledged (confirmed), ended two hours ago."""
    booking, _ = shop.book()
    wait_for(lambda: status_of(booking["id"]) == "confirmed", what="booking.paid acknowledged")
    ended(booking["id"])
    return booking


def detail(shop, booking_id):
    return shop.admin.get("/api/admin/bookings/" + booking_id).json()["booking"]


def test_the_merchant_changes_a_mark_within_a_day(api, stack, fakes):
    shop = Shop(api, stack)
    secret = with_callbacks(shop, fakes)
    booking = confirmed_booking(shop)
    url = "/api/admin/bookings/%s/" % booking["id"]
    assert shop.admin.post(url + "complete").status_code == 200
    assert detail(shop, booking["id"])["mark_changeable_until"] is not None
    marked_hours_ago(booking["id"], 23)

    # the wrong button: the other mark replaces it, and the merchant's server hears it
    r = shop.admin.post(url + "no-show")
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["status"] == "no_show" and status_of(booking["id"]) == "no_show"
    got = wait_for(lambda: events_sent(fakes, shop, booking["id"], "booking.no_show"), what="booking.no_show")
    assert check_callback_signatures(got[0], secret)["booking_id"] == booking["id"]
    # the same mark again changes nothing
    r = shop.admin.post(url + "no-show")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition", r.text

    # and back: every change sends the callback of the state it makes
    r = shop.admin.post(url + "complete")
    assert r.status_code == 200 and r.json()["booking"]["status"] == "completed", r.text
    assert queued(booking["id"], "booking.completed") == 2
    assert queued(booking["id"], "booking.no_show") == 1
    wait_for(lambda: len(events_sent(fakes, shop, booking["id"], "booking.completed")) == 2,
             what="the second booking.completed")

    # the history has each change, the audit each click
    moves = [(h["from"], h["to"], h["reason"]) for h in detail(shop, booking["id"])["history"]][-3:]
    assert moves == [("confirmed", "completed", "completed"), ("completed", "no_show", "no_show"),
                     ("no_show", "completed", "completed")]
    audit = shop.admin.get("/api/admin/audit", params={"action": "booking.no_show"}).json()["items"]
    assert audit[0]["changes"] == {"from": "completed", "status": "no_show"}


def test_after_a_day_the_mark_is_final(api, stack, fakes):
    shop = Shop(api, stack)
    with_callbacks(shop, fakes)
    booking = confirmed_booking(shop)
    url = "/api/admin/bookings/%s/" % booking["id"]
    assert shop.admin.post(url + "no-show").status_code == 200
    marked_hours_ago(booking["id"], 25)
    before = int(psql("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'", booking["id"]))

    for method, path in (("post", "complete"), ("delete", "mark")):
        r = getattr(shop.admin, method)(url + path)
        assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition", r.text
    assert status_of(booking["id"]) == "no_show"
    assert detail(shop, booking["id"])["mark_changeable_until"] is None
    assert int(psql("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'",
                    booking["id"])) == before


def test_undo_gives_back_the_status_before_the_mark_and_sends_nothing(api, stack, fakes):
    shop = Shop(api, stack)
    with_callbacks(shop, fakes)
    booking = confirmed_booking(shop)
    url = "/api/admin/bookings/%s/" % booking["id"]
    assert shop.admin.post(url + "complete").status_code == 200
    assert shop.admin.post(url + "no-show").status_code == 200
    # the figures count the mark that stands
    metrics = shop.admin.get("/api/admin/metrics").json()
    assert (metrics["completed"], metrics["no_shows"]) == (0, 1)
    changes_before = len(detail(shop, booking["id"])["history"])
    sent_before = int(psql("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'",
                           booking["id"]))

    r = shop.admin.delete(url + "mark")
    assert r.status_code == 200, r.text
    assert r.json()["booking"] == {"id": booking["id"], "status": "confirmed",
                                   "start": r.json()["booking"]["start"], "end": r.json()["booking"]["end"]}
    assert status_of(booking["id"]) == "confirmed"
    # no callback: none was queued with the undo
    assert int(psql("SELECT count(*) FROM merchant_callbacks WHERE reservation_id = :'p1'",
                    booking["id"])) == sent_before
    seen = detail(shop, booking["id"])
    assert len(seen["history"]) == changes_before + 1
    last = seen["history"][-1]
    assert (last["from"], last["to"], last["reason"]) == ("no_show", "confirmed", "mark_undone")
    assert seen["mark_changeable_until"] is None
    audit = shop.admin.get("/api/admin/audit", params={"action": "booking.mark_undone"}).json()["items"]
    assert audit[0]["entity_id"] == booking["id"] and audit[0]["changes"] == {"from": "no_show", "status": "confirmed"}
    metrics = shop.admin.get("/api/admin/metrics").json()
    assert (metrics["completed"], metrics["no_shows"]) == (0, 0)

    # unmarked again: nothing to undo; a new mark is a mark like the first
    r = shop.admin.delete(url + "mark")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition", r.text
    r = shop.admin.post(url + "complete")
    assert r.status_code == 200 and r.json()["booking"]["status"] == "completed", r.text
    assert queued(booking["id"], "booking.completed") == 2

    # a free (paid, never acknowledged) booking goes back to paid
    plain = Shop(api, stack)
    unseen, _ = plain.book()
    ended(unseen["id"])
    assert status_of(unseen["id"]) == "paid"
    assert plain.admin.post("/api/admin/bookings/%s/no-show" % unseen["id"]).status_code == 200
    r = plain.admin.delete("/api/admin/bookings/%s/mark" % unseen["id"])
    assert r.status_code == 200 and r.json()["booking"]["status"] == "paid", r.text


def test_what_cannot_be_undone(api, stack):
    shop = Shop(api, stack)
    other = Shop(api, stack)
    theirs, _ = other.book()
    ended(theirs["id"])
    assert other.admin.post("/api/admin/bookings/%s/complete" % theirs["id"]).status_code == 200
    r = shop.admin.delete("/api/admin/bookings/%s/mark" % theirs["id"])
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    r = shop.admin.delete("/api/admin/bookings/not-a-uuid/mark")
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"
    assert api.delete("/api/admin/bookings/%s/mark" % theirs["id"]).status_code == 401
    assert status_of(theirs["id"]) == "completed"

    # the time it held was taken since the mark (a slot's buffer after its end): the booking
    # cannot hold it again, so the mark stays
    mine, _ = shop.book()
    ended(mine["id"])
    assert shop.admin.post("/api/admin/bookings/%s/complete" % mine["id"]).status_code == 200
    psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                                      ends_at, blocked, expires_at)
            SELECT tenant_id, service_id, professional_id, 'held', ends_at, ends_at + interval '5 minutes',
                   tstzrange(lower(blocked), upper(blocked) + interval '5 minutes'), now() + interval '10 minutes'
              FROM reservations WHERE id = :'p1'""", mine["id"])
    r = shop.admin.delete("/api/admin/bookings/%s/mark" % mine["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable", r.text
    assert status_of(mine["id"]) == "completed"


def test_an_auto_completed_booking_is_marked_a_no_show_within_a_day(api, stack, fakes):
    shop = Shop(api, stack)
    with_callbacks(shop, fakes)
    assert shop.admin.patch("/api/admin/tenant", json={"auto_complete_hours": 3}).status_code == 200
    done, _ = shop.book()
    ended(done["id"], hours_ago=4)
    with start_extra_httpd(render_conf({}, add=["KonfirmadoExpiryInterval 1"])):
        wait_for(lambda: status_of(done["id"]) == "completed", timeout=20, what="the auto-complete job")
    assert detail(shop, done["id"])["status_reason"] == "completed_automatically"
    marked_hours_ago(done["id"], 20)

    r = shop.admin.post("/api/admin/bookings/%s/no-show" % done["id"])
    assert r.status_code == 200 and r.json()["booking"]["status"] == "no_show", r.text
    wait_for(lambda: events_sent(fakes, shop, done["id"], "booking.no_show"), what="booking.no_show")


def test_the_job_does_not_complete_an_undone_booking_again(api, stack, fakes):
    """Taken back, the booking waits for its merchant: the job's next runs leave it alone
    (with auto_complete_hours 0 too, where counting again from the undo would complete it
    a second later)."""
    shop = Shop(api, stack)
    with_callbacks(shop, fakes)
    assert shop.admin.patch("/api/admin/tenant", json={"auto_complete_hours": 0}).status_code == 200
    undone, _ = shop.book()
    ended(undone["id"], hours_ago=30)
    with start_extra_httpd(render_conf({}, add=["KonfirmadoExpiryInterval 1"])):
        wait_for(lambda: status_of(undone["id"]) == "completed", timeout=20, what="the auto-complete job")
        r = shop.admin.delete("/api/admin/bookings/%s/mark" % undone["id"])
        assert r.status_code == 200 and r.json()["booking"]["status"] in ("paid", "confirmed"), r.text
        # a booking due after the undo: the run that completes it has looked at the undone one
        witness, _ = shop.book()
        ended(witness["id"], hours_ago=1)
        wait_for(lambda: status_of(witness["id"]) == "completed", timeout=20, what="the next run")
        time.sleep(2)
    assert status_of(undone["id"]) in ("paid", "confirmed")
    assert queued(undone["id"], "booking.completed") == 1
    # its merchant still marks it
    r = shop.admin.post("/api/admin/bookings/%s/no-show" % undone["id"])
    assert r.status_code == 200 and r.json()["booking"]["status"] == "no_show", r.text
