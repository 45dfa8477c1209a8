/* Merchant callbacks in flight in one process, their machinery: the in-flight table
 * (kf_callback_flight.h), one pool and one keep-alive HTTP client per place of it, and the
 * threads that attempt the deliveries; and the one attempt a delivery makes, sent the way
 * every callback is (kf_callback_request). The delivery job claims, hands each delivery to a
 * place and records what came back; this file owns what lives between its runs.
 *
 * Everything lives in unmanaged pools that are never destroyed, so that a worker still
 * running when the process exits never touches freed memory.
 */
#ifndef KF_CALLBACK_WORKERS_H
#define KF_CALLBACK_WORKERS_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "kf_callback_delivery.h"
#include "kf_callback_flight.h"
#include "kf_http.h"

typedef struct kf_callback_workers kf_callback_workers;

/* The table, and with `threaded` (the server runs threads) the threads, made at the job's
 * first run in the process that runs it; NULL when they cannot be made (tried again next
 * run). Without threads, deliveries are attempted one after the other as they start. */
kf_callback_workers *kf_callback_workers_create(int threaded);

kf_callback_flight *kf_callback_workers_flight(const kf_callback_workers *w);

/* The pool of a place just taken (kf_callback_flight_add), for its delivery: made when the
 * place is first used, cleared when its delivery is released. NULL when it cannot be made:
 * the place is then free again. */
apr_pool_t *kf_callback_workers_place(kf_callback_workers *w, int place);

/* The place's keep-alive client (made when first used; plain http only with
 * allow_insecure): a place given again to the same tenant sends on its open connection. */
kf_http_client *kf_callback_workers_client(kf_callback_workers *w, int place,
                                           int allow_insecure);

/* The delivery in `place` attempted by deliver(data) on a worker thread (or now, without
 * threads); deliver ends with kf_callback_flight_finish. APR_SUCCESS, or it could not start:
 * its place is released. */
apr_status_t kf_callback_workers_start(kf_callback_workers *w, int place,
                                       void (*deliver)(void *data), void *data);

/* The place's delivery is recorded (or left to its lease): the place is free, its pool
 * cleared for the next (the delivery's memory with it). */
void kf_callback_workers_release(kf_callback_workers *w, int place);

/* A client for one callback sent alone (the test ping), living in p. */
kf_http_client *kf_callback_client(apr_pool_t *p, int allow_insecure);

/* One attempt of a delivery over the network with `client`, `now` (seconds) its moment:
 * the POST of kf_callback_request, limited to the merchant's public addresses except the
 * operator's outbound_allow (may be NULL), timed, and what came back. *transport_why: why no
 * HTTP answer came, for the log (NULL when one did, or when the attempt was never made). */
kf_callback_attempt kf_callback_send(apr_pool_t *p, kf_http_client *client,
                                     const apr_array_header_t *outbound_allow,
                                     const char *event, const char *delivery_id,
                                     const char *url, const char *secret, const char *body,
                                     apr_int64_t now, const char **transport_why);

#endif
