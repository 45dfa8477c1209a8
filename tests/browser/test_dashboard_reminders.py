"""The dashboard's reminders page on the real stack, at phone width: the merchant picks when
customers are reminded, connects Twilio (a wrong Account SID is explained under its field,
the token is never shown back, only its last 4 characters), and disconnects it. Screenshots
at phone and desktop width."""
import secrets
import time

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize
from dashboard_support import (choose, e2e, field, field_error, heading, log_in, nav, stack_env, submit,
                               toast, type_into, wait)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_the_merchant_sets_reminders_and_connects_twilio(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Barbería Norte")
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    sid, token = "AC" + secrets.token_hex(16), secrets.token_hex(16)
    known = dict(fakes._call("GET", "/_fakes/twilio/config")["accounts"])
    known[sid] = {"auth_token": token, "from": "+14155552671"}
    fakes.config("twilio", accounts=known)

    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola")
    nav(d, "Recordatorios")
    heading(d, "Recordatorios")
    choose(d, "lead1", "1440")
    choose(d, "lead2", "120")
    choose(d, "lead3", "")
    d.find_elements(By.CSS_SELECTOR, "main form button[type=submit]")[0].click()
    toast(d, "Avisos guardados")
    assert e2e.psql("SELECT array_to_string(reminders, ',') FROM tenants WHERE id = :'p1'", m.tenant_id) == "1440,120"

    # Twilio: a wrong Account SID is explained where it was typed
    type_into(d, "account_sid", "AC123")
    type_into(d, "auth_token", token)
    type_into(d, "from", "+14155552671")
    choose(d, "channel", "whatsapp")
    forms = d.find_elements(By.CSS_SELECTOR, "main form")
    forms[1].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "AC" in field_error(d, "account_sid")
    assert e2e.psql("SELECT count(*) FROM tenant_messaging_settings WHERE tenant_id = :'p1'", m.tenant_id) == "0"
    type_into(d, "account_sid", sid)
    type_into(d, "auth_token", token)
    d.find_elements(By.CSS_SELECTOR, "main form")[1].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    toast(d, "Twilio conectado")
    wait(d, lambda d: "Conectado" in d.find_element(By.CSS_SELECTOR, "main").text)
    hint = wait(d, lambda d: next((e.text for e in d.find_elements(By.CSS_SELECTOR, "main .hint")
                                   if token[-4:] in e.text), None))
    assert token not in d.page_source and token[-4:] in hint
    assert field(d, "auth_token").get_attribute("value") == ""
    assert e2e.psql("SELECT channel FROM tenant_messaging_settings WHERE tenant_id = :'p1'", m.tenant_id) == "whatsapp"
    for size in (MOBILE, DESKTOP):
        resize(d, size)
        time.sleep(0.2)
        assert no_horizontal_scroll(d)
        shots(d, "dashboard-reminders")
    resize(d, MOBILE)

    off = d.find_element(By.ID, "twilio-disconnect")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", off)
    off.click()
    toast(d, "Twilio desconectado")
    wait(d, lambda d: "Sin conectar" in d.find_element(By.CSS_SELECTOR, "main").text)
    assert e2e.psql("SELECT count(*) FROM tenant_messaging_settings WHERE tenant_id = :'p1'", m.tenant_id) == "0"
