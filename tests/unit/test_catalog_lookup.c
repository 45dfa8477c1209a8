/* Unit tests for lib/catalog/kf_catalog_lookup.c and kf_catalog_json.c: id lists and
 * references checked against the tenant's active rows, and the JSON members every catalog
 * resource shares. */
#include "kf_check_catalog.h"
#include "kf_catalog_json.h"

START_TEST(each_bad_id_of_a_list_is_named_by_its_place)
{
    const char *array = NULL;
    int count = -1;
    json_t *ids = parse("[\"" SERVICE_A "\", 7, \"nope\", \"" ARCHIVED "\", \"" PRO_A "\"]");
    ck_assert_int_eq(kf_catalog_check_ids(&lookup, &fields, ids, "service_ids",
                                          KF_CATALOG_SERVICES, &array, &count), 0);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"service_ids[1]\":\"Must be a string.\","
                     "\"service_ids[2]\":\"Is not an active service of your business.\","
                     "\"service_ids[3]\":\"Is not an active service of your business.\","
                     "\"service_ids[4]\":\"Is not an active service of your business.\"}");
}
END_TEST

START_TEST(ids_are_counted_once_whatever_their_case)
{
    const char *array = NULL;
    int count = -1;
    json_t *ids = parse("[\"" PRO_A "\", \"AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA\", \"" PRO_B "\"]");
    ck_assert_int_eq(kf_catalog_check_ids(&lookup, &fields, ids, "professional_ids",
                                          KF_CATALOG_PROFESSIONALS, &array, &count), 0);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_int_eq(count, 2);
    ck_assert_str_eq(array, "{" PRO_A "," PRO_B "}");
    ck_assert_int_eq(catalog.asked, 1);   /* one question for the whole list */
}
END_TEST

START_TEST(an_empty_list_asks_nothing)
{
    const char *array = NULL;
    int count = -1;
    catalog.broken = 1;
    ck_assert_int_eq(kf_catalog_check_ids(&lookup, &fields, parse("[]"), "package_ids",
                                          KF_CATALOG_PACKAGES, &array, &count), 0);
    ck_assert_str_eq(array, "{}");
    ck_assert_int_eq(count, 0);
    ck_assert_int_eq(catalog.asked, 0);
    ck_assert_int_eq(kf_catalog_check_ids(&lookup, &fields, parse("[\"" PACKAGE_A "\"]"),
                                          "package_ids", KF_CATALOG_PACKAGES, &array, &count), -1);
}
END_TEST

START_TEST(a_reference_is_null_or_an_active_row)
{
    const char *dest = "unchanged";
    ck_assert_int_eq(kf_catalog_reference_field(&lookup, &fields, parse("{}"), "service_id",
                                                KF_CATALOG_SERVICES, &dest), 0);
    ck_assert_str_eq(dest, "unchanged");
    ck_assert_int_eq(kf_catalog_reference_field(&lookup, &fields, parse("{\"service_id\": null}"),
                                                "service_id", KF_CATALOG_SERVICES, &dest), 0);
    ck_assert_ptr_null(dest);
    ck_assert_int_eq(kf_catalog_reference_field(&lookup, &fields,
                                                parse("{\"package_id\": \"" PACKAGE_A "\"}"),
                                                "package_id", KF_CATALOG_PACKAGES, &dest), 0);
    ck_assert_str_eq(dest, PACKAGE_A);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_int_eq(kf_catalog_reference_field(&lookup, &fields,
                                                parse("{\"package_id\": \"" SERVICE_A "\"}"),
                                                "package_id", KF_CATALOG_PACKAGES, &dest), 0);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"package_id\":\"Is not an active package of your business.\"}");
    ck_assert_str_eq(dest, PACKAGE_A);
}
END_TEST

START_TEST(shared_members_of_a_row)
{
    json_t *o = kf_catalog_row_json("id-1", "Corte", NULL);
    json_object_set_new(o, "ids", kf_catalog_id_list(pool, "a,b"));
    json_object_set_new(o, "none", kf_catalog_id_list(pool, NULL));
    json_object_set_new(o, "n", kf_catalog_json_int("42"));
    json_object_set_new(o, "missing", kf_catalog_json_int(NULL));
    json_object_set_new(o, "price", kf_catalog_price_json(1500, "USD"));
    kf_catalog_row_json_close(o, "t", "2026-01-01T00:00:00Z", NULL);
    ck_assert_str_eq(text_of(o),
                     "{\"id\":\"id-1\",\"name\":\"Corte\",\"description\":null,"
                     "\"ids\":[\"a\",\"b\"],\"none\":[],\"n\":42,\"missing\":null,"
                     "\"price\":{\"amount\":1500,\"currency\":\"USD\"},"
                     "\"archived\":true,\"created_at\":\"2026-01-01T00:00:00Z\","
                     "\"updated_at\":null}");
}
END_TEST

START_TEST(the_audit_shows_the_named_fields_as_sent)
{
    static const char *const keys[] = {"name", "price", "absent", NULL};
    ck_assert_str_eq(text_of(kf_catalog_changes(parse("{\"price\": {\"amount\": 1}, \"x\": 1,"
                                                        " \"name\": null}"), keys)),
                     "{\"name\":null,\"price\":{\"amount\":1}}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("catalog_lookup");
    TCase *tc = tcase_create("ids and shared json");
    tcase_add_checked_fixture(tc, catalog_setup, kf_test_teardown);
    tcase_add_test(tc, each_bad_id_of_a_list_is_named_by_its_place);
    tcase_add_test(tc, ids_are_counted_once_whatever_their_case);
    tcase_add_test(tc, an_empty_list_asks_nothing);
    tcase_add_test(tc, a_reference_is_null_or_an_active_row);
    tcase_add_test(tc, shared_members_of_a_row);
    tcase_add_test(tc, the_audit_shows_the_named_fields_as_sent);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
