"""The metrics page over a merchant's 120-day history (tests/e2e/metrics_history.py): the
cards with their change against the period before, bookings per day as a line, reschedules
against cancellations, the funnel and revenue, each chart an image with a title and its
numbers in a table; the period buttons and the filters in the address; Spanish and English;
no sideways scroll at 360 px. Screenshots at 360 px and desktop, also of the whole page."""
import base64
import os
import re

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, SCREENSHOTS, no_horizontal_scroll, resize
from dashboard_support import e2e, e2e_helper, heading, log_in, stack_env, wait


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture(scope="module")
def history(stack):
    seed = e2e_helper("admin_bookings_seed")
    plan = e2e_helper("metrics_history")
    merchant = e2e.seed_merchant(stack, business="Estudio Métricas")
    services = [seed.add_service(merchant, name=n, currency="USD", price=10000) for n in ("Corte", "Color")]
    pros = [seed.add_professional(merchant, name=n, zone="America/New_York") for n in ("Lucía Prado", "Tomás Gil")]
    h = plan.History(merchant.tenant_id, "America/New_York", services, pros)
    h.write()
    # what the metrics job runs for this tenant
    e2e.psql("SELECT kf_metrics_refresh(:'p1', now(), interval '10 minutes')", merchant.tenant_id)
    return merchant, h, services, pros


def full_page(d, name):
    """The whole page, not only what the screen shows (for a person to look at)."""
    w, _ = d.kf_size
    shot = d.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
    path = os.path.join(SCREENSHOTS, "%s-full-%d.png" % (name, w))
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def text_of(d, css):
    return re.sub(r"\s+", " ", d.find_element(By.CSS_SELECTOR, css).text.replace("\u00a0", " ")).strip()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_cards_charts_and_their_tables(browser, stack, history, shots, lang):
    merchant, h, services, pros = history
    d = browser(lang, DESKTOP)
    log_in(d, stack["KF_URL"], merchant.email, merchant.password, next_path="/dashboard/metrics?period=90d")
    heading(d, "Métricas" if lang == "es" else "Metrics")
    m = merchant.api.get("/api/admin/metrics", params={"period": "90d"}).json()
    wait(d, lambda d: text_of(d, "#kpi-bookings .kpi-value") == str(sum(x["count"] for x in m["bookings_per_day"])))
    # the change against the 90 days before, as an arrow and a sentence
    change = m["trend"]["bookings"]
    badge = text_of(d, "#kpi-bookings .kpi-trend")
    assert ("▲" if change > 0 else "▼") in badge, badge
    assert d.find_element(By.CSS_SELECTOR, "#kpi-bookings .kpi-trend .visually-hidden").get_attribute("textContent")
    assert text_of(d, "#kpi-no-shows .kpi-value") == str(m["no_shows"])
    assert text_of(d, "#kpi-cancellations .kpi-value") == str(m["cancellations"])
    assert text_of(d, "#kpi-reminders .kpi-value") == str(m["reminders"]["sent"])
    # every chart is an image with a title, and its numbers are a table behind it
    charts = d.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 6
    for svg in charts:
        assert svg.get_attribute("role") == "img"
        assert svg.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    assert len(d.find_elements(By.CSS_SELECTOR, "svg.chart polyline.line")) == 2
    full_page(d, "dashboard-metrics-history-" + lang)
    for details in d.find_elements(By.CSS_SELECTOR, "details.chart-data"):
        d.execute_script("arguments[0].open = true", details)
    tables = d.find_elements(By.CSS_SELECTOR, "details.chart-data table")
    changes = tables[1].text
    word = "Reprogramadas" if lang == "es" else "Rescheduled"
    assert "%s %d %d" % (word, m["reschedules"], m["previous"]["reschedules"]) in changes
    per_day = tables[2].find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(per_day) == 90
    shots(d, "dashboard-metrics-history-" + lang)
    for details in d.find_elements(By.CSS_SELECTOR, "details.chart-data"):
        d.execute_script("arguments[0].open = false", details)
    resize(d, MOBILE)
    assert no_horizontal_scroll(d), "the metrics page scrolls sideways at 360 px"
    shots(d, "dashboard-metrics-history-" + lang)
    full_page(d, "dashboard-metrics-history-" + lang)


def test_periods_and_filters_live_in_the_address(browser, stack, history):
    merchant, h, services, pros = history
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], merchant.email, merchant.password, next_path="/dashboard/metrics")
    heading(d, "Métricas")
    d.find_element(By.XPATH, "//button[normalize-space()='Últimos 7 días']").click()
    wait(d, lambda d: "period=7d" in d.current_url)
    wait(d, lambda d: d.find_element(By.XPATH, "//button[normalize-space()='Últimos 7 días']")
         .get_attribute("aria-pressed") == "true")
    # a professional: the page shows that professional's bookings, and keeps the period
    from selenium.webdriver.support.ui import Select
    Select(d.find_element(By.ID, "m-professional")).select_by_visible_text("Tomás Gil")
    wait(d, lambda d: "professional=" + pros[1] in d.current_url and "period=7d" in d.current_url)
    mine = merchant.api.get("/api/admin/metrics", params={"period": "7d", "professional": pros[1]}).json()
    wait(d, lambda d: text_of(d, "#kpi-bookings .kpi-value") == str(sum(x["count"] for x in mine["bookings_per_day"])))
