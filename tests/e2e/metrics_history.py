"""A merchant's history of many days written straight into the database, as the booking flow
would have left it: funnel steps of visits, bookings paid (with their approved payment),
moved, cancelled by the customer or the merchant, completed or missed, reminders sent.
The plan is data (History.bookings), so a test works out what the metrics must say from
the same plan the rows were written from. Times are the tenant's local times."""
import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from conftest import psql

# what becomes of the booking of day `d`, number `i`: (d + i) % 7
OUTCOMES = ["cancelled_customer", "cancelled_merchant", "no_show", "completed", "completed",
            "completed", "rescheduled"]


class Booking:
    def __init__(self, zone, day, i, service, professional, amount, currency):
        tz = ZoneInfo(zone)
        self.day, self.service, self.professional = day, service, professional
        self.amount, self.currency = amount, currency
        self.visit = "hist%s%02d%s" % (day.strftime("%Y%m%d"), i, secrets.token_hex(4))
        # paid at 10:00 + i hours, local; the appointment 26 hours later (real hours: the
        # arithmetic is in UTC, as PostgreSQL's on timestamptz)
        self.paid = dt.datetime.combine(day, dt.time(10 + i, 0), tz).astimezone(dt.timezone.utc)
        self.starts = self.paid + dt.timedelta(hours=26)
        self.outcome = OUTCOMES[(day.toordinal() + i) % 7]
        self.reminded = day.toordinal() % 2 == 0 and not self.outcome.startswith("cancelled")
        # the moment the booking was cancelled, moved or marked
        self.changed = (self.paid + dt.timedelta(hours=2) if self.outcome.startswith("cancelled")
                        else self.paid + dt.timedelta(hours=1) if self.outcome == "rescheduled"
                        else self.starts + dt.timedelta(hours=2))
        self.lead_hours = 26.0
        self.tz = tz

    def local(self, moment):
        return moment.astimezone(self.tz).date()


class History:
    """`days` days before today (the tenant's), the oldest first; a day with an ordinal d
    gets 1 + d % 3 bookings, alternating two services and two professionals, plus two
    visits that only look."""

    def __init__(self, tenant_id, zone, services, professionals, days=120, currency="USD",
                 today=None):
        self.tenant_id, self.zone, self.currency = tenant_id, zone, currency
        self.today = today or dt.datetime.now(ZoneInfo(zone)).date()
        self.bookings, self.lookers = [], []
        for back in range(days, 2, -1):
            day = self.today - dt.timedelta(days=back)
            for i in range(1 + day.toordinal() % 3):
                self.bookings.append(Booking(zone, day, i, services[i % len(services)],
                                             professionals[(day.toordinal() + i) % len(professionals)],
                                             10000 + 1000 * i, currency))
            noon = dt.datetime.combine(day, dt.time(12, 0), ZoneInfo(zone))
            self.lookers += [("look%s%s" % (day.strftime("%Y%m%d"), secrets.token_hex(4)), noon)
                             for _ in range(2)]

    def write(self):
        psql("UPDATE tenants SET timezone = :'p1', currency = :'p2' WHERE id = :'p3'",
             self.zone, self.currency, self.tenant_id)
        rows = []
        for b in self.bookings:
            status = {"cancelled_customer": "cancelled", "cancelled_merchant": "cancelled",
                      "no_show": "no_show", "completed": "completed",
                      "rescheduled": "completed"}[b.outcome]
            by = {"cancelled_customer": "'customer'", "cancelled_merchant": "'merchant'"}.get(b.outcome, "NULL")
            rows.append("('%s','%s','%s','%s','%s',%d,'%s','%s','%s',%s,%s,'%s')" % (
                b.service, b.professional, status, b.paid.isoformat(), b.starts.isoformat(),
                b.amount, b.currency, b.visit, b.changed.isoformat(), by,
                "true" if b.reminded else "false", b.outcome))
        psql("""
            BEGIN;
            CREATE TEMP TABLE plan (service uuid, professional uuid, status text, paid timestamptz,
                starts timestamptz, amount bigint, currency text, visit text, changed timestamptz,
                cancelled_by text, reminded boolean, outcome text) ON COMMIT DROP;
            INSERT INTO plan VALUES %s;
            CREATE TEMP TABLE made ON COMMIT DROP AS
            WITH ins AS (
                INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                    ends_at, blocked, customer_name, customer_email, accepted_terms_at,
                    charge_type, charge_amount, currency, cancelled_by, created_at)
                SELECT :'p1'::uuid, service, professional, status, starts, starts + interval '1 hour',
                       tstzrange(starts, starts + interval '1 hour'), 'Cliente Historia',
                       'historia@example.com', paid, 'total', amount, currency, cancelled_by,
                       paid - interval '10 minutes'
                FROM plan RETURNING id, starts_at, created_at)
            SELECT ins.id, plan.* FROM ins JOIN plan ON plan.starts = ins.starts_at;
            INSERT INTO reservation_history (reservation_id, from_status, to_status, reason, created_at)
            SELECT id, 'held', 'pending_payment', NULL, paid - interval '5 minutes' FROM made
            UNION ALL SELECT id, 'pending_payment', 'paid', 'payment_approved', paid FROM made
            UNION ALL SELECT id, 'paid', 'cancelled', 'cancelled_by_' || cancelled_by, changed
              FROM made WHERE status = 'cancelled'
            UNION ALL SELECT id, 'paid', 'paid', 'rescheduled', changed FROM made WHERE outcome = 'rescheduled'
            UNION ALL SELECT id, 'paid', status, status, CASE WHEN outcome = 'rescheduled'
                THEN starts + interval '2 hours' ELSE changed END
              FROM made WHERE status IN ('completed', 'no_show');
            INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount,
                                  currency, status, approved_at, created_at)
            SELECT :'p1'::uuid, id, 'stripe', 'test', 'hist-' || id, amount, currency, 'approved', paid,
                   paid - interval '5 minutes' FROM made;
            INSERT INTO booking_reminders (reservation_id, lead_minutes, starts_at, sent_at)
            SELECT id, 60, starts, starts - interval '1 hour' FROM made WHERE reminded;
            INSERT INTO funnel_events (tenant_id, reservation_id, event, visit_id, created_at)
            SELECT :'p1'::uuid, NULL::uuid, 'link_viewed', visit, paid - interval '20 minutes' FROM made
            UNION ALL SELECT :'p1', id, 'slot_held', visit, paid - interval '15 minutes' FROM made
            UNION ALL SELECT :'p1', id, 'details_entered', visit, paid - interval '10 minutes' FROM made
            UNION ALL SELECT :'p1', id, 'payment_started', visit, paid - interval '5 minutes' FROM made
            UNION ALL SELECT :'p1', id, 'payment_approved', visit, paid FROM made;
            INSERT INTO funnel_events (tenant_id, event, visit_id, created_at) VALUES %s;
            COMMIT;
            """ % (",".join(rows), ",".join("(:'p1', 'link_viewed', '%s', '%s')" % (v, at.isoformat())
                                             for v, at in self.lookers)), self.tenant_id)
        # written with past times: the job computes this tenant's days from scratch
        psql("SELECT kf_metrics_recompute(:'p1')", self.tenant_id)

    # ---- what the metrics must say, from the plan ----

    def within(self, moment, first, last):
        return first <= moment.astimezone(ZoneInfo(self.zone)).date() <= last

    def expected(self, first, last, service=None, professional=None):
        mine = [b for b in self.bookings if (not service or b.service == service)
                and (not professional or b.professional == professional)]
        paid = [b for b in mine if self.within(b.paid, first, last)]
        ended = [b for b in mine if b.outcome not in ("cancelled_customer", "cancelled_merchant")]
        ended_at = {id(b): (b.starts + dt.timedelta(hours=2)) for b in ended}
        marked = [b for b in ended if self.within(ended_at[id(b)], first, last)]
        no_shows = [b for b in marked if b.outcome == "no_show"]
        cancelled = [b for b in mine if b.outcome.startswith("cancelled") and self.within(b.changed, first, last)]
        looked = 0 if service or professional else sum(1 for _, at in self.lookers if self.within(at, first, last))
        return {
            "bookings": len(paid),
            "revenue": sum(b.amount for b in paid),
            "link_viewed": len(paid) + looked,
            "slot_held": len(paid),
            "completed": len(marked) - len(no_shows),
            "no_shows": len(no_shows),
            "no_shows_reminded": len([b for b in no_shows if b.reminded]),
            "completed_reminded": len([b for b in marked if b.reminded and b.outcome != "no_show"]),
            "cancellations_by": {
                "customer": len([b for b in cancelled if b.outcome == "cancelled_customer"]),
                "merchant": len([b for b in cancelled if b.outcome == "cancelled_merchant"]),
                "system": 0},
            "reschedules": len([b for b in mine if b.outcome == "rescheduled" and self.within(b.changed, first, last)]),
            "reminders": len([b for b in mine if b.reminded
                              and self.within(b.starts - dt.timedelta(hours=1), first, last)]),
            "per_day": {d: len([b for b in paid if b.day == d]) for d in {b.day for b in paid}},
        }
