/* Unit suite for lib/changes/kf_change.c: what the state machine says of a change asked of
 * a stored booking, from the status its row holds. */
#include "kf_check.h"

#include "kf_change.h"

START_TEST(a_paid_booking_is_cancelled_and_moved)
{
    kf_res_facts facts = {0};
    facts.by_merchant = 1;
    facts.slot_free = 1;
    kf_res_outcome o = kf_change_next("paid", KF_RES_CANCEL, &facts);
    ck_assert(o.moved);
    ck_assert_ptr_null(o.refused);
    ck_assert_int_eq(o.next, KF_RES_CANCELLED);
    o = kf_change_next("confirmed", KF_RES_RESCHEDULE, &facts);
    ck_assert(o.moved);
    ck_assert_int_eq(o.next, KF_RES_CONFIRMED);
}
END_TEST

START_TEST(a_status_the_machine_does_not_know_is_refused_like_a_hold)
{
    kf_res_facts facts = {0};
    facts.by_merchant = 1;
    facts.slot_free = 1;
    facts.ended = 1;
    kf_res_outcome o = kf_change_next("archived", KF_RES_CANCEL, &facts);
    ck_assert(!o.moved);
    ck_assert_str_eq(o.refused, "cancel_closed");
    ck_assert_str_eq(kf_change_next(NULL, KF_RES_RESCHEDULE, &facts).refused,
                     "reschedule_closed");
    ck_assert_str_eq(kf_change_next("", KF_RES_COMPLETE, &facts).refused, "invalid_transition");
    ck_assert_str_eq(kf_change_next("held", KF_RES_CANCEL, &facts).refused, "cancel_closed");
}
END_TEST

START_TEST(a_cancelled_booking_cancelled_again_stays)
{
    kf_res_outcome o = kf_change_next("cancelled", KF_RES_CANCEL, NULL);
    ck_assert(!o.moved);
    ck_assert_ptr_null(o.refused);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("change");
    TCase *tc = tcase_create("change");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_paid_booking_is_cancelled_and_moved);
    tcase_add_test(tc, a_status_the_machine_does_not_know_is_refused_like_a_hold);
    tcase_add_test(tc, a_cancelled_booking_cancelled_again_stays);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
