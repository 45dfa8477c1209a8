"""Stripe (PROVIDERS.md "Stripe"), mounted at /stripe: the API base of the stack's
KonfirmadoProviderURL stripe-sandbox / stripe-production is /stripe (the provider appends /v1/...).

API (form-encoded bodies, JSON answers, a Request-Id header on each). Every call authenticates
with an account's secret key, `Authorization: Bearer sk_...` or HTTP Basic with the key as user;
no key or an unknown one -> 401 {"error": {"type": "invalid_request_error", "message": "Invalid
API Key provided: sk_test_****...abcd"}} (the key masked as Stripe does). Errors are Stripe's
{"error": {"type", "code"?, "param"?, "message", "doc_url"?}}; an unknown parameter is 400
parameter_unknown, a missing one 400 parameter_missing, a malformed integer 400
parameter_invalid_integer. POSTs honour `Idempotency-Key` per account: the same key with the same
path and parameters gives the first answer again (header Idempotent-Replayed: true); with other
parameters or another path -> 400 {"error": {"type": "idempotency_error", ...}}. Answers that
failed parameter validation are not kept (as Stripe: only requests that started executing).

POST /stripe/v1/checkout/sessions   mode=payment (the only mode the fake has), success_url,
    [cancel_url], [client_reference_id] (<= 200 chars), [customer_email], line_items[N][quantity],
    line_items[N][price_data][currency] (lower case), ...[unit_amount] (integer > 0),
    ...[product_data][name], [metadata[k]], [payment_intent_data[metadata][k]],
    [payment_intent_data[description]], [expires_at] (Unix seconds, 30 min .. 24 h after now,
    else 400 invalid_request_error param expires_at; default now + 24 h), [locale],
    [payment_method_types[N]], [expand[N]]
    -> 200 the Checkout Session {"id": "cs_test_...", "object": "checkout.session", "status":
    "open", "payment_status": "unpaid", "payment_intent": null, "amount_total", "currency",
    "client_reference_id", "metadata", "expires_at", "url", ...}; url is
    http://<Host of this request>/stripe/pay/<id> (null once the session is no longer open)
GET  /stripe/v1/checkout/sessions/{id}   the session, to its own account only; another
    account's or an unknown id -> 404 resource_missing "No such checkout.session: '...'"
POST /stripe/v1/checkout/sessions/{id}/expire   an open session -> expired (its
    checkout.session.expired event follows); otherwise 400 invalid_request_error
GET  /stripe/v1/account   {"id": "acct_...", "object": "account", "business_profile": {"name"},
    "settings": {"dashboard": {"display_name"}}, "country", "default_currency", ...}
POST /stripe/v1/refunds   payment_intent=pi_... or charge=ch_... (the account's own, else 404
    resource_missing), [amount] (default: what is not refunded yet), [reason]
    (duplicate|fraudulent|requested_by_customer), [metadata[k]]
    -> 200 {"id": "re_...", "object": "refund", "amount", "charge", "currency", "payment_intent",
    "metadata", "reason", "status": "succeeded", "created", ...}, then the charge.refunded event.
    Nothing left to refund -> 400 code charge_already_refunded; more than is left -> 400 param
    amount; a PaymentIntent without a succeeded charge -> 400 invalid_request_error.
A session that passed its expires_at is expired when next seen (and its event sent).

Hosted checkout page (a plain HTML form a human can click):
GET  /stripe/pay/{id}   open: merchant name (#merchant), amount and currency (#amount,
    #currency), items, and the buttons Pay (#pay), Pay by bank debit (async) (#async), Card
    declined (#decline), Cancel (#cancel); expired: an "expired" page; complete: an "already
    paid" page (or "processing" while a bank debit settles); unknown: 404
POST /stripe/pay/{id}   form decision=pay|async|decline|cancel
    pay:     session complete + paid, PaymentIntent pi_... and Charge ch_... (metadata copied
             from payment_intent_data[metadata]) made, checkout.session.completed sent, then
             303 to success_url ({CHECKOUT_SESSION_ID} replaced by the session id)
    async:   session complete + unpaid, PaymentIntent processing, checkout.session.completed
             sent, 303 to success_url; settles later through the control API
    decline: the page again with Stripe's "Your card was declined." (nothing sent, as Stripe)
    cancel:  303 to cancel_url (nothing sent)

Events (account-level webhook endpoint): POSTed to `events_url` with the envelope of
PROVIDERS.md {"id": "evt_...", "object": "event", "api_version", "created", "data": {"object"},
"livemode": false, "pending_webhooks": 1, "request": {"id", "idempotency_key"}, "type"}, header
`Stripe-Signature: t=<now>,v1=<hex HMAC-SHA256(webhook_secret, t + "." + body)>`. Types:
checkout.session.completed / .async_payment_succeeded / .async_payment_failed / .expired
(data.object = the session), charge.refunded (data.object = the Charge: id ch_...,
payment_intent, amount, amount_refunded, refunded, metadata, refunds {data: newest first}).
Events caused by the hosted page or the control API are sent before the answer; those caused
by an API call (refund, expire) a moment after it, as Stripe does.

Test control (no auth, JSON bodies), under the fake's prefix:
POST /stripe/_control/sessions/{id}/complete {"payment_status": "paid"|"unpaid" (default paid)}
POST /stripe/_control/sessions/{id}/expire           (open sessions)
POST /stripe/_control/sessions/{id}/async_succeeded  (complete + unpaid sessions)
POST /stripe/_control/sessions/{id}/async_failed     (complete + unpaid sessions)
    each does what the page/Stripe would and makes its event; every one also takes "send"
    (default true; false: the event is made and kept, not sent), "secret" (sign with this
    instead of the account's webhook_secret), "timestamp" (the t= to sign with, e.g. a stale
    one), "signature" (the whole Stripe-Signature header to send instead; "" sends none)
    -> {"session": {...}, "event": {...}, "delivery": {"status", "body"}}; 404 unknown session,
    409 when the session is not in the state the action needs
POST /stripe/_control/payment_intents/{pi id}/dispute {"reason"? (default fraudulent)}
    the customer disputes the succeeded charge: a Dispute (dp_..., status
    warning_needs_response, metadata empty) and its charge.dispute.created event, sent now
    -> {"dispute", "event", "delivery"}
POST /stripe/_control/disputes/{dp id}/close {"status": "won"|"lost"|"warning_closed"}
POST /stripe/_control/disputes/{dp id}/update {"status"? (default under_review), "send"?}
    the dispute ends (close) or moves on (update): its charge.dispute.closed /
    charge.dispute.updated event (data.object = the Dispute with that status), sent now
    unless "send" is false (then sent later with events/{id}/send: out of order)
    -> {"dispute", "event", "delivery"?}; 409 when it was closed already
POST /stripe/_control/events/{evt id}/send {"secret"?, "timestamp"?, "signature"?}
    re-sends an earlier event as it was (Stripe's retries), signed now -> {"event", "delivery"}
POST /stripe/_control/refunds -> {"refunds": [{"account", "idempotency_key", "params",
    "status", "refund_id", "replayed", "time"}, ...]}: every refund request received
POST /stripe/_control/events -> {"events": [{"id", "type", "account", "deliveries": [status,
    ...]}, ...]}: every event made, oldest first

Configuration (POST /_fakes/stripe/config):
  accounts    {secret_key: {"id": "acct_...", "name": ..., "webhook_secret": "whsec_..."}}:
              the accounts the fake knows; a test registers its own with the secrets it
              configured for the tenant (default: none)
  events_url  where events are POSTed (the stack's /api/webhooks/stripe; tests set it)
  events_host the Host header of those POSTs (the platform host: the stack answers any other
              host 404 unknown_host), when events_url names 127.0.0.1 (a *.localhost host is
              reached on 127.0.0.1 with its own name as Host)
  status      when set (e.g. 500), every answer but the control API's has this status and
              Stripe's generic api_error body, to simulate an outage (default: null)
  delay       seconds every answer but the control API's waits first: a slow Stripe
              (default: 0)
"""
import base64
import copy
import hashlib
import hmac
import html
import http.client
import json
import re
import secrets
import string
import time
from urllib.parse import parse_qsl, urlsplit

from base import Fake, Response
from calendar_common import in_background

API_VERSION = "2024-06-20"
MIN_EXPIRY = 30 * 60
MAX_EXPIRY = 24 * 3600
ALNUM = string.ascii_letters + string.digits
# Stripe's exponents (docs "Supported currencies"): ISK is two-decimal in its API, MGA zero.
ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx",
                "vnd", "vuv", "xaf", "xof", "xpf"}
THREE_DECIMAL = {"bhd", "jod", "kwd", "omr", "tnd"}
REASONS = ("duplicate", "fraudulent", "requested_by_customer")

SESSION_PARAM = re.compile(
    r"^(mode|success_url|cancel_url|client_reference_id|customer_email|expires_at|locale"
    r"|payment_method_types\[\d+\]|expand\[\d+\]|metadata\[[^\[\]]+\]"
    r"|payment_intent_data\[(description|metadata\]\[[^\[\]]+)\]"
    r"|line_items\[\d+\]\[(quantity|price_data\]\[(currency|unit_amount"
    r"|product_data\]\[(name|description)))\])$")
REFUND_PARAM = re.compile(r"^(payment_intent|charge|amount|reason|metadata\[[^\[\]]+\]|expand\[\d+\])$")


def new_id(prefix, n=24):
    return prefix + "".join(secrets.choice(ALNUM) for _ in range(n))


def stripe_error(status, type_, message, code=None, param=None):
    err = {"message": message, "type": type_}
    if code:
        err["code"] = code
        err["doc_url"] = "https://stripe.com/docs/error-codes/" + code.replace("_", "-")
    if param:
        err["param"] = param
    return Response.json({"error": err}, status)


def invalid(message, code=None, param=None, status=400):
    return stripe_error(status, "invalid_request_error", message, code, param)


def mask(key):
    """How Stripe writes a key it refuses: the prefix, stars, the last four characters."""
    head = key[:8] if key.startswith(("sk_test_", "sk_live_", "rk_test_", "rk_live_")) else key[:3]
    return head + "*" * max(len(key) - len(head) - 4, 4) + key[-4:]


def stripe_exponent(currency):
    c = (currency or "").lower()
    return 0 if c in ZERO_DECIMAL else 3 if c in THREE_DECIMAL else 2


def money(amount, currency):
    exp = stripe_exponent(currency)
    return "{:,.{}f}".format(amount / (10 ** exp), exp) if exp else "{:,}".format(amount)


def sign(secret, t, body):
    mac = hmac.new(secret.encode("utf-8"), ("%d." % t).encode("ascii") + body, hashlib.sha256)
    return mac.hexdigest()


def post(url, body, headers, host=None, timeout=15):
    """One POST now; a localhost / *.localhost host is reached on 127.0.0.1. -> {"status", "body"}"""
    parts = urlsplit(url)
    name = parts.hostname or ""
    connect = "127.0.0.1" if name == "localhost" or name.endswith(".localhost") else name
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    hdrs = dict(headers)
    hdrs["Host"] = host or parts.netloc.rsplit("@", 1)[-1]
    hdrs["Content-Length"] = str(len(body))
    try:
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(connect, port, timeout=timeout)
        try:
            conn.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.endheaders(body)
            resp = conn.getresponse()
            return {"status": resp.status, "body": resp.read().decode("utf-8", "replace")}
        finally:
            conn.close()
    except (OSError, http.client.HTTPException) as e:
        return {"status": None, "body": repr(e)}


class StripeFake(Fake):
    name = "stripe"
    defaults = {"accounts": {}, "events_url": None, "events_host": None, "status": None,
                "delay": 0}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self._clear()

    def _clear(self):
        self.sessions = {}      # id -> session object (as the API shows it)
        self.session_info = {}  # id -> {"account", "items", "pi_metadata", "pi_description"}
        self.intents = {}       # id -> {"account", "object", "charge"}
        self.charges = {}       # id -> {"account", "object"}
        self.disputes = {}      # id -> {"account", "object"}
        self.events = {}        # id -> {"account", "event", "deliveries": [...]}
        self.event_order = []
        self.idempotency = {}   # (account key, Idempotency-Key) -> saved answer
        self.refund_calls = []

    def reset(self):
        super().reset()
        with self.lock:
            self._clear()

    # ------------------------------------------------------------ dispatch

    def handle(self, req):
        parts = req.subpath.strip("/").split("/")
        if parts[0] == "_control":
            return self.control(req, parts[1:])
        with self.lock:
            status, delay = self.config["status"], self.config["delay"]
        if delay:
            time.sleep(float(delay))
        if status:
            resp = stripe_error(int(status), "api_error",
                                "An unknown error occurred while processing your request.")
        elif parts[0] == "pay" and len(parts) == 2:
            resp = self.page(req, parts[1])
        elif parts[0] == "v1":
            resp = self.api(req, parts[1:])
        else:
            resp = Response(404, "Not Found\n")
        resp.headers.append(("Request-Id", new_id("req_", 14)))
        return resp

    def api(self, req, parts):
        key, refused = self.authenticate(req)
        if refused:
            return refused
        if req.method == "POST":
            params = parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True)
        else:
            params = parse_qsl(req.query, keep_blank_values=True)
        idem = req.header("Idempotency-Key") if req.method == "POST" else None
        if idem:
            with self.lock:
                saved = self.idempotency.get((key, idem))
            if saved is not None:
                if saved["path"] != req.path or saved["params"] != sorted(params):
                    if parts == ["refunds"]:
                        self.record_refund(key, idem, dict(params), 400, None, False)
                    return stripe_error(400, "idempotency_error",
                                        "Keys for idempotent requests can only be used with the same "
                                        "parameters they were first used with. Try using a key other "
                                        "than '%s' if you meant to execute a different request." % idem)
                if parts == ["refunds"]:
                    self.record_refund(key, idem, dict(params), saved["status"],
                                       saved["body"].get("id"), True)
                return Response.json(copy.deepcopy(saved["body"]), saved["status"],
                                     headers=[("Idempotent-Replayed", "true")])
        resp, keep = self.route(req, parts, key, params, idem)
        if idem and keep:
            with self.lock:
                self.idempotency[(key, idem)] = {"path": req.path, "params": sorted(params),
                                                 "status": resp.status,
                                                 "body": json.loads(resp.body)}
        return resp

    def route(self, req, parts, key, params, idem):
        """-> (response, whether an Idempotency-Key keeps it)."""
        if parts == ["checkout", "sessions"] and req.method == "POST":
            return self.create_session(req, key, params)
        if len(parts) == 3 and parts[:2] == ["checkout", "sessions"] and req.method in ("GET", "HEAD"):
            return self.retrieve_session(key, parts[2]), False
        if (len(parts) == 4 and parts[:2] == ["checkout", "sessions"] and parts[3] == "expire"
                and req.method == "POST"):
            return self.expire_session_api(key, parts[2], params)
        if parts == ["account"] and req.method in ("GET", "HEAD"):
            return self.account(key), False
        if parts == ["refunds"] and req.method == "POST":
            return self.refund(key, params, idem)
        return invalid("Unrecognized request URL (%s: %s). Please see https://stripe.com/docs or "
                       "we can help at https://support.stripe.com/." % (req.method, req.path),
                       status=404), False

    def authenticate(self, req):
        with self.lock:
            accounts = dict(self.config["accounts"])
        auth = req.header("Authorization", "")
        key = ""
        if auth.startswith("Bearer "):
            key = auth[len("Bearer "):].strip()
        elif auth.startswith("Basic "):
            try:
                key = base64.b64decode(auth[len("Basic "):]).decode("utf-8").split(":", 1)[0]
            except (ValueError, UnicodeDecodeError):
                key = ""
        if not key:
            return None, invalid("You did not provide an API key. You need to provide your API key "
                                 "in the Authorization header, using Bearer auth (e.g. "
                                 "'Authorization: Bearer YOUR_SECRET_KEY').", status=401)
        if key not in accounts:
            return None, invalid("Invalid API Key provided: %s" % mask(key), status=401)
        return key, None

    # ------------------------------------------------------------ checkout sessions

    def create_session(self, req, key, params):
        form = dict(params)
        for name, _ in params:
            if not SESSION_PARAM.match(name):
                return invalid("Received unknown parameter: %s" % name, "parameter_unknown", name), False
        mode = form.get("mode")
        if not mode:
            return invalid("Missing required param: mode.", "parameter_missing", "mode"), False
        if mode != "payment":
            return invalid("Invalid mode: the fake has mode=payment only.", "parameter_invalid", "mode"), False
        for name in ("success_url", "cancel_url"):
            url = form.get(name)
            if name == "success_url" and not url:
                return invalid("Missing required param: success_url.", "parameter_missing", name), False
            if url is not None and not re.match(r"^https?://[^\s/]+", url):
                return invalid("Not a valid URL", "url_invalid", name), False
        items, currency, total = [], None, 0
        i = 0
        while any(k.startswith("line_items[%d]" % i) for k in form):
            p = "line_items[%d]" % i
            for field in ("[price_data][currency]", "[price_data][unit_amount]",
                          "[price_data][product_data][name]", "[quantity]"):
                if not form.get(p + field):
                    return invalid("Missing required param: %s%s." % (p, field), "parameter_missing",
                                   p + field), False
            cur = form[p + "[price_data][currency]"]
            if not re.match(r"^[a-z]{3}$", cur):
                return invalid("Invalid currency: %s. Stripe currently supports these currencies: "
                               "usd, eur, cop, mxn, ... (lower case)" % cur, "parameter_invalid",
                               p + "[price_data][currency]"), False
            if currency and cur != currency:
                return invalid("All line items must use the same currency.", "parameter_invalid",
                               p + "[price_data][currency]"), False
            currency = cur
            values = {}
            for field in ("[price_data][unit_amount]", "[quantity]"):
                raw = form[p + field]
                if not re.match(r"^\d+$", raw):
                    return invalid("Invalid integer: %s" % raw, "parameter_invalid_integer",
                                   p + field), False
                values[field] = int(raw)
            if values["[price_data][unit_amount]"] <= 0 or values["[quantity]"] <= 0:
                return invalid("This value must be greater than or equal to 1.", "parameter_invalid",
                               p + "[price_data][unit_amount]"), False
            items.append({"name": form[p + "[price_data][product_data][name]"],
                          "unit_amount": values["[price_data][unit_amount]"],
                          "quantity": values["[quantity]"]})
            total += values["[price_data][unit_amount]"] * values["[quantity]"]
            i += 1
        if not items:
            return invalid("Missing required param: line_items.", "parameter_missing", "line_items"), False
        email = form.get("customer_email")
        if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            return invalid("Invalid email address: %s" % email, "email_invalid", "customer_email"), False
        ref = form.get("client_reference_id")
        if ref is not None and (len(ref) > 200 or not ref):
            return invalid("client_reference_id must be 1 to 200 characters.", "parameter_invalid",
                           "client_reference_id"), False
        now = int(time.time())
        expires_at = now + MAX_EXPIRY
        if "expires_at" in form:
            raw = form["expires_at"]
            if not re.match(r"^\d+$", raw):
                return invalid("Invalid integer: %s" % raw, "parameter_invalid_integer", "expires_at"), False
            expires_at = int(raw)
            if expires_at < now + MIN_EXPIRY:
                return invalid("The `expires_at` timestamp must be at least 30 minutes from Checkout "
                               "Session creation.", param="expires_at"), False
            if expires_at > now + MAX_EXPIRY:
                return invalid("The `expires_at` timestamp must be less than 24 hours from Checkout "
                               "Session creation.", param="expires_at"), False
        metadata = {k[len("metadata["):-1]: v for k, v in params if k.startswith("metadata[")}
        pi_metadata = {k[len("payment_intent_data[metadata]["):-1]: v for k, v in params
                       if k.startswith("payment_intent_data[metadata][")}
        for meta in (metadata, pi_metadata):
            for k, v in meta.items():
                if len(k) > 40 or len(v) > 500:
                    return invalid("Metadata keys are at most 40 characters and values at most "
                                   "500.", "parameter_invalid", "metadata"), False
        sid = new_id("cs_test_a1", 56)
        prefix = req.path[:len(req.path) - len(req.subpath)]
        session = {
            "id": sid,
            "object": "checkout.session",
            "after_expiration": None,
            "allow_promotion_codes": None,
            "amount_subtotal": total,
            "amount_total": total,
            "billing_address_collection": None,
            "cancel_url": form.get("cancel_url"),
            "client_reference_id": ref,
            "created": now,
            "currency": currency,
            "customer": None,
            "customer_creation": "if_required",
            "customer_details": None,
            "customer_email": email,
            "expires_at": expires_at,
            "invoice": None,
            "livemode": False,
            "locale": form.get("locale"),
            "metadata": metadata,
            "mode": "payment",
            "payment_intent": None,
            "payment_method_types": [v for k, v in params if k.startswith("payment_method_types[")]
                                    or ["card"],
            "payment_status": "unpaid",
            "status": "open",
            "success_url": form["success_url"],
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
            "ui_mode": "hosted",
            "url": "http://%s%s/pay/%s" % (req.header("Host", "127.0.0.1"), prefix, sid),
        }
        with self.lock:
            self.sessions[sid] = session
            self.session_info[sid] = {"account": key, "items": items, "pi_metadata": pi_metadata,
                                      "pi_description": form.get("payment_intent_data[description]")}
            out = copy.deepcopy(session)
        return Response.json(out), True

    def _session_of(self, key, sid):
        """The session if it belongs to the account (key None: any), after a due expiry. Caller
        holds the lock. -> (session or None, event made by the expiry or None)"""
        session = self.sessions.get(sid)
        info = self.session_info.get(sid)
        if session is None or (key is not None and info["account"] != key):
            return None, None
        event = None
        if session["status"] == "open" and time.time() >= session["expires_at"]:
            event = self._expire(sid)
        return session, event

    def _expire(self, sid):
        session = self.sessions[sid]
        session["status"] = "expired"
        session["url"] = None
        return self._make_event(self.session_info[sid]["account"], "checkout.session.expired", session)

    def retrieve_session(self, key, sid):
        with self.lock:
            session, due = self._session_of(key, sid)
            out = copy.deepcopy(session)
        if due:
            in_background(lambda: self._send(due["id"]))
        if session is None:
            return invalid("No such checkout.session: '%s'" % sid, "resource_missing", "session",
                           status=404)
        return Response.json(out)

    def expire_session_api(self, key, sid, params):
        for name, _ in params:
            if not name.startswith("expand["):
                return invalid("Received unknown parameter: %s" % name, "parameter_unknown", name), False
        with self.lock:
            session, due = self._session_of(key, sid)
            event = None
            if session is not None and session["status"] == "open":
                event = self._expire(sid)
            out = copy.deepcopy(session)
        for ev in (due, event):
            if ev:
                in_background(lambda ev=ev: self._send(ev["id"]))
        if session is None:
            return invalid("No such checkout.session: '%s'" % sid, "resource_missing", "session",
                           status=404), False
        if event is None:
            return invalid("Only Checkout Sessions with a status of `open` can be expired. This "
                           "session has a status of `%s`." % session["status"]), True
        return Response.json(out), True

    # ------------------------------------------------------------ payments (page and control)

    def _pay(self, sid, asynchronous):
        """Completes an open session: paid now, or (asynchronous) a bank debit that settles
        later. Caller holds the lock. -> the checkout.session.completed event."""
        session = self.sessions[sid]
        info = self.session_info[sid]
        now = int(time.time())
        pi_id, ch_id = new_id("pi_3"), new_id("ch_3")
        amount, currency = session["amount_total"], session["currency"]
        charge = {
            "id": ch_id, "object": "charge", "amount": amount,
            "amount_captured": 0 if asynchronous else amount, "amount_refunded": 0,
            "balance_transaction": None if asynchronous else new_id("txn_3"),
            "captured": not asynchronous, "created": now, "currency": currency,
            "description": info["pi_description"], "livemode": False,
            "metadata": dict(info["pi_metadata"]), "paid": not asynchronous,
            "payment_intent": pi_id,
            "payment_method_details": ({"type": "us_bank_account", "us_bank_account": {
                "bank_name": "STRIPE TEST BANK", "last4": "6789"}} if asynchronous else
                {"type": "card", "card": {"brand": "visa", "last4": "4242", "country": "US"}}),
            "receipt_email": session["customer_email"], "refunded": False,
            "refunds": {"object": "list", "data": [], "has_more": False, "total_count": 0,
                        "url": "/v1/charges/%s/refunds" % ch_id},
            "status": "pending" if asynchronous else "succeeded",
        }
        intent = {
            "id": pi_id, "object": "payment_intent", "amount": amount,
            "amount_received": 0 if asynchronous else amount, "created": now,
            "currency": currency, "description": info["pi_description"], "latest_charge": ch_id,
            "livemode": False, "metadata": dict(info["pi_metadata"]),
            "status": "processing" if asynchronous else "succeeded",
        }
        self.charges[ch_id] = {"account": info["account"], "object": charge}
        self.intents[pi_id] = {"account": info["account"], "object": intent, "charge": ch_id}
        session.update({
            "status": "complete", "payment_status": "unpaid" if asynchronous else "paid",
            "payment_intent": pi_id, "url": None,
            "customer_details": {"email": session["customer_email"] or "cliente@example.com",
                                 "name": "Cliente de Prueba", "phone": None, "address": None,
                                 "tax_exempt": "none", "tax_ids": []},
        })
        return self._make_event(info["account"], "checkout.session.completed", session)

    def _settle(self, sid, succeeded):
        """A bank debit of a complete + unpaid session settles. Caller holds the lock."""
        session = self.sessions[sid]
        entry = self.intents[session["payment_intent"]]
        intent, charge = entry["object"], self.charges[entry["charge"]]["object"]
        if succeeded:
            session["payment_status"] = "paid"
            intent.update({"status": "succeeded", "amount_received": intent["amount"]})
            charge.update({"status": "succeeded", "paid": True, "captured": True,
                           "amount_captured": charge["amount"],
                           "balance_transaction": new_id("txn_3")})
            kind = "checkout.session.async_payment_succeeded"
        else:
            intent["status"] = "requires_payment_method"
            charge.update({"status": "failed", "failure_code": "insufficient_funds",
                           "failure_message": "The customer's account has insufficient funds."})
            kind = "checkout.session.async_payment_failed"
        return self._make_event(self.session_info[sid]["account"], kind, session)

    # ------------------------------------------------------------ hosted page

    def page(self, req, sid):
        with self.lock:
            session, due = self._session_of(None, sid)
            session = copy.deepcopy(session)
            info = copy.deepcopy(self.session_info.get(sid))
            accounts = dict(self.config["accounts"])
        if due:
            self._send(due["id"])
        if session is None:
            return self.html(404, "Something went wrong",
                             "<p id=\"error\">The page you were looking for could not be found.</p>")
        merchant = accounts.get(info["account"], {}).get("name", "Comercio de prueba")
        if req.method == "POST":
            form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
            return self.decide(req, sid, session, merchant, info, form.get("decision"))
        return self.page_for(req, session, merchant, info)

    def page_for(self, req, session, merchant, info, message=None, status=200):
        if session["status"] == "expired":
            return self.html(200, "Session expired", "<h1 id=\"merchant\">%s</h1><p id=\"expired\">"
                             "This checkout session has expired. Return to the merchant to start "
                             "again.</p>" % html.escape(merchant))
        if session["status"] == "complete":
            state = ("Your payment is processing." if session["payment_status"] == "unpaid"
                     else "This checkout session has already been paid.")
            return self.html(200, "Already paid", "<h1 id=\"merchant\">%s</h1><p id=\"complete\">%s"
                             "</p>" % (html.escape(merchant), state))
        cur = session["currency"]
        rows = "".join("<li>%s &times; %d: %s %s</li>" % (html.escape(it["name"]), it["quantity"],
                                                         money(it["unit_amount"] * it["quantity"], cur),
                                                         cur.upper()) for it in info["items"])
        buttons = "".join('<button type="submit" name="decision" value="%s" id="%s">%s</button>\n'
                          % (v, v, label) for v, label in (
                              ("pay", "Pay"), ("async", "Pay by bank debit (async)"),
                              ("decline", "Card declined"), ("cancel", "Cancel")))
        body = ("<h1 id=\"merchant\">%s</h1>\n<p>Pay <strong><span id=\"amount\">%s</span> "
                "<span id=\"currency\">%s</span></strong></p>\n<ul id=\"items\">%s</ul>\n"
                "<p>Email: <span id=\"email\">%s</span></p>\n%s"
                "<form method=\"post\" action=\"%s\">\n%s</form>\n"
                "<p><small>Test mode: session <code id=\"session\">%s</code></small></p>") % (
            html.escape(merchant), money(session["amount_total"], cur), cur.upper(), rows,
            html.escape(session["customer_email"] or ""),
            "<p id=\"message\" role=\"alert\">%s</p>\n" % html.escape(message) if message else "",
            html.escape(req.path), buttons, html.escape(session["id"]))
        return self.html(status, "Stripe Checkout (fake)", body)

    def decide(self, req, sid, session, merchant, info, decision):
        if decision not in ("pay", "async", "decline", "cancel"):
            return self.html(400, "Bad request", "<p>unknown decision</p>")
        if session["status"] != "open":
            return self.page_for(req, session, merchant, info)
        if decision == "decline":
            # Stripe keeps the customer on the page; nothing is sent
            return self.page_for(req, session, merchant, info, "Your card was declined.")
        if decision == "cancel":
            if not session["cancel_url"]:
                return self.page_for(req, session, merchant, info, "This session has no cancel_url.")
            return Response(303, "", headers=[("Location", session["cancel_url"])])
        with self.lock:
            if self.sessions[sid]["status"] != "open":      # paid meanwhile in another tab
                session = copy.deepcopy(self.sessions[sid])
                event = None
            else:
                event = self._pay(sid, decision == "async")
                session = copy.deepcopy(self.sessions[sid])
        if event is None:
            return self.page_for(req, session, merchant, info)
        self._send(event["id"])
        return Response(303, "", headers=[("Location", session["success_url"].replace(
            "{CHECKOUT_SESSION_ID}", sid))])

    @staticmethod
    def html(status, title, body):
        page = ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"
                "</head>\n<body>\n%s\n</body></html>\n") % (html.escape(title), body)
        return Response(status, page, content_type="text/html; charset=utf-8")

    # ------------------------------------------------------------ account, refunds

    def account(self, key):
        with self.lock:
            acct = dict(self.config["accounts"][key])
        name = acct.get("name", "Comercio de prueba")
        return Response.json({
            "id": acct.get("id", "acct_1FakeStripe000000"),
            "object": "account",
            "business_profile": {"mcc": "8099", "name": name, "support_email": None,
                                 "support_phone": None, "url": None},
            "capabilities": {"card_payments": "active", "transfers": "active"},
            "charges_enabled": True,
            "country": acct.get("country", "CO"),
            "created": 1700000000,
            "default_currency": acct.get("default_currency", "cop"),
            "details_submitted": True,
            "email": acct.get("email", "comercio@example.com"),
            "payouts_enabled": True,
            "settings": {"dashboard": {"display_name": name, "timezone": "America/Bogota"}},
            "type": "standard",
        })

    def record_refund(self, key, idem, params, status, refund_id, replayed):
        with self.lock:
            account_id = self.config["accounts"].get(key, {}).get("id")
            self.refund_calls.append({"account": account_id, "idempotency_key": idem,
                                      "params": params, "status": status, "refund_id": refund_id,
                                      "replayed": replayed, "time": time.time()})

    def refund(self, key, params, idem):
        resp, keep, event = self._refund(key, params, idem)
        body = json.loads(resp.body)
        self.record_refund(key, idem, dict(params), resp.status, body.get("id"), False)
        if event:
            in_background(lambda: self._send(event["id"]))
        return resp, keep

    def _refund(self, key, params, idem):
        form = dict(params)
        for name, _ in params:
            if not REFUND_PARAM.match(name):
                return invalid("Received unknown parameter: %s" % name, "parameter_unknown", name), False, None
        if not form.get("payment_intent") and not form.get("charge"):
            return invalid("One of the following params should be provided for this request: "
                           "payment_intent or charge."), False, None
        amount = None
        if "amount" in form:
            if not re.match(r"^\d+$", form["amount"]) or int(form["amount"]) <= 0:
                return invalid("Invalid positive integer", "parameter_invalid_integer", "amount"), False, None
            amount = int(form["amount"])
        if form.get("reason") is not None and form["reason"] not in REASONS:
            return invalid("Invalid reason: must be one of %s" % ", ".join(REASONS),
                           "parameter_invalid", "reason"), False, None
        metadata = {k[len("metadata["):-1]: v for k, v in params if k.startswith("metadata[")}
        with self.lock:
            if form.get("payment_intent"):
                entry = self.intents.get(form["payment_intent"])
                if entry is None or entry["account"] != key:
                    return invalid("No such payment_intent: '%s'" % form["payment_intent"],
                                   "resource_missing", "payment_intent", 404), False, None
                ch = self.charges[entry["charge"]]
            else:
                ch = self.charges.get(form["charge"])
                if ch is None or ch["account"] != key:
                    return invalid("No such charge: '%s'" % form["charge"], "resource_missing",
                                   "charge", 404), False, None
            charge = ch["object"]
            if charge["status"] != "succeeded":
                return invalid("This PaymentIntent does not have a successful charge to refund."), True, None
            left = charge["amount"] - charge["amount_refunded"]
            if left <= 0:
                return invalid("Charge %s has already been refunded." % charge["id"],
                               "charge_already_refunded"), True, None
            amount = left if amount is None else amount
            if amount > left:
                cur = charge["currency"]
                return invalid("Refund amount (%s %s) is greater than unrefunded amount on charge "
                               "(%s %s)" % (money(amount, cur), cur.upper(), money(left, cur),
                                            cur.upper()), param="amount"), True, None
            refund = {
                "id": new_id("re_3"), "object": "refund", "amount": amount,
                "balance_transaction": new_id("txn_3"), "charge": charge["id"],
                "created": int(time.time()), "currency": charge["currency"],
                "destination_details": {"type": "card", "card": {"type": "refund"}},
                "metadata": metadata, "payment_intent": charge["payment_intent"],
                "reason": form.get("reason"), "receipt_number": None,
                "source_transfer_reversal": None, "status": "succeeded", "transfer_reversal": None,
            }
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
            charge["refunds"]["data"].insert(0, refund)
            charge["refunds"]["total_count"] += 1
            event = self._make_event(key, "charge.refunded", charge,
                                     {"id": new_id("req_", 14), "idempotency_key": idem})
            out = copy.deepcopy(refund)
        return Response.json(out), True, event

    # ------------------------------------------------------------ events

    def _make_event(self, key, type_, obj, request=None):
        """A new event with a snapshot of obj. Caller holds the lock."""
        event = {
            "id": new_id("evt_1"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": request or {"id": None, "idempotency_key": None},
            "type": type_,
        }
        self.events[event["id"]] = {"account": key, "event": event, "deliveries": []}
        self.event_order.append(event["id"])
        return copy.deepcopy(event)

    def _send(self, event_id, secret=None, timestamp=None, signature=None):
        """POSTs a made event to events_url, signed now. -> {"status", "body"}"""
        with self.lock:
            entry = self.events[event_id]
            body = json.dumps(entry["event"]).encode("utf-8")
            account = self.config["accounts"].get(entry["account"], {})
            url, host = self.config["events_url"], self.config["events_host"]
        if not url:
            delivery = {"status": None, "body": "no events_url configured"}
        else:
            secret = account.get("webhook_secret", "") if secret is None else secret
            t = int(time.time()) if timestamp is None else int(timestamp)
            header = "t=%d,v1=%s" % (t, sign(secret, t, body)) if signature is None else signature
            headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "*/*; q=0.5, application/xml",
                       "Cache-Control": "no-cache",
                       "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"}
            if header:
                headers["Stripe-Signature"] = header
            delivery = post(url, body, headers, host)
        with self.lock:
            entry["deliveries"].append(delivery["status"])
        return delivery

    # ------------------------------------------------------------ control

    def control(self, req, parts):
        if req.method != "POST":
            return Response.json({"error": "no control endpoint"}, 404)
        try:
            args = req.json() if req.body else {}
        except ValueError:
            return Response.json({"error": "body must be JSON"}, 400)
        if not isinstance(args, dict):
            return Response.json({"error": "body must be a JSON object"}, 400)
        overrides = {k: args[k] for k in ("secret", "timestamp", "signature") if k in args}
        if parts == ["refunds"]:
            with self.lock:
                return Response.json({"refunds": copy.deepcopy(self.refund_calls)})
        if parts == ["events"]:
            with self.lock:
                return Response.json({"events": [
                    {"id": i, "type": self.events[i]["event"]["type"],
                     "account": self.config["accounts"].get(self.events[i]["account"], {}).get("id"),
                     "deliveries": list(self.events[i]["deliveries"])} for i in self.event_order]})
        if len(parts) == 3 and parts[0] == "events" and parts[2] == "send":
            with self.lock:
                known = parts[1] in self.events
                event = copy.deepcopy(self.events[parts[1]]["event"]) if known else None
            if not known:
                return Response.json({"error": "unknown event"}, 404)
            return Response.json({"event": event, "delivery": self._send(parts[1], **overrides)})
        if len(parts) == 3 and parts[0] == "payment_intents" and parts[2] == "dispute":
            # the customer disputes the charge with their bank: Stripe's Dispute object
            with self.lock:
                entry = self.intents.get(parts[1])
                if entry is None:
                    return Response.json({"error": "unknown payment intent"}, 404)
                charge = self.charges[entry["charge"]]["object"]
                if charge["status"] != "succeeded":
                    return Response.json({"error": "the charge did not succeed"}, 409)
                dispute = {
                    "id": new_id("dp_1"), "object": "dispute", "amount": charge["amount"],
                    "balance_transactions": [], "charge": charge["id"], "created": int(time.time()),
                    "currency": charge["currency"],
                    "evidence_details": {"due_by": int(time.time()) + 7 * 86400, "has_evidence": False,
                                         "past_due": False, "submission_count": 0},
                    "is_charge_refundable": True, "livemode": False, "metadata": {},
                    "payment_intent": parts[1], "reason": args.get("reason", "fraudulent"),
                    "status": "warning_needs_response",
                }
                charge["disputed"] = True
                self.disputes[dispute["id"]] = {"account": entry["account"], "object": dispute}
                event = self._make_event(entry["account"], "charge.dispute.created",
                                         copy.deepcopy(dispute))
            return Response.json({"dispute": dispute, "event": event,
                                  "delivery": self._send(event["id"], **overrides)})
        if len(parts) == 3 and parts[0] == "disputes" and parts[2] in ("close", "update"):
            # close: the bank rules (won, lost) or the inquiry ends (warning_closed);
            # update: the dispute moves on while open (under_review, needs_response, ...)
            closing = parts[2] == "close"
            status = args.get("status", "won" if closing else "under_review")
            final = ("won", "lost", "warning_closed")
            if closing != (status in final):
                return Response.json({"error": "close takes won, lost or warning_closed;"
                                      " update any other status"}, 400)
            with self.lock:
                entry = self.disputes.get(parts[1])
                if entry is None:
                    return Response.json({"error": "unknown dispute"}, 404)
                if entry["object"]["status"] in ("won", "lost", "warning_closed"):
                    return Response.json({"error": "the dispute is closed already"}, 409)
                entry["object"]["status"] = status
                dispute = copy.deepcopy(entry["object"])
                event = self._make_event(entry["account"], "charge.dispute.closed" if closing
                                         else "charge.dispute.updated", copy.deepcopy(dispute))
            out = {"dispute": dispute, "event": event}
            if args.get("send", True):
                out["delivery"] = self._send(event["id"], **overrides)
            return Response.json(out)
        if len(parts) == 3 and parts[0] == "sessions":
            sid, action = parts[1], parts[2]
            with self.lock:
                session, due = self._session_of(None, sid)
                if session is None:
                    return Response.json({"error": "unknown session"}, 404)
                state = (session["status"], session["payment_status"])
                if action == "complete" and state[0] == "open":
                    pay = args.get("payment_status", "paid")
                    if pay not in ("paid", "unpaid"):
                        return Response.json({"error": "payment_status is paid or unpaid"}, 400)
                    event = self._pay(sid, pay == "unpaid")
                elif action == "expire" and state[0] == "open":
                    event = self._expire(sid)
                elif action in ("async_succeeded", "async_failed") and state == ("complete", "unpaid"):
                    entry = self.intents[session["payment_intent"]]
                    if entry["object"]["status"] != "processing":
                        return Response.json({"error": "the payment has settled already"}, 409)
                    event = self._settle(sid, action == "async_succeeded")
                elif action in ("complete", "expire", "async_succeeded", "async_failed"):
                    event = None
                else:
                    return Response.json({"error": "no control endpoint"}, 404)
                out = copy.deepcopy(session)
            if due:
                self._send(due["id"])
            if event is None:
                return Response.json({"error": "session is %s/%s: cannot %s" % (
                    state[0], state[1], action), "session": out}, 409)
            result = {"session": out, "event": event}
            result["delivery"] = (self._send(event["id"], **overrides) if args.get("send", True)
                                  else {"status": None, "body": "not sent"})
            return Response.json(result)
        return Response.json({"error": "no control endpoint"}, 404)
