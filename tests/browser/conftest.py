"""Browser tests of the booking wizard: Selenium with Debian's chromium-headless-shell +
chromium-driver.

Two backends drive the same journeys:
  contract  tests/browser/contract_api.py in-process: API.md's public endpoints from memory,
            the wizard's files served like the module serves them. Always available.
  stack     the real stack (tests/stack up) with the demo tenant of tools/demo-seed. Its
            journeys skip, saying why, while the public booking API is not in the module.

Fixtures:
  browser(lang="es", size=(360, 640))   a fresh headless Chromium (own profile), closed after the test
  shots                                  shots(driver, "journey-step") -> var/screenshots/journey-step-WxH.png
  contract                               the contract fake: .url, .link_url, .config(...), .take(start)
Helpers from tests/e2e/conftest.py (psql, Api, Fakes, read_stack_env...) are importable.
"""
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.abspath(os.path.join(HERE, "..", ".."))
SCREENSHOTS = os.path.join(SRCDIR, "var", "screenshots")
DOC_IMAGES = os.path.join(SRCDIR, "docs", "images")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRCDIR, "tests", "e2e"))

import contract_api  # noqa: E402

selenium = pytest.importorskip("selenium", reason="apt-get install python3-selenium chromium-headless-shell chromium-driver")
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMEDRIVER = "/usr/bin/chromedriver"
# Chromium's headless shell (Debian's chromium-headless-shell): the same engine without the
# browser around it, started in a third of the time at a quarter of the CPU, and rendering
# pages at less; the suite is CPU-bound, mostly in Chromium.
HEADLESS_SHELL = os.path.join(HERE, "headless-shell")
MOBILE, DESKTOP = (360, 640), (1280, 800)


def make_driver(lang="es", size=MOBILE, zone="America/Bogota"):
    opts = webdriver.ChromeOptions()
    opts.binary_location = HEADLESS_SHELL
    profile = tempfile.mkdtemp(prefix="kf-chromium-")
    for arg in ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile, "--lang=" + lang,
                "--window-size=%d,%d" % size, "--hide-scrollbars"):
        opts.add_argument(arg)
    accept = "es-CO,es" if lang.startswith("es") else "en-US,en"
    # the shell takes the customer's languages from --accept-lang (not --lang nor the pref)
    opts.add_argument("--accept-lang=" + accept)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.kf_profile = profile
    resize(driver, size)
    # The customer's own zone, as the browser reports it to the wizard.
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
    # and the locale a page's Intl formats take by default
    driver.execute_cdp_cmd("Emulation.setLocaleOverride", {"locale": accept.split(",")[0]})
    driver.set_page_load_timeout(30)
    return driver


def resize(driver, size):
    """The page viewport exactly `size` (a window size would include browser chrome)."""
    w, h = size
    driver.set_window_size(w, h + 200)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 600})
    driver.kf_size = size


@pytest.fixture
def browser():
    drivers = []

    def make(lang="es", size=MOBILE, zone="America/Bogota"):
        drivers.append(make_driver(lang, size, zone))
        return drivers[-1]
    yield make
    for d in drivers:
        d.quit()
        shutil.rmtree(d.kf_profile, ignore_errors=True)


@pytest.fixture
def shots():
    os.makedirs(SCREENSHOTS, exist_ok=True)

    def take(driver, name):
        time.sleep(0.2)   # let transitions and fonts settle
        w, h = driver.kf_size
        path = os.path.join(SCREENSHOTS, "%s-%dx%d.png" % (name, w, h))
        driver.save_screenshot(path)
        # the docs show some of these pages: a screenshot docs/images holds is replaced by
        # this run's, so the pictures stay true of the pages (commit them when they change)
        shown = os.path.join(DOC_IMAGES, os.path.basename(path))
        if os.path.exists(shown):
            shutil.copyfile(path, shown)
        return path
    return take


class Contract:
    def __init__(self, port):
        self.url = "http://localhost:%d" % port
        self.link_url = self.url + "/book/" + contract_api.LINK
        self.link = contract_api.LINK

    def _post(self, path, body):
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def config(self, **kw):
        return self._post("/_contract/config", kw)

    def take(self, start):
        return self._post("/_contract/take", {"start": start})

    def return_url(self, url):
        """The business's return URL (None: it has none)."""
        return self._post("/_contract/return_url", {"url": url})


@pytest.fixture(scope="session")
def contract_server():
    srv, port = contract_api.serve(0)
    yield Contract(port)
    srv.shutdown()


@pytest.fixture
def contract(contract_server):
    contract_server.config(reset=True, hold_ttl=600, link_state="ok", policy={})
    yield contract_server
    contract_server.config(reset=True, hold_ttl=600, link_state="ok", policy={})


# ---------------------------------------------------------------- page helpers

def wait(driver, cond, timeout=15, msg=""):
    """Polls cond until it is truthy. An element replaced by a re-render while it was looked
    at means "not yet", not a failure (pages redraw after each answer and each tick)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1,
                         ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: cond(d), msg)


def wait_css(driver, css, timeout=15):
    return wait(driver, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None),
                timeout, "no visible %s" % css)


def wait_text(driver, css, text, timeout=15):
    def found(d):
        for e in d.find_elements(By.CSS_SELECTOR, css):
            if text in e.text:
                return e
        return None
    return wait(driver, found, timeout, "no %s containing %r" % (css, text))


def heading(driver):
    return wait_css(driver, "main h1").text


def click(driver, el):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def click_css(driver, css, timeout=15):
    """Clicks the visible element `css`, found again when a re-render replaced it between the
    finding and the click (a choice above it redraws the days, say)."""
    def clicked(d):
        el = next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None)
        if el is not None:
            click(d, el)
        return el
    return wait(driver, clicked, timeout, "no visible %s to click" % css)


def continue_button(driver):
    return driver.find_element(By.ID, "continue")


def no_horizontal_scroll(driver):
    """Nothing wider than the screen. Measured against the size set by resize(): under the phone
    emulation the layout viewport (window.innerWidth) grows to fit what overflows."""
    width = getattr(driver, "kf_size", (None,))[0]
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= (arguments[0] || window.innerWidth)", width)


def in_view(driver, el):
    """The element is on screen as it stands: inside the viewport and, for what is not in
    the sticky action bar, above that bar."""
    return driver.execute_script("""
      const r = arguments[0].getBoundingClientRect();
      const bar = document.getElementById('actions');
      const barTop = bar && !bar.hidden && !bar.contains(arguments[0])
        ? bar.getBoundingClientRect().top : window.innerHeight;
      return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
        && r.bottom <= Math.min(window.innerHeight, barTop) && r.right <= window.innerWidth;""", el)


def pause_clock(driver):
    """Stops the page's clock (Chrome's virtual time): its timers wait for advance_clock."""
    driver.execute_cdp_cmd("Emulation.setVirtualTimePolicy", {"policy": "pause"})


def advance_clock(driver, ms):
    """Lets the page's timers run `ms` of virtual time at once (Chrome's virtual time): what
    a countdown does in that time, without waiting for it; then the clock stops again.
    Returns when the page's clock has moved that far."""
    def now(d):
        try:
            return d.execute_script("return Date.now()")
        except WebDriverException:      # between two pages
            return None
    before = now(driver)
    driver.execute_cdp_cmd("Emulation.setVirtualTimePolicy", {"policy": "advance", "budget": ms})
    wait(driver, lambda d: (now(d) or 0) - before >= ms - 50, 10, "the page's clock did not advance")


def console_errors(driver):
    """SEVERE browser console lines (CSP violations, script errors, failed loads), but a
    page's question whether its visitor is signed in answered "no" (signed_in_probe)."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and not signed_in_probe(e["message"])]


def signed_in_probe(message):
    """A console line of a page asking whether its visitor is signed in (the booking page and
    the portal ask GET /api/public/me/..., the dashboard /api/auth/me: the sessions are HttpOnly
    cookies, only the server can tell), which Chromium logs as a failed load when nobody is."""
    return "status of 401" in message and ("/api/public/me/" in message or "/api/auth/me" in message)


def stored_in_browser(driver):
    """Everything this origin keeps in sessionStorage, localStorage and cookies, as one text."""
    return driver.execute_script(
        "const all = (s) => Object.keys(s).map((k) => k + '=' + s.getItem(k)).join('\\n');"
        "return [all(window.sessionStorage), all(window.localStorage), document.cookie].join('\\n');")


def assert_no_personal_data_stored(driver, *values):
    """The customer's details never reach browser storage (only opaque ids and tokens)."""
    stored = stored_in_browser(driver)
    for value in values:
        assert value not in stored, "%r is kept in browser storage: %s" % (value, stored)
