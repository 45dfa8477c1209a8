"""OAuth resilience of Google and Microsoft calendars (docs/calendars.md): an access token the
provider refuses (401) is refreshed once and the call made again, for busy reads and for the
booking's event; a refresh refused marks the connection as needing a reconnect (status
`error`, `needs_reconnect`), mails the professional a new invitation that connects it again,
and the professional's slots stay as safe as before (the last busy times, then none)."""
import re
import secrets

from calendar_support import day_in, shop, z  # noqa: F401 (the fixture)
from conftest import psql
from payments_helpers import wait_for

INVITATION_LINK = r"https?://[^\s\"<>]+/connect-calendar/([A-Za-z0-9_-]+)"


def refreshes(fakes, provider):
    """How many times the provider's token endpoint was asked for a refresh."""
    return len([r for r in fakes.requests(provider)
                if r["method"] == "POST" and r["path"].endswith("/token")
                and "grant_type=refresh_token" in (r["body"] or "")])


def read_now(shop):
    """The sync job reads the busy times at its next run; returns the read's moment before."""
    before = shop.row("synced_at")
    psql("UPDATE calendar_connections SET sync_due_at = now() WHERE professional_id = :'p1'",
         shop.professional_id)
    return before


def test_google_refuses_the_access_token_it_is_refreshed_once_and_the_read_made_again(shop, fakes):
    account = shop.connect_google()
    date, ten = day_in(3)
    before = refreshes(fakes, "google")
    fakes._call("POST", "/google/_control/expire_access", json={"account": account})
    shop.google_event(account, ten, minutes=60, notify=False)
    synced = read_now(shop)
    wait_for(lambda: shop.row("synced_at") != synced, timeout=20, what="a new busy read")
    assert refreshes(fakes, "google") == before + 1
    assert z(ten) not in shop.slots(date), "the busy time read with the new token is not used"
    cal = shop.calendar()
    assert cal["status"] == "connected" and cal["needs_reconnect"] is False and cal["error"] is None
    # the new token is kept: the next read asks for none
    synced = read_now(shop)
    wait_for(lambda: shop.row("synced_at") != synced, timeout=20, what="another busy read")
    assert refreshes(fakes, "google") == before + 1


def test_microsoft_refuses_the_access_token_while_the_event_is_written(shop, fakes):
    account = shop.connect_microsoft()
    date, ten = day_in(4)
    before = refreshes(fakes, "microsoft")
    fakes._call("POST", "/microsoft/_control/expire_access", json={"account": account})
    booking = shop.book(z(ten), email="ana@example.com")

    def written():
        events = fakes._call("GET", "/microsoft/_control/events?account=" + account)["events"]
        return [e for e in events if not e.get("deleted")]
    [event] = wait_for(written, timeout=30, what="the booking's event in Outlook")
    assert event["subject"].startswith("Consulta general")
    assert refreshes(fakes, "microsoft") == before + 1
    detail = shop.merchant.api.get("/api/admin/bookings/" + booking["id"]).json()["booking"]
    assert detail["calendar_event"]["status"] == "written"
    assert shop.calendar()["status"] == "connected"


def test_a_refused_refresh_asks_for_a_reconnect_and_mails_the_professional_an_invitation(
        shop, fakes, maildir, allow_log):
    allow_log(r"refused our access", r"token refresh failed", r"busy times not read")
    pro_email = "pro-%s@example.com" % secrets.token_hex(5)
    psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", pro_email, shop.professional_id)
    account = shop.connect_google()
    date, ten = day_in(3)
    shop.google_event(account, ten, minutes=60)
    offered = shop.slots(date)
    assert z(ten) not in offered and offered
    # the access token is refused and so is the refresh token: the person revoked our access
    fakes._call("POST", "/google/_control/revoke", json={"account": account})
    read_now(shop)
    wait_for(lambda: shop.calendar()["status"] == "error", timeout=20, what="status error")
    cal = shop.calendar()
    assert cal["needs_reconnect"] is True and "invalid_grant" in cal["error"]
    # the professional's own mail: a new invitation
    [mail] = maildir.wait(1, timeout=20, to=pro_email)
    business = psql("SELECT name FROM tenants WHERE id = :'p1'", shop.tenant_id)
    assert str(mail["Subject"]) == "Vuelve a conectar tu calendario con %s" % business
    text = mail.get_body(preferencelist=("plain",)).get_content()
    token = re.search(INVITATION_LINK, text).group(1)
    r = shop.api.get("/api/public/invitations/" + token)
    assert r.status_code == 200, r.text
    assert r.json()["invitation"]["used"] is False
    assert r.json()["invitation"]["calendar"]["needs_reconnect"] is True
    # the business is told too, once; a later failure mails nobody again
    assert maildir.wait(1, timeout=20, to=shop.merchant.email)
    read_now(shop)
    # availability is as safe as before: the last busy times, the appointment still blocked
    assert shop.slots(date) == offered
    # the professional follows the mail's link: connected again, nothing to reconnect
    done = shop.oauth("google", token, account)
    assert done.status_code == 302 and "result=connected" in done.headers["Location"]
    wait_for(lambda: shop.calendar()["status"] == "connected", timeout=20, what="connected again")
    cal = shop.calendar()
    assert cal["needs_reconnect"] is False and cal["error"] is None
    assert len(maildir.new(to=pro_email)) == 1


def test_a_professional_without_an_address_is_reconnected_from_the_dashboard(shop, fakes, maildir,
                                                                            allow_log):
    allow_log(r"refused our access", r"token refresh failed", r"busy times not read")
    account = shop.connect_microsoft()
    fakes._call("POST", "/microsoft/_control/revoke", json={"account": account})
    read_now(shop)
    wait_for(lambda: shop.calendar()["needs_reconnect"] is True, timeout=20,
             what="needs a reconnect")
    assert maildir.wait(1, timeout=20, to=shop.merchant.email)
    assert psql("SELECT count(*) FROM calendar_invitations WHERE professional_id = :'p1'"
                " AND used_at IS NULL", shop.professional_id) == "0"
    assert shop.merchant.api.post("/api/admin/professionals/%s/invitation"
                                  % shop.professional_id).status_code == 201
