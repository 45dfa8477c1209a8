"""The merchant chooses which of a professional's calendars count, and answers a change the
professional made in their own calendar: the professional page lists the connected account's
calendars with "blocks slots" and "receives bookings" (off, with the reason, for a calendar
the account may only read); a booking whose event was moved there
says so and offers the move, putting the event back and cancelling. Screenshots at phone and
desktop width."""
import datetime as dt
import json
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize
from dashboard_support import e2e, e2e_helper, heading, log_in, stack_env, toast, wait


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def fake(stack, method, path, body):
    req = urllib.request.Request(stack["KF_FAKES_URL"] + path, data=json.dumps(body).encode(),
                                 method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


def connect_google(browser, m, pro, account):
    r = m.api.post("/api/admin/professionals/%s/invitation" % pro)
    assert r.status_code == 201, r.text
    p = browser("es", MOBILE)
    p.get(r.json()["url"])
    wait(p, lambda p: p.find_element(By.ID, "main").get_attribute("data-ready") == "true")
    p.find_element(By.ID, "google").click()
    allow = wait(p, lambda p: p.find_element(By.ID, "allow"))
    email = p.find_element(By.ID, "email")
    email.clear()
    email.send_keys(account)
    allow.click()
    wait(p, lambda p: "result=connected" in p.current_url)


def test_the_merchant_chooses_the_calendars_that_count(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Calma")
    pro = seed.professional(m.tenant_id, name="Dra. Inés Vega", hours=seed.ALL_WEEK(("08:00", "18:00")))
    account = "ines.vega-%s@example.com" % pro[:8]
    personal = "personal-%s@group.calendar.google.com" % pro[:8]
    holidays = "festivos-%s@group.calendar.google.com" % pro[:8]
    fake(stack, "POST", "/google/_control/calendars",
         {"account": account, "id": personal, "summary": "Personal"})
    fake(stack, "POST", "/google/_control/calendars",
         {"account": account, "id": holidays, "summary": "Festivos", "accessRole": "reader"})
    connect_google(browser, m, pro, account)

    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/professionals/" + pro)
    heading(d, "Dra. Inés Vega")
    box = wait(d, lambda d: d.find_element(By.CSS_SELECTOR, ".calendar-choices ul"))
    assert "Calendarios que cuentan" in d.find_element(By.ID, "calendar-choices-title").text
    rows = box.find_elements(By.TAG_NAME, "li")
    assert [r.find_element(By.TAG_NAME, "strong").text for r in rows] == [
        account + " (principal)", "Festivos", "Personal"]
    assert d.find_element(By.ID, "cal-blocks-0").is_selected() and d.find_element(By.ID, "cal-receives-0").is_selected()
    assert not d.find_element(By.ID, "cal-blocks-2").is_selected()
    # labels are the controls' names (keyboard and screen readers)
    assert d.find_element(By.CSS_SELECTOR, "label[for='cal-blocks-2']").text == "Bloquea horarios"
    # a calendar shared to read: it may block, but its "receives" choice is off, and says why
    read_only = d.find_element(By.ID, "cal-receives-1")
    assert not read_only.is_enabled() and d.find_element(By.ID, "cal-blocks-1").is_enabled()
    why = d.find_element(By.ID, read_only.get_attribute("aria-describedby"))
    assert why.text == "Solo lectura: no puede recibir citas"
    d.find_element(By.CSS_SELECTOR, "label[for='cal-receives-1']").click()
    assert not read_only.is_selected() and d.find_element(By.ID, "cal-receives-0").is_selected()
    d.execute_script("document.getElementById('calendar-choices-title').scrollIntoView({block: 'start'})")
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        time.sleep(0.2)
        assert no_horizontal_scroll(d)
        d.execute_script("document.getElementById('calendar-choices-title').scrollIntoView({block: 'start'})")
        shots(d, "dashboard-calendar-choices")
    d.find_element(By.CSS_SELECTOR, "label[for='cal-blocks-2']").click()
    d.find_element(By.CSS_SELECTOR, "label[for='cal-receives-2']").click()
    d.find_element(By.ID, "calendar-choices-save").click()
    toast(d, "Calendarios guardados")
    chosen = e2e.psql("SELECT string_agg(calendar_id || ':' || blocks || ':' || receives_events, ','"
                      " ORDER BY is_primary DESC, name)"
                      " FROM calendar_choices WHERE professional_id = :'p1'", pro)
    assert chosen == "%s:true:false,%s:false:false,%s:true:true" % (account, holidays, personal)


def test_a_booking_moved_in_the_professionals_calendar_offers_the_merchants_answers(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Calma")
    svc = seed.service(m.tenant_id, charge="free", price=0)
    pro = seed.professional(m.tenant_id, name="Dr. Pablo Ríos", hours=seed.ALL_WEEK(("08:00", "18:00")),
                            services=[svc])
    start = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    booking = seed.reservation(m.tenant_id, svc, pro, start, status="confirmed")
    e2e.psql("UPDATE reservations SET customer_name = 'Lucía Gómez', customer_email = 'lucia@example.com'"
             " WHERE id = :'p1'", booking)
    moved = start + dt.timedelta(hours=2)
    e2e.psql("""INSERT INTO calendar_events (reservation_id, tenant_id, professional_id, provider, event_id,
                  written_start, written_end, outside_change, outside_start, outside_end, outside_seen_at)
                VALUES (:'p1', :'p2', :'p3', 'google', 'ev-1', :'p4'::timestamptz,
                  :'p4'::timestamptz + interval '30 minutes', 'moved', :'p5'::timestamptz,
                  :'p5'::timestamptz + interval '30 minutes', now())""",
             booking, m.tenant_id, pro, start.isoformat(), moved.isoformat())

    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + booking)
    panel = wait(d, lambda d: d.find_element(By.ID, "calendar-change"))
    assert "movió el evento" in panel.text and "La reserva no cambió" in panel.text
    accept = d.find_element(By.ID, "calendar-change-accept")
    assert accept.text.startswith("Mover la reserva a")
    assert d.find_element(By.ID, "calendar-change-restore").text == "Volver a poner el evento"
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        time.sleep(0.2)
        assert no_horizontal_scroll(d)
        d.execute_script("document.getElementById('calendar-change').scrollIntoView({block: 'start'})")
        shots(d, "dashboard-booking-calendar-changed")
    d.find_element(By.ID, "calendar-change-restore").click()
    toast(d, "El evento vuelve a su calendario")
    wait(d, lambda d: not d.find_elements(By.ID, "calendar-change"))
    assert e2e.psql("SELECT outside_change IS NULL FROM calendar_events WHERE reservation_id = :'p1'",
                    booking) == "t"
