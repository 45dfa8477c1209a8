/* Merchant callbacks in flight in one process: which tenants and which bookings (or
 * purchases) have a delivery being attempted right now, and the attempts that ended and wait
 * to be recorded. The delivery job claims nothing of a booking in flight (its events arrive
 * in order, never two at once) and counts each tenant's deliveries against its limit until
 * the attempt is recorded, so a slow merchant's backlog drains a few at a time and two slow
 * tenants still leave room for everybody else.
 *
 * Each delivery holds a place (0 .. KF_CALLBACK_MAX_IN_FLIGHT - 1) while it is in flight; the
 * caller keeps one HTTP client per place, so a place given again to the same tenant sends on
 * the connection its merchant left open (kf_callback_flight_add says which place).
 *
 * Thread-safe: the job adds, records and ends; the workers finish.
 */
#ifndef KF_CALLBACK_FLIGHT_H
#define KF_CALLBACK_FLIGHT_H

#include <apr_pools.h>
#include <apr_time.h>

/* Deliveries in flight at once in a process (each a thread waiting on the merchant)... */
#define KF_CALLBACK_MAX_IN_FLIGHT 64
/* ...and at most this many of one tenant, whatever KonfirmadoCallbackConcurrency says. */
#define KF_CALLBACK_MAX_PER_TENANT 32

typedef struct kf_callback_flight kf_callback_flight;

/* A table living in p (NULL when its lock cannot be made). */
kf_callback_flight *kf_callback_flight_create(apr_pool_t *p);

/* What the next claim may take, as the claim's arguments want it. */
typedef struct kf_callback_room {
    int free_slots;             /* deliveries that may start now (0: none) */
    const char *tenants;        /* the tenants in flight, one entry per delivery, comma-separated */
    const char *subjects;       /* the bookings or purchases in flight, comma-separated */
    int per_tenant;             /* a tenant's limit: the configured one, at most
                                   KF_CALLBACK_MAX_PER_TENANT */
} kf_callback_room;

kf_callback_room kf_callback_flight_room(kf_callback_flight *f, int configured_per_tenant,
                                         apr_pool_t *p);

/* How many deliveries are in flight (finished ones included until they end). */
int kf_callback_flight_count(kf_callback_flight *f);

/* A delivery of the tenant about the subject starts: the place it holds, or -1 when the
 * table is full. Of the free places, the one whose last delivery was this tenant's (its
 * client keeps the merchant's connection), else one never used, else the one left longest. */
int kf_callback_flight_add(kf_callback_flight *f, const char *tenant_id, const char *subject);

/* The delivery in `place` was attempted: `result` waits for kf_callback_flight_take_finished
 * (the delivery stays in flight until kf_callback_flight_end). */
void kf_callback_flight_finish(kf_callback_flight *f, int place, void *result);

/* Up to max results of finished deliveries, each handed out once; how many. */
int kf_callback_flight_take_finished(kf_callback_flight *f, void **results, int max);

/* Waits until a delivery finishes that was not taken yet, or `timeout` passes: 1 when one
 * has, 0 when none has. */
int kf_callback_flight_wait(kf_callback_flight *f, apr_interval_time_t timeout);

/* Waits until none of the deliveries in flight is still being attempted (each has finished),
 * or `timeout` passes: 1 when none is. Deliveries started together to a fast merchant end
 * within a few milliseconds of each other: waiting for the rest of them records them
 * together, one statement for the batch instead of one for each. */
int kf_callback_flight_wait_all(kf_callback_flight *f, apr_interval_time_t timeout);

/* Whether a claim that took `claimed` deliveries, with `room` as it was before it, took all
 * the room it had: every free place, or some tenant to its limit (the deliveries claimed are
 * in flight now). Such a claim may have left due deliveries behind, so the next one is made
 * as soon as room frees; a claim that took less took everything due. */
int kf_callback_flight_claim_filled(kf_callback_flight *f, int claimed,
                                    const kf_callback_room *room);

/* The delivery in `place` is over (recorded, or left to its lease): the place is free. */
void kf_callback_flight_end(kf_callback_flight *f, int place);

#endif
