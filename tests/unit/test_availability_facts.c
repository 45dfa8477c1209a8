/* Unit tests for lib/availability/kf_availability_facts.c: what the facts rows offer, until
 * when they hold, which errors they give, and the slot engine's input made from them. */
#include "kf_check_zone.h"
#include "kf_availability_facts.h"
#include "kf_time.h"

#include <apr_strings.h>

#define US 1000000LL

/* One row: kind, id, then w..f (NULL for SQL NULL). */
static const char *const *row(const char *kind, const char *id, const char *w, const char *x,
                              const char *y, const char *z, const char *a, const char *b,
                              const char *c, const char *d, const char *e, const char *f)
{
    const char **v = apr_palloc(pool, sizeof(char *) * KF_FACTS_COLUMNS);
    const char *all[KF_FACTS_COLUMNS] = {kind, id, w, x, y, z, a, b, c, d, e, f};
    for (int i = 0; i < KF_FACTS_COLUMNS; i++) {
        v[i] = all[i];
    }
    return v;
}

static const char *num(apr_int64_t n)
{
    return apr_psprintf(pool, "%" APR_INT64_T_FMT, n);
}

static apr_int64_t day;        /* 2026-11-23, a Monday */
static apr_int64_t now_us;     /* 08:00 UTC that day */

/* A link of tenant t1 to service s1 (30 min every 30, no buffers, 60 min notice, 30 days
 * ahead), expiring in 10 days, with professionals p2 and p1 (in that order), both
 * working Mondays 09:00-12:00 in UTC; p1 has a reservation 10:00-10:30 held until
 * 09:00, and a version row. */
static const char *const **base_rows(int *n, const char *link_prof)
{
    day = kf_days_from_civil(2026, 11, 23);
    now_us = (day * 86400 + 8 * 3600) * US;
    const char *const **rows = apr_palloc(pool, sizeof(*rows) * 12);
    int i = 0;
    rows[i++] = row("V", "{s1,p1,p2}", "1,2,3", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    rows[i++] = row("B", "p1", NULL, NULL, NULL, NULL, num((day * 86400 + 10 * 3600)),
                    num(day * 86400 + 10 * 3600 + 1800), num(day * 86400 + 9 * 3600),
                    num(day * 86400 + 10 * 3600), num(day * 86400 + 10 * 3600 + 1800),
                    num((day * 86400 + 9 * 3600) * US));
    rows[i++] = row("L", "l1", "t1", "UTC", "s1", link_prof, num(now_us + 10 * 86400 * US),
                    num(now_us), "0", NULL, NULL, NULL);
    rows[i++] = row("S", "s1", "t1", NULL, NULL, NULL, "30", "30", "0", "0", "60", "30");
    rows[i++] = row("P", "p2", "UTC", NULL, NULL, NULL, NULL, "0", "0", NULL, NULL, NULL);
    rows[i++] = row("P", "p1", "UTC", NULL, NULL, NULL, NULL, "0", "0", NULL, NULL, NULL);
    rows[i++] = row("H", "p1", NULL, NULL, NULL, NULL, "1", "540", "720", NULL, NULL, NULL);
    rows[i++] = row("H", "p2", NULL, NULL, NULL, NULL, "1", "540", "720", NULL, NULL, NULL);
    *n = i;
    return rows;
}

START_TEST(professionals_sorted_and_their_rows_attached)
{
    int n;
    const char *const **rows = base_rows(&n, NULL);
    kf_facts f;
    kf_facts_read(pool, rows, n, &f);
    ck_assert_int_eq(f.nprof, 2);
    ck_assert_str_eq(f.profs[0].id, "p1");
    ck_assert_str_eq(f.profs[1].id, "p2");
    ck_assert_str_eq(f.profs[0].calendar, "none");
    ck_assert_int_eq(f.weekly->nelts, 2);
    ck_assert_int_eq(f.reservations->nelts, 1);
    ck_assert_int_eq(((kf_facts_reservation *)f.reservations->elts)[0].prof, 0);
    ck_assert_str_eq(f.versions, "1,2,3");
    ck_assert_ptr_null(kf_facts_status(&f, NULL, 1));
    /* the reservation's deadline (09:00) is the first instant the answer changes by itself */
    ck_assert_int_eq(f.valid_until_us, (day * 86400 + 9 * 3600) * US);
}
END_TEST

START_TEST(a_link_with_a_professional_offers_only_that_one)
{
    int n;
    const char *const **rows = base_rows(&n, "p2");
    kf_facts f;
    kf_facts_read(pool, rows, n, &f);
    ck_assert_int_eq(f.nprof, 1);
    ck_assert_str_eq(f.profs[0].id, "p2");
    ck_assert_int_eq(f.reservations->nelts, 0);   /* p1's reservation is not its business */
    ck_assert_int_eq(f.weekly->nelts, 1);
    ck_assert_ptr_null(kf_facts_status(&f, "p2", 1));
}
END_TEST

START_TEST(errors_in_the_order_of_the_api)
{
    int n;
    const char *const **rows = base_rows(&n, NULL);
    kf_facts f;
    kf_facts_read(pool, rows, 0, &f);
    ck_assert_str_eq(kf_facts_status(&f, NULL, 0), "link_not_found");
    kf_facts_read(pool, rows, n, &f);
    f.link_expired = 1;
    ck_assert_str_eq(kf_facts_status(&f, NULL, 0), "link_expired");
    f.link_expired = 0;
    ck_assert_str_eq(kf_facts_status(&f, NULL, 0), "invalid_timezone");
    f.service_tenant = "t2";   /* another tenant's service */
    ck_assert_str_eq(kf_facts_status(&f, NULL, 1), "service_not_found");
    f.service_tenant = "t1";
    f.link_service = "s9";     /* the link is for another service */
    ck_assert_str_eq(kf_facts_status(&f, NULL, 1), "service_not_found");
    f.link_service = NULL;
    f.nprof = 0;
    ck_assert_str_eq(kf_facts_status(&f, "p9", 1), "professional_not_found");
    ck_assert_ptr_null(kf_facts_status(&f, NULL, 1));
}
END_TEST

START_TEST(kept_facts_hold_until_a_write_or_their_bound)
{
    int n;
    const char *const **rows = base_rows(&n, NULL);
    kf_facts f;
    kf_facts_read(pool, rows, n, &f);
    ck_assert(kf_facts_keepable(&f, NULL, 100));
    ck_assert(!kf_facts_keepable(&f, NULL, n - 1));   /* too many rows */
    ck_assert(kf_facts_still_current(&f, "1,2,3", now_us));
    ck_assert(!kf_facts_still_current(&f, "1,2,4", now_us));   /* a write since */
    ck_assert(!kf_facts_still_current(&f, "1,2,3", f.valid_until_us));
    ck_assert(kf_facts_still_current(&f, "1,2,3", f.valid_until_us - 1));
    const char *args[] = {"slug", NULL, "s1"};
    ck_assert_str_eq(kf_facts_key(pool, "st", 3, args), "st\x1fslug\x1f\x01\x1fs1");
    f.link_expired = 1;   /* an error answer is not kept */
    ck_assert(!kf_facts_keepable(&f, NULL, 100));
}
END_TEST

START_TEST(kept_facts_answer_again_with_the_clock_and_holds_just_read)
{
    int n;
    const char *const **rows = base_rows(&n, "p1");
    kf_facts kept, f;
    kf_facts_read(pool, rows, n, &kept);
    const char *later = num(now_us + 60 * US);
    const char *versions[] = {later, "1,2,3"};
    ck_assert(kf_facts_reuse(&kept, versions, 0, &f));
    ck_assert_int_eq(f.now_us, now_us + 60 * US);
    ck_assert_int_eq(f.nprof, 1);
    const char *written[] = {later, "1,2,9"};
    ck_assert(!kf_facts_reuse(&kept, written, 0, &f));
    const char *lapsed[] = {num(kept.valid_until_us), "1,2,3"};
    ck_assert(!kf_facts_reuse(&kept, lapsed, 0, &f));
    /* the hold check: the client's holds come with the row; a calendar connected since
     * makes them be read again */
    const char *check[] = {later, "1,2,3", "0", "2", "290"};
    ck_assert(kf_facts_reuse(&kept, check, 1, &f));
    ck_assert_int_eq(f.active_holds, 2);
    ck_assert_int_eq(f.first_hold_ends_in, 290);
    const char *calendar[] = {later, "1,2,3", "1", "0", NULL};
    ck_assert(!kf_facts_reuse(&kept, calendar, 1, &f));
    /* judging before the check (the insert proves them): the clock given, no holds counted,
     * and never once they lapse by themselves */
    f.active_holds = 7;
    ck_assert(kf_facts_reuse_unchecked(&kept, now_us + 90 * US, &f));
    ck_assert_int_eq(f.now_us, now_us + 90 * US);
    ck_assert_int_eq(f.active_holds, 0);
    ck_assert_int_eq(f.nprof, 1);
    ck_assert(!kf_facts_reuse_unchecked(&kept, kept.valid_until_us, &f));
}
END_TEST

START_TEST(hold_facts_keep_the_catalog_until_the_link_expires)
{
    int n;
    const char *const **rows = base_rows(&n, "p1");
    kf_facts f;
    kf_facts_read(pool, rows, n, &f);
    kf_facts *kept = kf_facts_for_holds(pool, &f, "p1", 100);
    ck_assert_ptr_nonnull(kept);
    ck_assert_int_eq(kept->reservations->nelts, 0);
    ck_assert_int_eq(kept->weekly->nelts, 1);
    ck_assert_int_eq(kept->valid_until_us, now_us + 10 * 86400 * US);
    /* a professional with a calendar is read every time */
    f.profs[0].calendar = "connected";
    ck_assert_ptr_null(kf_facts_for_holds(pool, &f, "p1", 100));
}
END_TEST

START_TEST(periods_read)
{
    kf_facts_period a = kf_facts_period_of_days(100, 7);
    ck_assert_int_eq(a.day_lo, 97);
    ck_assert_int_eq(a.day_hi, 109);
    ck_assert_int_eq(a.busy_lo, 97 * 86400);
    ck_assert_int_eq(a.busy_hi, 110 * 86400);
    /* every start of one week reads the same dates */
    apr_int64_t mon = kf_days_from_civil(2026, 11, 23);
    kf_facts_period h1 = kf_facts_period_of_start(mon * 86400 + 3600);
    kf_facts_period h2 = kf_facts_period_of_start((mon + 6) * 86400 + 80000);
    ck_assert_int_eq(h1.day_lo, mon - 2);
    ck_assert_int_eq(h1.day_hi, mon + 8);
    ck_assert_int_eq(h2.day_lo, h1.day_lo);
    ck_assert_int_eq(h2.day_hi, h1.day_hi);
    ck_assert_int_eq(h1.busy_hi - h1.busy_lo, 52 * 3600);
}
END_TEST

START_TEST(the_engine_input_offers_the_working_hours_less_the_booked)
{
    int n;
    const char *const **rows = base_rows(&n, NULL);
    kf_facts f;
    kf_facts_read(pool, rows, n, &f);
    kf_availability av;
    kf_availability_init(pool, &av);
    ck_assert_str_eq(av.status, "internal_error");
    kf_availability_from_facts(pool, &f, &av);
    ck_assert_int_eq(av.params.duration, 1800);
    ck_assert_int_eq(av.params.earliest, now_us / US + 3600);   /* an hour's notice */
    ck_assert_int_eq(av.params.latest, now_us / US + 30 * 86400);
    ck_assert_int_eq(av.runs_out_at, now_us / US + 10 * 86400);
    kf_facts_period read = kf_facts_period_of_days(day, 1);
    ck_assert(kf_availability_place(&av, zone("UTC"), NULL, 1, &read));
    ck_assert_int_eq(av.from_day, day);
    ck_assert_int_eq(av.params.from, day * 86400);
    for (int i = 0; i < f.nprof; i++) {
        kf_availability_add_windows(&f, i, zone("UTC"), day - 1, day + 1, &av);
    }
    kf_availability_add_windows(&f, 0, NULL, day - 1, day + 1, &av);   /* unknown zone */
    ck_assert_int_eq(av.windows->nelts, 2);
    kf_availability_add_busy(pool, &f, read.busy_lo, read.busy_hi, &av);
    ck_assert_int_eq(av.busy->nelts, 1);
    ck_assert_int_eq(av.runs_out_at, day * 86400 + 9 * 3600);   /* when the hold lapses */
    kf_slot *slots = NULL;
    int count = kf_slots_compute(pool, &av.params, av.nprof, (const kf_window *)av.windows->elts,
                                 av.windows->nelts, (const kf_busy *)av.busy->elts,
                                 av.busy->nelts, KF_SLOTS_ONE_PER_START, &slots);
    ck_assert_int_eq(count, 6);   /* 09:00..11:30: p2 takes 10:00 */
    kf_availability_block(&av, 1);   /* p2's calendar unknown */
    count = kf_slots_compute(pool, &av.params, av.nprof, (const kf_window *)av.windows->elts,
                             av.windows->nelts, (const kf_busy *)av.busy->elts, av.busy->nelts,
                             KF_SLOTS_ONE_PER_START, &slots);
    ck_assert_int_eq(count, 5);   /* 10:00 is gone */
    /* calendars: one read a minute ago holds for its hour, one never read offers nothing */
    kf_availability guarded;
    kf_availability_init(pool, &guarded);
    kf_availability_from_facts(pool, &f, &guarded);
    ck_assert(kf_availability_place(&guarded, zone("UTC"), NULL, 1, &read));
    guarded.prof_calendars[0] = "connected";
    guarded.prof_synced_at[0] = guarded.now - 60;
    guarded.prof_calendars[1] = "connected";
    guarded.prof_synced_at[1] = 0;
    int busy_before = guarded.busy->nelts;
    ck_assert_int_eq(kf_availability_guard_calendars(&guarded, 3600), 1);
    ck_assert_int_eq(guarded.busy->nelts, busy_before + 1);
    ck_assert_int_eq(guarded.runs_out_at, guarded.now - 60 + 3600 + 1);
    guarded.prof_calendars[1] = "none";   /* no calendar: nothing to know */
    ck_assert_int_eq(kf_availability_guard_calendars(&guarded, 3600), 0);
    /* a date asked for far from what was read: not computed */
    apr_int64_t far = day + 30;
    ck_assert(!kf_availability_place(&av, zone("UTC"), &far, 1, &read));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("availability_facts");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, professionals_sorted_and_their_rows_attached);
    tcase_add_test(tc, a_link_with_a_professional_offers_only_that_one);
    tcase_add_test(tc, errors_in_the_order_of_the_api);
    tcase_add_test(tc, kept_facts_hold_until_a_write_or_their_bound);
    tcase_add_test(tc, kept_facts_answer_again_with_the_clock_and_holds_just_read);
    tcase_add_test(tc, hold_facts_keep_the_catalog_until_the_link_expires);
    tcase_add_test(tc, periods_read);
    tcase_add_test(tc, the_engine_input_offers_the_working_hours_less_the_booked);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
