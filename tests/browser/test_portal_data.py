"""The customer's own data from the portal, on the real stack: signed in on the business's host
(which wears the business's name, logo and colours), the customer downloads their data as a
file that holds their booking, and asks for erasure through a dialog (its focus starts on
"keep", Escape keeps) whose answer says what happens next; the merchant's list of erasure
requests then shows it. At 360 px in Spanish from the keyboard, and on a desktop in English
where the business confirms erasures itself. A STOP texted to the business's number is the
number's: the portal's preferences stay as the customer chose them. Screenshots: var/screenshots/portal-data-*, portal-stop-*."""
import glob
import json
import os
import re
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, click, console_errors, no_horizontal_scroll, wait, wait_css, wait_text
from dashboard_support import e2e, e2e_helper, heading, log_in, nav
from test_manage_journeys import mail_to, paid, stack  # noqa: F401  (fixtures)
from test_portal_journeys import sign_in_by_mail, tenant_root

PURPLE = "#7C3AED"


def brand_the_business(tenant_id, erasure_days):
    e2e.psql("UPDATE tenants SET logo_url = '/static/demo/logo.svg', primary_color = :'p2',"
             " erasure_auto_days = :'p3'::int WHERE id = :'p1'", tenant_id, PURPLE, str(erasure_days))


def assert_branded(d):
    logo = wait_css(d, "#brand .brand-logo")
    assert logo.get_attribute("alt") == "Centro Andino"
    assert logo.get_attribute("src").endswith("/static/demo/logo.svg")
    wait(d, lambda d: d.execute_script("return document.querySelector('#brand .brand-logo').naturalWidth") > 0,
         10, "the logo did not load")
    primary = d.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--kf-primary')")
    assert primary.strip().lower() == PURPLE.lower()
    assert "Centro Andino" in d.title


def downloads_into(d):
    folder = tempfile.mkdtemp(prefix="kf-downloads-")
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
    return folder


def downloaded(folder, name, timeout=15):
    end = time.time() + timeout
    path = os.path.join(folder, name)
    while time.time() < end:
        if os.path.exists(path) and not glob.glob(os.path.join(folder, "*.crdownload")):
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        time.sleep(0.2)
    raise AssertionError("no %s downloaded (found %s)" % (name, os.listdir(folder)))


def open_dialog(d):
    return wait(d, lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, "dialog[open]")), None), 10, "no open dialog")


def pending_requests(tenant_id, email):
    return e2e.psql("SELECT count(*) FROM erasure_requests WHERE tenant_id = :'p1' AND email = :'p2'"
                    " AND status = 'pending'", tenant_id, email)


def test_download_my_data_and_ask_for_erasure_on_a_phone(browser, stack, paid, shots):
    tenant_id = paid["merchant"].tenant_id
    brand_the_business(tenant_id, 30)
    root = tenant_root(stack, tenant_id)
    d = browser("es", MOBILE)
    sign_in_by_mail(d, stack, root, paid["email"], shots, "portal-data-360")
    assert_branded(d)

    section = wait_css(d, ".me-data")
    assert section.find_element(By.TAG_NAME, "h2").text == "Tus datos"
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", section)
    assert no_horizontal_scroll(d)
    shots(d, "portal-data-360-section")

    # the download: a file whose JSON holds the booking
    folder = downloads_into(d)
    click(d, d.find_element(By.ID, "me-export"))
    data = downloaded(folder, "my-data.json")
    assert paid["booking"]["id"] in json.dumps(data)
    assert paid["email"] in json.dumps(data)

    # asking: the dialog, whose safe answer has the focus; Escape keeps everything
    erase = d.find_element(By.ID, "me-erase")
    erase.send_keys(Keys.ENTER)
    box = open_dialog(d)
    assert "como exige la ley" in box.text
    assert d.switch_to.active_element.get_attribute("id") == "me-erase-cancel"
    shots(d, "portal-data-360-dialog")
    d.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"), 10, "the dialog is still open")
    assert d.switch_to.active_element.get_attribute("id") == "me-erase"
    assert pending_requests(tenant_id, paid["email"]) == "0"

    erase.send_keys(Keys.ENTER)
    open_dialog(d)
    d.switch_to.active_element.send_keys(Keys.TAB)
    assert d.switch_to.active_element.get_attribute("id") == "me-erase-confirm"
    d.switch_to.active_element.send_keys(Keys.ENTER)
    wait_text(d, "#me-data-result", "Pedimos que borren tus datos")
    text = d.find_element(By.ID, "me-data-result").text
    assert "El negocio lo confirma, o se hará automáticamente el" in text
    assert "registros de pago de tus reservas se conservan" in text
    assert d.find_element(By.ID, "me-data-result").get_attribute("role") == "status"   # read out
    assert d.switch_to.active_element.get_attribute("id") == "me-export"
    assert not d.find_element(By.ID, "me-erase").is_displayed()
    assert pending_requests(tenant_id, paid["email"]) == "1"
    # nothing is erased yet: the business confirms it, or the privacy job does it later
    assert e2e.psql("SELECT customer_email FROM reservations WHERE id = :'p1'", paid["booking"]["id"]) == paid["email"]
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", d.find_element(By.ID, "me-data-result"))
    assert no_horizontal_scroll(d)
    shots(d, "portal-data-360-asked")
    assert console_errors(d) == []
    # the next visit tells the same, and does not offer the erasure again
    d.refresh()
    wait_text(d, "#me-data-result", "Pedimos que borren tus datos")
    assert "El negocio lo confirma, o se hará automáticamente el" in d.find_element(By.ID, "me-data-result").text
    assert not d.find_element(By.ID, "me-erase").is_displayed()
    assert console_errors(d) == []

    # the merchant's list of erasure requests shows it, pending
    m = paid["merchant"]
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola")
    nav(d, "Datos de clientes")
    heading(d, "Datos de clientes")
    row = wait(d, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "main table tr")
                                  if paid["email"] in r.text), None), 10, "no request row")
    assert "Pendiente" in row.text
    shots(d, "portal-data-360-merchant-list")


def test_the_data_section_on_a_desktop_in_english(browser, stack, paid, shots):
    tenant_id = paid["merchant"].tenant_id
    brand_the_business(tenant_id, 0)                       # only the business erases
    root = tenant_root(stack, tenant_id)
    d = browser("en", DESKTOP)
    d.get(root + "/book/me")
    wait_css(d, "#me-email")
    assert_branded(d)                                     # before signing in, too
    shots(d, "portal-data-desktop-sign-in")
    wait_css(d, "#me-email").send_keys(paid["email"])
    click(d, d.find_element(By.ID, "me-send"))
    wait_text(d, "main h1", "Check your email")
    mail = mail_to(stack, paid["email"], "Tu enlace para ver tus reservas en Centro Andino")
    d.get(re.search(r"http\S+/book/me\?token=\S+", mail.get_body(("plain",)).get_content()).group(0))
    wait_text(d, "main h1", "My bookings")
    section = wait_css(d, ".me-data")
    assert "Download my data" in section.text and "Ask to erase my data" in section.text
    folder = downloads_into(d)
    click(d, d.find_element(By.ID, "me-export"))
    assert paid["booking"]["id"] in json.dumps(downloaded(folder, "my-data.json"))

    click(d, d.find_element(By.ID, "me-erase"))
    open_dialog(d)
    assert d.switch_to.active_element.text == "No, keep my data"
    shots(d, "portal-data-desktop-dialog")
    click(d, d.find_element(By.ID, "me-erase-confirm"))
    wait_text(d, "#me-data-result", "We asked to erase your data.")
    assert "The business will confirm it." in d.find_element(By.ID, "me-data-result").text
    assert pending_requests(tenant_id, paid["email"]) == "1"
    assert no_horizontal_scroll(d)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", d.find_element(By.ID, "me-data-result"))
    shots(d, "portal-data-desktop-asked")
    assert console_errors(d) == []


def test_a_stop_by_text_is_the_numbers_and_leaves_the_portals_preferences_as_chosen(browser, stack, paid, shots):
    """A STOP texted to the business's Twilio number (the fake Twilio delivers it, signed, to
    the webhook) stops that number's texts; it changes no address's preferences, and the
    portal (which proved the address, not the number) neither changes nor reveals it."""
    messaging = e2e_helper("test_messaging")
    m = paid["merchant"]
    fakes = e2e.Fakes(stack["KF_FAKES_URL"])
    settings = messaging.account(fakes)
    assert m.api.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    root = tenant_root(stack, m.tenant_id)
    d = browser("es", MOBILE)
    sign_in_by_mail(d, stack, root, paid["email"], shots, "portal-stop-360")
    assert wait_css(d, "#pref-text").is_selected()

    phone = e2e.psql("SELECT customer_phone FROM reservations WHERE id = :'p1'", paid["booking"]["id"])
    answer = fakes._call("POST", "/twilio/_control/inbound", json={
        "account_sid": settings["account_sid"], "from": phone, "body": "STOP",
        "url": stack["KF_URL"] + "/api/webhooks/twilio/" + m.tenant_id})
    assert answer["status"] == 200
    assert e2e.psql("SELECT kf_text_stopped(:'p1', :'p2')", m.tenant_id, phone) == "t"

    d.get(root + "/book/me")                             # the same session, the page drawn again
    wait_text(d, "main h1", "Mis reservas")
    text = wait_css(d, "#pref-text")
    assert text.is_selected() and d.find_element(By.ID, "pref-mail").is_selected()
    assert "STOP" not in d.find_element(By.TAG_NAME, "main").text
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", text)
    assert no_horizontal_scroll(d)
    shots(d, "portal-stop-360-preferences")
    assert console_errors(d) == []
