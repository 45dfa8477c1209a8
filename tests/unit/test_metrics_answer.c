/* Unit tests for lib/operations/kf_metrics_answer.c: what the merchant's metrics show for a
 * range, from the statement's row. */
#include "kf_check.h"
#include "kf_metrics_answer.h"
#include "kf_json.h"

START_TEST(funnel_conversions_days_and_percentiles)
{
    const char *row[KF_METRICS_COLUMNS] = {
        "200", "50", "40", "20", "10", "2026-11-01,3,15000;2026-11-02,0,0", "2", "1",
        "26.6666", "12.04", "80.96", NULL, NULL, "COP", "3", "1", NULL, NULL};
    json_t *out = kf_metrics_answer_json("2026-11-01", "2026-11-02", row);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "funnel")),
                     "{\"link_viewed\":200,\"slot_held\":50,\"details_entered\":40,"
                     "\"payment_started\":20,\"payment_approved\":10}");
    json_t *conversion = json_object_get(out, "conversion");
    ck_assert_double_eq_tol(json_real_value(json_object_get(conversion, "view_to_hold")), 0.25, 1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(conversion, "hold_to_details")), 0.8, 1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(conversion, "details_to_payment")), 0.5, 1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(conversion, "payment_to_approved")), 0.5, 1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(conversion, "view_to_approved")), 0.05, 1e-9);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "bookings_per_day")),
                     "[{\"date\":\"2026-11-01\",\"count\":3,\"revenue\":{\"amount\":15000,"
                     "\"currency\":\"COP\"}},{\"date\":\"2026-11-02\",\"count\":0,"
                     "\"revenue\":{\"amount\":0,\"currency\":\"COP\"}}]");
    ck_assert_int_eq(json_integer_value(json_object_get(out, "cancellations")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(out, "reschedules")), 1);
    /* 1 missed of 4 marked appointments */
    ck_assert_int_eq(json_integer_value(json_object_get(out, "completed")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(out, "no_shows")), 1);
    ck_assert_double_eq_tol(json_real_value(json_object_get(out, "no_show_rate")), 0.25, 1e-9);
    /* one decimal; no callback attempted: null */
    ck_assert_double_eq_tol(json_real_value(json_object_get(out, "lead_time_hours_p50")), 26.7, 1e-9);
    json_t *webhook = json_object_get(out, "webhook_latency_ms");
    ck_assert_double_eq_tol(json_real_value(json_object_get(webhook, "p50")), 12.0, 1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(webhook, "p95")), 81.0, 1e-9);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "callback_latency_ms")),
                     "{\"p50\":null,\"p95\":null}");
    ck_assert_str_eq(json_string_value(json_object_get(out, "from")), "2026-11-01");
    json_decref(out);
}
END_TEST

START_TEST(no_visits_no_conversion)
{
    const char *row[KF_METRICS_COLUMNS] = {"0", "0", "0", "0", "0", NULL, "0", "0",
                                           NULL, NULL, NULL, NULL, NULL, "USD", "0", "0", NULL, NULL};
    json_t *out = kf_metrics_answer_json("2026-11-01", "2026-11-01", row);
    ck_assert(json_is_null(json_object_get(json_object_get(out, "conversion"), "view_to_hold")));
    /* nothing marked: no rate */
    ck_assert(json_is_null(json_object_get(out, "no_show_rate")));
    ck_assert_int_eq(json_array_size(json_object_get(out, "bookings_per_day")), 0);
    json_decref(out);
}
END_TEST

START_TEST(compared_with_the_previous_range)
{
    const char *now[KF_METRICS_COLUMNS] = {"30", "6", "5", "4", "3", "2026-11-01,2,20000;2026-11-02,1,10000",
        "1", "0", NULL, NULL, NULL, NULL, NULL, "COP", "2", "0", "COP:30000;USD:1500", "COP:5000"};
    const char *before[KF_METRICS_COLUMNS] = {"20", "4", "4", "2", "2", "2026-10-30,2,15000;2026-10-31,0,0",
        "0", "2", NULL, NULL, NULL, NULL, NULL, "COP", "0", "0", "COP:15000", NULL};
    json_t *out = kf_metrics_answer_json("2026-11-01", "2026-11-02", now);
    kf_metrics_answer_compare(out, kf_metrics_answer_json("2026-10-30", "2026-10-31", before));
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "revenue")),
                     "[{\"amount\":30000,\"currency\":\"COP\"},{\"amount\":1500,\"currency\":\"USD\"}]");
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "refunds")),
                     "[{\"amount\":5000,\"currency\":\"COP\"}]");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "previous"), "from")),
                     "2026-10-30");
    /* 3 bookings against 2, 30000 against 15000, views 30 against 20; no base: null */
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "trend")),
                     "{\"bookings\":50.0,\"revenue\":100.0,\"link_viewed\":50.0,"
                     "\"payment_approved\":50.0,\"cancellations\":null,\"reschedules\":-100.0,"
                     "\"completed\":null,\"no_shows\":null,\"rate_limited\":null,"
                     "\"calendar_failures\":null}");
    json_decref(out);
}
END_TEST

START_TEST(who_cancelled_reminders_failures_and_the_assistant)
{
    const char *row[KF_METRICS_COLUMNS] = {"10", "5", "4", "3", "2", NULL, "6", "1", "20", NULL,
        NULL, NULL, NULL, "EUR", "8", "4", NULL, NULL};
    row[KF_METRICS_COL_BY_CUSTOMER] = "3";
    row[KF_METRICS_COL_BY_MERCHANT] = "2";
    row[KF_METRICS_COL_BY_SYSTEM] = "1";
    row[KF_METRICS_COL_LEAD_AVG] = "30.04";
    row[KF_METRICS_COL_REMINDERS] = "9";
    /* of 8 completed and 4 no-shows, 6 and 1 had a reminder: 1 of 7 missed against 3 of 5 */
    row[KF_METRICS_COL_COMPLETED_REMINDED] = "6";
    row[KF_METRICS_COL_NO_SHOWS_REMINDED] = "1";
    row[KF_METRICS_COL_RATE_LIMITED] = "17";
    row[KF_METRICS_COL_CALENDAR_FAILURES] = "2";
    row[KF_METRICS_COL_OAUTH_FAILURES] = "1";
    row[KF_METRICS_COL_ASSISTANT_OPENED] = "12";
    row[KF_METRICS_COL_ASSISTANT_ANSWERED] = "7";
    row[KF_METRICS_COL_ASSISTANT_SLOT_PICKED] = "3";
    json_t *out = kf_metrics_answer_json("2026-11-01", "2026-11-07", row);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "cancellations_by")),
                     "{\"customer\":3,\"merchant\":2,\"system\":1}");
    ck_assert_int_eq(json_integer_value(json_object_get(out, "cancellations")), 6);
    ck_assert_double_eq_tol(json_real_value(json_object_get(out, "lead_time_hours_avg")), 30.0, 1e-9);
    json_t *reminders = json_object_get(out, "reminders");
    ck_assert_int_eq(json_integer_value(json_object_get(reminders, "sent")), 9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(reminders, "no_show_rate_reminded")),
                            1.0 / 7.0, 1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(reminders, "no_show_rate_not_reminded")),
                            3.0 / 5.0, 1e-9);
    ck_assert_int_eq(json_integer_value(json_object_get(out, "rate_limited")), 17);
    ck_assert_int_eq(json_integer_value(json_object_get(out, "calendar_failures")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(out, "oauth_failures")), 1);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "assistant")),
                     "{\"opened\":12,\"answered\":7,\"slot_picked\":3}");
    /* no group class started in the range: nothing to fill */
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "seat_fill")),
                     "{\"booked\":0,\"places\":0,\"rate\":null}");
    json_decref(out);
    /* two classes of 10 places, 6 and 9 booked */
    row[KF_METRICS_COL_SEATS_BOOKED] = "15";
    row[KF_METRICS_COL_SEATS_OFFERED] = "20";
    out = kf_metrics_answer_json("2026-11-01", "2026-11-07", row);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(out, "seat_fill")),
                     "{\"booked\":15,\"places\":20,\"rate\":0.75}");
    json_decref(out);
}
END_TEST

START_TEST(without_reminders_or_marks_the_rates_are_null)
{
    const char *row[KF_METRICS_COLUMNS] = {"0", "0", "0", "0", "0", NULL, "0", "0", NULL, NULL,
        NULL, NULL, NULL, "COP", "2", "0", NULL, NULL};
    /* every completed appointment was reminded: no base without a reminder */
    row[KF_METRICS_COL_COMPLETED_REMINDED] = "2";
    json_t *out = kf_metrics_answer_json("2026-11-01", "2026-11-01", row);
    json_t *reminders = json_object_get(out, "reminders");
    ck_assert_double_eq_tol(json_real_value(json_object_get(reminders, "no_show_rate_reminded")), 0.0, 1e-9);
    ck_assert(json_is_null(json_object_get(reminders, "no_show_rate_not_reminded")));
    ck_assert(json_is_null(json_object_get(out, "lead_time_hours_avg")));
    ck_assert_int_eq(json_integer_value(json_object_get(reminders, "sent")), 0);
    json_decref(out);
}
END_TEST

/* The query as the merchant's dashboard sends it: an empty parameter is one not given. */
START_TEST(the_query_reads_empty_parameters_as_absent)
{
    apr_table_t *t = apr_table_make(pool, 4);
    apr_table_set(t, "period", "7d");
    apr_table_set(t, "from", "");
    apr_table_set(t, "to", "");
    apr_table_set(t, "service", "");
    kf_metrics_query q;
    const char *why = NULL;
    ck_assert_ptr_null(kf_metrics_query_of(pool, t, "2026-11-10", &q, &why));
    ck_assert_str_eq(q.from, "2026-11-04");
    ck_assert_str_eq(q.to, "2026-11-10");
    ck_assert_ptr_null(q.service);
    apr_table_set(t, "from", "2026-11-01");
    ck_assert_str_eq(kf_metrics_query_of(pool, t, "2026-11-10", &q, &why), "period");
    ck_assert_str_eq(why, "param_period_and_range");
    apr_table_clear(t);
    apr_table_set(t, "professional", "someone");
    ck_assert_str_eq(kf_metrics_query_of(pool, t, "2026-11-10", &q, &why), "professional");
    ck_assert_str_eq(why, "param_id");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metrics_answer");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, funnel_conversions_days_and_percentiles);
    tcase_add_test(tc, no_visits_no_conversion);
    tcase_add_test(tc, compared_with_the_previous_range);
    tcase_add_test(tc, who_cancelled_reminders_failures_and_the_assistant);
    tcase_add_test(tc, without_reminders_or_marks_the_rates_are_null);
    tcase_add_test(tc, the_query_reads_empty_parameters_as_absent);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
