"""Google OAuth 2.0 + Calendar v3 (PROVIDERS.md "Google"), mounted at /google: the gateway's
auth base and token base are /google, its calendar base /google/calendar/v3.

OAuth:
GET  /google/o/oauth2/v2/auth?client_id&redirect_uri&response_type=code&scope&access_type
     &prompt&state -> 200 consent page ("Sign in – Google Accounts (fake)"): a form POSTing to
     /google/o/oauth2/v2/auth/decide with hidden client_id, redirect_uri, scope, state, a text
     input `email` (id email, label "Account", value config default_account) and buttons
     decision=allow (id allow) / decision=deny (id deny).
     Unknown client, response_type != code, missing state -> 400 HTML "Error 400: invalid_request";
     redirect_uri not registered -> 400 HTML "Error 400: redirect_uri_mismatch". No redirect.
POST /google/o/oauth2/v2/auth/decide (form) -> 302 redirect_uri?code&scope&state (allow: code
     bound to client, redirect_uri, account; 10 minutes; single use)
     or redirect_uri?error=access_denied&state (deny)
POST /google/token (form; client credentials in the form or HTTP Basic)
     grant_type=authorization_code&code&client_id&client_secret&redirect_uri
       -> 200 {"access_token", "expires_in": access_ttl, "token_type": "Bearer", "scope",
          "refresh_token"}
     grant_type=refresh_token&refresh_token&client_id&client_secret -> the same, no refresh_token
     401 {"error": "invalid_client", "error_description": "The OAuth client was not found."}
     400 invalid_grant "Bad Request" (unknown / used / expired code, other redirect_uri),
         invalid_grant "Token has been expired or revoked." (refresh token revoked or unknown),
         invalid_request "Missing required parameter: X", unsupported_grant_type
POST /google/revoke?token=T (or form token=T) -> 200 {}: the grant (refresh token and all its
     access tokens) stops working; unknown or revoked -> 400 {"error": "invalid_token", ...}

Calendar (Authorization: Bearer <access token>; else 401 Google's authError body). Each account
has its primary calendar, id = the email ("primary" is an alias), and the secondary calendars
the control API adds; any other id -> 404 notFound.
Each call needs a scope of the grant (else 403 insufficientPermissions, "Request had
insufficient authentication scopes."): the calendar list calendar(.readonly) or
calendar.calendarlist(.readonly); freeBusy calendar(.readonly), calendar.freebusy or
calendar.events.freebusy; events and their watch calendar or calendar.events (reads also
calendar.readonly, calendar.events.readonly).
GET    /google/calendar/v3/users/me/calendarList -> {"kind": "calendar#calendarList", "items": [..]}
       (the primary first, with "primary": true, then the secondary ones; each with its
       "timeZone")
GET    /google/calendar/v3/calendars/{cal}/events[?maxResults] -> {"kind": "calendar#events",
       "summary": the calendar's name (the account's address), "timeZone", "items": [events, by
       start, at most maxResults]}
POST   /google/calendar/v3/freeBusy {"timeMin", "timeMax", "items": [{"id"}]}
       -> {"kind": "calendar#freeBusy", "timeMin", "timeMax", "calendars": {id: {"busy": [{"start",
          "end"}]}}}: each asked calendar's confirmed opaque events overlapping [timeMin,
          timeMax) that the account did not decline, clipped, merged, sorted, UTC "Z" without
          fractions (an all-day event: its dates at midnight in its calendar's zone); unknown
          id -> {"errors": [notFound], "busy": []};
          400 badRequest for missing/invalid times or timeMax <= timeMin
POST   /google/calendar/v3/calendars/{cal}/events[?sendUpdates=all|none] -> 200 event resource;
       400 "required" (missing start/end) or "timeRangeEmpty" (end <= start)
GET    /google/calendar/v3/calendars/{cal}/events/{id} -> event (deleted: status "cancelled");
       404 notFound
PUT    /google/calendar/v3/calendars/{cal}/events/{id} -> event replaced, sequence + 1
PATCH  /google/calendar/v3/calendars/{cal}/events/{id} -> event merged, sequence + 1
       (both: 404 unknown, 410 "deleted" when cancelled)
DELETE /google/calendar/v3/calendars/{cal}/events/{id} -> 204; 410 already deleted; 404 unknown
POST   /google/calendar/v3/calendars/{cal}/events/watch {"id", "type": "web_hook", "address",
       "token"?, "params"?: {"ttl"}} -> 200 {"kind": "api#channel", "id", "resourceId" (stable per
       calendar), "resourceUri", "token"?, "expiration": "<ms, a string>"}; ttl capped at
       max_channel_ttl; 400 channelIdNotUnique / invalid type or address. Right after the
       answer (in a background thread, like Google) the channel gets its `sync` notification.
POST   /google/calendar/v3/channels/stop {"id", "resourceId"} -> 204; 404 unknown pair
Changes made through this API notify nobody; the control API's changes do (as the person's own
edits in Google Calendar would).

Notifications: POST, empty body, to every unexpired, unstopped channel of the calendar, headers
X-Goog-Channel-ID, X-Goog-Channel-Token (when the channel has one), X-Goog-Channel-Expiration
(RFC 1123), X-Goog-Resource-ID, X-Goog-Resource-URI, X-Goog-Resource-State (sync, then exists),
X-Goog-Message-Number (1 for sync, then increasing per channel). A *.localhost address is
reached on 127.0.0.1 with the original Host header.

Test control (no auth; works during an outage):
POST   /google/_control/calendars {"account", "id", "summary", "timeZone"?, "accessRole"?
       ("owner"; "writer", "reader", "freeBusyReader": shared with the account)} -> 201: a
       secondary calendar of the account, listed with that accessRole
POST   /google/_control/events {"account", "start", "end" | "date", "end_date" (all day),
       "calendar"? (the primary), "summary"?, "transparency"?, "declined"? (the account declined
       it), "notify"? (true)} -> 201 {"event", "notified": [{"channel", "status"}]}: the
       channels watching that calendar are notified
DELETE /google/_control/events/{id}[?notify=0] -> 200 {"notified": [...]} (the person deletes it)
PATCH  /google/_control/events/{id} {"start", "end", "notify"? (true)} -> 200 {"event",
       "notified"} (the person moves it)
GET    /google/_control/events[?account=] -> {"events": [every event, cancelled too, each with
       "account", "sendUpdates" besides the resource fields]}
GET    /google/_control/channels -> {"channels": [{"id", "resourceId", "token", "address",
       "expiration", "stopped", "account", "calendarId", "deliveries": [{"state", "status"}]}]}
POST   /google/_control/revoke {"account"} -> {"revoked": n}: every token of the account dies
POST   /google/_control/expire_access {"account"} -> {"expired": n}: the account's access tokens
       answer 401 from now on (Google invalidated them early), its refresh tokens still work
POST   /google/_control/notify {"channel", "token"?} -> {"status"}: one `exists` notification,
       with another token when given

Configuration (POST /_fakes/google/config):
  clients          {client_id: {"secret", "redirect_uris": [..]}}; [] = any http(s) uri
  default_account  the consent page's prefilled email (pro@example.com)
  default_timezone calendar time zone (America/Bogota)
  access_ttl       access token lifetime, s (3599)
  max_channel_ttl  cap of a watch channel's ttl, s (604800)
  status           when set, every non-_control answer has this status (an outage)
  delay            seconds every non-_control answer waits first: a slow Google (default 0)
  conference_fail  true: a Meet createRequest ends in status "failure" (no room, no hangoutLink)

Meet rooms: conferenceData.createRequest {requestId, conferenceSolutionKey.type "hangoutsMeet"}
is read only with the query conferenceDataVersion=1 (without it Google ignores conferenceData:
the event has none); then the event gets conferenceData (status success, a video entry point)
and hangoutLink, one room per event and requestId, each room's URL unique.
"""
import base64
import secrets
import threading
import time
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlencode

from base import Fake, Response
from calendar_common import (pkce_challenge_ok, pkce_refusal, form_of, json_object_of, consent_page, deliver, error_page, fmt_ms, fmt_z, in_background,
                             now, overlaps, parse_local, parse_time, rfc1123, utc, zone)

CAL_BASE = "https://www.googleapis.com/calendar/v3"
CODE_TTL = 600


def gerror(status, reason, message, **extra):
    err = {"domain": "global", "reason": reason, "message": message}
    err.update(extra)
    return Response.json({"error": {"code": status, "message": message, "errors": [err]}}, status)


def not_found():
    return gerror(404, "notFound", "Not Found")


def gone():
    return gerror(410, "deleted", "Resource has been deleted")


def bad_request(message="Bad Request", reason="badRequest"):
    return gerror(400, reason, message)


def unauthenticated():
    return Response.json({"error": {
        "code": 401, "message": "Request had invalid authentication credentials.",
        "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError",
                    "location": "Authorization", "locationType": "header"}],
        "status": "UNAUTHENTICATED"}}, 401)


def oauth_error(status, error, description):
    return Response.json({"error": error, "error_description": description}, status)


def html(status, body):
    return Response(status, body, content_type="text/html; charset=utf-8")


def add_query(url, params):
    return url + ("&" if "?" in url else "?") + urlencode(params, quote_via=quote)


def merge(intervals):
    out = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


class GoogleFake(Fake):
    name = "google"
    defaults = {
        "clients": {"konfirmado-test.apps.googleusercontent.com": {
            "secret": "google-test-secret", "redirect_uris": []}},
        "default_account": "pro@example.com",
        "default_timezone": "America/Bogota",
        "access_ttl": 3599,
        "max_channel_ttl": 604800,
        "status": None,
        "delay": 0,
        "conference_fail": False,
    }

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.clear()

    def clear(self):
        self.codes = {}          # code -> {client_id, redirect_uri, account, scope, expires, used}
        self.grants = {}         # refresh token -> {client_id, account, scope, revoked}
        self.access = {}         # access token -> {refresh, account, expires, revoked}
        self.events = {}         # id -> {"account", "resource", "start", "end", "sendUpdates"}
        self.channels = {}       # id -> channel record
        self.resource_ids = {}   # calendar (email) -> resourceId
        self.secondary = {}      # account -> {calendar id: {"summary", "timeZone"}}

    def reset(self):
        super().reset()
        with self.lock:
            self.clear()

    # ------------------------------------------------------------------ dispatch

    def handle(self, req):
        # path segments are percent-decoded, as Google does (a calendar id is an address)
        parts = [unquote(p) for p in req.subpath.split("/") if p]
        if parts[:1] == ["_control"]:
            return self.control(req, parts[1:])
        with self.lock:
            status, delay = self.config["status"], self.config["delay"]
        if delay:
            time.sleep(float(delay))
        if status:
            return gerror(int(status), "backendError", "Backend Error")
        m = req.method
        if parts == ["o", "oauth2", "v2", "auth"] and m in ("GET", "HEAD"):
            return self.authorize(req.args())
        if parts == ["o", "oauth2", "v2", "auth", "decide"] and m == "POST":
            return self.decide(form_of(req))
        if parts == ["token"] and m == "POST":
            return self.token(req)
        if parts == ["revoke"] and m in ("POST", "GET"):
            return self.revoke(req)
        if parts[:2] == ["calendar", "v3"]:
            account = self.bearer(req)
            if account is None:
                return unauthenticated()
            return self.calendar(req, m, parts[2:], account)
        return not_found()

    # ------------------------------------------------------------------ OAuth

    def check_client(self, client_id, redirect_uri):
        """None when fine, else the consent error page."""
        with self.lock:
            client = self.config["clients"].get(client_id or "")
        if client is None:
            return html(400, error_page("Error 400: invalid_request", "Error 400: invalid_request",
                                        "The OAuth client was not found."))
        allowed = client.get("redirect_uris") or []
        ok = (redirect_uri in allowed) if allowed else \
            (redirect_uri or "").startswith(("http://", "https://"))
        if not ok:
            return html(400, error_page("Error 400: redirect_uri_mismatch",
                                        "Error 400: redirect_uri_mismatch",
                                        "You can't sign in to this app because it doesn't comply "
                                        "with Google's OAuth 2.0 policy. redirect_uri=%s"
                                        % (redirect_uri or "")))
        return None

    def authorize(self, args):
        refused = self.check_client(args.get("client_id"), args.get("redirect_uri"))
        if refused:
            return refused
        if args.get("response_type") != "code" or not args.get("state"):
            return html(400, error_page("Error 400: invalid_request", "Error 400: invalid_request",
                                        "response_type must be code and state is required"))
        if not pkce_challenge_ok(args.get("code_challenge"), args.get("code_challenge_method")):
            return html(400, error_page("Error 400: invalid_request", "Error 400: invalid_request",
                                        "Invalid code_challenge_method or code_challenge"))
        with self.lock:
            account = self.config["default_account"]
        page = consent_page("Sign in – Google Accounts (fake)", "Sign in with Google (fake)",
                            "/google/o/oauth2/v2/auth/decide",
                            {k: args.get(k, "") for k in ("client_id", "redirect_uri", "scope",
                                                          "state", "code_challenge",
                                                          "code_challenge_method")},
                            account, args.get("client_id"), args.get("scope"))
        return html(200, page)

    def decide(self, form):
        refused = self.check_client(form.get("client_id"), form.get("redirect_uri"))
        if refused:
            return refused
        redirect, state = form["redirect_uri"], form.get("state", "")
        if form.get("decision") != "allow":
            return Response(302, "", headers=[("Location", add_query(
                redirect, [("error", "access_denied"), ("state", state)]))])
        code = "4/0A" + secrets.token_urlsafe(32)
        with self.lock:
            self.codes[code] = {"client_id": form["client_id"], "redirect_uri": redirect,
                                "account": (form.get("email") or self.config["default_account"]).strip(),
                                "scope": form.get("scope", ""), "expires": time.time() + CODE_TTL,
                                "used": False, "challenge": form.get("code_challenge") or None,
                                "method": form.get("code_challenge_method") or None}
        return Response(302, "", headers=[("Location", add_query(
            redirect, [("code", code), ("scope", form.get("scope", "")), ("state", state)]))])

    def token(self, req):
        form = form_of(req)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = req.header("Authorization", "")
        if auth.startswith("Basic ") and not secret:
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                pass
        with self.lock:
            client = self.config["clients"].get(client_id or "")
            ttl = int(self.config["access_ttl"])
        if client is None or client.get("secret") != secret:
            return oauth_error(401, "invalid_client", "The OAuth client was not found.")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            for name in ("code", "redirect_uri"):
                if not form.get(name):
                    return oauth_error(400, "invalid_request", "Missing required parameter: " + name)
            with self.lock:
                code = self.codes.get(form["code"])
                if (code is None or code["used"] or code["expires"] < time.time()
                        or code["client_id"] != client_id
                        or code["redirect_uri"] != form["redirect_uri"]):
                    return oauth_error(400, "invalid_grant", "Bad Request")
                refused = pkce_refusal(code["challenge"], code["method"], form.get("code_verifier"))
                if refused:
                    return oauth_error(400, "invalid_grant", refused)
                code["used"] = True
                refresh = "1//0" + secrets.token_urlsafe(40)
                self.grants[refresh] = {"client_id": client_id, "account": code["account"],
                                        "scope": code["scope"], "revoked": False}
                access = self.new_access(refresh, code["account"], ttl)
            return Response.json({"access_token": access, "expires_in": ttl,
                                  "token_type": "Bearer", "scope": code["scope"],
                                  "refresh_token": refresh})
        if grant == "refresh_token":
            if not form.get("refresh_token"):
                return oauth_error(400, "invalid_request", "Missing required parameter: refresh_token")
            with self.lock:
                g = self.grants.get(form["refresh_token"])
                if g is None or g["revoked"]:
                    return oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
                if g["client_id"] != client_id:
                    return oauth_error(401, "unauthorized_client", "Unauthorized")
                access = self.new_access(form["refresh_token"], g["account"], ttl)
            return Response.json({"access_token": access, "expires_in": ttl,
                                  "token_type": "Bearer", "scope": g["scope"]})
        if not grant:
            return oauth_error(400, "unsupported_grant_type", "Invalid grant_type: ")
        return oauth_error(400, "unsupported_grant_type", "Invalid grant_type: " + grant)

    def new_access(self, refresh, account, ttl):
        """Under self.lock."""
        token = "ya29.a0" + secrets.token_urlsafe(48)
        self.access[token] = {"refresh": refresh, "account": account,
                              "expires": time.time() + ttl, "revoked": False}
        return token

    def revoke(self, req):
        token = req.args().get("token") or form_of(req).get("token")
        with self.lock:
            if token in self.access and not self.access[token]["revoked"]:
                refresh = self.access[token]["refresh"]
                self.access[token]["revoked"] = True
            elif token in self.grants and not self.grants[token]["revoked"]:
                refresh = token
            else:
                return oauth_error(400, "invalid_token", "Token expired or revoked")
            self.grants[refresh]["revoked"] = True
            for a in self.access.values():
                if a["refresh"] == refresh:
                    a["revoked"] = True
        return Response.json({})

    def bearer(self, req):
        """The account of a valid access token, else None."""
        auth = req.header("Authorization", "")
        if not auth.startswith("Bearer "):
            return None
        with self.lock:
            a = self.access.get(auth[7:].strip())
            if a is None or a["revoked"] or a["expires"] < time.time():
                return None
            g = self.grants.get(a["refresh"])
            if g is not None and g["revoked"]:
                return None
            return a["account"]

    # ------------------------------------------------------------------ Calendar API

    def granted(self, req):
        """The scopes of the bearer's grant (called after bearer() accepted it)."""
        with self.lock:
            a = self.access.get(req.header("Authorization", "")[7:].strip()) or {}
            g = self.grants.get(a.get("refresh")) or {}
            return set((g.get("scope") or "").split())

    def scope_refusal(self, req, m, parts):
        """403 when the grant's scopes do not cover the call, else None."""
        base = "https://www.googleapis.com/auth/"
        if parts == ["users", "me", "calendarList"]:
            need = ("calendar", "calendar.readonly", "calendar.calendarlist",
                    "calendar.calendarlist.readonly")
        elif parts == ["freeBusy"]:
            need = ("calendar", "calendar.readonly", "calendar.freebusy", "calendar.events.freebusy")
        elif parts[:1] == ["calendars"]:
            need = ("calendar", "calendar.events")
            if m == "GET":
                need += ("calendar.readonly", "calendar.events.readonly")
        else:
            return None
        if self.granted(req) & {base + n for n in need}:
            return None
        return Response.json({"error": {"code": 403, "message": "Request had insufficient "
                                        "authentication scopes.", "errors": [{
                                            "message": "Insufficient Permission", "domain": "global",
                                            "reason": "insufficientPermissions"}],
                                        "status": "PERMISSION_DENIED"}}, 403)

    def calendar_of(self, account, cal_id):
        """The calendar id `cal_id` names for the account (the primary's is the account), or
        None when the account has no such calendar."""
        if cal_id in ("primary", account):
            return account
        with self.lock:
            return cal_id if cal_id in self.secondary.get(account, {}) else None

    def calendar_of_locked(self, account, cal_id):
        if cal_id in ("primary", account):
            return account
        return cal_id if cal_id in self.secondary.get(account, {}) else None

    def zone_of(self, account, cal):
        with self.lock:
            own = self.secondary.get(account, {}).get(cal, {}).get("timeZone")
            return own or self.config["default_timezone"]

    def calendar(self, req, m, parts, account):
        refused = self.scope_refusal(req, m, parts)
        if refused:
            return refused
        if parts == ["users", "me", "calendarList"] and m == "GET":
            with self.lock:
                tz = self.config["default_timezone"]
                others = dict(self.secondary.get(account, {}))
            items = [{"kind": "calendar#calendarListEntry", "id": account, "summary": account,
                      "timeZone": tz, "accessRole": "owner", "primary": True, "selected": True}]
            items += [{"kind": "calendar#calendarListEntry", "id": cid, "summary": c["summary"],
                       "timeZone": c.get("timeZone") or tz,
                       "accessRole": c.get("accessRole") or "owner"}
                      for cid, c in others.items()]
            return Response.json({"kind": "calendar#calendarList",
                                  "etag": "\"p33cfp1ugt2mbk0g\"", "items": items})
        if parts == ["freeBusy"] and m == "POST":
            return self.freebusy(req, account)
        if parts == ["channels", "stop"] and m == "POST":
            return self.stop(req, account)
        if len(parts) >= 3 and parts[0] == "calendars" and parts[2] == "events":
            cal_id = parts[1]
            cal = self.calendar_of(account, cal_id)
            if cal is None:
                return not_found()
            rest = parts[3:]
            if rest == [] and m == "POST":
                return self.insert(req, account, cal)
            if rest == [] and m == "GET":
                return self.list_events(req, account)
            if rest == ["watch"] and m == "POST":
                return self.watch(req, account, cal_id)
            if len(rest) == 1:
                if m == "GET":
                    return self.get_event(account, rest[0])
                if m in ("PUT", "PATCH"):
                    return self.update(req, account, rest[0], m == "PATCH")
                if m == "DELETE":
                    return self.delete(account, rest[0])
        return not_found()

    def list_events(self, req, account):
        try:
            top = max(1, min(2500, int(req.args().get("maxResults") or 250)))
        except ValueError:
            return bad_request("Invalid value for maxResults", "invalid")
        with self.lock:
            tz = self.config["default_timezone"]
            mine = sorted((e for e in self.events.values() if e["account"] == account),
                          key=lambda e: e["start"])
            items = [e["resource"] for e in mine[:top]]
        return Response.json({"kind": "calendar#events", "summary": account, "timeZone": tz,
                              "accessRole": "owner", "items": items})

    def freebusy(self, req, account):
        body = json_object_of(req)
        if body is None:
            return bad_request("Parse Error", "parseError")
        lo, hi = parse_time(body.get("timeMin")), parse_time(body.get("timeMax"))
        if lo is None or hi is None or hi <= lo:
            return bad_request()
        calendars = {}
        with self.lock:
            events = [e for e in self.events.values() if e["account"] == account]
        for item in body.get("items") or []:
            cal_id = (item or {}).get("id", "")
            cal = self.calendar_of(account, cal_id)
            if cal is None:
                calendars[cal_id] = {"errors": [{"domain": "global", "reason": "notFound"}],
                                     "busy": []}
                continue
            busy = [(max(e["start"], lo), min(e["end"], hi)) for e in events
                    if e.get("calendar", account) == cal
                    and e["resource"]["status"] != "cancelled"
                    and e["resource"].get("transparency") != "transparent"
                    and not any(a.get("self") and a.get("responseStatus") == "declined"
                                for a in e["resource"].get("attendees") or [])
                    and overlaps(e["start"], e["end"], lo, hi)]
            calendars[cal_id] = {"busy": [{"start": fmt_z(s), "end": fmt_z(e)}
                                          for s, e in merge(busy)]}
        return Response.json({"kind": "calendar#freeBusy", "timeMin": fmt_ms(lo),
                              "timeMax": fmt_ms(hi), "calendars": calendars})

    def times(self, res, default_tz=None):
        """(start, end, None) in UTC from an event resource, or (None, None, error response);
        a date alone is midnight in default_tz (the calendar's zone)."""
        with self.lock:
            default_tz = default_tz or self.config["default_timezone"]
        out = []
        for name in ("start", "end"):
            t = res.get(name)
            if not isinstance(t, dict) or not (t.get("dateTime") or t.get("date")):
                return None, None, gerror(400, "required", "Missing %s time." % name)
            if t.get("dateTime"):
                dt = parse_local(t["dateTime"], t.get("timeZone") or None)
                if dt is None or (t.get("timeZone") and zone(t["timeZone"]) is None):
                    return None, None, bad_request("Invalid %s time." % name, "invalid")
            else:
                try:
                    d = datetime.strptime(t["date"], "%Y-%m-%d")
                except ValueError:
                    return None, None, bad_request("Invalid %s time." % name, "invalid")
                dt = d.replace(tzinfo=zone(t.get("timeZone") or default_tz) or timezone.utc)
            out.append(utc(dt))
        if out[1] <= out[0]:
            return None, None, gerror(400, "timeRangeEmpty", "The specified time range is empty.",
                                      locationType="parameter", location="end.dateTime")
        return out[0], out[1], None

    def new_event(self, account, body, send_updates=None, cal=None):
        cal = cal or account
        start, end, err = self.times(body, self.zone_of(account, cal))
        if err:
            return None, err
        ts = fmt_ms(now())
        eid = "".join(secrets.choice("abcdefghijklmnopqrstuv0123456789") for _ in range(26))
        res = {k: v for k, v in body.items() if k not in ("id", "kind", "etag", "status",
                                                         "htmlLink", "created", "updated",
                                                         "iCalUID", "sequence", "organizer",
                                                         "creator")}
        res.update({
            "kind": "calendar#event", "etag": "\"%d\"" % int(time.time() * 1000), "id": eid,
            "status": "confirmed",
            "htmlLink": "https://www.google.com/calendar/event?eid=" + base64.urlsafe_b64encode(
                ("%s %s" % (eid, account)).encode()).decode().rstrip("="),
            "created": ts, "updated": ts,
            "summary": body.get("summary", ""), "description": body.get("description", ""),
            "creator": {"email": account, "self": True},
            "organizer": {"email": account, "self": True},
            "start": body["start"], "end": body["end"],
            "iCalUID": eid + "@google.com", "sequence": 0,
            "attendees": [dict({"responseStatus": "needsAction"}, **a)
                          for a in body.get("attendees") or []],
            "reminders": body.get("reminders", {"useDefault": True}),
            "eventType": "default",
        })
        if not res["attendees"]:
            del res["attendees"]
        rec = {"account": account, "resource": res, "start": start, "end": end,
               "sendUpdates": send_updates, "calendar": cal}
        with self.lock:
            self.events[eid] = rec
        return rec, None

    def conference(self, req, asked, old=None):
        """The event's conferenceData after a write asking `asked` (None: not asked): kept
        from `old`, made (or refused), or absent when conferenceDataVersion is not 1."""
        if req.args().get("conferenceDataVersion") != "1" or not isinstance(asked, dict):
            return old
        create = asked.get("createRequest")
        if not isinstance(create, dict):
            return old
        key = (create.get("conferenceSolutionKey") or {}).get("type")
        if not create.get("requestId") or key != "hangoutsMeet":
            return old
        if old and old.get("createRequest", {}).get("requestId") == create["requestId"]:
            return old
        if self.config.get("conference_fail"):
            return {"createRequest": dict(create, status={"statusCode": "failure"})}
        code = "-".join("".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))
                        for n in (3, 4, 3))
        return {"createRequest": dict(create, status={"statusCode": "success"}),
                "entryPoints": [{"entryPointType": "video", "uri": "https://meet.google.com/" + code,
                                 "label": "meet.google.com/" + code}],
                "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
                "conferenceId": code}

    @staticmethod
    def with_conference(res, conf):
        res = {k: v for k, v in res.items() if k not in ("conferenceData", "hangoutLink")}
        if conf:
            res["conferenceData"] = conf
            for ep in conf.get("entryPoints") or []:
                if ep.get("entryPointType") == "video":
                    res["hangoutLink"] = ep["uri"]
        return res

    def insert(self, req, account, cal):
        body = json_object_of(req)
        if body is None:
            return bad_request("Parse Error", "parseError")
        rec, err = self.new_event(account, body, req.args().get("sendUpdates"), cal)
        if err:
            return err
        with self.lock:
            rec["resource"] = self.with_conference(
                rec["resource"], self.conference(req, body.get("conferenceData")))
        return Response.json(rec["resource"])

    def find(self, account, eid):
        with self.lock:
            rec = self.events.get(eid)
        return rec if rec and rec["account"] == account else None

    def get_event(self, account, eid):
        rec = self.find(account, eid)
        if rec is None:
            return not_found()
        with self.lock:
            return Response.json(dict(rec["resource"]))

    def update(self, req, account, eid, patch):
        rec = self.find(account, eid)
        if rec is None:
            return not_found()
        body = json_object_of(req)
        if body is None:
            return bad_request("Parse Error", "parseError")
        with self.lock:
            if rec["resource"]["status"] == "cancelled":
                return gone()
            old = rec["resource"]
        fixed = {k: old[k] for k in ("kind", "id", "htmlLink", "created", "iCalUID", "creator",
                                     "organizer", "eventType")}
        if patch:
            new = dict(old)
            new.update(body)
        else:
            new = dict(body)
            new.setdefault("summary", "")
        new.update(fixed)
        start, end, err = self.times(new)
        if err:
            return err
        new = self.with_conference(new, self.conference(req, body.get("conferenceData"),
                                                        old.get("conferenceData")))
        new["status"] = "confirmed"
        new["sequence"] = old.get("sequence", 0) + 1
        new["updated"] = fmt_ms(now())
        new["etag"] = "\"%d\"" % int(time.time() * 1000)
        if "attendees" in body:
            new["attendees"] = [dict({"responseStatus": "needsAction"}, **a)
                                for a in body.get("attendees") or []]
        with self.lock:
            rec.update(resource=new, start=start, end=end)
            if req.args().get("sendUpdates"):
                rec["sendUpdates"] = req.args()["sendUpdates"]
        return Response.json(new)

    def cancel(self, rec):
        """Under self.lock: mark deleted. False when it already was."""
        if rec["resource"]["status"] == "cancelled":
            return False
        rec["resource"] = dict(rec["resource"], status="cancelled", updated=fmt_ms(now()),
                               sequence=rec["resource"].get("sequence", 0) + 1)
        return True

    def delete(self, account, eid):
        rec = self.find(account, eid)
        if rec is None:
            return not_found()
        with self.lock:
            if not self.cancel(rec):
                return gone()
        return Response(204)

    # ------------------------------------------------------------------ push channels

    def watch(self, req, account, cal_id):
        body = json_object_of(req)
        if body is None:
            return bad_request("Parse Error", "parseError")
        cid, address = body.get("id"), body.get("address") or ""
        if not cid:
            return gerror(400, "required", "Required")
        if body.get("type") not in ("web_hook", "webhook"):
            return bad_request("Invalid value for: type", "invalid")
        if not address.startswith(("http://", "https://")):
            return gerror(400, "push.webhookUrlNotHttps",
                          "WebHook callback must be HTTPS: " + address)
        with self.lock:
            max_ttl = int(self.config["max_channel_ttl"])
        try:
            ttl = int((body.get("params") or {}).get("ttl", max_ttl))
        except (TypeError, ValueError):
            return bad_request("Invalid value for: ttl", "invalid")
        ttl = max(1, min(ttl, max_ttl))
        with self.lock:
            if cid in self.channels:
                return gerror(400, "channelIdNotUnique", "Channel id %s not unique" % cid)
            rid = self.resource_ids.setdefault(account, secrets.token_urlsafe(20)[:27])
            ch = {"id": cid, "resourceId": rid,
                  "resourceUri": "%s/calendars/%s/events?alt=json" % (CAL_BASE, quote(cal_id, safe="")),
                  "token": body.get("token"), "address": address,
                  "expiration": int((time.time() + ttl) * 1000), "stopped": False,
                  "account": account, "calendarId": cal_id, "number": 0, "deliveries": [],
                  "synced": threading.Event()}
            self.channels[cid] = ch
        out = {"kind": "api#channel", "id": cid, "resourceId": rid,
               "resourceUri": ch["resourceUri"], "expiration": str(ch["expiration"])}
        if ch["token"] is not None:
            out["token"] = ch["token"]
        in_background(lambda: self.notify_channel(ch, "sync"))
        return Response.json(out)

    def stop(self, req, account):
        body = json_object_of(req) or {}
        with self.lock:
            ch = self.channels.get(body.get("id"))
            if (ch is None or ch["stopped"] or ch["resourceId"] != body.get("resourceId")
                    or ch["account"] != account):
                return not_found()
            ch["stopped"] = True
        return Response(204)

    def notify_channel(self, ch, state, token=None):
        """Send one notification now; returns the receiver's status (None: unreachable)."""
        if state != "sync":
            ch["synced"].wait(2)        # the sync notification comes first
        with self.lock:
            ch["number"] = max(ch["number"], 1) + (0 if state == "sync" else 1)
            number = 1 if state == "sync" else ch["number"]
            token = ch["token"] if token is None else token
        headers = {
            "X-Goog-Channel-ID": ch["id"],
            "X-Goog-Channel-Expiration": rfc1123(datetime.fromtimestamp(ch["expiration"] / 1000,
                                                                        timezone.utc)),
            "X-Goog-Resource-ID": ch["resourceId"],
            "X-Goog-Resource-URI": ch["resourceUri"],
            "X-Goog-Resource-State": state,
            "X-Goog-Message-Number": str(number),
        }
        if token is not None:
            headers["X-Goog-Channel-Token"] = token
        got = deliver(ch["address"], "POST", b"", headers)
        if state == "sync":
            ch["synced"].set()
        with self.lock:
            ch["deliveries"].append({"state": state, "number": number, "status": got["status"],
                                     "error": got.get("error")})
        return got["status"]

    def notify_account(self, account, cal=None):
        """Notify the channels watching calendar `cal` of the account (None: every one)."""
        with self.lock:
            chans = [c for c in self.channels.values() if c["account"] == account
                     and (cal is None or self.calendar_of_locked(account, c["calendarId"]) == cal)
                     and not c["stopped"] and c["expiration"] > time.time() * 1000]
        return [{"channel": c["id"], "status": self.notify_channel(c, "exists")} for c in chans]

    # ------------------------------------------------------------------ control

    def control(self, req, parts):
        body = json_object_of(req) if req.method in ("POST", "PUT", "PATCH") else {}
        if body is None:
            return Response.json({"error": "body must be a JSON object"}, 400)
        args = req.args()
        m = req.method
        if parts == ["calendars"] and m == "POST":
            with self.lock:
                account = body.get("account") or self.config["default_account"]
                if not body.get("id") or not body.get("summary"):
                    return Response.json({"error": "id and summary are required"}, 400)
                if body.get("accessRole") not in (None, "freeBusyReader", "reader", "writer",
                                                  "owner"):
                    return Response.json({"error": "unknown accessRole"}, 400)
                self.secondary.setdefault(account, {})[body["id"]] = {
                    "summary": body["summary"], "timeZone": body.get("timeZone"),
                    "accessRole": body.get("accessRole")}
            return Response.json({"calendar": body["id"]}, 201)
        if parts == ["events"] and m == "POST":
            with self.lock:
                account = body.get("account") or self.config["default_account"]
            cal = self.calendar_of(account, body.get("calendar") or account)
            if cal is None:
                return Response.json({"error": "unknown calendar"}, 404)
            if body.get("date"):
                res = {"start": {"date": body["date"]},
                       "end": {"date": body.get("end_date") or body["date"]}}
            else:
                start, end = parse_time(body.get("start")), parse_time(body.get("end"))
                if start is None or end is None:
                    return Response.json({"error": "start and end must be RFC 3339 with an offset"},
                                         400)
                res = {"start": {"dateTime": body["start"]}, "end": {"dateTime": body["end"]}}
            res["summary"] = body.get("summary", "Busy")
            if body.get("transparency"):
                res["transparency"] = body["transparency"]
            if body.get("declined"):
                res["attendees"] = [{"email": account, "self": True, "responseStatus": "declined"}]
            rec, err = self.new_event(account, res, cal=cal)
            if err:
                return err
            notified = self.notify_account(account, cal) if body.get("notify", True) else []
            return Response.json({"event": rec["resource"], "notified": notified}, 201)
        if len(parts) == 2 and parts[0] == "events" and m == "DELETE":
            with self.lock:
                rec = self.events.get(parts[1])
                if rec is None:
                    return Response.json({"error": "unknown event"}, 404)
                self.cancel(rec)
            notify = args.get("notify", "1") not in ("0", "false", "no")
            return Response.json({"notified": self.notify_account(rec["account"], rec.get("calendar"))
                                  if notify else []})
        if len(parts) == 2 and parts[0] == "events" and m == "PATCH":
            start, end = parse_time(body.get("start")), parse_time(body.get("end"))
            with self.lock:
                rec = self.events.get(parts[1])
                if rec is None or start is None or end is None or end <= start:
                    return Response.json({"error": "unknown event or bad times"}, 400)
                rec["start"], rec["end"] = start, end
                res = dict(rec["resource"], start={"dateTime": body["start"]},
                           end={"dateTime": body["end"]},
                           sequence=rec["resource"].get("sequence", 0) + 1, updated=fmt_ms(now()))
                rec["resource"] = res
            return Response.json({"event": res, "notified": self.notify_account(
                rec["account"], rec.get("calendar")) if body.get("notify", True) else []})
        if parts == ["events"] and m == "GET":
            with self.lock:
                out = [dict(r["resource"], account=r["account"], sendUpdates=r["sendUpdates"])
                       for r in self.events.values()
                       if not args.get("account") or r["account"] == args["account"]]
            return Response.json({"events": out})
        if parts == ["channels"] and m == "GET":
            with self.lock:
                out = [{k: (list(v) if k == "deliveries" else v) for k, v in c.items()
                        if k not in ("number", "synced")} for c in self.channels.values()]
            for c in out:
                c["expiration"] = str(c["expiration"])
            return Response.json({"channels": out})
        if parts == ["expire_access"] and m == "POST":
            n = 0
            with self.lock:
                for a in self.access.values():
                    if a["account"] == body.get("account") and a["expires"] > time.time():
                        a["expires"], n = 0, n + 1
            return Response.json({"expired": n})
        if parts == ["revoke"] and m == "POST":
            n = 0
            with self.lock:
                for g in self.grants.values():
                    if g["account"] == body.get("account") and not g["revoked"]:
                        g["revoked"], n = True, n + 1
                for a in self.access.values():
                    if a["account"] == body.get("account"):
                        a["revoked"] = True
            return Response.json({"revoked": n})
        if parts == ["notify"] and m == "POST":
            with self.lock:
                ch = self.channels.get(body.get("channel"))
            if ch is None:
                return Response.json({"error": "unknown channel"}, 404)
            return Response.json({"status": self.notify_channel(ch, "exists", body.get("token"))})
        return Response.json({"error": "no control endpoint %s %s" % (m, "/".join(parts))}, 404)
