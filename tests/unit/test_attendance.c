/* Unit suite for lib/changes/kf_attendance.c: a booking's attendance mark, its change and its
 * undo, decided from the row the glue reads. */
#include "kf_check.h"
#include <stdlib.h>

#include "kf_attendance.h"

/* A paid booking that ended, never marked: now 1000000, its slot its own. */
static const char **row(const char *status, const char *ended, const char *marked_at,
                        const char *marked_from, const char *slot_free)
{
    const char **v = apr_pcalloc(pool, sizeof(*v) * KF_MARK_COL_COUNT);
    v[KF_MARK_COL_ID] = "b1";
    v[KF_MARK_COL_STATUS] = status;
    v[KF_MARK_COL_ENDED] = ended;
    v[KF_MARK_COL_START] = "2026-01-01T10:00:00Z";
    v[KF_MARK_COL_END] = "2026-01-01T11:00:00Z";
    v[KF_MARK_COL_NOW] = "1000000";
    v[KF_MARK_COL_AT] = marked_at;
    v[KF_MARK_COL_FROM] = marked_from;
    v[KF_MARK_COL_SLOT_FREE] = slot_free;
    v[KF_MARK_COL_PROFESSIONAL] = "p1";
    return v;
}

START_TEST(a_booking_that_ended_is_marked)
{
    kf_res_outcome o = kf_attendance_next(row("paid", "t", NULL, NULL, "t"), KF_RES_COMPLETE, 0);
    ck_assert(o.moved);
    ck_assert_int_eq(o.next, KF_RES_COMPLETED);
    ck_assert_str_eq(o.reason, "completed");
    o = kf_attendance_next(row("confirmed", "t", NULL, NULL, "t"), KF_RES_COMPLETE, 1);
    ck_assert_str_eq(o.reason, "completed_automatically");
    o = kf_attendance_next(row("paid", "t", NULL, NULL, "t"), KF_RES_MARK_NO_SHOW, 0);
    ck_assert_int_eq(o.next, KF_RES_NO_SHOW);
    o = kf_attendance_next(row("paid", "f", NULL, NULL, "t"), KF_RES_COMPLETE, 0);
    ck_assert_str_eq(o.refused, "invalid_transition");
}
END_TEST

/* A mark made less than a day before "now" may be changed or taken back; a day later, or of
 * an unknown time, it is final. */
START_TEST(a_mark_changes_or_goes_back_within_a_day)
{
    const char *hour_ago = "996400", *two_days_ago = "827200";
    kf_res_outcome o = kf_attendance_next(row("completed", "t", hour_ago, "paid", "t"),
                                          KF_RES_MARK_NO_SHOW, 0);
    ck_assert_int_eq(o.next, KF_RES_NO_SHOW);
    o = kf_attendance_next(row("completed", "t", hour_ago, "paid", "t"), KF_RES_MARK_NO_SHOW, 1);
    ck_assert_str_eq(o.refused, "invalid_transition");
    o = kf_attendance_next(row("completed", "t", two_days_ago, "paid", "t"), KF_RES_MARK_NO_SHOW,
                           0);
    ck_assert_str_eq(o.refused, "invalid_transition");
    o = kf_attendance_next(row("no_show", "t", hour_ago, "confirmed", "t"), KF_RES_UNMARK, 0);
    ck_assert(o.moved);
    ck_assert_int_eq(o.next, KF_RES_CONFIRMED);
    o = kf_attendance_next(row("no_show", "t", hour_ago, "confirmed", "f"), KF_RES_UNMARK, 0);
    ck_assert_str_eq(o.refused, "slot_unavailable");
    o = kf_attendance_next(row("no_show", "t", NULL, NULL, "t"), KF_RES_UNMARK, 0);
    ck_assert_str_eq(o.refused, "invalid_transition");
}
END_TEST

START_TEST(the_audit_tells_the_mark_and_what_it_was)
{
    json_t *j = kf_attendance_changes(row("paid", "t", NULL, NULL, "t"), KF_RES_COMPLETED);
    char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_str_eq(text, "{\"from\":\"paid\",\"status\":\"completed\"}");
    free(text);
    json_decref(j);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("attendance");
    TCase *tc = tcase_create("attendance");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_booking_that_ended_is_marked);
    tcase_add_test(tc, a_mark_changes_or_goes_back_within_a_day);
    tcase_add_test(tc, the_audit_tells_the_mark_and_what_it_was);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
