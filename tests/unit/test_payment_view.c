/* Unit suite for lib/payments/kf_payment_view.c: what the customer's status page and the
 * merchant's booking detail say of a payment. */
#include "kf_check_fields.h"

#include "kf_json.h"
#include "kf_payment_view.h"

START_TEST(status_page_shows_provider_reference_and_amount)
{
    const char *row[KF_PAY_STATUS_COL_COUNT] = {"wompi", "approved", "KF-123", "50000", "COP"};
    ck_assert_str_eq(text_of(kf_payment_status_view(row)),
                     "{\"provider\":\"wompi\",\"status\":\"approved\",\"reference\":\"KF-123\","
                     "\"amount\":50000,\"currency\":\"COP\"}");
}
END_TEST

/* A paid payment, never refunded nor disputed. */
static void plain_payment(const char *row[KF_PAY_ADMIN_COL_COUNT])
{
    for (int i = 0; i < KF_PAY_ADMIN_COL_COUNT; i++) {
        row[i] = NULL;
    }
    row[KF_PAY_ADMIN_COL_ID] = "7b1f0c1e-0000-4000-8000-000000000001";
    row[KF_PAY_ADMIN_COL_PROVIDER] = "stripe";
    row[KF_PAY_ADMIN_COL_MODE] = "test";
    row[KF_PAY_ADMIN_COL_REFERENCE] = "KF-9";
    row[KF_PAY_ADMIN_COL_AMOUNT] = "2500";
    row[KF_PAY_ADMIN_COL_CURRENCY] = "USD";
    row[KF_PAY_ADMIN_COL_STATUS] = "approved";
    row[KF_PAY_ADMIN_COL_TXID] = "pi_1";
    row[KF_PAY_ADMIN_COL_REFUND_NEEDED] = "f";
    row[KF_PAY_ADMIN_COL_MISMATCH] = "f";
    row[KF_PAY_ADMIN_COL_CREATED] = "2026-03-01T10:00:00Z";
    row[KF_PAY_ADMIN_COL_APPROVED] = "2026-03-01T10:01:00Z";
}

START_TEST(a_plain_payment_has_no_refund_and_no_dispute)
{
    const char *row[KF_PAY_ADMIN_COL_COUNT];
    plain_payment(row);
    ck_assert_str_eq(text_of(kf_payment_admin_view(row)),
                     "{\"provider\":\"stripe\",\"mode\":\"test\",\"reference\":\"KF-9\","
                     "\"amount\":2500,\"currency\":\"USD\",\"status\":\"approved\","
                     "\"transaction_id\":\"pi_1\",\"refund_needed\":false,\"mismatch\":false,"
                     "\"flag_reason\":null,\"created_at\":\"2026-03-01T10:00:00Z\","
                     "\"approved_at\":\"2026-03-01T10:01:00Z\",\"refund\":null,\"dispute\":null,"
                     "\"transactions\":[],\"events\":[]}");
}
END_TEST

START_TEST(a_flagged_payment_shows_its_refund_in_its_currency)
{
    const char *row[KF_PAY_ADMIN_COL_COUNT];
    plain_payment(row);
    row[KF_PAY_ADMIN_COL_REFUND_NEEDED] = "t";
    row[KF_PAY_ADMIN_COL_FLAG_REASON] = "cancelled";
    row[KF_PAY_ADMIN_COL_REFUND_STATUS] = "failed";
    row[KF_PAY_ADMIN_COL_REFUND_AMOUNT] = "1000";
    row[KF_PAY_ADMIN_COL_REFUND_REQUESTED_AT] = "2026-03-02T09:00:00Z";
    row[KF_PAY_ADMIN_COL_REFUND_ERROR] = "card_expired";
    json_t *pay = kf_payment_admin_view(row);
    ck_assert(json_is_true(json_object_get(pay, "refund_needed")));
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(pay, "refund")),
                     "{\"amount\":1000,\"currency\":\"USD\",\"status\":\"failed\","
                     "\"requested_at\":\"2026-03-02T09:00:00Z\",\"refunded_at\":null,"
                     "\"note\":null,\"error\":\"card_expired\"}");
    ck_assert(json_is_null(json_object_get(pay, "dispute")));
    json_decref(pay);
}
END_TEST

START_TEST(a_disputed_payment_shows_the_dispute)
{
    const char *row[KF_PAY_ADMIN_COL_COUNT];
    plain_payment(row);
    row[KF_PAY_ADMIN_COL_DISPUTE_ID] = "dp_1";
    row[KF_PAY_ADMIN_COL_DISPUTE_AMOUNT] = "2500";
    row[KF_PAY_ADMIN_COL_DISPUTE_REASON] = "fraudulent";
    row[KF_PAY_ADMIN_COL_DISPUTED_AT] = "2026-03-05T12:00:00Z";
    row[KF_PAY_ADMIN_COL_DISPUTE_STATUS] = "needs_response";
    json_t *pay = kf_payment_admin_view(row);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(pay, "dispute")),
                     "{\"id\":\"dp_1\",\"amount\":2500,\"currency\":\"USD\","
                     "\"reason\":\"fraudulent\",\"opened_at\":\"2026-03-05T12:00:00Z\","
                     "\"status\":\"needs_response\",\"updated_at\":null}");
    ck_assert(json_is_null(json_object_get(pay, "refund")));
    json_decref(pay);
}
END_TEST

START_TEST(a_transaction_shows_what_was_given_back)
{
    const char *row[KF_PAY_TX_COL_COUNT] = {"tx-2", "2500", "2026-03-01T10:01:00Z", "500"};
    ck_assert_str_eq(text_of(kf_payment_transaction_view(row)),
                     "{\"id\":\"tx-2\",\"amount\":2500,\"approved_at\":\"2026-03-01T10:01:00Z\","
                     "\"refunded_amount\":500}");
}
END_TEST

START_TEST(an_event_without_an_amount_says_none)
{
    const char *with[KF_PAY_EVENT_COL_COUNT] = {"webhook", "tx-1", "APPROVED", "2500", "USD",
                                                "applied", "2026-03-01T10:01:02Z"};
    ck_assert_str_eq(text_of(kf_payment_event_view(with)),
                     "{\"source\":\"webhook\",\"transaction_id\":\"tx-1\",\"status\":\"APPROVED\","
                     "\"amount\":2500,\"currency\":\"USD\",\"result\":\"applied\","
                     "\"received_at\":\"2026-03-01T10:01:02Z\"}");
    const char *without[KF_PAY_EVENT_COL_COUNT] = {"reconcile", "tx-1", "DECLINED", NULL, NULL,
                                                   "ignored", "2026-03-01T10:05:00Z"};
    json_t *e = kf_payment_event_view(without);
    ck_assert_ptr_null(json_object_get(e, "amount"));
    ck_assert(json_is_null(json_object_get(e, "currency")));
    json_decref(e);
}
END_TEST

START_TEST(a_checkout_says_where_to_pay_and_until_when)
{
    kf_payment_checkout co = {0};
    co.reference = "KF-77";
    co.expires_at = apr_time_from_sec(1775142000) + 250000;   /* a fraction is not shown */
    ck_assert_str_eq(text_of(kf_payment_checkout_view(pool, "wompi", "https://pay.example/77", &co)),
                     "{\"provider\":\"wompi\",\"checkout_url\":\"https://pay.example/77\","
                     "\"reference\":\"KF-77\",\"expires_at\":\"2026-04-02T15:00:00Z\"}");
}
END_TEST

START_TEST(an_event_read_back_is_recorded_as_found)
{
    kf_payment_event ev = {0};
    ev.transaction_id = "tx-1";
    ev.provider_status = "APPROVED";
    ev.amount = 2500000;
    ev.currency = "COP";
    ev.reference = "KF-1";
    ck_assert_str_eq(kf_payment_found_record(pool, &ev),
                     "{\"id\":\"tx-1\",\"status\":\"APPROVED\",\"amount_in_cents\":2500000,"
                     "\"currency\":\"COP\",\"reference\":\"KF-1\"}");
    ev.refund_id = "dp_1";
    ev.provider_status = "needs_response";
    ev.dispute_reason = NULL;
    ck_assert_str_eq(kf_payment_dispute_record(pool, &ev),
                     "{\"id\":\"dp_1\",\"payment_id\":\"tx-1\",\"status\":\"needs_response\","
                     "\"amount\":2500000,\"currency\":\"COP\",\"reason\":null}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_view");
    TCase *tc = tcase_create("view");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, status_page_shows_provider_reference_and_amount);
    tcase_add_test(tc, a_plain_payment_has_no_refund_and_no_dispute);
    tcase_add_test(tc, a_flagged_payment_shows_its_refund_in_its_currency);
    tcase_add_test(tc, a_disputed_payment_shows_the_dispute);
    tcase_add_test(tc, a_transaction_shows_what_was_given_back);
    tcase_add_test(tc, an_event_without_an_amount_says_none);
    tcase_add_test(tc, a_checkout_says_where_to_pay_and_until_when);
    tcase_add_test(tc, an_event_read_back_is_recorded_as_found);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
