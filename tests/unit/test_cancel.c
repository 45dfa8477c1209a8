/* Unit suite for lib/changes/kf_cancel.c: what a customer or a merchant asks when
 * cancelling, what goes back and what they are answered. */
#include "kf_check_fields.h"

#include "kf_cancel.h"

/* A confirmed booking paid 50000 COP once, nothing given back yet; before the cutoff. */
static void paid_booking(const char *v[KF_CANCEL_COL_COUNT])
{
    for (int i = 0; i < KF_CANCEL_COL_COUNT; i++) {
        v[i] = NULL;
    }
    v[KF_CANCEL_COL_ID] = "b-1";
    v[KF_CANCEL_COL_STATUS] = "confirmed";
    v[KF_CANCEL_COL_BEFORE_CUTOFF] = "t";
    v[KF_CANCEL_COL_POLICY] = "full";
    v[KF_CANCEL_COL_PAYMENT] = "pay-1";
    v[KF_CANCEL_COL_PAID] = "50000";
    v[KF_CANCEL_COL_CURRENCY] = "COP";
    v[KF_CANCEL_COL_START] = "2026-04-02T15:00:00Z";
    v[KF_CANCEL_COL_END] = "2026-04-02T15:30:00Z";
    v[KF_CANCEL_COL_TAKEN] = "50000";
    v[KF_CANCEL_COL_GIVEN] = "0";
}

static kf_cancel_request read_body(kf_fields *f, const char *text, int by_merchant)
{
    kf_cancel_request rq;
    kf_fields_init(f, pool, KF_LOCALE_EN);
    kf_cancel_request_read(f, text ? parse(text) : NULL, by_merchant, &rq);
    return rq;
}

START_TEST(a_customer_may_give_a_reason_or_none)
{
    kf_fields f;
    kf_cancel_request rq = read_body(&f, NULL, 0);
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(rq.note);
    ck_assert_ptr_null(rq.refund_choice);   /* the tenant's policy decides */
    rq = read_body(&f, "{\"reason\": \"\"}", 0);
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(rq.note);
    rq = read_body(&f, "{\"reason\": \"sick\"}", 0);
    ck_assert_str_eq(rq.note, "sick");
    read_body(&f, "{\"reason\": 7}", 0);
    ck_assert_str_eq(error_of(&f, "reason"), "This field has the wrong type.");
}
END_TEST

START_TEST(a_series_occurrence_is_cancelled_alone_or_with_the_rest)
{
    kf_fields f;
    kf_cancel_request rq = read_body(&f, NULL, 0);
    ck_assert_int_eq(rq.rest, 0);
    rq = read_body(&f, "{\"scope\": \"one\"}", 0);
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(rq.rest, 0);
    rq = read_body(&f, "{\"scope\": \"rest\", \"reason\": \"closed\"}", 1);
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(rq.rest, 1);
    rq = read_body(&f, "{\"scope\": \"all\"}", 0);
    ck_assert_str_eq(error_of(&f, "scope"), "Must be one or rest.");
    ck_assert_int_eq(rq.rest, 0);
}
END_TEST

START_TEST(a_reason_has_at_most_500_characters)
{
    char text[600];
    strcpy(text, "{\"reason\": \"");
    size_t n = strlen(text);
    memset(text + n, 'x', 501);
    strcpy(text + n + 501, "\"}");
    kf_fields f;
    read_body(&f, text, 0);
    ck_assert_str_eq(error_of(&f, "reason"), "At most 500 characters.");
}
END_TEST

START_TEST(a_merchant_gives_a_reason_and_says_what_goes_back)
{
    kf_fields f;
    kf_cancel_request rq = read_body(&f, "{}", 1);
    ck_assert_str_eq(error_of(&f, "reason"), "This field is required.");
    rq = read_body(&f, "{\"reason\": \"closed\"}", 1);
    ck_assert(kf_fields_ok(&f));
    ck_assert_str_eq(rq.refund_choice, "full");
    rq = read_body(&f, "{\"reason\": \"closed\", \"refund\": \"none\"}", 1);
    ck_assert_str_eq(rq.refund_choice, "none");
    rq = read_body(&f, "{\"reason\": \"closed\", \"refund\": {\"amount\": 1200}}", 1);
    ck_assert_str_eq(rq.refund_choice, "amount");
    ck_assert_int_eq(rq.refund_requested, 1200);
    read_body(&f, "{\"reason\": \"closed\", \"refund\": {\"amount\": 0}}", 1);
    ck_assert_str_eq(error_of(&f, "refund"), "Use \"full\", \"none\" or {\"amount\": n}.");
    /* both wrong: both named */
    read_body(&f, "{\"refund\": \"half\"}", 1);
    ck_assert_str_eq(text_of(kf_fields_take(&f)),
                     "{\"reason\":\"This field is required.\","
                     "\"refund\":\"Use \\\"full\\\", \\\"none\\\" or {\\\"amount\\\": n}.\"}");
}
END_TEST

START_TEST(the_machine_hears_of_the_cutoff_and_the_money)
{
    const char *v[KF_CANCEL_COL_COUNT];
    paid_booking(v);
    kf_res_facts facts = kf_cancel_facts(v, 0);
    ck_assert(facts.before_cutoff);
    ck_assert(facts.money_taken);
    ck_assert(!facts.by_merchant);
    v[KF_CANCEL_COL_BEFORE_CUTOFF] = "f";
    v[KF_CANCEL_COL_PAYMENT] = NULL;
    facts = kf_cancel_facts(v, 1);
    ck_assert(!facts.before_cutoff);
    ck_assert(!facts.money_taken);
    ck_assert(facts.by_merchant);
}
END_TEST

START_TEST(what_goes_back_follows_the_choice)
{
    const char *v[KF_CANCEL_COL_COUNT];
    paid_booking(v);
    kf_res_outcome flagged = {0};
    flagged.effects = KF_RES_FX_REFUND_FLAG;
    kf_cancel_request customer = {0, NULL, NULL, 0, 0};
    apr_int64_t refund = -1;
    ck_assert_int_eq(kf_cancel_refund(v, &flagged, &customer, &refund), 0);
    ck_assert_int_eq(refund, 50000);               /* the tenant gives all back */
    v[KF_CANCEL_COL_POLICY] = "none";
    ck_assert_int_eq(kf_cancel_refund(v, &flagged, &customer, &refund), 0);
    ck_assert_int_eq(refund, 0);
    kf_cancel_request part = {1, "closed", "amount", 20000, 0};
    ck_assert_int_eq(kf_cancel_refund(v, &flagged, &part, &refund), 0);
    ck_assert_int_eq(refund, 20000);
    v[KF_CANCEL_COL_GIVEN] = "5000";
    ck_assert_int_eq(kf_cancel_refund_total(v, refund), 25000);
    kf_cancel_request too_much = {1, "closed", "amount", 60000, 0};
    ck_assert_int_eq(kf_cancel_refund(v, &flagged, &too_much, &refund), -1);
    /* nothing flagged (nothing was paid): nothing goes back */
    kf_res_outcome plain = {0};
    ck_assert_int_eq(kf_cancel_refund(v, &plain, &part, &refund), 0);
    ck_assert_int_eq(refund, 0);
}
END_TEST

/* An occurrence of a series paid 150000 for three: its share goes back, and the payment's
 * refund counts what earlier occurrences' cancellations asked, given back yet or not. */
START_TEST(an_occurrence_of_a_series_gives_back_its_share)
{
    const char *v[KF_CANCEL_COL_COUNT];
    paid_booking(v);
    v[KF_CANCEL_COL_SERIES] = "t";
    v[KF_CANCEL_COL_PAID] = "50000";             /* its share */
    v[KF_CANCEL_COL_TAKEN] = "50000";
    v[KF_CANCEL_COL_GIVEN] = "0";
    v[KF_CANCEL_COL_PAYMENT_AMOUNT] = "150000";
    v[KF_CANCEL_COL_REFUNDED] = "50000";         /* another occurrence's, asked */
    v[KF_CANCEL_COL_PAYMENT_GIVEN] = "0";        /* not given back yet */
    kf_res_facts facts = kf_cancel_facts(v, 0);
    kf_res_outcome o = kf_change_next(v[KF_CANCEL_COL_STATUS], KF_RES_CANCEL, &facts);
    kf_cancel_request customer = {0, NULL, NULL, 0, 0};
    apr_int64_t refund = 0;
    ck_assert_int_eq(kf_cancel_refund(v, &o, &customer, &refund), 0);
    ck_assert_int_eq(refund, 50000);
    ck_assert_int_eq(kf_cancel_refund_total(v, refund), 100000);
    ck_assert_int_eq(kf_cancel_refund_ask(v, refund), 100000);
    v[KF_CANCEL_COL_PAYMENT_GIVEN] = "50000";    /* given back meanwhile */
    ck_assert_int_eq(kf_cancel_refund_total(v, refund), 100000);
    ck_assert_int_eq(kf_cancel_refund_ask(v, refund), 50000);
    /* no series: as before */
    v[KF_CANCEL_COL_SERIES] = "f";
    v[KF_CANCEL_COL_GIVEN] = "5000";
    ck_assert_int_eq(kf_cancel_refund_total(v, 20000), 25000);
    ck_assert_int_eq(kf_cancel_refund_ask(v, 20000), 20000);
}
END_TEST

START_TEST(the_answer_names_the_refund_only_when_money_goes_back)
{
    const char *v[KF_CANCEL_COL_COUNT];
    paid_booking(v);
    ck_assert_str_eq(text_of(kf_cancel_reply(v, "cancelled", 50000, "pending")),
                     "{\"booking\":{\"id\":\"b-1\",\"status\":\"cancelled\","
                     "\"start\":\"2026-04-02T15:00:00Z\",\"end\":\"2026-04-02T15:30:00Z\"},"
                     "\"refund\":{\"amount\":50000,\"currency\":\"COP\",\"status\":\"pending\"}}");
    json_t *none = kf_cancel_reply(v, "cancelled", 0, NULL);
    ck_assert(json_is_null(json_object_get(none, "refund")));
    json_decref(none);
    /* a repeat answers what was given back the first time */
    v[KF_CANCEL_COL_REFUNDED] = "30000";
    v[KF_CANCEL_COL_REFUND_STATUS] = "succeeded";
    json_t *again = kf_cancel_reply_again(v);
    ck_assert_str_eq(text_of(json_incref(json_object_get(again, "refund"))),
                     "{\"amount\":30000,\"currency\":\"COP\",\"status\":\"succeeded\"}");
    json_decref(again);
    ck_assert_str_eq(text_of(kf_cancel_audit_changes(1, 30000)),
                     "{\"status\":\"cancelled\",\"by\":\"merchant\",\"refund\":30000}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cancel");
    TCase *tc = tcase_create("cancel");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_customer_may_give_a_reason_or_none);
    tcase_add_test(tc, a_series_occurrence_is_cancelled_alone_or_with_the_rest);
    tcase_add_test(tc, an_occurrence_of_a_series_gives_back_its_share);
    tcase_add_test(tc, a_reason_has_at_most_500_characters);
    tcase_add_test(tc, a_merchant_gives_a_reason_and_says_what_goes_back);
    tcase_add_test(tc, the_machine_hears_of_the_cutoff_and_the_money);
    tcase_add_test(tc, what_goes_back_follows_the_choice);
    tcase_add_test(tc, the_answer_names_the_refund_only_when_money_goes_back);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
