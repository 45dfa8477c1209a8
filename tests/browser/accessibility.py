"""axe-core (npm, installed by ./dev) run inside the page as a person's browser has it: the
serious and critical violations of what is on screen now, in words a reader can act on."""
import os
import subprocess

import pytest

_AXE = None


def axe_source():
    """axe.min.js of the npm package `axe-core` installed globally (./dev's NPM_PACKAGES)."""
    global _AXE
    if _AXE is None:
        try:
            root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            root = ""
        path = os.path.join(root, "axe-core", "axe.min.js")
        if not os.path.exists(path):
            pytest.fail("axe-core is not installed (./dev installs it: npm install -g axe-core)")
        with open(path, encoding="utf-8") as f:
            _AXE = f.read()
    return _AXE


def serious_violations(driver, exclude=()):
    """[(rule, impact, help, [targets])] of WCAG 2.x A/AA rules at impact serious or critical.
    `exclude`: CSS selectors of what the page does not own (a provider's checkout frame)."""
    if not driver.execute_script("return !!window.axe"):
        # the pages' CSP allows no inline script: run it through the devtools, not a <script>
        driver.execute_cdp_cmd("Runtime.evaluate", {"expression": axe_source()})
    driver.set_script_timeout(60)
    result = driver.execute_async_script("""
      const done = arguments[arguments.length - 1];
      const context = arguments[0].length ? {exclude: arguments[0].map((s) => [s])} : document;
      axe.run(context, {resultTypes: ['violations'],
                        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
        .then((r) => done(r.violations.map((v) => [v.id, v.impact, v.help, v.nodes.map((n) => n.target.join(' '))])))
        .catch((e) => done([['axe-error', 'critical', String(e), []]]));""", list(exclude))
    return [v for v in result if v[1] in ("serious", "critical")]


def assert_accessible(driver, where, exclude=()):
    found = serious_violations(driver, exclude)
    assert not found, "%s: %s" % (where, "; ".join("%s (%s): %s at %s" % (r, i, h, ", ".join(t[:4]))
                                                  for r, i, h, t in found))
