"""Packages as a customer does it on a phone (360x640), on the real stack: the link page offers
the business's package, the customer buys it (details, the fake Wompi checkout, Approve),
lands on the purchase page (sessions left, expiry), books a session through the wizard
without a payment step, and sees it on the purchase page. Screenshots:
var/screenshots/package-*-360x640.png (and the purchase page at desktop size)."""
import re
import secrets

import pytest
from selenium.webdriver.common.by import By

from conftest import (DESKTOP, MOBILE, assert_no_personal_data_stored, click, console_errors, no_horizontal_scroll,
                      resize, wait, wait_css, wait_text)
from dashboard_support import e2e, e2e_helper, stack_env
from journey import Journey


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def shop(stack):
    """A business with Wompi (the fake), a professional with hours, a package of 4 sessions of
    its service, and a link that sells it (both made through the admin API)."""
    seed = e2e_helper("booking_seed")
    payments = e2e_helper("payments_helpers")
    merchant = e2e.seed_merchant(stack, business="Spa Montaña")
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    pay = payments.PayTenant(merchant, fakes, stack)
    seed.professional(merchant.tenant_id, name="Lucía Prado", hours=seed.ALL_WEEK(("09:00", "17:00")),
                      services=[pay.service])
    r = merchant.api.post("/api/admin/packages", json={
        "name": "4 sesiones", "description": "Cuatro consultas a tu ritmo.", "service_id": pay.service,
        "sessions": 4, "price": {"amount": 40000000, "currency": "COP"}, "valid_days": 90})
    assert r.status_code == 201, r.text
    package = r.json()
    r = merchant.api.post("/api/admin/links", json={"name": "Web", "package_ids": [package["id"]]})
    assert r.status_code == 201, r.text
    return {"merchant": merchant, "slug": r.json()["slug"], "package": package, "pay": pay,
            "email": "cliente-%s@example.com" % secrets.token_hex(5)}


def checkout_button(d, label):
    xpath = "//button[contains(normalize-space(.), '{0}')]".format(label)
    return wait(d, lambda d: next(iter(d.find_elements(By.XPATH, xpath)), None), 20, "no %s button" % label)


def test_buy_a_package_and_book_a_session_on_a_phone(browser, stack, shop, shots):
    d = browser("es", MOBILE)
    d.get("%s/book/%s" % (stack["KF_URL"], shop["slug"]))
    buy = wait_text(d, ".packages-offer a.btn", "Comprar paquete")
    assert "4 sesiones" in wait_css(d, ".packages-offer").text
    assert no_horizontal_scroll(d)
    click(d, d.find_element(By.ID, "h-packages"))      # scrolled to the offer for the picture
    shots(d, "package-1-offer")

    click(d, buy)
    wait_text(d, "main h1", "Comprar 4 sesiones")
    # the form says what is wrong, next to the field
    click(d, wait_css(d, "#continue"))
    assert wait_css(d, "#p-name-error").text
    assert d.switch_to.active_element.get_attribute("id") == "p-name"
    for fid, value in (("p-name", "Valentina Ruiz"), ("p-email", shop["email"]), ("p-phone", "3001234567")):
        el = d.find_element(By.ID, fid)
        el.clear()
        el.send_keys(value)
    click(d, d.find_element(By.ID, "p-terms"))
    assert no_horizontal_scroll(d)
    shots(d, "package-2-details")
    click(d, d.find_element(By.ID, "continue"))

    # the fake Wompi's checkout, then back to the purchase page
    checkout_button(d, "Approve")
    shots(d, "package-3-checkout")
    checkout_button(d, "Approve").click()
    wait(d, lambda d: "/book/purchase/" in d.current_url, 30, "not back on the purchase page")
    wait_text(d, "#purchase-status", "Tu paquete está activo", timeout=30)
    assert_no_personal_data_stored(d, "Valentina", shop["email"], "3001234567")
    assert "4 de 4" in d.find_element(By.CSS_SELECTOR, ".summary").text
    assert "Válido hasta" in d.find_element(By.CSS_SELECTOR, ".summary").text
    assert no_horizontal_scroll(d)
    shots(d, "package-4-page")
    page = d.current_url

    # book a session: the wizard with the package's service, no payment step, no terms box
    click(d, wait_css(d, "#book-session"))
    j = Journey(d, shots, "package-5")
    wait_css(d, "main h1")
    wait(d, lambda d: d.find_element(By.ID, "continue").is_enabled())
    assert not d.find_elements(By.CSS_SELECTOR, ".packages-offer"), "no packages while spending one"
    times = j.to_time()
    j.pick(times[0])
    j.wait_held()
    j.to_details()
    assert wait_css(d, "#package-session").text.startswith("Sesión de tu paquete")
    assert not d.find_elements(By.ID, "f-terms")
    assert d.find_element(By.ID, "f-email").get_attribute("value") == shop["email"]
    assert d.find_element(By.ID, "continue").text == "Confirmar reserva"
    j.shot("details")
    j.submit()
    wait_text(d, "main h1", "¡Reserva confirmada!", timeout=30)
    j.shot("confirmed")
    assert_no_personal_data_stored(d, "Valentina", shop["email"], "3001234567")

    # the purchase page counts it
    d.get(re.sub(r"&(id|env)=[^&]*", "", page))
    wait_text(d, "#purchase-status", "Tu paquete está activo")
    wait(d, lambda d: "3 de 4" in d.find_element(By.CSS_SELECTOR, ".summary").text)
    assert "Reservada" in wait_css(d, "#sessions .session").text
    shots(d, "package-6-page-after")
    resize(d, DESKTOP)
    shots(d, "package-6-page-after")
    assert [e for e in console_errors(d) if "favicon" not in e] == []


def test_purchase_page_in_english_and_a_wrong_token(browser, stack, shop):
    public = e2e.Api(stack)
    r = public.post("/api/public/purchases", json={
        "link": shop["slug"], "package": shop["package"]["id"], "accepted_terms": True,
        "customer": {"name": "Sam Doe", "email": shop["email"], "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    purchase = r.json()["purchase"]
    d = browser("en", MOBILE)
    d.get("%s/book/purchase/%s?token=%s" % (stack["KF_URL"], purchase["id"], purchase["token"]))
    wait_text(d, "#purchase-status", "waiting for the payment")
    assert not d.find_elements(By.ID, "book-session")
    d.get("%s/book/purchase/%s?token=%s" % (stack["KF_URL"], purchase["id"], "x" * 43))
    wait_text(d, "main h1", "We could not find this package")
