/* Unit suite for lib/messaging/kf_deliveries.c: what the merchant's deliveries list accepts. */
#include "kf_check.h"
#include "kf_deliveries.h"

START_TEST(the_first_page_of_everything_by_default)
{
    kf_deliveries_query q;
    ck_assert_int_eq(kf_deliveries_query_read(NULL, NULL, NULL, &q), 1);
    ck_assert_ptr_null(q.status);
    ck_assert_int_eq(q.page, 1);
    ck_assert_int_eq(q.per_page, 50);
    ck_assert_int_eq(q.offset, 0);
}
END_TEST

START_TEST(a_state_and_a_page)
{
    kf_deliveries_query q;
    ck_assert_int_eq(kf_deliveries_query_read("failed", "3", "20", &q), 1);
    ck_assert_str_eq(q.status, "failed");
    ck_assert_int_eq(q.page, 3);
    ck_assert_int_eq(q.per_page, 20);
    ck_assert_int_eq(q.offset, 40);
    ck_assert_int_eq(kf_deliveries_query_read("pending", "100000", "100", &q), 1);
    ck_assert_int_eq(q.offset, 9999900);
    ck_assert_int_eq(kf_deliveries_query_read("sent", NULL, NULL, &q), 1);
    ck_assert_int_eq(kf_deliveries_query_read("suppressed", NULL, NULL, &q), 1);
}
END_TEST

START_TEST(anything_else_is_refused)
{
    kf_deliveries_query q;
    ck_assert_int_eq(kf_deliveries_query_read("queued", NULL, NULL, &q), 0);
    ck_assert_int_eq(kf_deliveries_query_read("", NULL, NULL, &q), 0);
    ck_assert_int_eq(kf_deliveries_query_read(NULL, "0", NULL, &q), 0);
    ck_assert_int_eq(kf_deliveries_query_read(NULL, "100001", NULL, &q), 0);
    ck_assert_int_eq(kf_deliveries_query_read(NULL, NULL, "101", &q), 0);
    ck_assert_int_eq(kf_deliveries_query_read(NULL, "-1", NULL, &q), 0);
    ck_assert_int_eq(kf_deliveries_query_read(NULL, NULL, "ten", &q), 0);
}
END_TEST

START_TEST(a_delivery_reads_with_nulls_for_what_it_lacks)
{
    const char *row[KF_DELIVERY_COLUMNS] = {
        "d1", "b1", "email", "booking_paid", "ana@example.com", NULL, "3", NULL, "pending", NULL,
    };
    json_t *item = kf_delivery_json(row);
    ck_assert_str_eq(json_string_value(json_object_get(item, "id")), "d1");
    ck_assert_str_eq(json_string_value(json_object_get(item, "to")), "ana@example.com");
    ck_assert(json_is_null(json_object_get(item, "error")));
    ck_assert(json_is_null(json_object_get(item, "last_attempt_at")));
    ck_assert_int_eq(json_integer_value(json_object_get(item, "attempts")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(item, "status")), "pending");
    ck_assert(json_is_null(json_object_get(item, "reason")));
    ck_assert(json_is_null(json_object_get(item, "answer_code")));
    json_decref(item);
    row[KF_DELIVERY_COL_ATTEMPTS] = NULL;
    item = kf_delivery_json(row);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "attempts")), 0);
    json_decref(item);
}
END_TEST

START_TEST(a_failed_delivery_says_why_in_a_reason_and_the_answer_it_got)
{
    const char *row[KF_DELIVERY_COLUMNS] = {
        "d1", "b1", "email", "Tu reserva", "lucia@correo.example",
        "smtp error 55: RCPT failed: 550 (server said 550)", "1", "2026-05-01T10:00:00Z",
        "failed", "recipient",
    };
    json_t *item = kf_delivery_json(row);
    ck_assert_str_eq(json_string_value(json_object_get(item, "reason")), "mail_mailbox_missing");
    ck_assert_int_eq(json_integer_value(json_object_get(item, "answer_code")), 550);
    /* the provider's own words stay for whoever wants them */
    ck_assert_str_eq(json_string_value(json_object_get(item, "error")),
                     "smtp error 55: RCPT failed: 550 (server said 550)");
    json_decref(item);
    const char *site[KF_DELIVERY_COLUMNS] = {
        "d2", "b1", "callback", "booking.paid", "https://clinica.example/hook", "timeout", "8",
        "2026-05-01T10:00:00Z", "failed", NULL,
    };
    item = kf_delivery_json(site);
    ck_assert_str_eq(json_string_value(json_object_get(item, "reason")), "site_timeout");
    ck_assert(json_is_null(json_object_get(item, "answer_code")));
    json_decref(item);
    /* a page of them: each as alone, in the rows' order */
    const char *const *rows[] = {row, site};
    json_t *items = kf_delivery_items_json(rows, 2);
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "reason")),
                     "mail_mailbox_missing");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "id")), "d2");
    json_decref(items);
    items = kf_delivery_items_json(NULL, 0);
    ck_assert(json_is_array(items) && json_array_size(items) == 0);
    json_decref(items);
}
END_TEST

/* An alert's last failure and a callback's attempts are worded from the same reasons. */
START_TEST(a_failure_out_of_a_list_says_why_too)
{
    json_t *why = kf_delivery_failure_json("email", "ana@example.com", "recipient",
                                           "smtp error 55: RCPT failed: 550 (server said 550)", 0);
    ck_assert_str_eq(json_string_value(json_object_get(why, "reason")), "mail_mailbox_missing");
    ck_assert_int_eq(json_integer_value(json_object_get(why, "answer_code")), 550);
    ck_assert_str_eq(json_string_value(json_object_get(why, "to")), "ana@example.com");
    json_decref(why);
    /* a site that answered 500 with no error of the connection */
    why = kf_delivery_failure_json("callback", NULL, NULL, NULL, 500);
    ck_assert_str_eq(json_string_value(json_object_get(why, "reason")), "site_error");
    ck_assert_int_eq(json_integer_value(json_object_get(why, "answer_code")), 500);
    ck_assert(json_is_null(json_object_get(why, "to")));
    json_decref(why);
    ck_assert_ptr_null(kf_delivery_failure_json("callback", NULL, NULL, NULL, 0));

    json_t *attempts = json_loads("[{\"attempt\": 1, \"status_code\": null, \"error\": \"timeout\"},"
                                  " {\"attempt\": 2, \"status_code\": 404, \"error\": null},"
                                  " {\"attempt\": 3, \"status_code\": 204, \"error\": null}]",
                                  0, NULL);
    kf_callback_attempts_say_why(attempts);
    json_t *a = json_array_get(attempts, 0);
    ck_assert_str_eq(json_string_value(json_object_get(a, "reason")), "site_timeout");
    ck_assert(json_is_null(json_object_get(a, "answer_code")));
    a = json_array_get(attempts, 1);
    ck_assert_str_eq(json_string_value(json_object_get(a, "reason")), "site_not_found");
    ck_assert_int_eq(json_integer_value(json_object_get(a, "answer_code")), 404);
    a = json_array_get(attempts, 2);
    ck_assert(json_is_null(json_object_get(a, "reason")));
    json_decref(attempts);
}
END_TEST

START_TEST(the_page_says_what_was_read)
{
    kf_deliveries_query q;
    ck_assert_int_eq(kf_deliveries_query_read(NULL, "2", "10", &q), 1);
    json_t *page = kf_deliveries_page_json(json_array(), 11, &q);
    ck_assert_int_eq(json_integer_value(json_object_get(page, "total")), 11);
    ck_assert_int_eq(json_integer_value(json_object_get(page, "page")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(page, "per_page")), 10);
    ck_assert(json_is_array(json_object_get(page, "items")));
    json_decref(page);
}
END_TEST

static Suite *deliveries_suite(void)
{
    Suite *s = suite_create("deliveries");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_first_page_of_everything_by_default);
    tcase_add_test(tc, a_state_and_a_page);
    tcase_add_test(tc, anything_else_is_refused);
    tcase_add_test(tc, a_delivery_reads_with_nulls_for_what_it_lacks);
    tcase_add_test(tc, a_failed_delivery_says_why_in_a_reason_and_the_answer_it_got);
    tcase_add_test(tc, a_failure_out_of_a_list_says_why_too);
    tcase_add_test(tc, the_page_says_what_was_read);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(deliveries_suite());
}
