"""Connecting a professional's calendar, in the browser, on the real stack: the merchant
creates an invitation on the professional's page, the professional opens it on a phone,
chooses Google, consents on the fake Google page and lands back on the invitation page that
says it is connected (and, opened again, that it connects once); a wrong Cal.com key is explained under its field; the merchant sees
the connection and disconnects it. Screenshots at phone and desktop width."""
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


def test_the_professional_connects_google_from_the_invitation(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Calma")
    pro = seed.professional(m.tenant_id, name="Dra. Luz Marina", hours=seed.ALL_WEEK(("08:00", "18:00")))
    # a calendar shared with her account to read only: offered to block, never to receive
    req = urllib.request.Request(
        stack["KF_FAKES_URL"] + "/google/_control/calendars", method="POST",
        data=json.dumps({"account": "luz.marina@example.com", "id": "festivos-luz@group.calendar.google.com",
                         "summary": "Festivos", "accessRole": "reader"}).encode(),
        headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).close()

    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/professionals/" + pro)
    heading(d, "Dra. Luz Marina")
    invite = wait(d, lambda d: d.find_element(By.ID, "calendar-invite"))
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", invite)
    invite.click()
    toast(d, "Invitación creada")
    url = wait(d, lambda d: d.find_element(By.ID, "invitation-url")).get_attribute("href")
    assert "/connect-calendar/" in url
    assert "Invitación enviada" in d.find_element(By.CSS_SELECTOR, "main").text
    d.execute_script("document.getElementById('calendar-title').scrollIntoView({block: 'start'})")
    shots(d, "dashboard-calendar-invitation")

    # the professional, on a phone, in Spanish
    p = browser("es", MOBILE)
    p.get(url)
    wait(p, lambda p: p.find_element(By.ID, "main").get_attribute("data-ready") == "true")
    text = p.find_element(By.ID, "main").text
    assert "Estudio Calma" in text and "Dra. Luz Marina" in text
    assert no_horizontal_scroll(p)
    shots(p, "connect-calendar")

    # Cal.com with a wrong key: said under the field, nothing connected
    p.find_element(By.ID, "calcom").click()
    key = wait(p, lambda p: p.find_element(By.ID, "api-key"))
    assert p.switch_to.active_element == key
    key.send_keys("cal_not_a_key")
    p.find_element(By.ID, "calcom-submit").click()
    err = wait(p, lambda p: p.find_element(By.ID, "api-key-error") if p.find_element(By.ID, "api-key-error").is_displayed() else None)
    assert "Cal.com" in err.text and key.get_attribute("aria-invalid") == "true"
    shots(p, "connect-calendar-calcom-error")

    # Google: the fake consent page, then back here
    p.find_element(By.ID, "google").click()
    allow = wait(p, lambda p: p.find_element(By.ID, "allow"))
    email = p.find_element(By.ID, "email")
    email.clear()
    email.send_keys("luz.marina@example.com")
    allow.click()
    wait(p, lambda p: "result=connected" in p.current_url and
         p.find_element(By.ID, "main").get_attribute("data-ready") == "true")
    assert p.find_element(By.ID, "title").text == "¡Calendario conectado!"
    assert "luz.marina@example.com" in p.find_element(By.ID, "current").text
    # which of the account's calendars count: the professional chooses here too
    which = wait(p, lambda p: p.find_element(By.ID, "which") if p.find_element(By.ID, "which").is_displayed() else None)
    assert "¿Qué calendarios cuentan?" in which.text and "luz.marina@example.com (principal)" in which.text
    assert p.find_element(By.ID, "which-blocks-0").is_selected()
    assert p.find_element(By.CSS_SELECTOR, "label[for='which-receives-0']").text == "Anotar aquí las reservas"
    read_only = p.find_element(By.ID, "which-receives-1")
    assert not read_only.is_enabled() and p.find_element(By.ID, "which-blocks-1").is_enabled()
    why = p.find_element(By.ID, read_only.get_attribute("aria-describedby"))
    assert why.text == "Solo lectura: no puede recibir citas"
    p.find_element(By.ID, "which-save").click()
    wait(p, lambda p: "Listo" in p.find_element(By.ID, "status").text)
    for size in (MOBILE, DESKTOP):
        resize(p, size)
        time.sleep(0.2)
        assert no_horizontal_scroll(p)
        shots(p, "connect-calendar-connected")
    # the invitation connects once: no other choice is offered, now or when opened again
    assert not p.find_element(By.ID, "choices").is_displayed()
    p.get(url)
    wait(p, lambda p: p.find_element(By.ID, "main").get_attribute("data-ready") == "true")
    assert "una sola vez" in p.find_element(By.ID, "status").text
    assert "luz.marina@example.com" in p.find_element(By.ID, "current").text
    assert not p.find_element(By.ID, "choices").is_displayed()
    shots(p, "connect-calendar-used")

    # the merchant sees it, and disconnects
    d.refresh()
    heading(d, "Dra. Luz Marina")
    wait(d, lambda d: "luz.marina@example.com" in d.find_element(By.CSS_SELECTOR, "main").text)
    assert "Conectado" in d.find_element(By.CSS_SELECTOR, "main").text
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        time.sleep(0.2)
        assert no_horizontal_scroll(d)
        d.execute_script("document.getElementById('calendar-title').scrollIntoView({block: 'start'})")
        shots(d, "dashboard-calendar-connected")
    off = d.find_element(By.ID, "calendar-disconnect")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", off)
    off.click()
    d.switch_to.alert.accept()
    toast(d, "Calendario desconectado")
    assert e2e.psql("SELECT count(*) FROM calendar_connections WHERE professional_id = :'p1'", pro) == "0"


def test_an_expired_invitation_says_so_in_english(browser, stack):
    d = browser("en", MOBILE)
    d.get(stack["KF_URL"] + "/connect-calendar/" + "x" * 43)
    wait(d, lambda d: d.find_element(By.ID, "main").get_attribute("data-ready") == "true")
    assert d.find_element(By.ID, "title").text == "Invitation not valid"
    assert "72 hours" in d.find_element(By.ID, "status").text
    assert not d.find_element(By.ID, "choices").is_displayed()


def test_a_calendar_that_needs_reconnecting_says_the_professional_was_invited(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Calma")
    pro = seed.professional(m.tenant_id, name="Dr. Tomás Ríos", hours=seed.ALL_WEEK(("08:00", "18:00")))
    # Google refused the refresh token: what the sync job leaves behind
    e2e.psql("""INSERT INTO calendar_connections (professional_id, tenant_id, provider, status,
                    account, secret_sealed, synced_at, sync_error)
                VALUES (:'p1', :'p2', 'google', 'error', 'tomas.rios@example.com', 'sealed',
                        now() - interval '2 hours', 'invalid_grant: Token has been expired or revoked.')""",
             pro, m.tenant_id)
    e2e.psql("UPDATE professionals SET calendar_provider = 'google', calendar_status = 'error'"
             " WHERE id = :'p1'", pro)
    for lang, size, says in (("es", MOBILE, "Hay que volver a conectarlo"),
                             ("en", DESKTOP, "It needs connecting again")):
        d = browser(lang, size)
        log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/professionals/" + pro)
        heading(d, "Dr. Tomás Ríos")
        notice = wait(d, lambda d: d.find_element(By.ID, "calendar-reconnect"))
        assert says in notice.text
        assert "invalid_grant" in d.find_element(By.CSS_SELECTOR, "main").text
        assert no_horizontal_scroll(d)
        d.execute_script("document.getElementById('calendar-title').scrollIntoView({block: 'start'})")
        shots(d, "dashboard-calendar-needs-reconnect")
