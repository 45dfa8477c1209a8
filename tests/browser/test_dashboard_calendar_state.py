"""The professional's calendar state on the dashboard: a Cal.com connection without an event
type says plainly what it does not do and what is missing; an event left behind in a
calendar is listed with its reason, and the merchant drops it once removed by hand.
Screenshots at phone and desktop width."""
import time

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize
from dashboard_support import (choose, e2e, e2e_helper, field, heading, log_in, stack_env, submit,
                               toast, wait)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_the_calendar_panel_says_what_is_missing_and_what_is_left_behind(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Calma")
    pro = seed.professional(m.tenant_id, name="Dra. Cal Ortega", hours=seed.ALL_WEEK(("08:00", "18:00")))
    r = m.api.post("/api/admin/professionals/%s/invitation" % pro)
    assert r.status_code == 201, r.text
    invitation = r.json()["url"].rsplit("/", 1)[1]
    r = m.api.post("/api/public/invitations/%s/calcom" % invitation, json={"api_key": "cal_test_key"})
    assert r.status_code == 200 and r.json()["calendar"]["event_type_id"] is None, r.text
    # an event a replaced Google calendar refused to give up
    e2e.psql("""INSERT INTO calendar_orphans (tenant_id, professional_id, provider, account, event_id,
                  written_start, written_end, attempts, due_at, last_error)
                VALUES (:'p1', :'p2', 'google', 'cal.ortega@example.com', 'ev-old-1',
                  date_trunc('hour', now()) + interval '2 days', date_trunc('hour', now()) + interval '2 days 1 hour',
                  8, NULL, 'HTTP 403: The user does not have access')""", m.tenant_id, pro)

    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/professionals/" + pro)
    heading(d, "Dra. Cal Ortega")
    note = wait(d, lambda d: d.find_element(By.ID, "calendar-read-only"))
    assert "Solo lectura" in note.text and "tipo de evento" in note.text
    table = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, ".orphans table"))
    assert "Sin quitar" in table.text and "HTTP 403" in table.text and "cal.ortega@example.com" in table.text
    d.execute_script("document.getElementById('calendar-title').scrollIntoView({block: 'start'})")
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        time.sleep(0.2)
        assert no_horizontal_scroll(d)
        d.execute_script("document.getElementById('calendar-title').scrollIntoView({block: 'start'})")
        shots(d, "dashboard-calendar-state")
        d.execute_script("document.getElementById('orphans-title').scrollIntoView({block: 'start'})")
        shots(d, "dashboard-calendar-orphans")

    forget = [b for b in d.find_elements(By.CSS_SELECTOR, ".orphans button")
              if b.text == "Ya lo quité a mano"][0]
    forget.click()
    toast(d, "Evento quitado de la lista")
    wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, ".orphans table"))
    assert e2e.psql("SELECT count(*) FROM calendar_orphans WHERE professional_id = :'p1'", pro) == "0"

    # in English, the same words for the missing event type
    en = browser("en", DESKTOP)
    log_in(en, stack["KF_URL"], m.email, m.password, next_path="/dashboard/professionals/" + pro)
    heading(en, "Dra. Cal Ortega")
    note = wait(en, lambda d: d.find_element(By.ID, "calendar-read-only"))
    assert "event type id is missing" in note.text


def test_the_business_chooses_whose_hours_professionals_on_calcom_offer(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Estudio Calma")
    e2e.psql("UPDATE tenants SET subdomain = 'c' || substr(md5(id::text), 1, 10), timezone = 'America/Bogota',"
             " country = 'CO', currency = 'COP' WHERE id = :'p1'", m.tenant_id)
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/business")
    heading(d, "Negocio y marca")
    select = field(d, "calcom_hours")
    assert select.get_attribute("value") == "ours"
    assert "Solo donde ambos coinciden" in select.text
    choose(d, "calcom_hours", "both")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", select)
    shots(d, "dashboard-business-calcom-hours")
    submit(d)
    toast(d, "Cambios guardados")
    assert m.api.get("/api/admin/tenant").json()["tenant"]["calcom_hours"] == "both"
