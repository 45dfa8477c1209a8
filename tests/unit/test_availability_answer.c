/* Unit tests for lib/availability/kf_availability_answer.c: which availability queries are
 * refused and how, the answer's JSON, its cache key and how long it stays right. */
#include "kf_check_zone.h"
#include "kf_availability_answer.h"
#include "kf_time.h"

#include <string.h>

#define SERVICE "11111111-1111-4111-8111-111111111111"
#define PROF "22222222-2222-4222-8222-222222222222"

START_TEST(queries_refused_in_the_order_of_the_api)
{
    kf_availability_query q;
    ck_assert_str_eq(kf_availability_query_check(NULL, NULL, NULL, NULL, NULL, &q),
                     "invalid_parameter");
    ck_assert_str_eq(kf_availability_query_check(SERVICE, NULL, "2026-02-30", NULL, NULL, &q),
                     "invalid_parameter");
    ck_assert_str_eq(kf_availability_query_check(SERVICE, NULL, NULL, "63", NULL, &q),
                     "invalid_parameter");
    ck_assert_str_eq(kf_availability_query_check(SERVICE, NULL, NULL, "0", NULL, &q),
                     "invalid_parameter");
    ck_assert_str_eq(kf_availability_query_check(SERVICE, "", NULL, NULL, NULL, &q),
                     "invalid_parameter");
    ck_assert_str_eq(kf_availability_query_check(SERVICE, NULL, NULL, "1", "Europe/Par is", &q),
                     "invalid_timezone");
    /* a bad day count is named before a bad zone */
    ck_assert_str_eq(kf_availability_query_check(SERVICE, NULL, NULL, "x", "'; --", &q),
                     "invalid_parameter");
    ck_assert_str_eq(kf_availability_query_check("svc", NULL, NULL, NULL, NULL, &q),
                     "service_not_found");
    ck_assert_str_eq(kf_availability_query_check(SERVICE, "bob", NULL, NULL, NULL, &q),
                     "professional_not_found");
}
END_TEST

START_TEST(accepted_queries_and_their_defaults)
{
    kf_availability_query q;
    ck_assert_ptr_null(kf_availability_query_check(SERVICE, "any", NULL, NULL, NULL, &q));
    ck_assert_ptr_null(q.professional);
    ck_assert_int_eq(q.days, KF_AVAIL_DAYS_DEFAULT);
    ck_assert_str_eq(kf_availability_answer_key(pool, "acme", "cut", &q),
                     "av|acme|cut|" SERVICE "|any||14|");
    ck_assert_ptr_null(kf_availability_query_check(SERVICE, PROF, "2026-11-23", "62",
                                                   "America/Argentina/Buenos_Aires", &q));
    ck_assert_str_eq(q.professional, PROF);
    ck_assert_int_eq(q.days, 62);
    ck_assert_str_eq(kf_availability_answer_key(pool, NULL, "cut", &q),
                     "av||cut|" SERVICE "|" PROF "|2026-11-23|62|America/Argentina/Buenos_Aires");
}
END_TEST

static kf_availability answer_of(const char *zone_name, apr_int64_t day)
{
    kf_availability av;
    kf_availability_init(pool, &av);
    static const char *ids[] = {PROF};
    av.timezone = zone_name;
    av.from_day = day;
    av.prof_ids = ids;
    av.nprof = 1;
    kf_zone_changes(zone(zone_name), day * 86400 - 86400, day * 86400 + 3 * 86400, av.changes);
    return av;
}

START_TEST(slots_are_written_in_utc_and_in_the_display_zone)
{
    apr_int64_t day = kf_days_from_civil(2026, 11, 1);   /* New York leaves DST at 02:00 */
    kf_availability av = answer_of("America/New_York", day);
    kf_slot slots[] = {{day * 86400 + 5 * 3600, day * 86400 + 6 * 3600, 0, 0, 0},
                       {day * 86400 + 7 * 3600, day * 86400 + 8 * 3600, 0, 0, 0}};
    const char *json = NULL;
    apr_size_t len = 0;
    kf_availability_answer_json(pool, &av, 1, slots, 2, &json, &len);
    const char *want = "{\"timezone\":\"America/New_York\",\"from\":\"2026-11-01\",\"days\":1,"
                       "\"slots\":[{\"start\":\"2026-11-01T05:00:00Z\",\"end\":\"2026-11-01T06:00:00Z\","
                       "\"local\":\"2026-11-01T01:00:00-04:00\",\"professional\":\"" PROF "\"},"
                       "{\"start\":\"2026-11-01T07:00:00Z\",\"end\":\"2026-11-01T08:00:00Z\","
                       "\"local\":\"2026-11-01T02:00:00-05:00\",\"professional\":\"" PROF "\"}]}";
    ck_assert_uint_eq(len, strlen(want));
    ck_assert(memcmp(json, want, len) == 0);
    kf_availability_answer_json(pool, &av, 1, slots, 0, &json, &len);
    const char *none = "{\"timezone\":\"America/New_York\",\"from\":\"2026-11-01\",\"days\":1,"
                       "\"slots\":[]}";
    ck_assert_uint_eq(len, strlen(none));
    ck_assert(memcmp(json, none, len) == 0);
}
END_TEST

START_TEST(a_class_shows_its_places_left)
{
    apr_int64_t day = kf_days_from_civil(2026, 11, 23);
    kf_availability av = answer_of("UTC", day);
    av.params.capacity = 12;
    kf_slot slots[] = {{day * 86400 + 9 * 3600, day * 86400 + 10 * 3600, 0, 0, 3}};
    const char *json = NULL;
    apr_size_t len = 0;
    kf_availability_answer_json(pool, &av, 1, slots, 1, &json, &len);
    const char *want = "{\"timezone\":\"UTC\",\"from\":\"2026-11-23\",\"days\":1,"
                       "\"slots\":[{\"start\":\"2026-11-23T09:00:00Z\",\"end\":\"2026-11-23T10:00:00Z\","
                       "\"local\":\"2026-11-23T09:00:00+00:00\",\"professional\":\"" PROF "\","
                       "\"seats_left\":3}]}";
    ck_assert_uint_eq(len, strlen(want));
    ck_assert(memcmp(json, want, len) == 0);
}
END_TEST

START_TEST(today_changes_with_the_day_a_hold_lapse_or_the_link)
{
    apr_int64_t day = kf_days_from_civil(2026, 11, 23);
    kf_availability av = answer_of("UTC", day);
    av.now = day * 86400 + 8 * 3600;
    av.params.from = day * 86400;
    av.params.to = (day + 1) * 86400;
    av.params.duration = av.params.interval = 3600;
    av.params.earliest = av.now;
    av.params.latest = av.now + 30 * 86400;
    /* no slots, no windows: only the day rolls over */
    ck_assert_int_eq(kf_availability_answer_stable_until(&av, 0, NULL, 0), day * 86400 + 23 * 3600 - 1);
    ck_assert_int_gt(kf_availability_answer_stable_until(&av, 1, NULL, 0), day * 86400 + 23 * 3600);
    av.runs_out_at = av.now + 600;   /* a hold lapses in ten minutes */
    ck_assert_int_eq(kf_availability_answer_stable_until(&av, 1, NULL, 0), av.now + 599);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("availability_answer");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, queries_refused_in_the_order_of_the_api);
    tcase_add_test(tc, accepted_queries_and_their_defaults);
    tcase_add_test(tc, slots_are_written_in_utc_and_in_the_display_zone);
    tcase_add_test(tc, a_class_shows_its_places_left);
    tcase_add_test(tc, today_changes_with_the_day_a_hold_lapse_or_the_link);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
