/* Unit tests for lib/alerts/kf_alerts.c: when an alert is raised, kept, resolved, mailed. */
#include "kf_check.h"
#include "kf_alerts.h"
#include "kf_mail.h"

#include <string.h>

#define NOW 1790000000

static kf_alert_facts holding(void)
{
    kf_alert_facts f = {.holds = 1, .now = NOW};
    return f;
}

START_TEST(a_new_problem_is_raised_and_mailed)
{
    kf_alert_facts f = holding();
    kf_alert_plan plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_RAISE);
    ck_assert_int_eq(plan.mail, 1);
}
END_TEST

START_TEST(a_row_says_its_facts)
{
    const char *open[] = {"t1", "f", "detail", "f", "a1", "t", "f", "1700000000", "1700003600"};
    kf_alert_facts f = kf_alert_facts_of(open);
    ck_assert(!f.holds && f.open && f.mailed && !f.dismissed && !f.told_elsewhere);
    ck_assert_int_eq(f.last_mail, 1700000000);
    ck_assert_int_eq(f.now, 1700003600);
    ck_assert_int_eq(kf_alert_decide(&f).step, KF_ALERT_RESOLVE);
    const char *fresh[] = {"t1", "t", "detail", "t", NULL, NULL, NULL, NULL, "1700003600"};
    f = kf_alert_facts_of(fresh);
    ck_assert(f.holds && !f.open && !f.mailed && f.told_elsewhere);
    ck_assert_int_eq(f.last_mail, 0);
}
END_TEST

START_TEST(an_open_alert_mailed_once_is_kept_quietly)
{
    kf_alert_facts f = holding();
    f.open = 1;
    f.mailed = 1;
    f.last_mail = NOW - 60;
    kf_alert_plan plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_KEEP);
    ck_assert_int_eq(plan.mail, 0);
    /* an hour later it still holds: no second mail for the same alert */
    f.now = NOW + 7200;
    ck_assert_int_eq(kf_alert_decide(&f).mail, 0);
}
END_TEST

START_TEST(at_most_one_mail_per_kind_per_hour)
{
    /* resolved and back within the hour: raised, not mailed */
    kf_alert_facts f = holding();
    f.last_mail = NOW - (KF_ALERT_MAIL_EVERY_SECONDS - 1);
    kf_alert_plan plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_RAISE);
    ck_assert_int_eq(plan.mail, 0);
    /* still there once the hour is over: the open, unmailed alert is mailed */
    f.open = 1;
    f.now = NOW + 1;
    plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_KEEP);
    ck_assert_int_eq(plan.mail, 1);
}
END_TEST

START_TEST(a_cleared_problem_resolves_its_alert)
{
    kf_alert_facts f = {.holds = 0, .open = 1, .mailed = 1, .now = NOW};
    kf_alert_plan plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_RESOLVE);
    ck_assert_int_eq(plan.mail, 0);
    f.open = 0;
    plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_NOTHING);
    ck_assert_int_eq(plan.mail, 0);
}
END_TEST

START_TEST(a_dismissed_alert_stays_quiet_until_it_comes_back)
{
    kf_alert_facts f = holding();
    f.open = 1;
    f.dismissed = 1;
    kf_alert_plan plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_KEEP);
    ck_assert_int_eq(plan.mail, 0);
    /* it clears, then comes back: a new alert, mailed */
    f.holds = 0;
    ck_assert_int_eq(kf_alert_decide(&f).step, KF_ALERT_RESOLVE);
    kf_alert_facts back = holding();
    plan = kf_alert_decide(&back);
    ck_assert_int_eq(plan.step, KF_ALERT_RAISE);
    ck_assert_int_eq(plan.mail, 1);
}
END_TEST

START_TEST(what_was_mailed_elsewhere_is_not_mailed_again)
{
    kf_alert_facts f = holding();
    f.told_elsewhere = 1;
    kf_alert_plan plan = kf_alert_decide(&f);
    ck_assert_int_eq(plan.step, KF_ALERT_RAISE);
    ck_assert_int_eq(plan.mail, 0);
}
END_TEST

START_TEST(kinds_have_names_words_and_a_mail)
{
    for (int k = 0; k < KF_ALERT_KINDS; k++) {
        const char *name = kf_alert_kind_name(k);
        ck_assert_ptr_nonnull(name);
        ck_assert_int_eq(kf_alert_kind_of(name), k);
        for (int l = KF_LOCALE_ES; l <= KF_LOCALE_EN; l++) {
            ck_assert_int_gt(strlen(kf_alert_title(k, l)), 10);
            ck_assert_int_gt(strlen(kf_alert_advice(k, l)), 20);
        }
    }
    ck_assert_str_ne(kf_alert_title(KF_ALERT_CALLBACKS_FAILING, KF_LOCALE_ES),
                     kf_alert_title(KF_ALERT_CALLBACKS_FAILING, KF_LOCALE_EN));
    ck_assert_int_eq(kf_alert_kind_of("nope"), -1);
    ck_assert_int_eq(kf_alert_kind_of(NULL), -1);
    ck_assert_ptr_null(kf_alert_kind_name(KF_ALERT_KINDS));

    json_t *vars = kf_alert_mail_vars(pool, KF_ALERT_MESSAGES_BOUNCING, KF_LOCALE_EN,
                                      "{\"mails\": 2, \"texts\": 0, \"last\": \"550 5.1.1\"}",
                                      "Barbería <Sol>", "https://k.example/");
    kf_mail_content m;
    const char *why = NULL;
    ck_assert_int_eq(kf_mail_render(pool, "merchant_alert", KF_LOCALE_EN, vars, &m, &why),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(m.subject, "could not be delivered"));
    ck_assert_ptr_nonnull(strstr(m.text, "2 mails and 0 texts about bookings could not be "
                                         "delivered in the last 24 hours."));
    /* what the mail server said stays on the deliveries page, behind "Details" */
    ck_assert_ptr_null(strstr(m.text, "550"));
    ck_assert_ptr_nonnull(strstr(m.text, "https://k.example/dashboard/"));
    ck_assert_ptr_nonnull(strstr(m.html, "Barbería &lt;Sol&gt;"));
    json_decref(vars);
}
END_TEST

/* The facts of each kind, told in Spanish and in English. */
START_TEST(the_facts_are_told_in_the_business_language)
{
    static const struct {
        kf_alert_kind kind;
        const char *facts, *es, *en;
    } cases[] = {
        {KF_ALERT_CALLBACKS_FAILING, "{\"failures\": 4, \"last_status\": 500, \"last_error\": null}",
         "4 intentos fallidos en la última hora.", "4 failed attempts in the last hour."},
        {KF_ALERT_CALLBACKS_FAILING, "{\"failures\": 1}",
         "1 intento fallido en la última hora.", "1 failed attempt in the last hour."},
        {KF_ALERT_CALENDAR_NOT_SYNCING,
         "{\"calendars\": [{\"professional\": \"Dra. Núñez\", \"provider\": \"google\", \"error\": null},"
         " {\"professional\": \"Dr. Ortega\", \"provider\": \"calcom\", \"error\": \"HTTP 503\"}], \"more\": 2}",
         "Dra. Núñez (Google): acceso denegado; Dr. Ortega (Cal.com): su calendario no responde,"
         " seguimos intentando; y 2 más",
         "Dra. Núñez (Google): access refused; Dr. Ortega (Cal.com): its calendar does not answer,"
         " we keep trying; and 2 more"},
        {KF_ALERT_CALENDAR_NOT_SYNCING,
         "{\"calendars\": [{\"professional\": \"Dra. Núñez\", \"provider\": \"microsoft\","
         " \"refused\": true, \"error\": \"invalid_grant\"}], \"more\": 0}",
         "Dra. Núñez (Microsoft): acceso denegado", "Dra. Núñez (Microsoft): access refused"},
        {KF_ALERT_WEBHOOK_SIGNATURES, "{\"refused\": 3}",
         "3 avisos de pago rechazados por su firma en la última hora",
         "3 webhooks refused in the last hour"},
        {KF_ALERT_MESSAGES_BOUNCING, "{\"mails\": 1, \"texts\": 2, \"last\": \"550 5.1.1\"}",
         "1 correo y 2 mensajes de texto sobre reservas no se pudieron entregar en las últimas "
         "24 horas.",
         "1 mail and 2 texts about bookings could not be delivered in the last 24 hours."},
        {KF_ALERT_PAYMENTS_FAILING,
         "{\"failures\": 3, \"provider\": \"stripe\", \"last_kind\": \"server_error\","
         " \"last_status\": 503}",
         "3 pagos no se pudieron iniciar en Stripe; la última vez respondió con un error propio"
         " (HTTP 503).",
         "3 payments could not be started at Stripe; the last time it answered with an error of"
         " its own (HTTP 503)."},
        {KF_ALERT_PAYMENTS_FAILING,
         "{\"failures\": 1, \"provider\": \"mercadopago\", \"last_kind\": \"timeout\","
         " \"last_status\": null}",
         "1 pago no se pudo iniciar en Mercado Pago; la última vez no respondió a tiempo.",
         "1 payment could not be started at Mercado Pago; the last time it did not answer in time."},
        {KF_ALERT_PAYMENTS_FAILING,
         "{\"failures\": 4, \"provider\": \"airwallex\", \"last_kind\": \"refused_key\","
         " \"last_status\": 401}",
         "4 pagos no se pudieron iniciar en Airwallex; la última vez rechazó tu clave.",
         "4 payments could not be started at Airwallex; the last time it refused your key."},
        {KF_ALERT_PAYMENTS_FAILING,
         "{\"failures\": 3, \"provider\": \"stripe\", \"last_kind\": \"connection\"}",
         "3 pagos no se pudieron iniciar en Stripe; la última vez no se pudo conectar.",
         "3 payments could not be started at Stripe; the last time it could not be reached."},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_str_eq(kf_alert_detail_text(pool, cases[i].kind, cases[i].facts, KF_LOCALE_ES),
                         cases[i].es);
        ck_assert_str_eq(kf_alert_detail_text(pool, cases[i].kind, cases[i].facts, KF_LOCALE_EN),
                         cases[i].en);
    }
}
END_TEST

/* The last failure of an alert is handed on as it was kept, for the deliveries' reason to
 * word; the kinds that name none hand nothing. */
START_TEST(the_last_failure_is_handed_on_as_kept)
{
    kf_alert_last_failure last;
    json_t *f = json_loads("{\"failures\": 3, \"last_status\": null, \"last_error\": \"timeout\"}",
                           0, NULL);
    ck_assert_int_eq(kf_alert_last_failure_of(KF_ALERT_CALLBACKS_FAILING, f, &last), 1);
    ck_assert_str_eq(last.channel, "callback");
    ck_assert_str_eq(last.error, "timeout");
    ck_assert_int_eq(last.status, 0);
    json_decref(f);
    f = json_loads("{\"failures\": 4, \"last_status\": 500}", 0, NULL);
    ck_assert_int_eq(kf_alert_last_failure_of(KF_ALERT_CALLBACKS_FAILING, f, &last), 1);
    ck_assert_ptr_null(last.error);
    ck_assert_int_eq(last.status, 500);
    json_decref(f);
    f = json_loads("{\"mails\": 1, \"texts\": 0, \"last\": \"550 5.1.1 unknown\","
                   " \"last_channel\": \"email\", \"last_to\": \"ana@example.com\","
                   " \"last_fault\": \"recipient\"}", 0, NULL);
    ck_assert_int_eq(kf_alert_last_failure_of(KF_ALERT_MESSAGES_BOUNCING, f, &last), 1);
    ck_assert_str_eq(last.channel, "email");
    ck_assert_str_eq(last.to, "ana@example.com");
    ck_assert_str_eq(last.fault, "recipient");
    ck_assert_str_eq(last.error, "550 5.1.1 unknown");
    /* facts kept before the channel was: nothing to word */
    json_decref(f);
    f = json_loads("{\"mails\": 1, \"texts\": 0, \"last\": \"550 5.1.1\"}", 0, NULL);
    ck_assert_int_eq(kf_alert_last_failure_of(KF_ALERT_MESSAGES_BOUNCING, f, &last), 0);
    ck_assert_int_eq(kf_alert_last_failure_of(KF_ALERT_WEBHOOK_SIGNATURES, f, &last), 0);
    ck_assert_int_eq(kf_alert_last_failure_of(KF_ALERT_CALLBACKS_FAILING, NULL, &last), 0);
    json_decref(f);
}
END_TEST

/* A detail that is no facts object (written before details were facts) is shown as it is. */
START_TEST(a_detail_that_is_no_facts_is_shown_as_it_is)
{
    const char *old = "3 failed attempts in the last hour; the last: timeout";
    ck_assert_str_eq(kf_alert_detail_text(pool, KF_ALERT_CALLBACKS_FAILING, old, KF_LOCALE_ES), old);
    ck_assert_str_eq(kf_alert_detail_text(pool, KF_ALERT_CALLBACKS_FAILING, "{broken", KF_LOCALE_ES),
                     "{broken");
    ck_assert_str_eq(kf_alert_detail_text(pool, KF_ALERT_CALLBACKS_FAILING, NULL, KF_LOCALE_EN), "");
    ck_assert_str_eq(kf_alert_detail_text(pool, (kf_alert_kind)-1, "{\"refused\": 1}", KF_LOCALE_EN),
                     "{\"refused\": 1}");
}
END_TEST

START_TEST(an_open_alert_as_json)
{
    const char *row[KF_ALERT_COLUMNS] = {"a1", "messages_bouncing", NULL, "2026-11-25T10:00:00Z",
                                         "2026-11-25T11:00:00Z", NULL, NULL};
    json_t *o = kf_alert_json(pool, row, KF_LOCALE_ES);
    ck_assert_str_eq(json_string_value(json_object_get(o, "kind")), "messages_bouncing");
    ck_assert_str_eq(json_string_value(json_object_get(o, "detail")), "");
    json_decref(o);
    row[KF_ALERT_COL_KIND] = "webhook_signatures_failing";
    row[KF_ALERT_COL_DETAIL] = "{\"refused\": 5}";
    o = kf_alert_json(pool, row, KF_LOCALE_EN);
    ck_assert_str_eq(json_string_value(json_object_get(o, "detail")), "5 webhooks refused in the last hour");
    ck_assert_str_eq(json_string_value(json_object_get(o, "last_seen_at")), "2026-11-25T11:00:00Z");
    ck_assert(json_is_null(json_object_get(o, "resolved_at")));
    ck_assert(json_is_null(json_object_get(o, "dismissed_at")));
    json_decref(o);
}
END_TEST

static Suite *alerts_suite(void)
{
    Suite *s = suite_create("alerts");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_new_problem_is_raised_and_mailed);
    tcase_add_test(tc, a_row_says_its_facts);
    tcase_add_test(tc, an_open_alert_mailed_once_is_kept_quietly);
    tcase_add_test(tc, at_most_one_mail_per_kind_per_hour);
    tcase_add_test(tc, a_cleared_problem_resolves_its_alert);
    tcase_add_test(tc, a_dismissed_alert_stays_quiet_until_it_comes_back);
    tcase_add_test(tc, what_was_mailed_elsewhere_is_not_mailed_again);
    tcase_add_test(tc, kinds_have_names_words_and_a_mail);
    tcase_add_test(tc, the_facts_are_told_in_the_business_language);
    tcase_add_test(tc, the_last_failure_is_handed_on_as_kept);
    tcase_add_test(tc, a_detail_that_is_no_facts_is_shown_as_it_is);
    tcase_add_test(tc, an_open_alert_as_json);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(alerts_suite());
}
