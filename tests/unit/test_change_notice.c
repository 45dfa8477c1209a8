/* Unit suite for lib/messaging/kf_change_notice.c: who cancelled, why, the refund and where to book
 * again; a move's time before and after; the same words in mails and texts, es and en. */
#include "kf_check.h"
#include "kf_change_notice.h"

START_TEST(cancellation_lines_say_who_why_and_what_goes_back)
{
    kf_cancel_lines l = kf_cancel_notice_lines(pool, KF_LOCALE_ES, "merchant", "Cerramos por lluvia",
                                               12000050, "COP", "pending",
                                               "https://reservas.example/book/abc");
    ck_assert_str_eq(l.by, "Cancelada por: el negocio\n");
    ck_assert_str_eq(l.reason, "Motivo: Cerramos por lluvia\n");
    ck_assert_str_eq(l.refund, "Devolución: COP 120.000,50 (en trámite)\n");
    ck_assert_str_eq(l.book_again, "Reserva de nuevo: https://reservas.example/book/abc\n");

    l = kf_cancel_notice_lines(pool, KF_LOCALE_EN, "customer", NULL, 1500, "KWD", "manual", NULL);
    ck_assert_str_eq(l.by, "Cancelled by: the customer\n");
    ck_assert_str_eq(l.reason, "");
    ck_assert_str_eq(l.refund, "Refund: KWD 1.500 (the business returns it to you directly)\n");
    ck_assert_str_eq(l.book_again, "");

    /* nothing goes back: no refund line */
    l = kf_cancel_notice_lines(pool, KF_LOCALE_EN, "customer", "", 0, "USD", NULL, NULL);
    ck_assert_str_eq(l.refund, "");
    ck_assert_str_eq(kf_refund_text(pool, KF_LOCALE_EN, 15000, "CLP", "succeeded"),
                     "CLP 15,000 (returned)");
    ck_assert_ptr_null(kf_refund_text(pool, KF_LOCALE_EN, 15000, "CLP", NULL));
}
END_TEST

START_TEST(texts_in_one_line)
{
    ck_assert_str_eq(kf_rescheduled_text(pool, KF_LOCALE_ES, "Clínica Aurora", "Consulta", "Dra. Ana",
                                         "lunes 1 de diciembre de 2026, 09:00", "martes 2 de diciembre de 2026, 10:00",
                                         "https://x.example/book/manage/1?token=t"),
                     "Clínica Aurora: tu Consulta con Dra. Ana pasó de lunes 1 de diciembre de 2026, 09:00 "
                     "a martes 2 de diciembre de 2026, 10:00. Tu reserva: https://x.example/book/manage/1?token=t");
    ck_assert_str_eq(kf_cancelled_text(pool, KF_LOCALE_EN, "Aurora", "Checkup", "Dr. Núñez",
                                       "Tuesday, December 1, 2026, 10:00 AM", "merchant", "Flooded",
                                       "USD 45 (on its way back)", "https://x.example/book/abc"),
                     "Aurora: your Checkup with Dr. Núñez, Tuesday, December 1, 2026, 10:00 AM, was cancelled "
                     "by the business (Flooded). Refund: USD 45 (on its way back). Book again: "
                     "https://x.example/book/abc");
    ck_assert_str_eq(kf_cancelled_text(pool, KF_LOCALE_ES, "Aurora", "Consulta", "Dra. Ana", "hoy", "customer",
                                       NULL, NULL, NULL),
                     "Aurora: tu Consulta con Dra. Ana, hoy, fue cancelada por el cliente.");
}
END_TEST

static Suite *change_notice_suite(void)
{
    Suite *s = suite_create("change_notice");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, cancellation_lines_say_who_why_and_what_goes_back);
    tcase_add_test(tc, texts_in_one_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(change_notice_suite());
}
