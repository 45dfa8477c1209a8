/* The mail job's senders in one process: see kf_mail_senders.h. */
#include "kf_mail_senders.h"

#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_pool.h>

typedef struct sender {
    struct kf_mail_senders *all;
    apr_pool_t *pool;              /* its transport's, for the process's life */
    apr_pool_t *batch;             /* what its sends of a batch allocate; own allocator, cleared
                                      once the batch is recorded */
    kf_mail_transport *transport;  /* opened when first needed */
} sender;

struct kf_mail_senders {
    sender senders[KF_MAIL_SENDERS];
    int count;                     /* KF_MAIL_SENDERS with threads, else 1 */
    kf_mail_senders_open_fn open;
    void *open_data;
    apr_thread_pool_t *threads;    /* NULL without threads */
    apr_thread_mutex_t *lock;      /* guards the batch below */
    apr_thread_cond_t *ended;      /* signalled as the last sender of a batch stops */
    /* the batch being sent */
    int n, next, stop, running;
    int alone;                     /* one sender, on the job's thread: no lock taken */
    apr_time_t until;
    kf_mail_senders_send_fn send;
    void *send_data;
    char *tried;
};

/* Makes what lives in `pool` beside the senders: their lock, condition and threads. */
static apr_status_t make_threads(kf_mail_senders *s, apr_pool_t *pool)
{
    apr_pool_t *tp = NULL;
    apr_status_t rv;
    if ((rv = apr_thread_mutex_create(&s->lock, APR_THREAD_MUTEX_DEFAULT, pool)) != APR_SUCCESS ||
        (rv = apr_thread_cond_create(&s->ended, pool)) != APR_SUCCESS) {
        return rv;
    }
    /* the thread pool in a pool of its own, which its threads allocate from under its lock */
    if ((rv = apr_pool_create_unmanaged_ex(&tp, NULL, NULL)) != APR_SUCCESS) {
        return rv;
    }
    if ((rv = apr_thread_pool_create(&s->threads, 0, KF_MAIL_SENDERS, tp)) != APR_SUCCESS) {
        apr_pool_destroy(tp);
        s->threads = NULL;
        return rv;
    }
    /* kept between batches: a thread made and ended per batch leaves glibc's arenas growing */
    apr_thread_pool_idle_max_set(s->threads, KF_MAIL_SENDERS);
    return APR_SUCCESS;
}

kf_mail_senders *kf_mail_senders_create(int threaded, kf_mail_senders_open_fn open, void *data)
{
    apr_pool_t *pool = NULL;
    if (apr_pool_create_unmanaged_ex(&pool, NULL, NULL) != APR_SUCCESS) {
        return NULL;
    }
    kf_mail_senders *s = apr_pcalloc(pool, sizeof(*s));
    s->open = open;
    s->open_data = data;
    s->count = 1;
    if (threaded) {
        if (make_threads(s, pool) != APR_SUCCESS) {
            apr_pool_destroy(pool);
            return NULL;
        }
        s->count = KF_MAIL_SENDERS;
    }
    for (int i = 0; i < s->count; i++) {
        sender *one = &s->senders[i];
        one->all = s;
        if (apr_pool_create_unmanaged_ex(&one->pool, NULL, NULL) != APR_SUCCESS ||
            apr_pool_create_unmanaged_ex(&one->batch, NULL, NULL) != APR_SUCCESS) {
            return NULL;   /* no memory: what was made is left, never destroyed as the rest */
        }
    }
    return s;
}

/* The batch's lock, when its senders run on threads (`alone`: one sender, on the job's). */
static void lock(kf_mail_senders *s)
{
    if (!s->alone) {
        apr_thread_mutex_lock(s->lock);
    }
}

static void unlock(kf_mail_senders *s)
{
    if (!s->alone) {
        apr_thread_mutex_unlock(s->lock);
    }
}

/* One sender's part of the batch: mail after mail until none is left or the batch stops. */
static void send_some(sender *one)
{
    kf_mail_senders *s = one->all;
    for (;;) {
        lock(s);
        int i = s->stop || s->next >= s->n || apr_time_now() >= s->until ? -1 : s->next++;
        if (i < 0) {
            if (--s->running == 0 && !s->alone) {
                apr_thread_cond_signal(s->ended);
            }
            unlock(s);
            return;
        }
        unlock(s);
        int hold = s->send(one->transport, one->batch, i, s->send_data);
        lock(s);
        s->tried[i] = 1;
        s->stop = s->stop || hold;
        unlock(s);
    }
}

static void *APR_THREAD_FUNC sender_thread(apr_thread_t *thread, void *data)
{
    (void)thread;
    send_some(data);
    return NULL;
}

/* How many senders the batch of n mails gets: no more than it has mails, each with its
 * transport open. */
static int senders_for(kf_mail_senders *s, int n)
{
    int ready = 0;
    for (int i = 0; i < s->count && ready < n; i++) {
        sender *one = &s->senders[i];
        if (!one->transport) {
            one->transport = s->open(one->pool, s->open_data);
        }
        if (!one->transport) {
            break;
        }
        ready++;
    }
    return ready;
}

int kf_mail_senders_send(kf_mail_senders *s, int n, apr_time_t until,
                         kf_mail_senders_send_fn send, void *data, char *tried)
{
    for (int i = 0; i < n; i++) {
        tried[i] = 0;
    }
    int senders = senders_for(s, n);
    s->n = n;
    s->next = 0;
    s->stop = 0;
    s->until = until;
    s->send = send;
    s->send_data = data;
    s->tried = tried;
    s->running = 0;
    s->alone = !s->threads || senders <= 1;
    if (!s->alone) {
        apr_thread_mutex_lock(s->lock);
        for (int i = 0; i < senders; i++) {
            s->running++;
            if (apr_thread_pool_push(s->threads, sender_thread, &s->senders[i],
                                     APR_THREAD_TASK_PRIORITY_NORMAL, NULL) != APR_SUCCESS) {
                s->running--;   /* the others take its share */
            }
        }
        while (s->running > 0) {
            apr_thread_cond_wait(s->ended, s->lock);
        }
        apr_thread_mutex_unlock(s->lock);
        /* no thread could take any: sent from here */
        s->alone = s->next == 0 && !s->stop;
    }
    if (s->alone && senders > 0) {
        s->running = 1;
        send_some(&s->senders[0]);
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
        count += tried[i];
    }
    return count;
}

void kf_mail_senders_clear(kf_mail_senders *s)
{
    for (int i = 0; i < s->count; i++) {
        if (s->senders[i].batch) {
            apr_pool_clear(s->senders[i].batch);
        }
    }
}
