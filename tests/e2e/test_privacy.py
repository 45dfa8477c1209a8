"""A customer's personal data (docs/privacy.md): the merchant's export (JSON and CSV) and
erasure, customers' erasure requests (confirmed, or carried out by themselves after the
tenant's days), and the retention job. After an erasure no text column of any table holds
the customer's name, address or phone, and the booking's money trail is intact."""
import csv
import io
import secrets

import pytest

import booking_seed as seed
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, count, wait_for

TERMS = "https://clinica.example/terminos-v3"


def customer():
    tag = secrets.token_hex(4)
    return {"name": "Zoe Quintanilla %s" % tag, "email": "zoe.%s@example.com" % tag,
            "phone": "+57301%07d" % secrets.randbelow(10**7)}


def text_columns():
    """Every text-like column of every table: (table, column)."""
    out = psql("""SELECT c.table_name || '|' || c.column_name FROM information_schema.columns c
                  JOIN information_schema.tables t USING (table_schema, table_name)
                  WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                    AND c.data_type IN ('text', 'jsonb', 'json', 'character varying', 'inet',
                                        'ARRAY', 'bytea')""")
    return [tuple(line.split("|")) for line in out.splitlines()]


def where_found(values):
    """The table.column names whose text holds any of the values (any case)."""
    patterns = ["%" + v.lower() + "%" for v in values]
    parts = ["SELECT '%s.%s' FROM %s WHERE lower(%s::text) LIKE ANY (:'p1'::text[])"
             % (t, c, t, '"%s"' % c) for t, c in text_columns()]
    array = "{" + ",".join('"%s"' % p for p in patterns) + "}"
    out = psql(" UNION ".join(parts), array)
    return sorted(set(out.split())) if out else []


@pytest.fixture
def shop(merchant, fakes, stack):
    shop = PayTenant(merchant, fakes, stack)
    r = merchant.api.patch("/api/admin/tenant", json={"terms_url": TERMS})
    assert r.status_code == 200, r.text
    return shop


def paid_booking(shop, who):
    """A booking paid through the provider's webhook, with everything a booking leaves
    behind: mails, a merchant callback, a funnel visit, the provider's event."""
    booking, reference = shop.pending_booking()
    visit = secrets.token_urlsafe(16)
    psql("""UPDATE reservations SET customer_name = :'p2', customer_email = :'p3',
              customer_phone = :'p4', notes = 'Alérgica; llamar a ' || :'p2',
              customer_timezone = 'America/Bogota', visit_id = :'p5'
            WHERE id = :'p1'""", booking, who["name"], who["email"], who["phone"], visit)
    psql("""INSERT INTO funnel_events (tenant_id, reservation_id, visit_id, event)
            VALUES (:'p1', :'p2', :'p3', 'details_entered')""", shop.tenant_id, booking, visit)
    shop.fire(reference, customer_email=who["email"])
    wait_for(lambda: psql("SELECT status FROM reservations WHERE id = :'p1'", booking)
             in ("paid", "confirmed"), what="booking paid")
    wait_for(lambda: count("SELECT count(*) FROM mail_outbox WHERE reservation_id = :'p1'"
                           " AND sent_at IS NOT NULL", booking) > 0, what="confirmation sent")
    return booking, reference


def queue_reminders(shop, booking, who):
    """A mail and a text queued for tomorrow, naming the customer."""
    psql("""INSERT INTO mail_outbox (tenant_id, reservation_id, recipient, subject, body_text,
              body_html, next_attempt_at)
            VALUES (:'p1', :'p2', :'p3', 'Recordatorio para ' || :'p4', 'Hola ' || :'p4',
                    '<p>Hola ' || :'p4' || '</p>', now() + interval '1 day')""",
         shop.tenant_id, booking, who["email"], who["name"])
    psql("""INSERT INTO message_outbox (tenant_id, reservation_id, lead_minutes, starts_at,
              recipient, next_attempt_at)
            SELECT tenant_id, id, 60, starts_at, :'p2', now() + interval '1 day'
            FROM reservations WHERE id = :'p1'""", booking, who["phone"])


def money_trail(booking):
    return psql("""SELECT p.reference, p.amount, p.currency, p.status, p.provider_transaction_id,
                          p.approved_at, p.created_at,
                          (SELECT string_agg(e.transaction_id || ':' || e.status || ':' || e.amount
                                             || ':' || e.result, ',' ORDER BY e.id)
                             FROM payment_events e WHERE e.payment_id = p.id),
                          (SELECT string_agg(t.transaction_id || ':' || t.amount, ',')
                             FROM payment_transactions t WHERE t.payment_id = p.id)
                   FROM payments p WHERE p.reservation_id = :'p1'""", booking)


def test_the_export_holds_bookings_payments_messages_and_consents(shop, merchant, other_merchant):
    who = customer()
    booking, reference = paid_booking(shop, who)
    queue_reminders(shop, booking, who)

    r = merchant.api.get("/api/admin/customers/export", params={"email": who["email"].upper()})
    assert r.status_code == 200, r.text
    export = r.json()
    assert [b["id"] for b in export["bookings"]] == [booking]
    b = export["bookings"][0]
    assert b["customer"] == {"name": who["name"], "email": who["email"], "phone": who["phone"],
                             "timezone": "America/Bogota"}
    assert b["service"] == "Consulta dermatológica" and b["professional"] == "Dra. Núñez"
    assert b["status"] in ("paid", "confirmed") and b["amount"] == shop.price
    [payment] = export["payments"]
    assert payment["reference"] == reference and payment["status"] == "approved"
    assert payment["booking_id"] == booking and payment["amount"] == shop.price
    channels = {(m["channel"], m["status"]) for m in export["messages"]}
    assert ("email", "sent") in channels and ("email", "pending") in channels
    assert ("sms", "pending") in channels
    assert {m["recipient"] for m in export["messages"] if m["channel"] == "email"} == {who["email"]}
    [consent] = export["consents"]
    assert consent["booking_id"] == booking and consent["kind"] == "terms"
    assert consent["terms_version"] == TERMS and consent["accepted_at"].endswith("Z")
    assert export["erasure_requests"] == []

    r = merchant.api.get("/api/admin/customers/export",
                         params={"email": who["email"], "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "id", "field", "value"]
    assert ["bookings", booking, "customer.email", who["email"]] in rows
    assert ["bookings", booking, "customer.phone", "'" + who["phone"]] in rows
    assert ["payments", payment["id"], "reference", reference] in rows
    assert ["consents", "1", "terms_version", TERMS] in rows

    # another business holds nothing of them
    r = other_merchant.api.get("/api/admin/customers/export", params={"email": who["email"]})
    assert r.status_code == 200 and r.json()["bookings"] == [] and r.json()["payments"] == []
    # the audit says an export happened, not whose
    audit = psql("SELECT string_agg(changes::text, ' ') FROM audit_log WHERE tenant_id = :'p1'"
                 " AND action = 'customer.export'", shop.tenant_id)
    assert '"format": "csv"' in audit and who["email"] not in audit


def test_an_unknown_address_exports_empty_lists(merchant):
    r = merchant.api.get("/api/admin/customers/export", params={"email": "nadie@example.com"})
    assert r.status_code == 200, r.text
    assert r.json() == {"email": "nadie@example.com", "bookings": [], "purchases": [],
                        "payments": [], "messages": [], "consents": [], "preferences": [],
                        "text_opt_outs": [], "erasure_requests": []}


def test_erasure_leaves_nothing_personal_anywhere_and_the_money_trail_intact(shop, merchant):
    who = customer()
    booking, reference = paid_booking(shop, who)
    queue_reminders(shop, booking, who)
    # the merchant corrected the phone once, and searched the bookings by the address
    new_phone = "+57302%07d" % secrets.randbelow(10**7)
    r = merchant.api.patch("/api/admin/bookings/%s" % booking,
                           json={"customer": {"phone": new_phone}})
    assert r.status_code == 200, r.text
    assert merchant.api.get("/api/admin/bookings.csv", params={"q": who["email"]}).status_code == 200
    # another customer of the same business stays as they are
    neighbour = customer()
    kept, _ = paid_booking(shop, neighbour)

    personal = [who["name"], who["email"], who["phone"], new_phone, who["phone"][1:]]
    assert where_found(personal)          # the scan finds them before
    status = psql("SELECT status FROM reservations WHERE id = :'p1'", booking)
    history = count("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'", booking)
    trail = money_trail(booking)
    sent = count("SELECT count(*) FROM mail_outbox WHERE reservation_id = :'p1'"
                 " AND sent_at IS NOT NULL", booking)
    audit_rows = count("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1'", shop.tenant_id)

    r = merchant.api.post("/api/admin/customers/erase", json={"email": who["email"]})
    assert r.status_code == 200, r.text
    assert r.json() == {"erased_bookings": 1}

    assert where_found(personal) == []
    # the booking keeps its status, history and money
    assert psql("SELECT status FROM reservations WHERE id = :'p1'", booking) == status
    assert count("SELECT count(*) FROM reservation_history WHERE reservation_id = :'p1'",
                 booking) == history
    assert money_trail(booking) == trail and reference in trail
    # what was queued for them is gone; what was sent is still counted
    assert count("SELECT count(*) FROM mail_outbox WHERE reservation_id = :'p1'"
                 " AND sent_at IS NULL", booking) == 0
    assert count("SELECT count(*) FROM message_outbox WHERE reservation_id = :'p1'", booking) == 0
    assert count("SELECT count(*) FROM mail_outbox WHERE reservation_id = :'p1'"
                 " AND sent_at IS NOT NULL", booking) == sent
    # the audit keeps every row, and says how many were erased
    assert count("SELECT count(*) FROM audit_log WHERE tenant_id = :'p1'",
                 shop.tenant_id) == audit_rows + 1
    assert psql("SELECT changes FROM audit_log WHERE tenant_id = :'p1' AND action = 'customer.erase'",
                shop.tenant_id) == '{"erased_bookings": 1}'
    assert count("SELECT count(*) FROM audit_log WHERE entity_id = :'p1'"
                 " AND action = 'booking.customer'", booking) == 1
    # the merchant still sees the booking, with the tombstone
    r = merchant.api.get("/api/admin/bookings/%s" % booking)
    assert r.status_code == 200, r.text
    seen = r.json()["booking"] if "booking" in r.json() else r.json()
    assert seen["customer"]["name"] == "[erased]"
    assert seen["customer"]["email"] is None and seen["customer"]["phone"] is None
    assert seen["status"] == status
    # the neighbour is untouched, and the address exports nothing any more
    assert psql("SELECT customer_email FROM reservations WHERE id = :'p1'", kept) == neighbour["email"]
    assert merchant.api.get("/api/admin/customers/export",
                            params={"email": who["email"]}).json()["bookings"] == []
    # erasing again finds nothing
    r = merchant.api.post("/api/admin/customers/erase", json={"email": who["email"]})
    assert r.status_code == 200 and r.json() == {"erased_bookings": 0}


@pytest.mark.parametrize("params, parameter", [
    ({}, "email"),
    ({"email": ""}, "email"),
    ({"email": "zoe"}, "email"),
    ({"email": "zoe@example.com", "format": "xml"}, "format"),
])
def test_a_bad_export_query_is_a_clear_error(merchant, params, parameter):
    r = merchant.api.get("/api/admin/customers/export", params=params)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_parameter"
    assert r.json()["error"]["parameter"] == parameter


@pytest.mark.parametrize("body", [{}, {"email": None}, {"email": 5}, {"email": "no-at"},
                                  {"email": "a@b"}], ids=["absent", "null", "number", "no-at", "no-dot"])
def test_a_bad_erase_changes_nothing(shop, merchant, body):
    who = customer()
    booking, _ = paid_booking(shop, who)
    r = merchant.api.post("/api/admin/customers/erase", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "validation_failed"
    assert "email" in r.json()["error"]["fields"]
    assert psql("SELECT customer_email FROM reservations WHERE id = :'p1'", booking) == who["email"]


def test_erase_needs_json_and_the_csrf_token(merchant):
    r = merchant.api.post("/api/admin/customers/erase", data="email=x",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415, r.text
    r = merchant.api.post("/api/admin/customers/erase", data="{",
                          headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = merchant.api.post("/api/admin/customers/erase", json={"email": "zoe@example.com"},
                          headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403, r.text


def request_erasure(tenant_id, email, ago="0 seconds"):
    """What the customer's portal asks (kfm_privacy_erasure_request)."""
    return psql("""INSERT INTO erasure_requests (tenant_id, email, requested_at)
                   VALUES (:'p1', :'p2', now() - :'p3'::interval) RETURNING id""",
                tenant_id, email, ago)


def test_the_merchant_confirms_a_customers_request(shop, merchant):
    who = customer()
    booking, _ = paid_booking(shop, who)
    request = request_erasure(shop.tenant_id, who["email"])

    r = merchant.api.get("/api/admin/customers/erasure-requests")
    assert r.status_code == 200, r.text
    [item] = [i for i in r.json()["items"] if i["id"] == request]
    assert item["status"] == "pending" and item["email"] == who["email"]
    assert item["erases_automatically_at"] is not None and item["erased_at"] is None
    export = merchant.api.get("/api/admin/customers/export", params={"email": who["email"]}).json()
    assert [e["id"] for e in export["erasure_requests"]] == [request]

    r = merchant.api.post("/api/admin/customers/erasure-requests/%s/confirm" % request)
    assert r.status_code == 200, r.text
    assert r.json()["erased_bookings"] == 1
    done = r.json()["request"]
    assert done["status"] == "erased" and done["email"] is None
    assert done["erased_by"] == "merchant" and done["erased_bookings"] == 1
    assert psql("SELECT customer_name FROM reservations WHERE id = :'p1'", booking) == "[erased]"
    assert where_found([who["email"], who["name"]]) == []

    r = merchant.api.post("/api/admin/customers/erasure-requests/%s/confirm" % request)
    assert r.status_code == 409 and r.json()["error"]["code"] == "erasure_request_done"


@pytest.mark.parametrize("rid", ["00000000-0000-4000-8000-000000000000", "not-a-uuid"],
                         ids=["unknown", "malformed"])
def test_confirming_an_unknown_request_is_404(merchant, rid):
    r = merchant.api.post("/api/admin/customers/erasure-requests/%s/confirm" % rid)
    assert r.status_code == 404 and r.json()["error"]["code"] == "erasure_request_not_found"


def test_another_business_cannot_confirm_a_request(shop, other_merchant):
    request = request_erasure(shop.tenant_id, customer()["email"])
    r = other_merchant.api.post("/api/admin/customers/erasure-requests/%s/confirm" % request)
    assert r.status_code == 404
    assert psql("SELECT status FROM erasure_requests WHERE id = :'p1'", request) == "pending"


def test_a_request_is_carried_out_after_the_tenants_days(shop, merchant):
    r = merchant.api.patch("/api/admin/tenant", json={"erasure_auto_days": 2})
    assert r.status_code == 200 and r.json()["tenant"]["erasure_auto_days"] == 2
    due, waiting = customer(), customer()
    due_booking, _ = paid_booking(shop, due)
    waiting_booking, _ = paid_booking(shop, waiting)
    old = request_erasure(shop.tenant_id, due["email"], "2 days 1 minute")
    new = request_erasure(shop.tenant_id, waiting["email"], "1 day 23 hours")

    wait_for(lambda: psql("SELECT status FROM erasure_requests WHERE id = :'p1'", old) == "erased",
             what="the old request carried out")
    assert psql("SELECT erased_by || ' ' || erased_bookings FROM erasure_requests WHERE id = :'p1'",
                old) == "automatic 1"
    assert psql("SELECT customer_name FROM reservations WHERE id = :'p1'", due_booking) == "[erased]"
    assert psql("SELECT status FROM erasure_requests WHERE id = :'p1'", new) == "pending"
    assert psql("SELECT customer_email FROM reservations WHERE id = :'p1'",
                waiting_booking) == waiting["email"]


def test_with_zero_days_only_the_merchant_erases(shop, merchant):
    r = merchant.api.patch("/api/admin/tenant", json={"erasure_auto_days": 0})
    assert r.status_code == 200, r.text
    who = customer()
    paid_booking(shop, who)
    request = request_erasure(shop.tenant_id, who["email"], "300 days")
    # a run of the job passes: the retention of another tenant shows it ran
    other = customer()
    tenant = shop.tenant_id
    ended = seed_ended_booking(tenant, other, "25 months")
    wait_for(lambda: psql("SELECT erased_at IS NOT NULL FROM reservations WHERE id = :'p1'",
                          ended) == "t", what="the job ran")
    assert psql("SELECT status FROM erasure_requests WHERE id = :'p1'", request) == "pending"
    [item] = [i for i in merchant.api.get("/api/admin/customers/erasure-requests").json()["items"]
              if i["id"] == request]
    assert item["erases_automatically_at"] is None


def seed_ended_booking(tenant_id, who, ago):
    """A completed booking that ended `ago`, seeded in SQL."""
    service = seed.service(tenant_id, name="Limpieza")
    professional = seed.professional(tenant_id, name="Dr. Ríos", services=[service])
    return psql("""
        INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
            ends_at, blocked, customer_name, customer_email, customer_phone, accepted_terms_at,
            charge_type, charge_amount, currency)
        SELECT :'p1', :'p2', :'p3', 'completed', e - interval '30 minutes', e,
               tstzrange(e - interval '30 minutes', e), :'p4', :'p5', :'p6', e - interval '1 day',
               'free', 0, 'COP'
        FROM (SELECT now() - :'p7'::interval AS e) x RETURNING id""",
                tenant_id, service, professional, who["name"], who["email"], who["phone"], ago)


def test_retention_erases_only_bookings_ended_longer_ago(merchant):
    r = merchant.api.patch("/api/admin/tenant", json={"data_retention_months": 6})
    assert r.status_code == 200 and r.json()["tenant"]["data_retention_months"] == 6
    old, recent = customer(), customer()
    old_booking = seed_ended_booking(merchant.tenant_id, old, "6 months 1 day")
    recent_booking = seed_ended_booking(merchant.tenant_id, recent, "6 months -1 day")

    wait_for(lambda: psql("SELECT erased_at IS NOT NULL FROM reservations WHERE id = :'p1'",
                          old_booking) == "t", what="the old booking erased")
    assert psql("SELECT status || ' ' || customer_name FROM reservations WHERE id = :'p1'",
                old_booking) == "completed [erased]"
    assert where_found([old["email"], old["name"], old["phone"]]) == []
    assert psql("SELECT customer_email FROM reservations WHERE id = :'p1' AND erased_at IS NULL",
                recent_booking) == recent["email"]
    # the consent stays, without the person
    assert psql("SELECT accepted_terms_at IS NOT NULL FROM reservations WHERE id = :'p1'",
                old_booking) == "t"


def test_a_booking_given_up_before_payment_is_erased_after_thirty_days(shop):
    gone, recent, paid_late = customer(), customer(), customer()
    rows = {}
    for who, ago, approved in ((gone, "31 days", False), (recent, "29 days", False),
                               (paid_late, "31 days", True)):
        booking, reference = shop.pending_booking(status="expired")
        psql("""UPDATE reservations SET customer_name = :'p2', customer_email = :'p3',
                  customer_phone = :'p4', expires_at = NULL,
                  updated_at = now() - :'p5'::interval WHERE id = :'p1'""",
             booking, who["name"], who["email"], who["phone"], ago)
        if approved:   # money taken (a late approval that lost its slot): the data stays
            psql("UPDATE payments SET status = 'approved', approved_at = now() - interval '31 days'"
                 " WHERE reference = :'p1'", reference)
        rows[who["email"]] = booking

    wait_for(lambda: psql("SELECT erased_at IS NOT NULL FROM reservations WHERE id = :'p1'",
                          rows[gone["email"]]) == "t", what="the abandoned booking erased")
    assert psql("SELECT status || ' ' || customer_name FROM reservations WHERE id = :'p1'",
                rows[gone["email"]]) == "expired [erased]"
    for who in (recent, paid_late):
        assert psql("SELECT customer_email FROM reservations WHERE id = :'p1' AND erased_at IS NULL",
                    rows[who["email"]]) == who["email"]


def test_the_privacy_settings_are_kept_within_their_ranges(merchant):
    r = merchant.api.get("/api/admin/tenant")
    assert r.status_code == 200, r.text
    assert r.json()["tenant"]["data_retention_months"] == 24
    assert r.json()["tenant"]["erasure_auto_days"] == 30
    for body, field in (({"data_retention_months": 0}, "data_retention_months"),
                        ({"data_retention_months": 121}, "data_retention_months"),
                        ({"data_retention_months": "12"}, "data_retention_months"),
                        ({"erasure_auto_days": -1}, "erasure_auto_days"),
                        ({"erasure_auto_days": 366}, "erasure_auto_days")):
        r = merchant.api.patch("/api/admin/tenant", json=body)
        assert r.status_code == 400, r.text
        assert field in r.json()["error"]["fields"]
    r = merchant.api.get("/api/admin/tenant")
    assert r.json()["tenant"]["data_retention_months"] == 24
    assert r.json()["tenant"]["erasure_auto_days"] == 30


def test_a_package_customer_is_exported_and_erased_with_the_money_kept(merchant, fakes, stack, api):
    from packages_support import PackShop
    packs = PackShop(merchant, fakes, stack, api)
    packs.customer["name"] = customer()["name"]       # a name no other test uses
    r = merchant.api.patch("/api/admin/tenant", json={"terms_url": TERMS})
    assert r.status_code == 200, r.text
    purchase = packs.paid()
    r = packs.book_session(purchase)
    assert r.status_code == 201, r.text
    session = r.json()["booking"]["id"]
    email = packs.customer["email"]

    export = merchant.api.get("/api/admin/customers/export", params={"email": email}).json()
    assert [p["id"] for p in export["purchases"]] == [purchase["id"]]
    assert export["purchases"][0]["customer"]["email"] == email
    assert export["purchases"][0]["sessions_used"] == 1
    assert [b["id"] for b in export["bookings"]] == [session]
    assert {p["purchase_id"] for p in export["payments"]} == {purchase["id"]}
    consents = {(c["purchase_id"], c["booking_id"]): c["terms_version"] for c in export["consents"]}
    assert consents[(purchase["id"], None)] == TERMS

    paid = psql("SELECT status || ' ' || amount || ' ' || sessions_used FROM purchases"
                " WHERE id = :'p1'", purchase["id"])
    money = psql("SELECT string_agg(reference || ':' || amount || ':' || status, ',')"
                 " FROM payments WHERE purchase_id = :'p1'", purchase["id"])
    r = merchant.api.post("/api/admin/customers/erase", json={"email": email})
    assert r.status_code == 200 and r.json() == {"erased_bookings": 1}
    assert where_found([email, packs.customer["name"]]) == []
    assert psql("SELECT status || ' ' || amount || ' ' || sessions_used FROM purchases"
                " WHERE id = :'p1'", purchase["id"]) == paid
    assert psql("SELECT string_agg(reference || ':' || amount || ':' || status, ',')"
                " FROM payments WHERE purchase_id = :'p1'", purchase["id"]) == money
    # the purchase's page no longer opens with its link
    r = api.get("/api/public/purchases/%s" % purchase["id"], params={"token": purchase["token"]})
    assert r.status_code == 404


def test_a_booking_whose_customer_was_erased_is_still_cancelled_and_told(shop, merchant, fakes):
    """Erasure keeps the booking (an appointment still to come stays in the agenda): the
    merchant can still cancel it, and its server is told, with no address or phone of the
    customer any more."""
    who = customer()
    booking, _ = paid_booking(shop, who)
    r = merchant.api.post("/api/admin/customers/erase", json={"email": who["email"]})
    assert r.status_code == 200 and r.json()["erased_bookings"] == 1, r.text
    r = merchant.api.post("/api/admin/bookings/%s/cancel" % booking,
                          json={"reason": "Se cerró la agenda", "refund": "none"})
    assert r.status_code == 200, r.text
    assert r.json()["booking"]["status"] == "cancelled"
    told = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                             if c["json"] and c["json"].get("evento") == "booking.cancelled"
                             and c["json"]["booking_id"] == booking], what="booking.cancelled sent")
    usuario = told[0]["json"]["usuario"]
    assert usuario["email"] is None and usuario["telefono"] is None
    assert who["name"] not in told[0]["body"] and who["email"] not in told[0]["body"]
