"""Airwallex (PROVIDERS.md "Airwallex"), mounted at /airwallex: the API base of the stack's
KonfirmadoProviderURL airwallex-sandbox / airwallex-production is /airwallex (the code adds
/api/v1/...), its hosted payment page (airwallex-checkout) is /airwallex/checkout.

JSON everywhere; amounts in major units (75.76), read exactly (a number with more decimals
than the currency has is refused). Errors are Airwallex's {"code", "message", "source"?}.

POST /airwallex/api/v1/authentication/login  headers x-client-id, x-api-key, no body
    -> 201 {"token", "expires_at": "2026-05-12T00:00:00+0000"} (valid `token_ttl` seconds);
    unknown client id or wrong key -> 401 {"code": "credentials_invalid", "message"}
Every other /api/v1 call needs `Authorization: Bearer <token>`; a missing, unknown or expired
token -> 401 {"code": "unauthorized", "message": "Access denied, authentication failed"}.
Objects belong to the account whose token made them; another account's id is unknown to it.

POST /airwallex/api/v1/pa/payment_intents/create  {"request_id" (<= 64), "amount" (> 0),
    "currency", "merchant_order_id", "return_url"?, "metadata"?, "descriptor"? (<= 32), ...}
    -> 201 {"id": "int_…", "request_id", "amount", "currency", "merchant_order_id",
       "descriptor", "metadata", "return_url", "status": "REQUIRES_PAYMENT_METHOD",
       "client_secret", "captured_amount": 0, "created_at", "updated_at"}
    the same request_id again -> the same intent (201), or with config `duplicate_request`
    true (what Airwallex documents) 400 {"code": "duplicate_request"};
    a missing or bad field -> 400 {"code": "validation_error", "source": <field>, "message"}
GET  /airwallex/api/v1/pa/payment_intents/{id}  -> 200 the intent; another account's or
    none -> 404 {"code": "resource_not_found", "message": "The resource with ID … cannot be found"}
GET  /airwallex/api/v1/pa/payment_intents[?merchant_order_id=]  -> 200 {"has_more": false,
    "items": [intent, …]} of the account
POST /airwallex/api/v1/pa/payment_intents/{id}/cancel  {"request_id"?, "cancellation_reason"?}
    -> 200 the intent CANCELLED (payment_intent.cancelled sent); SUCCEEDED or CANCELLED
    already -> 400 {"code": "invalid_status_for_operation"}
POST /airwallex/api/v1/pa/refunds/create  {"request_id" (<= 64), "payment_intent_id",
    "amount"? (default: what is left), "reason"? (<= 128), "metadata"?}
    -> 201 {"id": "rfd_…", "request_id", "payment_intent_id", "payment_attempt_id", "amount",
       "currency", "reason", "metadata", "status": "RECEIVED", "created_at", "updated_at"},
    then (after the answer) refund.received and refund.settled are sent and the refund is
    SETTLED. The same request_id again -> the same refund (201), or 400 duplicate_request with
    `duplicate_request`; an intent not SUCCEEDED -> 400 invalid_status_for_operation; more
    than the captured amount not yet refunded -> 400 {"code": "validation_error", "source":
    "amount"}; another account's intent -> 404 resource_not_found
GET  /airwallex/api/v1/pa/refunds[?payment_intent_id=]  -> {"has_more": false, "items": [...]}
GET  /airwallex/api/v1/pa/refunds/{id}  -> the refund (owner only, else 404)
GET  /airwallex/api/v1/account  -> {"id", "account_details": {"business_details":
    {"business_name": <the account's name>}}, "status": "ACTIVE"}

Hosted payment page (the sandbox a human clicks):
GET  /airwallex/checkout/  HTML + a small script reading location.hash
    (#/standalone/checkout?intent_id=&client_secret=&currency=&mode=&successUrl=&failUrl=,
    as Airwallex.js redirectToCheckout builds it; the query string works too) that fetches
GET  /airwallex/checkout/intent?intent_id=&client_secret=  -> {"id", "amount", "currency",
    "status", "merchant_order_id", "merchant_name"}; a wrong client_secret -> 404
    resource_not_found; and shows the merchant, amount and currency with "Pay" / "Decline"
    buttons of a plain form posting to
POST /airwallex/checkout/pay  (form: intent_id, client_secret, action, successUrl, failUrl)
    action "pay": intent SUCCEEDED (captured), payment_intent.succeeded sent, 303 successUrl;
    "decline": intent CANCELLED, payment_intent.cancelled sent, 303 failUrl; an intent not
    waiting for payment or a wrong secret -> 400 text.

Events, POSTed to `events_url` (Host: `events_host` when set), signed as Airwallex does:
    {"id": "evt_…", "name", "account_id", "data": {"object": <intent or refund>},
     "created_at": "2026-05-11T23:45:00+0000", "version": "2024-02-22"}
    headers x-timestamp (Unix milliseconds) and x-signature = hex HMAC-SHA256(webhook_secret,
    x-timestamp + body).

Test control (no browser), under /airwallex/_control:
POST intents {"client_id", "amount", "currency", "merchant_order_id", "status"?, ...}
    -> {"intent"}: an intent made for that account without the API
POST intents/{id}/succeed, intents/{id}/cancel  {"send"? (default true), "secret"?,
    "timestamp"?, "signature"?} -> {"intent", "event", "delivery": {"status", "body"}}: the
    intent moves and its event is sent now (secret / timestamp / signature override the
    signing, for negative tests)
POST intents/{id}/dispute  {"reason"? (default fraud), "stage"? (default CHARGEBACK),
    "secret"?, "timestamp"?, "signature"?} -> {"dispute", "event", "delivery"}: the shopper's
    bank disputes a succeeded intent; a PaymentDispute {id pdp_..., payment_intent_id,
    payment_attempt_id, amount (major units), currency, reason {type, code}, stage, status
    REQUIRES_RESPONSE, created_at, updated_at} and its payment_dispute.requires_response event
    (PaymentDispute's fields and the event names are from Airwallex's docs, partly unconfirmed)
POST disputes/{id}/resolve  {"status" (WON, LOST, ACCEPTED, CHALLENGED, ...; default WON),
    "secret"?, ...} -> the same: the dispute takes that status, payment_dispute.<status> sent
POST events/{evt id}/send  {"secret"?, "timestamp"?, "signature"?} -> the same event again,
    signed anew
GET|POST logins   -> {"count", "logins": [{"client_id", "ok", "time"}, …]}
GET|POST refunds  -> {"refunds": [{"client_id", "body", "status", "time"}, …]} every refund
    request received (answered or refused), oldest first
GET|POST events   -> {"events": [{"event", "delivery"}, …]} every event sent

Configuration (POST /_fakes/airwallex/config):
  accounts   {client_id: {"api_key", "name", "webhook_secret", "account_id"?}}: the accounts
             the fake knows; tests register their own with the secrets they configured
  events_url where events are POSTed (the stack's /api/webhooks/airwallex; tests set it)
  events_host the Host header of those POSTs, when events_url names 127.0.0.1
  status     when set (e.g. 500), every answer but the control API has this status and a
             generic Airwallex error body (an outage)
  token_ttl  seconds a login token lives (default 1800)
  duplicate_request  true: a request_id used before is refused with 400 duplicate_request
             (Airwallex's documented behaviour) instead of answering the first result again
"""
import hashlib
import hmac
import html
import http.client
import json
import secrets
import threading
import time
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlsplit

from base import Fake, Response

CURRENCY_EXPONENT = {c: 0 for c in ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                    "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF")}
CURRENCY_EXPONENT.update({c: 3 for c in ("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND")})
WAITING = ("REQUIRES_PAYMENT_METHOD", "REQUIRES_CUSTOMER_ACTION", "REQUIRES_CAPTURE", "PENDING")


def error(status, code, message, source=None):
    body = {"code": code, "message": message}
    if source:
        body["source"] = source
    return Response.json(body, status)


def not_found(what):
    return error(404, "resource_not_found", "The resource with ID %s cannot be found" % what)


def awx_time(epoch=None):
    return datetime.fromtimestamp(time.time() if epoch is None else epoch,
                                  timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def new_id(prefix):
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(20))


def plain(obj):
    """Decimals as JSON numbers (integers when whole), recursively."""
    if isinstance(obj, Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def money(value, currency):
    """A positive amount with no more decimals than the currency has, as a Decimal, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    d = Decimal(value)
    if not d.is_finite() or d <= 0 or d.normalize().as_tuple().exponent < -CURRENCY_EXPONENT.get(currency, 2):
        return None
    return d


def sign(secret, timestamp, body):
    return hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + body,
                    hashlib.sha256).hexdigest()


def post(url, body, headers, host=None, timeout=15):
    """One POST now -> {"status", "body"}; *.localhost is reached on 127.0.0.1."""
    parts = urlsplit(url)
    name = parts.hostname or ""
    connect = "127.0.0.1" if name == "localhost" or name.endswith(".localhost") else name
    conn = http.client.HTTPConnection(connect, parts.port or 80, timeout=timeout)
    try:
        conn.putrequest("POST", (parts.path or "/") + ("?" + parts.query if parts.query else ""),
                        skip_host=True, skip_accept_encoding=True)
        hdrs = dict(headers, **{"Host": host or parts.netloc, "Content-Length": str(len(body))})
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders(body)
        resp = conn.getresponse()
        return {"status": resp.status, "body": resp.read().decode("utf-8", "replace")}
    except (OSError, http.client.HTTPException) as e:
        return {"status": None, "body": repr(e)}
    finally:
        conn.close()


class AirwallexFake(Fake):
    name = "airwallex"
    defaults = {"accounts": {}, "events_url": None, "events_host": None, "status": None,
                "token_ttl": 1800, "duplicate_request": False}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.forget()

    def forget(self):
        self.tokens = {}            # token -> (client_id, expires epoch)
        self.intents = {}           # id -> intent (with "_owner")
        self.refunds = {}           # id -> refund (with "_owner")
        self.disputes = {}          # id -> payment dispute (with "_owner")
        self.events = {}            # evt id -> {"event", "client_id"}
        self.sent = []              # {"event", "delivery"}
        self.logins = []
        self.refund_requests = []

    def reset(self):
        super().reset()
        with self.lock:
            self.forget()

    # ------------------------------------------------------------ dispatch

    def handle(self, req):
        parts = [p for p in req.subpath.split("/") if p]
        if parts[:1] == ["_control"]:
            return self.control(req, parts[1:])
        with self.lock:
            outage = self.config["status"]
        if outage:
            return error(int(outage), "internal_error",
                         "An internal error was encountered. Please try again later.")
        if parts[:1] == ["checkout"]:
            return self.checkout(req, parts[1:])
        if parts[:2] != ["api", "v1"]:
            return error(404, "not_found", "The requested endpoint does not exist")
        route = parts[2:]
        if req.method == "POST" and route == ["authentication", "login"]:
            return self.login(req)
        client_id = self.authorized(req)
        if client_id is None:
            return error(401, "unauthorized", "Access denied, authentication failed")
        if req.method == "GET" and route == ["account"]:
            return self.account(client_id)
        if route[:2] == ["pa", "payment_intents"]:
            rest = route[2:]
            if req.method == "POST" and rest == ["create"]:
                return self.create_intent(client_id, req)
            if req.method == "GET" and not rest:
                return self.list_of(self.intents, client_id, "merchant_order_id",
                                    req.args().get("merchant_order_id"))
            if req.method == "GET" and len(rest) == 1:
                return self.owned(self.intents, client_id, rest[0])
            if req.method == "POST" and len(rest) == 2 and rest[1] == "cancel":
                return self.cancel_intent(client_id, rest[0])
        if route[:2] == ["pa", "refunds"]:
            rest = route[2:]
            if req.method == "POST" and rest == ["create"]:
                return self.create_refund(client_id, req)
            if req.method == "GET" and not rest:
                return self.list_of(self.refunds, client_id, "payment_intent_id",
                                    req.args().get("payment_intent_id"))
            if req.method == "GET" and len(rest) == 1:
                return self.owned(self.refunds, client_id, rest[0])
        return error(404, "not_found", "The requested endpoint does not exist")

    # ------------------------------------------------------------ auth

    def account_of(self, client_id):
        with self.lock:
            return dict(self.config["accounts"].get(client_id) or {})

    def login(self, req):
        client_id = req.header("x-client-id", "")
        account = self.account_of(client_id)
        ok = bool(account) and hmac.compare_digest(str(account.get("api_key", "")),
                                                   req.header("x-api-key", ""))
        with self.lock:
            self.logins.append({"client_id": client_id, "ok": ok, "time": time.time()})
            ttl = float(self.config["token_ttl"])
        if not ok:
            return error(401, "credentials_invalid", "Invalid client id or api key")
        token = "eyJhbGciOiJIUzI1NiJ9." + secrets.token_urlsafe(24)
        expires = time.time() + ttl
        with self.lock:
            self.tokens[token] = (client_id, expires)
        return Response.json({"token": token, "expires_at": awx_time(expires)}, 201)

    def authorized(self, req):
        auth = req.header("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        with self.lock:
            known = self.tokens.get(token)
        if not known or known[1] <= time.time() or not self.account_of(known[0]):
            return None
        return known[0]

    def account(self, client_id):
        account = self.account_of(client_id)
        return Response.json({
            "id": account.get("account_id", "acct_" + hashlib.sha256(client_id.encode()).hexdigest()[:16]),
            "account_details": {"business_details": {
                "business_name": account.get("name", "Fake Merchant Ltd")}},
            "status": "ACTIVE",
        })

    # ------------------------------------------------------------ objects

    @staticmethod
    def body_of(req):
        try:
            body = json.loads(req.body.decode("utf-8") or "{}", parse_float=Decimal,
                              parse_int=Decimal)
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None

    def owned(self, store, client_id, obj_id):
        with self.lock:
            obj = store.get(obj_id)
            if obj is None or obj["_owner"] != client_id:
                return not_found(obj_id)
            return Response.json(plain(obj))

    def list_of(self, store, client_id, key, value):
        with self.lock:
            items = [plain(o) for o in store.values()
                     if o["_owner"] == client_id and (value is None or o.get(key) == value)]
        return Response.json({"has_more": False, "items": items})

    def create_intent(self, client_id, req):
        body = self.body_of(req)
        if body is None:
            return error(400, "validation_error", "The request body is not a JSON object")
        request_id = body.get("request_id")
        if not isinstance(request_id, str) or not 0 < len(request_id) <= 64:
            return error(400, "validation_error", "request_id must be provided", "request_id")
        currency = body.get("currency")
        if not isinstance(currency, str) or len(currency) != 3 or not currency.isupper():
            return error(400, "validation_error", "currency must be provided", "currency")
        amount = money(body.get("amount"), currency)
        if amount is None:
            return error(400, "validation_error",
                         "amount must be a positive number with the currency's decimals", "amount")
        order = body.get("merchant_order_id")
        if not isinstance(order, str) or not order:
            return error(400, "validation_error", "merchant_order_id must be provided",
                         "merchant_order_id")
        descriptor = body.get("descriptor")
        if descriptor is not None and (not isinstance(descriptor, str) or len(descriptor) > 32):
            return error(400, "validation_error", "descriptor must be at most 32 characters",
                         "descriptor")
        with self.lock:
            earlier = next((i for i in self.intents.values()
                            if i["_owner"] == client_id and i["request_id"] == request_id), None)
            if earlier is not None:
                if self.config["duplicate_request"]:
                    return error(400, "duplicate_request",
                                 "The request ID %s has been used previously." % request_id)
                return Response.json(plain(earlier), 201)
            now = awx_time()
            intent = {"id": new_id("int_"), "request_id": request_id, "amount": amount,
                      "currency": currency, "merchant_order_id": order,
                      "descriptor": descriptor, "metadata": body.get("metadata") or {},
                      "return_url": body.get("return_url"), "status": "REQUIRES_PAYMENT_METHOD",
                      "client_secret": secrets.token_urlsafe(24), "captured_amount": Decimal(0),
                      "created_at": now, "updated_at": now, "_owner": client_id}
            self.intents[intent["id"]] = intent
            return Response.json(plain(intent), 201)

    def move_intent(self, intent_id, status):
        """Sets a waiting intent's status -> (intent copy, None) or (None, refusal)."""
        with self.lock:
            intent = self.intents.get(intent_id)
            if intent is None:
                return None, not_found(intent_id)
            if intent["status"] not in WAITING:
                return None, error(400, "invalid_status_for_operation",
                                   "The PaymentIntent is %s." % intent["status"])
            intent["status"] = status
            intent["updated_at"] = awx_time()
            if status == "SUCCEEDED":
                intent["captured_amount"] = intent["amount"]
            return dict(intent), None

    def cancel_intent(self, client_id, intent_id):
        with self.lock:
            intent = self.intents.get(intent_id)
            if intent is None or intent["_owner"] != client_id:
                return not_found(intent_id)
        moved, refusal = self.move_intent(intent_id, "CANCELLED")
        if refusal:
            return refusal
        self.later(lambda: self.send_event("payment_intent.cancelled", moved))
        return Response.json(plain(moved))

    def create_refund(self, client_id, req):
        body = self.body_of(req)
        response = self.refund_answer(client_id, body)
        with self.lock:
            self.refund_requests.append({"client_id": client_id, "body": plain(body) if body else None,
                                         "status": response.status, "time": time.time()})
        return response

    def refund_answer(self, client_id, body):
        if body is None:
            return error(400, "validation_error", "The request body is not a JSON object")
        request_id = body.get("request_id")
        if not isinstance(request_id, str) or not 0 < len(request_id) <= 64:
            return error(400, "validation_error", "request_id must be provided", "request_id")
        reason = body.get("reason")
        if reason is not None and (not isinstance(reason, str) or len(reason) > 128):
            return error(400, "validation_error", "reason must be at most 128 characters", "reason")
        intent_id = body.get("payment_intent_id")
        with self.lock:
            earlier = next((r for r in self.refunds.values()
                            if r["_owner"] == client_id and r["request_id"] == request_id), None)
            if earlier is not None:
                if self.config["duplicate_request"]:
                    return error(400, "duplicate_request",
                                 "The request ID %s has been used previously." % request_id)
                return Response.json(plain(earlier), 201)
            intent = self.intents.get(intent_id) if isinstance(intent_id, str) else None
            if intent is None or intent["_owner"] != client_id:
                return not_found(intent_id)
            if intent["status"] != "SUCCEEDED":
                return error(400, "invalid_status_for_operation",
                             "The PaymentIntent is %s, not SUCCEEDED." % intent["status"])
            refunded = sum((r["amount"] for r in self.refunds.values()
                            if r["payment_intent_id"] == intent_id and r["status"] != "FAILED"),
                           Decimal(0))
            left = intent["captured_amount"] - refunded
            amount = left if body.get("amount") is None else money(body.get("amount"),
                                                                    intent["currency"])
            if amount is None or amount <= 0 or amount > left:
                return error(400, "validation_error",
                             "The refund amount must be positive and at most %s %s, what is left"
                             " of the captured amount." % (plain(left), intent["currency"]),
                             "amount")
            now = awx_time()
            refund = {"id": new_id("rfd_"), "request_id": request_id,
                      "payment_intent_id": intent_id, "payment_attempt_id": new_id("att_"),
                      "amount": amount, "currency": intent["currency"], "reason": reason,
                      "metadata": body.get("metadata") or {}, "status": "RECEIVED",
                      "created_at": now, "updated_at": now, "_owner": client_id}
            self.refunds[refund["id"]] = refund
            received = dict(refund)

        def settle():
            self.send_event("refund.received", received)
            with self.lock:
                refund["status"] = "SETTLED"
                refund["updated_at"] = awx_time()
                settled = dict(refund)
            self.send_event("refund.settled", settled)
        self.later(settle)
        return Response.json(plain(received), 201)

    # ------------------------------------------------------------ events

    @staticmethod
    def later(fn, delay=0.05):
        """After the answer, as Airwallex does (the caller may hold locks the webhook needs)."""
        def run():
            time.sleep(delay)
            fn()
        threading.Thread(target=run, daemon=True).start()

    def send_event(self, name, obj, secret=None, timestamp=None, signature=None, event=None):
        """Builds (or re-sends) an event and POSTs it to events_url -> (event, delivery)."""
        client_id = obj["_owner"] if obj is not None else None
        if event is None:
            account = self.account_of(client_id)
            event = {"id": new_id("evt_"), "name": name,
                     "account_id": account.get("account_id", "acct_" + hashlib.sha256(
                         client_id.encode()).hexdigest()[:16]),
                     "data": {"object": plain(obj)}, "created_at": awx_time(),
                     "version": "2024-02-22"}
            with self.lock:
                self.events[event["id"]] = {"event": event, "client_id": client_id}
        else:
            with self.lock:
                client_id = self.events[event["id"]]["client_id"]
        if secret is None:
            secret = str(self.account_of(client_id).get("webhook_secret", ""))
        with self.lock:
            url, host = self.config["events_url"], self.config["events_host"]
        body = json.dumps(event).encode("utf-8")
        ts = str(timestamp) if timestamp is not None else str(int(time.time() * 1000))
        if not url:
            delivery = {"status": None, "body": "no events_url configured"}
        else:
            delivery = post(url, body, {"Content-Type": "application/json",
                                        "User-Agent": "Airwallex-fake/1", "x-timestamp": ts,
                                        "x-signature": signature or sign(secret, ts, body)}, host)
        with self.lock:
            self.sent.append({"event": event, "delivery": delivery})
        return event, delivery

    # ------------------------------------------------------------ hosted payment page

    def checkout(self, req, parts):
        if req.method in ("GET", "HEAD") and not parts:
            if not req.path.endswith("/"):      # the page's links are relative to .../checkout/
                return Response(301, "", headers=[("Location", req.path + "/" + (
                    "?" + req.query if req.query else ""))])
            return Response(200, PAGE, content_type="text/html; charset=utf-8")
        if req.method == "GET" and parts == ["intent"]:
            args = req.args()
            intent = self.intent_for(args.get("intent_id"), args.get("client_secret"))
            if intent is None:
                return not_found(args.get("intent_id", ""))
            return Response.json({"id": intent["id"], "amount": plain(intent["amount"]),
                                  "currency": intent["currency"], "status": intent["status"],
                                  "merchant_order_id": intent["merchant_order_id"],
                                  "merchant_name": self.account_of(intent["_owner"]).get(
                                      "name", "Fake Merchant Ltd")})
        if req.method == "POST" and parts == ["pay"]:
            form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
            intent = self.intent_for(form.get("intent_id"), form.get("client_secret"))
            if intent is None:
                return Response(400, "Airwallex checkout refused: unknown intent or client_secret\n")
            action = form.get("action")
            if action not in ("pay", "decline"):
                return Response(400, "Airwallex checkout refused: action must be pay or decline\n")
            moved, refusal = self.move_intent(intent["id"],
                                              "SUCCEEDED" if action == "pay" else "CANCELLED")
            if refusal:
                return Response(400, "Airwallex checkout refused: the payment is %s\n"
                                % intent["status"])
            self.send_event("payment_intent.succeeded" if action == "pay"
                            else "payment_intent.cancelled", moved)
            target = form.get("successUrl") if action == "pay" else form.get("failUrl")
            if not target:
                return Response(200, "Payment %s: %s\n" % (moved["id"], moved["status"]))
            return Response(303, "", headers=[("Location", target)])
        return error(404, "not_found", "The requested endpoint does not exist")

    def intent_for(self, intent_id, client_secret):
        with self.lock:
            intent = self.intents.get(intent_id or "")
            if intent is None or not client_secret or not hmac.compare_digest(
                    intent["client_secret"], client_secret):
                return None
            return dict(intent)

    # ------------------------------------------------------------ control

    def control(self, req, parts):
        try:
            args = json.loads(req.body.decode("utf-8")) if req.body else {}
        except ValueError:
            return Response.json({"error": "body must be JSON"}, 400)
        if not isinstance(args, dict):
            return Response.json({"error": "body must be a JSON object"}, 400)
        if req.method in ("GET", "POST") and parts == ["logins"]:
            with self.lock:
                return Response.json({"count": len(self.logins), "logins": list(self.logins)})
        if req.method in ("GET", "POST") and parts == ["refunds"]:
            with self.lock:
                return Response.json({"refunds": list(self.refund_requests)})
        if req.method in ("GET", "POST") and parts == ["events"]:
            with self.lock:
                return Response.json({"events": list(self.sent)})
        if req.method != "POST":
            return Response.json({"error": "no control endpoint"}, 404)
        sig = {"secret": args.get("secret"), "timestamp": args.get("timestamp"),
               "signature": args.get("signature")}
        if parts == ["intents"]:
            return self.control_intent(args)
        if len(parts) == 3 and parts[0] == "intents" and parts[2] in ("succeed", "cancel"):
            moved, refusal = self.move_intent(parts[1], "SUCCEEDED" if parts[2] == "succeed"
                                              else "CANCELLED")
            if refusal:
                return refusal
            out = {"intent": plain(moved)}
            if args.get("send", True):
                out["event"], out["delivery"] = self.send_event(
                    "payment_intent.succeeded" if parts[2] == "succeed"
                    else "payment_intent.cancelled", moved, **sig)
            return Response.json(out)
        if len(parts) == 3 and parts[0] == "intents" and parts[2] == "dispute":
            # the shopper's bank disputes a succeeded intent: a PaymentDispute awaiting the
            # merchant (no merchant_order_id: its intent names the payment)
            with self.lock:
                intent = self.intents.get(parts[1])
                if intent is None:
                    return Response.json({"error": "unknown intent"}, 404)
                if intent["status"] != "SUCCEEDED":
                    return Response.json({"error": "only a succeeded intent is disputed"}, 409)
                now = awx_time()
                dispute = {"id": new_id("pdp_"), "payment_intent_id": intent["id"],
                           "payment_attempt_id": new_id("att_"),
                           "amount": intent["captured_amount"] or intent["amount"],
                           "currency": intent["currency"],
                           "reason": {"type": args.get("reason", "fraud"), "code": "10.4"},
                           "stage": args.get("stage", "CHARGEBACK"),
                           "status": "REQUIRES_RESPONSE", "created_at": now, "updated_at": now,
                           "_owner": intent["_owner"]}
                self.disputes[dispute["id"]] = dispute
                dispute = dict(dispute)
            out = {"dispute": plain(dispute)}
            out["event"], out["delivery"] = self.send_event(
                "payment_dispute.requires_response", dispute, **sig)
            return Response.json(out)
        if len(parts) == 3 and parts[0] == "disputes" and parts[2] == "resolve":
            # the dispute moves on: WON, LOST, ACCEPTED, ... and its payment_dispute.<status>
            status = str(args.get("status", "WON")).upper()
            with self.lock:
                dispute = self.disputes.get(parts[1])
                if dispute is None:
                    return Response.json({"error": "unknown dispute"}, 404)
                dispute["status"] = status
                dispute["updated_at"] = awx_time()
                dispute = dict(dispute)
            out = {"dispute": plain(dispute)}
            out["event"], out["delivery"] = self.send_event(
                "payment_dispute." + status.lower(), dispute, **sig)
            return Response.json(out)
        if len(parts) == 3 and parts[0] == "events" and parts[2] == "send":
            with self.lock:
                known = self.events.get(parts[1])
            if known is None:
                return Response.json({"error": "unknown event"}, 404)
            event, delivery = self.send_event(None, None, event=known["event"], **sig)
            return Response.json({"event": event, "delivery": delivery})
        return Response.json({"error": "no control endpoint"}, 404)

    def control_intent(self, args):
        client_id = args.get("client_id")
        if not self.account_of(client_id):
            return Response.json({"error": "unknown client_id"}, 400)
        try:
            amount = Decimal(str(args["amount"]))
        except (KeyError, InvalidOperation):
            return Response.json({"error": "amount (major units) is required"}, 400)
        now = awx_time()
        status = args.get("status", "REQUIRES_PAYMENT_METHOD")
        intent = {"id": new_id("int_"), "request_id": args.get("request_id", new_id("req_")),
                  "amount": amount, "currency": args.get("currency", "USD"),
                  "merchant_order_id": args.get("merchant_order_id", new_id("order_")),
                  "descriptor": None, "metadata": args.get("metadata") or {},
                  "return_url": None, "status": status,
                  "client_secret": secrets.token_urlsafe(24),
                  "captured_amount": amount if status == "SUCCEEDED" else Decimal(0),
                  "created_at": now, "updated_at": now, "_owner": client_id}
        with self.lock:
            self.intents[intent["id"]] = intent
        return Response.json({"intent": plain(intent)})


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Airwallex checkout (fake)</title>
<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}button{margin-right:1em}</style>
</head><body>
<h1 id="merchant">Airwallex checkout</h1>
<p>Total: <strong id="amount">&hellip;</strong> <span id="currency"></span></p>
<p id="status"></p>
<form method="post" action="pay" id="form">
<input type="hidden" name="intent_id" id="intent_id">
<input type="hidden" name="client_secret" id="client_secret">
<input type="hidden" name="successUrl" id="successUrl">
<input type="hidden" name="failUrl" id="failUrl">
<button type="submit" name="action" value="pay" id="pay">Pay</button>
<button type="submit" name="action" value="decline" id="decline">Decline</button>
</form>
<noscript><p>This sandbox page needs JavaScript to read its parameters.</p></noscript>
<script>
(function () {
  var h = location.hash, q = h.indexOf("?") >= 0 ? h.slice(h.indexOf("?") + 1) : location.search.slice(1);
  var p = new URLSearchParams(q);
  ["intent_id", "client_secret", "successUrl", "failUrl"].forEach(function (k) {
    document.getElementById(k).value = p.get(k) || "";
  });
  var text = function (id, s) { document.getElementById(id).textContent = s; };
  fetch("intent?" + new URLSearchParams({intent_id: p.get("intent_id") || "",
                                         client_secret: p.get("client_secret") || ""}))
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (i) {
      text("merchant", i.merchant_name);
      text("amount", i.amount);
      text("currency", i.currency);
      text("status", i.status === "REQUIRES_PAYMENT_METHOD" ? "" : "Payment " + i.status);
    })
    .catch(function () {
      text("status", "Unknown payment");
      document.getElementById("pay").disabled = document.getElementById("decline").disabled = true;
    });
})();
</script>
</body></html>
"""
