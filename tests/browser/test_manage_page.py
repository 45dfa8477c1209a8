"""The booking's own page that every mail links to (/book/manage/{id}?token=), on the real
stack at phone width: the booking in the customer's zone, the calendar file, and cancelling
it while the policy allows (a late cancel says why it cannot and gives the business's phone
and address as links); the business's logo, name and colours on the platform's host; 30
days after the appointment the link says it expired."""
import datetime as dt
import re
import secrets

import pytest
import requests
from selenium.webdriver.common.by import By

from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, in_view, no_horizontal_scroll, wait, wait_css
from dashboard_support import e2e, e2e_helper, heading, stack_env


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def book(stack):
    """A free booking five days ahead, by the public API; returns (scenario, booking, email)."""
    seed = e2e_helper("booking_seed")
    api = e2e.Api(stack)
    sc = seed.Scenario(api, tenant={"wompi": False}, service={"charge": "free", "price": 0, "name": "Asesoría de imagen"},
                       professionals=[{"name": "Marta Salas", "hours": seed.ALL_WEEK(("09:00", "17:00"))}])
    day = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    start = sc.slots(**{"from": day, "days": 1})[0]["start"]
    hold = sc.hold(start).json()["hold"]
    email = "manage-%s@example.com" % secrets.token_hex(4)
    r = api.post("/api/public/bookings", json={"hold_token": hold["token"], "accepted_terms": True,
                                               "timezone": "America/Bogota",
                                               "customer": {"name": "Sara Gil", "email": email, "phone": "+573001234567"}})
    assert r.status_code == 201, r.text
    return sc, r.json()["booking"], email


def manage_link(stack, email):
    maildir = e2e.Maildir(stack["KF_MAILDIR"])
    maildir.seen = set()
    end = dt.datetime.now() + dt.timedelta(seconds=30)
    while dt.datetime.now() < end:
        for m in maildir.new(to=email):
            found = re.search(r"(https?://\S+/book/manage/[0-9a-f-]+\?token=[A-Za-z0-9_-]+)",
                              m.get_body(preferencelist=("plain",)).get_content())
            if found:
                return found.group(1)
    pytest.fail("no manage link mailed to %s" % email)


def test_the_mail_link_shows_the_booking_and_cancels_it(browser, stack, shots):
    sc, booking, email = book(stack)
    url = manage_link(stack, email)
    d = browser("es", MOBILE)
    d.get(url)
    heading(d, "Tu reserva")
    main = d.find_element(By.CSS_SELECTOR, "main").text
    assert "Asesoría de imagen" in main and "Marta Salas" in main
    assert no_horizontal_scroll(d)
    shots(d, "manage-booking")
    ics = d.find_element(By.ID, "add-calendar").get_attribute("href")
    host = stack["KF_URL"].split("//")[1]
    r = requests.get(ics.replace(host.split(":")[0], "127.0.0.1", 1), headers={"Host": host})
    assert r.status_code == 200 and b"BEGIN:VEVENT" in r.content
    d.find_element(By.ID, "cancel-open").click()
    assert d.switch_to.active_element.get_attribute("id") == "cancel-reason"
    d.switch_to.active_element.send_keys("Me surgió un viaje")
    shots(d, "manage-cancel")
    d.find_element(By.ID, "cancel-confirm").click()
    heading(d, "Reserva cancelada")
    assert "El horario quedó libre" in d.find_element(By.CSS_SELECTOR, "main").text
    assert not d.find_elements(By.ID, "cancel-open")
    shots(d, "manage-cancelled")
    assert e2e.psql("SELECT status || '|' || cancel_reason FROM reservations WHERE id = :'p1'", booking["id"]) \
        == "cancelled|Me surgió un viaje"
    # opened again later: it says cancelled
    d.refresh()
    heading(d, "Reserva cancelada")


def test_a_late_cancel_says_why_not_in_english(browser, stack):
    sc, booking, email = book(stack)
    e2e.psql("UPDATE tenants SET cancel_cutoff_hours = 720, notification_email = 'hello@studio.example'"
             " WHERE id = :'p1'", sc.tenant_id)
    d = browser("en", MOBILE)
    d.get(manage_link(stack, email))
    heading(d, "Your booking")
    # the policy's answer comes with the booking: no cancel button, the reason and whom to
    # write to instead (the business gives no phone: its address alone)
    closed = wait_css(d, "#closed-online")
    assert "It can no longer be cancelled online. To do so, contact Clínica Reserva:" in closed.text
    assert closed.find_element(By.CSS_SELECTOR, "a[href='mailto:hello@studio.example']").text \
        == "Email hello@studio.example"
    assert not closed.find_elements(By.CSS_SELECTOR, "a[href^='tel:']")
    assert not d.find_elements(By.ID, "cancel-open")
    assert d.find_element(By.ID, "reschedule-open").text == "Change date or time"
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", booking["id"]) in ("paid", "confirmed")


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "desktop"])
def test_the_page_wears_the_business_brand_and_gives_its_phone_and_address_once_closed(browser, stack, shots, size):
    sc, booking, email = book(stack)
    logo = stack["KF_URL"] + "/static/demo/logo.svg"
    e2e.psql("""UPDATE tenants SET name = 'Clínica Aurora', primary_color = '#0F766E', logo_url = :'p2',
                  contact_phone = '+576015550123', notification_email = 'citas@clinica-aurora.example',
                  cancel_cutoff_hours = 720, reschedule_cutoff_hours = 720 WHERE id = :'p1'""",
             sc.tenant_id, logo)
    d = browser("es", size)
    d.get(manage_link(stack, email))
    heading(d, "Tu reserva")
    # the business's header and colours, as its booking link shows them
    img = wait_css(d, "#brand img.brand-logo")
    assert img.get_attribute("alt") == "Clínica Aurora" and img.get_attribute("src") == logo
    wait(d, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img))
    assert d.execute_script("return getComputedStyle(document.documentElement)"
                            ".getPropertyValue('--kf-primary').trim()").lower() == "#0f766e"
    assert d.title.endswith("· Clínica Aurora")
    # nothing left to do online: said, with the business's phone and address as links
    closed = wait_css(d, "#closed-online")
    assert closed.text.startswith("Ya no se puede cancelar en línea ni cambiar la hora. "
                                  "Para hacerlo, comunícate con Clínica Aurora:")
    call = closed.find_element(By.CSS_SELECTOR, "a[href='tel:+576015550123']")
    write = closed.find_element(By.CSS_SELECTOR, "a[href='mailto:citas@clinica-aurora.example']")
    assert (call.text, write.text) == ("Llamar al +57 601 555 0123", "Escribir a citas@clinica-aurora.example")
    assert not d.find_elements(By.ID, "cancel-open") and not d.find_elements(By.ID, "reschedule-open")
    # reached with the keyboard, in view once there
    body = d.find_element(By.TAG_NAME, "body")
    for _ in range(20):
        if d.switch_to.active_element == call:
            break
        body.send_keys(Keys.TAB) if d.switch_to.active_element.tag_name == "body" \
            else d.switch_to.active_element.send_keys(Keys.TAB)
    assert d.switch_to.active_element == call and in_view(d, call)
    shots(d, "manage-closed-branded-call")
    call.send_keys(Keys.TAB)
    assert d.switch_to.active_element == write and in_view(d, write)
    assert no_horizontal_scroll(d)
    shots(d, "manage-closed-branded")


def test_a_wrong_token_finds_nothing(browser, stack):
    d = browser("es", MOBILE)
    d.get(stack["KF_URL"] + "/book/manage/00000000-0000-4000-8000-000000000000?token=" + secrets.token_urlsafe(32))
    heading(d, "No encontramos esta reserva")


def test_a_link_30_days_after_the_appointment_says_it_expired(browser, stack, shots):
    sc, booking, email = book(stack)
    url = manage_link(stack, email)
    e2e.psql("UPDATE reservations SET starts_at = now() - interval '31 days 30 minutes',"
             " ends_at = now() - interval '31 days',"
             " blocked = tstzrange(now() - interval '31 days 30 minutes', now() - interval '31 days')"
             " WHERE id = :'p1'", booking["id"])
    d = browser("es", MOBILE)
    d.get(url)
    heading(d, "Este enlace ya venció: deja de servir 30 días después de la cita.")
    assert no_horizontal_scroll(d)
    shots(d, "manage-booking-link-expired")
