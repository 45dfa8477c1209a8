"""Change notices a person can act on (API.md "After booking"): a move shows the time before
and the new one side by side, in the reader's zone and the other party's; a cancellation shows
who cancelled, the reason, the refund (amount, currency, state) and, to the customer, the
booking link to book again; the customer's text says the same in one line."""
import re
import secrets

from booking_seed import today_plus, utc
from conftest import psql
from payments_helpers import PayTenant, callbacks_for, wait_for
from mail_times_support import as_read
from test_booking_mails import book_free, mails_to, spanish, text_of
from test_booking_reschedule_admin import session_for
from test_messaging import account, texts


def with_texts(stack, fakes, tenant_id):
    settings = account(fakes)
    r = session_for(stack, tenant_id).put("/api/admin/tenant/messaging/twilio", json=settings)
    assert r.status_code == 200, r.text
    return settings["account_sid"]


def test_a_move_shows_the_time_before_beside_the_new_one(api, stack, fakes, maildir):
    sc, booking, email, pro_email, old = book_free(api, "America/Bogota", day=today_plus(5))
    sid = with_texts(stack, fakes, sc.tenant_id)
    new_start = [s["start"] for s in sc.slots(**{"from": today_plus(6), "days": 1})][2]
    hold = sc.hold(new_start).json()["hold"]
    r = api.post("/api/public/bookings/%s/reschedule" % booking["id"], json={"hold_token": hold["token"]},
                 headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200, r.text
    new = utc(new_start)
    _, moved = mails_to(maildir, email, n=2)
    assert ("Antes: %s\nHora del profesional: %s\nNueva hora: %s\nHora del profesional: %s\n"
            % (spanish(old, "America/Bogota"), spanish(old, "Europe/Madrid"),
               spanish(new, "America/Bogota"), spanish(new, "Europe/Madrid"))) in text_of(moved)
    _, notice = mails_to(maildir, pro_email, n=2)
    assert ("Antes: %s\nHora del cliente: %s\nAhora: %s\n"
            % (spanish(old, "Europe/Madrid"), spanish(old, "America/Bogota"),
               spanish(new, "Europe/Madrid"))) in text_of(notice)
    html = as_read(moved.get_body(preferencelist=("html",)).get_content())
    assert ">Antes</td>" in html and spanish(old, "America/Bogota") in html
    [sms] = wait_for(lambda: texts(fakes, sid), what="the text of the move")
    assert "pasó de %s a %s." % (spanish(old, "America/Bogota"), spanish(new, "America/Bogota")) in as_read(sms["body"])
    # one line, and the first text to a number says how to stop them on a line of its own
    notice, opt_out = sms["body"].split("\n")
    assert opt_out == "Responde BAJA o STOP para no recibir más mensajes."


def test_a_cancellation_says_who_why_and_where_to_book_again(api, stack, fakes, maildir):
    sc, booking, email, pro_email, start = book_free(api, "America/Bogota", day=today_plus(5))
    sid = with_texts(stack, fakes, sc.tenant_id)
    r = api.post("/api/public/bookings/%s/cancel" % booking["id"], json={"reason": "No puedo ir"},
                 headers={"Authorization": "Bearer " + booking["token"]})
    assert r.status_code == 200, r.text
    _, cancelled = mails_to(maildir, email, n=2)
    text = text_of(cancelled)
    assert "Cancelada por: el cliente\nMotivo: No puedo ir\n" in text
    assert "Devolución" not in text                   # a free booking: nothing goes back
    again = re.search(r"Reserva de nuevo: (http\S+/book/(\S+))\n", text)
    assert again and again.group(2) == sc.slug
    assert api.get("/api/public/links/" + again.group(2)).status_code == 200
    # the professional is told who and why, without the customer's link
    _, notice = mails_to(maildir, pro_email, n=2)
    assert "Cancelada por: el cliente\nMotivo: No puedo ir\n" in text_of(notice)
    assert "Reserva de nuevo" not in text_of(notice)
    [sms] = wait_for(lambda: texts(fakes, sid), what="the text of the cancellation")
    notice, opt_out = sms["body"].split("\n")
    assert notice.endswith("fue cancelada por el cliente (No puedo ir). Reserva de nuevo: " + again.group(1))
    assert opt_out == "Responde BAJA o STOP para no recibir más mensajes."


def test_a_merchant_cancellation_with_a_refund_in_english(merchant, fakes, stack, maildir):
    shop = PayTenant(merchant, fakes, stack)
    psql("UPDATE tenants SET locale = 'en' WHERE id = :'p1'", shop.tenant_id)
    booking, ref = shop.pending_booking()
    email = "cliente-%s@example.com" % secrets.token_hex(5)
    psql("UPDATE reservations SET customer_email = :'p1' WHERE id = :'p2'", email, booking)
    shop.fire(ref)
    wait_for(lambda: callbacks_for(fakes, shop), what="booking.paid")
    r = shop.api.post("/api/admin/bookings/%s/cancel" % booking,
                      json={"reason": "Closed for the flood", "refund": {"amount": 5000050}})
    assert r.status_code == 200, r.text
    assert r.json()["refund"]["status"] == "manual"
    _, cancelled = mails_to(maildir, email, n=2)
    assert ("Cancelled by: the business\nReason: Closed for the flood\n"
            "Refund: COP 50,000.50 (the business returns it to you directly)\n") in text_of(cancelled)
