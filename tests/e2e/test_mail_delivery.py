"""Outgoing mail: the delivery job takes what is queued in mail_outbox to the SMTP sink
(KF_MAILDIR) as multipart text + HTML mail in UTF-8, keeps it through a mail server
outage and retries it, gives up on what can never be delivered, and sends each mail
once even with several httpd children and two httpd servers on one database.

No endpoint sends mail in this branch yet, so mails are queued straight into the outbox,
as kfm_mail_queue does inside the transaction of a request."""
import os
import secrets
import time

import booking_seed
from conftest import mail_down, psql, start_extra_httpd
from status_support import mails_retrying

FROM_ADDRESS = "no-reply@konfirmado.localhost"


def new_address():
    return "mail-%s@example.com" % secrets.token_hex(6)


def queue(recipient, subject="Asunto", text="Texto\n", html="<p>HTML</p>\n", age=None):
    """Queues one mail; returns its id. `age` (an SQL interval) backdates it."""
    return psql("""
        INSERT INTO mail_outbox (recipient, subject, body_text, body_html, created_at)
        VALUES (:'p1', :'p2', :'p3', :'p4', now() - COALESCE(NULLIF(:'p5', '')::interval, '0'))
        RETURNING id""", recipient, subject, text, html, age or "")


def queue_many(n):
    """n mails in one transaction (so that they are all due at once); returns their ids."""
    out = psql("""
        INSERT INTO mail_outbox (recipient, subject, body_text, body_html)
        SELECT 'bulk-' || i || '-' || :'p1' || '@example.com', 'Lote ' || i, 'Texto ' || i,
               '<p>' || i || '</p>'
        FROM generate_series(1, :'p2'::int) AS i
        RETURNING id""", secrets.token_hex(4), n)
    return out.split()


def row(mail_id):
    out = psql("""
        SELECT attempts, COALESCE(last_error, ''), sent_at IS NOT NULL, failed_at IS NOT NULL,
               next_attempt_at > now()
        FROM mail_outbox WHERE id = :'p1'""", mail_id)
    attempts, last_error, sent, failed, later = out.split("|")
    return {"attempts": int(attempts), "last_error": last_error, "sent": sent == "t",
            "failed": failed == "t", "waiting": later == "t"}


def wait_row(mail_id, predicate, timeout=20):
    end = time.time() + timeout
    while True:
        r = row(mail_id)
        if predicate(r):
            return r
        assert time.time() < end, "mail %s never got there: %r" % (mail_id, r)
        time.sleep(0.2)


def message_id_of(mail_id):
    return "<%s@konfirmado.localhost>" % mail_id


def delivered(maildir, mail_ids, timeout=30):
    """Waits until every id arrived; returns {id: [messages with that Message-ID]}."""
    wanted = {message_id_of(i): i for i in mail_ids}
    end = time.time() + timeout
    while True:
        found = {i: [] for i in mail_ids}
        for msg in maildir.new():
            if msg["Message-ID"] in wanted:
                found[wanted[msg["Message-ID"]]].append(msg)
        missing = [i for i, msgs in found.items() if not msgs]
        if not missing:
            return found
        assert time.time() < end, "%d of %d mails never arrived" % (len(missing), len(mail_ids))
        time.sleep(0.2)


def test_a_queued_mail_arrives_as_multipart_text_and_html_in_utf8(maildir):
    to = new_address()
    subject = "Confirma tu correo — Clínica Ñandú"
    text = "Hola:\n\nConfirma tu correo: https://konfirmado.localhost/verify?t=a=b\n\n— Konfirmado ✓\n"
    html = "<p>Hola, <a href=\"https://konfirmado.localhost/verify?t=a\">confirma</a> ñ ✓</p>\n"
    mail_id = queue(to, subject, text, html)

    [msg] = delivered(maildir, [mail_id])[mail_id]
    assert msg["X-Envelope-To"] == to                     # the SMTP envelope
    assert msg["Return-Path"] == "<%s>" % FROM_ADDRESS
    assert msg["To"] == to
    assert msg["From"].addresses[0].addr_spec == FROM_ADDRESS
    assert msg["From"].addresses[0].display_name == "Konfirmado"
    assert msg["Subject"] == subject                      # RFC 2047, decoded intact
    assert msg["Message-ID"] == message_id_of(mail_id)
    assert msg["Date"].datetime is not None
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert parts[0].get_content() == text
    assert parts[1].get_content() == html

    r = row(mail_id)
    assert r["sent"] and r["attempts"] == 1 and r["last_error"] == ""


def test_a_mail_queued_while_the_mail_server_is_down_is_kept_and_delivered_later(maildir):
    address = new_address()
    with mail_down():
        mail_id = queue(address, "Restablece tu contraseña", "Enlace ñ\n", "<p>ñ</p>\n")
        r = wait_row(mail_id, lambda r: r["attempts"] >= 1)
        assert not r["sent"] and not r["failed"]
        assert "connect" in r["last_error"].lower(), r["last_error"]
        assert r["waiting"]                               # a retry is scheduled, not lost
        assert maildir.new(to=address) == []
    [msg] = delivered(maildir, [mail_id])[mail_id]
    assert msg["Subject"] == "Restablece tu contraseña"
    r = wait_row(mail_id, lambda r: r["sent"])
    assert r["attempts"] >= 2 and r["last_error"] == ""
    time.sleep(2)                                         # and only once
    assert len(delivered(maildir, [mail_id])[mail_id]) == 1


def test_a_mail_undelivered_for_48_hours_is_given_up_and_logged(maildir, allow_log):
    allow_log(r"given up after")
    address = new_address()
    with mail_down():
        mail_id = queue(address, age="49 hours")
        r = wait_row(mail_id, lambda r: r["failed"])
    assert r["attempts"] == 1 and not r["sent"]
    assert r["last_error"]
    time.sleep(2)                                         # the sink is back: still not sent
    assert not row(mail_id)["sent"]
    assert maildir.new(to=address) == []


def test_a_mail_the_relay_refuses_for_good_fails_at_once_and_is_not_tried_again(maildir,
                                                                               allow_log):
    allow_log(r"given up after 1 attempt")
    address = "bounce-%s@example.com" % secrets.token_hex(5)
    mail_id = queue(address)
    r = wait_row(mail_id, lambda r: r["failed"])
    assert r["attempts"] == 1 and not r["sent"]
    assert "550" in r["last_error"], r["last_error"]
    time.sleep(2.5)                          # past the first retry's wait: nothing more
    assert row(mail_id)["attempts"] == 1
    assert maildir.new(to=address) == []


def test_a_sender_the_relay_refuses_keeps_the_mail_queued_and_alerts_until_it_goes(
        maildir, api, allow_log):
    """The relay's 5xx to MAIL FROM is about us (its setting, our sender), not the recipient:
    the mail waits on the retry schedule and the status page shows it until it goes."""
    allow_log(r"mail \S+ to \S+ not delivered .*MAIL failed: 553")
    before = mails_retrying(api, "sender")
    switch = os.path.join(maildir.path, ".refuse-sender")
    open(switch, "w").close()
    try:
        address = new_address()
        mail_id = queue(address)
        r = wait_row(mail_id, lambda r: r["attempts"] >= 2)
        assert not r["failed"] and not r["sent"] and r["waiting"], r
        assert "553" in r["last_error"], r["last_error"]
        assert mails_retrying(api, "sender") == before + 1
    finally:
        os.remove(switch)
    psql("UPDATE mail_outbox SET next_attempt_at = now() WHERE id = :'p1'", mail_id)
    wait_row(mail_id, lambda r: r["sent"])
    assert len(maildir.new(to=address)) == 1
    assert mails_retrying(api, "sender") == before


def test_a_recipient_that_would_inject_headers_is_never_sent(maildir, allow_log):
    allow_log(r"given up after 1 attempt")
    mail_id = queue("ana@example.com\r\nBcc: victim@example.com")
    r = wait_row(mail_id, lambda r: r["failed"])
    assert r["last_error"] == "not deliverable: recipient is not a valid address"
    time.sleep(1.5)
    assert maildir.new(to="victim@example.com") == [] and maildir.new(subject="Asunto") == []


def test_each_mail_is_delivered_once_with_several_children(maildir):
    ids = queue_many(25)                                  # more than one run's batch
    found = delivered(maildir, ids)
    assert all(len(msgs) == 1 for msgs in found.values())
    time.sleep(1.5)
    assert len(maildir.new(to="bulk-")) == len(ids)
    assert psql("SELECT count(*) FROM mail_outbox WHERE id = ANY(string_to_array(:'p1', ',')::uuid[])"
                " AND sent_at IS NOT NULL AND attempts = 1", ",".join(ids)) == str(len(ids))


def connections_of(found):
    """The relay's connections that carried these mails (the sink numbers each one)."""
    return {msgs[0]["X-Sink-Connection"] for msgs in found.values()}


def test_a_queue_of_mails_goes_to_the_relay_over_a_few_connections(maildir):
    """Each connection costs the relay a greeting (and, over TLS, a handshake): a queue's
    mails share them rather than taking one each."""
    ids = queue_many(25)
    found = delivered(maildir, ids)
    assert all(len(msgs) == 1 for msgs in found.values())
    assert len(connections_of(found)) <= 5, sorted(connections_of(found))


def test_a_relay_that_closes_the_connection_after_a_mail_still_gets_each_mail_once(maildir):
    """A relay that takes one message per connection says 421 to the next one: that mail goes
    at once on a new connection, in the same attempt."""
    tag = secrets.token_hex(4)
    ids = psql("""
        INSERT INTO mail_outbox (recipient, subject, body_text, body_html)
        SELECT 'close-after-' || i || '-' || :'p1' || '@example.com', 'Una por conexión ' || i,
               'Texto ' || i, '<p>' || i || '</p>'
        FROM generate_series(1, 12) AS i
        RETURNING id""", tag).split()
    found = delivered(maildir, ids)
    assert all(len(msgs) == 1 for msgs in found.values())
    assert len(connections_of(found)) == len(ids)
    assert psql("SELECT count(*) FROM mail_outbox WHERE id = ANY(string_to_array(:'p1', ',')::uuid[])"
                " AND sent_at IS NOT NULL AND attempts = 1 AND last_error IS NULL",
                ",".join(ids)) == str(len(ids))


def test_two_httpd_servers_on_one_database_do_not_send_a_mail_twice(maildir):
    with start_extra_httpd() as extra:
        ids = queue_many(40)
        found = delivered(maildir, ids)
        time.sleep(2)
        bad = [line for line in extra.error_lines() if "[konfirmado:error]" in line]
        assert bad == []
    assert all(len(msgs) == 1 for msgs in found.values())
    assert len(maildir.new(to="bulk-")) == len(ids)
    assert psql("SELECT count(*) FROM mail_outbox WHERE id = ANY(string_to_array(:'p1', ',')::uuid[])"
                " AND sent_at IS NOT NULL AND attempts = 1", ",".join(ids)) == str(len(ids))


def test_one_business_s_burst_does_not_hold_back_another_s_mail(maildir):
    """A business queues 300 mails at once (a class's reminders, say), and a moment later
    another business's one confirmation is queued: it goes out among the first ones, not
    behind the 300."""
    busy, _ = booking_seed.tenant()
    other, _ = booking_seed.tenant()
    tag = secrets.token_hex(4)
    ids = psql("""
        WITH burst AS (
          INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html,
                                   next_attempt_at, created_at)
          SELECT :'p1', 'burst-' || i || '-' || :'p3' || '@example.com', 'Recordatorio ' || i,
                 'Texto', '<p>Texto</p>', now() - interval '1 minute', now() - interval '1 minute'
          FROM generate_series(1, 300) AS i RETURNING id),
        lone AS (
          INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html)
          VALUES (:'p2', 'lone-' || :'p3' || '@example.com', 'Confirmación', 'Texto',
                  '<p>Texto</p>') RETURNING id)
        SELECT id FROM lone UNION ALL SELECT id FROM burst""", busy, other, tag).split()
    lone = ids[0]
    delivered(maildir, ids, timeout=120)
    after = psql("SELECT count(*) FROM mail_outbox WHERE tenant_id = :'p1' AND sent_at >"
                 " (SELECT sent_at FROM mail_outbox WHERE id = :'p2')", busy, lone)
    assert int(after) >= 250, "the other business's mail went after %d of the 300" % (300 - int(after))
