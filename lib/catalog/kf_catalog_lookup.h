#ifndef KF_CATALOG_LOOKUP_H
#define KF_CATALOG_LOOKUP_H
/* What a catalog write must ask the tenant's stored catalog while its body is read: which
 * ids are its active rows, whether a time zone is known, whether a professional offers a
 * service. The glue fills the questions in with statements; the suites with tables. The
 * readers built on it keep the order in which a body's field errors are recorded. */
#include <apr_pools.h>
#include <apr_hash.h>
#include <jansson.h>

#include "kf_fields.h"

typedef enum { KF_CATALOG_PROFESSIONALS, KF_CATALOG_SERVICES, KF_CATALOG_PACKAGES } kf_catalog_kind;

typedef struct kf_catalog_lookup {
    void *ctx;
    /* The ids of pg_array (a uuid[] literal of lower-case ids) that are active rows of that
     * kind in the tenant, as a set of lower-case ids in p; NULL when it cannot be told. */
    apr_hash_t *(*active)(void *ctx, apr_pool_t *p, kf_catalog_kind kind, const char *pg_array);
    /* 1 when the zone is one the database knows, 0 if not, -1 when it cannot be told. */
    int (*zone_known)(void *ctx, const char *zone);
    /* 1 when the professional offers the service, 0 if not, -1 when it cannot be told. */
    int (*offers)(void *ctx, const char *service_id, const char *professional_id);
} kf_catalog_lookup;

/* The field error of an id that is not an active row of that kind: "service_id_invalid"... */
const char *kf_catalog_bad_id(kf_catalog_kind kind);

/* 1 when `id` (a UUID) is an active row of that kind, 0 if not, -1 when it cannot be told. */
int kf_catalog_is_active(const kf_catalog_lookup *lk, apr_pool_t *p, kf_catalog_kind kind,
                         const char *id);

/* An array of ids (path "professional_ids" / "service_ids" / "package_ids"): every item must
 * be the id of an active row of that kind; each bad item is a field error at "path[i]". On
 * success *pg_array is a uuid[] literal of the distinct ids in lower case ("{}" when none)
 * and *count their number. 0 also when field errors were recorded; -1 when the lookup
 * failed. */
int kf_catalog_check_ids(const kf_catalog_lookup *lk, kf_fields *f, const json_t *ids,
                         const char *path, kf_catalog_kind kind, const char **pg_array,
                         int *count);

/* An optional reference (obj[key], nullable): null, or the id of an active row of that
 * kind, written to *dest when sent and valid; a bad one is a field error at key. -1 when the
 * lookup failed, else 0. */
int kf_catalog_reference_field(const kf_catalog_lookup *lk, kf_fields *f, const json_t *obj,
                               const char *key, kf_catalog_kind kind, const char **dest);

#endif
