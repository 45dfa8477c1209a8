/* Unit tests for series: lib/series/kf_series.c (the service's field, the count asked, the
 * wall-clock date of each occurrence, the charge) and lib/availability/kf_series_slots.c (the
 * instants in a zone across DST, the first starts whose every occurrence is free). */
#include "kf_check.h"
#include "kf_check_zone.h"
#include "kf_series.h"
#include "kf_series_slots.h"
#include "kf_time.h"

#include <string.h>

#define DAY 86400
/* Wall clock (or UTC) seconds of y-m-d h:mi. */
static apr_int64_t at(int y, int m, int d, int h, int mi)
{
    return kf_days_from_civil(y, m, d) * DAY + h * 3600 + mi * 60;
}

static json_t *fields_of(const char *body_text, kf_series_rule *v)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *body = json_loads(body_text, 0, NULL);
    ck_assert_ptr_nonnull(body);
    kf_series_field(&f, body, v);
    json_decref(body);
    return kf_fields_take(&f);
}

START_TEST(field_bounds)
{
    kf_series_rule v = {0};
    json_t *e = fields_of("{\"series\": {\"every\": \"week\", \"min\": 2, \"max\": 12, "
                          "\"pay\": \"all\"}}", &v);
    ck_assert_int_eq(json_object_size(e), 0);
    json_decref(e);
    ck_assert_int_eq(v.every, KF_SERIES_WEEK);
    ck_assert_int_eq(v.min, 2);
    ck_assert_int_eq(v.max, 12);
    ck_assert(v.pay_all);

    kf_series_rule w = v;
    e = fields_of("{\"series\": {\"every\": \"month\", \"min\": 1, \"max\": 13, "
                  "\"pay\": \"first\"}}", &w);
    ck_assert_ptr_nonnull(json_object_get(e, "series.min"));
    ck_assert_ptr_nonnull(json_object_get(e, "series.max"));
    json_decref(e);
    ck_assert_int_eq(w.every, KF_SERIES_WEEK);   /* refused: unchanged */

    e = fields_of("{\"series\": {\"every\": \"day\", \"min\": 5, \"max\": 3, \"pay\": \"half\"}}",
                  &w);
    ck_assert_ptr_nonnull(json_object_get(e, "series.every"));
    ck_assert_ptr_nonnull(json_object_get(e, "series.max"));
    ck_assert_ptr_nonnull(json_object_get(e, "series.pay"));
    json_decref(e);

    e = fields_of("{\"series\": \"weekly\"}", &w);
    ck_assert_ptr_nonnull(json_object_get(e, "series"));
    json_decref(e);

    e = fields_of("{\"series\": null}", &w);
    ck_assert_int_eq(json_object_size(e), 0);
    json_decref(e);
    ck_assert_int_eq(w.every, KF_SERIES_NONE);

    e = fields_of("{}", &v);   /* absent: unchanged */
    json_decref(e);
    ck_assert_int_eq(v.every, KF_SERIES_WEEK);
}
END_TEST

START_TEST(stored_and_shown)
{
    kf_series_rule v = {KF_SERIES_TWO_WEEKS, 3, 6, 0}, back;
    kf_series_from_stored(kf_series_stored(pool, &v), &back);
    ck_assert_int_eq(back.every, KF_SERIES_TWO_WEEKS);
    ck_assert_int_eq(back.min, 3);
    ck_assert_int_eq(back.max, 6);
    ck_assert(!back.pay_all);
    json_t *j = kf_series_json(&back);
    ck_assert_str_eq(json_string_value(json_object_get(j, "every")), "2weeks");
    ck_assert_str_eq(json_string_value(json_object_get(j, "pay")), "first");
    json_decref(j);
    kf_series_from_stored(NULL, &back);
    ck_assert_int_eq(back.every, KF_SERIES_NONE);
    ck_assert_ptr_null(kf_series_stored(pool, &back));
    j = kf_series_json(&back);
    ck_assert(json_is_null(j));
    json_decref(j);
}
END_TEST

START_TEST(count_asked_within_the_service_bounds)
{
    kf_series_rule rule = {KF_SERIES_WEEK, 2, 12, 1}, none = {0};
    kf_series_every every;
    int n;
    const char *why;
    ck_assert_ptr_null(kf_series_asked(&rule, NULL, NULL, &every, &n, &why));
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(every, KF_SERIES_NONE);
    ck_assert_ptr_null(kf_series_asked(&rule, "week", "4", &every, &n, &why));
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(every, KF_SERIES_WEEK);
    ck_assert_ptr_null(kf_series_asked(&rule, "week", "12", &every, &n, &why));
    ck_assert_str_eq(kf_series_asked(&rule, "week", "13", &every, &n, &why), "count");
    ck_assert_str_eq(why, "series_count_range");
    ck_assert_str_eq(kf_series_asked(&rule, "week", "1", &every, &n, &why), "count");
    ck_assert_str_eq(kf_series_asked(&rule, "week", "x", &every, &n, &why), "count");
    ck_assert_str_eq(kf_series_asked(&rule, "week", NULL, &every, &n, &why), "count");
    ck_assert_str_eq(kf_series_asked(&rule, "month", "3", &every, &n, &why), "repeat");
    ck_assert_str_eq(kf_series_asked(&rule, NULL, "3", &every, &n, &why), "repeat");
    ck_assert_str_eq(kf_series_asked(&none, "week", "3", &every, &n, &why), "repeat");
    ck_assert_str_eq(why, "series_not_offered");
    kf_series_rule narrow = {KF_SERIES_WEEK, 4, 6, 1};
    ck_assert_str_eq(kf_series_asked(&narrow, "week", "3", &every, &n, &why), "count");
    ck_assert_str_eq(kf_series_asked(&narrow, "week", "7", &every, &n, &why), "count");
}
END_TEST

START_TEST(wall_clock_dates)
{
    apr_int64_t first = at(2026, 12, 8, 9, 30);   /* the 2nd Tuesday of December */
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_WEEK, first, 3), at(2026, 12, 29, 9, 30));
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_TWO_WEEKS, first, 2), at(2027, 1, 5, 9, 30));
    /* 2nd Tuesdays: January 12, February 9, March 9, 2027 */
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_MONTH, first, 1), at(2027, 1, 12, 9, 30));
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_MONTH, first, 2), at(2027, 2, 9, 9, 30));
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_MONTH, first, 3), at(2027, 3, 9, 9, 30));
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_MONTH, first, 12), at(2027, 12, 14, 9, 30));
    /* a 5th Thursday (2026-10-29) repeats on the last Thursday: Nov 26, Dec 31, Jan 28 */
    apr_int64_t fifth = at(2026, 10, 29, 18, 0);
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_MONTH, fifth, 1), at(2026, 11, 26, 18, 0));
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_MONTH, fifth, 2), at(2026, 12, 31, 18, 0));
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_MONTH, fifth, 3), at(2027, 1, 28, 18, 0));
    ck_assert_int_eq(kf_series_local_start(KF_SERIES_WEEK, first, 0), first);
}
END_TEST

START_TEST(same_wall_clock_across_dst)
{
    /* New York leaves DST on 2026-11-01: 10:00 is 14:00Z before, 15:00Z after */
    const kf_zone *ny = zone("America/New_York");
    apr_int64_t s[4];
    kf_series_starts(ny, KF_SERIES_WEEK, at(2026, 10, 20, 14, 0), 4, s);
    ck_assert_int_eq(s[1], at(2026, 10, 27, 14, 0));
    ck_assert_int_eq(s[2], at(2026, 11, 3, 15, 0));
    ck_assert_int_eq(s[3], at(2026, 11, 10, 15, 0));
    /* and enters it on 2027-03-14: the 2nd Tuesday of February at 10:00 (15:00Z) is 14:00Z
     * on the 2nd Tuesday of March */
    kf_series_starts(ny, KF_SERIES_MONTH, at(2027, 2, 9, 15, 0), 2, s);
    ck_assert_int_eq(s[1], at(2027, 3, 9, 15, 0));
    kf_series_starts(ny, KF_SERIES_MONTH, at(2027, 3, 2, 15, 0), 2, s);   /* 1st Tuesday */
    ck_assert_int_eq(s[1], at(2027, 4, 6, 14, 0));
    /* Bogotá has no DST: 24 h × 7 apart, always */
    kf_series_starts(zone("America/Bogota"), KF_SERIES_TWO_WEEKS, at(2026, 10, 20, 14, 0), 2, s);
    ck_assert_int_eq(s[1], at(2026, 11, 3, 14, 0));
}
END_TEST

static kf_slot slot(int prof, apr_int64_t start)
{
    kf_slot s = {start, start + 3600, prof, 0, 0};
    return s;
}

START_TEST(first_starts_whose_occurrences_are_free)
{
    apr_int64_t mon = at(2026, 12, 7, 9, 0);
    /* professional 0 free on Mondays at 9:00 for three weeks, except the 2nd; professional 1
     * free every Monday at 9:00; both at 10:00 in the first week only */
    kf_slot slots[] = {
        slot(0, mon), slot(1, mon), slot(0, mon + 3600), slot(1, mon + 3600),
        slot(1, mon + 7 * DAY), slot(0, mon + 14 * DAY), slot(1, mon + 14 * DAY),
    };
    int n = (int)(sizeof slots / sizeof slots[0]);
    kf_slot keep[8];
    int m = kf_series_keep_free(slots, n, NULL, KF_SERIES_WEEK, 3, mon, mon + DAY, mon + DAY, keep);
    ck_assert_int_eq(m, 1);
    ck_assert_int_eq(keep[0].prof, 1);
    ck_assert_int_eq(keep[0].start, mon);
    /* two occurrences: both at 9:00 fit professional 1 only still; 10:00 fits nobody */
    m = kf_series_keep_free(slots, n, NULL, KF_SERIES_TWO_WEEKS, 2, mon, mon + DAY, mon + DAY, keep);
    ck_assert_int_eq(m, 2);
    ck_assert_int_eq(keep[0].prof, 0);
    ck_assert_int_eq(keep[1].prof, 1);
    /* the horizon bounds the first start only */
    m = kf_series_keep_free(slots, n, NULL, KF_SERIES_WEEK, 3, mon, mon + DAY, mon + 1, keep);
    ck_assert_int_eq(m, 1);
    m = kf_series_keep_free(slots, n, NULL, KF_SERIES_WEEK, 3, mon, mon + DAY, mon, keep);
    ck_assert_int_eq(m, 0);
    ck_assert(kf_series_slot_free(slots, n, 1, mon + 7 * DAY));
    ck_assert(!kf_series_slot_free(slots, n, 0, mon + 7 * DAY));
}
END_TEST

START_TEST(what_a_series_charges)
{
    ck_assert_int_eq(kf_series_charge(1, 4, 5000), 20000);
    ck_assert_int_eq(kf_series_charge(0, 4, 5000), 5000);
    ck_assert_int_eq(kf_series_share(1, 3, 5000), 5000);
    ck_assert_int_eq(kf_series_share(0, 1, 5000), 5000);
    ck_assert_int_eq(kf_series_share(0, 2, 5000), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("series");
    TCase *tc = tcase_create("series");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, field_bounds);
    tcase_add_test(tc, stored_and_shown);
    tcase_add_test(tc, count_asked_within_the_service_bounds);
    tcase_add_test(tc, wall_clock_dates);
    tcase_add_test(tc, same_wall_clock_across_dst);
    tcase_add_test(tc, first_starts_whose_occurrences_are_free);
    tcase_add_test(tc, what_a_series_charges);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
