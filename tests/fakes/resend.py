"""Resend's email API (PROVIDERS.md "Mail"), mounted at /resend: the stack's
KonfirmadoProviderURL resend points here, so the API is /resend/emails.

POST /resend/emails  (Authorization: Bearer <key>; JSON {"from", "to": [..] or "…",
    "subject", "html"?, "text"?, "reply_to"?, "attachments"?: [{"filename", "content":
    base64, "content_type"?}]}; Idempotency-Key optional)
    -> 200 {"id": "<uuid>"}
    Idempotency-Key (up to 256 characters) kept 24 h: the same key with the same body answers
    the first answer again and sends nothing; with another body 409
    invalid_idempotent_request.
    errors as Resend words them, {"statusCode", "name", "message"}:
      401 missing_api_key            no Authorization header
      403 invalid_api_key            a key other than the configured one
      422 validation_error           from/to/subject missing or malformed, a reply_to
                                     that is not an address (or list of them), neither
                                     html nor text, an attachment without content
      409 invalid_idempotent_request the key was used with another body
      429 rate_limit_exceeded        scripted (config answers), with retry-after: 1
      500 application_error          scripted (config answers)
    config `answers_to` (or `answers`, for every address): statuses answered, one per call,
    before any real answer (e.g. {"ana@x.co": [429, 500]} makes the first two calls to Ana
    fail, the third succeed); 422 answers validation_error, 403 validation_error (an
    unverified domain), other statuses their name above. A scripted failure records the
    call but sends nothing. Scripting by address keeps a test's script from being used up
    by another test's mail sent meanwhile from the same stack.

Test control:
GET /resend/_control/emails -> {"emails": [{"id", "from", "to", "subject", "html", "text",
    "reply_to" (a list, [] when none), "attachments", "idempotency_key", "at"}, …]} every
    email sent, oldest first.
GET /resend/_control/calls -> {"calls": [{"idempotency_key", "status", "id"}, …]} every
    POST /emails with the status it got (0: its answer was lost).

Configuration (POST /_fakes/resend/config):
  api_key      the key accepted (default "re_test_key")
  answers_to   {address: [statuses]} answered to mails for that address before any real
               answer (consumed one per call)
  answers      the same for a mail to any address
  refused_to   addresses answered 422 validation_error (an address Resend will not take)
  lose_answers_to {address: n}: how many emails to that address are sent and then their
               answer lost (the connection dropped, as a network failure after Resend took
               the email); lose_answers the same for any address
"""
import base64
import binascii
import json
import re
import time
import uuid

from base import Fake, Response

ADDRESS = re.compile(r"^(?:[^<>]*<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>?$")
NAMES = {401: "missing_api_key", 403: "validation_error", 409: "invalid_idempotent_request",
         422: "validation_error", 429: "rate_limit_exceeded", 500: "application_error"}
MESSAGES = {
    403: "The konfirmado.localhost domain is not verified. Please, add and verify your domain "
         "on https://resend.com/domains",
    422: "Invalid `to` field. The email address needs to follow the `email@example.com` or "
         "`Name <email@example.com>` format.",
    429: "Too many requests. You can only make 2 requests per second. See rate limit response "
         "headers for more information. Or contact support to increase rate limit.",
    500: "An unexpected error occurred.",
}


def recipients(req):
    """The bare addresses of a request's `to` (none when the body is not what Resend takes)."""
    try:
        to = req.json().get("to")
    except (ValueError, AttributeError):
        return []
    to = [to] if isinstance(to, str) else to if isinstance(to, list) else []
    return [re.sub(r"^.*<|>$", "", t).strip().lower() for t in to if isinstance(t, str)]


def error(status, name, message):
    return Response.json({"statusCode": status, "name": name, "message": message}, status)



def reply_to_list(value):
    """Resend's reply_to: one address or a list of them; [] when absent."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]

class ResendFake(Fake):
    name = "resend"
    defaults = {"api_key": "re_test_key", "answers": [], "answers_to": {}, "refused_to": [],
                "lose_answers": 0, "lose_answers_to": {}}

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.emails = []
        self.calls = []
        self.keys = {}      # idempotency key -> (body, answer)

    def reset(self):
        super().reset()
        with self.lock:
            self.emails = []
            self.calls = []
            self.keys = {}

    def handle(self, req):
        path = req.subpath.rstrip("/")
        if req.method == "GET" and path == "/_control/emails":
            with self.lock:
                return Response.json({"emails": list(self.emails)})
        if req.method == "GET" and path == "/_control/calls":
            with self.lock:
                return Response.json({"calls": list(self.calls)})
        if path != "/emails":
            return error(404, "not_found", "The requested endpoint does not exist.")
        if req.method != "POST":
            return error(405, "method_not_allowed", "Method is not allowed for the requested path.")
        key = req.header("Idempotency-Key")
        to = recipients(req)
        answer = self.answer(req, key, to)
        with self.lock:
            lost = answer.status == 200 and self.take_scripted("lose_answers", to, lambda n: (True, n - 1))
            self.calls.append({"idempotency_key": key, "status": 0 if lost else answer.status,
                               "id": json.loads(answer.body).get("id")})
        return Response.dropped() if lost else answer

    def take_scripted(self, name, to, take):
        """Consumes one step of the script `name` kept for one of the addresses `to`, or else
        of the script for any address; take(script) -> (applies, what is left). Under the lock."""
        for address in to:
            script = self.config[name + "_to"].get(address)
            if script:
                applies, left = take(script)
                self.config[name + "_to"][address] = left
                return applies
        script = self.config[name]
        if script:
            applies, left = take(script)
            self.config[name] = left
            return applies
        return False

    def answer(self, req, key, to):
        auth = req.header("Authorization") or ""
        if not auth.startswith("Bearer "):
            return error(401, "missing_api_key", "Missing API key in the authorization header. "
                         "Include the following header in your request: Authorization: Bearer YOUR_API_KEY")
        with self.lock:
            if auth[len("Bearer "):] != self.config["api_key"]:
                return error(403, "invalid_api_key", "API key is invalid")
            scripted = []
            if self.take_scripted("answers", to, lambda a: (scripted.append(a[0]) or True, a[1:])):
                status = scripted[0]
                answer = error(status, NAMES.get(status, "application_error"),
                               MESSAGES.get(status, "An unexpected error occurred."))
                if status == 429:
                    answer.headers.append(("retry-after", "1"))
                return answer
            if key is not None:
                if len(key) > 256:
                    return error(422, "validation_error", "The idempotency key must be at most 256 characters.")
                seen = self.keys.get(key)
                if seen and seen[0] != req.body:
                    return error(409, "invalid_idempotent_request", "Same idempotency key used "
                                 "with a different request payload. Change your idempotency key "
                                 "or payload.")
                if seen:
                    return Response.json(seen[1])
        try:
            body = req.json()
        except ValueError:
            return error(422, "validation_error", "Invalid JSON body.")
        problem = self.invalid(body)
        with self.lock:
            refused = self.config["refused_to"]
        if not problem and isinstance(body.get("to"), list) and set(body["to"]) & set(refused):
            problem = MESSAGES[422]
        if problem:
            return error(422, "validation_error", problem)
        email_id = str(uuid.uuid4())
        to = body["to"] if isinstance(body["to"], list) else [body["to"]]
        with self.lock:
            self.emails.append({"id": email_id, "from": body["from"], "to": to,
                                "subject": body["subject"], "html": body.get("html"),
                                "text": body.get("text"),
                                "reply_to": reply_to_list(body.get("reply_to")),
                                "attachments": body.get("attachments") or [],
                                "idempotency_key": key, "at": time.time()})
            if key is not None:
                self.keys[key] = (req.body, {"id": email_id})
        return Response.json({"id": email_id})

    @staticmethod
    def invalid(body):
        if not isinstance(body, dict):
            return "The request body must be a JSON object."
        for field in ("from", "to", "subject"):
            if not body.get(field):
                return "Missing `%s` field." % field
        if not ADDRESS.match(body["from"]):
            return "Invalid `from` field. The email address needs to follow the " \
                   "`email@example.com` or `Name <email@example.com>` format."
        to = body["to"] if isinstance(body["to"], list) else [body["to"]]
        if not to or len(to) > 50 or not all(isinstance(t, str) and ADDRESS.match(t) for t in to):
            return MESSAGES[422]
        if "reply_to" in body:
            reply_to = reply_to_list(body["reply_to"])
            if not reply_to or not all(isinstance(r, str) and ADDRESS.match(r) for r in reply_to):
                return "Invalid `reply_to` field. The email address needs to follow the " \
                       "`email@example.com` or `Name <email@example.com>` format."
        if not body.get("html") and not body.get("text"):
            return "Missing `html` or `text` field."
        for a in body.get("attachments") or []:
            if not isinstance(a, dict) or not a.get("filename") or not a.get("content"):
                return "Attachment must have a `filename` and a `content`."
            try:
                base64.b64decode(a["content"], validate=True)
            except (binascii.Error, ValueError):
                return "Attachment `content` must be base64."
        return None
