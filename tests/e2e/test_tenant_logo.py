"""POST /api/admin/tenant/logo and the public logo URL: type checked by content, SVG made
harmless (refused when scripted, served with CSP sandbox), 2 MiB limit, caching headers."""
import hashlib
import socket
from urllib.parse import urlsplit

import pytest

from tenant_helpers import (SVG, SVG_WITH_SCRIPT, assert_error, audit_rows, logo_row, png,
                            png_of_size, tenant_row)

LOGO = "/api/admin/tenant/logo"
PNG_TYPE = {"Content-Type": "image/png"}
SVG_TYPE = {"Content-Type": "image/svg+xml"}
EN = {"Accept-Language": "en"}
MIB2 = 2 * 1024 * 1024


def public_path(logo_url):
    parts = urlsplit(logo_url)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_png_upload_is_stored_and_served(stack, merchant, api):
    data = png(16, 8)
    r = merchant.api.post(LOGO, data=data, headers=PNG_TYPE)
    assert r.status_code == 201, r.text
    url = r.json()["logo_url"]
    assert url.startswith(stack["KF_URL"] + "/api/public/tenants/%s/logo" % merchant.tenant_id)
    assert tenant_row(merchant.tenant_id)["logo_url"] == url
    assert merchant.api.get("/api/admin/tenant").json()["tenant"]["logo_url"] == url
    assert logo_row(merchant.tenant_id) == {"content_type": "image/png", "size": len(data),
                                            "sha256": hashlib.sha256(data).hexdigest()}

    got = api.get(public_path(url))                  # public: no session
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in got.headers["Cache-Control"] and "max-age=" in got.headers["Cache-Control"]
    etag = got.headers["ETag"]
    assert etag == '"%s"' % hashlib.sha256(data).hexdigest()
    again = api.get(public_path(url), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    head = api.request("HEAD", public_path(url))
    assert head.status_code == 200 and head.content == b""

    audit = [a for a in audit_rows(merchant.tenant_id) if a["action"] == "tenant.logo.update"]
    assert audit[0]["changes"]["logo_url"] == url and audit[0]["changes"]["size"] == len(data)


def test_svg_upload_is_served_sandboxed(merchant, api):
    r = merchant.api.post(LOGO, data=SVG.encode(), headers={"Content-Type": "image/svg+xml; charset=utf-8"})
    assert r.status_code == 201, r.text
    got = api.get(public_path(r.json()["logo_url"]))
    assert got.status_code == 200 and got.content == SVG.encode()
    assert got.headers["Content-Type"].startswith("image/svg+xml")
    csp = got.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox") and "default-src 'none'" in csp
    assert "script-src" not in csp
    assert got.headers["X-Content-Type-Options"] == "nosniff"


def test_a_new_logo_replaces_the_old_one_and_changes_the_url(merchant, api):
    first = merchant.api.post(LOGO, data=png(4, 4), headers=PNG_TYPE).json()["logo_url"]
    second = merchant.api.post(LOGO, data=SVG.encode(), headers=SVG_TYPE).json()["logo_url"]
    assert first != second
    # the path is the same; the version parameter busts caches
    assert urlsplit(first).path == urlsplit(second).path
    assert api.get(public_path(first)).headers["Content-Type"].startswith("image/svg+xml")
    assert logo_row(merchant.tenant_id)["content_type"] == "image/svg+xml"


def refused(merchant, data, headers, field_message=None):
    before_row, before_logo = tenant_row(merchant.tenant_id), logo_row(merchant.tenant_id)
    r = merchant.api.post(LOGO, data=data, headers=dict(headers, **EN))
    err = assert_error(r, 400, "validation_failed")
    assert list(err["fields"]) == ["logo"]
    if field_message:
        assert field_message in err["fields"]["logo"]
    assert tenant_row(merchant.tenant_id) == before_row
    assert logo_row(merchant.tenant_id) == before_logo
    return err


def test_a_png_declared_as_svg_is_refused(merchant):
    refused(merchant, png(), SVG_TYPE, "does not match")
    # and an SVG declared as PNG
    refused(merchant, SVG.encode(), PNG_TYPE, "does not match")


def test_a_png_renamed_to_svg_is_still_checked_by_content(merchant):
    """A file name means nothing: the bytes decide."""
    files_like = {"Content-Type": "image/svg+xml", "Content-Disposition": 'attachment; filename="logo.svg"'}
    refused(merchant, png(), files_like, "does not match")


@pytest.mark.parametrize("svg,message", [
    (SVG_WITH_SCRIPT, "scripts"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event attributes"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
     "javascript:"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
     "embed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<image xlink:href="https://tracker.example/p.png"/></svg>', "external"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     '<svg xmlns="http://www.w3.org/2000/svg">&e;</svg>', "DOCTYPE"),
    ('<html><script>alert(1)</script></html>', "neither a PNG nor an SVG"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "well-formed"),
])
def test_unsafe_svgs_are_refused(merchant, svg, message):
    refused(merchant, svg.encode(), SVG_TYPE, message)


def test_other_files_are_refused(merchant):
    refused(merchant, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", PNG_TYPE, "neither a PNG nor an SVG")
    refused(merchant, png()[:-5], PNG_TYPE, "PNG")              # truncated
    refused(merchant, b"", PNG_TYPE, "empty")
    r = merchant.api.post(LOGO, data=png(), headers={"Content-Type": "image/gif"})
    assert_error(r, 415, "unsupported_media_type")
    r = merchant.api.post(LOGO, data=png(), headers={"Content-Type": "application/octet-stream"})
    assert_error(r, 415, "unsupported_media_type")
    assert logo_row(merchant.tenant_id) is None


def test_exactly_2_mib_is_accepted(merchant):
    data = png_of_size(MIB2)
    assert len(data) == MIB2
    r = merchant.api.post(LOGO, data=data, headers=PNG_TYPE)
    assert r.status_code == 201, r.text
    assert logo_row(merchant.tenant_id)["size"] == MIB2


def test_2_mib_plus_1_is_413(stack, merchant):
    """Declared one byte over 2 MiB: refused before the body is read."""
    host = "%s:%s" % (stack["KF_BASE_DOMAIN"], stack["KF_PORT"])
    with socket.create_connection(("127.0.0.1", int(stack["KF_PORT"])), timeout=10) as s:
        s.sendall(("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: image/png\r\n"
                   "Cookie: kf_session=%s\r\nX-CSRF-Token: %s\r\nContent-Length: %d\r\n\r\n"
                   % (LOGO, host, merchant.session_token, merchant.csrf, MIB2 + 1)).encode())
        s.sendall(png()[:32])
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert b'"payload_too_large"' in body
    assert logo_row(merchant.tenant_id) is None


def test_2_mib_plus_1_sent_chunked_is_413(merchant):
    data = png_of_size(MIB2) + b"x"

    def chunks():
        for i in range(0, len(data), 65536):
            yield data[i:i + 65536]
    try:
        r = merchant.api.post(LOGO, data=chunks(), headers=PNG_TYPE)
    except Exception:       # the server may close before the client finished sending
        r = None
    if r is not None:
        assert_error(r, 413, "payload_too_large")
    assert logo_row(merchant.tenant_id) is None


def test_logo_needs_session_and_csrf(api, merchant):
    assert_error(api.post(LOGO, data=png(), headers=PNG_TYPE), 401, "unauthenticated")
    assert_error(merchant.api.post(LOGO, data=png(), headers=dict(PNG_TYPE, **{"X-CSRF-Token": "x"})),
                 403, "csrf_failed")
    assert logo_row(merchant.tenant_id) is None


def test_public_logo_of_unknown_tenants_is_404(api, merchant, other_merchant):
    assert merchant.api.post(LOGO, data=png(), headers=PNG_TYPE).status_code == 201
    assert_error(api.get("/api/public/tenants/%s/logo" % other_merchant.tenant_id), 404, "not_found")
    assert_error(api.get("/api/public/tenants/not-a-uuid/logo"), 404, "not_found")
    assert_error(api.get("/api/public/tenants/00000000-0000-4000-8000-000000000000/logo"), 404,
                 "not_found")
    # B's upload never touches A's logo
    assert other_merchant.api.post(LOGO, data=SVG.encode(), headers=SVG_TYPE).status_code == 201
    assert logo_row(merchant.tenant_id)["content_type"] == "image/png"
