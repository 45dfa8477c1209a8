/* Unit suite for lib/payments/kf_purchase_view.c: what a customer who buys a package is
 * told, when it is made and on its page. */
#include "kf_check.h"
#include <string.h>

#include "kf_json.h"
#include "kf_purchase_view.h"
#include "kf_money.h"

/* A paid package of 5 sessions, 2 used, valid 90 days. */
static void paid_purchase(const char *v[KF_PUR_COL_COUNT])
{
    for (int i = 0; i < KF_PUR_COL_COUNT; i++) {
        v[i] = NULL;
    }
    v[KF_PUR_COL_ID] = "pu-1";
    v[KF_PUR_COL_STATUS] = "paid";
    v[KF_PUR_COL_DUE] = "f";
    v[KF_PUR_COL_EVER_PAID] = "t";
    v[KF_PUR_COL_TOTAL] = "5";
    v[KF_PUR_COL_USED] = "2";
    v[KF_PUR_COL_EXPIRES] = "2026-07-01T00:00:00Z";
    v[KF_PUR_COL_PAID_AT] = "2026-04-02T00:00:00Z";
    v[KF_PUR_COL_PACKAGE_ID] = "k-1";
    v[KF_PUR_COL_PACKAGE_NAME] = "Cinco cortes";
    v[KF_PUR_COL_VALID_DAYS] = "90";
    v[KF_PUR_COL_AMOUNT] = "200000";
    v[KF_PUR_COL_CURRENCY] = "COP";
    v[KF_PUR_COL_SERVICE_ID] = "s-1";
    v[KF_PUR_COL_SERVICE_NAME] = "Corte";
    v[KF_PUR_COL_DURATION] = "30";
    v[KF_PUR_COL_LINK] = "corte";
    v[KF_PUR_COL_TENANT_NAME] = "Barbería";
    v[KF_PUR_COL_PRIMARY] = "#112233";
    v[KF_PUR_COL_TIMEZONE] = "America/Bogota";
    v[KF_PUR_COL_LOCALE] = "es";
    v[KF_PUR_COL_CUSTOMER_NAME] = "Ana";
    v[KF_PUR_COL_CUSTOMER_EMAIL] = "ana@example.com";
    v[KF_PUR_COL_CUSTOMER_PHONE] = "+573001234567";
}

START_TEST(a_new_purchase_awaits_its_payment)
{
    const char *made[KF_PUR_NEW_COL_COUNT] = {"pu-1", "1775000000", "5", "200000", "COP"};
    json_t *payment = json_pack("{s:s}", "checkout_url", "https://pay.example/1");
    json_t *p = kf_purchase_created_view(made, "tok", payment, "https://x.example/p/pu-1");
    ck_assert_str_eq(kf_json_dump(pool, p),
                     "{\"id\":\"pu-1\",\"token\":\"tok\",\"status\":\"pending_payment\","
                     "\"sessions_left\":5,\"expires_at\":null,"
                     "\"payment\":{\"checkout_url\":\"https://pay.example/1\"},"
                     "\"url\":\"https://x.example/p/pu-1\"}");
    json_decref(p);
    json_decref(payment);
}
END_TEST

START_TEST(a_new_purchase_starts_its_payment_at_its_price_until_it_must_be_paid)
{
    const char *made[KF_PUR_NEW_COL_COUNT] = {"pu-1", "1775000000", "5", "200000", "COP"};
    kf_payment_start in = {.tenant_id = "t-1", .customer_name = "Ana"};
    kf_purchase_payment_of(made, &in);
    ck_assert_str_eq(in.purchase_id, "pu-1");
    ck_assert_ptr_null(in.reservation_id);
    ck_assert_int_eq(in.amount, 200000);
    ck_assert_str_eq(in.currency, "COP");
    ck_assert(in.expires_at == apr_time_from_sec(1775000000));
    ck_assert_str_eq(in.tenant_id, "t-1");   /* the caller's fields stay */
    ck_assert_str_eq(in.customer_name, "Ana");
}
END_TEST

START_TEST(the_page_counts_the_sessions_left)
{
    const char *v[KF_PUR_COL_COUNT];
    paid_purchase(v);
    json_t *out = kf_purchase_page_view(v, json_array());
    json_t *p = json_object_get(out, "purchase");
    ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "paid");
    ck_assert_int_eq(json_integer_value(json_object_get(p, "sessions_left")), 3);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(p, "package")),
                     "{\"id\":\"k-1\",\"name\":\"Cinco cortes\",\"description\":null,"
                     "\"sessions\":5,\"valid_days\":90,"
                     "\"price\":{\"amount\":200000,\"currency\":\"COP\"}}");
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "tenant")),
                     "{\"name\":\"Barbería\",\"logo_url\":null,\"primary_color\":\"#112233\","
                     "\"secondary_color\":null,\"timezone\":\"America/Bogota\",\"locale\":\"es\","
                     "\"terms_url\":null}");
    json_decref(out);
}
END_TEST

START_TEST(an_expired_package_has_nothing_left)
{
    const char *v[KF_PUR_COL_COUNT];
    paid_purchase(v);
    v[KF_PUR_COL_DUE] = "t";   /* its validity ran out; the job has not recorded it yet */
    ck_assert_int_eq(kf_purchase_seen(v), KF_PUR_EXPIRED);
    json_t *out = kf_purchase_page_view(v, json_array());
    json_t *p = json_object_get(out, "purchase");
    ck_assert_str_eq(json_string_value(json_object_get(p, "status")), "expired");
    ck_assert_int_eq(json_integer_value(json_object_get(p, "sessions_left")), 0);
    json_decref(out);
}
END_TEST

START_TEST(only_an_unsettled_purchase_is_worth_asking_about)
{
    const char *v[KF_PUR_COL_COUNT];
    paid_purchase(v);
    ck_assert(!kf_purchase_awaits_approval(v));
    v[KF_PUR_COL_STATUS] = "pending_payment";
    v[KF_PUR_COL_EVER_PAID] = "f";
    ck_assert(kf_purchase_awaits_approval(v));
    v[KF_PUR_COL_STATUS] = "bogus";
    ck_assert(!kf_purchase_awaits_approval(v));
}
END_TEST

START_TEST(a_session_booking_says_whether_it_was_given_back)
{
    const char *b[KF_PUR_BOOKING_COL_COUNT] = {"b-1", "2026-04-03T15:00:00Z",
                                               "2026-04-03T15:30:00Z", "cancelled", "f", "t",
                                               "Luis"};
    json_t *j = kf_purchase_booking_view(b, "cancelled");
    ck_assert_str_eq(kf_json_dump(pool, j),
                     "{\"id\":\"b-1\",\"start\":\"2026-04-03T15:00:00Z\","
                     "\"end\":\"2026-04-03T15:30:00Z\",\"status\":\"cancelled\","
                     "\"professional\":\"Luis\",\"session_returned\":true}");
    json_decref(j);
}
END_TEST

START_TEST(the_page_is_on_the_public_host)
{
    ck_assert_str_eq(kf_purchase_page_url(pool, "https://k.example/", "pu-1", "a+b/c"),
                     "https://k.example/book/purchase/pu-1?token=a%2Bb%2Fc");
    ck_assert_str_eq(kf_purchase_page_url(pool, "https://k.example", "pu-1", "tok"),
                     "https://k.example/book/purchase/pu-1?token=tok");
}
END_TEST

/* A paid package as its customer's mail reads it. */
static void paid_mail_row(const char *v[KF_PUR_MAIL_COL_COUNT])
{
    static const char *row[KF_PUR_MAIL_COL_COUNT] = {
        "pu-1", "t-1", "Ana", "ana@example.com", "Cinco cortes", "Corte", "5",
        "2026-07-01T09:00", "America/Bogota", "20000000", "COP", "Barbería", "es", NULL, "sealed"};
    memcpy(v, row, sizeof(row));
}

START_TEST(the_paid_mail_says_what_was_bought_in_the_tenants_language)
{
    const char *v[KF_PUR_MAIL_COL_COUNT];
    paid_mail_row(v);
    ck_assert_int_eq(kf_purchase_mail_locale(v), KF_LOCALE_ES);
    json_t *vars = kf_purchase_paid_mail(pool, v, "1 de julio", "https://k.example/book/purchase/pu-1");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "business_name")), "Barbería");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "package")), "Cinco cortes");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "sessions")), "5");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "expires")), "1 de julio");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "paid")),
                     kf_money_text(pool, KF_LOCALE_ES, 20000000, "COP"));
    /* no colour of the tenant's: the house blue */
    ck_assert_str_eq(json_string_value(json_object_get(vars, "brand_color")), "#3B82F6");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "brand_text")), "#ffffff");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "link")),
                     "https://k.example/book/purchase/pu-1");
    json_decref(vars);
    v[KF_PUR_MAIL_COL_LOCALE] = "en";
    v[KF_PUR_MAIL_COL_COLOR] = "#112233";
    ck_assert_int_eq(kf_purchase_mail_locale(v), KF_LOCALE_EN);
    vars = kf_purchase_paid_mail(pool, v, NULL, "x");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "brand_color")), "#112233");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "expires")), "");
    ck_assert_str_eq(json_string_value(json_object_get(vars, "paid")),
                     kf_money_text(pool, KF_LOCALE_EN, 20000000, "COP"));
    json_decref(vars);
}
END_TEST

START_TEST(a_purchase_names_a_link_and_a_package)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_purchase_ask ask;
    json_t *body = json_pack("{s:s, s:s}", "link", "corte-de-pelo-abc123",
                             "package", "0b6c2a57-5f0e-4c55-9d53-8f9b2f3f4a11");
    kf_purchase_ask_read(&f, body, &ask);
    ck_assert(kf_fields_ok(&f));
    ck_assert_str_eq(ask.link, "corte-de-pelo-abc123");
    ck_assert_str_eq(ask.package, "0b6c2a57-5f0e-4c55-9d53-8f9b2f3f4a11");
    json_decref(body);
    body = json_pack("{s:s, s:i}", "link", "no slug!", "package", 7);
    kf_purchase_ask_read(&f, body, &ask);
    ck_assert_ptr_null(ask.link);
    ck_assert_ptr_null(ask.package);
    ck_assert(kf_fields_has(&f, "link"));
    ck_assert(kf_fields_has(&f, "package"));
    json_decref(body);
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    body = json_pack("{s:s, s:s}", "link", "corte-de-pelo-abc123", "package", "not-an-id");
    kf_purchase_ask_read(&f, body, &ask);
    ck_assert(!kf_fields_has(&f, "link"));
    ck_assert(kf_fields_has(&f, "package"));
    json_decref(body);
}
END_TEST

/* A payment's approval or decline as the locked purchase reads it: its state machine asked
 * with what the row and the plan say. */
START_TEST(a_payment_event_moves_the_locked_purchase)
{
    kf_payment_plan approve = {.step = KF_PAYMENT_STEP_APPROVE, .reason = "payment_approved"};
    kf_pur_state from;
    kf_pur_outcome o;
    ck_assert(kf_purchase_payment_outcome("pending_payment", "f", &approve, &from, &o));
    ck_assert_int_eq(from, KF_PUR_PENDING_PAYMENT);
    ck_assert(o.moved);
    ck_assert_int_eq(o.next, KF_PUR_PAID);
    ck_assert(o.effects & KF_PUR_FX_PAID);
    /* approved again, another transaction: money that pays for nothing */
    ck_assert(kf_purchase_payment_outcome("paid", "t", &approve, &from, &o));
    ck_assert(!o.moved);
    ck_assert(o.effects & KF_PUR_FX_REFUND_FLAG);
    approve.same_transaction = 1;
    ck_assert(kf_purchase_payment_outcome("paid", "t", &approve, &from, &o));
    ck_assert(!(o.effects & KF_PUR_FX_REFUND_FLAG));
    kf_payment_plan decline = {.step = KF_PAYMENT_STEP_DECLINE, .reason = "checkout_failed"};
    ck_assert(kf_purchase_payment_outcome("pending_payment", "f", &decline, &from, &o));
    ck_assert_int_eq(o.next, KF_PUR_FAILED);
    ck_assert_str_eq(o.reason, "checkout_failed");
    ck_assert(!kf_purchase_payment_outcome("lost", "f", &decline, &from, &o));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("purchase_view");
    TCase *tc = tcase_create("view");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_new_purchase_awaits_its_payment);
    tcase_add_test(tc, a_new_purchase_starts_its_payment_at_its_price_until_it_must_be_paid);
    tcase_add_test(tc, the_page_counts_the_sessions_left);
    tcase_add_test(tc, an_expired_package_has_nothing_left);
    tcase_add_test(tc, only_an_unsettled_purchase_is_worth_asking_about);
    tcase_add_test(tc, a_session_booking_says_whether_it_was_given_back);
    tcase_add_test(tc, the_page_is_on_the_public_host);
    tcase_add_test(tc, a_purchase_names_a_link_and_a_package);
    tcase_add_test(tc, the_paid_mail_says_what_was_bought_in_the_tenants_language);
    tcase_add_test(tc, a_payment_event_moves_the_locked_purchase);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
