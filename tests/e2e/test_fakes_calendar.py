"""The calendar fakes themselves (tests/fakes/google.py, microsoft.py, calcom.py), through HTTP:
OAuth round trips, free/busy, events, push notifications to a receiver started here."""
import base64
import hashlib
import hmac
import importlib
import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from receiver_support import receiver  # noqa: F401  (fixture)

T = 10


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


DAY = datetime(2031, 3, 10, tzinfo=timezone.utc)


def at(hour, minute=0):
    return iso(DAY + timedelta(hours=hour, minutes=minute))


# ---------------------------------------------------------------------------------- Google

G_CLIENT = "konfirmado-test.apps.googleusercontent.com"
G_SECRET = "google-test-secret"
G_REDIRECT = "http://konfirmado.localhost:8080/api/oauth/google/callback"
G_SCOPE = "https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.readonly"


def google_code(fakes, account="pro@example.com", redirect=G_REDIRECT, state="st-1"):
    base = fakes.base("google")
    page = requests.get(base + "/o/oauth2/v2/auth", params={
        "client_id": G_CLIENT, "redirect_uri": redirect, "response_type": "code",
        "scope": G_SCOPE, "access_type": "offline", "prompt": "consent", "state": state},
        timeout=T)
    assert page.status_code == 200, page.text
    r = requests.post(base + "/o/oauth2/v2/auth/decide", data={
        "client_id": G_CLIENT, "redirect_uri": redirect, "scope": G_SCOPE, "state": state,
        "email": account, "decision": "allow"}, allow_redirects=False, timeout=T)
    assert r.status_code == 302
    loc = urlsplit(r.headers["Location"])
    q = {k: v[0] for k, v in parse_qs(loc.query).items()}
    assert r.headers["Location"].startswith(redirect + "?")
    assert q["state"] == state and q["scope"] == G_SCOPE
    return q["code"]


def google_tokens(fakes, account="pro@example.com"):
    code = google_code(fakes, account)
    r = requests.post(fakes.base("google") + "/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": G_CLIENT,
        "client_secret": G_SECRET, "redirect_uri": G_REDIRECT}, timeout=T)
    assert r.status_code == 200, r.text
    return r.json()


def gcal(fakes, method, path, token, **kw):
    return requests.request(method, fakes.base("google") + "/calendar/v3" + path,
                            headers={"Authorization": "Bearer " + token}, timeout=T, **kw)


def test_google_consent_page(fakes):
    base = fakes.base("google")
    params = {"client_id": G_CLIENT, "redirect_uri": G_REDIRECT, "response_type": "code",
              "scope": G_SCOPE, "access_type": "offline", "prompt": "consent", "state": "s"}
    r = requests.get(base + "/o/oauth2/v2/auth", params=params, timeout=T)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = r.text
    assert "<title>Sign in – Google Accounts (fake)</title>" in page and 'lang="en"' in page
    assert '<form method="post" action="/google/o/oauth2/v2/auth/decide">' in page
    for needle in ('name="client_id"', 'name="redirect_uri"', 'name="scope"', 'name="state"',
                   'id="email"', 'value="pro@example.com"', 'id="allow"', 'id="deny"',
                   '<label for="email">Account</label>'):
        assert needle in page
    bad = requests.get(base + "/o/oauth2/v2/auth", params=dict(params, client_id="nope"), timeout=T)
    assert bad.status_code == 400 and "Error 400: invalid_request" in bad.text
    assert requests.get(base + "/o/oauth2/v2/auth", params=dict(params, response_type="token"),
                        timeout=T).status_code == 400
    nostate = {k: v for k, v in params.items() if k != "state"}
    assert requests.get(base + "/o/oauth2/v2/auth", params=nostate, timeout=T).status_code == 400
    fakes.config("google", clients={G_CLIENT: {"secret": G_SECRET, "redirect_uris": [G_REDIRECT]}})
    mism = requests.get(base + "/o/oauth2/v2/auth",
                        params=dict(params, redirect_uri="http://evil.example/cb"), timeout=T)
    assert mism.status_code == 400 and "redirect_uri_mismatch" in mism.text
    assert requests.get(base + "/o/oauth2/v2/auth", params=params, timeout=T).status_code == 200
    deny = requests.post(base + "/o/oauth2/v2/auth/decide", data={
        "client_id": G_CLIENT, "redirect_uri": G_REDIRECT, "scope": G_SCOPE, "state": "s 1",
        "email": "x@example.com", "decision": "deny"}, allow_redirects=False, timeout=T)
    assert deny.status_code == 302
    assert deny.headers["Location"] == G_REDIRECT + "?error=access_denied&state=s%201"


def test_google_oauth_round_trip_and_revoke(fakes):
    base = fakes.base("google")
    code = google_code(fakes, "ana@example.com")
    form = {"grant_type": "authorization_code", "code": code, "client_id": G_CLIENT,
            "client_secret": G_SECRET, "redirect_uri": G_REDIRECT}
    wrong = requests.post(base + "/token", data=dict(form, client_secret="x"), timeout=T)
    assert wrong.status_code == 401
    assert wrong.json() == {"error": "invalid_client",
                            "error_description": "The OAuth client was not found."}
    other = requests.post(base + "/token", data=dict(form, redirect_uri=G_REDIRECT + "2"), timeout=T)
    assert other.status_code == 400 and other.json() == {"error": "invalid_grant",
                                                         "error_description": "Bad Request"}
    r = requests.post(base + "/token", data=form, timeout=T)
    assert r.status_code == 200
    tok = r.json()
    assert set(tok) == {"access_token", "expires_in", "token_type", "scope", "refresh_token"}
    assert tok["expires_in"] == 3599 and tok["token_type"] == "Bearer" and tok["scope"] == G_SCOPE
    again = requests.post(base + "/token", data=form, timeout=T)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert requests.post(base + "/token", data=dict(form, grant_type="password"),
                         timeout=T).json()["error"] == "unsupported_grant_type"

    lst = gcal(fakes, "GET", "/users/me/calendarList", tok["access_token"])
    assert lst.status_code == 200
    assert lst.json()["kind"] == "calendar#calendarList"
    item = lst.json()["items"][0]
    assert item["id"] == "ana@example.com" and item["primary"] is True
    assert item["timeZone"] == "America/Bogota" and item["accessRole"] == "owner"
    noauth = requests.get(base + "/calendar/v3/users/me/calendarList", timeout=T)
    assert noauth.status_code == 401
    assert noauth.json()["error"]["status"] == "UNAUTHENTICATED"
    assert noauth.json()["error"]["errors"][0]["reason"] == "authError"

    fakes.config("google", access_ttl=120)
    ref = requests.post(base + "/token", data={
        "grant_type": "refresh_token", "refresh_token": tok["refresh_token"],
        "client_id": G_CLIENT, "client_secret": G_SECRET}, timeout=T)
    assert ref.status_code == 200
    assert "refresh_token" not in ref.json() and ref.json()["expires_in"] == 120

    assert requests.post(base + "/_control/revoke", json={"account": "ana@example.com"},
                         timeout=T).json() == {"revoked": 1}
    dead = requests.post(base + "/token", data={
        "grant_type": "refresh_token", "refresh_token": tok["refresh_token"],
        "client_id": G_CLIENT, "client_secret": G_SECRET}, timeout=T)
    assert dead.status_code == 400
    assert dead.json() == {"error": "invalid_grant",
                           "error_description": "Token has been expired or revoked."}
    assert gcal(fakes, "GET", "/users/me/calendarList", ref.json()["access_token"]).status_code == 401


def test_google_revoke_endpoint(fakes):
    base = fakes.base("google")
    tok = google_tokens(fakes)
    assert requests.post(base + "/revoke", params={"token": tok["refresh_token"]},
                         timeout=T).json() == {}
    assert gcal(fakes, "GET", "/users/me/calendarList", tok["access_token"]).status_code == 401
    r = requests.post(base + "/revoke", data={"token": tok["refresh_token"]}, timeout=T)
    assert r.status_code == 400 and r.json()["error"] == "invalid_token"


def test_google_freebusy_merges_and_clips(fakes):
    base = fakes.base("google")
    tok = google_tokens(fakes)["access_token"]
    for s, e, extra in ((at(13), at(14), {}), (at(13, 30), at(15), {}),          # merge
                        (at(8), at(10, 30), {}),                                    # clipped
                        (at(16), at(17), {"transparency": "transparent"}),         # free
                        (at(18), at(19), {})):                                      # outside
        r = requests.post(base + "/_control/events", json=dict(
            {"account": "pro@example.com", "start": s, "end": e}, **extra), timeout=T)
        assert r.status_code == 201 and r.json()["notified"] == []
    # an offset and fractional seconds are read too
    requests.post(base + "/_control/events", json={
        "account": "pro@example.com", "start": "2031-03-10T06:00:00.123-05:00",
        "end": "2031-03-10T07:00:00-05:00"}, timeout=T)
    gone = requests.post(base + "/_control/events", json={
        "account": "pro@example.com", "start": at(15, 30), "end": at(15, 45)}, timeout=T).json()
    requests.delete(base + "/_control/events/" + gone["event"]["id"], timeout=T)
    r = gcal(fakes, "POST", "/freeBusy", tok, json={
        "timeMin": at(10), "timeMax": "2031-03-10T13:00:00-05:00",
        "items": [{"id": "primary"}, {"id": "someone@else.example"}]})
    assert r.status_code == 200, r.text
    fb = r.json()
    assert fb["kind"] == "calendar#freeBusy"
    assert fb["calendars"]["primary"] == {"busy": [
        {"start": "2031-03-10T10:00:00Z", "end": "2031-03-10T10:30:00Z"},
        {"start": "2031-03-10T11:00:00Z", "end": "2031-03-10T12:00:00Z"},
        {"start": "2031-03-10T13:00:00Z", "end": "2031-03-10T15:00:00Z"}]}
    assert fb["calendars"]["someone@else.example"] == {
        "errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
    for bad in ({"timeMin": at(10), "timeMax": at(10), "items": []},
                {"timeMax": at(10), "items": []}, {"timeMin": "soon", "timeMax": at(10)}):
        r = gcal(fakes, "POST", "/freeBusy", tok, json=bad)
        assert r.status_code == 400 and r.json()["error"]["errors"][0]["reason"] == "badRequest"


def test_google_events_lifecycle(fakes):
    tok = google_tokens(fakes)["access_token"]
    ev = {"summary": "Corte de cabello", "description": "Reserva K-1",
          "start": {"dateTime": "2031-03-10T09:00:00-05:00", "timeZone": "America/Bogota"},
          "end": {"dateTime": "2031-03-10T10:00:00-05:00", "timeZone": "America/Bogota"},
          "attendees": [{"email": "cliente@example.com"}]}
    r = gcal(fakes, "POST", "/calendars/primary/events?sendUpdates=all", tok, json=ev)
    assert r.status_code == 200, r.text
    e = r.json()
    for k in ("kind", "id", "status", "htmlLink", "summary", "description", "start", "end",
              "attendees", "created", "updated", "iCalUID", "sequence", "organizer"):
        assert k in e
    assert e["kind"] == "calendar#event" and e["status"] == "confirmed" and e["sequence"] == 0
    assert e["organizer"] == {"email": "pro@example.com", "self": True}
    assert e["attendees"][0]["email"] == "cliente@example.com"
    path = "/calendars/pro@example.com/events/" + e["id"]
    assert gcal(fakes, "GET", path, tok).json()["summary"] == "Corte de cabello"
    fb = gcal(fakes, "POST", "/freeBusy", tok, json={
        "timeMin": at(0), "timeMax": at(23), "items": [{"id": "pro@example.com"}]}).json()
    assert fb["calendars"]["pro@example.com"]["busy"] == [
        {"start": "2031-03-10T14:00:00Z", "end": "2031-03-10T15:00:00Z"}]

    p = gcal(fakes, "PATCH", path, tok, json={"start": {"dateTime": at(15)},
                                              "end": {"dateTime": at(16)}})
    assert p.status_code == 200 and p.json()["sequence"] == 1 and p.json()["summary"] == "Corte de cabello"
    u = gcal(fakes, "PUT", path, tok, json={"summary": "Moved", "start": {"dateTime": at(17)},
                                            "end": {"dateTime": at(18)}})
    assert u.status_code == 200 and u.json()["sequence"] == 2 and u.json()["summary"] == "Moved"
    empty = gcal(fakes, "PATCH", path, tok, json={"end": {"dateTime": at(16)}})
    assert empty.status_code == 400
    assert empty.json()["error"]["errors"][0]["reason"] == "timeRangeEmpty"
    missing = gcal(fakes, "POST", "/calendars/primary/events", tok, json={"summary": "x"})
    assert missing.status_code == 400 and missing.json()["error"]["errors"][0]["reason"] == "required"

    assert gcal(fakes, "DELETE", path, tok).status_code == 204
    got = gcal(fakes, "GET", path, tok)
    assert got.status_code == 200 and got.json()["status"] == "cancelled"
    for method in ("DELETE", "PATCH", "PUT"):
        r = gcal(fakes, method, path, tok, json={"summary": "again"})
        assert r.status_code == 410
        assert r.json()["error"]["errors"][0]["reason"] == "deleted"
    nf = gcal(fakes, "GET", "/calendars/primary/events/nosuchevent", tok)
    assert nf.status_code == 404
    assert nf.json() == {"error": {"code": 404, "message": "Not Found", "errors": [
        {"domain": "global", "reason": "notFound", "message": "Not Found"}]}}
    assert gcal(fakes, "DELETE", "/calendars/primary/events/nosuchevent", tok).status_code == 404
    listed = requests.get(fakes.base("google") + "/_control/events",
                          params={"account": "pro@example.com"}, timeout=T).json()["events"]
    assert [(x["id"], x["status"], x["sendUpdates"]) for x in listed] == [(e["id"], "cancelled", "all")]


def test_google_watch_and_notifications(fakes, receiver):
    base = fakes.base("google")
    tok = google_tokens(fakes)["access_token"]
    r = gcal(fakes, "POST", "/calendars/primary/events/watch", tok, json={
        "id": "chan-1", "type": "web_hook", "address": receiver.url(), "token": "tok-1",
        "params": {"ttl": "999999999"}})
    assert r.status_code == 200, r.text
    ch = r.json()
    assert ch["kind"] == "api#channel" and ch["id"] == "chan-1" and ch["token"] == "tok-1"
    assert isinstance(ch["expiration"], str)
    assert abs(int(ch["expiration"]) / 1000 - (time.time() + 604800)) < 60
    assert ch["resourceUri"].endswith("/calendars/primary/events?alt=json")
    sync = receiver.wait(1)[0]
    h = sync["headers"]
    assert sync["path"] == "/hook" and sync["body"] == b""
    assert h["Host"] == "receiver.localhost:%d" % receiver.port
    assert h["X-Goog-Channel-ID"] == "chan-1" and h["X-Goog-Channel-Token"] == "tok-1"
    assert h["X-Goog-Resource-State"] == "sync" and h["X-Goog-Message-Number"] == "1"
    assert h["X-Goog-Resource-ID"] == ch["resourceId"]
    assert h["X-Goog-Resource-URI"] == ch["resourceUri"]
    assert h["X-Goog-Channel-Expiration"].endswith(" GMT")

    dup = gcal(fakes, "POST", "/calendars/primary/events/watch", tok, json={
        "id": "chan-1", "type": "web_hook", "address": receiver.url()})
    assert dup.status_code == 400
    assert dup.json()["error"]["errors"][0]["reason"] == "channelIdNotUnique"
    assert gcal(fakes, "POST", "/calendars/primary/events/watch", tok, json={
        "id": "chan-x", "type": "email", "address": receiver.url()}).status_code == 400
    assert gcal(fakes, "POST", "/calendars/primary/events/watch", tok, json={
        "id": "chan-y", "type": "web_hook", "address": "ftp://x"}).status_code == 400

    made = requests.post(base + "/_control/events", json={
        "account": "pro@example.com", "start": at(9), "end": at(10)}, timeout=T)
    assert made.status_code == 201
    assert made.json()["notified"] == [{"channel": "chan-1", "status": 200}]
    exists = receiver.wait(2)[1]["headers"]
    assert exists["X-Goog-Resource-State"] == "exists" and exists["X-Goog-Message-Number"] == "2"
    deleted = requests.delete(base + "/_control/events/" + made.json()["event"]["id"], timeout=T)
    assert deleted.json() == {"notified": [{"channel": "chan-1", "status": 200}]}
    assert receiver.wait(3)[2]["headers"]["X-Goog-Message-Number"] == "3"

    receiver.mode = 403
    forged = requests.post(base + "/_control/notify", json={"channel": "chan-1", "token": "evil"},
                           timeout=T).json()
    assert forged == {"status": 403}
    assert receiver.wait(4)[3]["headers"]["X-Goog-Channel-Token"] == "evil"

    chans = requests.get(base + "/_control/channels", timeout=T).json()["channels"]
    assert [(c["id"], c["resourceId"], c["token"], c["account"], c["stopped"]) for c in chans] == [
        ("chan-1", ch["resourceId"], "tok-1", "pro@example.com", False)]
    assert gcal(fakes, "POST", "/channels/stop", tok,
                json={"id": "chan-1", "resourceId": "wrong"}).status_code == 404
    assert gcal(fakes, "POST", "/channels/stop", tok,
                json={"id": "chan-1", "resourceId": ch["resourceId"]}).status_code == 204
    quiet = requests.post(base + "/_control/events", json={
        "account": "pro@example.com", "start": at(11), "end": at(12)}, timeout=T).json()
    assert quiet["notified"] == []
    # a second channel on the same calendar has the same resourceId, and no token header
    second = gcal(fakes, "POST", "/calendars/primary/events/watch", tok, json={
        "id": "chan-2", "type": "web_hook", "address": receiver.url("/two")}).json()
    assert second["resourceId"] == ch["resourceId"] and "token" not in second
    got = receiver.wait(5)[4]
    assert got["path"] == "/two" and "X-Goog-Channel-Token" not in got["headers"]


def test_google_outage(fakes):
    tok = google_tokens(fakes)["access_token"]
    fakes.config("google", status=503)
    r = gcal(fakes, "GET", "/users/me/calendarList", tok)
    assert r.status_code == 503 and r.json()["error"]["code"] == 503
    assert requests.post(fakes.base("google") + "/token", data={}, timeout=T).status_code == 503
    assert requests.get(fakes.base("google") + "/_control/events", timeout=T).status_code == 200


# ---------------------------------------------------------------------------------- Cal.com

CAL_KEY = "cal_test_key"
V_BOOKINGS = {"cal-api-version": "2024-08-13"}


def cal(fakes, method, path, key=CAL_KEY, version=None, **kw):
    headers = {"Authorization": "Bearer " + key} if key else {}
    if version:
        headers["cal-api-version"] = version
    return requests.request(method, fakes.base("calcom") + path, headers=headers, timeout=T, **kw)


def cal_booking(fakes, start, **extra):
    body = dict({"start": start, "eventTypeId": 1001, "attendee": {
        "name": "Ana Cliente", "email": "ana@example.com", "timeZone": "America/Bogota"}}, **extra)
    return cal(fakes, "POST", "/v2/bookings", version="2024-08-13", json=body)


def test_calcom_signature_vector():
    """PROVIDERS.md's vector, computed by calcom.py's own signing function."""
    body = (b'{"triggerEvent":"BOOKING_CREATED","createdAt":"2024-01-01T00:00:00.000Z",'
            b'"payload":{"uid":"abc"}}')
    want = "0d7dde5a4a7ae73a96d8fb8a28d28fd1579aecf5a2966840abc5f26836d532e6"
    assert hmac.new(b"cal_secret", body, hashlib.sha256).hexdigest() == want
    fakes_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes")
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    sys.path.insert(0, fakes_dir)
    try:
        calcom = importlib.import_module("calcom")
        assert calcom.signature("cal_secret", body) == want
    finally:
        sys.path[:] = saved_path
        for name in ({"calcom", "base", "calendar_common"} & set(sys.modules)) - saved_modules:
            del sys.modules[name]


def test_calcom_auth_and_version_header(fakes):
    me = cal(fakes, "GET", "/v2/me")
    assert me.status_code == 200
    assert me.json()["status"] == "success"
    d = me.json()["data"]
    assert (d["email"], d["username"], d["timeZone"], d["weekStart"]) == (
        "pro@cal.example", "pro", "America/Bogota", "Monday")
    assert isinstance(d["id"], int)
    for key in (None, "cal_wrong"):
        r = cal(fakes, "GET", "/v2/me", key=key)
        assert r.status_code == 401
        j = r.json()
        assert j["status"] == "error" and j["path"] == "/v2/me" and j["timestamp"].endswith("Z")
        assert j["error"] == {"code": "UNAUTHORIZED", "message": "Invalid Access Token."}
    for version in (None, "2024-09-04", "2026-05-01"):
        r = cal(fakes, "GET", "/v2/bookings", version=version)
        assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_REQUEST"
        assert "cal-api-version" in r.json()["error"]["message"]
    assert cal(fakes, "GET", "/v2/bookings", version="2024-08-13").status_code == 200
    assert cal(fakes, "GET", "/v2/slots", version="2024-08-13",
               params={"eventTypeId": 1001, "start": "2031-03-10", "end": "2031-03-10"}).status_code == 400
    assert cal(fakes, "GET", "/v2/webhooks").status_code == 200
    requests.post(fakes.base("calcom") + "/_control/revoke", json={"key": CAL_KEY}, timeout=T)
    assert cal(fakes, "GET", "/v2/me").status_code == 401
    fakes.reset("calcom")
    fakes.config("calcom", status=503)
    r = cal(fakes, "GET", "/v2/me")
    assert r.status_code == 503 and r.json()["status"] == "error"


def test_calcom_bookings_create_list_cancel_reschedule(fakes, receiver):
    r = cal(fakes, "POST", "/v2/webhooks", json={
        "subscriberUrl": receiver.url("/cal"), "active": True, "secret": "whsec-1",
        "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_RESCHEDULED"]})
    assert r.status_code == 201
    hook = r.json()["data"]
    assert "secret" not in hook and hook["payloadTemplate"] is None and hook["active"] is True
    assert [w["id"] for w in cal(fakes, "GET", "/v2/webhooks").json()["data"]] == [hook["id"]]

    made = cal_booking(fakes, at(14), metadata={"booking": "K-1"})
    assert made.status_code == 201, made.text
    b = made.json()["data"]
    assert b["status"] == "accepted" and b["start"] == "2031-03-10T14:00:00.000Z"
    assert b["end"] == "2031-03-10T15:00:00.000Z" and b["duration"] == 60
    assert b["eventTypeId"] == 1001 and b["eventType"]["id"] == 1001
    assert b["attendees"][0]["email"] == "ana@example.com"
    assert b["hosts"][0]["email"] == "pro@cal.example" and b["metadata"] == {"booking": "K-1"}
    for k in ("id", "uid", "title", "location", "createdAt"):
        assert k in b
    got = receiver.wait(1)[0]
    assert got["headers"]["Content-Type"] == "application/json"
    assert got["headers"]["X-Cal-Signature-256"] == hmac.new(
        b"whsec-1", got["body"], hashlib.sha256).hexdigest()
    assert got["body"] == json.dumps(json.loads(got["body"]), separators=(",", ":")).encode()
    ev = json.loads(got["body"])
    assert ev["triggerEvent"] == "BOOKING_CREATED" and ev["createdAt"].endswith("Z")
    p = ev["payload"]
    assert (p["uid"], p["bookingId"], p["status"], p["startTime"], p["endTime"]) == (
        b["uid"], b["id"], "ACCEPTED", b["start"], b["end"])
    assert p["organizer"]["email"] == "pro@cal.example" and p["attendees"][0]["name"] == "Ana Cliente"

    assert cal_booking(fakes, "2031-03-10T09:00:00-05:00").status_code == 400      # not UTC
    assert cal_booking(fakes, at(16), attendee={"name": "x", "email": "x@example.com"}).status_code == 400
    nf = cal_booking(fakes, at(16), eventTypeId=4242)
    assert nf.status_code == 404 and nf.json()["error"]["code"] == "NOT_FOUND"
    short = cal_booking(fakes, at(17), lengthInMinutes=30).json()["data"]
    assert short["end"] == "2031-03-10T17:30:00.000Z"
    # deliveries run in the background: this one's lands before the reschedule's is counted
    second = json.loads(receiver.wait(2)[1]["body"])
    assert second["triggerEvent"] == "BOOKING_CREATED" and second["payload"]["uid"] == short["uid"]

    lst = cal(fakes, "GET", "/v2/bookings", version="2024-08-13", params={
        "status": "upcoming", "afterStart": at(14, 30), "beforeEnd": at(17), "take": 100, "skip": 0})
    assert lst.status_code == 200
    assert [x["uid"] for x in lst.json()["data"]] == [b["uid"]]          # overlaps, 17:00 does not
    assert lst.json()["pagination"] == {
        "totalItems": 1, "remainingItems": 0, "returnedItems": 1, "itemsPerPage": 100,
        "currentPage": 1, "totalPages": 1, "hasNextPage": False, "hasPreviousPage": False}
    page = cal(fakes, "GET", "/v2/bookings", version="2024-08-13",
               params={"status": "upcoming", "take": 1}).json()
    assert page["pagination"]["totalItems"] == 2 and page["pagination"]["hasNextPage"] is True
    for take in (0, 251):
        assert cal(fakes, "GET", "/v2/bookings", version="2024-08-13",
                   params={"take": take}).status_code == 400

    moved = cal(fakes, "POST", "/v2/bookings/%s/reschedule" % b["uid"], version="2024-08-13",
                json={"start": at(20), "reschedulingReason": "later"})
    assert moved.status_code == 201
    nb = moved.json()["data"]
    assert nb["uid"] != b["uid"] and nb["rescheduledFromUid"] == b["uid"]
    assert nb["start"] == "2031-03-10T20:00:00.000Z" and nb["status"] == "accepted"
    old = cal(fakes, "GET", "/v2/bookings/" + b["uid"], version="2024-08-13").json()["data"]
    assert old["status"] == "cancelled"
    resched = json.loads(receiver.wait(3)[2]["body"])
    assert resched["triggerEvent"] == "BOOKING_RESCHEDULED" and resched["payload"]["uid"] == nb["uid"]

    c = cal(fakes, "POST", "/v2/bookings/%s/cancel" % nb["uid"], version="2024-08-13",
            json={"cancellationReason": "no puedo"})
    assert c.status_code == 200
    assert c.json()["data"]["status"] == "cancelled"
    assert c.json()["data"]["cancellationReason"] == "no puedo"
    canc = json.loads(receiver.wait(4)[3]["body"])
    assert canc["triggerEvent"] == "BOOKING_CANCELLED" and canc["payload"]["status"] == "CANCELLED"
    assert cal(fakes, "POST", "/v2/bookings/nope/cancel", version="2024-08-13").status_code == 404
    cancelled = cal(fakes, "GET", "/v2/bookings", version="2024-08-13",
                    params={"status": "cancelled"}).json()["data"]
    assert sorted(x["uid"] for x in cancelled) == sorted([b["uid"], nb["uid"]])

    fakes.config("calcom", echo_api_bookings=False)
    cal_booking(fakes, at(22))
    time.sleep(0.3)
    assert len(receiver.got) == 4
    assert cal(fakes, "DELETE", "/v2/webhooks/%d" % hook["id"]).json()["data"]["id"] == hook["id"]
    assert cal(fakes, "GET", "/v2/webhooks").json()["data"] == []


def test_calcom_control_and_slots(fakes, receiver):
    base = fakes.base("calcom")
    hook = cal(fakes, "POST", "/v2/webhooks", json={
        "subscriberUrl": receiver.url(), "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED"],
        "secret": "s3cret"}).json()["data"]
    r = requests.post(base + "/_control/bookings", json={
        "start": "2031-03-10T10:00:00-05:00", "end": "2031-03-10T11:00:00-05:00",
        "title": "Dentista"}, timeout=T)
    assert r.status_code == 201
    bk = r.json()["booking"]
    assert r.json()["notified"] == [{"webhook": hook["id"], "status": 200}]
    assert json.loads(receiver.wait(1)[0]["body"])["payload"]["title"] == "Dentista"
    slots = cal(fakes, "GET", "/v2/slots", version="2024-09-04", params={
        "eventTypeId": 1001, "start": "2031-03-10", "end": "2031-03-10",
        "timeZone": "America/Bogota"})
    assert slots.status_code == 200
    day = slots.json()["data"]["2031-03-10"]
    assert [s["start"] for s in day] == ["2031-03-10T%02d:00:00.000-05:00" % h
                                         for h in (9, 11, 12, 13, 14, 15, 16)]
    assert cal(fakes, "GET", "/v2/slots", version="2024-09-04", params={
        "eventTypeId": 9, "start": "2031-03-10", "end": "2031-03-10"}).status_code == 404

    c = requests.post(base + "/_control/bookings/%s/cancel" % bk["uid"], timeout=T).json()
    assert c["booking"]["status"] == "cancelled" and c["notified"][0]["status"] == 200
    listed = requests.get(base + "/_control/bookings", params={"key": CAL_KEY}, timeout=T).json()
    assert [(x["uid"], x["status"], x["via"]) for x in listed["bookings"]] == [
        (bk["uid"], "cancelled", "control")]
    hooks = requests.get(base + "/_control/webhooks", timeout=T).json()["webhooks"]
    assert hooks[0]["secret"] == "s3cret"
    receiver.mode = 401
    forged = requests.post(base + "/_control/notify", json={"webhook": hook["id"], "secret": "bad"},
                           timeout=T).json()
    assert forged == {"status": 401}
    sent = receiver.wait(3)[2]
    assert sent["headers"]["X-Cal-Signature-256"] == hmac.new(
        b"bad", sent["body"], hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------------- Microsoft

M_CLIENT = "11111111-2222-3333-4444-555555555555"
M_SECRET = "microsoft-test-secret"
M_REDIRECT = "http://konfirmado.localhost:8080/api/oauth/microsoft/callback"
M_SCOPE = "offline_access https://graph.microsoft.com/Calendars.ReadWrite"


def ms_code(fakes, account="pro@contoso.example", scope=M_SCOPE):
    base = fakes.base("microsoft")
    page = requests.get(base + "/common/oauth2/v2.0/authorize", params={
        "client_id": M_CLIENT, "response_type": "code", "redirect_uri": M_REDIRECT,
        "response_mode": "query", "scope": scope, "state": "st"}, timeout=T)
    assert page.status_code == 200, page.text
    assert '<form method="post" action="/microsoft/common/oauth2/v2.0/authorize/decide">' in page.text
    r = requests.post(base + "/common/oauth2/v2.0/authorize/decide", data={
        "client_id": M_CLIENT, "redirect_uri": M_REDIRECT, "scope": scope, "state": "st",
        "response_mode": "query", "email": account, "decision": "allow"},
        allow_redirects=False, timeout=T)
    assert r.status_code == 302
    q = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["Location"]).query).items()}
    assert q["state"] == "st"
    return q["code"]


def ms_token(fakes, **form):
    return requests.post(fakes.base("microsoft") + "/common/oauth2/v2.0/token",
                         data=dict({"client_id": M_CLIENT, "client_secret": M_SECRET,
                                    "scope": M_SCOPE}, **form), timeout=T)


def ms_login(fakes, account="pro@contoso.example"):
    r = ms_token(fakes, grant_type="authorization_code", code=ms_code(fakes, account),
                 redirect_uri=M_REDIRECT)
    assert r.status_code == 200, r.text
    return r.json()


def graph(fakes, method, path, token, headers=None, **kw):
    return requests.request(method, fakes.base("microsoft") + "/v1.0" + path,
                            headers=dict(headers or {}, Authorization="Bearer " + token),
                            timeout=T, **kw)


def assert_aad(r, status, error, code):
    assert r.status_code == status, r.text
    j = r.json()
    assert j["error"] == error and j["error_codes"] == [code]
    assert j["error_description"].startswith("AADSTS%d: " % code)
    assert "\r\nTrace ID: " in j["error_description"]
    assert "\r\nCorrelation ID: " in j["error_description"]
    for k in ("timestamp", "trace_id", "correlation_id"):
        assert j[k]


def test_microsoft_oauth_rotation_and_revoke(fakes):
    base = fakes.base("microsoft")
    page = requests.get(base + "/common/oauth2/v2.0/authorize", params={
        "client_id": M_CLIENT, "response_type": "code", "redirect_uri": M_REDIRECT,
        "scope": M_SCOPE, "state": "s"}, timeout=T)
    assert "<title>Sign in to your account (fake)</title>" in page.text
    assert 'value="pro@contoso.example"' in page.text and 'id="allow"' in page.text
    bad = requests.get(base + "/common/oauth2/v2.0/authorize", params={
        "client_id": "nope", "response_type": "code", "redirect_uri": M_REDIRECT}, timeout=T)
    assert bad.status_code == 400 and "AADSTS700016" in bad.text
    fakes.config("microsoft", clients={M_CLIENT: {"secret": M_SECRET, "redirect_uris": [M_REDIRECT]}})
    mism = requests.get(base + "/common/oauth2/v2.0/authorize", params={
        "client_id": M_CLIENT, "response_type": "code", "redirect_uri": "http://x.example/cb"},
        timeout=T)
    assert mism.status_code == 400 and "AADSTS50011" in mism.text
    deny = requests.post(base + "/common/oauth2/v2.0/authorize/decide", data={
        "client_id": M_CLIENT, "redirect_uri": M_REDIRECT, "state": "st", "decision": "deny"},
        allow_redirects=False, timeout=T)
    q = parse_qs(urlsplit(deny.headers["Location"]).query)
    assert q["error"] == ["access_denied"] and q["state"] == ["st"] and q["error_description"]

    code = ms_code(fakes, "ana@contoso.example")
    assert_aad(ms_token(fakes, grant_type="authorization_code", code=code, redirect_uri=M_REDIRECT,
                        client_secret="wrong"), 401, "invalid_client", 7000215)
    first = ms_token(fakes, grant_type="authorization_code", code=code, redirect_uri=M_REDIRECT)
    assert first.status_code == 200
    tok = first.json()
    assert tok["token_type"] == "Bearer" and tok["scope"] == "Calendars.ReadWrite offline_access"
    assert tok["expires_in"] == 3599 and tok["ext_expires_in"] == 3599
    assert tok["access_token"] and tok["refresh_token"]
    assert_aad(ms_token(fakes, grant_type="authorization_code", code=code, redirect_uri=M_REDIRECT),
               400, "invalid_grant", 70008)
    me = graph(fakes, "GET", "/me", tok["access_token"]).json()
    assert me["mail"] == me["userPrincipalName"] == "ana@contoso.example" and me["id"]

    second = ms_token(fakes, grant_type="refresh_token", refresh_token=tok["refresh_token"])
    assert second.status_code == 200
    assert second.json()["refresh_token"] != tok["refresh_token"]
    assert_aad(ms_token(fakes, grant_type="refresh_token", refresh_token=tok["refresh_token"]),
               400, "invalid_grant", 70008)                       # rotated: the old one is dead
    third = ms_token(fakes, grant_type="refresh_token", refresh_token=second.json()["refresh_token"])
    assert third.status_code == 200

    empty = requests.get(base + "/v1.0/me", timeout=T)
    assert empty.status_code == 401
    err = empty.json()["error"]
    assert err["code"] == "InvalidAuthenticationToken" and err["message"] == "Access token is empty."
    assert set(err["innerError"]) == {"date", "request-id", "client-request-id"}

    requests.post(base + "/_control/revoke", json={"account": "ana@contoso.example"}, timeout=T)
    assert_aad(ms_token(fakes, grant_type="refresh_token",
                        refresh_token=third.json()["refresh_token"]), 400, "invalid_grant", 70008)
    dead = graph(fakes, "GET", "/me", third.json()["access_token"])
    assert dead.status_code == 401
    assert dead.json()["error"]["message"] == "Lifetime validation failed, the token is expired."

    no_offline = ms_token(fakes, grant_type="authorization_code", redirect_uri=M_REDIRECT,
                          code=ms_code(fakes, scope="https://graph.microsoft.com/Calendars.ReadWrite"))
    assert no_offline.status_code == 200 and "refresh_token" not in no_offline.json()


def test_microsoft_events_and_calendar_view(fakes):
    base = fakes.base("microsoft")
    tok = ms_login(fakes)["access_token"]
    r = graph(fakes, "POST", "/me/events", tok, json={
        "subject": "Corte", "body": {"contentType": "HTML", "content": "<p>Reserva</p>"},
        "start": {"dateTime": "2031-03-10T09:00:00", "timeZone": "America/Bogota"},
        "end": {"dateTime": "2031-03-10T10:00:00", "timeZone": "America/Bogota"},
        "location": {"displayName": "Sede"},
        "attendees": [{"emailAddress": {"address": "ana@example.com", "name": "Ana"},
                       "type": "required"}]})
    assert r.status_code == 201, r.text
    e = r.json()
    for k in ("id", "subject", "body", "start", "end", "attendees", "showAs", "isCancelled",
              "webLink", "createdDateTime", "lastModifiedDateTime"):
        assert k in e
    assert e["showAs"] == "busy" and e["isCancelled"] is False
    assert e["start"] == {"dateTime": "2031-03-10T14:00:00.0000000", "timeZone": "UTC"}
    assert e["attendees"][0]["emailAddress"]["address"] == "ana@example.com"
    bad = graph(fakes, "POST", "/me/events", tok, json={"subject": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"]

    for h in (8, 11, 12, 13):
        requests.post(base + "/_control/events", json={
            "account": "pro@contoso.example", "start": at(h), "end": at(h, 30),
            "showAs": "tentative" if h == 8 else "busy"}, timeout=T)
    view = graph(fakes, "GET", "/me/calendarView", tok, params={
        "startDateTime": "2031-03-10T08:15:00Z", "endDateTime": "2031-03-10T13:00:00Z",
        "$top": 2, "$select": "subject,showAs,start,end,isCancelled"},
        headers={"Prefer": 'outlook.timezone="UTC"'})
    assert view.status_code == 200, view.text
    page1 = view.json()
    assert [(x["start"]["dateTime"], x["showAs"]) for x in page1["value"]] == [
        ("2031-03-10T08:00:00.0000000", "tentative"), ("2031-03-10T11:00:00.0000000", "busy")]
    assert set(page1["value"][0]) == {"id", "@odata.etag", "subject", "showAs", "start", "end",
                                      "isCancelled"}
    nxt = page1["@odata.nextLink"]
    assert nxt.startswith(base + "/v1.0/me/calendarView?") and "%24skip=2" in nxt
    page2 = requests.get(nxt, headers={"Authorization": "Bearer " + tok}, timeout=T).json()
    assert [x["start"]["dateTime"] for x in page2["value"]] == ["2031-03-10T12:00:00.0000000"]
    assert "@odata.nextLink" not in page2                 # 13:00 starts at the window's end
    missing = graph(fakes, "GET", "/me/calendarView", tok, params={"startDateTime": at(1)})
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "ErrorInvalidParameter"

    path = "/me/events/" + e["id"]
    p = graph(fakes, "PATCH", path, tok, json={"subject": "Movida", "start": {
        "dateTime": "2031-03-10T16:00:00", "timeZone": "UTC"}, "end": {
        "dateTime": "2031-03-10T17:00:00", "timeZone": "UTC"}})
    assert p.status_code == 200 and p.json()["subject"] == "Movida"
    assert p.json()["end"]["dateTime"] == "2031-03-10T17:00:00.0000000"
    assert graph(fakes, "DELETE", path, tok).status_code == 204
    for method in ("GET", "PATCH", "DELETE"):
        r = graph(fakes, method, path, tok, json={})
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "ErrorItemNotFound"
        assert r.json()["error"]["message"] == "The specified object was not found in the store."
    listed = requests.get(base + "/_control/events", params={"account": "pro@contoso.example"},
                          timeout=T).json()["events"]
    assert [x["deleted"] for x in listed if x["id"] == e["id"]] == [True]


def test_microsoft_subscriptions_handshake_and_notifications(fakes, receiver):
    base = fakes.base("microsoft")
    tok = ms_login(fakes)["access_token"]
    expires = iso(datetime.now(timezone.utc) + timedelta(minutes=4000))
    sub = {"changeType": "created,updated,deleted", "notificationUrl": receiver.url("/graph?t=1"),
           "resource": "me/events", "expirationDateTime": expires, "clientState": "cs-123"}

    receiver.mode = "echo-encoded"
    r = graph(fakes, "POST", "/subscriptions", tok, json=sub)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "ValidationError"
    assert r.json()["error"]["message"] == ("Subscription validation request failed. Notification "
                                            "endpoint must respond with 200 OK to validation "
                                            "request.")
    hs = receiver.wait(1)[0]
    assert hs["path"].startswith("/graph?t=1&validationToken=Validation%3a+Testing+client+")
    assert hs["headers"]["Content-Type"] == "text/plain; charset=utf-8" and hs["body"] == b""
    assert hs["headers"]["Host"] == "receiver.localhost:%d" % receiver.port

    far = graph(fakes, "POST", "/subscriptions", tok, json=dict(
        sub, expirationDateTime=iso(datetime.now(timezone.utc) + timedelta(minutes=4300))))
    assert far.status_code == 400 and far.json()["error"]["code"] == "ExtensionError"
    assert far.json()["error"]["message"] == ("Subscription expiration can only be 4230 minutes "
                                              "in the future.")
    past = graph(fakes, "POST", "/subscriptions", tok, json=dict(sub, expirationDateTime=at(0)))
    assert past.status_code == 400 and past.json()["error"]["code"] == "ExtensionError"

    receiver.mode = "echo"
    r = graph(fakes, "POST", "/subscriptions", tok, json=sub)
    assert r.status_code == 201, r.text
    s = r.json()
    for k in ("@odata.context", "id", "resource", "applicationId", "changeType", "clientState",
              "notificationUrl", "expirationDateTime", "creatorId"):
        assert k in s
    assert s["applicationId"] == M_CLIENT and s["clientState"] == "cs-123"
    assert s["notificationUrl"] == sub["notificationUrl"]
    assert len(receiver.got) == 2

    receiver.mode = "ok"
    made = requests.post(base + "/_control/events", json={
        "account": "pro@contoso.example", "start": at(9), "end": at(10)}, timeout=T)
    assert made.status_code == 201
    assert made.json()["notified"] == [{"subscription": s["id"], "status": 200}]
    n = receiver.wait(3)[2]
    assert n["path"] == "/graph?t=1" and n["headers"]["Content-Type"] == "application/json"
    item = json.loads(n["body"])["value"][0]
    eid = made.json()["event"]["id"]
    assert item["subscriptionId"] == s["id"] and item["clientState"] == "cs-123"
    assert item["changeType"] == "created" and item["tenantId"]
    assert item["subscriptionExpirationDateTime"] == s["expirationDateTime"]
    assert item["resource"] == "Users/%s/Events/%s" % (s["creatorId"], eid)
    rd = item["resourceData"]
    assert rd["@odata.type"] == "#Microsoft.Graph.Event" and rd["id"] == eid
    assert rd["@odata.id"] == item["resource"] and rd["@odata.etag"].startswith('W/"')

    dele = requests.delete(base + "/_control/events/" + eid, timeout=T).json()
    assert dele["notified"][0]["status"] == 200
    assert json.loads(receiver.wait(4)[3]["body"])["value"][0]["changeType"] == "deleted"
    receiver.mode = 202
    forged = requests.post(base + "/_control/notify", json={
        "subscription": s["id"], "clientState": "wrong"}, timeout=T).json()
    assert forged == {"status": 202}
    item = json.loads(receiver.wait(5)[4]["body"])["value"][0]
    assert item["clientState"] == "wrong" and item["changeType"] == "updated"

    later = iso(datetime.now(timezone.utc) + timedelta(minutes=4200))
    renewed = graph(fakes, "PATCH", "/subscriptions/" + s["id"], tok,
                    json={"expirationDateTime": later})
    assert renewed.status_code == 200
    assert renewed.json()["expirationDateTime"].startswith(later[:-1])
    assert graph(fakes, "PATCH", "/subscriptions/" + s["id"], tok, json={
        "expirationDateTime": iso(datetime.now(timezone.utc) + timedelta(days=5))}).status_code == 400
    assert graph(fakes, "DELETE", "/subscriptions/" + s["id"], tok).status_code == 204
    gone = graph(fakes, "DELETE", "/subscriptions/" + s["id"], tok)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "ResourceNotFound"
    assert gone.json()["error"]["message"] == "The object was not found."
    quiet = requests.post(base + "/_control/events", json={
        "account": "pro@contoso.example", "start": at(11), "end": at(12)}, timeout=T).json()
    assert quiet["notified"] == []


def test_microsoft_a_calendars_subscription_hears_only_that_calendar(fakes, receiver):
    """me/events is the default calendar's events; me/calendars/{id}/events another's. A
    calendar shared to read is listed with canEdit false."""
    base = fakes.base("microsoft")
    tok = ms_login(fakes)["access_token"]
    account = "pro@contoso.example"
    requests.post(base + "/_control/calendars", json={
        "account": account, "id": "AAMkFake2nd", "name": "Equipo", "canEdit": False}, timeout=T)
    listed = graph(fakes, "GET", "/me/calendars", tok).json()["value"]
    assert [(c["name"], c["canEdit"]) for c in listed if c["id"] == "AAMkFake2nd"] == [
        ("Equipo", False)]
    receiver.mode = "echo"
    expires = iso(datetime.now(timezone.utc) + timedelta(minutes=4000))
    sub = {"changeType": "created,updated,deleted", "notificationUrl": receiver.url("/graph"),
           "expirationDateTime": expires, "clientState": "cs"}
    assert graph(fakes, "POST", "/subscriptions", tok, json=dict(
        sub, resource="me/calendars/AAMkNotMine/events")).status_code == 400
    default = graph(fakes, "POST", "/subscriptions", tok, json=dict(sub, resource="me/events"))
    other = graph(fakes, "POST", "/subscriptions", tok, json=dict(
        sub, resource="me/calendars/AAMkFake2nd/events"))
    assert default.status_code == 201 and other.status_code == 201
    receiver.mode = "ok"
    made = requests.post(base + "/_control/events", json={
        "account": account, "calendar": "AAMkFake2nd", "start": at(9), "end": at(10)},
        timeout=T).json()
    assert made["notified"] == [{"subscription": other.json()["id"], "status": 200}]
    made = requests.post(base + "/_control/events", json={
        "account": account, "start": at(11), "end": at(12)}, timeout=T).json()
    assert made["notified"] == [{"subscription": default.json()["id"], "status": 200}]
    assert graph(fakes, "DELETE", "/subscriptions/" + other.json()["id"], tok).status_code == 204
    kept = [s for s in requests.get(base + "/_control/subscriptions", timeout=T).json()[
        "subscriptions"] if s["id"] == other.json()["id"]]
    assert [s["deleted"] for s in kept] == [True]
    for s in (default, other):
        graph(fakes, "DELETE", "/subscriptions/" + s.json()["id"], tok)


def test_google_lists_a_shared_calendar_with_its_access_role(fakes):
    base = fakes.base("google")
    r = requests.post(base + "/_control/calendars", json={
        "account": "x@example.com", "id": "y@group", "summary": "Y", "accessRole": "admin"},
        timeout=T)
    assert r.status_code == 400


def test_microsoft_outage(fakes):
    tok = ms_login(fakes)["access_token"]
    fakes.config("microsoft", status=500)
    assert graph(fakes, "GET", "/me", tok).status_code == 500
    assert ms_token(fakes, grant_type="refresh_token", refresh_token="x").status_code == 500
    assert requests.get(fakes.base("microsoft") + "/_control/events", timeout=T).status_code == 200


# ---------------------------------------------------------------------------------- PKCE, scopes

def _pkce(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_google_and_microsoft_check_pkce_like_the_providers(fakes):
    verifier = "v" * 43
    challenge = _pkce(verifier)
    cases = [
        ("google", fakes.base("google") + "/o/oauth2/v2/auth/decide", fakes.base("google") + "/token",
         {"client_id": G_CLIENT, "redirect_uri": G_REDIRECT, "scope": G_SCOPE},
         {"grant_type": "authorization_code", "client_id": G_CLIENT, "client_secret": G_SECRET,
          "redirect_uri": G_REDIRECT}),
        ("microsoft", fakes.base("microsoft") + "/common/oauth2/v2.0/authorize/decide",
         fakes.base("microsoft") + "/common/oauth2/v2.0/token",
         {"client_id": M_CLIENT, "redirect_uri": M_REDIRECT, "scope": M_SCOPE, "response_mode": "query"},
         {"grant_type": "authorization_code", "client_id": M_CLIENT, "client_secret": M_SECRET,
          "scope": M_SCOPE, "redirect_uri": M_REDIRECT}),
    ]
    for name, decide, token, asked, exchange in cases:
        def code():
            r = requests.post(decide, data=dict(asked, state="st", email="pro@example.com",
                                                decision="allow", code_challenge=challenge,
                                                code_challenge_method="S256"),
                              allow_redirects=False, timeout=T)
            assert r.status_code == 302, (name, r.text)
            return parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
        # no verifier, or another one: invalid_grant, and the code is not spent by it
        c = code()
        for sent in ({}, {"code_verifier": "w" * 43}):
            r = requests.post(token, data=dict(exchange, code=c, **sent), timeout=T)
            assert r.status_code == 400 and r.json()["error"] == "invalid_grant", (name, sent, r.text)
        r = requests.post(token, data=dict(exchange, code=c, code_verifier=verifier), timeout=T)
        assert r.status_code == 200 and r.json()["refresh_token"], (name, r.text)
    # a malformed challenge is refused on the consent page already
    r = requests.get(fakes.base("google") + "/o/oauth2/v2/auth", params={
        "client_id": G_CLIENT, "redirect_uri": G_REDIRECT, "response_type": "code", "scope": G_SCOPE,
        "state": "s", "code_challenge": "short", "code_challenge_method": "S256"}, timeout=T)
    assert r.status_code == 400


def test_google_answers_only_what_the_grant_scopes_allow(fakes):
    """A grant of calendar.freebusy + calendar.events reads busy times and the event list,
    writes events, and is refused the calendar list (403 insufficientPermissions)."""
    narrow = ("https://www.googleapis.com/auth/calendar.freebusy "
              "https://www.googleapis.com/auth/calendar.events")
    base = fakes.base("google")
    r = requests.post(base + "/o/oauth2/v2/auth/decide", data={
        "client_id": G_CLIENT, "redirect_uri": G_REDIRECT, "scope": narrow, "state": "s",
        "email": "narrow@example.com", "decision": "allow"}, allow_redirects=False, timeout=T)
    c = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
    tok = requests.post(base + "/token", data={
        "grant_type": "authorization_code", "code": c, "client_id": G_CLIENT,
        "client_secret": G_SECRET, "redirect_uri": G_REDIRECT}, timeout=T).json()["access_token"]
    listed = gcal(fakes, "GET", "/users/me/calendarList", tok)
    assert listed.status_code == 403
    assert listed.json()["error"]["errors"][0]["reason"] == "insufficientPermissions"
    events = gcal(fakes, "GET", "/calendars/primary/events?maxResults=1", tok)
    assert events.status_code == 200 and events.json()["summary"] == "narrow@example.com"
    busy = gcal(fakes, "POST", "/freeBusy", tok, json={
        "timeMin": "2026-12-01T00:00:00Z", "timeMax": "2026-12-02T00:00:00Z",
        "items": [{"id": "primary"}]})
    assert busy.status_code == 200
    # events.readonly alone cannot write
    r = requests.post(base + "/o/oauth2/v2/auth/decide", data={
        "client_id": G_CLIENT, "redirect_uri": G_REDIRECT, "state": "s", "decision": "allow",
        "scope": "https://www.googleapis.com/auth/calendar.events.readonly",
        "email": "ro@example.com"}, allow_redirects=False, timeout=T)
    c = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
    ro = requests.post(base + "/token", data={
        "grant_type": "authorization_code", "code": c, "client_id": G_CLIENT,
        "client_secret": G_SECRET, "redirect_uri": G_REDIRECT}, timeout=T).json()["access_token"]
    assert gcal(fakes, "POST", "/calendars/primary/events", ro, json={
        "summary": "x", "start": {"dateTime": "2026-12-01T10:00:00Z"},
        "end": {"dateTime": "2026-12-01T11:00:00Z"}}).status_code == 403
