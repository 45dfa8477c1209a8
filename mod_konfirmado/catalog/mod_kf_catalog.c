/* Shared pieces of the catalog admin API: see mod_kf_catalog.h. */
#include "mod_kf_catalog.h"
#include "mod_kf_catalog_feature.h"
#include "mod_kf_session.h"
#include "mod_kf_audit.h"
#include "mod_kf_tenant.h"
#include "kf_catalog_rules.h"
#include "kf_text.h"

#include "util_script.h"

const kfm_sql kfm_catalog_sql[] = {
    {"kf_cat_active_professionals",
     "SELECT id FROM professionals"
     " WHERE tenant_id = %s::uuid AND archived_at IS NULL AND id = ANY(%s::uuid[])"},
    {"kf_cat_active_services",
     "SELECT id FROM services"
     " WHERE tenant_id = %s::uuid AND archived_at IS NULL AND id = ANY(%s::uuid[])"},
    {"kf_cat_active_packages",
     "SELECT id FROM packages"
     " WHERE tenant_id = %s::uuid AND archived_at IS NULL AND id = ANY(%s::uuid[])"},
    {"kf_cat_offers",
     "SELECT 1 FROM service_professionals"
     " WHERE tenant_id = %s::uuid AND service_id = %s::uuid AND professional_id = %s::uuid"},
    {NULL, NULL},
};

/* The statement of a kind of id (kfm_catalog_lookup_of). */
static const char *active_sql(kf_catalog_kind kind)
{
    return kind == KF_CATALOG_PROFESSIONALS ? "kf_cat_active_professionals"
           : kind == KF_CATALOG_PACKAGES   ? "kf_cat_active_packages"
                                           : "kf_cat_active_services";
}

/* The {id} of the route when it is a UUID, else NULL (the caller answers 404). */
static const char *route_id(kfm_req *kr)
{
    const char *id = kr->params ? apr_table_get(kr->params, "id") : NULL;
    return id && kf_is_uuid(id) ? id : NULL;
}

static apr_hash_t *lookup_active(void *ctx, apr_pool_t *p, kf_catalog_kind kind,
                                 const char *pg_array)
{
    kfm_req *kr = ctx;
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id, pg_array};
    if (kfm_db_select(kr->r, kr->db, active_sql(kind), &res, 2, args) != APR_SUCCESS) {
        return NULL;
    }
    apr_hash_t *found = apr_hash_make(p);
    for (int row = 0; row < kfm_db_rows(kr->db, res); row++) {
        apr_hash_set(found, kfm_db_value(kr->db, p, res, row, 0), APR_HASH_KEY_STRING, "");
    }
    return found;
}

static int lookup_zone_known(void *ctx, const char *zone)
{
    return kfm_tenant_zone_known(ctx, zone);
}

static int lookup_offers(void *ctx, const char *service_id, const char *professional_id)
{
    kfm_req *kr = ctx;
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id, service_id, professional_id};
    if (kfm_db_select(kr->r, kr->db, "kf_cat_offers", &res, 3, args) != APR_SUCCESS) {
        return -1;
    }
    return kfm_db_rows(kr->db, res) > 0;
}

kf_catalog_lookup kfm_catalog_lookup_of(kfm_req *kr)
{
    kf_catalog_lookup lk = {kr, lookup_active, lookup_zone_known, lookup_offers};
    return lk;
}

int kfm_catalog_fail(kfm_req *kr, kfm_tx *tx, const char *what)
{
    if (tx) {
        kfm_db_rollback(kr->r, tx);
    }
    kfm_log(kr, APLOG_ERR, "catalog: %s failed", what);
    return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
}

/* ---- the generic handlers of a kfm_catalog_resource ---- */

const char *const kfm_catalog_include_archived[] = {"include_archived", NULL};

static const kfm_catalog_resource *const resources[] = {
    &kfm_service_resource, &kfm_professional_resource, &kfm_link_resource,
    &kfm_package_resource, NULL,
};

int kfm_catalog_check_statements(server_rec *s)
{
    int ok = 1;
    for (int i = 0; resources[i]; i++) {
        const kfm_catalog_resource *rc = resources[i];
        const char *labels[] = {rc->list_sql, rc->get_sql, rc->lock_sql, rc->archive_sql,
                                rc->exists_sql};
        for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
            if (!kfm_db_statement_known(labels[k])) {
                ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                             "mod_konfirmado: the %s resource names an undeclared statement %s",
                             rc->noun, labels[k] ? labels[k] : "(none)");
                ok = 0;
            }
        }
    }
    return ok ? OK : !OK;
}

static int fail_about(kfm_req *kr, kfm_tx *tx, const kfm_catalog_resource *rc, const char *what)
{
    return kfm_catalog_fail(kr, tx, apr_pstrcat(kr->r->pool, rc->noun, " ", what, NULL));
}

static int include_all(kfm_req *kr, const kfm_catalog_resource *rc)
{
    apr_table_t *query = NULL;
    ap_args_to_table(kr->r, &query);
    return kf_catalog_lists_all(query, rc->include_flags);
}

int kfm_catalog_list(kfm_req *kr, const kfm_catalog_resource *rc)
{
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id, include_all(kr, rc) ? "true" : "false"};
    if (kfm_db_select(kr->r, kr->db, rc->list_sql, &res, 2, args) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, NULL, apr_pstrcat(kr->r->pool, rc->plural, " list", NULL));
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, kr->r->pool, res, rc->columns, &n);
    json_t *items = json_array();
    for (int row = 0; row < n; row++) {
        json_array_append_new(items, rc->to_json(kr, rows[row]));
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "items", items));
}

int kfm_catalog_get(kfm_req *kr, const kfm_catalog_resource *rc)
{
    const char *id = route_id(kr);
    if (!id) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, rc->not_found);
    }
    const char **v = apr_palloc(kr->r->pool, sizeof(*v) * (apr_size_t)rc->columns);
    const char *args[] = {id, kr->session->tenant.id};
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, rc->get_sql, 2, args, v,
                                        rc->columns);
    if (rv == APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, rc->not_found);
    }
    return rv != APR_SUCCESS ? fail_about(kr, NULL, rc, "get")
                             : kfm_reply_json(kr, HTTP_OK, rc->to_json(kr, v));
}

int kfm_catalog_create(kfm_req *kr, const kfm_catalog_resource *rc)
{
    return rc->save(kr, NULL);
}

int kfm_catalog_update(kfm_req *kr, const kfm_catalog_resource *rc)
{
    const char *id = route_id(kr);
    if (!id) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, rc->not_found);
    }
    return rc->save(kr, id);
}

int kfm_catalog_archive(kfm_req *kr, const kfm_catalog_resource *rc)
{
    const char *id = route_id(kr);
    kfm_tx tx = {0};
    int affected = 0;
    if (!id) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, rc->not_found);
    }
    const char *args[] = {id, kr->session->tenant.id};
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, NULL, "begin");
    }
    if (kfm_db_exec(kr->r, kr->db, rc->archive_sql, &affected, 2, args) != APR_SUCCESS) {
        return fail_about(kr, &tx, rc, rc->archive_verb);
    }
    if (affected == 0) {
        /* already archived (nothing to do) or not this tenant's */
        kfm_rows *res = NULL;
        if (kfm_db_select(kr->r, kr->db, rc->exists_sql, &res, 2, args) != APR_SUCCESS) {
            return fail_about(kr, &tx, rc, "exists");
        }
        kfm_db_rollback(kr->r, &tx);
        return kfm_db_rows(kr->db, res) == 1 ? kfm_reply_empty(kr, HTTP_NO_CONTENT)
                                            : kfm_reply_error(kr, HTTP_NOT_FOUND, rc->not_found);
    }
    const char *action = apr_pstrcat(kr->r->pool, rc->noun, ".", rc->archive_verb, NULL);
    if (kfm_audit(kr, kr->db, action, rc->noun, id,
                 json_pack("{s:b}", rc->archive_field, rc->archive_value)) != APR_SUCCESS) {
        return fail_about(kr, &tx, rc, "audit");
    }
    if (kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return fail_about(kr, NULL, rc, "commit");
    }
    return kfm_reply_empty(kr, HTTP_NO_CONTENT);
}

int kfm_catalog_begin_write(kfm_req *kr, const kfm_catalog_resource *rc, const char *id,
                           kfm_catalog_write *w, int *reply)
{
    memset(w, 0, sizeof(*w));
    w->id = id;
    w->create = id == NULL;
    if (kfm_read_json(kr, &w->body) != APR_SUCCESS) {
        *reply = OK;
        return 0;
    }
    w->tenant = kr->session->tenant;
    if (kfm_db_begin(kr->r, kr->db, &w->tx) != APR_SUCCESS) {
        *reply = kfm_catalog_fail(kr, NULL, "begin");
        return 0;
    }
    kf_fields_init(&w->f, kr->r->pool, kr->locale);
    if (w->create) {
        return 1;
    }
    const char **row = apr_palloc(kr->r->pool, sizeof(*row) * (apr_size_t)rc->columns);
    const char *args[] = {id, kr->session->tenant.id};
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, rc->lock_sql, 2, args, row,
                                        rc->columns);
    if (rv != APR_SUCCESS) {
        *reply = rv == APR_NOTFOUND
                     ? kfm_rollback_and_reply(kr, &w->tx, HTTP_NOT_FOUND, rc->not_found)
                     : fail_about(kr, &w->tx, rc, "lock");
        return 0;
    }
    w->row = row;
    if (rc->archived && strcmp(row[rc->archived_col], "t") == 0) {
        *reply = kfm_rollback_and_reply(kr, &w->tx, HTTP_CONFLICT, rc->archived);
        return 0;
    }
    return 1;
}

int kfm_catalog_refuse(kfm_req *kr, kfm_catalog_write *w)
{
    kfm_db_rollback(kr->r, &w->tx);
    return kfm_reply_fields(kr, kf_fields_take(&w->f));
}

int kfm_catalog_end_write(kfm_req *kr, const kfm_catalog_resource *rc, kfm_catalog_write *w)
{
    const char *action = apr_pstrcat(kr->r->pool, rc->noun, w->create ? ".create" : ".update",
                                     NULL);
    if (kfm_audit(kr, kr->db, action, rc->noun, w->id,
                 kf_catalog_changes(w->body, rc->audit_keys)) != APR_SUCCESS) {
        return fail_about(kr, &w->tx, rc, "audit");
    }
    if (kfm_db_commit(kr->r, &w->tx) != APR_SUCCESS) {
        return fail_about(kr, NULL, rc, "commit");
    }
    const char **v = apr_palloc(kr->r->pool, sizeof(*v) * (apr_size_t)rc->columns);
    const char *args[] = {w->id, kr->session->tenant.id};
    if (kfm_db_select_row(kr->r, kr->db, kr->r->pool, rc->get_sql, 2, args, v, rc->columns) !=
        APR_SUCCESS) {
        return fail_about(kr, NULL, rc, "read-back");
    }
    return kfm_reply_json(kr, w->create ? HTTP_CREATED : HTTP_OK, rc->to_json(kr, v));
}

apr_status_t kfm_catalog_write_row(kfm_req *kr, kfm_catalog_write *w, const char *insert,
                                   const char *update, int n, const char *const *values)
{
    const char *tenant_id = kr->session->tenant.id;
    const char **args = apr_palloc(kr->r->pool, sizeof(*args) * (apr_size_t)(n + 2));
    memcpy(w->create ? args + 1 : args, values, sizeof(*args) * (apr_size_t)n);
    if (w->create) {
        args[0] = tenant_id;
        w->id = NULL;
        apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, insert, n + 1, args,
                                            &w->id, 1);
        return rv == APR_NOTFOUND ? APR_EGENERAL : rv;
    }
    int affected = 0;
    args[n] = w->id;
    args[n + 1] = tenant_id;
    apr_status_t rv = kfm_db_exec(kr->r, kr->db, update, &affected, n + 2, args);
    return rv == APR_SUCCESS && affected != 1 ? APR_EGENERAL : rv;
}

apr_status_t kfm_catalog_assign(kfm_req *kr, kfm_catalog_write *w, const char *unassign,
                                const char *assign, const char *ids, int count, const char *path,
                                kf_catalog_kind kind)
{
    int assigned = 0;
    const char *unassign_args[] = {kr->session->tenant.id, w->id};
    const char *assign_args[] = {w->id, kr->session->tenant.id, ids};
    apr_status_t rv = kfm_db_exec(kr->r, kr->db, unassign, NULL, 2, unassign_args);
    if (rv == APR_SUCCESS) {
        rv = kfm_db_exec(kr->r, kr->db, assign, &assigned, 3, assign_args);
    }
    if (rv == APR_SUCCESS && assigned != count) {
        kf_fields_fail(&w->f, path, kf_catalog_bad_id(kind));
        return APR_EINVAL;
    }
    return rv;
}

int kfm_catalog_assign_failed(kfm_req *kr, kfm_catalog_write *w, apr_status_t rv,
                              const char *what)
{
    return rv == APR_EINVAL ? kfm_catalog_refuse(kr, w) : kfm_catalog_fail(kr, &w->tx, what);
}
