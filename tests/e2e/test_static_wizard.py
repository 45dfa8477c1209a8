"""The booking wizard's files as the module serves them (mod_kf_static.c): one HTML shell
for every /book path, /static files from KonfirmadoHtdocs, security headers, caching
validators, ranges, and no way out of the htdocs folder."""
import os
import socket

import pytest

CSP_PARTS = ["default-src 'self'", "img-src 'self' https: data:", "style-src 'self' 'unsafe-inline'",
             "form-action 'self'", "frame-ancestors 'none'"]


def shell_text(stack):
    with open(os.path.join(stack["KF_SRCDIR"], "htdocs", "book", "index.html"), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("path", ["/book/abcdefghijklmnop1234", "/book/abc/confirmation?booking=x&token=y",
                                  "/book", "/book/"])
def test_every_book_path_is_the_shell_with_the_page_headers(api, stack, path):
    r = api.get(path)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.text == shell_text(stack)
    csp = r.headers["Content-Security-Policy"]
    for part in CSP_PARTS:
        assert part in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Cache-Control"] == "no-cache"
    assert r.headers.get("ETag") and r.headers.get("Last-Modified")


def test_the_shell_has_no_inline_script(api):
    html = api.get("/book/whatever-link-0000").text
    assert '<script type="module" src="/static/wizard/app.js"></script>' in html
    assert "<script>" not in html and "onload=" not in html


def test_tenant_hosts_serve_the_same_pages(api, stack):
    r = api.get("/book/some-link-0123456789", tenant="acme")
    assert r.status_code == 200 and r.text == shell_text(stack)
    r = api.get("/static/wizard/app.js", tenant="acme")
    assert r.status_code == 200


@pytest.mark.parametrize("path,ctype", [("/static/wizard/app.js", "text/javascript"),
                                        ("/static/wizard/wizard.css", "text/css"),
                                        ("/static/demo/logo.svg", "image/svg+xml")])
def test_assets_have_their_types_and_nosniff(api, stack, path, ctype):
    r = api.get(path)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] in (ctype, "application/javascript")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    with open(os.path.join(stack["KF_SRCDIR"], "htdocs", path.lstrip("/")), "rb") as f:
        assert r.content == f.read()


def test_validators_and_ranges_come_from_the_default_handler(api):
    r = api.get("/static/wizard/app.js")
    etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
    assert api.get("/static/wizard/app.js", headers={"If-None-Match": etag}).status_code == 304
    assert api.get("/static/wizard/app.js", headers={"If-Modified-Since": modified}).status_code == 304
    part = api.get("/static/wizard/app.js", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == r.content[:10]
    assert part.headers["Content-Range"].startswith("bytes 0-9/")


@pytest.mark.parametrize("path", ["/static/wizard/nope.js", "/static/wizard/", "/static/wizard",
                                  "/static/.htaccess", "/static/wizard/.hidden", "/static/",
                                  "/static/wizard%2f..%2f..%2fbook%2findex.html",
                                  "/static/wizard/app.js%00.png", "/static/a%20b.js",
                                  "/static/..%5c..%5cetc%5cpasswd"])
def test_missing_dot_and_odd_paths_are_404(api, path):
    assert api.get(path).status_code == 404


def raw_get(stack, path):
    """A request line sent as is (requests would normalise the dots away)."""
    with socket.create_connection(("127.0.0.1", int(stack["KF_PORT"])), timeout=10) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n"
                   % (path, stack["KF_BASE_DOMAIN"], stack["KF_PORT"])).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return int(data.split(b" ", 2)[1]), data


@pytest.mark.allow_log(r"AH10244")
@pytest.mark.parametrize("path", ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                                  "/static/wizard/../../../etc/passwd", "/book/../../etc/passwd",
                                  "/static/./../../etc/passwd"])
def test_traversal_never_leaves_htdocs(stack, path):
    status, data = raw_get(stack, path)
    assert status in (400, 404)
    assert b"root:" not in data


def test_api_paths_are_still_the_routers(api):
    r = api.get("/api/health")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert "img-src 'self' https:" not in r.headers.get("Content-Security-Policy", "")


def test_other_paths_are_not_served_from_htdocs(api):
    assert api.get("/robots.txt").status_code == 404 or "Content-Security-Policy" not in api.get("/robots.txt").headers
    assert api.get("/bookings").status_code == 404
