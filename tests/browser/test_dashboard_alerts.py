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
    """What the alerts job writes when callbacks and customer mails keep failing."""
    e2e.psql("""INSERT INTO merchant_alerts (tenant_id, kind, detail, raised_at, last_seen_at)
                VALUES (:'p1', 'callbacks_failing',
                        '4 failed attempts in the last hour; the last: HTTP 500', now() - interval '20 minutes', now()),
                       (:'p1', 'messages_bouncing',
                        '2 mail(s) and 0 text(s) about bookings failed in the last 24 hours; the last: 550 5.1.1 mailbox unavailable',
                        now() - interval '3 hours', now())""", tenant_id)


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
    words = {"es": ("Las notificaciones a tu sistema están fallando", "Abrir notificaciones al sitio",
                    "Correos o mensajes a tus clientes no se pudieron entregar", "Ocultar"),
             "en": ("Callbacks to your system keep failing", "Open site notifications",
                    "Mails or texts to your customers could not be delivered", "Dismiss")}[lang]
    assert first.get_attribute("role") == "status"
    assert words[0] in first.text and words[1] in first.text and "HTTP 500" in first.text
    assert words[2] in second.text and "550 5.1.1" in second.text
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
