"""The dashboard's working pages on the real stack: bookings (filters in the address, CSV
with the same filters, detail with history and "send again"), site notifications (secret
shown once, test ping showing the merchant fake's answer), metrics (the seeded numbers) and
the audit log. Screenshots of each at phone and desktop width."""
import csv
import io
import re
import secrets
import unicodedata

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, wait_css, wait_text
from dashboard_support import both_widths, e2e, e2e_helper, heading, log_in, stack_env, toast, wait


def ascii_local(name):
    """A customer's address from a name: accents dropped (mail takes an ASCII local part)."""
    first = unicodedata.normalize("NFKD", name.split()[0].lower())
    return "".join(ch for ch in first if ord(ch) < 128)


@pytest.fixture(scope="module")
def stack():
    return stack_env()



@pytest.fixture
def shop(stack):
    """A merchant with Wompi keys, a callback URL at the merchant fake and its secret, a paid
    service, a professional with hours, a link, and two bookings: one paid (by the fake
    Wompi's webhook) and one waiting for its payment."""
    seed = e2e_helper("booking_seed")
    payments = e2e_helper("payments_helpers")
    ALL_WEEK, link, professional = seed.ALL_WEEK, seed.link, seed.professional
    PayTenant, wait_for = payments.PayTenant, payments.wait_for
    merchant = e2e.seed_merchant(stack, business="Estudio Páginas")
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    pay = PayTenant(merchant, fakes, stack)
    pro = professional(merchant.tenant_id, name="Lucía Prado", hours=ALL_WEEK(("08:00", "20:00")), services=[pay.service])
    slug = link(merchant.tenant_id)
    public = e2e.Api(stack)
    starts = [s["start"] for s in public.get("/api/public/links/%s/availability" % slug, params={
        "service": pay.service, "professional": pro, "days": 7}).json()["slots"]]
    made = []
    for name, start in (("Valentina Ruiz", starts[0]), ("Tomás Herrera", starts[4])):
        v = "v" + secrets.token_hex(12)
        public.get("/api/public/links/" + slug, headers={"X-Konfirmado-Visit": v})
        hold = public.post("/api/public/holds", headers={"X-Konfirmado-Visit": v}, json={
            "link": slug, "service": pay.service, "professional": pro, "start": start}).json()["hold"]
        b = public.post("/api/public/bookings", headers={"X-Konfirmado-Visit": v}, json={
            "hold_token": hold["token"], "accepted_terms": True,
            "customer": {"name": name, "email": "%s@example.com" % ascii_local(name), "phone": "+573001234567"}}).json()["booking"]
        made.append(b)
    ref = e2e.psql("SELECT reference FROM payments WHERE reservation_id = :'p1'", made[0]["id"])
    pay.fire(ref)
    wait_for(lambda: e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", made[0]["id"]) in ("paid", "confirmed"))
    return {"merchant": merchant, "pay": pay, "fakes": fakes, "paid": made[0], "pending": made[1]}


def test_bookings_filters_csv_detail_and_send_again(browser, stack, shop, shots):
    m = shop["merchant"]
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings")
    heading(d, "Reservas")
    wait_text(d, "main table.data", "Valentina Ruiz")
    assert "Tomás Herrera" in d.find_element(By.CSS_SELECTOR, "main table.data").text
    both_widths(d, shots, "bookings")
    # search narrows the table, and the address keeps the filter
    box = d.find_element(By.ID, "filter-q")
    box.send_keys("valentina")
    d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait(d, lambda d: "q=valentina" in d.current_url)
    wait(d, lambda d: "Tomás" not in d.find_element(By.CSS_SELECTOR, "main").text)
    assert "Valentina Ruiz" in d.find_element(By.CSS_SELECTOR, "main table.data").text
    d.refresh()
    wait_text(d, "main table.data", "Valentina Ruiz")
    assert d.find_element(By.ID, "filter-q").get_attribute("value") == "valentina"
    # the CSV link carries the same filter, and the file has exactly that row
    href = d.find_element(By.ID, "csv-link").get_attribute("href")
    assert "q=valentina" in href
    cookies = {c["name"]: c["value"] for c in d.get_cookies()}
    host = stack["KF_URL"].split("//")[1]
    r = requests.get(href.replace(host.split(":")[0], "127.0.0.1", 1), cookies=cookies, headers={"Host": host})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == [shop["paid"]["id"]]
    # the detail: history, payment, the callback and "send again"
    d.find_element(By.CSS_SELECTOR, "main table.data tbody tr a").click()
    heading(d, "Reserva de Valentina Ruiz")
    main = wait_text(d, "main", "Historial")
    wait(d, lambda d: "Aprobado" in d.find_element(By.CSS_SELECTOR, "main").text)
    assert "Aprobado" in main.text and "valentina@example.com" in main.text
    both_widths(d, shots, "booking-detail")
    d.find_element(By.ID, "resend").click()
    toast(d, "Notificación en cola")
    assert e2e.psql("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1' AND action = 'booking.callback_resend'",
                    m.tenant_id) == "1"


def test_secret_rotation_and_test_ping(browser, stack, shop, shots):
    m = shop["merchant"]
    shop["fakes"].config("merchant", status=200, body={"ok": True})
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/callbacks")
    heading(d, "Notificaciones a tu sitio")
    d.execute_script("window.confirm = () => true")
    d.find_element(By.ID, "rotate").click()
    secret = wait_css(d, "#secret-value").text
    assert len(secret) >= 32
    assert "no lo volveremos a mostrar" in d.find_element(By.ID, "new-secret").text
    both_widths(d, shots, "callbacks-secret")
    d.find_element(By.ID, "send-test").click()
    result = wait_text(d, "#test-result", "respondió con éxito (200)", timeout=20)
    assert '"ok": true' in result.text.replace("\n", " ") or '"ok":true' in result.text
    both_widths(d, shots, "callbacks-test")
    # the ping was signed with the secret just shown
    import hashlib
    import hmac
    got = [r for r in shop["fakes"].requests("merchant") if r["headers"].get("X-Konfirmado-Event") == "ping"][-1]
    t, v1 = (dict(p.split("=", 1) for p in got["headers"]["X-Konfirmado-Signature"].split(","))[k] for k in ("t", "v1"))
    assert hmac.compare_digest(hmac.new(secret.encode(), (t + "." + got["body"]).encode(), hashlib.sha256).hexdigest(), v1)
    # after a reload the secret is not shown again
    d.refresh()
    heading(d, "Notificaciones a tu sitio")
    assert secret not in d.find_element(By.TAG_NAME, "body").text


def test_metrics_show_the_seeded_numbers(browser, stack, shop, shots):
    m = shop["merchant"]
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/metrics")
    heading(d, "Métricas")
    assert wait_css(d, "#kpi-bookings .kpi-value").text == "1"
    assert "120.000" in d.find_element(By.CSS_SELECTOR, "#kpi-revenue .kpi-value").text
    compact = lambda s: re.sub(r"\s+", " ", s.replace("\u00a0", " ")).replace(" %", "%")
    assert compact(d.find_element(By.CSS_SELECTOR, "#kpi-conversion .kpi-value").text) == "50%"
    for details in d.find_elements(By.CSS_SELECTOR, "details.chart-data"):
        details.click()
    funnel = d.find_elements(By.CSS_SELECTOR, "details.chart-data table")[0].text
    # (row headers are shown in capitals by the CSS)
    assert "abrieron el enlace 2" in compact(funnel).lower() and "pago aprobado 1 50%" in compact(funnel).lower()
    svg = d.find_element(By.CSS_SELECTOR, "svg.chart")
    assert svg.get_attribute("role") == "img" and svg.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    both_widths(d, shots, "metrics")
    last7 = d.find_element(By.XPATH, "//button[normalize-space()='Últimos 7 días']")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", last7)
    last7.click()
    wait(d, lambda d: "period=7d" in d.current_url)
    # the page renders the new period in place of the old one: read it again if the element
    # found was replaced meanwhile (wait ignores stale elements)
    wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#kpi-bookings .kpi-value").text == "1",
         msg="the last 7 days do not show the one booking")


def test_audit_lists_what_changed(browser, stack, shop, shots):
    m = shop["merchant"]
    d = browser("en", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/audit")
    heading(d, "Audit log")
    wait_text(d, "main table.data", "Changed the Wompi keys")
    assert "Rotated the notification secret" in d.find_element(By.CSS_SELECTOR, "main table.data").text
    from selenium.webdriver.support.ui import Select
    Select(d.find_element(By.ID, "filter-action")).select_by_value("tenant.payments.wompi.update")
    d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait(d, lambda d: "action=tenant.payments.wompi.update" in d.current_url)
    wait(d, lambda d: "Rotated" not in d.find_element(By.CSS_SELECTOR, "main table.data").text)
    assert "Changed the Wompi keys" in d.find_element(By.CSS_SELECTOR, "main table.data").text
    both_widths(d, shots, "audit")


def test_the_merchant_cancels_with_a_partial_refund(browser, stack, shop, shots):
    m = shop["merchant"]
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + shop["paid"]["id"])
    heading(d, "Reserva de Valentina Ruiz")
    opener = wait_css(d, "#cancel-open")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", opener)
    opener.click()
    assert opener.get_attribute("aria-expanded") == "true"
    assert d.switch_to.active_element.get_attribute("name") == "reason"
    d.switch_to.active_element.send_keys("Cerramos por mantenimiento")
    from selenium.webdriver.support.ui import Select
    Select(d.find_element(By.CSS_SELECTOR, "#cancel-box select[name=refund]")).select_by_value("amount")
    d.find_element(By.CSS_SELECTOR, "#cancel-box input[name=refund_amount]").send_keys("50.000")
    both_widths(d, shots, "booking-cancel")
    submit = d.find_element(By.CSS_SELECTOR, "#cancel-box button[type=submit]")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
    submit.click()
    toast(d, "Devuelve")
    assert "50.000" in d.find_element(By.ID, "toast").get_attribute("textContent")
    wait(d, lambda d: "Cancelada" in d.find_element(By.CSS_SELECTOR, "main").text)
    assert not d.find_elements(By.ID, "cancel-open")
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", shop["paid"]["id"]) == "cancelled"
    assert e2e.psql("SELECT refund_amount FROM payments WHERE reservation_id = :'p1' AND status = 'approved'",
                    shop["paid"]["id"]) == "5000000"
    # Wompi cannot void part of a payment: the merchant refunds it by hand and says how
    wait(d, lambda d: "A mano" in d.find_element(By.CSS_SELECTOR, "main").text)
    summary = d.find_element(By.CSS_SELECTOR, "#refund-by-hand summary")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    note = d.find_element(By.CSS_SELECTOR, "#refund-by-hand textarea[name=note]")
    note.send_keys("Transferencia Bancolombia 8841")
    both_widths(d, shots, "booking-refund-by-hand")
    note.find_element(By.XPATH, "ancestor::form//button[@type='submit']").click()
    toast(d, "Devolución registrada")
    wait(d, lambda d: "Transferencia Bancolombia 8841" in d.find_element(By.CSS_SELECTOR, "main").text)
    assert not d.find_elements(By.ID, "refund-by-hand")
    assert e2e.psql("SELECT refund_needed FROM payments WHERE reservation_id = :'p1' AND status = 'approved'",
                    shop["paid"]["id"]) == "f"


def test_the_merchant_corrects_a_customers_address(browser, stack, shop, shots):
    m = shop["merchant"]
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + shop["paid"]["id"])
    heading(d, "Reserva de Valentina Ruiz")
    summary = wait_css(d, "#contact-edit summary")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    email = d.find_element(By.CSS_SELECTOR, "#contact-edit input[name='customer.email']")
    assert email.get_attribute("value") == "valentina@example.com"
    # an address mail cannot reach is refused beside its field, nothing saved
    email.clear()
    email.send_keys("valentina@ejemplo")
    email.submit()
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#contact-edit .field.invalid"))
    assert email.get_attribute("aria-invalid") == "true"
    both_widths(d, shots, "booking-contact-refused")
    assert e2e.psql("SELECT customer_email FROM reservations WHERE id = :'p1'",
                    shop["paid"]["id"]) == "valentina@example.com"
    email.clear()
    email.send_keys("valentina.ruiz@example.com")
    email.submit()
    toast(d, "Contacto guardado")
    wait(d, lambda d: "valentina.ruiz@example.com" in d.find_element(By.CSS_SELECTOR, "main").text)
    assert e2e.psql("SELECT customer_email FROM reservations WHERE id = :'p1'",
                    shop["paid"]["id"]) == "valentina.ruiz@example.com"


def test_after_the_appointment_the_merchant_marks_a_no_show(browser, stack, shop, shots):
    """A booking whose end has passed offers "Asistió" / "No asistió"; the mark is asked once."""
    m = shop["merchant"]
    past = e2e.psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, customer_name, customer_email, customer_phone, accepted_terms_at,
            charge_type, charge_amount, currency)
        SELECT tenant_id, service_id, professional_id, 'paid', w.e - interval '30 minutes', w.e,
               tstzrange(w.e - interval '30 minutes', w.e), 'Lucía Fernández', 'lucia@example.com',
               '+573001112233', now() - interval '3 days', charge_type, charge_amount, currency
        FROM reservations, (SELECT date_trunc('minute', now()) - interval '1 hour' AS e) w
        WHERE id = :'p1' RETURNING id""", shop["paid"]["id"])
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + past)
    heading(d, "Reserva de Lucía Fernández")
    button = wait_css(d, "#mark-no-show")
    assert d.find_element(By.ID, "mark-complete").text == "Asistió"
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    both_widths(d, shots, "booking-attendance")
    button.click()
    yes = wait(d, lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "dialog[open] button")
                                  if b.text == "Sí, no asistió"), None), 10, "no confirmation")
    yes.click()
    toast(d, "Lucía Fernández no asistió")
    # the button's own label is "No asistió": the page has answered once the buttons are gone
    wait(d, lambda d: not d.find_elements(By.ID, "mark-no-show"))
    assert "No asistió" in d.find_element(By.CSS_SELECTOR, "main").text
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", past) == "no_show"
