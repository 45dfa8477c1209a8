"""The dashboard's failed deliveries on the real stack, at phone width: the merchant sees the
mail that did not arrive, with its address and what happened, and sends it again from the keyboard."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import MOBILE, no_horizontal_scroll
from dashboard_support import e2e, heading, log_in, nav, stack_env, toast, wait


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_the_merchant_sees_a_failed_mail_and_sends_it_again(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Clínica Sur")
    mail = e2e.psql("""INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html,
                           attempts, last_error, failed_at)
                       VALUES (:'p1', 'ana@clinica.example', 'Tu reserva', 'x', 'x', 3,
                               '550 mailbox unavailable', now()) RETURNING id""", m.tenant_id)
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola")
    nav(d, "Envíos que fallaron")
    heading(d, "Envíos que fallaron")
    row = wait(d, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "main table tr")
                                  if "ana@clinica.example" in r.text), None), 10, "no failed mail")
    # what happened in words; what the server said behind "Detalles"
    assert "El buzón de ana@clinica.example no existe (el servidor de correo respondió 550)." in row.text
    assert "Falló" in row.text and "550 mailbox unavailable" not in row.text
    row.find_element(By.CSS_SELECTOR, "details summary").click()
    wait(d, lambda d: "550 mailbox unavailable" in row.text)
    assert no_horizontal_scroll(d)
    shots(d, "deliveries-failed")
    button = row.find_element(By.TAG_NAME, "button")
    assert "Volver a enviar" in button.get_attribute("aria-label")
    button.send_keys(Keys.ENTER)
    toast(d, "Lo volvemos a enviar.")
    # the job may already be trying it again: the re-send itself is what is recorded
    assert e2e.psql("""SELECT count(*) FROM audit_log WHERE tenant_id = :'p1'
                       AND action = 'delivery.resend' AND entity_id = :'p2'""", m.tenant_id, mail) == "1"
