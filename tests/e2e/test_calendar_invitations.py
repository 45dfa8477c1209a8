"""A calendar invitation lasts 72 hours and connects once; OAuth round trips use PKCE and
the narrowest scopes (API.md "Calendar connection").

Through Google, Microsoft (their fakes check PKCE as the providers do) and Cal.com: after a
connection, another one through the same invitation is 410 invitation_used and changes
nothing, while the page's data still shows what was connected. A code delivered to another
round trip than the one that asked for it is refused by the provider (its verifier does not
match the challenge) and connects nothing."""
import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from calendar_support import _unescape, query_of
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql

# the calendar list (names and zones, to choose which count), busy times, events
GOOGLE_SCOPES = {"https://www.googleapis.com/auth/calendar.calendarlist.readonly",
                 "https://www.googleapis.com/auth/calendar.freebusy",
                 "https://www.googleapis.com/auth/calendar.events"}
MICROSOFT_SCOPES = {"offline_access", "Calendars.ReadWrite"}


def consent(shop, authorize_url, account):
    """The professional allows access on the fake's consent page; returns the provider's
    redirect back to us (its path and query)."""
    http = shop.api.session
    page = http.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    fields = {k: _unescape(v) for k, v in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)}
    fields.update({"email": account, "decision": "allow"})
    base = "{0.scheme}://{0.netloc}".format(urlsplit(authorize_url))
    back = http.post(base + action, data=fields, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    return urlsplit(back.headers["Location"])


def start(shop, provider, invitation):
    return shop.api.get("/api/oauth/%s/start" % provider, params={"invitation": invitation})


def error_code(r):
    return r.json()["error"]["code"]


def test_an_invitation_lasts_72_hours(shop):
    r = shop.merchant.api.post("/api/admin/professionals/%s/invitation" % shop.professional_id)
    assert r.status_code == 201, r.text
    expires = dt.datetime.fromisoformat(r.json()["expires_at"].replace("Z", "+00:00"))
    left = expires - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(hours=71, minutes=55) < left <= dt.timedelta(hours=72)


@pytest.mark.parametrize("provider", ["google", "microsoft"])
def test_an_oauth_invitation_connects_once(shop, provider):
    invitation = shop.invite()
    first = shop.oauth(provider, invitation, "first-%s@example.com" % provider)
    assert first.status_code == 302 and "result=connected" in first.headers["Location"]
    # the page still shows what was connected
    r = shop.api.get("/api/public/invitations/%s" % invitation)
    assert r.status_code == 200 and r.json()["invitation"]["calendar"]["status"] == "connected"
    assert r.json()["invitation"]["used"] is True
    # a second round trip through it is refused before the provider is asked
    again = start(shop, provider, invitation)
    assert again.status_code == 410 and error_code(again) == "invitation_used"
    assert shop.calendar()["account"] == "first-%s@example.com" % provider
    assert psql("SELECT count(*) FROM calendar_oauth_states s JOIN calendar_invitations i"
                " ON i.token_hash = s.invitation_hash WHERE i.professional_id = :'p1'",
                shop.professional_id) == "1"
    # the merchant's next invitation replaces it and connects again
    fresh = shop.api.get("/api/public/invitations/%s" % shop.invite()).json()["invitation"]
    assert fresh["used"] is False


def test_two_round_trips_through_one_invitation_connect_once(shop):
    invitation = shop.invite()
    # both started while the invitation was fresh (two tabs)
    one, two = start(shop, "google", invitation), start(shop, "google", invitation)
    assert one.status_code == 302 and two.status_code == 302
    back_one = consent(shop, one.headers["Location"], "one@example.com")
    back_two = consent(shop, two.headers["Location"], "two@example.com")
    done = shop.api.get(back_one.path + "?" + back_one.query)
    assert done.status_code == 302 and "result=connected" in done.headers["Location"]
    late = shop.api.get(back_two.path + "?" + back_two.query)
    assert late.status_code == 410 and error_code(late) == "invitation_used"
    assert shop.calendar()["account"] == "one@example.com"


def test_a_calcom_invitation_connects_once(shop):
    invitation = shop.invite()
    r = shop.api.post("/api/public/invitations/%s/calcom" % invitation,
                      json={"api_key": "cal_test_key", "event_type_id": 1001})
    assert r.status_code == 200, r.text
    sealed = shop.row("secret_sealed")
    r = shop.api.post("/api/public/invitations/%s/calcom" % invitation,
                      json={"api_key": "cal_test_key", "event_type_id": 2002})
    assert r.status_code == 410 and error_code(r) == "invitation_used"
    assert shop.row("event_type_id") == "1001" and shop.row("secret_sealed") == sealed
    # nor can it start an OAuth round trip now
    r = start(shop, "google", invitation)
    assert r.status_code == 410 and error_code(r) == "invitation_used"
    # a new invitation from the merchant connects again
    assert shop.connect_calcom(event_type=2002)["status"] == "connected"
    assert shop.row("event_type_id") == "2002"


@pytest.mark.parametrize("provider,scopes", [("google", GOOGLE_SCOPES),
                                             ("microsoft", MICROSOFT_SCOPES)])
def test_the_authorize_redirect_asks_pkce_and_the_narrowest_scopes(shop, provider, scopes):
    one = query_of(start(shop, provider, shop.invite()).headers["Location"])
    assert set(one["scope"].split(" ")) == scopes
    assert one["code_challenge_method"] == "S256"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", one["code_challenge"])
    assert "include_granted_scopes" not in one
    # each round trip its own verifier; the state row keeps it sealed, never in the clear
    two = query_of(start(shop, provider, shop.invite()).headers["Location"])
    assert two["code_challenge"] != one["code_challenge"]
    kept = psql("SELECT verifier_sealed FROM calendar_oauth_states s JOIN calendar_invitations i"
                " ON i.token_hash = s.invitation_hash WHERE i.professional_id = :'p1'",
                shop.professional_id)
    assert kept.startswith("v1.")


@pytest.mark.parametrize("provider", ["google", "microsoft"])
def test_a_code_brought_to_another_round_trip_connects_nothing(shop, provider):
    """The code asked with one round trip's challenge, delivered with another's state: our
    token request carries the other verifier, and the provider refuses the code."""
    invitation = shop.invite()
    asked, other = start(shop, provider, invitation), start(shop, provider, invitation)
    back = consent(shop, asked.headers["Location"], "pro@example.com")
    code = query_of("?" + back.query)["code"]
    other_state = query_of(other.headers["Location"])["state"]
    r = shop.api.get(back.path, params={"code": code, "state": other_state})
    assert r.status_code == 302 and "result=error" in r.headers["Location"]
    assert shop.calendar()["status"] == "pending"
    assert shop.row("count(*)") == "0"
    # the invitation was not spent by the failure
    assert start(shop, provider, invitation).status_code == 302
