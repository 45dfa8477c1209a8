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
        "d1", "b1", "email", "booking_paid", "ana@example.com", NULL, "3", NULL, "pending",
    };
    json_t *item = kf_delivery_json(row);
    ck_assert_str_eq(json_string_value(json_object_get(item, "id")), "d1");
    ck_assert_str_eq(json_string_value(json_object_get(item, "to")), "ana@example.com");
    ck_assert(json_is_null(json_object_get(item, "error")));
    ck_assert(json_is_null(json_object_get(item, "last_attempt_at")));
    ck_assert_int_eq(json_integer_value(json_object_get(item, "attempts")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(item, "status")), "pending");
    json_decref(item);
    row[KF_DELIVERY_COL_ATTEMPTS] = NULL;
    item = kf_delivery_json(row);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "attempts")), 0);
    json_decref(item);
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
    tcase_add_test(tc, the_page_says_what_was_read);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(deliveries_suite());
}
