"""Back from the checkout (GET /api/public/bookings/{id}?id=...): the provider is asked about
the payment at most once per booking in 10 seconds, so reloading the page never spends the
merchant's quota at the provider (a reload within the window answers from what is known),
and no database connection is held while the provider answers."""
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import start_extra_httpd
from narrow_server_support import client_of, narrow_conf, while_they_wait
from provider_support import ProviderShop
from test_payments_flow import Flow


@pytest.fixture
def flow(merchant, fakes, stack, api):
    return Flow(merchant, fakes, stack, api)


def lookups(fakes, reference):
    return [q for q in fakes.requests("wompi")
            if q["method"] == "GET" and q["path"].endswith("/transactions")
            and reference in str(q["query"])]


def test_reloads_within_ten_seconds_ask_the_provider_once(flow, fakes):
    fakes.config("wompi", events_url=None)       # no webhook: only the return asks
    booking = flow.book(flow.slots()[0]["start"])
    reference = booking["payment"]["reference"]
    first = time.time()
    for _ in range(5):
        assert flow.status(booking, id="12345-1700000000-00001")["status"] == "pending_payment"
    assert len(lookups(fakes, reference)) == 1
    # paid at the provider meanwhile: a reload inside the window answers what is known
    paid = flow.pay(flow.checkout(booking), "APPROVED")
    transaction = parse_qs(urlsplit(paid.headers["Location"]).query)["id"][0]
    assert flow.status(booking, id=transaction)["status"] == "pending_payment"
    assert len(lookups(fakes, reference)) == 1
    # once the window is over, the provider is asked again and its answer applied
    time.sleep(max(0.0, first + 10.5 - time.time()))
    st = flow.status(booking, id=transaction)
    assert st["status"] in ("paid", "confirmed") and st["payment"]["status"] == "approved"
    assert len(lookups(fakes, reference)) == 2
    # settled: a further return asks nothing
    flow.status(booking, id=transaction)
    time.sleep(0.2)
    assert len(lookups(fakes, reference)) == 2


def test_a_slow_provider_holds_no_database_connection(merchant, fakes, stack, api):
    shop = ProviderShop(merchant, fakes, stack, api, "stripe")
    starts, last_end = [], ""
    for slot in shop.slots(days=14):      # slots that do not overlap (ISO UTC strings sort)
        if slot["start"] >= last_end and len(starts) < 3:
            starts.append(slot["start"])
            last_end = slot["end"]
    bookings = [shop.book(start) for start in starts]
    fakes.config("stripe", delay=3)
    try:
        with start_extra_httpd(narrow_conf()) as extra:
            results = while_they_wait(extra, [
                lambda b=b: client_of(extra).get(
                    "/api/public/bookings/%s" % b["id"], params={"token": b["token"], "id": "cs_back"},
                    timeout=30)
                for b in bookings], "the provider")
            assert [r.status_code for r in results] == [200] * 3, [r.text for r in results]
            assert {r.json()["booking"]["status"] for r in results} == {"pending_payment"}
    finally:
        fakes.config("stripe", delay=0)
