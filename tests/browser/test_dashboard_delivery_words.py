"""Failed deliveries in plain words, on the real stack: each mail, text or notification to the
merchant's site that did not go says what happened and what to do (the mailbox does not
exist, the server did not answer, refused as spam, a full mailbox, our mail service, a number
that is not valid or answered STOP, the business's Twilio settings, the site's timeout, error
or certificate), with what the provider said behind "Details"; what each one was gets a name
with its technical one beside it (booking.paid). At 1280 px a table, at 360 px one card per
delivery: no word or button broken, nothing cut, in Spanish and English."""
import pytest
from selenium.webdriver.common.by import By

from conftest import DESKTOP, MOBILE, no_horizontal_scroll, resize
from dashboard_support import (broken_words, e2e, e2e_helper, heading, lines_of, log_in,
                               overflowing, stack_env, wait)

LUCIA = "lucia.fernandez.montoya@correo-corporativo-ejemplo.com.co"
SITE = "https://reservas.clinica-sur-ejemplo.com.co/integraciones/konfirmado/avisos-de-reservas"

# what the outboxes keep of each failure, as the mail job, the text job and the callback job
# write it: (address, what it was, error, mail fault)
MAILS = [
    (LUCIA, "Tu reserva está confirmada", "smtp error 55: RCPT failed: 550 (server said 550)", "recipient"),
    ("mario@clinica-ejemplo.com", "Recordatorio de tu cita",
     "smtp error 28: Operation timed out after 30000 milliseconds with 0 bytes received", "unreachable"),
    ("sofia@correo.example", "Tu reserva cambió de hora", "smtp error 8: Weird server reply (server said 554)", "sender"),
    ("pedro@correo.example", "Tu reserva está confirmada", "smtp error 55: RCPT failed: 552 (server said 552)", "recipient"),
    ("ana@correo.example", "Tu reserva fue cancelada", "smtp error 67: Login denied (server said 535)", "sender"),
]
TEXTS = [  # lead minutes tell them apart (one text per booking, kind, lead and start)
    (1440, "21211 The 'To' number +57300123 is not a valid phone number."),
    (60, "21610 Attempt to send to unsubscribed recipient"),
    (120, "20003 Authenticate"),
]
CALLBACKS = [("booking.paid", "timeout"), ("booking.cancelled", "HTTP 500"), ("booking.completed", "tls_error")]

# what the merchant reads: (text that finds the row, what happened, what to do)
SAID = {
    "es": [
        (LUCIA, "El buzón de %s no existe (el servidor de correo respondió 550)." % LUCIA,
         "Confirma el correo con tu cliente, corrígelo en la reserva y vuelve a enviarlo."),
        ("mario@", "El servidor de correo no respondió.", "Dejamos de intentarlo; vuelve a enviarlo cuando quieras."),
        ("sofia@", "El servidor de correo de sofia@correo.example rechazó el mensaje por considerarlo spam (respondió 554).",
         "Pídele a tu cliente que revise su carpeta de spam o te dé otro correo."),
        ("pedro@", "El buzón de pedro@correo.example está lleno (el servidor de correo respondió 552).",
         "Pídele a tu cliente que libere espacio o te dé otro correo; luego vuelve a enviarlo."),
        ("ana@correo", "Nuestro servicio de correo no aceptó el envío (respondió 535).",
         "Es un problema de nuestro lado, no de tu cliente ni de tu cuenta: ya nos llegó el aviso."),
        ("21211", "El número +573001234567 no es válido o no puede recibir mensajes (código de Twilio 21211).",
         "Confirma el número con tu cliente, corrígelo en la reserva y vuelve a enviarlo."),
        ("STOP", "+573001234567 pidió no recibir más mensajes (respondió STOP).",
         "No le enviaremos más mensajes de texto; escríbele por correo."),
        ("20003", "Twilio no aceptó el envío con los datos de tu cuenta (código de Twilio 20003).",
         "Revisa la configuración de mensajes de texto (Twilio) en Recordatorios y vuelve a enviarlo."),
        ("Reserva pagada", "Tu servidor no respondió a tiempo.",
         "Tu sitio debe responder en menos de 10 segundos; revisa qué lo demora y vuelve a enviarlo."),
        ("Reserva cancelada", "Tu servidor tuvo un error al recibir el aviso (respondió 500).",
         "Revisa los registros de errores de tu sitio y vuelve a enviarlo."),
        ("Cita atendida", "No pudimos abrir una conexión segura (HTTPS) con tu servidor.",
         "Revisa que el certificado HTTPS de tu sitio esté vigente y vuelve a enviarlo."),
    ],
    "en": [
        (LUCIA, "The mailbox %s does not exist (the mail server answered 550)." % LUCIA,
         "Check the address with your customer, correct it on the booking and send it again."),
        ("mario@", "The mail server did not answer.", "We stopped trying; send it again whenever you like."),
        ("sofia@", "The mail server of sofia@correo.example refused the message as spam (it answered 554).",
         "Ask your customer to check their spam folder or give you another address."),
        ("pedro@", "The mailbox pedro@correo.example is full (the mail server answered 552).",
         "Ask your customer to free some space or give you another address; then send it again."),
        ("ana@correo", "Our mail service did not accept the mail (it answered 535).",
         "The problem is on our side, not your customer's or your account's: we have been alerted."),
        ("21211", "The number +573001234567 is not valid or cannot receive texts (Twilio code 21211).",
         "Check the number with your customer, correct it on the booking and send it again."),
        ("STOP", "+573001234567 asked to get no more texts (they answered STOP).",
         "We will not text this number again; write to them by mail."),
        ("20003", "Twilio did not accept the text with your account's details (Twilio code 20003).",
         "Check the text message (Twilio) settings in Reminders and send it again."),
        ("Booking paid", "Your server did not answer in time.",
         "Your site must answer within 10 seconds; check what slows it down and send it again."),
        ("Booking cancelled", "Your server had an error receiving the notification (it answered 500).",
         "Check your site's error logs and send it again."),
        ("Appointment attended", "We could not open a secure (HTTPS) connection to your server.",
         "Check that your site's HTTPS certificate is valid and send it again."),
    ],
}


@pytest.fixture(scope="module")
def stack():
    return stack_env()


@pytest.fixture(scope="module")
def failures(stack):
    seed = e2e_helper("admin_bookings_seed")
    m = e2e.seed_merchant(stack, business="Clínica Sur")
    e2e.psql("UPDATE tenants SET callback_url = :'p2' WHERE id = :'p1'", m.tenant_id, SITE)
    service = seed.add_service(m, name="Limpieza dental")
    pro = seed.add_professional(m, name="Dra. Rivas")
    booking = seed.add_booking(m, service, pro, "2026-03-02T15:00:00Z", phone="+573001234567")
    e2e.psql("""INSERT INTO tenant_messaging_settings (tenant_id, account_sid, sender, channel,
                    secrets_sealed, token_last4)
                VALUES (:'p1', 'AC0123456789abcdef0123456789abcdef', '+14155550100', 'sms', 'x', 'abcd')""",
             m.tenant_id)
    for to, subject, error, fault in MAILS:
        e2e.psql("""INSERT INTO mail_outbox (tenant_id, reservation_id, recipient, subject, body_text,
                        body_html, attempts, last_error, last_fault, failed_at)
                    VALUES (:'p1', :'p2', :'p3', :'p4', '', '', 3, :'p5', :'p6', now())""",
                 m.tenant_id, booking, to, subject, error, fault)
    for lead, error in TEXTS:
        e2e.psql("""INSERT INTO message_outbox (tenant_id, reservation_id, lead_minutes, starts_at,
                        recipient, status, attempts, last_error)
                    VALUES (:'p1', :'p2', :'p3', '2026-03-02T15:00:00Z', '+573001234567', 'failed', 1, :'p4')""",
                 m.tenant_id, booking, lead, error)
    for event, error in CALLBACKS:
        e2e.psql("""INSERT INTO merchant_callbacks (tenant_id, reservation_id, event, body, status,
                        attempts, last_error, last_status_code)
                    VALUES (:'p1', :'p2', :'p3', '{}', 'failed', 8, :'p4',
                            NULLIF(substring(:'p4' from 'HTTP ([0-9]+)'), '')::int)""",
                 m.tenant_id, booking, event, error)
    # a mail still being tried: on its booking, it says the next try will come
    e2e.psql("""INSERT INTO mail_outbox (tenant_id, reservation_id, recipient, subject, body_text,
                    body_html, attempts, last_error, last_fault, next_attempt_at)
                VALUES (:'p1', :'p2', 'julia@correo.example', 'Recordatorio de tu cita', '', '', 2,
                        'smtp error 28: Operation timed out after 30000 milliseconds', 'unreachable',
                        now() + interval '1 day')""", m.tenant_id, booking)
    return m, booking


def row_with(d, text):
    return wait(d, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "main tbody tr")
                                   if text in r.text), None), 10, "no delivery showing %r" % text)


def assert_fits(d, where):
    w = d.kf_size[0]
    assert no_horizontal_scroll(d), "the deliveries scroll sideways at %d px" % w
    cut = overflowing(d, "main td, main th, main td *, main button")
    assert not cut, "cut or spilling at %d px (%s): %s" % (w, where, cut)
    broken = broken_words(d, "main table")
    assert not broken, "words broken across lines at %d px (%s): %s" % (w, where, broken)
    for b in d.find_elements(By.CSS_SELECTOR, "main table button"):
        if b.is_displayed():
            assert lines_of(d, b) == 1, "the button %r wraps at %d px" % (b.text, w)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_each_failed_delivery_says_what_happened_and_what_to_do(browser, stack, failures, shots, lang):
    m, booking = failures
    d = browser(lang, DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/deliveries")
    heading(d, "Envíos que fallaron" if lang == "es" else "Deliveries that failed")
    for size in (DESKTOP, MOBILE):
        resize(d, size)
        for find, happened, todo in SAID[lang]:
            row = row_with(d, find)
            text = " ".join(row.text.split())
            assert happened in text, "%r not in %r" % (happened, text)
            assert todo in text, "%r not in %r" % (todo, text)
            # the provider's own words stay folded away
            assert "smtp error" not in text and "Authenticate" not in text and "tls_error" not in text, text
        assert_fits(d, lang)
        shots(d, "dashboard-deliveries-words-" + lang)

    # what the provider said is behind "Details"
    row = row_with(d, LUCIA)
    summary = row.find_element(By.CSS_SELECTOR, "details summary")
    assert summary.text == ("Detalles" if lang == "es" else "Details")
    summary.click()
    wait(d, lambda d: "smtp error 55: RCPT failed: 550 (server said 550)" in row.text)
    assert_fits(d, lang + ", details open")
    shots(d, "dashboard-deliveries-details-" + lang)

    # a number that answered STOP is not offered a re-send; a bounced mail is
    assert not row_with(d, "STOP").find_elements(By.TAG_NAME, "button")
    assert row.find_elements(By.TAG_NAME, "button")
    # what each one was, named, with its technical name beside it
    site = row_with(d, "booking.paid")
    assert ("Reserva pagada" if lang == "es" else "Booking paid") in site.text
    code = site.find_element(By.XPATH, ".//*[normalize-space()='booking.paid']")
    assert float(code.value_of_css_property("font-size")[:-2]) < float(
        site.find_element(By.CSS_SELECTOR, "td").value_of_css_property("font-size")[:-2])


def test_at_phone_width_each_delivery_is_a_card_not_a_squeezed_table(browser, stack, failures, shots):
    m, booking = failures
    d = browser("es", MOBILE)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/deliveries")
    heading(d, "Envíos que fallaron")
    row = row_with(d, LUCIA)
    # what happened reads across the card, not in a column beside its label
    width = row.rect["width"]
    why = row.find_element(By.XPATH, ".//*[contains(normalize-space(), 'no existe')]")
    assert why.rect["width"] >= 0.8 * width, (why.rect, row.rect)
    # the re-send button is a finger's size and reads whole
    button = row.find_element(By.TAG_NAME, "button")
    assert button.rect["height"] >= 44 and lines_of(d, button) == 1
    assert_fits(d, "cards")


def test_a_mail_still_being_tried_says_we_try_again(browser, stack, failures, shots):
    m, booking = failures
    d = browser("es", DESKTOP)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + booking)
    row = row_with(d, "julia@correo.example")
    text = " ".join(row.text.split())
    assert "El servidor de correo no respondió. Lo intentaremos de nuevo." in text, text
    assert "Volver a enviar" not in text
    resize(d, MOBILE)
    assert_fits(d, "booking")
    shots(d, "dashboard-booking-deliveries-words")


@pytest.mark.parametrize("lang,size", [("es", MOBILE), ("en", DESKTOP)])
def test_a_bookings_notification_attempts_say_what_happened(browser, stack, shots, lang, size):
    seed = e2e_helper("admin_bookings_seed")
    m = e2e.seed_merchant(stack, business="Clínica Este")
    service = seed.add_service(m, name="Control")
    pro = seed.add_professional(m, name="Dr. Paz")
    booking = seed.add_booking(m, service, pro, "2026-03-03T15:00:00Z")
    # the site timed out, then answered 500
    e2e.psql("""WITH c AS (INSERT INTO merchant_callbacks (tenant_id, reservation_id, event, body,
                               status, attempts, last_status_code, last_error, next_attempt_at)
                           VALUES (:'p1', :'p2', 'booking.paid', '{}', 'pending', 2, 500, 'HTTP 500',
                                   now() + interval '1 hour') RETURNING id)
                INSERT INTO callback_attempts (callback_id, attempt, status_code, latency_ms, error, at)
                SELECT c.id, n, CASE n WHEN 2 THEN 500 END, 30,
                       CASE n WHEN 1 THEN 'timeout' END, now() - make_interval(mins => 10 * (3 - n))
                FROM c, generate_series(1, 2) n""", m.tenant_id, booking)
    d = browser(lang, size)
    log_in(d, stack["KF_URL"], m.email, m.password, next_path="/dashboard/bookings/" + booking)
    section = wait(d, lambda d: next((s for s in d.find_elements(By.CSS_SELECTOR, "section")
                                      if s.get_attribute("aria-labelledby") == "callback-title"
                                      and s.find_elements(By.CSS_SELECTOR, "tbody tr")), None),
                   10, "no callback attempts")
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})", section)
    text = " ".join(section.text.split())
    said = {"es": ("Qué pasó", "Tu servidor no respondió a tiempo.",
                   "Tu servidor tuvo un error al recibir el aviso (respondió 500)."),
            "en": ("What happened", "Your server did not answer in time.",
                   "Your server had an error receiving the notification (it answered 500).")}[lang]
    # the column's name is read at desktop width; a phone shows one card per attempt
    if size == DESKTOP:
        assert said[0].lower() in text.lower(), text
    for words in said[1:]:
        assert words in text, "%r not in %r" % (words, text)
    # the connection's own word stays behind "Details"
    assert "timeout" not in text
    summary = section.find_element(By.CSS_SELECTOR, "details summary")
    summary.click()
    wait(d, lambda d: "timeout" in section.text)
    assert no_horizontal_scroll(d)
    shots(d, "dashboard-booking-callback-attempts-" + lang)
