/* Unit tests for lib/availability/kf_hours.c: which ranges a date has, and their instants across DST. */
#include "kf_check_zone.h"
#include "kf_hours.h"
#include "kf_time.h"

START_TEST(iso_weekdays)
{
    ck_assert_int_eq(kf_iso_weekday(0), 4);                                   /* 1970-01-01 */
    ck_assert_int_eq(kf_iso_weekday(kf_days_from_civil(2026, 11, 23)), 1);   /* a Monday */
    ck_assert_int_eq(kf_iso_weekday(kf_days_from_civil(2026, 11, 29)), 7);
    ck_assert_int_eq(kf_iso_weekday(-1), 3);
    ck_assert_int_eq(kf_iso_weekday(-4), 7);
}
END_TEST

START_TEST(weekly_hours_and_exceptions)
{
    /* professional 0: Mon-Fri 09:00-12:00 and 13:00-17:00; professional 1: Monday 08:00-09:00 */
    kf_weekly_range weekly[11];
    int n = 0;
    for (int wd = 1; wd <= 5; wd++) {
        weekly[n++] = (kf_weekly_range){0, wd, 540, 720};
        weekly[n++] = (kf_weekly_range){0, wd, 780, 1020};
    }
    weekly[n++] = (kf_weekly_range){1, 1, 480, 540};
    apr_int64_t mon = kf_days_from_civil(2026, 11, 23);
    /* Tuesday closed, Wednesday 10:00-11:00 only, Saturday 10:00-14:00 */
    kf_day_exception ex[] = {{0, mon + 1, 1, 0, 0}, {0, mon + 2, 0, 600, 660},
                             {0, mon + 5, 0, 600, 840}, {1, mon + 1, 0, 0, 1440}};
    apr_array_header_t *w = apr_array_make(pool, 8, sizeof(kf_window));
    kf_hours_windows(zone("America/Bogota"), 0, weekly, n, ex, 4, mon, mon + 6, w);
    const kf_window *x = (const kf_window *)w->elts;
    /* Mon 2, Tue 0, Wed 1, Thu 2, Fri 2, Sat 1, Sun 0 */
    ck_assert_int_eq(w->nelts, 8);
    ck_assert_int_eq(x[0].start, mon * 86400 + (9 + 5) * 3600);
    ck_assert_int_eq(x[0].end, mon * 86400 + (12 + 5) * 3600);
    ck_assert_int_eq(x[0].day, mon);
    ck_assert_int_eq(x[2].day, mon + 2);
    ck_assert_int_eq(x[2].start, (mon + 2) * 86400 + 15 * 3600);
    ck_assert_int_eq(x[7].day, mon + 5);
    ck_assert_int_eq(x[7].end - x[7].start, 4 * 3600);
    for (int i = 0; i < w->nelts; i++) {
        ck_assert_int_eq(x[i].prof, 0);
    }
    /* professional 1: Monday's hour, and Tuesday's whole-day exception ends at midnight */
    w->nelts = 0;
    kf_hours_windows(zone("UTC"), 1, weekly, n, ex, 4, mon, mon + 1, w);
    ck_assert_int_eq(w->nelts, 2);
    ck_assert_int_eq(((kf_window *)w->elts)[1].end, (mon + 2) * 86400);
}
END_TEST

START_TEST(ranges_last_their_absolute_time_across_dst)
{
    kf_weekly_range night = {0, 7, 0, 240};   /* Sundays 00:00-04:00 */
    apr_array_header_t *w = apr_array_make(pool, 2, sizeof(kf_window));
    apr_int64_t spring = kf_days_from_civil(2026, 3, 8), fall = kf_days_from_civil(2026, 11, 1);
    kf_hours_windows(zone("America/New_York"), 0, &night, 1, NULL, 0, spring, spring, w);
    kf_hours_windows(zone("America/New_York"), 0, &night, 1, NULL, 0, fall, fall, w);
    const kf_window *x = (const kf_window *)w->elts;
    ck_assert_int_eq(w->nelts, 2);
    ck_assert_int_eq(x[0].end - x[0].start, 3 * 3600);
    ck_assert_int_eq(x[1].end - x[1].start, 5 * 3600);
    ck_assert_int_eq(x[0].start, spring * 86400 + 5 * 3600);
    ck_assert_int_eq(x[1].start, fall * 86400 + 4 * 3600);
}
END_TEST

/* Midnight matrix: working hours of one professional through kf_hours_windows and the slot
 * engine, as availability and a hold's judgement run them. "now" is an input (earliest). */
typedef struct night_case {
    const char *name;
    const char *zone;
    int y, m, d;                 /* the local date of the asked start */
    int weekly_night;            /* 1: that weekday 20:00-24:00 and the next 00:00-02:00;
                                    0: 24 h every day */
    int next_closed;             /* the next date is closed by an exception */
    int next_until;              /* > 0: the next date has its own hours 00:00-next_until */
    int duration, interval, buffer_after;
    int busy_from, busy_to;      /* minutes after the asked date's local midnight, 0/0: none */
    int notice_at;               /* > 0: earliest = the asked date + notice_at minutes */
    int start;                   /* the asked start, local minutes of the asked date */
    int offered;
    int minutes;                 /* > 0: the absolute length of the offered slot */
} night_case;

static const night_case nights[] = {
    {"bogota 23:30", "America/Bogota", 2026, 11, 23, 1, 0, 0, 60, 30, 0, 0, 0, 0, 1410, 1, 60},
    {"bogota 23:00", "America/Bogota", 2026, 11, 23, 1, 0, 0, 60, 30, 0, 0, 0, 0, 1380, 1, 60},
    {"bogota past 02:00", "America/Bogota", 2026, 11, 23, 1, 0, 0, 180, 30, 0, 0, 0, 0, 1410,
     0, 0},
    {"bogota next closed", "America/Bogota", 2026, 11, 23, 1, 1, 0, 60, 30, 0, 0, 0, 0, 1410,
     0, 0},
    {"bogota next closed 23:00", "America/Bogota", 2026, 11, 23, 1, 1, 0, 60, 30, 0, 0, 0, 0,
     1380, 1, 60},
    {"bogota next own hours", "America/Bogota", 2026, 11, 23, 1, 0, 60, 90, 30, 0, 0, 0, 0,
     1380, 1, 90},
    {"bogota next own hours too short", "America/Bogota", 2026, 11, 23, 1, 0, 20, 90, 30, 0,
     0, 0, 0, 1380, 0, 0},
    {"bogota buffer across midnight", "America/Bogota", 2026, 11, 23, 1, 0, 0, 60, 30, 30,
     1485, 1530, 0, 1410, 0, 0},
    {"bogota buffer clear", "America/Bogota", 2026, 11, 23, 1, 0, 0, 60, 30, 30, 1485, 1530,
     0, 1380, 1, 60},
    {"bogota notice at midnight", "America/Bogota", 2026, 11, 23, 1, 0, 0, 60, 30, 0, 0, 0,
     1440, 1410, 0, 0},
    {"bogota notice at midnight 00:00", "America/Bogota", 2026, 11, 23, 1, 0, 0, 60, 30, 0, 0,
     0, 1440, 1440, 1, 60},
    {"bogota 24h", "America/Bogota", 2026, 11, 23, 0, 0, 0, 120, 60, 0, 0, 0, 0, 1380, 1, 120},
    {"madrid spring forward eve", "Europe/Madrid", 2026, 3, 28, 0, 0, 0, 180, 30, 0, 0, 0, 0,
     1410, 1, 180},
    {"madrid spring forward night", "Europe/Madrid", 2026, 3, 28, 1, 0, 0, 60, 30, 0, 0, 0, 0,
     1410, 1, 60},
    {"madrid fall back eve", "Europe/Madrid", 2026, 10, 24, 0, 0, 0, 180, 30, 0, 0, 0, 0,
     1410, 1, 180},
    {"madrid fall back night", "Europe/Madrid", 2026, 10, 24, 1, 0, 0, 60, 30, 0, 0, 0, 0,
     1410, 1, 60},
    {"santiago midnight skipped", "America/Santiago", 2026, 9, 5, 1, 0, 0, 60, 30, 0, 0, 0, 0,
     1410, 1, 60},
    {"santiago midnight twice", "America/Santiago", 2026, 4, 4, 1, 0, 0, 60, 30, 0, 0, 0, 0,
     1410, 1, 60},
    {"auckland dst starts 24h", "Pacific/Auckland", 2026, 9, 26, 0, 0, 0, 240, 30, 0, 0, 0, 0,
     1410, 1, 240},
    {"kolkata 23:30", "Asia/Kolkata", 2026, 11, 23, 1, 0, 0, 60, 30, 0, 0, 0, 0, 1410, 1, 60},
};

/* Runs one case both as availability over the surrounding days and as a hold's judgement
 * (from = start, to = start + 1, the dates around the start's), and checks both agree. */
static void check_night(const night_case *c)
{
    const kf_zone *z = zone(c->zone);
    apr_int64_t day = kf_days_from_civil(c->y, c->m, c->d);
    int wd = kf_iso_weekday(day), next_wd = wd % 7 + 1;
    kf_weekly_range weekly[7];
    int nweekly = 0;
    if (c->weekly_night) {
        weekly[nweekly++] = (kf_weekly_range){0, wd, 1200, 1440};
        weekly[nweekly++] = (kf_weekly_range){0, next_wd, 0, 120};
    }
    else {
        for (int i = 1; i <= 7; i++) {
            weekly[nweekly++] = (kf_weekly_range){0, i, 0, 1440};
        }
    }
    kf_day_exception ex = {0, day + 1, c->next_closed, 0, c->next_until};
    int nex = c->next_closed || c->next_until;
    apr_int64_t start = kf_zone_instant(z, day * 86400 + c->start * 60);
    kf_busy busy = {0, 0, 0};
    int nbusy = 0;
    if (c->busy_to) {
        busy.start = kf_zone_instant(z, day * 86400 + c->busy_from * 60);
        busy.end = kf_zone_instant(z, day * 86400 + c->busy_to * 60);
        nbusy = 1;
    }
    kf_slot_params sp = {c->duration * 60, c->interval * 60, 0, c->buffer_after * 60, 0, 0,
                         0, APR_INT64_MAX, 1, 0};
    sp.earliest = c->notice_at ? kf_zone_instant(z, day * 86400 + c->notice_at * 60)
                               : start - 86400;
    for (int hold = 0; hold <= 1; hold++) {
        apr_array_header_t *w = apr_array_make(pool, 16, sizeof(kf_window));
        kf_hours_windows(z, 0, weekly, nweekly, &ex, nex, day - (hold ? 1 : 2),
                         day + (hold ? 1 : 3), w);
        sp.from = hold ? start : kf_zone_instant(z, (day - 1) * 86400);
        sp.to = hold ? start + 1 : kf_zone_instant(z, (day + 2) * 86400);
        kf_slot *s;
        int n = kf_slots_compute(pool, &sp, 1, (const kf_window *)w->elts, w->nelts, &busy,
                                 nbusy, KF_SLOTS_ALL, &s);
        int found = -1;
        for (int i = 0; i < n; i++) {
            if (s[i].start == start) {
                found = i;
            }
        }
        ck_assert_msg((found >= 0) == c->offered, "%s (%s): offered %d, expected %d", c->name,
                      hold ? "hold" : "availability", found >= 0, c->offered);
        if (found >= 0 && c->minutes) {
            ck_assert_msg(s[found].end - s[found].start == c->minutes * 60, "%s: length",
                          c->name);
        }
    }
}

START_TEST(slots_span_midnight)
{
    check_night(&nights[_i]);
}
END_TEST

START_TEST(whole_days_offer_every_hour_across_dst)
{
    /* 24 h every day, 90-minute slots every hour: the fall-back Sunday in Madrid has 25
     * starts, the spring-forward one 23, and no hour around midnight is missing */
    kf_weekly_range weekly[7];
    for (int i = 0; i < 7; i++) {
        weekly[i] = (kf_weekly_range){0, i + 1, 0, 1440};
    }
    const kf_zone *z = zone("Europe/Madrid");
    apr_int64_t days[] = {kf_days_from_civil(2026, 10, 25), kf_days_from_civil(2026, 3, 29)};
    int expect[] = {25, 23};
    for (int k = 0; k < 2; k++) {
        apr_array_header_t *w = apr_array_make(pool, 8, sizeof(kf_window));
        kf_hours_windows(z, 0, weekly, 7, NULL, 0, days[k] - 2, days[k] + 2, w);
        kf_slot_params sp = {5400, 3600, 0, 0, kf_zone_instant(z, (days[k] - 1) * 86400),
                             kf_zone_instant(z, (days[k] + 2) * 86400), 0, APR_INT64_MAX, 1, 0};
        kf_slot *s;
        int n = kf_slots_compute(pool, &sp, 1, (const kf_window *)w->elts, w->nelts, NULL, 0,
                                 KF_SLOTS_ALL, &s);
        ck_assert_int_eq(n, 24 + expect[k] + 24);
        for (int i = 1; i < n; i++) {
            ck_assert_int_eq(s[i].start - s[i - 1].start, 3600);
        }
    }
}
END_TEST

START_TEST(calendar_hours_replace_or_narrow_ours)
{
    /* Bogotá (UTC-5): ours 09:00-12:00 and 13:00-17:00 on Monday; Cal.com's 08:00-10:00 and
     * 11:00-14:00 that day, and 09:00-10:00 on Tuesday; another professional's ignored */
    apr_int64_t mon = kf_days_from_civil(2026, 11, 23);
    apr_int64_t base = mon * 86400 + 5 * 3600;   /* Monday 00:00 in Bogotá */
    kf_weekly_range weekly[] = {{0, 1, 540, 720}, {0, 1, 780, 1020}};
    kf_busy cal[] = {{base + 8 * 3600, base + 10 * 3600, 0}, {base + 11 * 3600, base + 14 * 3600, 0},
                     {base + 33 * 3600, base + 34 * 3600, 0}, {base + 6 * 3600, base + 20 * 3600, 1}};
    const kf_zone *z = zone("America/Bogota");
    apr_array_header_t *w = apr_array_make(pool, 8, sizeof(kf_window));
    kf_window other = {1, 2, 1, (int)mon};
    *(kf_window *)apr_array_push(w) = other;   /* windows before `from` are left alone */

    kf_hours_windows(z, 0, weekly, 2, NULL, 0, mon, mon + 1, w);
    kf_hours_with_calendar(w, 1, 0, KF_HOURS_OURS, cal, 4, z, mon, mon + 1);
    ck_assert_int_eq(w->nelts, 3);

    w->nelts = 1;
    kf_hours_windows(z, 0, weekly, 2, NULL, 0, mon, mon + 1, w);
    kf_hours_with_calendar(w, 1, 0, KF_HOURS_BOTH, cal, 4, z, mon, mon + 1);
    const kf_window *x = (const kf_window *)w->elts;
    /* 09:00-10:00, 11:00-12:00, 13:00-14:00 */
    ck_assert_int_eq(w->nelts, 4);
    ck_assert_int_eq(x[0].start, 1);
    ck_assert(x[1].start == base + 9 * 3600 && x[1].end == base + 10 * 3600 && x[1].day == mon);
    ck_assert(x[2].start == base + 11 * 3600 && x[2].end == base + 12 * 3600);
    ck_assert(x[3].start == base + 13 * 3600 && x[3].end == base + 14 * 3600 && x[3].prof == 0);

    w->nelts = 1;
    kf_hours_windows(z, 0, weekly, 2, NULL, 0, mon, mon + 1, w);
    kf_hours_with_calendar(w, 1, 0, KF_HOURS_CALENDAR, cal, 4, z, mon, mon + 1);
    x = (const kf_window *)w->elts;
    /* Cal.com's own: 08:00-10:00, 11:00-14:00 on Monday, 09:00-10:00 on Tuesday */
    ck_assert_int_eq(w->nelts, 4);
    ck_assert(x[1].start == base + 8 * 3600 && x[1].end == base + 10 * 3600 && x[1].day == mon);
    ck_assert(x[2].start == base + 11 * 3600 && x[2].end == base + 14 * 3600);
    ck_assert(x[3].start == base + 33 * 3600 && x[3].day == mon + 1 && x[3].prof == 0);
    /* only the dates asked: Monday alone leaves Tuesday's out */
    w->nelts = 1;
    kf_hours_with_calendar(w, 1, 0, KF_HOURS_CALENDAR, cal, 4, z, mon, mon);
    ck_assert_int_eq(w->nelts, 3);
    /* no bookable time at all: nothing offered by the calendar's hours, nor by both */
    w->nelts = 1;
    kf_hours_windows(z, 0, weekly, 2, NULL, 0, mon, mon, w);
    kf_hours_with_calendar(w, 1, 0, KF_HOURS_BOTH, cal, 0, z, mon, mon);
    ck_assert_int_eq(w->nelts, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hours");
    TCase *tc = tcase_create("hours");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, iso_weekdays);
    tcase_add_test(tc, weekly_hours_and_exceptions);
    tcase_add_test(tc, ranges_last_their_absolute_time_across_dst);
    tcase_add_loop_test(tc, slots_span_midnight, 0, (int)(sizeof(nights) / sizeof(nights[0])));
    tcase_add_test(tc, whole_days_offer_every_hour_across_dst);
    tcase_add_test(tc, calendar_hours_replace_or_narrow_ours);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
