/* Unit tests for lib/requests/kf_query.c and lib/bookings/kf_booking_filter.c: query strings and the
 * filters of the admin bookings list. */
#include "kf_check.h"
#include <string.h>

#include "kf_booking_filter.h"
#include "kf_query.h"

#define UUID "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"

static apr_table_t *query(const char *args)
{
    apr_table_t *t = NULL;
    const char *bad = NULL;
    ck_assert_int_eq(kf_query_parse(pool, args, &t, &bad), KF_QUERY_OK);
    return t;
}

/* ---- kf_query_parse ---- */

START_TEST(query_decodes_pairs)
{
    apr_table_t *t = query("a=1&b=x%20y+z&c&d=&&e=%C3%B1%25_");
    ck_assert_str_eq(apr_table_get(t, "a"), "1");
    ck_assert_str_eq(apr_table_get(t, "b"), "x y z");
    ck_assert_str_eq(apr_table_get(t, "c"), "");
    ck_assert_str_eq(apr_table_get(t, "d"), "");
    ck_assert_str_eq(apr_table_get(t, "e"), "ñ%_");
    ck_assert_ptr_null(apr_table_get(t, "f"));
    ck_assert_int_eq(apr_table_elts(query(NULL))->nelts, 0);
    ck_assert_int_eq(apr_table_elts(query(""))->nelts, 0);
    ck_assert_str_eq(apr_table_get(query("q=a%3Db%26c"), "q"), "a=b&c");
}
END_TEST

START_TEST(query_refuses_bad_text)
{
    apr_table_t *t;
    const char *bad;
    ck_assert_int_eq(kf_query_parse(pool, "q=%zz", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_str_eq(bad, "q");
    ck_assert_int_eq(kf_query_parse(pool, "q=abc%4", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_int_eq(kf_query_parse(pool, "q=abc%", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_int_eq(kf_query_parse(pool, "q=a%00b", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_int_eq(kf_query_parse(pool, "q=%C3", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_int_eq(kf_query_parse(pool, "q=%FF%FE", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_int_eq(kf_query_parse(pool, "x%zz=1", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_str_eq(bad, "x%zz");
    ck_assert_int_eq(kf_query_parse(pool, "x%FF=1", &t, &bad), KF_QUERY_BAD_ENCODING);
    ck_assert_str_eq(bad, "x%FF");
    ck_assert_int_eq(kf_query_parse(pool, "a=1&b=2&a=3", &t, &bad), KF_QUERY_REPEATED);
    ck_assert_str_eq(bad, "a");
}
END_TEST

/* ---- pieces ---- */

START_TEST(query_positive_numbers)
{
    ck_assert_int_eq(kf_query_positive("1", 10), 1);
    ck_assert_int_eq(kf_query_positive("10", 10), 10);
    ck_assert_int_eq(kf_query_positive("11", 10), 0);
    ck_assert_int_eq(kf_query_positive("0", 10), 0);
    ck_assert_int_eq(kf_query_positive("-1", 10), 0);
    ck_assert_int_eq(kf_query_positive("2x", 10), 0);
    ck_assert_int_eq(kf_query_positive("", 10), 0);
    ck_assert_int_eq(kf_query_positive(NULL, 10), 0);
    ck_assert_int_eq(kf_query_positive("9999999999", 2147483647), 0);
}
END_TEST

START_TEST(like_patterns_escape_wildcards)
{
    ck_assert_str_eq(kf_like_contains(pool, "ana"), "%ana%");
    ck_assert_str_eq(kf_like_contains(pool, "100%"), "%100\\%%");
    ck_assert_str_eq(kf_like_contains(pool, "a_b"), "%a\\_b%");
    ck_assert_str_eq(kf_like_contains(pool, "c:\\x"), "%c:\\\\x%");
    ck_assert_str_eq(kf_like_contains(pool, ""), "%%");
}
END_TEST

START_TEST(statuses_are_the_schema_ones)
{
    ck_assert_int_eq(kf_booking_status_valid("paid", 4), 1);
    ck_assert_int_eq(kf_booking_status_valid("held", 4), 1);
    ck_assert_int_eq(kf_booking_status_valid("pending_payment", 15), 1);
    ck_assert_int_eq(kf_booking_status_valid("no_show", 7), 1);
    ck_assert_int_eq(kf_booking_status_valid("completed", 9), 1);
    ck_assert_int_eq(kf_booking_status_valid("paid,x", 4), 1);
    ck_assert_int_eq(kf_booking_status_valid("pai", 3), 0);
    ck_assert_int_eq(kf_booking_status_valid("PAID", 4), 0);
    ck_assert_int_eq(kf_booking_status_valid("", 0), 0);
}
END_TEST

/* ---- kf_booking_filter_parse ---- */

static int parse(const char *args, kf_booking_filter *f, const char **bad, const char **why)
{
    return kf_booking_filter_parse(pool, query(args), f, bad, why);
}

static void expect_refused(const char *args, const char *param, const char *reason)
{
    kf_booking_filter f;
    const char *bad, *why;
    ck_assert_msg(parse(args, &f, &bad, &why) == -1, "%s was accepted", args);
    ck_assert_str_eq(bad, param);
    ck_assert_str_eq(why, reason);
}

START_TEST(defaults_without_parameters)
{
    kf_booking_filter f;
    const char *bad, *why;
    ck_assert_int_eq(parse("", &f, &bad, &why), 0);
    ck_assert_ptr_null(f.statuses);
    ck_assert_ptr_null(f.service_id);
    ck_assert_ptr_null(f.professional_id);
    ck_assert_ptr_null(f.from);
    ck_assert_ptr_null(f.to);
    ck_assert_ptr_null(f.q_pattern);
    ck_assert_int_eq(f.page, 1);
    ck_assert_int_eq(f.per_page, KF_BOOKINGS_PER_PAGE_DEFAULT);
    /* empty values count as not given (forms send them) */
    ck_assert_int_eq(parse("status=&service=&q=&page=&per_page=&from=&to=", &f, &bad, &why), 0);
    ck_assert_ptr_null(f.statuses);
    ck_assert_ptr_null(f.q_pattern);
    ck_assert_int_eq(f.page, 1);
    /* unknown parameters are ignored */
    ck_assert_int_eq(parse("sort=start&x=1", &f, &bad, &why), 0);
}
END_TEST

START_TEST(every_filter_read)
{
    kf_booking_filter f;
    const char *bad, *why;
    ck_assert_int_eq(parse("status=paid,confirmed&service=" UUID "&professional=" UUID
                           "&from=2026-01-01&to=2026-01-01&q=50%25+off_&page=3&per_page=100",
                           &f, &bad, &why), 0);
    ck_assert_str_eq(f.statuses, "paid,confirmed");
    ck_assert_str_eq(f.service_id, UUID);
    ck_assert_str_eq(f.professional_id, UUID);
    ck_assert_str_eq(f.from, "2026-01-01");
    ck_assert_str_eq(f.to, "2026-01-01");
    ck_assert_str_eq(f.q_pattern, "%50\\% off\\_%");
    ck_assert_int_eq(f.page, 3);
    ck_assert_int_eq(f.per_page, 100);
    ck_assert_ptr_null(f.callback);
    /* payments: the merchant callback's status */
    ck_assert_int_eq(parse("callback=failed", &f, &bad, &why), 0);
    ck_assert_str_eq(f.callback, "failed");
    ck_assert_int_eq(parse("callback=delivered", &f, &bad, &why), 0);
    ck_assert_str_eq(f.callback, "delivered");
    ck_assert_int_eq(parse("callback=lost", &f, &bad, &why), -1);
    ck_assert_str_eq(bad, "callback");
    ck_assert_str_eq(why, "param_callback");
    /* the bookings whose money must go back */
    ck_assert_ptr_null(f.refund);
    ck_assert_int_eq(parse("refund=needed", &f, &bad, &why), 0);
    ck_assert_str_eq(f.refund, "needed");
    ck_assert_int_eq(parse("refund=yes", &f, &bad, &why), -1);
    ck_assert_str_eq(bad, "refund");
    ck_assert_str_eq(why, "param_refund");
    /* only the reservations a customer completed with their details */
    ck_assert_ptr_null(f.customer);
    ck_assert_int_eq(parse("customer=given", &f, &bad, &why), 0);
    ck_assert_str_eq(f.customer, "given");
    ck_assert_int_eq(parse("customer=any", &f, &bad, &why), -1);
    ck_assert_str_eq(bad, "customer");
    ck_assert_str_eq(why, "param_customer");
    ck_assert_int_eq(parse("status=held&per_page=1&page=1000000", &f, &bad, &why), 0);
    ck_assert_str_eq(f.statuses, "held");
    ck_assert_int_eq(f.page, 1000000);
}
END_TEST

START_TEST(bad_values_name_their_parameter)
{
    expect_refused("status=paid,", "status", "param_status");
    expect_refused("status=,paid", "status", "param_status");
    expect_refused("status=paid,,failed", "status", "param_status");
    expect_refused("status=Paid", "status", "param_status");
    expect_refused("status=paid%20", "status", "param_status");
    expect_refused("status=booked", "status", "param_status");
    expect_refused("service=abc", "service", "param_id");
    expect_refused("service=" UUID "x", "service", "param_id");
    expect_refused("professional=1", "professional", "param_id");
    expect_refused("from=2026-02-30", "from", "param_date");
    expect_refused("to=tomorrow", "to", "param_date");
    expect_refused("from=2026-02-02&to=2026-02-01", "to", "param_date_range");
    expect_refused("page=0", "page", "param_page");
    expect_refused("page=-1", "page", "param_page");
    expect_refused("page=1.5", "page", "param_page");
    expect_refused("page=+2", "page", "param_page");
    expect_refused("page=1000001", "page", "param_page");
    expect_refused("page=99999999999999999999", "page", "param_page");
    expect_refused("per_page=0", "per_page", "param_per_page");
    expect_refused("per_page=101", "per_page", "param_per_page");
    expect_refused("per_page=ten", "per_page", "param_per_page");
    /* 101 characters (accented letters count once) */
    char q[4 + 2 * 101 + 1] = "q=";
    for (int i = 0; i < 101; i++) {
        strcat(q, "ñ");
    }
    expect_refused(q, "q", "param_q");
    q[strlen(q) - 2] = '\0';   /* 100 characters are fine */
    kf_booking_filter f;
    const char *bad, *why;
    ck_assert_int_eq(parse(q, &f, &bad, &why), 0);
}
END_TEST

/* Every filter reaches the statement twice (its test and its value), q three times, and an
 * unset one is NULL, so the statement lists every booking that is not a hold. */
START_TEST(filter_arguments_follow_the_statement)
{
    kf_booking_filter f;
    const char *bad, *why, *args[1 + KF_BOOKING_FILTER_ARGS];
    ck_assert_int_eq(parse("service=" UUID "&q=ana&refund=needed&customer=given", &f, &bad, &why), 0);
    kf_booking_filter_args("tenant-1", &f, args);
    ck_assert_str_eq(args[0], "tenant-1");
    ck_assert_ptr_null(args[1]);
    ck_assert_ptr_null(args[2]);
    ck_assert_str_eq(args[3], UUID);
    ck_assert_str_eq(args[4], UUID);
    for (int i = 5; i <= 10; i++) {
        ck_assert_ptr_null(args[i]);
    }
    for (int i = 11; i <= 13; i++) {
        ck_assert_str_eq(args[i], "%ana%");
    }
    ck_assert_ptr_null(args[14]);
    ck_assert_ptr_null(args[15]);
    ck_assert_str_eq(args[16], "needed");
    ck_assert_str_eq(args[17], "given");
    ck_assert_int_eq(KF_BOOKING_FILTER_ARGS, 17);
}
END_TEST

START_TEST(the_raw_query_is_read_whole)
{
    kf_booking_filter f;
    const char *bad = NULL, *why = NULL;
    ck_assert_int_eq(kf_booking_filter_read(pool, "status=paid&page=2", 0, &f, &bad, &why), 0);
    ck_assert_str_eq(f.statuses, "paid");
    ck_assert_int_eq(f.page, 2);
    ck_assert_int_eq(kf_booking_filter_read(pool, NULL, 0, &f, &bad, &why), 0);
    ck_assert_int_eq(f.per_page, KF_BOOKINGS_PER_PAGE_DEFAULT);
    ck_assert_int_eq(kf_booking_filter_read(pool, "q=a&q=b", 0, &f, &bad, &why), -1);
    ck_assert_str_eq(bad, "q");
    ck_assert_str_eq(why, "param_repeated");
    ck_assert_int_eq(kf_booking_filter_read(pool, "q=%zz", 0, &f, &bad, &why), -1);
    ck_assert_str_eq(why, "param_encoding");
    /* the export ignores paging, even a bad one */
    ck_assert_int_eq(kf_booking_filter_read(pool, "page=0&per_page=1000", 1, &f, &bad, &why), 0);
    ck_assert_int_eq(kf_booking_filter_read(pool, "page=0", 0, &f, &bad, &why), -1);
    ck_assert_str_eq(bad, "page");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("booking_filter");
    TCase *tc = tcase_create("booking_filter");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, query_decodes_pairs);
    tcase_add_test(tc, query_refuses_bad_text);
    tcase_add_test(tc, query_positive_numbers);
    tcase_add_test(tc, like_patterns_escape_wildcards);
    tcase_add_test(tc, statuses_are_the_schema_ones);
    tcase_add_test(tc, defaults_without_parameters);
    tcase_add_test(tc, every_filter_read);
    tcase_add_test(tc, bad_values_name_their_parameter);
    tcase_add_test(tc, filter_arguments_follow_the_statement);
    tcase_add_test(tc, the_raw_query_is_read_whole);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
