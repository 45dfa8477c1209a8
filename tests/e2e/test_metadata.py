"""The merchant's own ids (API.md "Metadata"): a link's defaults, a booking's own over them,
returned in the admin booking JSON and the CSV export, carried by every callback of the
booking (right after booking_id, keys sorted, signed), cleared by erasure; anything out of
bounds is 400 validation_failed naming the field, and changes nothing."""
import csv
import datetime as dt
import io
import json

import pytest

import booking_seed as bs
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, check_callback_signatures, wait_for

D = (dt.date.today() + dt.timedelta(days=4)).isoformat()
CUSTOMER = {"name": "Lucía Fernández", "email": "lucia.meta@example.com", "phone": "+573001234567"}


@pytest.fixture
def shop(merchant, fakes, stack):
    """A business whose site receives callbacks, with a free service a link offers."""
    shop = PayTenant(merchant, fakes, stack)
    shop.free = bs.service(shop.tenant_id, name="Valoración", price=0, charge="free")
    shop.pro = bs.professional(shop.tenant_id, services=[shop.free])
    return shop


def new_link(shop, **extra):
    r = shop.api.post("/api/admin/links", json=dict({"name": "Campaña", "service_id": shop.free}, **extra))
    assert r.status_code == 201, r.text
    return r.json()


def hold(api, shop, slug, n=0):
    r = api.get("/api/public/links/%s/availability" % slug,
                params={"service": shop.free, "professional": shop.pro, "from": D, "days": 1})
    assert r.status_code == 200, r.text
    start = r.json()["slots"][n]["start"]
    r = api.post("/api/public/holds", json={"link": slug, "service": shop.free,
                                            "professional": shop.pro, "start": start})
    assert r.status_code == 201, r.text
    return r.json()["hold"]


def book(api, token, **extra):
    return api.post("/api/public/bookings", json=dict(
        {"hold_token": token, "accepted_terms": True, "customer": CUSTOMER}, **extra))


def test_a_bookings_metadata_reaches_the_merchant_everywhere(shop, api, fakes):
    link = new_link(shop, metadata={"campaign": "otoño", "order": "from-link"})
    assert link["metadata"] == {"campaign": "otoño", "order": "from-link"}
    h = hold(api, shop, link["slug"])
    r = book(api, h["token"], metadata={"order": "A-17", "customer": "88"})
    assert r.status_code == 201, r.text
    booking = r.json()["booking"]["id"]
    merged = {"campaign": "otoño", "customer": "88", "order": "A-17"}

    # the admin JSON, list and detail
    detail = shop.api.get("/api/admin/bookings/" + booking).json()["booking"]
    assert detail["metadata"] == merged
    listed = shop.api.get("/api/admin/bookings").json()["items"]
    assert [b["metadata"] for b in listed if b["id"] == booking] == [merged]

    # every callback: right after booking_id, keys sorted, inside what is signed
    [paid] = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                               if c["body"] and booking in c["body"]] or None, what="the callback")
    body = check_callback_signatures(paid, shop.callback_secret)
    keys = list(body)
    assert keys[keys.index("booking_id") + 1] == "metadata"
    assert list(body["metadata"].items()) == sorted(merged.items())
    assert '"metadata":{"campaign":"otoño","customer":"88","order":"A-17"}' in paid["body"]
    # and the next one (a cancellation) too
    r = shop.api.post("/api/admin/bookings/%s/cancel" % booking, json={"reason": "Agenda llena"})
    assert r.status_code == 200, r.text
    [cancelled] = wait_for(lambda: [c for c in callbacks_for(fakes, shop) if c["body"] and booking in c["body"]
                                    and c["headers"].get("X-Konfirmado-Event") == "booking.cancelled"] or None,
                           what="the cancellation's callback")
    assert check_callback_signatures(cancelled, shop.callback_secret)["metadata"] == merged

    # the export: one column per key present, empty for a booking without it
    plain = hold(api, shop, new_link(shop)["slug"], n=1)
    assert book(api, plain["token"]).status_code == 201
    r = shop.api.get("/api/admin/bookings.csv")
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    header = list(rows[0])
    assert header[-3:] == ["metadata.campaign", "metadata.customer", "metadata.order"]
    mine = [row for row in rows if row["id"] == booking][0]
    assert (mine["metadata.campaign"], mine["metadata.order"]) == ("otoño", "A-17")
    other = [row for row in rows if row["id"] == plain["id"]][0]
    assert other["metadata.order"] == ""
    # a booking without metadata has none: no key in its callback, null in the JSON
    assert shop.api.get("/api/admin/bookings/" + plain["id"]).json()["booking"]["metadata"] is None
    [free] = wait_for(lambda: [c for c in callbacks_for(fakes, shop)
                               if c["body"] and plain["id"] in c["body"]] or None, what="its callback")
    assert "metadata" not in json.loads(free["body"])


def too_many(n):
    return {"k%d" % i: "v" for i in range(n)}


@pytest.mark.parametrize("metadata,field", [
    (too_many(21), "metadata"),
    ({"order": "x" * 501}, "metadata.order"),
    ({"order": 17}, "metadata.order"),
    ({"pedido nº": "1"}, "metadata"),
    ({"k" * 41: "1"}, "metadata"),
    (["order", "A-17"], "metadata"),
    ("order=A-17", "metadata"),
])
def test_metadata_out_of_bounds_is_refused_and_changes_nothing(shop, api, metadata, field):
    link = new_link(shop)
    h = hold(api, shop, link["slug"])
    r = book(api, h["token"], metadata=metadata)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "validation_failed"
    assert list(r.json()["error"]["fields"]) == [field]
    assert psql("SELECT status, metadata IS NULL FROM reservations WHERE id = :'p1'", h["id"]) == "held|t"
    # the same on a link: refused, the link as it was
    r = shop.api.patch("/api/admin/links/" + link["id"], json={"metadata": metadata})
    assert r.status_code == 400 and list(r.json()["error"]["fields"]) == [field], r.text
    assert shop.api.get("/api/admin/links/" + link["id"]).json()["metadata"] is None


def test_the_edges_are_accepted(shop, api):
    link = new_link(shop, metadata=too_many(20))
    assert len(link["metadata"]) == 20
    # the booking's own keys are merged: 20 of the link's and the same 20 again is 20
    h = hold(api, shop, link["slug"])
    r = book(api, h["token"], metadata=dict(too_many(19), **{"k19": "ñ" * 500}))
    assert r.status_code == 201, r.text
    got = shop.api.get("/api/admin/bookings/" + h["id"]).json()["booking"]["metadata"]
    assert len(got) == 20 and got["k19"] == "ñ" * 500
    # a new key on top of the link's 20 is one too many
    h = hold(api, shop, link["slug"], n=1)
    r = book(api, h["token"], metadata={"extra": "1"})
    assert r.status_code == 400 and list(r.json()["error"]["fields"]) == ["metadata"], r.text
    # a link's metadata is cleared with null
    r = shop.api.patch("/api/admin/links/" + link["id"], json={"metadata": None})
    assert r.status_code == 200 and r.json()["metadata"] is None, r.text


def test_erasure_clears_a_bookings_metadata(shop, api):
    link = new_link(shop)
    h = hold(api, shop, link["slug"])
    assert book(api, h["token"], metadata={"crm": "cliente-88"}).status_code == 201
    r = shop.api.post("/api/admin/customers/erase", json={"email": CUSTOMER["email"]})
    assert r.status_code == 200, r.text
    assert shop.api.get("/api/admin/bookings/" + h["id"]).json()["booking"]["metadata"] is None
    assert psql("SELECT metadata IS NULL FROM reservations WHERE id = :'p1'", h["id"]) == "t"
