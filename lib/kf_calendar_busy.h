#ifndef KF_CALENDAR_BUSY_H
#define KF_CALENDAR_BUSY_H
/* Busy times of a professional's connected calendar, behind a small interface so that
 * availability does not change when providers arrive: `none` (working hours only) answers
 * nothing; google / calcom / microsoft implement the same vtable later. */
#include <apr_pools.h>
#include <apr_tables.h>
#include "kf_slots.h"

typedef struct kf_calendar_busy_provider kf_calendar_busy_provider;
struct kf_calendar_busy_provider {
    const char *name;
    /* Appends to `out` (an array of kf_busy) the busy intervals of the professional with
     * this id (index `prof` in the engine) that touch [from, to). APR_SUCCESS, or an error
     * meaning "unknown": the caller then treats the whole period as busy. */
    apr_status_t (*busy)(const kf_calendar_busy_provider *self, apr_pool_t *p,
                         const char *professional_id, int prof, apr_int64_t from,
                         apr_int64_t to, apr_array_header_t *out);
    void *ctx;
};

extern const kf_calendar_busy_provider kf_calendar_busy_none;

/* The provider registered under a professional's calendar_provider; `none` for "none" and
 * for providers not implemented yet (their busy times are not known here). */
const kf_calendar_busy_provider *kf_calendar_busy_find(const char *name);

#endif
