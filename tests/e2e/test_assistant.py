"""POST /api/public/links/{link}/assistant (API.md "Booking assistant"): a sentence read into
the intent, up to 5 slots that availability offers (each one can be held), each in the
customer's zone and the professional's when it differs, a reply in the sentence's language,
follow-ups through the context, the reason and nearest times when nothing fits, 400
validation_failed / 404 link_not_found / 429 too_many_requests, and the funnel's three steps.
Dates are computed here in the customer's zone from the clock, as the assistant counts them."""
import datetime as dt
import secrets

import pytest

import booking_seed as seed
from conftest import Api, psql

BOG = seed.BOG


def tomorrow():
    return (dt.datetime.now(BOG).date() + dt.timedelta(days=1)).isoformat()


class Shop:
    """A tenant in Bogotá with two services and two professionals: Ana in Bogotá (09-17) and
    Wais in Madrid (14-22 there, 08-16 in Bogotá), both offering both services."""

    def __init__(self, stack):
        self.tenant_id, self.subdomain = seed.tenant()
        self.cut = seed.service(self.tenant_id, name="Corte de cabello", duration=30, charge="free",
                                price=0)
        self.massage = seed.service(self.tenant_id, name="Masaje relajante", duration=60,
                                    charge="free", price=0)
        both = [self.cut, self.massage]
        self.ana = seed.professional(self.tenant_id, name="Ana Gómez",
                                     hours=seed.ALL_WEEK(("09:00", "17:00")), services=both)
        self.wais = seed.professional(self.tenant_id, name="Wais Hamid", timezone="Europe/Madrid",
                                      hours=seed.ALL_WEEK(("14:00", "22:00")), services=both)
        self.slug = seed.link(self.tenant_id)
        self.api = Api(stack)
        self.visit = "v" + secrets.token_hex(12)

    def ask(self, text, api=None, **body):
        body["text"] = text
        return (api or self.api).post("/api/public/links/%s/assistant" % self.slug, json=body,
                                      headers={"X-Konfirmado-Visit": self.visit})

    def offered(self, service, professional, day, days=1):
        r = self.api.get("/api/public/links/%s/availability" % self.slug, params={
            "service": service, "professional": professional, "from": day, "days": days})
        assert r.status_code == 200, r.text
        return {(s["start"], s["professional"]) for s in r.json()["slots"]}

    def funnel(self, event):
        return int(psql("SELECT count(*) FROM funnel_events WHERE tenant_id = :'p1' AND event = :'p2' "
                        "AND visit_id = :'p3'", self.tenant_id, event, self.visit))


@pytest.fixture
def shop(stack):
    return Shop(stack)


def test_a_spanish_sentence_gets_its_intent_and_slots_that_can_be_held(shop):
    r = shop.ask("mañana por la tarde con Ana", tz="America/Bogota")
    assert r.status_code == 200, r.text
    a = r.json()
    intent = a["intent"]
    assert intent["service"] == shop.cut           # the link's first service by name
    assert intent["professional"] == shop.ana
    assert intent["from"] == intent["to"] == tomorrow()
    assert intent["part_of_day"] == "afternoon"
    assert intent["timezone"] == "America/Bogota"
    assert intent["not_understood"] == []
    assert a["reply"].startswith("Horarios libres para Corte de cabello con Ana Gómez")
    assert 1 <= len(a["slots"]) <= 5
    offered = shop.offered(shop.cut, shop.ana, tomorrow())
    for s in a["slots"]:
        assert (s["start"], s["professional"]) in offered
        assert s["local"].startswith(tomorrow()) and s["local"].endswith("-05:00")
        assert 12 <= int(s["local"][11:13]) <= 18
        assert "professional_local" not in s        # Ana's zone is the customer's
    # the assistant held nothing; the customer holds the slot picked
    assert psql("SELECT count(*) FROM reservations WHERE tenant_id = :'p1'", shop.tenant_id) == "0"
    first = a["slots"][0]
    r = shop.api.post("/api/public/holds", json={"link": shop.slug, "service": shop.cut,
                                                  "professional": first["professional"],
                                                  "start": first["start"]})
    assert r.status_code == 201, r.text


def test_every_offered_slot_can_be_held(shop):
    """Each of the five (holding one, then giving it back, since they overlap)."""
    a = shop.ask("next week in the afternoon with anyone", tz="America/Bogota").json()
    assert len(a["slots"]) == 5
    assert len({s["local"][:10] for s in a["slots"]}) == 5      # spread over the week's days
    for s in a["slots"]:
        r = shop.api.post("/api/public/holds", json={"link": shop.slug, "service": shop.cut,
                                                      "professional": s["professional"],
                                                      "start": s["start"]})
        assert r.status_code == 201, (s, r.text)
        hold = r.json()["hold"]
        assert shop.api.delete("/api/public/holds/%s" % hold["id"],
                               headers={"Authorization": "Bearer " + hold["token"]}).status_code == 204


def test_the_reply_speaks_the_requests_language(shop):
    english = shop.api.post("/api/public/links/%s/assistant" % shop.slug, json={"text": "mañana con Ana"},
                            headers={"Accept-Language": "en-US,en;q=0.9"}).json()
    assert english["reply"].startswith("Free times for Corte de cabello with Ana Gómez")
    spanish = shop.api.post("/api/public/links/%s/assistant" % shop.slug, json={"text": "tomorrow with Ana"},
                            headers={"Accept-Language": "es-CO"}).json()
    assert spanish["reply"].startswith("Horarios libres para Corte de cabello con Ana Gómez")


def test_english_with_a_professional_in_another_zone(shop):
    r = shop.ask("a massage tomorrow morning with Wais", tz="America/Bogota")
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["intent"]["service"] == shop.massage
    assert a["intent"]["professional"] == shop.wais
    assert a["intent"]["part_of_day"] == "morning"
    assert a["reply"].startswith("Free times for Masaje relajante with Wais Hamid")
    assert a["slots"], a
    offered = shop.offered(shop.massage, shop.wais, tomorrow())
    for s in a["slots"]:
        assert (s["start"], s["professional"]) in offered
        assert int(s["local"][11:13]) < 12
        # both zones shown: the same instant, Madrid's wall clock six hours ahead
        assert s["local"].endswith("-05:00") and s["professional_local"].endswith("+01:00")
        assert (int(s["professional_local"][11:13]) - int(s["local"][11:13])) % 24 == 6


def test_the_customers_zone_named_in_the_sentence(shop):
    r = shop.ask("tomorrow around 3pm with anyone, I'm in Madrid")
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["intent"]["timezone"] == "Europe/Madrid"
    assert a["intent"]["professional"] == "any"
    assert (a["intent"]["earliest"], a["intent"]["latest"]) == ("14:00", "16:00")
    assert a["intent"]["from"] == (dt.datetime.now(dt.timezone.utc).astimezone(
        seed.ZoneInfo("Europe/Madrid")).date() + dt.timedelta(days=1)).isoformat()
    for s in a["slots"]:
        assert s["local"].endswith("+01:00")


def test_follow_ups_refine_through_the_context(shop):
    first = shop.ask("tomorrow with anyone", tz="America/Bogota").json()
    assert len(first["slots"]) == 5
    later = shop.ask("later", context=first["context"]).json()
    assert later["intent"]["from"] == tomorrow() and later["intent"]["professional"] == "any"
    assert later["slots"]
    assert min(s["start"] for s in later["slots"]) > max(s["start"] for s in first["slots"])
    earlier = shop.ask("más temprano", context=later["context"]).json()
    assert max(s["start"] for s in earlier["slots"]) < min(s["start"] for s in later["slots"])
    picked = shop.ask("the second one", context=first["context"]).json()
    assert picked["slots"] == [first["slots"][1]]
    assert picked["reply"].startswith("You picked")
    other = shop.ask("otro día", context=first["context"]).json()
    assert other["slots"] and all(s["local"][:10] != tomorrow() for s in other["slots"])


def test_nothing_fits_says_why_and_offers_the_nearest(shop):
    r = shop.ask("tomorrow at 11pm with Ana", tz="America/Bogota")
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["intent"]["earliest"] == a["intent"]["latest"] == "23:00"
    assert "no free time" in a["reply"] and "nearest" in a["reply"]
    assert a["slots"]
    offered = shop.offered(shop.cut, shop.ana, tomorrow())
    assert {(s["start"], s["professional"]) for s in a["slots"]} <= offered
    # the nearest to 23:00 that day: Ana's last starts before 17:00
    assert max(s["local"][11:16] for s in a["slots"]) == "16:30"


@pytest.mark.parametrize("body, field", [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"text": "x" * 501}, "text"),
    ({"text": 5}, "text"),
    ({"text": "tomorrow", "tz": "Mars/Olympus"}, "tz"),
    ({"text": "tomorrow", "tz": "../etc/passwd"}, "tz"),
    ({"text": "later", "context": "not-a-context"}, "context"),
    ({"text": "later", "context": "eyJ2IjoxfQ"}, "context"),
], ids=["missing", "empty", "blank", "too-long", "number", "unknown-zone", "zone-path",
        "garbage-context", "short-context"])
def test_bad_questions_are_validation_failed_and_change_nothing(shop, body, field):
    r = shop.api.post("/api/public/links/%s/assistant" % shop.slug, json=body,
                      headers={"X-Konfirmado-Visit": shop.visit})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "validation_failed"
    assert field in r.json()["error"]["fields"]
    assert shop.funnel("assistant_answered") == 0


def test_a_context_naming_another_links_professional_is_refused(shop, stack):
    other = Shop(stack)
    ctx = other.ask("tomorrow with Ana").json()["context"]
    r = shop.ask("later", context=ctx)
    assert r.status_code == 400 and "context" in r.json()["error"]["fields"]


def test_500_characters_are_fine(shop):
    text = ("tomorrow with Ana " * 40)[:500]
    assert shop.ask(text).status_code == 200


def test_unknown_link_and_another_tenants_host_are_404(shop, stack):
    r = shop.api.post("/api/public/links/%s/assistant" % ("x" * 24), json={"text": "tomorrow"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found"
    _, other = seed.tenant()
    r = shop.api.post("/api/public/links/%s/assistant" % shop.slug, json={"text": "tomorrow"},
                      tenant=other)
    assert r.status_code == 404 and r.json()["error"]["code"] == "link_not_found"
    r = shop.api.post("/api/public/links/%s/assistant/events" % ("x" * 24), json={"event": "opened"})
    assert r.status_code == 404


def test_rate_limited_with_the_public_reads(shop, stack):
    client = Api(stack)
    for _ in range(300):
        assert client.get("/api/public/links/%s" % shop.slug).status_code == 200
    r = shop.ask("tomorrow", api=client)
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_requests"
    assert int(r.headers["Retry-After"]) >= 1


def test_the_funnel_counts_opened_answered_and_picked(shop):
    events = "/api/public/links/%s/assistant/events" % shop.slug
    h = {"X-Konfirmado-Visit": shop.visit}
    assert shop.api.post(events, json={"event": "opened"}, headers=h).status_code == 204
    assert shop.ask("mañana con Ana").status_code == 200
    assert shop.api.post(events, json={"event": "slot_picked"}, headers=h).status_code == 204
    r = shop.api.post(events, json={"event": "booked"}, headers=h)
    assert r.status_code == 400 and "event" in r.json()["error"]["fields"]
    assert (shop.funnel("assistant_opened"), shop.funnel("assistant_answered"),
            shop.funnel("assistant_slot_picked")) == (1, 1, 1)


def test_the_page_is_served_at_book_link_assistant(shop):
    r = shop.api.get("/book/%s/assistant" % shop.slug)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "/static/wizard/app.js" in r.text
    js = shop.api.get("/static/wizard/assistant.js")
    assert js.status_code == 200 and "askAssistant" in js.text


def test_the_merchants_metrics_count_the_assistants_steps(merchant, stack):
    """The funnel's assistant steps reach the merchant (API.md metrics "assistant")."""
    service = seed.service(merchant.tenant_id, name="Corte de cabello", duration=30,
                           charge="free", price=0)
    seed.professional(merchant.tenant_id, name="Ana Gómez", services=[service],
                      hours=seed.ALL_WEEK(("09:00", "17:00")))
    slug = seed.link(merchant.tenant_id)
    public, visit = Api(stack), {"X-Konfirmado-Visit": "v" + secrets.token_hex(12)}

    def figures():
        r = merchant.api.get("/api/admin/metrics", params={"period": "7d"})
        assert r.status_code == 200, r.text
        return r.json()["assistant"]

    assert figures() == {"opened": 0, "answered": 0, "slot_picked": 0}
    events = "/api/public/links/%s/assistant/events" % slug
    assert public.post(events, json={"event": "opened"}, headers=visit).status_code == 204
    assert public.post("/api/public/links/%s/assistant" % slug, headers=visit,
                       json={"text": "mañana con Ana"}).status_code == 200
    assert public.post(events, json={"event": "slot_picked"}, headers=visit).status_code == 204
    assert figures() == {"opened": 1, "answered": 1, "slot_picked": 1}
