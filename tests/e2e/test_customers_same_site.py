"""The portal's and the unsubscribe's POSTs come from their own pages, with their own body
(API.md "Customer portal ("my bookings") and preferences"): a request of another site's page
(Origin not the tenant's host, or Sec-Fetch-Site: cross-site) is 403 forbidden_origin, a body
of another type than JSON (or, for the one-click unsubscribe, RFC 8058's form) is 415, and
neither changes anything. A mail provider's one-click POST carries neither header and goes
through. The session cookie is SameSite=Lax, which a sibling tenant's page is not kept from:
the Origin is what tells its requests apart."""
import time

import pytest

from conftest import psql
from customers_support import Customer, book, free_scenario, new_email, sign_in_link
from test_booking_mails import mails_to, text_of
from test_customers_opt_out import FORM, ONE_CLICK, unsubscribe_url
from test_messaging import Business

ELSEWHERE = "https://attacker.example"
CROSS_SITE = [
    pytest.param({"Origin": ELSEWHERE}, id="origin-elsewhere"),
    pytest.param({"Sec-Fetch-Site": "cross-site"}, id="sec-fetch-site"),
    pytest.param({"Origin": "null"}, id="origin-null"),
]


def own_origin(me):
    """The tenant's host as its own pages name it."""
    return "http://%s:%d" % (me.api.host, me.api.port)


def same_site(me):
    return {"Origin": own_origin(me), "Sec-Fetch-Site": "same-origin"}


def refused(r, status, code):
    return r.status_code == status and r.json()["error"]["code"] == code


def preferences(tenant_id, email):
    return psql("SELECT reminders_email, reminders_text, coalesce(locale, '-') FROM customer_preferences"
                " WHERE tenant_id = :'p1' AND email = :'p2'", tenant_id, email)


@pytest.fixture
def signed_in(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    book(sc, email)
    me = Customer(api, sc.subdomain, email).sign_in(maildir, n=2)
    me.tenant_id = sc.tenant_id
    return me


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_page_of_another_site_changes_no_preference(signed_in, headers):
    me = signed_in
    assert me.patch("/api/public/me/preferences", json={"reminders_email": True}).status_code == 200
    before = preferences(me.tenant_id, me.email)
    r = me.patch("/api/public/me/preferences", json={"reminders_email": False, "locale": "en"},
                 headers=headers)
    assert refused(r, 403, "forbidden_origin"), r.text
    assert r.json()["error"]["message"]
    assert preferences(me.tenant_id, me.email) == before == "t|t|-"
    assert me.get("/api/public/me/preferences").json()["reminders_email"] is True


def test_a_sibling_tenants_page_is_another_site(api, signed_in):
    me = signed_in
    sibling = "http://otra-%s.%s:%d" % (me.api.host.split(".")[0], api.base_domain, me.api.port)
    r = me.patch("/api/public/me/preferences", json={"reminders_email": False},
                 headers={"Origin": sibling, "Sec-Fetch-Site": "same-site"})
    assert refused(r, 403, "forbidden_origin"), r.text
    # another port or scheme of the same name is another origin too
    r = me.patch("/api/public/me/preferences", json={"reminders_email": False},
                 headers={"Origin": "http://%s:1" % me.api.host})
    assert refused(r, 403, "forbidden_origin"), r.text
    assert me.get("/api/public/me/preferences").json()["reminders_email"] is True


def test_the_portals_own_page_changes_preferences(signed_in):
    me = signed_in
    r = me.patch("/api/public/me/preferences", json={"reminders_email": False, "locale": "en"},
                 headers=same_site(me))
    assert r.status_code == 200, r.text
    assert r.json() == {"reminders_email": False, "reminders_text": True, "locale": "en"}
    # the host named in any case, with the scheme's port written out or not
    r = me.patch("/api/public/me/preferences", json={"reminders_text": False},
                 headers={"Origin": own_origin(me).upper().replace("HTTP://", "http://")})
    assert r.status_code == 200, r.text
    assert preferences(me.tenant_id, me.email) == "f|f|en"


@pytest.mark.parametrize("content_type, body", [
    ("text/plain", '{"reminders_email": false}'),
    ("application/x-www-form-urlencoded", "reminders_email=false"),
    ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="reminders_email"'
                                        '\r\n\r\nfalse\r\n--x--\r\n'),
], ids=["text-plain", "urlencoded", "multipart"])
def test_a_body_that_is_not_json_changes_no_preference(signed_in, content_type, body):
    me = signed_in
    r = me.patch("/api/public/me/preferences", data=body,
                 headers=dict(same_site(me), **{"Content-Type": content_type}))
    assert refused(r, 415, "unsupported_media_type"), r.text
    assert me.get("/api/public/me/preferences").json()["reminders_email"] is True
    assert preferences(me.tenant_id, me.email) == ""


def test_sign_in_and_sign_out_from_another_site_do_nothing(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    book(sc, email)
    me = Customer(api, sc.subdomain, email)
    # asking for a link: no mail
    r = me.api.post("/api/public/me/login", json={"email": email}, headers={"Origin": ELSEWHERE})
    assert refused(r, 403, "forbidden_origin"), r.text
    r = me.api.post("/api/public/me/login", data='{"email": "%s"}' % email,
                    headers={"Content-Type": "text/plain"})
    assert refused(r, 415, "unsupported_media_type"), r.text
    mails_to(maildir, email, n=1)                          # the confirmation
    time.sleep(1)
    assert [m for m in maildir.new(to=email) if "/book/me?token=" in text_of(m)] == []
    # the link is not used up by a cross-site request, and then signs in from the page
    assert me.api.post("/api/public/me/login", json={"email": email},
                       headers=same_site(me)).status_code == 202
    _, token = sign_in_link(maildir, email, n=2)
    r = me.api.post("/api/public/me/session", json={"token": token},
                    headers={"Sec-Fetch-Site": "cross-site"})
    assert refused(r, 403, "forbidden_origin"), r.text
    assert "Set-Cookie" not in r.headers
    assert me.session(token).status_code == 200
    # signing out: another site's page, or a form, leaves the session alive
    for headers in ({"Origin": ELSEWHERE}, {"Sec-Fetch-Site": "cross-site"}):
        r = me.post("/api/public/me/logout", headers=headers)
        assert refused(r, 403, "forbidden_origin"), r.text
    r = me.post("/api/public/me/logout", data="x=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert refused(r, 415, "unsupported_media_type"), r.text
    assert me.get("/api/public/me/preferences").status_code == 200
    # the page's own sign-out: no body, from its own origin
    assert me.post("/api/public/me/logout", headers=same_site(me)).status_code == 204
    assert me.get("/api/public/me/preferences").status_code == 401


def test_an_erasure_is_asked_from_the_portals_own_page_only(signed_in):
    me = signed_in
    for headers in ({"Origin": ELSEWHERE}, {"Sec-Fetch-Site": "cross-site"},
                    {"Content-Type": "text/plain"}):
        r = me.post("/api/public/me/erasure", data="{}" if "Content-Type" in headers else None,
                    headers=headers)
        assert r.status_code in (403, 415), r.text
    assert psql("SELECT count(*) FROM erasure_requests WHERE tenant_id = :'p1'", me.tenant_id) == "0"
    r = me.post("/api/public/me/erasure", headers=same_site(me))
    assert r.status_code == 202, r.text
    assert psql("SELECT count(*) FROM erasure_requests WHERE tenant_id = :'p1'", me.tenant_id) == "1"


@pytest.fixture
def reminded(api, stack, maildir):
    """A reminder mail's one-click URL (path and query) and host, and its customer."""
    biz = Business(api, stack)
    _, email = biz.booking_due()
    _, reminder = mails_to(maildir, email, n=2)
    url = unsubscribe_url(reminder)
    host = url.split("/")[2]
    return {"path": "/" + url.split("/", 3)[3], "host": host.split(":")[0], "origin": "http://" + host,
            "tenant": biz.sc.tenant_id, "email": email}


def reminders_on(reminded):
    return psql("SELECT reminders_email FROM customer_preferences WHERE tenant_id = :'p1'"
                " AND email = :'p2'", reminded["tenant"], reminded["email"])


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_another_sites_page_unsubscribes_nobody(api, reminded, headers):
    r = api.post(reminded["path"], host=reminded["host"], data=ONE_CLICK, headers=dict(FORM, **headers))
    assert refused(r, 403, "forbidden_origin"), r.text
    assert reminders_on(reminded) == "t"


@pytest.mark.parametrize("content_type, body", [
    ("text/plain", ONE_CLICK),
    (None, None),
    ("application/xml", "<List-Unsubscribe>One-Click</List-Unsubscribe>"),
], ids=["text-plain", "no-body", "xml"])
def test_an_unsubscribe_of_another_type_changes_nothing(api, reminded, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    r = api.post(reminded["path"], host=reminded["host"], data=body, headers=headers)
    assert refused(r, 415, "unsupported_media_type"), r.text
    assert "One-Click" in r.json()["error"]["message"]
    assert reminders_on(reminded) == "t"


def test_a_form_that_is_not_the_one_click_changes_nothing(api, reminded):
    r = api.post(reminded["path"], host=reminded["host"], data="List-Unsubscribe=Yes", headers=FORM)
    assert refused(r, 400, "validation_failed"), r.text
    assert "List-Unsubscribe" in r.json()["error"]["fields"]
    assert reminders_on(reminded) == "t"


def test_a_mail_providers_one_click_as_multipart_works(api, reminded):
    """RFC 8058: the POST SHOULD be multipart/form-data; no Origin, no Sec-Fetch-Site."""
    body = ('--kfb\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\n'
            'One-Click\r\n--kfb--\r\n')
    r = api.post(reminded["path"], host=reminded["host"], data=body,
                 headers={"Content-Type": "multipart/form-data; boundary=kfb"})
    assert r.status_code == 200, r.text
    assert r.json()["reminders_email"] is False
    assert reminders_on(reminded) == "f"


def test_the_pages_button_unsubscribes_with_json_from_its_own_origin(api, reminded):
    r = api.post(reminded["path"], host=reminded["host"], json={},
                 headers={"Origin": reminded["origin"], "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 200, r.text
    assert reminders_on(reminded) == "f"
