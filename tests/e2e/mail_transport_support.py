"""The stack's database served by one httpd whose mail leaves by another transport
(KonfirmadoMailTransport): the stack's own httpd is stopped meanwhile, so that its SMTP job
takes none of the mails; started again afterwards."""
import contextlib
import os

from conftest import _scratch_dir, psql, render_conf, stack_cmd, start_extra_httpd

RESEND_KEY = "re_test_key"


def resend_key_file(mode=0o640):
    d = _scratch_dir("resend-")
    path = os.path.join(d, "resend.key")
    with open(path, "w", encoding="utf-8") as f:
        f.write(RESEND_KEY + "\n")
    os.chmod(path, mode)
    return path


def transport_conf(*lines):
    """The stack's configuration with these lines in place of KonfirmadoMailURL."""
    return render_conf({"KonfirmadoMailURL": list(lines)})


def resend_conf():
    return transport_conf("KonfirmadoMailTransport resend",
                          'KonfirmadoResendKeyFile "%s"' % resend_key_file())


def capture_folder():
    """A folder for a maildir transport, which httpd's workers may write into."""
    d = os.path.join(_scratch_dir("capture-"), "mail")
    os.makedirs(d)
    os.chmod(d, 0o777)
    return d


@contextlib.contextmanager
def only_server(conf_text):
    """The extra httpd from conf_text, the only one sending mail while the block runs."""
    stack_cmd("httpd", "stop")
    try:
        with start_extra_httpd(conf_text) as extra:
            yield extra
    finally:
        stack_cmd("httpd", "start")


def queue(recipient, subject="Asunto", text="Texto\n", html="<p>HTML</p>\n", calendar=None,
          method=None, tenant_id=None, booking_id=None):
    """One mail queued as kfm_mail_queue_into does (bodies plain: written by hand); its id."""
    return psql("""
        INSERT INTO mail_outbox (recipient, subject, body_text, body_html, calendar,
                                 calendar_method, tenant_id, reservation_id)
        VALUES (:'p1', :'p2', :'p3', :'p4', NULLIF(:'p5', ''), NULLIF(:'p6', ''),
                NULLIF(:'p7', '')::uuid, NULLIF(:'p8', '')::uuid)
        RETURNING id""", recipient, subject, text, html, calendar or "", method or "",
                tenant_id or "", booking_id or "")


def outbox_row(mail_id):
    out = psql("""SELECT attempts, COALESCE(last_error, ''), sent_at IS NOT NULL,
                         failed_at IS NOT NULL FROM mail_outbox WHERE id = :'p1'""", mail_id)
    attempts, last_error, sent, failed = out.split("|")
    return {"attempts": int(attempts), "last_error": last_error, "sent": sent == "t",
            "failed": failed == "t"}
