"""Group classes (API.md "Series, seats and teams"): a service of capacity N stays offered with
its places left (`seats_left`) until N customers hold it, the next one gets 409
slot_unavailable, each customer has their own booking, token, mails and invite; a cancel gives
the place back and a reschedule takes one in another class; a capacity out of 1..500 is
refused and changes nothing. The race: hundreds of customers, each from an address of their
own, on two servers, for the last places of a class: exactly as many win as there were places."""
import random
import threading

import booking_seed as bs
from calendar_support import day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from catalog_support import SERVICES, assert_field_error, create_service, snapshot
from conftest import Api, psql, start_extra_httpd
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for
from test_booking_mails import invite_of, mails_to

ACTIVE = "('held', 'pending_payment', 'paid', 'confirmed')"


def class_scenario(api, capacity, **service):
    """A free 60-minute class every hour, 09:00-17:00 in Bogotá, of `capacity` places."""
    service = dict({"duration": 60, "interval": 60, "price": 0, "charge": "free", "horizon": 30},
                   **service)
    sc = bs.Scenario(api, service=service)
    psql("UPDATE services SET capacity = :'p1' WHERE id = :'p2'", capacity, sc.service_id)
    return sc


def day_slots(sc, day, api=None):
    return sc.slots(api=api, **{"from": day, "days": 1})


def slot_at(sc, day, start, api=None):
    return next((s for s in day_slots(sc, day, api) if s["start"] == start), None)


def customer(i):
    return {"name": "Cliente %d" % i, "email": "clase-%d-%s@example.com" % (i, random.randrange(10**9))}


def take_seat(sc, start, i, api=None):
    """A customer of their own address holds a place and books it; returns the booking."""
    client = api or Api(sc.api.stack)
    r = sc.hold(start, api=client)
    assert r.status_code == 201, r.text
    r = sc.book(r.json()["hold"]["token"], api=client, **customer(i))
    assert r.status_code == 201, r.text
    return r.json()["booking"]


def seats_of(sc, start):
    return psql("SELECT string_agg(seat::text, ',' ORDER BY seat) FROM reservations"
                " WHERE service_id = :'p1' AND starts_at = :'p2' AND status IN " + ACTIVE,
                sc.service_id, start)


def test_a_class_is_offered_with_its_places_until_full(api, maildir):
    sc = class_scenario(api, 3)
    day = bs.today_plus(2)
    first = day_slots(sc, day)[0]
    assert first["seats_left"] == 3
    start = first["start"]
    bookings = []
    for i in range(3):
        bookings.append(take_seat(sc, start, i))
        left = slot_at(sc, day, start)
        assert (left or {}).get("seats_left") == (2 - i if i < 2 else None)
    # full: no longer offered, and the next customer is refused
    assert slot_at(sc, day, start) is None
    r = sc.hold(start, api=Api(api.stack))
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable"
    # the next hour is another class, still whole
    assert day_slots(sc, day)[0]["seats_left"] == 3
    assert seats_of(sc, start) == "1,2,3"
    # three bookings of their own: own ids, tokens, statuses, and each customer's own mail
    assert len({b["id"] for b in bookings}) == 3 and len({b["token"] for b in bookings}) == 3
    assert {b["status"] for b in bookings} == {"paid"}
    uids = set()
    for i, b in enumerate(bookings):
        email = psql("SELECT customer_email FROM reservations WHERE id = :'p1'", b["id"])
        [mail] = mails_to(maildir, email)
        assert mail["To"] == email
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert "Cliente %d" % i in body and all("Cliente %d" % j not in body for j in range(3) if j != i)
        uids.add(str(invite_of(mail)["UID"]))
    assert len(uids) == 3      # one invite each, never the class's shared one


def test_a_one_to_one_booking_and_a_class_never_share_the_time(api):
    sc = class_scenario(api, 5)
    day = bs.today_plus(3)
    # the professional's own one-to-one booking at 10:00: the 10:00 class is not offered
    other = bs.service(sc.tenant_id, name="Consulta", duration=30)
    bs.offer(sc.tenant_id, other, sc.professional_id)
    nxt = day + "T15:00:00Z"
    bs.reservation(sc.tenant_id, other, sc.professional_id, nxt, minutes=30)
    starts = [s["start"] for s in day_slots(sc, day)]
    start = starts[0]
    assert start == day + "T14:00:00Z" and nxt not in starts
    take_seat(sc, start, 1)
    # a class that began is no room for anything else of the professional
    assert psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                     ends_at, blocked) SELECT :'p1', :'p2', :'p3', 'paid', s, s + interval '30 minutes',
                     tstzrange(s, s + interval '30 minutes') FROM (SELECT :'p4'::timestamptz AS s) x
                   ON CONFLICT DO NOTHING RETURNING id""",
                sc.tenant_id, other, sc.professional_id, start) == ""
    # a seat is one of 1..capacity, never twice in a class
    assert psql("""INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                     ends_at, blocked, seat) SELECT tenant_id, service_id, professional_id, 'paid',
                     starts_at, ends_at, blocked, seat FROM reservations
                   WHERE service_id = :'p1' AND starts_at = :'p2' ON CONFLICT DO NOTHING RETURNING id""",
                sc.service_id, start) == ""


def test_a_cancel_gives_the_place_back(api):
    sc = class_scenario(api, 2)
    day = bs.today_plus(5)
    start = day_slots(sc, day)[0]["start"]
    a = take_seat(sc, start, 1)
    take_seat(sc, start, 2)
    assert slot_at(sc, day, start) is None
    r = api.post("/api/public/bookings/%s/cancel" % a["id"], json={"reason": "No puedo ir"},
                 headers={"Authorization": "Bearer " + a["token"]})
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["status"] == "cancelled"
    assert slot_at(sc, day, start)["seats_left"] == 1
    assert seats_of(sc, start) == "2"
    c = take_seat(sc, start, 3)      # the seat given back is taken again
    assert seats_of(sc, start) == "1,2" and c["id"] != a["id"]


def test_a_reschedule_takes_a_place_in_another_class(api):
    sc = class_scenario(api, 2)
    day = bs.today_plus(5)
    first, second = [s["start"] for s in day_slots(sc, day)[:2]]
    a = take_seat(sc, first, 1)
    take_seat(sc, second, 2)
    take_seat(sc, second, 3)
    # the later class is full: no hold there
    assert sc.hold(second, api=Api(api.stack)).status_code == 409
    third = next(s["start"] for s in day_slots(sc, day) if s["start"] > second)
    hold = sc.hold(third, api=Api(api.stack)).json()["hold"]
    r = api.post("/api/public/bookings/%s/reschedule" % a["id"], json={"hold_token": hold["token"]},
                 headers={"Authorization": "Bearer " + a["token"]})
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["start"] == third
    # the first class has both places again; the booking holds the seat its hold took (the
    # hold itself used up): one place of the third class
    assert slot_at(sc, day, first)["seats_left"] == 2
    assert slot_at(sc, day, third)["seats_left"] == 1
    assert seats_of(sc, first) == ""
    assert seats_of(sc, third) == "1"
    assert psql("SELECT seat FROM reservations WHERE id = :'p1'", a["id"]) == "1"


def test_a_capacity_outside_one_to_five_hundred_is_refused_and_changes_nothing(merchant):
    api = merchant.api
    before = snapshot(merchant.tenant_id)
    for bad in (0, 501, -3, "12", 2.5, True):
        assert_field_error(api.post(SERVICES, json=dict(
            name="Yoga", description="Clase de yoga para todos.", duration_minutes=60,
            price={"amount": 3000000, "currency": "COP"}, charge_type="total", capacity=bad)),
            "capacity")
    assert snapshot(merchant.tenant_id) == before
    created = create_service(merchant, name="Yoga", capacity=12, attendee_names=True)
    assert created["capacity"] == 12 and created["attendee_names"] is True
    plain = create_service(merchant, name="Consulta")
    assert plain["capacity"] == 1 and plain["attendee_names"] is False
    for bad in (0, 501):
        assert_field_error(api.patch(SERVICES + "/" + created["id"], json={"capacity": bad}), "capacity")
    assert_field_error(api.patch(SERVICES + "/" + created["id"], json={"attendee_names": "yes"}),
                       "attendee_names")
    assert api.get(SERVICES + "/" + created["id"]).json() == created
    r = api.patch(SERVICES + "/" + created["id"], json={"capacity": 500})
    assert r.status_code == 200 and r.json()["capacity"] == 500
    assert psql("SELECT capacity FROM services WHERE id = :'p1'", created["id"]) == "500"


def test_the_link_tells_a_class_from_a_one_to_one_service(api):
    sc = class_scenario(api, 8)
    other = bs.service(sc.tenant_id, name="Consulta", duration=30)
    bs.offer(sc.tenant_id, other, sc.professional_id)
    r = api.get("/api/public/links/%s" % sc.slug)
    assert r.status_code == 200
    capacity = {s["id"]: s["capacity"] for s in r.json()["services"]}
    assert capacity == {sc.service_id: 8, other: 1}
    # a one-to-one service's slots carry no seats_left
    slots = sc.slots(service=other, **{"from": bs.today_plus(2), "days": 1})
    assert slots and all("seats_left" not in s for s in slots)


RACERS = 500


def test_hundreds_race_for_the_last_three_places_on_two_servers_and_three_win(api):
    sc = class_scenario(api, 10)
    day = bs.today_plus(4)
    start = day_slots(sc, day)[0]["start"]
    for i in range(7):
        take_seat(sc, start, i)
    assert slot_at(sc, day, start)["seats_left"] == 3
    with start_extra_httpd() as extra:
        servers = [api.stack, extra.stack]
        # each customer from an address of their own (the per-address limits are not raced)
        addresses = random.sample(range(1, 254 * 250), RACERS)
        clients = [Api(servers[i % 2], source_ip="127.%d.%d.%d" % (
            1 + a // 62500, (a // 250) % 250, 1 + a % 250)) for i, a in enumerate(addresses)]
        results, barrier = [None] * RACERS, threading.Barrier(RACERS)

        def go(i):
            barrier.wait()
            try:
                results[i] = sc.hold(start, api=clients[i]).status_code
            except Exception as e:   # noqa: BLE001 - a lost answer is counted, not raised
                results[i] = repr(e)
        threads = [threading.Thread(target=go, args=(i,)) for i in range(RACERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in clients:
            c.session.close()
        bad = [line for line in extra.error_lines() if "[error]" in line or "[crit]" in line]
        assert not bad, bad[:5]
    assert results.count(201) == 3, {r: results.count(r) for r in set(results)}
    assert results.count(409) == RACERS - 3, {r: results.count(r) for r in set(results)}
    # ten places, ten seats, each once
    assert seats_of(sc, start) == ",".join(str(n) for n in range(1, 11))
    assert slot_at(sc, day, start) is None


def live_events(shop, account):
    return [e for e in shop.google_events(account) if e.get("status") != "cancelled"]


def test_the_professional_s_calendar_has_one_event_per_class_listing_its_attendees(shop):
    account = shop.connect_google()
    psql("UPDATE services SET capacity = 4, attendee_names = true, duration_minutes = 60"
         " WHERE id = :'p1'", shop.service_id)
    date, ten = day_in(3)
    names = ["Ana Gómez", "Luis Díaz", "Marta Ruiz"]
    bookings = []
    for i, name in enumerate(names):
        client = Api(shop.api.stack)
        r = client.post("/api/public/holds", json={"link": shop.slug, "service": shop.service_id,
                                                   "professional": shop.professional_id, "start": z(ten)})
        assert r.status_code == 201, r.text
        r = client.post("/api/public/bookings", json={
            "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
            "customer": {"name": name, "email": "c%d@example.com" % i, "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        bookings.append(r.json()["booking"])

    def says(attendees):
        events = live_events(shop, account)
        return len(events) == 1 and all(n in events[0].get("description", "") for n in attendees) \
            and len(events[0]["description"].split("\n")) == 3 + len(attendees) and events[0]
    ev = wait_for(lambda: says(names), what="one event of the class with its three attendees")
    assert ev["summary"] == "Consulta general \u2014 class, 3 of 4 places"
    assert ev["start"]["dateTime"].startswith(z(ten)[:19])
    assert not ev.get("attendees")     # no customer sees the others
    # the first customer cancels: still one event, now of the two left
    first = bookings[0]
    r = shop.api.post("/api/public/bookings/%s/cancel" % first["id"], json={},
                      headers={"Authorization": "Bearer " + first["token"]})
    assert r.status_code == 200, r.text
    ev = wait_for(lambda: says(names[1:]), what="the class's event without the one who left")
    assert "Ana" not in ev["description"] and ev["summary"].endswith("2 of 4 places")
    # without the merchant's leave the event counts its attendees and names none
    psql("UPDATE services SET attendee_names = false WHERE id = :'p1'", shop.service_id)
    r = shop.api.post("/api/public/bookings/%s/cancel" % bookings[1]["id"], json={},
                      headers={"Authorization": "Bearer " + bookings[1]["token"]})
    assert r.status_code == 200, r.text
    ev = wait_for(lambda: (lambda e: len(e) == 1 and "1 of 4" in e[0]["summary"] and e[0])(
        live_events(shop, account)), what="the class's event of one")
    assert "Marta" not in ev["description"] and "names are not shared" in ev["description"]


def test_each_customer_pays_for_their_own_place(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    tid = merchant.tenant_id
    service = bs.service(tid, name="Yoga", duration=60, interval=60, price=3000000, charge="total")
    psql("UPDATE services SET capacity = 2 WHERE id = :'p1'", service)
    pro = bs.professional(tid, services=[service])
    slug = bs.link(tid)
    day = bs.today_plus(3)

    def offered():
        r = Api(stack).get("/api/public/links/%s/availability" % slug, params={
            "service": service, "professional": pro, "from": day, "days": 1})
        assert r.status_code == 200, r.text
        return r.json()["slots"][0]
    start = offered()["start"]
    bookings = []
    for i in range(2):
        client = Api(stack)
        r = client.post("/api/public/holds", json={"link": slug, "service": service,
                                                   "professional": pro, "start": start})
        assert r.status_code == 201, r.text
        r = client.post("/api/public/bookings", json={
            "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
            "customer": dict(customer(i), phone="+573001234567")})
        assert r.status_code == 201, r.text
        b = r.json()["booking"]
        # each place is paid for on its own: the seat's price, its own checkout
        assert b["status"] == "pending_payment" and b["charge"] == {"amount": 3000000, "currency": "COP"}
        bookings.append(b)
    assert bookings[0]["payment"]["reference"] != bookings[1]["payment"]["reference"]
    # two places waiting for their payments: the class is full meanwhile
    assert offered()["start"] != start
    # the first pays, the second's payment is declined: its place is offered again
    shop.fire(bookings[0]["payment"]["reference"], amount=3000000)
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", bookings[0]["id"])
             in ("paid", "confirmed"), what="the first place paid")
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the merchant callback")
    body = check_callback_signatures(got[0], shop.callback_secret)
    assert body["booking_id"] == bookings[0]["id"]
    assert body["cupo"] == {"capacidad": 2, "ocupados": 2}
    assert list(body)[:8] == ["evento", "tenant_id", "booking_id", "servicio", "profesional", "cita",
                              "cupo", "usuario"]
    assert body["pago"]["monto"] == 3000000
    shop.fire(bookings[1]["payment"]["reference"], amount=3000000, status="DECLINED")
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", bookings[1]["id"])
             == "failed", what="the second payment declined")
    wait_for(lambda: (lambda s: s["start"] == start and s["seats_left"] == 1)(offered()),
             what="the declined place offered again")


def test_the_merchant_sees_a_class_s_places_attendees_and_fill_rate(merchant, stack):
    tid = merchant.tenant_id
    psql("UPDATE tenants SET timezone = 'America/Bogota', terms_url = 'https://example.com/terms'"
         " WHERE id = :'p1'", tid)
    service = bs.service(tid, name="Yoga", duration=60, interval=60, price=0, charge="free")
    psql("UPDATE services SET capacity = 3 WHERE id = :'p1'", service)
    pro = bs.professional(tid, services=[service])
    slug = bs.link(tid)
    day = bs.today_plus(2)
    r = Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": day, "days": 1})
    start = r.json()["slots"][0]["start"]
    ids = []
    for i in range(3):
        client = Api(stack)
        r = client.post("/api/public/holds", json={"link": slug, "service": service,
                                                   "professional": pro, "start": start})
        assert r.status_code == 201, r.text
        if i == 2:
            break            # the third only holds: a place taken, no attendee yet
        r = client.post("/api/public/bookings", json={
            "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
            "customer": {"name": "Alumna %d" % i, "email": "a%d@example.com" % i, "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        ids.append(r.json()["booking"]["id"])
    r = merchant.api.get("/api/admin/bookings/%s" % ids[1])
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["class"] == {
        "capacity": 3, "seat": 2, "seats_taken": 3, "seats_left": 0,
        "attendees": [{"id": ids[0], "seat": 1, "status": "paid", "customer_name": "Alumna 0"},
                      {"id": ids[1], "seat": 2, "status": "paid", "customer_name": "Alumna 1"}]}
    # the metrics: the class is two of three places booked (a hold is no booking)
    r = merchant.api.get("/api/admin/metrics", params={"from": day, "to": day})
    assert r.status_code == 200, r.text
    fill = r.json()["seat_fill"]
    assert (fill["booked"], fill["places"]) == (2, 3) and abs(fill["rate"] - 2 / 3) < 1e-9
    r = merchant.api.get("/api/admin/metrics", params={"from": day, "to": day, "service": service})
    assert r.json()["seat_fill"]["places"] == 3
    # a one-to-one booking holds no seat
    other = bs.service(tid, name="Consulta", duration=30)
    bs.offer(tid, other, pro)
    single = bs.reservation(tid, other, pro, bs.today_plus(3) + "T15:00:00Z")
    r = merchant.api.get("/api/admin/bookings/%s" % single)
    assert r.status_code == 200 and r.json()["booking"]["class"] is None


def test_a_late_approval_keeps_a_place_nobody_took_and_loses_a_taken_one(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    tid = merchant.tenant_id
    service = bs.service(tid, name="Pilates", duration=60, interval=60, price=3000000, charge="total")
    psql("UPDATE services SET capacity = 2 WHERE id = :'p1'", service)
    pro = bs.professional(tid, services=[service])
    slug = bs.link(tid)
    day = bs.today_plus(3)
    start = Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": day, "days": 1}).json()["slots"][0]["start"]

    def book(i):
        client = Api(stack)
        r = client.post("/api/public/holds", json={"link": slug, "service": service,
                                                   "professional": pro, "start": start})
        assert r.status_code == 201, r.text
        r = client.post("/api/public/bookings", json={
            "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
            "customer": dict(customer(i), phone="+573001234567")})
        assert r.status_code == 201, r.text
        return r.json()["booking"]

    def expire(b):
        assert psql("SELECT kf_reservation_move(:'p1', 'pending_payment', 'expired',"
                    " 'payment_window_passed', 'payment_window_passed', NULL)", b["id"]) == "t"

    def status(b):
        return psql("SELECT status || ':' || coalesce(status_reason, '') FROM reservations"
                    " WHERE id = :'p1'", b["id"])
    a, b = book(1), book(2)
    # a's payment window ran out while the other place stays taken; a's approval comes late:
    # the class's other seat is no reason to refuse it, its own seat is still free
    expire(a)
    shop.fire(a["payment"]["reference"], amount=3000000)
    wait_for(lambda: status(a).split(":")[0] in ("paid", "confirmed"), what="the late approval paid")
    # b's window ran out and someone else took its seat meanwhile: its approval loses it
    expire(b)
    c = book(3)
    assert psql("SELECT seat FROM reservations WHERE id = :'p1'", c["id"]) == \
        psql("SELECT seat FROM reservations WHERE id = :'p1'", b["id"])
    shop.fire(b["payment"]["reference"], amount=3000000)
    wait_for(lambda: status(b) == "failed:slot_lost", what="the late approval without a place")
    assert psql("SELECT count(*) FROM reservations WHERE service_id = :'p1' AND status IN " + ACTIVE,
                service) == "2"


def test_a_declined_place_is_paid_again_with_a_seat_of_the_class(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    tid = merchant.tenant_id
    service = bs.service(tid, name="Spinning", duration=60, interval=60, price=2000000, charge="total")
    psql("UPDATE services SET capacity = 3 WHERE id = :'p1'", service)
    pro = bs.professional(tid, services=[service])
    slug = bs.link(tid)
    day = bs.today_plus(4)
    start = Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": pro, "from": day, "days": 1}).json()["slots"][0]["start"]
    client = Api(stack)
    hold = client.post("/api/public/holds", json={"link": slug, "service": service,
                                                  "professional": pro, "start": start}).json()["hold"]
    b = client.post("/api/public/bookings", json={
        "hold_token": hold["token"], "accepted_terms": True,
        "customer": dict(customer(1), phone="+573001234567")}).json()["booking"]
    shop.fire(b["payment"]["reference"], amount=2000000, status="DECLINED")
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", b["id"]) == "failed",
             what="declined")
    # two others take the first two seats meanwhile; the customer holds the last and pays again
    others = [Api(stack) for _ in range(2)]
    for i, o in enumerate(others):
        h = o.post("/api/public/holds", json={"link": slug, "service": service, "professional": pro,
                                              "start": start}).json()["hold"]
        assert o.post("/api/public/bookings", json={"hold_token": h["token"], "accepted_terms": True,
                                                    "customer": dict(customer(5 + i), phone="+573001234567")}
                      ).status_code == 201
    hold = client.post("/api/public/holds", json={"link": slug, "service": service,
                                                  "professional": pro, "start": start}).json()["hold"]
    r = client.post("/api/public/bookings/%s/pay" % b["id"], json={"hold_token": hold["token"]},
                    headers={"Authorization": "Bearer " + b["token"]})
    assert r.status_code == 200, r.text
    again = r.json()["booking"]
    assert again["status"] == "pending_payment" and again["id"] == b["id"]
    assert psql("SELECT seat FROM reservations WHERE id = :'p1'", b["id"]) == "3"
    # the class is full: nobody else gets in
    assert Api(stack).post("/api/public/holds", json={"link": slug, "service": service, "professional": pro,
                                                      "start": start}).status_code == 409
    shop.fire(again["payment"]["reference"], amount=2000000)
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", b["id"]) in ("paid", "confirmed"),
             what="paid again")
