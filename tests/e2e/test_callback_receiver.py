"""konfirmado-callback-receiver: the operator's stand-in for a merchant's endpoint on a trial
server. It prints each callback the server delivers and whether both signatures verify with
the secret, answering 200 to an authentic one and 401 to anything else; with
konfirmado-payment-test a booking is paid and its signed booking.paid seen without any
provider or merchant."""
import os
import socket
import subprocess

import pytest

from payments_helpers import PayTenant, booking_row, wait_for


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """The receiver running with `secret` in its environment, its output read as it comes."""

    def __init__(self, stack, secret, *options):
        self.port = free_port()
        tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-callback-receiver")
        self.proc = subprocess.Popen([tool, "--port", str(self.port), *options],
                                     env=dict(os.environ, KONFIRMADO_CALLBACK_SECRET=secret),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        first = self.proc.stdout.readline()
        assert "set the callback URL to http://127.0.0.1:%d/" % self.port in first, first
        self.url = "http://127.0.0.1:%d/" % self.port

    def output(self, timeout=20):
        """Everything it printed until it ended (it stops after --count callbacks)."""
        out, _ = self.proc.communicate(timeout=timeout)
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def shop(merchant, fakes, stack):
    return PayTenant(merchant, fakes, stack)


def point_callbacks_at(shop, receiver):
    r = shop.api.patch("/api/admin/tenant", json={"callback_url": receiver.url})
    assert r.status_code == 200, r.text


def test_a_ping_verifies_and_is_answered_200(shop, stack):
    receiver = Receiver(stack, shop.callback_secret, "--count", "1")
    try:
        point_callbacks_at(shop, receiver)
        r = shop.api.post("/api/admin/tenant/callback-test")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == 200
        out = receiver.output()
    finally:
        receiver.stop()
    assert "callback ping: signatures valid" in out, out
    assert "X-Konfirmado-Signature: valid" in out and "Standard Webhooks: valid" in out
    assert '"evento": "ping"' in out


def test_another_secret_is_not_authentic_and_answered_401(shop, stack):
    receiver = Receiver(stack, "not-the-secret-" + "x" * 30, "--count", "1")
    try:
        point_callbacks_at(shop, receiver)
        r = shop.api.post("/api/admin/tenant/callback-test")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == 401
        out = receiver.output()
    finally:
        receiver.stop()
    assert "callback ping: NOT AUTHENTIC" in out, out
    assert "X-Konfirmado-Signature: INVALID (does not match the secret)" in out
    assert "Standard Webhooks: INVALID (does not match the secret)" in out


def test_a_booking_paid_without_a_provider_reaches_the_receiver_signed(shop, stack):
    receiver = Receiver(stack, shop.callback_secret, "--count", "1")
    try:
        point_callbacks_at(shop, receiver)
        booking, ref = shop.pending_booking()
        tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-payment-test")
        run = subprocess.run([tool, "--key", stack["KF_KEYFILE"], stack["KF_PGURL"],
                              stack["KF_URL"], ref], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stdout + run.stderr
        out = receiver.output()
    finally:
        receiver.stop()
    assert "callback booking.paid %s: signatures valid" % booking in out, out
    assert '"referencia": "%s"' % ref in out
    wait_for(lambda: booking_row(booking)[0] == "confirmed", what="confirmed")


def test_without_a_secret_it_refuses_to_start(stack):
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-callback-receiver")
    env = {k: v for k, v in os.environ.items() if k != "KONFIRMADO_CALLBACK_SECRET"}
    run = subprocess.run([tool, "--port", str(free_port())], env=env, capture_output=True,
                         text=True, timeout=20)
    assert run.returncode == 2 and "no secret" in run.stderr, run.stderr
