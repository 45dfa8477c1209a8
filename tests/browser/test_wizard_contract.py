"""The wizard's journeys against the contract fake of the public API (contract_api.py):
every state the customer can meet, at phone and desktop sizes, in Spanish and English."""
import re
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

from conftest import (DESKTOP, MOBILE, console_errors, continue_button, no_horizontal_scroll, wait,
                      wait_css, wait_text)
from journey import Journey


def test_full_journey_at_360_with_a_corrected_field(browser, contract, shots):
    d = browser("es", MOBILE)
    j = Journey(d, shots, "journey").open(contract.link_url)
    assert j.heading() == "Elige un servicio"
    assert no_horizontal_scroll(d)
    j.shot("1-service")
    j.choose_service("Consulta de valoración")
    j.choose_professional("Ana Restrepo")
    j.shot("1-service-chosen")
    times = j.to_time()
    assert j.heading() == "Elige fecha y hora"
    j.shot("2-time")
    j.pick(times[0])
    left = j.wait_held()
    assert re.fullmatch(r"(9|10):\d\d", left), left
    j.shot("2-time-held")
    j.to_details()
    j.fill(name="María Pérez", email="maria@correo", phone="300 123 4567", terms=True)
    j.submit()
    err = wait_css(d, "#f-email-error")
    assert "correo válido" in err.text
    assert d.find_element(By.ID, "f-email").get_attribute("aria-invalid") == "true"
    assert d.switch_to.active_element.get_attribute("id") == "f-email"
    j.shot("3-details-error")
    j.fill(email="maria@correo.com")
    wait(d, lambda d: not d.find_element(By.ID, "f-email-error").is_displayed())
    # where it takes place, beside the held time
    assert d.find_element(By.ID, "hold-place").text == "Dirección: Calle 85 #11-20, consultorio 302, Bogotá"
    j.shot("3-details")
    j.submit()
    wait_text(d, "main", "Wompi")
    # the payment step hands over to the checkout by itself
    wait(d, lambda d: "/_contract/checkout" in d.current_url)
    wait_css(d, "button[value=APPROVED]").click()
    wait_text(d, "main h1", "¡Reserva confirmada!")
    summary = d.find_element(By.CSS_SELECTOR, ".summary").text
    assert "Consulta de valoración" in summary and "Ana Restrepo" in summary
    assert "$ 120.000" in summary.replace("\xa0", " ")
    j.shot("5-approved")
    assert d.find_element(By.ID, "go-now").get_attribute("href").endswith("status=ok&ref=" + d.current_url.split("booking=")[1].split("&")[0])
    wait(d, lambda d: "/_contract/return" in d.current_url, timeout=8)
    assert "status=ok" in d.current_url
    assert not [e for e in console_errors(d) if "Content Security Policy" in e]


def test_declined_payment_offers_try_again_back_to_the_time_grid(browser, contract, shots):
    d = browser("es", MOBILE)
    j = Journey(d, shots, "declined").open(contract.link_url)
    j.choose_service("Limpieza facial")
    j.to_time()
    times = j.times_of_a_day_with(2)
    j.pick(times[1])
    j.wait_held()
    j.to_details()
    j.fill(name="Luis Gómez", email="luis@example.com", phone="3101234567", terms=True)
    j.submit()
    wait(d, lambda d: "/_contract/checkout" in d.current_url)
    wait_css(d, "button[value=DECLINED]").click()
    wait_text(d, "main h1", "Tu pago no fue aprobado")
    j.shot("5-declined")
    wait_css(d, "#try-again").click()
    wait_text(d, "main h1", "Elige fecha y hora")
    wait_css(d, ".times .time")
    assert "Limpieza facial" in d.find_element(By.CSS_SELECTOR, ".summary-line").text


def test_a_slot_taken_meanwhile_gives_the_friendly_message_and_a_fresh_grid(browser, contract, shots):
    d = browser("es", MOBILE)
    j = Journey(d, shots, "taken").open(contract.link_url)
    j.choose_service("Consulta de valoración")
    j.choose_professional("Ana Restrepo")
    times = j.to_time()
    victim = times[0]
    start = victim.get_attribute("data-start")
    contract.take(start)                       # someone else gets it first
    j.pick(victim)
    notice = wait_css(d, ".notice-error")
    assert "Este horario ya no está disponible" in notice.text
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".times .time"))
    starts = [b.get_attribute("data-start") for b in d.find_elements(By.CSS_SELECTOR, ".times .time")]
    assert start not in starts
    assert "slot_unavailable" not in d.page_source
    j.shot("2-slot-taken")


def test_hold_expiry_is_shown_and_recovered_from(browser, contract, shots):
    contract.config(hold_ttl=4)
    d = browser("es", MOBILE)
    j = Journey(d, shots, "expiry").open(contract.link_url)
    j.choose_service("Consulta de valoración")
    times = j.to_time()
    j.pick(times[0])
    j.wait_held()
    j.to_details()
    box = wait_css(d, "#hold-expired", timeout=10)
    assert "se agotó" in box.text
    assert not d.find_element(By.ID, "f-name").is_enabled()
    j.shot("3-hold-expired")
    contract.config(hold_ttl=600)
    box.find_element(By.TAG_NAME, "button").click()
    times = j.wait_times()
    j.pick(times[0])
    assert j.wait_held()
    j.to_details()
    assert d.find_element(By.ID, "f-name").is_enabled()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_each_language_renders_with_its_formats(browser, contract, shots, lang):
    d = browser(lang, DESKTOP)
    j = Journey(d, shots, "lang-" + lang).open(contract.link_url)
    main = d.find_element(By.TAG_NAME, "main").text.replace("\xa0", " ").replace("\u202f", " ")
    assert d.execute_script("return document.documentElement.lang") == lang
    if lang == "es":
        assert j.heading() == "Elige un servicio"
        assert "$ 120.000" in main and "45 min" in main     # COP without decimals, es-CO grouping
    else:
        assert j.heading() == "Choose a service"
        assert "COP 120,000" in main and "COP 120,000.00" not in main
    j.shot("1-service")
    j.choose_service("Consulta" if lang == "es" else "Consulta")
    times = j.to_time()
    label = times[0].text.replace("\u202f", " ").replace("\xa0", " ")
    if lang == "es":
        assert re.search(r"\d{1,2}:\d\d( [ap]\. m\.)?$", label), label
        assert "Horas en" in d.find_element(By.CSS_SELECTOR, ".zone").text
    else:
        assert re.search(r"\d{1,2}:\d\d [AP]M$", label), label
        assert "Times in" in d.find_element(By.CSS_SELECTOR, ".zone").text
    j.shot("2-time")


def test_keyboard_only_completion(browser, contract):
    d = browser("es", MOBILE)
    Journey(d).open(contract.link_url)
    keys = ActionChains(d)

    def tab_to(pred, limit=60, shift=False):
        for _ in range(limit):
            if pred(d.switch_to.active_element):
                return d.switch_to.active_element
            (keys.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT) if shift else keys.send_keys(Keys.TAB)).perform()
        raise AssertionError("focus never reached the target")

    tab_to(lambda e: e.get_attribute("name") == "service")
    # arrow keys move between the radio cards, space selects
    keys.send_keys(Keys.SPACE).perform()
    wait_css(d, "#h-pro")
    tab_to(lambda e: e.get_attribute("id") == "continue")
    keys.send_keys(Keys.ENTER).perform()
    wait_css(d, ".times .time")
    tab_to(lambda e: "time" in (e.get_attribute("class") or "").split())
    keys.send_keys(Keys.ENTER).perform()
    wait_css(d, ".time-selected")
    wait(d, lambda d: continue_button(d).is_enabled())
    tab_to(lambda e: e.get_attribute("id") == "continue")
    keys.send_keys(Keys.ENTER).perform()
    wait_css(d, "#details-form")
    tab_to(lambda e: e.get_attribute("id") == "f-name")
    keys.send_keys("Ana Teclado").send_keys(Keys.TAB).send_keys("ana@example.com").perform()
    tab_to(lambda e: e.get_attribute("id") == "f-phone")
    keys.send_keys("3001234567").perform()
    tab_to(lambda e: e.get_attribute("id") == "f-terms")
    keys.send_keys(Keys.SPACE).perform()
    assert d.find_element(By.ID, "f-terms").is_selected()
    tab_to(lambda e: e.get_attribute("id") == "continue")
    keys.send_keys(Keys.ENTER).perform()
    wait(d, lambda d: "/_contract/checkout" in d.current_url)
    approve = d.find_element(By.CSS_SELECTOR, "button[value=APPROVED]")
    tab_to(lambda e: e == approve)
    keys.send_keys(Keys.ENTER).perform()
    wait_text(d, "main h1", "¡Reserva confirmada!")


def test_free_service_skips_payment(browser, contract, shots):
    d = browser("es", MOBILE)
    j = Journey(d, shots, "free").open(contract.link_url)
    j.choose_service("Llamada informativa")
    j.choose_professional("Javier Ortega")
    times = j.to_time()
    j.pick(times[0])
    j.wait_held()
    j.to_details()
    assert continue_button(d).text == "Confirmar reserva"
    # a video call: the link is not shown before booking, the customer knows it will come
    assert "el enlace te llega con la confirmación" in d.find_element(By.ID, "hold-place").text
    j.fill(name="Pedro", email="pedro@example.com", phone="3001234567", terms=True)
    j.submit()
    wait_text(d, "main h1", "¡Reserva confirmada!")
    text = d.find_element(By.CSS_SELECTOR, ".summary").text
    # the professional works in Madrid: both times are shown (when the browser is elsewhere)
    assert "Madrid" in text
    j.shot("5-approved-free")


@pytest.mark.parametrize("state,title", [("expired", "Este enlace ha expirado"), ("gone", "No encontramos este enlace")])
def test_expired_and_deactivated_links_get_a_friendly_page(browser, contract, shots, state, title):
    contract.config(link_state=state)
    d = browser("es", MOBILE)
    Journey(d).open(contract.link_url)
    wait_text(d, "main h1", title)
    assert "link_" not in d.find_element(By.TAG_NAME, "main").text
    shots(d, "link-%s" % state)


def test_mobile_layout_has_no_horizontal_scroll_and_big_tap_targets(browser, contract):
    d = browser("es", MOBILE)
    j = Journey(d).open(contract.link_url)
    j.choose_service("Consulta de valoración")
    times = j.to_time()

    def small_targets():
        return d.execute_script("""
          // inline links inside a sentence are exempt (WCAG 2.5.8); a checkbox counts
          // with its label row, which is what a finger hits
          return [...document.querySelectorAll('button, a, label.card, select, input:not([type=radio])')]
            .filter(e => e.offsetParent !== null && !(e.tagName === 'A' && e.closest('label')))
            .map(e => e.type === 'checkbox' ? e.closest('.check') : e)
            .map(e => [e.className || e.tagName, e.getBoundingClientRect()])
            .filter(([n, r]) => r.height < 44 && !/card-check/.test(n))
            .map(([n, r]) => n + ':' + Math.round(r.width) + 'x' + Math.round(r.height));""")
    assert no_horizontal_scroll(d)
    assert small_targets() == []
    j.pick(times[0])
    j.wait_held()
    j.to_details()
    assert no_horizontal_scroll(d)
    assert small_targets() == []
    # the continue bar sticks to the bottom of the viewport
    bar = d.find_element(By.ID, "actions").rect
    assert abs(bar["y"] + bar["height"] - 640) <= 1


def test_a_light_primary_color_keeps_button_text_readable(browser, contract):
    contract.config(primary_color="#FDE68A")
    try:
        d = browser("es", MOBILE)
        Journey(d).open(contract.link_url)
        btn = continue_button(d)
        color = d.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--kf-on-primary')")
        assert color.strip().lower() == "#111827"
        ink = d.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--kf-primary-ink')")
        assert ink.strip().lower() != "#fde68a"
        assert btn
    finally:
        contract.config(primary_color="#0F766E")


def test_every_step_at_desktop_width(browser, contract, shots):
    """Screenshots of each step at 1280x800 (the mobile ones come from the journeys)."""
    d = browser("es", DESKTOP)
    j = Journey(d, shots, "journey").open(contract.link_url)
    j.shot("1-service")
    j.choose_service("Consulta de valoración")
    j.shot("1-service-chosen")
    j.to_time()
    times = j.times_of_a_day_with(3)
    j.shot("2-time")
    j.pick(times[2])
    j.wait_held()
    j.shot("2-time-held")
    j.to_details()
    j.fill(name="M", email="x", phone="12", terms=False)
    j.submit()
    wait_css(d, "#f-name-error")
    j.shot("3-details-error")
    j.fill(name="María Pérez", email="maria@correo.com", phone="3001234567", terms=True)
    j.shot("3-details")
    j.submit()
    wait_css(d, "#go-checkout")
    j.shot("4-payment")
    wait(d, lambda d: "/_contract/checkout" in d.current_url)
    wait_css(d, "button[value=PENDING]").click()
    wait_text(d, "main h1", "Estamos confirmando tu pago")
    j.shot("5-processing")


def test_an_address_no_mail_reaches_is_refused_in_the_browser(browser, contract, shots):
    # a local part over 64 characters: the server refuses it, so the wizard says so first
    d = browser("en", DESKTOP)
    j = Journey(d, shots, "long-local-part").open(contract.link_url)
    j.choose_service("Consulta de valoración")
    j.to_time()
    j.pick(j.times_of_a_day_with(1)[0])
    j.wait_held()
    j.to_details()
    j.fill(name="María Pérez", email="m" * 65 + "@correo.com", phone="3001234567", terms=True)
    j.submit()
    err = wait_css(d, "#f-email-error")
    assert err.is_displayed() and err.text
    assert d.find_element(By.ID, "f-email").get_attribute("aria-invalid") == "true"
    j.fill(email="maria@correo.com")
    wait(d, lambda d: not d.find_element(By.ID, "f-email-error").is_displayed())
