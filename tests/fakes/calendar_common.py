"""Helpers shared by the calendar fakes (google.py, microsoft.py, calcom.py).

parse_time(s)      RFC 3339 / ISO 8601 -> aware datetime (Z, +hh:mm, fractions of any length),
                   None when it is not one; parse_local(s, tz) for Graph's offset-less times
fmt_z(dt)          2026-12-01T14:00:00Z          (Google freeBusy)
fmt_ms(dt)         2026-12-01T14:00:00.000Z      (Google timestamps, Cal.com)
rfc1123(dt)        Tue, 01 Dec 2026 14:00:00 GMT (X-Goog-Channel-Expiration)
deliver(url, ...)  one synchronous HTTP request (10 s) to the gateway -> {"status", "body", ...};
                   a host named localhost or *.localhost is reached on 127.0.0.1, with the
                   original Host header (Python's resolver does not know *.localhost)
in_background(fn)  run fn in a daemon thread a moment later (notifications caused by an API call,
                   sent after the answer as the real providers do)
consent_page(...)  the HTML of the fake OAuth consent pages; error_page(...) their 400 page
pkce_refusal(...)  what an OAuth token endpoint says of a code_verifier against the challenge
                   the authorization request carried (RFC 7636), None when it matches
"""
import base64
import hashlib
import html
import http.client
import json
import re
import ssl
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlsplit

try:
    from zoneinfo import ZoneInfo
except ImportError:     # pragma: no cover (3.9+ has it)
    ZoneInfo = None

RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
                     r"\s*([Zz]|[+-]\d{2}:?\d{2})?$")


def form_of(req):
    """A form-encoded body as a dict (last value wins)."""
    return dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))


def json_object_of(req):
    """A JSON object body ({} when empty), or None when it is not one."""
    try:
        obj = json.loads(req.body.decode("utf-8")) if req.body else {}
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def _parts(s):
    m = RFC3339.match(s.strip()) if isinstance(s, str) else None
    if not m:
        return None, None
    y, mo, d, h, mi, sec, frac, off = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0),
                      int((frac or "0")[:6].ljust(6, "0")))
    except ValueError:
        return None, None
    return dt, off


def parse_time(s):
    """An aware datetime for an RFC 3339 time with Z or an offset, else None."""
    dt, off = _parts(s)
    if dt is None or off is None:
        return None
    if off in ("Z", "z"):
        return dt.replace(tzinfo=timezone.utc)
    sign = 1 if off[0] == "+" else -1
    digits = off[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt.replace(tzinfo=timezone(sign * delta))


def zone(name):
    """A tzinfo for an IANA name (or UTC), None when unknown."""
    if not name:
        return None
    if name.upper() in ("UTC", "GMT", "Z", "ETC/UTC"):
        return timezone.utc
    try:
        return ZoneInfo(name)
    except Exception:
        return None


def parse_local(s, tz_name=None):
    """A time with an offset, or a local time in tz_name (Graph / Google with timeZone)."""
    dt, off = _parts(s)
    if dt is None:
        return None
    if off is not None:
        return parse_time(s)
    tz = zone(tz_name or "UTC")
    return dt.replace(tzinfo=tz) if tz else None


def utc(dt):
    return dt.astimezone(timezone.utc)


def now():
    return datetime.now(timezone.utc)


def fmt_z(dt):
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_ms(dt):
    return utc(dt).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (utc(dt).microsecond // 1000)


def rfc1123(dt):
    return format_datetime(utc(dt), usegmt=True)


def overlaps(start, end, lo, hi):
    """Half-open intervals [start, end) and [lo, hi) share time."""
    return start < hi and end > lo


def deliver(url, method="POST", body=b"", headers=None, timeout=10):
    """Send one request now; -> {"status": int|None, "body": str, "content_type", "error"?}."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    connect = "127.0.0.1" if host == "localhost" or host.endswith(".localhost") else host
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    if isinstance(body, str):
        body = body.encode("utf-8")
    hdrs = {"User-Agent": "konfirmado-fakes/1", "Content-Length": str(len(body))}
    hdrs.update(headers or {})
    hdrs["Host"] = parts.netloc.rsplit("@", 1)[-1]
    try:
        if parts.scheme == "https":
            ctx = ssl.create_default_context()
            if connect != host:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(connect, port, timeout=timeout, context=ctx)
        else:
            conn = http.client.HTTPConnection(connect, port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            return {"status": resp.status, "body": data.decode("utf-8", "replace"),
                    "content_type": resp.getheader("Content-Type")}
        finally:
            conn.close()
    except (OSError, http.client.HTTPException) as e:
        return {"status": None, "body": "", "content_type": None, "error": repr(e)}


def in_background(fn, delay=0.05):
    def run():
        time.sleep(delay)
        fn()
    threading.Thread(target=run, daemon=True).start()


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%(title)s</title></head>
<body><h1>%(heading)s</h1>
<p><strong id="client">%(client)s</strong> wants to access your calendar:</p>
<p id="scope">%(scope)s</p>
<form method="post" action="%(action)s">
%(hidden)s
<label for="email">Account</label>
<input type="text" id="email" name="email" value="%(account)s">
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form></body></html>
"""


def consent_page(title, heading, action, fields, account, client, scope):
    hidden = "\n".join('<input type="hidden" name="%s" value="%s">'
                       % (html.escape(k), html.escape(v or "")) for k, v in fields.items())
    return PAGE % {"title": html.escape(title), "heading": html.escape(heading),
                   "action": html.escape(action), "hidden": hidden,
                   "account": html.escape(account), "client": html.escape(client or ""),
                   "scope": html.escape(scope or "")}


def error_page(title, heading, detail):
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"
            "</head><body><h1 id=\"error\">%s</h1><p id=\"detail\">%s</p></body></html>\n"
            % (html.escape(title), html.escape(heading), html.escape(detail)))


PKCE_METHODS = ("S256", "plain")


def pkce_challenge_ok(challenge, method):
    """An authorization request's PKCE: none at all, or a 43..128 character challenge with a
    method the providers know (S256, plain; absent means plain)."""
    if not challenge:
        return not method
    return (method or "plain") in PKCE_METHODS and re.fullmatch(r"[A-Za-z0-9._~-]{43,128}",
                                                                challenge) is not None


def pkce_refusal(challenge, method, verifier):
    """None when the token request's code_verifier answers the code's challenge (or the code
    was asked without one and no verifier came), else a short reason: as Google and the
    Microsoft identity platform do, a code asked with a challenge is only good with its
    verifier."""
    if not challenge:
        return "code_verifier without a code_challenge" if verifier else None
    if not verifier:
        return "Missing code verifier."
    if (method or "plain") == "S256":
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    else:
        computed = verifier
    return None if computed == challenge else "Invalid code verifier."
