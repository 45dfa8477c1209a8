"""The merchant dashboard on the real stack, as a new merchant meets it: sign up, the
verification mail, log in, the onboarding checklist done step by step through the pages
(business and brand, Wompi keys with the connection test, a service, a professional with
hours, a link), then a customer books the link in another browser and the booking shows in
the dashboard. Screenshots of each page at phone and desktop width in var/screenshots."""

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, console_errors, wait_css, wait_text
from dashboard_support import (both_widths, wait, link, PASSWORD, choose, e2e, field, field_error, heading, log_in, mail_link, nav,
                               new_email, register_fake_wompi, stack_env, submit, toast, type_into)
from journey import Journey


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def maildir(stack):
    m = e2e.Maildir(stack["KF_MAILDIR"])
    m.snapshot()
    return m



def checklist_progress(d):
    return wait_css(d, ".checklist .hint").text


def real_errors(d):
    # A 401 of /api/auth/me before logging in is an answer, not an error; a 400/409 of a
    # save the test provokes on purpose is shown in the page.
    return [e for e in console_errors(d) if not any(s in e for s in ("/api/auth/me", "/api/auth/login", "status of 400", "status of 409"))]


def test_a_new_merchant_signs_up_sets_up_and_sees_the_first_booking(browser, stack, maildir, shots):
    base = stack["KF_URL"]
    email = new_email("onboard")
    business = "Estudio Onboarding %s" % email[8:14]
    d = browser("es", MOBILE)

    # Sign up.
    d.get(base + "/dashboard/signup")
    heading(d, "Crea tu cuenta")
    both_widths(d, shots, "signup")
    type_into(d, "business_name", business)
    type_into(d, "email", email)
    type_into(d, "password", PASSWORD)
    submit(d)
    heading(d, "Revisa tu correo")
    assert email in d.find_element(By.CSS_SELECTOR, "main").text

    # The link of the mail verifies the address and leads to the log-in page.
    d.get(mail_link(maildir, email, "verify-email"))
    wait_text(d, "h1", "verificado", timeout=20)
    d.find_element(By.CSS_SELECTOR, "#login a").click()
    heading(d, "Entra a tu panel")
    both_widths(d, shots, "login")

    # A wrong password says so; the right one opens the home page with the checklist.
    log_in(d, base, email, "not the password at all")
    assert "no coinciden" in wait_css(d, "main .form-error").text
    log_in(d, base, email, PASSWORD)
    heading(d, "Hola, " + business)
    assert checklist_progress(d).startswith("0 de 5")
    both_widths(d, shots, "home-new")

    # Business details and brand: a unique address, a pale color gets the contrast warning.
    link(d, "Datos del negocio y marca").click()
    heading(d, "Negocio y marca")
    subdomain = "onb-" + email[8:18]
    type_into(d, "subdomain", subdomain)
    type_into(d, "primary_color", "#FDE68A")
    assert "muy claro" in wait_css(d, ".contrast-warning").text
    type_into(d, "primary_color", "#7C3AED")
    wait(d, lambda d: not d.find_element(By.CSS_SELECTOR, ".contrast-warning").is_displayed() or
         "Color principal" not in d.find_element(By.CSS_SELECTOR, ".contrast-warning").text)
    # the preview's button takes the color at once
    assert "124, 58, 237" in d.find_element(By.CSS_SELECTOR, ".pv-button").value_of_css_property("background-color")
    both_widths(d, shots, "business")
    submit(d)
    toast(d, "Cambios guardados")
    tenant = e2e.psql("SELECT subdomain || ' ' || primary_color FROM tenants t JOIN users u ON u.tenant_id = t.id "
                      "WHERE u.email = :'p1'", email)
    assert tenant == subdomain + " #7C3AED"

    # Payments: the keys, then the connection test against the (fake) provider.
    nav(d, "Pagos")
    heading(d, "Pagos")
    keys = register_fake_wompi(stack, business)
    for name in ("public_key", "private_key", "events_secret", "integrity_secret"):
        type_into(d, name, keys[name])
    submit(d)
    toast(d, "Llaves guardadas")
    assert field(d, "private_key").get_attribute("value") == ""     # never shown again
    d.find_element(By.ID, "test-connection-wompi").click()
    assert business in wait_text(d, ".test-result.ok", "Conexión correcta").text
    both_widths(d, shots, "payments")

    # A service: a 5-minute one is refused next to the field and nothing is saved.
    nav(d, "Inicio")
    wait_css(d, ".checklist")
    link(d, "Tu primer servicio").click()
    heading(d, "Nuevo servicio")
    type_into(d, "name", "Asesoría express")
    type_into(d, "description", "Media hora para revisar tu caso con calma.")
    type_into(d, "price", "0")
    choose(d, "charge_type", "free")
    type_into(d, "duration_minutes", "5")
    submit(d)
    assert "15" in field_error(d, "duration_minutes")
    assert field(d, "duration_minutes").get_attribute("aria-invalid") == "true"
    assert e2e.psql("SELECT count(*) FROM services s JOIN users u ON u.tenant_id = s.tenant_id "
                    "WHERE u.email = :'p1'", email) == "0"
    both_widths(d, shots, "service-errors")
    type_into(d, "duration_minutes", "30")
    submit(d)
    toast(d, "Servicio creado")
    heading(d, "Asesoría express")

    # A professional with the default weekly hours plus Saturday morning, offering it.
    nav(d, "Inicio")
    link(d, "Tu primer profesional").click()
    heading(d, "Nuevo profesional")
    type_into(d, "name", "Laura Méndez")
    saturday = d.find_elements(By.CSS_SELECTOR, ".day")[5]
    saturday.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, ".day")[5].find_elements(By.CSS_SELECTOR, ".range"))
    box = wait(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "input[name=service_ids]")), None))
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    both_widths(d, shots, "professional")
    submit(d)
    toast(d, "Profesional creado")
    heading(d, "Laura Méndez")
    rows = e2e.psql("SELECT count(*) FROM professional_hours h JOIN professionals p ON p.id = h.professional_id "
                    "JOIN users u ON u.tenant_id = p.tenant_id WHERE u.email = :'p1' AND p.name = 'Laura Méndez'", email)
    assert rows == "11"   # Monday to Friday two ranges each, Saturday one

    # A link, shown with its URL and a copy button.
    nav(d, "Inicio")
    link(d, "Tu primer enlace").click()
    heading(d, "Nuevo enlace")
    type_into(d, "name", "Instagram")
    submit(d)
    toast(d, "Enlace creado")
    url = wait_css(d, "#link-url").text
    assert url.startswith(base + "/book/")
    d.find_element(By.CSS_SELECTOR, ".share-row button.copy").click()
    wait(d, lambda d: d.find_element(By.CSS_SELECTOR, ".share-row button.copy").text in ("Copiado", "No se pudo copiar; selecciona el texto y cópialo."))
    both_widths(d, shots, "link")

    # Every step done: the home page shares the link instead of the checklist.
    nav(d, "Inicio")
    assert wait_css(d, "#share-url").text == url
    assert not d.find_elements(By.CSS_SELECTOR, ".checklist")
    both_widths(d, shots, "home-ready")

    # A customer books the link in another browser.
    c = browser("es", MOBILE)
    j = Journey(c, None, None).open(url)
    wait_css(c, "main h1")
    j.choose_service("Asesoría express")
    j.choose_professional("Laura Méndez")
    times = j.to_time()
    # the day's last time: the soonest one (no minimum notice) can start while a slow page
    # loads, and is then rightly refused
    j.pick(times[-1])
    j.wait_held()
    j.to_details()
    j.fill(name="Camila Ríos", email="camila@example.com", phone="3001234567", terms=True)
    j.submit()
    wait_text(c, "main h1", "¡Reserva confirmada!", timeout=30)

    # ... and the merchant sees it in the bookings table and its detail.
    nav(d, "Reservas")
    row = wait_text(d, "main table.data tbody tr", "Camila Ríos", timeout=20)
    assert "Asesoría express" in row.text and "Laura Méndez" in row.text
    row.find_element(By.CSS_SELECTOR, "a").click()
    wait_text(d, "main", "camila@example.com")
    assert real_errors(d) == [] and real_errors(c) == []
