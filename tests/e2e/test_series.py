"""Series of bookings (API.md "Series, seats and teams"): a service booked as N occurrences every
week, two weeks or month. Availability offers a start only when every occurrence is free; a
hold takes them all or none (409 names the first one taken); one payment of the series (all of
them or the first only) makes every occurrence paid, each told to the merchant by its own
booking.paid, in order, with its place in the series; a cancel takes one occurrence or the rest.
Out-of-range series and counts are refused and change nothing."""
import datetime as dt
import json
import secrets
import threading

import icalendar

import booking_seed as bs
from catalog_support import SERVICES, assert_field_error, create_service, snapshot
from conftest import Api, psql
from customers_support import Customer, new_email
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for
from test_booking_mails import invite_of, mails_to, spanish, text_of

WEEKLY = {"every": "week", "min": 2, "max": 6, "pay": "all"}
PRICE = 5000000


def series_service(tenant_id, series=WEEKLY, price=PRICE, charge="total", horizon=30):
    """A 60-minute service every hour, 09:00-17:00 in Bogotá, booked as `series`."""
    service = bs.service(tenant_id, name="Terapia", duration=60, interval=60, price=price,
                         charge=charge, horizon=horizon)
    psql("UPDATE services SET series = NULLIF(:'p1', '')::jsonb WHERE id = :'p2'",
         "" if series is None else json.dumps(series), service)
    return service


class Shop:
    """A tenant with a series service, a professional and a link; Wompi and a callback URL
    when `pay` (PayTenant) is given."""

    def __init__(self, tenant_id, stack, series=WEEKLY, **kw):
        self.tenant_id, self.stack = tenant_id, stack
        self.service = series_service(tenant_id, series, **kw)
        self.professional = bs.professional(tenant_id, services=[self.service])
        self.slug = bs.link(tenant_id)

    def availability(self, day, days=1, client=None, **params):
        params.update({"service": self.service, "professional": self.professional,
                       "from": day, "days": days})
        return (client or Api(self.stack)).get("/api/public/links/%s/availability" % self.slug,
                                               params=params)

    def starts(self, day, **params):
        r = self.availability(day, **params)
        assert r.status_code == 200, r.text
        return [s["start"] for s in r.json()["slots"]]

    def hold(self, start, client=None, **extra):
        body = {"link": self.slug, "service": self.service, "professional": self.professional,
                "start": start}
        body.update(extra)
        return (client or Api(self.stack)).post("/api/public/holds", json=body)

    def book(self, hold_token, client=None, email="laura@example.com"):
        return (client or Api(self.stack)).post("/api/public/bookings", json={
            "hold_token": hold_token, "accepted_terms": True,
            "customer": {"name": "Laura Ríos", "email": email, "phone": "+573001234567"}})


def weeks_after(start, k):
    return bs.iso(bs.utc(start) + dt.timedelta(weeks=k))


def active_of(service):
    return psql("SELECT count(*) FROM reservations WHERE service_id = :'p1'"
                " AND status IN ('held', 'pending_payment', 'paid', 'confirmed')", service)


def test_the_merchant_sets_a_series_and_out_of_range_ones_are_refused(merchant):
    api = merchant.api
    made = create_service(merchant, series={"every": "month", "min": 2, "max": 12, "pay": "first"})
    service = made["service"] if "service" in made else made
    assert service["series"] == {"every": "month", "min": 2, "max": 12, "pay": "first"}
    got = api.get(SERVICES + "/" + service["id"]).json()
    got = got.get("service", got)
    assert got["series"] == {"every": "month", "min": 2, "max": 12, "pay": "first"}
    before = snapshot(merchant.tenant_id)
    for bad, field in (({"every": "week", "min": 2, "max": 13, "pay": "all"}, "series.max"),
                       ({"every": "week", "min": 1, "max": 4, "pay": "all"}, "series.min"),
                       ({"every": "week", "min": 5, "max": 4, "pay": "all"}, "series.max"),
                       ({"every": "day", "min": 2, "max": 4, "pay": "all"}, "series.every"),
                       ({"every": "week", "min": 2, "max": 4, "pay": "half"}, "series.pay"),
                       ("weekly", "series")):
        assert_field_error(api.patch(SERVICES + "/" + service["id"], json={"series": bad}), field)
        assert_field_error(api.post(SERVICES, json={"name": "Otra", "duration_minutes": 30,
                                                    "price": {"amount": 0, "currency": "COP"},
                                                    "charge_type": "free", "series": bad}), field)
    assert snapshot(merchant.tenant_id) == before
    got = api.get(SERVICES + "/" + service["id"]).json()
    assert got.get("service", got)["series"]["max"] == 12
    # null: booked once again
    r = api.patch(SERVICES + "/" + service["id"], json={"series": None})
    assert r.status_code == 200, r.text
    got = api.get(SERVICES + "/" + service["id"]).json()
    assert got.get("service", got)["series"] is None


def test_a_series_is_neither_a_team_nor_a_class(merchant):
    """A series is one customer's run with one professional: a service is not both a series and
    a collective team, nor a series and a group class. Either pair, sent together or added to
    what the service has, is refused under `series` and changes nothing."""
    api = merchant.api
    members = [bs.professional(merchant.tenant_id, name=n) for n in ("Ana", "Beto")]
    team = {"mode": "collective", "professional_ids": members}

    def stored(service_id):
        got = api.get(SERVICES + "/" + service_id).json()
        got = got.get("service", got)
        return got["series"], got["team"], got["capacity"]

    fields = assert_field_error(api.post(SERVICES, json={
        "name": "Otra", "duration_minutes": 30, "price": {"amount": 0, "currency": "COP"},
        "charge_type": "free", "series": WEEKLY, "team": team}), "series")
    assert "team" not in fields
    assert_field_error(api.post(SERVICES, json={
        "name": "Otra", "duration_minutes": 30, "price": {"amount": 0, "currency": "COP"},
        "charge_type": "free", "series": WEEKLY, "capacity": 8}), "series")
    weekly = create_service(merchant, series=WEEKLY)
    weekly = weekly.get("service", weekly)
    teamed = create_service(merchant, team=team)
    teamed = teamed.get("service", teamed)
    before = snapshot(merchant.tenant_id)
    assert_field_error(api.patch(SERVICES + "/" + weekly["id"], json={"team": team}), "series")
    assert_field_error(api.patch(SERVICES + "/" + weekly["id"], json={"capacity": 8}), "series")
    assert_field_error(api.patch(SERVICES + "/" + teamed["id"], json={"series": WEEKLY}),
                       "series")
    assert snapshot(merchant.tenant_id) == before
    assert stored(weekly["id"]) == (WEEKLY, None, 1)
    assert stored(teamed["id"]) == (None, team, 1)
    # the series given up first, the class may be set (and a team's service may become a series
    # once it is one professional's again)
    r = api.patch(SERVICES + "/" + weekly["id"], json={"series": None, "capacity": 8})
    assert r.status_code == 200, r.text
    r = api.patch(SERVICES + "/" + teamed["id"], json={"team": None, "series": WEEKLY})
    assert r.status_code == 200, r.text
    assert stored(teamed["id"])[:2] == (WEEKLY, None)


def test_a_start_is_offered_only_when_every_occurrence_is_free(api, stack):
    tid, _ = bs.tenant()
    shop = Shop(tid, stack)
    day = bs.today_plus(3)
    single = shop.starts(day)
    nine, ten = single[0], single[1]
    assert nine == day + "T14:00:00Z" and ten == day + "T15:00:00Z"
    # the third week's 10:00 is taken: a series of three at 10:00 is not offered, of two it is
    other = bs.service(tid, name="Consulta", duration=60)
    bs.offer(tid, other, shop.professional)
    bs.reservation(tid, other, shop.professional, weeks_after(ten, 2), minutes=60)
    three = shop.starts(day, repeat="week", count=3)
    assert nine in three and ten not in three
    assert ten in shop.starts(day, repeat="week", count=2)
    assert ten in shop.starts(day)
    # a series may run past the horizon (30 days): six weeks from a start 3 days ahead
    assert nine in shop.starts(day, repeat="week", count=6)


def test_bad_series_requests_are_refused(api, stack):
    tid, _ = bs.tenant()
    shop = Shop(tid, stack)
    start = shop.starts(bs.today_plus(3))[0]
    for params, field in (({"repeat": "week", "count": 13}, "count"),
                          ({"repeat": "week", "count": 1}, "count"),
                          ({"repeat": "week", "count": "x"}, "count"),
                          ({"repeat": "month", "count": 3}, "repeat"),
                          ({"count": 3}, "repeat")):
        assert_field_error(shop.availability(bs.today_plus(3), **params), field)
        body = dict(params)
        if body.get("count") == "x":
            continue
        assert_field_error(shop.hold(start, **body), field)
    # below the service's own minimum
    psql("UPDATE services SET series = '{\"every\": \"week\", \"min\": 3, \"max\": 4, \"pay\": \"all\"}'"
         " WHERE id = :'p1'", shop.service)
    assert_field_error(shop.availability(bs.today_plus(3), repeat="week", count=2), "count")
    assert_field_error(shop.hold(start, repeat="week", count=2), "count")
    assert_field_error(shop.hold(start, repeat="week", count=5), "count")
    # a service booked once has no series
    once = Shop(tid, stack, series=None)
    one = once.starts(bs.today_plus(3))[0]
    assert_field_error(once.availability(bs.today_plus(3), repeat="week", count=2), "repeat")
    assert_field_error(once.hold(one, repeat="week", count=2), "repeat")
    assert active_of(shop.service) == "0" and active_of(once.service) == "0"


def test_two_customers_racing_for_overlapping_series_one_wins(api, stack):
    tid, _ = bs.tenant()
    shop = Shop(tid, stack)
    day = bs.today_plus(4)
    first = shop.starts(day)[0]
    shared = weeks_after(first, 1)
    results = {}
    barrier = threading.Barrier(2)

    def take(name, start, count):
        client = Api(stack)
        barrier.wait()
        results[name] = shop.hold(start, client=client, repeat="week", count=count)

    # A: three weeks from `first`; B: two weeks from the week after: both want `shared`
    threads = [threading.Thread(target=take, args=("a", first, 3)),
               threading.Thread(target=take, args=("b", shared, 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results.values())
    assert codes == [201, 409], {k: v.text for k, v in results.items()}
    won = next(r for r in results.values() if r.status_code == 201).json()["hold"]
    lost = next(r for r in results.values() if r.status_code == 409).json()["error"]
    assert lost["code"] == "slot_unavailable"
    assert lost["occurrence"] == {"start": shared}
    # the winner holds every occurrence, the loser none
    held = psql("SELECT string_agg(" + "to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                ", ',' ORDER BY starts_at) FROM reservations WHERE service_id = :'p1'"
                " AND status = 'held'", shop.service).split(",")
    assert held == [o["start"] for o in won["occurrences"]]
    assert shared in held and len(held) == len(won["occurrences"])


def test_a_series_is_held_whole_paid_once_and_told_occurrence_by_occurrence(merchant, fakes, stack,
                                                                          maildir):
    pay = PayTenant(merchant, fakes, stack)
    shop = Shop(merchant.tenant_id, stack)
    day = bs.today_plus(2)
    start = shop.starts(day, repeat="week", count=3)[0]
    r = shop.hold(start, repeat="week", count=3)
    assert r.status_code == 201, r.text
    hold = r.json()["hold"]
    assert [o["start"] for o in hold["occurrences"]] == [start, weeks_after(start, 1),
                                                         weeks_after(start, 2)]
    assert hold["start"] == start
    # held: the three are no longer offered one by one, and one hold counts for the client
    assert start not in shop.starts(day)
    assert weeks_after(start, 2) not in shop.starts(bs.iso(bs.utc(start) + dt.timedelta(weeks=2))[:10])
    email = "serie-%s@example.com" % secrets.token_hex(5)
    r = shop.book(hold["token"], email=email)
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    # "pay": "all": the series' total in one checkout
    assert booking["status"] == "pending_payment"
    assert booking["charge"] == {"amount": 3 * PRICE, "currency": "COP"}
    assert booking["series"]["count"] == 3 and booking["series"]["index"] == 1
    occurrences = booking["occurrences"]
    assert [o["start"] for o in occurrences] == [o["start"] for o in hold["occurrences"]]
    assert {o["status"] for o in occurrences} == {"pending_payment"}
    assert occurrences[0]["id"] == booking["id"]
    pay.fire(booking["payment"]["reference"], amount=3 * PRICE)
    ids = [o["id"] for o in occurrences]
    wait_for(lambda: all(psql("SELECT status FROM reservations WHERE id = :'p1'", i)
                         in ("paid", "confirmed") for i in ids), what="every occurrence paid")
    got = wait_for(lambda: (lambda c: c if len(c) >= 3 else None)(
        [c for c in callbacks_for(fakes, pay) if c["headers"]["X-Konfirmado-Event"] == "booking.paid"]),
        what="three booking.paid")
    bodies = [check_callback_signatures(c, pay.callback_secret) for c in got]
    assert [b["booking_id"] for b in bodies] == ids
    series_id = booking["series"]["id"]
    assert [b["serie"] for b in bodies] == [{"id": series_id, "indice": i, "total": 3} for i in (1, 2, 3)]
    assert [b["cita"]["inicio"] for b in bodies] == [o["start"] for o in occurrences]
    keys = list(bodies[0])
    assert keys.index("serie") == keys.index("cita") + 1
    # one confirmation, listing the three sessions
    [mail] = mails_to(maildir, email)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Tus sesiones:" in text and "150.000" in text
    assert all("%d. " % i in text for i in (1, 2, 3)) and "4. " not in text
    # its invite has one event per session, each its own UID (its later changes' invites')
    [att] = [p for p in mail.walk() if p.get_content_type() == "application/ics"]
    invite = icalendar.Calendar.from_ical(att.get_content())
    events = [c for c in invite.walk() if c.name == "VEVENT"]
    assert [e["DTSTART"].dt.isoformat().replace("+00:00", "Z") for e in events] == \
        [o["start"] for o in occurrences]
    assert len({str(e["UID"]) for e in events}) == 3
    # the status of any occurrence shows the series
    r = api_status(stack, ids[1], booking["token"])
    assert r["series"] == {"id": series_id, "index": 2, "count": 3}
    assert [o["id"] for o in r["occurrences"]] == ids


def test_the_professionals_notice_lists_every_session_in_their_zone(merchant, stack, maildir):
    """The professional hears of a series once, with every session's date and time in their
    own zone (Madrid), not only the first's."""
    shop = Shop(merchant.tenant_id, stack, price=0, charge="free")
    pro_email = "pro-%s@example.com" % secrets.token_hex(5)
    psql("UPDATE professionals SET email = :'p1', timezone = 'Europe/Madrid' WHERE id = :'p2'",
         pro_email, shop.professional)
    start = shop.starts(bs.today_plus(3), repeat="week", count=3)[0]
    r = shop.hold(start, repeat="week", count=3)
    assert r.status_code == 201, r.text
    r = shop.book(r.json()["hold"]["token"], email="serie-%s@example.com" % secrets.token_hex(5))
    assert r.status_code == 201, r.text
    starts = [o["start"] for o in r.json()["booking"]["occurrences"]]
    [notice] = mails_to(maildir, pro_email)
    assert notice["Subject"].startswith("Nueva reserva: Terapia")
    text = text_of(notice)
    assert "Cuándo: %s" % spanish(bs.utc(starts[0]), "Europe/Madrid") in text
    assert "Sesiones:\n" + "".join("%d. %s\n" % (i + 1, spanish(bs.utc(s), "Europe/Madrid"))
                                    for i, s in enumerate(starts)) in text
    html = notice.get_body(preferencelist=("html",)).get_content()
    assert "Sesiones:" in html and "3. " in html


def test_the_portal_lists_each_session_with_its_place_in_the_series(merchant, stack, api, maildir):
    """The customer's portal tells each session of a series as its status page does: its place
    in the series and every session, in order."""
    shop = Shop(merchant.tenant_id, stack, price=0, charge="free")
    email = new_email()
    start = shop.starts(bs.today_plus(4), repeat="week", count=3)[0]
    r = shop.hold(start, repeat="week", count=3)
    assert r.status_code == 201, r.text
    r = shop.book(r.json()["hold"]["token"], email=email)
    assert r.status_code == 201, r.text
    ids = [o["id"] for o in r.json()["booking"]["occurrences"]]
    subdomain = psql("UPDATE tenants SET subdomain = coalesce(subdomain, 's' || substr(md5(id::text), 1, 10))"
                     " WHERE id = :'p1' RETURNING subdomain", merchant.tenant_id)
    me = Customer(api, subdomain, email)
    me.sign_in(maildir, n=2)      # after the confirmation
    items = me.bookings("upcoming")
    assert [i["id"] for i in items] == ids
    series_id = items[0]["series"]["id"]
    assert [i["series"] for i in items] == [{"id": series_id, "index": k, "count": 3} for k in (1, 2, 3)]
    assert all([o["id"] for o in i["occurrences"]] == ids for i in items)


def api_status(stack, booking_id, token):
    r = Api(stack).get("/api/public/bookings/%s" % booking_id, params={"token": token})
    assert r.status_code == 200, r.text
    return r.json()["booking"]


def book_series(shop, pay, count, day_offset=2, amount=None, email="laura@example.com"):
    """A series of `count` weekly occurrences booked and paid through the fake Wompi."""
    start = shop.starts(bs.today_plus(day_offset), repeat="week", count=count)[0]
    r = shop.hold(start, repeat="week", count=count)
    assert r.status_code == 201, r.text
    client = Api(shop.stack)
    r = shop.book(r.json()["hold"]["token"], client=client, email=email)
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    pay.fire(booking["payment"]["reference"], amount=amount if amount is not None else booking["charge"]["amount"])
    ids = [o["id"] for o in booking["occurrences"]]
    wait_for(lambda: all(psql("SELECT status FROM reservations WHERE id = :'p1'", i)
                         in ("paid", "confirmed") for i in ids), what="every occurrence paid")
    return booking, ids


def test_pay_first_charges_the_first_session_only(merchant, fakes, stack):
    pay = PayTenant(merchant, fakes, stack)
    shop = Shop(merchant.tenant_id, stack, series={"every": "2weeks", "min": 2, "max": 4, "pay": "first"})
    start = shop.starts(bs.today_plus(2), repeat="2weeks", count=2)[0]
    r = shop.hold(start, repeat="2weeks", count=2)
    assert r.status_code == 201, r.text
    assert [o["start"] for o in r.json()["hold"]["occurrences"]] == [start, weeks_after(start, 2)]
    r = shop.book(r.json()["hold"]["token"])
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    assert booking["charge"] == {"amount": PRICE, "currency": "COP"}
    assert psql("SELECT amount FROM payments WHERE reference = :'p1'",
                booking["payment"]["reference"]) == str(PRICE)
    pay.fire(booking["payment"]["reference"], amount=PRICE)
    ids = [o["id"] for o in booking["occurrences"]]
    wait_for(lambda: all(psql("SELECT status FROM reservations WHERE id = :'p1'", i)
                         in ("paid", "confirmed") for i in ids), what="both occurrences paid")
    got = wait_for(lambda: (lambda c: c if len(c) >= 2 else None)(
        [c for c in callbacks_for(fakes, pay) if c["headers"]["X-Konfirmado-Event"] == "booking.paid"]),
        what="two booking.paid")
    bodies = [check_callback_signatures(c, pay.callback_secret) for c in got]
    assert [b["serie"]["indice"] for b in bodies] == [1, 2]
    # the later occurrence is paid by the series' one payment
    assert {b["pago"]["referencia"] for b in bodies} == {booking["payment"]["reference"]}


def cancel(stack, booking_id, token, **body):
    return Api(stack).post("/api/public/bookings/%s/cancel" % booking_id, json=body,
                           headers={"Authorization": "Bearer " + token})


def test_a_cancel_takes_one_occurrence_or_the_rest(merchant, fakes, stack):
    pay = PayTenant(merchant, fakes, stack)
    shop = Shop(merchant.tenant_id, stack)
    booking, ids = book_series(shop, pay, 3, day_offset=3)
    token = booking["token"]
    starts = [o["start"] for o in booking["occurrences"]]
    # a scope that is neither one nor rest changes nothing
    r = cancel(stack, ids[1], token, scope="all")
    assert_field_error(r, "scope")
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", ids[1]) in ("paid", "confirmed")
    # "one" (the default): the second occurrence alone, its share given back
    r = cancel(stack, ids[1], token, reason="Viaje")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["booking"]["status"] == "cancelled"
    assert got["refund"]["amount"] == PRICE
    assert [o["status"] for o in got["booking"]["occurrences"]][1] == "cancelled"
    status = lambda i: psql("SELECT status FROM reservations WHERE id = :'p1'", i)  # noqa: E731
    assert status(ids[0]) in ("paid", "confirmed") and status(ids[2]) in ("paid", "confirmed")
    assert starts[1] in shop.starts(starts[1][:10])
    # "rest" from the first: it and every later one still booked (the third), one refund of both
    r = cancel(stack, ids[0], token, scope="rest")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["refund"]["amount"] == 2 * PRICE
    assert [o["status"] for o in got["booking"]["occurrences"]] == ["cancelled"] * 3
    assert [status(i) for i in ids] == ["cancelled"] * 3
    assert psql("SELECT refund_amount FROM payments WHERE reference = :'p1'",
                booking["payment"]["reference"]) == str(3 * PRICE)
    # each occurrence is told to the merchant
    told = wait_for(lambda: (lambda c: c if len(c) >= 3 else None)(
        [c for c in callbacks_for(fakes, pay) if c["headers"]["X-Konfirmado-Event"] == "booking.cancelled"]),
        what="three booking.cancelled")
    bodies = [check_callback_signatures(c, pay.callback_secret) for c in told]
    assert sorted(b["booking_id"] for b in bodies) == sorted(ids)
    assert all(b["serie"]["total"] == 3 for b in bodies)


def test_an_occurrence_moves_alone_and_the_merchant_sees_the_series(merchant, stack):
    shop = Shop(merchant.tenant_id, stack, price=0, charge="free")
    day = bs.today_plus(3)
    start = shop.starts(day, repeat="week", count=2)[0]
    r = shop.hold(start, repeat="week", count=2)
    assert r.status_code == 201, r.text
    r = shop.book(r.json()["hold"]["token"])
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    assert booking["status"] == "paid" and booking["payment"] is None
    ids = [o["id"] for o in booking["occurrences"]]
    assert [o["status"] for o in booking["occurrences"]] == ["paid", "paid"]
    # the second occurrence moves two hours later, with the series' token; a scope that is
    # neither one nor rest is refused
    second_day = weeks_after(start, 1)[:10]
    new_start = bs.iso(bs.utc(weeks_after(start, 1)) + dt.timedelta(hours=2))
    assert new_start in shop.starts(second_day)
    hold = shop.hold(new_start).json()["hold"]
    move = lambda **body: Api(stack).post(  # noqa: E731
        "/api/public/bookings/%s/reschedule" % ids[1], json=dict(hold_token=hold["token"], **body),
        headers={"Authorization": "Bearer " + booking["token"]})
    assert_field_error(move(scope="all"), "scope")
    r = move(scope="one")
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["start"] == new_start
    # the merchant's detail of either occurrence shows the series as it now stands
    detail = merchant.api.get("/api/admin/bookings/" + ids[0]).json()["booking"]
    assert detail["series"] == {"id": ids[0], "index": 1, "count": 2}
    assert [o["start"] for o in detail["occurrences"]] == [start, new_start]
    assert api_status(stack, ids[1], booking["token"])["series"]["index"] == 2


EXPIRE_UNPAID = '{"pending_payment": ["expired", "payment_window_passed", "payment_window_passed"]}'


def unpaid_series_expired(shop, count, day_offset):
    """A series of `count` weekly occurrences booked, its payment window run out before the
    approval came: every occurrence expired, its slots offered again. Returns the booking."""
    start = shop.starts(bs.today_plus(day_offset), repeat="week", count=count)[0]
    r = shop.hold(start, repeat="week", count=count)
    assert r.status_code == 201, r.text
    r = shop.book(r.json()["hold"]["token"])
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    ids = [o["id"] for o in booking["occurrences"]]
    psql("BEGIN; UPDATE reservations SET expires_at = now() - interval '1 second'"
         " WHERE series_id = :'p1';"
         " SELECT kf_expire_due(:'p2', tstzrange(:'p3'::timestamptz - interval '1 hour',"
         " :'p4'::timestamptz + interval '2 hours'), NULL, :'p5'::jsonb); COMMIT",
         ids[0], shop.professional, start, booking["occurrences"][-1]["start"], EXPIRE_UNPAID)
    assert [psql("SELECT status FROM reservations WHERE id = :'p1'", i) for i in ids] == \
        ["expired"] * count
    return booking


def test_a_late_approval_takes_back_every_occurrence(merchant, fakes, stack):
    pay = PayTenant(merchant, fakes, stack)
    shop = Shop(merchant.tenant_id, stack)
    booking = unpaid_series_expired(shop, 3, day_offset=5)
    ids = [o["id"] for o in booking["occurrences"]]
    pay.fire(booking["payment"]["reference"], amount=booking["charge"]["amount"])
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", ids[0])
             in ("paid", "confirmed"), what="the first occurrence paid")
    assert all(psql("SELECT status FROM reservations WHERE id = :'p1'", i) in ("paid", "confirmed")
               for i in ids)
    assert psql("SELECT refund_needed FROM payments WHERE reference = :'p1'",
                booking["payment"]["reference"]) == "f"
    # each is told to the merchant and no longer offered
    got = wait_for(lambda: (lambda c: c if len(c) >= 3 else None)(
        [c for c in callbacks_for(fakes, pay) if c["headers"]["X-Konfirmado-Event"] == "booking.paid"]),
        what="three booking.paid")
    assert [check_callback_signatures(c, pay.callback_secret)["booking_id"] for c in got] == ids
    last = booking["occurrences"][-1]["start"]
    assert last not in shop.starts(last[:10])


def test_a_late_approval_with_one_occurrence_taken_loses_the_series_whole(merchant, fakes, stack):
    pay = PayTenant(merchant, fakes, stack)
    shop = Shop(merchant.tenant_id, stack)
    booking = unpaid_series_expired(shop, 3, day_offset=6)
    ids = [o["id"] for o in booking["occurrences"]]
    # meanwhile someone else booked the third occurrence's time
    taken = booking["occurrences"][2]["start"]
    r = shop.hold(taken)
    assert r.status_code == 201, r.text
    r = shop.book(r.json()["hold"]["token"], email="otra@example.com")
    assert r.status_code == 201, r.text
    other = r.json()["booking"]["id"]
    ref = booking["payment"]["reference"]
    pay.fire(ref, amount=booking["charge"]["amount"])
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", ids[0]) == "failed",
             what="the first occurrence failed")
    # none of them is taken back, the payment is flagged for refund as a single booking's is
    assert [psql("SELECT status || ':' || status_reason FROM reservations WHERE id = :'p1'", i)
            for i in ids] == ["failed:slot_lost"] * 3
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", other) == "pending_payment"
    assert psql("SELECT status || ' ' || refund_needed || ' ' || flag_reason FROM payments"
                " WHERE reference = :'p1'", ref) == "approved true slot_lost"
    first = booking["occurrences"][0]["start"]
    assert first in shop.starts(first[:10])
    assert not [c for c in callbacks_for(fakes, pay)
                if c["headers"]["X-Konfirmado-Event"] == "booking.paid"]


def reschedule(stack, booking_id, token, **body):
    return Api(stack).post("/api/public/bookings/%s/reschedule" % booking_id, json=body,
                           headers={"Authorization": "Bearer " + token})


def starts_of(ids):
    return [psql("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                 " FROM reservations WHERE id = :'p1'", i) for i in ids]


def two_hours_later(start):
    return bs.iso(bs.utc(start) + dt.timedelta(hours=2))


def test_a_reschedule_of_the_rest_moves_every_later_occurrence_in_rhythm(merchant, fakes, stack,
                                                                         maildir):
    pay = PayTenant(merchant, fakes, stack)
    shop = Shop(merchant.tenant_id, stack)
    email = "serie-%s@example.com" % secrets.token_hex(5)
    booking, ids = book_series(shop, pay, 4, day_offset=4, email=email)
    starts = [o["start"] for o in booking["occurrences"]]
    token = booking["token"]
    # the second occurrence two hours later, and the third and fourth with it, week by week
    new_start = two_hours_later(starts[1])
    hold = shop.hold(new_start).json()["hold"]
    before = snapshot(merchant.tenant_id)
    assert_field_error(reschedule(stack, ids[1], token, hold_token=hold["token"], scope="all"),
                       "scope")
    assert snapshot(merchant.tenant_id) == before
    r = reschedule(stack, ids[1], token, hold_token=hold["token"], scope="rest")
    assert r.status_code == 200, r.text
    got = r.json()["booking"]
    assert got["id"] == ids[1] and got["start"] == new_start
    moved = [starts[0]] + [two_hours_later(s) for s in starts[1:]]
    assert [o["start"] for o in got["occurrences"]] == moved
    assert starts_of(ids) == moved
    # the old times are offered again, the new ones are not
    assert starts[3] in shop.starts(starts[3][:10])
    assert moved[3] not in shop.starts(moved[3][:10])
    # each moved occurrence is told: its own mail with its moved invite, its own callback
    mails = mails_to(maildir, email, n=4)
    notices = [m for m in mails if m["Subject"] == "Tu reserva cambió de hora: Terapia"]
    assert sorted(invite_of(m)["DTSTART"].dt.isoformat().replace("+00:00", "Z")
                  for m in notices) == moved[1:]
    told = wait_for(lambda: (lambda c: c if len(c) >= 3 else None)(
        [c for c in callbacks_for(fakes, pay)
         if c["headers"]["X-Konfirmado-Event"] == "booking.rescheduled"]),
        what="three booking.rescheduled")
    bodies = [check_callback_signatures(c, pay.callback_secret) for c in told]
    assert [b["booking_id"] for b in bodies] == ids[1:]
    assert [b["cita"]["inicio"] for b in bodies] == moved[1:]
    assert psql("SELECT string_agg(reschedule_count::text, ',' ORDER BY series_index)"
                " FROM reservations WHERE series_id = :'p1'", ids[0]) == "0,1,1,1"


def test_a_rest_whose_later_occurrence_is_taken_moves_nothing(merchant, fakes, stack):
    pay = PayTenant(merchant, fakes, stack)
    shop = Shop(merchant.tenant_id, stack)
    booking, ids = book_series(shop, pay, 4, day_offset=5)
    starts = [o["start"] for o in booking["occurrences"]]
    # someone else holds the time the fourth occurrence would move to
    r = shop.hold(two_hours_later(starts[3]))
    assert r.status_code == 201, r.text
    before = starts_of(ids)
    move = lambda **body: merchant.api.post(  # noqa: E731
        "/api/admin/bookings/%s/reschedule" % ids[1], json=body)
    assert_field_error(move(start=two_hours_later(starts[1]), scope="all"), "scope")
    r = move(start=two_hours_later(starts[1]), scope="rest")
    assert r.status_code == 409, r.text
    err = r.json()["error"]
    assert err["code"] == "slot_unavailable"
    assert err["occurrence"] == {"start": two_hours_later(starts[3])}
    # nothing moved, nothing held for the merchant's move
    assert starts_of(ids) == before
    assert psql("SELECT sum(reschedule_count) FROM reservations WHERE series_id = :'p1'",
                ids[0]) == "0"
    assert two_hours_later(starts[1]) in shop.starts(starts[1][:10])
    # the merchant moves the rest from the third: it and the fourth, a day later
    r = move(start=two_hours_later(starts[1]), scope="one")
    assert r.status_code == 200, r.text
    third = bs.iso(bs.utc(starts[2]) + dt.timedelta(days=1))
    r = merchant.api.post("/api/admin/bookings/%s/reschedule" % ids[2],
                          json={"start": third, "scope": "rest"})
    assert r.status_code == 200, r.text
    assert starts_of(ids) == [starts[0], two_hours_later(starts[1]), third,
                              bs.iso(bs.utc(starts[3]) + dt.timedelta(days=1))]


def test_a_rest_of_a_booking_that_is_no_series_moves_it_as_one(merchant, stack):
    """As a cancel of the rest of a booking that is no series cancels it alone."""
    shop = Shop(merchant.tenant_id, stack, series=None, price=0, charge="free")
    start = shop.starts(bs.today_plus(3))[0]
    r = shop.book(shop.hold(start).json()["hold"]["token"])
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    new_start = two_hours_later(start)
    hold = shop.hold(new_start).json()["hold"]
    r = reschedule(stack, booking["id"], booking["token"], hold_token=hold["token"], scope="rest")
    assert r.status_code == 200, r.text
    got = r.json()["booking"]
    assert got["start"] == new_start and "occurrences" not in got
    assert starts_of([booking["id"]]) == [new_start]
