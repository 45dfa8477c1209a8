/* Unit suite for lib/messaging/kf_booking_mail.c: what a booking's mails and texts say, as
 * the customer, the professional and the business read them once rendered, and whom each
 * event writes to. */
#include "kf_check.h"
#include "kf_booking_mail.h"
#include "kf_mail.h"
#include "kf_crypto.h"

#include <string.h>

/* A paid booking of a customer in Madrid with a professional in Bogotá, moved once. */
static kf_booking_mail_facts booking(void)
{
    return (kf_booking_mail_facts){
        .id = "5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11",
        .locale = KF_LOCALE_ES,
        .business = "Clínica Aurora",
        .brand_color = "",
        .notify_email = "citas@aurora.example",
        .service = "Consulta",
        .professional = "Dra. Ana",
        .professional_email = "ana@aurora.example",
        .professional_zone = "America/Bogota",
        .professional_local = "2026-12-01T10:00-05:00",
        .before_professional_local = "2026-11-30T09:00-05:00",
        .customer_name = "Luis",
        .customer_email = "luis@example.com",
        .customer_phone = "+573001112233",
        .customer_zone = "Europe/Madrid",
        .customer_local = "2026-12-01T16:00+01:00",
        .before_customer_local = "2026-11-30T15:00+01:00",
        .notes = "",
        .start = apr_time_from_sec(1796137200),   /* 2026-12-01 15:00 UTC */
        .end = apr_time_from_sec(1796139000),
        .sequence = 2,
        .charge_type = "full",
        .amount = 12000050,
        .currency = "COP",
        .place = {KF_LOCATION_IN_PERSON, "Calle 1 # 2-3", KF_VIDEO_URL},
        .link = "https://r.example/book/manage/5a1c?token=tok",
        .book_again = "https://r.example/book/aurora",
        .dashboard = "https://aurora.r.example/dashboard/bookings/5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11",
    };
}

/* Template `template_name` rendered with `vars` (stolen), as read (kf_test_as_read). */
static kf_mail_content rendered_mail(const char *template_name, kf_locale locale, json_t *vars)
{
    kf_mail_content mail;
    const char *why = NULL;
    ck_assert_ptr_nonnull(vars);
    apr_status_t rv = kf_mail_render(pool, template_name, locale, vars, &mail, &why);
    json_decref(vars);
    ck_assert_msg(rv == APR_SUCCESS, "%s: %s", template_name, why);
    mail.text = kf_test_as_read(mail.text);
    mail.html = kf_test_as_read(mail.html);
    return mail;
}

/* Its text part. */
static const char *rendered(const char *template_name, kf_locale locale, json_t *vars)
{
    return rendered_mail(template_name, locale, vars).text;
}

static void assert_has(const char *text, const char *part)
{
    ck_assert_msg(strstr(text, part) != NULL, "\"%s\" not in:\n%s", part, text);
}

static void assert_lacks(const char *text, const char *part)
{
    ck_assert_msg(strstr(text, part) == NULL, "\"%s\" in:\n%s", part, text);
}

START_TEST(the_customer_reads_their_time_the_professionals_the_place_and_the_amount)
{
    kf_booking_mail_facts f = booking();
    const char *text = rendered("booking_confirmed", KF_LOCALE_ES,
                                kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 1));
    assert_has(text, "Cuándo: martes, 1 de diciembre de 2026 · 4:00 p. m. (hora de Madrid, GMT+1)\n"
                     "Hora del profesional: martes, 1 de diciembre de 2026 · 10:00 a. m. "
                     "(hora de Bogota, GMT-5)\n"
                     "Dirección: Calle 1 # 2-3\n");
    assert_has(text, "Pago: COP 120.000,50\n");
    assert_has(text, "https://r.example/book/manage/5a1c?token=tok\n");

    /* the professional reads it the other way round, and never the customer's link */
    text = rendered("booking_notice", KF_LOCALE_ES,
                    kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 0));
    assert_has(text, "martes, 1 de diciembre de 2026 · 10:00 a. m. (hora de Bogota, GMT-5)\n"
                     "Hora del cliente: martes, 1 de diciembre de 2026 · 4:00 p. m. "
                     "(hora de Madrid, GMT+1)\n");
    assert_lacks(text, "token=");
    /* and nobody but them gets the dashboard */
    text = rendered("booking_confirmed", KF_LOCALE_ES,
                    kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 1));
    assert_lacks(text, "/dashboard/");

    /* one zone for both: no second line */
    f.customer_zone = "America/Bogota";
    f.customer_local = f.professional_local;
    text = rendered("booking_confirmed", KF_LOCALE_ES,
                    kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 1));
    assert_lacks(text, "Hora del profesional");
}
END_TEST

START_TEST(the_notice_says_who_booked_and_opens_the_booking_in_the_dashboard)
{
    kf_booking_mail_facts f = booking();
    f.notes = "Primera vez";
    kf_mail_content mail = rendered_mail("booking_notice", KF_LOCALE_ES,
                                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 0));
    assert_has(mail.text, "Cliente: Luis\nCorreo: luis@example.com\nTeléfono: +573001112233\n"
                          "Notas: Primera vez\n");
    assert_has(mail.text, "Ver la reserva en tu panel:\nhttps://aurora.r.example/dashboard/bookings/"
                          "5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11\n");
    assert_has(mail.html, "href=\"https://aurora.r.example/dashboard/bookings/"
                          "5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11\"");
    assert_has(mail.html, "href=\"mailto:luis@example.com\"");
    assert_has(mail.html, "href=\"tel:+573001112233\"");
    assert_has(mail.html, ">Teléfono</td>");
    /* no phone and no notes given: no such lines, in either part */
    f.customer_phone = "";
    f.notes = "";
    mail = rendered_mail("booking_notice", KF_LOCALE_EN,
                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 0));
    assert_has(mail.text, "Customer: Luis\nEmail: luis@example.com\n\nSee the booking in your "
                          "dashboard:\nhttps://aurora.r.example/dashboard/bookings/");
    assert_lacks(mail.text, "Phone");
    assert_lacks(mail.html, "Phone");
    assert_lacks(mail.html, "tel:");
    assert_lacks(mail.text, "Notes");
}
END_TEST

START_TEST(a_change_in_the_professionals_calendar_is_told_to_them_not_to_the_customer)
{
    kf_booking_mail_facts f = booking();
    kf_booking_recipient to[KF_BOOKING_RECIPIENTS_MAX];
    ck_assert_int_eq(kf_booking_calendar_changed_mails(&f, to), 2);
    ck_assert_str_eq(to[0].to, "ana@aurora.example");
    ck_assert_str_eq(to[1].to, "citas@aurora.example");
    ck_assert_str_eq(to[0].template_name, "booking_calendar_changed");
    ck_assert_int_eq(to[0].for_customer, 0);

    /* moved: the new time in the professional's zone, the booking's time as it stands */
    kf_mail_content mail = rendered_mail(
        "booking_calendar_changed", KF_LOCALE_ES,
        kf_booking_calendar_changed_vars(pool, &f, "moved", "2026-12-02T08:30-05:00"));
    assert_has(mail.text, "El evento de esta reserva se movió en tu calendario a miércoles, 2 de "
                          "diciembre de 2026 · 8:30 a. m. (hora de Bogota, GMT-5).\n");
    assert_has(mail.text, "no se canceló ni se movió, y Luis no recibió ningún aviso.");
    assert_has(mail.text, "Reserva: martes, 1 de diciembre de 2026 · 10:00 a. m.");
    assert_has(mail.text, "puedes mover la reserva a la nueva hora");
    assert_has(mail.text, "Abrir la reserva en el panel:\nhttps://aurora.r.example/dashboard/"
                          "bookings/5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11\n");
    assert_has(mail.html, "href=\"https://aurora.r.example/dashboard/bookings/");
    assert_lacks(mail.text, "token=tok");   /* the customer's page is theirs */

    /* deleted: nothing to move to */
    f.locale = KF_LOCALE_EN;
    mail = rendered_mail("booking_calendar_changed", KF_LOCALE_EN,
                         kf_booking_calendar_changed_vars(pool, &f, "deleted", NULL));
    ck_assert_str_eq(mail.subject, "Change in your calendar: Consulta, Luis");
    assert_has(mail.text, "The event of this booking was deleted from your calendar.\n");
    assert_has(mail.text, "you can cancel the booking");
    assert_lacks(mail.text, "new time");
    ck_assert_ptr_null(kf_booking_calendar_changed_vars(pool, &f, "renamed", NULL));

    /* the professional without an address: only the front desk */
    f.professional_email = NULL;
    ck_assert_int_eq(kf_booking_calendar_changed_mails(&f, to), 1);
    ck_assert_str_eq(to[0].to, "citas@aurora.example");
}
END_TEST

START_TEST(the_notice_of_a_move_says_before_and_now)
{
    kf_booking_mail_facts f = booking();
    kf_mail_content mail = rendered_mail("booking_rescheduled", KF_LOCALE_ES,
                                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_RESCHEDULED, 0));
    ck_assert_str_eq(mail.subject, "Reserva movida: Consulta, Luis");
    assert_has(mail.text, "Antes: lunes, 30 de noviembre de 2026 · 9:00 a. m. (hora de Bogota, GMT-5)\n"
                          "Hora del cliente: lunes, 30 de noviembre de 2026 · 3:00 p. m. "
                          "(hora de Madrid, GMT+1)\n"
                          "Ahora: martes, 1 de diciembre de 2026 · 10:00 a. m. (hora de Bogota, GMT-5)\n");
    assert_has(mail.text, "Cliente: Luis\nCorreo: luis@example.com\nTeléfono: +573001112233\n");
    assert_has(mail.text, "https://aurora.r.example/dashboard/bookings/");
    assert_has(mail.html, ">Antes</td>");
    assert_has(mail.html, ">Ahora</td>");
    assert_has(mail.html, "href=\"https://aurora.r.example/dashboard/bookings/");
    assert_lacks(mail.text, "token=");

    f.locale = KF_LOCALE_EN;
    mail = rendered_mail("booking_rescheduled", KF_LOCALE_EN,
                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_RESCHEDULED, 0));
    assert_has(mail.text, "Was: Monday, November 30, 2026 · 9:00 AM (Bogota time, GMT-5)\n");
    assert_has(mail.text, "Now: Tuesday, December 1, 2026 · 10:00 AM (Bogota time, GMT-5)\n");
    assert_has(mail.html, ">Was</td>");
    assert_has(mail.html, ">Now</td>");
}
END_TEST

START_TEST(the_notice_of_a_cancellation_says_who_the_customer_was)
{
    kf_booking_mail_facts f = booking();
    f.cancelled_by = "customer";
    f.cancel_reason = "No puedo ir";
    kf_mail_content mail = rendered_mail("booking_cancelled_notice", KF_LOCALE_ES,
                                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_CANCELLED, 0));
    ck_assert_str_eq(mail.subject, "Reserva cancelada: Consulta, Luis");
    assert_has(mail.text, "Era: martes, 1 de diciembre de 2026 · 10:00 a. m. (hora de Bogota, GMT-5)\n");
    assert_has(mail.text, "Cancelada por: el cliente\nMotivo: No puedo ir\n");
    assert_has(mail.text, "Cliente: Luis\nCorreo: luis@example.com\nTeléfono: +573001112233\n");
    assert_has(mail.text, "Ver la reserva en tu panel:\nhttps://aurora.r.example/dashboard/bookings/");
    assert_has(mail.html, "href=\"https://aurora.r.example/dashboard/bookings/");
    assert_lacks(mail.text, "Reserva de nuevo");
    /* the customer's copy has none of it */
    mail = rendered_mail("booking_cancelled", KF_LOCALE_ES,
                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_CANCELLED, 1));
    assert_lacks(mail.text, "/dashboard/");
    assert_lacks(mail.html, "/dashboard/");
}
END_TEST

START_TEST(what_was_paid_in_the_currencys_decimals)
{
    kf_booking_mail_facts f = booking();
    ck_assert_str_eq(kf_booking_paid_text(pool, &f), "COP 120.000,50");
    f.locale = KF_LOCALE_EN;
    f.charge_type = "partial";
    f.amount = 4550;
    f.currency = "USD";
    ck_assert_str_eq(kf_booking_paid_text(pool, &f),
                     "USD 45.50 (deposit; the rest at the appointment)");
    f.currency = "KWD";
    f.amount = 1250;
    f.charge_type = "full";
    ck_assert_str_eq(kf_booking_paid_text(pool, &f), "KWD 1.250");
    f.currency = "CLP";
    f.amount = 15000;
    ck_assert_str_eq(kf_booking_paid_text(pool, &f), "CLP 15,000");
    f.amount = 0;
    ck_assert_str_eq(kf_booking_paid_text(pool, &f), "Free");
    f.locale = KF_LOCALE_ES;
    f.charge_type = "free";
    ck_assert_str_eq(kf_booking_paid_text(pool, &f), "Sin costo");
    f.charge_type = "package";
    ck_assert_str_eq(kf_booking_paid_text(pool, &f), "Incluida en tu paquete");
}
END_TEST

START_TEST(a_move_shows_the_time_before_beside_the_new_one)
{
    kf_booking_mail_facts f = booking();
    f.locale = KF_LOCALE_EN;
    const char *text = rendered("booking_rescheduled_customer", KF_LOCALE_EN,
                                kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_RESCHEDULED, 1));
    assert_has(text, "Before: Monday, November 30, 2026 · 3:00 PM (Madrid time, GMT+1)\n"
                     "Professional's time: Monday, November 30, 2026 · 9:00 AM "
                     "(Bogota time, GMT-5)\n");
    assert_has(text, "New time: Tuesday, December 1, 2026 · 4:00 PM (Madrid time, GMT+1)\n");
    assert_has(text, "https://r.example/book/manage/5a1c?token=tok\n");

    ck_assert_str_eq(kf_test_as_read(kf_booking_rescheduled_text(pool, &f)),
                     "Clínica Aurora: your Consulta with Dra. Ana moved from Monday, November 30, "
                     "2026 · 3:00 PM (Madrid time, GMT+1) to Tuesday, December 1, 2026 · 4:00 PM "
                     "(Madrid time, GMT+1). Your booking: https://r.example/book/manage/5a1c?token=tok");

    /* no link could be made: the move is told without one */
    f.link = NULL;
    kf_mail_content mail = rendered_mail("booking_rescheduled_customer", KF_LOCALE_EN,
                                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_RESCHEDULED, 1));
    assert_lacks(mail.text, "open this link");
    assert_lacks(mail.html, "See, move or cancel my booking");
    assert_has(mail.text, "New time: Tuesday, December 1, 2026");
}
END_TEST

START_TEST(a_cancellation_says_who_why_the_refund_and_where_to_book_again)
{
    kf_booking_mail_facts f = booking();
    f.link = NULL;
    f.cancelled_by = "merchant";
    f.cancel_reason = "Cerramos por lluvia";
    f.refund_amount = 12000050;
    f.refund_status = "pending";
    const char *text = rendered("booking_cancelled", KF_LOCALE_ES,
                                kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_CANCELLED, 1));
    assert_has(text, "Era: martes, 1 de diciembre de 2026 · 4:00 p. m. (hora de Madrid, GMT+1)\n");
    assert_has(text, "Cancelada por: el negocio\nMotivo: Cerramos por lluvia\n"
                     "Devolución: COP 120.000,50 (en trámite)\n"
                     "Reserva de nuevo: https://r.example/book/aurora\n");

    /* the professional and the business are told the same, without the customer's link */
    text = rendered("booking_cancelled_notice", KF_LOCALE_ES,
                    kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_CANCELLED, 0));
    assert_has(text, "Devolución: COP 120.000,50 (en trámite)\n");
    assert_lacks(text, "Reserva de nuevo");

    ck_assert_str_eq(kf_test_as_read(kf_booking_cancelled_text(pool, &f)),
                     "Clínica Aurora: tu Consulta con Dra. Ana, martes, 1 de diciembre de 2026 · "
                     "4:00 p. m. (hora de Madrid, GMT+1), fue cancelada por el negocio (Cerramos por lluvia). "
                     "Devolución: COP 120.000,50 (en trámite). Reserva de nuevo: "
                     "https://r.example/book/aurora");
}
END_TEST

START_TEST(each_event_writes_to_the_customer_the_professional_and_the_business)
{
    kf_booking_mail_facts f = booking();
    kf_booking_recipient to[KF_BOOKING_RECIPIENTS_MAX];
    ck_assert_int_eq(kf_booking_mails_for(KF_BOOKING_MAIL_PAID, &f, to), 3);
    ck_assert_str_eq(to[0].to, "luis@example.com");
    ck_assert_str_eq(to[0].template_name, "booking_confirmed");
    ck_assert_int_eq(to[0].for_customer, 1);
    ck_assert_str_eq(to[0].attendee_name, "Luis");
    ck_assert_str_eq(to[1].to, "ana@aurora.example");
    ck_assert_str_eq(to[1].template_name, "booking_notice");
    ck_assert_str_eq(to[1].attendee_name, "Dra. Ana");
    ck_assert_str_eq(to[2].to, "citas@aurora.example");
    ck_assert_str_eq(to[2].attendee_name, "Clínica Aurora");

    /* a move: the customer's own mail, with or without their link, and the notice */
    ck_assert_int_eq(kf_booking_mails_for(KF_BOOKING_MAIL_RESCHEDULED, &f, to), 3);
    ck_assert_str_eq(to[0].template_name, "booking_rescheduled_customer");
    ck_assert_str_eq(to[1].template_name, "booking_rescheduled");
    ck_assert_str_eq(to[2].template_name, "booking_rescheduled");
    f.link = NULL;
    kf_booking_mails_for(KF_BOOKING_MAIL_RESCHEDULED, &f, to);
    ck_assert_str_eq(to[0].template_name, "booking_rescheduled_customer");
    ck_assert_int_eq(kf_booking_mails_for(KF_BOOKING_MAIL_CANCELLED, &f, to), 3);
    ck_assert_str_eq(to[0].template_name, "booking_cancelled");
    ck_assert_str_eq(to[1].template_name, "booking_cancelled_notice");
    ck_assert_str_eq(to[2].template_name, "booking_cancelled_notice");

    /* the business's address is the professional's: one mail; no customer address: none */
    f.notify_email = "ANA@aurora.example";
    f.customer_email = "";
    ck_assert_int_eq(kf_booking_mails_for(KF_BOOKING_MAIL_CANCELLED, &f, to), 1);
    ck_assert_str_eq(to[0].to, "ana@aurora.example");
    ck_assert_str_eq(to[0].template_name, "booking_cancelled_notice");
    ck_assert_int_eq(kf_booking_mail_method(KF_BOOKING_MAIL_CANCELLED), KF_ICS_CANCEL);
    ck_assert_int_eq(kf_booking_mail_method(KF_BOOKING_MAIL_PAID), KF_ICS_REQUEST);
}
END_TEST

START_TEST(every_member_of_a_team_is_told_as_its_professional_is)
{
    kf_booking_mail_facts f = booking();
    f.team_count = 3;
    f.team_names[0] = "Dr. Beto";
    f.team_emails[0] = "beto@aurora.example";
    /* a member whose address is the business's: told once, as the member */
    f.team_names[1] = "Dra. Carla";
    f.team_emails[1] = "CITAS@aurora.example";
    /* a member sharing the professional's address: no second mail */
    f.team_names[2] = "Dra. Ana (2)";
    f.team_emails[2] = "ana@aurora.example";
    kf_booking_recipient to[KF_BOOKING_RECIPIENTS_MAX];
    ck_assert_int_eq(kf_booking_mails_for(KF_BOOKING_MAIL_PAID, &f, to), 4);
    ck_assert_str_eq(to[1].to, "ana@aurora.example");
    ck_assert_str_eq(to[2].to, "beto@aurora.example");
    ck_assert_str_eq(to[2].template_name, "booking_notice");
    ck_assert_int_eq(to[2].for_customer, 0);
    ck_assert_str_eq(to[2].attendee_name, "Dr. Beto");
    ck_assert_str_eq(to[3].to, "CITAS@aurora.example");
    ck_assert_str_eq(to[3].attendee_name, "Dra. Carla");
    ck_assert_int_eq(kf_booking_mails_for(KF_BOOKING_MAIL_CANCELLED, &f, to), 4);
    ck_assert_str_eq(to[2].template_name, "booking_cancelled_notice");
}
END_TEST

START_TEST(the_invite_carries_the_place_and_only_the_customer_gets_the_link)
{
    kf_booking_mail_facts f = booking();
    const char *ics = kf_booking_invite(pool, &f, KF_ICS_REQUEST, "Luis", "luis@example.com",
                                        "no-reply@r.example", "r.example", apr_time_from_sec(1795000000));
    ck_assert_ptr_nonnull(ics);
    assert_has(ics, "UID:5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11@r.example\r\n");
    assert_has(ics, "SEQUENCE:2\r\n");
    assert_has(ics, "DTSTART:20261201T150000Z\r\n");
    assert_has(ics, "LOCATION:Calle 1 # 2-3\r\n");
    assert_has(ics, "SUMMARY:Consulta · Clínica Aurora\r\n");
    assert_has(ics, "token=tok");
    assert_has(ics, "mailto:no-reply@r.example");

    kf_booking_mail_facts theirs = kf_booking_mail_facts_for(&f, 0);
    ics = kf_booking_invite(pool, &theirs, KF_ICS_CANCEL, "Dra. Ana", "ana@aurora.example", NULL,
                            "r.example", apr_time_from_sec(1795000000));
    ck_assert_ptr_nonnull(ics);
    assert_has(ics, "METHOD:CANCEL\r\n");
    assert_has(ics, "DESCRIPTION:Con Dra. Ana.\\nDirección: Calle 1 # 2-3\r\n");
    assert_lacks(ics, "token=");
    assert_lacks(ics, "ORGANIZER");
}
END_TEST

START_TEST(the_invite_from_the_servers_settings)
{
    kf_booking_mail_facts f = booking();
    const char *ics = kf_booking_invite_from(pool, &f, KF_ICS_REQUEST, "Luis", "luis@example.com",
                                             "Aurora <citas@aurora.example>",
                                             "https://book.aurora.example/", apr_time_from_sec(1795000000));
    assert_has(ics, "UID:5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11@book.aurora.example\r\n");
    assert_has(ics, "mailto:citas@aurora.example");
    /* no sender configured, or one that is no mailbox: no organizer */
    ics = kf_booking_invite_from(pool, &f, KF_ICS_REQUEST, "Luis", "luis@example.com", NULL,
                                 "https://book.aurora.example", apr_time_from_sec(1795000000));
    assert_lacks(ics, "ORGANIZER");
    ics = kf_booking_invite_from(pool, &f, KF_ICS_REQUEST, "Luis", "luis@example.com",
                                 "not a mailbox", "https://book.aurora.example",
                                 apr_time_from_sec(1795000000));
    assert_lacks(ics, "ORGANIZER");
}
END_TEST

START_TEST(every_mail_carries_the_same_link_until_it_no_longer_opens)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, 9, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *hash = NULL, *sealed = NULL;
    apr_status_t refused = APR_EGENERAL;
    /* the first mail makes the token, and the caller keeps its hash and sealed form */
    const char *first = kf_booking_link_token(pool, keys, "b1", NULL, &hash, &sealed, &refused);
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(hash);
    ck_assert_ptr_nonnull(sealed);
    ck_assert_int_eq(refused, APR_SUCCESS);
    /* the next ones open the kept one: nothing new to keep */
    const char *kept = sealed;
    const char *again = kf_booking_link_token(pool, keys, "b1", kept, &hash, &sealed, &refused);
    ck_assert_str_eq(again, first);
    ck_assert_ptr_null(hash);
    ck_assert_ptr_null(sealed);
    /* sealed for another booking: refused, and a new one is made */
    const char *other = kf_booking_link_token(pool, keys, "b2", kept, &hash, &sealed, &refused);
    ck_assert_int_ne(refused, APR_SUCCESS);
    ck_assert_ptr_nonnull(other);
    ck_assert_str_ne(other, first);
    ck_assert_ptr_nonnull(hash);
    /* no key to seal with: no link at all */
    ck_assert_ptr_null(kf_booking_link_token(pool, NULL, "b1", NULL, &hash, &sealed, &refused));
}
END_TEST

START_TEST(a_paid_or_cancelled_booking_downloads_its_invite)
{
    kf_ics_method m;
    ck_assert(kf_booking_ics_method("paid", &m) && m == KF_ICS_PUBLISH);
    ck_assert(kf_booking_ics_method("confirmed", &m) && m == KF_ICS_PUBLISH);
    ck_assert(kf_booking_ics_method("cancelled", &m) && m == KF_ICS_CANCEL);
    ck_assert(!kf_booking_ics_method("held", &m));
    ck_assert(!kf_booking_ics_method("pending_payment", &m));
    ck_assert(!kf_booking_ics_method("expired", &m));
    ck_assert(!kf_booking_ics_method("nonsense", &m));
    ck_assert(!kf_booking_ics_method(NULL, &m));
}
END_TEST

START_TEST(a_reminder_says_how_long_before_in_mail_and_text)
{
    ck_assert_str_eq(kf_booking_reminder_lead(pool, KF_LOCALE_ES, 1440), "1 día(s)");
    ck_assert_str_eq(kf_booking_reminder_lead(pool, KF_LOCALE_EN, 120), "2 hour(s)");
    ck_assert_str_eq(kf_booking_reminder_lead(pool, KF_LOCALE_ES, 90), "90 min");
    kf_booking_mail_facts f = booking();
    f.place = (kf_location){KF_LOCATION_VIDEO, "https://meet.example/ana", KF_VIDEO_URL};
    kf_mail_content mail;
    const char *why = NULL;
    json_t *vars = kf_booking_reminder_vars(pool, &f, 2880,
                                            "https://demo.example.com/api/public/unsubscribe?token=u");
    ck_assert_int_eq(kf_mail_render(pool, "booking_reminder", KF_LOCALE_ES, vars, &mail, &why),
                     APR_SUCCESS);
    json_decref(vars);
    /* the way out of the reminders, visible in both parts */
    assert_has(mail.text, "https://demo.example.com/api/public/unsubscribe?token=u\n");
    assert_has(mail.html, "href=\"https://demo.example.com/api/public/unsubscribe?token=u\"");
    ck_assert_str_eq(mail.subject, "Recordatorio: Consulta en 2 día(s)");
    assert_has(mail.text, "Videollamada: https://meet.example/ana\n");
    const char *sms = kf_test_as_read(kf_booking_reminder_text(pool, &f));
    assert_has(sms, "martes, 1 de diciembre de 2026 · 4:00 p. m. (hora de Madrid, GMT+1)");
    assert_has(sms, "Videollamada: https://meet.example/ana");
    assert_has(sms, "https://r.example/book/manage/5a1c?token=tok");
}
END_TEST

START_TEST(a_refused_mail_is_written_again_to_the_address_as_it_is_now)
{
    kf_booking_mail_event event;
    ck_assert_int_eq(kf_booking_mail_again_event("booking_reminder", &event), 0);
    ck_assert_int_eq(kf_booking_mail_again_event("booking_cancelled", &event), 1);
    ck_assert_int_eq(event, KF_BOOKING_MAIL_CANCELLED);
    ck_assert_int_eq(kf_booking_mail_again_event("booking_rescheduled_customer", &event), 1);
    ck_assert_int_eq(event, KF_BOOKING_MAIL_RESCHEDULED);

    kf_booking_mail_facts f = booking();
    kf_booking_recipient r;
    /* the customer's confirmation goes to the corrected address */
    ck_assert_int_eq(kf_booking_mail_again_to(&f, "booking_confirmed", "luis@typo", &r), 1);
    ck_assert_str_eq(r.to, "luis@example.com");
    ck_assert_int_eq(r.for_customer, 1);
    ck_assert_str_eq(r.attendee_name, "Luis");
    /* a cancellation to the customer's address is the customer's */
    ck_assert_int_eq(kf_booking_mail_again_to(&f, "booking_cancelled", "LUIS@example.com", &r), 1);
    ck_assert_int_eq(r.for_customer, 1);
    ck_assert_str_eq(r.template_name, "booking_cancelled");
    ck_assert_int_eq(kf_booking_mail_again_to(&f, "booking_notice", "ana@aurora.example", &r), 1);
    ck_assert_int_eq(r.for_customer, 0);
    ck_assert_str_eq(r.to, "ana@aurora.example");
    ck_assert_str_eq(r.attendee_name, "Dra. Ana");
    ck_assert_str_eq(r.template_name, "booking_notice");
    /* a cancellation once written to the professional with the customer's words is written
     * again as their notice; a move to the customer's address as the customer's */
    ck_assert_int_eq(kf_booking_mail_again_to(&f, "booking_cancelled", "ana@aurora.example", &r), 1);
    ck_assert_str_eq(r.template_name, "booking_cancelled_notice");
    ck_assert_int_eq(kf_booking_mail_again_event("booking_cancelled_notice", &event), 1);
    ck_assert_int_eq(event, KF_BOOKING_MAIL_CANCELLED);
    ck_assert_int_eq(kf_booking_mail_again_to(&f, "booking_rescheduled", "luis@example.com", &r), 1);
    ck_assert_str_eq(r.template_name, "booking_rescheduled_customer");
    ck_assert_int_eq(kf_booking_mail_again_to(&f, "booking_notice", "citas@aurora.example", &r), 1);
    ck_assert_str_eq(r.attendee_name, "Clínica Aurora");
    f.customer_email = NULL;
    ck_assert_int_eq(kf_booking_mail_again_to(&f, "booking_confirmed", "luis@typo", &r), 0);
}
END_TEST

START_TEST(links_to_the_booking_and_to_book_again)
{
    ck_assert_str_eq(kf_booking_page_url(pool, "https://r.example/", "b1", "t0k"),
                     "https://r.example/book/manage/b1?token=t0k");
    ck_assert_str_eq(kf_booking_again_url(pool, "https://r.example", "corte y color"),
                     "https://r.example/book/corte%20y%20color");
    ck_assert_ptr_null(kf_booking_again_url(pool, "https://r.example", NULL));
    /* the dashboard on the tenant's own host, under the public URL's scheme and port */
    ck_assert_str_eq(kf_booking_dashboard_url(pool, "https://r.example:8443/", "aurora", "r.example", "b1"),
                     "https://aurora.r.example:8443/dashboard/bookings/b1");
    /* no base domain: the public URL's host, which serves the dashboard too */
    ck_assert_str_eq(kf_booking_dashboard_url(pool, "https://r.example/", "aurora", NULL, "b1"),
                     "https://r.example/dashboard/bookings/b1");
}
END_TEST

START_TEST(a_row_reads_as_the_facts_the_mails_tell)
{
    const char *row[KF_BM_COLUMNS] = {NULL};
    row[KF_BM_COL_ID] = "b1";
    row[KF_BM_COL_LOCALE] = "en";
    row[KF_BM_COL_START] = "1796137200";
    row[KF_BM_COL_END] = "1796139000";
    row[KF_BM_COL_SEQUENCE] = "2";
    row[KF_BM_COL_AMOUNT] = "12000050";
    row[KF_BM_COL_REFUND_AMOUNT] = NULL;
    row[KF_BM_COL_LOCATION_TYPE] = "video";
    row[KF_BM_COL_LOCATION_VALUE] = "https://meet.example/shared";
    row[KF_BM_COL_PRO_VIDEO_URL] = "https://meet.example/ana";
    row[KF_BM_COL_LINK_SLUG] = "aurora";
    row[KF_BM_COL_SUBDOMAIN] = "aurora";
    kf_booking_mail_facts f;
    kf_booking_mail_facts_of(pool, row, "https://r.example", "r.example", &f);
    ck_assert_str_eq(f.id, "b1");
    ck_assert_int_eq(f.locale, KF_LOCALE_EN);
    ck_assert(f.start == apr_time_from_sec(1796137200));
    ck_assert(f.end == apr_time_from_sec(1796139000));
    ck_assert_int_eq(f.sequence, 2);
    ck_assert(f.amount == 12000050);
    ck_assert(f.refund_amount == 0);
    /* a video call happens in the professional's own room when they have one */
    ck_assert_int_eq(f.place.type, KF_LOCATION_VIDEO);
    ck_assert_str_eq(f.place.value, "https://meet.example/ana");
    ck_assert_str_eq(f.book_again, "https://r.example/book/aurora");
    ck_assert_ptr_null(f.link);
    ck_assert_str_eq(f.dashboard, "https://aurora.r.example/dashboard/bookings/b1");
    row[KF_BM_COL_LOCALE] = "es";
    row[KF_BM_COL_LINK_SLUG] = NULL;
    kf_booking_mail_facts_of(pool, row, "https://r.example", "r.example", &f);
    ck_assert_int_eq(f.locale, KF_LOCALE_ES);
    ck_assert_ptr_null(f.book_again);
}
END_TEST

/* A series' confirmation lists every session, in the reader's zone; a single booking's none. */
START_TEST(a_series_confirmation_lists_its_sessions)
{
    kf_booking_mail_facts f = booking();
    json_t *vars = kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 1);
    const char *locals[] = {"2026-12-01T09:00-05:00", "2026-12-08T09:00-05:00"};
    kf_booking_mail_series_dates(pool, vars, KF_LOCALE_ES, "America/Bogota", locals, 2);
    const char *lines = json_string_value(json_object_get(vars, "series_dates"));
    ck_assert_ptr_nonnull(strstr(lines, "1. "));
    ck_assert_ptr_nonnull(strstr(lines, "\n2. "));
    kf_mail_content mail = rendered_mail("booking_confirmed", KF_LOCALE_ES, vars);
    ck_assert_ptr_nonnull(strstr(mail.text, "Tus sesiones:"));
    ck_assert_ptr_nonnull(strstr(mail.html, "Tus sesiones:"));
    mail = rendered_mail("booking_confirmed", KF_LOCALE_ES,
                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 1));
    ck_assert_ptr_null(strstr(mail.text, "sesiones"));
}
END_TEST

/* The professional's notice of a series lists every session too, in the professional's zone,
 * in either language; a single booking's notice lists none. */
START_TEST(a_series_notice_lists_its_sessions_to_the_professional)
{
    kf_booking_mail_facts f = booking();
    const char *locals[] = {"2026-12-01T10:00-05:00", "2026-12-08T10:00-05:00",
                            "2026-12-15T10:00-05:00"};
    json_t *vars = kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 0);
    kf_booking_mail_series_dates(pool, vars, KF_LOCALE_ES, f.professional_zone, locals, 3);
    kf_mail_content mail = rendered_mail("booking_notice", KF_LOCALE_ES, vars);
    assert_has(mail.text, "Sesiones:\n"
                          "1. martes, 1 de diciembre de 2026 · 10:00 a. m. (hora de Bogota, GMT-5)\n"
                          "2. martes, 8 de diciembre de 2026 · 10:00 a. m. (hora de Bogota, GMT-5)\n"
                          "3. martes, 15 de diciembre de 2026 · 10:00 a. m. (hora de Bogota, GMT-5)\n");
    assert_has(mail.html, "Sesiones:");
    assert_has(mail.html, "3. ");
    vars = kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 0);
    kf_booking_mail_series_dates(pool, vars, KF_LOCALE_EN, f.professional_zone, locals, 3);
    mail = rendered_mail("booking_notice", KF_LOCALE_EN, vars);
    assert_has(mail.text, "Sessions:\n1. ");
    assert_has(mail.html, "Sessions:");
    mail = rendered_mail("booking_notice", KF_LOCALE_ES,
                         kf_booking_mail_vars(pool, &f, KF_BOOKING_MAIL_PAID, 0));
    assert_lacks(mail.text, "Sesiones");
    assert_lacks(mail.html, "Sesiones");
}
END_TEST

static Suite *booking_mail_suite(void)
{
    Suite *s = suite_create("booking_mail");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_customer_reads_their_time_the_professionals_the_place_and_the_amount);
    tcase_add_test(tc, the_notice_says_who_booked_and_opens_the_booking_in_the_dashboard);
    tcase_add_test(tc, the_notice_of_a_move_says_before_and_now);
    tcase_add_test(tc, a_series_notice_lists_its_sessions_to_the_professional);
    tcase_add_test(tc, every_member_of_a_team_is_told_as_its_professional_is);
    tcase_add_test(tc, a_change_in_the_professionals_calendar_is_told_to_them_not_to_the_customer);
    tcase_add_test(tc, the_notice_of_a_cancellation_says_who_the_customer_was);
    tcase_add_test(tc, what_was_paid_in_the_currencys_decimals);
    tcase_add_test(tc, a_move_shows_the_time_before_beside_the_new_one);
    tcase_add_test(tc, a_cancellation_says_who_why_the_refund_and_where_to_book_again);
    tcase_add_test(tc, each_event_writes_to_the_customer_the_professional_and_the_business);
    tcase_add_test(tc, the_invite_carries_the_place_and_only_the_customer_gets_the_link);
    tcase_add_test(tc, a_reminder_says_how_long_before_in_mail_and_text);
    tcase_add_test(tc, a_refused_mail_is_written_again_to_the_address_as_it_is_now);
    tcase_add_test(tc, links_to_the_booking_and_to_book_again);
    tcase_add_test(tc, a_row_reads_as_the_facts_the_mails_tell);
    tcase_add_test(tc, the_invite_from_the_servers_settings);
    tcase_add_test(tc, a_paid_or_cancelled_booking_downloads_its_invite);
    tcase_add_test(tc, every_mail_carries_the_same_link_until_it_no_longer_opens);
    tcase_add_test(tc, a_series_confirmation_lists_its_sessions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(booking_mail_suite());
}
