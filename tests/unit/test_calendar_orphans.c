/* Unit suite for lib/calendars/kf_calendar_orphans.c: when a new connection replaces the
 * calendar that holds our events, how removing one left behind is retried, and the
 * merchant's view of it. */
#include "kf_check.h"
#include "kf_calendar_orphans.h"

#include <string.h>

START_TEST(another_provider_or_account_replaces_the_calendar)
{
    ck_assert_int_eq(kf_calendar_connection_replaced("google", "a@x.co", "microsoft", "a@x.co"), 1);
    ck_assert_int_eq(kf_calendar_connection_replaced("google", "a@x.co", "google", "b@x.co"), 1);
    /* the same calendar connected again (after an error) keeps its events */
    ck_assert_int_eq(kf_calendar_connection_replaced("google", "a@x.co", "google", "a@x.co"), 0);
    ck_assert_int_eq(kf_calendar_connection_replaced("calcom", NULL, "calcom", NULL), 0);
    ck_assert_int_eq(kf_calendar_connection_replaced("calcom", NULL, "calcom", "a@x.co"), 1);
    /* no calendar before: nothing was written anywhere */
    ck_assert_int_eq(kf_calendar_connection_replaced(NULL, NULL, "google", "a@x.co"), 0);
}
END_TEST

START_TEST(removal_is_retried_then_left_to_the_merchant)
{
    ck_assert_int_eq(kf_calendar_orphan_retry_in(KF_CAL_OK, 1), 0);
    ck_assert_int_eq(kf_calendar_orphan_retry_in(KF_CAL_RETRY, 1), 30);
    ck_assert_int_eq(kf_calendar_orphan_retry_in(KF_CAL_FAILED, 2), 60);
    ck_assert_int_eq(kf_calendar_orphan_retry_in(KF_CAL_RETRY, KF_CALENDAR_ORPHAN_MAX_ATTEMPTS - 1),
                     kf_calendar_retry_seconds(KF_CALENDAR_ORPHAN_MAX_ATTEMPTS - 1));
    ck_assert_int_eq(kf_calendar_orphan_retry_in(KF_CAL_RETRY, KF_CALENDAR_ORPHAN_MAX_ATTEMPTS), -1);
    /* our access is gone: no attempt can succeed */
    ck_assert_int_eq(kf_calendar_orphan_retry_in(KF_CAL_REVOKED, 1), -1);
}
END_TEST

START_TEST(the_merchant_sees_where_it_is_and_why)
{
    const char *row[KF_CAL_ORPHAN_COLUMNS] = {
        "o-1", "p-1", "Dra. Ana", "google", "ana@x.co", "ev-9", "2026-12-01T14:00:00Z",
        "2026-12-01T15:00:00Z", NULL, "8", "f", "HTTP 403: forbidden", "2026-11-30T10:00:00Z"};
    json_t *o = kf_calendar_orphan_json(row);
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    ck_assert_str_eq(text, "{\"account\":\"ana@x.co\",\"attempts\":8,\"booking_id\":null,"
                           "\"created_at\":\"2026-11-30T10:00:00Z\",\"end\":\"2026-12-01T15:00:00Z\","
                           "\"error\":\"HTTP 403: forbidden\",\"event_id\":\"ev-9\",\"id\":\"o-1\","
                           "\"professional\":{\"id\":\"p-1\",\"name\":\"Dra. Ana\"},\"provider\":\"google\","
                           "\"start\":\"2026-12-01T14:00:00Z\",\"status\":\"failed\"}");
    free(text);
    json_decref(o);
    row[KF_CAL_ORPHAN_DUE] = "t";
    o = kf_calendar_orphan_json(row);
    ck_assert_str_eq(json_string_value(json_object_get(o, "status")), "retrying");
    json_decref(o);
}
END_TEST

START_TEST(a_replaced_connections_secret_opens_as_the_grant)
{
    unsigned char key[32];
    memset(key, 7, sizeof(key));
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *sealed = kf_seal_text(pool, keys, "app-password",
                                      kf_calendar_secret_aad(pool, "p-1"));
    kf_calendar_grant g = {0};
    const char *why = NULL;
    ck_assert_int_eq(kf_calendar_orphan_replaced_grant(pool, keys, "p-1", sealed, "ana",
                                                       "https://dav.example/cal/", &g, &why),
                     KF_CAL_OK);
    ck_assert_str_eq(g.access_token, "app-password");
    ck_assert_str_eq(g.user, "ana");
    ck_assert_str_eq(g.calendar_id, "https://dav.example/cal/");
    ck_assert_int_eq(kf_calendar_orphan_replaced_grant(pool, keys, "p-1", sealed, "a@x.co", NULL,
                                                       &g, &why), KF_CAL_OK);
    ck_assert_str_eq(g.calendar_id, "primary");
    /* sealed for another professional: it does not open, and no attempt can succeed */
    ck_assert_int_eq(kf_calendar_orphan_replaced_grant(pool, keys, "p-2", sealed, "ana", NULL, &g,
                                                       &why), KF_CAL_REVOKED);
    ck_assert_str_eq(why, "the replaced calendar's access cannot be opened");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calendar_orphans");
    TCase *tc = tcase_create("orphans");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, another_provider_or_account_replaces_the_calendar);
    tcase_add_test(tc, removal_is_retried_then_left_to_the_merchant);
    tcase_add_test(tc, the_merchant_sees_where_it_is_and_why);
    tcase_add_test(tc, a_replaced_connections_secret_opens_as_the_grant);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
