"""The purge job (KonfirmadoPurgeInterval, 1 s on the test stack) deletes what no longer opens
anything a day after its end and keeps the rest: merchant sessions, account tokens used or
expired, calendar OAuth states and invitations past their time, and the token and client
address of holds that ended without a booking; and attempt counters (KonfirmadoRateLimitCache
postgres) whose window ended, at once."""
import secrets

from calendar_support import day_in
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import psql
from payments_helpers import wait_for


def hexhash():
    return secrets.token_hex(32)


def count(sql, *args):
    return int(psql("SELECT count(*) FROM " + sql, *args))


def test_the_purge_deletes_what_expired_and_keeps_what_lives(shop, merchant):
    user, tenant = merchant.user_id, merchant.tenant_id
    dead_session, idle_session, just_ended = hexhash(), hexhash(), hexhash()
    psql("INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, idle_expires_at,"
         " absolute_expires_at) VALUES (:'p1', :'p4', :'p5', 'x', now() + interval '1 hour',"
         " now() - interval '25 hours'), (:'p2', :'p4', :'p5', 'x', now() - interval '25 hours',"
         " now() + interval '1 hour'), (:'p3', :'p4', :'p5', 'x', now() - interval '1 minute',"
         " now() + interval '1 hour')", dead_session, idle_session, just_ended, user, tenant)
    expired, used, live, just_used = hexhash(), hexhash(), hexhash(), hexhash()
    psql("INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at, used_at) VALUES"
         " (:'p1', :'p5', 'reset_password', now() - interval '25 hours', NULL),"
         " (:'p2', :'p5', 'verify_email', now() + interval '1 hour', now() - interval '25 hours'),"
         " (:'p3', :'p5', 'reset_password', now() + interval '1 hour', NULL),"
         " (:'p4', :'p5', 'verify_email', now() + interval '1 hour', now())",
         expired, used, live, just_used, user)
    # an invitation whose time passed, with a round trip started through it
    old_invitation = shop.invite()
    assert shop.api.get("/api/oauth/google/start",
                        params={"invitation": old_invitation}).status_code == 302
    psql("UPDATE calendar_invitations SET expires_at = now() - interval '25 hours'"
         " WHERE professional_id = :'p1'", shop.professional_id)
    # holds: one released two days ago, one released just now, one alive
    date, ten = day_in(5)
    slots = shop.slots(date)
    holds = [shop.hold(start).json()["hold"] for start in slots[::8][:3]]
    for hold, ago in ((holds[0], "2 days"), (holds[1], "1 minute")):
        psql("UPDATE reservations SET status = 'cancelled', updated_at = now() - :'p1'::interval"
             " WHERE id = :'p2'", ago, hold["id"])

    wait_for(lambda: count("sessions WHERE token_hash IN (:'p1', :'p2')",
                           dead_session, idle_session) == 0, what="expired sessions purged")
    wait_for(lambda: count("reservations WHERE id = :'p1' AND hold_token_hash IS NULL"
                           " AND client_ip IS NULL", holds[0]["id"]) == 1,
             what="the old hold's token and address forgotten")
    assert count("user_tokens WHERE token_hash IN (:'p1', :'p2')", expired, used) == 0
    assert count("user_tokens WHERE token_hash IN (:'p1', :'p2')", live, just_used) == 2
    assert count("sessions WHERE token_hash = :'p1'", just_ended) == 1
    assert count("calendar_invitations WHERE professional_id = :'p1'", shop.professional_id) == 0
    assert count("calendar_oauth_states WHERE expires_at < now() + interval '1 hour'"
                 " AND invitation_hash NOT IN (SELECT token_hash FROM calendar_invitations)") == 0
    # what lives is kept: the merchant's session, the recent and the live holds
    assert merchant.api.get("/api/auth/me").status_code == 200
    for hold in holds[1:]:
        assert count("reservations WHERE id = :'p1' AND hold_token_hash IS NOT NULL",
                     hold["id"]) == 1
    # the live hold still releases with its token
    r = shop.api.delete("/api/public/holds/%s" % holds[2]["id"],
                        headers={"Authorization": "Bearer " + holds[2]["token"]})
    assert r.status_code in (200, 204), r.text


def test_an_expired_oauth_state_is_purged(shop):
    invitation = shop.invite()
    start = shop.api.get("/api/oauth/google/start", params={"invitation": invitation})
    assert start.status_code == 302
    psql("UPDATE calendar_oauth_states s SET expires_at = now() - interval '25 hours'"
         " FROM calendar_invitations i WHERE i.token_hash = s.invitation_hash"
         " AND i.professional_id = :'p1'", shop.professional_id)
    wait_for(lambda: count("calendar_oauth_states s JOIN calendar_invitations i"
                           " ON i.token_hash = s.invitation_hash WHERE i.professional_id = :'p1'",
                           shop.professional_id) == 0, what="the expired state purged")
    # the invitation itself lives on and starts again
    assert shop.api.get("/api/oauth/google/start",
                        params={"invitation": invitation}).status_code == 302


def test_the_purge_deletes_attempt_counters_whose_window_ended():
    ended, live = "read:" + hexhash(), "read:" + hexhash()
    psql("INSERT INTO rate_limit_counters (key, started, count, expires_at) VALUES"
         " (:'p1', 1, 3, now() - interval '1 second'), (:'p2', 1, 3, now() + interval '1 hour')",
         ended, live)
    wait_for(lambda: count("rate_limit_counters WHERE key = :'p1'", ended) == 0,
             what="the ended counter purged")
    assert count("rate_limit_counters WHERE key = :'p1'", live) == 1
    psql("DELETE FROM rate_limit_counters WHERE key = :'p1'", live)
