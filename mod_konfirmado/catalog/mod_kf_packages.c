/* /api/admin/packages (API.md "Admin API": Packages): N sessions of one of the tenant's
 * services sold at one price, valid for some days once paid. A catalog resource like the
 * services (mod_kf_catalog.h): DELETE archives (the row stays: purchases refer to it), lists
 * hide archived packages unless ?include_archived=true, PATCH of an archived one answers
 * 409 package_archived. The body's rules and the row's JSON: lib/catalog/kf_package.c. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_catalog_columns.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_session.h"
#include "kf_package.h"

#define PACKAGE_COLUMNS KFM_SQL_COLUMNS(KFM_PACKAGE_COLUMNS)

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

static json_t *package_json(kfm_req *kr, const char *const *v)
{
    return kf_package_json(v);
}

static int save_package(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    kf_package v;
    kf_catalog_lookup lookup = kfm_catalog_lookup_of(kr);
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_package_resource, id, &w, &reply)) {
        return reply;
    }
    kf_package_start(&v, w.tenant.currency, w.row);
    if (kf_package_read(&w.f, w.body, w.create, w.tenant.currency, &lookup, &v) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "package service check");
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }
    apr_pool_t *p = kr->r->pool;
    const char *values[] = {v.name, v.description, v.service_id, kfm_db_int64(p, v.sessions),
                            kfm_db_int64(p, v.price), v.currency, kfm_db_int64(p, v.valid_days)};
    if (kfm_catalog_write_row(kr, &w, "kf_pkg_insert", "kf_pkg_update", 7, values) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, w.create ? "package insert" : "package update");
    }
    return kfm_catalog_end_write(kr, &kfm_package_resource, &w);
}

const kfm_catalog_resource kfm_package_resource = {
    .noun = "package", .plural = "packages",
    .not_found = "package_not_found", .archived = "package_archived", .archived_col = KF_PKG_COL_ARCHIVED,
    .list_sql = "kf_pkg_list", .get_sql = "kf_pkg_get", .lock_sql = "kf_pkg_lock",
    .archive_sql = "kf_pkg_archive", .exists_sql = "kf_pkg_exists",
    .include_flags = kfm_catalog_include_archived,
    .archive_verb = "archive", .archive_field = "archived", .archive_value = 1,
    .audit_keys = package_keys,
    .columns = KF_PKG_COL_COUNT,
    .to_json = package_json,
    .save = save_package,
};

KFM_CATALOG_HANDLERS(packages, kfm_package_resource, archive)
