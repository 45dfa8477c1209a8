"""The engine serves only where it is turned on, and its background jobs run in the layout
the README recommends: the stack, like conf/example-vhost.conf, turns
KonfirmadoEngine On only inside the platform's <VirtualHost>; another site on the same
server serves nothing of Konfirmado, while mail, callbacks and reconciliation still run."""
import re

import pytest

from conftest import read_stack_env
from payments_helpers import callbacks_for, check_callback_signatures, wait_for
from test_payments_flow import Flow

OTHER_SITE = "other-site.localhost"


def test_the_stack_turns_the_engine_on_only_inside_the_virtual_host():
    with open(read_stack_env()["KF_HTTPD_CONF"], encoding="utf-8") as f:
        text = f.read()
    outside = re.sub(r"<VirtualHost[^>]*>.*?</VirtualHost>", "", text, flags=re.S)
    assert not re.search(r"^\s*KonfirmadoEngine\s+On", outside, re.M | re.I)
    assert re.search(r"^\s*KonfirmadoEngine\s+On", text, re.M | re.I)


@pytest.mark.parametrize("path", ["/api/health", "/api/public/links/x", "/book/x",
                                  "/api/webhooks/wompi", "/verify-email?token=x", "/"])
def test_another_site_on_the_same_server_serves_nothing_of_konfirmado(api, path):
    for method in ("GET", "POST"):
        r = api.request(method, path, host=OTHER_SITE)
        assert r.status_code in (403, 404, 405), (method, path, r.status_code)
        assert "application/json" not in r.headers.get("Content-Type", "")
        assert "konfirmado" not in r.text.lower()
        assert "X-Request-Id" not in r.headers


def test_callbacks_and_mail_are_delivered_with_the_engine_only_in_the_vhost(
        merchant, fakes, stack, api):
    """The free booking's callback comes from the callback job of the vhost's server."""
    flow = Flow(merchant, fakes, stack, api, charge="free", price=0)
    booking = flow.book(flow.slots()[0]["start"])
    got = wait_for(lambda: callbacks_for(fakes, flow.shop), what="the merchant callback")
    check_callback_signatures(got[0], flow.shop.callback_secret)
    wait_for(lambda: flow.status(booking)["status"] == "confirmed", what="confirmed")
