"""Mercado Pago (PROVIDERS.md "Mercado Pago"), mounted at /mercadopago: the API base of the
stack's KonfirmadoProviderURL mercadopago-sandbox / mercadopago-production is /mercadopago.

Every API call carries `Authorization: Bearer <access token>` of a configured account; a
missing or unknown token -> 401 {"message": "invalid access token", "error": "unauthorized",
"status": 401, "cause": []}. Errors have Mercado Pago's shape {"message", "error", "status",
"cause": [{"code", "description", "data"}]}.

POST /mercadopago/checkout/preferences  (JSON; X-Idempotency-Key optional: the same key of
    the same account -> the same answer, nothing new made)
    items[] (required: quantity a positive integer, unit_price a positive number - a string is
    refused - currency_id), payer{email,name}, external_reference, back_urls{success,failure,
    pending}, auto_return ("approved"|"all", needs back_urls.success), notification_url,
    expires + expiration_date_to (ISO 8601 with an offset)
    -> 201 {"id": "<user_id>-<uuid>", "init_point", "sandbox_init_point", "collector_id",
    "client_id", "external_reference", "items", "date_created", ...}; both points are
    http://<Host of this request>/mercadopago/checkout/pay?pref_id=<id>
    -> 400 bad_request with a cause for what is refused
GET /mercadopago/checkout/preferences/{id}  -> the preference (its owner only; else 404)
GET /mercadopago/v1/payments/{id}  -> 200 the payment (id int, status, status_detail,
    external_reference, transaction_amount, transaction_amount_refunded, currency_id,
    collector_id, date_created, date_approved, date_last_updated, payment_method_id,
    payment_type_id, live_mode, payer, refunds[], ...); another account's or unknown -> 404
    {"message": "Payment not found", "error": "not_found", "status": 404, "cause":
    [{"code": 2000, "description": "Payment not found", ...}]}
GET /mercadopago/v1/payments/search?external_reference=REF  -> 200 {"paging": {"total",
    "limit", "offset"}, "results": [payment, ...]}: only the caller's payments, oldest first
POST /mercadopago/v1/payments/{id}/refunds  (X-Idempotency-Key mandatory: missing -> 400 code
    4292 "Header-X-Idempotency-Key-can't-be-null"; the same key -> the same answer, no second
    refund). Body {} or none = what remains, {"amount": 5.5} = part of it.
    -> 201 {"id", "payment_id", "amount", "source": {"id", "name", "type": "collector"},
    "date_created", "status": "approved", "unique_sequence_number", "refund_mode", "reason",
    "amount_refunded_to_payer"}; the payment becomes refunded/refunded when nothing remains,
    else approved/partially_refunded; each refund notifies (payment.updated).
    Not approved (pending, rejected, ...) -> 400 code 2063 "The action requested is not valid
    for the current payment state" (message "Payment already refunded" when refunded); more
    than remains -> 400 refund_amount_exceeds (code unconfirmed); amount <= 0 -> 400 code 4040;
    another account's or unknown payment -> 404 code 2000.
GET /mercadopago/v1/chargebacks/{id}  -> 200 {"id", "payments": [payment id], "currency",
    "amount", "reason", "coverage_applied": null|true|false, "coverage_elegible",
    "documentation_required", "documentation_status", "documentation": [],
    "date_documentation_deadline", "date_created", "date_last_updated", "live_mode"};
    another account's or unknown -> 404
GET /mercadopago/users/me  -> 200 {"id": user_id, "nickname", "first_name", "last_name",
    "email", "site_id", "country_id", ...}

Hosted checkout (what init_point points at):
GET /mercadopago/checkout/pay?pref_id=ID  -> an HTML page with the account's nickname, the
    items' title, amount and currency, and buttons Approve / Reject (card rejected:
    cc_rejected_other_reason) / Pending (cash: pending_waiting_payment); an expired preference
    (expiration_date_to past) shows an expired page (id="expired") and makes nothing; unknown
    -> 404 page
POST /mercadopago/checkout/pay  (form pref_id, decision=approve|reject|pending)
    creates the payment, notifies it (payment.created), then 302 to back_urls.success /
    failure / pending + ?collection_id=&collection_status=&payment_id=&status=
    &external_reference=&preference_id=&payment_type=&merchant_order_id=&site_id=
    &processing_mode=aggregator&merchant_account_id=null (200 text when no back URL)

Notifications (Webhooks): POST to the preference's notification_url with
    "data.id=<payment id>&type=payment" appended to its query (delivered with
    calendar_common.deliver: *.localhost is reached on 127.0.0.1 with the original Host), or,
    for a preference without one, to `events_url` (account-level webhooks; Host header
    `events_host` when set). Headers x-signature "ts=<ms>,v1=<hex>" = HMAC-SHA256 with the
    account's webhook_secret of "id:<data.id>;request-id:<x-request-id>;ts:<ms>;", x-request-id
    (uuid4), Content-Type application/json. Body {"action": "payment.created"|
    "payment.updated", "api_version": "v1", "data": {"id": "<id>"}, "date_created", "id",
    "live_mode": false, "type": "payment", "user_id"}.

Test control (no browser), under the fake's prefix, POST with a JSON body:
/mercadopago/_control/payments {"access_token", "preference_id", "status" (default approved),
    "status_detail"?, "amount"?, "currency"?, "external_reference"?, "send" (default true),
    "secret"?, "request_id"?}
    -> {"payment": {...}, "notification": {"url", "headers", "body", "delivery": {"status",
    "body"}}}: a payment of that account for that preference (amount, currency and reference
    override the preference's, for mismatch tests), notified now when send (secret overrides
    the signing key, request_id the x-request-id: negative and repeat tests)
/mercadopago/_control/payments/{id}/send {"status"?, "status_detail"?, "secret"?,
    "request_id"?} -> the same: changes the status if given and notifies again (payment.updated;
    repeats are how Mercado Pago retries)
/mercadopago/_control/chargebacks {"payment_id", "reason"?, "amount"?, "send"?, "secret"?,
    "request_id"?} -> {"chargeback", "notification"}: the customer's bank charges an approved
    payment back (coverage_applied null); notified now to `events_url` (the application's
    webhook, topic chargebacks: "data.id=<chargeback id>&type=topic_chargebacks_wh", body
    {"actions", "api_version", "application_id", "data": {"checkout", "date_updated", "id",
    "payment_id", "product_id", "site_id"}, "date_created", "id", "live_mode", "type":
    "topic_chargebacks_wh", "version"}, signed like every notice with data.id)
/mercadopago/_control/chargebacks/{id}/send {"coverage_applied"?: true|false, "secret"?,
    "request_id"?} -> the same: rules it when given (true: for the seller) and notifies again
/mercadopago/_control/refunds -> {"refunds": [{"payment_id", "idempotency_key", "body",
    "status", "refund_id", "access_token_owner"}, ...]}: every refund request received
/mercadopago/_control/notifications -> {"notifications": [...]}: every notification sent

Configuration (POST /_fakes/mercadopago/config):
  accounts    {access_token: {"user_id": 202809963, "nickname": "TESTUSER202809963",
              "webhook_secret": "..."}} (also "first_name", "email", "site_id" optional):
              the accounts the fake knows; a test registers its own with the secrets it
              configured for the tenant (default: none)
  events_url  where notifications of preferences without notification_url go (tests set it)
  events_host the Host header of those POSTs (the platform host), when events_url names
              127.0.0.1
  status      when set (e.g. 500), every answer but the control API has this status and a
              generic error body, to simulate an outage (default: null)
  delay       seconds every answer but the control API's waits first: a slow Mercado Pago
              (default: 0)
"""
import hashlib
import hmac
import html
import itertools
import json
import secrets
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from base import Fake, Response
from calendar_common import deliver, form_of, json_object_of, parse_time

ZERO_DECIMAL = {"CLP", "PYG", "JPY", "KRW", "VND", "UGX", "XAF", "XOF"}
MP_TZ = timezone(timedelta(hours=-4))       # Mercado Pago writes its times at -04:00


def mp_time(dt=None):
    dt = (dt or datetime.now(timezone.utc)).astimezone(MP_TZ)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d-04:00" % (dt.microsecond // 1000)


def error(status, error_name, message, code=None, description=None):
    cause = []
    if code is not None:
        cause.append({"code": code, "description": description or message,
                      "data": "%s;%s" % (datetime.now(timezone.utc).strftime("%d-%m-%YT%H:%M:%SUTC"),
                                         uuid.uuid4())})
    return Response.json({"message": message, "error": error_name, "status": status,
                          "cause": cause}, status)


def not_found_payment():
    return error(404, "not_found", "Payment not found", 2000, "Payment not found")


def money(value):
    """A JSON number (not bool, not string) as a Decimal, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number(d):
    """A Decimal as the JSON number Mercado Pago writes (75.76, 75)."""
    return int(d) if d == d.to_integral_value() else float(d)


class MercadopagoFake(Fake):
    name = "mercadopago"
    defaults = {"accounts": {}, "status": None, "events_url": None, "events_host": None,
                "delay": 0}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self._reset_state()

    def _reset_state(self):
        self.preferences = {}        # id -> preference (with "_owner": access token)
        self.payments = {}           # int id -> payment (with "_owner", "_preference_id")
        self.idempotent = {}         # (token, what, key) -> (status, body)
        self.refund_calls = []
        self.notifications = []
        self.chargebacks = {}        # str id -> chargeback (with "_owner")
        self.ids = itertools.count(1319483029 + secrets.randbelow(1000000) * 100)
        self.refund_ids = itertools.count(1009042015 + secrets.randbelow(1000000) * 100)
        self.notice_ids = itertools.count(114000000000 + secrets.randbelow(1000000))
        self.chargeback_ids = itertools.count(233000061680860000 + secrets.randbelow(1000000) * 100)

    def reset(self):
        super().reset()
        with self.lock:
            self._reset_state()

    # ------------------------------------------------------------ routing

    def handle(self, req):
        with self.lock:
            accounts = dict(self.config["accounts"])
            status, delay = self.config["status"], self.config["delay"]
        parts = [p for p in req.subpath.split("/") if p]
        if parts[:1] == ["_control"]:
            return self.control(req, parts[1:], accounts)
        if delay:
            time.sleep(float(delay))
        if status:
            return error(int(status), "internal_error", "fake outage")
        if parts == ["checkout", "pay"]:
            if req.method in ("GET", "HEAD"):
                return self.checkout_page(req.args().get("pref_id", ""), accounts)
            if req.method == "POST":
                return self.checkout_pay(form_of(req), accounts)
        token = self.token_of(req, accounts)
        if token is None:
            return error(401, "unauthorized", "invalid access token")
        if req.method == "POST" and parts == ["checkout", "preferences"]:
            return self.create_preference(req, token, accounts[token])
        if req.method == "GET" and len(parts) == 3 and parts[:2] == ["checkout", "preferences"]:
            with self.lock:
                pref = self.preferences.get(parts[2])
            if pref is None or pref["_owner"] != token:
                return error(404, "not_found", "preference not found")
            return Response.json(self.public(pref))
        if req.method == "GET" and parts == ["v1", "payments", "search"]:
            return self.search(req, token)
        if req.method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "payments"]:
            pay = self.owned_payment(parts[2], token)
            return Response.json(self.public(pay)) if pay else not_found_payment()
        if (req.method == "POST" and len(parts) == 4 and parts[:2] == ["v1", "payments"]
                and parts[3] == "refunds"):
            return self.refund(req, token, parts[2], accounts)
        if req.method == "GET" and parts == ["users", "me"]:
            return self.users_me(accounts[token])
        if req.method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "chargebacks"]:
            with self.lock:
                cb = self.chargebacks.get(parts[2])
                cb = dict(cb) if cb and cb["_owner"] == token else None
            if cb is None:
                return error(404, "not_found", "chargeback not found")
            return Response.json(self.public(cb))
        return error(404, "not_found", "resource not found")

    @staticmethod
    def token_of(req, accounts):
        auth = req.header("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        return token if token and token in accounts else None

    @staticmethod
    def public(obj):
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    def owned_payment(self, pay_id, token):
        with self.lock:
            pay = self.payments.get(int(pay_id)) if pay_id.isdigit() else None
            return dict(pay) if pay and pay["_owner"] == token else None

    # ------------------------------------------------------------ preferences

    def create_preference(self, req, token, account):
        key = req.header("X-Idempotency-Key")
        if key:
            with self.lock:
                seen = self.idempotent.get((token, "preference", key))
            if seen:
                return Response.json(seen[1], seen[0])
        body = json_object_of(req)
        if body is None:
            return error(400, "bad_request", "body must be a JSON object")
        items = body.get("items")
        if not isinstance(items, list) or not items:
            return error(400, "bad_request", "items needed", "invalid_items", "items needed")
        for item in items:
            if not isinstance(item, dict):
                return error(400, "bad_request", "invalid items", "invalid_items")
            if not isinstance(item.get("quantity"), int) or isinstance(item.get("quantity"), bool) \
                    or item["quantity"] <= 0:
                return error(400, "bad_request", "quantity invalid", "invalid_quantity")
            price = money(item.get("unit_price"))
            if price is None or price <= 0:
                return error(400, "bad_request", "unit_price invalid", "invalid_unit_price")
            if not isinstance(item.get("currency_id"), str) or len(item["currency_id"]) != 3:
                return error(400, "bad_request", "currency_id invalid", "invalid_currency_id")
        currencies = {item["currency_id"] for item in items}
        if len(currencies) != 1:
            return error(400, "bad_request", "all items must have the same currency_id",
                         "different_currency_id")
        back = body.get("back_urls") or {}
        if body.get("auto_return") and not (isinstance(back, dict) and back.get("success")):
            return error(400, "bad_request", "auto_return invalid. back_url.success must be defined",
                         "invalid_auto_return", "back_url.success must be defined")
        expires_at = None
        if body.get("expires"):
            to = body.get("expiration_date_to")
            expires_at = parse_time(to) if to else None
            if to and expires_at is None:
                return error(400, "bad_request", "expiration_date_to invalid",
                             "invalid_expiration_date_to")
        now = mp_time()
        pref_id = "%s-%s" % (account.get("user_id", 1), uuid.uuid4())
        host = req.header("Host", "127.0.0.1")
        point = "http://%s/mercadopago/checkout/pay?pref_id=%s" % (host, pref_id)
        pref = dict(body)
        pref.update({
            "id": pref_id,
            "init_point": point,
            "sandbox_init_point": point,
            "collector_id": account.get("user_id", 1),
            "client_id": str(account.get("client_id", "6295877106812064")),
            "date_created": now,
            "last_updated": None,
            "operation_type": "regular_payment",
            "marketplace": "NONE",
            "site_id": account.get("site_id", "MCO"),
            "external_reference": body.get("external_reference", ""),
            "back_urls": back if isinstance(back, dict) else {},
            "auto_return": body.get("auto_return", ""),
            "notification_url": body.get("notification_url"),
            "expires": bool(body.get("expires")),
            "expiration_date_from": body.get("expiration_date_from"),
            "expiration_date_to": body.get("expiration_date_to"),
            "payer": body.get("payer") or {},
            "items": [dict(i) for i in items],
            "_owner": token,
            "_expires_at": expires_at.timestamp() if expires_at else None,
        })
        with self.lock:
            self.preferences[pref_id] = pref
            out = self.public(pref)
            if key:
                self.idempotent[(token, "preference", key)] = (201, out)
        return Response.json(out, 201)

    @staticmethod
    def total_of(pref):
        total = sum((money(i["unit_price"]) * i["quantity"] for i in pref["items"]), Decimal(0))
        return total, pref["items"][0]["currency_id"]

    @staticmethod
    def expired(pref):
        return pref.get("_expires_at") is not None and pref["_expires_at"] <= time.time()

    # ------------------------------------------------------------ hosted checkout

    def checkout_page(self, pref_id, accounts):
        with self.lock:
            pref = self.preferences.get(pref_id)
        if pref is None:
            return Response(404, page("Mercado Pago (fake)", "<h1 id=\"unknown\">Unknown preference</h1>"),
                            content_type="text/html; charset=utf-8")
        account = accounts.get(pref["_owner"], {})
        merchant = html.escape(str(account.get("nickname", "Vendedor de prueba")))
        if self.expired(pref):
            return Response(200, page("Mercado Pago (fake)",
                                      "<h1 id=\"expired\">This payment link has expired</h1>"
                                      "<p id=\"merchant\">%s</p>" % merchant),
                            content_type="text/html; charset=utf-8")
        total, currency = self.total_of(pref)
        title = html.escape(str(pref["items"][0].get("title") or pref["external_reference"]))
        buttons = "".join(
            '<button type="submit" name="decision" value="%s" id="%s">%s</button>' % (v, v, label)
            for v, label in (("approve", "Approve"), ("reject", "Reject"),
                             ("pending", "Pending (cash)")))
        body = ("<h1 id=\"merchant\">%s</h1><p id=\"title\">%s</p>"
                "<p>Total: <strong><span id=\"amount\">%s</span> <span id=\"currency\">%s</span>"
                "</strong></p><p>Reference <code id=\"reference\">%s</code></p>"
                "<form method=\"post\" action=\"pay\">"
                "<input type=\"hidden\" name=\"pref_id\" value=\"%s\">%s</form>") % (
            merchant, title, number(total), html.escape(currency),
            html.escape(str(pref["external_reference"])), html.escape(pref["id"]), buttons)
        return Response(200, page("Mercado Pago (fake)", body),
                        content_type="text/html; charset=utf-8")

    def checkout_pay(self, form, accounts):
        with self.lock:
            pref = self.preferences.get(form.get("pref_id", ""))
        if pref is None:
            return Response(404, "unknown preference\n")
        if self.expired(pref):
            return Response(400, "the preference has expired\n")
        decisions = {"approve": ("approved", "accredited", "success"),
                     "reject": ("rejected", "cc_rejected_other_reason", "failure"),
                     "pending": ("pending", "pending_waiting_payment", "pending")}
        if form.get("decision") not in decisions:
            return Response(400, "unknown decision\n")
        status, detail, back = decisions[form["decision"]]
        account = accounts.get(pref["_owner"], {})
        pay = self.new_payment(pref, account, status, detail)
        self.notify(pay, account, "payment.created")
        url = (pref.get("back_urls") or {}).get(back)
        if not url:
            return Response(200, "Payment %d: %s/%s\n" % (pay["id"], status, detail))
        query = urlencode({
            "collection_id": pay["id"], "collection_status": status, "payment_id": pay["id"],
            "status": status, "external_reference": pay["external_reference"],
            "payment_type": pay["payment_type_id"], "merchant_order_id": pay["order"]["id"],
            "preference_id": pref["id"], "site_id": pref["site_id"],
            "processing_mode": "aggregator", "merchant_account_id": "null"})
        return Response(302, "", headers=[("Location", url + ("&" if "?" in url else "?") + query)])

    # ------------------------------------------------------------ payments

    def new_payment(self, pref, account, status, detail=None, amount=None, currency=None,
                    reference=None):
        total, cur = self.total_of(pref)
        if amount is not None:
            total = money(amount) if money(amount) is not None else Decimal(str(amount))
        now = mp_time()
        cash = status == "pending"
        with self.lock:
            pay_id = next(self.ids)
        pay = {
            "id": pay_id,
            "date_created": now,
            "date_approved": now if status == "approved" else None,
            "date_last_updated": now,
            "money_release_date": None,
            "collector_id": account.get("user_id", pref.get("collector_id")),
            "operation_type": "regular_payment",
            "payment_method_id": "efecty" if cash else "visa",
            "payment_type_id": "ticket" if cash else "credit_card",
            "status": status,
            "status_detail": detail or {"approved": "accredited", "rejected": "cc_rejected_other_reason",
                                        "pending": "pending_waiting_payment",
                                        "cancelled": "expired"}.get(status, status),
            "currency_id": currency or cur,
            "description": pref["items"][0].get("title"),
            "live_mode": False,
            "transaction_amount": number(total),
            "transaction_amount_refunded": 0,
            "external_reference": pref.get("external_reference") if reference is None else reference,
            "payer": {"email": (pref.get("payer") or {}).get("email") or "test_user@testuser.com",
                      "type": "guest"},
            "metadata": {},
            "order": {"id": next(self.notice_ids), "type": "mercadopago"},
            "refunds": [],
            "captured": True,
            "binary_mode": False,
            "_owner": pref["_owner"],
            "_preference_id": pref["id"],
        }
        with self.lock:
            self.payments[pay_id] = pay
        return dict(pay)

    def search(self, req, token):
        args = req.args()
        ref = args.get("external_reference")
        with self.lock:
            found = [self.public(p) for _, p in sorted(self.payments.items())
                     if p["_owner"] == token and (ref is None or p["external_reference"] == ref)]
        return Response.json({"paging": {"total": len(found), "limit": 30, "offset": 0},
                              "results": found})

    def refund(self, req, token, pay_id, accounts):
        key = req.header("X-Idempotency-Key")
        record = {"payment_id": pay_id, "idempotency_key": key,
                  "body": req.body.decode("utf-8", "replace"),
                  "access_token_owner": accounts[token].get("user_id")}
        resp, refund_id, notify = self.make_refund(req, token, pay_id, key, accounts[token])
        record["status"] = resp.status
        record["refund_id"] = refund_id
        with self.lock:
            self.refund_calls.append(record)
        if notify is not None:
            self.notify(notify, accounts[token], "payment.updated")
        return resp

    def make_refund(self, req, token, pay_id, key, account):
        """(answer, refund id, payment to notify) of one refund request."""
        if not key:
            return error(400, "bad_request", "Header-X-Idempotency-Key-can't-be-null", 4292,
                         "Header-X-Idempotency-Key-can't-be-null"), None, None
        body = json_object_of(req)
        with self.lock:
            seen = self.idempotent.get((token, "refund", key))
            if seen:
                return Response.json(seen[1], seen[0]), seen[1].get("id"), None
            if body is None:
                return error(400, "bad_request", "body must be a JSON object"), None, None
            pay = self.payments.get(int(pay_id)) if pay_id.isdigit() else None
            if pay is None or pay["_owner"] != token:
                return not_found_payment(), None, None
            if pay["status"] != "approved":
                return error(400, "bad_request",
                             "Payment already refunded" if pay["status"] == "refunded"
                             else "Invalid payment status", 2063,
                             "The action requested is not valid for the current payment state"), \
                    None, None
            paid = money(pay["transaction_amount"])
            remains = paid - money(pay["transaction_amount_refunded"])
            amount = remains if "amount" not in body else money(body["amount"])
            if amount is None or amount <= 0:
                return error(400, "bad_request", "Amount must be positive", 4040,
                             "amount must be positive"), None, None
            if amount > remains:
                return error(400, "bad_request", "The refund amount exceeds the available balance",
                             "refund_amount_exceeds",
                             "The refund amount exceeds the available balance"), None, None
            refund = {
                "id": next(self.refund_ids),
                "payment_id": pay["id"],
                "amount": number(amount),
                "metadata": {},
                "source": {"id": str(account.get("user_id", 1)),
                           "name": account.get("nickname", "Vendedor de prueba"),
                           "type": "collector"},
                "date_created": mp_time(),
                "unique_sequence_number": None,
                "refund_mode": "standard",
                "adjustment_amount": 0,
                "status": "approved",
                "reason": None,
                "labels": [],
                "amount_refunded_to_payer": number(amount),
                "partition_details": [],
            }
            pay["refunds"].append(refund)
            pay["transaction_amount_refunded"] = number(paid - remains + amount)
            if amount == remains:
                pay["status"], pay["status_detail"] = "refunded", "refunded"
            else:
                pay["status_detail"] = "partially_refunded"
            pay["date_last_updated"] = mp_time()
            self.idempotent[(token, "refund", key)] = (201, dict(refund))
            return Response.json(refund, 201), refund["id"], dict(pay)

    @staticmethod
    def users_me(account):
        user_id = account.get("user_id", 1)
        return Response.json({
            "id": user_id,
            "nickname": account.get("nickname", "TESTUSER%s" % user_id),
            "first_name": account.get("first_name", "Test"),
            "last_name": account.get("last_name", "Test"),
            "email": account.get("email", "test_user_%s@testuser.com" % user_id),
            "site_id": account.get("site_id", "MCO"),
            "country_id": account.get("country_id", "CO"),
            "user_type": "normal",
            "tags": ["normal", "test_user"],
            "status": {"site_status": "active"},
        })

    # ------------------------------------------------------------ notifications

    def notify(self, pay, account, action, secret=None, request_id=None):
        """POST the signed notice of a payment; returns what was sent and its delivery."""
        with self.lock:
            pref = self.preferences.get(pay.get("_preference_id"), {})
            events_url = self.config["events_url"]
            events_host = self.config["events_host"]
        base = pref.get("notification_url") or events_url
        secret = account.get("webhook_secret", "") if secret is None else secret
        request_id = request_id or str(uuid.uuid4())
        ts = str(int(time.time() * 1000))
        data_id = str(pay["id"])
        manifest = "id:%s;request-id:%s;ts:%s;" % (data_id.lower(), request_id, ts)
        v1 = hmac.new(secret.encode("utf-8"), manifest.encode("utf-8"), hashlib.sha256).hexdigest()
        user_id = account.get("user_id", pay.get("collector_id"))
        body = {"action": action, "api_version": "v1", "data": {"id": data_id},
                "date_created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "id": next(self.notice_ids), "live_mode": False, "type": "payment",
                "user_id": int(user_id) if str(user_id).isdigit() else user_id}
        headers = {"Content-Type": "application/json", "x-signature": "ts=%s,v1=%s" % (ts, v1),
                   "x-request-id": request_id}
        sent = {"url": None, "headers": headers, "body": body}
        if not base:
            sent["delivery"] = {"status": None, "body": "no notification_url nor events_url"}
        else:
            url = base + ("&" if "?" in base else "?") + urlencode({"data.id": data_id,
                                                                    "type": "payment"})
            sent["url"] = url
            raw = json.dumps(body).encode("utf-8")
            if not pref.get("notification_url") and events_host:
                sent["delivery"] = self.post_with_host(url, raw, headers, events_host)
            else:
                got = deliver(url, body=raw, headers=headers)
                sent["delivery"] = {"status": got["status"], "body": got.get("body", "")}
        with self.lock:
            self.notifications.append(sent)
        return sent

    def notify_chargeback(self, cb, account, secret=None, request_id=None):
        """POST the signed chargebacks notice to the application's webhook (events_url): no
        reference of the merchant's, data.id the chargeback, data.payment_id its payment."""
        with self.lock:
            events_url = self.config["events_url"]
            events_host = self.config["events_host"]
        secret = account.get("webhook_secret", "") if secret is None else secret
        request_id = request_id or str(uuid.uuid4())
        ts = str(int(time.time() * 1000))
        data_id = str(cb["id"])
        manifest = "id:%s;request-id:%s;ts:%s;" % (data_id.lower(), request_id, ts)
        v1 = hmac.new(secret.encode("utf-8"), manifest.encode("utf-8"), hashlib.sha256).hexdigest()
        body = {"actions": ["changed_case_status"], "api_version": "v1",
                "application_id": 9007201037432480,
                "data": {"checkout": "PRO", "date_updated": cb["date_last_updated"],
                         "id": int(data_id), "payment_id": cb["payments"][0],
                         "product_id": "C" + "0" * 19, "site_id": "MCO"},
                "date_created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "id": next(self.notice_ids), "live_mode": False,
                "type": "topic_chargebacks_wh", "version": 1}
        headers = {"Content-Type": "application/json", "x-signature": "ts=%s,v1=%s" % (ts, v1),
                   "x-request-id": request_id}
        sent = {"url": None, "headers": headers, "body": body}
        if not events_url:
            sent["delivery"] = {"status": None, "body": "no events_url"}
        else:
            url = events_url + ("&" if "?" in events_url else "?") + urlencode(
                {"data.id": data_id, "type": "topic_chargebacks_wh"})
            sent["url"] = url
            raw = json.dumps(body).encode("utf-8")
            if events_host:
                sent["delivery"] = self.post_with_host(url, raw, headers, events_host)
            else:
                got = deliver(url, body=raw, headers=headers)
                sent["delivery"] = {"status": got["status"], "body": got.get("body", "")}
        with self.lock:
            self.notifications.append(sent)
        return sent

    def chargeback_control(self, parts, args, accounts):
        """_control/chargebacks (open one) and _control/chargebacks/{id}/send (rule, notify)."""
        if parts == ["chargebacks"]:
            pay_id = str(args.get("payment_id", ""))
            with self.lock:
                pay = self.payments.get(int(pay_id)) if pay_id.isdigit() else None
                if pay is None:
                    return Response.json({"error": "unknown payment"}, 404)
                if pay["status"] != "approved":
                    return Response.json({"error": "only an approved payment is charged back"}, 409)
                now = mp_time()
                cb = {"id": str(next(self.chargeback_ids)), "payments": [pay["id"]],
                      "currency": pay["currency_id"],
                      "amount": args.get("amount", pay["transaction_amount"]),
                      "reason": args.get("reason", "general"), "coverage_applied": None,
                      "coverage_elegible": True, "documentation_required": True,
                      "documentation_status": "pending", "documentation": [],
                      "date_documentation_deadline": mp_time(datetime.now(timezone.utc)
                                                             + timedelta(days=10)),
                      "date_created": now, "date_last_updated": now, "live_mode": False,
                      "_owner": pay["_owner"]}
                self.chargebacks[cb["id"]] = cb
                cb = dict(cb)
        elif len(parts) == 3 and parts[2] == "send":
            with self.lock:
                stored = self.chargebacks.get(parts[1])
                if stored is not None and "coverage_applied" in args:
                    stored["coverage_applied"] = args["coverage_applied"]
                    stored["documentation_status"] = "valid" if args["coverage_applied"] else "invalid"
                    stored["date_last_updated"] = mp_time()
                cb = dict(stored) if stored is not None else None
            if cb is None:
                return Response.json({"error": "unknown chargeback"}, 404)
        else:
            return Response.json({"error": "no control endpoint"}, 404)
        out = {"chargeback": self.public(cb)}
        if args.get("send", True):
            out["notification"] = self.notify_chargeback(cb, accounts.get(cb["_owner"], {}),
                                                         args.get("secret"), args.get("request_id"))
        return Response.json(out)

    @staticmethod
    def post_with_host(url, raw, headers, host):
        req = urllib.request.Request(url, data=raw, method="POST",
                                     headers=dict(headers, Host=host))
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                return {"status": resp.status, "body": resp.read().decode("utf-8", "replace")}
        except urllib.error.HTTPError as e:
            return {"status": e.code, "body": e.read().decode("utf-8", "replace")}
        except OSError as e:
            return {"status": None, "body": str(e)}

    # ------------------------------------------------------------ control

    def control(self, req, parts, accounts):
        if req.method != "POST":
            return Response.json({"error": "control endpoints take POST"}, 405)
        args = json_object_of(req)
        if args is None:
            return Response.json({"error": "body must be a JSON object"}, 400)
        if parts == ["refunds"]:
            with self.lock:
                return Response.json({"refunds": list(self.refund_calls)})
        if parts == ["notifications"]:
            with self.lock:
                return Response.json({"notifications": list(self.notifications)})
        if parts[:1] == ["chargebacks"]:
            return self.chargeback_control(parts, args, accounts)
        if parts == ["payments"]:
            token = args.get("access_token")
            with self.lock:
                pref = self.preferences.get(args.get("preference_id", ""))
            if token not in accounts:
                return Response.json({"error": "unknown access_token"}, 400)
            if pref is None or pref["_owner"] != token:
                return Response.json({"error": "unknown preference_id for this account"}, 400)
            pay = self.new_payment(pref, accounts[token], args.get("status", "approved"),
                                   args.get("status_detail"), args.get("amount"),
                                   args.get("currency"), args.get("external_reference"))
            action = "payment.created"
        elif len(parts) == 3 and parts[0] == "payments" and parts[2] == "send":
            with self.lock:
                stored = self.payments.get(int(parts[1])) if parts[1].isdigit() else None
                if stored is not None and args.get("status"):
                    stored["status"] = args["status"]
                    stored["status_detail"] = args.get("status_detail", args["status"])
                    stored["date_last_updated"] = mp_time()
                    if args["status"] == "approved" and not stored["date_approved"]:
                        stored["date_approved"] = stored["date_last_updated"]
                pay = dict(stored) if stored is not None else None
            if pay is None:
                return Response.json({"error": "unknown payment"}, 404)
            action = "payment.updated"
        else:
            return Response.json({"error": "no control endpoint"}, 404)
        out = {"payment": self.public(pay)}
        if args.get("send", True):
            account = accounts.get(pay["_owner"], {})
            out["notification"] = self.notify(pay, account, action, args.get("secret"),
                                              args.get("request_id"))
        return Response.json(out)


def page(title, body):
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"
            "</head><body>%s</body></html>\n" % (html.escape(title), body))
