/* Unit suite for lib/callbacks/kf_callback_workers.c: a delivery handed to a place runs on a
 * worker thread (or at once without threads) and comes back to be recorded; a place keeps
 * its pool and its client from one delivery to the next; and one attempt goes out the way
 * every callback does, its transport failure told apart for the log. */
#include "kf_check.h"
#include "kf_callback_workers.h"

#include <apr_portable.h>

/* A delivery as the job hands it: which thread attempted it. */
typedef struct delivery {
    kf_callback_flight *flight;
    int place;
    apr_os_thread_t by;
} delivery;

static void deliver(void *data)
{
    delivery *d = data;
    d->by = apr_os_thread_current();
    kf_callback_flight_finish(d->flight, d->place, d);
}

static delivery *handed(kf_callback_workers *w, int place)
{
    delivery *d = apr_pcalloc(kf_callback_workers_place(w, place), sizeof(*d));
    d->flight = kf_callback_workers_flight(w);
    d->place = place;
    return d;
}

START_TEST(without_threads_a_delivery_runs_at_once)
{
    kf_callback_workers *w = kf_callback_workers_create(0);
    ck_assert_ptr_nonnull(w);
    kf_callback_flight *f = kf_callback_workers_flight(w);
    int place = kf_callback_flight_add(f, "tenant-a", "booking-1");
    delivery *d = handed(w, place);
    ck_assert_int_eq(kf_callback_workers_start(w, place, deliver, d), APR_SUCCESS);
    ck_assert(apr_os_thread_equal(d->by, apr_os_thread_current()));
    void *done[4];
    ck_assert_int_eq(kf_callback_flight_take_finished(f, done, 4), 1);
    ck_assert_ptr_eq(done[0], d);
    ck_assert_int_eq(kf_callback_flight_count(f), 1);    /* in flight until recorded */
    kf_callback_workers_release(w, place);
    ck_assert_int_eq(kf_callback_flight_count(f), 0);
}
END_TEST

START_TEST(with_threads_deliveries_run_beside_the_job)
{
    kf_callback_workers *w = kf_callback_workers_create(1);
    ck_assert_ptr_nonnull(w);
    kf_callback_flight *f = kf_callback_workers_flight(w);
    delivery *ds[3];
    for (int i = 0; i < 3; i++) {
        int place = kf_callback_flight_add(f, "tenant-a", apr_psprintf(pool, "booking-%d", i));
        ds[i] = handed(w, place);
        ck_assert_int_eq(kf_callback_workers_start(w, place, deliver, ds[i]), APR_SUCCESS);
    }
    int taken = 0;
    void *done[8];
    while (taken < 3 && kf_callback_flight_wait(f, apr_time_from_sec(10))) {
        int n = kf_callback_flight_take_finished(f, done, 8);
        for (int i = 0; i < n; i++) {
            delivery *d = done[i];
            ck_assert(!apr_os_thread_equal(d->by, apr_os_thread_current()));
            kf_callback_workers_release(w, d->place);
        }
        taken += n;
    }
    ck_assert_int_eq(taken, 3);
    ck_assert_int_eq(kf_callback_flight_count(f), 0);
}
END_TEST

START_TEST(a_place_keeps_its_pool_and_client)
{
    kf_callback_workers *w = kf_callback_workers_create(0);
    kf_callback_flight *f = kf_callback_workers_flight(w);
    int place = kf_callback_flight_add(f, "tenant-a", "booking-1");
    apr_pool_t *first = kf_callback_workers_place(w, place);
    kf_http_client *client = kf_callback_workers_client(w, place, 0);
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(client);
    kf_callback_workers_release(w, place);
    /* the same tenant gets the same place again, with its pool and its connection */
    ck_assert_int_eq(kf_callback_flight_add(f, "tenant-a", "booking-2"), place);
    ck_assert_ptr_eq(kf_callback_workers_place(w, place), first);
    ck_assert_ptr_eq(kf_callback_workers_client(w, place, 0), client);
    int other = kf_callback_flight_add(f, "tenant-b", "booking-3");
    ck_assert_int_ne(other, place);
    ck_assert_ptr_ne(kf_callback_workers_client(w, other, 0), client);
}
END_TEST

START_TEST(plain_http_only_where_allowed)
{
    kf_callback_workers *w = kf_callback_workers_create(0);
    kf_callback_flight *f = kf_callback_workers_flight(w);
    int strict = kf_callback_flight_add(f, "tenant-a", "booking-1");
    int lax = kf_callback_flight_add(f, "tenant-b", "booking-2");
    const char *why = NULL;
    const char *url = "http://merchant.example/hook";
    ck_assert_int_ne(kf_http_check_url(kf_callback_workers_client(w, strict, 0), url, &why),
                     APR_SUCCESS);
    ck_assert_int_eq(kf_http_check_url(kf_callback_workers_client(w, lax, 1), url, &why),
                     APR_SUCCESS);
    ck_assert_int_ne(kf_http_check_url(kf_callback_client(pool, 0), url, &why), APR_SUCCESS);
    ck_assert_int_eq(kf_http_check_url(kf_callback_client(pool, 1), url, &why), APR_SUCCESS);
}
END_TEST

/* ---- one attempt, against a merchant played by the test ---- */

typedef struct merchant {
    apr_status_t fails;               /* APR_SUCCESS: answers `status` */
    int status;
    kf_http_request seen;             /* a copy: the client's request is its own */
    int asked;
} merchant;

static apr_status_t merchant_answers(void *baton, apr_pool_t *p, const kf_http_request *req,
                                     kf_http_response **resp, const char **why)
{
    merchant *m = baton;
    m->seen = *req;
    m->asked++;
    if (m->fails != APR_SUCCESS) {
        *why = "connect timed out";
        return m->fails;
    }
    *resp = apr_pcalloc(p, sizeof(**resp));
    (*resp)->status = m->status;
    (*resp)->body = "ok";
    (*resp)->body_len = 2;
    (*resp)->elapsed = apr_time_from_msec(12);
    return APR_SUCCESS;
}

static const kf_http_impl merchant_impl = {"merchant", merchant_answers};

START_TEST(an_attempt_is_sent_as_every_callback_and_its_answer_read)
{
    merchant m = {APR_SUCCESS, 204, {0}, 0};
    kf_http_client *c = kf_http_client_create(pool, &merchant_impl, &m);
    apr_array_header_t *allow = apr_array_make(pool, 1, sizeof(int));
    const char *why = "not cleared";
    kf_callback_attempt a = kf_callback_send(pool, c, allow, "booking.paid", "d-1",
                                             "https://merchant.example/hook", "s3cret",
                                             "{\"evento\":\"booking.paid\"}", 1767225600, &why);
    ck_assert_int_eq(a.status, 204);
    ck_assert_ptr_null(a.error);
    ck_assert_ptr_null(why);
    ck_assert_str_eq(m.seen.method, "POST");
    ck_assert_str_eq(apr_table_get(m.seen.headers, "X-Konfirmado-Event"), "booking.paid");
    ck_assert_str_eq(apr_table_get(m.seen.headers, "X-Konfirmado-Delivery"), "d-1");
    ck_assert_str_eq(apr_table_get(m.seen.headers, "webhook-timestamp"), "1767225600");
    ck_assert(m.seen.filter_addresses);
    ck_assert_ptr_eq(m.seen.outbound_allow, allow);
}
END_TEST

START_TEST(no_answer_is_a_transport_failure_for_the_log)
{
    merchant m = {APR_TIMEUP, 0, {0}, 0};
    kf_http_client *c = kf_http_client_create(pool, &merchant_impl, &m);
    const char *why = NULL;
    kf_callback_attempt a = kf_callback_send(pool, c, NULL, "booking.paid", "d-1",
                                             "https://merchant.example/hook", "s3cret", "{}",
                                             1767225600, &why);
    ck_assert_int_eq(a.status, 0);
    ck_assert_str_eq(a.error, "timeout");
    ck_assert_str_eq(why, "connect timed out");
}
END_TEST

START_TEST(an_attempt_never_made_asks_nobody_and_logs_nothing)
{
    merchant m = {APR_SUCCESS, 200, {0}, 0};
    kf_http_client *c = kf_http_client_create(pool, &merchant_impl, &m);
    const char *why = "not cleared";
    kf_callback_attempt a = kf_callback_send(pool, c, NULL, "booking.paid", "d-1", NULL,
                                             "s3cret", "{}", 1767225600, &why);
    ck_assert_int_eq(m.asked, 0);
    ck_assert_int_eq(a.status, 0);
    ck_assert_ptr_nonnull(a.error);
    ck_assert_ptr_null(why);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("callback_workers");
    TCase *tc = tcase_create("callback_workers");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, without_threads_a_delivery_runs_at_once);
    tcase_add_test(tc, with_threads_deliveries_run_beside_the_job);
    tcase_add_test(tc, a_place_keeps_its_pool_and_client);
    tcase_add_test(tc, plain_http_only_where_allowed);
    tcase_add_test(tc, an_attempt_is_sent_as_every_callback_and_its_answer_read);
    tcase_add_test(tc, no_answer_is_a_transport_failure_for_the_log);
    tcase_add_test(tc, an_attempt_never_made_asks_nobody_and_logs_nothing);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
