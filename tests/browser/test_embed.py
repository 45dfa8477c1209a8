"""A booking page inside a merchant's site, on the real stack (tests/stack up): a page served
from another origin on loopback loads /embed.js, the customer books a free appointment in the
frame, and the page hears ready, slot_held, booking_created and booking_paid in that order
through Konfirmado.on; a paid one opens the (fake) Wompi checkout in its own window, the frame
follows the booking, and the page hears payment_started, then booking_paid once the payment is
approved there. The frame grows with its content (no scroll bar of its own) at 360 px and on a
desktop. A page on an origin the business does not list cannot show it."""
import http.server
import threading

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, wait, wait_css
from dashboard_support import e2e, e2e_helper, stack_env
from journey import Journey
from test_wizard_stack import checkout_button, demo, need_payments, stack  # noqa: F401  (fixtures)

MERCHANT_PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mi tienda</title></head>
<body style="margin:0;font-family:sans-serif"><h1>Mi tienda</h1>
<script>window.heard = []; window.frameLoaded = false;</script>
<script src="%(base)s/embed.js" data-konfirmado-link="%(link)s"></script>
<script>
  Konfirmado.on('*', function (e) { window.heard.push(e); });
  document.querySelector('iframe[data-konfirmado-frame]').addEventListener('load', function () {
    window.frameLoaded = true;
  });
</script>
<p id="after">Pie de pagina</p>
</body></html>
"""


def serve_merchant(address, html):
    """A merchant's site on another origin: one page at / on address:(a free port)."""
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer((address, 0), Page)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://%s:%d" % (address, srv.server_address[1])


@pytest.fixture
def shop():
    """shop(address, listed) -> the origin of a merchant page that embeds a link of a new
    tenant offering a free service; listed: the tenant lets that origin frame it."""
    env = stack_env()
    bs = e2e_helper("booking_seed")
    tid, _ = bs.tenant(wompi=False)   # a free service needs no payment account
    service = bs.service(tid, name="Consulta gratis", price=0, charge="free")
    bs.professional(tid, name="Ana Restrepo", services=[service])
    html = MERCHANT_PAGE % {"base": env["KF_URL"], "link": bs.link(tid)}
    servers = []

    def site(address, listed):
        srv, origin = serve_merchant(address, html)
        servers.append(srv)
        if listed:
            e2e.psql("UPDATE tenants SET embed_origins = array_append(embed_origins, :'p1')"
                     " WHERE id = :'p2'", origin, tid)
        return origin

    yield site
    for srv in servers:
        srv.shutdown()


def heard(d):
    return [e["type"] for e in d.execute_script("return window.heard")]


def frame_fits(d):
    """Inside the frame: nothing to scroll; the frame is as tall as its page."""
    frame = d.find_element(By.CSS_SELECTOR, "iframe[data-konfirmado-frame]")
    outer = frame.size["height"]
    d.switch_to.frame(frame)
    try:
        inner = d.execute_script("return [document.documentElement.scrollHeight,"
                                 " document.documentElement.clientHeight,"
                                 " document.documentElement.scrollWidth,"
                                 " document.documentElement.clientWidth]")
    finally:
        d.switch_to.default_content()
    scroll_h, client_h, scroll_w, client_w = inner
    return scroll_h <= client_h + 1 and scroll_w <= client_w + 1 and abs(outer - client_h) <= 2


def test_a_free_booking_in_a_merchant_page_tells_the_page_each_step(browser, shop, shots):
    d = browser()
    origin = shop("127.0.0.2", listed=True)
    d.get(origin + "/")
    frame = wait_css(d, "iframe[data-konfirmado-frame]")
    wait(d, lambda d: heard(d) == ["ready"], 20, "the page never heard ready")
    wait(d, lambda d: frame_fits(d), 10, "the frame does not fit its page at 360 px")

    d.switch_to.frame(frame)
    j = Journey(d, shots, "embed")
    j.choose_service("Consulta gratis")
    j.choose_professional("Ana Restrepo")
    times = j.to_time()
    j.pick(times[0])
    j.wait_held()
    d.switch_to.default_content()
    wait(d, lambda d: heard(d) == ["ready", "slot_held"], 10, "no slot_held")
    assert frame_fits(d)

    d.switch_to.frame(frame)
    j.to_details()
    j.fill(name="Laura Gómez", email="laura@example.com", phone="3001234567", terms=True)
    j.submit()
    wait_css(d, ".panel-center h1", 30)
    d.switch_to.default_content()
    wait(d, lambda d: heard(d) == ["ready", "slot_held", "booking_created", "booking_paid"], 30,
         "the page heard %r" % heard(d))
    events = d.execute_script("return window.heard")
    booking_id = events[2]["booking_id"]
    assert booking_id and events[3]["booking_id"] == booking_id
    for e in events:   # nothing about the customer
        assert set(e) <= {"type", "link", "booking_id", "reference"}
        assert "Laura" not in str(e) and "laura@" not in str(e)
    wait(d, lambda d: frame_fits(d), 10, "the confirmation does not fit at 360 px")
    d.set_window_size(*DESKTOP)
    wait(d, lambda d: frame_fits(d), 10, "the confirmation does not fit on a desktop")
    shots(d, "embed-confirmation")


def test_a_site_not_listed_cannot_show_the_booking_page(browser, shop):
    d = browser()
    shop("127.0.0.2", listed=True)
    origin = shop("127.0.0.3", listed=False)
    d.get(origin + "/")
    frame = wait_css(d, "iframe[data-konfirmado-frame]")
    # the frame's load has come and gone (refused: an error page in its place)
    wait(d, lambda d: d.execute_script("return window.frameLoaded"), 20, "the frame never loaded")
    assert heard(d) == []
    d.switch_to.frame(frame)
    try:
        shown = d.execute_script("return !!document.getElementById('main')")
    except Exception:
        shown = False
    finally:
        d.switch_to.default_content()
    assert not shown


def test_a_paid_booking_in_a_merchant_page_pays_in_its_own_window(browser, demo, shots):
    """The demo business (Wompi, the fake checkout) embedded in a merchant's page."""
    need_payments(demo)
    env = stack_env()
    srv, origin = serve_merchant("127.0.0.4", MERCHANT_PAGE % {"base": env["KF_URL"], "link": demo["link"]})
    e2e.psql("UPDATE tenants SET embed_origins = ARRAY[:'p1'] WHERE id = :'p2'", origin, demo["tenant_id"])
    try:
        d = browser()
        d.get(origin + "/")
        frame = wait_css(d, "iframe[data-konfirmado-frame]")
        wait(d, lambda d: heard(d) == ["ready"], 20, "the page never heard ready")
        d.switch_to.frame(frame)
        j = Journey(d, shots, "embed-paid")
        j.choose_service("Consulta de valoración")
        j.choose_professional("Ana Restrepo")
        j.pick(j.to_time()[0])
        j.wait_held()
        j.to_details()
        j.fill(name="Laura Gómez", email="laura.embed@example.com", phone="3001234567", terms=True)
        j.submit()
        pay = wait_css(d, "#go-checkout", 30)
        assert pay.get_attribute("target") == "_blank"
        here = d.current_window_handle
        pay.click()
        d.switch_to.default_content()
        wait(d, lambda d: len(d.window_handles) == 2, 10, "the checkout did not open its own window")
        wait(d, lambda d: heard(d) == ["ready", "slot_held", "booking_created", "payment_started"], 10,
             "the page heard %r" % heard(d))
        d.switch_to.window([w for w in d.window_handles if w != here][0])
        checkout_button(d, "Approve").click()
        # the checkout's answer has left once its window moved on: closing it sooner may cancel it
        wait(d, lambda d: "/wompi/checkout/" not in d.current_url, 20, "the checkout never answered")
        d.close()
        d.switch_to.window(here)
        wait(d, lambda d: heard(d)[-1:] == ["booking_paid"], 60, "the page heard %r" % heard(d))
        events = d.execute_script("return window.heard")
        assert [e["type"] for e in events] == ["ready", "slot_held", "booking_created", "payment_started",
                                               "booking_paid"]
        assert len({e.get("booking_id") for e in events[2:]}) == 1
        assert events[3]["reference"] and events[3]["reference"] == events[4].get("reference", events[3]["reference"])
        for e in events:
            assert "Laura" not in str(e) and "laura" not in str(e)
        shots(d, "embed-paid-confirmation")
    finally:
        e2e.psql("UPDATE tenants SET embed_origins = '{}' WHERE id = :'p1'", demo["tenant_id"])
        srv.shutdown()


def test_the_demo_merchant_site_shows_the_booking_page_and_its_events(browser, demo, shots):
    """./dev demo's own merchant site (the fakes' /merchant/shop) embeds the demo link."""
    env = stack_env()
    e2e.psql("UPDATE tenants SET embed_origins = ARRAY[:'p1'] WHERE id = :'p2'",
             env["KF_FAKES_URL"].rstrip("/"), demo["tenant_id"])
    d = browser()
    d.get("%s/merchant/shop?base=%s&link=%s" % (env["KF_FAKES_URL"].rstrip("/"), env["KF_URL"], demo["link"]))
    frame = wait_css(d, "iframe[data-konfirmado-frame]")
    wait(d, lambda d: '"type":"ready"' in d.find_element(By.ID, "events").text, 20,
         "the demo site never heard ready")
    d.switch_to.frame(frame)
    wait_css(d, "main h1", 20)
    d.switch_to.default_content()
    wait(d, lambda d: frame_fits(d), 10, "the frame does not fit the demo site")
    shots(d, "embed-demo-site")
