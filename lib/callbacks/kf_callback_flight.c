/* Merchant callbacks in flight: see kf_callback_flight.h. */
#include "kf_callback_flight.h"

#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <string.h>

struct kf_callback_flight {
    apr_thread_mutex_t *lock;
    struct {
        char tenant[40];               /* "" = free slot */
        char subject[40];
    } slot[KF_CALLBACK_MAX_IN_FLIGHT];
    unsigned long ended;               /* deliveries removed so far */
};

kf_callback_flight *kf_callback_flight_create(apr_pool_t *p)
{
    kf_callback_flight *f = apr_pcalloc(p, sizeof(*f));
    if (apr_thread_mutex_create(&f->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS) {
        return NULL;
    }
    return f;
}

kf_callback_room kf_callback_flight_room(kf_callback_flight *f, int configured_per_tenant,
                                         apr_pool_t *p)
{
    kf_callback_room room = {0, "", "", configured_per_tenant};
    int n = 0;
    apr_thread_mutex_lock(f->lock);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        if (f->slot[i].tenant[0]) {
            const char *sep = n ? "," : "";
            room.tenants = apr_pstrcat(p, room.tenants, sep, f->slot[i].tenant, NULL);
            room.subjects = apr_pstrcat(p, room.subjects, sep, f->slot[i].subject, NULL);
            n++;
        }
    }
    apr_thread_mutex_unlock(f->lock);
    room.free_slots = KF_CALLBACK_MAX_IN_FLIGHT - n;
    if (room.per_tenant > KF_CALLBACK_MAX_PER_TENANT) {
        room.per_tenant = KF_CALLBACK_MAX_PER_TENANT;
    }
    return room;
}

int kf_callback_flight_add(kf_callback_flight *f, const char *tenant_id, const char *subject)
{
    int added = 0;
    apr_thread_mutex_lock(f->lock);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT && !added; i++) {
        if (!f->slot[i].tenant[0]) {
            apr_cpystrn(f->slot[i].tenant, tenant_id, sizeof(f->slot[i].tenant));
            apr_cpystrn(f->slot[i].subject, subject, sizeof(f->slot[i].subject));
            added = 1;
        }
    }
    apr_thread_mutex_unlock(f->lock);
    return added;
}

void kf_callback_flight_remove(kf_callback_flight *f, const char *subject)
{
    apr_thread_mutex_lock(f->lock);
    for (int i = 0; i < KF_CALLBACK_MAX_IN_FLIGHT; i++) {
        if (f->slot[i].tenant[0] && strcmp(f->slot[i].subject, subject) == 0) {
            f->slot[i].tenant[0] = f->slot[i].subject[0] = '\0';
            f->ended++;
            break;
        }
    }
    apr_thread_mutex_unlock(f->lock);
}

unsigned long kf_callback_flight_ended(kf_callback_flight *f)
{
    apr_thread_mutex_lock(f->lock);
    unsigned long n = f->ended;
    apr_thread_mutex_unlock(f->lock);
    return n;
}
