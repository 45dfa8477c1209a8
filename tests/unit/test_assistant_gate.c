/* Unit tests for lib/assistant/kf_assistant_gate.c: the language model is called at most so
 * many times at once and so many times a minute; a refused call counts in neither limit and
 * nobody waits; a place held by a call that never ended frees itself. */
#include "kf_check.h"
#include "kf_assistant_gate.h"

#include <string.h>

#define T0 1800000000       /* a fixed "now": the answers do not depend on the hour */

static kf_assistant_gate gate;
static const kf_assistant_gate_limits two_at_once = {2, 100, 30};
static const kf_assistant_gate_limits three_a_minute = {8, 3, 30};

static void an_empty_gate(void)
{
    kf_test_setup();
    memset(&gate, 0, sizeof(gate));
}

START_TEST(at_most_so_many_calls_at_once)
{
    int a, b, c;
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0, &a), KF_GATE_ENTERED);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0, &b), KF_GATE_ENTERED);
    ck_assert_int_ne(a, b);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0 + 1, &c), KF_GATE_BUSY);
    ck_assert_int_eq(c, -1);
    /* one ends: its place is the next call's */
    kf_assistant_gate_leave(&gate, a, T0);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0 + 1, &c), KF_GATE_ENTERED);
    ck_assert_int_eq(c, a);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0 + 1, &a), KF_GATE_BUSY);
}
END_TEST

START_TEST(at_most_so_many_calls_a_minute)
{
    int at;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(kf_assistant_gate_enter(&gate, &three_a_minute, T0 + i, &at),
                         KF_GATE_ENTERED);
        kf_assistant_gate_leave(&gate, at, T0 + i);
    }
    /* spent until the minute that began at T0 ends, whatever is running */
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &three_a_minute, T0 + 10, &at), KF_GATE_SPENT);
    ck_assert_int_eq(at, -1);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &three_a_minute, T0 + 59, &at), KF_GATE_SPENT);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &three_a_minute, T0 + 60, &at),
                     KF_GATE_ENTERED);
}
END_TEST

START_TEST(a_refused_call_counts_in_neither_limit)
{
    const kf_assistant_gate_limits one_at_once = {1, 2, 30};
    int a, b;
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once, T0, &a), KF_GATE_ENTERED);
    /* busy: this one spends nothing of the minute */
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once, T0, &b), KF_GATE_BUSY);
    }
    kf_assistant_gate_leave(&gate, a, T0);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once, T0 + 1, &a), KF_GATE_ENTERED);
    kf_assistant_gate_leave(&gate, a, T0 + 1);
    /* spent: nor does this one keep a place, which the next call (allowed a third) finds free */
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once, T0 + 2, &b), KF_GATE_SPENT);
    const kf_assistant_gate_limits one_at_once_more = {1, 3, 30};
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once_more, T0 + 2, &b),
                     KF_GATE_ENTERED);
}
END_TEST

START_TEST(a_place_held_too_long_is_free_again)
{
    int a, b;
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0, &a), KF_GATE_ENTERED);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0 + 10, &b), KF_GATE_ENTERED);
    /* the first call's process died: within its 30 s it still counts, after them not */
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0 + 30, &a), KF_GATE_BUSY);
    int c;
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0 + 31, &c), KF_GATE_ENTERED);
    ck_assert_int_eq(c, 0);
    /* the dead call's leaving, had it come, leaves the new call its place */
    kf_assistant_gate_leave(&gate, 0, T0);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &two_at_once, T0 + 31, &a), KF_GATE_BUSY);
}
END_TEST

START_TEST(a_clock_gone_back_far_frees_the_places)
{
    int a, b;
    const kf_assistant_gate_limits one_at_once = {1, 100, 30};
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once, T0, &a), KF_GATE_ENTERED);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once, T0 - 30, &b), KF_GATE_BUSY);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &one_at_once, T0 - 3600, &b), KF_GATE_ENTERED);
}
END_TEST

START_TEST(limits_beyond_the_gate_are_the_gates)
{
    /* more at once than the gate counts: the gate's places */
    const kf_assistant_gate_limits many = {KF_ASSISTANT_GATE_PLACES + 10, 1000, 30};
    int at;
    for (int i = 0; i < KF_ASSISTANT_GATE_PLACES; i++) {
        ck_assert_int_eq(kf_assistant_gate_enter(&gate, &many, T0, &at), KF_GATE_ENTERED);
    }
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &many, T0, &at), KF_GATE_BUSY);
    /* no place or no call a minute: nothing passes */
    memset(&gate, 0, sizeof(gate));
    const kf_assistant_gate_limits none_at_once = {0, 10, 30}, none_a_minute = {4, 0, 30};
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &none_at_once, T0, &at), KF_GATE_BUSY);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &none_a_minute, T0, &at), KF_GATE_SPENT);
    ck_assert_int_eq(kf_assistant_gate_enter(&gate, &none_a_minute, T0, &at), KF_GATE_SPENT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assistant_gate");
    TCase *tc = tcase_create("assistant_gate");
    tcase_add_checked_fixture(tc, an_empty_gate, kf_test_teardown);
    tcase_add_test(tc, at_most_so_many_calls_at_once);
    tcase_add_test(tc, at_most_so_many_calls_a_minute);
    tcase_add_test(tc, a_refused_call_counts_in_neither_limit);
    tcase_add_test(tc, a_place_held_too_long_is_free_again);
    tcase_add_test(tc, a_clock_gone_back_far_frees_the_places);
    tcase_add_test(tc, limits_beyond_the_gate_are_the_gates);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
