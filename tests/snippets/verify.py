"""Verify a Konfirmado callback: X-Konfirmado-Signature and the Standard Webhooks headers.

Usage: python3 verify.py HEADERS.json BODY_FILE, with the secret in the environment variable
KONFIRMADO_CALLBACK_SECRET (not on the command line, where ps shows it).
In a web framework, pass the request's headers and its raw body (bytes, before any JSON
parsing) to the two functions below.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import sys
import time

TOLERANCE = 300  # seconds between the callback's timestamp and now


def fresh(timestamp):
    return abs(time.time() - int(timestamp)) <= TOLERANCE


def konfirmado_valid(secret, headers, body):
    """X-Konfirmado-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>"""
    parts = dict(item.split("=", 1) for item in headers.get("x-konfirmado-signature", "").split(",")
                 if "=" in item)
    t, v1 = parts.get("t", ""), parts.get("v1", "")
    if not re.fullmatch(r"[0-9]+", t) or not v1:
        return False
    want = hmac.new(secret.encode("utf-8"), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, v1) and fresh(t)


def standard_webhooks_valid(secret, headers, body):
    """webhook-signature: v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>"""
    msg_id, ts = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not msg_id or not re.fullmatch(r"[0-9]+", ts):
        return False
    signed = ("%s.%s." % (msg_id, ts)).encode("utf-8") + body
    want = "v1," + base64.b64encode(hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).digest()).decode()
    given = headers.get("webhook-signature", "").split(" ")  # one or more, space-separated
    return any(hmac.compare_digest(want, sig) for sig in given) and fresh(ts)


if __name__ == "__main__":
    secret = os.environ.get("KONFIRMADO_CALLBACK_SECRET", "")
    headers_file, body_file = sys.argv[1:3]
    with open(headers_file, encoding="utf-8") as f:
        headers = {name.lower(): value for name, value in json.load(f).items()}
    with open(body_file, "rb") as f:
        body = f.read()
    ok = True
    for scheme, check in (("X-Konfirmado-Signature", konfirmado_valid),
                          ("Standard Webhooks", standard_webhooks_valid)):
        valid = check(secret, headers, body)
        ok = ok and valid
        print("%s: %s" % (scheme, "valid" if valid else "invalid"))
    sys.exit(0 if ok else 1)
