"""Twilio Programmable Messaging (PROVIDERS.md "Twilio"), mounted at /twilio: the stack's
KonfirmadoProviderURL twilio points here, so the API is /twilio/2010-04-01/...

POST /twilio/2010-04-01/Accounts/{AccountSid}/Messages.json  (form: To, From, Body,
    StatusCallback?; HTTP Basic AccountSid:AuthToken)
    -> 201 {"sid": "SM…", "account_sid", "to", "from", "body", "status": "queued",
       "num_segments", "direction": "outbound-api", "api_version": "2010-04-01",
       "error_code": null, "error_message": null, "date_created", "price": null, "uri"}
    errors as Twilio words them, {"code", "message", "more_info", "status"}:
      401 20003 Authenticate          unknown account or wrong token
      400 21211 invalid 'To'          To is not E.164 (channel prefix allowed)
      400 21606 'From' not capable    From is not the number configured for the account
      400 21610 unsubscribed          To is in the account's `unsubscribed` list
      400 21602 Message body is required
      429 20429 Too Many Requests     while config busy is true
    config `status` (e.g. 503) answers every call with that status and a generic body.

Test control:
GET /twilio/_control/messages -> {"messages": [{"account_sid", "to", "from", "body", "sid",
    "status", "at"}, …]} every accepted message, oldest first.

POST /twilio/_control/inbound {"account_sid", "url", "from", "body", "signature"?} -> Twilio
    delivering a customer's text to a number's incoming-message webhook: the form Twilio sends
    (MessageSid, SmsSid, AccountSid, From, To, Body, NumMedia, NumSegments, ApiVersion, ...),
    signed with the account's auth token (X-Twilio-Signature: base64 HMAC-SHA1 of the URL and
    the fields sorted by name; `signature` overrides it), POSTed to `url` on loopback (its
    host kept as Host). -> {"status", "content_type", "body"} of the webhook's answer.

Configuration (POST /_fakes/twilio/config):
  accounts  {AccountSid: {"auth_token", "from", "unsubscribed": [numbers]}}
  busy      true: 429 20429 (Twilio's rate limit) for every send
  status    when set, every answer has this status (an outage)
"""
import base64
import hashlib
import hmac
import http.client
import json
import re
import secrets
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from base import Fake, Response

E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def error(status, code, message):
    return Response.json({"code": code, "message": message,
                          "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                          "status": status}, status)


class TwilioFake(Fake):
    name = "twilio"
    defaults = {"accounts": {}, "busy": False, "status": None}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.messages = []

    def reset(self):
        super().reset()
        with self.lock:
            self.messages = []

    def handle(self, req):
        parts = req.subpath.strip("/").split("/")
        if parts == ["_control", "messages"]:
            with self.lock:
                return Response.json({"messages": list(self.messages)})
        if parts == ["_control", "inbound"] and req.method == "POST":
            with self.lock:
                accounts = dict(self.config["accounts"])
            return self.inbound(json.loads(req.body.decode("utf-8")), accounts)
        with self.lock:
            accounts = dict(self.config["accounts"])
            busy, status = self.config["busy"], self.config["status"]
        if status:
            return Response.json({"code": 20500, "message": "Internal Server Error",
                                  "status": int(status)}, int(status))
        if (req.method == "POST" and len(parts) == 4 and parts[0] == "2010-04-01"
                and parts[1] == "Accounts" and parts[3] == "Messages.json"):
            return self.send(req, accounts, parts[2], busy)
        return error(404, 20404, "The requested resource %s was not found" % req.subpath)

    @staticmethod
    def signature(auth_token, url, fields):
        """X-Twilio-Signature: the URL, then each field's name and value, sorted by name."""
        data = url + "".join(k + v for k, v in sorted(fields.items()))
        digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
        return base64.b64encode(digest).decode()

    def inbound(self, order, accounts):
        account = accounts.get(order["account_sid"], {})
        sid = "SM" + secrets.token_hex(16)
        fields = {"ToCountry": "US", "ToState": "CA", "SmsMessageSid": sid, "NumMedia": "0",
                  "ToCity": "", "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received",
                  "FromCity": "", "Body": order["body"], "FromCountry": "CO", "To": account.get("from", ""),
                  "MessagingServiceSid": "", "ToZip": "", "NumSegments": "1", "MessageSid": sid,
                  "AccountSid": order["account_sid"], "From": order["from"], "ApiVersion": "2010-04-01"}
        url = order["url"]
        signature = order.get("signature") or self.signature(account.get("auth_token", ""), url, fields)
        target = urlsplit(url)
        conn = http.client.HTTPConnection("127.0.0.1", target.port or 80, timeout=10)
        try:
            conn.request("POST", target.path + ("?" + target.query if target.query else ""),
                         body=urlencode(fields),
                         headers={"Host": target.netloc, "X-Twilio-Signature": signature,
                                  "Content-Type": "application/x-www-form-urlencoded",
                                  "User-Agent": "TwilioProxy/1.1", "I-Twilio-Idempotency-Token": sid})
            answer = conn.getresponse()
            body = answer.read().decode("utf-8", "replace")
            return Response.json({"status": answer.status, "body": body,
                                  "content_type": answer.getheader("Content-Type")})
        finally:
            conn.close()

    @staticmethod
    def caller(req):
        auth = req.header("Authorization", "")
        if not auth.startswith("Basic "):
            return None, None
        try:
            user, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        except ValueError:
            return None, None
        return user, password

    def send(self, req, accounts, sid, busy):
        user, password = self.caller(req)
        account = accounts.get(sid)
        if account is None or user != sid or password != account.get("auth_token"):
            return error(401, 20003, "Authenticate")
        if busy:
            return error(429, 20429, "Too Many Requests")
        form = dict(parse_qsl(req.body.decode("utf-8"), keep_blank_values=True))
        to, sender, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        channel = "whatsapp:" if to.startswith("whatsapp:") else ""
        if not E164.match(to[len(channel):]):
            return error(400, 21211, "The 'To' number %s is not a valid phone number." % to)
        if sender != channel + account.get("from", ""):
            return error(400, 21606, "The 'From' phone number provided (%s) is not a valid "
                                     "message-capable Twilio phone number for this destination."
                                     % sender)
        if to[len(channel):] in account.get("unsubscribed", []):
            return error(400, 21610, "Attempt to send to unsubscribed recipient")
        if not body:
            return error(400, 21602, "Message body is required.")
        msg_sid = "SM" + secrets.token_hex(16)
        now = datetime.now(timezone.utc)
        record = {"account_sid": sid, "to": to, "from": sender, "body": body, "sid": msg_sid,
                  "status": "queued", "at": time.time(),
                  "status_callback": form.get("StatusCallback")}
        with self.lock:
            self.messages.append(record)
        return Response.json({
            "sid": msg_sid, "account_sid": sid, "to": to, "from": sender, "body": body,
            "status": "queued", "num_segments": str(1 + len(body) // 160),
            "direction": "outbound-api", "api_version": "2010-04-01",
            "messaging_service_sid": None, "error_code": None, "error_message": None,
            "date_created": format_datetime(now), "date_updated": format_datetime(now),
            "date_sent": None, "price": None, "price_unit": "USD",
            "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (sid, msg_sid)}, 201)
