"""A customer signed in to a business's portal who opens that business's booking link finds
the details step filled with their name, email and phone (GET /api/public/me/details, on the
real stack): nothing is sent by itself, every field stays editable, and a link's own
?name=&email=&phone= win over the portal's (another address on the link is another person:
nothing of the portal's is taken). On the platform's host, where no portal session exists,
the form stays empty. Screenshots: var/screenshots/known-customer-*."""
import secrets
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import DESKTOP, MOBILE, click, console_errors, no_horizontal_scroll, wait, wait_css, wait_text
from dashboard_support import e2e, e2e_helper, heading
from journey import Journey
from test_manage_journeys import stack  # noqa: F401  (fixture)
from test_portal_journeys import sign_in_by_mail, tenant_root


@pytest.fixture
def known(stack):
    """Centro Andino's free consultation, and a customer who booked it once."""
    seed = e2e_helper("booking_seed")
    api = e2e.Api(stack)
    sc = seed.Scenario(api, tenant={"wompi": False, "name": "Centro Andino"},
                       service={"charge": "free", "price": 0, "name": "Consulta general", "horizon": 30},
                       professionals=[{"name": "Lucía Prado", "hours": seed.ALL_WEEK(("08:00", "18:00"))}])
    e2e.psql("UPDATE tenants SET logo_url = NULL WHERE id = :'p1'", sc.tenant_id)
    email = "conocida-%s@example.com" % secrets.token_hex(5)
    start = sc.slots(**{"from": seed.today_plus(6), "days": 1})[0]["start"]
    r = sc.book(sc.hold(start).json()["hold"]["token"], email=email, name="Valentina Ruiz", phone="+573001234567")
    assert r.status_code == 201, r.text
    return {"sc": sc, "email": email, "root": tenant_root(stack, sc.tenant_id)}


def bookings_of(email):
    return int(e2e.psql("SELECT count(*) FROM reservations WHERE lower(customer_email) = lower(:'p1')", email))


def to_details(d, url):
    j = Journey(d).open(url)
    times = j.to_time()
    j.pick(times[0])
    j.wait_held()
    j.to_details()
    return j


def form(d):
    value = lambda fid: d.find_element(By.ID, fid).get_attribute("value")   # noqa: E731
    return {"name": value("f-name"), "email": value("f-email"),
            "phone": Select(d.find_element(By.ID, "f-prefix")).first_selected_option.get_attribute("value")
            + value("f-phone")}


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_a_customer_signed_in_to_the_portal_finds_the_details_filled(browser, stack, known, shots, size):
    d = browser("es", size)
    name = "known-customer-%s" % ("360" if size == MOBILE else "desktop")
    sign_in_by_mail(d, stack, known["root"], known["email"], shots, name)
    slug = known["sc"].slug
    to_details(d, known["root"] + "/book/" + slug)
    assert form(d) == {"name": "Valentina Ruiz", "email": known["email"], "phone": "+573001234567"}
    note = wait_css(d, "#known-customer")
    assert note.text == "Llenamos tus datos con los de tus reservas anteriores. Revísalos antes de seguir."
    # nothing was sent: the customer still accepts the terms and sends it
    assert not d.find_element(By.ID, "f-terms").is_selected()
    time.sleep(1)
    assert bookings_of(known["email"]) == 1
    assert no_horizontal_scroll(d)
    shots(d, name + "-details")
    # every field stays the customer's to change
    field = d.find_element(By.ID, "f-name")
    field.clear()
    field.send_keys("Valentina Ruiz Gómez")
    click(d, d.find_element(By.ID, "f-terms"))
    click(d, d.find_element(By.ID, "continue"))
    heading(d, "¡Reserva confirmada!", timeout=30)
    assert bookings_of(known["email"]) == 2
    assert e2e.psql("SELECT customer_name FROM reservations WHERE lower(customer_email) = :'p1'"
                    " ORDER BY created_at DESC LIMIT 1", known["email"]) == "Valentina Ruiz Gómez"
    assert console_errors(d) == []


def test_the_links_own_details_win_and_the_platform_host_knows_nobody(browser, stack, known, shots):
    d = browser("es", MOBILE)
    sign_in_by_mail(d, stack, known["root"], known["email"], shots, "known-customer-params")
    link = known["root"] + "/book/" + known["sc"].slug
    # the merchant's site names its customer field by field: the portal fills the rest
    to_details(d, link + "?name=Vale%20R")
    assert form(d) == {"name": "Vale R", "email": known["email"], "phone": "+573001234567"}
    # another address on the link is another person: nothing of the portal's
    to_details(d, link + "?name=Otra%20Persona&email=otra%40example.com")
    wait(d, lambda d: d.find_element(By.ID, "f-email").get_attribute("value") == "otra@example.com")
    time.sleep(0.5)
    got = form(d)
    assert (got["name"], got["email"]) == ("Otra Persona", "otra@example.com")
    assert d.find_element(By.ID, "f-phone").get_attribute("value") == ""
    assert not d.find_elements(By.ID, "known-customer")
    # the platform's host: no session there, an empty form
    to_details(d, stack["KF_URL"] + "/book/" + known["sc"].slug)
    time.sleep(0.5)
    assert form(d)["name"] == "" and form(d)["email"] == ""
    assert not d.find_elements(By.ID, "known-customer")
    shots(d, "known-customer-platform-host")
