"""A merchant builds a booking link per customer with its own ids
(/book/{link}?metadata[order]=A-17, API.md "Metadata"): the customer books as on any link and
the booking carries the ids; an entry the API would refuse is left out rather than stopping
the customer; from the assistant, the ids go on to the wizard."""
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, wait, wait_css
from dashboard_support import broken_words, e2e, e2e_helper, heading, log_in
from journey import Journey
from test_manage_journeys import stack  # noqa: F401  (fixture)


@pytest.fixture
def free(stack):
    seed = e2e_helper("booking_seed")
    sc = seed.Scenario(e2e.Api(stack), tenant={"wompi": False, "name": "Centro Norte"},
                       service={"charge": "free", "price": 0, "name": "Valoración", "horizon": 30},
                       professionals=[{"name": "Lucía Prado", "hours": seed.ALL_WEEK(("08:00", "18:00"))}])
    return sc


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_a_links_ids_reach_the_booking(browser, stack, free, size):
    d = browser("es", size)
    email = "ids-%s@example.com" % secrets.token_hex(5)
    j = Journey(d).open("%s/book/%s?metadata[order]=A-17&metadata[crm.id]=88&metadata[bad key]=x"
                        % (stack["KF_URL"], free.slug))
    j.pick(j.to_time()[0])
    j.wait_held()
    j.to_details()
    j.fill(name="Mateo Ríos", email=email, phone="3001234567", terms=True)
    j.submit()
    heading(d, "¡Reserva confirmada!", timeout=30)
    stored = e2e.psql("SELECT metadata FROM reservations WHERE customer_email = :'p1'", email)
    assert json.loads(stored) == {"order": "A-17", "crm.id": "88"}


def test_the_assistant_hands_the_ids_on_to_the_wizard(browser, stack, free):
    d = browser("es", DESKTOP)
    d.get("%s/book/%s/assistant?metadata[order]=B-2" % (stack["KF_URL"], free.slug))
    link = wait_css(d, "#ask-wizard")
    wait(d, lambda d: "metadata" in link.get_attribute("href"))
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert query == {"metadata[order]": ["B-2"]}
    assert not d.find_elements(By.CSS_SELECTOR, ".error")


@pytest.mark.parametrize("lang,size", [("es", MOBILE), ("en", DESKTOP)])
def test_the_merchant_reads_a_bookings_ids_on_its_detail(browser, stack, shots, lang, size):
    m = e2e.seed_merchant(stack, business="Centro Sur")
    seed = e2e_helper("admin_bookings_seed")
    service = seed.add_service(m, name="Control")
    pro = seed.add_professional(m, name="Dr. Paz")
    booking = seed.add_booking(m, service, pro, "2026-03-03T15:00:00Z")
    e2e.psql("""UPDATE reservations SET metadata = '{"order": "A-17", "crm.customer_id": "cliente-88-bogota"}'
                WHERE id = :'p1'""", booking)
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + booking)
    box = wait_css(d, ".metadata")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    label = {"es": "Tus datos de referencia", "en": "Your reference data"}[lang]
    title = box.find_element(By.TAG_NAME, "h3").text
    assert label in title and "metadata" in title
    # keys in order, as every callback carries them
    assert [e.text for e in box.find_elements(By.TAG_NAME, "dt")] == ["crm.customer_id", "order"]
    assert "cliente-88-bogota" in box.text and "A-17" in box.text
    assert no_horizontal_scroll(d)
    assert not broken_words(d, ".metadata dl"), broken_words(d, ".metadata dl")
    shots(d, "dashboard-booking-metadata-" + lang)
