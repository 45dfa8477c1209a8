"""The capture transport (KonfirmadoMailTransport maildir <folder>): on a server with no mail
relay, every mail becomes one file in the folder's new/ (Maildir: written under tmp/, then
moved), and none is sent; a merchant signs up and verifies with the mail found there, its
link decoded by konfirmado-mail."""
import email
import email.policy
import os
import subprocess
import time

from accounts_support import link_in, login, new_email, register
from conftest import Api, random_loopback_ip
from mail_transport_support import capture_folder, only_server, outbox_row, queue, transport_conf
from payments_helpers import wait_for

PASSWORD = "correct horse battery"


def captured(folder, to):
    """The mails in folder/new/ addressed to `to`, as (file name, message)."""
    new = os.path.join(folder, "new")
    out = []
    for name in sorted(os.listdir(new)) if os.path.isdir(new) else []:
        with open(os.path.join(new, name), "rb") as f:
            m = email.message_from_binary_file(f, policy=email.policy.default)
        if to in str(m["To"]):
            out.append((name, m))
    return out


def mail_tool(folder, *args):
    """konfirmado-mail of the source tree on the folder: its output."""
    tool = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "konfirmado-mail")
    run = subprocess.run([tool, "--maildir", folder, *args], capture_output=True, text=True,
                         timeout=30)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_a_merchant_signs_up_and_verifies_with_the_mail_captured_on_disk(maildir):
    folder = capture_folder()
    address = new_email("captured")
    conf = transport_conf("KonfirmadoMailTransport maildir \"%s\"" % folder)
    with only_server(conf) as extra:
        client = Api(extra.stack, source_ip=random_loopback_ip())
        r = register(client, address, PASSWORD, "Clínica Sin Relay")
        assert r.status_code == 201, r.text
        [(name, mail)] = wait_for(lambda: captured(folder, address), timeout=20,
                                  what="the verification mail in the maildir")
        link, token = link_in(mail, "verify-email")
        assert link == "%s/verify-email?token=%s" % (extra.stack["KF_URL"], token)
        # the file as it lies on disk is quoted-printable: the link copied from it is broken,
        # konfirmado-mail gives it whole
        with open(os.path.join(folder, "new", name), "rb") as f:
            assert link.encode() not in f.read()
        assert mail_tool(folder, "show", "--links", "--to", address).splitlines()[0] == link
        shown = mail_tool(folder, "show", "--to", address)
        assert "To: %s" % address in shown and "\nLinks:\n  %s\n" % link in shown + "\n"
        listed = mail_tool(folder, "list")
        assert name.split(":")[0] in listed and address in listed
        r = client.post("/api/auth/verify-email", json={"token": token})
        assert r.status_code == 200, r.text
        r = login(client, address, PASSWORD)
        assert r.status_code == 200, r.text
        assert r.json()["user"]["email_verified"] is True
        client.session.close()
    # a whole file, named for the maildir, nothing left half-written, nothing sent
    assert os.listdir(os.path.join(folder, "tmp")) == []
    assert name.endswith(".konfirmado.localhost") and "P" in name and ".M" in name
    assert mail["Return-Path"] == "<no-reply@konfirmado.localhost>"
    assert mail["Delivered-To"] == address
    with open(os.path.join(folder, "new", name), "rb") as f:
        assert b"\r\n" not in f.read(), "a maildir file has LF line ends"
    time.sleep(1)
    assert maildir.new(to=address) == [], "a captured mail reached the SMTP relay"


def test_each_mail_is_its_own_file_and_is_recorded_as_sent(maildir):
    folder = capture_folder()
    to = new_email("many")
    with only_server(transport_conf("KonfirmadoMailTransport maildir \"%s\"" % folder)):
        ids = [queue(to, subject="Aviso %d" % i) for i in range(3)]
        wait_for(lambda: all(outbox_row(i)["sent"] for i in ids), timeout=20,
                 what="the mails recorded as sent")
    files = captured(folder, to)
    assert sorted(str(m["Subject"]) for _, m in files) == ["Aviso 0", "Aviso 1", "Aviso 2"]
    assert len({n for n, _ in files}) == 3
    assert sorted(m["Message-ID"] for _, m in files) == sorted(
        "<%s@konfirmado.localhost>" % i for i in ids)
    assert maildir.new(to=to) == []
