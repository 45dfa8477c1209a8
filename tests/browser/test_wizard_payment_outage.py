"""The payment service does not answer when the customer sends their details (502
provider_error, API.md "Replies, embedding, outages"): the page says so, that their time is
still held and their details kept, counts down a short wait where it is seen, and then sends
the same request again with "Intentar de nuevo" — at phone and desktop sizes, in Spanish and
English, with the message focused and the end of the wait announced."""
import pytest
from selenium.webdriver.common.by import By

from conftest import (DESKTOP, MOBILE, advance_clock, click, in_view, no_horizontal_scroll,
                      pause_clock, wait, wait_css)
from journey import Journey

WORDS = {
    "es": {"text": "El servicio de pagos no responde en este momento. Tu horario sigue reservado y "
                   "tus datos están guardados.",
           "wait": "Podrás intentar de nuevo en 60 s.", "ready": "Ya puedes intentar de nuevo.",
           "retry": "Intentar de nuevo"},
    "en": {"text": "The payment service is not answering right now. Your time is still held and "
                   "your details are kept.",
           "wait": "You can try again in 60 s.", "ready": "You can try again now.",
           "retry": "Try again"},
}


@pytest.mark.parametrize("lang,size", [("es", MOBILE), ("en", DESKTOP)])
def test_the_customer_is_told_the_time_is_held_and_tries_again_after_the_wait(
        browser, contract, shots, lang, size):
    words = WORDS[lang]
    d = browser(lang, size)
    contract.config(provider_failures=1)
    j = Journey(d, shots, "outage-%s" % lang).open(contract.link_url)
    j.choose_service("Limpieza facial")
    j.to_time()
    times = j.times_of_a_day_with(1)
    j.pick(times[0])
    j.wait_held()
    j.to_details()
    j.fill(name="Luis Gómez", email="luis@example.com", phone="3101234567", terms=True)
    j.submit()
    text = wait_css(d, "#outage-text")
    pause_clock(d)      # the wait stands still until the test moves it
    assert text.text == words["text"]
    # read out at once (the notice is an alert) and focused, with the wait counted where it is seen
    notice = d.find_element(By.CSS_SELECTOR, ".notice.outage")
    assert notice.get_attribute("role") == "alert"
    assert d.switch_to.active_element == text
    wait_el = d.find_element(By.ID, "outage-wait")
    assert wait_el.text in (words["wait"], words["wait"].replace("60", "59"))
    retry = d.find_element(By.ID, "outage-retry")
    assert retry.text == words["retry"] and retry.get_attribute("aria-disabled") == "true"
    assert no_horizontal_scroll(d)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", retry)
    assert in_view(d, retry) and in_view(d, text)
    j.shot("1-waiting")
    # the details stay as written; pressing during the wait does nothing
    assert d.find_element(By.ID, "f-name").get_attribute("value") == "Luis Gómez"
    click(d, retry)
    assert d.find_elements(By.ID, "outage-text") and "/_contract/checkout" not in d.current_url
    # the wait ends: said and announced, and the button can be pressed
    left = d.execute_script("return Number(document.querySelector('.outage').dataset.readyAt) - Date.now()")
    assert 55000 < left <= 60000
    advance_clock(d, left - 2000)
    assert retry.get_attribute("aria-disabled") == "true"
    advance_clock(d, 3000)
    wait(d, lambda d: d.find_element(By.ID, "outage-wait").text == words["ready"])
    assert retry.get_attribute("aria-disabled") is None
    wait(d, lambda d: advance_clock(d, 100) or words["ready"] in
         d.find_element(By.ID, "live").get_attribute("textContent"))
    j.shot("2-ready")
    # the same request again: the provider answers now and the customer goes on to pay
    click(d, retry)
    go = wait_css(d, "#go-checkout")
    assert "/_contract/checkout" in go.get_attribute("href")
    assert not d.find_elements(By.ID, "outage-text")
