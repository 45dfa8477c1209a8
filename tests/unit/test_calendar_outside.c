/* Unit suite for lib/calendar_providers/kf_calendar_outside.c: what a Cal.com webhook says of one
 * booking, and what a change made in Cal.com does to a booking of ours written there; which
 * calendars are read again for the changes made to our events. */
#include "kf_check.h"
#include "kf_calendar_outside.h"
#include "kf_calendar_providers.h"

#include <string.h>

static kf_calcom_change change_of(const char *body)
{
    kf_calcom_change ch;
    ck_assert_int_eq(kf_calendar_calcom_change(pool, body, strlen(body), &ch), 1);
    return ch;
}

START_TEST(a_webhook_names_its_booking_and_times)
{
    kf_calcom_change ch = change_of(
        "{\"triggerEvent\":\"BOOKING_CANCELLED\",\"createdAt\":\"2026-12-01T00:00:00.000Z\","
        "\"payload\":{\"uid\":\"abc\",\"startTime\":\"2026-12-01T14:00:00.000Z\","
        "\"endTime\":\"2026-12-01T15:00:00.000Z\",\"status\":\"CANCELLED\"}}");
    ck_assert_int_eq(ch.kind, KF_CALCOM_CHANGE_CANCELLED);
    ck_assert_str_eq(ch.uid, "abc");
    ck_assert_ptr_null(ch.from_uid);
    ck_assert(ch.end - ch.start == 3600);
    ck_assert_str_eq(kf_calendar_calcom_change_target(&ch), "abc");

    ch = change_of("{\"triggerEvent\":\"BOOKING_RESCHEDULED\",\"payload\":{\"uid\":\"new\","
                   "\"rescheduleUid\":\"old\",\"startTime\":\"2026-12-02T14:00:00.000Z\"}}");
    ck_assert_int_eq(ch.kind, KF_CALCOM_CHANGE_RESCHEDULED);
    ck_assert_str_eq(kf_calendar_calcom_change_target(&ch), "old");
    ck_assert(ch.end == 0);

    /* a rescheduleUid on another trigger means nothing */
    ch = change_of("{\"triggerEvent\":\"BOOKING_CREATED\",\"payload\":{\"uid\":\"x\","
                   "\"rescheduleUid\":\"old\"}}");
    ck_assert_int_eq(ch.kind, KF_CALCOM_CHANGE_CREATED);
    ck_assert_ptr_null(ch.from_uid);
    ck_assert_ptr_null(kf_calendar_calcom_change_target(&ch));
    ch = change_of("{\"triggerEvent\":\"MEETING_ENDED\",\"payload\":{\"uid\":\"x\"}}");
    ck_assert_int_eq(ch.kind, KF_CALCOM_CHANGE_OTHER);
    ck_assert_ptr_null(kf_calendar_calcom_change_target(&ch));
}
END_TEST

START_TEST(what_is_not_a_webhook_is_refused)
{
    kf_calcom_change ch;
    static const char *bad[] = {"", "[]", "not json", "{\"payload\":{}}",
                                "{\"triggerEvent\":\"BOOKING_CANCELLED\"}",
                                "{\"triggerEvent\":7,\"payload\":{}}",
                                "{\"triggerEvent\":\"BOOKING_CANCELLED\",\"payload\":[]}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_int_eq(kf_calendar_calcom_change(pool, bad[i], strlen(bad[i]), &ch), 0);
    }
    /* a cancellation without a uid names nothing of ours */
    ch = change_of("{\"triggerEvent\":\"BOOKING_CANCELLED\",\"payload\":{\"uid\":\"\"}}");
    ck_assert_ptr_null(kf_calendar_calcom_change_target(&ch));
}
END_TEST

START_TEST(a_cancellation_there_cancels_ours_only_when_in_step)
{
    kf_calcom_change cancel = {KF_CALCOM_CHANGE_CANCELLED, "abc", NULL, 0, 0};
    kf_cal_outside_facts f = {1, 1, 1000};
    ck_assert_int_eq(kf_calendar_outside_action(&cancel, &f), KF_CAL_OUTSIDE_CANCEL);
    /* the echo of our own delete or move: a change of ours is in flight */
    f.in_step = 0;
    ck_assert_int_eq(kf_calendar_outside_action(&cancel, &f), KF_CAL_OUTSIDE_NOTHING);
    /* cancelled, completed...: nothing more to do */
    f.in_step = 1;
    f.booked = 0;
    ck_assert_int_eq(kf_calendar_outside_action(&cancel, &f), KF_CAL_OUTSIDE_NOTHING);
    /* the other triggers never cancel */
    f.booked = 1;
    kf_calcom_change created = {KF_CALCOM_CHANGE_CREATED, "abc", NULL, 0, 0};
    ck_assert_int_eq(kf_calendar_outside_action(&created, &f), KF_CAL_OUTSIDE_NOTHING);
    kf_calcom_change no_uid = {KF_CALCOM_CHANGE_CANCELLED, NULL, NULL, 0, 0};
    ck_assert_int_eq(kf_calendar_outside_action(&no_uid, &f), KF_CAL_OUTSIDE_NOTHING);
}
END_TEST

START_TEST(our_bookings_row_reads_as_its_facts)
{
    const char *row[KF_CAL_OUTSIDE_COLUMNS] = {"b-1", "t", "f", "1796137200"};
    kf_cal_outside_facts f = kf_calendar_outside_facts_of(row);
    ck_assert_int_eq(f.booked, 1);
    ck_assert_int_eq(f.in_step, 0);
    ck_assert(f.start == APR_INT64_C(1796137200));
    row[KF_CAL_OUTSIDE_COL_BOOKED] = "f";
    row[KF_CAL_OUTSIDE_COL_IN_STEP] = "t";
    f = kf_calendar_outside_facts_of(row);
    ck_assert_int_eq(f.booked, 0);
    ck_assert_int_eq(f.in_step, 1);
}
END_TEST

START_TEST(a_move_there_moves_ours)
{
    kf_calcom_change moved = {KF_CALCOM_CHANGE_RESCHEDULED, "new", "old", 4600, 8200};
    kf_cal_outside_facts f = {1, 1, 1000};
    ck_assert_int_eq(kf_calendar_outside_action(&moved, &f), KF_CAL_OUTSIDE_MOVE);
    /* the same time, a new booking there: ours stays, its event is the new one */
    f.start = 4600;
    ck_assert_int_eq(kf_calendar_outside_action(&moved, &f), KF_CAL_OUTSIDE_ADOPT);
    /* our own move echoed, or a booking over */
    f.start = 1000;
    f.in_step = 0;
    ck_assert_int_eq(kf_calendar_outside_action(&moved, &f), KF_CAL_OUTSIDE_NOTHING);
    f.in_step = 1;
    f.booked = 0;
    ck_assert_int_eq(kf_calendar_outside_action(&moved, &f), KF_CAL_OUTSIDE_NOTHING);
    /* without the new booking's uid or time there is nothing to follow */
    f.booked = 1;
    kf_calcom_change no_time = {KF_CALCOM_CHANGE_RESCHEDULED, "new", "old", 0, 0};
    ck_assert_int_eq(kf_calendar_outside_action(&no_time, &f), KF_CAL_OUTSIDE_NOTHING);
    kf_calcom_change no_uid = {KF_CALCOM_CHANGE_RESCHEDULED, NULL, "old", 4600, 0};
    ck_assert_int_eq(kf_calendar_outside_action(&no_uid, &f), KF_CAL_OUTSIDE_NOTHING);
}
END_TEST

START_TEST(a_calendar_without_notices_is_read_again_when_polled)
{
    /* CalDAV tells of no change: its events are read again each time it is polled */
    ck_assert_int_eq(kf_calendar_outside_polled(&kf_calendar_caldav), 1);
    /* Google and Outlook say when, by their notices; Cal.com's webhooks name the booking */
    ck_assert_int_eq(kf_calendar_outside_polled(kf_calendar_provider_find("google")), 0);
    ck_assert_int_eq(kf_calendar_outside_polled(kf_calendar_provider_find("microsoft")), 0);
    ck_assert_int_eq(kf_calendar_outside_polled(kf_calendar_provider_find("calcom")), 0);
    /* a provider that tells of nothing and reads nothing back: nothing to read */
    kf_calendar_provider quiet = {.name = "quiet", .notices = KF_CAL_NOTICES_NONE};
    ck_assert_int_eq(kf_calendar_outside_polled(&quiet), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("calendar_outside");
    TCase *tc = tcase_create("outside");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_webhook_names_its_booking_and_times);
    tcase_add_test(tc, what_is_not_a_webhook_is_refused);
    tcase_add_test(tc, a_cancellation_there_cancels_ours_only_when_in_step);
    tcase_add_test(tc, a_move_there_moves_ours);
    tcase_add_test(tc, our_bookings_row_reads_as_its_facts);
    tcase_add_test(tc, a_calendar_without_notices_is_read_again_when_polled);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
