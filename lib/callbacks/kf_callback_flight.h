/* Merchant callbacks in flight in one process: which tenants and which bookings (or
 * purchases) have a delivery being attempted right now. The delivery job claims nothing of
 * a booking in flight (its events arrive in order, never two at once) and counts each
 * tenant's deliveries against its limit until the attempt is recorded, so a slow merchant's
 * backlog drains a few at a time and two slow tenants still leave room for everybody else.
 *
 * Thread-safe: the job adds, the workers remove.
 */
#ifndef KF_CALLBACK_FLIGHT_H
#define KF_CALLBACK_FLIGHT_H

#include <apr_pools.h>

/* Deliveries in flight at once in a process (each a thread waiting on the merchant and, at
 * its end, a database connection)... */
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

/* A delivery of the tenant about the subject starts (0 when the table is full). */
int kf_callback_flight_add(kf_callback_flight *f, const char *tenant_id, const char *subject);

/* The delivery about the subject ended (recorded, or left to its lease). */
void kf_callback_flight_remove(kf_callback_flight *f, const char *subject);

/* How many deliveries have ended since the table was made: a claim waiting for room claims
 * again when this changes. */
unsigned long kf_callback_flight_ended(kf_callback_flight *f);

#endif
