"""Wompi (PROVIDERS.md "Wompi"), mounted at /wompi: the API base of the stack's
KonfirmadoProviderURL wompi-sandbox / wompi-production is /wompi/v1.

GET /wompi/v1/merchants/{public_key}  ("Test connection")
    known key -> 200 {"data": {"id", "name", "public_key", "presigned_acceptance": {...}}}
    unknown   -> 404 {"error": {"type": "NOT_FOUND_ERROR", "reason": "..."}}
GET /wompi/v1/transactions/{id}  -> 200 {"data": {id, created_at, finalized_at, amount_in_cents,
    reference, currency, payment_method_type, status, status_message, ...}, "meta": {}}; 404 unknown
POST /wompi/v1/transactions/{id}/void  with the owning merchant's `Authorization: Bearer
    <private key>` (PROVIDERS.md: card transactions only, the whole amount)
    -> 201 {"data": {transaction with "status": "VOIDED"}}; another merchant's or no private
    key -> 401 INVALID_ACCESS_TOKEN; not a CARD transaction, or not APPROVED (already voided,
    declined, pending) -> 422 {"error": {"type": "INPUT_VALIDATION_ERROR", "messages": {...}}}
GET /wompi/v1/transactions?reference=REF  with `Authorization: Bearer <private key>`
    -> 200 {"data": [transaction, ...], "meta": {}}: only THAT merchant's transactions with this
    reference (empty list when none); a missing or unknown private key (or a public key)
    -> 401 {"error": {"type": "INVALID_ACCESS_TOKEN", "reason": "..."}}

Web checkout, mounted where KonfirmadoProviderURL wompi-checkout points (/wompi/checkout):
GET /wompi/checkout/p/?public-key=&currency=&amount-in-cents=&reference=&signature:integrity=
    [&redirect-url=&expiration-time=&customer-data:...]
    400 text with the reason for an unknown public key, a missing parameter, a wrong
    signature:integrity (SHA-256 of reference + amount + currency [+ expiration-time] +
    the merchant's integrity secret) or an expiration-time already past; else an HTML page
    with the amount and Approve / Decline / Pending buttons (a plain form) that POSTs to
POST /wompi/checkout/p/pay: creates the transaction, sends the signed transaction.updated
    event to `events_url` (like Wompi, with the merchant's events secret; the checksum also
    in X-Event-Checksum, uppercase as Wompi's docs print it), then 302 to
    redirect-url?id=<transaction id>&env=test.

Test control (no browser), under the fake's prefix:
POST /wompi/_control/transactions {"public_key", "reference", "amount_in_cents", "currency",
    "status" (default APPROVED), "payment_method_type" (default CARD), "send" (default true),
    "secret"?, "checksum"?}
    -> {"transaction": {...}, "event": {...}, "delivery": {"status", "body"}}: creates a
    transaction and, with send, fires its event now (secret/checksum override the signing,
    for negative tests)
POST /wompi/_control/voids -> {"voids": {transaction id: void requests received}}
POST /wompi/_control/transactions/{id}/send {"status"?, "secret"?, "checksum"?}
    -> the same: (re)sends the transaction's event, after changing its status if given

Configuration (POST /_fakes/wompi/config):
  merchants  {public_key: {"id": ..., "name": ..., "integrity_secret": ..., "events_secret": ...,
             "private_key": ...}}:
             the merchants the fake knows; a test registers its own with the secrets it
             configured for the tenant (default: none)
  events_url where events are POSTed (the stack's /api/webhooks/wompi; tests set it)
  events_host the Host header of those POSTs (the platform host: the stack answers any other
             host 404 unknown_host), when events_url names 127.0.0.1
  status     when set (e.g. 500), every answer has this status and a generic error body,
             to simulate an outage (default: null)
"""
import hashlib
import html
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode

from base import Fake, Response

ACCEPTANCE_PERMALINK = ("https://wompi.com/assets/downloadble/"
                        "reglamento-Usuarios-Colombia.pdf")


def not_found(reason):
    return Response.json({"error": {"type": "NOT_FOUND_ERROR", "reason": reason}}, 404)


class WompiFake(Fake):
    name = "wompi"
    defaults = {"merchants": {}, "status": None, "events_url": None, "events_host": None}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.transactions = {}
        self.void_calls = {}      # transaction id -> void requests received (tests count them)

    def reset(self):
        super().reset()
        with self.lock:
            self.transactions = {}
            self.void_calls = {}

    def handle(self, req):
        with self.lock:
            merchants = dict(self.config["merchants"])
            status = self.config["status"]
        parts = req.subpath.strip("/").split("/")
        if parts[0] == "_control":
            return self.control(req, parts[1:])
        if status:
            return Response.json({"error": {"type": "INTERNAL_ERROR",
                                            "reason": "fake outage"}}, int(status))
        if req.method in ("GET", "HEAD") and len(parts) == 3 and parts[:2] == ["v1", "merchants"]:
            return self.merchant(merchants, parts[2])
        if req.method in ("GET", "HEAD") and parts == ["v1", "transactions"]:
            return self.search(merchants, req)
        if req.method in ("GET", "HEAD") and len(parts) == 3 and parts[:2] == ["v1", "transactions"]:
            with self.lock:
                tx = self.transactions.get(parts[2])
            if tx is None:
                return not_found("La entidad solicitada no existe")
            return Response.json({"data": dict(tx), "meta": {}})
        if (req.method == "POST" and len(parts) == 4 and parts[:2] == ["v1", "transactions"]
                and parts[3] == "void"):
            return self.void(merchants, req, parts[2])
        if parts[:2] == ["checkout", "p"]:
            if len(parts) == 2 and req.method == "GET":
                return self.checkout_page(merchants, req.args())
            if len(parts) == 3 and parts[2] == "pay" and req.method == "POST":
                return self.checkout_pay(merchants, dict(parse_qsl(req.body.decode("utf-8"))))
        return not_found("La entidad solicitada no existe")

    def search(self, merchants, req):
        """Merchant-scoped search by reference: the private key says whose transactions."""
        auth = req.header("Authorization", "")
        key = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        public_key = next((pk for pk, m in merchants.items()
                           if key and m.get("private_key") == key), None)
        if public_key is None:
            return Response.json({"error": {"type": "INVALID_ACCESS_TOKEN",
                                            "reason": "Se esperaba una llave privada"}}, 401)
        reference = req.args().get("reference")
        with self.lock:
            found = [{k: v for k, v in tx.items() if k != "public_key"}
                     for tx in self.transactions.values()
                     if tx.get("public_key") == public_key
                     and (reference is None or tx["reference"] == reference)]
        return Response.json({"data": found, "meta": {}})

    def void(self, merchants, req, tx_id):
        """Voids an approved card transaction of the merchant whose private key signs in."""
        auth = req.header("Authorization", "")
        key = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        with self.lock:
            tx = self.transactions.get(tx_id)
            if tx is None:
                return not_found("La entidad solicitada no existe")
            self.void_calls[tx_id] = self.void_calls.get(tx_id, 0) + 1
            owner = merchants.get(tx.get("public_key"), {})
            if not key or owner.get("private_key") != key:
                return Response.json({"error": {"type": "INVALID_ACCESS_TOKEN",
                                                "reason": "Se esperaba una llave privada"}}, 401)
            if tx["payment_method_type"] != "CARD":
                return Response.json({"error": {"type": "INPUT_VALIDATION_ERROR", "messages": {
                    "transaction": ["Solo se pueden anular transacciones con tarjeta"]}}}, 422)
            if tx["status"] != "APPROVED":
                return Response.json({"error": {"type": "INPUT_VALIDATION_ERROR", "messages": {
                    "transaction": ["La transacción no está en estado APPROVED"]}}}, 422)
            tx["status"] = "VOIDED"
            return Response.json({"data": {k: v for k, v in tx.items() if k != "public_key"},
                                  "meta": {}}, 201)

    # ------------------------------------------------------------ web checkout

    @staticmethod
    def check_checkout(merchants, args):
        """(merchant, None) when the checkout parameters are acceptable, else (None, reason)."""
        for name in ("public-key", "currency", "amount-in-cents", "reference", "signature:integrity"):
            if not args.get(name):
                return None, "missing parameter %s" % name
        merchant = merchants.get(args["public-key"])
        if merchant is None:
            return None, "unknown public-key"
        if not args["amount-in-cents"].isdigit() or int(args["amount-in-cents"]) <= 0:
            return None, "amount-in-cents must be a positive integer"
        expiration = args.get("expiration-time", "")
        signed = (args["reference"] + args["amount-in-cents"] + args["currency"] + expiration
                  + merchant.get("integrity_secret", ""))
        if hashlib.sha256(signed.encode("utf-8")).hexdigest() != args["signature:integrity"].lower():
            return None, "signature:integrity does not match"
        if expiration:
            try:
                when = datetime.strptime(expiration, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            except ValueError:
                return None, "expiration-time is not ISO 8601 UTC (2023-06-09T20:28:50.000Z)"
            if when.timestamp() <= time.time():
                return None, "expiration-time has passed"
        return merchant, None

    def checkout_page(self, merchants, args):
        merchant, reason = self.check_checkout(merchants, args)
        if reason:
            return Response(400, "Wompi checkout refused: %s\n" % reason)
        amount = int(args["amount-in-cents"])
        hidden = "".join('<input type="hidden" name="%s" value="%s">' % (html.escape(k), html.escape(v))
                         for k, v in args.items())
        buttons = "".join('<button type="submit" name="decision" value="%s">%s</button>' % (v, label)
                          for v, label in (("APPROVED", "Approve"), ("DECLINED", "Decline"),
                                           ("PENDING", "Pending")))
        page = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Wompi (fake)</title></head>"
                "<body><h1>%s</h1><p>Referencia <code id=\"reference\">%s</code></p>"
                "<p>Total: <strong id=\"amount\">%s %s</strong> "
                "(<span id=\"amount-in-cents\">%d</span> centavos)</p>"
                "<form method=\"post\" action=\"pay\">%s%s</form></body></html>") % (
            html.escape(merchant.get("name", "Comercio de prueba")), html.escape(args["reference"]),
            html.escape(args["currency"]), "{:,.2f}".format(amount / 100).replace(",", "X")
            .replace(".", ",").replace("X", "."), amount, hidden, buttons)
        return Response(200, page, content_type="text/html; charset=utf-8")

    def checkout_pay(self, merchants, form):
        merchant, reason = self.check_checkout(merchants, form)
        if reason:
            return Response(400, "Wompi checkout refused: %s\n" % reason)
        status = form.get("decision", "APPROVED")
        if status not in ("APPROVED", "DECLINED", "PENDING", "ERROR", "VOIDED"):
            return Response(400, "unknown decision %s\n" % status)
        tx = self.new_transaction(form["public-key"], form["reference"], int(form["amount-in-cents"]),
                                  form["currency"], status, form.get("redirect-url"),
                                  form.get("customer-data:email"))
        self.send_event(tx, merchant.get("events_secret", ""))
        redirect = form.get("redirect-url")
        if not redirect:
            return Response(200, "Transaction %s: %s\n" % (tx["id"], status))
        sep = "&" if "?" in redirect else "?"
        return Response(302, "", headers=[("Location", redirect + sep + urlencode(
            {"id": tx["id"], "env": "test"}))])

    # ------------------------------------------------------------ transactions and events

    def new_transaction(self, public_key, reference, amount, currency, status, redirect_url=None,
                        email=None, method="CARD"):
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        tx = {
            "id": "%d-%d-%05d" % (secrets.randbelow(90000) + 10000, int(time.time()),
                                  secrets.randbelow(100000)),
            "created_at": now,
            "finalized_at": None if status == "PENDING" else now,
            "amount_in_cents": amount,
            "reference": reference,
            "customer_email": email or "cliente@example.com",
            "currency": currency,
            "payment_method_type": method,
            "payment_method": ({"type": "CARD", "extra": {"brand": "VISA", "last_four": "4242"}}
                               if method == "CARD" else {"type": method, "extra": {}}),
            "status": status,
            "status_message": None,
            "redirect_url": redirect_url,
            "public_key": public_key,
        }
        with self.lock:
            self.transactions[tx["id"]] = tx
        return tx

    def build_event(self, tx, secret, checksum=None):
        props = ["transaction.id", "transaction.status", "transaction.amount_in_cents"]
        ts = int(time.time())
        values = "".join(str(tx[p.split(".", 1)[1]]) for p in props)
        computed = hashlib.sha256(("%s%d%s" % (values, ts, secret)).encode("utf-8")).hexdigest()
        return {
            "event": "transaction.updated",
            "data": {"transaction": {k: v for k, v in tx.items() if k != "public_key"}},
            "environment": "test",
            "signature": {"properties": props, "checksum": checksum or computed},
            "timestamp": ts,
            "sent_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }

    def send_event(self, tx, secret, checksum=None, event=None):
        """POST the event to events_url; returns (event, {"status", "body"})."""
        with self.lock:
            url = self.config["events_url"]
            host = self.config["events_host"]
        event = event or self.build_event(tx, secret, checksum)
        if not url:
            return event, {"status": None, "body": "no events_url configured"}
        body = json.dumps(event).encode("utf-8")
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "X-Event-Checksum": event["signature"]["checksum"].upper(),
            "User-Agent": "Wompi-fake/1", **({"Host": host} if host else {})})
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                return event, {"status": resp.status, "body": resp.read().decode("utf-8", "replace")}
        except urllib.error.HTTPError as e:
            return event, {"status": e.code, "body": e.read().decode("utf-8", "replace")}
        except OSError as e:
            return event, {"status": None, "body": str(e)}

    def control(self, req, parts):
        if req.method != "POST":
            return not_found("no control endpoint")
        try:
            args = req.json() if req.body else {}
        except ValueError:
            return Response.json({"error": "body must be JSON"}, 400)
        with self.lock:
            merchants = dict(self.config["merchants"])
        if parts == ["voids"]:
            with self.lock:
                return Response.json({"voids": dict(self.void_calls)})
        if parts == ["transactions"]:
            merchant = merchants.get(args.get("public_key"), {})
            tx = self.new_transaction(args.get("public_key"), args["reference"],
                                      int(args["amount_in_cents"]), args.get("currency", "COP"),
                                      args.get("status", "APPROVED"),
                                      email=args.get("customer_email"),
                                      method=args.get("payment_method_type", "CARD"))
        elif len(parts) == 3 and parts[0] == "transactions" and parts[2] == "send":
            with self.lock:
                tx = self.transactions.get(parts[1])
                if tx is not None and args.get("status"):
                    tx["status"] = args["status"]
            if tx is None:
                return not_found("unknown transaction")
            merchant = merchants.get(tx.get("public_key"), {})
        else:
            return not_found("no control endpoint")
        out = {"transaction": dict(tx)}
        if args.get("send", True):
            secret = args.get("secret", merchant.get("events_secret", ""))
            out["event"], out["delivery"] = self.send_event(tx, secret, args.get("checksum"))
        return Response.json(out)

    @staticmethod
    def merchant(merchants, public_key):
        known = merchants.get(public_key)
        if known is None:
            return not_found("La entidad solicitada no existe")
        merchant_id = known.get("id", 1)
        return Response.json({"data": {
            "id": merchant_id,
            "name": known.get("name", "Comercio de prueba"),
            "email": known.get("email", "comercio@example.com"),
            "contact_name": known.get("contact_name", "Contacto"),
            "phone_number": known.get("phone_number", "+573000000000"),
            "active": True,
            "logo_url": None,
            "legal_name": known.get("name", "Comercio de prueba"),
            "legal_id_type": "NIT",
            "legal_id": "900000000-1",
            "public_key": public_key,
            "accepted_currencies": ["COP"],
            "fraud_javascript_key": None,
            "fraud_groups": [],
            "accepted_payment_methods": ["CARD", "NEQUI", "PSE", "BANCOLOMBIA_TRANSFER"],
            "payment_methods": [],
            "presigned_acceptance": {
                "acceptance_token": "eyJhbGciOiJIUzI1NiJ9.fake-acceptance-%s" % merchant_id,
                "permalink": ACCEPTANCE_PERMALINK,
                "type": "END_USER_POLICY",
            },
        }, "meta": {}})
