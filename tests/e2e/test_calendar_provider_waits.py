"""Requests that wait on a calendar provider hold no pooled database connection meanwhile:
a hold that reads a professional's calendar again (busy times read over a minute ago), the
OAuth callback that connects a calendar (and reads it at once), and a disconnect. Shown on a
server of two connections: while three such requests wait on a slow Google, a health check
gets a connection at once."""
import datetime as dt
import re
from urllib.parse import urlsplit

from calendar_support import _unescape, age_busy_times, day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import start_extra_httpd
from narrow_server_support import client_of, narrow_conf, while_they_wait
from payments_helpers import wait_for


def consent(client, shop, professional, account):
    """The professional's browser (`client`) up to Google's consent: the URL of our OAuth
    callback on the server the flow started on."""
    http = client.session
    r = client.get("/api/oauth/google/start", params={"invitation": shop.invite(professional)})
    assert r.status_code == 302, r.text
    page = http.get(r.headers["Location"], timeout=10)
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    fields = {k: _unescape(v) for k, v in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)}
    fields.update({"email": account, "decision": "allow"})
    base = "{0.scheme}://{0.netloc}".format(urlsplit(r.headers["Location"]))
    back = http.post(base + action, data=fields, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    cb = urlsplit(back.headers["Location"])
    return cb.path + "?" + cb.query


def test_connecting_and_disconnecting_a_slow_calendar_hold_no_database_connection(shop, fakes):
    professionals = [shop.professional_id, shop.add_professional("Dr. Dos"),
                     shop.add_professional("Dra. Tres")]
    try:
        with start_extra_httpd(narrow_conf()) as extra:
            callbacks = [consent(client_of(extra), shop, p, "pro-%d-%s@example.com" % (i, shop.subdomain))
                         for i, p in enumerate(professionals)]
            fakes.config("google", delay=1.5)
            done = while_they_wait(extra, [lambda u=u: client_of(extra).get(u, timeout=60)
                                           for u in callbacks], "Google", join=60)
            assert all(r.status_code == 302 and "result=connected" in r.headers["Location"]
                       for r in done), [(r.status_code, r.headers.get("Location")) for r in done]
            for p in professionals:
                wait_for(lambda p=p: shop.row("synced_at", p) != "", what="the first busy read")
            gone = while_they_wait(extra, [
                lambda p=p: client_of(extra, shop.merchant).delete(
                    "/api/admin/professionals/%s/calendar" % p, timeout=60)
                for p in professionals], "Google", join=60)
            assert [r.status_code for r in gone] == [200] * 3, [r.text for r in gone]
    finally:
        fakes.config("google", delay=0)
    assert all(shop.row("count(*)", p) == "0" for p in professionals)


def test_a_hold_reading_a_slow_calendar_holds_no_database_connection(shop, fakes):
    account = shop.connect_google()
    date, ten = day_in(5)
    shop.google_event(account, ten, minutes=30, notify=False)
    age_busy_times(shop, 90)
    starts = [ten + dt.timedelta(minutes=30 * i) for i in range(1, 4)]
    fakes.config("google", delay=3)
    try:
        with start_extra_httpd(narrow_conf()) as extra:
            results = while_they_wait(extra, [
                lambda s=s: client_of(extra).post("/api/public/holds", timeout=30, json={
                    "link": shop.slug, "service": shop.service_id,
                    "professional": shop.professional_id, "start": z(s)})
                for s in starts], "Google")
    finally:
        fakes.config("google", delay=0)
    assert [r.status_code for r in results] == [201] * 3, [r.text for r in results]
    # what Google said was stored: the appointment typed there is busy now
    assert z(ten) not in shop.slots(date)
