/* Unit suite for lib/messaging/kf_when.c: a time as the booking pages write it (Intl, es-CO
 * and en-US: htdocs/static/wizard/format.js), with the zone's city and its offset then. */
#include "kf_check.h"
#include "kf_when.h"

/* The time as read (kf_test_as_read: the no-break spaces inside it as spaces). */
static void when_is(kf_locale locale, const char *local, const char *zone, const char *want)
{
    const char *got = kf_when_long(pool, locale, local, zone);
    ck_assert_msg(got != NULL, "%s: NULL", local);
    ck_assert_str_eq(kf_test_as_read(got), want);
}

START_TEST(spanish_is_twelve_hours_with_a_m_and_p_m)
{
    when_is(KF_LOCALE_ES, "2026-12-03T15:30-05:00", "America/Bogota",
            "jueves, 3 de diciembre de 2026 · 3:30 p. m. (hora de Bogota, GMT-5)");
    when_is(KF_LOCALE_ES, "2026-12-03T09:05-05:00", "America/Bogota",
            "jueves, 3 de diciembre de 2026 · 9:05 a. m. (hora de Bogota, GMT-5)");
    /* noon is p. m., midnight 12 a. m. of the day that starts */
    when_is(KF_LOCALE_ES, "2026-12-03T12:00-05:00", "America/Bogota",
            "jueves, 3 de diciembre de 2026 · 12:00 p. m. (hora de Bogota, GMT-5)");
    when_is(KF_LOCALE_ES, "2026-12-04T00:00-05:00", "America/Bogota",
            "viernes, 4 de diciembre de 2026 · 12:00 a. m. (hora de Bogota, GMT-5)");
    when_is(KF_LOCALE_ES, "2026-12-03T23:59-05:00", "America/Bogota",
            "jueves, 3 de diciembre de 2026 · 11:59 p. m. (hora de Bogota, GMT-5)");
}
END_TEST

START_TEST(english_is_twelve_hours_with_am_and_pm)
{
    when_is(KF_LOCALE_EN, "2026-12-03T15:30-05:00", "America/Bogota",
            "Thursday, December 3, 2026 · 3:30 PM (Bogota time, GMT-5)");
    when_is(KF_LOCALE_EN, "2026-12-03T09:05-05:00", "America/Bogota",
            "Thursday, December 3, 2026 · 9:05 AM (Bogota time, GMT-5)");
    when_is(KF_LOCALE_EN, "2026-12-03T12:00-05:00", "America/Bogota",
            "Thursday, December 3, 2026 · 12:00 PM (Bogota time, GMT-5)");
    when_is(KF_LOCALE_EN, "2026-12-04T00:00-05:00", "America/Bogota",
            "Friday, December 4, 2026 · 12:00 AM (Bogota time, GMT-5)");
}
END_TEST

START_TEST(the_offset_is_the_zones_at_that_moment)
{
    /* New York: daylight time in July, standard time in January */
    when_is(KF_LOCALE_EN, "2026-07-01T09:05-04:00", "America/New_York",
            "Wednesday, July 1, 2026 · 9:05 AM (New York time, GMT-4)");
    when_is(KF_LOCALE_EN, "2026-01-01T08:05-05:00", "America/New_York",
            "Thursday, January 1, 2026 · 8:05 AM (New York time, GMT-5)");
    when_is(KF_LOCALE_ES, "2026-07-01T21:05-04:00", "America/New_York",
            "miércoles, 1 de julio de 2026 · 9:05 p. m. (hora de New York, GMT-4)");
    /* half and three-quarter hours east, seconds ignored, UTC itself */
    when_is(KF_LOCALE_ES, "2026-01-01T18:35:00+05:30", "Asia/Kolkata",
            "jueves, 1 de enero de 2026 · 6:35 p. m. (hora de Kolkata, GMT+5:30)");
    when_is(KF_LOCALE_EN, "2026-01-01T18:50+05:45", "Asia/Kathmandu",
            "Thursday, January 1, 2026 · 6:50 PM (Kathmandu time, GMT+5:45)");
    when_is(KF_LOCALE_EN, "2026-01-01T09:30-03:30", "America/St_Johns",
            "Thursday, January 1, 2026 · 9:30 AM (St Johns time, GMT-3:30)");
    when_is(KF_LOCALE_EN, "2026-01-01T13:05Z", "UTC",
            "Thursday, January 1, 2026 · 1:05 PM (UTC time, GMT)");
    when_is(KF_LOCALE_ES, "2026-01-01 13:05+00:00", "Europe/London",
            "jueves, 1 de enero de 2026 · 1:05 p. m. (hora de London, GMT)");
}
END_TEST

START_TEST(the_zone_names_its_city)
{
    when_is(KF_LOCALE_ES, "2026-03-29T16:45-03:00", "America/Argentina/Buenos_Aires",
            "domingo, 29 de marzo de 2026 · 4:45 p. m. (hora de Buenos Aires, GMT-3)");
    /* no offset known: the city alone; no zone: the time alone */
    when_is(KF_LOCALE_EN, "2024-02-29T16:45", "Europe/Madrid",
            "Thursday, February 29, 2024 · 4:45 PM (Madrid time)");
    when_is(KF_LOCALE_EN, "2026-03-29T00:05", NULL, "Sunday, March 29, 2026 · 12:05 AM");
    when_is(KF_LOCALE_ES, "1969-12-31T23:59", "", "miércoles, 31 de diciembre de 1969 · 11:59 p. m.");
}
END_TEST

START_TEST(the_time_stays_on_one_line)
{
    /* no-break spaces (U+00A0) inside the time, as browsers' Intl writes it */
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_ES, "2026-12-03T15:30-05:00", NULL),
                     "jueves, 3 de diciembre de 2026 · 3:30\u00a0p.\u00a0m.");
    ck_assert_str_eq(kf_when_long(pool, KF_LOCALE_EN, "2026-12-03T09:30-05:00", NULL),
                     "Thursday, December 3, 2026 · 9:30\u00a0AM");
}
END_TEST

START_TEST(impossible_times_are_refused)
{
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-02-31T10:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-13-01T10:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01T24:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026/12/01T10:00", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01T10:00:61", NULL));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01T10:00-5", "UTC"));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, "2026-12-01T10:00 tarde", "UTC"));
    ck_assert_ptr_null(kf_when_long(pool, KF_LOCALE_ES, NULL, NULL));
}
END_TEST

static Suite *when_suite(void)
{
    Suite *s = suite_create("when");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, spanish_is_twelve_hours_with_a_m_and_p_m);
    tcase_add_test(tc, english_is_twelve_hours_with_am_and_pm);
    tcase_add_test(tc, the_offset_is_the_zones_at_that_moment);
    tcase_add_test(tc, the_zone_names_its_city);
    tcase_add_test(tc, the_time_stays_on_one_line);
    tcase_add_test(tc, impossible_times_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(when_suite());
}
