/* Unit tests for lib/catalog/kf_package.c: what a package's body gives, its field errors,
 * and what a stored row shows. */
#include "kf_check_catalog.h"
#include "kf_package.h"

static const char *const stored[KF_PKG_COL_COUNT] = {
    [KF_PKG_COL_ID] = PACKAGE_A, [KF_PKG_COL_NAME] = "Cinco cortes",
    [KF_PKG_COL_DESCRIPTION] = NULL, [KF_PKG_COL_SERVICE] = SERVICE_A,
    [KF_PKG_COL_SESSIONS] = "5", [KF_PKG_COL_PRICE] = "15000000", [KF_PKG_COL_CURRENCY] = "COP",
    [KF_PKG_COL_VALID_DAYS] = "90", [KF_PKG_COL_ARCHIVED] = "t",
    [KF_PKG_COL_CREATED] = "2026-01-02T03:04:05Z", [KF_PKG_COL_UPDATED] = "2026-02-02T03:04:05Z",
};

START_TEST(a_new_package_of_an_active_service)
{
    kf_package v;
    kf_package_start(&v, "COP", NULL);
    ck_assert_int_eq(kf_package_read(&fields, parse("{\"name\": \"Cinco cortes\", \"description\": \"\","
                                                    " \"sessions\": 5, \"valid_days\": 90,"
                                                    " \"service_id\": \"" SERVICE_A "\","
                                                    " \"price\": {\"amount\": 15000000, \"currency\": \"COP\"}}"),
                                     1, "COP", &lookup, &v), 0);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_ptr_null(v.description);   /* an empty description is none */
    ck_assert_str_eq(v.service_id, SERVICE_A);
    ck_assert_int_eq(v.sessions, 5);
    ck_assert_int_eq(v.price, 15000000);
}
END_TEST

START_TEST(a_package_is_paid_for_and_sells_an_active_service)
{
    kf_package v;
    kf_package_start(&v, "COP", NULL);
    kf_package_read(&fields, parse("{\"name\": \"Gratis\", \"sessions\": 53, \"valid_days\": 0,"
                                   " \"service_id\": \"" ARCHIVED "\","
                                   " \"price\": {\"amount\": 0, \"currency\": \"COP\"}}"),
                    1, "COP", &lookup, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"sessions\":\"Must be an integer from 1 to 52.\","
                     "\"valid_days\":\"Must be an integer from 1 to 730.\","
                     "\"price.amount\":\"Must be at least COP 0.01.\","
                     "\"service_id\":\"Is not an active service of your business.\"}");
    ck_assert_ptr_null(v.service_id);
}
END_TEST

START_TEST(a_service_that_cannot_be_checked_stops_the_write)
{
    kf_package v;
    kf_package_start(&v, "COP", stored);
    catalog.broken = 1;
    ck_assert_int_eq(kf_package_read(&fields, parse("{\"service_id\": \"" SERVICE_B "\"}"), 0,
                                     "COP", &lookup, &v), -1);
    /* a malformed id needs no question */
    kf_package_start(&v, "COP", stored);
    ck_assert_int_eq(kf_package_read(&fields, parse("{\"service_id\": \"nope\"}"), 0, "COP",
                                     &lookup, &v), 0);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"service_id\":\"Is not an active service of your business.\"}");
}
END_TEST

START_TEST(a_stored_row_shows_its_price)
{
    kf_package v;
    kf_package_start(&v, "USD", stored);
    ck_assert_str_eq(v.currency, "COP");
    ck_assert_int_eq(v.valid_days, 90);
    ck_assert_str_eq(text_of(kf_package_json(stored)),
                     "{\"id\":\"" PACKAGE_A "\",\"name\":\"Cinco cortes\",\"description\":null,"
                     "\"service_id\":\"" SERVICE_A "\",\"sessions\":5,"
                     "\"price\":{\"amount\":15000000,\"currency\":\"COP\"},\"valid_days\":90,"
                     "\"archived\":true,\"created_at\":\"2026-01-02T03:04:05Z\","
                     "\"updated_at\":\"2026-02-02T03:04:05Z\"}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("package");
    TCase *tc = tcase_create("body and row");
    tcase_add_checked_fixture(tc, catalog_setup, kf_test_teardown);
    tcase_add_test(tc, a_new_package_of_an_active_service);
    tcase_add_test(tc, a_package_is_paid_for_and_sells_an_active_service);
    tcase_add_test(tc, a_service_that_cannot_be_checked_stops_the_write);
    tcase_add_test(tc, a_stored_row_shows_its_price);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
