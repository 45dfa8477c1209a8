"""Cal.com API v2 (PROVIDERS.md "Cal.com"), mounted at /calcom: the gateway's base is /calcom,
so the API is /calcom/v2/...

Every call needs `Authorization: Bearer <key>` with a key of config `keys` that was not revoked,
else 401. Errors have Cal.com's shape: {"status": "error", "timestamp", "path", "error":
{"code": "UNAUTHORIZED" | "BAD_REQUEST" | "NOT_FOUND", "message"}}.
`cal-api-version` is checked strictly (the real API silently falls back to older shapes):
/v2/bookings* need 2024-08-13, /v2/slots 2024-09-04, /v2/me and /v2/webhooks* none; a missing or
other value -> 400 BAD_REQUEST "cal-api-version … not supported".

GET  /calcom/v2/me -> {"status": "success", "data": {"id", "email", "username", "name",
     "timeZone", "weekStart": "Monday"}}
GET  /calcom/v2/bookings?status&afterStart&beforeEnd&take&skip[&eventTypeId&attendeeEmail
     &sortStart] -> {"status": "success", "data": [booking…], "pagination": {"totalItems",
     "remainingItems", "returnedItems", "itemsPerPage", "currentPage", "totalPages",
     "hasNextPage", "hasPreviousPage"}}: the key's user's bookings overlapping
     [afterStart, beforeEnd). status is a comma list of upcoming (accepted/pending), unconfirmed
     (pending), past (ended, not cancelled), cancelled (cancelled/rejected), recurring (none);
     no status: all. take 1–250 (default 100), skip >= 0, else 400.
GET  /calcom/v2/bookings/{uid} -> {"status": "success", "data": booking}; 404 unknown
POST /calcom/v2/bookings {"start" (UTC), "eventTypeId", "attendee": {"name", "email",
     "timeZone", …}, "guests"?, "metadata"?, "lengthInMinutes"?, "location"?,
     "bookingFieldsResponses"?} -> 201 {"status": "success", "data": {"id", "uid", "title",
     "status": "accepted", "start", "end", "duration", "eventTypeId", "eventType": {"id",
     "slug"}, "attendees", "hosts", "location", "createdAt", "metadata", …}}; an event type not
     the key's -> 404; a start not in UTC, a missing attendee field -> 400.
     Duration: lengthInMinutes, else config event_type_minutes.
POST /calcom/v2/bookings/{uid}/cancel {"cancellationReason"?} -> 200 booking, status cancelled;
     404 unknown; 400 already cancelled
POST /calcom/v2/bookings/{uid}/reschedule {"start", "reschedulingReason"?} -> 201 a NEW booking
     (new id and uid, "rescheduledFromUid"); the old one becomes cancelled ("rescheduled": true)
GET  /calcom/v2/slots?eventTypeId&start&end[&timeZone] -> {"status": "success", "data":
     {"2050-09-05": [{"start": "2050-09-05T09:00:00.000+02:00"}, …]}}: hourly starts from 09:00
     while the event fits before 17:00, in timeZone (default the user's), on each day from start
     to end, minus the past and the user's bookings
POST /calcom/v2/webhooks {"subscriberUrl", "triggers": [..], "active"?, "secret"?,
     "payloadTemplate"?} -> 201 {"status": "success", "data": {"id", "userId", "subscriberUrl",
     "triggers", "active", "payloadTemplate"}} (the secret is never shown)
GET  /calcom/v2/webhooks, GET|PATCH|DELETE /calcom/v2/webhooks/{id} -> the user's webhook(s);
     DELETE answers 200 with the deleted webhook; another user's -> 404

Deliveries: a booking's BOOKING_CREATED / BOOKING_RESCHEDULED / BOOKING_CANCELLED is POSTed to
every active webhook of its user listing that trigger: body {"triggerEvent", "createdAt"
(….000Z), "payload": {"type", "title", "startTime", "endTime", "attendees", "organizer":
{"id", "name", "email", "username", "timeZone", "language"}, "uid", "bookingId", "eventTypeId",
"status": "ACCEPTED"|"CANCELLED", "metadata", "location", …}}, compact JSON, Content-Type
application/json, X-Cal-Signature-256 = hex HMAC-SHA256(webhook secret, body) when the webhook
has a secret. Bookings made through the API deliver too unless config echo_api_bookings is
false; those are sent just after the API answer (a background thread), the control API's now.

Test control (no auth; works during an outage):
POST /calcom/_control/bookings {"key"? (the first key), "start", "end", "title"?,
     "attendee"?, "notify"? (true)} -> 201 {"booking", "notified": [{"webhook", "status"}]}
POST /calcom/_control/bookings/{uid}/cancel[?notify=0] -> {"booking", "notified"}
GET  /calcom/_control/bookings[?key=] -> {"bookings": [booking + "via": "api"|"control"]}
GET  /calcom/_control/webhooks -> {"webhooks": [webhook + "secret", "email"]}
GET  /calcom/_control/deliveries -> {"deliveries": [{"webhook", "triggerEvent", "uid",
     "status", "body", "signature"}]}
POST /calcom/_control/revoke {"key"} -> the key answers 401 from then on
POST /calcom/_control/notify {"webhook", "secret"?} -> {"status"}: one BOOKING_CREATED-like
     delivery, signed with `secret` when given (a wrong one, for negative tests)

Configuration (POST /_fakes/calcom/config):
  keys               {key: {"email", "username", "timeZone", "event_types": [ids], "name"?, "id"?}}
  event_type_minutes default booking length (60)
  echo_api_bookings  deliver webhooks for bookings made through the API (true)
  status             when set, every non-_control answer has this status (an outage)
"""
import hashlib
import hmac
import json
import math
import secrets
from datetime import datetime, timedelta

from base import Fake, Response
from calendar_common import deliver, fmt_ms, in_background, now, overlaps, parse_time, zone

VERSIONS = {"bookings": "2024-08-13", "slots": "2024-09-04", "me": None, "webhooks": None}
TRIGGERS = {"BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED", "BOOKING_REQUESTED",
            "BOOKING_REJECTED", "BOOKING_PAID", "BOOKING_PAYMENT_INITIATED",
            "BOOKING_NO_SHOW_UPDATED", "MEETING_STARTED", "MEETING_ENDED", "RECORDING_READY",
            "INSTANT_MEETING", "FORM_SUBMITTED", "OOO_CREATED",
            "RECORDING_TRANSCRIPTION_GENERATED", "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
            "AFTER_GUESTS_CAL_VIDEO_NO_SHOW"}
CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
         429: "TOO_MANY_REQUESTS", 502: "BAD_GATEWAY", 503: "SERVICE_UNAVAILABLE"}


def cal_error(req, status, message):
    return Response.json({"status": "error", "timestamp": fmt_ms(now()), "path": req.subpath,
                          "error": {"code": CODES.get(status, "INTERNAL_SERVER_ERROR"),
                                    "message": message}}, status)


def success(data, status=200, **extra):
    out = {"status": "success", "data": data}
    out.update(extra)
    return Response.json(out, status)


def signature(secret, body):
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def public(b):
    return {k: v for k, v in b.items() if not k.startswith("_")}


class CalcomFake(Fake):
    name = "calcom"
    defaults = {
        "keys": {"cal_test_key": {"email": "pro@cal.example", "username": "pro",
                                  "timeZone": "America/Bogota", "event_types": [1001]}},
        "event_type_minutes": 60,
        "echo_api_bookings": True,
        "status": None,
    }

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.clear()

    def clear(self):
        self.bookings = {}       # uid -> booking (+ "_owner" email, "_via" api|control)
        self.webhooks = {}       # id -> webhook (+ "secret", "email")
        self.deliveries = []
        self.revoked = set()
        self.next_id = 1

    def reset(self):
        super().reset()
        with self.lock:
            self.clear()

    # ------------------------------------------------------------------ users

    @staticmethod
    def user_of(info):
        email = info.get("email", "")
        uid = info.get("id") or 100000 + int(hashlib.sha256(email.encode()).hexdigest()[:6], 16) % 900000
        name = info.get("name") or (info.get("username") or email.split("@")[0]).capitalize()
        return {"id": uid, "email": email, "username": info.get("username", ""), "name": name,
                "timeZone": info.get("timeZone", "UTC"),
                "event_types": list(info.get("event_types") or [])}

    def caller(self, req):
        auth = req.header("Authorization", "")
        key = auth[7:].strip() if auth.startswith("Bearer ") else ""
        with self.lock:
            info = self.config["keys"].get(key)
            if info is None or key in self.revoked:
                return None
        return self.user_of(info)

    def user_by_email(self, email):
        with self.lock:
            for info in self.config["keys"].values():
                if info.get("email") == email:
                    return self.user_of(info)
        return self.user_of({"email": email})

    # ------------------------------------------------------------------ dispatch

    def handle(self, req):
        parts = [p for p in req.subpath.split("/") if p]
        if parts[:1] == ["_control"]:
            return self.control(req, parts[1:])
        with self.lock:
            status = self.config["status"]
        if status:
            return cal_error(req, int(status), "Internal server error")
        if len(parts) < 2 or parts[0] != "v2" or parts[1] not in VERSIONS:
            return cal_error(req, 404, "Cannot %s %s" % (req.method, req.subpath))
        user = self.caller(req)
        if user is None:
            return cal_error(req, 401, "Invalid Access Token.")
        want = VERSIONS[parts[1]]
        got = req.header("cal-api-version")
        if want and got != want:
            return cal_error(req, 400, "cal-api-version %s not supported here: %s needs %s"
                             % (got or "(missing)", "/v2/" + parts[1], want))
        body = {}
        if req.method in ("POST", "PATCH", "PUT") and req.body:
            try:
                body = json.loads(req.body.decode("utf-8"))
            except ValueError:
                return cal_error(req, 400, "Invalid JSON body")
            if not isinstance(body, dict):
                return cal_error(req, 400, "The body must be a JSON object")
        rest, m = parts[2:], req.method
        if parts[1] == "me" and not rest and m == "GET":
            return success({"id": user["id"], "email": user["email"], "username": user["username"],
                            "name": user["name"], "timeZone": user["timeZone"],
                            "weekStart": "Monday", "timeFormat": 24, "defaultScheduleId": None,
                            "organizationId": None})
        if parts[1] == "bookings":
            if not rest and m == "GET":
                return self.list_bookings(req, user)
            if not rest and m == "POST":
                return self.create_booking(req, user, body)
            if len(rest) == 1 and m == "GET":
                b = self.own_booking(user, rest[0])
                return success(public(b)) if b else cal_error(
                    req, 404, "Booking with uid=%s was not found" % rest[0])
            if len(rest) == 2 and rest[1] == "cancel" and m == "POST":
                return self.cancel_booking(req, user, rest[0], body)
            if len(rest) == 2 and rest[1] == "reschedule" and m == "POST":
                return self.reschedule_booking(req, user, rest[0], body)
        if parts[1] == "slots" and not rest and m == "GET":
            return self.slots(req, user)
        if parts[1] == "webhooks":
            return self.webhooks_api(req, user, rest, body)
        return cal_error(req, 404, "Cannot %s %s" % (m, req.subpath))

    # ------------------------------------------------------------------ bookings

    def list_bookings(self, req, user):
        a = req.args()
        try:
            take = int(a.get("take", 100))
            skip = int(a.get("skip", 0))
        except ValueError:
            return cal_error(req, 400, "take and skip must be integers")
        if not 1 <= take <= 250 or skip < 0:
            return cal_error(req, 400, "take must not be less than 1 or greater than 250; "
                                       "skip must not be negative")
        statuses = [s for s in a.get("status", "").split(",") if s]
        if set(statuses) - {"upcoming", "recurring", "past", "cancelled", "unconfirmed"}:
            return cal_error(req, 400, "status must be one of upcoming, recurring, past, "
                                       "cancelled, unconfirmed")
        lo = hi = None
        if a.get("afterStart"):
            lo = parse_time(a["afterStart"])
            if lo is None:
                return cal_error(req, 400, "afterStart must be a valid ISO 8601 date")
        if a.get("beforeEnd"):
            hi = parse_time(a["beforeEnd"])
            if hi is None:
                return cal_error(req, 400, "beforeEnd must be a valid ISO 8601 date")
        t = now()

        def wanted(b):
            s = b["status"]
            checks = {"upcoming": s in ("accepted", "pending"),
                      "unconfirmed": s == "pending",
                      "past": s in ("accepted", "pending") and parse_time(b["end"]) < t,
                      "cancelled": s in ("cancelled", "rejected"),
                      "recurring": False}
            return not statuses or any(checks[x] for x in statuses)

        with self.lock:
            mine = [b for b in self.bookings.values() if b["_owner"] == user["email"]]
        out = []
        for b in mine:
            start, end = parse_time(b["start"]), parse_time(b["end"])
            if not wanted(b):
                continue
            if lo and end <= lo or hi and start >= hi:
                continue
            if a.get("eventTypeId") and str(b["eventTypeId"]) != a["eventTypeId"]:
                continue
            if a.get("attendeeEmail") and a["attendeeEmail"] not in [x["email"] for x in b["attendees"]]:
                continue
            out.append(b)
        out.sort(key=lambda b: parse_time(b["start"]), reverse=a.get("sortStart") == "desc")
        page = out[skip:skip + take]
        total = len(out)
        return success([public(b) for b in page], pagination={
            "totalItems": total, "remainingItems": max(0, total - skip - len(page)),
            "returnedItems": len(page), "itemsPerPage": take, "currentPage": skip // take + 1,
            "totalPages": math.ceil(total / take), "hasNextPage": skip + len(page) < total,
            "hasPreviousPage": skip > 0})

    def own_booking(self, user, uid):
        with self.lock:
            b = self.bookings.get(uid)
        return b if b and b["_owner"] == user["email"] else None

    def new_booking(self, user, start, end, event_type, attendees, via, title=None, **extra):
        ts = fmt_ms(now())
        with self.lock:
            bid = self.next_id
            self.next_id += 1
        uid = secrets.token_urlsafe(16).replace("-", "x").replace("_", "y")
        b = {
            "id": bid, "uid": uid,
            "title": title or "Meeting between %s and %s" % (
                user["name"], attendees[0]["name"] if attendees else "Guest"),
            "description": "", "status": "accepted",
            "hosts": [{"id": user["id"], "name": user["name"], "email": user["email"],
                       "username": user["username"], "timeZone": user["timeZone"]}],
            "start": fmt_ms(start), "end": fmt_ms(end),
            "duration": int((end - start).total_seconds() // 60),
            "eventTypeId": event_type, "eventType": {"id": event_type,
                                                     "slug": "event-type-%s" % event_type},
            "attendees": attendees, "guests": [], "location": None, "meetingUrl": None,
            "absentHost": False, "metadata": {}, "bookingFieldsResponses": {},
            "icsUid": uid + "@Cal.com", "createdAt": ts, "updatedAt": ts,
            "_owner": user["email"], "_via": via,
        }
        b.update(extra)
        with self.lock:
            self.bookings[uid] = b
        return b

    def create_booking(self, req, user, body):
        start = parse_time(body.get("start"))
        if start is None or start.utcoffset() != timedelta(0):
            return cal_error(req, 400, "start must be a valid ISO 8601 date in UTC, "
                                       "e.g. 2024-08-13T09:00:00Z")
        et = body.get("eventTypeId")
        if not isinstance(et, int) or isinstance(et, bool):
            return cal_error(req, 400, "eventTypeId must be an integer number")
        att = body.get("attendee")
        if not isinstance(att, dict) or not all(isinstance(att.get(k), str) and att.get(k)
                                                for k in ("name", "email", "timeZone")):
            return cal_error(req, 400, "attendee.name, attendee.email and attendee.timeZone "
                                       "are required")
        if zone(att["timeZone"]) is None or "@" not in att["email"]:
            return cal_error(req, 400, "attendee.timeZone must be a valid IANA time zone and "
                                       "attendee.email an email")
        meta = body.get("metadata", {})
        if not isinstance(meta, dict) or len(meta) > 50 or not all(
                isinstance(v, str) and len(v) <= 500 for v in meta.values()):
            return cal_error(req, 400, "metadata: at most 50 keys, string values of at most "
                                       "500 characters")
        length = body.get("lengthInMinutes")
        if length is not None and (not isinstance(length, int) or length <= 0):
            return cal_error(req, 400, "lengthInMinutes must be a positive integer")
        if et not in user["event_types"]:
            return cal_error(req, 404, "Event type with id=%s not found" % et)
        with self.lock:
            minutes = length or int(self.config["event_type_minutes"])
        loc = body.get("location")
        if isinstance(loc, dict):
            loc = loc.get("address") or loc.get("link") or loc.get("phone") or loc.get("type")
        attendee = {"name": att["name"], "email": att["email"], "timeZone": att["timeZone"],
                    "phoneNumber": att.get("phoneNumber"), "language": att.get("language", "en"),
                    "absent": False}
        b = self.new_booking(user, start, start + timedelta(minutes=minutes), et, [attendee], "api",
                             guests=list(body.get("guests") or []), metadata=meta, location=loc,
                             bookingFieldsResponses=body.get("bookingFieldsResponses") or {})
        self.api_event("BOOKING_CREATED", b)
        return success(public(b), 201)

    def api_event(self, trigger, b, previous=None):
        """Deliveries for a change made through the API: after the answer, unless not echoed."""
        with self.lock:
            echo = self.config["echo_api_bookings"]
        if b["_via"] == "control" or echo:
            in_background(lambda: self.fire(trigger, b, previous))

    def cancel_booking(self, req, user, uid, body):
        b = self.own_booking(user, uid)
        if b is None:
            return cal_error(req, 404, "Booking with uid=%s was not found" % uid)
        with self.lock:
            if b["status"] in ("cancelled", "rejected"):
                return cal_error(req, 400, "This booking has already been cancelled.")
            b.update(status="cancelled", cancellationReason=body.get("cancellationReason"),
                     cancelledByEmail=user["email"], updatedAt=fmt_ms(now()))
        self.api_event("BOOKING_CANCELLED", b)
        return success(public(b))

    def reschedule_booking(self, req, user, uid, body):
        old = self.own_booking(user, uid)
        if old is None:
            return cal_error(req, 404, "Booking with uid=%s was not found" % uid)
        start = parse_time(body.get("start"))
        if start is None or start.utcoffset() != timedelta(0):
            return cal_error(req, 400, "start must be a valid ISO 8601 date in UTC")
        with self.lock:
            if old["status"] in ("cancelled", "rejected"):
                return cal_error(req, 400, "Can't reschedule a cancelled booking")
            old.update(status="cancelled", rescheduled=True, updatedAt=fmt_ms(now()))
        keep = {k: old[k] for k in ("metadata", "location", "guests", "bookingFieldsResponses")}
        b = self.new_booking(user, start, start + timedelta(minutes=old["duration"]),
                             old["eventTypeId"], [dict(a) for a in old["attendees"]], old["_via"],
                             title=old["title"], rescheduledFromUid=uid,
                             reschedulingReason=body.get("reschedulingReason"), **keep)
        self.api_event("BOOKING_RESCHEDULED", b, old)
        return success(public(b), 201)

    # ------------------------------------------------------------------ slots

    def slots(self, req, user):
        a = req.args()
        try:
            et = int(a.get("eventTypeId", ""))
        except ValueError:
            return cal_error(req, 400, "eventTypeId is required (an integer)")
        tz = zone(a.get("timeZone") or user["timeZone"])
        if tz is None:
            return cal_error(req, 400, "timeZone must be a valid IANA time zone")

        def bound(s, end):
            if not s:
                return None
            t = parse_time(s)
            if t is not None:
                return t
            try:
                d = datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=tz)
            except ValueError:
                return None
            return d + timedelta(days=1) if end else d

        lo, hi = bound(a.get("start"), False), bound(a.get("end"), True)
        if lo is None or hi is None or hi <= lo:
            return cal_error(req, 400, "start and end must be ISO 8601 dates, start before end")
        if et not in user["event_types"]:
            return cal_error(req, 404, "Event type with id=%s not found" % et)
        with self.lock:
            minutes = int(self.config["event_type_minutes"])
            busy = [(parse_time(b["start"]), parse_time(b["end"])) for b in self.bookings.values()
                    if b["_owner"] == user["email"] and b["status"] in ("accepted", "pending")]
        t, out = now(), {}
        day = lo.astimezone(tz).date()
        while day <= hi.astimezone(tz).date() and len(out) < 100:
            for hour in range(9, 17):
                s = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
                e = s + timedelta(minutes=minutes)
                if e > datetime(day.year, day.month, day.day, 17, tzinfo=tz):
                    break
                if s < lo or e > hi or s < t or any(overlaps(s, e, bs, be) for bs, be in busy):
                    continue
                out.setdefault(day.isoformat(), []).append(
                    {"start": s.isoformat(timespec="milliseconds")})
            day += timedelta(days=1)
        return success(out)

    # ------------------------------------------------------------------ webhooks

    @staticmethod
    def webhook_view(w):
        return {k: w[k] for k in ("id", "userId", "subscriberUrl", "triggers", "active",
                                  "payloadTemplate")}

    def webhooks_api(self, req, user, rest, body):
        m = req.method
        if not rest and m == "GET":
            with self.lock:
                mine = [self.webhook_view(w) for w in self.webhooks.values()
                        if w["email"] == user["email"]]
            return success(mine)
        if not rest and m == "POST":
            err = self.check_webhook(body, creating=True)
            if err:
                return cal_error(req, 400, err)
            with self.lock:
                wid = self.next_id
                self.next_id += 1
                w = {"id": wid, "userId": user["id"], "subscriberUrl": body["subscriberUrl"],
                     "triggers": list(body["triggers"]), "active": body.get("active", True),
                     "payloadTemplate": body.get("payloadTemplate"),
                     "secret": body.get("secret"), "email": user["email"]}
                self.webhooks[wid] = w
            return success(self.webhook_view(w), 201)
        if len(rest) == 1:
            with self.lock:
                w = self.webhooks.get(int(rest[0])) if rest[0].isdigit() else None
            if w is None or w["email"] != user["email"]:
                return cal_error(req, 404, "Webhook with id=%s not found" % rest[0])
            if m == "GET":
                return success(self.webhook_view(w))
            if m == "PATCH":
                err = self.check_webhook(body, creating=False)
                if err:
                    return cal_error(req, 400, err)
                with self.lock:
                    for k in ("subscriberUrl", "triggers", "active", "payloadTemplate", "secret"):
                        if k in body:
                            w[k] = body[k]
                return success(self.webhook_view(w))
            if m == "DELETE":
                with self.lock:
                    del self.webhooks[w["id"]]
                return success(self.webhook_view(w))
        return cal_error(req, 404, "Cannot %s %s" % (m, req.subpath))

    @staticmethod
    def check_webhook(body, creating):
        if creating or "subscriberUrl" in body:
            if not str(body.get("subscriberUrl", "")).startswith(("http://", "https://")):
                return "subscriberUrl must be an URL address"
        if creating or "triggers" in body:
            tr = body.get("triggers")
            if not isinstance(tr, list) or not tr or not set(tr) <= TRIGGERS:
                return "triggers must be a non-empty list of: " + ", ".join(sorted(TRIGGERS))
        if "active" in body and not isinstance(body["active"], bool):
            return "active must be a boolean value"
        if "secret" in body and body["secret"] is not None and not isinstance(body["secret"], str):
            return "secret must be a string"
        return None

    # ------------------------------------------------------------------ deliveries

    def payload(self, trigger, b, previous=None):
        owner = self.user_by_email(b["_owner"])
        p = {"type": b["eventType"]["slug"], "title": b["title"], "description": b["description"],
             "startTime": b["start"], "endTime": b["end"],
             "organizer": {"id": owner["id"], "name": owner["name"], "email": owner["email"],
                           "username": owner["username"], "timeZone": owner["timeZone"],
                           "language": {"locale": "en"}},
             "attendees": [{"name": a["name"], "email": a["email"], "timeZone": a["timeZone"],
                            "language": {"locale": a.get("language") or "en"}}
                           for a in b["attendees"]],
             "uid": b["uid"], "bookingId": b["id"], "eventTypeId": b["eventTypeId"],
             "location": b["location"], "metadata": b["metadata"],
             "status": "CANCELLED" if b["status"] == "cancelled" else "ACCEPTED"}
        if b["status"] == "cancelled":
            p["cancellationReason"] = b.get("cancellationReason")
        if previous is not None:
            p.update(rescheduleUid=previous["uid"], rescheduleId=previous["id"],
                     rescheduleStartTime=previous["start"], rescheduleEndTime=previous["end"])
        return {"triggerEvent": trigger, "createdAt": fmt_ms(now()), "payload": p}

    def send(self, w, event, secret):
        body = json.dumps(event, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        sig = signature(secret, body) if secret else None
        if sig:
            headers["X-Cal-Signature-256"] = sig
        got = deliver(w["subscriberUrl"], "POST", body, headers)
        with self.lock:
            self.deliveries.append({"webhook": w["id"], "triggerEvent": event["triggerEvent"],
                                    "uid": event["payload"].get("uid"), "status": got["status"],
                                    "error": got.get("error"), "body": body.decode("utf-8"),
                                    "signature": sig})
        return got["status"]

    def fire(self, trigger, b, previous=None):
        event = self.payload(trigger, b, previous)
        with self.lock:
            hooks = [w for w in self.webhooks.values() if w["email"] == b["_owner"]
                     and w["active"] and trigger in w["triggers"]]
        return [{"webhook": w["id"], "status": self.send(w, event, w["secret"])} for w in hooks]

    # ------------------------------------------------------------------ control

    def control(self, req, parts):
        m, args = req.method, req.args()
        try:
            body = json.loads(req.body.decode("utf-8")) if req.body else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return Response.json({"error": "body must be a JSON object"}, 400)
        notify = args.get("notify", "1") not in ("0", "false", "no")
        if parts == ["bookings"] and m == "POST":
            with self.lock:
                keys = self.config["keys"]
                info = keys.get(body.get("key") or next(iter(keys), ""))
            if info is None:
                return Response.json({"error": "unknown key"}, 404)
            user = self.user_of(info)
            start, end = parse_time(body.get("start")), parse_time(body.get("end"))
            if start is None or end is None or end <= start:
                return Response.json({"error": "start and end: RFC 3339, end after start"}, 400)
            att = body.get("attendee") or {"name": "Someone Else", "email": "someone@example.com",
                                           "timeZone": user["timeZone"]}
            att = dict({"absent": False, "language": "en", "phoneNumber": None}, **att)
            et = (user["event_types"] or [0])[0]
            b = self.new_booking(user, start, end, et, [att], "control", title=body.get("title"))
            notified = self.fire("BOOKING_CREATED", b) if body.get("notify", True) else []
            return Response.json({"booking": public(b), "notified": notified}, 201)
        if len(parts) == 3 and parts[0] == "bookings" and parts[2] == "cancel" and m == "POST":
            with self.lock:
                b = self.bookings.get(parts[1])
                if b is not None:
                    b.update(status="cancelled", updatedAt=fmt_ms(now()),
                             cancellationReason=body.get("cancellationReason"))
            if b is None:
                return Response.json({"error": "unknown booking"}, 404)
            notified = self.fire("BOOKING_CANCELLED", b) if notify else []
            return Response.json({"booking": public(b), "notified": notified})
        if parts == ["bookings"] and m == "GET":
            with self.lock:
                owner = (self.config["keys"].get(args["key"], {}).get("email")
                         if args.get("key") else None)
                out = [dict(public(b), via=b["_via"]) for b in self.bookings.values()
                       if not args.get("key") or b["_owner"] == owner]
            return Response.json({"bookings": out})
        if parts == ["webhooks"] and m == "GET":
            with self.lock:
                return Response.json({"webhooks": [dict(w) for w in self.webhooks.values()]})
        if parts == ["deliveries"] and m == "GET":
            with self.lock:
                return Response.json({"deliveries": list(self.deliveries)})
        if parts == ["revoke"] and m == "POST":
            with self.lock:
                self.revoked.add(body.get("key"))
            return Response.json({"revoked": body.get("key")})
        if parts == ["notify"] and m == "POST":
            with self.lock:
                w = self.webhooks.get(body.get("webhook"))
                mine = [b for b in self.bookings.values() if w and b["_owner"] == w["email"]]
            if w is None:
                return Response.json({"error": "unknown webhook"}, 404)
            if mine:
                event = self.payload("BOOKING_CREATED", mine[-1])
            else:
                t = now().replace(microsecond=0) + timedelta(days=1)
                event = {"triggerEvent": "BOOKING_CREATED", "createdAt": fmt_ms(now()),
                         "payload": {"uid": "fake" + secrets.token_hex(8), "title": "Meeting",
                                     "startTime": fmt_ms(t), "endTime": fmt_ms(t + timedelta(hours=1)),
                                     "attendees": [], "organizer": {"email": w["email"]},
                                     "status": "ACCEPTED", "bookingId": 0}}
            return Response.json({"status": self.send(w, event, body.get("secret", w["secret"]))})
        return Response.json({"error": "no control endpoint %s %s" % (m, "/".join(parts))}, 404)
