"""Collective teams (API.md "Series, seats and teams"): a service whose every booking needs 2 to
5 professionals together. Availability offers the intersection of the team (a start at which
every member is free; one member busy then takes it away); a hold holds every member at once
or none (409 slot_unavailable, nothing held); the booking lists "professionals", is paid once
(one booking.paid callback), and a cancel frees every member while a reschedule moves them all.
The race: many customers at once, some for the team, some for one of its members alone: one
wins, and no team is ever half held. Bad teams are refused with the field and change nothing."""
import datetime as dt
import random
import threading

import booking_seed as bs
from calendar_support import CalendarShop, day_in, z
from catalog_support import SERVICES, assert_field_error, create_service, snapshot
from conftest import Api, psql
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for

ACTIVE = "('held', 'pending_payment', 'paid', 'confirmed')"
NAMES = ["Dra. Ana Ríos", "Dr. Beto Paz", "Dra. Carla Sol"]


def local(day, hhmm):
    """'HH:MM' of a date in Bogotá, as the API's UTC text."""
    d = dt.date.fromisoformat(day)
    h, m = (int(x) for x in hhmm.split(":"))
    return bs.iso(dt.datetime(d.year, d.month, d.day, h, m, tzinfo=bs.BOG))


def team_of_three(merchant, charge="free", price=0):
    """Three professionals with hours of their own (Bogotá): Ana 09-17, Beto 10-17, Carla 09-15;
    a 60-minute collective service of the three, made through the admin API; a public link;
    and a one-to-one service that Beto alone offers."""
    tid = merchant.tenant_id
    psql("UPDATE tenants SET timezone = 'America/Bogota', terms_url = 'https://example.com/terms'"
         " WHERE id = :'p1'", tid)
    hours = [("09:00", "17:00"), ("10:00", "17:00"), ("09:00", "15:00")]
    team = [bs.professional(tid, name=n, hours=bs.ALL_WEEK(h)) for n, h in zip(NAMES, hours)]
    body = dict(name="Junta médica", duration_minutes=60, slot_interval_minutes=60,
                charge_type=charge, price={"amount": price, "currency": "COP"},
                team={"mode": "collective", "professional_ids": team})
    service = create_service(merchant, **body)
    assert service["team"] == {"mode": "collective", "professional_ids": team}
    assert sorted(service["professional_ids"]) == sorted(team)
    alone = bs.service(tid, name="Control", duration=60, interval=60, price=0, charge="free")
    bs.offer(tid, alone, team[1])
    return service["id"], team, alone, bs.link(tid)


def starts(stack, slug, service, day, professional="any"):
    r = Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": professional, "from": day, "days": 1})
    assert r.status_code == 200, r.text
    return [s["start"] for s in r.json()["slots"]]


def hold(stack, slug, service, professional, start, api=None):
    return (api or Api(stack)).post("/api/public/holds", json={
        "link": slug, "service": service, "professional": professional, "start": start})


def book(client, token, name="Juan Pérez"):
    r = client.post("/api/public/bookings", json={
        "hold_token": token, "accepted_terms": True,
        "customer": {"name": name, "email": "junta-%d@example.com" % random.randrange(10**9),
                     "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    return r.json()["booking"]


def held_members(team, start):
    """The members held at `start` by some active reservation (a team's holds them all)."""
    return psql("SELECT count(DISTINCT m) FROM reservations r,"
                " unnest(coalesce(r.team_ids, ARRAY[r.professional_id])) m"
                " WHERE m = ANY(:'p1'::uuid[]) AND r.starts_at = :'p2' AND r.status IN " + ACTIVE,
                "{" + ",".join(team) + "}", start)


def test_the_team_is_offered_where_all_are_free_held_whole_and_paid_once(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    service, team, alone, slug = team_of_three(merchant, charge="total", price=9000000)
    day = bs.today_plus(3)
    # every member free: 10:00 (Beto starts) to 14:00 (Carla's last hour)
    expected = [local(day, h) for h in ("10:00", "11:00", "12:00", "13:00", "14:00")]
    assert starts(stack, slug, service, day) == expected
    # one member named: still the whole team's times (a team is booked whole)
    assert starts(stack, slug, service, day, professional=team[2]) == expected
    # someone outside the team who offers the service too (set on their own profile) does not
    # stand in for a member
    outsider = bs.professional(merchant.tenant_id, name="Dr. Externo", services=[service])
    # Beto alone booked at 12:00 elsewhere: the team is not offered then, nor any 12:00 of his
    bs.reservation(merchant.tenant_id, alone, team[1], local(day, "12:00"), minutes=60)
    expected.remove(local(day, "12:00"))
    wait_for(lambda: starts(stack, slug, service, day) == expected, what="12:00 no longer offered")
    r = Api(stack).get("/api/public/links/%s/availability" % slug, params={
        "service": service, "professional": outsider, "from": day, "days": 1})
    assert r.status_code == 404 and r.json()["error"]["code"] == "professional_not_found", r.text
    # Carla's day off: the team is offered nothing that day
    closed = bs.today_plus(4)
    psql("INSERT INTO professional_exceptions (professional_id, day, closed) VALUES (:'p1', :'p2', true)",
         team[2], closed)
    wait_for(lambda: starts(stack, slug, service, closed) == [], what="nothing on Carla's day off")

    # the hold holds all three at once
    ten = local(day, "10:00")
    customer = Api(stack)
    r = hold(stack, slug, service, "any", ten, api=customer)
    assert r.status_code == 201, r.text
    held = r.json()["hold"]
    assert held["professional"] in team
    assert held_members(team, ten) == "3"
    assert ten not in starts(stack, slug, service, day)
    # Beto alone is not free at 10:00 any more: his one-to-one service refuses it
    r = hold(stack, slug, alone, team[1], ten)
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable", r.text

    booking = book(customer, held["token"])
    assert booking["status"] == "pending_payment"
    assert [p["name"] for p in booking["professionals"]] == NAMES
    assert booking["charge"] == {"amount": 9000000, "currency": "COP"}
    shop.fire(booking["payment"]["reference"], amount=9000000)
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", booking["id"])
             in ("paid", "confirmed"), what="the team's booking paid")
    r = customer.get("/api/public/bookings/%s" % booking["id"], params={"token": booking["token"]})
    assert r.status_code == 200, r.text
    seen = r.json()["booking"]
    assert seen["status"] in ("paid", "confirmed")
    assert seen["professionals"] == [{"id": p, "name": n} for p, n in zip(team, NAMES)]
    # the merchant sees the team on the booking too
    r = merchant.api.get("/api/admin/bookings/%s" % booking["id"])
    assert r.status_code == 200, r.text
    assert [p["name"] for p in r.json()["booking"]["professionals"]] == NAMES
    # and finds it among the bookings of any member
    for pro in team:
        r = merchant.api.get("/api/admin/bookings", params={"professional": pro})
        assert r.status_code == 200, r.text
        assert booking["id"] in [b["id"] for b in r.json()["items"]], pro
    # paid once: one booking.paid callback for the whole team
    got = wait_for(lambda: callbacks_for(fakes, shop), what="the merchant callback")
    paid = [check_callback_signatures(c, shop.callback_secret) for c in callbacks_for(fakes, shop)
            if c["headers"]["X-Konfirmado-Event"] == "booking.paid"]
    assert len(got) >= 1 and len(paid) == 1
    assert paid[0]["booking_id"] == booking["id"]
    # still all three held, and nothing else at that time
    assert held_members(team, ten) == "3"
    assert psql("SELECT count(*) FROM reservations WHERE tenant_id = :'p1' AND starts_at = :'p2'"
                " AND status IN " + ACTIVE, merchant.tenant_id, ten) == "1"


def test_a_cancel_frees_every_member_and_a_reschedule_moves_them_all(merchant, stack, maildir):
    service, team, alone, slug = team_of_three(merchant)
    mark = "%d" % random.randrange(10**9)
    emails = ["miembro-%d-%s@example.com" % (i, mark) for i in range(3)]
    for pro, email in zip(team, emails):
        psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", email, pro)
    day = bs.today_plus(2)
    ten, one = local(day, "10:00"), local(day, "13:00")
    customer = Api(stack)
    r = hold(stack, slug, service, "any", ten, api=customer)
    assert r.status_code == 201, r.text
    booking = book(customer, r.json()["hold"]["token"])
    assert booking["status"] == "paid"      # a free service
    assert held_members(team, ten) == "3"
    # every member is told of the new booking, as its professional is
    for email in emails:
        notice = maildir.wait(1, to=email)
        assert "Junta médica" in notice[0]["Subject"], notice[0]["Subject"]
    # cancelled: every member is free at 10:00 again
    r = customer.post("/api/public/bookings/%s/cancel" % booking["id"], json={},
                      headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200, r.text
    assert held_members(team, ten) == "0"
    for email in emails:
        maildir.wait(2, to=email)     # and of its cancellation
    wait_for(lambda: ten in starts(stack, slug, service, day), what="10:00 offered again")
    r = hold(stack, slug, alone, team[1], ten)
    assert r.status_code == 201, r.text
    assert customer_release(stack, r.json()["hold"]) == 204
    # a team's hold that ran out (not yet swept) gives way to a member's own hold at once
    r = hold(stack, slug, service, "any", ten)
    assert r.status_code == 201, r.text
    psql("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = :'p1'",
         r.json()["hold"]["id"])
    r = hold(stack, slug, alone, team[1], ten)
    assert r.status_code == 201, r.text
    assert customer_release(stack, r.json()["hold"]) == 204

    # booked again at 10:00, then moved to 13:00 with a hold of the team there
    r = hold(stack, slug, service, "any", ten, api=customer)
    assert r.status_code == 201, r.text
    booking = book(customer, r.json()["hold"]["token"])
    mover = Api(stack)
    r = hold(stack, slug, service, "any", one, api=mover)
    assert r.status_code == 201, r.text
    r = mover.post("/api/public/bookings/%s/reschedule" % booking["id"],
                   json={"hold_token": r.json()["hold"]["token"]},
                   headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["start"] == one
    assert held_members(team, ten) == "0"
    assert held_members(team, one) == "3"
    assert psql("SELECT cardinality(team_ids) FROM reservations WHERE id = :'p1'", booking["id"]) == "3"
    wait_for(lambda: (lambda s: ten in s and one not in s)(starts(stack, slug, service, day)),
             what="10:00 offered again and 13:00 taken")
    r = hold(stack, slug, alone, team[1], one)
    assert r.status_code == 409, r.text
    r = hold(stack, slug, alone, team[1], ten)
    assert r.status_code == 201, r.text

    # the merchant moves it too: the whole team goes to 14:00
    two = local(day, "14:00")
    r = merchant.api.post("/api/admin/bookings/%s/reschedule" % booking["id"], json={"start": two})
    assert r.status_code == 200, r.text
    assert held_members(team, one) == "0"
    assert held_members(team, two) == "3"


def test_each_member_has_the_booking_in_their_own_calendar(merchant, fakes, stack):
    customer = Api(stack)
    shop = CalendarShop(merchant, customer, fakes, stack)
    team = [shop.professional_id, shop.add_professional(NAMES[1]), shop.add_professional(NAMES[2])]
    accounts = [shop.connect_google(professional=p) for p in team]
    r = merchant.api.patch(SERVICES + "/" + shop.service_id, json={
        "duration_minutes": 60, "slot_interval_minutes": 60,
        "team": {"mode": "collective", "professional_ids": team}})
    assert r.status_code == 200, r.text
    date, ten = day_in(3)
    eleven = ten + dt.timedelta(hours=1)
    assert z(ten) in shop.slots(date, professional="any")
    # an appointment in Carla's own calendar takes 10:00 from the whole team
    shop.google_event(accounts[2], ten, minutes=60)
    wait_for(lambda: z(ten) not in shop.slots(date, professional="any"), what="Carla busy at 10:00")
    assert z(eleven) in shop.slots(date, professional="any")

    r = shop.hold(z(eleven), professional="any")
    assert r.status_code == 201, r.text
    r = customer.post("/api/public/bookings", json={
        "hold_token": r.json()["hold"]["token"], "accepted_terms": True,
        "customer": {"name": "Juan Pérez", "email": "junta@example.com", "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    assert booking["status"] == "paid"

    def ours(account):
        return [e for e in shop.google_events(account)
                if e.get("status") != "cancelled" and e.get("summary", "").startswith("Consulta")]
    for account in accounts:
        ev = wait_for(lambda: (lambda e: len(e) == 1 and e[0])(ours(account)),
                      what="the booking's one event in %s's calendar" % account)
        assert ev["start"]["dateTime"].startswith(z(eleven)[:19])
    r = customer.post("/api/public/bookings/%s/cancel" % booking["id"], json={},
                      headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200, r.text
    for account in accounts:
        wait_for(lambda: ours(account) == [], what="the event gone from %s's calendar" % account)


def customer_release(stack, held):
    r = Api(stack).delete("/api/public/holds/%s" % held["id"],
                          headers={"Authorization": "Bearer " + held["token"]})
    return r.status_code


RACERS = 40


def test_a_team_and_one_of_its_members_raced_for_one_time_one_wins_never_half(merchant, stack):
    service, team, alone, slug = team_of_three(merchant)
    for round_ in range(3):
        day = bs.today_plus(5 + round_)
        start = local(day, "11:00")
        addresses = random.sample(range(1, 254 * 250), RACERS)
        clients = [Api(stack, source_ip="127.%d.%d.%d" % (1 + a // 62500, (a // 250) % 250,
                                                          1 + a % 250)) for a in addresses]
        results, barrier = [None] * RACERS, threading.Barrier(RACERS)

        def go(i):
            barrier.wait()
            try:
                if i % 2:
                    r = hold(stack, slug, alone, team[1], start, api=clients[i])
                else:
                    r = hold(stack, slug, service, "any", start, api=clients[i])
                results[i] = (i % 2, r.status_code)
            except Exception as e:   # noqa: BLE001 - a lost answer is counted, not raised
                results[i] = (i % 2, repr(e))
        threads = [threading.Thread(target=go, args=(i,)) for i in range(RACERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in clients:
            c.session.close()
        won = [kind for kind, code in results if code == 201]
        assert len(won) == 1, results
        assert all(code in (201, 409) for _, code in results), results
        rows = psql("SELECT coalesce(cardinality(team_ids), 1) FROM reservations"
                    " WHERE tenant_id = :'p1' AND starts_at = :'p2' AND status IN " + ACTIVE,
                    merchant.tenant_id, start)
        # one reservation: the whole team (3 held) or Beto alone (1; the others stay free)
        assert rows == ("3" if won[0] == 0 else "1"), (won, rows)
        assert held_members(team, start) == ("3" if won[0] == 0 else "1")


def test_a_bad_team_is_refused_with_the_field_and_changes_nothing(merchant):
    api = merchant.api
    tid = merchant.tenant_id
    pros = [bs.professional(tid, name="Profesional %d" % i) for i in range(6)]
    idle = bs.professional(tid, name="Sin horario", hours={})
    before = snapshot(tid)
    base = dict(name="Junta", description="Una junta de profesionales.", duration_minutes=60,
                price={"amount": 0, "currency": "COP"}, charge_type="free")

    def team(ids, **more):
        return dict(base, team=dict({"mode": "collective", "professional_ids": ids}, **more))
    fields = assert_field_error(api.post(SERVICES, json=team(pros[:1])), "team.professional_ids")
    assert "2" in fields["team.professional_ids"] and "5" in fields["team.professional_ids"]
    assert_field_error(api.post(SERVICES, json=team(pros)), "team.professional_ids")
    assert_field_error(api.post(SERVICES, json=team([pros[0], bs.new_uuid()])),
                       "team.professional_ids[1]")
    fields = assert_field_error(api.post(SERVICES, json=team([pros[0], idle])),
                                "team.professional_ids[1]")
    assert "horario" in fields["team.professional_ids[1]"]   # the tenant speaks Spanish
    assert_field_error(api.post(SERVICES, json=team([pros[0], pros[1], pros[0]])),
                       "team.professional_ids[2]")
    assert_field_error(api.post(SERVICES, json=dict(base, team={
        "mode": "round_robin", "professional_ids": pros[:2]})), "team.mode")
    assert_field_error(api.post(SERVICES, json=dict(team(pros[:2]), capacity=4)), "team")
    assert snapshot(tid) == before

    # a good one, then PATCHed wrong: refused, the team stays
    made = create_service(merchant, **team(pros[:2]))
    path = SERVICES + "/" + made["id"]
    assert_field_error(api.patch(path, json={"team": {"mode": "collective",
                                                     "professional_ids": [pros[0]]}}),
                       "team.professional_ids")
    assert_field_error(api.patch(path, json={"capacity": 3}), "team")
    assert api.get(path).json() == made
    # a PATCH of the team changes who offers it; null turns it into a one-to-one service
    r = api.patch(path, json={"team": {"mode": "collective", "professional_ids": pros[2:5]}})
    assert r.status_code == 200, r.text
    assert r.json()["team"]["professional_ids"] == pros[2:5]
    assert sorted(r.json()["professional_ids"]) == sorted(pros[2:5])
    r = api.patch(path, json={"team": None})
    assert r.status_code == 200 and r.json()["team"] is None, r.text


def test_the_assistant_offers_the_team_s_times_whoever_is_named(merchant, stack):
    service, team, alone, slug = team_of_three(merchant)
    day = bs.today_plus(1)
    r = Api(stack).post("/api/public/links/%s/assistant" % slug,
                        json={"text": "junta médica mañana con Carla", "tz": "America/Bogota"})
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["intent"]["service"] == service
    assert a["intent"]["professional"] == "any"     # the team is booked whole
    offered = starts(stack, slug, service, day)
    assert a["slots"] and all(s["start"] in offered for s in a["slots"]), (a["slots"], offered)
