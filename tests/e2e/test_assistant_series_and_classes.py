"""The booking assistant (API.md "Booking assistant") asked for a series or a class (API.md
"Series, seats and teams"): a series sentence is read into the intent's repeat and count and
answered with starts whose every occurrence is free, as availability with repeat/count offers
them; a count outside the service's range is told and offers nothing; a series asked of a
service booked one session at a time gets single slots and says so; a class's slots carry
their places left, the reply names them, and a full class is never offered. A follow-up keeps
the series."""
import datetime as dt

import pytest

import booking_seed as bs
from conftest import Api, psql
from test_series import series_service

BOG = bs.BOG
WEEKLY = {"every": "week", "min": 2, "max": 6, "pay": "all"}


class Shop:
    """A tenant in Bogotá: "Terapia", booked as a weekly series of 2 to 6, and "Masaje", one
    session at a time, both with Ana; "Yoga", a class of 3 places, with Lucía; every hour
    09:00-17:00."""

    def __init__(self, stack):
        self.tenant_id, _ = bs.tenant()
        self.therapy = series_service(self.tenant_id, WEEKLY, price=0, charge="free")
        self.massage = bs.service(self.tenant_id, name="Masaje", duration=60, interval=60,
                                  price=0, charge="free", horizon=30)
        self.yoga = bs.service(self.tenant_id, name="Yoga", duration=60, interval=60, price=0,
                               charge="free", horizon=30)
        psql("UPDATE services SET capacity = 3 WHERE id = :'p1'", self.yoga)
        self.ana = bs.professional(self.tenant_id, name="Ana Gómez",
                                   services=[self.therapy, self.massage])
        self.lucia = bs.professional(self.tenant_id, name="Lucía Pérez", services=[self.yoga])
        self.slug = bs.link(self.tenant_id)
        self.stack = stack
        self.api = Api(stack)

    def ask(self, text, **body):
        body["text"] = text
        r = self.api.post("/api/public/links/%s/assistant" % self.slug, json=body)
        assert r.status_code == 200, r.text
        return r.json()

    def availability(self, service, professional, day, **params):
        params.update({"service": service, "professional": professional, "from": day, "days": 1})
        r = self.api.get("/api/public/links/%s/availability" % self.slug, params=params)
        assert r.status_code == 200, r.text
        return {s["start"]: s for s in r.json()["slots"]}

    def hold(self, service, professional, start, source_ip):
        r = Api(self.stack, source_ip=source_ip).post("/api/public/holds", json={
            "link": self.slug, "service": service, "professional": professional, "start": start})
        assert r.status_code == 201, r.text


@pytest.fixture
def shop(stack):
    return Shop(stack)


def local_day(start):
    return bs.utc(start).astimezone(BOG).date()


def assert_series_starts(shop, answer, count):
    """Every slot starts on a Monday and is a start availability offers for the series."""
    assert answer["slots"], answer
    for slot in answer["slots"]:
        day = local_day(slot["start"])
        assert day.isoweekday() == 1, slot
        assert slot["professional"] == shop.ana
        assert slot["start"] in shop.availability(shop.therapy, shop.ana, day.isoformat(),
                                                  repeat="week", count=count), slot


def test_a_series_sentence_offers_starts_whose_every_occurrence_is_free(shop):
    es = shop.ask("terapia todos los lunes por 4 semanas", tz="America/Bogota")
    assert es["intent"]["service"] == shop.therapy
    assert (es["intent"]["repeat"], es["intent"]["count"]) == ("week", 4)
    assert es["intent"]["not_understood"] == []
    assert_series_starts(shop, es, 4)
    first = bs.utc(es["slots"][0]["start"]).astimezone(BOG)
    assert "4 lunes seguidos desde el %d de " % first.day in es["reply"], es["reply"]
    assert "a las %02d:00" % first.hour in es["reply"], es["reply"]
    en = shop.ask("Terapia every Monday for 4 weeks", tz="America/Bogota")
    assert (en["intent"]["repeat"], en["intent"]["count"]) == ("week", 4)
    assert_series_starts(shop, en, 4)
    assert "4 Mondays from %d " % first.day in en["reply"], en["reply"]


def test_a_taken_third_monday_removes_that_start(shop):
    before = shop.ask("terapia todos los lunes por 3 semanas", tz="America/Bogota")
    start = before["slots"][0]["start"]
    other = bs.service(shop.tenant_id, name="Consulta", duration=60)
    bs.offer(shop.tenant_id, other, shop.ana)
    third = bs.iso(bs.utc(start) + dt.timedelta(weeks=2))
    bs.reservation(shop.tenant_id, other, shop.ana, third, minutes=60)
    after = shop.ask("terapia todos los lunes por 3 semanas", tz="America/Bogota")
    assert start not in [s["start"] for s in after["slots"]], after
    assert_series_starts(shop, after, 3)
    # a series of two never reaches the third Monday: that start is offered again
    two = shop.ask("terapia todos los lunes por 2 semanas", tz="America/Bogota")
    assert start in [s["start"] for s in two["slots"]], two


def test_a_count_outside_the_services_range_is_told_and_offers_nothing(shop):
    for text, says in (("terapia todos los lunes por 10 semanas", "de 2 a 6 sesiones"),
                       ("Terapia every Monday, 12 sessions", "2 to 6 sessions")):
        answer = shop.ask(text, tz="America/Bogota")
        assert answer["slots"] == [], answer
        assert answer["intent"]["repeat"] == "week"
        assert answer["intent"]["count"] in (10, 12)
        assert says in answer["reply"], answer["reply"]


def test_a_series_of_a_service_booked_one_session_at_a_time_gets_single_slots(shop):
    answer = shop.ask("masaje todos los lunes por 4 semanas", tz="America/Bogota")
    assert answer["intent"]["service"] == shop.massage
    assert (answer["intent"]["repeat"], answer["intent"]["count"]) == (None, None)
    assert answer["reply"].startswith("Masaje se reserva una sesión a la vez; "), answer["reply"]
    assert answer["slots"]
    for slot in answer["slots"]:
        day = local_day(slot["start"])
        assert day.isoweekday() == 1
        assert slot["start"] in shop.availability(shop.massage, shop.ana, day.isoformat())
    en = shop.ask("Masaje every Monday for 4 weeks", tz="America/Bogota")
    assert en["reply"].startswith("Masaje is booked one session at a time; "), en["reply"]


def test_a_class_carries_its_places_left_and_the_reply_names_them(shop):
    answer = shop.ask("clase de yoga el jueves", tz="America/Bogota")
    assert answer["intent"]["service"] == shop.yoga
    assert answer["intent"]["not_understood"] == []
    first = answer["slots"][0]
    assert first["seats_left"] == 3
    # one place taken in that class: the assistant counts it as availability does
    shop.hold(shop.yoga, shop.lucia, first["start"], "127.0.3.21")
    again = shop.ask("clase de yoga el jueves", tz="America/Bogota")
    day = local_day(first["start"]).isoformat()
    offered = shop.availability(shop.yoga, shop.lucia, day)
    for slot in again["slots"]:
        assert local_day(slot["start"]).isoweekday() == 4
        assert slot["seats_left"] == offered[slot["start"]]["seats_left"], slot
    assert again["slots"][0]["start"] == first["start"]
    assert again["slots"][0]["seats_left"] == 2
    assert "quedan 2 cupos" in again["reply"], again["reply"]
    en = shop.ask("yoga class on Thursday", tz="America/Bogota")
    assert en["intent"]["service"] == shop.yoga
    assert "2 places left" in en["reply"], en["reply"]
    # other services' slots carry no places
    assert all("seats_left" not in s for s in shop.ask("masaje el jueves")["slots"])


def test_a_full_class_is_never_offered(shop):
    first = shop.ask("clase de yoga el jueves", tz="America/Bogota")["slots"][0]["start"]
    for i in range(3):
        shop.hold(shop.yoga, shop.lucia, first, "127.0.3.%d" % (31 + i))
    answer = shop.ask("clase de yoga el jueves", tz="America/Bogota")
    assert first not in [s["start"] for s in answer["slots"]], answer
    assert answer["slots"] and all(s["seats_left"] >= 1 for s in answer["slots"])


def test_a_follow_up_keeps_asking_for_the_series(shop):
    first = shop.ask("terapia todos los lunes por 4 semanas", tz="America/Bogota")
    later = shop.ask("más tarde", context=first["context"])
    assert (later["intent"]["repeat"], later["intent"]["count"]) == ("week", 4)
    assert later["intent"]["service"] == shop.therapy
    assert_series_starts(shop, later, 4)
    assert later["slots"][0]["start"] > first["slots"][0]["start"]
    fewer = shop.ask("mejor 2 veces", context=first["context"])
    assert (fewer["intent"]["repeat"], fewer["intent"]["count"]) == ("week", 2)

