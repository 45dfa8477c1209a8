/* Unit tests for lib/availability/kf_zone.c: TZif zones of the system's tzdata against the C library's
 * own reading of the same files, PostgreSQL's answers in gaps and overlaps (the expected
 * instants below were printed by PostgreSQL 15's `timestamp AT TIME ZONE`), and the POSIX
 * footer alone against a full table. */
#include "kf_check_zone.h"
#include "kf_time.h"

#include <apr_file_io.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static apr_int64_t utc(int y, int mo, int d, int h, int mi)
{
    return kf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* PostgreSQL: (local::timestamp AT TIME ZONE zone) */
static void expect_instant(const char *name, int y, int mo, int d, int h, int mi,
                           apr_int64_t want)
{
    apr_int64_t got = kf_zone_instant(zone(name), utc(y, mo, d, h, mi));
    ck_assert_msg(got == want, "%s %04d-%02d-%02d %02d:%02d: got %lld, want %lld", name, y, mo,
                  d, h, mi, (long long)got, (long long)want);
}

START_TEST(gaps_and_overlaps_as_postgresql)
{
    /* New York, spring forward 2026-03-08 02:00 EST: 02:30 does not exist (before offset) */
    expect_instant("America/New_York", 2026, 3, 8, 1, 59, utc(2026, 3, 8, 6, 59));
    expect_instant("America/New_York", 2026, 3, 8, 2, 0, utc(2026, 3, 8, 7, 0));
    expect_instant("America/New_York", 2026, 3, 8, 2, 30, utc(2026, 3, 8, 7, 30));
    expect_instant("America/New_York", 2026, 3, 8, 3, 0, utc(2026, 3, 8, 7, 0));
    /* fall back 2026-11-01 02:00 EDT: 01:00-01:59 twice (after offset) */
    expect_instant("America/New_York", 2026, 11, 1, 0, 59, utc(2026, 11, 1, 4, 59));
    expect_instant("America/New_York", 2026, 11, 1, 1, 0, utc(2026, 11, 1, 6, 0));
    expect_instant("America/New_York", 2026, 11, 1, 1, 30, utc(2026, 11, 1, 6, 30));
    expect_instant("America/New_York", 2026, 11, 1, 2, 0, utc(2026, 11, 1, 7, 0));
    /* past the fat file's table (2037): the footer's rule */
    expect_instant("America/New_York", 2045, 3, 12, 2, 30, utc(2045, 3, 12, 7, 30));
    expect_instant("America/New_York", 2045, 11, 5, 1, 30, utc(2045, 11, 5, 6, 30));
    /* Lord Howe: half-hour changes */
    expect_instant("Australia/Lord_Howe", 2026, 10, 4, 2, 0, utc(2026, 10, 3, 15, 30));
    expect_instant("Australia/Lord_Howe", 2026, 10, 4, 2, 15, utc(2026, 10, 3, 15, 45));
    expect_instant("Australia/Lord_Howe", 2026, 10, 4, 2, 30, utc(2026, 10, 3, 15, 30));
    expect_instant("Australia/Lord_Howe", 2026, 4, 5, 1, 45, utc(2026, 4, 4, 15, 15));
    expect_instant("Australia/Lord_Howe", 2026, 4, 5, 2, 0, utc(2026, 4, 4, 15, 30));
    /* Moscow 2014: standard time to standard time, back an hour */
    expect_instant("Europe/Moscow", 2014, 10, 26, 0, 30, utc(2014, 10, 25, 20, 30));
    expect_instant("Europe/Moscow", 2014, 10, 26, 1, 30, utc(2014, 10, 25, 22, 30));
    expect_instant("Europe/Moscow", 2014, 10, 26, 2, 0, utc(2014, 10, 25, 23, 0));
    /* no changes at all */
    expect_instant("America/Bogota", 2026, 6, 1, 9, 0, utc(2026, 6, 1, 14, 0));
    expect_instant("UTC", 2026, 6, 1, 9, 0, utc(2026, 6, 1, 9, 0));
}
END_TEST

/* glibc reads the same files (footer included); its offsets are the oracle. */
START_TEST(offsets_match_the_c_library)
{
    static const char *zones[] = {"America/New_York", "America/Bogota", "Europe/London",
                                  "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago",
                                  "Asia/Tehran", "Pacific/Chatham", "Europe/Moscow",
                                  "Africa/Casablanca", "America/Sao_Paulo", "Asia/Kolkata"};
    const char *old = getenv("TZ");
    for (size_t i = 0; i < sizeof(zones) / sizeof(*zones); i++) {
        const kf_zone *z = zone(zones[i]);
        char tz[128];
        snprintf(tz, sizeof(tz), ":" ZONEINFO "/%s", zones[i]);
        setenv("TZ", tz, 1);
        tzset();
        /* one assertion per zone: Check writes a message per assertion */
        apr_int64_t first_wrong = 0;
        for (apr_int64_t t = utc(1975, 1, 1, 0, 0); t < utc(2090, 1, 1, 0, 0); t += 27 * 3600 + 17) {
            time_t tt = (time_t)t;
            struct tm tm;
            localtime_r(&tt, &tm);
            if (kf_zone_offset(z, t) != tm.tm_gmtoff && !first_wrong) {
                first_wrong = t;
            }
        }
        ck_assert_msg(!first_wrong, "%s at %lld", zones[i], (long long)first_wrong);
    }
    if (old) {
        setenv("TZ", old, 1);
    } else {
        unsetenv("TZ");
    }
    tzset();
}
END_TEST

/* A version-2 TZif with no transitions, one type and `footer`: what a zone is after its
 * last transition. */
static const kf_zone *footer_only(const char *footer, int offset)
{
    unsigned char buf[256];
    memset(buf, 0, sizeof(buf));
    size_t n = 0;
    for (int block = 0; block < 2; block++) {
        memcpy(buf + n, "TZif2", 5);
        buf[n + 39] = 1;   /* typecnt */
        buf[n + 43] = 4;   /* charcnt */
        n += 44;
        buf[n] = (unsigned char)((apr_uint32_t)offset >> 24);
        buf[n + 1] = (unsigned char)((apr_uint32_t)offset >> 16);
        buf[n + 2] = (unsigned char)((apr_uint32_t)offset >> 8);
        buf[n + 3] = (unsigned char)offset;
        memcpy(buf + n + 6, "STD", 4);   /* the type's designation */
        n += 10;
    }
    n += (size_t)snprintf((char *)buf + n, sizeof(buf) - n, "\n%s\n", footer);
    const char *why = NULL;
    const kf_zone *z = kf_zone_parse(pool, buf, n, &why);
    ck_assert_msg(z != NULL, "%s: %s", footer, why ? why : "?");
    return z;
}

START_TEST(the_footer_alone_agrees_with_the_table)
{
    static const struct {
        const char *name, *footer;
        int std;
        int from_year;
    } cases[] = {
        {"America/New_York", "EST5EDT,M3.2.0,M11.1.0", -5 * 3600, 2008},
        {"Europe/London", "GMT0BST,M3.5.0/1,M10.5.0", 0, 1997},
        {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3", 10 * 3600, 2009},
        {"Australia/Lord_Howe", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 37800, 2009},
        {"Pacific/Chatham", "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 45900, 2008},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const kf_zone *table = zone(cases[i].name);
        const kf_zone *rule = footer_only(cases[i].footer, cases[i].std);
        apr_int64_t first_wrong = 0;
        /* every quarter hour of the rule's first two years and of 2035-2036 */
        for (apr_int64_t t = utc(cases[i].from_year, 1, 1, 0, 0); t < utc(2037, 1, 1, 0, 0);
             t += t == utc(cases[i].from_year + 2, 1, 1, 0, 0) ? utc(2035, 1, 1, 0, 0) - t : 15 * 60) {
            if ((kf_zone_offset(rule, t) != kf_zone_offset(table, t) ||
                 kf_zone_instant(rule, t) != kf_zone_instant(table, t)) && !first_wrong) {
                first_wrong = t;
            }
        }
        ck_assert_msg(!first_wrong, "%s at %lld", cases[i].name, (long long)first_wrong);
    }
}
END_TEST

START_TEST(changes_over_a_period)
{
    apr_array_header_t *c = apr_array_make(pool, 4, sizeof(kf_tz_change));
    /* New York, 2026-03-01 .. 2026-11-30: the offset at the start, then two changes */
    kf_zone_changes(zone("America/New_York"), utc(2026, 3, 1, 5, 0), utc(2026, 11, 30, 5, 0), c);
    ck_assert_int_eq(c->nelts, 3);
    kf_tz_change *e = (kf_tz_change *)c->elts;
    ck_assert_int_eq(e[0].at, utc(2026, 3, 1, 5, 0));
    ck_assert_int_eq(e[0].offset, -5 * 3600);
    ck_assert_int_eq(e[1].at, utc(2026, 3, 8, 7, 0));
    ck_assert_int_eq(e[1].offset, -4 * 3600);
    ck_assert_int_eq(e[2].at, utc(2026, 11, 1, 6, 0));
    ck_assert_int_eq(e[2].offset, -5 * 3600);
    /* a zone without changes: only the first */
    c->nelts = 0;
    kf_zone_changes(zone("America/Bogota"), utc(2026, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0), c);
    ck_assert_int_eq(c->nelts, 1);
    ck_assert_int_eq(((kf_tz_change *)c->elts)[0].offset, -5 * 3600);
}
END_TEST

START_TEST(names_and_files)
{
    const char *why = NULL;
    ck_assert(kf_zone_name_ok("America/Argentina/Buenos_Aires"));
    ck_assert(kf_zone_name_ok("EST5EDT"));
    ck_assert(kf_zone_name_ok("Etc/GMT+5"));
    ck_assert(!kf_zone_name_ok("+05:00"));
    ck_assert(!kf_zone_name_ok("../etc/passwd"));
    ck_assert(!kf_zone_name_ok("America/../../etc"));
    ck_assert(!kf_zone_name_ok("America//Bogota"));
    ck_assert(!kf_zone_name_ok("America/"));
    ck_assert(!kf_zone_name_ok("/etc/passwd"));
    ck_assert(!kf_zone_name_ok(""));
    ck_assert(!kf_zone_name_ok(NULL));
    ck_assert(!kf_zone_name_ok("Ámerica/Bogotá"));
    /* PostgreSQL's names match whatever the case */
    ck_assert_int_eq(kf_zone_offset(zone("america/bogota"), 0), -5 * 3600);
    ck_assert_ptr_null(kf_zone_load(pool, ZONEINFO, "Nowhere/Zone", &why));
    ck_assert_str_eq(why, "no such zone");
    ck_assert_ptr_null(kf_zone_load(pool, ZONEINFO, "America", &why));   /* a directory */
    ck_assert_ptr_null(kf_zone_load(pool, ZONEINFO, "right/America/New_York", &why));
    ck_assert_str_eq(why, "zone with leap seconds");
    ck_assert_ptr_null(kf_zone_parse(pool, (const unsigned char *)"TZif2", 5, &why));
    ck_assert_ptr_null(kf_zone_parse(pool, (const unsigned char *)"not a zone at all, really "
                                     "not a zone at all, really", 52, &why));
}
END_TEST

START_TEST(truncated_files_are_refused)
{
    apr_size_t len = 0;
    apr_file_t *f;
    apr_finfo_t fi;
    ck_assert_int_eq(apr_file_open(&f, ZONEINFO "/America/New_York", APR_FOPEN_READ,
                                   APR_FPROT_OS_DEFAULT, pool), APR_SUCCESS);
    apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    unsigned char *buf = apr_palloc(pool, (apr_size_t)fi.size);
    apr_file_read_full(f, buf, (apr_size_t)fi.size, &len);
    apr_file_close(f);
    const char *why = NULL;
    ck_assert_ptr_nonnull(kf_zone_parse(pool, buf, len, &why));
    apr_size_t accepted = 0;
    for (apr_size_t cut = 0; cut + 40 < len; cut += 7) {
        /* every prefix short of the footer's end is malformed, never read past */
        accepted += kf_zone_parse(pool, buf, cut, &why) != NULL;
    }
    ck_assert_int_eq(accepted, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("zone");
    TCase *tc = tcase_create("zone");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, gaps_and_overlaps_as_postgresql);
    tcase_add_test(tc, offsets_match_the_c_library);
    tcase_add_test(tc, the_footer_alone_agrees_with_the_table);
    tcase_add_test(tc, changes_over_a_period);
    tcase_add_test(tc, names_and_files);
    tcase_add_test(tc, truncated_files_are_refused);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
