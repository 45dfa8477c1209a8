/* Unit suite for lib/messaging/kf_mail_senders.c: a batch's mails are each sent once, on
 * several connections at once with threads (each sender its own transport, kept for the next
 * batch) or one after the other without; a service holding mail, or the run's time running
 * out, starts no more. */
#include "kf_check.h"
#include "kf_mail_senders.h"

#include <apr_portable.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>

/* The test's relay: which transports were opened, and what each mail's send saw. */
typedef struct relay {
    int opened;
    const kf_mail_transport *transports[KF_MAIL_SENDERS + 1];
    int refuse_open;                        /* open fails while set */
    int sent[64];                           /* sends of each mail */
    const kf_mail_transport *via[64];
    apr_os_thread_t by[64];
    int hold_at;                            /* this mail's send answers "held"; -1: none */
    apr_interval_time_t others_take;        /* how long every other mail's send takes */
    /* with `meet`, each send waits (up to a second) until that many are in flight */
    int meet, in_flight, most_in_flight;
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *changed;
} relay;

static kf_mail_transport *open_transport(apr_pool_t *p, void *data)
{
    relay *r = data;
    if (r->refuse_open) {
        return NULL;
    }
    kf_mail_transport *t = kf_mail_transport_maildir(p, "/nonexistent", "h");
    r->transports[r->opened++] = t;
    return t;
}

static int send_mail(const kf_mail_transport *t, apr_pool_t *p, int i, void *data)
{
    relay *r = data;
    ck_assert_ptr_nonnull(apr_palloc(p, 64));        /* the sender's pool is its own */
    apr_thread_mutex_lock(r->lock);
    r->sent[i]++;
    r->via[i] = t;
    r->by[i] = apr_os_thread_current();
    r->in_flight++;
    if (r->in_flight > r->most_in_flight) {
        r->most_in_flight = r->in_flight;
    }
    apr_thread_cond_broadcast(r->changed);
    apr_time_t until = apr_time_now() + apr_time_from_sec(1);
    while (r->meet && r->in_flight < r->meet && apr_time_now() < until) {
        apr_thread_cond_timedwait(r->changed, r->lock, apr_time_from_msec(50));
    }
    r->in_flight--;
    apr_thread_mutex_unlock(r->lock);
    if (i != r->hold_at && r->others_take) {
        apr_sleep(r->others_take);
    }
    return i == r->hold_at;
}

static relay *new_relay(void)
{
    relay *r = apr_pcalloc(pool, sizeof(*r));
    r->hold_at = -1;
    apr_thread_mutex_create(&r->lock, APR_THREAD_MUTEX_DEFAULT, pool);
    apr_thread_cond_create(&r->changed, pool);
    return r;
}

static apr_time_t later(void)
{
    return apr_time_now() + apr_time_from_sec(30);
}

START_TEST(without_threads_the_mails_go_one_after_the_other_here)
{
    relay *r = new_relay();
    kf_mail_senders *s = kf_mail_senders_create(0, open_transport, r);
    ck_assert_ptr_nonnull(s);
    char tried[12];
    ck_assert_int_eq(kf_mail_senders_send(s, 12, later(), send_mail, r, tried), 12);
    for (int i = 0; i < 12; i++) {
        ck_assert_int_eq(tried[i], 1);
        ck_assert_int_eq(r->sent[i], 1);
        ck_assert(apr_os_thread_equal(r->by[i], apr_os_thread_current()));
        ck_assert_ptr_eq(r->via[i], r->transports[0]);
    }
    ck_assert_int_eq(r->opened, 1);
    ck_assert_int_eq(r->most_in_flight, 1);
    kf_mail_senders_clear(s);
}
END_TEST

START_TEST(with_threads_the_mails_go_on_several_connections_at_once)
{
    relay *r = new_relay();
    r->meet = KF_MAIL_SENDERS;     /* a send ends only once every sender has one in flight */
    kf_mail_senders *s = kf_mail_senders_create(1, open_transport, r);
    ck_assert_ptr_nonnull(s);
    char tried[40];
    ck_assert_int_eq(kf_mail_senders_send(s, 40, later(), send_mail, r, tried), 40);
    ck_assert_int_eq(r->most_in_flight, KF_MAIL_SENDERS);
    ck_assert_int_eq(r->opened, KF_MAIL_SENDERS);
    for (int i = 0; i < 40; i++) {
        ck_assert_int_eq(tried[i], 1);
        ck_assert_int_eq(r->sent[i], 1);
        ck_assert(!apr_os_thread_equal(r->by[i], apr_os_thread_current()));
    }
    kf_mail_senders_clear(s);
    /* the next batch goes on the same transports (an SMTP sender's connection kept) */
    r->meet = 0;
    ck_assert_int_eq(kf_mail_senders_send(s, 8, later(), send_mail, r, tried), 8);
    ck_assert_int_eq(r->opened, KF_MAIL_SENDERS);
    for (int i = 0; i < 8; i++) {
        int known = 0;
        for (int k = 0; k < KF_MAIL_SENDERS; k++) {
            known |= r->via[i] == r->transports[k];
        }
        ck_assert(known);
    }
}
END_TEST

START_TEST(a_batch_smaller_than_the_senders_opens_no_more_connections_than_it_has_mails)
{
    relay *r = new_relay();
    kf_mail_senders *s = kf_mail_senders_create(1, open_transport, r);
    char tried[1];
    ck_assert_int_eq(kf_mail_senders_send(s, 1, later(), send_mail, r, tried), 1);
    ck_assert_int_eq(r->opened, 1);
    ck_assert_int_eq(r->sent[0], 1);
}
END_TEST

START_TEST(a_service_holding_mail_starts_no_more)
{
    for (int threaded = 0; threaded <= 1; threaded++) {
        relay *r = new_relay();
        r->hold_at = 0;
        /* the held answer comes at once: the senders have heard it before another mail ends */
        r->others_take = apr_time_from_msec(200);
        kf_mail_senders *s = kf_mail_senders_create(threaded, open_transport, r);
        char tried[40];
        int n = kf_mail_senders_send(s, 40, later(), send_mail, r, tried);
        /* the held one, and at most what the other senders had started beside it */
        ck_assert_int_ge(n, 1);
        ck_assert_int_le(n, threaded ? KF_MAIL_SENDERS : 1);
        ck_assert_int_eq(tried[0], 1);
        int counted = 0;
        for (int i = 0; i < 40; i++) {
            ck_assert_int_eq(r->sent[i], tried[i]);
            counted += tried[i];
        }
        ck_assert_int_eq(counted, n);
        ck_assert_int_eq(tried[39], 0);
    }
}
END_TEST

START_TEST(no_mail_starts_once_the_run_s_time_is_over)
{
    for (int threaded = 0; threaded <= 1; threaded++) {
        relay *r = new_relay();
        kf_mail_senders *s = kf_mail_senders_create(threaded, open_transport, r);
        char tried[5];
        ck_assert_int_eq(kf_mail_senders_send(s, 5, apr_time_now() - 1, send_mail, r, tried), 0);
        for (int i = 0; i < 5; i++) {
            ck_assert_int_eq(tried[i], 0);
            ck_assert_int_eq(r->sent[i], 0);
        }
    }
}
END_TEST

START_TEST(a_transport_that_cannot_be_opened_sends_nothing_and_is_tried_again)
{
    relay *r = new_relay();
    r->refuse_open = 1;
    kf_mail_senders *s = kf_mail_senders_create(1, open_transport, r);
    char tried[6];
    ck_assert_int_eq(kf_mail_senders_send(s, 6, later(), send_mail, r, tried), 0);
    ck_assert_int_eq(tried[0], 0);
    r->refuse_open = 0;
    ck_assert_int_eq(kf_mail_senders_send(s, 6, later(), send_mail, r, tried), 6);
    ck_assert_int_ge(r->opened, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mail_senders");
    TCase *tc = tcase_create("mail_senders");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, without_threads_the_mails_go_one_after_the_other_here);
    tcase_add_test(tc, with_threads_the_mails_go_on_several_connections_at_once);
    tcase_add_test(tc, a_batch_smaller_than_the_senders_opens_no_more_connections_than_it_has_mails);
    tcase_add_test(tc, a_service_holding_mail_starts_no_more);
    tcase_add_test(tc, no_mail_starts_once_the_run_s_time_is_over);
    tcase_add_test(tc, a_transport_that_cannot_be_opened_sends_nothing_and_is_tried_again);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
