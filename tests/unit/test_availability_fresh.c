/* Unit tests for lib/availability/kf_availability_fresh.c: when a cached availability answer is served, served
 * stale during a refill, refilled by this request, or recomputed. Times in seconds. */
#include "kf_check.h"
#include "kf_availability_fresh.h"

#define UNTIL 100
#define GRACE 2

START_TEST(valid_entry_is_a_hit_whatever_the_marker)
{
    ck_assert_int_eq(kf_availability_fresh_decide(1, 99, UNTIL, GRACE, 0, 0), KF_AVAIL_HIT);
    ck_assert_int_eq(kf_availability_fresh_decide(1, 0, UNTIL, GRACE, UNTIL, 150), KF_AVAIL_HIT);
}
END_TEST

START_TEST(changed_generation_is_a_miss_even_when_valid_or_refilling)
{
    ck_assert_int_eq(kf_availability_fresh_decide(0, 50, UNTIL, GRACE, 0, 0), KF_AVAIL_MISS);
    ck_assert_int_eq(kf_availability_fresh_decide(0, 101, UNTIL, GRACE, 0, 0), KF_AVAIL_MISS);
    ck_assert_int_eq(kf_availability_fresh_decide(0, 101, UNTIL, GRACE, UNTIL, 102), KF_AVAIL_MISS);
}
END_TEST

START_TEST(first_request_after_the_lapse_refills)
{
    /* lapsed exactly at valid_until (the bound is exclusive) */
    ck_assert_int_eq(kf_availability_fresh_decide(1, UNTIL, UNTIL, GRACE, 0, 0), KF_AVAIL_REFILL);
    ck_assert_int_eq(kf_availability_fresh_decide(1, 101, UNTIL, GRACE, 0, 0), KF_AVAIL_REFILL);
}
END_TEST

START_TEST(others_serve_stale_while_the_marker_lives)
{
    /* claimed at 100, marker until 102 */
    ck_assert_int_eq(kf_availability_fresh_decide(1, 100, UNTIL, GRACE, UNTIL, 102),
                     KF_AVAIL_STALE_SERVE);
    ck_assert_int_eq(kf_availability_fresh_decide(1, 101, UNTIL, GRACE, UNTIL, 102),
                     KF_AVAIL_STALE_SERVE);
}
END_TEST

START_TEST(never_served_past_valid_until_plus_grace)
{
    /* even with a live marker (claimed late), the bound wins: everybody computes */
    ck_assert_int_eq(kf_availability_fresh_decide(1, 102, UNTIL, GRACE, UNTIL, 103), KF_AVAIL_MISS);
    ck_assert_int_eq(kf_availability_fresh_decide(1, 500, UNTIL, GRACE, 0, 0), KF_AVAIL_MISS);
}
END_TEST

START_TEST(a_marker_of_another_entry_or_run_out_does_not_count)
{
    /* left by the refill of the entry that expired at 99: this one needs its own refill */
    ck_assert_int_eq(kf_availability_fresh_decide(1, 101, UNTIL, GRACE, 99, 101 + 1),
                     KF_AVAIL_REFILL);
    /* the refiller's marker ran out (it failed or hangs): another request takes over */
    ck_assert_int_eq(kf_availability_fresh_decide(1, 101, UNTIL, 5, UNTIL, 101), KF_AVAIL_REFILL);
}
END_TEST

START_TEST(no_grace_means_no_stale_answers)
{
    ck_assert_int_eq(kf_availability_fresh_decide(1, UNTIL, UNTIL, 0, 0, 0), KF_AVAIL_MISS);
    ck_assert_int_eq(kf_availability_fresh_decide(1, 99, UNTIL, 0, 0, 0), KF_AVAIL_HIT);
}
END_TEST

START_TEST(the_refill_of_a_lapse_the_clock_did_not_ask_for_comes_after_the_answer)
{
    /* lapsed by its TTL (UNTIL) while the clock changes the answer later: served, then
     * refilled; once the clock has changed it, refilled first */
    ck_assert_int_eq(kf_availability_refill_when(UNTIL + 1, UNTIL + 50), KF_AVAIL_REFRESH_AFTER);
    ck_assert_int_eq(kf_availability_refill_when(UNTIL + 1, UNTIL + 1), KF_AVAIL_REFILL);
    ck_assert_int_eq(kf_availability_refill_when(UNTIL + 1, UNTIL), KF_AVAIL_REFILL);
}
END_TEST

START_TEST(a_lapse_nobody_can_refill_is_served_until_the_clock_changes_it)
{
    /* answers not stored now (the listener unheard): lapsed by its TTL alone, served as it
     * is, with nothing to refill after; once the clock has changed it, computed */
    ck_assert_int_eq(kf_availability_unstored_lapse(UNTIL + 1, UNTIL + 50), KF_AVAIL_STALE_SERVE);
    ck_assert_int_eq(kf_availability_unstored_lapse(UNTIL + 1, UNTIL + 1), KF_AVAIL_REFILL);
    ck_assert_int_eq(kf_availability_unstored_lapse(UNTIL + 1, UNTIL), KF_AVAIL_REFILL);
}
END_TEST

START_TEST(first_request_on_no_entry_fills_the_others_wait)
{
    /* nobody fills: claim; a fill marker until 105: wait until then */
    ck_assert_int_eq(kf_availability_fill_decide(100, 0, 0), KF_AVAIL_FILL);
    ck_assert_int_eq(kf_availability_fill_decide(100, 0, 105), KF_AVAIL_WAIT);
    ck_assert_int_eq(kf_availability_fill_decide(104, 0, 105), KF_AVAIL_WAIT);
}
END_TEST

START_TEST(a_fill_marker_that_ran_out_or_a_refill_marker_does_not_make_anyone_wait)
{
    /* the filler failed or hangs: the next request fills */
    ck_assert_int_eq(kf_availability_fill_decide(105, 0, 105), KF_AVAIL_FILL);
    /* a refill marker names the lapsed entry it refills: those requests serve it stale, and
     * one that finds no usable entry does not wait for a refill of another one */
    ck_assert_int_eq(kf_availability_fill_decide(101, UNTIL, 102), KF_AVAIL_FILL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("availability_fresh");
    TCase *tc = tcase_create("decide");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, valid_entry_is_a_hit_whatever_the_marker);
    tcase_add_test(tc, changed_generation_is_a_miss_even_when_valid_or_refilling);
    tcase_add_test(tc, first_request_after_the_lapse_refills);
    tcase_add_test(tc, others_serve_stale_while_the_marker_lives);
    tcase_add_test(tc, never_served_past_valid_until_plus_grace);
    tcase_add_test(tc, a_marker_of_another_entry_or_run_out_does_not_count);
    tcase_add_test(tc, no_grace_means_no_stale_answers);
    tcase_add_test(tc, the_refill_of_a_lapse_the_clock_did_not_ask_for_comes_after_the_answer);
    tcase_add_test(tc, a_lapse_nobody_can_refill_is_served_until_the_clock_changes_it);
    tcase_add_test(tc, first_request_on_no_entry_fills_the_others_wait);
    tcase_add_test(tc, a_fill_marker_that_ran_out_or_a_refill_marker_does_not_make_anyone_wait);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
