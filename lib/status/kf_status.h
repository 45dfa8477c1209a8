#ifndef KF_STATUS_H
#define KF_STATUS_H
/* The operator's status page (API.md "Operations"): which class a request's route belongs
 * to, its status class, the latency histogram's buckets, and the Prometheus text exposition
 * format (version 0.0.4) the page is written in. */
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>

/* Endpoint classes: the first segment of a route's path after /api/ (the route as the
 * router matched it, never the request's path, so an id in a path adds no series). */
typedef enum kf_status_class {
    KF_STATUS_CLASS_PUBLIC = 0,
    KF_STATUS_CLASS_ADMIN,
    KF_STATUS_CLASS_AUTH,
    KF_STATUS_CLASS_WEBHOOKS,
    KF_STATUS_CLASS_OAUTH,
    KF_STATUS_CLASS_HEALTH,
    KF_STATUS_CLASS_DIAGNOSTICS,
    KF_STATUS_CLASS_OTHER,      /* a route of another segment */
    KF_STATUS_CLASS_UNROUTED,   /* no route matched (404, 405) or the host was unknown */
    KF_STATUS_CLASS_COUNT
} kf_status_class;

/* The class of a route pattern ("/api/public/links/{slug}"); NULL: unrouted. */
kf_status_class kf_status_class_of(const char *route_pattern);
/* The class's label value ("public", ...). */
const char *kf_status_class_name(kf_status_class c);

/* Status classes: 2xx, 3xx, 4xx, 5xx (1xx and anything odd count as 5xx: the server did
 * not give a final answer). */
typedef enum kf_status_code_class {
    KF_STATUS_2XX = 0,
    KF_STATUS_3XX,
    KF_STATUS_4XX,
    KF_STATUS_5XX,
    KF_STATUS_CODE_CLASS_COUNT
} kf_status_code_class;

kf_status_code_class kf_status_code_class_of(int http_status);
const char *kf_status_code_class_name(kf_status_code_class c);

/* Latency buckets (upper bounds, microseconds); a duration above the last falls only in
 * +Inf. Chosen around what the booking pages ask: a cached availability answer in ~1 ms, a
 * booking with a provider's checkout in up to seconds. */
#define KF_STATUS_BUCKET_COUNT 12
extern const long long kf_status_bucket_us[KF_STATUS_BUCKET_COUNT];
/* The index of the first bucket that holds `us` (KF_STATUS_BUCKET_COUNT: only +Inf). */
int kf_status_bucket_of(long long us);

/* The exposition text, appended to `out` (a list of const char *, joined when written). */
typedef struct kf_status_text {
    apr_pool_t *p;
    apr_array_header_t *parts;
} kf_status_text;

kf_status_text *kf_status_text_make(apr_pool_t *p);
/* "# HELP name help" and "# TYPE name type" (type: counter, gauge, histogram). */
void kf_status_family(kf_status_text *t, const char *name, const char *type, const char *help);
/* One sample "name{k1="v1",...} value": `labels` is NULL-terminated pairs of (key, value),
 * values escaped as the format asks (backslash, double quote, line feed); NULL: none. */
void kf_status_sample(kf_status_text *t, const char *name, const char *const *labels,
                      const char *value);
/* A histogram's series of one label set: cumulative buckets (counts[i]: the durations that
 * fell in bucket i alone, counts[KF_STATUS_BUCKET_COUNT] above the last), _sum in seconds
 * from microseconds and _count. `labels` as for kf_status_sample. */
void kf_status_histogram(kf_status_text *t, const char *name, const char *const *labels,
                         const unsigned long long *counts, unsigned long long sum_us);
/* A count or a number as a sample's value. */
const char *kf_status_count(apr_pool_t *p, unsigned long long n);
const char *kf_status_seconds(apr_pool_t *p, long long us);
/* The whole text. */
const char *kf_status_text_join(const kf_status_text *t);

#endif
