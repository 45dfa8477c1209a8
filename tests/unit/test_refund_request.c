/* Unit suite for lib/payments/kf_refund_request.c: what a merchant's refund request gives
 * back, or why it gives nothing. */
#include "kf_check.h"

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
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
