"""Outbound requests never reach the server's own networks (API.md "Merchant callback"):
a callback URL naming an internal address literally is refused when saved; a name
that resolves to one is refused at delivery, on the address actually connected to
(`blocked_address`, nothing sent); attempts show merchants one word, never curl's text; and
one tenant's hanging endpoint does not delay another tenant's callbacks."""
import os
import secrets
import socket
import subprocess
import threading
import time

import pytest

from conftest import Api, psql, render_conf, seed_session, start_extra_httpd
from payments_helpers import callbacks_for, check_callback_signatures, wait_for
from test_payments_flow import Flow

KINDS = {"timeout", "connection_refused", "dns_error", "tls_error", "blocked_address"}


@pytest.mark.parametrize("url", [
    "http://10.0.0.1/callback", "https://169.254.169.254/latest/meta-data",
    "http://192.168.1.10:8080/cb", "http://172.16.5.4/cb", "http://100.64.0.1/cb",
    "http://[::1]/cb", "http://[fd00::1]/cb", "http://[fe80::1]/cb",
    "http://[::ffff:10.0.0.1]/cb", "http://0x0a000001/cb", "http://0.0.0.0/cb",
    "http://224.0.0.1/cb"])
def test_a_callback_url_naming_an_internal_address_is_refused_when_saved(merchant, url):
    before = psql("SELECT coalesce(callback_url, '') FROM tenants WHERE id = :'p1'",
                  merchant.tenant_id)
    r = merchant.api.patch("/api/admin/tenant", json={"callback_url": url})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_failed"
    assert "callback_url" in err["fields"]
    assert psql("SELECT coalesce(callback_url, '') FROM tenants WHERE id = :'p1'",
                merchant.tenant_id) == before


def test_public_addresses_and_the_operators_ranges_are_accepted(merchant):
    for url in ("https://merchant.example/cb", "https://8.8.8.8/cb",
                "http://127.0.0.1:9/cb"):                     # the stack allows 127.0.0.0/8
        r = merchant.api.patch("/api/admin/tenant", json={"callback_url": url})
        assert r.status_code == 200, (url, r.text)


class Listener:
    """A TCP server on 127.0.0.1 that records connections; `hang` accepts and never answers."""

    def __init__(self, hang=False):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections, self.hang, self.open = [], hang, []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(time.time())
            self.open.append(conn)
            if not self.hang:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                conn.close()

    def close(self):
        self.sock.close()
        for c in self.open:
            try:
                c.close()
            except OSError:
                pass


def test_a_name_resolving_to_an_internal_address_is_blocked_at_delivery(stack):
    """An httpd on a database of its own that allows only 127.0.0.2: `localhost` is accepted
    when saved (a name) but resolves to 127.0.0.1 / ::1, so nothing is ever sent there."""
    base_url = stack["KF_PGURL"].rsplit("/", 1)[0]
    db = "kf_outbound_%s" % secrets.token_hex(3)
    db_url = base_url + "/" + db
    psql("CREATE DATABASE %s OWNER konfirmado" % db)
    listener = Listener()
    try:
        subprocess.run([os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-migrate"), db_url],
                       check=True, stdout=subprocess.PIPE)
        conf = render_conf({"KonfirmadoOutboundAllow": "    KonfirmadoOutboundAllow 127.0.0.2/32"}
                           ).replace("dbname=konfirmado ", "dbname=%s " % db)
        with start_extra_httpd(conf) as extra:
            client = extra.api()
            tenant, _, _ = seed_session(client, "Bloqueada", "b@example.com", db_url)
            url = "http://localhost:%d/callback" % listener.port
            r = client.patch("/api/admin/tenant", json={"callback_url": url})
            assert r.status_code == 200, r.text           # a name: judged at delivery
            assert client.post("/api/admin/tenant/callback-secret").status_code == 201
            cb = psql("""
                WITH s AS (INSERT INTO services (tenant_id, name, description, duration_minutes,
                             price_amount, currency, charge_type)
                           VALUES (:'p1', 'Servicio', 'Servicio de prueba', 30, 0, 'COP', 'free')
                           RETURNING id),
                     p AS (INSERT INTO professionals (tenant_id, name, timezone)
                           VALUES (:'p1', 'Pro', 'America/Bogota') RETURNING id),
                     r AS (INSERT INTO reservations (tenant_id, service_id, professional_id, status,
                             starts_at, ends_at, blocked, customer_name, customer_email,
                             customer_phone, accepted_terms_at, currency)
                           SELECT :'p1', s.id, p.id, 'paid', now() + interval '2 days',
                                  now() + interval '2 days 30 minutes',
                                  tstzrange(now() + interval '2 days', now() + interval '2 days 30 minutes'),
                                  'Ana', 'ana@example.com', '+573001234567', now(), 'COP'
                           FROM s, p RETURNING id)
                INSERT INTO merchant_callbacks (tenant_id, reservation_id, body)
                SELECT :'p1', id, '{}' FROM r RETURNING id""", tenant, db_url=db_url)
            wait_for(lambda: psql("SELECT count(*) FROM callback_attempts WHERE callback_id = :'p1'",
                                  cb, db_url=db_url) != "0", timeout=15, what="an attempt")
            error, code = psql("SELECT error, coalesce(status_code, 0) FROM callback_attempts"
                               " WHERE callback_id = :'p1' ORDER BY id LIMIT 1", cb,
                               db_url=db_url).split("|")
            assert error == "blocked_address" and code == "0"
            assert listener.connections == [], "nothing may reach the internal address"
            # the merchant sees the word, never curl's text
            detail = client.get("/api/admin/bookings").json()
            assert "curl" not in str(detail).lower()
    finally:
        listener.close()
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)


def test_attempt_errors_are_one_word(merchant, fakes, stack, api):
    """A refused connection is recorded as `connection_refused`, not as curl's message."""
    flow = Flow(merchant, fakes, stack, api, charge="free", price=0)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    r = merchant.api.patch("/api/admin/tenant", json={"callback_url": "http://127.0.0.1:%d/cb" % port})
    assert r.status_code == 200
    booking = flow.book(flow.slots()[0]["start"])
    wait_for(lambda: psql("SELECT count(*) FROM callback_attempts a JOIN merchant_callbacks c"
                          " ON c.id = a.callback_id WHERE c.reservation_id = :'p1'",
                          booking["id"]) != "0", what="an attempt")
    detail = merchant.api.get("/api/admin/bookings/%s" % booking["id"]).json()
    text = str(detail)
    assert "connection_refused" in text
    assert "curl" not in text.lower() and "Couldn't" not in text
    errors = psql("SELECT string_agg(DISTINCT error, ',') FROM callback_attempts a"
                  " JOIN merchant_callbacks c ON c.id = a.callback_id"
                  " WHERE c.reservation_id = :'p1'", booking["id"])
    assert set(errors.split(",")) <= KINDS, errors


def test_a_hanging_merchant_does_not_delay_another_tenants_callback(
        merchant, other_merchant, fakes, stack, api):
    hanging = Listener(hang=True)
    try:
        slow = Flow(merchant, fakes, stack, api, charge="free", price=0)
        r = merchant.api.patch("/api/admin/tenant",
                               json={"callback_url": "http://127.0.0.1:%d/cb" % hanging.port})
        assert r.status_code == 200
        fast = Flow(other_merchant, fakes, stack, api, charge="free", price=0)
        slow.book(slow.slots()[0]["start"])
        wait_for(lambda: hanging.connections, what="tenant A's attempt to start")
        started = time.time()
        booking = fast.book(fast.slots()[0]["start"])
        got = wait_for(lambda: callbacks_for(fakes, fast.shop), timeout=10,
                       what="tenant B's callback")
        took = got[0]["time"] - started
        assert took < 3, "tenant B waited %.1f s behind tenant A's hanging endpoint" % took
        check_callback_signatures(got[0], fast.shop.callback_secret)
        assert got[0]["headers"]["X-Konfirmado-Delivery"]
        assert booking["id"] in got[0]["body"]
    finally:
        hanging.close()


def test_a_long_2xx_answer_still_acknowledges(merchant, fakes, stack, api):
    """Only the first KiB of an answer is kept (the attempt's excerpt): a merchant whose 200
    carries 100 KiB is acknowledged, not retried as a failure."""
    flow = Flow(merchant, fakes, stack, api, charge="free", price=0)
    fakes.config("merchant", body={"ok": True, "padding": "x" * 100000})
    booking = flow.book(flow.slots()[0]["start"])
    wait_for(lambda: flow.status(booking)["status"] == "confirmed", what="confirmed")
    row = psql("SELECT a.status_code, length(a.response_excerpt), coalesce(a.error, '')"
               " FROM callback_attempts a JOIN merchant_callbacks c ON c.id = a.callback_id"
               " WHERE c.reservation_id = :'p1' ORDER BY a.id LIMIT 1", booking["id"])
    assert row == "200|1024|", row
