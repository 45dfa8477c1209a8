#!/usr/bin/python3
"""The install test's journey (tests/install/run), against the system Apache over HTTPS:
a merchant signs up, verifies the mail and chooses a subdomain with docs/install.md's own
blocks (merchant-register, merchant-verify with konfirmado-mail, merchant-subdomain), logs
in, sets Wompi test keys, a callback URL and secret, a free and a paid service, a
professional and a link; a customer books the free service and pays the paid one at the fake
Wompi. Each booking ends `confirmed` with its merchant callback delivered and verified by the
README's own verify block. Then a third booking is paid as a server without a provider or a
merchant does it, with install.md's trial blocks: the site lets callbacks reach this machine
(trial-callbacks), konfirmado-callback-receiver stands in for the merchant
(trial-callback-receiver, the secret on its standard input) and konfirmado-payment-test pays
(trial-payment); the receiver must print the booking's booking.paid with valid signatures.

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
import queue
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import parse_qs, urlsplit

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from conftest import Fakes, Maildir, read_stack_env  # noqa: E402

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


def doc_block(doc, name):
    """The body of the doc's ```sh NAME block."""
    text = open(doc, encoding="utf-8").read()
    found = re.search(r"^```sh " + re.escape(name) + r"\n(.*?)^```$", text, re.M | re.S)
    if not found:
        fail("%s has no `sh %s` block" % (doc, name))
    return "set -euo pipefail\n" + found.group(1)


def run_doc_block(doc, name, **env):
    """A block of the doc run verbatim by bash, as the operator runs it (as root), with
    DOMAIN and the given variables in its environment; its output."""
    p = subprocess.run(["bash", "-c", doc_block(doc, name)], env=dict(os.environ, **env),
                       capture_output=True, text=True, timeout=120, cwd="/tmp")
    if p.returncode != 0:
        fail("the block %s of %s failed (%d):\n%s%s" % (name, doc, p.returncode, p.stdout,
                                                     p.stderr))
    return p.stdout


class Running:
    """A block left running (the receiver), its output read line by line as it comes."""

    def __init__(self, doc, name, stdin_text):
        self.proc = subprocess.Popen(["bash", "-c", doc_block(doc, name)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     cwd="/tmp", start_new_session=True)
        self.proc.stdin.write(stdin_text)
        self.proc.stdin.close()
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for_line(self, what, pattern, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            try:
                line = self.lines.get(timeout=max(0.1, end - time.time()))
            except queue.Empty:
                break
            if line is None:
                fail("%s ended before %s:\n%s" % ("the receiver", what, "\n".join(self.seen)))
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        fail("timed out waiting for %s:\n%s" % (what, "\n".join(self.seen)))

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)


def book_slot(customer, link, service, professional, nth=None):
    """A customer's booking of the link's service with the professional, from tomorrow on:
    the middle free slot, or the nth. Returns the booking (its id and token)."""
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    slots = customer.call("GET", "/api/public/links/%s/availability" % link, 200, params={
        "service": service, "professional": professional, "from": tomorrow, "days": 7})["slots"]
    if not slots:
        fail("no slots offered for service %s" % service)
    hold = customer.call("POST", "/api/public/holds", 201, json={
        "link": link, "service": service, "professional": professional,
        "start": slots[len(slots) // 2 if nth is None else nth]["start"]})["hold"]
    return customer.call("POST", "/api/public/bookings", 201, json={
        "hold_token": hold["token"], "accepted_terms": True,
        "customer": {"name": "Ana María Gómez", "email": "ana@example.com",
                     "phone": "+573001234567"}})["booking"]


def more_bookings(args, saved):
    """--more-bookings: N free bookings more on the journey's link, written to --bookings."""
    customer = Client(args.domain, args.cacert)
    made = [book_slot(customer, saved["link"], saved["free_service"], saved["professional"],
                      nth=i) for i in range(args.count)]
    with open(args.bookings, "w", encoding="utf-8") as f:
        json.dump([{"id": b["id"], "token": b["token"]} for b in made], f)
    print("journey: %d bookings made" % len(made))


def check_bookings(args):
    """--check-bookings: each booking of the file is there (its customer's link answers it),
    or, with --absent, is not (404)."""
    customer = Client(args.domain, args.cacert)
    for b in json.load(open(args.check_bookings, encoding="utf-8")):
        expect = 404 if args.absent else 200
        customer.call("GET", "/api/public/bookings/%s" % b["id"], expect,
                      params={"token": b["token"]})
    print("journey: the bookings of %s are %s" % (args.check_bookings,
                                                  "gone" if args.absent else "there"))


def check_restored(args, saved):
    """After a restore (or a key rotation, an upgrade): the merchant logs in with the same
    password and finds the paid booking, confirmed, in the dashboard; the customer's own link
    to it still works; the merchant's Wompi keys, sealed in the database, still open."""
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
    # the merchant's sealed secrets still open: the key test signs in with the Wompi
    # private key (the fake Wompi knows it)
    tested = platform.call("POST", "/api/admin/tenant/payments/wompi/test", 200)
    if tested.get("ok") is not True:
        fail("the merchant's Wompi keys do not open any more: %s" % tested)
    print("journey: the merchant logs in, the paid booking is confirmed, the sealed keys open")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--domain", required=True)
    ap.add_argument("--cacert", required=True)
    ap.add_argument("--readme", help="the doc holding the verify-konfirmado-signature block")
    ap.add_argument("--install-doc", help="docs/install.md: its merchant and trial blocks")
    ap.add_argument("--maildir", help="the folder the server captures its mail in (else the "
                    "stack's SMTP sink)")
    ap.add_argument("--save", help="write the merchant's login and the paid booking here (JSON)")
    ap.add_argument("--check-restored", metavar="SAVED",
                    help="instead of a journey: check that what --save wrote is still there")
    ap.add_argument("--more-bookings", metavar="SAVED",
                    help="instead of a journey: --count free bookings more on the link --save"
                    " wrote, their ids and tokens written to --bookings")
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--bookings", metavar="FILE")
    ap.add_argument("--check-bookings", metavar="FILE",
                    help="instead of a journey: the bookings --more-bookings wrote are there")
    ap.add_argument("--absent", action="store_true", help="with --check-bookings: are gone")
    args = ap.parse_args()
    route_domain_to_loopback(args.domain)
    if args.check_restored:
        check_restored(args, json.load(open(args.check_restored, encoding="utf-8")))
        return
    if args.more_bookings:
        more_bookings(args, json.load(open(args.more_bookings, encoding="utf-8")))
        return
    if args.check_bookings:
        check_bookings(args)
        return
    if not args.readme or not args.install_doc:
        ap.error("--readme and --install-doc are required for a journey")
    stack = read_stack_env()
    fakes = Fakes(stack["KF_FAKES_URL"])
    maildir = CapturedMail(args.maildir) if args.maildir else Maildir(stack["KF_MAILDIR"])
    platform = Client(args.domain, args.cacert)

    # -- the merchant signs up with the documented blocks: the verification mail arrives,
    #    konfirmado-mail gives its link, the token verifies; then the subdomain
    register = json.loads(re.search(r"^(\{.*\})$", doc_block(args.install_doc, "merchant-register"),
                                    re.M).group(1))
    email, password = register["email"], register["password"]
    signed_up = json.loads(run_doc_block(args.install_doc, "merchant-register"))
    if signed_up.get("tenant", {}).get("subdomain", "absent") is not None:
        fail("sign-up answered the tenant %s" % signed_up)
    mails = wait_for("the verification mail", lambda: [
        m for m in maildir.new() if email in str(m["To"])])
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    found = re.search(LINK_RE, body)
    if not found or not found.group(1).startswith("https://%s/" % args.domain):
        fail("no https://%s/verify-email link in the mail:\n%s" % (args.domain, body))
    shown = run_doc_block(args.install_doc, "merchant-verify")
    if found.group(1) not in shown:
        fail("konfirmado-mail did not show the verification link:\n" + shown)
    run_doc_block(args.install_doc, "merchant-subdomain")
    subdomain = re.search(r'"subdomain": "([a-z0-9-]+)"',
                          doc_block(args.install_doc, "merchant-subdomain")).group(1)
    me = platform.call("POST", "/api/auth/login", 200, json={"email": email, "password": password})
    platform.http.headers["X-CSRF-Token"] = me["csrf_token"]
    tenant_id = me["tenant"]["id"]
    if me["tenant"].get("subdomain") != subdomain:
        fail("the documented PATCH left the tenant %s" % me["tenant"])

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

    def book(service):
        return book_slot(customer, link["slug"], service["id"], pro["id"])

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
            json.dump({"email": email, "password": password, "booking": booking["id"],
                       "token": booking["token"], "service": paid["name"],
                       "link": link["slug"], "free_service": free["id"],
                       "professional": pro["id"]}, f)

    # -- without a provider or a merchant: the documented trial blocks
    run_doc_block(args.install_doc, "trial-callbacks")
    site = open("/etc/apache2/sites-available/konfirmado.conf", encoding="utf-8").read()
    for line in ("KonfirmadoAllowInsecureURLs On", "KonfirmadoOutboundAllow 127.0.0.1/32"):
        if not re.search(r"^ *" + re.escape(line) + "$", site, re.M):
            fail("the trial-callbacks block did not turn on " + line)
    receiver = Running(args.install_doc, "trial-callback-receiver", secret + "\n")
    try:
        url = re.search(r"(http://\S+)", receiver.wait_for_line(
            "the receiver's address", r"set the callback URL to")).group(1)
        platform.call("PATCH", "/api/admin/tenant", 200, json={"callback_url": url})
        booking = book(paid)
        paid_by = run_doc_block(args.install_doc, "trial-payment", BOOKING=booking["id"])
        if "its booking is" not in paid_by:
            fail("konfirmado-payment-test said: " + paid_by)
        line = receiver.wait_for_line("the booking.paid callback",
                                      r"^callback booking\.paid %s: " % booking["id"])
        if not line.endswith(": signatures valid"):
            fail("the receiver did not verify the callback:\n" + "\n".join(receiver.seen))
    finally:
        receiver.stop()
    # the trial over, the merchant's own endpoint again (the later drills' bookings call it)
    platform.call("PATCH", "/api/admin/tenant", 200, json={"callback_url": callback_url})
    wait_for("booking %s confirmed" % booking["id"], lambda: customer.call(
        "GET", "/api/public/bookings/%s" % booking["id"], 200,
        params={"token": booking["token"]})["booking"]["status"] == "confirmed")
    print("journey: verified mail, free and paid bookings confirmed with verified callbacks;"
          " one paid without a provider, its callback verified by the receiver")


if __name__ == "__main__":
    main()
