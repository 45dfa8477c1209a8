#!/usr/bin/python3
"""The install test's journey (tests/install/run), against the system Apache over HTTPS:
a merchant signs up (the verification mail is delivered, its link verifies), logs in, sets
Wompi test keys, a callback URL and secret, a free and a paid service, a professional and a
link; a customer books the free service and pays the paid one at the fake Wompi. Each booking
ends `confirmed` with its merchant callback delivered and verified by the README's own
verify block.

Talks to https://DOMAIN and https://<tenant>.DOMAIN on 127.0.0.1 with the certificate checked
against the self-signed one the README created (SNI and host name as a browser would).
The stack's fakes (var/stack.env) stand in for Wompi and the merchant; the mail is read
where the server captured it (--maildir, a Maildir folder) or from the stack's SMTP sink.
"""
import argparse
import datetime
import email
import email.policy
import html
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import parse_qs, urlsplit

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from conftest import Fakes, Maildir, read_stack_env  # noqa: E402

PASSWORD = "correct horse battery staple"
LINK_RE = r"(https://[^\s\"<>]+/verify-email\?token=([A-Za-z0-9_-]+))"


class CapturedMail:
    """A Maildir folder a server writes its mail into (KonfirmadoMailTransport maildir):
    its messages in new/, as the sink's Maildir.new() gives them."""

    def __init__(self, path):
        self.path = os.path.join(path, "new")

    def new(self):
        out = []
        for name in sorted(os.listdir(self.path)) if os.path.isdir(self.path) else []:
            with open(os.path.join(self.path, name), "rb") as f:
                out.append(email.message_from_binary_file(f, policy=email.policy.default))
        return out


def fail(msg):
    sys.exit("journey: " + msg)


def route_domain_to_loopback(domain):
    """DOMAIN and *.DOMAIN resolve to 127.0.0.1 in this process (like /etc/hosts would)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kw):
        if isinstance(host, str) and (host == domain or host.endswith("." + domain)):
            host = "127.0.0.1"
        return real(host, *args, **kw)
    socket.getaddrinfo = getaddrinfo


class Client:
    def __init__(self, host, cacert):
        self.base = "https://" + host
        self.http = requests.Session()
        self.cacert = cacert

    def call(self, method, path, expect, **kw):
        # verify= per request: a session's verify loses to REQUESTS_CA_BUNDLE in the environment
        r = self.http.request(method, self.base + path, timeout=20, allow_redirects=False,
                              verify=self.cacert, **kw)
        if r.status_code != expect:
            fail("%s %s answered %d (expected %d): %s" % (method, path, r.status_code, expect,
                                                          r.text[:500]))
        return r.json() if r.content and "json" in r.headers.get("Content-Type", "") else r


def wait_for(what, fn, timeout=30):
    end = time.time() + timeout
    while True:
        got = fn()
        if got:
            return got
        if time.time() > end:
            fail("timed out waiting for " + what)
        time.sleep(0.2)


def verify_with_readme_block(readme, secret, record):
    """The documented verify block (docs/payments-and-callbacks.md), run as a merchant would,
    on the delivered callback."""
    text = open(readme, encoding="utf-8").read()
    block = re.search(r"^```sh verify-konfirmado-signature\n(.*?)^```$", text, re.M | re.S).group(1)
    with tempfile.TemporaryDirectory() as d:
        script, body = os.path.join(d, "verify.sh"), os.path.join(d, "body.json")
        open(script, "w").write(block)
        open(body, "wb").write(record["body"].encode("utf-8"))
        p = subprocess.run(["sh", script, record["headers"]["X-Konfirmado-Signature"], body],
                           env=dict(os.environ, KONFIRMADO_CALLBACK_SECRET=secret),
                           capture_output=True, text=True)
        if p.returncode != 0 or p.stdout.strip() != "valid":
            fail("the documented verify block refused a delivered callback: " + p.stderr)


def check_restored(args, saved):
    """After a restore: the merchant logs in with the same password and finds the paid booking,
    confirmed, in the dashboard; the customer's own link to it still works."""
    platform = Client(args.domain, args.cacert)
    me = platform.call("POST", "/api/auth/login", 200,
                       json={"email": saved["email"], "password": saved["password"]})
    platform.http.headers["X-CSRF-Token"] = me["csrf_token"]
    got = platform.call("GET", "/api/admin/bookings/%s" % saved["booking"], 200)
    got = got.get("booking", got)
    if got["status"] != "confirmed" or got["service"]["name"] != saved["service"]:
        fail("the restored booking in the dashboard: %s" % json.dumps(got)[:500])
    customer = Client(args.domain, args.cacert)
    st = customer.call("GET", "/api/public/bookings/%s" % saved["booking"], 200,
                       params={"token": saved["token"]})["booking"]
    if st["status"] != "confirmed":
        fail("the restored booking on the customer's link: %s" % st)
    print("journey: after the restore the merchant logs in and the paid booking is confirmed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--domain", required=True)
    ap.add_argument("--cacert", required=True)
    ap.add_argument("--readme", help="the doc holding the verify-konfirmado-signature block")
    ap.add_argument("--maildir", help="the folder the server captures its mail in (else the "
                    "stack's SMTP sink)")
    ap.add_argument("--save", help="write the merchant's login and the paid booking here (JSON)")
    ap.add_argument("--check-restored", metavar="SAVED",
                    help="instead of a journey: check that what --save wrote is still there")
    args = ap.parse_args()
    route_domain_to_loopback(args.domain)
    if args.check_restored:
        check_restored(args, json.load(open(args.check_restored, encoding="utf-8")))
        return
    if not args.readme:
        ap.error("--readme is required for a journey")
    stack = read_stack_env()
    fakes = Fakes(stack["KF_FAKES_URL"])
    maildir = CapturedMail(args.maildir) if args.maildir else Maildir(stack["KF_MAILDIR"])
    platform = Client(args.domain, args.cacert)

    # -- the merchant signs up; the verification mail arrives and its link verifies
    email = "install-%s@example.com" % secrets.token_hex(4)
    platform.call("POST", "/api/auth/register", 201,
                  json={"email": email, "password": PASSWORD, "business_name": "Clínica Instalada"})
    mails = wait_for("the verification mail", lambda: [
        m for m in maildir.new() if email in str(m["To"])])
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    found = re.search(LINK_RE, body)
    if not found or not found.group(1).startswith("https://%s/" % args.domain):
        fail("no https://%s/verify-email link in the mail:\n%s" % (args.domain, body))
    platform.call("POST", "/api/auth/verify-email", 200, json={"token": found.group(2)})
    me = platform.call("POST", "/api/auth/login", 200, json={"email": email, "password": PASSWORD})
    platform.http.headers["X-CSRF-Token"] = me["csrf_token"]
    tenant_id = me["tenant"]["id"]

    # -- the merchant's settings: Wompi test keys (also known to the fake), callback URL, secret
    keys = {"mode": "test", "public_key": "pub_test_" + secrets.token_hex(8),
            "private_key": "prv_test_" + secrets.token_hex(8),
            "events_secret": "test_events_" + secrets.token_hex(8),
            "integrity_secret": "test_integrity_" + secrets.token_hex(8)}
    platform.call("PUT", "/api/admin/tenant/payments/wompi", 200, json=keys)
    known = fakes._call("GET", "/_fakes/wompi/config")["merchants"]
    known[keys["public_key"]] = {"id": 4242, "name": "Clínica Instalada",
                                 "integrity_secret": keys["integrity_secret"],
                                 "events_secret": keys["events_secret"],
                                 "private_key": keys["private_key"]}
    # no events_url: the fake cannot check our self-signed certificate, so the paid booking
    # is confirmed the way a late webhook is: the merchant-scoped look-up on return
    fakes.config("wompi", merchants=known, events_url=None)
    callback_url = fakes.base("merchant") + "/callback/install-" + tenant_id
    platform.call("PATCH", "/api/admin/tenant", 200,
                  json={"callback_url": callback_url, "return_url": "https://comercio.example/gracias"})
    secret = platform.call("POST", "/api/admin/tenant/callback-secret", 201)["secret"]

    # -- the catalog: a free and a paid service, a professional working every day, a link
    every_day = [{"weekday": d, "start": "00:00", "end": "23:45"} for d in range(1, 8)]
    free = platform.call("POST", "/api/admin/services", 201, json={
        "name": "Valoración gratuita", "description": "Primera valoración sin costo alguno.",
        "duration_minutes": 30, "price": {"amount": 0, "currency": "COP"}, "charge_type": "free"})
    paid = platform.call("POST", "/api/admin/services", 201, json={
        "name": "Consulta especializada", "description": "Consulta de treinta minutos pagada.",
        "duration_minutes": 30, "price": {"amount": 9000000, "currency": "COP"},
        "charge_type": "total"})
    pro = platform.call("POST", "/api/admin/professionals", 201, json={
        "name": "Dra. Instalación", "timezone": "America/Bogota", "schedule": every_day,
        "service_ids": [free["id"], paid["id"]]})
    link = platform.call("POST", "/api/admin/links", 201, json={"name": "Reservas"})

    customer = Client(args.domain, args.cacert)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

    def book(service):
        slots = customer.call("GET", "/api/public/links/%s/availability" % link["slug"], 200, params={
            "service": service["id"], "professional": pro["id"], "from": tomorrow, "days": 7})["slots"]
        if not slots:
            fail("no slots offered for " + service["name"])
        hold = customer.call("POST", "/api/public/holds", 201, json={
            "link": link["slug"], "service": service["id"], "professional": pro["id"],
            "start": slots[len(slots) // 2]["start"]})["hold"]
        return customer.call("POST", "/api/public/bookings", 201, json={
            "hold_token": hold["token"], "accepted_terms": True,
            "customer": {"name": "Ana María Gómez", "email": "ana@example.com",
                         "phone": "+573001234567"}})["booking"]

    def callbacks():
        return [r for r in fakes.requests("merchant") if r["path"].endswith("/install-" + tenant_id)]

    def confirmed(booking, n_callbacks):
        got = wait_for("callback %d" % n_callbacks, lambda: len(callbacks()) >= n_callbacks and callbacks())
        record = got[n_callbacks - 1]
        verify_with_readme_block(args.readme, secret, record)
        body = json.loads(record["body"])
        if body["booking_id"] != booking["id"] or body["evento"] != "booking.paid":
            fail("callback for another booking or event: %s" % record["body"][:300])
        wait_for("booking %s confirmed" % booking["id"], lambda: customer.call(
            "GET", "/api/public/bookings/%s" % booking["id"], 200,
            params={"token": booking["token"]})["booking"]["status"] == "confirmed")
        return body

    # -- the free booking
    booking = book(free)
    if booking["status"] != "paid" or booking["payment"] is not None:
        fail("a free booking is paid at once: %s" % booking)
    body = confirmed(booking, 1)
    if body["pago"]["proveedor"] != "ninguno":
        fail("free booking callback: %s" % body["pago"])

    # -- the paid booking, through the (fake) Wompi checkout
    booking = book(paid)
    page = requests.get(booking["payment"]["checkout_url"], timeout=20)
    if page.status_code != 200:
        fail("the checkout refused the booking's checkout URL: %s" % page.text)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page.text))
    fields = {html.unescape(k): html.unescape(v) for k, v in fields.items()}
    fields["decision"] = "APPROVED"
    back = requests.post(page.url.split("?", 1)[0] + "pay", data=fields, allow_redirects=False,
                         timeout=20)
    location = back.headers.get("Location", "")
    if not location.startswith("https://%s/book/" % args.domain):
        fail("Wompi sends the customer back to %r" % location)
    transaction = parse_qs(urlsplit(location).query)["id"][0]
    st = customer.call("GET", "/api/public/bookings/%s" % booking["id"], 200,
                       params={"token": booking["token"], "id": transaction})["booking"]
    if st["status"] not in ("paid", "confirmed"):
        fail("paid booking after the return from checkout: %s" % st)
    body = confirmed(booking, 2)
    if body["pago"]["estado"] != "aprobado" or body["pago"]["modo"] != "test":
        fail("paid booking callback: %s" % body["pago"])
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            json.dump({"email": email, "password": PASSWORD, "booking": booking["id"],
                       "token": booking["token"], "service": paid["name"]}, f)
    print("journey: verified mail, free and paid bookings confirmed with verified callbacks")


if __name__ == "__main__":
    main()
