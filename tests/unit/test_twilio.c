#include "kf_check.h"
#include "kf_twilio.h"

#include <apr_strings.h>
#include <string.h>

static apr_array_header_t *params(const char *const *pairs)
{
    apr_array_header_t *a = apr_array_make(pool, 4, sizeof(kf_twilio_param));
    for (int i = 0; pairs[i]; i += 2) {
        kf_twilio_param *x = apr_array_push(a);
        x->name = pairs[i];
        x->value = pairs[i + 1];
    }
    return a;
}

/* PROVIDERS.md "Twilio": twilio-python's request validator vectors */
START_TEST(signature_vectors)
{
    static const char *const form[] = {"CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
                                       "Digits", "1234", "From", "+14158675309",
                                       "To", "+18005551212", NULL};
    const char *url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    ck_assert_str_eq(kf_twilio_signature(pool, "12345", url, params(form)),
                     "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    ck_assert_str_eq(kf_twilio_signature(pool, "12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                                         params(form)),
                     "kvajT1Ptam85bY51eRf/AJRuM3w=");
    /* repeated names: sorted by name, then value */
    static const char *const dup[] = {"Sid", "CA123", "SidAccount", "AC123", "Digits", "5678",
                                      "Digits", "1234", NULL};
    ck_assert_str_eq(kf_twilio_signature(pool, "12345", url, params(dup)),
                     "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
}
END_TEST

START_TEST(signature_check_accepts_the_default_port_either_way)
{
    static const char *const form[] = {"CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
                                       "Digits", "1234", "From", "+14158675309",
                                       "To", "+18005551212", NULL};
    apr_array_header_t *a = params(form);
    const char *url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const char *with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    ck_assert(kf_twilio_signature_ok(pool, "12345", url, a, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    ck_assert(kf_twilio_signature_ok(pool, "12345", url, a, "kvajT1Ptam85bY51eRf/AJRuM3w="));
    ck_assert(kf_twilio_signature_ok(pool, "12345", with_port, a, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    ck_assert(!kf_twilio_signature_ok(pool, "54321", url, a, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    ck_assert(!kf_twilio_signature_ok(pool, "12345", "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
                                      a, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    ck_assert(!kf_twilio_signature_ok(pool, "12345", url, a, NULL));
    ck_assert(!kf_twilio_signature_ok(pool, "12345", url, a, ""));
    /* one field changed: refused */
    static const char *const other[] = {"CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
                                        "Digits", "1235", "From", "+14158675309",
                                        "To", "+18005551212", NULL};
    ck_assert(!kf_twilio_signature_ok(pool, "12345", url, params(other), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
}
END_TEST

START_TEST(settings_rules)
{
    ck_assert_ptr_null(kf_twilio_account_sid_problem("AC0123456789abcdef0123456789abcdef"));
    ck_assert_str_eq(kf_twilio_account_sid_problem("AC0123"), "twilio_account_sid_invalid");
    ck_assert_str_eq(kf_twilio_account_sid_problem("MG0123456789abcdef0123456789abcdef"),
                     "twilio_account_sid_invalid");
    ck_assert_str_eq(kf_twilio_account_sid_problem("AC0123456789abcdef0123456789abcdeg"),
                     "twilio_account_sid_invalid");
    ck_assert_str_eq(kf_twilio_account_sid_problem(NULL), "twilio_account_sid_invalid");
    ck_assert_ptr_null(kf_twilio_auth_token_problem("0123456789abcdef0123456789ABCDEF"));
    ck_assert_str_eq(kf_twilio_auth_token_problem("secret"), "twilio_auth_token_invalid");
    ck_assert_ptr_null(kf_twilio_from_problem("+14155552671"));
    ck_assert_str_eq(kf_twilio_from_problem("4155552671"), "twilio_from_invalid");
    ck_assert_str_eq(kf_twilio_from_problem("whatsapp:+14155552671"), "twilio_from_invalid");
    ck_assert_ptr_null(kf_twilio_channel_problem("sms"));
    ck_assert_ptr_null(kf_twilio_channel_problem("whatsapp"));
    ck_assert_str_eq(kf_twilio_channel_problem("telegram"), "twilio_channel_invalid");
}
END_TEST

START_TEST(settings_are_shown_and_audited_without_the_token)
{
    kf_twilio_settings v = {"AC0123456789abcdef0123456789abcdef",
                            "0123456789abcdef0123456789ABCDEF", "+14155552671", "sms"};
    json_t *changes = kf_twilio_settings_changes(&v);
    ck_assert_str_eq(json_string_value(json_object_get(changes, "auth_token")), "[redacted]");
    ck_assert_str_eq(json_string_value(json_object_get(changes, "from")), "+14155552671");
    json_decref(changes);
    ck_assert(json_is_null(kf_twilio_settings_view(NULL)));
    const char *row[KF_TWILIO_VIEW_COLUMNS] = {"AC0123456789abcdef0123456789abcdef",
                                                "+14155552671", "sms", "CDEF",
                                                "2026-11-25T10:00:00Z"};
    json_t *view = kf_twilio_settings_view(row);
    ck_assert(json_is_true(json_object_get(view, "configured")));
    ck_assert_str_eq(json_string_value(json_object_get(view, "provider")), "twilio");
    ck_assert_str_eq(json_string_value(json_object_get(view, "auth_token_last4")), "CDEF");
    ck_assert_ptr_null(json_object_get(view, "auth_token"));
    ck_assert_str_eq(json_string_value(json_object_get(view, "updated_at")), "2026-11-25T10:00:00Z");
    json_decref(view);
}
END_TEST

START_TEST(a_stored_account_opens_with_its_tenants_token)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, 3, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *row[KF_TWILIO_ACCT_COLUMNS] = {
        "AC0123456789abcdef0123456789abcdef", "+14155552671", "sms",
        kf_seal_text(pool, keys, "0123456789abcdef0123456789ABCDEF",
                     kf_twilio_token_aad(pool, "t-1")),
    };
    const kf_twilio_account *acct = kf_twilio_account_open(pool, keys, row, "t-1",
                                                           KF_TWILIO_DEFAULT_API);
    ck_assert_ptr_nonnull(acct);
    ck_assert_str_eq(acct->auth_token, "0123456789abcdef0123456789ABCDEF");
    ck_assert_str_eq(acct->from, "+14155552671");
    ck_assert_str_eq(acct->api_base, KF_TWILIO_DEFAULT_API);
    /* another tenant's row never opens as this one's */
    ck_assert_ptr_null(kf_twilio_account_open(pool, keys, row, "t-2", KF_TWILIO_DEFAULT_API));
}
END_TEST

START_TEST(settings_of_a_body)
{
    kf_twilio_settings v;
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "account_sid",
                             "AC0123456789abcdef0123456789abcdef", "auth_token",
                             "0123456789abcdef0123456789ABCDEF", "from", "+14155552671",
                             "channel", "whatsapp");
    json_t *errors = kf_twilio_settings_read(body, &v);
    ck_assert_int_eq(json_object_size(errors), 0);
    ck_assert_str_eq(v.account_sid, "AC0123456789abcdef0123456789abcdef");
    ck_assert_str_eq(v.auth_token, "0123456789abcdef0123456789ABCDEF");
    ck_assert_str_eq(v.from, "+14155552671");
    ck_assert_str_eq(v.channel, "whatsapp");
    json_decref(errors);
    json_decref(body);

    /* each field says what is wrong with it */
    body = json_pack("{s:s, s:i, s:s}", "account_sid", "AC0123", "auth_token", 12, "from",
                     "4155552671");
    errors = kf_twilio_settings_read(body, &v);
    ck_assert_int_eq(json_object_size(errors), 4);
    ck_assert_str_eq(json_string_value(json_object_get(errors, "account_sid")),
                     "twilio_account_sid_invalid");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "auth_token")), "tenant_field_string");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "from")), "twilio_from_invalid");
    ck_assert_str_eq(json_string_value(json_object_get(errors, "channel")), "tenant_field_required");
    ck_assert_ptr_null(v.channel);
    json_decref(errors);
    json_decref(body);
}
END_TEST

START_TEST(what_an_attempt_leaves)
{
    ck_assert_ptr_null(kf_twilio_text_not_sendable(1, 1, 1));
    ck_assert_str_eq(kf_twilio_text_not_sendable(0, 1, 1),
                     "the appointment has started: a reminder now would be late");
    ck_assert_str_eq(kf_twilio_text_not_sendable(0, 0, 0),
                     "the appointment has started: a reminder now would be late");
    ck_assert_str_eq(kf_twilio_text_not_sendable(1, 0, 0), "messaging is no longer configured");
    ck_assert_str_eq(kf_twilio_text_not_sendable(1, 1, 0), "the text does not open");

    ck_assert_str_eq(kf_twilio_outcome_status(KF_TWILIO_SENT), "sent");
    ck_assert_str_eq(kf_twilio_outcome_status(KF_TWILIO_FAILED), "failed");
    ck_assert_str_eq(kf_twilio_outcome_status(KF_TWILIO_RETRY), "queued");
    /* busy Twilio: 5 s, 15 s, 1 min ... as mails; nothing after a settled attempt */
    ck_assert_int_eq(kf_twilio_retry_delay(KF_TWILIO_RETRY, 1), 5);
    ck_assert_int_eq(kf_twilio_retry_delay(KF_TWILIO_RETRY, 3), 60);
    ck_assert_int_eq(kf_twilio_retry_delay(KF_TWILIO_SENT, 1), -1);
    ck_assert_int_eq(kf_twilio_retry_delay(KF_TWILIO_FAILED, 2), -1);
}
END_TEST

/* The log says what became of a text, never the whole number, even where Twilio quotes it. */
START_TEST(an_attempt_is_logged_without_the_number)
{
    const char *sent = kf_twilio_attempt_line(pool, KF_TWILIO_SENT, "t-1", "+573001234567", 1,
                                              "SM123", NULL);
    ck_assert_ptr_nonnull(strstr(sent, "message t-1 sent to "));
    ck_assert_ptr_nonnull(strstr(sent, "(SM123)"));
    ck_assert_ptr_null(strstr(sent, "3001234567"));
    const char *failed = kf_twilio_attempt_line(
        pool, KF_TWILIO_FAILED, "t-1", "+573001234567", 2, NULL,
        "21211 The 'To' number +573001234567 is not a valid phone number.");
    ck_assert_ptr_nonnull(strstr(failed, "failed after attempt 2: 21211 The 'To' number "));
    ck_assert_ptr_null(strstr(failed, "3001234567"));
    ck_assert_ptr_nonnull(strstr(kf_twilio_attempt_line(pool, KF_TWILIO_RETRY, "t-1",
                                                        "+573001234567", 3, NULL, NULL),
                                 "retried later after attempt 3: ?"));
}
END_TEST

START_TEST(message_form_per_channel)
{
    kf_twilio_account sms = {NULL, "AC0123456789abcdef0123456789abcdef",
                             "0123456789abcdef0123456789abcdef", "+14155552671", "sms"};
    ck_assert_str_eq(kf_twilio_message_form(pool, &sms, "+573001234567", "Cita mañana 10:00", NULL),
                     "To=%2B573001234567&From=%2B14155552671&Body=Cita%20ma%C3%B1ana%2010%3A00");
    kf_twilio_account wa = sms;
    wa.channel = "whatsapp";
    const char *form = kf_twilio_message_form(pool, &wa, "+573001234567", "Hola", "https://k.example/cb");
    ck_assert_str_eq(form, "To=whatsapp%3A%2B573001234567&From=whatsapp%3A%2B14155552671&Body=Hola"
                           "&StatusCallback=https%3A%2F%2Fk.example%2Fcb");
    /* a body longer than Twilio takes is cut on a whole character */
    char *longer = apr_palloc(pool, 2 * 1700 + 1);
    for (int i = 0; i < 1700; i++) {
        memcpy(longer + 2 * i, "ñ", 2);
    }
    longer[2 * 1700] = '\0';
    form = kf_twilio_message_form(pool, &sms, "+573001234567", longer, NULL);
    const char *body = strstr(form, "&Body=") + 6;
    ck_assert_uint_eq(strlen(body), (size_t)1600 * 6);     /* each ñ is %C3%B1 */
}
END_TEST

START_TEST(answers_sent_retry_failed)
{
    const char *sid = NULL, *why = NULL;
    const char *ok = "{\"sid\": \"SM1234\", \"status\": \"queued\", \"error_code\": null}";
    ck_assert_int_eq(kf_twilio_read_answer(pool, 201, ok, strlen(ok), &sid, &why), KF_TWILIO_SENT);
    ck_assert_str_eq(sid, "SM1234");
    const char *bad_to = "{\"code\": 21211, \"message\": \"The 'To' number 5551234567 is not a valid "
                         "phone number.\", \"more_info\": \"https://www.twilio.com/docs/errors/21211\","
                         " \"status\": 400}";
    ck_assert_int_eq(kf_twilio_read_answer(pool, 400, bad_to, strlen(bad_to), &sid, &why),
                     KF_TWILIO_FAILED);
    ck_assert_ptr_nonnull(strstr(why, "21211"));
    ck_assert_ptr_null(sid);
    const char *auth = "{\"code\": 20003, \"message\": \"Authenticate\", \"status\": 401}";
    ck_assert_int_eq(kf_twilio_read_answer(pool, 401, auth, strlen(auth), &sid, &why), KF_TWILIO_FAILED);
    const char *busy = "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}";
    ck_assert_int_eq(kf_twilio_read_answer(pool, 429, busy, strlen(busy), &sid, &why), KF_TWILIO_RETRY);
    ck_assert_int_eq(kf_twilio_read_answer(pool, 503, "oops", 4, &sid, &why), KF_TWILIO_RETRY);
    ck_assert_str_eq(why, "HTTP 503");
    ck_assert_int_eq(kf_twilio_read_answer(pool, 201, "{}", 2, &sid, &why), KF_TWILIO_RETRY);
}
END_TEST

START_TEST(reminder_text_in_both_languages)
{
    ck_assert_str_eq(kf_twilio_reminder_text(pool, KF_LOCALE_ES, "Clínica Aurora", "Consulta general",
                                             "Dra. Núñez", "martes 1 de diciembre, 10:00",
                                             "Dirección: Calle 85 #11-20",
                                             "https://k.example/book/manage/1?token=t"),
                     "Clínica Aurora: te recordamos tu Consulta general con Dra. Núñez, martes 1 "
                     "de diciembre, 10:00. Dirección: Calle 85 #11-20. Cambiar o cancelar: "
                     "https://k.example/book/manage/1?token=t");
    ck_assert_str_eq(kf_twilio_reminder_text(pool, KF_LOCALE_EN, "Aurora", "Checkup", "Dr. Núñez",
                                             "Tuesday, December 1, 10:00 AM", NULL, NULL),
                     "Aurora: reminder of your Checkup with Dr. Núñez, Tuesday, December 1, 10:00 AM.");
}
END_TEST

/* ---- the call, through a fake HTTP client ---- */
typedef struct {
    kf_http_request seen;     /* a copy: the client's request does not outlive the call */
    int status;
    const char *body;
} fake_twilio;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    fake_twilio *f = baton;
    f->seen = *req;
    if (!f->status) {
        *why = "connection refused";
        return APR_ECONNREFUSED;
    }
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = f->status;
    r->headers = apr_table_make(p, 1);
    r->body = f->body;
    r->body_len = strlen(f->body);
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = {"fake-twilio", fake_perform};

START_TEST(send_posts_the_form_with_basic_auth)
{
    fake_twilio f = {{0}, 201, "{\"sid\": \"SMabc\", \"status\": \"queued\"}"};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_twilio_account acct = {"https://api.twilio.com/", "AC0123456789abcdef0123456789abcdef",
                              "0123456789abcdef0123456789abcdef", "+14155552671", "sms"};
    const char *form = kf_twilio_message_form(pool, &acct, "+573001234567", "Hola", NULL);
    const char *sid = NULL, *why = NULL;
    ck_assert_int_eq(kf_twilio_send(pool, c, &acct, form, &sid, &why), KF_TWILIO_SENT);
    ck_assert_str_eq(sid, "SMabc");
    ck_assert_str_eq(f.seen.method, "POST");
    ck_assert_str_eq(f.seen.url, "https://api.twilio.com/2010-04-01/Accounts/"
                                  "AC0123456789abcdef0123456789abcdef/Messages.json");
    /* base64("AC0123456789abcdef0123456789abcdef:0123456789abcdef0123456789abcdef") */
    ck_assert_str_eq(apr_table_get(f.seen.headers, "Authorization"),
                     "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjowMTIzNDU2Nzg5YWJjZGVmMDEy"
                     "MzQ1Njc4OWFiY2RlZg==");
    ck_assert_str_eq(apr_table_get(f.seen.headers, "Content-Type"), "application/x-www-form-urlencoded");
    ck_assert_str_eq(f.seen.body, form);
    f.status = 0;        /* unreachable: worth another try */
    ck_assert_int_eq(kf_twilio_send(pool, c, &acct, form, &sid, &why), KF_TWILIO_RETRY);
    ck_assert_str_eq(why, "connection refused");
}
END_TEST

START_TEST(a_queued_text_opens_and_goes_or_says_why_not)
{
    fake_twilio f = {{0}, 201, "{\"sid\": \"SMq1\", \"status\": \"queued\"}"};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_twilio_account acct = {"https://api.twilio.com/", "AC0123456789abcdef0123456789abcdef",
                              "0123456789abcdef0123456789abcdef", "+14155552671", "sms"};
    unsigned char key[KF_KEY_LEN];
    memset(key, 9, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *sealed = kf_seal_text(pool, keys, "Hola", KF_MESSAGE_BODY_AAD);
    const char *sid = NULL, *why = NULL;
    ck_assert_int_eq(kf_twilio_send_queued(pool, c, keys, &acct, 1, "+573001234567", sealed,
                                           &sid, &why), KF_TWILIO_SENT);
    ck_assert_str_eq(sid, "SMq1");
    ck_assert_str_eq(f.seen.body,
                     kf_twilio_message_form(pool, &acct, "+573001234567", "Hola", NULL));
    /* late, gone or unopenable: failed without a request */
    f.seen.body = NULL;
    ck_assert_int_eq(kf_twilio_send_queued(pool, c, keys, &acct, 0, "+573001234567", sealed,
                                           &sid, &why), KF_TWILIO_FAILED);
    ck_assert_str_eq(why, kf_twilio_text_not_sendable(0, 1, 1));
    ck_assert_ptr_null(sid);
    ck_assert_int_eq(kf_twilio_send_queued(pool, c, keys, NULL, 1, "+573001234567", sealed,
                                           &sid, &why), KF_TWILIO_FAILED);
    ck_assert_str_eq(why, kf_twilio_text_not_sendable(1, 0, 1));
    ck_assert_int_eq(kf_twilio_send_queued(pool, c, keys, &acct, 1, "+573001234567",
                                           kf_seal_text(pool, keys, "Hola", "elsewhere"), &sid,
                                           &why), KF_TWILIO_FAILED);
    ck_assert_str_eq(why, kf_twilio_text_not_sendable(1, 1, 0));
    ck_assert_ptr_null(f.seen.body);
}
END_TEST

static Suite *twilio_suite(void)
{
    Suite *s = suite_create("twilio");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, signature_vectors);
    tcase_add_test(tc, signature_check_accepts_the_default_port_either_way);
    tcase_add_test(tc, settings_rules);
    tcase_add_test(tc, an_attempt_is_logged_without_the_number);
    tcase_add_test(tc, a_stored_account_opens_with_its_tenants_token);
    tcase_add_test(tc, settings_are_shown_and_audited_without_the_token);
    tcase_add_test(tc, settings_of_a_body);
    tcase_add_test(tc, what_an_attempt_leaves);
    tcase_add_test(tc, message_form_per_channel);
    tcase_add_test(tc, answers_sent_retry_failed);
    tcase_add_test(tc, reminder_text_in_both_languages);
    tcase_add_test(tc, send_posts_the_form_with_basic_auth);
    tcase_add_test(tc, a_queued_text_opens_and_goes_or_says_why_not);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(twilio_suite());
}
