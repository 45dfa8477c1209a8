"""The customer's portal and the reminders' way out, on the real stack (API.md "Customer
portal"): a customer who booked and paid asks for a sign-in link on the business's host,
opens it from the mail, sees the booking (status, professional, time in their zone, amount
paid, receipt), cancels it from the portal, moves between the tabs with the keyboard and
turns reminders off; at 360 px and on a desktop. A reminder mail's "stop these reminders"
link opens a page that asks first; its List-Unsubscribe header unsubscribes with one POST.
Screenshots: var/screenshots/portal-*."""
import re
import time
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import (DESKTOP, MOBILE, click, console_errors, no_horizontal_scroll, wait, wait_css,
                      wait_text)
from dashboard_support import e2e, e2e_helper
from test_manage_journeys import mail_to, paid, stack  # noqa: F401  (fixtures)


def tenant_root(stack, tenant_id):
    """The business's own host (a tenant seeded without one gets a subdomain now)."""
    sub = e2e.psql("UPDATE tenants SET subdomain = coalesce(subdomain, 'portal-' || substr(md5(id::text), 1, 8))"
                   " WHERE id = :'p1' RETURNING subdomain", tenant_id)
    return "http://%s.%s:%s" % (sub, stack["KF_BASE_DOMAIN"], stack["KF_PORT"])


def sign_in_by_mail(d, stack, root, email, shots, name):
    d.get(root + "/book/me")
    field = wait_css(d, "#me-email")
    assert wait_css(d, "main h1").text == "Tus reservas"
    shots(d, name + "-sign-in")
    field.send_keys(email)
    click(d, d.find_element(By.ID, "me-send"))
    wait_text(d, "main h1", "Revisa tu correo")
    shots(d, name + "-sent")
    mail = mail_to(stack, email, "Tu enlace para ver tus reservas en Centro Andino")
    link = re.search(r"http\S+/book/me\?token=\S+", mail.get_body(("plain",)).get_content()).group(0)
    assert link.startswith(root + "/book/me?token=")
    d.get(link)
    wait_text(d, "main h1", "Mis reservas")
    # the used link is out of the address bar and the history
    assert d.current_url == root + "/book/me"


def test_sign_in_by_mail_see_the_booking_and_cancel_it_from_the_portal(browser, stack, paid, shots):
    root = tenant_root(stack, paid["merchant"].tenant_id)
    d = browser("es", MOBILE)
    sign_in_by_mail(d, stack, root, paid["email"], shots, "portal-360")
    card = wait_css(d, ".me-card")
    text = card.text
    assert "Consulta dermatológica" in text and "Lucía Prado" in text and "Confirmada" in text
    assert "Pagado" in text and "Cuándo · Bogotá (GMT-5)" in text
    assert card.get_attribute("data-booking") == paid["booking"]["id"]
    assert no_horizontal_scroll(d)
    # the receipt opens inside the card
    click(d, card.find_element(By.CSS_SELECTOR, ".me-receipt summary"))
    wait_text(d, ".me-receipt-body", "Referencia")
    shots(d, "portal-360-list")

    click(d, card.find_element(By.CSS_SELECTOR, ".me-cancel"))
    confirm = wait_css(d, ".me-cancel-confirm")
    assert d.switch_to.active_element == confirm            # the question takes the focus
    shots(d, "portal-360-cancel")
    click(d, confirm)
    wait_text(d, ".notice-info", "Cancelaste Consulta dermatológica")
    wait_text(d, ".me-status", "Cancelada")
    assert e2e.psql("SELECT status FROM reservations WHERE id = :'p1'", paid["booking"]["id"]) == "cancelled"
    assert d.find_elements(By.CSS_SELECTOR, ".me-cancel") == []
    shots(d, "portal-360-cancelled")

    # the tabs answer the keyboard
    tab = d.find_element(By.ID, "me-tab-upcoming")
    tab.send_keys(Keys.ARROW_RIGHT)
    wait(d, lambda d: d.find_element(By.ID, "me-tab-past").get_attribute("aria-selected") == "true")
    wait_text(d, ".me-empty", "Aún no tienes reservas pasadas")
    assert d.switch_to.active_element.get_attribute("id") == "me-tab-past"

    # reminders off from the portal
    click(d, d.find_element(By.ID, "pref-mail"))
    click(d, d.find_element(By.ID, "pref-save"))
    wait_text(d, "#pref-status", "Preferencias guardadas")
    assert e2e.psql("SELECT reminders_email FROM customer_preferences WHERE email = :'p1'", paid["email"]) == "f"
    shots(d, "portal-360-preferences")
    assert console_errors(d) == []

    # signing out ends the session
    click(d, d.find_element(By.ID, "me-sign-out"))
    wait_css(d, "#me-email")
    d.get(root + "/book/me")
    wait_css(d, "#me-email")


def test_the_portal_on_a_desktop_in_english(browser, stack, paid, shots):
    root = tenant_root(stack, paid["merchant"].tenant_id)
    d = browser("en", DESKTOP)
    d.get(root + "/book/me")
    wait_css(d, "#me-email").send_keys(paid["email"])
    click(d, d.find_element(By.ID, "me-send"))
    wait_text(d, "main h1", "Check your email")
    mail = mail_to(stack, paid["email"], "Tu enlace para ver tus reservas en Centro Andino")
    d.get(re.search(r"http\S+/book/me\?token=\S+", mail.get_body(("plain",)).get_content()).group(0))
    wait_text(d, "main h1", "My bookings")
    card = wait_css(d, ".me-card")
    assert "Confirmed" in card.text and "Add to my calendar" in card.text and "Book again" in card.text
    assert no_horizontal_scroll(d)
    shots(d, "portal-desktop-list")
    # a link used twice says so and offers the form again
    d.get(root + "/book/me?token=" + "x" * 43)
    wait_text(d, "#me-link-problem", "not valid or was already used")
    shots(d, "portal-desktop-link-used")


def test_unsubscribe_from_a_reminder_mail_by_its_link_and_by_its_header(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    reminders = e2e_helper("test_booking_reminders")
    public = e2e.Api(stack)
    merchant = e2e.seed_merchant(stack, business="Centro Andino")
    tenant_id = merchant.tenant_id
    root = tenant_root(stack, tenant_id)
    service = seed.service(tenant_id, price=0, charge="free", duration=45, horizon=60)
    pro = seed.professional(tenant_id, name="Lucía Prado", hours=seed.ALL_WEEK(("09:00", "17:00")),
                            services=[service])
    slug = seed.link(tenant_id)
    e2e.psql("UPDATE tenants SET reminders = '{15}' WHERE id = :'p1'", tenant_id)

    def book(email, day):
        start = public.get("/api/public/links/%s/availability" % slug, params={
            "service": service, "professional": pro, "from": seed.today_plus(day), "days": 1}).json()["slots"][0]["start"]
        hold = public.post("/api/public/holds", json={"link": slug, "service": service, "professional": pro,
                                                      "start": start}).json()["hold"]
        r = public.post("/api/public/bookings", json={
            "hold_token": hold["token"], "accepted_terms": True, "timezone": "America/Bogota",
            "customer": {"name": "Valentina Ruiz", "email": email, "phone": "+573001234567"}})
        assert r.status_code == 201, r.text
        return r.json()["booking"]

    email, other = "cliente-%s@example.com" % time.time_ns(), "otro-%s@example.com" % time.time_ns()
    first = book(email, 5)
    reminders.make_due(first["id"], 10)
    mail = mail_to(stack, email, "Recordatorio: Consulta general en 15 min")
    header = re.sub(r"\s+", " ", mail["List-Unsubscribe"])
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.match(r"<(http[^>]+)>, <mailto:", header).group(1)
    visible = re.search(r"http\S+/api/public/unsubscribe\?token=\S+", mail.get_body(("plain",)).get_content()).group(0)
    assert visible == one_click

    for size, name in ((MOBILE, "portal-360-unsubscribe"), (DESKTOP, "portal-desktop-unsubscribe")):
        d = browser("es", size)
        d.get(visible)                                          # the mail's visible link
        wait_text(d, "main h1", "¿Dejar de recibir recordatorios?")
        assert urlsplit(d.current_url).path == "/book/unsubscribe"
        wait_text(d, "#brand", "Centro Andino")                 # the business's page, by its host
        if size == MOBILE:                                      # opening it changed nothing
            assert e2e.psql("SELECT coalesce(bool_and(reminders_email), true) FROM customer_preferences"
                            " WHERE email = :'p1'", email) == "t"
        assert no_horizontal_scroll(d)
        shots(d, name)
        click(d, d.find_element(By.ID, "unsubscribe-confirm"))
        wait_text(d, "main h1", "Listo")
        shots(d, name + "-done")
        assert e2e.psql("SELECT reminders_email FROM customer_preferences WHERE email = :'p1'", email) == "f"
        assert console_errors(d) == []

    # the header: what a mail client does with one click, for another customer
    e2e.psql("""UPDATE reservations SET starts_at = now() - interval '2 days', ends_at = now() - interval '2 days'
              + interval '45 minutes', blocked = tstzrange(now() - interval '2 days', now() - interval '2 days'
              + interval '45 minutes') WHERE id = :'p1'""", first["id"])
    second = book(other, 6)
    reminders.make_due(second["id"], 10)
    mail = mail_to(stack, other, "Recordatorio: Consulta general en 15 min")
    url = re.match(r"<(http[^>]+)>", re.sub(r"\s+", " ", mail["List-Unsubscribe"])).group(1)
    parts = urlsplit(url)
    r = public.post(parts.path + "?" + parts.query, host=parts.hostname, data="List-Unsubscribe=One-Click",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and r.json()["reminders_email"] is False
