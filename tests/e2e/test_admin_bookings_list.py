"""GET /api/admin/bookings: filters, pagination, the tenant's time zone, isolation, errors."""
import re

import pytest

from admin_bookings_seed import Catalog, add_professional, add_service, ids, listing, set_timezone

UTC_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture
def shop(merchant):
    return Catalog(merchant)


def test_every_endpoint_needs_a_session(api, merchant, shop):
    booking = shop.book("2031-05-01T15:00:00Z")
    for path in ("/api/admin/bookings", "/api/admin/bookings.csv",
                 "/api/admin/bookings/" + booking):
        r = api.get(path)
        assert r.status_code == 401, path
        assert r.json()["error"]["code"] == "unauthenticated"
        assert booking not in r.text


def test_items_have_the_documented_shape(merchant, shop):
    booking = shop.book("2031-05-01T15:00:00Z", minutes=45, name="Ana Gómez",
                        email="ana@example.com", phone="+573001234567",
                        charge=("partial", 3000000, "COP"))
    body = listing(merchant)
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 25
    item = body["items"][0]
    assert item["id"] == booking
    assert item["status"] == "paid" and item["status_reason"] is None
    assert item["start"] == "2031-05-01T15:00:00Z"
    assert item["end"] == "2031-05-01T15:45:00Z"
    assert item["local_start"] == "2031-05-01T10:00:00-05:00"
    assert item["service"]["id"] == shop.service and item["service"]["name"].startswith("Consulta")
    assert item["professional"]["id"] == shop.professional
    assert item["customer"] == {"name": "Ana Gómez", "email": "ana@example.com",
                                "phone": "+573001234567"}
    assert item["charge"] == {"type": "partial", "amount": 3000000, "currency": "COP"}
    assert UTC_TS.match(item["created_at"])


def test_local_start_carries_the_offset_of_that_instant(merchant):
    shop = Catalog(merchant, zone="America/New_York")
    winter = shop.book("2031-01-15T14:00:00Z")
    summer = shop.book("2031-07-15T14:00:00Z")
    by_id = {i["id"]: i for i in listing(merchant)["items"]}
    assert by_id[winter]["local_start"] == "2031-01-15T09:00:00-05:00"
    assert by_id[summer]["local_start"] == "2031-07-15T10:00:00-04:00"
    set_timezone(merchant, "Asia/Kolkata")
    by_id = {i["id"]: i for i in listing(merchant)["items"]}
    assert by_id[winter]["local_start"] == "2031-01-15T19:30:00+05:30"


def test_default_order_is_latest_start_first_and_holds_are_left_out(merchant, shop):
    early = shop.book("2031-05-01T13:00:00Z")
    late = shop.book("2031-05-03T13:00:00Z")
    middle = shop.book("2031-05-02T13:00:00Z", status="cancelled", reason="merchant")
    hold = shop.book("2031-05-04T13:00:00Z", status="held", charge=None, name="", email="",
                     phone="")
    body = listing(merchant)
    assert ids(body) == [late, middle, early]
    assert body["total"] == 3
    assert hold not in ids(body)
    # asked for explicitly, holds are listed (with no customer nor charge yet)
    held = listing(merchant, status="held")
    assert ids(held) == [hold]
    assert held["items"][0]["charge"] is None
    assert held["items"][0]["customer"] == {"name": None, "email": None, "phone": None}


def test_status_filter_one_or_a_list(merchant, shop):
    paid = shop.book("2031-05-01T13:00:00Z", status="paid")
    confirmed = shop.book("2031-05-02T13:00:00Z", status="confirmed")
    failed = shop.book("2031-05-03T13:00:00Z", status="failed", reason="slot_lost")
    expired = shop.book("2031-05-04T13:00:00Z", status="expired", reason="payment_window_passed")
    pending = shop.book("2031-05-05T13:00:00Z", status="pending_payment")
    assert ids(listing(merchant, status="paid")) == [paid]
    assert ids(listing(merchant, status="confirmed,paid")) == [confirmed, paid]
    body = listing(merchant, status="failed,expired,pending_payment")
    assert ids(body) == [pending, expired, failed] and body["total"] == 3
    assert listing(merchant, status="failed")["items"][0]["status_reason"] == "slot_lost"
    assert ids(listing(merchant, status="cancelled")) == []


def test_customer_given_leaves_out_holds_nobody_completed(merchant, shop):
    """customer=given: only the reservations whose customer gave their details, so a hold that
    ran out, was let go of (cancelled by its release) or is still open stays out, whatever
    its status; a booking whose customer was erased stays in."""
    paid = shop.book("2031-05-01T13:00:00Z", status="paid")
    cancelled = shop.book("2031-05-02T13:00:00Z", status="cancelled", reason="cancelled_by_customer")
    unpaid = shop.book("2031-05-03T13:00:00Z", status="expired", reason="payment_window_passed")
    erased = shop.book("2031-05-04T13:00:00Z", status="completed", name="[erased]",
                       email="", phone="")
    ran_out = shop.book("2031-05-05T13:00:00Z", status="expired", reason="hold_expired",
                        charge=None, name="", email="", phone="", accepted_terms=False)
    released = shop.book("2031-05-06T13:00:00Z", status="cancelled", reason="hold_released",
                         charge=None, name="", email="", phone="", accepted_terms=False)
    open_hold = shop.book("2031-05-07T13:00:00Z", status="held", charge=None, name="",
                          email="", phone="", accepted_terms=False)
    body = listing(merchant, customer="given")
    assert ids(body) == [erased, unpaid, cancelled, paid] and body["total"] == 4
    assert ids(listing(merchant, customer="given", status="cancelled")) == [cancelled]
    assert ids(listing(merchant, customer="given", status="held,expired")) == [unpaid]
    # without it the API answers as before: every status but held, with or without a customer
    assert ids(listing(merchant)) == [released, ran_out, erased, unpaid, cancelled, paid]
    assert ids(listing(merchant, status="held")) == [open_hold]
    # the export takes it too
    r = merchant.api.get("/api/admin/bookings.csv", params={"customer": "given"})
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "4"


def test_service_and_professional_filters(merchant, shop):
    other_service = add_service(merchant)
    other_pro = add_professional(merchant)
    a = shop.book("2031-05-01T13:00:00Z")
    b = shop.book("2031-05-02T13:00:00Z", service=other_service)
    c = shop.book("2031-05-03T13:00:00Z", professional=other_pro)
    d = shop.book("2031-05-04T13:00:00Z", service=other_service, professional=other_pro)
    assert ids(listing(merchant, service=shop.service)) == [c, a]
    assert ids(listing(merchant, service=other_service)) == [d, b]
    assert ids(listing(merchant, professional=other_pro)) == [d, c]
    assert ids(listing(merchant, service=other_service, professional=shop.professional)) == [b]
    # an unknown (well-formed) id is an empty result, not an error
    unknown = "00000000-0000-4000-8000-000000000000"
    body = listing(merchant, service=unknown)
    assert body["items"] == [] and body["total"] == 0
    assert listing(merchant, professional=unknown)["items"] == []


def test_dates_are_whole_days_in_the_tenant_zone(merchant, shop):
    # 04:30 UTC on the 10th is 23:30 on the 9th in Bogota (UTC-5)
    late_evening = shop.book("2031-03-10T04:30:00Z", minutes=15)
    # 05:00 UTC on the 10th is 00:00 on the 10th in Bogota: the first instant of the day
    midnight = shop.book("2031-03-10T05:00:00Z", minutes=15)
    # 04:59 UTC on the 11th is 23:59 on the 10th: the last minute of the day
    last_minute = shop.book("2031-03-11T04:59:00Z", minutes=1)
    next_day = shop.book("2031-03-11T05:00:00Z")
    assert ids(listing(merchant, **{"from": "2031-03-09", "to": "2031-03-09"})) == [late_evening]
    assert ids(listing(merchant, **{"from": "2031-03-10", "to": "2031-03-10"})) == [last_minute,
                                                                                   midnight]
    assert ids(listing(merchant, **{"from": "2031-03-11"})) == [next_day]
    assert ids(listing(merchant, to="2031-03-09")) == [late_evening]
    assert ids(listing(merchant, **{"from": "2031-03-09", "to": "2031-03-11"})) == [
        next_day, last_minute, midnight, late_evening]
    # the same instants seen by a tenant in UTC fall on other days
    set_timezone(merchant, "UTC")
    assert ids(listing(merchant, **{"from": "2031-03-09", "to": "2031-03-09"})) == []
    assert ids(listing(merchant, **{"from": "2031-03-10", "to": "2031-03-10"})) == [midnight,
                                                                                   late_evening]


def test_q_matches_name_or_email_case_insensitively(merchant, shop):
    ana = shop.book("2031-05-01T13:00:00Z", name="Ana María Peña", email="ana@clinic.example")
    luis = shop.book("2031-05-02T13:00:00Z", name="Luis Ortega", email="lortega@mail.example")
    assert ids(listing(merchant, q="maría")) == [ana]
    assert ids(listing(merchant, q="PEÑA")) == [ana]
    assert ids(listing(merchant, q="ORTEGA@MAIL")) == [luis]
    assert ids(listing(merchant, q=".example")) == [luis, ana]
    assert ids(listing(merchant, q="nobody")) == []


def test_q_takes_percent_and_underscore_literally(merchant, shop):
    percent = shop.book("2031-05-01T13:00:00Z", name="Promo 100% gratis", email="p@x.example")
    hundred = shop.book("2031-05-02T13:00:00Z", name="Promo 1000 gratis", email="q@x.example")
    underscore = shop.book("2031-05-03T13:00:00Z", name="Juan Díaz", email="juan_diaz@x.example")
    letter = shop.book("2031-05-04T13:00:00Z", name="Juan Ruiz", email="juanxdiaz@x.example")
    backslash = shop.book("2031-05-05T13:00:00Z", name="C:\\Temp Ruiz", email="c@x.example")
    assert ids(listing(merchant, q="100%")) == [percent]
    assert ids(listing(merchant, q="%")) == [percent]
    assert ids(listing(merchant, q="juan_diaz")) == [underscore]
    assert ids(listing(merchant, q="_")) == [underscore]
    assert ids(listing(merchant, q="juanxdiaz")) == [letter]
    assert ids(listing(merchant, q="C:\\T")) == [backslash]
    assert hundred not in ids(listing(merchant, q="100%"))


def test_filters_combine(merchant, shop):
    other_pro = add_professional(merchant)
    match = shop.book("2031-03-10T15:00:00Z", status="paid", name="Ana Gómez")
    shop.book("2031-03-10T17:00:00Z", status="cancelled", name="Ana Gómez")        # status
    shop.book("2031-03-10T18:00:00Z", status="paid", name="Luis Ortega",
              email="luis@example.com")                                            # q
    shop.book("2031-03-12T15:00:00Z", status="paid", name="Ana Gómez")             # date
    shop.book("2031-03-10T19:00:00Z", status="paid", name="Ana Gómez",
              professional=other_pro)                                              # professional
    body = listing(merchant, status="paid,confirmed", service=shop.service,
                   professional=shop.professional, q="ana", **{"from": "2031-03-10",
                                                               "to": "2031-03-11"})
    assert ids(body) == [match] and body["total"] == 1


def test_pagination_is_complete_and_stable(merchant, shop):
    other_pro = add_professional(merchant)
    made = []
    for day in range(1, 6):
        made.append(shop.book("2031-06-%02dT14:00:00Z" % day))
    # two bookings at the very same start (two professionals): the id breaks the tie
    made.append(shop.book("2031-06-03T14:00:00Z", professional=other_pro))
    made.append(shop.book("2031-06-05T14:00:00Z", professional=other_pro))
    pages = [listing(merchant, page=p, per_page=3) for p in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    assert all(p["total"] == 7 and p["per_page"] == 3 for p in pages)
    assert [p["page"] for p in pages] == [1, 2, 3, 4]
    walked = sum((ids(p) for p in pages), [])
    assert sorted(walked) == sorted(made) and len(set(walked)) == 7
    whole = ids(listing(merchant, per_page=100))
    assert walked == whole
    starts = [i["start"] for p in pages for i in p["items"]]
    assert starts == sorted(starts, reverse=True)
    ties = [i["id"] for p in pages for i in p["items"] if i["start"] == "2031-06-05T14:00:00Z"]
    assert ties == sorted(ties, reverse=True)
    # asking again gives the same pages
    assert [ids(listing(merchant, page=p, per_page=3)) for p in (1, 2, 3)] == [ids(p) for p in
                                                                               pages[:3]]


@pytest.mark.parametrize("query,param", [
    ("status=booked", "status"),
    ("status=paid,", "status"),
    ("status=PAID", "status"),
    ("service=not-a-uuid", "service"),
    ("professional=123", "professional"),
    ("from=2031-02-30", "from"),
    ("to=10/03/2026", "to"),
    ("from=2031-03-11&to=2031-03-10", "to"),
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=abc", "page"),
    ("per_page=0", "per_page"),
    ("per_page=101", "per_page"),
    ("per_page=2.5", "per_page"),
    ("q=" + "x" * 101, "q"),
    ("q=%FF", "q"),
    ("q=a%00b", "q"),
    ("status=paid&status=failed", "status"),
    ("customer=yes", "customer"),
    ("customer=GIVEN", "customer"),
])
def test_invalid_parameters_are_refused_by_name(merchant, query, param):
    r = merchant.api.get("/api/admin/bookings?" + query)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_parameter"
    assert err["parameter"] == param
    assert err["fields"][param]


def test_invalid_parameter_messages_follow_the_locale(merchant):
    es = merchant.api.get("/api/admin/bookings?per_page=500").json()["error"]
    en = merchant.api.get("/api/admin/bookings?per_page=500",
                          headers={"Accept-Language": "en"}).json()["error"]
    assert es["fields"]["per_page"] != en["fields"]["per_page"]
    assert "100" in en["fields"]["per_page"] and es["message"] != en["message"]


def test_empty_parameters_count_as_not_given(merchant, shop):
    booking = shop.book("2031-05-01T13:00:00Z")
    r = merchant.api.get("/api/admin/bookings?status=&service=&professional=&from=&to=&q="
                         "&page=&per_page=")
    assert r.status_code == 200
    assert ids(r.json()) == [booking] and r.json()["per_page"] == 25


def test_tenants_never_see_each_other(merchant, other_merchant, shop):
    mine = shop.book("2031-05-01T13:00:00Z", name="Ana Gómez")
    theirs = Catalog(other_merchant).book("2031-05-01T13:00:00Z", name="Ana Gómez")
    assert ids(listing(merchant)) == [mine]
    assert ids(listing(other_merchant)) == [theirs]
    assert ids(listing(other_merchant, q="ana")) == [theirs]
    # the other tenant's service id filters to nothing, never to their bookings
    assert listing(other_merchant, service=shop.service)["items"] == []
    assert listing(merchant, professional=Catalog(other_merchant).professional)["items"] == []
