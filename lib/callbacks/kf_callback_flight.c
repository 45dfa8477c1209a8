/* Merchant callbacks in flight: see kf_callback_flight.h. */
#include "kf_callback_flight.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <string.h>

struct kf_callback_flight {
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *finished;       /* signalled by kf_callback_flight_finish */
    struct {
        char tenant[40];               /* "" = free place */
        char subject[40];
        char last_tenant[40];          /* whose delivery held it last ("" = never used) */
        unsigned long last_used;       /* when it was taken last (a count of takings) */
        void *result;                  /* finished, not taken yet */
        int finished;                  /* attempted (taken or not) */
    } slot[KF_CALLBACK_MAX_IN_FLIGHT];
    unsigned long taken;               /* places taken so far */
};

kf_callback_flight *kf_callback_flight_create(apr_pool_t *p)
{
    kf_callback_flight *f = apr_pcalloc(p, sizeof(*f));
    if (apr_thread_mutex_create(&f->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS ||
        apr_thread_cond_create(&f->finished, p) != APR_SUCCESS) {
        return NULL;
    }
    return f;
}

kf_callback_room kf_callback_flight_room(kf_callback_flight *f, int configured_per_tenant,
                                         apr_pool_t *p)
{
    kf_callback_room room = {0, "", "", configured_per_tenant};
    apr_array_header_t *tenants = apr_array_make(p, 8, sizeof(const char *));
    apr_array_header_t *subjects = apr_array_make(p, 8, sizeof(const char *));
    apr_thread_mutex_lock(f->lock);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        if (f->slot[i].tenant[0]) {
            APR_ARRAY_PUSH(tenants, const char *) = apr_pstrdup(p, f->slot[i].tenant);
            APR_ARRAY_PUSH(subjects, const char *) = apr_pstrdup(p, f->slot[i].subject);
        }
    }
    apr_thread_mutex_unlock(f->lock);
    room.tenants = apr_array_pstrcat(p, tenants, ',');
    room.subjects = apr_array_pstrcat(p, subjects, ',');
    room.free_slots = KF_CALLBACK_MAX_IN_FLIGHT - tenants->nelts;
    if (room.per_tenant > KF_CALLBACK_MAX_PER_TENANT) {
        room.per_tenant = KF_CALLBACK_MAX_PER_TENANT;
    }
    return room;
}

int kf_callback_flight_count(kf_callback_flight *f)
{
    int n = 0;
    apr_thread_mutex_lock(f->lock);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        n += f->slot[i].tenant[0] != '\0';
    }
    apr_thread_mutex_unlock(f->lock);
    return n;
}

/* Of the free places, the best for the tenant's delivery (see kf_callback_flight_add); -1
 * when none is free. Under the lock. */
static int best_place(const kf_callback_flight *f, const char *tenant_id)
{
    int best = -1;
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        if (f->slot[i].tenant[0]) {
            continue;
        }
        if (strcmp(f->slot[i].last_tenant, tenant_id) == 0) {
            return i;
        }
        if (best < 0 || f->slot[i].last_used < f->slot[best].last_used) {
            best = i;          /* a never used place has last_used 0: it comes first */
        }
    }
    return best;
}

int kf_callback_flight_add(kf_callback_flight *f, const char *tenant_id, const char *subject)
{
    apr_thread_mutex_lock(f->lock);
    int i = best_place(f, tenant_id);
    if (i >= 0) {
        apr_cpystrn(f->slot[i].tenant, tenant_id, sizeof(f->slot[i].tenant));
        apr_cpystrn(f->slot[i].subject, subject, sizeof(f->slot[i].subject));
        apr_cpystrn(f->slot[i].last_tenant, tenant_id, sizeof(f->slot[i].last_tenant));
        f->slot[i].last_used = ++f->taken;
        f->slot[i].result = NULL;
        f->slot[i].finished = 0;
    }
    apr_thread_mutex_unlock(f->lock);
    return i;
}

void kf_callback_flight_finish(kf_callback_flight *f, int place, void *result)
{
    if (place < 0 || place >= KF_CALLBACK_MAX_IN_FLIGHT) {
        return;
    }
    apr_thread_mutex_lock(f->lock);
    f->slot[place].result = result;
    f->slot[place].finished = 1;
    apr_thread_cond_broadcast(f->finished);
    apr_thread_mutex_unlock(f->lock);
}

/* Under the lock. */
static int any_finished(const kf_callback_flight *f)
{
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        if (f->slot[i].result) {
            return 1;
        }
    }
    return 0;
}

int kf_callback_flight_take_finished(kf_callback_flight *f, void **results, int max)
{
    int n = 0;
    apr_thread_mutex_lock(f->lock);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT && n < max; i++) {
        if (f->slot[i].result) {
            results[n++] = f->slot[i].result;
            f->slot[i].result = NULL;
        }
    }
    apr_thread_mutex_unlock(f->lock);
    return n;
}

int kf_callback_flight_wait(kf_callback_flight *f, apr_interval_time_t timeout)
{
    apr_time_t until = apr_time_now() + timeout;
    apr_thread_mutex_lock(f->lock);
    int found = any_finished(f);
    for (apr_time_t now = apr_time_now(); !found && now < until; now = apr_time_now()) {
        apr_thread_cond_timedwait(f->finished, f->lock, until - now);
        found = any_finished(f);
    }
    apr_thread_mutex_unlock(f->lock);
    return found;
}

/* Under the lock. */
static int any_attempted(const kf_callback_flight *f)
{
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        if (f->slot[i].tenant[0] && !f->slot[i].finished) {
            return 1;
        }
    }
    return 0;
}

int kf_callback_flight_wait_all(kf_callback_flight *f, apr_interval_time_t timeout)
{
    apr_time_t until = apr_time_now() + timeout;
    apr_thread_mutex_lock(f->lock);
    int attempted = any_attempted(f);
    for (apr_time_t now = apr_time_now(); attempted && now < until; now = apr_time_now()) {
        apr_thread_cond_timedwait(f->finished, f->lock, until - now);
        attempted = any_attempted(f);
    }
    apr_thread_mutex_unlock(f->lock);
    return !attempted;
}

int kf_callback_flight_claim_filled(kf_callback_flight *f, int claimed,
                                    const kf_callback_room *room)
{
    if (claimed >= room->free_slots) {
        return 1;
    }
    int filled = 0;
    apr_thread_mutex_lock(f->lock);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT && !filled; i++) {
        if (!f->slot[i].tenant[0]) {
            continue;
        }
        int n = 0;
        for (int j = 0; j < KF_CALLBACK_MAX_IN_FLIGHT; j++) {
            n += strcmp(f->slot[j].tenant, f->slot[i].tenant) == 0;
        }
        filled = n >= room->per_tenant;
    }
    apr_thread_mutex_unlock(f->lock);
    return filled;
}

void kf_callback_flight_end(kf_callback_flight *f, int place)
{
    if (place < 0 || place >= KF_CALLBACK_MAX_IN_FLIGHT) {
        return;
    }
    apr_thread_mutex_lock(f->lock);
    f->slot[place].tenant[0] = f->slot[place].subject[0] = '\0';
    f->slot[place].result = NULL;
    apr_thread_mutex_unlock(f->lock);
}
