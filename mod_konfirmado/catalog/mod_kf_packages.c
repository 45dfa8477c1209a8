/* /api/admin/packages (API.md "Admin API": Packages): N sessions of one of the tenant's
 * services sold at one price, valid for some days once paid. A catalog resource like the
 * services (mod_kf_catalog.h): DELETE archives (the row stays: purchases refer to it), lists
 * hide archived packages unless ?include_archived=true, PATCH of an archived one answers
 * 409 package_archived. The rules of the fields are lib/payments/kf_purchase.h's. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_session.h"
#include "kf_catalog_rules.h"
#include "kf_purchase.h"
#include "kf_json.h"
#include "kf_text.h"

#define PACKAGE_COLUMNS                                                                     \
    "k.id, k.name, k.description, k.service_id, k.sessions, k.price_amount, k.currency,"     \
    " k.valid_days, k.archived_at IS NOT NULL, " KFM_SQL_RFC3339("k.created_at") ","         \
    " " KFM_SQL_RFC3339("k.updated_at")

enum {
    COL_ID, COL_NAME, COL_DESCRIPTION, COL_SERVICE, COL_SESSIONS, COL_PRICE, COL_CURRENCY,
    COL_VALID_DAYS, COL_ARCHIVED, COL_CREATED, COL_UPDATED
};

const kfm_sql kfm_packages_sql[] = {
    {"kf_pkg_list",
     "SELECT " PACKAGE_COLUMNS " FROM packages k"
     " WHERE k.tenant_id = %s::uuid AND (%s::boolean OR k.archived_at IS NULL)"
     " ORDER BY k.created_at, k.id"},
    {"kf_pkg_get",
     "SELECT " PACKAGE_COLUMNS " FROM packages k WHERE k.id = %s::uuid AND k.tenant_id = %s::uuid"},
    {"kf_pkg_lock",
     "SELECT " PACKAGE_COLUMNS " FROM packages k WHERE k.id = %s::uuid AND k.tenant_id = %s::uuid"
     " FOR UPDATE OF k"},
    {"kf_pkg_insert",
     "INSERT INTO packages (tenant_id, name, description, service_id, sessions, price_amount,"
     "  currency, valid_days)"
     " VALUES (%s::uuid, %s, %s, %s::uuid, %s::int, %s::bigint, %s, %s::int) RETURNING id"},
    {"kf_pkg_update",
     "UPDATE packages SET name = %s, description = %s, service_id = %s::uuid, sessions = %s::int,"
     "  price_amount = %s::bigint, currency = %s, valid_days = %s::int, updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND archived_at IS NULL"},
    {"kf_pkg_archive",
     "UPDATE packages SET archived_at = now(), updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND archived_at IS NULL"},
    {"kf_pkg_exists", "SELECT 1 FROM packages WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    {NULL, NULL},
};

/* Fields a client may send, in the order the audit shows them. */
static const char *const package_keys[] = {
    "name", "description", "service_id", "sessions", "price", "valid_days", NULL,
};

typedef struct package_values {
    const char *name, *description, *service_id, *currency;
    apr_int64_t sessions, price, valid_days;
} package_values;

static json_t *package_json(kfm_req *kr, kfm_rows *res, int row)
{
    apr_pool_t *p = kr->r->pool;
#define V(col) kfm_db_value(kr->db, p, res, row, (col))
    json_t *o = kfm_catalog_row_json(V(COL_ID), V(COL_NAME), V(COL_DESCRIPTION));
    json_object_set_new(o, "service_id", kfm_catalog_json_str(V(COL_SERVICE)));
    json_object_set_new(o, "sessions", kfm_catalog_json_int(V(COL_SESSIONS)));
    json_object_set_new(o, "price", json_pack("{s:I, s:s}", "amount",
                                              (json_int_t)apr_atoi64(V(COL_PRICE)),
                                              "currency", V(COL_CURRENCY)));
    json_object_set_new(o, "valid_days", kfm_catalog_json_int(V(COL_VALID_DAYS)));
    kfm_catalog_row_json_close(o, V(COL_ARCHIVED), V(COL_CREATED), V(COL_UPDATED));
#undef V
    return o;
}

/* Reads every sent field over *v (POST: the required ones must be there); -1 on a database
 * failure while checking the service. */
static int read_package(kfm_req *kr, kf_fields *f, const json_t *body, int create,
                        const char *tenant_currency, package_values *v)
{
    int req = create ? KF_FIELD_REQUIRED : KF_FIELD_OPTIONAL;
    const char *s = NULL;
    apr_int64_t n;

    if (kf_field_string(f, body, "name", "name", req, KF_PACKAGE_NAME_MIN, KF_PACKAGE_NAME_MAX,
                        &s) == KF_FIELD_VALUE) {
        v->name = s;
    }
    if (json_object_get(body, "description") &&
        kf_field_string(f, body, "description", "description", KF_FIELD_NULLABLE, 0,
                        KF_PACKAGE_DESCRIPTION_MAX, &s) == KF_FIELD_VALUE) {
        v->description = s && *s ? s : NULL;
    }
    else if (json_is_null(json_object_get(body, "description"))) {
        v->description = NULL;
    }
    if (kf_field_int(f, body, "sessions", "sessions", req, KF_PACKAGE_SESSIONS_MIN,
                     KF_PACKAGE_SESSIONS_MAX, &n) == KF_FIELD_VALUE) {
        v->sessions = n;
    }
    if (kf_field_int(f, body, "valid_days", "valid_days", req, KF_PACKAGE_VALID_DAYS_MIN,
                     KF_PACKAGE_VALID_DAYS_MAX, &n) == KF_FIELD_VALUE) {
        v->valid_days = n;
    }
    kf_field_price(f, body, req, KF_PACKAGE_PRICE_MIN, tenant_currency, &v->price,
                   &v->currency);
    /* the tenant's active service (a package of an archived one cannot be sold) */
    if (kf_field_string(f, body, "service_id", "service_id", req, 0, 64, &s) == KF_FIELD_VALUE) {
        int active = kf_is_uuid(s) ? kfm_catalog_is_active(kr, KFM_CATALOG_SERVICES, s) : 0;
        if (active < 0) {
            return -1;
        }
        if (!active) {
            kf_fields_fail(f, "service_id", "service_id_invalid");
        }
        else {
            v->service_id = s;
        }
    }
    return 0;
}

static int save_package(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    package_values v;
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_package_resource, id, &w, &reply)) {
        return reply;
    }
    memset(&v, 0, sizeof(v));
    v.currency = w.tenant.currency;
    if (w.row) {
        apr_pool_t *p = kr->r->pool;
#define V(col) kfm_db_value(kr->db, p, w.row, 0, (col))
        v.name = V(COL_NAME);
        v.description = V(COL_DESCRIPTION);
        v.service_id = V(COL_SERVICE);
        v.sessions = apr_atoi64(V(COL_SESSIONS));
        v.price = apr_atoi64(V(COL_PRICE));
        v.currency = V(COL_CURRENCY);
        v.valid_days = apr_atoi64(V(COL_VALID_DAYS));
#undef V
    }
    if (read_package(kr, &w.f, w.body, w.create, w.tenant.currency, &v) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "package service check");
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }
    if (w.create) {
        kfm_rows *res = NULL;
        const char *args[] = {kr->session->tenant.id, v.name, v.description, v.service_id,
                              kfm_db_int64(kr->r->pool, v.sessions), kfm_db_int64(kr->r->pool, v.price), v.currency,
                              kfm_db_int64(kr->r->pool, v.valid_days)};
        if (kfm_db_select(kr->r, kr->db, "kf_pkg_insert", &res, 8, args) != APR_SUCCESS ||
            kfm_db_rows(kr->db, res) != 1) {
            return kfm_catalog_fail(kr, &w.tx, "package insert");
        }
        w.id = kfm_db_value(kr->db, kr->r->pool, res, 0, 0);
    }
    else {
        int affected = 0;
        const char *args[] = {v.name, v.description, v.service_id, kfm_db_int64(kr->r->pool, v.sessions),
                              kfm_db_int64(kr->r->pool, v.price), v.currency, kfm_db_int64(kr->r->pool, v.valid_days), w.id,
                              kr->session->tenant.id};
        if (kfm_db_exec(kr->r, kr->db, "kf_pkg_update", &affected, 9, args) != APR_SUCCESS ||
            affected != 1) {
            return kfm_catalog_fail(kr, &w.tx, "package update");
        }
    }
    return kfm_catalog_end_write(kr, &kfm_package_resource, &w);
}

const kfm_catalog_resource kfm_package_resource = {
    .noun = "package", .plural = "packages",
    .not_found = "package_not_found", .archived = "package_archived", .archived_col = COL_ARCHIVED,
    .list_sql = "kf_pkg_list", .get_sql = "kf_pkg_get", .lock_sql = "kf_pkg_lock",
    .archive_sql = "kf_pkg_archive", .exists_sql = "kf_pkg_exists",
    .include_flags = kfm_catalog_include_archived,
    .archive_verb = "archive", .archive_field = "archived", .archive_value = 1,
    .audit_keys = package_keys,
    .to_json = package_json,
    .save = save_package,
};

KFM_CATALOG_HANDLERS(packages, kfm_package_resource, archive)
