"""A booking's tokens (its browser's and the manage link of its mails) open it until 30 days
after its end; after that its status, manage actions and ICS answer 410 token_expired and
change nothing. The pages send the token as a Bearer header, so it stays out of access logs;
API.md's ?token= addresses keep working."""
import hashlib
import os
import secrets

from calendar_support import day_in, query_of
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql


def booked(shop):
    date, ten = day_in(4)
    return shop.book(shop.slots(date)[0])


def end_days_ago(booking_id, days):
    """Moves the booking into the past: it ended `days` days ago (plus a minute)."""
    psql("UPDATE reservations SET starts_at = now() - make_interval(days => :'p1'::int,"
         " mins => 31), ends_at = now() - make_interval(days => :'p1'::int, mins => 1),"
         " blocked = tstzrange(now() - make_interval(days => :'p1'::int, mins => 31),"
         "   now() - make_interval(days => :'p1'::int, mins => 1))"
         " WHERE id = :'p2'", days, booking_id)


def bearer(token):
    return {"Authorization": "Bearer " + token}


def test_the_status_reads_a_bearer_token_or_the_query(shop):
    b = booked(shop)
    r = shop.api.get("/api/public/bookings/%s" % b["id"], headers=bearer(b["token"]))
    assert r.status_code == 200 and r.json()["booking"]["id"] == b["id"]
    assert shop.api.get("/api/public/bookings/%s" % b["id"],
                        params={"token": b["token"]}).status_code == 200
    r = shop.api.get("/api/public/bookings/%s" % b["id"], headers=bearer("x" * 43))
    assert r.status_code == 404 and r.json()["error"]["code"] == "booking_not_found"


def test_tokens_open_the_booking_until_30_days_after_its_end(shop):
    b = booked(shop)
    end_days_ago(b["id"], 29)
    assert shop.api.get("/api/public/bookings/%s" % b["id"],
                        headers=bearer(b["token"])).status_code == 200
    end_days_ago(b["id"], 30)
    # the completion job may mark the ended booking completed meanwhile: what the refused
    # cancel and reschedule must leave is a booking neither cancelled nor moved
    before = psql("SELECT starts_at FROM reservations WHERE id = :'p1'", b["id"])
    for r in (shop.api.get("/api/public/bookings/%s" % b["id"], headers=bearer(b["token"])),
              shop.api.get("/api/public/bookings/%s" % b["id"], params={"token": b["token"]}),
              shop.api.get("/api/public/bookings/%s/calendar.ics" % b["id"],
                           params={"token": b["token"]}),
              shop.api.post("/api/public/bookings/%s/cancel" % b["id"], json={},
                            headers=bearer(b["token"])),
              shop.api.post("/api/public/bookings/%s/reschedule" % b["id"],
                            json={"hold_token": "h" * 43}, headers=bearer(b["token"]))):
        assert r.status_code == 410, (r.request.url, r.text)
        assert r.json()["error"]["code"] == "token_expired"
    assert psql("SELECT status <> 'cancelled', starts_at FROM reservations WHERE id = :'p1'",
                b["id"]) == "t|" + before
    # a wrong token still learns nothing about the booking
    r = shop.api.get("/api/public/bookings/%s" % b["id"], headers=bearer("y" * 43))
    assert r.status_code == 404


def test_the_manage_token_of_the_mails_expires_too(shop):
    b = booked(shop)
    token = secrets.token_urlsafe(32)
    psql("UPDATE reservations SET manage_token_hash = :'p1' WHERE id = :'p2'",
         hashlib.sha256(token.encode()).hexdigest(), b["id"])
    assert shop.api.get("/api/public/bookings/%s" % b["id"], headers=bearer(token)).status_code == 200
    end_days_ago(b["id"], 31)
    r = shop.api.get("/api/public/bookings/%s" % b["id"], params={"token": token})
    assert r.status_code == 410 and r.json()["error"]["code"] == "token_expired"


def test_the_access_log_keeps_no_token(shop, stack):
    """The stack logs with the LogFormat docs/operating.md recommends: no query string, and a
    calendar invitation's token masked in its paths."""
    access_log = os.path.join(os.path.dirname(stack["KF_ERROR_LOG"]), "access_log")
    b = booked(shop)
    invitation = shop.invite()
    shop.api.get("/api/public/bookings/%s" % b["id"], params={"token": b["token"]})
    shop.api.get("/api/public/bookings/%s/calendar.ics" % b["id"], params={"token": b["token"]})
    shop.api.get("/api/public/invitations/%s" % invitation)
    shop.api.get("/connect-calendar/%s" % invitation)
    start = shop.api.get("/api/oauth/google/start", params={"invitation": invitation})
    state = query_of(start.headers["Location"])["state"]
    shop.api.get("/api/oauth/google/callback", params={"error": "access_denied", "state": state})
    with open(access_log, encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert "/api/public/bookings/%s/calendar.ics " % b["id"] in log
    assert "/api/public/invitations/*** " in log and "/connect-calendar/*** " in log
    for secret in (b["token"], invitation, state):
        assert secret not in log


def test_a_host_without_the_engine_logs_the_path_never_the_token(api, stack):
    """The site's plain-HTTP redirect (conf/example-vhost.conf's :80 host, engine off) receives
    the mails' links too and logs with the same format: their path, never their token. The
    stack's other site has the engine off and the stack's log format."""
    booking, token, invitation = "7d5b3c1e-0000-4000-8000-%012d" % secrets.randbelow(10 ** 12), \
        secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    other = api.with_host("other-site.localhost")
    other.get("/book/manage/%s" % booking, params={"token": token})
    other.get("/connect-calendar/%s" % invitation)
    with open(stack["KF_ACCESS_LOG"], encoding="utf-8", errors="replace") as f:
        log = [line for line in f if " other-site.localhost:" in line]
    assert [line for line in log if '"GET /book/manage/%s HTTP/1.1" 404 ' % booking in line]
    assert [line for line in log if '"GET /connect-calendar/*** HTTP/1.1" 404 ' in line]
    for secret in (token, invitation):
        assert not [line for line in log if secret in line]
