"""The customer's portal (API.md "Customer portal ("my bookings") and preferences"): a sign-in
link mailed to an address that booked, 15 minutes and once; the same answer for any address
(no enumeration); a 12-hour session cookie on the tenant's host only; the customer's bookings
in two tabs with their manage page, through which a booking is cancelled; preferences; 401
without the session. "Now" is moved the way the other suites move it: the rows' times."""
import time
from urllib.parse import urlsplit, parse_qs

import pytest

from conftest import psql
from booking_seed import today_plus
from customers_support import Customer, book, free_scenario, new_email, session_cookie, sign_in_link
from test_booking_mails import mails_to, text_of


def test_a_mailed_link_signs_in_once_and_lists_the_bookings(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    booking = book(sc, email)
    me = Customer(api, sc.subdomain, email.upper())      # the address as typed, any case
    r = me.login()
    assert r.status_code == 202 and r.json() == {"accepted": True}
    link, token = sign_in_link(maildir, email, n=2)       # after the confirmation
    assert link.startswith("http://%s.%s:" % (sc.subdomain, api.base_domain))
    [mail] = [m for m in maildir.new(to=email) if "/book/me" in text_of(m)]
    assert "15 minutos" in text_of(mail)

    r = me.session(token)
    assert r.status_code == 200 and r.json()["email"] == email
    value, attrs = session_cookie(r)
    assert len(value) >= 40
    assert set(attrs) >= {"Path=/", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=43200"}
    assert not [a for a in attrs if a.lower().startswith("domain")]   # this host only
    # used once
    again = Customer(api, sc.subdomain, email).session(token)
    assert again.status_code == 404 and again.json()["error"]["code"] == "token_not_found"

    [item] = me.bookings("upcoming")
    assert item["id"] == booking["id"] and item["status"] in ("paid", "confirmed")
    assert item["service"]["name"] == "Consulta general"
    assert item["professional"]["name"] == "Dra. Ana Restrepo"
    assert item["actions"] == ["cancel", "reschedule", "add_to_calendar", "book_again"]
    assert item["manage_url"].startswith("http") and "/book/manage/%s?token=" % booking["id"] in item["manage_url"]
    assert me.bookings() == me.bookings("upcoming")
    assert me.bookings("past") == []

    # the manage page's endpoints act on it: cancelled, and the tab says so
    manage_token = parse_qs(urlsplit(item["manage_url"]).query)["token"][0]
    r = api.post("/api/public/bookings/%s/cancel" % booking["id"],
                 headers={"Authorization": "Bearer " + manage_token}, json={})
    assert r.status_code == 200, r.text
    [item] = me.bookings("upcoming")
    assert item["status"] == "cancelled" and item["actions"] == ["book_again"]

    # a booking whose time passed is in the other tab, newest first
    psql("""UPDATE reservations SET starts_at = now() - interval '3 days',
              ends_at = now() - interval '3 days' + interval '45 minutes',
              blocked = tstzrange(now() - interval '3 days', now() - interval '3 days' + interval '45 minutes')
            WHERE id = :'p1'""", booking["id"])
    assert me.bookings("upcoming") == []
    assert [b["id"] for b in me.bookings("past")] == [booking["id"]]


def test_any_address_gets_the_same_answer_and_only_one_that_booked_gets_a_mail(api, maildir):
    sc = free_scenario(api)
    booked, stranger = new_email(), new_email()
    book(sc, booked)
    mails_to(maildir, booked)
    answers = [Customer(api, sc.subdomain, e).login() for e in (booked, stranger)]
    assert [(a.status_code, a.json()) for a in answers] == [(202, {"accepted": True})] * 2
    sign_in_link(maildir, booked, n=2)
    time.sleep(2)
    assert maildir.new(to=stranger) == []
    # an address that booked with another business only is a stranger here
    other = free_scenario(api)
    assert Customer(api, other.subdomain, booked).login().status_code == 202
    time.sleep(2)
    assert len([m for m in maildir.new(to=booked) if "/book/me" in text_of(m)]) == 1


def test_a_bad_address_is_a_field_error_and_the_platform_host_has_no_portal(api):
    sc = free_scenario(api)
    r = api.tenant(sc.subdomain).post("/api/public/me/login", json={"email": "not an address"})
    assert r.status_code == 400 and "email" in r.json()["error"]["fields"]
    r = api.tenant(sc.subdomain).post("/api/public/me/login", json={})
    assert r.status_code == 400 and "email" in r.json()["error"]["fields"]
    r = api.post("/api/public/me/login", json={"email": new_email()})
    assert r.status_code == 404


def test_an_expired_link_is_gone_and_another_tenants_host_does_not_know_it(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    book(sc, email)
    me = Customer(api, sc.subdomain, email)
    me.login()
    _, token = sign_in_link(maildir, email, n=2)
    other = free_scenario(api)
    r = Customer(api, other.subdomain, email).session(token)
    assert r.status_code == 404 and r.json()["error"]["code"] == "token_not_found"
    psql("UPDATE customer_sign_in_tokens SET expires_at = now() - interval '1 second'"
         " WHERE email = :'p1'", email)
    r = me.session(token)
    assert r.status_code == 410 and r.json()["error"]["code"] == "token_expired"
    assert "Set-Cookie" not in r.headers
    r = me.session("no-such-token-" + "x" * 30)
    assert r.status_code == 404 and r.json()["error"]["code"] == "token_not_found"


def test_sign_in_requests_are_limited_per_address(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    book(sc, email)
    me = Customer(api, sc.subdomain, email)
    codes = [me.login().status_code for _ in range(6)]
    assert codes == [202] * 5 + [429]
    r = me.login()
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # another address from the same client is still served
    assert Customer(api, sc.subdomain, new_email()).login().status_code == 202


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/public/me/bookings"), ("GET", "/api/public/me/preferences"),
    ("PATCH", "/api/public/me/preferences"), ("POST", "/api/public/me/logout"),
    ("GET", "/api/public/me/export"), ("POST", "/api/public/me/erasure")])
def test_without_a_session_every_call_is_401(api, method, path):
    sc = free_scenario(api)
    client = api.tenant(sc.subdomain)
    kw = {"json": {}} if method == "PATCH" else {}
    for headers in ({}, {"Cookie": "kf_customer=" + "A" * 43}):
        r = client.request(method, path, headers=headers, **kw)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


def test_a_session_ends_on_logout_after_12_hours_and_on_another_host(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    book(sc, email)
    me = Customer(api, sc.subdomain, email).sign_in(maildir, n=2)
    other = free_scenario(api)
    r = api.tenant(other.subdomain).get("/api/public/me/bookings",
                                        headers={"Cookie": "kf_customer=" + me.cookie})
    assert r.status_code == 401
    r = me.get("/api/public/me/bookings?scope=all")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parameter"
    psql("UPDATE customer_sessions SET expires_at = now() - interval '1 second' WHERE email = :'p1'", email)
    assert me.get("/api/public/me/bookings").status_code == 401
    me = Customer(api, sc.subdomain, email).sign_in(maildir, n=3)
    r = me.post("/api/public/me/logout")
    assert r.status_code == 204
    assert session_cookie(r)[0] == "" and "Max-Age=0" in session_cookie(r)[1]
    assert me.get("/api/public/me/bookings").status_code == 401


def test_preferences_are_read_and_changed(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    book(sc, email)
    me = Customer(api, sc.subdomain, email).sign_in(maildir, n=2)
    r = me.get("/api/public/me/preferences")
    assert r.status_code == 200
    assert r.json() == {"reminders_email": True, "reminders_text": True, "locale": "es"}
    r = me.patch("/api/public/me/preferences", json={"reminders_text": False, "locale": "en"})
    assert r.status_code == 200
    assert r.json() == {"reminders_email": True, "reminders_text": False, "locale": "en"}
    r = me.patch("/api/public/me/preferences", json={"reminders_email": False})
    assert r.json() == {"reminders_email": False, "reminders_text": False, "locale": "en"}
    assert me.get("/api/public/me/preferences").json() == r.json()
    # bad values change nothing
    r = me.patch("/api/public/me/preferences", json={"reminders_email": "yes", "locale": "fr"})
    assert r.status_code == 400 and set(r.json()["error"]["fields"]) == {"reminders_email", "locale"}
    assert me.get("/api/public/me/preferences").json() == {
        "reminders_email": False, "reminders_text": False, "locale": "en"}
    # the next sign-in mail speaks the customer's language
    me.login()
    mails = mails_to(maildir, email, n=3)
    assert mails[-1]["Subject"].startswith("Your link to your bookings")


def test_the_purge_job_deletes_sign_in_links_and_sessions_a_day_after_their_end(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    book(sc, email)
    me = Customer(api, sc.subdomain, email).sign_in(maildir, n=2)
    me.login()                                                  # a second link, never used
    sign_in_link(maildir, email, n=3)
    rows = lambda table: int(psql("SELECT count(*) FROM %s WHERE email = :'p1'" % table, email))
    assert rows("customer_sign_in_tokens") == 2 and rows("customer_sessions") == 1
    time.sleep(2)                                               # alive: kept
    assert rows("customer_sign_in_tokens") == 2 and rows("customer_sessions") == 1
    psql("UPDATE customer_sign_in_tokens SET expires_at = now() - interval '25 hours',"
         " used_at = CASE WHEN used_at IS NULL THEN NULL ELSE now() - interval '25 hours' END"
         " WHERE email = :'p1'", email)
    psql("UPDATE customer_sessions SET expires_at = now() - interval '25 hours' WHERE email = :'p1'", email)
    from payments_helpers import wait_for
    wait_for(lambda: rows("customer_sign_in_tokens") == 0 and rows("customer_sessions") == 0,
             what="expired links and sessions purged")


def test_a_past_booking_offers_no_calendar_and_keeps_its_state(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    booking = book(sc, email)
    me = Customer(api, sc.subdomain, email).sign_in(maildir, n=2)
    [item] = me.bookings("upcoming")
    assert "add_to_calendar" in item["actions"]
    psql("""UPDATE reservations SET starts_at = now() - interval '2 hours',
              ends_at = now() - interval '75 minutes',
              blocked = tstzrange(now() - interval '2 hours', now() - interval '75 minutes')
            WHERE id = :'p1'""", booking["id"])
    [item] = me.bookings("past")
    # not marked yet: still the customer's booking, but nothing left to put in a calendar
    assert item["status"] in ("paid", "confirmed")
    assert item["actions"] == ["book_again"]


def details_of(client, **kw):
    r = client.get("/api/public/me/details", **kw)
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Content-Type"].startswith("application/json")
    return r


def test_the_signed_in_customer_reads_their_own_details_on_this_host_only(api, maildir):
    sc = free_scenario(api)
    email = new_email()
    for day, name, phone in ((5, "María Pérez", "+573001112233"), (6, "María Pérez Gómez", "+573004445566")):
        hold = sc.hold(sc.slots(**{"from": today_plus(day), "days": 1})[0]["start"]).json()["hold"]
        assert sc.book(hold["token"], email=email, name=name, phone=phone).status_code == 201
    me = Customer(api, sc.subdomain, email).sign_in(maildir, n=3)
    r = details_of(me)
    # as the customer last gave them
    assert r.status_code == 200, r.text
    assert r.json() == {"name": "María Pérez Gómez", "email": email, "phone": "+573004445566"}

    # another customer of the same business reads theirs, never this one's
    other_email = new_email()
    hold = sc.hold(sc.slots(**{"from": today_plus(7), "days": 1})[0]["start"]).json()["hold"]
    assert sc.book(hold["token"], email=other_email, name="Pedro Ruiz", phone="+573007778899").status_code == 201
    other = Customer(api, sc.subdomain, other_email).sign_in(maildir, n=2)
    assert details_of(other).json() == {"name": "Pedro Ruiz", "email": other_email, "phone": "+573007778899"}

    # without the session, with a made-up one, on another business's host or the platform's:
    # no session there, and nothing of anybody
    elsewhere = free_scenario(api)
    for client, headers in ((api.tenant(sc.subdomain), {}),
                            (api.tenant(sc.subdomain), {"Cookie": "kf_customer=" + "A" * 43}),
                            (api.tenant(elsewhere.subdomain), {"Cookie": "kf_customer=" + me.cookie}),
                            (api, {"Cookie": "kf_customer=" + me.cookie})):
        r = details_of(client, headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated", r.text
        assert "María" not in r.text and email not in r.text

    # signed out: gone
    assert me.post("/api/public/me/logout").status_code == 204
    assert details_of(me).status_code == 401
