/* The callback deliveries' machinery in one process: see kf_callback_workers.h. */
#include "kf_callback_workers.h"

#include <apr_thread_pool.h>

struct kf_callback_workers {
    kf_callback_flight *flight;
    /* one keep-alive client per place of the flight table, made when first used */
    kf_http_client *clients[KF_CALLBACK_MAX_IN_FLIGHT];
    /* The threads attempting deliveries, one per place at most, kept between deliveries: a
     * thread made and ended per callback left the child's memory growing by about 1 MB a
     * minute under a steady trickle of payments (glibc keeps what each new thread's arena
     * and stack touched). NULL without threads. */
    apr_thread_pool_t *threads;    /* in a pool of its own, which its threads allocate from
                                      under its lock */
    /* One pool per place, each with an allocator of its own, cleared when its delivery has
     * been recorded: a pool made and destroyed per delivery (allocated by the job's thread,
     * grown by a worker's, freed again by the job's) left glibc's arenas of this child
     * fragmented and growing; a place's pool reuses the same blocks delivery after delivery.
     * Never destroyed, as the pool below. */
    apr_pool_t *places[KF_CALLBACK_MAX_IN_FLIGHT];
    apr_pool_t *pool;              /* the table's and the clients' (never destroyed) */
};

kf_callback_workers *kf_callback_workers_create(int threaded)
{
    apr_pool_t *pool = NULL, *tp = NULL;
    if (apr_pool_create_unmanaged_ex(&pool, NULL, NULL) != APR_SUCCESS) {
        return NULL;
    }
    kf_callback_workers *w = apr_pcalloc(pool, sizeof(*w));
    w->pool = pool;
    w->flight = kf_callback_flight_create(pool);
    if (!w->flight) {
        apr_pool_destroy(pool);
        return NULL;
    }
    if (!threaded) {
        return w;
    }
    if (apr_pool_create_unmanaged_ex(&tp, NULL, NULL) != APR_SUCCESS) {
        apr_pool_destroy(pool);
        return NULL;
    }
    if (apr_thread_pool_create(&w->threads, 0, KF_CALLBACK_MAX_IN_FLIGHT, tp) != APR_SUCCESS) {
        apr_pool_destroy(tp);
        apr_pool_destroy(pool);
        return NULL;
    }
    apr_thread_pool_idle_max_set(w->threads, KF_CALLBACK_MAX_IN_FLIGHT);
    return w;
}

kf_callback_flight *kf_callback_workers_flight(const kf_callback_workers *w)
{
    return w->flight;
}

apr_pool_t *kf_callback_workers_place(kf_callback_workers *w, int place)
{
    if (!w->places[place] &&
        apr_pool_create_unmanaged_ex(&w->places[place], NULL, NULL) != APR_SUCCESS) {
        w->places[place] = NULL;
        kf_callback_flight_end(w->flight, place);
    }
    return w->places[place];
}

kf_http_client *kf_callback_client(apr_pool_t *p, int allow_insecure)
{
    kf_http_client *c = kf_http_curl_client_create(p);
    if (allow_insecure) {
        kf_http_allow_insecure_prefix(c, "http://");
    }
    return c;
}

kf_http_client *kf_callback_workers_client(kf_callback_workers *w, int place,
                                           int allow_insecure)
{
    if (!w->clients[place]) {
        w->clients[place] = kf_http_curl_client_keepalive(w->pool);
        if (allow_insecure) {
            kf_http_allow_insecure_prefix(w->clients[place], "http://");
        }
    }
    return w->clients[place];
}

typedef struct task {
    void (*deliver)(void *data);
    void *data;
} task;

static void *APR_THREAD_FUNC run_task(apr_thread_t *thread, void *data)
{
    (void)thread;
    const task *t = data;
    t->deliver(t->data);
    return NULL;
}

apr_status_t kf_callback_workers_start(kf_callback_workers *w, int place,
                                       void (*deliver)(void *data), void *data)
{
    if (!w->threads) {
        deliver(data);             /* no threads: one after the other */
        return APR_SUCCESS;
    }
    task *t = apr_palloc(w->places[place], sizeof(*t));
    t->deliver = deliver;
    t->data = data;
    apr_status_t rv = apr_thread_pool_push(w->threads, run_task, t,
                                           APR_THREAD_TASK_PRIORITY_NORMAL, NULL);
    if (rv != APR_SUCCESS) {
        kf_callback_workers_release(w, place);
    }
    return rv;
}

void kf_callback_workers_release(kf_callback_workers *w, int place)
{
    kf_callback_flight_end(w->flight, place);
    if (w->places[place]) {
        apr_pool_clear(w->places[place]);
    }
}

kf_callback_attempt kf_callback_send(apr_pool_t *p, kf_http_client *client,
                                     const apr_array_header_t *outbound_allow,
                                     const char *event, const char *delivery_id,
                                     const char *url, const char *secret, const char *body,
                                     apr_int64_t now, const char **transport_why)
{
    const char *why = NULL;
    *transport_why = NULL;
    kf_http_request *req = kf_callback_request(p, url, secret, event, delivery_id, body, now,
                                               &why);
    if (!req) {
        return kf_callback_attempt_refused(why);
    }
    req->outbound_allow = outbound_allow;
    kf_http_response *resp = NULL;
    apr_time_t started = apr_time_now();
    apr_status_t rv = kf_http_perform(client, p, req, &resp, &why);
    kf_callback_attempt a = kf_callback_attempt_of(p, rv, resp, apr_time_now() - started);
    if (rv != APR_SUCCESS) {
        *transport_why = why ? why : "transport failure";
    }
    return a;
}
