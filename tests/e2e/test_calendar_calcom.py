"""Cal.com as the professional's own agenda (API.md "Calendar connection"): a booking made
directly in Cal.com blocks our slot within one refresh; a booking of ours that the
professional cancels in Cal.com is cancelled here (customer mailed, callback sent, refund by
the tenant's policy) while the echo of our own delete changes nothing; every call we make
carries the cal-api-version the fake insists on."""
import datetime as dt

import booking_seed as seed
from calendar_support import age_busy_times, day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for


def calcom_bookings(fakes):
    return fakes._call("GET", "/calcom/_control/bookings")["bookings"]


def test_a_booking_made_in_calcom_blocks_the_slot_within_one_refresh(shop, fakes):
    shop.connect_calcom(event_type=None)          # reading busy times needs no event type
    wait_for(lambda: shop.row("synced_at") != "", what="first busy read")
    date, ten = day_in(4)
    assert z(ten) in shop.slots(date)
    fakes._call("POST", "/calcom/_control/bookings", json={
        "start": z(ten), "end": z(ten + dt.timedelta(minutes=60)), "notify": False})
    # no webhook: the refresh schedule finds it
    age_busy_times(shop, 400, due_later=False)
    wait_for(lambda: z(ten) not in shop.slots(date), what="the slot blocked by the refresh")
    assert z(ten + dt.timedelta(hours=1)) in shop.slots(date)


def local_times(starts):
    """The slots' starts as Bogotá wall-clock "HH:MM"."""
    return [dt.datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(seed.BOG).strftime("%H:%M")
            for s in starts]


def test_hours_from_calcom_shape_our_slots_as_the_tenant_chooses(shop, fakes):
    # ours: 08:00-12:00 every day; Cal.com's event type (60 min): 09:00-17:00, Bogotá
    psql("UPDATE professional_hours SET end_minute = 720 WHERE professional_id = :'p1'",
         shop.professional_id)
    assert shop.connect_calcom(event_type=1001)["event_type_id"] == "1001"
    wait_for(lambda: shop.row("bookable IS NOT NULL") == "t", what="Cal.com's hours read")
    date, _ = day_in(4)
    t = shop.merchant.api.get("/api/admin/tenant").json()["tenant"]
    assert t["calcom_hours"] == "ours"                       # as before, until the merchant chooses
    got = local_times(shop.slots(date))
    assert got[0] == "08:00" and got[-1] == "11:30"

    def choose(setting):
        r = shop.merchant.api.patch("/api/admin/tenant", json={"calcom_hours": setting})
        assert r.status_code == 200 and r.json()["tenant"]["calcom_hours"] == setting, r.text

    choose("calcom")
    got = local_times(shop.slots(date))
    assert got[0] == "09:00" and got[-1] == "16:30" and "12:30" in got
    choose("both")
    got = local_times(shop.slots(date))
    assert got[0] == "09:00" and got[-1] == "11:30"
    # a hold judges by the same hours: 08:00 is ours but not Cal.com's
    eight = dt.datetime.fromisoformat(date).replace(hour=8, tzinfo=seed.BOG)
    r = shop.hold(z(eight))
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable", r.text
    # a booking made in Cal.com takes its hour out of Cal.com's hours too
    _, ten = day_in(4)
    fakes._call("POST", "/calcom/_control/bookings", json={
        "start": z(ten), "end": z(ten + dt.timedelta(hours=1)), "notify": False})
    age_busy_times(shop, 400, due_later=False)
    wait_for(lambda: "10:00" not in local_times(shop.slots(date)), what="the hour taken")
    got = local_times(shop.slots(date))
    assert got == ["09:00", "09:15", "09:30", "11:00", "11:15", "11:30"]
    # a wrong value changes nothing
    r = shop.merchant.api.patch("/api/admin/tenant", json={"calcom_hours": "theirs"})
    assert r.status_code == 400 and "calcom_hours" in r.json()["error"]["fields"]
    assert shop.merchant.api.get("/api/admin/tenant").json()["tenant"]["calcom_hours"] == "both"


def test_without_an_event_type_our_hours_stand(shop):
    cal = shop.connect_calcom(event_type=None)
    assert cal["provider"] == "calcom" and cal["event_type_id"] is None
    wait_for(lambda: shop.row("synced_at") != "", what="first busy read")
    assert shop.row("bookable IS NULL") == "t"
    r = shop.merchant.api.patch("/api/admin/tenant", json={"calcom_hours": "calcom"})
    assert r.status_code == 200, r.text
    date, _ = day_in(4)
    got = local_times(shop.slots(date))
    assert got[0] == "08:00" and got[-1] == "17:30"


def test_our_calls_carry_the_version_each_route_needs(fakes):
    key = {"Authorization": "Bearer cal_test_key"}
    for path, good in (("/calcom/v2/bookings?take=1", "2024-08-13"),
                       ("/calcom/v2/slots?eventTypeId=1001&start=2050-09-05&end=2050-09-05",
                        "2024-09-04")):
        for wrong in (None, "2024-06-14", "2026-05-01"):
            headers = dict(key, **({"cal-api-version": wrong} if wrong else {}))
            r = fakes.http.get(fakes.url + path, headers=headers, timeout=10)
            assert r.status_code == 400 and "cal-api-version" in r.json()["error"]["message"], r.text
        r = fakes.http.get(fakes.url + path, headers=dict(key, **{"cal-api-version": good}),
                           timeout=10)
        assert r.status_code == 200, r.text


def connect_calcom(merchant, api, professional, event_type=1001):
    r = merchant.api.post("/api/admin/professionals/%s/invitation" % professional)
    assert r.status_code == 201, r.text
    invitation = r.json()["url"].rsplit("/", 1)[1]
    r = api.post("/api/public/invitations/%s/calcom" % invitation,
                 json={"api_key": "cal_test_key", "event_type_id": event_type})
    assert r.status_code == 200, r.text


def event_row(booking):
    return psql("SELECT coalesce(event_id, '') || '|' || (due_at IS NULL)::text FROM calendar_events"
                " WHERE reservation_id = :'p1'", booking)


def test_a_booking_cancelled_in_calcom_is_cancelled_here(merchant, fakes, stack, api, maildir):
    shop = PayTenant(merchant, fakes, stack)
    pro_email = "pro-%s@example.com" % shop.professional[:8]
    psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", pro_email, shop.professional)
    connect_calcom(merchant, api, shop.professional)
    booking, ref = shop.pending_booking(start_in_days=3)
    shop.fire(ref)
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", booking)
             in ("paid", "confirmed"), what="paid")
    uid = wait_for(lambda: (lambda row: row.split("|")[0] if row.endswith("|true") and
                            not row.startswith("|") else None)(event_row(booking)),
                   what="the booking written to Cal.com", timeout=30)
    ours = [b for b in calcom_bookings(fakes) if b["uid"] == uid]
    assert len(ours) == 1 and ours[0]["status"] == "accepted"
    maildir.snapshot()

    # the professional cancels it in Cal.com; Cal.com's webhook tells us
    out = fakes._call("POST", "/calcom/_control/bookings/%s/cancel" % uid,
                      json={"cancellationReason": "Me enfermé"})
    assert [n["status"] for n in out["notified"]] == [200]
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking) == "cancelled"
    detail = merchant.api.get("/api/admin/bookings/" + booking).json()["booking"]
    assert [h["reason"] for h in detail["history"] if h["to"] == "cancelled"][0] == "cancelled_in_calendar"
    # the tenant's policy (full, by default) gives the money back
    assert detail["payment"]["refund"]["amount"] == shop.price
    # the merchant hears of it, and so does the customer
    got = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.cancelled"],
                   what="booking.cancelled")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["booking_id"] == booking
    wait_for(lambda: [m for m in maildir.new(to="ana@example.com")
                      if str(m["Subject"]).startswith("Reserva cancelada")],
             what="the customer's cancellation mail", timeout=30)
    notice = wait_for(lambda: [m for m in maildir.new(to=pro_email)
                               if str(m["Subject"]).startswith("Reserva cancelada")],
                      what="the professional's notice", timeout=30)
    assert "Cancelled in Cal.com" in notice[0].get_body(preferencelist=("plain",)).get_content()
    # gone there already: nothing is left to delete, nothing left behind
    wait_for(lambda: event_row(booking) == "|true", what="the event done with")
    assert psql("SELECT count(*) FROM calendar_orphans WHERE reservation_id = :'p1'", booking) == "0"
    # the webhook again (Cal.com retries): nothing more happens
    before = len(callbacks_for(fakes, shop))
    r = fakes._call("POST", "/calcom/_control/bookings/%s/cancel" % uid, json={})
    assert [n["status"] for n in r["notified"]] == [200]
    assert len(callbacks_for(fakes, shop)) == before


def test_the_policy_none_keeps_the_money_and_our_own_cancel_echo_changes_nothing(
        merchant, fakes, stack, api):
    shop = PayTenant(merchant, fakes, stack)
    r = merchant.api.patch("/api/admin/tenant", json={"refund_on_cancel": "none"})
    assert r.status_code == 200, r.text
    connect_calcom(merchant, api, shop.professional)
    first, ref = shop.pending_booking(start_in_days=3)
    shop.fire(ref)
    uid = wait_for(lambda: (lambda row: row.split("|")[0] if row.endswith("|true") and
                            not row.startswith("|") else None)(event_row(first)),
                   what="the booking written to Cal.com", timeout=30)
    fakes._call("POST", "/calcom/_control/bookings/%s/cancel" % uid, json={})
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", first) == "cancelled"
    pay = merchant.api.get("/api/admin/bookings/" + first).json()["booking"]["payment"]
    assert not pay["refund_needed"] and not (pay["refund"] or {}).get("amount")

    # a booking the merchant cancels here is cancelled in Cal.com, whose echo changes nothing
    second, ref = shop.pending_booking(start_in_days=4)
    shop.fire(ref)
    uid = wait_for(lambda: (lambda row: row.split("|")[0] if row.endswith("|true") and
                            not row.startswith("|") else None)(event_row(second)),
                   what="the second booking written", timeout=30)
    r = merchant.api.post("/api/admin/bookings/%s/cancel" % second,
                          json={"reason": "Cerramos", "refund": "none"})
    assert r.status_code == 200, r.text
    wait_for(lambda: [b for b in calcom_bookings(fakes) if b["uid"] == uid
                      and b["status"] == "cancelled"], what="cancelled in Cal.com", timeout=30)
    delivered = wait_for(lambda: [d for d in fakes._call("GET", "/calcom/_control/deliveries")["deliveries"]
                                  if d["uid"] == uid and d["triggerEvent"] == "BOOKING_CANCELLED"],
                         what="the echo", timeout=30)
    assert delivered[0]["status"] == 200
    history = merchant.api.get("/api/admin/bookings/" + second).json()["booking"]["history"]
    assert [h["reason"] for h in history if h["to"] == "cancelled"] == ["cancelled_by_merchant"]


def calcom_reschedule(fakes, uid, start):
    """The professional moves a booking in Cal.com (its API, as its web app does)."""
    r = fakes.http.post(fakes.url + "/calcom/v2/bookings/%s/reschedule" % uid,
                        headers={"Authorization": "Bearer cal_test_key", "cal-api-version": "2024-08-13"},
                        json={"start": z(start), "reschedulingReason": "Otro horario"}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["data"]["uid"]


def test_a_booking_moved_in_calcom_moves_here(merchant, fakes, stack, api, maildir):
    shop = PayTenant(merchant, fakes, stack)
    connect_calcom(merchant, api, shop.professional)
    booking, ref = shop.pending_booking(start_in_days=3)
    shop.fire(ref)
    uid = wait_for(lambda: (lambda row: row.split("|")[0] if row.endswith("|true") and
                            not row.startswith("|") else None)(event_row(booking)),
                   what="the booking written to Cal.com", timeout=30)
    start = dt.datetime.fromisoformat(psql(
        "SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM reservations"
        " WHERE id = :'p1'", booking)).replace(tzinfo=dt.timezone.utc)
    later = start + dt.timedelta(hours=2)
    maildir.snapshot()
    new_uid = calcom_reschedule(fakes, uid, later)
    detail = wait_for(lambda: (lambda b: b if b["start"] == z(later) else None)(
        merchant.api.get("/api/admin/bookings/" + booking).json()["booking"]), what="moved here")
    assert detail["status"] in ("paid", "confirmed")
    assert detail["end"] == z(later + dt.timedelta(minutes=30))     # its own length kept
    assert "rescheduled" in [h["reason"] for h in detail["history"]]
    # its event is Cal.com's new booking, and nothing more is asked of Cal.com
    wait_for(lambda: event_row(booking) == new_uid + "|true", what="the event in step")
    ours = [b for b in calcom_bookings(fakes) if b["status"] != "cancelled"]
    assert [b["uid"] for b in ours] == [new_uid]
    got = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                            if c["headers"]["X-Konfirmado-Event"] == "booking.rescheduled"],
                   what="booking.rescheduled")
    assert check_callback_signatures(got[0], shop.callback_secret)["booking_id"] == booking
    wait_for(lambda: maildir.new(to="ana@example.com"), what="the customer told", timeout=30)

    # moved there onto a time taken here: ours stays, and Cal.com is put back in step
    other, ref2 = shop.pending_booking(start_in_days=3)
    shop.fire(ref2)
    other_start = psql("SELECT extract(epoch FROM starts_at)::bigint FROM reservations WHERE id = :'p1'", other)
    taken = dt.datetime.fromtimestamp(int(other_start), dt.timezone.utc)
    calcom_reschedule(fakes, new_uid, taken)
    wait_for(lambda: event_row(booking).endswith("|true") and
             [b for b in calcom_bookings(fakes) if b["status"] != "cancelled"
              and b["start"].startswith(z(later)[:19])
              and (b.get("metadata") or {}).get("konfirmado_booking") == booking],
             what="written back at its time", timeout=30)
    assert merchant.api.get("/api/admin/bookings/" + booking).json()["booking"]["start"] == z(later)
