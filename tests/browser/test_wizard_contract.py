"""The wizard's journeys against the contract fake of the public API (contract_api.py):
every state the customer can meet, at phone and desktop sizes, in Spanish and English."""
import re
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

from conftest import (DESKTOP, MOBILE, advance_clock, console_errors, continue_button, in_view,
                      no_horizontal_scroll, pause_clock, wait, wait_css, wait_text)
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
    assert "Pagado\n$ 120.000" in summary.replace("\xa0", " ")
    j.shot("5-approved")
    # the way back is a button; the page goes back by itself only after its countdown
    ref = d.current_url.split("booking=")[1].split("&")[0]
    wait_css(d, "#back-to-merchant").click()
    wait(d, lambda d: "/_contract/return" in d.current_url)
    assert d.current_url.endswith("status=ok&ref=" + ref)
    assert not [e for e in console_errors(d) if "Content Security Policy" in e]


def book_and_pay(d, contract, shots, name, decision, service="Limpieza facial", pick=1):
    """A booking of `service` (Ana) at the picked time of a day with enough times, the
    checkout answered with `decision`; returns (journey, the time's start)."""
    j = Journey(d, shots, name).open(contract.link_url)
    j.choose_service(service)
    if service != "Limpieza facial":
        j.choose_professional("Ana Restrepo")
    j.to_time()
    times = j.times_of_a_day_with(pick + 1)
    start = j.pick(times[pick])
    j.wait_held()
    j.to_details()
    j.fill(name="Luis Gómez", email="luis@example.com", phone="3101234567", terms=True)
    j.submit()
    wait(d, lambda d: "/_contract/checkout" in d.current_url)
    wait_css(d, "button[value=%s]" % decision).click()
    return j, start


DECLINED = {
    "es": {"title": "Tu pago no fue aprobado", "none": "No se hizo ningún cobro.", "paid": "Pagado",
           "not": "No cobrado\n$ 62.500", "again": "Intentar de nuevo", "ok": "¡Reserva confirmada!"},
    "en": {"title": "Your payment was not approved", "none": "You were not charged.", "paid": "Paid",
           "not": "Not charged\nCOP 62,500", "again": "Try again", "ok": "Booking confirmed!"},
}


@pytest.mark.parametrize("lang,size", [("es", MOBILE), ("en", DESKTOP)])
def test_a_declined_payment_charges_nothing_and_tries_again_straight_at_the_checkout(browser, contract, shots, lang, size):
    words = DECLINED[lang]
    d = browser(lang, size)
    j, start = book_and_pay(d, contract, shots, "declined-" + lang, "DECLINED")
    wait_text(d, "main h1", words["title"])
    main = d.find_element(By.TAG_NAME, "main").text.replace("\xa0", " ")
    # what was booked, that nothing was charged and how much was not; never "paid"
    assert words["none"] in main
    assert "Limpieza facial profunda" in main and "Ana Restrepo" in main
    assert words["not"] in main
    assert words["paid"] + "\n" not in main
    when = d.find_elements(By.CSS_SELECTOR, ".summary dd")[2].text
    again = d.find_element(By.ID, "try-again")
    assert again.text == words["again"] and in_view(d, again)
    assert no_horizontal_scroll(d)
    j.shot("5-declined")
    first_ref = d.find_elements(By.CSS_SELECTOR, ".summary-reference dd")[0].text
    # straight back to the checkout: the same booking and time, a new payment, no form
    again.click()
    wait(d, lambda d: "/_contract/checkout" in d.current_url)
    page = d.find_element(By.TAG_NAME, "body").text.replace("\xa0", " ")
    assert "$ 62.500 COP" in page and first_ref not in page
    wait_css(d, "button[value=APPROVED]").click()
    wait_text(d, "main h1", words["ok"])
    assert d.find_elements(By.CSS_SELECTOR, ".summary dd")[2].text == when
    j.shot("5-approved-after-retry")


def test_a_time_taken_meanwhile_offers_the_nearest_times_with_the_details_kept(browser, contract, shots):
    d = browser("es", MOBILE)
    j, start = book_and_pay(d, contract, shots, "slot-gone", "DECLINED")
    wait_text(d, "main h1", "Tu pago no fue aprobado")
    contract.take(start)                       # someone else books that time meanwhile
    d.find_element(By.ID, "try-again").click()
    heading = wait_text(d, "main h1", "Ese horario ya no está disponible")
    assert d.switch_to.active_element == heading
    assert "tus datos siguen guardados" in d.find_element(By.TAG_NAME, "main").text
    wait_css(d, ".times-nearest .time")
    offered = d.find_elements(By.CSS_SELECTOR, ".times-nearest .time")
    starts = [b.get_attribute("data-start") for b in offered]
    assert 1 <= len(starts) <= 6 and start not in starts
    assert in_view(d, offered[0]) and no_horizontal_scroll(d)
    j.shot("6-nearest-times")
    chosen = offered[0].get_attribute("data-start")
    offered[0].click()
    wait(d, lambda d: "/_contract/checkout" in d.current_url)
    wait_css(d, "button[value=APPROVED]").click()
    wait_text(d, "main h1", "¡Reserva confirmada!")
    status = contract_booking_start(d)
    assert status == chosen


def contract_booking_start(d):
    """The booking's start as the page's own status call reads it."""
    return d.execute_async_script("""
      const done = arguments[arguments.length - 1];
      const q = new URLSearchParams(location.search);
      fetch('/api/public/bookings/' + q.get('booking'), {headers: {Authorization: 'Bearer ' + q.get('token')}})
        .then((r) => r.json()).then((j) => done(j.booking.start));""")


def test_a_pending_payment_says_how_long_and_after_the_wait_that_a_mail_will_come(browser, contract, shots):
    d = browser("es", MOBILE)
    j, _ = book_and_pay(d, contract, shots, "pending", "PENDING")
    wait_text(d, "main h1", "Estamos confirmando tu pago")
    text = d.find_element(By.ID, "processing-text")
    assert "hasta 2 minutos" in text.text and text.get_attribute("role") == "status"
    assert in_view(d, text)
    j.shot("5-processing")
    # back after a while (the customer left to pay ten minutes ago): no promise of seconds
    d.execute_script("""
      const k = 'konfirmado.booking', b = JSON.parse(sessionStorage.getItem(k));
      b.checkoutAt = Date.now() - 10 * 60 * 1000;
      sessionStorage.setItem(k, JSON.stringify(b));""")
    d.refresh()
    text = wait_text(d, "#processing-text", "te enviaremos un correo")
    reference = d.find_element(By.CSS_SELECTOR, ".summary-reference dd").text
    assert reference.startswith("KF-")
    assert "Referencia de tu reserva: " + reference in text.text
    assert in_view(d, text)
    j.shot("5-processing-later")


@pytest.mark.parametrize("size", [MOBILE, DESKTOP])
def test_the_confirmation_stays_and_offers_what_comes_next(browser, contract, shots, size):
    d = browser("es", size)
    j, _ = book_and_pay(d, contract, shots, "approved-%d" % size[0], "APPROVED",
                        service="Consulta de valoración", pick=0)
    wait_text(d, "main h1", "¡Reserva confirmada!")
    # the return to the business is counted down where it is seen, and can be stopped
    note = wait_css(d, "#return-note")
    assert "Te llevamos de vuelta a Clínica Aurora en 10 s." in note.text.replace("\n", " ")
    stay = d.find_element(By.ID, "stay-here")
    back = d.find_element(By.ID, "back-to-merchant")
    assert in_view(d, note) and in_view(d, stay) and in_view(d, back)
    assert back.text == "Volver a Clínica Aurora"
    wait(d, lambda d: "En 10 segundos te llevamos de vuelta a Clínica Aurora" in
         d.find_element(By.ID, "live").get_attribute("textContent"))
    # what comes next: where, the calendar file, the booking's page, whom to ask
    main = d.find_element(By.TAG_NAME, "main").text
    assert "Dirección\nCalle 85 #11-20, consultorio 302, Bogotá" in main
    booking = d.current_url.split("booking=")[1].split("&")[0]
    token = d.current_url.split("token=")[1].split("&")[0]
    assert d.find_element(By.ID, "add-calendar").get_attribute("href").endswith(
        "/api/public/bookings/%s/calendar.ics?token=%s" % (booking, token))
    assert d.find_element(By.ID, "add-calendar").text == "Añadir a mi calendario"
    assert d.find_element(By.ID, "manage-booking").get_attribute("href").endswith(
        "/book/manage/%s?token=%s" % (booking, token))
    contact = d.find_element(By.ID, "contact")
    assert "Clínica Aurora" in contact.text and "citas@clinica-aurora.example" in contact.text
    j.shot("5-approved")
    assert no_horizontal_scroll(d)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", d.find_element(By.ID, "manage-booking"))
    assert in_view(d, d.find_element(By.ID, "add-calendar")) and in_view(d, d.find_element(By.ID, "manage-booking"))
    j.shot("5-approved-next-steps")
    d.execute_script("window.scrollTo(0, 0)")
    # the page's clock stops here; until the last second the page stays
    pause_clock(d)
    left = leaves_in(d)
    assert 0 < left <= 10000
    advance_clock(d, left - 500)
    assert "/confirmation" in d.current_url
    assert d.find_element(By.ID, "return-seconds").text == "1"
    stay.click()
    advance_clock(d, 200)                  # the announcement reaches the live region
    assert "Te quedas en esta página." in wait_css(d, "#return-note").text
    assert not d.find_elements(By.ID, "return-seconds")
    assert d.switch_to.active_element == d.find_element(By.ID, "back-to-merchant")
    assert "Te quedas en esta página." in d.find_element(By.ID, "live").get_attribute("textContent")
    advance_clock(d, 15000)
    assert "/confirmation" in d.current_url
    j.shot("5-approved-stayed")


def leaves_in(d):
    """Milliseconds until the page goes back to the business by itself."""
    return d.execute_script(
        "return Number(document.getElementById('return-note').dataset.leavesAt) - Date.now()")


def test_the_confirmation_returns_by_itself_only_after_ten_seconds(browser, contract, shots):
    d = browser("es", MOBILE)
    book_and_pay(d, contract, shots, None, "APPROVED", service="Consulta de valoración", pick=0)
    wait_text(d, "main h1", "¡Reserva confirmada!")
    pause_clock(d)
    left = leaves_in(d)
    assert 8000 < left <= 10000            # 10 s from the start, less this test's first steps
    advance_clock(d, left - 300)
    assert "/confirmation" in d.current_url
    # the last second: it goes (the budget lets the next page load too)
    d.execute_cdp_cmd("Emulation.setVirtualTimePolicy", {"policy": "pauseIfNetworkFetchesPending", "budget": 10000})
    wait(d, lambda d: "/_contract/return?status=ok" in d.current_url)


def test_without_a_return_url_the_confirmation_just_stays(browser, contract):
    contract.return_url(None)
    d = browser("es", MOBILE)
    book_and_pay(d, contract, None, None, "APPROVED", service="Consulta de valoración", pick=0)
    wait_text(d, "main h1", "¡Reserva confirmada!")
    assert not d.find_elements(By.ID, "return-note")
    assert not d.find_elements(By.ID, "back-to-merchant")
    assert d.find_element(By.ID, "add-calendar").is_displayed()
    advance_clock(d, 15000)
    assert "/confirmation" in d.current_url


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
    # the video call's link, now that the booking stands
    video = d.find_element(By.ID, "video-link")
    assert video.get_attribute("href").startswith("https://meet.example.com/") and "Videollamada" in text
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
