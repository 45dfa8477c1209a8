/* Unit tests for lib/accounts/kf_account_form.c: what the account forms answer for a body
 * (every refused field with its message in the customer's language) and what their answers
 * show of a user and a tenant. */
#include "kf_check_fields.h"
#include "kf_account_form.h"
#include "kf_json.h"

#include <string.h>

START_TEST(a_good_sign_up_has_no_field_errors)
{
    const char *v[KF_REGISTER_FIELDS];
    json_t *fields = kf_account_form_read(KF_LOCALE_EN,
                                          parse("{\"email\": \"ana@example.com\", \"password\": \"correct horse\","
                                                " \"business_name\": \"Salón Ana\"}"),
                                          KF_REGISTER_FIELDS, kf_register_keys, v,
                                          kf_account_register_checks);
    ck_assert_str_eq(text_of(fields), "{}");
    ck_assert_str_eq(v[KF_REGISTER_EMAIL], "ana@example.com");
    ck_assert_str_eq(v[KF_REGISTER_NAME], "Salón Ana");
}
END_TEST

START_TEST(a_sign_up_names_every_bad_field)
{
    const char *v[KF_REGISTER_FIELDS];
    ck_assert_str_eq(text_of(kf_account_form_read(KF_LOCALE_EN,
                                                  parse("{\"email\": \"Ana@Example.com\","
                                                        " \"password\": \"ana@example.COM\","
                                                        " \"business_name\": 7}"),
                                                  KF_REGISTER_FIELDS, kf_register_keys, v,
                                                  kf_account_register_checks)),
                     "{\"business_name\":\"This field must be a string.\","
                     "\"password\":\"The password cannot be your email address.\"}");
    ck_assert_ptr_null(v[KF_REGISTER_NAME]);
    ck_assert_str_eq(text_of(kf_account_form_read(KF_LOCALE_ES,
                                                  parse("{\"email\": \"ana@\", \"password\": null}"),
                                                  KF_REGISTER_FIELDS, kf_register_keys, v,
                                                  kf_account_register_checks)),
                     "{\"password\":\"Este campo es obligatorio.\","
                     "\"business_name\":\"Este campo es obligatorio.\","
                     "\"email\":\"No es un correo electrónico válido.\"}");
}
END_TEST

START_TEST(forgot_password_wants_an_address)
{
    static const char *const keys[] = {"email"};
    const char *email = NULL;
    ck_assert_str_eq(text_of(kf_account_form_read(KF_LOCALE_EN, parse("{\"email\": \"nope\"}"), 1,
                                                  keys, &email, kf_account_email_checks)),
                     "{\"email\":\"This is not a valid email address.\"}");
    ck_assert_str_eq(text_of(kf_account_form_read(KF_LOCALE_EN, parse("{\"token\": \"abc\"}"), 1,
                                                  keys, &email, NULL)),
                     "{\"email\":\"This field is required.\"}");
}
END_TEST

START_TEST(logs_never_show_what_is_not_an_address)
{
    ck_assert_str_eq(kf_account_loggable_email("ana@example.com"), "ana@example.com");
    ck_assert_str_eq(kf_account_loggable_email("hunter2 secret"), "(not an address)");
}
END_TEST

START_TEST(answers_show_the_user_and_the_tenant)
{
    ck_assert_str_eq(text_of(kf_account_user_json("u-1", "ana@example.com", 0)),
                     "{\"id\":\"u-1\",\"email\":\"ana@example.com\",\"email_verified\":false}");
    const char *row[KF_ACCOUNT_TENANT_COLUMNS] = {"t-1", "Salón Ana", NULL, "America/Bogota",
                                                  "es", "CO", "COP"};
    ck_assert_str_eq(text_of(kf_account_tenant_json(row)),
                     "{\"id\":\"t-1\",\"name\":\"Salón Ana\",\"subdomain\":null,"
                     "\"timezone\":\"America/Bogota\",\"locale\":\"es\",\"country\":\"CO\","
                     "\"currency\":\"COP\",\"primary_color\":null,\"secondary_color\":null,"
                     "\"logo_url\":null,\"callback_url\":null,\"return_url\":null,"
                     "\"terms_url\":null}");
    ck_assert_str_eq(text_of(kf_account_mail_vars("https://x.example/verify?token=t", "Salón Ana")),
                     "{\"link\":\"https://x.example/verify?token=t\",\"business_name\":\"Salón Ana\"}");
}
END_TEST

START_TEST(an_account_mails_link_is_the_public_url_and_its_page)
{
    ck_assert_str_eq(kf_account_link(pool, "https://k.example/", "/verify-email", "t0k"),
                     "https://k.example/verify-email?token=t0k");
    ck_assert_str_eq(kf_account_link(pool, "https://k.example", "/reset-password", "t0k"),
                     "https://k.example/reset-password?token=t0k");
    ck_assert_str_eq(kf_account_link(pool, "https://k.example/", "/dashboard/forgot-password",
                                     NULL),
                     "https://k.example/dashboard/forgot-password");
}
END_TEST

START_TEST(a_lock_everywhere_wins_over_a_networks_and_each_has_its_mail)
{
    ck_assert_int_eq(kf_login_lock_of(0, 0), KF_LOGIN_LOCK_NONE);
    ck_assert_int_eq(kf_login_lock_of(1, 0), KF_LOGIN_LOCK_NETWORK);
    ck_assert_int_eq(kf_login_lock_of(0, 1), KF_LOGIN_LOCK_EVERYWHERE);
    ck_assert_int_eq(kf_login_lock_of(1, 1), KF_LOGIN_LOCK_EVERYWHERE);
    ck_assert_ptr_null(kf_login_lock_mail(KF_LOGIN_LOCK_NONE));
    ck_assert_ptr_null(kf_login_lock_notice_scope(KF_LOGIN_LOCK_NONE));
    ck_assert_str_eq(kf_login_lock_mail(KF_LOGIN_LOCK_NETWORK), "account_locked");
    ck_assert_str_eq(kf_login_lock_mail(KF_LOGIN_LOCK_EVERYWHERE), "account_locked_everywhere");
    /* told once per window each: a lock everywhere after a network's is news */
    ck_assert_str_ne(kf_login_lock_notice_scope(KF_LOGIN_LOCK_NETWORK),
                     kf_login_lock_notice_scope(KF_LOGIN_LOCK_EVERYWHERE));
    ck_assert_str_ne(kf_login_lock_notice_scope(KF_LOGIN_LOCK_NETWORK), "login");
    ck_assert_str_ne(kf_login_lock_notice_scope(KF_LOGIN_LOCK_EVERYWHERE), "login");
}
END_TEST

START_TEST(a_lock_mail_names_the_network_and_the_pause_in_minutes)
{
    ck_assert_str_eq(text_of(kf_account_lock_mail_vars("https://x.example/dashboard/forgot-password",
                                                       "Salón Ana", "2001:db8:1:2::/64", 900)),
                     "{\"link\":\"https://x.example/dashboard/forgot-password\","
                     "\"business_name\":\"Salón Ana\",\"network\":\"2001:db8:1:2::/64\","
                     "\"minutes\":\"15\"}");
    /* a window of part of a minute is still a minute */
    json_t *v = kf_account_lock_mail_vars("l", "b", "203.0.113.7", 61);
    ck_assert_str_eq(json_string_value(json_object_get(v, "minutes")), "2");
    json_decref(v);
}
END_TEST

START_TEST(a_signed_in_answer_carries_its_csrf_token)
{
    ck_assert_str_eq(text_of(kf_account_answer("u-1", "ana@example.com", 1, NULL, NULL)),
                     "{\"user\":{\"id\":\"u-1\",\"email\":\"ana@example.com\","
                     "\"email_verified\":true}}");
    ck_assert_str_eq(text_of(kf_account_answer("u-1", "ana@example.com", 0, json_null(), NULL)),
                     "{\"user\":{\"id\":\"u-1\",\"email\":\"ana@example.com\","
                     "\"email_verified\":false},\"tenant\":null}");
    ck_assert_str_eq(text_of(kf_account_answer("u-1", "ana@example.com", 1,
                                               json_pack("{s:s}", "id", "t-1"), "c5rf")),
                     "{\"user\":{\"id\":\"u-1\",\"email\":\"ana@example.com\","
                     "\"email_verified\":true},\"tenant\":{\"id\":\"t-1\"},"
                     "\"csrf_token\":\"c5rf\"}");
    ck_assert_str_eq(text_of(kf_account_password_changes()), "{\"password\":\"[redacted]\"}");
    ck_assert_str_eq(text_of(kf_account_register_changes("ana@example.com", "Salón Ana")),
                     "{\"email\":\"ana@example.com\",\"business_name\":\"Salón Ana\"}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("account_form");
    TCase *tc = tcase_create("forms and answers");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_good_sign_up_has_no_field_errors);
    tcase_add_test(tc, an_account_mails_link_is_the_public_url_and_its_page);
    tcase_add_test(tc, a_lock_mail_names_the_network_and_the_pause_in_minutes);
    tcase_add_test(tc, a_lock_everywhere_wins_over_a_networks_and_each_has_its_mail);
    tcase_add_test(tc, a_sign_up_names_every_bad_field);
    tcase_add_test(tc, forgot_password_wants_an_address);
    tcase_add_test(tc, logs_never_show_what_is_not_an_address);
    tcase_add_test(tc, answers_show_the_user_and_the_tenant);
    tcase_add_test(tc, a_signed_in_answer_carries_its_csrf_token);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
