"""Booking pages in a merchant's own site (API.md "Replies, embedding, outages"): the tenant
setting embed_origins (validated, nothing changed on a bad one, audited), the frame-ancestors
of a link's booking pages per tenant on the platform and tenant hosts, every other page
unframeable always, the link's answer carrying the origins, and GET /embed.js."""
import os

import pytest

import booking_seed as bs
from conftest import psql
from tenant_helpers import assert_error, audit_rows

TENANT = "/api/admin/tenant"
EN = {"Accept-Language": "en"}


def frame_ancestors(r):
    csp = r.headers["Content-Security-Policy"]
    parts = [p.strip() for p in csp.split(";")]
    found = [p for p in parts if p.startswith("frame-ancestors ")]
    assert len(found) == 1, csp
    return found[0][len("frame-ancestors "):]


def set_origins(tid, origins):
    psql("UPDATE tenants SET embed_origins = :'p1'::text[] WHERE id = :'p2'",
         "{%s}" % ",".join(origins), tid)


def test_origins_are_set_normalized_shown_and_audited(merchant):
    assert merchant.api.get(TENANT).json()["tenant"]["embed_origins"] == []
    r = merchant.api.patch(TENANT, json={"embed_origins": ["https://Shop.Example.com/",
                                                          "http://localhost:8000",
                                                          "https://shop.example.com:8443"]})
    assert r.status_code == 200, r.text
    want = ["https://shop.example.com", "http://localhost:8000", "https://shop.example.com:8443"]
    assert r.json()["tenant"]["embed_origins"] == want
    assert merchant.api.get(TENANT).json()["tenant"]["embed_origins"] == want
    assert audit_rows(merchant.tenant_id)[-1]["changes"]["embed_origins"] == want
    r = merchant.api.patch(TENANT, json={"embed_origins": []})
    assert r.status_code == 200 and r.json()["tenant"]["embed_origins"] == []


@pytest.mark.parametrize("origins", [
    ["javascript:alert(1)"], ["https://a.com/path"], ["http://shop.com"],
    ["https://a.com", "https://A.com"], ["https://a%d.com" % i for i in range(11)],
    "https://a.com", None, [1], ["https://*.a.com"]])
def test_bad_origins_are_refused_and_nothing_changes(merchant, origins):
    merchant.api.patch(TENANT, json={"embed_origins": ["https://kept.example"]})
    r = merchant.api.patch(TENANT, json={"embed_origins": origins, "name": "Otro nombre"},
                           headers=EN)
    assert_error(r, 400, "validation_failed")
    assert list(r.json()["error"]["fields"]) == ["embed_origins"]
    t = merchant.api.get(TENANT).json()["tenant"]
    assert t["embed_origins"] == ["https://kept.example"] and t["name"] != "Otro nombre"


def test_a_links_pages_name_its_tenants_origins(api):
    tid, sub = bs.tenant()
    service = bs.service(tid, name="Consulta", price=0, charge="free")
    bs.professional(tid, name="Ana", services=[service])
    slug = bs.link(tid)
    pages = ["/book/%s" % slug, "/book/%s/confirmation?booking=x&token=y" % slug,
             "/book/%s/assistant" % slug, "/book/%s?package=p" % slug]
    for page in pages:   # nothing listed: as before, nobody may frame them
        r = api.get(page)
        assert r.status_code == 200
        assert frame_ancestors(r) == "'none'" and r.headers["X-Frame-Options"] == "DENY"
    set_origins(tid, ["https://shop.example.com", "http://127.0.0.2:8123"])
    for page in pages:
        for r in (api.get(page), api.get(page, tenant=sub)):
            assert r.status_code == 200
            assert frame_ancestors(r) == "https://shop.example.com http://127.0.0.2:8123"
            assert "X-Frame-Options" not in r.headers
            assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    # the link's answer names them: the only parents the framed page posts to
    link = api.get("/api/public/links/%s" % slug).json()
    assert link["tenant"]["embed_origins"] == ["https://shop.example.com", "http://127.0.0.2:8123"]


def test_other_pages_are_never_framed(api):
    tid, sub = bs.tenant()
    slug = bs.link(tid, service_id=bs.service(tid))
    set_origins(tid, ["https://shop.example.com"])
    other_tid, other_sub = bs.tenant()
    for path, host in [("/book/me", sub), ("/book/manage/x?token=y", sub),
                       ("/book/purchase/x", sub), ("/book/unsubscribe", sub), ("/dashboard", None),
                       ("/dashboard/business", sub), ("/verify-email", None),
                       ("/book/%s/other" % slug, sub),
                       # another tenant's host does not serve this tenant's framing
                       ("/book/%s" % slug, other_sub)]:
        r = api.get(path, tenant=host)
        assert frame_ancestors(r) == "'none'", path
        assert r.headers["X-Frame-Options"] == "DENY", path


def test_embed_js_is_served_on_every_host_as_a_cacheable_script(api, stack):
    tid, sub = bs.tenant()
    with open(os.path.join(stack["KF_SRCDIR"], "htdocs", "static", "embed.js"), encoding="utf-8") as f:
        text = f.read()
    for r in (api.get("/embed.js"), api.get("/embed.js", tenant=sub)):
        assert r.status_code == 200
        assert r.headers["Content-Type"].split(";")[0] in ("application/javascript", "text/javascript")
        assert r.content == text.encode() and b"data-konfirmado-link" in r.content
        assert r.content.isascii()   # read right whatever the merchant page's charset
        assert r.headers["Cache-Control"] == "public, max-age=300"
        assert r.headers.get("ETag")
        assert api.get("/embed.js", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    for path in ("/embed.js/", "/embed.js/x", "/embed.jsx"):
        assert api.get(path).status_code == 404, path
    assert api.get("/embed.js", host="unknown.example").status_code == 404
