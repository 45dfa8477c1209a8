"""The availability cache (KonfirmadoAvailabilityCache): on one server a hold, a release,
the end of a hold, a booking or a catalog change shows in the very next availability
answer even when the previous one came from the cache; another server's writes and edits
made straight in the database show within KonfirmadoAvailabilityCacheTTL (1 s); and cached
answers are byte for byte the answers computed without the cache."""
import datetime as dt
import secrets
import time

import booking_seed as bs
from status_support import cache_misses
from conftest import psql, render_conf, start_extra_httpd

D = (dt.date.today() + dt.timedelta(days=3)).isoformat()
DAY = {"from": D, "days": 1}


def starts(sc, api=None, **kw):
    params = dict(DAY)
    params.update(kw)
    return [s["start"] for s in sc.slots(api=api, **params)]


def warm(sc, api=None, **kw):
    """Two identical answers in a row: the second one can only have come from the cache
    (or been computed again identically); either way the next check starts warm."""
    first = starts(sc, api=api, **kw)
    assert starts(sc, api=api, **kw) == first
    return first


def test_hold_and_release_show_at_once_on_the_same_server(api):
    sc = bs.Scenario(api)
    slot = warm(sc)[0]
    r = sc.hold(slot)
    assert r.status_code == 201, r.text
    hold = r.json()["hold"]
    assert slot not in starts(sc)
    warm(sc)
    r = api.delete("/api/public/holds/%s" % hold["id"],
                   headers={"Authorization": "Bearer " + hold["token"]})
    assert r.status_code == 204
    assert slot in starts(sc)


def test_any_professional_answers_follow_each_professional(api):
    sc = bs.Scenario(api, professionals=[{"name": "Ana"}, {"name": "Beto"}])
    a, b = sc.professionals
    slot = warm(sc, professional="any")[0]
    assert sc.hold(slot, professional=a).status_code == 201
    # still offered (B is free), by B now
    offered = {s["start"]: s["professional"] for s in sc.slots(professional="any", **DAY)}
    assert offered[slot] == b
    assert sc.hold(slot, professional=b).status_code == 201
    assert slot not in starts(sc, professional="any")


def test_a_hold_that_runs_out_is_offered_again_without_the_expiry_job(api):
    sc = bs.Scenario(api)
    # the slot must come back as soon as the hold runs out, because the hold's end bounds
    # the cached answer (whether or not an expiry job marked the row meanwhile)
    conf = render_conf({"KonfirmadoHoldTTL": "KonfirmadoHoldTTL 3"},
                       add=["KonfirmadoExpiryInterval 30"])
    with start_extra_httpd(conf) as extra:
        c = extra.api()
        slot = warm(sc, api=c)[0]
        hold = sc.hold(slot, api=c).json()["hold"]
        ends = bs.utc(hold["expires_at"])
        while dt.datetime.now(dt.timezone.utc) < ends - dt.timedelta(seconds=0.5):
            assert slot not in starts(sc, api=c)
            time.sleep(0.2)
        # expires_at is shown in whole seconds: the hold ends within the second after it
        while dt.datetime.now(dt.timezone.utc) < ends + dt.timedelta(seconds=1.1):
            time.sleep(0.05)
        assert slot in starts(sc, api=c)


def test_a_booking_and_its_end_show_at_once(api):
    sc = bs.Scenario(api)
    slot = warm(sc)[0]
    hold = sc.hold(slot).json()["hold"]
    warm(sc)
    assert sc.book(hold["token"]).status_code == 201
    assert slot not in starts(sc)


def test_catalog_changes_show_at_once(merchant):
    # a scenario in the merchant's own tenant, so that the admin API can change it
    sc = object.__new__(bs.Scenario)
    sc.api = merchant.api
    sc.tenant_id = merchant.tenant_id
    sc.subdomain = None
    sc.service_id = bs.service(merchant.tenant_id, duration=30, interval=30)
    sc.professionals = [bs.professional(merchant.tenant_id, services=[sc.service_id])]
    sc.slug = bs.link(merchant.tenant_id)
    before = warm(sc)
    assert before
    r = merchant.api.patch("/api/admin/services/%s" % sc.service_id,
                           json={"duration_minutes": 60})
    assert r.status_code == 200, r.text
    ends = {(s["start"], s["end"]) for s in sc.slots(**DAY)}
    first = sc.slots(**DAY)[0]
    assert bs.utc(first["end"]) - bs.utc(first["start"]) == dt.timedelta(minutes=60)
    assert len(ends) == len(before) - 1     # the last 30-minute start no longer fits


def test_other_servers_and_database_edits_show_within_the_ttl(api):
    sc = bs.Scenario(api)
    with start_extra_httpd() as extra:
        offered = warm(sc)
        first, second = offered[0], offered[4]      # an hour apart
        assert sc.hold(first, api=extra.api()).status_code == 201
        bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, second)
        t0 = time.time()
        while first in starts(sc) or second in starts(sc):
            assert time.time() - t0 < 1.5, "a change stayed unseen longer than the TTL"
            time.sleep(0.1)
    # and a hold is refused meanwhile anyway: the database decides
    assert sc.hold(second).status_code == 409


def test_bookings_deleted_together_are_offered_again(api):
    # one statement deleting several bookings of a professional (a business leaving,
    # retention) tells the professional's version once for all of them
    sc = bs.Scenario(api)
    offered = warm(sc)
    taken = offered[0:16:4]      # an hour apart
    ids = [bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, s) for s in taken]
    t0 = time.time()
    while any(s in starts(sc) for s in taken):
        assert time.time() - t0 < 1.5, "a booking stayed unseen longer than the TTL"
        time.sleep(0.1)
    warm(sc)
    psql("DELETE FROM reservations WHERE id = ANY(string_to_array(:'p1', ',')::uuid[])", ",".join(ids))
    t0 = time.time()
    while starts(sc) != offered:
        assert time.time() - t0 < 1.5, "deleted bookings stayed taken longer than the TTL"
        time.sleep(0.1)


def test_cached_answers_equal_uncached_ones(api):
    sc = bs.Scenario(api, professionals=[{"name": "Ana"}, {"name": "Beto"}],
                     service={"duration": 45, "interval": 15, "after": 10})
    bs.reservation(sc.tenant_id, sc.service_id, sc.professional_id, "%sT15:00:00Z" % D)
    queries = [dict(days=7), dict(days=7, tz="Europe/London"), dict(professional="any", days=3),
               dict(days=2, tz="Australia/Sydney")]
    conf = render_conf({"KonfirmadoAvailabilityCache": "KonfirmadoAvailabilityCache Off"})
    with start_extra_httpd(conf) as uncached:
        u = uncached.api()
        for q in queries:
            params = {"from": D}
            params.update(q)
            fresh = sc.availability(api=u, **params)
            assert fresh.status_code == 200
            for _ in range(2):
                cached = sc.availability(**params)
                assert cached.status_code == 200
                assert cached.content == fresh.content, q
                assert cached.headers["Content-Type"] == fresh.headers["Content-Type"]


def test_a_cached_answer_is_served_while_the_database_is_down(api, allow_log):
    """A cache hit needs no database connection (the route takes one only on a miss): during
    a database outage the answers cached in the last seconds are still served, a question not
    cached is a clear 503, and the server answers both as soon as the database is back."""
    from conftest import pg_down
    allow_log(r"DBD", r"dbd", r"database", r"connection lost", r"kf_")
    sc = bs.Scenario(api)
    conf = render_conf({"KonfirmadoAvailabilityCacheTTL": "KonfirmadoAvailabilityCacheTTL 10"})
    with start_extra_httpd(conf) as extra:
        c = extra.api()
        # a new server's listener bumps every answer when it first connects (what changed
        # before it listened is unknown): cache the answer after that
        time.sleep(2)
        before = sc.availability(api=c, **DAY)
        assert before.status_code == 200
        with pg_down():
            # past the 1 s after which an idle pooled connection is pinged first: a route that
            # took a connection before looking at the cache would answer 503 here
            time.sleep(1.5)
            during = sc.availability(api=c, **DAY)
            assert during.status_code == 200, during.text
            assert during.content == before.content
            other = sc.availability(api=c, **{"from": D, "days": 2})
            assert other.status_code == 503, other.text
            assert other.json()["error"]["code"] == "service_unavailable"
            assert other.headers.get("Retry-After")
        deadline = time.time() + 20
        while sc.availability(api=c, **{"from": D, "days": 2}).status_code != 200:
            assert time.time() < deadline, "availability still refused after the database came back"
            time.sleep(0.2)


def test_an_answer_lapsed_by_its_ttl_alone_is_served_at_once_and_refilled_after(api):
    """Past its TTL (1 s) and before the clock changes it, a cached answer is still the
    answer: the request that refills it is served it at once and computes the next one after
    its answer has left, so no customer waits for a refill the clock did not ask for (after a
    graceful restart, that wait was a new child's first statement)."""
    from status_support import scrape, value

    def looks(c):
        f = scrape(c)
        return (value(f, "konfirmado_cache_hits", "konfirmado_cache_hits_total"),
                value(f, "konfirmado_cache_misses", "konfirmado_cache_misses_total"))
    sc = bs.Scenario(api)
    with start_extra_httpd() as extra:
        c = extra.api()
        # once the children's change listeners have started, an answer asked twice comes
        # from the cache the second time
        deadline = time.time() + 10
        while True:
            answer = starts(sc, api=c)
            before = looks(c)
            assert starts(sc, api=c) == answer
            if looks(c)[0] > before[0]:
                break
            assert time.time() < deadline, "the cache never answered"
            time.sleep(0.2)
        time.sleep(1.3)     # lapsed by the TTL, inside the 2 s grace; no slot ends meanwhile
        hits, misses = looks(c)
        assert starts(sc, api=c) == answer
        assert looks(c) == (hits + 1, misses), "the refill was computed before the answer"
        # the refill landed: the next answer is a hit of the new entry, and a hold still
        # shows at once in it
        assert starts(sc, api=c) == answer
        assert looks(c) == (hits + 2, misses)
        assert sc.hold(answer[0], api=c).status_code == 201
        assert answer[0] not in starts(sc, api=c)


def kept_answer(sc, c):
    """sc's answer once c's server keeps it: asked twice, the second time from its cache (its
    children's change listeners have started)."""
    deadline = time.time() + 10
    while True:
        answer = starts(sc, api=c)
        before = cache_misses(c)
        assert starts(sc, api=c) == answer
        if cache_misses(c) == before:
            return answer
        assert time.time() < deadline, "the cache never answered"
        time.sleep(0.2)


def test_holds_running_out_elsewhere_leave_other_answers_cached(api):
    """The expiry job marks run-out holds expired; that changes no answer (each lapsed at the
    hold's deadline already), so every other answer in the cache stays there and its next
    customer is answered from it, not after a computation. Attempted up to three times: an
    edit made meanwhile by someone else (a catalog change empties the whole cache) can cost one
    attempt, while a job that emptied the cache at each run it expired anything would spoil
    every attempt."""
    sc, elsewhere = bs.Scenario(api), bs.Scenario(api)
    conf = render_conf({"KonfirmadoHoldTTL": "KonfirmadoHoldTTL 2"},
                       add=["KonfirmadoExpiryInterval 1"])
    with start_extra_httpd(conf) as extra:
        c = extra.api()
        answer = kept_answer(sc, c)
        untouched = 0
        for _ in range(3):
            r = elsewhere.hold(starts(elsewhere, api=c)[0], api=c)
            assert r.status_code == 201, r.text
            hold_id = r.json()["hold"]["id"]
            assert starts(sc, api=c) == answer
            before = cache_misses(c)
            gone = time.time() + 10
            # asked every 0.3 s until a moment after the job marked the hold expired: within
            # the TTL and its grace all along, so only a bump can make one of them a miss
            while psql("SELECT status FROM reservations WHERE id = :'p1'", hold_id) != "expired":
                assert time.time() < gone, "the expiry job never marked the hold"
                assert starts(sc, api=c) == answer
                time.sleep(0.3)
            for _ in range(3):
                time.sleep(0.3)
                assert starts(sc, api=c) == answer
            if cache_misses(c) == before:
                untouched += 1
                break
        assert untouched, "each expiry run emptied the cache of every other business"


def test_logins_and_chat_messages_leave_cached_answers_alone(api, merchant):
    """A write that changes no availability (a merchant's login, a customer's message to the
    booking assistant) leaves every answer in the cache, so a busy dashboard or chat does not
    turn each customer's next availability into a computation. Attempted up to three times,
    as above."""
    sc = bs.Scenario(api)
    events = "/api/public/links/%s/assistant/events" % sc.slug
    with start_extra_httpd() as extra:
        c = extra.api()
        answer = kept_answer(sc, c)
        untouched = 0
        for _ in range(3):
            assert starts(sc, api=c) == answer
            before = cache_misses(c)
            r = c.post("/api/auth/login", json={"email": merchant.email,
                                                "password": merchant.password})
            assert r.status_code == 200, r.text
            r = c.post(events, json={"event": "opened"},
                       headers={"X-Konfirmado-Visit": "v" + secrets.token_hex(12)})
            assert r.status_code == 204, r.text
            assert starts(sc, api=c) == answer
            if cache_misses(c) == before:
                untouched += 1
                break
        assert untouched, "each login or message emptied the cache"
