"""The dashboard's files, without a browser: every text a page asks for exists in Spanish
and in English, and the first load (the shell, its CSS, the modules app.js imports and the
home page's) stays under 150 KB."""
import os
import re

HTDOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "htdocs")
DASH = os.path.join(HTDOCS, "static", "dashboard")
IMPORT = re.compile(r"""^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}/[^'"]+)['"]""", re.M)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def js_files():
    for root, _, names in os.walk(DASH):
        for n in names:
            if n.endswith(".js"):
                yield os.path.join(root, n)


def message_blocks(text):
    """{lang: set of keys} of the `es: {...}` / `en: {...}` blocks of a module."""
    out = {"es": set(), "en": set()}
    for lang in out:
        for m in re.finditer(r"\b%s:\s*\{(.*?)\n\s*\}," % lang, text, re.S):
            out[lang].update(re.findall(r"(?:^|,)\s*(\w+):\s*['\"]", m.group(1), re.M))
    return out


def test_every_text_exists_in_both_languages():
    shared = message_blocks(read(os.path.join(DASH, "i18n.js")))
    assert len(shared["es"]) > 50 and shared["es"] == shared["en"], shared["es"] ^ shared["en"]
    # and the words every page shares (../shared/i18n.js, under the dashboard's own)
    everyone = message_blocks(read(os.path.join(HTDOCS, "static", "shared", "i18n.js")))
    assert everyone["es"] and everyone["es"] == everyone["en"], everyone["es"] ^ everyone["en"]
    shared = {lang: shared[lang] | everyone[lang] for lang in shared}
    missing = []
    for path in js_files():
        text = read(path)
        own = message_blocks(text) if "addMessages(" in text else {"es": set(), "en": set()}
        assert own["es"] == own["en"], (path, own["es"] ^ own["en"])
        # t('status_' + status): a family of keys, checked below by its members
        used = set(re.findall(r"\bt\(\s*'(\w+)'(?!\s*\+)", text))
        for key in used:
            if key not in shared["es"] and key not in own.get("es", set()):
                missing.append("%s: %s" % (os.path.relpath(path, DASH), key))
    for family, members in (("status_", ("pending_payment", "paid", "confirmed", "failed", "expired",
                                             "cancelled", "held")),):
        missing += [family + m for m in members if family + m not in shared["es"]]
    pros = message_blocks(read(os.path.join(DASH, "pages", "professionals.js")))["es"]
    missing += ["calendar_" + m for m in ("none", "pending", "connected", "error") if "calendar_" + m not in pros]
    assert missing == [], missing


def import_graph(start):
    seen, pending = set(), [start]
    while pending:
        path = os.path.normpath(pending.pop())
        if path in seen:
            continue
        seen.add(path)
        for rel in IMPORT.findall(read(path)):
            pending.append(os.path.join(os.path.dirname(path), rel))
    return seen


def test_the_first_load_is_under_150_kb():
    files = import_graph(os.path.join(DASH, "app.js")) | import_graph(os.path.join(DASH, "pages", "home.js"))
    files |= {os.path.join(HTDOCS, "dashboard", "index.html"), os.path.join(DASH, "dashboard.css")}
    total = sum(os.path.getsize(f) for f in files)
    assert total < 150 * 1024, "first load is %d bytes: %s" % (total, sorted(files))
    # and the pages are loaded on demand, not by app.js
    assert not any("/pages/" in f for f in import_graph(os.path.join(DASH, "app.js")))
