/* Unit suite for lib/changes/kf_pay_again.c: paying again for a booking whose payment failed
 * or ran out, at the time of a hold the customer took for it. */
#include "kf_check.h"
#include "kf_pay_again.h"
#include "kf_reschedule.h"

#include <string.h>

#define NOW 1775142000   /* 2026-04-02T15:00:00Z */
#define WINDOW 1800

/* Luis's facial, declined at the checkout; nothing was paid. */
static const char *failed[KF_PAY_AGAIN_COL_COUNT] = {
    "b-1", "failed", "f", "tenant-1", "service-1", "prof-1", "f",
    "Luis Gómez", "luis@example.com", "+573101234567", "total", "6250000", "COP"};

/* A live hold of the same service, with another professional. */
static const char *hold[KF_RESCHED_HOLD_COL_COUNT] = {"h-1", "service-1", "tenant-1", "prof-2", "t"};

START_TEST(a_failed_booking_takes_the_hold_and_a_new_payment_window)
{
    kf_pay_again_decision d;
    kf_pay_again_decide(failed, hold, NOW, WINDOW, &d);
    ck_assert_ptr_null(d.outcome.refused);
    ck_assert_int_eq(d.from, KF_RES_FAILED);
    ck_assert(!d.expire_first);
    ck_assert_int_eq(d.outcome.next, KF_RES_PENDING_PAYMENT);
    ck_assert(d.outcome.effects & KF_RES_FX_CHECKOUT);
    ck_assert_int_eq(d.deadline, NOW + WINDOW);
}
END_TEST

START_TEST(a_payment_window_passed_but_not_yet_swept_expires_first)
{
    const char *row[KF_PAY_AGAIN_COL_COUNT];
    memcpy(row, failed, sizeof(row));
    row[KF_PAY_AGAIN_COL_STATUS] = "pending_payment";
    row[KF_PAY_AGAIN_COL_DEADLINE_PASSED] = "t";
    kf_pay_again_decision d;
    kf_pay_again_decide(row, hold, NOW, WINDOW, &d);
    ck_assert(d.expire_first);
    ck_assert_int_eq(d.stored, KF_RES_PENDING_PAYMENT);
    ck_assert_int_eq(d.expire.next, KF_RES_EXPIRED);
    ck_assert_str_eq(d.expire.reason, "payment_window_passed");
    ck_assert_int_eq(d.from, KF_RES_EXPIRED);
    ck_assert_int_eq(d.outcome.next, KF_RES_PENDING_PAYMENT);
    /* still within its window: it is being paid, not paid again */
    row[KF_PAY_AGAIN_COL_DEADLINE_PASSED] = "f";
    kf_pay_again_decide(row, hold, NOW, WINDOW, &d);
    ck_assert(!d.expire_first);
    ck_assert_str_eq(d.outcome.refused, "payment_closed");
}
END_TEST

START_TEST(refused_when_paid_when_money_was_taken_or_without_a_fitting_hold)
{
    const char *row[KF_PAY_AGAIN_COL_COUNT];
    const char *other[KF_RESCHED_HOLD_COL_COUNT];
    kf_pay_again_decision d;
    memcpy(row, failed, sizeof(row));
    memcpy(other, hold, sizeof(other));
    row[KF_PAY_AGAIN_COL_STATUS] = "confirmed";
    kf_pay_again_decide(row, hold, NOW, WINDOW, &d);
    ck_assert_str_eq(d.outcome.refused, "payment_closed");
    row[KF_PAY_AGAIN_COL_STATUS] = "no-such-state";
    kf_pay_again_decide(row, hold, NOW, WINDOW, &d);
    ck_assert_str_eq(d.outcome.refused, "payment_closed");
    /* failed after a late approval lost its slot: the money is flagged for a refund */
    row[KF_PAY_AGAIN_COL_STATUS] = "failed";
    row[KF_PAY_AGAIN_COL_MONEY_TAKEN] = "t";
    kf_pay_again_decide(row, hold, NOW, WINDOW, &d);
    ck_assert_str_eq(d.outcome.refused, "payment_closed");
    kf_pay_again_decide(failed, NULL, NOW, WINDOW, &d);
    ck_assert_str_eq(d.outcome.refused, "hold_expired");
    other[KF_RESCHED_HOLD_COL_LIVE] = "f";
    kf_pay_again_decide(failed, other, NOW, WINDOW, &d);
    ck_assert_str_eq(d.outcome.refused, "hold_expired");
    other[KF_RESCHED_HOLD_COL_LIVE] = "t";
    other[KF_RESCHED_HOLD_COL_SERVICE] = "service-2";
    kf_pay_again_decide(failed, other, NOW, WINDOW, &d);
    ck_assert_str_eq(d.outcome.refused, "hold_expired");
    other[KF_RESCHED_HOLD_COL_SERVICE] = "service-1";
    other[KF_RESCHED_HOLD_COL_TENANT] = "tenant-2";
    kf_pay_again_decide(failed, other, NOW, WINDOW, &d);
    ck_assert_str_eq(d.outcome.refused, "hold_expired");
    ck_assert(!d.outcome.moved);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pay_again");
    TCase *tc = tcase_create("pay_again");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_failed_booking_takes_the_hold_and_a_new_payment_window);
    tcase_add_test(tc, a_payment_window_passed_but_not_yet_swept_expires_first);
    tcase_add_test(tc, refused_when_paid_when_money_was_taken_or_without_a_fitting_hold);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
