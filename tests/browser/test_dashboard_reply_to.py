"""The business page's "Respuestas de tus clientes" (API.md "Replies"): the address customers'
replies go to, with the default in effect as its placeholder (the notices address, else the
owner's), set from a phone and from a desktop, and saved."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, no_horizontal_scroll
from dashboard_support import e2e, heading, log_in, stack_env, wait


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def reply_field(d):
    return wait(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "main [name=reply_to_email]")
                                   if e.is_displayed()), None), 15, "no reply-to field")


def stored(m):
    return e2e.psql("SELECT coalesce(reply_to_email, '') FROM tenants WHERE id = :'p1'", m.tenant_id)


def test_a_phone_sets_where_customers_replies_go(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Clínica Respuestas")
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola")
    d.get(stack["KF_URL"] + "/dashboard/business")
    field = reply_field(d)
    label = d.find_element(By.CSS_SELECTOR, "label[for='%s']" % field.get_attribute("id"))
    assert label.text == "Respuestas de tus clientes"
    # no notices address: the owner's own is the default in effect
    assert field.get_attribute("placeholder") == m.email
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.send_keys("no es un correo", Keys.ENTER)
    wait(d, lambda d: any(e.is_displayed() and e.text for e in
                          d.find_elements(By.CSS_SELECTOR, "main .field[data-field=reply_to_email] .field-error")),
         10, "no field error")
    assert stored(m) == ""
    field.clear()
    field.send_keys("citas@respuestas.example", Keys.ENTER)
    wait(d, lambda d: stored(m) == "citas@respuestas.example", 10, "reply-to not saved")
    assert no_horizontal_scroll(d)
    shots(d, "dashboard-business-reply-to")


def test_a_desktop_in_english_shows_the_notices_address_as_the_default(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Clinic Replies")
    e2e.psql("UPDATE tenants SET notification_email = 'desk@replies.example' WHERE id = :'p1'", m.tenant_id)
    d = browser("en", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hello")
    d.get(stack["KF_URL"] + "/dashboard/business")
    field = reply_field(d)
    label = d.find_element(By.CSS_SELECTOR, "label[for='%s']" % field.get_attribute("id"))
    assert label.text == "Your customers' replies"
    assert field.get_attribute("placeholder") == "desk@replies.example"
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.send_keys("front@replies.example", Keys.ENTER)
    wait(d, lambda d: stored(m) == "front@replies.example", 10, "reply-to not saved")
    d.get(stack["KF_URL"] + "/dashboard/business")
    assert reply_field(d).get_attribute("value") == "front@replies.example"
    assert no_horizontal_scroll(d)
    shots(d, "dashboard-business-reply-to-desktop")
