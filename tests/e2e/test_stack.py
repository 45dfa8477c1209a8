"""The stack and the harness: env, httpd answering on the platform and tenant hosts,
config rendering, configtest, a second httpd, outages."""
import os
import socket

import pytest

from conftest import configtest, mail_down, pg_down, render_conf, start_extra_httpd

REQUIRED_KEYS = ["KF_URL", "KF_BASE_DOMAIN", "KF_PORT", "KF_PGURL", "KF_PGPORT", "KF_FAKES_URL",
                 "KF_SMTP_URL", "KF_MAILDIR", "KF_ERROR_LOG", "KF_HTTPD_CONF", "KF_RUNDIR",
                 "KF_SRCDIR", "KF_MODULE", "KF_KEYFILE"]


def test_stack_env_has_required_keys(stack):
    missing = [k for k in REQUIRED_KEYS if not stack.get(k)]
    assert missing == []
    assert stack["KF_URL"] == "http://konfirmado.localhost:%s" % stack["KF_PORT"]
    assert stack["KF_PGURL"] == "postgresql://konfirmado@127.0.0.1:%s/konfirmado" % stack["KF_PGPORT"]
    st = os.stat(stack["KF_KEYFILE"])
    assert st.st_size == 32 and st.st_mode & 0o077 == 0


def test_httpd_answers_platform_and_tenant_hosts(api):
    # Any HTTP answer: /api/health may be 404/503 while the module is young.
    r = api.get("/api/health")
    assert 100 <= r.status_code < 600
    r = api.get("/api/health", tenant="acme")
    assert 100 <= r.status_code < 600
    assert r.url.startswith("http://acme.konfirmado.localhost:")


def test_rendered_config_passes_configtest():
    code, out = configtest(render_conf())
    assert code == 0, out


def test_render_conf_replaces_removes_adds():
    text = render_conf({"KonfirmadoHoldTTL": "KonfirmadoHoldTTL 5",
                        "KonfirmadoProviderURL wompi-sandbox": None},
                       add=["# added"], remove=["KonfirmadoPaymentWindow"])
    lines = [l.strip() for l in text.splitlines()]
    assert "KonfirmadoHoldTTL 5" in lines
    assert not any(l.startswith("KonfirmadoProviderURL wompi-sandbox") for l in lines)
    assert any(l.startswith("KonfirmadoProviderURL wompi-production") for l in lines)
    assert not any(l.startswith("KonfirmadoPaymentWindow") for l in lines)
    assert lines[-1] == "# added"


def test_configtest_reports_a_bad_directive():
    code, out = configtest(render_conf(add=["NoSuchDirective on"]))
    assert code != 0
    assert "NoSuchDirective" in out


def test_extra_httpd_serves_on_its_own_port(stack):
    with start_extra_httpd() as extra:
        assert extra.port != int(stack["KF_PORT"])
        r = extra.api().get("/api/health")
        assert 100 <= r.status_code < 600
        pid = int(open(extra.pidfile).read())
    assert _gone(pid)


def _gone(pid):
    """No such process, or only a zombie (when PID 1 of a container does not reap)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1].startswith("Z")
    except OSError:
        return True


def _listening(port):
    try:
        socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
        return True
    except OSError:
        return False


def test_pg_outage_and_recovery(stack, allow_log):
    # background jobs (mail, merchant callbacks, expiry) run every second and may meet
    # the outage: mod_dbd's and our database-lost lines are expected then
    allow_log(r"\[dbd:error\]", r"connection lost", r"database unreachable")
    with pg_down():
        assert not _listening(stack["KF_PGPORT"])
    assert _listening(stack["KF_PGPORT"])


def test_mail_outage_and_recovery(stack):
    with mail_down():
        assert not _listening(stack["KF_SMTP_PORT"])
    assert _listening(stack["KF_SMTP_PORT"])
