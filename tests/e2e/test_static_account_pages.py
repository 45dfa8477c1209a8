"""The pages the account mails link to (KonfirmadoPublicURL + /verify-email?token=,
/reset-password?token=): served by the module from KonfirmadoHtdocs/account on the platform
host, with the wizard's page headers; tenant hosts do not serve them. The pages themselves
are driven in tests/browser/test_account_pages.py."""
import os

import pytest

PAGES = {"/verify-email": "verify-email.html", "/reset-password": "reset-password.html"}


def page_text(stack, name):
    with open(os.path.join(stack["KF_SRCDIR"], "htdocs", "account", name), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("path", sorted(PAGES))
def test_the_mail_links_are_pages_on_the_platform_host(api, stack, path):
    r = api.get(path + "?token=x")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.text == page_text(stack, PAGES[path])
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Referrer-Policy"] == "no-referrer"       # the token stays on this page
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-cache"
    assert "<script>" not in r.text
    assert '<script type="module" src="/static/account/' in r.text
    assert api.get(path).status_code == 200                     # the page explains a missing token


def test_verify_email_page_is_html(api):
    r = api.get("/verify-email?token=x")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/static/account/verify-email.js", "/static/account/reset-password.js",
                                  "/static/account/page.js", "/static/account/i18n.js",
                                  "/static/account/account.css", "/static/wizard/api.js",
                                  "/static/shared/i18n.js", "/static/shared/base.css"])
def test_their_assets_are_served(api, path):
    assert api.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/verify-email/", "/verify-email/x", "/reset-password/",
                                  "/verify-email.html", "/account/verify-email.html",
                                  "/account/reset-password.html"])
def test_only_the_exact_paths_are_pages(api, path):
    assert api.get(path).status_code == 404


@pytest.mark.parametrize("path", sorted(PAGES))
def test_tenant_hosts_do_not_serve_them(api, path):
    assert api.get(path + "?token=x", tenant="acme").status_code == 404
