"""Every dashboard page at 360x640 and 1280x800 (var/screenshots/dashboard-page-*): nothing
scrolls sideways, each has its heading, no script error. The pages with forms and journeys
have their own tests; this one walks the rest with some data in them."""
import time

import pytest

from conftest import DESKTOP, MOBILE, console_errors, no_horizontal_scroll, resize, wait_css
from dashboard_support import e2e, e2e_helper, heading, log_in, stack_env

PAGES = [("", "Hola, Estudio Pantallas"), ("bookings", "Reservas"), ("services", "Servicios"),
         ("services/new", "Nuevo servicio"), ("packages", "Paquetes"),
         ("packages/new", "Nuevo paquete"), ("professionals", "Profesionales"),
         ("professionals/new", "Nuevo profesional"), ("links", "Enlaces de reserva"),
         ("links/new", "Nuevo enlace"), ("metrics", "Métricas"), ("business", "Negocio y marca"),
         ("payments", "Pagos"), ("callbacks", "Notificaciones a tu sitio"), ("audit", "Registro de cambios"),
         ("no-such-page", "Página no encontrada")]


@pytest.fixture(scope="module")
def stack():
    return stack_env()


def test_every_page_at_both_widths(browser, stack, shots):
    seed = e2e_helper("booking_seed")
    m = e2e.seed_merchant(stack, business="Estudio Pantallas")
    sid = seed.service(m.tenant_id, name="Corte y peinado")
    seed.professional(m.tenant_id, name="Julia Ortiz", services=[sid])
    seed.link(m.tenant_id)
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password)
    heading(d, "Hola, Estudio Pantallas")
    for path, title in PAGES:
        d.get(stack["KF_URL"] + "/dashboard/" + path)
        heading(d, title)
        time.sleep(0.3)
        for size in (MOBILE, DESKTOP):
            resize(d, size)
            time.sleep(0.2)
            assert no_horizontal_scroll(d), "/dashboard/%s scrolls sideways at %dx%d" % (path, size[0], size[1])
            shots(d, "dashboard-page-" + (path.replace("/", "-") or "home"))
    for path in ("login", "signup", "forgot-password"):
        d.delete_all_cookies()
        d.get(stack["KF_URL"] + "/dashboard/" + path)
        wait_css(d, "main h1")           # the page draws itself after its script loads
        for size in (MOBILE, DESKTOP):
            resize(d, size)
            time.sleep(0.2)
            assert no_horizontal_scroll(d)
            shots(d, "dashboard-page-" + path)
    errors = [e for e in console_errors(d) if "/api/auth/me" not in e and "status of 404" not in e]
    assert errors == []
