/* Unit suite for lib/holds/kf_assign.c: who takes a booking made for "any professional"
 * among those free, by the link's rule, and where "this week" starts in the tenant's zone. */
#include "kf_check_zone.h"
#include "kf_assign.h"

#define A "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define B "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define C "cccccccc-cccc-4ccc-8ccc-cccccccccccc"

static kf_assign_candidate who(const char *id, const char *name, long booked, int weight)
{
    kf_assign_candidate c = {id, name, booked, weight, 0};
    return c;
}

static const char *first(kf_assign_rule rule, kf_assign_candidate *c, int n)
{
    kf_assign_order(rule, c, n);
    return c[0].name;
}

START_TEST(the_least_booked_of_the_week_takes_it)
{
    kf_assign_candidate c[] = {who(A, "Ana", 4, 0), who(B, "Beto", 2, 0), who(C, "Carla", 3, 0)};
    kf_assign_order(KF_ASSIGN_LEAST_BOOKED, c, 3);
    ck_assert_str_eq(c[0].name, "Beto");
    ck_assert_str_eq(c[1].name, "Carla");
    ck_assert_str_eq(c[2].name, "Ana");
}
END_TEST

START_TEST(ties_go_by_name_then_id_whatever_order_they_come_in)
{
    kf_assign_candidate c[] = {who(C, "Carla", 1, 0), who(B, "Ana", 1, 0), who(A, "Ana", 1, 0)};
    kf_assign_order(KF_ASSIGN_LEAST_BOOKED, c, 3);
    ck_assert_str_eq(c[0].id, A);   /* two called Ana: the id decides */
    ck_assert_str_eq(c[1].id, B);
    ck_assert_str_eq(c[2].id, C);
    kf_assign_candidate d[] = {who(A, "Ana", 1, 0), who(C, "Carla", 1, 0), who(B, "Ana", 1, 0)};
    kf_assign_order(KF_ASSIGN_LEAST_BOOKED, d, 3);
    ck_assert_str_eq(d[0].id, A);
    ck_assert_str_eq(d[1].id, B);
}
END_TEST

START_TEST(one_or_no_candidate_is_left_alone)
{
    kf_assign_candidate c[] = {who(A, "Ana", 9, 0)};
    kf_assign_order(KF_ASSIGN_WEIGHTS, c, 1);
    ck_assert_str_eq(c[0].id, A);
    kf_assign_order(KF_ASSIGN_LEAST_BOOKED, c, 0);
}
END_TEST

/* n bookings one after the other, everybody free each time: how many each one got */
static void share(kf_assign_rule rule, kf_assign_candidate *c, int k, int n, long *got)
{
    for (int i = 0; i < k; i++) {
        c[i].slot = i;
        got[i] = 0;
    }
    for (int b = 0; b < n; b++) {
        kf_assign_order(rule, c, k);
        c[0].booked++;
        got[c[0].slot]++;
    }
}

START_TEST(least_booked_spreads_evenly)
{
    kf_assign_candidate c[] = {who(A, "Ana", 0, 0), who(B, "Beto", 0, 0), who(C, "Carla", 0, 0)};
    long got[3];
    share(KF_ASSIGN_LEAST_BOOKED, c, 3, 200, got);
    ck_assert_int_eq(got[0], 67);   /* 200 = 67 + 67 + 66: the extra ones by name */
    ck_assert_int_eq(got[1], 67);
    ck_assert_int_eq(got[2], 66);
}
END_TEST

START_TEST(weights_give_each_its_share_over_many_bookings)
{
    kf_assign_candidate c[] = {who(A, "Ana", 0, 20), who(B, "Beto", 0, 30), who(C, "Carla", 0, 50)};
    long got[3];
    share(KF_ASSIGN_WEIGHTS, c, 3, 200, got);
    ck_assert_int_eq(got[0], 40);
    ck_assert_int_eq(got[1], 60);
    ck_assert_int_eq(got[2], 100);
    /* and at every step on the way within one booking of the share */
    kf_assign_candidate d[] = {who(A, "Ana", 0, 1), who(B, "Beto", 0, 3)};
    long seen[2] = {0, 0};
    for (int b = 1; b <= 100; b++) {
        d[0].slot = strcmp(d[0].id, A) == 0 ? 0 : 1;
        d[1].slot = 1 - d[0].slot;
        kf_assign_order(KF_ASSIGN_WEIGHTS, d, 2);
        d[0].booked++;
        seen[d[0].slot]++;
        ck_assert_msg(labs(seen[1] * 4 - 3L * b) <= 4, "after %d: %ld of 3/4", b, seen[1]);
    }
}
END_TEST

START_TEST(the_heavier_weight_goes_first_from_an_empty_week)
{
    kf_assign_candidate c[] = {who(A, "Ana", 0, 1), who(B, "Beto", 0, 100)};
    ck_assert_str_eq(first(KF_ASSIGN_WEIGHTS, c, 2), "Beto");
    /* equal shares: the larger weight, then the name */
    kf_assign_candidate d[] = {who(A, "Ana", 0, 1), who(B, "Beto", 1, 2)};
    ck_assert_str_eq(first(KF_ASSIGN_WEIGHTS, d, 2), "Beto");
    kf_assign_candidate e[] = {who(B, "Beto", 2, 5), who(A, "Ana", 2, 5)};
    ck_assert_str_eq(first(KF_ASSIGN_WEIGHTS, e, 2), "Ana");
}
END_TEST

START_TEST(a_professional_without_weight_takes_it_only_when_no_weighted_one_is_free)
{
    kf_assign_candidate c[] = {who(A, "Ana", 0, 0), who(B, "Beto", 50, 1), who(C, "Carla", 0, 0)};
    kf_assign_order(KF_ASSIGN_WEIGHTS, c, 3);
    ck_assert_str_eq(c[0].name, "Beto");   /* far past its share, still before the unweighted */
    ck_assert_str_eq(c[1].name, "Ana");
    ck_assert_str_eq(c[2].name, "Carla");
    /* among the unweighted: the least booked */
    kf_assign_candidate d[] = {who(A, "Ana", 3, 0), who(C, "Carla", 1, 0)};
    ck_assert_str_eq(first(KF_ASSIGN_WEIGHTS, d, 2), "Carla");
    /* and weights are ignored by least_booked */
    kf_assign_candidate e[] = {who(A, "Ana", 1, 0), who(B, "Beto", 2, 100)};
    ck_assert_str_eq(first(KF_ASSIGN_LEAST_BOOKED, e, 2), "Ana");
}
END_TEST

START_TEST(the_week_starts_on_monday_midnight_in_the_tenants_zone)
{
    const kf_zone *bogota = zone("America/Bogota");
    /* Monday 2026-03-02 00:00 in Bogotá is 05:00Z */
    ck_assert_int_eq(kf_assign_week_start(bogota, 1772427600), 1772427600);
    /* a second before it, Sunday 23:59:59 there: the week before */
    ck_assert_int_eq(kf_assign_week_start(bogota, 1772427599), 1772427600 - 7 * 86400);
    /* Sunday 2026-03-08 23:59:59 there is still that week */
    ck_assert_int_eq(kf_assign_week_start(bogota, 1772427600 + 7 * 86400 - 1), 1772427600);
    /* the same instant, Monday 01:00Z, is still Sunday in Bogotá but Monday in UTC */
    ck_assert_int_eq(kf_assign_week_start(bogota, 1772413200), 1772427600 - 7 * 86400);
    ck_assert_int_eq(kf_assign_week_start(NULL, 1772413200), 1772409600);
    ck_assert_int_eq(kf_assign_week_start(zone("UTC"), 1772413200), 1772409600);
    /* east of UTC: Monday 00:00 in Auckland (+13) is Sunday 11:00Z */
    ck_assert_int_eq(kf_assign_week_start(zone("Pacific/Auckland"), 1772362800), 1772362800);
    ck_assert_int_eq(kf_assign_week_start(zone("Pacific/Auckland"), 1772362799),
                     1772362800 - 7 * 86400);
}
END_TEST

START_TEST(a_week_that_changes_offset_starts_at_its_own_monday)
{
    const kf_zone *madrid = zone("Europe/Madrid");
    /* summer time starts on Sunday 2026-03-29; the next Monday 00:00 is +02:00 (22:00Z the
     * day before), the one before it +01:00 */
    apr_int64_t monday_after = 1774821600;   /* 2026-03-29T22:00:00Z */
    apr_int64_t monday_before = 1774220400;  /* 2026-03-22T23:00:00Z */
    ck_assert_int_eq(kf_assign_week_start(madrid, monday_after + 3600), monday_after);
    ck_assert_int_eq(kf_assign_week_start(madrid, monday_after - 1), monday_before);
    ck_assert_int_eq(monday_after - monday_before, 7 * 86400 - 3600);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assign");
    TCase *tc = tcase_create("rule");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_least_booked_of_the_week_takes_it);
    tcase_add_test(tc, ties_go_by_name_then_id_whatever_order_they_come_in);
    tcase_add_test(tc, one_or_no_candidate_is_left_alone);
    tcase_add_test(tc, least_booked_spreads_evenly);
    tcase_add_test(tc, weights_give_each_its_share_over_many_bookings);
    tcase_add_test(tc, the_heavier_weight_goes_first_from_an_empty_week);
    tcase_add_test(tc, a_professional_without_weight_takes_it_only_when_no_weighted_one_is_free);
    tcase_add_test(tc, the_week_starts_on_monday_midnight_in_the_tenants_zone);
    tcase_add_test(tc, a_week_that_changes_offset_starts_at_its_own_monday);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
