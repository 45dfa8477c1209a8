"""The dashboard home's alert banners on the real stack, at phone width and on a desktop: the
merchant reads what keeps failing, what to do and where, and dismisses a banner from the
keyboard; the banner stays hidden after a reload."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import DESKTOP, MOBILE, no_horizontal_scroll
from dashboard_support import e2e, heading, log_in, stack_env, toast, wait


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def raise_alerts(tenant_id):
    """Callbacks that keep failing and a customer's mail given up, and the alerts the job
    raises for them (the facts hold, so the job's next run keeps them open)."""
    e2e.psql("""
        WITH s AS (INSERT INTO services (tenant_id, name, description, duration_minutes, price_amount,
                                         currency, charge_type)
                   VALUES (:'p1', 'Consulta', 'Una consulta.', 30, 0, 'COP', 'free') RETURNING id),
             p AS (INSERT INTO professionals (tenant_id, name, timezone)
                   VALUES (:'p1', 'Dra. Núñez', 'America/Bogota') RETURNING id),
             r AS (INSERT INTO reservations (tenant_id, service_id, professional_id, status,
                       starts_at, ends_at, blocked, customer_name, customer_email, customer_phone,
                       accepted_terms_at, charge_type, charge_amount, currency)
                   SELECT :'p1', s.id, p.id, 'paid', b, b + interval '30 minutes',
                          tstzrange(b, b + interval '30 minutes'), 'Ana María Gómez',
                          'ana@example.com', '+573001234567', now(), 'free', 0, 'COP'
                   FROM s, p, (SELECT date_trunc('hour', now()) + interval '3 days' AS b) x
                   RETURNING id),
             c AS (INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, attempts,
                       next_attempt_at)
                   SELECT :'p1', r.id, '{}', 4, now() + interval '1 day' FROM r RETURNING id),
             a AS (INSERT INTO callback_attempts (callback_id, attempt, status_code, latency_ms, at)
                   SELECT c.id, n, 500, 20, now() - make_interval(mins => 10 * n)
                   FROM c, generate_series(1, 4) n)
        INSERT INTO mail_outbox (tenant_id, reservation_id, recipient, subject, body_text,
                                 body_html, attempts, failed_at, last_error)
        SELECT :'p1', r.id, 'ana@example.com', 'booking_confirmed', '', '', 12,
               now() - interval '3 hours', '550 5.1.1 mailbox unavailable' FROM r""", tenant_id)
    # the alerts job may have raised them from the facts above already: the same alerts
    e2e.psql("""INSERT INTO merchant_alerts (tenant_id, kind, detail, raised_at, last_seen_at)
                VALUES (:'p1', 'callbacks_failing',
                        '{"failures": 4, "last_status": 500, "last_error": null}',
                        now() - interval '20 minutes', now()),
                       (:'p1', 'messages_bouncing',
                        '{"mails": 1, "texts": 0, "last": "550 5.1.1 mailbox unavailable",
                          "last_channel": "email", "last_to": "ana@example.com",
                          "last_fault": null}',
                        now() - interval '3 hours', now())
                ON CONFLICT (tenant_id, kind) WHERE resolved_at IS NULL DO UPDATE
                SET detail = excluded.detail, raised_at = excluded.raised_at,
                    last_seen_at = excluded.last_seen_at""", tenant_id)


def banners(d):
    return d.find_elements(By.CSS_SELECTOR, "main .alert-banner")


@pytest.mark.parametrize("lang,size", [("es", MOBILE), ("en", DESKTOP)])
def test_the_merchant_sees_the_alerts_and_dismisses_one(browser, stack, shots, lang, size):
    m = e2e.seed_merchant(stack, business="Clínica Norte")
    raise_alerts(m.tenant_id)
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola" if lang == "es" else "Hello")
    wait(d, lambda d: len(banners(d)) == 2, 10, "no alert banners")
    first, second = banners(d)
    words = {"es": ("Las notificaciones a tu sitio están fallando", "Abrir notificaciones al sitio",
                    "Correos o mensajes a tus clientes no se pudieron entregar", "Ocultar"),
             "en": ("Notifications to your site keep failing", "Open site notifications",
                    "Mails or texts to your customers could not be delivered", "Dismiss")}[lang]
    # what was seen, in the page's language
    details = {"es": ("4 intentos fallidos en la última hora.",
                      "El último: Tu servidor tuvo un error al recibir el aviso (respondió 500).",
                      "1 correo y 0 mensajes de texto sobre reservas no se pudieron entregar en las"
                      " últimas 24 horas.",
                      "El último: El buzón de ana@example.com no existe (el servidor de correo"
                      " respondió 550)."),
               "en": ("4 failed attempts in the last hour.",
                      "The last: Your server had an error receiving the notification (it answered 500).",
                      "1 mail and 0 texts about bookings could not be delivered in the last 24 hours.",
                      "The last: The mailbox ana@example.com does not exist (the mail server"
                      " answered 550).")}[lang]
    assert first.get_attribute("role") == "status"
    assert words[0] in first.text and words[1] in first.text
    assert details[0] in first.text and details[1] in first.text
    assert words[2] in second.text and details[2] in second.text and details[3] in second.text
    # what the other side said is the deliveries page's "Details", not the banner's
    assert "HTTP" not in first.text and "5.1.1" not in second.text
    assert first.find_element(By.LINK_TEXT, words[1]).get_attribute("href").endswith("/dashboard/callbacks")
    assert no_horizontal_scroll(d)
    shots(d, "home-alerts-%s" % lang)
    # dismissed from the keyboard: the focus moves to the next banner's button
    button = first.find_element(By.TAG_NAME, "button")
    assert button.text == words[3] and words[0] in button.get_attribute("aria-label")
    button.send_keys(Keys.ENTER)
    toast(d, "Alerta ocultada" if lang == "es" else "Alert dismissed")
    wait(d, lambda d: len(banners(d)) == 1, 10, "the banner stays")
    assert d.switch_to.active_element == banners(d)[0].find_element(By.TAG_NAME, "button")
    d.refresh()
    heading(d, "Hola" if lang == "es" else "Hello")
    wait(d, lambda d: len(banners(d)) == 1, 10, "the dismissed banner is back")
    assert words[2] in banners(d)[0].text
