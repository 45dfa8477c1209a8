"""Connecting a CalDAV calendar (iCloud, Fastmail, Nextcloud, Zoho...) in the browser, against
the stack's Radicale: the professional opens the invitation on a phone, chooses CalDAV, types
the server's address, user and app password; a wrong password is said under its field and
nothing is connected; the right one connects and offers the account's collections to choose
from, and the merchant's page names CalDAV. Screenshots
at phone and desktop width."""
import secrets
import time

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize
from dashboard_support import e2e, e2e_helper, heading, log_in, stack_env, wait


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def ready(d):
    wait(d, lambda d: d.find_element(By.ID, "main").get_attribute("data-ready") == "true")


def test_the_professional_connects_a_caldav_calendar(browser, stack, shots):
    auth = (stack["KF_RADICALE_USER"], stack["KF_RADICALE_PASSWORD"])
    collection = "%s/%s/agenda-%s/" % (stack["KF_RADICALE_URL"], auth[0], secrets.token_hex(3))
    assert requests.request("MKCALENDAR", collection, auth=auth, timeout=10).status_code == 201
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Nube")
    pro = seed.professional(m.tenant_id, name="Dr. Iván Prado", hours=seed.ALL_WEEK(("08:00", "18:00")))
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/professionals/" + pro)
    heading(d, "Dr. Iván Prado")
    invite = wait(d, lambda d: d.find_element(By.ID, "calendar-invite"))
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", invite)
    invite.click()
    url = wait(d, lambda d: d.find_element(By.ID, "invitation-url")).get_attribute("href")

    p = browser("es", MOBILE)
    p.get(url)
    ready(p)
    p.find_element(By.ID, "caldav").click()
    field = wait(p, lambda p: p.find_element(By.ID, "caldav-url"))
    assert p.switch_to.active_element == field
    assert not p.find_element(By.ID, "calcom-form").is_displayed()
    field.send_keys(collection)
    p.find_element(By.ID, "caldav-user").send_keys(auth[0])
    password = p.find_element(By.ID, "caldav-password")
    password.send_keys("not-the-password")
    p.find_element(By.ID, "caldav-submit").click()
    err = wait(p, lambda p: p.find_element(By.ID, "caldav-password-error")
               if p.find_element(By.ID, "caldav-password-error").is_displayed() else None)
    assert "contraseña" in err.text and password.get_attribute("aria-invalid") == "true"
    assert no_horizontal_scroll(p)
    shots(p, "connect-calendar-caldav-error")

    password.clear()
    password.send_keys(auth[1])
    p.find_element(By.ID, "caldav-submit").click()
    wait(p, lambda p: p.find_element(By.ID, "title").text == "¡Calendario conectado!")
    assert auth[0] in p.find_element(By.ID, "current").text
    # the account's collections are offered at once: which of them count
    which = wait(p, lambda p: p.find_element(By.ID, "which")
                 if p.find_element(By.ID, "which").is_displayed() else None)
    assert "agenda-" in which.text
    for size in (MOBILE, DESKTOP):
        resize(p, size)
        time.sleep(0.2)
        assert no_horizontal_scroll(p)
        shots(p, "connect-calendar-caldav-connected")

    # the merchant's page names it
    d.refresh()
    heading(d, "Dr. Iván Prado")
    wait(d, lambda d: "CalDAV" in d.find_element(By.CSS_SELECTOR, "main").text)
    d.execute_script("document.getElementById('calendar-title').scrollIntoView({block: 'start'})")
    shots(d, "dashboard-calendar-caldav")
