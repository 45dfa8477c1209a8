/* Unit tests for lib/catalog/kf_service.c: a new service's defaults, what a body gives and
 * its field errors, and what a stored row shows (with the amount its charge asks). */
#include "kf_check_catalog.h"
#include "kf_service.h"

static const char *const stored[KF_SVC_COL_COUNT] = {
    [KF_SVC_COL_ID] = SERVICE_A, [KF_SVC_COL_NAME] = "Corte", [KF_SVC_COL_DESCRIPTION] = "Corte de pelo",
    [KF_SVC_COL_IMAGE_URL] = NULL, [KF_SVC_COL_DURATION] = "45", [KF_SVC_COL_PRICE] = "3333333",
    [KF_SVC_COL_CURRENCY] = "COP", [KF_SVC_COL_CHARGE_TYPE] = "partial", [KF_SVC_COL_DEPOSIT] = "30",
    [KF_SVC_COL_SLOT_INTERVAL] = "15", [KF_SVC_COL_BUFFER_BEFORE] = "0",
    [KF_SVC_COL_BUFFER_AFTER] = "10", [KF_SVC_COL_MIN_NOTICE] = "60", [KF_SVC_COL_HORIZON] = "30",
    [KF_SVC_COL_ARCHIVED] = "f", [KF_SVC_COL_CREATED] = "2026-01-02T03:04:05Z",
    [KF_SVC_COL_UPDATED] = "2026-01-02T03:04:05Z", [KF_SVC_COL_PROFESSIONALS] = PRO_A,
    [KF_SVC_COL_LOCATION_TYPE] = "in_person", [KF_SVC_COL_LOCATION_VALUE] = "Calle 1 # 2-3",
    [KF_SVC_COL_CAPACITY] = "1", [KF_SVC_COL_ATTENDEE_NAMES] = "f",
};

START_TEST(a_new_service_starts_from_the_documented_defaults)
{
    kf_service v;
    kf_service_start(&v, "COP", NULL);
    kf_service_read(&fields, parse("{\"name\": \"Corte\", \"description\": \"Corte de pelo\","
                                   " \"duration_minutes\": 30, \"charge_type\": \"total\","
                                   " \"price\": {\"amount\": 4000000, \"currency\": \"COP\"}}"),
                    1, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_int_eq(v.duration, 30);
    ck_assert_int_eq(v.price, 4000000);
    ck_assert_str_eq(v.currency, "COP");
    ck_assert_int_eq(v.charge, KF_CHARGE_TOTAL);
    ck_assert_int_eq(v.deposit_percent, 25);
    ck_assert_int_eq(v.slot_interval, 15);
    ck_assert_int_eq(v.horizon, 14);
    ck_assert_int_eq(v.buffer_before + v.buffer_after + v.min_notice, 0);
    ck_assert_int_eq(v.location.type, KF_LOCATION_NONE);
    ck_assert_ptr_null(v.professional_ids);
    ck_assert_int_eq(v.capacity, 1);
    ck_assert_int_eq(v.attendee_names, 0);
}
END_TEST

START_TEST(a_capacity_is_one_to_five_hundred_places)
{
    kf_service v;
    kf_service_start(&v, "COP", stored);
    kf_service_read(&fields, parse("{\"capacity\": 0}"), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"capacity\":\"Must be an integer from 1 to 500.\"}");
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_read(&fields, parse("{\"capacity\": 501}"), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"capacity\":\"Must be an integer from 1 to 500.\"}");
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_read(&fields, parse("{\"capacity\": \"12\", \"attendee_names\": 1}"), 0, "COP",
                    KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"capacity\":\"Must be an integer.\","
                     "\"attendee_names\":\"Must be true or false.\"}");
    ck_assert_int_eq(v.capacity, 1);   /* nothing refused was taken */

    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_read(&fields, parse("{\"capacity\": 500, \"attendee_names\": true}"), 0, "COP",
                    KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_int_eq(v.capacity, 500);
    ck_assert_int_eq(v.attendee_names, 1);
    const char *args[KF_SERVICE_WRITE_ARGS];
    kf_service_write_args(pool, &v, args);
    ck_assert_str_eq(args[16], "500");
    ck_assert_str_eq(args[17], "true");
}
END_TEST

START_TEST(a_series_is_two_to_twelve_occurrences)
{
    kf_service v;
    kf_service_start(&v, "COP", stored);
    ck_assert_int_eq(v.series.every, KF_SERIES_NONE);
    kf_service_read(&fields, parse("{\"series\": {\"every\": \"week\", \"min\": 2, "
                                   "\"max\": 13, \"pay\": \"all\"}}"),
                    0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"series.max\":\"Must be an integer from 2 to 12.\"}");
    ck_assert_int_eq(v.series.every, KF_SERIES_NONE);   /* nothing refused was taken */
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_read(&fields, parse("{\"series\": {\"every\": \"month\", \"min\": 3, "
                                   "\"max\": 6, \"pay\": \"first\"}}"),
                    0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_ok(&fields));
    const char *args[KF_SERVICE_WRITE_ARGS];
    kf_service_write_args(pool, &v, args);
    ck_assert_str_eq(args[19], "{\"every\": \"month\", \"min\": 3, \"max\": 6, \"pay\": \"first\"}");
}
END_TEST

START_TEST(a_series_is_one_customer_with_one_professional)
{
    static const char *const team = "{\"team\": {\"mode\": \"collective\", \"professional_ids\": [\""
                                    PRO_A "\", \"" PRO_B "\"]}}";
    static const char *const weekly = "{\"series\": {\"every\": \"week\", \"min\": 2, "
                                      "\"max\": 4, \"pay\": \"all\"}}";
    kf_service v;
    /* a series and a team sent together */
    kf_service_start(&v, "COP", stored);
    kf_service_read(&fields, parse("{\"series\": {\"every\": \"week\", \"min\": 2, \"max\": 4,"
                                   " \"pay\": \"all\"}, \"team\": {\"mode\": \"collective\","
                                   " \"professional_ids\": [\"" PRO_A "\", \"" PRO_B "\"]}}"),
                    0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"series\":\"A series is booked with one professional: a team service is "
                     "not booked as a series.\"}");
    /* a series on a service that has a team already, and a team on a series */
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_start(&v, "COP", stored);
    v.team_ids = PRO_A "," PRO_B;
    kf_service_read(&fields, parse(weekly), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_has(&fields, "series"));
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_start(&v, "COP", stored);
    kf_service_read(&fields, parse(weekly), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_ok(&fields));
    kf_service_read(&fields, parse(team), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_has(&fields, "series"));
    /* a series on a class, and a class of a series; a class sent with the series' end is fine */
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_start(&v, "COP", stored);
    kf_service_read(&fields, parse("{\"capacity\": 8, \"series\": {\"every\": \"month\","
                                   " \"min\": 2, \"max\": 3, \"pay\": \"first\"}}"),
                    0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"series\":\"A series is one customer's: a class with more than one place "
                     "is not booked as a series.\"}");
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_start(&v, "COP", stored);
    kf_service_read(&fields, parse(weekly), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    kf_service_read(&fields, parse("{\"capacity\": 8}"), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_has(&fields, "series"));
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_read(&fields, parse("{\"capacity\": 8, \"series\": null}"), 0, "COP",
                    KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_ok(&fields));
}
END_TEST

START_TEST(a_post_lists_every_missing_field)
{
    kf_service v;
    kf_service_start(&v, "COP", NULL);
    kf_service_read(&fields, parse("{\"slot_interval_minutes\": 4}"), 1, "COP",
                    KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"name\":\"This field is required.\","
                     "\"description\":\"This field is required.\","
                     "\"duration_minutes\":\"This field is required.\","
                     "\"slot_interval_minutes\":\"Must be an integer from 5 to 480.\","
                     "\"charge_type\":\"This field is required.\","
                     "\"price\":\"This field is required.\"}");
}
END_TEST

START_TEST(the_charge_rules_hold_for_the_stored_price_too)
{
    kf_service v;
    kf_service_start(&v, "COP", stored);
    /* only the type is sent: the stored price (above 0) breaks "free" */
    kf_service_read(&fields, parse("{\"charge_type\": \"free\"}"), 0, "COP", KF_URL_HTTPS_ONLY,
                    &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"price.amount\":\"A free service must have a price of 0.\"}");
}
END_TEST

START_TEST(a_patch_overlays_the_stored_row)
{
    kf_service v;
    kf_service_start(&v, "USD", stored);
    kf_service_read(&fields, parse("{\"horizon_days\": 60, \"location\": null,"
                                   " \"professional_ids\": []}"), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(v.name, "Corte");
    ck_assert_str_eq(v.currency, "COP");
    ck_assert_int_eq(v.charge, KF_CHARGE_PARTIAL);
    ck_assert_int_eq(v.deposit_percent, 30);
    ck_assert_int_eq(v.buffer_after, 10);
    ck_assert_int_eq(v.horizon, 60);
    ck_assert_int_eq(v.location.type, KF_LOCATION_NONE);
    ck_assert_int_eq(json_array_size(v.professional_ids), 0);
}
END_TEST

START_TEST(image_urls_follow_the_server_policy)
{
    kf_service v;
    kf_service_start(&v, "COP", stored);
    kf_service_read(&fields, parse("{\"image_url\": \"http://img.example.com/x.png\"}"), 0, "COP",
                    KF_URL_HTTPS_ONLY, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"image_url\":\"Must be a valid URL starting with https://.\"}");
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_service_read(&fields, parse("{\"image_url\": \"http://img.example.com/x.png\"}"), 0, "COP",
                    KF_URL_ALLOW_HTTP, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(v.image_url, "http://img.example.com/x.png");
}
END_TEST

START_TEST(a_service_is_written_as_text_columns)
{
    kf_service v;
    const char *args[KF_SERVICE_WRITE_ARGS];
    kf_service_start(&v, "COP", stored);
    kf_service_write_args(pool, &v, args);
    const char *expected[KF_SERVICE_WRITE_ARGS] = {
        "Corte", "Corte de pelo", NULL, "45", "3333333", "COP", "partial", "30", "15", "0", "10",
        "60", "30", "in_person", "Calle 1 # 2-3", NULL, "1", "false", NULL, NULL,
    };
    for (int i = 0; i < KF_SERVICE_WRITE_ARGS; i++) {
        if (expected[i]) {
            ck_assert_str_eq(args[i], expected[i]);
        }
        else {
            ck_assert_ptr_null(args[i]);
        }
    }
    /* no location: both of its columns are NULL */
    kf_service_read(&fields, parse("{\"location\": null}"), 0, "COP", KF_URL_HTTPS_ONLY, &v);
    kf_service_write_args(pool, &v, args);
    ck_assert_ptr_null(args[13]);
    ck_assert_ptr_null(args[14]);
}
END_TEST

START_TEST(a_stored_row_shows_the_deposit_it_charges)
{
    /* 30 % of 3333333 minor units is 999999.9: the deposit rounds up */
    ck_assert_str_eq(text_of(kf_service_json(pool, stored)),
                     "{\"id\":\"" SERVICE_A "\",\"name\":\"Corte\",\"description\":\"Corte de pelo\","
                     "\"image_url\":null,\"duration_minutes\":45,"
                     "\"price\":{\"amount\":3333333,\"currency\":\"COP\"},"
                     "\"charge_type\":\"partial\",\"deposit_percent\":30,"
                     "\"charge\":{\"type\":\"partial\",\"amount\":1000000,\"currency\":\"COP\"},"
                     "\"slot_interval_minutes\":15,\"buffer_before_minutes\":0,"
                     "\"buffer_after_minutes\":10,\"min_notice_minutes\":60,\"horizon_days\":30,"
                     "\"professional_ids\":[\"" PRO_A "\"],"
                     "\"location\":{\"type\":\"in_person\",\"address\":\"Calle 1 # 2-3\"},"
                     "\"capacity\":1,\"attendee_names\":false,\"team\":null,\"series\":null,"
                     "\"archived\":false,\"created_at\":\"2026-01-02T03:04:05Z\","
                     "\"updated_at\":\"2026-01-02T03:04:05Z\"}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("service");
    TCase *tc = tcase_create("body and row");
    tcase_add_checked_fixture(tc, catalog_setup, kf_test_teardown);
    tcase_add_test(tc, a_new_service_starts_from_the_documented_defaults);
    tcase_add_test(tc, a_post_lists_every_missing_field);
    tcase_add_test(tc, the_charge_rules_hold_for_the_stored_price_too);
    tcase_add_test(tc, a_patch_overlays_the_stored_row);
    tcase_add_test(tc, a_capacity_is_one_to_five_hundred_places);
    tcase_add_test(tc, a_series_is_two_to_twelve_occurrences);
    tcase_add_test(tc, a_series_is_one_customer_with_one_professional);
    tcase_add_test(tc, image_urls_follow_the_server_policy);
    tcase_add_test(tc, a_service_is_written_as_text_columns);
    tcase_add_test(tc, a_stored_row_shows_the_deposit_it_charges);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
