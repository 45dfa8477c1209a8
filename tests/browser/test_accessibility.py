"""No serious or critical accessibility violation (axe-core, WCAG 2.1 A/AA and its best
practices) on the pages people decide and learn things on, as they stand on screen: the
wizard's steps, the assistant with an answer, the confirmation after paying, the booking's
own page from the mail, the customer portal, and the dashboard's home, bookings and
metrics — at 360 px, and the wizard and the dashboard at 1280 px too."""
import pytest
from selenium.webdriver.common.by import By

from accessibility import assert_accessible
from conftest import DESKTOP, MOBILE, wait, wait_css, wait_text
from dashboard_support import e2e_helper, heading, log_in
from test_assistant import answers, ask
from test_manage_journeys import mail_to, manage_link, paid  # noqa: F401 (fixtures)
from test_portal_journeys import sign_in_by_mail, tenant_root
from test_wizard_stack import book_until_checkout, checkout_button, demo, need_payments, stack  # noqa: F401


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "1280"])
def test_the_wizard_steps(browser, stack, demo, size):  # noqa: F811
    need_payments(demo)
    d = browser("es", size)
    book_until_checkout(d, demo, None, None)
    assert_accessible(d, "details step")
    d.get(demo["url"])
    wait_css(d, "label.card")
    assert_accessible(d, "service step")


def test_the_time_step_and_the_assistant(browser, stack, demo):  # noqa: F811
    need_payments(demo)
    d = browser("es", MOBILE)
    book_until_checkout(d, demo, None, None)
    d.find_element(By.ID, "back").click()
    wait_css(d, ".time-selected")
    assert_accessible(d, "time step with a held time")
    d.get(demo["url"].rstrip("/") + "/assistant")
    wait_text(d, "main h1", "Pregunta por un horario")
    ask(d, "una consulta el próximo martes por la mañana")
    answers(d, 1)
    assert_accessible(d, "assistant with an answer")


def test_the_confirmation_after_paying(browser, stack, demo):  # noqa: F811
    need_payments(demo)
    d = browser("es", MOBILE)
    j = book_until_checkout(d, demo, None, None)
    j.fill(name="Ana Gómez", email="ana.gomez@example.com", phone="3001234567", terms=True)
    j.submit()
    checkout_button(d, "Approve").click()
    wait_text(d, "main h1", "¡Reserva confirmada!", timeout=30)
    d.find_element(By.ID, "stay-here").click()
    assert_accessible(d, "confirmation")


def test_the_booking_page_and_the_portal(browser, stack, paid):  # noqa: F811
    d = browser("es", MOBILE)
    d.get(manage_link(mail_to(stack, paid["email"], "Reserva confirmada: Consulta dermatológica")))
    wait_css(d, "#add-calendar")
    assert_accessible(d, "manage page")
    root = tenant_root(stack, paid["merchant"].tenant_id)
    sign_in_by_mail(d, stack, root, paid["email"], lambda *a: None, "a11y")
    wait_css(d, ".me-card")
    assert_accessible(d, "portal")


@pytest.mark.parametrize("size", [MOBILE, DESKTOP], ids=["360", "1280"])
def test_the_dashboard_home_bookings_and_metrics(browser, stack, paid, size):  # noqa: F811
    merchant = paid["merchant"]
    d = browser("es", size)
    log_in(d, stack["KF_URL"], merchant.email, merchant.password)
    wait(d, lambda d: "/login" not in d.current_url and d.find_elements(By.CSS_SELECTOR, "#nav a"))
    assert_accessible(d, "dashboard home")
    d.get(stack["KF_URL"] + "/dashboard/bookings")
    wait_text(d, "main", "Valentina Ruiz")
    assert_accessible(d, "bookings")
    d.get(stack["KF_URL"] + "/dashboard/metrics")
    heading(d, "Métricas")
    wait_css(d, "#kpi-bookings .kpi-value")
    assert_accessible(d, "metrics")
