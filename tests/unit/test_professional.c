/* Unit tests for lib/catalog/kf_professional.c: what a professional's body gives (values,
 * the week and the exceptions as the statements take them, field errors in the order the
 * merchant is shown them) and what a stored row shows. */
#include "kf_check_catalog.h"
#include "kf_professional.h"

static int read_body(const char *text, int create, kf_professional *v)
{
    kf_professional_start(v, "America/Bogota", NULL);
    return kf_professional_read(&fields, parse(text), create, KF_URL_HTTPS_ONLY, &lookup, v);
}

START_TEST(a_new_professional_takes_the_tenant_zone_and_what_was_sent)
{
    kf_professional v;
    ck_assert_int_eq(read_body("{\"name\": \"Ana Díaz\", \"email\": \"ana@example.com\","
                               " \"photo_url\": \"https://img.example.com/ana.png\","
                               " \"service_ids\": [\"" SERVICE_A "\"]}", 1, &v), 0);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(v.name, "Ana Díaz");
    ck_assert_str_eq(v.email, "ana@example.com");
    ck_assert_str_eq(v.photo_url, "https://img.example.com/ana.png");
    ck_assert_str_eq(v.timezone, "America/Bogota");
    ck_assert_int_eq(json_array_size(v.service_ids), 1);
    ck_assert_ptr_null(v.schedule);   /* not sent: the stored week stays */
    ck_assert_ptr_null(v.exceptions);
    ck_assert_int_eq(catalog.asked, 0);
}
END_TEST

START_TEST(a_patch_keeps_the_stored_row_and_clears_what_is_null)
{
    const char *row[KF_PRO_COL_COUNT] = {0};
    row[KF_PRO_COL_NAME] = "Ana";
    row[KF_PRO_COL_DESCRIPTION] = "Colorista";
    row[KF_PRO_COL_EMAIL] = "ana@example.com";
    row[KF_PRO_COL_TIMEZONE] = "UTC";
    kf_professional v;
    kf_professional_start(&v, "America/Bogota", row);
    ck_assert_int_eq(kf_professional_read(&fields, parse("{\"description\": null}"), 0,
                                          KF_URL_HTTPS_ONLY, &lookup, &v), 0);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(v.name, "Ana");
    ck_assert_ptr_null(v.description);
    ck_assert_str_eq(v.email, "ana@example.com");
    ck_assert_str_eq(v.timezone, "UTC");
}
END_TEST

START_TEST(errors_come_in_the_order_of_the_form)
{
    kf_professional v;
    read_body("{\"name\": \"A\", \"photo_url\": \"http://img.example.com/a.png\","
              " \"email\": \"not-an-address\", \"timezone\": \"Mars/Olympus\","
              " \"schedule\": [{\"weekday\": 8, \"start\": \"09:00\", \"end\": \"10:00\"}]}",
              1, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"name\":\"Must be 2 to 100 characters long.\","
                     "\"photo_url\":\"Must be a valid URL starting with https://.\","
                     "\"email\":\"Must be a valid email address.\","
                     "\"timezone\":\"The time zone is not valid.\","
                     "\"schedule[0].weekday\":\"Must be a day from 1 (Monday) to 7 (Sunday).\"}");
}
END_TEST

START_TEST(http_photos_pass_only_where_the_server_allows_them)
{
    kf_professional v;
    kf_professional_start(&v, "UTC", NULL);
    kf_professional_read(&fields, parse("{\"photo_url\": \"http://img.example.com/a.png\"}"), 0,
                         KF_URL_ALLOW_HTTP, &lookup, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(v.photo_url, "http://img.example.com/a.png");
}
END_TEST

START_TEST(a_zone_that_cannot_be_checked_stops_the_write)
{
    kf_professional v;
    catalog.broken = 1;
    ck_assert_int_eq(read_body("{\"timezone\": \"UTC\"}", 0, &v), -1);
}
END_TEST

START_TEST(the_week_becomes_parallel_arrays_and_touching_ranges_are_fine)
{
    kf_professional v;
    read_body("{\"schedule\": [{\"weekday\": 1, \"start\": \"09:00\", \"end\": \"12:00\"},"
              " {\"weekday\": 1, \"start\": \"12:00\", \"end\": \"15:00\"},"
              " {\"weekday\": 7, \"start\": \"00:00\", \"end\": \"24:00\"}]}", 0, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_int_eq(v.schedule->count, 3);
    ck_assert_str_eq(v.schedule->groups, "{1,1,7}");
    ck_assert_str_eq(v.schedule->starts, "{540,720,0}");
    ck_assert_str_eq(v.schedule->ends, "{720,900,1440}");
}
END_TEST

START_TEST(overlapping_or_backwards_ranges_name_the_later_one)
{
    kf_professional v;
    read_body("{\"schedule\": [{\"weekday\": 2, \"start\": \"09:00\", \"end\": \"12:00\"},"
              " {\"weekday\": 3, \"start\": \"11:00\", \"end\": \"13:00\"},"
              " {\"weekday\": 2, \"start\": \"11:00\", \"end\": \"13:00\"},"
              " {\"weekday\": 4, \"start\": \"13:00\", \"end\": \"12:00\"},"
              " {\"weekday\": 4, \"start\": \"9\", \"end\": \"24:00\"}, 5]}", 0, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"schedule[3].end\":\"The end time must be after the start time.\","
                     "\"schedule[4].start\":\"Must be a time HH:MM from 00:00 to 23:59.\","
                     "\"schedule[5]\":\"Must be an object.\","
                     "\"schedule[2]\":\"Overlaps another range of the same day.\"}");
}
END_TEST

START_TEST(exceptions_close_whole_days_or_set_hours)
{
    kf_professional v;
    read_body("{\"exceptions\": [{\"date\": \"2026-12-24\", \"closed\": true},"
              " {\"date\": \"2026-12-31\", \"start\": \"09:00\", \"end\": \"13:00\"}]}", 0, &v);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(v.exceptions->groups, "{2026-12-24,2026-12-31}");
    ck_assert_str_eq(v.exceptions->closed, "{t,f}");
    ck_assert_str_eq(v.exceptions->starts, "{NULL,540}");
    ck_assert_str_eq(v.exceptions->ends, "{NULL,780}");
}
END_TEST

START_TEST(a_closed_date_conflicts_with_any_other_entry_of_it)
{
    kf_professional v;
    read_body("{\"exceptions\": [{\"date\": \"2026-12-24\", \"start\": \"09:00\", \"end\": \"10:00\"},"
              " {\"date\": \"2026-12-24\", \"closed\": true},"
              " {\"date\": \"2026-12-25\", \"closed\": true, \"start\": \"09:00\"},"
              " {\"date\": \"2026-02-30\", \"closed\": true}]}", 0, &v);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"exceptions[2]\":\"A closed day cannot have hours.\","
                     "\"exceptions[3].date\":\"Must be a valid date YYYY-MM-DD.\","
                     "\"exceptions[1]\":\"That date is already marked closed in another exception.\"}");
}
END_TEST

START_TEST(a_stored_row_shows_its_week_in_hours_and_minutes)
{
    const char *row[KF_PRO_COL_COUNT] = {
        [KF_PRO_COL_ID] = PRO_A, [KF_PRO_COL_NAME] = "Ana", [KF_PRO_COL_DESCRIPTION] = NULL,
        [KF_PRO_COL_PHOTO_URL] = NULL, [KF_PRO_COL_EMAIL] = "ana@example.com",
        [KF_PRO_COL_TIMEZONE] = "America/Bogota", [KF_PRO_COL_ARCHIVED] = "f",
        [KF_PRO_COL_CREATED] = "2026-01-02T03:04:05Z", [KF_PRO_COL_UPDATED] = "2026-01-03T03:04:05Z",
        [KF_PRO_COL_SERVICES] = SERVICE_A "," SERVICE_B,
        [KF_PRO_COL_SCHEDULE] = "[[1, 540, 720], [5, 0, 1440]]",
        [KF_PRO_COL_EXCEPTIONS] = "[[\"2026-12-24\", true, null, null], [\"2026-12-31\", false, 540, 780]]",
        [KF_PRO_COL_VIDEO_URL] = "https://meet.example.com/ana",
    };
    ck_assert_str_eq(text_of(kf_professional_json(pool, row, json_null())),
                     "{\"id\":\"" PRO_A "\",\"name\":\"Ana\",\"description\":null,"
                     "\"photo_url\":null,\"email\":\"ana@example.com\","
                     "\"timezone\":\"America/Bogota\","
                     "\"service_ids\":[\"" SERVICE_A "\",\"" SERVICE_B "\"],"
                     "\"video_url\":\"https://meet.example.com/ana\"," "\"location\":{\"type\":\"video\",\"url\":\"https://meet.example.com/ana\"},"
                     "\"schedule\":[{\"weekday\":1,\"start\":\"09:00\",\"end\":\"12:00\"},"
                     "{\"weekday\":5,\"start\":\"00:00\",\"end\":\"24:00\"}],"
                     "\"exceptions\":[{\"date\":\"2026-12-24\",\"closed\":true},"
                     "{\"date\":\"2026-12-31\",\"start\":\"09:00\",\"end\":\"13:00\"}],"
                     "\"calendar\":null,\"archived\":false,"
                     "\"created_at\":\"2026-01-02T03:04:05Z\",\"updated_at\":\"2026-01-03T03:04:05Z\"}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("professional");
    TCase *tc = tcase_create("body and row");
    tcase_add_checked_fixture(tc, catalog_setup, kf_test_teardown);
    tcase_add_test(tc, a_new_professional_takes_the_tenant_zone_and_what_was_sent);
    tcase_add_test(tc, a_patch_keeps_the_stored_row_and_clears_what_is_null);
    tcase_add_test(tc, errors_come_in_the_order_of_the_form);
    tcase_add_test(tc, http_photos_pass_only_where_the_server_allows_them);
    tcase_add_test(tc, a_zone_that_cannot_be_checked_stops_the_write);
    tcase_add_test(tc, the_week_becomes_parallel_arrays_and_touching_ranges_are_fine);
    tcase_add_test(tc, overlapping_or_backwards_ranges_name_the_later_one);
    tcase_add_test(tc, exceptions_close_whole_days_or_set_hours);
    tcase_add_test(tc, a_closed_date_conflicts_with_any_other_entry_of_it);
    tcase_add_test(tc, a_stored_row_shows_its_week_in_hours_and_minutes);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
