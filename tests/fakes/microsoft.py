"""Microsoft identity platform + Graph (PROVIDERS.md "Microsoft identity platform + Graph"),
mounted at /microsoft: the gateway's login base is /microsoft (so /microsoft/common/oauth2/v2.0/…)
and its Graph base /microsoft/v1.0. The tenant segment may be common, organizations, consumers
or a tenant id: all behave alike.

Identity platform:
GET  /microsoft/{tenant}/oauth2/v2.0/authorize?client_id&response_type=code&redirect_uri
     &response_mode=query&scope&state -> 200 consent page ("Sign in to your account (fake)"):
     a form POSTing to /microsoft/{tenant}/oauth2/v2.0/authorize/decide with hidden client_id,
     redirect_uri, scope, state, response_mode, a text input `email` (id email, label "Account",
     value config default_account) and buttons decision=allow / decision=deny (ids allow, deny).
     Unknown client -> 400 HTML "AADSTS700016…"; redirect_uri not registered -> 400 HTML
     "AADSTS50011…"; response_type != code -> 400 HTML "AADSTS900144…". No redirect.
POST /microsoft/{tenant}/oauth2/v2.0/authorize/decide (form) -> 302 redirect_uri?code&state
     (allow; 10 minutes, single use) or ?error=access_denied&error_description=…&state (deny)
POST /microsoft/{tenant}/oauth2/v2.0/token (form)
     grant_type=authorization_code&code&redirect_uri&client_id&client_secret&scope
     grant_type=refresh_token&refresh_token&client_id&client_secret&scope
       -> 200 {"token_type": "Bearer", "scope": "Calendars.ReadWrite offline_access",
          "expires_in": access_ttl, "ext_expires_in": access_ttl, "access_token",
          "refresh_token" (only when the consented scope had offline_access)}
     Every refresh returns a NEW refresh_token and the old one dies (reused -> invalid_grant).
     Errors {"error", "error_description": "AADSTSn: …\\r\\nTrace ID: …\\r\\nCorrelation ID: …
     \\r\\nTimestamp: …", "error_codes": [n], "timestamp", "trace_id", "correlation_id",
     "error_uri"}: 400 invalid_grant 70008 (bad, used, expired, rotated or revoked code or
     refresh token, other redirect_uri), 401 invalid_client 7000215 (wrong secret),
     400 unauthorized_client 700016 (unknown client), 400 invalid_request 900144 (missing
     parameter), 400 unsupported_grant_type 70003.

Graph (Authorization: Bearer <access token>; else 401 {"error": {"code":
"InvalidAuthenticationToken", "message": "Access token is empty." | "Lifetime validation failed,
the token is expired.", "innerError": {"date", "request-id", "client-request-id"}}}):
GET    /microsoft/v1.0/me -> {"id", "displayName", "mail", "userPrincipalName", …}
GET    /microsoft/v1.0/me/calendar -> {"id", "name", "owner": {"name", "address"}, …}
GET    /microsoft/v1.0/me/calendars -> {"value": [{"id", "name", "isDefaultCalendar", "canEdit",
       "owner"}]}: the default calendar ("Calendar") and the ones the control API added
GET    /microsoft/v1.0/me/calendars/{id}/calendarView?… -> as below, that calendar's events
POST   /microsoft/v1.0/me/calendars/{id}/events -> as /me/events, in that calendar
       (an unknown calendar id: 404 ErrorItemNotFound)
GET    /microsoft/v1.0/me/calendarView?startDateTime&endDateTime[&$top&$skip&$select]
       -> {"@odata.context", "value": [{"id", "subject", "isCancelled": false, "showAs", "start":
          {"dateTime": "2026-12-01T14:00:00.0000000", "timeZone": "UTC"}, "end", …}],
          "@odata.nextLink"?}: events overlapping the window, by start, always in UTC (answered
          with Preference-Applied: outlook.timezone="UTC"), $top per page (default 10) and a
          nextLink back to this fake with $skip; 400 ErrorInvalidParameter without the window
POST   /microsoft/v1.0/me/events {"subject", "body", "start": {"dateTime", "timeZone"}, "end",
       "location"?, "attendees"?, "showAs"?} -> 201 event {"id", "subject", "body", "start",
       "end", "attendees", "showAs", "isCancelled": false, "webLink", "createdDateTime",
       "lastModifiedDateTime", "organizer", …}; 400 without start/end, end before start or an
       unknown time zone
GET    /microsoft/v1.0/me/events/{id} -> event
PATCH  /microsoft/v1.0/me/events/{id} -> 200 updated event
DELETE /microsoft/v1.0/me/events/{id} -> 204
       (unknown or deleted: 404 {"error": {"code": "ErrorItemNotFound", "message": "The
       specified object was not found in the store."}})
POST   /microsoft/v1.0/subscriptions {"changeType", "notificationUrl", "resource": "me/events"
       (the default calendar's events) | "me/calendars/{id}/events" (that calendar's),
       "expirationDateTime", "clientState"} -> first the validation handshake: POST
       notificationUrl?validationToken=<form-encoded token> (& when it has a query),
       Content-Type text/plain; charset=utf-8, empty body; it must answer 200 within 10 s,
       Content-Type text/plain…, body = the decoded token, else 400 ValidationError.
       Expiration in the past or more than max_subscription_minutes ahead -> 400 ExtensionError.
       Then 201 {"@odata.context", "id", "resource", "applicationId", "changeType",
       "clientState", "notificationUrl", "expirationDateTime", "creatorId", …}
GET    /microsoft/v1.0/subscriptions[/{id}] -> the caller's subscriptions / one
PATCH  /microsoft/v1.0/subscriptions/{id} {"expirationDateTime"} -> 200 subscription
DELETE /microsoft/v1.0/subscriptions/{id} -> 204 (kept for the control API, "deleted": true)
       (unknown, another user's, deleted or expired: 404 {"error": {"code": "ResourceNotFound",
       "message": "The object was not found."}})
Changes made through the Graph API notify nobody; the control API's changes do (as the person's
own edits in Outlook would).

Notifications: POST JSON, Content-Type application/json, to every unexpired subscription of the
account whose changeType lists the change: {"value": [{"subscriptionId",
"subscriptionExpirationDateTime", "clientState", "changeType", "resource":
"Users/{userId}/Events/{eventId}", "tenantId", "resourceData": {"@odata.type":
"#Microsoft.Graph.Event", "@odata.id": "Users/{userId}/Events/{eventId}", "@odata.etag":
"W/\\"…\\"", "id"}}]}. A *.localhost URL is reached on 127.0.0.1 with the original Host header.

Test control (no auth; works during an outage):
POST   /microsoft/_control/calendars {"account", "id", "name", "canEdit"? (true; false: shared
       with the mailbox to read)} -> 201: another calendar
POST   /microsoft/_control/events {"account", "start", "end" | "date", "end_date" (all day:
       isAllDay, midnight to midnight without a zone of its own), "calendar"? (the default),
       "subject"?, "showAs"? (busy), "declined"? (responseStatus declined), "notify"? (true)}
       -> 201 {"event", "notified": [{"subscription", "status"}]} (created)
DELETE /microsoft/_control/events/{id}[?notify=0] -> {"notified": [...]} (deleted)
PATCH  /microsoft/_control/events/{id} {"start", "end"} (UTC) -> {"event", "notified"} (moved)
GET    /microsoft/_control/events[?account=] -> {"events": [event + "account", "deleted"]}
GET    /microsoft/_control/subscriptions -> {"subscriptions": [subscription + "account", "deleted",
       "deliveries"]}
POST   /microsoft/_control/revoke {"account"} -> every token of the account dies
POST   /microsoft/_control/expire_access {"account"} -> {"expired": n}: the account's access
       tokens answer 401 from now on, its refresh tokens still work
POST   /microsoft/_control/notify {"subscription", "clientState"?, "event"?} -> {"status"}: one
       `updated` notification (about `event`, else the account's latest), with another
       clientState when given

Configuration (POST /_fakes/microsoft/config):
  clients                  {client_id: {"secret", "redirect_uris": [..]}}; [] = any http(s) uri
  default_account          the consent page's prefilled email (pro@contoso.example)
  access_ttl               access token lifetime, s (3599)
  max_subscription_minutes the longest subscription allowed (4230)
  status                   when set, every non-_control answer has this status (an outage)
  teams_fail               true: isOnlineMeeting gives no onlineMeeting (Teams not available)

Teams meetings: an event written with isOnlineMeeting true (onlineMeetingProvider
teamsForBusiness) gets onlineMeeting.joinUrl, one meeting per event, each URL unique.
"""
import base64
import json
import re
import secrets
import time
import uuid
from datetime import timedelta
from urllib.parse import quote, quote_plus, unquote, urlencode

from base import Fake, Response
from calendar_common import (pkce_challenge_ok, pkce_refusal, form_of, json_object_of, consent_page, deliver, error_page, now, overlaps,
                             parse_local, utc, zone)

TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"
GRAPH = "https://graph.microsoft.com/v1.0"
CODE_TTL = 600
SHOW_AS = ("free", "tentative", "busy", "oof", "workingElsewhere", "unknown")


def graph_time(dt):
    """2026-12-01T14:00:00.0000000 (UTC, Graph's dateTimeTimeZone)."""
    dt = utc(dt)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (dt.microsecond * 10)


def graph_stamp(dt):
    return graph_time(dt) + "Z"


def default_calendar(email):
    return "AAMk" + user_id(email).replace("-", "")[:20]


def user_id(email):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "mailto:" + email.lower()))


def inner(req=None):
    return {"date": now().strftime("%Y-%m-%dT%H:%M:%S"), "request-id": str(uuid.uuid4()),
            "client-request-id": (req.header("client-request-id") if req else None)
            or str(uuid.uuid4())}


def graph_error(status, code, message, req=None):
    return Response.json({"error": {"code": code, "message": message, "innerError": inner(req)}},
                         status)


def item_not_found(req):
    return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.",
                       req)


def sub_not_found(req):
    return graph_error(404, "ResourceNotFound", "The object was not found.", req)


def aad_error(status, error, code, text):
    trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = now().strftime("%Y-%m-%d %H:%M:%SZ")
    return Response.json({
        "error": error,
        "error_description": "AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s"
                             % (code, text, trace, corr, stamp),
        "error_codes": [code], "timestamp": stamp, "trace_id": trace, "correlation_id": corr,
        "error_uri": "https://login.microsoftonline.com/error?code=%d" % code}, status)


def invalid_grant():
    return aad_error(400, "invalid_grant", 70008,
                     "The provided authorization code or refresh token has expired due to "
                     "inactivity. Send a new interactive authorization request for this user "
                     "and resource.")


def html(status, body):
    return Response(status, body, content_type="text/html; charset=utf-8")


def add_query(url, params):
    return url + ("&" if "?" in url else "?") + urlencode(params, quote_via=quote)


def form_encode(s):
    """Like .NET's UrlEncode, as Graph sends the validation token: '+' for spaces, lowercase hex."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote_plus(s, safe=""))


def out_scope(scope):
    """The scopes a token answer names: Graph's short forms, OpenID scopes left out."""
    names = []
    for s in (scope or "").split():
        s = s.replace("https://graph.microsoft.com/", "")
        if s not in ("openid", "profile", "email") and s not in names:
            names.append(s)
    return " ".join(sorted(names, key=lambda s: (s == "offline_access", s)))


class MicrosoftFake(Fake):
    name = "microsoft"
    defaults = {
        "clients": {"11111111-2222-3333-4444-555555555555": {
            "secret": "microsoft-test-secret", "redirect_uris": []}},
        "default_account": "pro@contoso.example",
        "access_ttl": 3599,
        "max_subscription_minutes": 4230,
        "teams_fail": False,
        "status": None,
    }

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.clear()

    def clear(self):
        self.codes = {}      # code -> {client_id, redirect_uri, account, scope, expires, used}
        self.refresh = {}    # refresh token -> {grant, client_id, account, scope, dead}
        self.grants = {}     # grant id -> {"revoked"}
        self.access = {}     # access token -> {grant, client_id, account, expires}
        self.events = {}     # id -> {"account", "resource", "start", "end", "deleted"}
        self.subs = {}       # id -> subscription (+ "account", "deliveries")
        self.secondary = {}  # account -> {calendar id: {"name", "canEdit"}}

    def reset(self):
        super().reset()
        with self.lock:
            self.clear()

    # ------------------------------------------------------------------ dispatch

    def handle(self, req):
        # path segments are percent-decoded, as Graph does
        parts = [unquote(p) for p in req.subpath.split("/") if p]
        if parts[:1] == ["_control"]:
            return self.control(req, parts[1:])
        with self.lock:
            status = self.config["status"]
        login = len(parts) >= 3 and parts[1:3] == ["oauth2", "v2.0"]
        if status:
            if login:
                return aad_error(int(status), "temporarily_unavailable", 90033,
                                 "A transient error has occurred. Please try again.")
            return graph_error(int(status), "serviceNotAvailable", "Service Unavailable", req)
        m = req.method
        if login:
            tenant, rest = parts[0], parts[3:]
            if rest == ["authorize"] and m in ("GET", "HEAD"):
                return self.authorize(tenant, req.args())
            if rest == ["authorize", "decide"] and m == "POST":
                return self.decide(form_of(req))
            if rest == ["token"] and m == "POST":
                return self.token(form_of(req))
            return html(404, error_page("Not found", "Not found", req.subpath))
        if parts[:1] == ["v1.0"]:
            caller = self.bearer(req)
            if isinstance(caller, Response):
                return caller
            return self.graph(req, m, parts[1:], caller)
        return graph_error(404, "UnknownError", "", req)

    # ------------------------------------------------------------------ identity platform

    def check_client(self, client_id, redirect_uri):
        with self.lock:
            client = self.config["clients"].get(client_id or "")
        if client is None:
            return html(400, error_page("Sign in to your account (fake)", "Sorry, but we're having "
                                        "trouble signing you in.",
                                        "AADSTS700016: Application with identifier '%s' was not "
                                        "found in the directory." % (client_id or "")))
        allowed = client.get("redirect_uris") or []
        ok = (redirect_uri in allowed) if allowed else \
            (redirect_uri or "").startswith(("http://", "https://"))
        if not ok:
            return html(400, error_page("Sign in to your account (fake)", "Sorry, but we're having "
                                        "trouble signing you in.",
                                        "AADSTS50011: The redirect URI '%s' specified in the "
                                        "request does not match the redirect URIs configured for "
                                        "the application '%s'." % (redirect_uri or "", client_id)))
        return None

    def authorize(self, tenant, args):
        refused = self.check_client(args.get("client_id"), args.get("redirect_uri"))
        if refused:
            return refused
        if args.get("response_type") != "code":
            return html(400, error_page("Sign in to your account (fake)", "Sorry, but we're having "
                                        "trouble signing you in.",
                                        "AADSTS900144: The request body must contain the "
                                        "following parameter: 'response_type' = 'code'."))
        with self.lock:
            account = self.config["default_account"]
        if not pkce_challenge_ok(args.get("code_challenge"), args.get("code_challenge_method")):
            return html(400, error_page("Sign in to your account (fake)", "Sorry, but we're having "
                                        "trouble signing you in.",
                                        "AADSTS501491: Invalid size of Code_Challenge parameter "
                                        "or unsupported code_challenge_method."))
        fields = {k: args.get(k, "") for k in ("client_id", "redirect_uri", "scope", "state",
                                               "response_mode", "code_challenge",
                                               "code_challenge_method")}
        return html(200, consent_page("Sign in to your account (fake)", "Microsoft (fake)",
                                      "/microsoft/%s/oauth2/v2.0/authorize/decide" % tenant,
                                      fields, account, args.get("client_id"), args.get("scope")))

    def decide(self, form):
        refused = self.check_client(form.get("client_id"), form.get("redirect_uri"))
        if refused:
            return refused
        redirect, state = form["redirect_uri"], form.get("state", "")
        if form.get("decision") != "allow":
            params = [("error", "access_denied"),
                      ("error_description", "AADSTS65004: User declined to consent to access "
                                            "the app.")]
        else:
            code = "M.C5" + secrets.token_urlsafe(48)
            with self.lock:
                self.codes[code] = {"client_id": form["client_id"], "redirect_uri": redirect,
                                    "account": (form.get("email")
                                                or self.config["default_account"]).strip(),
                                    "scope": form.get("scope", ""),
                                    "expires": time.time() + CODE_TTL, "used": False,
                                    "challenge": form.get("code_challenge") or None,
                                    "method": form.get("code_challenge_method") or None}
            params = [("code", code)]
        if state:
            params.append(("state", state))
        return Response(302, "", headers=[("Location", add_query(redirect, params))])

    def token(self, form):
        client_id = form.get("client_id")
        with self.lock:
            client = self.config["clients"].get(client_id or "")
            ttl = int(self.config["access_ttl"])
        if not client_id:
            return aad_error(400, "invalid_request", 900144, "The request body must contain the "
                                                             "following parameter: 'client_id'.")
        if client is None:
            return aad_error(400, "unauthorized_client", 700016,
                             "Application with identifier '%s' was not found in the directory."
                             % client_id)
        if form.get("client_secret") != client.get("secret"):
            return aad_error(401, "invalid_client", 7000215,
                             "Invalid client secret provided. Ensure the secret being sent in the "
                             "request is the client secret value, not the client secret ID, for a "
                             "secret added to app '%s'." % client_id)
        grant = form.get("grant_type")
        if not grant:
            return aad_error(400, "invalid_request", 900144, "The request body must contain the "
                                                             "following parameter: 'grant_type'.")
        if grant == "authorization_code":
            for name in ("code", "redirect_uri"):
                if not form.get(name):
                    return aad_error(400, "invalid_request", 900144,
                                     "The request body must contain the following parameter: "
                                     "'%s'." % name)
            with self.lock:
                c = self.codes.get(form["code"])
                if (c is None or c["used"] or c["expires"] < time.time()
                        or c["client_id"] != client_id or c["redirect_uri"] != form["redirect_uri"]):
                    return invalid_grant()
                if pkce_refusal(c["challenge"], c["method"], form.get("code_verifier")):
                    return aad_error(400, "invalid_grant", 501481, "The Code_Verifier does not "
                                     "match the code_challenge supplied in the authorization "
                                     "request.")
                c["used"] = True
                gid = secrets.token_hex(8)
                self.grants[gid] = {"revoked": False}
                return self.issue(gid, client_id, c["account"], c["scope"], ttl)
        if grant == "refresh_token":
            with self.lock:
                r = self.refresh.get(form.get("refresh_token") or "")
                if (r is None or r["dead"] or self.grants[r["grant"]]["revoked"]
                        or r["client_id"] != client_id):
                    return invalid_grant()
                r["dead"] = True            # rotation: the old one is used up
                return self.issue(r["grant"], client_id, r["account"], r["scope"], ttl)
        return aad_error(400, "unsupported_grant_type", 70003,
                         "The app requested an unsupported grant type '%s'." % grant)

    def issue(self, gid, client_id, account, scope, ttl):
        """Under self.lock: the token answer of grant gid."""
        access = "EwB" + secrets.token_urlsafe(60)
        self.access[access] = {"grant": gid, "client_id": client_id, "account": account,
                               "expires": time.time() + ttl}
        out = {"token_type": "Bearer", "scope": out_scope(scope), "expires_in": ttl,
               "ext_expires_in": ttl, "access_token": access}
        if "offline_access" in scope.split():
            refresh = "M.C5_BAY." + secrets.token_urlsafe(90)
            self.refresh[refresh] = {"grant": gid, "client_id": client_id, "account": account,
                                     "scope": scope, "dead": False}
            out["refresh_token"] = refresh
        return Response.json(out)

    def bearer(self, req):
        """(account, client_id), or the 401 answer."""
        auth = req.header("Authorization", "")
        token = auth[7:].strip() if auth.startswith("Bearer ") else ""
        if not token:
            return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", req)
        with self.lock:
            a = self.access.get(token)
            ok = (a is not None and a["expires"] > time.time()
                  and not self.grants[a["grant"]]["revoked"])
        if not ok:
            return graph_error(401, "InvalidAuthenticationToken",
                               "Lifetime validation failed, the token is expired.", req)
        return a["account"], a["client_id"]

    # ------------------------------------------------------------------ Graph

    def graph(self, req, m, parts, caller):
        account, client_id = caller
        if parts == ["me"] and m == "GET":
            local = account.split("@")[0]
            return Response.json({
                "@odata.context": GRAPH + "/$metadata#users/$entity",
                "id": user_id(account), "displayName": local.replace(".", " ").title(),
                "givenName": local.title(), "surname": None, "mail": account,
                "userPrincipalName": account, "jobTitle": None, "mobilePhone": None,
                "officeLocation": None, "preferredLanguage": "en-US", "businessPhones": []})
        if parts == ["me", "calendar"] and m == "GET":
            # the default calendar: its owner is readable with Calendars.ReadWrite alone
            local = account.split("@")[0]
            return Response.json({
                "@odata.context": GRAPH + "/$metadata#users('" + user_id(account) + "')/calendar/$entity",
                "id": default_calendar(account), "name": "Calendar",
                "color": "auto", "isDefaultCalendar": True, "canEdit": True, "canShare": True,
                "owner": {"name": local.replace(".", " ").title(), "address": account}})
        if parts == ["me", "calendarView"] and m == "GET":
            return self.calendar_view(req, account, default_calendar(account))
        if parts == ["me", "events"] and m == "POST":
            return self.create_event(req, account, default_calendar(account))
        if parts == ["me", "calendars"] and m == "GET":
            with self.lock:
                others = dict(self.secondary.get(account, {}))
            owner = {"name": account.split("@")[0], "address": account}
            value = [{"id": default_calendar(account), "name": "Calendar", "isDefaultCalendar": True,
                      "canEdit": True, "owner": owner}]
            value += [{"id": cid, "name": c["name"], "isDefaultCalendar": False,
                       "canEdit": c["canEdit"], "owner": owner} for cid, c in others.items()]
            return Response.json({"@odata.context": GRAPH + "/$metadata#users('%s')/calendars"
                                  % user_id(account), "value": value})
        if len(parts) == 4 and parts[:2] == ["me", "calendars"]:
            with self.lock:
                known = parts[2] == default_calendar(account) or \
                    parts[2] in self.secondary.get(account, {})
            if not known:
                return item_not_found(req)
            if parts[3] == "calendarView" and m == "GET":
                return self.calendar_view(req, account, parts[2])
            if parts[3] == "events" and m == "POST":
                return self.create_event(req, account, parts[2])
        if len(parts) == 3 and parts[:2] == ["me", "events"]:
            with self.lock:
                rec = self.events.get(parts[2])
            if rec is None or rec["account"] != account or rec["deleted"]:
                return item_not_found(req)
            if m == "GET":
                return Response.json(rec["resource"])
            if m == "PATCH":
                return self.patch_event(req, rec)
            if m == "DELETE":
                with self.lock:
                    rec["deleted"] = True
                return Response(204)
        if parts[:1] == ["subscriptions"]:
            return self.subscriptions(req, m, parts[1:], account, client_id)
        return graph_error(400, "BadRequest", "Resource not found for the segment '%s'."
                           % (parts[-1] if parts else ""), req)

    def calendar_view(self, req, account, calendar):
        a = req.args()
        lo = parse_local(a.get("startDateTime", ""), "UTC")
        hi = parse_local(a.get("endDateTime", ""), "UTC")
        if lo is None or hi is None:
            return graph_error(400, "ErrorInvalidParameter",
                               "This request requires a time window specified by the query "
                               "string parameters StartDateTime and EndDateTime.", req)
        try:
            top = int(a.get("$top", 10))
            skip = int(a.get("$skip", 0))
        except ValueError:
            return graph_error(400, "BadRequest", "Invalid $top or $skip value.", req)
        if top < 1 or skip < 0:
            return graph_error(400, "BadRequest", "Invalid $top or $skip value.", req)
        with self.lock:
            recs = sorted((r for r in self.events.values() if r["account"] == account
                           and r.get("calendar", default_calendar(account)) == calendar
                           and not r["deleted"] and overlaps(r["start"], r["end"], lo, hi)),
                          key=lambda r: (r["start"], r["resource"]["createdDateTime"]))
            found = [dict(r["resource"]) for r in recs]
        select = [s for s in a.get("$select", "").split(",") if s]
        if select:
            found = [{k: v for k, v in e.items() if k in select or k in ("id", "@odata.etag")}
                     for e in found]
        out = {"@odata.context": GRAPH + "/$metadata#users('%s')/calendarView" % user_id(account),
               "value": found[skip:skip + top]}
        if skip + top < len(found):
            nxt = dict(a)
            nxt["$top"], nxt["$skip"] = str(top), str(skip + top)
            out["@odata.nextLink"] = "http://%s%s?%s" % (req.header("Host", "127.0.0.1"),
                                                         req.path, urlencode(nxt))
        return Response.json(out, headers=[("Preference-Applied", 'outlook.timezone="UTC"')])

    @staticmethod
    def times(body):
        """(start, end, None) or (None, None, (code, message))."""
        out = []
        for name in ("start", "end"):
            t = body.get(name)
            if not isinstance(t, dict) or not t.get("dateTime"):
                return None, None, ("ErrorInvalidRequest", "Your request can't be completed. The "
                                    "event's start and end are required.")
            tz = t.get("timeZone") or "UTC"
            if zone(tz) is None:
                return None, None, ("TimeZoneNotSupportedException", "A valid TimeZone value must "
                                    "be specified. The following TimeZone value is not "
                                    "supported: '%s'." % tz)
            dt = parse_local(t["dateTime"], tz)
            if dt is None:
                return None, None, ("ErrorInvalidRequest", "Cannot convert the literal '%s' to "
                                    "the expected type 'Edm.DateTimeOffset'." % t["dateTime"])
            out.append(utc(dt))
        if out[1] < out[0]:
            return None, None, ("ErrorInvalidRequest", "Your request can't be completed. The "
                                "end time must be after the start time.")
        return out[0], out[1], None

    @staticmethod
    def attendees(lst):
        return [{"type": a.get("type", "required"),
                 "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                 "emailAddress": dict(a.get("emailAddress") or {})} for a in lst or []]

    def new_event(self, account, body, calendar=None):
        start, end, err = self.times(body)
        if err:
            return None, err
        show = body.get("showAs", "busy")
        if show not in SHOW_AS:
            return None, ("ErrorInvalidRequest", "Invalid showAs value '%s'." % show)
        eid = "AAMkAG" + secrets.token_urlsafe(96)
        ts = graph_stamp(now())
        content = body.get("body") or {"contentType": "text", "content": ""}
        res = {
            "@odata.etag": 'W/"%s"' % base64.b64encode(secrets.token_bytes(12)).decode(),
            "id": eid, "createdDateTime": ts, "lastModifiedDateTime": ts,
            "changeKey": base64.b64encode(secrets.token_bytes(12)).decode(),
            "categories": [], "transactionId": body.get("transactionId"),
            "originalStartTimeZone": body["start"].get("timeZone", "UTC"),
            "originalEndTimeZone": body["end"].get("timeZone", "UTC"),
            "iCalUId": "040000008200E00074C5B7101A82E008" + secrets.token_hex(28).upper(),
            "reminderMinutesBeforeStart": 15, "isReminderOn": True, "hasAttachments": False,
            "subject": body.get("subject", ""),
            "bodyPreview": str(content.get("content", ""))[:255],
            "importance": "normal", "sensitivity": "normal", "isAllDay": False,
            "isCancelled": False, "isOrganizer": True, "responseRequested": True,
            "seriesMasterId": None, "showAs": show, "type": "singleInstance",
            "webLink": "https://outlook.office365.com/owa/?itemid=%s&exvsurl=1&path=/calendar/item"
                       % quote(eid, safe=""),
            "onlineMeetingUrl": None, "isOnlineMeeting": False, "onlineMeeting": None,
            "onlineMeetingProvider": "unknown",
            "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
            "body": content,
            "start": {"dateTime": graph_time(start), "timeZone": "UTC"},
            "end": {"dateTime": graph_time(end), "timeZone": "UTC"},
            "location": body.get("location") or {"displayName": ""},
            "locations": [body["location"]] if body.get("location") else [],
            "attendees": self.attendees(body.get("attendees")),
            "organizer": {"emailAddress": {"name": account.split("@")[0], "address": account}},
        }
        if body.get("isAllDay"):
            res["isAllDay"] = True
        if body.get("responseStatus"):
            res["responseStatus"] = body["responseStatus"]
        rec = {"account": account, "resource": res, "start": start, "end": end, "deleted": False,
               "calendar": calendar or default_calendar(account)}
        with self.lock:
            self.events[eid] = rec
        return rec, None

    def online_meeting(self, res, body):
        """isOnlineMeeting true (with the provider teamsForBusiness or none named) gives the
        event a Teams meeting of its own, kept on later writes; teams_fail: none is made."""
        if body.get("isOnlineMeeting") is not True or res.get("onlineMeeting"):
            return res
        if body.get("onlineMeetingProvider", "teamsForBusiness") != "teamsForBusiness":
            return res
        res = dict(res, isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness")
        if not self.config.get("teams_fail"):
            res["onlineMeeting"] = {"joinUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_"
                                    + secrets.token_urlsafe(24).replace("-", "A").replace("_", "B")
                                    + "%40thread.v2/0"}
        return res

    def create_event(self, req, account, calendar):
        body = json_object_of(req)
        if body is None:
            return graph_error(400, "BadRequest", "Unable to read JSON request payload.", req)
        rec, err = self.new_event(account, body, calendar)
        if err:
            return graph_error(400, err[0], err[1], req)
        with self.lock:
            rec["resource"] = self.online_meeting(rec["resource"], body)
        return Response.json(rec["resource"], 201)

    def patch_event(self, req, rec):
        body = json_object_of(req)
        if body is None:
            return graph_error(400, "BadRequest", "Unable to read JSON request payload.", req)
        with self.lock:
            merged = dict(rec["resource"])
        for k in ("subject", "body", "start", "end", "location", "showAs", "categories",
                  "isReminderOn", "reminderMinutesBeforeStart", "importance", "sensitivity"):
            if k in body:
                merged[k] = body[k]
        start, end, err = self.times(merged)
        if err:
            return graph_error(400, err[0], err[1], req)
        if merged["showAs"] not in SHOW_AS:
            return graph_error(400, "ErrorInvalidRequest", "Invalid showAs value.", req)
        if "attendees" in body:
            merged["attendees"] = self.attendees(body["attendees"])
        if "body" in body:
            merged["bodyPreview"] = str((body["body"] or {}).get("content", ""))[:255]
        if "location" in body:
            merged["locations"] = [body["location"]] if body["location"] else []
        merged = self.online_meeting(merged, body)
        merged["start"] = {"dateTime": graph_time(start), "timeZone": "UTC"}
        merged["end"] = {"dateTime": graph_time(end), "timeZone": "UTC"}
        merged["lastModifiedDateTime"] = graph_stamp(now())
        merged["changeKey"] = base64.b64encode(secrets.token_bytes(12)).decode()
        merged["@odata.etag"] = 'W/"%s"' % merged["changeKey"]
        with self.lock:
            rec.update(resource=merged, start=start, end=end)
        return Response.json(merged)

    # ------------------------------------------------------------------ subscriptions

    @staticmethod
    def sub_view(s):
        return {k: v for k, v in s.items() if k not in ("account", "deliveries", "deleted")}

    def sub_calendar(self, s):
        """The calendar a subscription's resource watches."""
        parts = [p for p in s["resource"].split("/") if p]
        return parts[2] if len(parts) == 4 else default_calendar(s["account"])

    def check_expiration(self, value, req):
        with self.lock:
            limit = int(self.config["max_subscription_minutes"])
        when = parse_local(value or "", "UTC")
        if when is None:
            return None, graph_error(400, "InvalidRequest",
                                     "expirationDateTime must be a date and time.", req)
        if when <= now() or when > now() + timedelta(minutes=limit):
            return None, graph_error(400, "ExtensionError", "Subscription expiration can only be "
                                     "%d minutes in the future." % limit, req)
        return when, None

    def validate_endpoint(self, url):
        """Graph's handshake; True when the endpoint echoed the decoded token in time."""
        token = ("Validation: Testing client application reachability for subscription "
                 "Request-Id: %s" % uuid.uuid4())
        target = url + ("&" if "?" in url else "?") + "validationToken=" + form_encode(token)
        started = time.time()
        got = deliver(target, "POST", b"", {"Content-Type": "text/plain; charset=utf-8"}, timeout=10)
        return (got["status"] == 200 and time.time() - started <= 10
                and (got["content_type"] or "").lower().startswith("text/plain")
                and got["body"] == token)

    def live_sub(self, sid, account):
        with self.lock:
            s = self.subs.get(sid)
        if s is None or s["account"] != account or s.get("deleted"):
            return None
        exp = parse_local(s["expirationDateTime"], "UTC")
        return s if exp and exp > now() else None

    def subscriptions(self, req, m, rest, account, client_id):
        if not rest and m == "GET":
            with self.lock:
                mine = [self.sub_view(s) for s in self.subs.values()
                        if s["account"] == account and not s.get("deleted")]
            return Response.json({"@odata.context": GRAPH + "/$metadata#subscriptions",
                                  "value": mine})
        if not rest and m == "POST":
            return self.subscribe(req, account, client_id)
        if len(rest) == 1:
            s = self.live_sub(rest[0], account)
            if s is None:
                return sub_not_found(req)
            if m == "GET":
                return Response.json(self.sub_view(s))
            if m == "PATCH":
                body = json_object_of(req) or {}
                when, err = self.check_expiration(body.get("expirationDateTime"), req)
                if err:
                    return err
                with self.lock:
                    s["expirationDateTime"] = graph_stamp(when)
                return Response.json(self.sub_view(s))
            if m == "DELETE":
                with self.lock:
                    s["deleted"] = True
                return Response(204)
        return graph_error(405, "MethodNotAllowed", "Method not allowed.", req)

    def subscribe(self, req, account, client_id):
        body = json_object_of(req)
        if body is None:
            return graph_error(400, "BadRequest", "Unable to read JSON request payload.", req)
        changes = [c.strip() for c in str(body.get("changeType", "")).split(",") if c.strip()]
        if not changes or set(changes) - {"created", "updated", "deleted"}:
            return graph_error(400, "InvalidRequest", "changeType must be a comma-separated list "
                               "of created, updated, deleted.", req)
        url = body.get("notificationUrl") or ""
        if not url.startswith(("http://", "https://")):
            return graph_error(400, "InvalidRequest", "The notificationUrl must be an absolute "
                               "URL.", req)
        resource = body.get("resource")
        parts = [p for p in str(resource or "").split("/") if p]
        with self.lock:
            calendars = {default_calendar(account)} | set(self.secondary.get(account, {}))
        if not (parts == ["me", "events"] or (len(parts) == 4 and parts[:2] == ["me", "calendars"]
                                              and parts[2] in calendars and parts[3] == "events")):
            return graph_error(400, "InvalidRequest", "Resource '%s' is not supported."
                               % resource, req)
        state = body.get("clientState")
        if state is not None and (not isinstance(state, str) or len(state) > 128):
            return graph_error(400, "InvalidRequest", "clientState must be at most 128 "
                               "characters.", req)
        when, err = self.check_expiration(body.get("expirationDateTime"), req)
        if err:
            return err
        if not self.validate_endpoint(url):
            return graph_error(400, "ValidationError", "Subscription validation request failed. "
                               "Notification endpoint must respond with 200 OK to validation "
                               "request.", req)
        s = {"@odata.context": GRAPH + "/$metadata#subscriptions/$entity",
             "id": str(uuid.uuid4()), "resource": body["resource"], "applicationId": client_id,
             "changeType": ",".join(changes), "clientState": state, "notificationUrl": url,
             "notificationQueryOptions": None, "lifecycleNotificationUrl": None,
             "expirationDateTime": graph_stamp(when), "creatorId": user_id(account),
             "includeResourceData": None, "latestSupportedTlsVersion": "v1_2",
             "encryptionCertificate": None, "encryptionCertificateId": None,
             "notificationUrlAppId": None, "account": account, "deliveries": [], "deleted": False}
        with self.lock:
            self.subs[s["id"]] = s
        return Response.json(self.sub_view(s), 201)

    # ------------------------------------------------------------------ notifications

    def notify_sub(self, s, change, event_id, client_state=None):
        uid = user_id(s["account"])
        res = "Users/%s/Events/%s" % (uid, event_id)
        body = {"value": [{
            "subscriptionId": s["id"],
            "subscriptionExpirationDateTime": s["expirationDateTime"],
            "clientState": s["clientState"] if client_state is None else client_state,
            "changeType": change, "resource": res, "tenantId": TENANT_ID,
            "resourceData": {"@odata.type": "#Microsoft.Graph.Event", "@odata.id": res,
                             "@odata.etag": 'W/"%s"' % base64.b64encode(
                                 secrets.token_bytes(12)).decode(),
                             "id": event_id}}]}
        got = deliver(s["notificationUrl"], "POST", json.dumps(body).encode("utf-8"),
                      {"Content-Type": "application/json"})
        with self.lock:
            s["deliveries"].append({"changeType": change, "event": event_id,
                                    "status": got["status"], "error": got.get("error")})
        return got["status"]

    def notify_account(self, account, change, event_id):
        """Notify the subscriptions watching the event's calendar (me/events: the default one)."""
        t = now()
        with self.lock:
            rec = self.events.get(event_id)
            calendar = rec["calendar"] if rec else default_calendar(account)
            subs = [s for s in self.subs.values() if s["account"] == account
                    and not s.get("deleted") and self.sub_calendar(s) == calendar
                    and change in s["changeType"].split(",")
                    and parse_local(s["expirationDateTime"], "UTC") > t]
        return [{"subscription": s["id"], "status": self.notify_sub(s, change, event_id)}
                for s in subs]

    # ------------------------------------------------------------------ control

    def control(self, req, parts):
        m, args = req.method, req.args()
        body = json_object_of(req) if m in ("POST", "PATCH", "PUT") else {}
        if body is None:
            return Response.json({"error": "body must be a JSON object"}, 400)
        if parts == ["calendars"] and m == "POST":
            with self.lock:
                account = body.get("account") or self.config["default_account"]
                if not body.get("id") or not body.get("name"):
                    return Response.json({"error": "id and name are required"}, 400)
                if not isinstance(body.get("canEdit", True), bool):
                    return Response.json({"error": "canEdit is a boolean"}, 400)
                self.secondary.setdefault(account, {})[body["id"]] = {
                    "name": body["name"], "canEdit": body.get("canEdit", True)}
            return Response.json({"calendar": body["id"]}, 201)
        if parts == ["events"] and m == "POST":
            with self.lock:
                account = body.get("account") or self.config["default_account"]
            event = {"subject": body.get("subject", "Busy"), "showAs": body.get("showAs", "busy"),
                     "start": {"dateTime": body.get("start") or "", "timeZone": "UTC"},
                     "end": {"dateTime": body.get("end") or "", "timeZone": "UTC"}}
            if body.get("date"):
                # all day: midnight to midnight, which Graph gives without a zone of its own
                event.update(isAllDay=True,
                             start={"dateTime": body["date"] + "T00:00:00", "timeZone": "UTC"},
                             end={"dateTime": (body.get("end_date") or body["date"]) + "T00:00:00",
                                  "timeZone": "UTC"})
            if body.get("declined"):
                event["responseStatus"] = {"response": "declined", "time": graph_stamp(now())}
            rec, err = self.new_event(account, event, body.get("calendar"))
            if err:
                return Response.json({"error": err[1]}, 400)
            notified = (self.notify_account(account, "created", rec["resource"]["id"])
                        if body.get("notify", True) else [])
            return Response.json({"event": rec["resource"], "notified": notified}, 201)
        if len(parts) == 2 and parts[0] == "events" and m == "PATCH":
            start = parse_local(body.get("start") or "", "UTC")
            end = parse_local(body.get("end") or "", "UTC")
            with self.lock:
                rec = self.events.get(parts[1])
                if rec is None or rec["deleted"] or start is None or end is None or end <= start:
                    return Response.json({"error": "unknown event or bad times"}, 400)
                rec["start"], rec["end"] = utc(start), utc(end)
                rec["resource"] = dict(rec["resource"],
                                       start={"dateTime": graph_time(utc(start)), "timeZone": "UTC"},
                                       end={"dateTime": graph_time(utc(end)), "timeZone": "UTC"},
                                       lastModifiedDateTime=graph_stamp(now()))
            return Response.json({"event": rec["resource"], "notified": self.notify_account(
                rec["account"], "updated", parts[1])})
        if len(parts) == 2 and parts[0] == "events" and m == "DELETE":
            with self.lock:
                rec = self.events.get(parts[1])
                if rec is not None:
                    rec["deleted"] = True
            if rec is None:
                return Response.json({"error": "unknown event"}, 404)
            notify = args.get("notify", "1") not in ("0", "false", "no")
            return Response.json({"notified": self.notify_account(rec["account"], "deleted",
                                                                  parts[1]) if notify else []})
        if parts == ["events"] and m == "GET":
            with self.lock:
                out = [dict(r["resource"], account=r["account"], deleted=r["deleted"])
                       for r in self.events.values()
                       if not args.get("account") or r["account"] == args["account"]]
            return Response.json({"events": out})
        if parts == ["subscriptions"] and m == "GET":
            with self.lock:
                out = [dict(s, deliveries=list(s["deliveries"])) for s in self.subs.values()]
            return Response.json({"subscriptions": out})
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
                gids = {r["grant"] for r in self.refresh.values()
                        if r["account"] == body.get("account")}
                gids |= {a["grant"] for a in self.access.values()
                         if a["account"] == body.get("account")}
                for gid in gids:
                    if not self.grants[gid]["revoked"]:
                        self.grants[gid]["revoked"], n = True, n + 1
            return Response.json({"revoked": n})
        if parts == ["notify"] and m == "POST":
            with self.lock:
                s = self.subs.get(body.get("subscription"))
                mine = [e for e, r in self.events.items() if s and r["account"] == s["account"]]
            if s is None:
                return Response.json({"error": "unknown subscription"}, 404)
            event_id = body.get("event") or (mine[-1] if mine else "AAMkAG" + secrets.token_urlsafe(32))
            return Response.json({"status": self.notify_sub(s, "updated", event_id,
                                                            body.get("clientState"))})
        return Response.json({"error": "no control endpoint %s %s" % (m, "/".join(parts))}, 404)
