"""Helpers of the dashboard's browser tests (not a test module): the stack, mails, the
log-in form, the status line and field errors as a person sees them."""
import importlib.util
import json
import os
import re
import secrets
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, SRCDIR, no_horizontal_scroll, resize, wait, wait_css  # noqa: F401 (re-exported)

_spec = importlib.util.spec_from_file_location("e2e_conftest", os.path.join(SRCDIR, "tests", "e2e", "conftest.py"))
e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e)

PASSWORD = "correct horse battery staple"


def e2e_helper(name):
    """An e2e helper module (booking_seed, payments_helpers): they import `conftest`, which
    here must be the e2e one, not the browser tests' own."""
    import importlib
    import sys
    e2e_dir = os.path.dirname(e2e.__file__)
    if e2e_dir not in sys.path:
        sys.path.append(e2e_dir)
    if name in sys.modules:
        return sys.modules[name]
    saved = sys.modules.get("conftest")
    sys.modules["conftest"] = e2e
    try:
        # booking_seed imports payments_helpers lazily: load it now, while `conftest` is e2e's
        importlib.import_module("payments_helpers")
        return importlib.import_module(name)
    finally:
        if saved is not None:
            sys.modules["conftest"] = saved


def stack_env():
    if not os.path.exists(e2e.STACK_ENV):
        pytest.skip("the stack is not up (tests/stack up)")
    env = e2e.read_stack_env()
    if not e2e._port_open(env["KF_PORT"]):
        pytest.skip("the stack is not up (tests/stack up)")
    return env


def new_email(prefix):
    return "%s-%s@example.com" % (prefix, secrets.token_hex(5))


def mail_link(maildir, address, path, timeout=30):
    """The /path?token= link of the newest mail to `address`."""
    end = time.time() + timeout
    while True:
        for m in reversed(maildir.new()):
            if address in str(m["To"]).lower():
                text = m.get_body(preferencelist=("plain",)).get_content()
                found = re.search(r"(https?://\S+/%s\?token=[A-Za-z0-9_-]+)" % re.escape(path), text)
                if found:
                    return found.group(1)
        if time.time() > end:
            pytest.fail("no %s mail to %s" % (path, address))
        time.sleep(0.2)


def field(d, name):
    """The visible input/select/textarea called `name` in the page's main area."""
    return wait(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "main [name='%s']" % name)
                                   if e.is_displayed()), None), 10, "no field %s" % name)


def type_into(d, name, text):
    el = field(d, name)
    el.clear()
    el.send_keys(text)
    return el


def choose(d, name, value):
    from selenium.webdriver.support.ui import Select
    Select(field(d, name)).select_by_value(value)


def submit(d):
    el = d.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()


def field_error(d, name, timeout=10):
    """The error text shown under field `name` (waits for it)."""
    css = "main .field[data-field='%s'] .field-error" % name
    return wait(d, lambda d: next((e.text for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed() and e.text), None),
                timeout, "no error under %s" % name)


def form_error(d, timeout=10):
    return wait(d, lambda d: next((e.text for e in d.find_elements(By.CSS_SELECTOR, "main .form-error") if e.is_displayed() and e.text), None),
                timeout, "no form error")


def toast(d, text, timeout=10):
    return wait(d, lambda d: text in d.find_element(By.ID, "toast").get_attribute("textContent"), timeout,
                "toast never said %r" % text)


def heading(d, text, timeout=15):
    return wait(d, lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "main h1") if text in e.text), None),
                timeout, "no heading %r" % text)


def link(d, text, timeout=10):
    """A visible link with exactly this text (waits for the page to draw it)."""
    return wait(d, lambda d: next((a for a in d.find_elements(By.LINK_TEXT, text) if a.is_displayed()), None),
                timeout, "no link %r" % text)


def log_in(d, base, email, password, next_path=None):
    d.get(base + "/dashboard/login" + ("?next=" + next_path if next_path else ""))
    type_into(d, "email", email)
    type_into(d, "password", password)
    submit(d)


def nav(d, text):
    """Follows a menu entry (opening the phone menu first when it is closed)."""
    button = d.find_element(By.ID, "menu-button")
    if button.is_displayed() and button.get_attribute("aria-expanded") != "true":
        button.click()
    link = wait(d, lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, "#nav a") if a.text == text and a.is_displayed()), None),
                10, "no menu entry %r" % text)
    link.click()


def register_fake_wompi(stack, name):
    """Test keys the fake Wompi knows (it checks them as the real one would)."""
    keys = {k: "%s_%s" % (p, secrets.token_hex(10)) for k, p in
            (("public_key", "pub_test"), ("private_key", "prv_test"), ("events_secret", "test_events"),
             ("integrity_secret", "test_integrity"))}
    fakes = stack["KF_FAKES_URL"].rstrip("/")
    with urllib.request.urlopen(fakes + "/_fakes/wompi/config", timeout=5) as r:
        known = dict(json.load(r).get("merchants") or {})
    known[keys["public_key"]] = {"id": 2000 + len(known), "name": name, "integrity_secret": keys["integrity_secret"],
                                 "events_secret": keys["events_secret"], "private_key": keys["private_key"]}
    # status None: no simulated outage left over by another test
    req = urllib.request.Request(fakes + "/_fakes/wompi/config", data=json.dumps({"merchants": known, "status": None}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req, timeout=5).close()
    return keys


def both_widths(d, shots, name):
    """Screenshots at 360x640 and 1280x800 (the page is the same; only the width changes),
    neither scrolling sideways."""
    size = d.kf_size
    for s in (MOBILE, DESKTOP):
        resize(d, s)
        time.sleep(0.2)
        assert no_horizontal_scroll(d), "%s scrolls sideways at %dx%d" % (name, s[0], s[1])
        shots(d, "dashboard-" + name)
    resize(d, size)


# ---------------------------------------------------------------- what fits on screen

def overflowing(d, css):
    """The elements under `css` whose content is wider than their box (text cut or spilling
    out: scrollWidth > clientWidth), each as "tag.class: text"."""
    return d.execute_script("""
      // what is there only for screen readers (a 1 px clipped box) is not on screen
      const shown = (el) => { for (let e = el; e; e = e.parentElement) {
        if (!e.getClientRects().length || e.getBoundingClientRect().width <= 1) return false; } return true; };
      return [...document.querySelectorAll(arguments[0])]
        .filter((el) => shown(el) && el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.tagName.toLowerCase() + '.' + el.className + ': ' + el.textContent.trim().slice(0, 60)
             + ' (' + el.scrollWidth + ' > ' + el.clientWidth + ')');""", css)


def broken_words(d, css):
    """Words under `css` split across two lines (a break inside a word, not at a space or at a
    break point the page offers with <wbr>): each as "word (n lines)"."""
    return d.execute_script("""
      const out = [];
      for (const root of document.querySelectorAll(arguments[0])) {
        if (!root.getClientRects().length) continue;
        const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walk.nextNode(); node; node = walk.nextNode()) {
          if (!node.parentElement.getClientRects().length) continue;
          const re = /\\S+/g;
          let m;
          while ((m = re.exec(node.data))) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
              .map((r) => Math.round(r.top)));
            if (tops.size > 1) out.push(m[0] + ' (' + tops.size + ' lines)');
          }
        }
      }
      return out;""", css)


def lines_of(d, el):
    """How many lines the element's text takes."""
    return d.execute_script("""
      const range = document.createRange();
      range.selectNodeContents(arguments[0]);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0)
        .map((r) => Math.round(r.top))).size;""", el)


def charts_drawn_for_their_width(d):
    """Every chart on the page is drawn for the width it has (one SVG unit to one pixel)."""
    return d.execute_script("""
      return [...document.querySelectorAll('svg.chart')].every((svg) => {
        const vb = svg.viewBox.baseVal;
        return vb && Math.abs(vb.width - svg.getBoundingClientRect().width) <= 1;
      });""")


def chart_label_problems(d, smallest=11):
    """Every text of every chart as the screen shows it: smaller than `smallest` px, outside
    its chart's box, or covering another text of the same chart; each as a sentence."""
    return d.execute_script("""
      const out = [];
      for (const svg of document.querySelectorAll('svg.chart')) {
        const box = svg.getBoundingClientRect();
        const seen = [];
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          const px = t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize);
          const name = JSON.stringify(t.textContent) + ' in ' + JSON.stringify(svg.querySelector('title').textContent);
          if (px < arguments[0] - 0.01) out.push(name + ' is ' + px.toFixed(1) + ' px');
          for (const sp of t.querySelectorAll('tspan')) {
            const spx = t.getScreenCTM().a * parseFloat(getComputedStyle(sp).fontSize);
            if (spx < arguments[0] - 0.01) out.push(JSON.stringify(sp.textContent) + ' of ' + name + ' is ' + spx.toFixed(1) + ' px');
          }
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
            out.push(name + ' is cut by the chart\\'s edge');
          for (const [o, on] of seen)
            if (r.left < o.right - 0.5 && o.left < r.right - 0.5 && r.top < o.bottom - 0.5 && o.top < r.bottom - 0.5)
              out.push(name + ' covers ' + on);
          seen.push([r, name]);
        }
      }
      return out;""", smallest)
