"""Professionals' calendars: busy times respected (API.md "Calendar connection").

The professional connects through the invitation (Google / Microsoft via their consent
pages, Cal.com with a key); an appointment typed into the fake calendar removes the
overlapping slots as soon as the provider notifies it, and without a notification once the
connection is due again; a hold on a calendar read over a minute ago reads it again; a bad
channel token, clientState or signature is 401 and changes nothing."""
import datetime as dt

import requests

from calendar_support import age_busy_times, day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql
from payments_helpers import wait_for


def overlapping(slots, start, minutes):
    """Slot starts (30-minute appointments) that overlap [start, start + minutes)."""
    end = start + dt.timedelta(minutes=minutes)
    return [s for s in slots
            if dt.datetime.fromisoformat(s.replace("Z", "+00:00")) < end
            and dt.datetime.fromisoformat(s.replace("Z", "+00:00")) + dt.timedelta(minutes=30) > start]


def test_google_connects_through_the_invitation(shop, fakes):
    account = shop.connect_google()
    cal = shop.calendar()
    assert cal["provider"] == "google" and cal["status"] == "connected"
    assert cal["label"] == "Google Calendar"   # what the merchant's page shows
    assert cal["account"] == account and cal["error"] is None and cal["last_sync_at"]
    # the tokens are sealed, never stored in the clear
    assert "ya29" not in shop.row("secret_sealed") and shop.row("secret_sealed").startswith("v1.")
    channels = [c for c in fakes._call("GET", "/google/_control/channels")["channels"]
                if c["account"] == account]
    assert len(channels) == 1 and channels[0]["address"].endswith("/api/webhooks/google")
    # the invitation page says so too
    inv = shop.api.get("/api/public/invitations/%s" % shop.invite()).json()["invitation"]
    assert inv["calendar"]["status"] == "connected"
    assert {p["name"]: p["available"] for p in inv["providers"]} == {
        "google": True, "microsoft": True, "calcom": True, "caldav": True}
    # the page names each one as people say it, from this answer
    assert [p["label"] for p in inv["providers"]] == [
        "Google Calendar", "Outlook / Microsoft 365", "Cal.com", "CalDAV"]
    assert inv["calendar"]["label"] == "Google Calendar"


def test_an_appointment_in_google_removes_its_slots_at_the_notification(shop):
    account = shop.connect_google()
    date, ten = day_in(3)
    before = shop.slots(date)
    gone = overlapping(before, ten, 60)
    assert z(ten) in gone and z(ten + dt.timedelta(minutes=45)) in gone   # 15-minute grid
    out = shop.google_event(account, ten, minutes=60)
    assert [n["status"] for n in out["notified"]] == [200]
    after = shop.slots(date)
    assert overlapping(after, ten, 60) == []
    assert after == [s for s in before if s not in gone]
    # the professional deletes it: the slots come back at the next notification
    fakes_events = shop.google_events(account)
    shop.fakes._call("DELETE", "/google/_control/events/%s?notify=1" % fakes_events[0]["id"])
    assert shop.slots(date) == before


def test_without_a_notification_the_refresh_finds_it(shop):
    account = shop.connect_google()
    date, ten = day_in(4)
    shop.google_event(account, ten, minutes=30, notify=False)
    assert z(ten) in shop.slots(date)          # not known yet
    synced = shop.row("synced_at")
    # KonfirmadoCalendarRefresh has passed for this connection: the sync job reads it
    age_busy_times(shop, 301, due_later=False)
    wait_for(lambda: shop.row("synced_at") != synced and shop.row("sync_due_at > now()") == "t",
          what="the sync job's read")
    assert z(ten) not in shop.slots(date)


def test_a_hold_on_a_slot_made_busy_seconds_ago_is_refused(shop):
    account = shop.connect_google()
    date, ten = day_in(5)
    shop.google_event(account, ten, minutes=30, notify=False)
    # busy times read 90 s ago (before the appointment was made), no notification came
    age_busy_times(shop, 90)
    assert z(ten) in shop.slots(date)          # availability believes its cache
    r = shop.hold(z(ten))
    assert r.status_code == 409 and r.json()["error"]["code"] == "slot_unavailable", r.text
    assert z(ten) not in shop.slots(date)      # the hold's fresh read is now everybody's
    assert shop.hold(z(ten + dt.timedelta(minutes=30))).status_code == 201


def test_a_bad_channel_token_is_refused_and_changes_nothing(shop, fakes, api):
    account = shop.connect_google()
    channel = [c for c in fakes._call("GET", "/google/_control/channels")["channels"]
               if c["account"] == account][0]
    synced = shop.row("synced_at")
    out = fakes._call("POST", "/google/_control/notify", json={"channel": channel["id"],
                                                                "token": "not-the-token"})
    assert out["status"] == 401
    r = api.post("/api/webhooks/google", data=b"", headers={
        "X-Goog-Channel-ID": channel["id"], "X-Goog-Resource-State": "exists"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_signature"
    r = api.post("/api/webhooks/google", data=b"", headers={
        "X-Goog-Channel-ID": "kf-unknown", "X-Goog-Channel-Token": channel["token"],
        "X-Goog-Resource-State": "exists"})
    assert r.status_code == 401
    assert shop.row("synced_at") == synced
    # the right token is taken
    assert fakes._call("POST", "/google/_control/notify", json={"channel": channel["id"]})["status"] == 200
    assert shop.row("synced_at") != synced


def test_microsoft_connects_and_its_notifications_are_checked(shop, fakes, api):
    account = shop.connect_microsoft()
    cal = shop.calendar()
    assert cal["provider"] == "microsoft" and cal["account"] == account
    subs = [s for s in fakes._call("GET", "/microsoft/_control/subscriptions")["subscriptions"]
            if s["account"] == account]
    assert len(subs) == 1 and subs[0]["notificationUrl"].endswith("/api/webhooks/microsoft")
    date, ten = day_in(3)
    assert z(ten) in shop.slots(date)
    out = fakes._call("POST", "/microsoft/_control/events", json={
        "account": account, "start": z(ten), "end": z(ten + dt.timedelta(minutes=45)),
        "subject": "Reunión", "showAs": "busy"})
    assert [n["status"] for n in out["notified"]] == [202]
    slots = shop.slots(date)
    assert z(ten) not in slots and z(ten + dt.timedelta(minutes=30)) not in slots
    assert z(ten + dt.timedelta(minutes=60)) in slots
    # a wrong clientState: 401, nothing read
    synced = shop.row("synced_at")
    assert fakes._call("POST", "/microsoft/_control/notify", json={
        "subscription": subs[0]["id"], "clientState": "wrong"})["status"] == 401
    assert shop.row("synced_at") == synced
    # Graph's handshake: the token echoed decoded, as text
    r = api.post("/api/webhooks/microsoft?validationToken=Validation%3A+Testing+client+%2B+x", data=b"")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    assert r.text == "Validation: Testing client + x"


def test_calcom_connects_with_a_key_and_signed_webhooks(shop, fakes, api):
    r = api.post("/api/public/invitations/%s/calcom" % shop.invite(), json={"api_key": "cal_wrong_key"})
    assert r.status_code == 400 and "api_key" in r.json()["error"]["fields"]
    assert shop.row("count(*)") == "0"
    cal = shop.connect_calcom()
    assert cal["provider"] == "calcom" and cal["status"] == "connected"
    hooks = fakes._call("GET", "/calcom/_control/webhooks")["webhooks"]
    assert len(hooks) == 1 and hooks[0]["subscriberUrl"].endswith("/api/webhooks/calcom/" + shop.tenant_id)
    date, ten = day_in(6)
    assert z(ten) in shop.slots(date)
    out = fakes._call("POST", "/calcom/_control/bookings", json={
        "start": z(ten), "end": z(ten + dt.timedelta(minutes=30)), "title": "Sesión"})
    assert [n["status"] for n in out["notified"]] == [200]
    assert z(ten) not in shop.slots(date)
    synced = shop.row("synced_at")
    assert fakes._call("POST", "/calcom/_control/notify", json={
        "webhook": hooks[0]["id"], "secret": "not-ours"})["status"] == 401
    r = api.post("/api/webhooks/calcom/" + shop.tenant_id, data=b'{"triggerEvent":"BOOKING_CREATED"}',
                 headers={"X-Cal-Signature-256": "00" * 32, "Content-Type": "application/json"})
    assert r.status_code == 401
    assert shop.row("synced_at") == synced


def test_disconnect_forgets_the_calendar(shop, fakes):
    account = shop.connect_google()
    date, ten = day_in(3)
    shop.google_event(account, ten, minutes=30)
    assert z(ten) not in shop.slots(date)
    r = shop.merchant.api.delete("/api/admin/professionals/%s/calendar" % shop.professional_id)
    assert r.status_code == 200, r.text
    assert r.json()["calendar"] == {"provider": None, "label": None, "status": "none",
                                    "account": None, "last_sync_at": None, "error": None,
                                    "needs_reconnect": False, "event_type_id": None}
    assert shop.row("count(*)") == "0"
    assert z(ten) in shop.slots(date)      # working hours only again
    channels = [c for c in fakes._call("GET", "/google/_control/channels")["channels"]
                if c["account"] == account]
    assert all(c["stopped"] for c in channels)


def test_invitations_are_scoped_and_expire(shop, other_merchant, api):
    token = shop.invite()
    assert api.get("/api/public/invitations/%s" % token).status_code == 200
    # another tenant's host does not show it
    other = psql("UPDATE tenants SET subdomain = 'o' || substr(md5(random()::text), 1, 8)"
                 " WHERE id = :'p1' RETURNING subdomain", other_merchant.tenant_id)
    assert api.get("/api/public/invitations/%s" % token, tenant=other).status_code == 404
    assert api.get("/api/public/invitations/%s" % token, tenant=shop.subdomain).status_code == 200
    # a new invitation replaces the old one
    newer = shop.invite()
    r = api.get("/api/public/invitations/%s" % token)
    assert r.status_code == 404 and r.json()["error"]["code"] == "invitation_not_found"
    psql("UPDATE calendar_invitations SET expires_at = now() - interval '1 second'")
    assert api.get("/api/public/invitations/%s" % newer).status_code == 404
    # another merchant cannot invite this professional
    r = other_merchant.api.post("/api/admin/professionals/%s/invitation" % shop.professional_id)
    assert r.status_code == 404


def test_oauth_state_is_single_use_and_denial_connects_nothing(shop, api):
    done = shop.oauth("google", shop.invite(), "pro@example.com", decision="deny")
    assert done.status_code == 302 and "result=denied" in done.headers["Location"]
    assert shop.calendar()["status"] == "pending"
    r = api.get("/api/oauth/google/callback", params={"code": "x", "state": "A" * 43})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_state"
    # a state is good once
    inv = shop.invite()
    start = api.get("/api/oauth/google/start", params={"invitation": inv})
    state = requests.utils.urlparse(start.headers["Location"]).query.split("state=")[1].split("&")[0]
    r1 = api.get("/api/oauth/google/callback", params={"error": "access_denied", "state": state})
    assert r1.status_code == 302
    r2 = api.get("/api/oauth/google/callback", params={"error": "access_denied", "state": state})
    assert r2.status_code == 400


def test_channels_are_renewed_before_they_end(shop, fakes):
    account = shop.connect_google()
    old = shop.row("channel_id")
    psql("UPDATE calendar_connections SET channel_expires_at = now() + interval '2 hours'"
         " WHERE professional_id = :'p1'", shop.professional_id)
    wait_for(lambda: shop.row("channel_id") not in ("", old), what="a new Google channel")
    assert shop.row("channel_expires_at > now() + interval '2 days'") == "t"
    channels = {c["id"]: c for c in fakes._call("GET", "/google/_control/channels")["channels"]
                if c["account"] == account}
    assert channels[old]["stopped"] and not channels[shop.row("channel_id")]["stopped"]


def test_microsoft_subscriptions_renew_in_place_and_tokens_rotate(shop, fakes):
    account = shop.connect_microsoft()
    sub = shop.row("channel_id")
    psql("UPDATE calendar_connections SET channel_expires_at = now() + interval '2 hours'"
         " WHERE professional_id = :'p1'", shop.professional_id)
    wait_for(lambda: shop.row("channel_expires_at > now() + interval '2 days'") == "t",
          what="the subscription renewed")
    assert shop.row("channel_id") == sub       # PATCHed, same subscription
    # every refresh returns a new refresh token and voids the old one: two refreshes in a
    # row only work when the first one's token was kept
    date, ten = day_in(3)
    for minutes in (30, 90):
        secret = shop.row("secret_sealed")
        psql("UPDATE calendar_connections SET access_expires_at = now() - interval '1 minute'"
             " WHERE professional_id = :'p1'", shop.professional_id)
        age_busy_times(shop, 90)
        fakes._call("POST", "/microsoft/_control/events", json={
            "account": account, "start": z(ten + dt.timedelta(minutes=minutes)),
            "end": z(ten + dt.timedelta(minutes=minutes + 30)), "notify": False})
        r = shop.hold(z(ten + dt.timedelta(minutes=minutes)))
        assert r.status_code == 409, r.text     # read with a refreshed token
        assert shop.row("secret_sealed") != secret
    assert shop.calendar()["status"] == "connected"
