/* Unit tests for lib/catalog/kf_link.c: what a booking link's body gives, its references
 * and expiry, which packages it cannot sell, and what a stored row shows. */
#include "kf_check_catalog.h"
#include "kf_link.h"

#define NOW 1767225600   /* 2026-01-01T00:00:00Z */

static const char *const stored[KF_LINK_COL_COUNT] = {
    [KF_LINK_COL_ID] = "dddddddd-dddd-4ddd-8ddd-dddddddddddd", [KF_LINK_COL_SLUG] = "abcdefghijklmnopqrstuv",
    [KF_LINK_COL_NAME] = "Instagram", [KF_LINK_COL_SERVICE] = SERVICE_A,
    [KF_LINK_COL_PROFESSIONAL] = NULL, [KF_LINK_COL_EXPIRES] = NULL, [KF_LINK_COL_ACTIVE] = "f",
    [KF_LINK_COL_CREATED] = "2026-01-02T03:04:05Z", [KF_LINK_COL_UPDATED] = "2026-01-02T03:04:05Z",
    [KF_LINK_COL_PACKAGES] = PACKAGE_A, [KF_LINK_COL_ASSIGN] = "weights",
    [KF_LINK_COL_WEIGHTS] = "{\"" PRO_B "\": 3}",
};

START_TEST(a_new_link_is_active_and_preselects_what_was_sent)
{
    kf_link v;
    kf_link_start(&v, NULL);
    ck_assert_int_eq(kf_link_read(&fields, parse("{\"name\": \"Web\", \"service_id\": \"" SERVICE_A "\","
                                                 " \"professional_id\": \"" PRO_A "\","
                                                 " \"expires_at\": \"2026-01-01T00:00:01Z\"}"),
                                  1, NOW, &lookup, &v), 0);
    ck_assert(kf_fields_ok(&fields));
    ck_assert(v.active);
    ck_assert_str_eq(v.service_id, SERVICE_A);
    ck_assert_str_eq(v.professional_id, PRO_A);
    ck_assert_str_eq(v.expires_at, "2026-01-01T00:00:01Z");
}
END_TEST

START_TEST(references_and_expiry_are_checked)
{
    kf_link v;
    kf_link_start(&v, NULL);
    kf_link_read(&fields, parse("{\"service_id\": \"" ARCHIVED "\", \"professional_id\": \"x\","
                                " \"expires_at\": \"2026-01-01T00:00:00Z\", \"active\": \"yes\"}"),
                 1, NOW, &lookup, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"name\":\"This field is required.\","
                     "\"service_id\":\"Is not an active service of your business.\","
                     "\"professional_id\":\"Is not an active professional of your business.\","
                     "\"expires_at\":\"Must be in the future.\","
                     "\"active\":\"Must be true or false.\"}");
}
END_TEST

START_TEST(the_professional_must_offer_the_stored_service)
{
    kf_link v;
    kf_link_start(&v, stored);
    /* SERVICE_A is stored; PRO_A offers it, PRO_B too: both fine */
    kf_link_read(&fields, parse("{\"professional_id\": \"" PRO_A "\"}"), 0, NOW, &lookup, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert(!v.active);
    kf_link_start(&v, stored);
    kf_link_read(&fields, parse("{\"service_id\": \"" SERVICE_B "\", \"professional_id\": \"" PRO_A "\"}"),
                 0, NOW, &lookup, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"professional_id\":\"This professional does not offer the chosen service.\"}");
}
END_TEST

START_TEST(a_lookup_that_fails_stops_the_write)
{
    kf_link v;
    kf_link_start(&v, stored);
    catalog.broken = 1;
    ck_assert_int_eq(kf_link_read(&fields, parse("{\"service_id\": \"" SERVICE_B "\"}"), 0, NOW,
                                  &lookup, &v), -1);
}
END_TEST

START_TEST(the_offer_checked_is_the_sent_one_or_the_stored_one_when_preselection_changes)
{
    kf_link v;
    kf_link_start(&v, stored);
    json_t *rename = parse("{\"name\": \"Otra\"}");
    json_t *repoint = parse("{\"professional_id\": null}");
    ck_assert_ptr_null(kf_link_offer(pool, &v, rename, 0, "{}", 0, PACKAGE_A));
    ck_assert_str_eq(kf_link_offer(pool, &v, repoint, 0, "{}", 0, PACKAGE_A), "{" PACKAGE_A "}");
    ck_assert_ptr_null(kf_link_offer(pool, &v, repoint, 0, "{}", 0, ""));
    ck_assert_ptr_null(kf_link_offer(pool, &v, repoint, 1, "{}", 0, NULL));
    v.package_ids = parse("[]");
    ck_assert_ptr_null(kf_link_offer(pool, &v, repoint, 0, "{}", 0, PACKAGE_A));
    ck_assert_str_eq(kf_link_offer(pool, &v, repoint, 0, "{" PACKAGE_A "}", 1, NULL),
                     "{" PACKAGE_A "}");
}
END_TEST

START_TEST(packages_the_link_cannot_sell_are_named)
{
    kf_link v;
    kf_link_start(&v, stored);
    v.professional_id = PRO_A;
    const char *const sold[KF_LINK_PKG_COUNT] = {"Cinco cortes", SERVICE_A, "t", "t"};
    const char *const other_service[KF_LINK_PKG_COUNT] = {"Tintes", SERVICE_B, "t", "f"};
    const char *const archived[KF_LINK_PKG_COUNT] = {"Viejo", SERVICE_A, "f", "t"};
    const char *const *rows[] = {sold, other_service, archived};
    kf_link_refuse_unsold(&fields, &v, rows, 1);
    ck_assert(kf_fields_ok(&fields));
    kf_link_refuse_unsold(&fields, &v, rows, 3);
    ck_assert_ptr_nonnull(strstr(errors_text(&fields), "\u201cTintes\u201d, \u201cViejo\u201d"));
    ck_assert(kf_fields_has(&fields, "package_ids"));
}
END_TEST

START_TEST(a_stored_row_shows_its_address)
{
    ck_assert_str_eq(text_of(kf_link_json(pool, stored, "https://book.example.com/book/abc")),
                     "{\"id\":\"dddddddd-dddd-4ddd-8ddd-dddddddddddd\",\"name\":\"Instagram\","
                     "\"slug\":\"abcdefghijklmnopqrstuv\",\"url\":\"https://book.example.com/book/abc\","
                     "\"service_id\":\"" SERVICE_A "\",\"professional_id\":null,\"expires_at\":null,"
                     "\"active\":false,\"created_at\":\"2026-01-02T03:04:05Z\","
                     "\"updated_at\":\"2026-01-02T03:04:05Z\",\"package_ids\":[\"" PACKAGE_A "\"],\"metadata\":null,"
                     "\"assign\":\"weights\",\"weights\":{\"" PRO_B "\":3}}");
}
END_TEST

START_TEST(the_booking_page_shows_what_each_service_charges)
{
    json_t *page = parse("{\"services\": ["
                         "{\"price\": {\"amount\": 3333333, \"currency\": \"COP\"},"
                         " \"charge\": {\"type\": \"partial\", \"deposit_percent\": 30, \"currency\": \"COP\"}},"
                         "{\"price\": {\"amount\": 0, \"currency\": \"COP\"},"
                         " \"charge\": {\"type\": \"free\", \"deposit_percent\": 25, \"currency\": \"COP\"}}]}");
    ck_assert_int_eq(kf_link_page_charges(page), APR_SUCCESS);
    ck_assert_str_eq(text_of(json_incref(json_object_get(page, "services"))),
                     "[{\"price\":{\"amount\":3333333,\"currency\":\"COP\"},"
                     "\"charge\":{\"type\":\"partial\",\"amount\":1000000,\"currency\":\"COP\"}},"
                     "{\"price\":{\"amount\":0,\"currency\":\"COP\"},"
                     "\"charge\":{\"type\":\"free\",\"amount\":0,\"currency\":\"COP\"}}]");
    json_t *broken = parse("{\"services\": [{\"price\": {\"amount\": 100},"
                           " \"charge\": {\"type\": \"sometimes\", \"deposit_percent\": 25}}]}");
    ck_assert_int_eq(kf_link_page_charges(broken), APR_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("link");
    TCase *tc = tcase_create("body and row");
    tcase_add_checked_fixture(tc, catalog_setup, kf_test_teardown);
    tcase_add_test(tc, a_new_link_is_active_and_preselects_what_was_sent);
    tcase_add_test(tc, references_and_expiry_are_checked);
    tcase_add_test(tc, the_professional_must_offer_the_stored_service);
    tcase_add_test(tc, a_lookup_that_fails_stops_the_write);
    tcase_add_test(tc, the_offer_checked_is_the_sent_one_or_the_stored_one_when_preselection_changes);
    tcase_add_test(tc, packages_the_link_cannot_sell_are_named);
    tcase_add_test(tc, a_stored_row_shows_its_address);
    tcase_add_test(tc, the_booking_page_shows_what_each_service_charges);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
