"""Key rotation (DESIGN.md "Outside world"): KonfirmadoKeyFile may be given more than
once (the first seals, every key opens by key id) and konfirmado-reseal re-seals every stored
secret and queued mail under the first key, so the old key can then be dropped with nothing
lost. Runs an httpd of its own on a database of its own: the stack's server keeps its key."""
import base64
import hashlib
import os
import re
import secrets
import subprocess
import zlib

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conftest import own_database, psql, render_conf, seed_session, start_extra_httpd, _scratch_dir
from packages_support import CUSTOMER, PACKAGES, package_body
from payments_helpers import check_callback_signatures, wait_for

KEY_LINE = re.compile(r"^\s*KonfirmadoKeyFile\s", re.M)


def key_file(directory, name):
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(secrets.token_bytes(32))
    os.chmod(path, 0o640)
    return path


MAIL_AAD = b"mail_outbox.body"


def sealed_with(key_path, text, aad):
    """`text` sealed under the key as the module seals ("v1.<kid>.<base64url(iv|ciphertext|tag)>")."""
    with open(key_path, "rb") as f:
        key = f.read()
    kid = hashlib.sha256(b"konfirmado-key-id:" + key).hexdigest()[:8]
    iv = secrets.token_bytes(12)
    blob = iv + AESGCM(key).encrypt(iv, text.encode(), aad)
    return "v1.%s.%s" % (kid, base64.urlsafe_b64encode(blob).rstrip(b"=").decode())


def opened_with(key_path, sealed, aad):
    with open(key_path, "rb") as f:
        key = f.read()
    blob = base64.urlsafe_b64decode(sealed.split(".")[2] + "==")
    return AESGCM(key).decrypt(blob[:12], blob[12:], aad).decode()


def sealed_alone(key_path, text):
    """A mail body as queued before bodies were packed: sealed alone under the key."""
    return sealed_with(key_path, text, MAIL_AAD)


def opened_bodies(key_path, sealed):
    """A queued mail's packed bodies opened with the key: [text, html(, invite)]."""
    with open(key_path, "rb") as f:
        key = f.read()
    blob = base64.urlsafe_b64decode(sealed.split(".")[2] + "==")
    plain = AESGCM(key).decrypt(blob[:12], blob[12:], MAIL_AAD)
    assert plain[:3] == b"\0z1"
    parts = zlib.decompress(plain[7:], -15)
    assert len(parts) == int.from_bytes(plain[3:7], "big") and parts.endswith(b"\0")
    return parts[:-1].decode().split("\0")


def kid_of(key_path):
    with open(key_path, "rb") as f:
        return hashlib.sha256(b"konfirmado-key-id:" + f.read()).hexdigest()[:8]


def status_page(extra, directory):
    """The running server's status page, saved as the operator's client saves it for
    konfirmado-reseal --server-status."""
    r = extra.api().get("/konfirmado-status")
    assert r.status_code == 200, r.text
    path = os.path.join(directory, "status-%s.txt" % secrets.token_hex(4))
    with open(path, "w", encoding="utf-8") as f:
        f.write(r.text)
    return path


def conf_with_keys(db, keys, mail=True):
    text = render_conf(remove=[] if mail else ["KonfirmadoMailURL"])
    lines = ["    KonfirmadoKeyFile \"%s\"" % k for k in keys]
    out, done = [], False
    for line in text.splitlines():
        if KEY_LINE.match(line):
            if not done:
                out.extend(lines)
                done = True
            continue
        out.append(line)
    return "\n".join(out).replace("dbname=konfirmado ", "dbname=%s " % db) + "\n"


def sealed_kids(db_url):
    out = psql("""SELECT split_part(callback_secret_sealed, '.', 2) FROM tenants
                  WHERE callback_secret_sealed IS NOT NULL
                  UNION ALL SELECT split_part(secrets_sealed, '.', 2) FROM tenant_payment_settings
                  UNION ALL SELECT split_part(body_text, '.', 2) FROM mail_outbox
                  WHERE sent_at IS NULL AND body_text LIKE 'v1.%%'
                  UNION ALL SELECT split_part(secrets_sealed, '.', 2) FROM tenant_messaging_settings
                  UNION ALL SELECT split_part(manage_token_sealed, '.', 2) FROM reservations
                  WHERE manage_token_sealed IS NOT NULL
                  UNION ALL SELECT split_part(secret_sealed, '.', 2) FROM calendar_connections
                  UNION ALL SELECT split_part(channel_secret_sealed, '.', 2) FROM calendar_connections
                  WHERE channel_secret_sealed IS NOT NULL
                  UNION ALL SELECT split_part(channel_secret_sealed, '.', 2) FROM calendar_choices
                  WHERE channel_secret_sealed IS NOT NULL
                  UNION ALL SELECT split_part(token_sealed, '.', 2) FROM purchases
                  WHERE token_sealed IS NOT NULL
                  UNION ALL SELECT split_part(unsubscribe_token_sealed, '.', 2)
                  FROM customer_preferences WHERE unsubscribe_token_sealed IS NOT NULL""",
                db_url=db_url)
    return sorted(set(out.split())) if out else []


@pytest.fixture
def own_db(stack):
    with own_database("kf_keys") as (db, db_url):
        yield db, db_url


def session_client(extra, db_url):
    client = extra.api()
    tenant, token, csrf = seed_session(client, "Clínica Llaves", "llaves@example.com", db_url)
    return tenant, client, token, csrf


def test_rotate_the_key_and_every_secret_and_queued_mail_still_opens(stack, own_db, fakes, maildir):
    db, db_url = own_db
    d = _scratch_dir("keys-")
    old, new = key_file(d, "old.key"), key_file(d, "new.key")
    wompi = {"mode": "test", "public_key": "pub_test_" + secrets.token_hex(8),
             "private_key": "prv_test_" + secrets.token_hex(8),
             "events_secret": "test_events_" + secrets.token_hex(8),
             "integrity_secret": "test_integrity_" + secrets.token_hex(8)}
    callback_url = fakes.base("merchant") + "/callback/rotation"

    # 1. the old key only: secrets sealed, a mail queued (no mail server yet)
    with start_extra_httpd(conf_with_keys(db, [old], mail=False)) as extra:
        tenant, client, token, csrf = session_client(extra, db_url)
        assert client.put("/api/admin/tenant/payments/wompi", json=wompi).status_code == 200
        twilio = {"account_sid": "AC" + secrets.token_hex(16), "auth_token": secrets.token_hex(16),
                  "from": "+14155552671", "channel": "sms"}
        assert client.put("/api/admin/tenant/messaging/twilio", json=twilio).status_code == 200
        assert client.patch("/api/admin/tenant", json={"callback_url": callback_url}).status_code == 200
        secret = client.post("/api/admin/tenant/callback-secret").json()["secret"]
        r = extra.api().post("/api/auth/forgot-password", json={"email": "llaves@example.com"})
        assert r.status_code == 202
        # a professional's Cal.com key and its webhook's secret
        pro = psql("INSERT INTO professionals (tenant_id, name, timezone) VALUES (:'p1', 'Dra. Llave',"
                   " 'America/Bogota') RETURNING id", tenant, db_url=db_url)
        inv = client.post("/api/admin/professionals/%s/invitation" % pro).json()["url"].rsplit("/", 1)[1]
        r = extra.api().post("/api/public/invitations/%s/calcom" % inv, json={"api_key": "cal_test_key"})
        assert r.status_code == 200, r.text
        # a package bought: its purchase's token is sealed for the mail sent once paid
        service = psql("INSERT INTO services (tenant_id, name, description, duration_minutes,"
                       " price_amount, currency, charge_type) VALUES (:'p1', 'Masaje', 'Masaje de una hora',"
                       " 60, 12000000, 'COP', 'total') RETURNING id", tenant, db_url=db_url)
        psql("INSERT INTO service_professionals (tenant_id, service_id, professional_id)"
             " VALUES (:'p1', :'p2', :'p3')", tenant, service, pro, db_url=db_url)
        r = client.post(PACKAGES, json=package_body(service))
        assert r.status_code == 201, r.text
        package = r.json()["id"]
        r = client.post("/api/admin/links", json={"name": "Paquetes", "package_ids": [package]})
        assert r.status_code == 201, r.text
        r = extra.api().post("/api/public/purchases", json={
            "link": r.json()["slug"], "package": package, "customer": CUSTOMER,
            "accepted_terms": True})
        assert r.status_code == 201, r.text
        assert psql("SELECT count(*) FROM purchases WHERE token_sealed IS NOT NULL",
                    db_url=db_url) == "1"
    # the reset mail is queued packed: its bodies in one sealed value, nothing in body_html
    packed = psql("SELECT body_text FROM mail_outbox WHERE sent_at IS NULL AND body_html = ''",
                  db_url=db_url)
    text, html = opened_bodies(old, packed)
    assert "reset-password" in text and "reset-password" in html
    # and one queued before bodies were packed, each body sealed alone, invite included
    invite = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
              "UID:rotation@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
              "DTSTART:20260102T150000Z\r\nSUMMARY:Cita antigua\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    psql("""INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html, calendar,
                                     calendar_method)
            VALUES (:'p1', 'antes@example.com', 'Cita antigua', :'p2', :'p3', :'p4', 'REQUEST')""",
         tenant, sealed_alone(old, "Tu cita antigua sigue en pie."),
         sealed_alone(old, "<p>Tu cita antigua sigue en pie.</p>"), sealed_alone(old, invite),
         db_url=db_url)
    # a second calendar of hers that blocks, watched by a channel of its own (its secret
    # sealed as the module seals a channel's, for her)
    channel_secret = secrets.token_hex(16)
    psql("""INSERT INTO calendar_choices (professional_id, tenant_id, calendar_id, name, blocks,
                                         channel_id, channel_resource, channel_secret_sealed,
                                         channel_expires_at)
            VALUES (:'p1', :'p2', 'consultorio', 'Consultorio', true, :'p3', 'resource-1', :'p4',
                    now() + interval '1 day')""",
         pro, tenant, "channel-" + secrets.token_hex(6),
         sealed_with(old, channel_secret, b"calendar_connections.channel:" + pro.encode()),
         db_url=db_url)
    old_kids = sealed_kids(db_url)
    assert len(old_kids) == 1
    assert psql("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL", db_url=db_url) == "2"

    # 2. the new key first, the old one after it: the server seals with the new key, as its
    #    status page says; the reseal tool: the first --key seals; the old one opens what it
    #    sealed
    with start_extra_httpd(conf_with_keys(db, [new, old], mail=False)) as extra:
        page = status_page(extra, d)
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-reseal")
    checked = [tool, "--server-status", page]
    dry = subprocess.run(checked + ["--dry-run", "--key", new, "--key", old, db_url],
                         capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert "seals with key %s" % kid_of(new) in dry.stdout
    assert sealed_kids(db_url) == old_kids                       # a dry run writes nothing
    missing = subprocess.run(checked + ["--key", new, db_url], capture_output=True, text=True)
    assert missing.returncode == 1 and "give the key that sealed it" in missing.stderr
    assert sealed_kids(db_url) == old_kids                       # nothing lost, nothing written
    run = subprocess.run(checked + ["--key", new, "--key", old, db_url], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "tenant_messaging_settings.secrets_sealed: 1 re-sealed" in run.stdout, run.stdout
    assert "calendar_connections.secret_sealed: 1 re-sealed" in run.stdout, run.stdout
    assert "calendar_connections.channel_secret_sealed: 1 re-sealed" in run.stdout, run.stdout
    assert "calendar_choices.channel_secret_sealed: 1 re-sealed" in run.stdout, run.stdout
    resealed = psql("SELECT channel_secret_sealed FROM calendar_choices", db_url=db_url)
    assert opened_with(new, resealed, b"calendar_connections.channel:" + pro.encode()) == channel_secret
    assert "purchases.token_sealed: 1 re-sealed" in run.stdout, run.stdout
    # both mails' bodies: the packed one and the one sealed body by body
    assert "mail_outbox.body_text: 2 re-sealed" in run.stdout, run.stdout
    assert "mail_outbox.body_html: 1 re-sealed" in run.stdout, run.stdout
    assert "mail_outbox.calendar: 1 re-sealed" in run.stdout, run.stdout
    assert opened_bodies(new, psql("SELECT body_text FROM mail_outbox WHERE sent_at IS NULL"
                                   " AND body_html = ''", db_url=db_url)) == [text, html]
    for secret_text in (secret, wompi["private_key"], wompi["events_secret"], twilio["auth_token"]):
        assert secret_text not in run.stdout + run.stderr
    new_kids = sealed_kids(db_url)
    assert len(new_kids) == 1 and new_kids != old_kids
    again = subprocess.run(checked + ["--key", new, "--key", old, db_url], capture_output=True,
                           text=True)
    assert again.returncode == 0 and " 0 re-sealed" in again.stdout

    # 3. the new key only: the callback secret signs, the Wompi secrets sign a checkout, the
    #    queued mail is delivered
    with start_extra_httpd(conf_with_keys(db, [new])) as extra:
        tenant_view = extra.api()
        tenant_view.session.cookies.set("kf_session", token)
        tenant_view.session.headers["X-CSRF-Token"] = csrf
        r = tenant_view.get("/api/admin/tenant")
        assert r.json()["tenant"]["callback_secret"]["configured"] is True
        # the Cal.com key opens under the new key: the sync job reads the busy times with it
        synced = psql("SELECT synced_at FROM calendar_connections", db_url=db_url)
        psql("UPDATE calendar_connections SET sync_due_at = now()", db_url=db_url)
        wait_for(lambda: psql("SELECT synced_at FROM calendar_connections", db_url=db_url) != synced,
                 what="a read with the re-sealed key")
        mails = wait_for(lambda: [m for m in maildir.new() if "llaves@example.com" in str(m["To"])],
                         what="the queued mail")
        assert "reset-password" in mails[0].get_body(preferencelist=("plain",)).get_content()
        earlier = wait_for(lambda: [m for m in maildir.new() if "antes@example.com" in str(m["To"])],
                           what="the mail queued with its bodies sealed alone")
        assert "Tu cita antigua sigue en pie." in \
            earlier[0].get_body(preferencelist=("plain",)).get_content()
        assert "<p>Tu cita antigua sigue en pie.</p>" in \
            earlier[0].get_body(preferencelist=("html",)).get_content()
        assert [p for p in earlier[0].walk() if p.get_content_type() == "text/calendar"
                and "Cita antigua" in p.get_content()]
        # re-send of a callback signs with the re-sealed secret
        booking = psql("""
            WITH s AS (INSERT INTO services (tenant_id, name, description, duration_minutes,
                         price_amount, currency, charge_type)
                       VALUES (:'p1', 'Servicio', 'Servicio de prueba', 30, 0, 'COP', 'free')
                       RETURNING id),
                 p AS (INSERT INTO professionals (tenant_id, name, timezone)
                       VALUES (:'p1', 'Pro', 'America/Bogota') RETURNING id)
            INSERT INTO reservations (tenant_id, service_id, professional_id, status, starts_at,
                   ends_at, blocked, customer_name, customer_email, customer_phone,
                   accepted_terms_at, currency)
            SELECT :'p1', s.id, p.id, 'paid', now() + interval '3 days',
                   now() + interval '3 days 30 minutes',
                   tstzrange(now() + interval '3 days', now() + interval '3 days 30 minutes'),
                   'Ana', 'ana@example.com', '+573001234567', now(), 'COP'
            FROM s, p RETURNING id""", tenant, db_url=db_url)
        r = tenant_view.post("/api/admin/bookings/%s/callback" % booking)
        assert r.status_code == 202, r.text
        got = wait_for(lambda: [x for x in fakes.requests("merchant")
                                if x["path"].endswith("/callback/rotation")], what="the callback")
        check_callback_signatures(got[0], secret)
        # the Wompi secrets open: the reconciliation job asks Wompi with the private key
        fakes.config("wompi", events_url=None, merchants={wompi["public_key"]: {
            "id": 9, "name": "Llaves", "private_key": wompi["private_key"],
            "events_secret": wompi["events_secret"], "integrity_secret": wompi["integrity_secret"]}})
        reference = "KF-ROT" + secrets.token_hex(8).upper()
        # Wompi knows the approval before the payment is due: a job that asked first would
        # hear "not found" and wait out the reconciliation's backoff (minutes)
        fakes._call("POST", "/wompi/_control/transactions", json={
            "public_key": wompi["public_key"], "reference": reference,
            "amount_in_cents": 5000000, "status": "APPROVED", "send": False})
        psql("""
            WITH r AS (INSERT INTO reservations (tenant_id, service_id, professional_id, status,
                         starts_at, ends_at, blocked, expires_at, customer_name, customer_email,
                         customer_phone, accepted_terms_at, charge_type, charge_amount, currency)
                       SELECT tenant_id, service_id, professional_id, 'pending_payment',
                              starts_at + interval '1 day', ends_at + interval '1 day',
                              tstzrange(starts_at + interval '1 day', ends_at + interval '1 day'),
                              now() + interval '30 minutes', 'Ana', 'ana@example.com',
                              '+573001234567', now(), 'total', 5000000, 'COP'
                       FROM reservations WHERE id = :'p1' RETURNING id, tenant_id)
            INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount,
                                  currency, expires_at, created_at, reconcile_next_at)
            SELECT tenant_id, id, 'wompi', 'test', :'p2', 5000000, 'COP',
                   now() + interval '30 minutes', now() - interval '10 minutes',
                   now() - interval '5 minutes' FROM r""",
             booking, reference, db_url=db_url)
        wait_for(lambda: psql("SELECT status FROM payments WHERE reference = :'p1'", reference,
                              db_url=db_url) == "approved", timeout=20, what="the reconciled payment")
        assert not [l for l in extra.error_lines() if "does not open" in l], extra.error_lines()


def test_a_rotation_to_a_key_the_running_server_does_not_seal_with_is_refused(stack, own_db):
    """konfirmado-reseal reads the running server's key ids on its status page: sealing the
    stored secrets under a key the server has not loaded (it could open none of them), or one
    it has but does not seal with (its new secrets would stay under the key about to be
    dropped), is refused with the reason and the fix, and nothing is re-sealed."""
    db, db_url = own_db
    d = _scratch_dir("keys-")
    old, new = key_file(d, "old.key"), key_file(d, "new.key")
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-reseal")
    sealed = lambda: psql("SELECT callback_secret_sealed FROM tenants",  # noqa: E731
                          db_url=db_url)

    def reseal(*args, page_text=None):
        return subprocess.run([tool] + list(args) + ["--key", new, "--key", old, db_url],
                              input=page_text, capture_output=True, text=True)

    with start_extra_httpd(conf_with_keys(db, [old], mail=False)) as extra:
        _, client, _, _ = session_client(extra, db_url)
        secret = client.post("/api/admin/tenant/callback-secret").json()["secret"]
        old_only = status_page(extra, d)
        before = sealed()
        assert before.startswith("v1.%s." % kid_of(old))
        # the new key created, but not in the site yet (or Apache not reloaded)
        run = reseal("--server-status", old_only)
        assert run.returncode == 3, run.stdout + run.stderr
        assert "refused, nothing was re-sealed" in run.stderr
        assert "does not have key %s (it has %s)" % (kid_of(new), kid_of(old)) in run.stderr
        assert "KonfirmadoKeyFile" in run.stderr and "apachectl graceful" in run.stderr
        assert sealed() == before
    # the new key loaded, but after the old one: the server still seals with the old one
    with start_extra_httpd(conf_with_keys(db, [old, new], mail=False)) as extra:
        second = status_page(extra, d)
    run = reseal("--server-status", second)
    assert run.returncode == 3
    assert "has key %s but seals with %s" % (kid_of(new), kid_of(old)) in run.stderr
    assert sealed() == before
    # one of two servers not ready is enough to refuse
    with start_extra_httpd(conf_with_keys(db, [new, old], mail=False)) as extra:
        ready = status_page(extra, d)
    run = reseal("--server-status", ready, "--server-status", old_only)
    assert run.returncode == 3 and "does not have key" in run.stderr
    assert sealed() == before
    # no page, or what a refused scrape leaves (curl -f writes nothing): nothing is done either
    run = reseal()
    assert run.returncode == 2 and "--server-status" in run.stderr
    empty = os.path.join(d, "refused.txt")
    open(empty, "w").close()
    run = reseal("--server-status", empty)
    assert run.returncode == 3 and "names no key of a running server" in run.stderr
    run = reseal("--server-status", os.path.join(d, "no-such-page.txt"))
    assert run.returncode == 2 and "cannot read the status page" in run.stderr
    assert sealed() == before
    # the page piped in, from the server that seals with the new key: re-sealed
    with open(ready, encoding="utf-8") as f:
        run = reseal("--server-status", "-", page_text=f.read())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "tenants.callback_secret_sealed: 1 re-sealed" in run.stdout
    assert sealed().startswith("v1.%s." % kid_of(new))
    assert secret not in run.stdout + run.stderr


def test_the_status_page_names_every_key_the_server_loaded_never_a_key(stack, own_db):
    """Two KonfirmadoKeyFile lines: both key ids, the first marked as the one that seals."""
    db, _ = own_db
    d = _scratch_dir("keys-")
    old, new = key_file(d, "old.key"), key_file(d, "new.key")
    with start_extra_httpd(conf_with_keys(db, [new, old], mail=False)) as extra:
        with open(status_page(extra, d), encoding="utf-8") as f:
            text = f.read()
        server = "%s:%d" % (stack["KF_BASE_DOMAIN"], extra.port)
    lines = [l for l in text.splitlines() if l.startswith("konfirmado_key_info{")]
    assert lines == ['konfirmado_key_info{server="%s",kid="%s",sealing="1"} 1' % (server, kid_of(new)),
                     'konfirmado_key_info{server="%s",kid="%s",sealing="0"} 1' % (server, kid_of(old))]
    for path in (old, new):
        with open(path, "rb") as f:
            key = f.read()
        for shown in (key.hex(), base64.b64encode(key).decode().rstrip("="),
                      base64.urlsafe_b64encode(key).decode().rstrip("=")):
            assert shown.lower() not in text.lower()


def test_every_sealed_column_of_the_schema_is_one_the_tool_reseals(stack):
    """A column added later to hold a sealed value (named *_sealed, as every one is) that
    konfirmado-reseal does not know would keep the old key's ciphertext after a rotation and
    stop opening once the old key is dropped."""
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-reseal")
    listed = subprocess.run([tool, "--list"], capture_output=True, text=True, check=True)
    resealed = set(listed.stdout.split())
    sealed = set(psql("SELECT table_name || '.' || column_name FROM information_schema.columns"
                      " WHERE table_schema = 'public' AND column_name LIKE '%\\_sealed'").split())
    assert len(sealed) >= 10
    assert sealed - resealed == set()
    # the mail bodies are sealed while queued, under names of their own
    assert {"mail_outbox.body_text", "mail_outbox.body_html", "mail_outbox.calendar"} <= resealed


def due_booking(tenant, email, db_url, start_in="10 minutes"):
    """A paid booking of `email` starting soon, paid a day ago: the reminder job's next one."""
    return psql("""
        WITH s AS (INSERT INTO services (tenant_id, name, description, duration_minutes,
                     price_amount, currency, charge_type)
                   VALUES (:'p1', 'Consulta', 'Consulta de prueba', 30, 0, 'COP', 'free') RETURNING id),
             p AS (INSERT INTO professionals (tenant_id, name, timezone)
                   VALUES (:'p1', 'Pro', 'America/Bogota') RETURNING id),
             r AS (INSERT INTO reservations (tenant_id, service_id, professional_id, status,
                     starts_at, ends_at, blocked, customer_name, customer_email, accepted_terms_at,
                     currency)
                   SELECT :'p1', s.id, p.id, 'paid', now() + :'p3'::interval,
                          now() + :'p3'::interval + interval '30 minutes',
                          tstzrange(now() + :'p3'::interval, now() + :'p3'::interval + interval '30 minutes'),
                          'Ana', :'p2', now(), 'COP'
                   FROM s, p RETURNING id)
        INSERT INTO reservation_history (reservation_id, from_status, to_status, created_at)
        SELECT id, 'pending_payment', 'paid', now() - interval '1 day' FROM r
        RETURNING reservation_id""", tenant, email, start_in, db_url=db_url)


def one_click_of(maildir, email, n):
    """The one-click URL's path and query of the newest of `n` reminder mails to `email`."""
    from payments_helpers import wait_for as wait
    mails = wait(lambda: [m for m in maildir.new(to=email) if m["List-Unsubscribe"]][n - 1:],
                 what="the reminder mail")
    url = re.match(r"<(http[^>]+)>", re.sub(r"\s+", " ", mails[0]["List-Unsubscribe"])).group(1)
    return "/" + url.split("/", 3)[3]


def test_a_reminders_unsubscribe_link_works_after_the_key_that_made_it_is_gone(stack, own_db, maildir):
    """The links in reminder mails already sent keep working after a rotation that drops the
    key they were made under, and later reminders carry the same link. A link of a mail sent
    before tokens were kept (the row's id sealed) opens while its key is listed."""
    db, db_url = own_db
    d = _scratch_dir("keys-")
    old, new = key_file(d, "old.key"), key_file(d, "new.key")
    one_click = {"data": "List-Unsubscribe=One-Click",
                 "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
    ana, bea, cata = ("%s-%s@example.com" % (n, secrets.token_hex(4)) for n in ("ana", "bea", "cata"))

    def reminders_on(email):
        return psql("SELECT reminders_email FROM customer_preferences WHERE email = :'p1'", email,
                    db_url=db_url)

    # 1. the old key only: Ana's reminder mail carries her link
    with start_extra_httpd(conf_with_keys(db, [old])) as extra:
        tenant, *_ = session_client(extra, db_url)
        subdomain = "llaves-%s" % secrets.token_hex(3)
        host = "%s.%s" % (subdomain, stack["KF_BASE_DOMAIN"])
        psql("UPDATE tenants SET subdomain = :'p2', reminders = '{15}' WHERE id = :'p1'", tenant,
             subdomain, db_url=db_url)
        due_booking(tenant, ana, db_url)
        link = one_click_of(maildir, ana, 1)
    assert reminders_on(ana) == "t"
    # Bea's and Cata's mails were sent before tokens were kept: their rows' ids sealed
    legacy = {}
    for email in (bea, cata):
        row = psql("INSERT INTO customer_preferences (tenant_id, email) VALUES (:'p1', :'p2') RETURNING id",
                   tenant, email, db_url=db_url)
        legacy[email] = sealed_with(old, row, b"customer_preferences.unsubscribe")

    # 2. the new key first, the old one after it (as the server's status page says); the
    #    tool re-seals the kept token
    tool = os.path.join(stack["KF_SRCDIR"], "tools", "konfirmado-reseal")
    with start_extra_httpd(conf_with_keys(db, [new, old])) as extra:
        page = status_page(extra, _scratch_dir("keys-"))
        run = subprocess.run([tool, "--server-status", page, "--key", new, "--key", old, db_url],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "customer_preferences.unsubscribe_token_sealed: 1 re-sealed" in run.stdout, run.stdout
        r = extra.api().post("/api/public/unsubscribe?token=" + legacy[bea], host=host, **one_click)
        assert r.status_code == 200, r.text
    assert reminders_on(bea) == "f"

    # 3. the new key only: Ana's link from the first mail still unsubscribes, and her next
    #    reminder carries the same link
    with start_extra_httpd(conf_with_keys(db, [new])) as extra:
        due_booking(tenant, ana, db_url, start_in="12 minutes")
        assert one_click_of(maildir, ana, 2) == link
        r = extra.api().post(link, host=host, **one_click)
        assert r.status_code == 200, r.text
        assert r.json()["reminders_email"] is False
        # a link of before kept tokens whose key is gone names nobody any more
        r = extra.api().post("/api/public/unsubscribe?token=" + legacy[cata], host=host, **one_click)
        assert r.status_code == 404 and r.json()["error"]["code"] == "token_not_found"
        assert not [line for line in extra.error_lines() if "does not open" in line], extra.error_lines()
    assert reminders_on(ana) == "f" and reminders_on(cata) == "t"
