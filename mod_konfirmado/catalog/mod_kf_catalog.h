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
#include "mod_kf_session.h"
#include "kf_fields.h"




/* The {id} of the route when it is a UUID, else NULL (the caller answers 404). */
const char *kfm_catalog_route_id(kfm_req *kr);

/* 1 when the query string has name=true (or 1). */
int kfm_catalog_query_flag(kfm_req *kr, const char *name);

/* An optional, nullable URL field: at most 2048 bytes and kf_url_check under the
 * server's policy (https only unless KonfirmadoAllowInsecureURLs On). */
kf_field_result kfm_catalog_url_field(kfm_req *kr, kf_fields *f, const json_t *obj,
                                     const char *key, const char **out);

/* 1 when PostgreSQL knows the zone (pg_timezone_names); -1 on a database failure. */
int kfm_catalog_timezone_known(kfm_req *kr, const char *zone);

typedef enum { KFM_CATALOG_PROFESSIONALS, KFM_CATALOG_SERVICES, KFM_CATALOG_PACKAGES } kfm_catalog_kind;

/* An array of ids (path "professional_ids" / "service_ids"): every item must be the id
 * of an active row of that kind in the session's tenant; each bad item is a field error
 * at "path[i]". On success *pg_array is a PostgreSQL uuid[] literal of the distinct ids
 * ("{}" when empty) and *count their number. APR_SUCCESS also when field errors were
 * recorded; an error status only for a database failure. */
apr_status_t kfm_catalog_check_ids(kfm_req *kr, kf_fields *f, const json_t *ids, const char *path,
                                  kfm_catalog_kind kind, const char **pg_array, int *count);

/* 1 when `id` is an active row of that kind in the session's tenant, 0 if not, -1 on a
 * database failure. */
int kfm_catalog_is_active(kfm_req *kr, kfm_catalog_kind kind, const char *id);

/* The audit "changes" of a write: the fields of `body` named in `keys` (NULL-terminated),
 * as sent. A new object (for kfm_audit, which steals it). */
json_t *kfm_catalog_changes(const json_t *body, const char *const *keys);

/* "a,b,c" (array_to_string of ids) -> a new JSON array of strings ([] for NULL or ""). */
json_t *kfm_catalog_id_list(apr_pool_t *p, const char *csv);

/* A column value as a new JSON value: integer, boolean ("t"/"f"), or string / null. */
json_t *kfm_catalog_json_int(const char *text);
json_t *kfm_catalog_json_bool(const char *text);
json_t *kfm_catalog_json_str(const char *text);

/* A new row object of a resource that archives (services, professionals, packages), opened
 * with the members it shows first: id, name, description ... */
json_t *kfm_catalog_row_json(const char *id, const char *name, const char *description);
/* ... and closed with the ones it shows last: archived ("t"/"f"), created_at, updated_at. */
void kfm_catalog_row_json_close(json_t *o, const char *archived, const char *created_at,
                               const char *updated_at);

/* Answers 500 internal_error after rolling back `tx` (when begun). */
int kfm_catalog_fail(kfm_req *kr, kfm_tx *tx, const char *what);

/* One catalog resource (services, professionals, links; packages later), described once
 * so that list, get, create/update framing and archive are one piece of code for all.
 * Every statement named here takes the row's (id, tenant) except `list` (tenant, flag). */
typedef struct kfm_catalog_resource {
    const char *noun;          /* "service": audit target type and log lines */
    const char *plural;        /* "services": log line of the list */
    const char *not_found;     /* error code of an id the tenant does not have */
    const char *archived;      /* 409 code of a PATCH of an archived row; NULL: allowed */
    int archived_col;          /* column telling "archived" ("t"/"f") when `archived` is set */
    const char *list_sql, *get_sql, *lock_sql, *archive_sql, *exists_sql; /* labels */
    const char *const *include_flags; /* query flags that list archived rows too */
    const char *archive_verb;  /* "archive": audit action noun.verb and log line */
    const char *archive_field; /* audit changes of an archive: {field: archive_value} */
    int archive_value;
    const char *const *audit_keys; /* fields of a write shown in the audit, as sent */
    json_t *(*to_json)(kfm_req *kr, kfm_rows *res, int row);
    int (*save)(kfm_req *kr, const char *id);  /* POST (id NULL) and PATCH */
} kfm_catalog_resource;

/* include_flags of a resource that archives: ?include_archived=true lists archived rows. */
extern const char *const kfm_catalog_include_archived[];

/* The resources (mod_kf_services.c, mod_kf_professionals.c, mod_kf_links.c). */
extern const kfm_catalog_resource kfm_service_resource;
extern const kfm_catalog_resource kfm_professional_resource;
extern const kfm_catalog_resource kfm_link_resource;
extern const kfm_catalog_resource kfm_package_resource;

/* post_config, after kfm_db_check_statements: every statement label of every resource is
 * declared. !OK, logged, otherwise. */
int kfm_catalog_check_statements(server_rec *s);

/* GET list, GET {id}, POST, PATCH {id}, DELETE {id} of a resource. An {id} that is not
 * the tenant's answers 404 rc->not_found. DELETE archives (an archived row: 204 again,
 * nothing written) and writes the audit row. */
int kfm_catalog_list(kfm_req *kr, const kfm_catalog_resource *rc);
int kfm_catalog_get(kfm_req *kr, const kfm_catalog_resource *rc);
int kfm_catalog_create(kfm_req *kr, const kfm_catalog_resource *rc);
int kfm_catalog_update(kfm_req *kr, const kfm_catalog_resource *rc);
int kfm_catalog_archive(kfm_req *kr, const kfm_catalog_resource *rc);

/* Defines a resource's five route handlers kfm_handle_<name>_list/_create/_get/_update/
 * _<del> (mod_kf_catalog_feature.h) over the generic ones. */
#define KFM_CATALOG_HANDLERS(name, rc, del)                                                  \
    int kfm_handle_##name##_list(kfm_req *kr) { return kfm_catalog_list(kr, &(rc)); }         \
    int kfm_handle_##name##_create(kfm_req *kr) { return kfm_catalog_create(kr, &(rc)); }     \
    int kfm_handle_##name##_get(kfm_req *kr) { return kfm_catalog_get(kr, &(rc)); }           \
    int kfm_handle_##name##_update(kfm_req *kr) { return kfm_catalog_update(kr, &(rc)); }     \
    int kfm_handle_##name##_##del(kfm_req *kr) { return kfm_catalog_archive(kr, &(rc)); }

/* A POST or PATCH in progress: what every resource's save reads and writes alike. */
typedef struct kfm_catalog_write {
    const char *id;              /* the row (after an insert: the new one) */
    int create;                  /* POST */
    json_t *body;                /* the request's JSON object */
    kfm_tx tx;
    kfm_rows *row;      /* PATCH: the locked row as stored (row 0); POST: NULL */
    kfm_tenant tenant;           /* the session's tenant: currency and zone of new rows */
    kf_fields f;                 /* field errors */
} kfm_catalog_write;

/* The first steps of a save: reads the body, copies the session's tenant,
 * begins the transaction and, for a PATCH (id set), locks the row and refuses an unknown
 * (404) or archived (409) one. 1: go on; 0: answered (and rolled back), return *reply. */
int kfm_catalog_begin_write(kfm_req *kr, const kfm_catalog_resource *rc, const char *id,
                           kfm_catalog_write *w, int *reply);

/* Rolls back and answers 400 with the field errors of w->f. */
int kfm_catalog_refuse(kfm_req *kr, kfm_catalog_write *w);

/* The last steps of a save: the audit row (noun.create / noun.update, with the sent
 * audit_keys of the body), commit, then the row as stored (201 or 200). */
int kfm_catalog_end_write(kfm_req *kr, const kfm_catalog_resource *rc, kfm_catalog_write *w);

#endif
