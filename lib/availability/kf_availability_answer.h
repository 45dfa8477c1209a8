#ifndef KF_AVAILABILITY_ANSWER_H
#define KF_AVAILABILITY_ANSWER_H
/* The public availability answer (API.md "Public booking API"): its parameters checked, its
 * JSON written straight into one buffer (no per-slot allocation), the key it is cached
 * under, and the last second it stays right by the clock alone. */
#include <apr_pools.h>
#include "kf_availability_facts.h"

#define KF_AVAIL_DAYS_DEFAULT 14
#define KF_AVAIL_DAYS_MAX 62

/* The query's parameters, checked. */
typedef struct kf_availability_query {
    const char *service;
    const char *professional;   /* NULL: any ("any" or absent) */
    const char *from;           /* NULL: today in the display zone */
    int days;
    const char *tz;             /* NULL: the tenant's zone */
} kf_availability_query;

/* Checks the raw parameters (NULL: absent) in API.md's order: NULL with *q filled, else the
 * error code (invalid_parameter, invalid_timezone, then service_not_found or
 * professional_not_found for ids that are no UUID: garbage never reaches SQL). A zone name
 * must be made of the characters IANA names use. */
const char *kf_availability_query_check(const char *service, const char *professional,
                                        const char *from, const char *days, const char *tz,
                                        kf_availability_query *q);

/* The answer of slots[0..n) over av, from p: *json and *len. */
void kf_availability_answer_json(apr_pool_t *p, const kf_availability *av, int days,
                                 const kf_slot *slots, int n, const char **json,
                                 apr_size_t *len);

/* The cache key: everything the answer depends on besides the database (the host's tenant
 * `subdomain`, the link and the checked parameters, all of safe characters). */
const char *kf_availability_answer_key(apr_pool_t *p, const char *subdomain, const char *slug,
                                       const kf_availability_query *q);

/* The last second the answer stays right by the clock (kf_slots_clock_stable_until), a
 * hold or payment window or the link running out, and, for today's answer (no `from`),
 * the display zone's day rolling over (at least 23 hours after the start of today). */
apr_int64_t kf_availability_answer_stable_until(const kf_availability *av, int has_from,
                                                const kf_slot *slots, int n);

#endif
