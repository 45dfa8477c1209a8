/* Unit tests for lib/privacy/kf_privacy.c: when personal data comes due for erasure, the
 * tombstone, the address a merchant names, and the export as CSV. */
#include "kf_check.h"
#include <stdlib.h>
#include <string.h>

#include "kf_privacy.h"
#include "kf_time.h"

static apr_int64_t at(const char *rfc3339)
{
    apr_int64_t t = 0;
    ck_assert_int_eq(kf_time_parse_rfc3339(rfc3339, &t), KF_TIME_OK);
    return t;
}

static const char *utc(apr_int64_t t)
{
    char *buf = apr_palloc(pool, KF_TIME_UTC_LEN + 1);
    kf_time_format_utc(buf, t);
    return buf;
}

START_TEST(the_cutoff_is_calendar_months_before_now)
{
    ck_assert_str_eq(utc(kf_privacy_retention_cutoff(at("2026-11-25T19:40:00Z"), 24)),
                     "2024-11-25T19:40:00Z");
    ck_assert_str_eq(utc(kf_privacy_retention_cutoff(at("2026-01-15T00:00:00Z"), 1)),
                     "2025-12-15T00:00:00Z");
    ck_assert_str_eq(utc(kf_privacy_retention_cutoff(at("2026-03-01T08:00:00Z"), 120)),
                     "2016-03-01T08:00:00Z");
}
END_TEST

START_TEST(a_shorter_month_keeps_its_last_day)
{
    ck_assert_str_eq(utc(kf_privacy_retention_cutoff(at("2026-03-31T10:00:00Z"), 1)),
                     "2026-02-28T10:00:00Z");
    ck_assert_str_eq(utc(kf_privacy_retention_cutoff(at("2028-03-31T10:00:00Z"), 1)),
                     "2028-02-29T10:00:00Z");
    ck_assert_str_eq(utc(kf_privacy_retention_cutoff(at("2026-12-31T23:59:59Z"), 6)),
                     "2026-06-30T23:59:59Z");
}
END_TEST

START_TEST(a_booking_is_due_once_its_end_is_that_old)
{
    apr_int64_t now = at("2026-11-25T12:00:00Z");
    ck_assert_int_eq(kf_privacy_retention_due(at("2024-11-25T12:00:00Z"), 24, now), 1);
    ck_assert_int_eq(kf_privacy_retention_due(at("2024-11-25T11:59:59Z"), 24, now), 1);
    ck_assert_int_eq(kf_privacy_retention_due(at("2024-11-25T12:00:01Z"), 24, now), 0);
    ck_assert_int_eq(kf_privacy_retention_due(at("2026-10-25T12:00:00Z"), 1, now), 1);
    ck_assert_int_eq(kf_privacy_retention_due(at("2026-11-01T12:00:00Z"), 1, now), 0);
    /* the same booking later on is due too */
    ck_assert_int_eq(kf_privacy_retention_due(at("2026-11-01T12:00:00Z"), 1,
                                              at("2026-12-01T12:00:00Z")), 1);
}
END_TEST

START_TEST(a_request_is_carried_out_after_its_days_unless_zero)
{
    apr_int64_t now = at("2026-11-25T12:00:00Z");
    ck_assert_int_eq(kf_privacy_request_due(at("2026-10-26T12:00:00Z"), 30, now), 1);
    ck_assert_int_eq(kf_privacy_request_due(at("2026-10-26T12:00:01Z"), 30, now), 0);
    ck_assert_int_eq(kf_privacy_request_due(at("2026-11-24T12:00:00Z"), 1, now), 1);
    /* 0: only the merchant's confirmation, however old */
    ck_assert_int_eq(kf_privacy_request_due(at("2016-01-01T00:00:00Z"), 0, now), 0);
    int never = 0;
    kf_privacy_request_cutoff(now, 0, &never);
    ck_assert_int_eq(never, 1);
    kf_privacy_request_cutoff(now, 7, &never);
    ck_assert_int_eq(never, 0);
}
END_TEST

START_TEST(an_abandoned_booking_waits_thirty_days)
{
    ck_assert_str_eq(utc(kf_privacy_abandoned_cutoff(at("2026-11-25T12:00:00Z"))),
                     "2026-10-26T12:00:00Z");
    ck_assert_str_eq(utc(kf_privacy_abandoned_cutoff(at("2026-03-15T00:30:00Z"))),
                     "2026-02-13T00:30:00Z");
}
END_TEST

START_TEST(the_tombstone_passes_the_columns_rules_and_is_nobody)
{
    ck_assert_int_ge((int)strlen(KF_PRIVACY_TOMBSTONE_NAME), 2);
    ck_assert_ptr_null(kf_privacy_email_check(KF_PRIVACY_TOMBSTONE_EMAIL));
    /* .invalid never resolves (RFC 2606): no mail can reach anybody */
    ck_assert_ptr_nonnull(strstr(KF_PRIVACY_TOMBSTONE_EMAIL, ".invalid"));
    ck_assert_str_eq(KF_PRIVACY_TOMBSTONE_PHONE, "+00000000");
    ck_assert_int_le(KF_PRIVACY_RETENTION_MIN, KF_PRIVACY_RETENTION_DEFAULT);
    ck_assert_int_le(KF_PRIVACY_RETENTION_DEFAULT, KF_PRIVACY_RETENTION_MAX);
}
END_TEST

START_TEST(the_address_named_must_be_one)
{
    ck_assert_ptr_null(kf_privacy_email_check("ana@example.co"));
    ck_assert_str_eq(kf_privacy_email_check(NULL), "field_required");
    ck_assert_str_eq(kf_privacy_email_check(""), "field_required");
    ck_assert_str_eq(kf_privacy_email_check("ana"), "customer_email_invalid");
    ck_assert_str_eq(kf_privacy_email_check("ana@x"), "customer_email_invalid");
}
END_TEST

START_TEST(the_erasing_statements_are_given_their_cutoffs_and_the_tombstone)
{
    apr_int64_t now = at("2026-03-31T10:00:00Z");
    const char *r[KF_PRIVACY_RETENTION_ARGS];
    kf_privacy_retention_args(pool, now, "1", r);
    ck_assert_str_eq(r[0], "1");
    ck_assert_str_eq(r[1], "2026-02-28T10:00:00Z");
    ck_assert_str_eq(r[2], r[1]);
    ck_assert_str_eq(r[3], KF_PRIVACY_TOMBSTONE_NAME);
    ck_assert_str_eq(r[5], KF_PRIVACY_TOMBSTONE_PHONE);
    const char *a[KF_PRIVACY_ABANDONED_ARGS];
    kf_privacy_abandoned_args(pool, now, a);
    ck_assert_str_eq(a[0], utc(now - KF_PRIVACY_ABANDONED_DAYS * 86400));
    ck_assert_str_eq(a[2], KF_PRIVACY_TOMBSTONE_EMAIL);
    const char *q[KF_PRIVACY_REQUESTS_ARGS];
    ck_assert(kf_privacy_requests_args(pool, now, "30", q));
    ck_assert_str_eq(q[0], "30");
    ck_assert_str_eq(q[1], "2026-03-01T10:00:00Z");
    ck_assert(!kf_privacy_requests_args(pool, now, "0", q));
}
END_TEST

START_TEST(an_erasure_names_one_address_and_tells_how_many)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *ok = json_pack("{s:s}", "email", "ana@example.co");
    json_t *bad = json_pack("{s:s}", "email", "ana");
    ck_assert_str_eq(kf_privacy_erase_read(&f, ok), "ana@example.co");
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(kf_privacy_erase_read(&f, bad));
    ck_assert(kf_fields_has(&f, "email"));
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_ptr_null(kf_privacy_erase_read(&f, NULL));
    ck_assert(kf_fields_has(&f, "email"));
    json_decref(ok);
    json_decref(bad);
    json_t *out = kf_privacy_erased_json(3, json_pack("{s:s}", "id", "x"));
    char *text = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_str_eq(text, "{\"erased_bookings\":3,\"request\":{\"id\":\"x\"}}");
    free(text);
    json_decref(out);
}
END_TEST

/* The merchant's export names one valid address and asks JSON (the default) or CSV. */
START_TEST(the_export_query_names_an_address_and_a_format)
{
    apr_table_t *t = apr_table_make(pool, 2);
    kf_privacy_export_query q;
    const char *why = NULL;
    ck_assert_str_eq(kf_privacy_export_query_read(t, &q, &why), "email");
    ck_assert_str_eq(why, "field_required");
    apr_table_set(t, "email", "ana");
    ck_assert_str_eq(kf_privacy_export_query_read(t, &q, &why), "email");
    ck_assert_str_eq(why, "customer_email_invalid");
    apr_table_set(t, "email", "ana@example.co");
    ck_assert_ptr_null(kf_privacy_export_query_read(t, &q, &why));
    ck_assert_str_eq(q.email, "ana@example.co");
    ck_assert_int_eq(q.csv, 0);
    apr_table_set(t, "format", "csv");
    ck_assert_ptr_null(kf_privacy_export_query_read(t, &q, &why));
    ck_assert_int_eq(q.csv, 1);
    apr_table_set(t, "format", "json");
    ck_assert_ptr_null(kf_privacy_export_query_read(t, &q, &why));
    ck_assert_int_eq(q.csv, 0);
    apr_table_set(t, "format", "xml");
    ck_assert_str_eq(kf_privacy_export_query_read(t, &q, &why), "format");
    ck_assert_str_eq(why, "privacy_export_format");
}
END_TEST

/* A customer's pending request as the portal shows it: when it is carried out by itself, or
 * null (the merchant's confirmation only); none at all is null. */
START_TEST(a_pending_request_tells_when_it_is_carried_out)
{
    json_t *j = kf_privacy_pending_json("e1", "2026-02-01T10:00:00Z");
    char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_str_eq(text, "{\"erases_automatically_at\":\"2026-02-01T10:00:00Z\","
                           "\"id\":\"e1\",\"status\":\"pending\"}");
    free(text);
    json_decref(j);
    j = kf_privacy_pending_json("e2", NULL);
    ck_assert(json_is_null(json_object_get(j, "erases_automatically_at")));
    json_decref(j);
    j = kf_privacy_pending_json(NULL, NULL);
    ck_assert(json_is_null(j));
    json_decref(j);
}
END_TEST

/* The merchant's list of requests: each row is one request's JSON, in the rows' order. */
START_TEST(the_requests_list_is_its_rows)
{
    const char *one[] = {"{\"id\": \"e1\", \"status\": \"pending\"}"};
    const char *two[] = {"{\"id\": \"e2\", \"status\": \"erased\"}"};
    const char *const *rows[] = {one, two};
    json_t *j = kf_privacy_requests_json(rows, 2);
    char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_str_eq(text, "{\"items\":[{\"id\":\"e1\",\"status\":\"pending\"},"
                           "{\"id\":\"e2\",\"status\":\"erased\"}]}");
    free(text);
    json_decref(j);
    j = kf_privacy_requests_json(NULL, 0);
    ck_assert_int_eq(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
}
END_TEST

START_TEST(the_export_csv_has_one_record_per_value)
{
    json_error_t e;
    json_t *export = json_loads(
        "{\"email\": \"ana@example.co\","
        " \"bookings\": [{\"id\": \"b1\", \"status\": \"paid\", \"customer\":"
        "   {\"name\": \"Ana, María\", \"phone\": \"+573001234567\"}, \"amount\": 50000}],"
        " \"consents\": [{\"booking_id\": \"b1\", \"accepted\": true}],"
        " \"messages\": []}", 0, &e);
    ck_assert_ptr_nonnull(export);
    const char *csv = kf_privacy_export_csv(pool, export);
    ck_assert_str_eq(csv,
                     "\xEF\xBB\xBF" "section,id,field,value\r\n"
                     "bookings,b1,id,b1\r\n"
                     "bookings,b1,status,paid\r\n"
                     "bookings,b1,customer.name,\"Ana, María\"\r\n"
                     "bookings,b1,customer.phone,'+573001234567\r\n"
                     "bookings,b1,amount,50000\r\n"
                     "consents,1,booking_id,b1\r\n"
                     "consents,1,accepted,true\r\n");
    json_decref(export);
}
END_TEST

START_TEST(an_empty_export_is_its_header)
{
    json_t *export = json_object();
    ck_assert_str_eq(kf_privacy_export_csv(pool, export),
                     "\xEF\xBB\xBF" "section,id,field,value\r\n");
    json_decref(export);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("privacy");
    TCase *tc = tcase_create("privacy");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_erasing_statements_are_given_their_cutoffs_and_the_tombstone);
    tcase_add_test(tc, an_erasure_names_one_address_and_tells_how_many);
    tcase_add_test(tc, the_export_query_names_an_address_and_a_format);
    tcase_add_test(tc, a_pending_request_tells_when_it_is_carried_out);
    tcase_add_test(tc, the_requests_list_is_its_rows);
    tcase_add_test(tc, the_cutoff_is_calendar_months_before_now);
    tcase_add_test(tc, a_shorter_month_keeps_its_last_day);
    tcase_add_test(tc, a_booking_is_due_once_its_end_is_that_old);
    tcase_add_test(tc, a_request_is_carried_out_after_its_days_unless_zero);
    tcase_add_test(tc, an_abandoned_booking_waits_thirty_days);
    tcase_add_test(tc, the_tombstone_passes_the_columns_rules_and_is_nobody);
    tcase_add_test(tc, the_address_named_must_be_one);
    tcase_add_test(tc, the_export_csv_has_one_record_per_value);
    tcase_add_test(tc, an_empty_export_is_its_header);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
