#ifndef MOD_KF_CATALOG_H
#define MOD_KF_CATALOG_H
/* What the catalog handlers (services, professionals, links) share: the tenant's
 * defaults, id lists checked against the tenant's active rows, URL fields under the
 * server's URL policy, audit payloads, and the database's row formats.
 *
 * Every statement here is scoped by the session's tenant; ids are checked with
 * kf_is_uuid before they reach SQL. */
#include "mod_kf_request.h"
#include "mod_kf_sql.h"
#include "mod_kf_db.h"
#include "kf_fields.h"

extern const kf_sql kf_catalog_sql[];
extern const kf_sql kf_services_sql[];
extern const kf_sql kf_professionals_sql[];
extern const kf_sql kf_links_sql[];


/* The session tenant's currency and time zone (defaults of new rows). */
typedef struct kf_tenant_defaults {
    const char *currency;
    const char *timezone;
} kf_tenant_defaults;
apr_status_t kf_catalog_tenant_defaults(kf_req *kr, kf_tenant_defaults *out);

/* The {id} of the route when it is a UUID, else NULL (the caller answers 404). */
const char *kf_catalog_route_id(kf_req *kr);

/* 1 when the query string has name=true (or 1). */
int kf_catalog_query_flag(kf_req *kr, const char *name);

/* An optional, nullable URL field: at most 2048 bytes and kf_url_check under the
 * server's policy (https only unless KonfirmadoAllowInsecureURLs On). */
kf_field_result kf_catalog_url_field(kf_req *kr, kf_fields *f, const json_t *obj,
                                     const char *key, const char **out);

/* 1 when PostgreSQL knows the zone (pg_timezone_names); -1 on a database failure. */
int kf_catalog_timezone_known(kf_req *kr, const char *zone);

typedef enum { KF_CATALOG_PROFESSIONALS, KF_CATALOG_SERVICES } kf_catalog_kind;

/* An array of ids (path "professional_ids" / "service_ids"): every item must be the id
 * of an active row of that kind in the session's tenant; each bad item is a field error
 * at "path[i]". On success *pg_array is a PostgreSQL uuid[] literal of the distinct ids
 * ("{}" when empty) and *count their number. APR_SUCCESS also when field errors were
 * recorded; an error status only for a database failure. */
apr_status_t kf_catalog_check_ids(kf_req *kr, kf_fields *f, const json_t *ids, const char *path,
                                  kf_catalog_kind kind, const char **pg_array, int *count);

/* 1 when `id` is an active row of that kind in the session's tenant, 0 if not, -1 on a
 * database failure. */
int kf_catalog_is_active(kf_req *kr, kf_catalog_kind kind, const char *id);

/* The audit "changes" of a write: the fields of `body` named in `keys` (NULL-terminated),
 * as sent. A new object (for kf_audit, which steals it). */
json_t *kf_catalog_changes(const json_t *body, const char *const *keys);

/* "a,b,c" (array_to_string of ids) -> a new JSON array of strings ([] for NULL or ""). */
json_t *kf_catalog_id_list(apr_pool_t *p, const char *csv);

/* A column value as a new JSON value: integer, boolean ("t"/"f"), or string / null. */
json_t *kf_catalog_json_int(const char *text);
json_t *kf_catalog_json_bool(const char *text);
json_t *kf_catalog_json_str(const char *text);

/* Answers 500 internal_error after rolling back `tx` (when begun). */
int kf_catalog_fail(kf_req *kr, kf_tx *tx, const char *what);

#endif
