/* The customers' portal and preferences rules: tabs, cookie, tenant addresses, preference
 * bodies, unsubscribe tokens, who is reminded, STOP words, the merchant's list. */
#include "kf_check.h"
#include <apr_strings.h>
#include <string.h>

#include "kf_customer_list.h"
#include "kf_portal.h"
#include "kf_preferences.h"
#include "kf_text_replies.h"

START_TEST(tabs_are_upcoming_or_past)
{
    kf_portal_scope s;
    ck_assert(kf_portal_scope_parse(NULL, &s) && s == KF_PORTAL_UPCOMING);
    ck_assert(kf_portal_scope_parse("", &s) && s == KF_PORTAL_UPCOMING);
    ck_assert(kf_portal_scope_parse("past", &s) && s == KF_PORTAL_PAST);
    ck_assert(!kf_portal_scope_parse("PAST", &s));
    ck_assert(!kf_portal_scope_parse("all", &s));
}
END_TEST

START_TEST(the_cookie_is_host_only_secure_and_lax)
{
    const char *c = kf_portal_cookie(pool, "abc", KF_PORTAL_SESSION_SECONDS);
    ck_assert_str_eq(c, "kf_customer=abc; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=43200");
    ck_assert_ptr_null(strstr(c, "Domain"));
    ck_assert_str_eq(kf_portal_cookie(pool, "", 0),
                     "kf_customer=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0");
}
END_TEST

START_TEST(a_tenant_root_keeps_the_public_scheme_and_port)
{
    ck_assert_str_eq(kf_url_tenant_root(pool, "https://example.com", "demo", "example.com"),
                     "https://demo.example.com");
    ck_assert_str_eq(kf_url_tenant_root(pool, "http://konfirmado.localhost:41215/", "demo",
                                           "localhost"),
                     "http://demo.localhost:41215");
    ck_assert_ptr_null(kf_url_tenant_root(pool, "ftp://x", "demo", "x"));
    ck_assert_ptr_null(kf_url_tenant_root(pool, "https://x", NULL, "x"));
    ck_assert_str_eq(kf_portal_sign_in_url(pool, "https://d.x", "a-b_c"),
                     "https://d.x/book/me?token=a-b_c");
    ck_assert_str_eq(kf_portal_unsubscribe_url(pool, "https://d.x", "a-b_c+d"),
                     "https://d.x/api/public/unsubscribe?token=a-b_c%2Bd");
}
END_TEST

/* The actions of a portal booking, as one comma-separated text. */
static const char *actions_of(json_t *b)
{
    const char *out = "";
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(b, "actions"), i, v) {
        out = apr_pstrcat(pool, out, i ? "," : "", json_string_value(v), NULL);
    }
    return out;
}

START_TEST(a_portal_booking_is_the_status_answer_with_its_page_and_actions)
{
    json_t *b = kf_portal_booking(json_pack("{s:{s:s, s:s, s:s, s:{s:s}, s:{s:b, s:b, s:i}}}",
        "booking", "id", "x", "status", "confirmed", "link", "consulta", "payment", "status", "approved",
        "actions", "cancel", 1, "reschedule", 1, "reschedules_left", 2), "https://m", 0);
    ck_assert_str_eq(json_string_value(json_object_get(b, "id")), "x");
    ck_assert_str_eq(json_string_value(json_object_get(b, "manage_url")), "https://m");
    ck_assert_str_eq(actions_of(b), "cancel,reschedule,add_to_calendar,receipt,book_again");
    ck_assert_int_eq(json_integer_value(json_object_get(b, "reschedules_left")), 2);
    json_decref(b);
    /* past the cutoff, unpaid, link gone */
    b = kf_portal_booking(json_pack("{s:{s:s, s:s, s:n, s:n, s:{s:b, s:b, s:i}}}", "booking", "id", "x",
        "status", "paid", "link", "payment", "actions", "cancel", 0, "reschedule", 0, "reschedules_left", 0),
        "https://m", 0);
    ck_assert_str_eq(actions_of(b), "add_to_calendar");
    json_decref(b);
    /* its appointment is over: nothing left to put in a calendar, the receipt stays */
    b = kf_portal_booking(json_pack("{s:{s:s, s:s, s:s, s:{s:s}, s:{s:b, s:b, s:i}}}",
        "booking", "id", "x", "status", "confirmed", "link", "consulta", "payment", "status", "approved",
        "actions", "cancel", 0, "reschedule", 0, "reschedules_left", 2), "https://m", 1);
    ck_assert_str_eq(actions_of(b), "receipt,book_again");
    json_decref(b);
    /* its page no longer opens: nothing to do through it */
    b = kf_portal_booking(json_pack("{s:{s:s, s:s, s:{s:b, s:b}}}", "booking", "id", "x",
        "status", "cancelled", "actions", "cancel", 1, "reschedule", 1), NULL, 0);
    ck_assert(json_is_null(json_object_get(b, "manage_url")));
    ck_assert_str_eq(actions_of(b), "");
    json_decref(b);
}
END_TEST

START_TEST(preferences_read_booleans_and_a_language)
{
    kf_fields f;
    kf_preferences_change c;
    json_t *body = json_pack("{s:b, s:s}", "reminders_email", 0, "locale", "en");
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_preferences_read(&f, body, &c);
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(c.reminders_email, 0);
    ck_assert_int_eq(c.reminders_text, -1);
    ck_assert_str_eq(c.locale, "en");
    json_decref(body);

    body = json_pack("{s:s, s:s}", "reminders_text", "no", "locale", "fr");
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_preferences_read(&f, body, &c);
    ck_assert(kf_fields_has(&f, "reminders_text"));
    ck_assert(kf_fields_has(&f, "locale"));
    ck_assert_ptr_null(c.locale);
    json_decref(body);
}
END_TEST

START_TEST(preferences_as_json)
{
    const char *row[] = {"f", "t", "en"};
    json_t *j = kf_preferences_json(row);
    ck_assert(json_is_false(json_object_get(j, "reminders_email")));
    ck_assert(json_is_true(json_object_get(j, "reminders_text")));
    ck_assert_str_eq(json_string_value(json_object_get(j, "locale")), "en");
    json_decref(j);
}
END_TEST

START_TEST(an_unsubscribe_token_is_checked_by_its_hash_whatever_the_keys)
{
    unsigned char key[KF_KEY_LEN] = {1, 2, 3};
    unsigned char other[KF_KEY_LEN] = {9};
    kf_keyring *keys = kf_keyring_make(pool);
    kf_keyring_add(keys, key, 1);
    const char *id = "6f1c2a4e-1b7d-4a55-9f0e-3d2c1b0a9e8f";
    const char *aad = kf_unsubscribe_token_aad(pool, id);
    ck_assert_str_eq(aad, "customer_preferences:6f1c2a4e-1b7d-4a55-9f0e-3d2c1b0a9e8f:unsubscribe");
    const char *hash = NULL, *sealed = NULL;
    apr_status_t refused = APR_SUCCESS;
    const char *t = kf_kept_token(pool, keys, aad, NULL, &hash, &sealed, &refused);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(refused, APR_SUCCESS);
    ck_assert(kf_token_shape_ok(t));
    /* the link is checked against the hash: the same with any keyring, or none */
    ck_assert_str_eq(kf_unsubscribe_token_hash(pool, t), hash);
    ck_assert_str_eq(kf_sha256_hex(pool, t, strlen(t)), hash);
    /* the next mail opens the kept one: the same link, nothing new to keep */
    const char *kept = sealed;
    const char *again = kf_kept_token(pool, keys, aad, kept, &hash, &sealed, &refused);
    ck_assert_str_eq(again, t);
    ck_assert_ptr_null(hash);
    ck_assert_ptr_null(sealed);
    /* another row's aad does not open it; a keyring without its key makes a new one */
    const char *elsewhere = kf_kept_token(pool, keys, kf_unsubscribe_token_aad(pool, "x"), kept,
                                          &hash, &sealed, &refused);
    ck_assert_int_ne(refused, APR_SUCCESS);
    ck_assert_str_ne(elsewhere, t);
    kf_keyring *others = kf_keyring_make(pool);
    kf_keyring_add(others, other, 1);
    const char *fresh = kf_kept_token(pool, others, aad, kept, &hash, &sealed, &refused);
    ck_assert_int_eq(refused, KF_CRYPTO_EUNKNOWNKEY);
    ck_assert_str_ne(fresh, t);
    ck_assert_ptr_nonnull(hash);
    ck_assert_ptr_nonnull(sealed);
    /* what is no token is not looked up */
    ck_assert_ptr_null(kf_unsubscribe_token_hash(pool, NULL));
    ck_assert_ptr_null(kf_unsubscribe_token_hash(pool, ""));
    ck_assert_ptr_null(kf_unsubscribe_token_hash(pool, "short"));
    ck_assert_ptr_null(kf_unsubscribe_token_hash(pool, "v1.00000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
}
END_TEST

START_TEST(a_link_of_a_mail_sent_before_opens_while_its_key_is_listed)
{
    unsigned char key[KF_KEY_LEN] = {1, 2, 3};
    unsigned char other[KF_KEY_LEN] = {9};
    kf_keyring *keys = kf_keyring_make(pool);
    kf_keyring_add(keys, key, 1);
    const char *id = "6f1c2a4e-1b7d-4a55-9f0e-3d2c1b0a9e8f";
    const char *old = kf_seal_text(pool, keys, id, KF_UNSUBSCRIBE_LEGACY_AAD);
    ck_assert_str_eq(kf_unsubscribe_legacy_open(pool, keys, old), id);
    ck_assert_ptr_null(kf_unsubscribe_token_hash(pool, old));      /* never taken for a kept one */
    ck_assert_ptr_null(kf_unsubscribe_legacy_open(pool, keys, "v1.00000000.AAAA"));
    ck_assert_ptr_null(kf_unsubscribe_legacy_open(pool, keys, ""));
    ck_assert_ptr_null(kf_unsubscribe_legacy_open(pool, keys, NULL));
    /* once its key is gone it opens no more; another place's sealed text never opens */
    kf_keyring *others = kf_keyring_make(pool);
    kf_keyring_add(others, other, 1);
    ck_assert_ptr_null(kf_unsubscribe_legacy_open(pool, others, old));
    ck_assert_ptr_null(kf_unsubscribe_legacy_open(pool, keys,
                                                   kf_seal_text(pool, keys, id, "mail_outbox.body")));
    ck_assert_ptr_null(kf_unsubscribe_legacy_open(pool, keys,
                                                   kf_seal_text(pool, keys, "not-an-id",
                                                                KF_UNSUBSCRIBE_LEGACY_AAD)));
}
END_TEST

START_TEST(an_unsubscribe_takes_json_or_the_one_click_form)
{
    ck_assert_int_eq(kf_unsubscribe_body_of("application/json"), KF_UNSUBSCRIBE_JSON);
    ck_assert_int_eq(kf_unsubscribe_body_of("application/json; charset=utf-8"), KF_UNSUBSCRIBE_JSON);
    ck_assert_int_eq(kf_unsubscribe_body_of("application/x-www-form-urlencoded"), KF_UNSUBSCRIBE_FORM);
    ck_assert_int_eq(kf_unsubscribe_body_of("multipart/form-data; boundary=x"), KF_UNSUBSCRIBE_FORM);
    ck_assert_int_eq(kf_unsubscribe_body_of("text/plain"), KF_UNSUBSCRIBE_REFUSED);
    ck_assert_int_eq(kf_unsubscribe_body_of(NULL), KF_UNSUBSCRIBE_REFUSED);
    ck_assert_int_eq(kf_unsubscribe_body_of(""), KF_UNSUBSCRIBE_REFUSED);

    const char *form = "application/x-www-form-urlencoded";
    ck_assert(kf_unsubscribe_one_click(pool, form, "List-Unsubscribe=One-Click", 26));
    ck_assert(kf_unsubscribe_one_click(pool, form, "List-Unsubscribe=One-Click\r\n", 28));
    ck_assert(!kf_unsubscribe_one_click(pool, form, "List-Unsubscribe=one-click", 26));
    ck_assert(!kf_unsubscribe_one_click(pool, form, "", 0));
    ck_assert(!kf_unsubscribe_one_click(pool, form, "unsubscribe=yes", 15));
    const char *multipart = "multipart/form-data; boundary=----kf";
    const char *body = "------kf\r\n"
                       "Content-Disposition: form-data; name=\"List-Unsubscribe\"\r\n"
                       "\r\n"
                       "One-Click\r\n"
                       "------kf--\r\n";
    ck_assert(kf_unsubscribe_one_click(pool, multipart, body, strlen(body)));
    ck_assert(!kf_unsubscribe_one_click(pool, "text/plain", body, strlen(body)));
}
END_TEST

START_TEST(reminders_go_where_the_customer_did_not_turn_them_off)
{
    ck_assert_int_eq(kf_reminder_channels(1, 1, 1, 1), KF_REMIND_MAIL | KF_REMIND_TEXT);
    ck_assert_int_eq(kf_reminder_channels(1, 1, 0, 1), KF_REMIND_TEXT);
    ck_assert_int_eq(kf_reminder_channels(1, 1, 1, 0), KF_REMIND_MAIL);
    ck_assert_int_eq(kf_reminder_channels(0, 1, 1, 1), KF_REMIND_TEXT);
    ck_assert_int_eq(kf_reminder_channels(0, 0, 1, 1), 0);
}
END_TEST

START_TEST(stop_words_in_twilio_and_spanish)
{
    ck_assert_int_eq(kf_text_reply_of("STOP"), KF_TEXT_REPLY_STOP);
    ck_assert_int_eq(kf_text_reply_of("  baja. "), KF_TEXT_REPLY_STOP);
    ck_assert_int_eq(kf_text_reply_of("Unsubscribe"), KF_TEXT_REPLY_STOP);
    ck_assert_int_eq(kf_text_reply_of("quit!"), KF_TEXT_REPLY_STOP);
    ck_assert_int_eq(kf_text_reply_of("start"), KF_TEXT_REPLY_START);
    ck_assert_int_eq(kf_text_reply_of("ALTA"), KF_TEXT_REPLY_START);
    ck_assert_int_eq(kf_text_reply_of("stop it please"), KF_TEXT_REPLY_OTHER);
    ck_assert_int_eq(kf_text_reply_of("stopp"), KF_TEXT_REPLY_OTHER);
    ck_assert_int_eq(kf_text_reply_of(""), KF_TEXT_REPLY_OTHER);
    ck_assert_int_eq(kf_text_reply_of(NULL), KF_TEXT_REPLY_OTHER);
    ck_assert_str_eq(kf_text_with_opt_out(pool, KF_LOCALE_ES, "Hola"),
                     "Hola\nResponde BAJA o STOP para no recibir más mensajes.");
    ck_assert_str_eq(kf_text_with_opt_out(pool, KF_LOCALE_EN, "Hi"),
                     "Hi\nReply STOP to stop these texts.");
}
END_TEST

START_TEST(the_portal_forms)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *login = json_pack("{s:s}", "email", "Ana@Example.COM");
    ck_assert_str_eq(kf_portal_login_read(&f, login), "ana@example.com");
    ck_assert(kf_fields_ok(&f));
    json_t *bad = json_pack("{s:s, s:i}", "email", "not-an-address", "token", 5);
    ck_assert_ptr_null(kf_portal_login_read(&f, bad));
    ck_assert(kf_fields_has(&f, "email"));
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_ptr_null(kf_portal_session_read(&f, bad));
    ck_assert(kf_fields_has(&f, "token"));
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_ptr_null(kf_portal_login_read(&f, NULL));
    ck_assert(kf_fields_has(&f, "email"));
    json_decref(login);
    json_decref(bad);
    json_t *vars = kf_portal_sign_in_vars(pool, "https://example.com", "demo", "example.com",
                                          "tok", "Peluquería");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "link")),
                     "https://demo.example.com/book/me?token=tok");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "business_name")), "Peluquería");
    json_decref(vars);
    ck_assert_ptr_null(kf_portal_sign_in_vars(pool, "ftp://x", "demo", "example.com", "t", "B"));
}
END_TEST

/* The unsubscribe link's token is its ?token=; none, an empty one or a query that cannot be
 * read is no token. */
START_TEST(the_unsubscribe_token_is_the_querys)
{
    ck_assert_str_eq(kf_unsubscribe_query_token(pool, "token=abc%2Bd"), "abc+d");
    ck_assert_str_eq(kf_unsubscribe_query_token(pool, "x=1&token=t"), "t");
    ck_assert_ptr_null(kf_unsubscribe_query_token(pool, "token="));
    ck_assert_ptr_null(kf_unsubscribe_query_token(pool, "x=1"));
    ck_assert_ptr_null(kf_unsubscribe_query_token(pool, NULL));
    ck_assert_ptr_null(kf_unsubscribe_query_token(pool, "token=a&token=b"));
}
END_TEST

/* What Twilio posts is a form; a body with a NUL byte or that does not decode is none. */
START_TEST(a_texts_form_is_read_from_its_body)
{
    const char *body = "From=%2B573001112233&Body=STOP";
    apr_table_t *form = kf_text_reply_form(pool, body, strlen(body));
    ck_assert_ptr_nonnull(form);
    ck_assert_str_eq(apr_table_get(form, "From"), "+573001112233");
    ck_assert_str_eq(apr_table_get(form, "Body"), "STOP");
    ck_assert_ptr_null(kf_text_reply_form(pool, "Body=ST\0OP", 11));
    ck_assert_ptr_null(kf_text_reply_form(pool, "Body=%FF", 8));
    ck_assert_ptr_nonnull(kf_text_reply_form(pool, "", 0));
}
END_TEST

START_TEST(a_text_names_its_number_and_is_signed_over_its_url)
{
    apr_table_t *form = apr_table_make(pool, 4);
    apr_table_set(form, "From", "whatsapp:+573001112233");
    apr_table_set(form, "Body", " stop ");
    const char *from = NULL;
    ck_assert_int_eq(kf_text_reply_read(form, &from), KF_TEXT_REPLY_STOP);
    ck_assert_str_eq(from, "+573001112233");
    apr_table_set(form, "From", "");
    ck_assert_int_eq(kf_text_reply_read(form, &from), KF_TEXT_REPLY_OTHER);
    /* twilio-python's request validator vector (PROVIDERS.md "Twilio"), the public URL
     * with a trailing slash */
    apr_table_t *signed_form = apr_table_make(pool, 8);
    apr_table_set(signed_form, "CallSid", "CA1234567890ABCDE");
    apr_table_set(signed_form, "Caller", "+14158675309");
    apr_table_set(signed_form, "Digits", "1234");
    apr_table_set(signed_form, "From", "+14158675309");
    apr_table_set(signed_form, "To", "+18005551212");
    const char *sig = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    ck_assert(kf_text_reply_signed(pool, signed_form, "12345", "https://mycompany.com/",
                                   "/myapp.php?foo=1&bar=2", sig));
    ck_assert(!kf_text_reply_signed(pool, signed_form, "12345", "https://mycompany.com",
                                    "/myapp.php?foo=1&bar=3", sig));
    ck_assert(!kf_text_reply_signed(pool, signed_form, "12345", "https://mycompany.com",
                                    "/myapp.php?foo=1&bar=2", NULL));
}
END_TEST

START_TEST(the_customer_list_query)
{
    apr_table_t *t = apr_table_make(pool, 2);
    kf_customer_query q;
    const char *why = NULL;
    ck_assert_ptr_null(kf_customer_query_read(t, &q, &why));
    ck_assert_str_eq(q.q, "");
    ck_assert_int_eq(q.page, 1);
    apr_table_set(t, "page", "0");
    ck_assert_str_eq(kf_customer_query_read(t, &q, &why), "page");
    apr_table_set(t, "page", "3");
    apr_table_set(t, "q", "ana");
    ck_assert_ptr_null(kf_customer_query_read(t, &q, &why));
    ck_assert_int_eq(q.page, 3);
    ck_assert_str_eq(kf_customer_query_pattern(pool, "a%b_c\\"), "%a\\%b\\_c\\\\%");
    const char *row[] = {"ana@x.co", "Ana", NULL, "3", "2026-01-01T10:00:00Z", "t", "f"};
    json_t *j = kf_customer_json(row);
    ck_assert(json_is_null(json_object_get(j, "phone")));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "bookings")), 3);
    json_t *off = json_object_get(j, "reminders_opt_out");
    ck_assert(json_is_true(json_object_get(off, "email")));
    ck_assert(json_is_false(json_object_get(off, "text")));
    json_decref(j);
}
END_TEST

/* A page of the list from its rows: each customer, and the total every row repeats (none
 * when no row matched). */
START_TEST(a_page_of_customers_from_its_rows)
{
    const char *ana[] = {"ana@x.co", "Ana", "+573001112233", "2", NULL, "f", "f", "41"};
    const char *bea[] = {"bea@x.co", NULL, "", "1", "2026-01-02T09:00:00Z", "f", "t", "41"};
    const char *const *rows[] = {ana, bea};
    json_t *page = kf_customer_list_page(rows, 2, 3);
    ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 41);
    ck_assert_int_eq(json_integer_value(json_object_get(page, "page")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(page, "per_page")), KF_CUSTOMERS_PER_PAGE);
    json_t *items = json_object_get(page, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "phone")),
                     "+573001112233");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "name")), "");
    ck_assert(json_is_null(json_object_get(json_array_get(items, 1), "phone")));
    json_decref(page);
    page = kf_customer_list_page(NULL, 0, 1);
    ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 0);
    ck_assert_int_eq(json_array_size(json_object_get(page, "items")), 0);
    json_decref(page);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("customers");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, tabs_are_upcoming_or_past);
    tcase_add_test(tc, the_cookie_is_host_only_secure_and_lax);
    tcase_add_test(tc, a_tenant_root_keeps_the_public_scheme_and_port);
    tcase_add_test(tc, a_portal_booking_is_the_status_answer_with_its_page_and_actions);
    tcase_add_test(tc, preferences_read_booleans_and_a_language);
    tcase_add_test(tc, preferences_as_json);
    tcase_add_test(tc, an_unsubscribe_token_is_checked_by_its_hash_whatever_the_keys);
    tcase_add_test(tc, a_link_of_a_mail_sent_before_opens_while_its_key_is_listed);
    tcase_add_test(tc, an_unsubscribe_takes_json_or_the_one_click_form);
    tcase_add_test(tc, reminders_go_where_the_customer_did_not_turn_them_off);
    tcase_add_test(tc, stop_words_in_twilio_and_spanish);
    tcase_add_test(tc, the_customer_list_query);
    tcase_add_test(tc, a_page_of_customers_from_its_rows);
    tcase_add_test(tc, the_portal_forms);
    tcase_add_test(tc, a_text_names_its_number_and_is_signed_over_its_url);
    tcase_add_test(tc, the_unsubscribe_token_is_the_querys);
    tcase_add_test(tc, a_texts_form_is_read_from_its_body);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
