#ifndef KF_ROUTE_H
#define KF_ROUTE_H
/* Path-pattern routing for the /api table. The table itself lives in the glue
 * (mod_kf_router.c); this matcher only needs each entry to start with a kf_route. */
#include <apr_pools.h>
#include <apr_tables.h>

typedef struct kf_route {
    const char *method;   /* "GET", "POST", "PATCH", "PUT", "DELETE" */
    const char *pattern;  /* "/api/admin/services/{id}": literal segments and {name} captures */
} kf_route;

typedef enum {
    KF_ROUTE_FOUND = 0,
    KF_ROUTE_NOT_FOUND,      /* no pattern matches the path */
    KF_ROUTE_BAD_METHOD      /* some pattern matches the path, none with this method */
} kf_route_result;

typedef struct kf_route_match {
    apr_size_t index;        /* entry that matched (KF_ROUTE_FOUND) */
    apr_table_t *params;     /* capture name -> segment text */
    const char *allow;       /* "GET, HEAD, PATCH" (KF_ROUTE_BAD_METHOD) */
} kf_route_match;

/* Entries are `count` structs of `entry_size` bytes each, every one starting with a
 * kf_route. HEAD matches GET entries. Captures never match an empty segment. Of two
 * patterns that match, the one with fewer captures wins ("/api/webhooks/google" over
 * "/api/webhooks/{provider}"), else the first. */
kf_route_result kf_route_find(apr_pool_t *p, const void *entries, apr_size_t count,
                              apr_size_t entry_size, const char *method, const char *path,
                              kf_route_match *match);

#endif
