#ifndef MOD_KF_CATALOG_H
#define MOD_KF_CATALOG_H
/* What the catalog handlers (services, professionals, links, packages) share: the generic
 * list, get, write and archive of a resource, and the statements that answer the questions
 * of lib/catalog/kf_catalog_lookup.h (ids of the tenant's active rows, who offers what; a
 * time zone is the tenant feature's question, kfm_tenant_zone_known).
 *
 * Every statement here is scoped by the session's tenant; ids are checked with
 * kf_is_uuid before they reach SQL. */
#include "mod_kf_request.h"
#include "mod_kf_sql.h"
#include "mod_kf_db.h"
#include "mod_kf_session.h"
#include "kf_fields.h"
#include "kf_catalog_lookup.h"
#include "kf_catalog_json.h"

/* The questions a catalog write asks the session tenant's rows (kf_catalog_lookup.h),
 * answered with this request's statements. */
kf_catalog_lookup kfm_catalog_lookup_of(kfm_req *kr);

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
    int columns;               /* of a row its list, get and lock statements select */
    json_t *(*to_json)(kfm_req *kr, const char *const *row);   /* a row's values */
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
    const char *const *row;      /* PATCH: the locked row's values as stored; POST: NULL */
    kfm_tenant tenant;           /* the session's tenant: currency and zone of new rows */
    kf_fields f;                 /* field errors */
} kfm_catalog_write;

/* The first steps of a save: reads the body, copies the session's tenant,
 * begins the transaction and, for a PATCH (id set), locks the row and refuses an unknown
 * (404) or archived (409) one. 1: go on; 0: answered (and rolled back), return *reply. */
int kfm_catalog_begin_write(kfm_req *kr, const kfm_catalog_resource *rc, const char *id,
                           kfm_catalog_write *w, int *reply);

/* The row of a save: a POST runs `insert` (the tenant, then the n values; w->id becomes the
 * new row's), a PATCH runs `update` (the n values, then id and tenant; exactly one row).
 * APR_SUCCESS, else the caller answers kfm_catalog_fail. */
apr_status_t kfm_catalog_write_row(kfm_req *kr, kfm_catalog_write *w, const char *insert,
                                   const char *update, int n, const char *const *values);

/* A row's set of other rows (a service's professionals, a link's packages, a professional's
 * services) replaced by the ids (a PostgreSQL array of `count` checked ids of that kind, sent
 * as the field `path`): `unassign` (tenant, row) then `assign` (row, tenant, ids).
 * APR_SUCCESS; APR_EINVAL when fewer were assigned than checked (one was archived
 * meanwhile), the field's error (kf_catalog_bad_id) recorded in w->f; else the failure.
 * Either answer is kfm_catalog_assign_failed's. */
apr_status_t kfm_catalog_assign(kfm_req *kr, kfm_catalog_write *w, const char *unassign,
                                const char *assign, const char *ids, int count, const char *path,
                                kf_catalog_kind kind);

/* The answer to an assignment that did not succeed (rv): 400 with the field errors for
 * APR_EINVAL, else 500 (`what` in the log); rolled back. */
int kfm_catalog_assign_failed(kfm_req *kr, kfm_catalog_write *w, apr_status_t rv,
                              const char *what);

/* Rolls back and answers 400 with the field errors of w->f. */
int kfm_catalog_refuse(kfm_req *kr, kfm_catalog_write *w);

/* The last steps of a save: the audit row (noun.create / noun.update, with the sent
 * audit_keys of the body), commit, then the row as stored (201 or 200). */
int kfm_catalog_end_write(kfm_req *kr, const kfm_catalog_resource *rc, kfm_catalog_write *w);

#endif
