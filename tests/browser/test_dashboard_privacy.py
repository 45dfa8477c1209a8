"""The dashboard's customer data page on the real stack: from a booking the merchant opens
its customer's data, downloads it, and erases it after a confirmation dialog (Escape
cancels, nothing changes); a customer's erasure request is carried out from its row. At
phone width in Spanish, from the keyboard, and on a desktop in English."""
import secrets

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, no_horizontal_scroll
from dashboard_support import e2e, e2e_helper, heading, link, log_in, nav, stack_env, toast, wait

seed = e2e_helper("booking_seed")


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def a_customer():
    tag = secrets.token_hex(3)
    return {"name": "Lucía Restrepo %s" % tag, "email": "lucia.%s@example.com" % tag,
            "phone": "+57310%07d" % secrets.randbelow(10**7)}


def past_booking(tenant_id, who):
    service = seed.service(tenant_id, name="Limpieza dental")
    professional = seed.professional(tenant_id, name="Dr. Ríos", services=[service])
    return e2e.psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, customer_name, customer_email, customer_phone, accepted_terms_at,
            charge_type, charge_amount, currency)
        SELECT :'p1', :'p2', :'p3', 'completed', s, s + interval '30 minutes',
               tstzrange(s, s + interval '30 minutes'), :'p4', :'p5', :'p6', s - interval '1 day',
               'free', 0, 'COP'
        FROM (SELECT date_trunc('hour', now()) - interval '3 days' AS s) x RETURNING id""",
                    tenant_id, service, professional, who["name"], who["email"], who["phone"])


def dialog(d):
    return wait(d, lambda d: next((x for x in d.find_elements(By.CSS_SELECTOR, "dialog[open]")), None),
                10, "no open dialog")


def focused_text(d):
    return d.switch_to.active_element.text


def test_the_merchant_exports_and_erases_a_customer_from_the_keyboard(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Clínica Norte")
    who, asking = a_customer(), a_customer()
    booking = past_booking(m.tenant_id, who)
    asked = past_booking(m.tenant_id, asking)
    request = e2e.psql("INSERT INTO erasure_requests (tenant_id, email) VALUES (:'p1', :'p2')"
                       " RETURNING id", m.tenant_id, asking["email"])

    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola")
    d.get(stack["KF_URL"] + "/dashboard/bookings/" + booking)
    heading(d, who["name"])
    link(d, "Exportar o borrar sus datos").click()
    heading(d, "Datos de clientes")
    assert d.find_element(By.CSS_SELECTOR, "main input[name=email]").get_attribute("value") == who["email"]
    csv_link = link(d, "Descargar datos (CSV)")
    assert "format=csv" in csv_link.get_attribute("href")
    # what the link downloads is the customer's data
    text = d.execute_async_script(
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(arguments[1])",
        csv_link.get_attribute("href"))
    assert "bookings,%s,customer.email,%s" % (booking, who["email"]) in text
    assert no_horizontal_scroll(d)
    shots(d, "privacy-customer")

    erase = wait(d, lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "main button.danger")
                                    if b.text == "Borrar cliente"), None), 10, "no erase button")
    erase.send_keys(Keys.ENTER)
    box = dialog(d)
    assert who["email"] in box.text and "No se puede deshacer" in box.text
    assert focused_text(d) == "Cancelar"          # the safe answer has the focus
    shots(d, "privacy-erase-dialog")
    d.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"), 10, "dialog still open")
    assert e2e.psql("SELECT customer_email FROM reservations WHERE id = :'p1'", booking) == who["email"]

    erase.send_keys(Keys.ENTER)
    dialog(d)
    d.switch_to.active_element.send_keys(Keys.TAB)
    assert focused_text(d) == "Sí, borrar"
    d.switch_to.active_element.send_keys(Keys.ENTER)
    toast(d, "Datos borrados. Reservas afectadas: 1.")
    assert e2e.psql("SELECT customer_name || ' ' || status FROM reservations WHERE id = :'p1'",
                    booking) == "[erased] completed"

    # the customer who asked to be erased: their row, carried out from the keyboard
    row = wait(d, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "main table tr")
                                  if asking["email"] in r.text), None), 10, "no request row")
    assert "Pendiente" in row.text
    button = row.find_element(By.CSS_SELECTOR, "button.danger")
    assert asking["email"] in button.get_attribute("aria-label")
    button.send_keys(Keys.ENTER)
    dialog(d)
    d.switch_to.active_element.send_keys(Keys.TAB)
    d.switch_to.active_element.send_keys(Keys.ENTER)
    toast(d, "Datos borrados. Reservas afectadas: 1.")
    wait(d, lambda d: any("Borrada" in r.text for r in d.find_elements(By.CSS_SELECTOR, "main table tr")),
         10, "the request never shows erased")
    assert e2e.psql("SELECT status FROM erasure_requests WHERE id = :'p1'", request) == "erased"
    assert e2e.psql("SELECT customer_name FROM reservations WHERE id = :'p1'", asked) == "[erased]"
    assert no_horizontal_scroll(d)
    shots(d, "privacy-requests-done")


def test_the_page_in_english_on_a_desktop(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="North Clinic")
    e2e.psql("INSERT INTO erasure_requests (tenant_id, email) VALUES (:'p1', 'sam@example.com')",
             m.tenant_id)
    d = browser("en", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hello")
    nav(d, "Customer data")
    heading(d, "Customer data")
    wait(d, lambda d: any("sam@example.com" in r.text for r in d.find_elements(By.CSS_SELECTOR, "main table tr")),
         10, "no request row")
    assert "after 30 days" in d.find_element(By.TAG_NAME, "main").text
    # a wrong address is said next to the field
    field = d.find_element(By.CSS_SELECTOR, "main input[name=email]")
    field.send_keys("not-an-address", Keys.ENTER)
    wait(d, lambda d: any(e.is_displayed() and e.text for e in
                          d.find_elements(By.CSS_SELECTOR, "main .field[data-field=email] .field-error")),
         10, "no field error")
    shots(d, "privacy-desktop-en")


def test_the_business_page_sets_the_periods(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Clínica Plazos")
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola")
    d.get(stack["KF_URL"] + "/dashboard/business")
    months = wait(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "main [name=data_retention_months]")
                                     if e.is_displayed()), None), 15, "no retention field")
    assert months.get_attribute("value") == "24"
    label = d.find_element(By.CSS_SELECTOR, "label[for='%s']" % months.get_attribute("id"))
    assert "Meses que guardas los datos" in label.text
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", months)
    months.clear()
    months.send_keys("12")
    days = d.find_element(By.CSS_SELECTOR, "main [name=erasure_auto_days]")
    days.clear()
    days.send_keys("0")
    assert no_horizontal_scroll(d)
    shots(d, "privacy-business-periods")
    days.send_keys(Keys.ENTER)
    wait(d, lambda d: e2e.psql("SELECT data_retention_months || ' ' || erasure_auto_days FROM tenants"
                               " WHERE id = :'p1'", m.tenant_id) == "12 0", 10, "periods not saved")


def test_the_business_page_sets_the_phone_its_customers_call(browser, stack, shots):
    m = e2e.seed_merchant(stack, business="Clínica Llamadas")
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola")
    d.get(stack["KF_URL"] + "/dashboard/business")
    phone = wait(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "main [name=contact_phone]")
                                    if e.is_displayed()), None), 15, "no phone field")
    label = d.find_element(By.CSS_SELECTOR, "label[for='%s']" % phone.get_attribute("id"))
    assert label.text == "Teléfono para tus clientes (opcional)"
    hint = d.find_element(By.ID, phone.get_attribute("aria-describedby").split()[0])
    assert "ya no puede cancelar o cambiar la hora en línea" in hint.text
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", phone)
    # a number without its country code: said under the field, nothing saved
    phone.send_keys("601 555 0123", Keys.ENTER)
    wait(d, lambda d: any(e.is_displayed() and "teléfono con el código de su país" in e.text for e in
                          d.find_elements(By.CSS_SELECTOR, "main .field[data-field=contact_phone] .field-error")),
         10, "no field error")
    assert e2e.psql("SELECT coalesce(contact_phone, '') FROM tenants WHERE id = :'p1'", m.tenant_id) == ""
    assert no_horizontal_scroll(d)
    shots(d, "dashboard-business-phone-error")
    # as people write it, with spaces: kept as its digits
    phone.clear()
    phone.send_keys("+57 601 555 0123", Keys.ENTER)
    wait(d, lambda d: e2e.psql("SELECT contact_phone FROM tenants WHERE id = :'p1'", m.tenant_id) == "+576015550123",
         10, "phone not saved")
