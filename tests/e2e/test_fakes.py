"""The fakes themselves: control API, the merchant callback receiver, the SMTP sink."""
import os
import smtplib
import time
from email.message import EmailMessage

import pytest
import requests


def test_health_lists_fakes(fakes):
    h = fakes.health()
    assert h["ok"] is True
    assert "merchant" in h["fakes"]


def test_merchant_records_requests(fakes):
    r = requests.post(fakes.base("merchant") + "/callback?x=1&y=two",
                      json={"event": "booking.paid", "n": 1},
                      headers={"X-Konfirmado-Event": "booking.paid"}, timeout=10)
    assert r.status_code == 200
    assert r.json() == {"ok": True}
    got = fakes.requests("merchant")
    assert len(got) == 1
    rec = got[0]
    assert rec["method"] == "POST"
    assert rec["path"] == "/merchant/callback"
    assert rec["query"] == "x=1&y=two"
    assert rec["args"] == {"x": "1", "y": "two"}
    assert rec["headers"]["X-Konfirmado-Event"] == "booking.paid"
    assert rec["json"] == {"event": "booking.paid", "n": 1}
    assert rec["body"] == '{"event": "booking.paid", "n": 1}'
    assert abs(rec["time"] - time.time()) < 60


def test_merchant_status_sequence_then_default(fakes):
    fakes.config("merchant", statuses=[500, 500, 200], status=202)
    codes = [requests.post(fakes.base("merchant") + "/callback", data=b"{}", timeout=10).status_code
             for _ in range(5)]
    assert codes == [500, 500, 200, 202, 202]
    assert len(fakes.requests("merchant")) == 5


def test_reset_forgets_requests_and_config(fakes):
    fakes.config("merchant", status=503)
    requests.post(fakes.base("merchant") + "/callback", data=b"x", timeout=10)
    fakes.reset()
    assert fakes.requests("merchant") == []
    assert requests.post(fakes.base("merchant") + "/callback", data=b"x", timeout=10).status_code == 200


def test_merchant_delay_and_hang(fakes):
    fakes.config("merchant", delay=0.5)
    t = time.time()
    assert requests.post(fakes.base("merchant") + "/callback", data=b"x", timeout=10).status_code == 200
    assert time.time() - t >= 0.5
    fakes.config("merchant", delay=0, hang=0.3)
    with pytest.raises(requests.ConnectionError):
        requests.post(fakes.base("merchant") + "/callback", data=b"x", timeout=10)
    assert len(fakes.requests("merchant")) == 2


def test_chunked_body_is_recorded(fakes):
    r = requests.post(fakes.base("merchant") + "/callback", data=iter([b'{"a":', b' 1}']), timeout=10)
    assert r.status_code == 200
    assert fakes.requests("merchant")[0]["json"] == {"a": 1}


def test_control_api_errors(fakes):
    r = requests.post(fakes.url + "/_fakes/merchant/config", json={"nope": 1}, timeout=10)
    assert r.status_code == 400
    assert requests.get(fakes.url + "/_fakes/requests?fake=nope", timeout=10).status_code == 404
    assert requests.get(fakes.url + "/nofake/x", timeout=10).status_code == 404


def _send(stack, msg, rcpts):
    host, port = "127.0.0.1", int(stack["KF_SMTP_PORT"])
    with smtplib.SMTP(host, port, timeout=10) as s:
        s.ehlo("test.localhost")
        s.send_message(msg, from_addr="no-reply@konfirmado.localhost", to_addrs=rcpts)


def test_mailsink_writes_eml(stack, maildir):
    msg = EmailMessage()
    msg["From"] = "Konfirmado <no-reply@konfirmado.localhost>"
    msg["To"] = "ana@example.com"
    msg["Subject"] = "Reserva confirmada"
    msg.set_content("Hola Ana,\n.línea con punto\n..dos puntos\nfin\n")
    _send(stack, msg, ["ana@example.com", "copy@example.com"])
    got = maildir.wait(1, subject="Reserva confirmada")
    assert len(got) == 1
    m = got[0]
    assert m["Return-Path"] == "<no-reply@konfirmado.localhost>"
    assert m["X-Envelope-To"] == "ana@example.com, copy@example.com"
    assert m["Subject"] == "Reserva confirmada"
    body = m.get_content()
    assert "\n.línea con punto\n..dos puntos\n" in body     # dot-unstuffed exactly once
    leftovers = [n for n in os.listdir(stack["KF_MAILDIR"]) if n.endswith(".tmp")]
    assert leftovers == []


def test_mailsink_rset_and_several_messages(stack, maildir):
    port = int(stack["KF_SMTP_PORT"])
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
        s.ehlo()
        s.mail("a@example.com")
        s.rcpt("b@example.com")
        assert s.rset()[0] == 250
        assert s.noop()[0] == 250
        for i in range(2):
            s.sendmail("a@example.com", ["c%d@example.com" % i],
                       "Subject: n%d\r\n\r\nbody %d\r\n" % (i, i))
    got = maildir.wait(2, subject=None, to="@example.com")
    got = [m for m in got if str(m["Subject"]) in ("n0", "n1")]
    assert [m["Subject"] for m in got] == ["n0", "n1"]
    assert [m["X-Envelope-To"] for m in got] == ["c0@example.com", "c1@example.com"]
