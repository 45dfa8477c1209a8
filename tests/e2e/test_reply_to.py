"""Where customers' replies go (API.md "Replies, embedding, outages"): the tenant's
reply_to_email (GET|PATCH /api/admin/tenant), an address or null; every mail to a customer
about a booking or a purchase carries Reply-To: that address, else the notification address,
else the owner's verified one, over SMTP (the stack's relay), Resend ("reply_to") and the
maildir capture alike, From staying the platform's; the portal's sign-in mail and the
professional's notice carry none. A value that is not an address changes nothing."""
import email
import email.policy
import os
import secrets

import pytest

from conftest import psql
from customers_support import Customer, book, free_scenario, new_email
from mail_transport_support import (capture_folder, only_server, outbox_row, queue, resend_conf,
                                    transport_conf)
from payments_helpers import PayTenant, wait_for
from test_booking_mails import mails_to, text_of

PLATFORM_FROM = "Konfirmado <no-reply@konfirmado.localhost>"


def owner_of(tenant_id, verified=True):
    """The tenant's first user (its owner: made before the seed's), verified or not; the
    address."""
    address = "owner-%s@example.com" % secrets.token_hex(5)
    psql("""INSERT INTO users (tenant_id, email, password_hash, email_verified_at, created_at)
            VALUES (:'p1', :'p2', 'x', CASE WHEN :'p3' = 't' THEN now() END, '2020-01-01')""",
         tenant_id, address, "t" if verified else "f")
    return address


def set_tenant(tenant_id, reply_to=None, notification=None):
    psql("""UPDATE tenants SET reply_to_email = NULLIF(:'p2', ''),
                               notification_email = NULLIF(:'p3', '') WHERE id = :'p1'""",
         tenant_id, reply_to or "", notification or "")


def confirmation(maildir, address):
    [mail] = [m for m in mails_to(maildir, address) if "Reserva confirmada" in m["Subject"]]
    return mail


# ---------------------------------------------------------------- the setting


def test_the_setting_is_null_until_set_then_saved_and_cleared(merchant):
    t = merchant.api.get("/api/admin/tenant").json()["tenant"]
    assert "reply_to_email" in t and t["reply_to_email"] is None
    r = merchant.api.patch("/api/admin/tenant", json={"reply_to_email": "citas@negocio.example"})
    assert r.status_code == 200, r.text
    assert r.json()["tenant"]["reply_to_email"] == "citas@negocio.example"
    got = merchant.api.get("/api/admin/tenant").json()["tenant"]
    assert got["reply_to_email"] == "citas@negocio.example"
    r = merchant.api.patch("/api/admin/tenant", json={"reply_to_email": None})
    assert r.status_code == 200 and r.json()["tenant"]["reply_to_email"] is None


@pytest.mark.parametrize("bad", ["not-an-address", "a@b.co\r\nBcc: x@y.z", "a@b.co\nBcc: x@y.z",
                                 "Eve <eve@b.co>", 42, ""])
def test_a_value_that_is_no_address_is_refused_and_changes_nothing(merchant, bad):
    assert merchant.api.patch("/api/admin/tenant",
                              json={"reply_to_email": "citas@negocio.example"}).status_code == 200
    before = merchant.api.get("/api/admin/tenant").json()["tenant"]
    r = merchant.api.patch("/api/admin/tenant", json={"reply_to_email": bad, "name": "Otro nombre"})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == "validation_failed" and "reply_to_email" in err["fields"]
    after = merchant.api.get("/api/admin/tenant").json()["tenant"]
    assert after == before and after["reply_to_email"] == "citas@negocio.example"


# ---------------------------------------------------------------- the mails (SMTP relay)


def test_a_confirmation_replies_to_the_setting_else_the_notification_else_the_owner(api, maildir):
    sc = free_scenario(api)
    owner = owner_of(sc.tenant_id)
    pro = "pro-%s@example.com" % secrets.token_hex(5)
    psql("UPDATE professionals SET email = :'p1' WHERE id = :'p2'", pro, sc.professional_id)
    set_tenant(sc.tenant_id, reply_to="citas@negocio.example", notification="agenda@negocio.example")
    first = new_email()
    book(sc, first, slot=0)
    mail = confirmation(maildir, first)
    assert mail["Reply-To"] == "citas@negocio.example"
    assert mail["From"] == PLATFORM_FROM
    # the professional's notice is the business's own: no Reply-To
    [notice] = mails_to(maildir, pro)
    assert notice["Subject"].startswith("Nueva reserva") and notice["Reply-To"] is None

    set_tenant(sc.tenant_id, notification="agenda@negocio.example")
    second = new_email()
    book(sc, second, slot=1)
    assert confirmation(maildir, second)["Reply-To"] == "agenda@negocio.example"

    set_tenant(sc.tenant_id)
    third = new_email()
    book(sc, third, slot=2)
    assert confirmation(maildir, third)["Reply-To"] == owner


def test_an_owner_who_never_verified_gets_no_replies(api, maildir):
    sc = free_scenario(api)
    owner_of(sc.tenant_id, verified=False)
    customer = new_email()
    book(sc, customer)
    mail = confirmation(maildir, customer)
    assert mail["Reply-To"] is None and mail["From"] == PLATFORM_FROM


def test_the_portal_sign_in_mail_carries_no_reply_to(api, maildir):
    sc = free_scenario(api)
    set_tenant(sc.tenant_id, reply_to="citas@negocio.example")
    customer = new_email()
    book(sc, customer)
    assert confirmation(maildir, customer)["Reply-To"] == "citas@negocio.example"
    c = Customer(api, sc.subdomain, customer)
    assert c.login().status_code == 202
    [sign_in] = [m for m in mails_to(maildir, customer, n=2) if "/book/me?token=" in text_of(m)]
    assert sign_in["Reply-To"] is None


def test_a_paid_bookings_confirmation_replies_where_the_merchant_said(merchant, fakes, stack, maildir):
    r = merchant.api.patch("/api/admin/tenant", json={"reply_to_email": "recepcion@negocio.example"})
    assert r.status_code == 200, r.text
    shop = PayTenant(merchant, fakes, stack)
    booking, ref = shop.pending_booking()
    shop.fire(ref)
    mail = [m for m in mails_to(maildir, "ana@example.com")
            if "Reserva confirmada" in m["Subject"]][-1]
    assert mail["Reply-To"] == "recepcion@negocio.example"
    assert mail["From"] == PLATFORM_FROM


# ---------------------------------------------------------------- the other transports


def customers_mail(tenant_id, to):
    """A mail to a customer queued as a booking's is (its replies go to the business)."""
    mail = queue(to, subject="Reserva confirmada: Consulta", tenant_id=tenant_id)
    psql("UPDATE mail_outbox SET reply_to_business = true WHERE id = :'p1'", mail)
    return mail


def test_resend_is_given_reply_to(fakes, api):
    sc = free_scenario(api)
    set_tenant(sc.tenant_id, notification="agenda@negocio.example")
    to, other = new_email(), new_email()
    with only_server(resend_conf()):
        mail = customers_mail(sc.tenant_id, to)
        plain = queue(other, tenant_id=sc.tenant_id)
        wait_for(lambda: outbox_row(mail)["sent"] and outbox_row(plain)["sent"], timeout=20,
                 what="the mails sent")
    emails = fakes._call("GET", "/resend/_control/emails")["emails"]
    [sent] = [e for e in emails if e["idempotency_key"] == mail]
    assert sent["reply_to"] == ["agenda@negocio.example"]
    assert sent["from"] == PLATFORM_FROM
    [unmarked] = [e for e in emails if e["idempotency_key"] == plain]
    assert unmarked["reply_to"] == []


def test_the_maildir_capture_keeps_reply_to(api):
    sc = free_scenario(api)
    set_tenant(sc.tenant_id, reply_to="citas@negocio.example")
    folder = capture_folder()
    to = new_email()
    with only_server(transport_conf("KonfirmadoMailTransport maildir \"%s\"" % folder)):
        mail = customers_mail(sc.tenant_id, to)
        wait_for(lambda: outbox_row(mail)["sent"], timeout=20, what="the mail captured")
    # the server captures every mail due meanwhile, other tests' too: this one is to `to`
    new = os.path.join(folder, "new")
    mails = []
    for name in os.listdir(new):
        with open(os.path.join(new, name), "rb") as f:
            mails.append(email.message_from_binary_file(f, policy=email.policy.default))
    [captured] = [m for m in mails if to in str(m["To"])]
    assert captured["Reply-To"] == "citas@negocio.example"
    assert captured["From"] == PLATFORM_FROM
