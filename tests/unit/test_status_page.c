/* Unit tests for lib/status/kf_status_page.c: what the operator's status page says. */
#include "kf_check.h"
#include "kf_status_page.h"
#include "kf_version.h"

#include <string.h>

static int has(const char *text, const char *line)
{
    return strstr(text, line) != NULL;
}

START_TEST(the_counters_with_their_help)
{
    kf_status_text *t = kf_status_text_make(pool);
    kf_status_counts c;
    memset(&c, 0, sizeof(c));
    c.requests[KF_STATUS_CLASS_PUBLIC].count[KF_STATUS_2XX] = 7;
    c.requests[KF_STATUS_CLASS_ADMIN].count[KF_STATUS_5XX] = 1;
    c.requests[KF_STATUS_CLASS_PUBLIC].bucket[0] = 5;
    c.requests[KF_STATUS_CLASS_PUBLIC].bucket[KF_STATUS_BUCKET_COUNT] = 2;
    c.requests[KF_STATUS_CLASS_PUBLIC].sum_us = 3500000;
    c.cache_hits = 40;
    c.cache_misses = 3;
    c.rate_limited = 2;
    c.db_in_use = 4;
    c.since = 1795000000;
    kf_status_page_counts(t, &c);
    const char *text = kf_status_text_join(t);
    ck_assert(has(text, "# TYPE konfirmado_requests_total counter\n"));
    ck_assert(has(text, "konfirmado_requests_total{class=\"public\",status=\"2xx\"} 7\n"));
    ck_assert(has(text, "konfirmado_requests_total{class=\"admin\",status=\"5xx\"} 1\n"));
    ck_assert(has(text, "konfirmado_requests_total{class=\"unrouted\",status=\"4xx\"} 0\n"));
    ck_assert(has(text, "konfirmado_request_duration_seconds_bucket{class=\"public\",le=\"+Inf\"} 7\n"));
    ck_assert(has(text, "konfirmado_request_duration_seconds_sum{class=\"public\"} 3.500000\n"));
    ck_assert(has(text, "# HELP konfirmado_cache_hits_total Availability answers served from "
                        "the shared cache.\n"));
    ck_assert(has(text, "konfirmado_cache_hits_total 40\n"));
    ck_assert(has(text, "konfirmado_cache_misses_total 3\n"));
    ck_assert(has(text, "konfirmado_rate_limited_total 2\n"));
    ck_assert(has(text, "# TYPE konfirmado_db_pool_in_use gauge\nkonfirmado_db_pool_in_use 4\n"));
    ck_assert(has(text, "konfirmado_counters_since_seconds 1795000000\n"));
}
END_TEST

START_TEST(the_database_as_the_scrape_found_it)
{
    kf_status_text *t = kf_status_text_make(pool);
    kf_status_page_database(t, 1, 54, 0);
    const char *text = kf_status_text_join(t);
    ck_assert(has(text, "konfirmado_database_up 1\n"));
    ck_assert(has(text, apr_psprintf(pool, "konfirmado_build_info{version=\"%s\",schema=\"%d\"} 1\n",
                                     KF_VERSION, KF_SCHEMA_VERSION)));
    ck_assert(has(text, "konfirmado_database_schema_version 54\n"));
    ck_assert(has(text, "konfirmado_schema_outdated 0\n"));

    kf_status_text *down = kf_status_text_make(pool);
    kf_status_page_database(down, 0, -1, 0);
    text = kf_status_text_join(down);
    ck_assert(has(text, "konfirmado_database_up 0\n"));
    ck_assert(!has(text, "konfirmado_database_schema_version"));

    kf_status_text *old = kf_status_text_make(pool);
    kf_status_page_database(old, 1, 40, 1);
    ck_assert(has(kf_status_text_join(old), "konfirmado_schema_outdated 1\n"));
}
END_TEST

START_TEST(queues_and_failed_deliveries_by_name)
{
    kf_status_text *t = kf_status_text_make(pool);
    /* as the statements answer them: the lag in microseconds, none due (NULL) as 0 */
    const char *const mails[] = {"mails", "3", "2500000"},
                      *const callbacks[] = {"callbacks", "0", NULL};
    const char *const *const queues[] = {mails, callbacks};
    const char *const mail[] = {"mail", "1"}, *const callback[] = {"callback", "12"};
    const char *const *const failed[] = {mail, callback};
    kf_status_page_queues(t, queues, 2);
    kf_status_page_failed(t, failed, 2);
    const char *text = kf_status_text_join(t);
    ck_assert(has(text, "konfirmado_job_queue{job=\"mails\"} 3\n"));
    ck_assert(has(text, "konfirmado_job_queue{job=\"callbacks\"} 0\n"));
    ck_assert(has(text, "konfirmado_job_lag_seconds{job=\"mails\"} 2.500000\n"));
    ck_assert(has(text, "konfirmado_job_lag_seconds{job=\"callbacks\"} 0.000000\n"));
    ck_assert(has(text, "konfirmado_deliveries_failed_total{channel=\"callback\"} 12\n"));
    /* no queue rows: the families are still there, empty */
    kf_status_text *none = kf_status_text_make(pool);
    kf_status_page_queues(none, NULL, 0);
    ck_assert(has(kf_status_text_join(none), "# TYPE konfirmado_job_queue gauge\n"));
}
END_TEST

/* Every retried fault is a reason, 0 when no mail waits for it; a fault failed for good is
 * not one (those mails are counted as failed deliveries). */
START_TEST(mails_retrying_by_the_fault_of_their_last_attempt)
{
    kf_status_text *t = kf_status_text_make(pool);
    const char *const sender[] = {"sender", "4"}, *const recipient[] = {"recipient", "9"},
                      *const none[] = {NULL, "1"};
    const char *const *const rows[] = {sender, recipient, none};
    kf_status_page_mail_retrying(t, rows, 3);
    const char *text = kf_status_text_join(t);
    ck_assert(has(text, "# TYPE konfirmado_mail_retrying gauge\n"));
    ck_assert(has(text, "konfirmado_mail_retrying{reason=\"sender\"} 4\n"));
    ck_assert(has(text, "konfirmado_mail_retrying{reason=\"busy\"} 0\n"));
    ck_assert(has(text, "konfirmado_mail_retrying{reason=\"unreachable\"} 0\n"));
    ck_assert(!has(text, "recipient"));
    ck_assert(!has(text, "unsendable"));
}
END_TEST

START_TEST(checkouts_not_made_by_provider)
{
    kf_status_text *t = kf_status_text_make(pool);
    const char *const stripe[] = {"stripe", "3"}, *const gone[] = {"gone", "9"};
    const char *const *const rows[] = {stripe, gone};
    kf_status_page_provider_errors(t, rows, 2);
    const char *text = kf_status_text_join(t);
    ck_assert(has(text, "# TYPE konfirmado_payment_provider_errors gauge\n"));
    ck_assert(has(text, "konfirmado_payment_provider_errors{provider=\"stripe\"} 3\n"));
    ck_assert(has(text, "konfirmado_payment_provider_errors{provider=\"wompi\"} 0\n"));
    ck_assert(has(text, "konfirmado_payment_provider_errors{provider=\"airwallex\"} 0\n"));
    ck_assert(!has(text, "gone"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("status_page");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_counters_with_their_help);
    tcase_add_test(tc, the_database_as_the_scrape_found_it);
    tcase_add_test(tc, queues_and_failed_deliveries_by_name);
    tcase_add_test(tc, mails_retrying_by_the_fault_of_their_last_attempt);
    tcase_add_test(tc, checkouts_not_made_by_provider);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
