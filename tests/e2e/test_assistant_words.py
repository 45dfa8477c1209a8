"""The booking assistant reads how people write (API.md "Booking assistant"): diminutives
("masajito", "mañanita", "tardecita"), misspellings ("afernoon", "mornin"), weekdays without
their accents, "antes del mediodía" / "before noon" in the customer's zone, and it never
lists as not understood a word it acted on ("consultation" for a consultation). Dates are
computed here in the customer's zone from the clock, as the assistant counts them."""
import datetime as dt

import pytest

import booking_seed as seed
from test_assistant import Shop, tomorrow


@pytest.fixture
def shop(stack):
    return Shop(stack)


def next_weekday(iso):
    """The date of the next ISO weekday strictly after today in Bogotá ("el próximo sábado")."""
    today = dt.datetime.now(seed.BOG).date()
    return (today + dt.timedelta(days=(iso - today.isoweekday()) % 7 or 7)).isoformat()


def hour(slot, field="local"):
    return int(slot[field][11:13])


def assert_offered(shop, answer, service, professional, day):
    """Every slot is one availability offers that day, shown in Bogotá's time."""
    assert answer["slots"], answer
    offered = shop.offered(service, professional, day)
    for s in answer["slots"]:
        assert (s["start"], s["professional"]) in offered
        assert s["local"].startswith(day) and s["local"].endswith("-05:00")


def test_a_masajito_in_the_mananita(shop):
    r = shop.ask("un masajito mañana por la mañanita con Ana", tz="America/Bogota")
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["intent"]["service"] == shop.massage
    assert a["intent"]["professional"] == shop.ana
    assert a["intent"]["from"] == a["intent"]["to"] == tomorrow()
    assert a["intent"]["part_of_day"] == "morning"
    assert a["intent"]["not_understood"] == []
    assert a["reply"].startswith("Horarios libres para Masaje relajante con Ana Gómez")
    assert_offered(shop, a, shop.massage, shop.ana, tomorrow())
    assert all(6 <= hour(s) < 12 for s in a["slots"])


@pytest.mark.parametrize("text, part, hours", [
    ("a massage tomorrow afernoon with Wais", "afternoon", range(12, 19)),
    ("a massage tomorrow afternon with Wais", "afternoon", range(12, 19)),
    ("a massage tomorrow mornin with Wais", "morning", range(6, 12)),
], ids=["afernoon", "afternon", "mornin"])
def test_a_misspelled_part_of_the_day_is_the_customers(shop, text, part, hours):
    """Wais works in Madrid: the part of the day is Bogotá's, where the customer is."""
    a = shop.ask(text, tz="America/Bogota").json()
    assert a["intent"]["service"] == shop.massage
    assert a["intent"]["part_of_day"] == part
    assert a["intent"]["not_understood"] == []
    assert_offered(shop, a, shop.massage, shop.wais, tomorrow())
    for s in a["slots"]:
        assert hour(s) in hours
        assert s["professional_local"].endswith(("+01:00", "+02:00"))


def test_a_weekday_without_its_accent_in_the_tardecita(shop):
    day = next_weekday(3)
    a = shop.ask("el proximo miercoles en la tardecita con Ana", tz="America/Bogota").json()
    assert (a["intent"]["from"], a["intent"]["to"]) == (day, day)
    assert a["intent"]["part_of_day"] == "afternoon"
    assert a["intent"]["not_understood"] == []
    assert_offered(shop, a, shop.cut, shop.ana, day)
    assert all(12 <= hour(s) < 19 for s in a["slots"])


def test_noon_bounds_the_customers_day(shop):
    """Wais's Madrid afternoon is Bogotá's morning: the bound is Bogotá's noon."""
    a = shop.ask("mañana antes del mediodía con Wais", tz="America/Bogota").json()
    assert (a["intent"]["earliest"], a["intent"]["latest"]) == (None, "11:59")
    assert a["intent"]["not_understood"] == []
    assert_offered(shop, a, shop.cut, shop.wais, tomorrow())
    for s in a["slots"]:
        assert hour(s) < 12 and hour(s, "professional_local") >= 14
    a = shop.ask("mañana a partir del mediodía con Wais", tz="America/Bogota").json()
    assert (a["intent"]["earliest"], a["intent"]["latest"]) == ("12:00", None)
    assert a["intent"]["not_understood"] == []
    assert_offered(shop, a, shop.cut, shop.wais, tomorrow())
    assert all(hour(s) >= 12 for s in a["slots"])


def test_a_word_it_acted_on_is_never_not_understood(shop):
    """"consultation" chooses the link's consultation (not its first service by name, the
    haircut) and is not listed; fillers never are; a word that did nothing is."""
    consult = seed.service(shop.tenant_id, name="Primera consulta", duration=30, charge="free",
                           price=0)
    seed.offer(shop.tenant_id, consult, shop.ana)
    a = shop.ask("quiero una consultation para mañana con Ana, por favor", tz="America/Bogota").json()
    assert a["intent"]["service"] == consult
    assert a["intent"]["not_understood"] == []
    assert a["reply"].startswith("Horarios libres para Primera consulta con Ana Gómez")
    assert_offered(shop, a, consult, shop.ana, tomorrow())

    a = shop.ask("me gustaría un masajito mañana con Ana y un unicornio", tz="America/Bogota").json()
    assert a["intent"]["service"] == shop.massage
    assert a["intent"]["not_understood"] == ["unicornio"]
