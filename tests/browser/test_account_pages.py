"""The account pages the mails link to, on the real stack (tests/stack up): a merchant signs
up through the API, the verification mail lands in the mail sink's maildir, the browser
opens the link of that mail and the account is verified; a reset mail's link sets a new
password the API then accepts. Screenshots at 360x640 (and 1280x800): var/screenshots/."""
import importlib.util
import os
import re
import secrets
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, SRCDIR, console_errors, no_horizontal_scroll, wait, wait_css, wait_text

_spec = importlib.util.spec_from_file_location("e2e_conftest", os.path.join(SRCDIR, "tests", "e2e", "conftest.py"))
e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e)

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(scope="module")
def stack():
    if not os.path.exists(e2e.STACK_ENV):
        pytest.skip("the stack is not up (tests/stack up)")
    env = e2e.read_stack_env()
    if not e2e._port_open(env["KF_PORT"]):
        pytest.skip("the stack is not up (tests/stack up)")
    return env


@pytest.fixture
def api(stack):
    """From an address of its own (conftest's Api): the auth endpoints count attempts per
    client IP, and these tests must not eat the e2e suite's budget."""
    client = e2e.Api(stack)
    yield client
    client.session.close()


@pytest.fixture
def maildir(stack):
    return e2e.Maildir(stack["KF_MAILDIR"])


def new_email(prefix):
    return "%s-%s@example.com" % (prefix, secrets.token_hex(6))


def mail_link(maildir, address, path, n=1, timeout=30):
    """The `path` link ("verify-email", "reset-password") of the n-th new mail to `address`."""
    end = time.time() + timeout
    while True:
        got = [m for m in maildir.new() if address in str(m["To"]).lower()]
        if len(got) >= n:
            break
        if time.time() > end:
            pytest.fail("no mail to %s in %s after %d s" % (address, maildir.path, timeout))
        time.sleep(0.2)
    text = got[n - 1].get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"(https?://[^\s\"<>]+/%s\?token=[A-Za-z0-9_-]+)" % re.escape(path), text)
    assert found, "no %s link in:\n%s" % (path, text)
    return found.group(1)


def register(api, email):
    r = api.post("/api/auth/register", json={"email": email, "password": PASSWORD,
                                             "business_name": "Clínica Navegador"})
    assert r.status_code == 201, r.text


def login(api, email, password):
    return api.post("/api/auth/login", json={"email": email, "password": password})


def verified_in_db(email):
    return e2e.psql("SELECT email_verified_at IS NOT NULL FROM users WHERE email = :'p1'", email) == "t"


def focused_id(d):
    return d.execute_script("return document.activeElement && document.activeElement.id")


def page_ok(d):
    """No sideways scrolling; no script, CSP or load error in the console (Chromium logs
    the API's expected 400 answers as failed loads: those are the only ones allowed)."""
    assert no_horizontal_scroll(d)
    assert [e for e in console_errors(d) if "status of 400" not in e] == []


@pytest.mark.parametrize("lang,size,title,verified_text", [
    ("es", MOBILE, "¡Correo verificado!", "quedó verificado"),
    ("en", DESKTOP, "Email verified!", "is now verified"),
])
def test_the_verification_link_of_the_mail_verifies_the_account(browser, stack, api, maildir, shots,
                                                                lang, size, title, verified_text):
    email = new_email("browser-verify")
    register(api, email)
    r = login(api, email, PASSWORD)
    assert r.status_code == 403 and r.json()["error"]["code"] == "email_not_verified"
    link = mail_link(maildir, email, "verify-email")
    assert link.startswith(stack["KF_URL"] + "/verify-email?token=")

    d = browser(lang, size)
    d.get(link)
    h1 = wait_text(d, "main h1", title)
    status = d.find_element(By.ID, "status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert verified_text in status.text and email in status.text
    assert focused_id(d) == "title"          # the outcome is what a screen reader reads first
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    page_ok(d)
    shots(d, "account-verify-ok-" + lang)

    # the account really is verified: the API says so and signing in works now
    assert verified_in_db(email)
    r = login(api, email, PASSWORD)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["email_verified"] is True

    # the link is single use: opened again it says so, in plain words
    d.get(link)
    wait_text(d, "main h1", "No pudimos verificar tu correo" if lang == "es" else "We could not verify your email")
    assert ("ya fue usado" if lang == "es" else "already used") in d.find_element(By.ID, "status").text
    assert h1 is not None and focused_id(d) == "title"
    page_ok(d)
    shots(d, "account-verify-used-" + lang)
    # the way out: a reset link (which verifies the address too), asked for on /reset-password
    help_link = wait_css(d, "#help a")
    assert help_link.get_attribute("href") == stack["KF_URL"] + "/reset-password"
    help_link.click()
    wait_text(d, "main h1", "Restablece tu contraseña" if lang == "es" else "Reset your password")


def test_a_verification_link_without_token_says_what_is_wrong(browser, stack, shots):
    d = browser("es", MOBILE)
    d.get(stack["KF_URL"] + "/verify-email")
    wait_text(d, "main h1", "No pudimos verificar tu correo")
    assert "le falta una parte" in d.find_element(By.ID, "status").text
    assert wait_css(d, "#help a").text == "Pedir un enlace nuevo"
    page_ok(d)
    shots(d, "account-verify-no-token")


def password_error(d):
    el = d.find_element(By.ID, "password-error")
    return el.text if el.is_displayed() else ""


def type_password(d, text):
    field = d.find_element(By.ID, "password")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)
    return field


def test_the_reset_link_of_the_mail_sets_a_new_password(browser, stack, api, maildir, shots):
    email = new_email("browser-reset")
    register(api, email)
    token = mail_link(maildir, email, "verify-email").split("token=")[1]
    assert api.post("/api/auth/verify-email", json={"token": token}).status_code == 200
    maildir.snapshot()
    assert api.post("/api/auth/forgot-password", json={"email": email}).status_code == 202
    link = mail_link(maildir, email, "reset-password")
    assert link.startswith(stack["KF_URL"] + "/reset-password?token=")

    d = browser("es", MOBILE)
    d.get(link)
    wait_text(d, "main h1", "Elige una contraseña nueva")
    field = wait_css(d, "#password")
    # the label names the field; the rules are its description
    assert d.find_element(By.CSS_SELECTOR, "label[for=password]").text == "Contraseña nueva"
    assert "password-hint" in field.get_attribute("aria-describedby")
    assert "Entre 10 y 128 caracteres" in d.find_element(By.ID, "password-hint").text
    assert field.get_attribute("type") == "password"
    shots(d, "account-reset-1-form")

    # too short: said next to the field, before anything is sent; the field keeps the focus
    field = type_password(d, "corta")
    field.send_keys(Keys.ENTER)
    wait(d, lambda d: "al menos 10 caracteres" in password_error(d))
    assert field.get_attribute("aria-invalid") == "true"
    assert "password-error" in field.get_attribute("aria-describedby")
    assert focused_id(d) == "password"
    shots(d, "account-reset-2-too-short")

    # a rule only the API knows (not the account's email): the API's message, under the field
    field = type_password(d, email)
    field.send_keys(Keys.ENTER)
    wait(d, lambda d: "no puede ser igual a tu correo" in password_error(d))
    assert focused_id(d) == "password"
    shots(d, "account-reset-3-is-email")
    assert login(api, email, email).status_code == 401

    # show / hide from the keyboard
    field.send_keys(Keys.TAB)
    assert focused_id(d) == "reveal"
    d.switch_to.active_element.send_keys(Keys.ENTER)
    assert field.get_attribute("type") == "text"
    d.switch_to.active_element.send_keys(Keys.SPACE)
    assert field.get_attribute("type") == "password"

    field = type_password(d, NEW_PASSWORD)
    wait(d, lambda d: password_error(d) == "")
    field.send_keys(Keys.ENTER)
    wait_text(d, "main h1", "Contraseña actualizada", timeout=20)
    assert "cerramos las sesiones" in d.find_element(By.ID, "status").text
    assert not d.find_element(By.ID, "reset-form").is_displayed()
    assert focused_id(d) == "title"
    page_ok(d)
    shots(d, "account-reset-4-done")

    # the new password signs in, the old one no longer does
    assert login(api, email, PASSWORD).status_code == 401
    r = login(api, email, NEW_PASSWORD)
    assert r.status_code == 200, r.text

    # the spent link says so and offers a new one, which arrives by mail
    d.get(link)
    wait(d, lambda d: d.find_element(By.ID, "main").get_attribute("data-ready") == "true")
    type_password(d, "another passphrase 1").send_keys(Keys.ENTER)
    wait_text(d, "main h1", "Este enlace ya no sirve")
    assert "ya fue usado" in d.find_element(By.ID, "status").text
    shots(d, "account-reset-5-spent")
    maildir.snapshot()
    box = wait_css(d, "#email")
    box.send_keys(email, Keys.ENTER)
    wait_text(d, "main h1", "Revisa tu correo")
    assert "te enviamos un enlace nuevo" in d.find_element(By.ID, "status").text
    assert focused_id(d) == "title"
    page_ok(d)
    shots(d, "account-reset-6-new-link")
    assert mail_link(maildir, email, "reset-password") != link
    assert login(api, email, "another passphrase 1").status_code == 401


def test_the_reset_page_in_english_on_a_desktop(browser, stack, shots):
    d = browser("en", DESKTOP)
    d.get(stack["KF_URL"] + "/reset-password?token=" + "x" * 43)
    wait_text(d, "main h1", "Choose a new password")
    assert d.find_element(By.CSS_SELECTOR, "label[for=password]").text == "New password"
    type_password(d, "short").send_keys(Keys.ENTER)
    wait(d, lambda d: "at least 10 characters" in password_error(d))
    shots(d, "account-reset-en-too-short")
    type_password(d, NEW_PASSWORD).send_keys(Keys.ENTER)
    wait_text(d, "main h1", "This link no longer works")
    assert wait_css(d, "label[for=email]").text == "Email"
    page_ok(d)
    shots(d, "account-reset-en-invalid")


def test_the_reset_page_without_token_asks_for_a_link(browser, stack, api, shots):
    d = browser("es", MOBILE)
    d.get(stack["KF_URL"] + "/reset-password")
    wait_text(d, "main h1", "Restablece tu contraseña")
    assert not d.find_element(By.ID, "reset-form").is_displayed()
    box = wait_css(d, "#email")
    assert d.find_element(By.CSS_SELECTOR, "label[for=email]").text == "Correo electrónico"
    box.send_keys("no-arroba", Keys.ENTER)
    wait(d, lambda d: "correo válido" in d.find_element(By.ID, "email-error").text)
    assert box.get_attribute("aria-invalid") == "true" and focused_id(d) == "email"
    shots(d, "account-forgot-bad-email")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(new_email("nobody"), Keys.ENTER)
    wait_text(d, "main h1", "Revisa tu correo")      # the same answer whether the account exists or not
    page_ok(d)
