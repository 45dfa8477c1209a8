"""The metrics page reads as the merchant speaks: every chart's text at least 11 px on the
screen and inside its chart, none covering another, at 1280 and 360 px; one decimal mark
across the page (a comma in Spanish, a point in English); figures named in plain words with
their technical name beside them (429, p95, OAuth). Over the 120-day history of
test_dashboard_metrics.py."""
import re

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize
from dashboard_support import (chart_label_problems, charts_drawn_for_their_width, heading, log_in,
                               wait)
from test_dashboard_metrics import full_page, history, stack  # noqa: F401 (fixtures)

TITLE = {"es": "Métricas", "en": "Metrics"}


def open_metrics(browser, stack, merchant, lang, size=DESKTOP):
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], merchant.email, merchant.password, next_path="/dashboard/metrics?period=90d")
    heading(d, TITLE[lang])
    wait(d, lambda d: len(d.find_elements(By.CSS_SELECTOR, "svg.chart")) == 6)
    return d


@pytest.mark.parametrize("lang", ["es", "en"])
def test_chart_labels_are_readable_inside_their_chart_and_apart(browser, stack, history, shots, lang):
    merchant = history[0]
    d = open_metrics(browser, stack, merchant, lang)
    for size in (DESKTOP, MOBILE):
        resize(d, size)
        wait(d, charts_drawn_for_their_width, 10, "the charts were not drawn for %d px" % size[0])
        problems = chart_label_problems(d)
        assert not problems, "at %d px: %s" % (size[0], problems)
        assert no_horizontal_scroll(d)
        shots(d, "dashboard-metrics-charts-" + lang)
        full_page(d, "dashboard-metrics-charts-" + lang)


def page_numbers_text(d):
    """What the page shows, its charts' texts and its numbers' tables included."""
    for details in d.find_elements(By.CSS_SELECTOR, "details.chart-data"):
        d.execute_script("arguments[0].open = true", details)
    return d.execute_script(
        "return document.querySelector('main').innerText + '\\n' + "
        "[...document.querySelectorAll('svg.chart text')].map((t) => t.textContent).join('\\n')"
    ).replace("\u00a0", " ").replace("\u202f", " ")


WORDS = {
    "es": {"named": ["Solicitudes frenadas por exceso (429)", "Tiempo de respuesta de avisos de pago (p95)",
                     "Tiempo de respuesta de tu sitio (p50)", "en la conexión con Google/Microsoft (OAuth)",
                     "Máximo: "],
           "gone": ["Respuestas 429", "Webhooks p95", "Webhooks p50", "Tu servidor p95", "de autorización (OAuth)", "max "],
           "decimal": ",", "wrong": r"\d\.\d{1,2}(?!\d)"},
    "en": {"named": ["Requests held back for coming too fast (429)", "Response time of payment notices (p95)",
                     "Response time of your site (p50)", "in the connection with Google/Microsoft (OAuth)",
                     "Highest: "],
           "gone": ["429 answers", "Webhooks p95", "Webhooks p50", "Your server p95", "authorization (OAuth)", "max "],
           "decimal": ".", "wrong": r"\d,\d{1,2}(?!\d)"},
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_numbers_and_names_read_in_the_merchants_words(browser, stack, history, lang):
    merchant = history[0]
    d = open_metrics(browser, stack, merchant, lang)
    want = WORDS[lang]
    text = page_numbers_text(d)
    for name in want["named"]:
        assert name in re.sub(r"\s+", " ", text), "%r is not on the page" % name
    for raw in want["gone"]:
        assert raw not in text, "%r is still on the page" % raw
    # one decimal mark across the page: no number written the other language's way
    wrong = re.findall(r".{0,24}" + want["wrong"] + r".{0,8}", text)
    assert not wrong, "numbers with the other decimal mark: %s" % wrong
    assert re.search(r"\d" + re.escape(want["decimal"]) + r"\d", text), "no decimal number on the page"
    # the technical name is a hint: smaller than the name it follows
    kpi = d.find_element(By.CSS_SELECTOR, "#kpi-rate-limited .kpi-label")
    tech = kpi.find_element(By.CSS_SELECTOR, ".tech")
    assert tech.text == "(429)"
    assert float(tech.value_of_css_property("font-size")[:-2]) < float(kpi.value_of_css_property("font-size")[:-2])
