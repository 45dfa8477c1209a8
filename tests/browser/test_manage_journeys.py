"""After booking, as people do it on the real stack: a customer who booked and paid opens the
link of the confirmation mail on a phone (360x640) and cancels, or changes the time with the
wizard's own date and time step and gets the "moved" mail; the merchant moves a booking from
the dashboard's booking detail. Screenshots: var/screenshots/manage-journey-*, dashboard-reschedule-*."""
import datetime as dt
import re
import secrets
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import MOBILE, click, click_css, no_horizontal_scroll, wait, wait_css
from dashboard_support import e2e, e2e_helper, heading, log_in, stack_env, toast


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def paid(stack):
    """A business with Wompi (the fake), a professional with hours and a link, and a booking
    five days ahead that the customer paid (the fake Wompi's signed approval)."""
    seed = e2e_helper("booking_seed")
    payments = e2e_helper("payments_helpers")
    merchant = e2e.seed_merchant(stack, business="Centro Andino")
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    pay = payments.PayTenant(merchant, fakes, stack)
    pro = seed.professional(merchant.tenant_id, name="Lucía Prado", hours=seed.ALL_WEEK(("09:00", "17:00")),
                            services=[pay.service])
    slug = seed.link(merchant.tenant_id)
    public = e2e.Api(stack)
    day = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    start = public.get("/api/public/links/%s/availability" % slug, params={
        "service": pay.service, "professional": pro, "from": day, "days": 1}).json()["slots"][0]["start"]
    hold = public.post("/api/public/holds", json={"link": slug, "service": pay.service, "professional": pro,
                                                  "start": start}).json()["hold"]
    email = "cliente-%s@example.com" % secrets.token_hex(5)
    r = public.post("/api/public/bookings", json={
        "hold_token": hold["token"], "accepted_terms": True, "timezone": "America/Bogota",
        "customer": {"name": "Valentina Ruiz", "email": email, "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]
    pay.fire(e2e.psql("SELECT reference FROM payments WHERE reservation_id = :'p1'", booking["id"]))
    payments.wait_for(lambda: e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", booking["id"])
                      in ("paid", "confirmed"), what="the payment approved")
    return {"merchant": merchant, "booking": booking, "email": email, "slug": slug, "pro": pro,
            "service": pay.service, "start": start}


def mail_to(stack, email, subject, timeout=30):
    maildir = e2e.Maildir(stack["KF_MAILDIR"])
    maildir.seen = set()
    end = time.time() + timeout
    while time.time() < end:
        found = maildir.new(to=email, subject=subject)
        if found:
            return found[-1]
        time.sleep(0.2)
    pytest.fail("no mail %r to %s" % (subject, email))


def manage_link(msg):
    found = re.search(r"(https?://\S+/book/manage/[0-9a-f-]+\?token=[A-Za-z0-9_-]+)",
                      msg.get_body(preferencelist=("plain",)).get_content())
    assert found, "the mail has no manage link"
    return found.group(1)


def focused_heading(d):
    return wait(d, lambda d: d.switch_to.active_element.tag_name == "h1" and d.switch_to.active_element.text,
                10, "the focus is not on the new view's heading")


def test_paid_booking_cancelled_from_the_confirmation_mail_on_a_phone(browser, stack, paid, shots):
    confirmation = mail_to(stack, paid["email"], "Reserva confirmada: Consulta dermatológica")
    d = browser("es", MOBILE)
    d.get(manage_link(confirmation))
    heading(d, "Tu reserva")
    main = d.find_element(By.CSS_SELECTOR, "main").text
    assert "Consulta dermatológica" in main and "Lucía Prado" in main
    assert d.find_element(By.ID, "reschedule-open").is_displayed()
    assert no_horizontal_scroll(d)
    shots(d, "manage-journey-paid")
    click(d, d.find_element(By.ID, "cancel-open"))
    assert d.switch_to.active_element.get_attribute("id") == "cancel-reason"
    click(d, d.find_element(By.ID, "cancel-confirm"))
    heading(d, "Reserva cancelada")
    assert focused_heading(d) == "Reserva cancelada"
    # what was paid goes back (the business's default policy is a full refund)
    assert "Te devolverán" in d.find_element(By.CSS_SELECTOR, "main [role=status]").text
    assert not d.find_elements(By.ID, "reschedule-open") and not d.find_elements(By.ID, "cancel-open")
    assert no_horizontal_scroll(d)
    shots(d, "manage-journey-cancelled")
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", paid["booking"]["id"]) == "cancelled"
    d.refresh()
    heading(d, "Reserva cancelada")


def test_paid_booking_moved_from_the_mail_on_a_phone(browser, stack, paid, shots):
    confirmation = mail_to(stack, paid["email"], "Reserva confirmada: Consulta dermatológica")
    d = browser("es", MOBILE)
    d.get(manage_link(confirmation))
    heading(d, "Tu reserva")
    click(d, d.find_element(By.ID, "reschedule-open"))
    heading(d, "Elige la nueva fecha y hora")
    assert focused_heading(d) == "Elige la nueva fecha y hora"
    assert "Hora actual" in d.find_element(By.ID, "reschedule-current").text
    # the confirm button waits for a time
    assert not d.find_element(By.ID, "reschedule-confirm").is_enabled()
    # another day: the one after the booking's
    wait_css(d, ".times .time")
    want = (dt.date.fromisoformat(paid["start"][:10]) + dt.timedelta(days=1)).isoformat()
    click_css(d, ".days .day[data-day='%s']" % want)
    wait(d, lambda d: want in d.find_element(By.CSS_SELECTOR, ".days .day-selected").get_attribute("data-day"))
    times = d.find_elements(By.CSS_SELECTOR, ".times .time")
    new_start = times[2].get_attribute("data-start")
    label = times[2].text
    click(d, times[2])
    wait_css(d, ".time-selected")
    wait(d, lambda d: d.find_element(By.ID, "reschedule-confirm").is_enabled())
    assert no_horizontal_scroll(d)
    shots(d, "manage-journey-reschedule-held")
    click(d, d.find_element(By.ID, "reschedule-confirm"))
    heading(d, "Reserva movida")
    assert focused_heading(d) == "Reserva movida"
    note = d.find_element(By.CSS_SELECTOR, "main [role=status]").text
    assert "Tu nueva hora" in note and label in note
    assert no_horizontal_scroll(d)
    shots(d, "manage-journey-rescheduled")
    assert e2e.psql("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM reservations"
                    " WHERE id = :'p1'", paid["booking"]["id"]) == new_start
    # the customer gets the "moved" mail; its link (the confirmation's) shows the new time
    moved = mail_to(stack, paid["email"], "Tu reserva cambió de hora: Consulta dermatológica")
    assert "Nueva hora" in moved.get_body(preferencelist=("plain",)).get_content()
    assert manage_link(moved) == manage_link(confirmation)
    d.get(manage_link(moved))
    heading(d, "Tu reserva")
    assert label in d.find_element(By.CSS_SELECTOR, "main").text


def test_a_closed_reschedule_says_why_in_english(browser, stack, paid):
    confirmation = mail_to(stack, paid["email"], "Reserva confirmada: Consulta dermatológica")
    d = browser("en", MOBILE)
    d.get(manage_link(confirmation))
    heading(d, "Your booking")
    click(d, d.find_element(By.ID, "reschedule-open"))
    heading(d, "Choose the new date and time")
    times = wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".times .time"))
    click(d, times[-1])
    wait(d, lambda d: d.find_element(By.ID, "reschedule-confirm").is_enabled())
    # meanwhile the business closes changes: the page says so in plain words
    e2e.psql("UPDATE tenants SET reschedule_cutoff_hours = 720 WHERE id = :'p1'", paid["merchant"].tenant_id)
    click(d, d.find_element(By.ID, "reschedule-confirm"))
    wait(d, lambda d: "can no longer be changed online" in d.find_element(By.CSS_SELECTOR, "main .notice").text)
    assert e2e.psql("SELECT starts_at = :'p2'::timestamptz FROM reservations WHERE id = :'p1'",
                    paid["booking"]["id"], paid["start"]) == "t"
    # its hold was given back
    assert e2e.psql("SELECT count(*) FROM reservations WHERE tenant_id = :'p1' AND status = 'held'",
                    paid["merchant"].tenant_id) == "0"


def test_the_merchant_reschedules_from_the_booking_detail(browser, stack, paid, shots):
    m = paid["merchant"]
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + paid["booking"]["id"])
    heading(d, "Reserva de Valentina Ruiz")
    opener = wait_css(d, "#reschedule-open")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", opener)
    opener.click()
    assert opener.get_attribute("aria-expanded") == "true"
    day = (dt.date.fromisoformat(paid["start"][:10]) + dt.timedelta(days=2)).isoformat()
    box = d.find_element(By.CSS_SELECTOR, "#reschedule-box input[name=day]")
    # a date input takes the day as the browser shows it; set it like a picker does
    d.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", box, day)
    wait(d, lambda d: "horarios libres" in d.find_element(By.ID, "reschedule-status").text)
    select = Select(d.find_element(By.CSS_SELECTOR, "#reschedule-box select[name=start]"))
    option = select.options[3]
    new_start, label = option.get_attribute("value"), option.text
    select.select_by_value(new_start)
    assert no_horizontal_scroll(d)
    shots(d, "dashboard-reschedule")
    submit = d.find_element(By.CSS_SELECTOR, "#reschedule-box button[type=submit]")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
    submit.click()
    toast(d, "Reserva movida")
    wait(d, lambda d: label in d.find_element(By.CSS_SELECTOR, "main .facts").text)
    wait(d, lambda d: "cambio de hora" in d.find_element(By.CSS_SELECTOR, "main .timeline").text)
    shots(d, "dashboard-rescheduled")
    assert e2e.psql("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM reservations"
                    " WHERE id = :'p1'", paid["booking"]["id"]) == new_start
    mail_to(stack, paid["email"], "Tu reserva cambió de hora: Consulta dermatológica")
