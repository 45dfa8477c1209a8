"""The dashboard's account journeys on the real stack: forgot password through the mail
link, an expired session that sends the person to log in and back to where they were, the
English dashboard used with the keyboard only, and the phone menu."""
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, wait_css, wait_text
from dashboard_support import (wait, link, PASSWORD, e2e, field, heading, log_in, mail_link, nav, stack_env, submit,
                               toast, type_into)


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture
def merchant(stack):
    return e2e.seed_merchant(stack, business="Peluquería Cuentas")


def test_forgot_password_mail_link_sets_a_new_one_and_it_logs_in(browser, stack, merchant, shots):
    maildir = e2e.Maildir(stack["KF_MAILDIR"])
    maildir.snapshot()
    base = stack["KF_URL"]
    d = browser("es", MOBILE)
    d.get(base + "/dashboard/login")
    link(d, "¿Olvidaste tu contraseña?").click()
    heading(d, "Recupera tu contraseña")
    type_into(d, "email", merchant.email)
    submit(d)
    heading(d, "Revisa tu correo")
    shots(d, "dashboard-forgot-sent")
    d.get(mail_link(maildir, merchant.email.lower(), "reset-password"))
    new_password = "otra frase larga y segura"
    pw = wait_css(d, "#password")
    pw.send_keys(new_password)
    d.find_element(By.ID, "submit").click()
    wait_text(d, "h1", "Contraseña actualizada", timeout=20)
    d.find_element(By.CSS_SELECTOR, "#login a").click()
    heading(d, "Entra a tu panel")
    log_in(d, base, merchant.email, merchant.password)
    assert "no coinciden" in wait_css(d, "main .form-error").text     # the old one is gone
    log_in(d, base, merchant.email, new_password)
    heading(d, "Hola, Peluquería Cuentas")


def test_an_expired_session_returns_to_the_same_page_after_logging_in(browser, stack, merchant, shots):
    base = stack["KF_URL"]
    d = browser("es", DESKTOP)
    log_in(d, base, merchant.email, merchant.password, next_path="/dashboard/services")
    heading(d, "Servicios")
    # The session ends behind the person's back (idle timeout, or a password reset elsewhere).
    e2e.psql("UPDATE sessions SET idle_expires_at = now() - interval '1 second' "
             "WHERE user_id = :'p1'", merchant.user_id)
    nav(d, "Profesionales")
    heading(d, "Entra a tu panel")
    assert "Tu sesión terminó" in wait_css(d, ".notice").text
    assert "next=%2Fdashboard%2Fprofessionals" in d.current_url
    shots(d, "dashboard-session-expired")
    type_into(d, "email", merchant.email)
    type_into(d, "password", merchant.password)
    submit(d)
    heading(d, "Profesionales")
    assert d.current_url.endswith("/dashboard/professionals")


def test_a_next_parameter_never_leaves_the_dashboard(browser, stack, merchant):
    base = stack["KF_URL"]
    d = browser("es", DESKTOP)
    log_in(d, base, merchant.email, merchant.password, next_path="//evil.example/x")
    heading(d, "Hola, Peluquería Cuentas")
    assert d.current_url == base + "/dashboard/"


def focused_outline(d):
    return d.execute_script("""
        const s = getComputedStyle(document.activeElement);
        return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth];""")


def test_english_dashboard_with_the_keyboard_only(browser, stack, merchant, shots):
    base = stack["KF_URL"]
    d = browser("en", DESKTOP)
    d.get(base + "/dashboard/login")
    heading(d, "Log in to your dashboard")
    body = d.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert d.switch_to.active_element.text == "Skip to content"
    # Tab to the email field, type, tab to the password, Enter submits.
    for _ in range(10):
        d.switch_to.active_element.send_keys(Keys.TAB)
        if d.switch_to.active_element.get_attribute("name") == "email":
            break
    tag, style, width = focused_outline(d)
    assert style != "none" and width != "0px", "no visible focus on %s" % tag
    d.switch_to.active_element.send_keys(merchant.email, Keys.TAB, merchant.password, Keys.ENTER)
    heading(d, "Hello, Peluquería Cuentas")
    assert "0 of 5 steps done" in wait_css(d, ".checklist .hint").text
    # The menu is reachable by keyboard and the current page is marked for screen readers.
    links = d.find_elements(By.CSS_SELECTOR, "#nav a")
    assert [a.text for a in links][:3] == ["Home", "Bookings", "Services"]
    assert links[0].get_attribute("aria-current") == "page"
    links[2].send_keys(Keys.ENTER)
    heading(d, "Services")
    assert d.find_element(By.CSS_SELECTOR, "#nav a[aria-current=page]").text == "Services"
    # Switching language re-renders the page in Spanish and remembers it.
    d.find_element(By.ID, "lang").send_keys(Keys.ENTER)
    heading(d, "Servicios")
    d.refresh()
    heading(d, "Servicios")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    shots(d, "dashboard-services-list")


def test_the_phone_menu_opens_closes_and_navigates(browser, stack, merchant, shots):
    base = stack["KF_URL"]
    d = browser("es", MOBILE)
    log_in(d, base, merchant.email, merchant.password)
    heading(d, "Hola, Peluquería Cuentas")
    assert not d.find_element(By.ID, "nav").is_displayed()
    menu = d.find_element(By.ID, "menu-button")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    wait(d, lambda d: d.find_element(By.ID, "nav").is_displayed())
    assert d.switch_to.active_element.text == "Inicio"
    shots(d, "dashboard-menu-open")
    d.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(d, lambda d: not d.find_element(By.ID, "nav").is_displayed())
    assert d.switch_to.active_element.get_attribute("id") == "menu-button"
    nav(d, "Enlaces")
    heading(d, "Enlaces de reserva")
    assert not d.find_element(By.ID, "nav").is_displayed()
    assert no_horizontal_scroll(d)
