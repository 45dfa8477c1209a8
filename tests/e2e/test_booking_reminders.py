"""Reminders (API.md "After booking"): each lead of the tenant sent once, at or after
start - lead; skipped when its moment had passed at payment; a moved booking is reminded of
its new time; never for a cancelled booking; two servers never send one twice. The stack
runs the reminder job every second (KonfirmadoReminderInterval 1)."""
import datetime as dt
import re
import time

from booking_seed import utc
from conftest import psql, start_extra_httpd
from mail_times_support import page_time
from test_booking_cancel import later
from test_booking_mails import book_free, mails_to, text_of


def make_due(booking_id, start_in_minutes, paid_ago="1 day"):
    """The booking starts soon, and was paid long ago (the seeds' way to be 'tomorrow')."""
    psql("""UPDATE reservations SET starts_at = now() + make_interval(mins => :'p2'::int),
              ends_at = now() + make_interval(mins => :'p2'::int + 45),
              blocked = tstzrange(now() + make_interval(mins => :'p2'::int),
                                  now() + make_interval(mins => :'p2'::int + 45))
            WHERE id = :'p1'""", booking_id, start_in_minutes)
    psql("UPDATE reservation_history SET created_at = now() - :'p2'::interval WHERE reservation_id = :'p1'",
         booking_id, paid_ago)


def reminders_of(booking_id):
    return int(psql("SELECT count(*) FROM booking_reminders WHERE reservation_id = :'p1'", booking_id))


def test_a_lead_fires_once_and_a_move_rearms_it(api, maildir):
    sc, booking, email, *_ = book_free(api, "America/Bogota", day=later())
    psql("UPDATE tenants SET reminders = '{15}' WHERE id = :'p1'", sc.tenant_id)
    make_due(booking["id"], 10)
    confirmation, mail = mails_to(maildir, email, n=2)
    assert mail["Subject"] == "Recordatorio: Consulta general en 15 min"
    # the time as the booking pages write it, in the customer's zone
    start = utc(psql("SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                     "FROM reservations WHERE id = :'p1'", booking["id"]))
    assert "Cuándo: %s\nHora del profesional: %s\n" % (
        page_time(start, "America/Bogota"), page_time(start, "Europe/Madrid")) in text_of(mail)
    # the booking's page, with the same link as the confirmation (it still opens)
    link = re.search(r"http\S+/book/manage/\S+", text_of(confirmation)).group(0)
    assert link in text_of(mail)
    time.sleep(2.5)
    assert len(maildir.new(to=email)) == 2 and reminders_of(booking["id"]) == 1
    # moved (and paid a day ago): the new time is reminded again, once
    make_due(booking["id"], 12)
    psql("""INSERT INTO reservation_history (reservation_id, from_status, to_status, reason, created_at)
            VALUES (:'p1', 'paid', 'paid', 'rescheduled', now() - interval '1 hour')""", booking["id"])
    mails_to(maildir, email, n=3)
    time.sleep(2.5)
    assert len(maildir.new(to=email)) == 3 and reminders_of(booking["id"]) == 2


def test_a_booking_made_30_minutes_ahead_gets_no_reminder(api, maildir):
    sc, booking, email, *_ = book_free(api, "America/Bogota", day=later())
    make_due(booking["id"], 30, paid_ago="0 seconds")        # paid now, starts in 30 min
    time.sleep(3)
    assert reminders_of(booking["id"]) == 0
    assert len(maildir.new(to=email)) == 1                   # the confirmation only


def test_a_cancelled_booking_is_never_reminded(api, maildir):
    sc, booking, email, *_ = book_free(api, "America/Bogota", day=later())
    psql("UPDATE tenants SET reminders = '{15}' WHERE id = :'p1'", sc.tenant_id)
    r = api.post("/api/public/bookings/%s/cancel" % booking["id"], headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200
    make_due(booking["id"], 10)
    time.sleep(3)
    assert reminders_of(booking["id"]) == 0


def test_two_servers_never_send_one_reminder_twice(api, maildir):
    made = []
    for _ in range(6):
        sc, booking, email, *_ = book_free(api, "America/Bogota", day=later())
        psql("UPDATE tenants SET reminders = '{15}' WHERE id = :'p1'", sc.tenant_id)
        made.append((booking["id"], email))
    with start_extra_httpd():
        for booking_id, _ in made:
            make_due(booking_id, 10)
        for booking_id, email in made:
            mails_to(maildir, email, n=2)
        time.sleep(3)
    for booking_id, email in made:
        assert len(maildir.new(to=email)) == 2 and reminders_of(booking_id) == 1


def test_the_tenant_sets_its_leads(merchant):
    t = merchant.api.get("/api/admin/tenant").json()["tenant"]
    assert t["reminders"] == [1440, 60]
    # the rule as the answer gives it (a form offers what it says), and what the PATCH and
    # the database then take: its bounds, and nothing past them
    limits = t["reminder_limits"]
    assert limits == {"leads_max": 3, "lead_min_minutes": 15, "lead_max_minutes": 10080}
    low, high = limits["lead_min_minutes"], limits["lead_max_minutes"]
    for bad in ([low - 1], [high + 1], [15, 15], [15, 60, 120, 240], "1440", [20000]):
        r = merchant.api.patch("/api/admin/tenant", json={"reminders": bad})
        assert r.status_code == 400 and "reminders" in r.json()["error"]["fields"], bad
    r = merchant.api.patch("/api/admin/tenant", json={"reminders": [high, low]})
    assert r.status_code == 200 and r.json()["tenant"]["reminders"] == [high, low]
    r = merchant.api.patch("/api/admin/tenant", json={"reminders": [2880, 120]})
    assert r.status_code == 200 and r.json()["tenant"]["reminders"] == [2880, 120]
    r = merchant.api.patch("/api/admin/tenant", json={"reminders": []})
    assert r.status_code == 200 and r.json()["tenant"]["reminders"] == []


def test_the_default_day_and_hour_leads_each_fire_once(api, maildir):
    """Leads [1440, 60] (the default): a booking paid two days ago that starts in 50 minutes
    has both moments behind it: each reminder is sent once, and only once."""
    sc, booking, email, *_ = book_free(api, "America/Bogota", day=later())
    psql("UPDATE tenants SET reminders = '{1440,60}' WHERE id = :'p1'", sc.tenant_id)
    make_due(booking["id"], 50, paid_ago="2 days")
    mails = mails_to(maildir, email, n=3)[1:]
    assert sorted(m["Subject"] for m in mails) == ["Recordatorio: Consulta general en 1 día(s)",
                                                    "Recordatorio: Consulta general en 1 hora(s)"]
    time.sleep(2.5)
    assert len(maildir.new(to=email)) == 3 and reminders_of(booking["id"]) == 2
