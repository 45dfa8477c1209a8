"""A hold that reads a professional's calendar again (busy times read over a minute ago)
holds no pooled database connection while the calendar provider answers. Shown on a server
of two connections: while three holds wait on a slow Google, a health check gets a
connection at once, and the holds are then taken on what Google said."""
import datetime as dt
import threading
import time

from calendar_support import age_busy_times, day_in, z
from calendar_support import shop  # noqa: F401 (the fixture)
from conftest import start_extra_httpd
from narrow_server_support import client_of, narrow_conf, timed_health


def test_a_hold_reading_a_slow_calendar_holds_no_database_connection(shop, fakes):
    account = shop.connect_google()
    date, ten = day_in(5)
    shop.google_event(account, ten, minutes=30, notify=False)
    age_busy_times(shop, 90)
    starts = [ten + dt.timedelta(minutes=30 * i) for i in range(1, 4)]
    fakes.config("google", delay=3)
    try:
        with start_extra_httpd(narrow_conf()) as extra:
            results = []

            def hold(start):
                results.append(client_of(extra).post("/api/public/holds", timeout=30, json={
                    "link": shop.slug, "service": shop.service_id,
                    "professional": shop.professional_id, "start": z(start)}))

            threads = [threading.Thread(target=hold, args=(s,)) for s in starts]
            for t in threads:
                t.start()
            time.sleep(1)      # the three are waiting on Google now
            assert all(t.is_alive() for t in threads), "Google's delay did not hold them"
            took, health = timed_health(extra)
            for t in threads:
                t.join(30)
            assert health.status_code == 200 and health.json()["database"] == "ok", health.text
            assert took < 1.5, "health waited %.1f s for a connection" % took
    finally:
        fakes.config("google", delay=0)
    assert [r.status_code for r in results] == [201] * 3, [r.text for r in results]
    # what Google said was stored: the appointment typed there is busy now
    assert z(ten) not in shop.slots(date)
