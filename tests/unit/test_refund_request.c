/* Unit suite for lib/payments/kf_refund_request.c: what a merchant's refund request gives
 * back, or why it gives nothing. */
#include "kf_check_fields.h"

#include "kf_refund_request.h"

/* A booking of 50000 paid once, marked to give back after a late approval. */
static kf_refund_facts late_approval(void)
{
    kf_refund_facts f = {1, 50000, 50000, 0, 0, 1, "late_approval", NULL, 0};
    return f;
}

START_TEST(nothing_taken_nothing_to_give_back)
{
    kf_refund_facts f = {0};
    apr_int64_t amount = -1;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_NOT_NEEDED);
    ck_assert_int_eq(amount, 0);
    ck_assert_int_eq(kf_refund_decide(&f, 1, 100, &amount), KF_REFUND_NOT_NEEDED);
}
END_TEST

START_TEST(an_unmarked_payment_is_not_refunded_here)
{
    kf_refund_facts f = late_approval();
    f.flagged = 0;
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_NOT_NEEDED);
    ck_assert_int_eq(kf_refund_decide(&f, 1, 0, &amount), KF_REFUND_NOT_NEEDED);
}
END_TEST

START_TEST(by_default_everything_taken)
{
    kf_refund_facts f = late_approval();
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 50000);
    /* part of it, when the merchant names it */
    ck_assert_int_eq(kf_refund_decide(&f, 0, 20000, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 20000);
}
END_TEST

START_TEST(paid_twice_gives_back_the_extra)
{
    kf_refund_facts f = late_approval();
    f.taken = 100000;
    f.flag_reason = "second_approval";
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 50000);
    /* another reason: everything taken */
    f.flag_reason = "slot_lost";
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 100000);
}
END_TEST

START_TEST(what_was_asked_before_is_asked_again)
{
    kf_refund_facts f = late_approval();
    f.requested = 30000;
    f.status = "failed";
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 30000);
}
END_TEST

START_TEST(pending_or_done_is_answered_not_asked_again)
{
    kf_refund_facts f = late_approval();
    apr_int64_t amount;
    f.status = "pending";
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASKED_BEFORE);
    /* a pending one may be closed by hand */
    ck_assert_int_eq(kf_refund_decide(&f, 1, 0, &amount), KF_REFUND_ASK);
    f.status = "succeeded";
    ck_assert_int_eq(kf_refund_decide(&f, 1, 0, &amount), KF_REFUND_ASKED_BEFORE);
    f.status = NULL;
    f.refunded = 1;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASKED_BEFORE);
}
END_TEST

START_TEST(never_more_than_is_left)
{
    kf_refund_facts f = late_approval();
    f.given = 45000;
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 5000, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(kf_refund_decide(&f, 0, 5001, &amount), KF_REFUND_BAD_AMOUNT);
    ck_assert_int_eq(amount, 0);
    /* the default (everything taken) is more than is left */
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_BAD_AMOUNT);
    f.given = 0;
    ck_assert_int_eq(kf_refund_decide(&f, 0, -1, &amount), KF_REFUND_BAD_AMOUNT);
}
END_TEST

/* ---- what the merchant asks, the facts of the row, the answers (refunded_at only once
 * given back) ---- */

static kf_refund_ask ask_of(kf_fields *f, const char *text)
{
    kf_refund_ask ask;
    kf_fields_init(f, pool, KF_LOCALE_EN);
    kf_refund_ask_read(f, parse(text), &ask);
    return ask;
}

START_TEST(a_refund_names_a_positive_amount_or_none)
{
    kf_fields f;
    kf_refund_ask ask = ask_of(&f, "{}");
    ck_assert(kf_fields_ok(&f));
    ck_assert(!ask.manual);
    ck_assert_int_eq(ask.amount, 0);
    ask = ask_of(&f, "{\"amount\": 1500}");
    ck_assert_int_eq(ask.amount, 1500);
    ask_of(&f, "{\"amount\": 0}");
    ck_assert_ptr_nonnull(error_of(&f, "amount"));
    ask_of(&f, "{\"amount\": \"15\"}");
    ck_assert_ptr_nonnull(error_of(&f, "amount"));
    ask_of(&f, "{\"manual\": \"yes\"}");
    ck_assert_str_eq(error_of(&f, "manual"), "This field has the wrong type.");
}
END_TEST

START_TEST(money_given_back_by_hand_needs_a_note)
{
    kf_fields f;
    ask_of(&f, "{\"manual\": true}");
    ck_assert_str_eq(error_of(&f, "note"), "This field is required.");
    ask_of(&f, "{\"manual\": true, \"note\": \"\"}");
    ck_assert_str_eq(error_of(&f, "note"), "This field is required.");
    kf_refund_ask ask = ask_of(&f, "{\"manual\": true, \"note\": \"cash at the desk\"}");
    ck_assert(kf_fields_ok(&f));
    ck_assert(ask.manual);
    ck_assert_str_eq(ask.note, "cash at the desk");
    /* a note is only read for a manual refund */
    ask = ask_of(&f, "{\"note\": 7}");
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(ask.note);
}
END_TEST

START_TEST(the_row_says_what_was_taken_and_marked)
{
    const char *v[KF_REFUND_COL_COUNT] = {NULL};
    kf_refund_facts f = kf_refund_facts_of(v);
    ck_assert(!f.paid);          /* no payment: every payment column is NULL */
    ck_assert_int_eq(f.amount, 0);
    v[KF_REFUND_COL_PAYMENT] = "pay-1";
    v[KF_REFUND_COL_AMOUNT] = "50000";
    v[KF_REFUND_COL_TAKEN] = "100000";
    v[KF_REFUND_COL_GIVEN] = "0";
    v[KF_REFUND_COL_NEEDED] = "f";
    v[KF_REFUND_COL_MISMATCH] = "t";
    v[KF_REFUND_COL_FLAG] = "second_approval";
    f = kf_refund_facts_of(v);
    ck_assert(f.paid);
    ck_assert_int_eq(f.taken, 100000);
    ck_assert(f.flagged);        /* a mismatch counts as marked */
    ck_assert_str_eq(f.flag_reason, "second_approval");
    ck_assert(!f.refunded);
}
END_TEST

START_TEST(the_answers_say_what_goes_back)
{
    ck_assert_str_eq(text_of(kf_refund_reply(50000, "COP", "pending", NULL)),
                     "{\"refund\":{\"amount\":50000,\"currency\":\"COP\",\"status\":\"pending\"}}");
    const char *v[KF_REFUND_COL_COUNT] = {NULL};
    v[KF_REFUND_COL_AMOUNT] = "50000";
    v[KF_REFUND_COL_CURRENCY] = "COP";
    v[KF_REFUND_COL_STATUS] = "succeeded";
    v[KF_REFUND_COL_DONE_AT] = "2026-04-03T10:00:00Z";
    /* asked before without an amount: the payment's */
    ck_assert_str_eq(text_of(kf_refund_reply_before(v)),
                     "{\"refund\":{\"amount\":50000,\"currency\":\"COP\",\"status\":\"succeeded\","
                     "\"refunded_at\":\"2026-04-03T10:00:00Z\"}}");
    v[KF_REFUND_COL_REQUESTED] = "20000";
    json_t *again = kf_refund_reply_before(v);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(again, "refund"), "amount")),
                     20000);
    json_decref(again);
    ck_assert_str_eq(text_of(kf_refund_audit_changes(20000, 1, "manual", "cash")),
                     "{\"amount\":20000,\"status\":\"refunded_by_hand\",\"note\":\"cash\"}");
    ck_assert_str_eq(text_of(kf_refund_audit_changes(20000, 0, "pending", NULL)),
                     "{\"amount\":20000,\"status\":\"pending\",\"note\":null}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("refund_request");
    TCase *tc = tcase_create("decide");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, nothing_taken_nothing_to_give_back);
    tcase_add_test(tc, an_unmarked_payment_is_not_refunded_here);
    tcase_add_test(tc, by_default_everything_taken);
    tcase_add_test(tc, paid_twice_gives_back_the_extra);
    tcase_add_test(tc, what_was_asked_before_is_asked_again);
    tcase_add_test(tc, pending_or_done_is_answered_not_asked_again);
    tcase_add_test(tc, never_more_than_is_left);
    tcase_add_test(tc, a_refund_names_a_positive_amount_or_none);
    tcase_add_test(tc, money_given_back_by_hand_needs_a_note);
    tcase_add_test(tc, the_row_says_what_was_taken_and_marked);
    tcase_add_test(tc, the_answers_say_what_goes_back);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
