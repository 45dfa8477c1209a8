/* Unit tests for lib/availability/kf_slots.c: the slot engine and display-zone offsets. Times are
 * seconds; H(h, m) is that wall time on day 0 in UTC. */
#include "kf_check.h"
#include "kf_slots.h"

#define MIN 60
#define H(h, m) ((apr_int64_t)(h) * 3600 + (m) * 60)
#define DAY 86400

static kf_slot_params params(int duration_min, int interval_min)
{
    kf_slot_params sp = {0};
    sp.duration = duration_min * MIN;
    sp.interval = interval_min * MIN;
    sp.from = -100 * DAY;
    sp.to = 100 * DAY;
    sp.earliest = -100 * DAY;
    sp.latest = 100 * DAY;
    return sp;
}

static int compute(const kf_slot_params *sp, int nprof, const kf_window *w, int nw,
                   const kf_busy *b, int nb, kf_slots_mode mode, kf_slot **out)
{
    return kf_slots_compute(pool, sp, nprof, w, nw, b, nb, mode, out);
}

START_TEST(grid_from_range_start_never_crossing_its_end)
{
    kf_slot_params sp = params(30, 15);
    kf_window w[] = {{H(9, 0), H(17, 0), 0, 0}};
    kf_slot *s;
    int n = compute(&sp, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, (480 - 30) / 15 + 1);
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(s[0].end, H(9, 30));
    ck_assert_int_eq(s[1].start, H(9, 15));
    ck_assert_int_eq(s[n - 1].start, H(16, 30));
    ck_assert_int_eq(s[n - 1].end, H(17, 0));

    /* a range that is not a multiple of the grid: the grid starts at 09:10 */
    kf_window odd[] = {{H(9, 10), H(10, 0), 0, 0}};
    n = compute(&sp, 1, odd, 1, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(s[0].start, H(9, 10));
    ck_assert_int_eq(s[1].start, H(9, 25));   /* 09:40 would end at 10:10 */

    /* a range shorter than the service gives nothing */
    kf_window tiny[] = {{H(9, 0), H(9, 20), 0, 0}};
    ck_assert_int_eq(compute(&sp, 1, tiny, 1, NULL, 0, KF_SLOTS_ALL, &s), 0);
}
END_TEST

START_TEST(several_ranges_per_day_each_with_its_grid)
{
    kf_slot_params sp = params(60, 30);
    kf_window w[] = {{H(14, 5), H(16, 5), 0, 0}, {H(8, 0), H(10, 0), 0, 0}};
    kf_slot *s;
    int n = compute(&sp, 1, w, 2, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 6);
    apr_int64_t want[] = {H(8, 0), H(8, 30), H(9, 0), H(14, 5), H(14, 35), H(15, 5)};
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(s[i].start, want[i]);
    }
}
END_TEST

START_TEST(busy_intervals_are_half_open)
{
    kf_slot_params sp = params(30, 30);
    kf_window w[] = {{H(9, 0), H(12, 0), 0, 0}};
    kf_busy b[] = {{H(10, 0), H(10, 30), 0}};
    kf_slot *s;
    int n = compute(&sp, 1, w, 1, b, 1, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(s[1].start, H(9, 30));    /* ends exactly when the busy one starts */
    ck_assert_int_eq(s[2].start, H(10, 30));   /* starts exactly when it ends */

    /* a busy interval of another professional changes nothing */
    kf_busy other[] = {{H(10, 0), H(10, 30), 1}};
    ck_assert_int_eq(compute(&sp, 2, w, 1, other, 1, KF_SLOTS_ALL, &s), 6);
}
END_TEST

START_TEST(buffers_keep_clear_around_the_appointment)
{
    kf_slot_params sp = params(30, 30);
    kf_window w[] = {{H(9, 0), H(12, 0), 0, 0}};
    kf_busy b[] = {{H(10, 0), H(10, 30), 0}};
    kf_slot *s;
    sp.buffer_before = 10 * MIN;   /* 10:30 now needs 10:20..10:30 free */
    int n = compute(&sp, 1, w, 1, b, 1, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(s[1].start, H(9, 30));
    ck_assert_int_eq(s[2].start, H(11, 0));
    sp.buffer_before = 0;
    sp.buffer_after = 10 * MIN;    /* 09:30 now needs 10:00..10:10 free */
    n = compute(&sp, 1, w, 1, b, 1, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(s[1].start, H(10, 30));
    /* buffers may reach outside the working range: only the appointment must fit */
    kf_window edge[] = {{H(9, 0), H(9, 30), 0, 0}};
    sp.buffer_before = sp.buffer_after = 60 * MIN;
    ck_assert_int_eq(compute(&sp, 1, edge, 1, NULL, 0, KF_SLOTS_ALL, &s), 1);
}
END_TEST

START_TEST(overlapping_and_unsorted_busy_intervals)
{
    kf_slot_params sp = params(15, 15);
    kf_window w[] = {{H(9, 0), H(13, 0), 0, 0}};
    kf_busy b[] = {{H(11, 0), H(11, 30), 0}, {H(9, 30), H(10, 30), 0}, {H(10, 0), H(10, 45), 0},
                   {H(10, 45), H(11, 0), 0}, {H(12, 0), H(12, 0), 0} /* empty: ignored */};
    kf_slot *s;
    int n = compute(&sp, 1, w, 1, b, 5, KF_SLOTS_ALL, &s);
    /* free: 09:00, 09:15, then 11:30 .. 12:45 */
    ck_assert_int_eq(n, 2 + 6);
    ck_assert_int_eq(s[1].start, H(9, 15));
    ck_assert_int_eq(s[2].start, H(11, 30));
    ck_assert_int_eq(s[7].start, H(12, 45));
}
END_TEST

START_TEST(notice_horizon_and_period)
{
    kf_slot_params sp = params(30, 30);
    kf_window w[] = {{H(9, 0), H(12, 0), 0, 0}, {DAY + H(9, 0), DAY + H(12, 0), 0, 1}};
    kf_slot *s;
    sp.earliest = H(10, 10);        /* now + notice: 10:30 is the first */
    sp.latest = DAY + H(10, 0);     /* now + horizon: starts before 10:00 of day 1 */
    int n = compute(&sp, 1, w, 2, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 3 + 2);
    ck_assert_int_eq(s[0].start, H(10, 30));
    ck_assert_int_eq(s[4].start, DAY + H(9, 30));
    /* the period [from, to) cuts the same way */
    sp = params(30, 30);
    sp.from = H(11, 0);
    sp.to = DAY + H(9, 0);
    n = compute(&sp, 1, w, 2, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(s[0].start, H(11, 0));
    ck_assert_int_eq(s[1].start, H(11, 30));
}
END_TEST

START_TEST(any_takes_one_professional_per_start)
{
    kf_slot_params sp = params(60, 60);
    kf_window w[] = {{H(9, 0), H(12, 0), 1, 0}, {H(9, 0), H(12, 0), 0, 0},
                     {H(13, 0), H(14, 0), 2, 0}};
    kf_busy b[] = {{H(9, 0), H(10, 0), 0}};
    kf_slot *s;
    int n = compute(&sp, 3, w, 3, b, 1, KF_SLOTS_ONE_PER_START, &s);
    ck_assert_int_eq(n, 4);
    /* 09:00: only 1 is free */
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(s[0].prof, 1);
    /* 10:00 and 11:00: both free, 0 has one booking that day, 1 none: 1 */
    ck_assert_int_eq(s[1].prof, 1);
    ck_assert_int_eq(s[1].load, 0);
    ck_assert_int_eq(s[2].prof, 1);
    ck_assert_int_eq(s[3].start, H(13, 0));
    ck_assert_int_eq(s[3].prof, 2);

    /* equally booked: the lower index (professionals come sorted by id) */
    n = compute(&sp, 3, w, 3, NULL, 0, KF_SLOTS_ONE_PER_START, &s);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(s[1].prof, 0);

    /* ALL lists every free professional at a start, preferred first */
    n = compute(&sp, 3, w, 3, b, 1, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 6);
    ck_assert_int_eq(s[1].start, H(10, 0));
    ck_assert_int_eq(s[1].prof, 1);
    ck_assert_int_eq(s[2].start, H(10, 0));
    ck_assert_int_eq(s[2].prof, 0);
    ck_assert_int_eq(s[2].load, 1);
}
END_TEST

START_TEST(load_counts_the_whole_day)
{
    /* professional 0 has two ranges on day 5 and a booking in the second one: both ranges
     * carry that load; day 6 does not */
    kf_slot_params sp = params(60, 60);
    kf_window w[] = {{5 * DAY + H(8, 0), 5 * DAY + H(9, 0), 0, 5},
                     {5 * DAY + H(15, 0), 5 * DAY + H(17, 0), 0, 5},
                     {6 * DAY + H(8, 0), 6 * DAY + H(9, 0), 0, 6}};
    kf_busy b[] = {{5 * DAY + H(16, 0), 5 * DAY + H(17, 0), 0}};
    kf_slot *s;
    int n = compute(&sp, 1, w, 3, b, 1, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(s[0].load, 1);
    ck_assert_int_eq(s[1].load, 1);
    ck_assert_int_eq(s[2].load, 0);
}
END_TEST

START_TEST(bad_parameters_and_empty_input)
{
    kf_slot_params sp = params(30, 15);
    kf_slot *s = (kf_slot *)1;
    kf_window w[] = {{H(9, 0), H(10, 0), 0, 0}};
    ck_assert_int_eq(compute(&sp, 1, NULL, 0, NULL, 0, KF_SLOTS_ALL, &s), 0);
    sp.interval = 0;
    ck_assert_int_eq(compute(&sp, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s), -1);
    ck_assert_ptr_null(s);
    sp = params(0, 15);
    ck_assert_int_eq(compute(&sp, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s), -1);
    sp = params(30, 15);
    sp.buffer_after = -1;
    ck_assert_int_eq(compute(&sp, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s), -1);
    ck_assert_int_eq(kf_slots_compute(pool, NULL, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s), -1);
    /* a window of an unknown professional is skipped */
    sp = params(30, 15);
    kf_window stray[] = {{H(9, 0), H(10, 0), 7, 0}, {H(9, 0), H(10, 0), -1, 0}};
    ck_assert_int_eq(compute(&sp, 1, stray, 2, NULL, 0, KF_SLOTS_ALL, &s), 0);
}
END_TEST

/* The bench case: 14 days of 09:00-17:00, 15-minute grid, 50 reservations. Every slot
 * must be on the grid, inside its window and clear of every reservation. */
START_TEST(two_weeks_against_a_brute_force_check)
{
    kf_slot_params sp = params(30, 15);
    kf_window w[14];
    kf_busy b[50];
    for (int d = 0; d < 14; d++) {
        w[d] = (kf_window){d * DAY + H(9, 0), d * DAY + H(17, 0), 0, d};
    }
    for (int i = 0; i < 50; i++) {
        apr_int64_t st = (i % 14) * DAY + H(9, 0) + (apr_int64_t)((i * 37) % 29) * 15 * MIN;
        b[i] = (kf_busy){st, st + 30 * MIN, 0};
    }
    sp.buffer_before = 5 * MIN;
    sp.buffer_after = 10 * MIN;
    kf_slot *s;
    int n = compute(&sp, 1, w, 14, b, 50, KF_SLOTS_ONE_PER_START, &s);
    int expected = 0;
    for (int d = 0; d < 14; d++) {
        for (apr_int64_t t = w[d].start; t + sp.duration <= w[d].end; t += sp.interval) {
            int free = 1;
            for (int i = 0; i < 50; i++) {
                if (t - sp.buffer_before < b[i].end && b[i].start < t + sp.duration + sp.buffer_after) {
                    free = 0;
                }
            }
            if (free) {
                ck_assert_int_eq(s[expected].start, t);
                expected++;
            }
        }
    }
    ck_assert_int_eq(n, expected);
    ck_assert_int_gt(n, 150);   /* many free, many taken */
    ck_assert_int_lt(n, 14 * 31);
}
END_TEST

START_TEST(zone_offsets)
{
    /* -04:00 until 06:00 UTC on day 10, then -05:00 (a November change) */
    kf_tz_change z[] = {{9 * DAY, -4 * 3600}, {10 * DAY + H(6, 0), -5 * 3600}};
    int cursor = 0;
    ck_assert_int_eq(kf_tz_offset_at(z, 2, 0, &cursor), -4 * 3600);   /* before the first */
    ck_assert_int_eq(kf_tz_offset_at(z, 2, 10 * DAY + H(5, 59), &cursor), -4 * 3600);
    ck_assert_int_eq(kf_tz_offset_at(z, 2, 10 * DAY + H(6, 0), &cursor), -5 * 3600);
    ck_assert_int_eq(kf_tz_offset_at(z, 2, 20 * DAY, &cursor), -5 * 3600);
    /* going back resets the cursor */
    ck_assert_int_eq(kf_tz_offset_at(z, 2, 9 * DAY, &cursor), -4 * 3600);
    ck_assert_int_eq(kf_tz_offset_at(z, 0, 9 * DAY, &cursor), 0);
}
END_TEST

START_TEST(abutting_windows_are_one_stretch)
{
    /* 20:00-24:00 and 00:00-02:00 the next day (given unsorted): a 60-minute slot at 23:30
     * ends at 00:30; starts stay on each window's own grid */
    kf_slot_params sp = params(60, 30);
    apr_int64_t now = H(8, 0);
    kf_window w[] = {{H(24, 0), H(26, 0), 0, 1}, {H(20, 0), H(24, 0), 0, 0}};
    kf_slot *s;
    int n = compute(&sp, 1, w, 2, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 11);   /* 20:00 .. 23:30, 00:00 .. 01:00 */
    ck_assert_int_eq(s[7].start, H(23, 30));
    ck_assert_int_eq(s[7].end, H(24, 30));
    ck_assert_int_eq(s[8].start, H(24, 0));
    /* a gap of one second breaks the stretch */
    kf_window gap[] = {{H(20, 0), H(24, 0), 0, 0}, {H(24, 0) + 1, H(26, 0), 0, 1}};
    n = compute(&sp, 1, gap, 2, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(s[6].start, H(23, 0));
    ck_assert_int_eq(s[7].start, H(24, 0) + 1);
    /* the horizon ends at 23:10: the 23:30 start, ending after midnight, enters in 20 min */
    sp.latest = H(23, 10);
    n = compute(&sp, 1, w, 2, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(kf_slots_clock_stable_until(&sp, w, 2, s, 0, now), now + 20 * MIN - 1);
}
END_TEST

START_TEST(clock_stability_of_an_answer)
{
    /* now = 08:00; notice 2 h: earliest 10:00; horizon ends at 12:10, the period at 17:00 */
    kf_slot_params sp = params(30, 30);
    apr_int64_t now = H(8, 0);
    sp.earliest = H(10, 0);
    sp.latest = H(12, 10);
    kf_window w[] = {{H(9, 0), H(17, 0), 0, 0}};
    kf_slot *s;
    int n = compute(&sp, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(n, 5);   /* 10:00 .. 12:00 */
    /* 10:00 leaves the notice right away (0 s of margin, minus the rounding second); the
     * 12:30 start would enter the horizon 20 minutes from now */
    ck_assert_int_eq(kf_slots_clock_stable_until(&sp, w, 1, s, n, now), now - 1);
    sp.earliest = H(9, 50);
    ck_assert_int_eq(kf_slots_clock_stable_until(&sp, w, 1, s, n, now), now + 10 * MIN - 1);
    sp.earliest = H(8, 30);   /* 09:00 leaves in 30 minutes, 12:30 enters in 20 */
    n = compute(&sp, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(kf_slots_clock_stable_until(&sp, w, 1, s, n, now), now + 20 * MIN - 1);

    /* the horizon beyond the period: only the notice counts */
    sp.latest = 100 * DAY;
    sp.earliest = H(8, 30);
    n = compute(&sp, 1, w, 1, NULL, 0, KF_SLOTS_ALL, &s);
    ck_assert_int_eq(s[0].start, H(9, 0));
    ck_assert_int_eq(kf_slots_clock_stable_until(&sp, w, 1, s, n, now), now + 30 * MIN - 1);
    /* nothing offered and nothing that can enter: stable for ever */
    ck_assert(kf_slots_clock_stable_until(&sp, w, 1, s, 0, now) == APR_INT64_MAX);
    /* the next fitting start after the horizon is in a later window */
    sp.latest = H(16, 45);
    kf_window two[] = {{H(9, 0), H(17, 0), 0, 0}, {H(18, 0), H(19, 0), 0, 0}};
    ck_assert_int_eq(kf_slots_clock_stable_until(&sp, two, 2, s, 0, now), now + H(18, 0) - H(16, 45) - 1);
}
END_TEST

/* What a hold must find free is what the engine kept free: the buffers around the slot. */
START_TEST(blocked_range_adds_the_buffers)
{
    kf_slot_params sp = {0};
    sp.duration = 3600;
    sp.interval = 900;
    sp.buffer_before = 600;
    sp.buffer_after = 300;
    apr_int64_t bs = 0, be = 0;
    kf_slot_blocked(&sp, 36000, 39600, &bs, &be);
    ck_assert_int_eq(bs, 35400);
    ck_assert_int_eq(be, 39900);
    sp.buffer_before = sp.buffer_after = 0;
    kf_slot_blocked(&sp, 36000, 39600, &bs, &be);
    ck_assert_int_eq(bs, 36000);
    ck_assert_int_eq(be, 39600);
}
END_TEST

/* a calendar's busy times less our own bookings: brute force over every second */
START_TEST(calendar_busy_less_own_bookings)
{
    kf_busy busy[] = {{100, 200, 9}, {150, 260, 9}, {300, 400, 9}, {500, 520, 9}, {-50, 10, 9}};
    kf_busy holes[] = {{120, 130, 9}, {125, 140, 9}, {190, 310, 9}, {390, 600, 9}, {0, 5, 9}};
    apr_array_header_t *out = apr_array_make(pool, 4, sizeof(kf_busy));
    kf_busy_less(pool, 3, busy, 5, holes, 5, -20, 1000, out);
    const kf_busy *o = (const kf_busy *)out->elts;
    int wrong = 0;
    for (apr_int64_t t = -100; t < 1100; t++) {
        int in_busy = 0, in_hole = 0, in_out = 0;
        for (int i = 0; i < 5; i++) {
            in_busy |= t >= busy[i].start && t < busy[i].end;
            in_hole |= t >= holes[i].start && t < holes[i].end;
        }
        for (int i = 0; i < out->nelts; i++) {
            in_out += t >= o[i].start && t < o[i].end;
        }
        wrong += in_out != (in_busy && !in_hole && t >= -20 && t < 1000);
    }
    ck_assert_int_eq(wrong, 0);
    ck_assert_int_eq(out->nelts, 5);   /* [-20,0) [5,10) [100,120) [140,190) [310,390) */
    for (int i = 0; i < out->nelts; i++) {
        ck_assert_int_eq(o[i].prof, 3);
        ck_assert(o[i].start < o[i].end);
        ck_assert(i == 0 || o[i - 1].end <= o[i].start);
    }
    /* no holes: the merged, clipped busy times */
    out->nelts = 0;
    kf_busy_less(pool, 0, busy, 5, NULL, 0, 0, 1000, out);
    ck_assert_int_eq(out->nelts, 4);
    ck_assert_int_eq(((kf_busy *)out->elts)[1].end, 260);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("slots");
    TCase *tc = tcase_create("engine");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, grid_from_range_start_never_crossing_its_end);
    tcase_add_test(tc, several_ranges_per_day_each_with_its_grid);
    tcase_add_test(tc, busy_intervals_are_half_open);
    tcase_add_test(tc, buffers_keep_clear_around_the_appointment);
    tcase_add_test(tc, overlapping_and_unsorted_busy_intervals);
    tcase_add_test(tc, notice_horizon_and_period);
    tcase_add_test(tc, any_takes_one_professional_per_start);
    tcase_add_test(tc, load_counts_the_whole_day);
    tcase_add_test(tc, bad_parameters_and_empty_input);
    tcase_add_test(tc, two_weeks_against_a_brute_force_check);
    tcase_add_test(tc, zone_offsets);
    tcase_add_test(tc, clock_stability_of_an_answer);
    tcase_add_test(tc, abutting_windows_are_one_stretch);
    tcase_add_test(tc, blocked_range_adds_the_buffers);
    tcase_add_test(tc, calendar_busy_less_own_bookings);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
