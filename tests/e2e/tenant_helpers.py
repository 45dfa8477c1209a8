"""Helpers of the tenant settings e2e tests (test_tenant_*.py): database snapshots, images,
Wompi keys, and opening what the module sealed."""
import base64
import json
import secrets
import struct
import subprocess
import zlib

from conftest import psql, read_stack_env


def assert_error(r, status, code):
    assert r.status_code == status, (r.status_code, r.text[:500])
    body = r.json()
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]


def tenant_row(tenant_id):
    """The tenants row as PostgreSQL has it (every column)."""
    return json.loads(psql("SELECT row_to_json(t)::text FROM tenants t WHERE id = :'p1'", tenant_id))


def payment_row(tenant_id):
    out = psql("SELECT row_to_json(p)::text FROM tenant_payment_settings p"
               " WHERE tenant_id = :'p1' AND provider = 'wompi'", tenant_id)
    return json.loads(out) if out else None


def logo_row(tenant_id):
    out = psql("SELECT row_to_json(l)::text FROM (SELECT content_type, sha256,"
               " octet_length(bytes) AS size FROM tenant_logos WHERE tenant_id = :'p1') l",
               tenant_id)
    return json.loads(out) if out else None


def audit_rows(tenant_id):
    """The tenant's audit rows, oldest first."""
    out = psql("SELECT coalesce(json_agg(a ORDER BY a.id), '[]')::text FROM audit_log a"
               " WHERE tenant_id = :'p1'", tenant_id)
    return json.loads(out)


def dump_database():
    """pg_dump of the whole database (schema and data) as text."""
    p = subprocess.run(["pg_dump", read_stack_env()["KF_PGURL"], "--no-owner"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    return p.stdout


def error_log_text():
    with open(read_stack_env()["KF_ERROR_LOG"], encoding="utf-8", errors="replace") as f:
        return f.read()


# ---------------------------------------------------------------- images

def _chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(width=2, height=2, padding=0):
    """A real RGBA PNG; `padding` bytes of a private ancillary chunk make it bigger."""
    raw = b"".join(b"\x00" + b"\x10\x20\x30\xff" * width for _ in range(height))
    out = (b"\x89PNG\r\n\x1a\n"
           + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
           + _chunk(b"IDAT", zlib.compress(raw)))
    if padding:
        out += _chunk(b"prVt", b"\x00" * padding)
    return out + _chunk(b"IEND", b"")


def png_of_size(total):
    """A valid PNG of exactly `total` bytes."""
    base = len(png())
    return png(padding=total - base - 12)


SVG = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
       '<circle cx="32" cy="32" r="30" fill="#3B82F6"/></svg>\n')

SVG_WITH_SCRIPT = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
                   '<script>fetch("/api/admin/tenant")</script><rect width="8" height="8"/></svg>')


# ---------------------------------------------------------------- Wompi keys

def wompi_keys(mode="test"):
    """A fresh, valid set of Wompi keys (random, so a grep finds only this test's)."""
    tag = {"test": "test", "production": "prod"}[mode]
    r = lambda: secrets.token_urlsafe(24).replace("-", "x").replace("_", "y")  # noqa: E731
    return {"mode": mode,
            "public_key": "pub_%s_%s" % (tag, r()),
            "private_key": "prv_%s_%s" % (tag, r()),
            "events_secret": "%s_events_%s" % (tag, r()),
            "integrity_secret": "%s_integrity_%s" % (tag, r())}


# ---------------------------------------------------------------- sealed secrets

def open_sealed(sealed, aad):
    """Opens "v1.<kid>.<base64url(iv|ct|tag)>" with the stack's key file (AES-256-GCM),
    or None when the cryptography package is not installed."""
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        return None
    with open(read_stack_env()["KF_KEYFILE"], "rb") as f:
        key = f.read()
    version, _kid, blob = sealed.split(".")
    assert version == "v1"
    raw = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
    return AESGCM(key).decrypt(raw[:12], raw[12:], aad.encode()).decode()
