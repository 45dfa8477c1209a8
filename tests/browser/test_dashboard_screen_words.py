"""The settings screens speak the merchant's words, on the real stack: the site notifications
page says what the site answered in words with its HTTP code beside it (never a bare "404"),
success as "con éxito (2xx)"; the brand colours' contrast and a professional's weekly hours
are written with the page's decimal mark. At 1280 and 360 px, in Spanish and English."""
import re

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize
from dashboard_support import (broken_words, e2e, e2e_helper, heading, log_in, overflowing, stack_env,
                               type_into, wait, wait_css)

WORDS = {
    "es": {"title": "Notificaciones a tu sitio", "success": "con éxito (2xx)",
           "refused": "Tu servidor no aceptó el aviso de prueba: No encontrada (404).",
           "badge": "No encontrada (404)", "colors": "Negocio y marca", "pros": "Profesionales",
           "ratio": r"\(\d+,\d:1\)", "hours": "52,5 h/semana"},
    "en": {"title": "Site notifications", "success": "with success (2xx)",
           "refused": "Your server did not accept the test notification: Not found (404).",
           "badge": "Not found (404)", "colors": "Business & brand", "pros": "Professionals",
           "ratio": r"\(\d+\.\d:1\)", "hours": "52.5 h/week"},
}


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def site_not_found(stack):
    """A merchant whose site answers 404 to every notification."""
    m = e2e.seed_merchant(stack, business="Clínica Oeste")
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    scope = "/callback/" + m.tenant_id
    fakes.config("merchant", scope=scope, status=404, statuses=[])
    r = m.api.patch("/api/admin/tenant", json={"callback_url": fakes.base("merchant") + scope})
    assert r.status_code == 200, r.text
    assert m.api.post("/api/admin/tenant/callback-secret").status_code == 201
    yield m
    fakes.config("merchant", scope=None, status=200)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_site_notification_test_says_what_the_site_answered(browser, stack, site_not_found, shots, lang):
    m, words = site_not_found, WORDS[lang]
    d = browser(lang, DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/callbacks")
    heading(d, words["title"])
    lead = d.find_element(By.CSS_SELECTOR, "main .lead").text
    assert words["success"] in lead and not re.search(r"\b(responde|answer) 2xx", lead), lead
    d.find_element(By.ID, "send-test").click()
    result = wait(d, lambda d: d.find_element(By.ID, "test-result") if words["refused"] in
                  d.find_element(By.ID, "test-result").text else None, 20, "no answer in words")
    badge = result.find_element(By.CSS_SELECTOR, ".badge")
    assert badge.text == words["badge"]
    for size in (DESKTOP, MOBILE):
        resize(d, size)
        assert no_horizontal_scroll(d)
        assert not overflowing(d, "main .badge, main button, main dd, main .test-result")
        assert not broken_words(d, "main .test-result, main dl.facts dt")
        shots(d, "dashboard-callbacks-words-" + lang)


def test_settings_write_decimals_the_way_the_language_does(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Decimal")
    seed.professional(m.tenant_id, name="Inés Duarte", hours=seed.ALL_WEEK(("08:00", "15:30")))
    for lang in ("es", "en"):
        decimals_of_settings(browser(lang, MOBILE), stack, m, shots, lang)


def decimals_of_settings(d, stack, m, shots, lang):
    words = WORDS[lang]
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/business")
    wait_css(d, "main input[name=primary_color]")
    # a colour too light on white: its contrast ratio, a decimal number
    type_into(d, "primary_color", "#FFEE00")
    warning = wait_css(d, "main .contrast-warning")
    assert re.search(words["ratio"], warning.text), warning.text
    shots(d, "dashboard-business-contrast-" + lang)
    d.get(stack["KF_URL"] + "/dashboard/professionals")
    heading(d, words["pros"])
    row = wait(d, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "main tbody tr")
                                  if "Inés Duarte" in r.text), None), 10, "no professional")
    assert words["hours"] in row.text, row.text
    resize(d, DESKTOP)
    assert words["hours"] in row.text
