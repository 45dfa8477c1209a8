/* Unit tests for lib/core/kf_time.c: civil dates, RFC 3339 formatting and parsing. */
#include "kf_check.h"
#include "kf_time.h"

#include <string.h>
#include <time.h>

START_TEST(provider_timestamps)
{
    apr_int64_t us = 0;
    ck_assert(kf_time_parse_provider("2026-05-12T00:00:00+0000", &us));
    ck_assert_int_eq(us, (apr_int64_t)1778544000 * 1000000);
    ck_assert(kf_time_parse_provider("2026-01-01T10:00:00.250-04:00", &us));
    ck_assert_int_eq(us, (apr_int64_t)1767276000 * 1000000 + 250000);
    ck_assert(kf_time_parse_provider("2026-01-01T14:00:00Z", &us));
    ck_assert_int_eq(us, (apr_int64_t)1767276000 * 1000000);
    ck_assert(!kf_time_parse_provider("2026-02-30T00:00:00+0000", &us));
    ck_assert(!kf_time_parse_provider("2026-01-01T10:00:00+00", &us));
    ck_assert(!kf_time_parse_provider("yesterday", &us));
    ck_assert(!kf_time_parse_provider(NULL, &us));
}
END_TEST

START_TEST(civil_round_trip)
{
    ck_assert_int_eq(kf_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(kf_days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(kf_days_from_civil(1969, 12, 31), -1);
    /* against timegm over a wide range, every day */
    for (apr_int64_t d = -800; d < 120000; d += 1) {
        int y, m, dd;
        kf_civil_from_days(d, &y, &m, &dd);
        ck_assert_int_eq(kf_days_from_civil(y, m, dd), d);
        struct tm tm = {0};
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = dd;
        ck_assert_int_eq((apr_int64_t)timegm(&tm), d * 86400);
    }
}
END_TEST

START_TEST(format_utc_and_local)
{
    char buf[32];
    kf_time_format_utc(buf, 1796133600);          /* 2026-12-01T14:00:00Z */
    ck_assert_str_eq(buf, "2026-12-01T14:00:00Z");
    ck_assert_int_eq(strlen(buf), KF_TIME_UTC_LEN);
    kf_time_format_local(buf, 1796133600, -5 * 3600);
    ck_assert_str_eq(buf, "2026-12-01T09:00:00-05:00");
    ck_assert_int_eq(strlen(buf), KF_TIME_LOCAL_LEN);
    kf_time_format_local(buf, 1796133600, 11 * 3600);
    ck_assert_str_eq(buf, "2026-12-02T01:00:00+11:00");
    kf_time_format_local(buf, 1796133600, 5 * 3600 + 1800);
    ck_assert_str_eq(buf, "2026-12-01T19:30:00+05:30");
    kf_time_format_local(buf, 0, 0);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00+00:00");
    kf_time_format_utc(buf, -1);
    ck_assert_str_eq(buf, "1969-12-31T23:59:59Z");
}
END_TEST

/* Each thread keeps the last date it formatted: a day, another, the first again, a year out
 * of range between two of the same day, each written as its own. */
START_TEST(format_reuses_only_the_same_day)
{
    char buf[32];
    static const struct { apr_int64_t t; const char *utc; } seq[] = {
        {1796133600, "2026-12-01T14:00:00Z"}, {1796133600 + 600, "2026-12-01T14:10:00Z"},
        {1796133600 + 86400, "2026-12-02T14:00:00Z"}, {1796133600, "2026-12-01T14:00:00Z"},
        {253402300800LL, "0000-00-00T00:00:00Z"},   /* 10000-01-01 */
        {1796133600 - 14 * 3600, "2026-12-01T00:00:00Z"},
        {1796133600 - 14 * 3600 - 1, "2026-11-30T23:59:59Z"},
    };
    for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
        kf_time_format_utc(buf, seq[i].t);
        ck_assert_msg(strcmp(buf, seq[i].utc) == 0, "%s != %s", buf, seq[i].utc);
    }
    kf_time_format_local(buf, 1796133600 + 36000, 0);   /* 2026-12-02 00:00 */
    ck_assert_str_eq(buf, "2026-12-02T00:00:00+00:00");
}
END_TEST

START_TEST(parse_rfc3339)
{
    apr_int64_t t = 0;
    ck_assert_int_eq(kf_time_parse_rfc3339("2026-12-01T14:00:00Z", &t), KF_TIME_OK);
    ck_assert_int_eq(t, 1796133600);
    ck_assert_int_eq(kf_time_parse_rfc3339("2026-12-01T09:00:00-05:00", &t), KF_TIME_OK);
    ck_assert_int_eq(t, 1796133600);
    ck_assert_int_eq(kf_time_parse_rfc3339("2026-12-02t01:00:00+11:00", &t), KF_TIME_OK);
    ck_assert_int_eq(t, 1796133600);
    ck_assert_int_eq(kf_time_parse_rfc3339("2026-12-01T14:00:00.000Z", &t), KF_TIME_OK);
    ck_assert_int_eq(t, 1796133600);
    ck_assert_int_eq(kf_time_parse_rfc3339("2026-12-01T14:00:00.5Z", &t), KF_TIME_FRACTION);
    ck_assert_int_eq(kf_time_parse_rfc3339("2024-02-29T00:00:00Z", &t), KF_TIME_OK);
}
END_TEST

START_TEST(parse_rfc3339_refusals)
{
    apr_int64_t t = 42;
    static const char *bad[] = {
        "", "2026-12-01", "2026-12-01T14:00Z", "2026-12-01 14:00:00Z", "2026-12-01T14:00:00",
        "2026-13-01T14:00:00Z", "2026-02-29T14:00:00Z", "2026-12-01T24:00:00Z",
        "2026-12-01T14:60:00Z", "2026-12-01T14:00:60Z", "2026-12-01T14:00:00+5:00",
        "2026-12-01T14:00:00+05:00x", "2026-12-01T14:00:00.Z", "2026-12-01T14:00:00ZZ",
        "2026-12-01T14:00:00+24:00", "x026-12-01T14:00:00Z", "2026-12-00T14:00:00Z",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(kf_time_parse_rfc3339(bad[i], &t) == KF_TIME_INVALID, "%s", bad[i]);
    }
    ck_assert_int_eq(kf_time_parse_rfc3339(NULL, &t), KF_TIME_INVALID);
    ck_assert_int_eq(t, 42);
}
END_TEST

START_TEST(parse_digits)
{
    int v = -1;
    ck_assert_int_eq(kf_parse_digits("2026-12", 4, &v), 1);
    ck_assert_int_eq(v, 2026);
    ck_assert_int_eq(kf_parse_digits("09:30", 2, &v), 1);
    ck_assert_int_eq(v, 9);
    ck_assert_int_eq(kf_parse_digits("7", 0, &v), 1);
    ck_assert_int_eq(v, 0);
    v = -1;
    ck_assert_int_eq(kf_parse_digits("2a26", 4, &v), 0);
    ck_assert_int_eq(kf_parse_digits("-1", 2, &v), 0);
    ck_assert_int_eq(kf_parse_digits("1", 2, &v), 0);     /* the terminator is no digit */
    ck_assert_int_eq(v, -1);                              /* untouched when refused */
}
END_TEST

START_TEST(parse_dates)
{
    apr_int64_t d = 0;
    ck_assert_int_eq(kf_date_parse("2026-12-01", &d), 1);
    ck_assert_int_eq(d, 20788);
    ck_assert_int_eq(kf_date_parse("2028-02-29", &d), 1);
    ck_assert_int_eq(kf_date_parse("2027-02-29", &d), 0);
    ck_assert_int_eq(kf_date_parse("2026-1-01", &d), 0);
    ck_assert_int_eq(kf_date_parse("2026-12-01x", &d), 0);
    ck_assert_int_eq(kf_date_parse("2026-12-32", &d), 0);
    ck_assert_int_eq(kf_date_parse("", &d), 0);
    ck_assert_int_eq(kf_date_parse(NULL, &d), 0);
}
END_TEST

START_TEST(utc_day_of_an_instant)
{
    ck_assert_int_eq(kf_utc_day_of(0), 0);
    ck_assert_int_eq(kf_utc_day_of(86399), 0);
    ck_assert_int_eq(kf_utc_day_of(86400), 1);
    ck_assert_int_eq(kf_utc_day_of(-1), -1);
    ck_assert_int_eq(kf_utc_day_of(-86400), -1);
    ck_assert_int_eq(kf_utc_day_of(-86401), -2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("time");
    TCase *tc = tcase_create("time");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, provider_timestamps);
    tcase_add_test(tc, civil_round_trip);
    tcase_add_test(tc, format_utc_and_local);
    tcase_add_test(tc, format_reuses_only_the_same_day);
    tcase_add_test(tc, parse_rfc3339);
    tcase_add_test(tc, parse_rfc3339_refusals);
    tcase_add_test(tc, parse_digits);
    tcase_add_test(tc, parse_dates);
    tcase_add_test(tc, utc_day_of_an_instant);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
