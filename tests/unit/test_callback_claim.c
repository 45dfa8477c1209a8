/* Unit suite for lib/callbacks/kf_callback_claim.c: a claimed delivery copied from its row,
 * what a batch of finished attempts records (each one's next step, their businesses, the
 * bookings their merchants acknowledged) and what the log says of each. */
#include "kf_check.h"
#include "kf_callback.h"
#include "kf_callback_claim.h"

#include <string.h>

static const char *const T1 = "5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11";
static const char *const T2 = "6b2d0b63-4d75-4d8f-9e1d-1b9e4c3f2f22";

static kf_callback_claimed *claimed(const char *id, const char *tenant, const char *booking,
                                    const char *event, const char *attempts)
{
    const char *row[KF_CB_CLAIM_COLUMNS] = {
        [KF_CB_CLAIM_ID] = id, [KF_CB_CLAIM_TENANT] = tenant,
        [KF_CB_CLAIM_RESERVATION] = booking, [KF_CB_CLAIM_BODY] = "{\"evento\":\"x\"}",
        [KF_CB_CLAIM_ATTEMPTS] = attempts, [KF_CB_CLAIM_URL] = "https://shop.example/cb",
        [KF_CB_CLAIM_SECRET_SEALED] = "sealed", [KF_CB_CLAIM_EVENT] = event,
        [KF_CB_CLAIM_SUBJECT] = booking ? booking : "purchase-1",
    };
    kf_callback_claimed *d = apr_pcalloc(pool, sizeof(*d));
    kf_callback_claimed_of(pool, 3, row, d);
    return d;
}

START_TEST(a_claimed_row_is_its_delivery)
{
    char id[] = "d-1";
    kf_callback_claimed *d = claimed(id, T1, "b-1", "booking.paid", "2");
    id[0] = 'x';                       /* the row's values are copied: the row may go */
    ck_assert_str_eq(d->rec.delivery_id, "d-1");
    ck_assert_int_eq(d->rec.number, 2);
    ck_assert_str_eq(d->rec.url, "https://shop.example/cb");
    ck_assert_int_eq(d->place, 3);
    ck_assert_str_eq(d->tenant_id, T1);
    ck_assert_str_eq(d->booking_id, "b-1");
    ck_assert_str_eq(d->event, "booking.paid");
    ck_assert_ptr_null(d->secret);     /* opened by the job, not from the row */
    ck_assert_ptr_null(claimed("d-2", T1, NULL, "purchase.paid", "1")->booking_id);
}
END_TEST

START_TEST(a_batch_records_every_attempt_and_the_acknowledged)
{
    kf_callback_claimed *ok = claimed("d-1", T1, "b-1", "booking.paid", "1");
    ok->rec.attempt = (kf_callback_attempt){204, NULL, "", apr_time_from_msec(12)};
    kf_callback_claimed *down = claimed("d-2", T2, "b-2", "booking.cancelled", "1");
    down->rec.attempt = (kf_callback_attempt){0, "timeout", NULL, apr_time_from_msec(10000)};
    kf_callback_claimed *purchase = claimed("d-3", T1, NULL, "purchase.paid", "1");
    purchase->rec.attempt = (kf_callback_attempt){200, NULL, "ok", apr_time_from_msec(5)};
    kf_callback_claimed *last = claimed("d-4", T2, "b-4", "booking.paid",
                                        apr_itoa(pool, KF_CALLBACK_MAX_ATTEMPTS));
    last->rec.attempt = (kf_callback_attempt){500, NULL, "oops", apr_time_from_msec(30)};
    kf_callback_claimed *done[] = {ok, down, purchase, last};
    kf_callback_batch b;
    ck_assert_int_eq(kf_callback_batch_of(pool, done, 4, 1, &b), APR_SUCCESS);
    ck_assert_int_eq(ok->rec.next.step, KF_CALLBACK_DELIVERED);
    ck_assert_int_eq(down->rec.next.step, KF_CALLBACK_RETRY);
    ck_assert_int_eq(last->rec.next.step, KF_CALLBACK_GIVE_UP);
    /* two 2xx: the booking's and the purchase's (which has no booking to move) */
    ck_assert_int_eq(b.acked, 2);
    ck_assert_str_eq(b.bookings[0], "b-1");
    ck_assert_str_eq(b.events[0], "booking.paid");
    ck_assert_ptr_null(b.bookings[1]);
    ck_assert_str_eq(b.events[1], "purchase.paid");
    ck_assert_str_eq(b.tenants, apr_psprintf(pool, "{%s,%s,%s,%s}", T1, T2, T1, T2));
    const kf_callback_record *recs[] = {&ok->rec, &down->rec, &purchase->rec, &last->rec};
    ck_assert_str_eq(b.records, kf_callback_records_json(pool, recs, 4));
    ck_assert_ptr_nonnull(strstr(b.records, "\"outcome\":\"failed\""));
}
END_TEST

START_TEST(a_retry_schedule_divided_is_recorded_so)
{
    kf_callback_claimed *down = claimed("d-2", T2, "b-2", "booking.paid", "1");
    down->rec.attempt = (kf_callback_attempt){0, "timeout", NULL, 0};
    kf_callback_claimed *done[] = {down};
    kf_callback_batch b;
    ck_assert_int_eq(kf_callback_batch_of(pool, done, 1, 1, &b), APR_SUCCESS);
    apr_interval_time_t whole = down->rec.next.delay;
    ck_assert_int_eq(kf_callback_batch_of(pool, done, 1, 10, &b), APR_SUCCESS);
    ck_assert(down->rec.next.delay == whole / 10);
    ck_assert_int_eq(b.acked, 0);
}
END_TEST

START_TEST(an_answer_the_database_cannot_take_records_nothing)
{
    kf_callback_claimed *d = claimed("d-1", T1, "b-1", "booking.paid", "1");
    d->rec.attempt = (kf_callback_attempt){500, NULL, "\xff", 0};
    kf_callback_claimed *done[] = {d};
    kf_callback_batch b;
    ck_assert_int_eq(kf_callback_batch_of(pool, done, 1, 1, &b), APR_EINVAL);
}
END_TEST

START_TEST(the_log_says_what_each_attempt_came_to)
{
    kf_callback_claimed *ok = claimed("d-1", T1, "b-1", "booking.paid", "1");
    ok->rec.attempt = (kf_callback_attempt){204, NULL, "", apr_time_from_msec(12)};
    kf_callback_claimed *last = claimed("d-4", T2, "b-4", "booking.paid",
                                        apr_itoa(pool, KF_CALLBACK_MAX_ATTEMPTS));
    last->rec.attempt = (kf_callback_attempt){503, NULL, "", apr_time_from_msec(30)};
    kf_callback_claimed *done[] = {ok, last};
    kf_callback_batch b;
    ck_assert_int_eq(kf_callback_batch_of(pool, done, 2, 1, &b), APR_SUCCESS);
    ck_assert_str_eq(kf_callback_attempt_line(pool, ok), "callback d-1 attempt 1: delivered (12 ms)");
    ck_assert_ptr_null(kf_callback_given_up_line(pool, ok));
    ck_assert_str_eq(kf_callback_attempt_line(pool, last),
                     apr_psprintf(pool, "callback d-4 attempt %d: HTTP 503 (30 ms)",
                                  KF_CALLBACK_MAX_ATTEMPTS));
    ck_assert_str_eq(kf_callback_given_up_line(pool, last),
                     apr_psprintf(pool, "callback d-4 of booking b-4 failed for good after %d "
                                  "attempts: HTTP 503", KF_CALLBACK_MAX_ATTEMPTS));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("callback_claim");
    TCase *tc = tcase_create("callback_claim");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_claimed_row_is_its_delivery);
    tcase_add_test(tc, a_batch_records_every_attempt_and_the_acknowledged);
    tcase_add_test(tc, a_retry_schedule_divided_is_recorded_so);
    tcase_add_test(tc, an_answer_the_database_cannot_take_records_nothing);
    tcase_add_test(tc, the_log_says_what_each_attempt_came_to);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
