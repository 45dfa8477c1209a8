"""What a customer pays and may undo is on screen before any payment: the details step shows
the amount due now in the business's currency (a deposit beside the full price), "free" for a
free service, and the business's cancellation and reschedule policy in one sentence; the
assistant's answer shows the same under the times it offers. At 360 px and at desktop width,
in Spanish and English, in view without scrolling, above the payment button."""
import re

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, continue_button, no_horizontal_scroll, wait, wait_css
from journey import Journey
from test_assistant import answers, ask
from test_wizard_stack import demo, need_booking_api, stack  # noqa: F401 (fixtures)


def to_details(d, contract, shots, name, service, pro):
    j = Journey(d, shots, name).open(contract.link_url)
    j.choose_service(service)
    j.choose_professional(pro)
    j.pick(j.to_time()[0])
    j.wait_held()
    j.to_details()
    return j


def in_view(d, el):
    return d.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.width > 0;", el)


def summary_text(d):
    return " ".join(wait_css(d, "#pay-summary").text.replace("\xa0", " ").split())


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_a_deposit_shows_what_is_paid_now_the_full_price_and_the_policy(browser, contract, shots, size):
    d = browser("es", size)
    j = to_details(d, contract, shots, "price-deposit-%s" % size[0], "Limpieza facial profunda", "Ana Restrepo")
    text = summary_text(d)
    assert "A pagar ahora: $ 62.500" in text
    assert "anticipo de un precio total de $ 250.000" in text
    assert "Puedes cancelar sin costo o cambiar la hora hasta 24 h antes." in text
    summary = d.find_element(By.ID, "pay-summary")
    assert in_view(d, summary), "the amount is not on screen"
    button = continue_button(d)
    assert button.text == "Ir a pagar"
    assert summary.location["y"] < d.find_element(By.ID, "details-form").location["y"]
    assert no_horizontal_scroll(d)
    j.shot("3-details-price")


def test_a_free_service_says_it_is_free(browser, contract, shots):
    d = browser("es", MOBILE)
    to_details(d, contract, shots, "price-free", "Llamada informativa", "Javier Ortega")
    text = summary_text(d)
    assert text.startswith("Este servicio es gratuito: no pagas nada.")
    assert "Puedes cancelar o cambiar la hora hasta 24 h antes." in text
    assert "$" not in text


@pytest.mark.parametrize("policy, sentence", [
    ({"refund_on_cancel": "none", "cancel_cutoff_hours": 48},
     "You can cancel up to 48 h before, without a refund of what you paid, and change the time up to 24 h before."),
    ({"max_reschedules": 0, "cancel_cutoff_hours": 0},
     "You can cancel free of charge up to the start of the appointment."),
], ids=["no-refund", "until-the-start"])
def test_the_policy_sentence_follows_the_businesss_settings(browser, contract, shots, policy, sentence):
    contract.config(policy=policy)
    d = browser("en", DESKTOP)
    to_details(d, contract, shots, "price-policy", "Consulta de valoración", "Ana Restrepo")
    text = summary_text(d)
    assert "To pay now: COP 120,000" in text.replace("COP\u00a0", "COP ")
    assert sentence in text


def test_the_assistants_times_come_with_the_price_and_the_policy(browser, stack, demo, shots):  # noqa: F811
    """On the real stack: the link's answer carries the business's policy (its defaults)."""
    need_booking_api(demo)
    d = browser("es", MOBILE)
    d.get(demo["url"] + "/assistant")
    ask(d, "una limpieza facial profunda con Ana lo antes posible")
    first = answers(d, 1)
    assert first.find_elements(By.CSS_SELECTOR, ".slot-pick")
    summary = first.find_element(By.CSS_SELECTOR, ".pay-summary")
    text = " ".join(summary.text.replace("\xa0", " ").split())
    assert "A pagar ahora: $ 62.500" in text and "precio total de $ 250.000" in text
    assert "Puedes cancelar sin costo o cambiar la hora hasta 24 h antes." in text
    assert no_horizontal_scroll(d)
    shots(d, "assistant-price")


def test_a_link_carrying_the_customers_details_prefills_the_form_without_sending_it(browser, contract, shots):
    """?name=&email=&phone= (the merchant's own site knows its customer) fill the details;
    the customer still reviews and sends them, and they leave the address bar at once."""
    d = browser("es", MOBILE)
    url = contract.link_url + "?name=Luc%C3%ADa%20Ram%C3%ADrez&email=lucia%40example.com&phone=%2B34%20612%20345%20678"
    j = Journey(d, shots, "prefill").open(url)
    assert "lucia" not in d.current_url and "612" not in d.current_url
    j.choose_service("Consulta de valoración")
    j.choose_professional("Ana Restrepo")
    j.pick(j.to_time()[0])
    j.wait_held()
    j.to_details()
    assert j.heading() == "Tus datos"                      # nothing was sent by itself
    assert d.find_element(By.ID, "f-name").get_attribute("value") == "Lucía Ramírez"
    assert d.find_element(By.ID, "f-email").get_attribute("value") == "lucia@example.com"
    assert d.find_element(By.ID, "f-prefix").get_attribute("value") == "+34"
    assert d.find_element(By.ID, "f-phone").get_attribute("value") == "612345678"
    assert not d.find_element(By.ID, "f-terms").is_selected()   # the terms are the customer's to accept
    j.shot("3-details-prefilled")


def test_a_time_that_ends_a_sentence_keeps_one_period(browser, contract):
    """Spanish times end with their own period ("9:00 a. m."): the held time's announcement
    reads "a. m. Tienes…", never "a. m.. Tienes…"."""
    d = browser("es", MOBILE)
    j = Journey(d, None, None).open(contract.link_url)
    j.choose_service("Consulta de valoración")
    j.choose_professional("Ana Restrepo")
    j.pick(j.to_time()[0])
    j.wait_held()
    said = wait(d, lambda d: d.execute_script(
        "return [...document.querySelectorAll('[aria-live]')].map((e) => e.textContent)"
        ".find((t) => t.startsWith('Horario apartado')) || null;"))
    assert re.search(r"[ap]\. m\. Tienes", said), said
    assert ".." not in said, said


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_while_the_link_loads_the_first_step_shows_its_shape(browser, contract, shots, size):
    """A slow network: grey cards where the services and professionals will be, not a bare
    spinner; "Cargando…" said once to screen readers; then the real cards take their place."""
    contract.config(link_delay=3)
    d = browser("es", size)
    d.get(contract.link_url)
    wait(d, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".skeleton-card")) == 5)
    assert [e for e in d.find_elements(By.CSS_SELECTOR, ".spinner") if e.is_displayed()] == []
    assert d.find_element(By.CSS_SELECTOR, "main h1").text == "Elige un servicio"
    status = d.find_element(By.CSS_SELECTOR, "main [role=status]")
    assert status.get_attribute("textContent") == "Cargando…"
    for group in d.find_elements(By.CSS_SELECTOR, ".skeleton-cards"):
        assert group.get_attribute("aria-hidden") == "true"
    assert no_horizontal_scroll(d)
    shots(d, "wizard-loading")
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=service]"), timeout=10)
    assert d.find_elements(By.CSS_SELECTOR, ".skeleton-card") == []


def test_back_from_the_details_shows_the_customers_own_held_time_selected(browser, contract, shots):
    """The held time is offered to nobody else, the customer included: going Back from the
    details it still stands in the grid, selected, with its countdown."""
    d = browser("es", MOBILE)
    j = Journey(d, shots, "back-held").open(contract.link_url)
    j.choose_service("Consulta de valoración")
    j.choose_professional("Ana Restrepo")
    j.to_time()
    times = j.times_of_a_day_with(2)     # late in the day, today may offer one time only
    start = times[1].get_attribute("data-start")
    j.pick(times[1])
    j.wait_held()
    j.to_details()
    d.find_element(By.ID, "back").click()
    selected = wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".time-selected"))
    assert [b.get_attribute("data-start") for b in selected] == [start]
    assert selected[0].get_attribute("aria-pressed") == "true"
    assert in_view(d, selected[0]) or selected[0].is_displayed()
    assert d.find_element(By.CSS_SELECTOR, ".hold").is_displayed()
    j.shot("2-time-back")


def test_a_time_taken_meanwhile_is_said_next_to_the_times_in_view_and_focused(browser, contract, shots):
    """At 360 px the grid's last time is far below the step's top: the message comes where the
    customer is looking, takes the focus (read out), and the grid no longer offers that time."""
    d = browser("es", MOBILE)
    j = Journey(d, shots, "taken-in-view").open(contract.link_url)
    j.choose_service("Consulta de valoración")
    j.choose_professional("Ana Restrepo")
    times = j.to_time()
    victim = times[-1]
    start = victim.get_attribute("data-start")
    contract.take(start)
    j.pick(victim)
    notice = wait_css(d, "#times-notice:not([hidden])")
    assert "Este horario ya no está disponible" in notice.text
    wait(d, lambda d: d.execute_script("return document.activeElement && document.activeElement.id") == "times-notice")
    assert in_view(d, notice), "the message is off screen"
    assert notice.get_attribute("role") == "alert"
    grid = d.find_element(By.CSS_SELECTOR, ".times")
    assert notice.location["y"] < grid.location["y"]          # right above the times
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".times .time"))
    assert start not in [b.get_attribute("data-start") for b in d.find_elements(By.CSS_SELECTOR, ".times .time")]
    j.shot("2-taken-in-view")
