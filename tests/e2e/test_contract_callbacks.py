"""The merchant callbacks a tenant receives are the ones docs/openapi.yaml describes under
`webhooks`: each event's body against its schema, and its headers against the parameters the
spec gives (X-Konfirmado-*, User-Agent; the Standard Webhooks ones wherever they are sent)."""
import json

from jsonschema import Draft202012Validator, RefResolver

import contract_support
from booking_seed import today_plus
from test_callbacks_contract import events, free_shop

def problems(spec, event, record):
    """What in one received callback the spec's webhook `event` does not describe."""
    resolver = RefResolver("", spec)
    operation = spec["webhooks"][event]["post"]
    found = []
    for p in operation["parameters"]:
        _, p = resolver.resolve(p["$ref"]) if "$ref" in p else (None, p)
        value = record["headers"].get(p["name"])
        if value is None:
            if p["required"]:
                found.append("header %s is missing" % p["name"])
            continue
        for e in Draft202012Validator(p["schema"], resolver=resolver).iter_errors(value):
            found.append("header %s: %s" % (p["name"], e.message))
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    body = json.loads(record["body"])
    for e in Draft202012Validator(schema, resolver=resolver).iter_errors(body):
        found.append("body at %s: %s" % ("/".join(map(str, e.absolute_path)) or "(top)", e.message))
    return found


def test_paid_cancelled_rescheduled_and_ping_callbacks_match_the_spec(api, stack, fakes):
    spec = contract_support.load_spec()
    shop = free_shop(api, stack, fakes)
    cancelled, _ = shop.book()
    r = api.post("/api/public/bookings/%s/cancel" % cancelled["id"], json={"reason": "viaje"},
                 headers={"Authorization": "Bearer " + cancelled["token"]})
    assert r.status_code == 200, r.text
    moved, _ = shop.book(day=today_plus(6))
    r = shop.move(moved["id"], start=shop.starts(today_plus(7))[2])
    assert r.status_code == 200, r.text
    r = shop.admin.post("/api/admin/tenant/callback-test")
    assert r.status_code == 200, r.text

    received = {event: events(fakes, shop.sc, event, n)
                for event, n in (("booking.paid", 2), ("booking.cancelled", 1),
                                 ("booking.rescheduled", 1), ("ping", 1))}
    for event, records in received.items():
        for record in records:
            assert problems(spec, event, record) == [], event


def test_a_callback_the_spec_does_not_describe_is_told():
    spec = contract_support.load_spec()
    record = {"headers": {"X-Konfirmado-Event": "ping", "X-Konfirmado-Delivery": "d1",
                          "X-Konfirmado-Signature": "t=1,v1=zz", "User-Agent": "curl/8"},
              "body": json.dumps({"evento": "ping", "tenant_id": "t"})}
    found = problems(spec, "ping", record)
    assert any("X-Konfirmado-Signature" in f for f in found)
    assert any("User-Agent" in f for f in found)
    assert any("enviado_en" in f for f in found)
