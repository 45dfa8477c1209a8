/* /api/admin/links (API.md "Admin API"): booking links, each a random slug that opens the
 * public booking page at KonfirmadoPublicURL/book/{slug}, optionally preselecting a
 * service and/or a professional (who must then offer that service). DELETE deactivates:
 * the row stays, lists hide inactive links unless ?include_inactive=true, and PATCH
 * {"active": true} brings one back. The body's rules and the row's JSON:
 * lib/catalog/kf_link.c. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_catalog_columns.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_tenant.h"
#include "kf_catalog_rules.h"
#include "kf_link.h"
#include "kf_crypto.h"

#define LINK_COLUMNS KFM_SQL_COLUMNS(KFM_LINK_COLUMNS)

const kfm_sql kfm_links_sql[] = {
    {"kf_link_list",
     "SELECT " LINK_COLUMNS " FROM booking_links l"
     " WHERE l.tenant_id = %s::uuid AND (%s::boolean OR l.active)"
     " ORDER BY l.created_at, l.id"},
    {"kf_link_get",
     "SELECT " LINK_COLUMNS " FROM booking_links l WHERE l.id = %s::uuid AND l.tenant_id = %s::uuid"},
    {"kf_link_lock",
     "SELECT " LINK_COLUMNS " FROM booking_links l WHERE l.id = %s::uuid AND l.tenant_id = %s::uuid"
     " FOR UPDATE"},
    {"kf_link_insert",
     "INSERT INTO booking_links (tenant_id, slug, name, service_id, professional_id, expires_at,"
     "  active, metadata, assign, assign_weights)"
     " VALUES (%s::uuid, %s, %s, %s::uuid, %s::uuid, %s::timestamptz, %s::boolean, %s::jsonb,"
     "  %s, %s::jsonb)"
     " ON CONFLICT (slug) DO NOTHING RETURNING id"},
    {"kf_link_update",
     "UPDATE booking_links SET name = %s, service_id = %s::uuid, professional_id = %s::uuid,"
     "  expires_at = %s::timestamptz, active = %s::boolean, metadata = %s::jsonb,"
     "  assign = %s, assign_weights = %s::jsonb, updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    {"kf_link_deactivate",
     "UPDATE booking_links SET active = false, updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND active"},
    {"kf_link_exists", "SELECT 1 FROM booking_links WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    /* packages: the link's package_ids, replaced as a whole */
    {"kf_link_unassign_packages",
     "DELETE FROM link_packages WHERE tenant_id = %s::uuid AND link_id = %s::uuid"},
    {"kf_link_assign_packages",
     "INSERT INTO link_packages (tenant_id, link_id, package_id)"
     " SELECT k.tenant_id, %s::uuid, k.id FROM packages k"
     " WHERE k.tenant_id = %s::uuid AND k.archived_at IS NULL AND k.id = ANY(%s::uuid[])"
     " ON CONFLICT DO NOTHING"},
    /* the link's professional (or NULL), tenant, package ids */
    {"kf_link_package_services",
     "SELECT " KFM_SQL_COLUMNS(KFM_LINK_PACKAGE_COLUMNS)
     " FROM packages k JOIN services s ON s.id = k.service_id AND s.tenant_id = k.tenant_id"
     " WHERE k.tenant_id = %s::uuid AND k.id = ANY(%s::uuid[]) ORDER BY k.created_at, k.id"},
    {NULL, NULL},
};



static const char *const link_keys[] = {
    "name", "service_id", "professional_id", "expires_at", "active", "package_ids", "assign",
    "weights", NULL,
};

static json_t *link_json(kfm_req *kr, const char *const *v)
{
    const char *path = apr_pstrcat(kr->r->pool, "/book/", v[KF_LINK_COL_SLUG], NULL);
    return kf_link_json(kr->r->pool, v, kfm_tenant_public_url(kr, path));
}

/* The packages of the offer (pg_array, a uuid[] literal) the link cannot sell are a field
 * error (kf_link_refuse_unsold). -1 on a database failure. */
static int check_offer(kfm_req *kr, kf_fields *f, const kf_link *v, const char *pg_array)
{
    kfm_rows *res = NULL;
    const char *args[] = {v->professional_id, kr->session->tenant.id, pg_array};
    if (kfm_db_select(kr->r, kr->db, "kf_link_package_services", &res, 3, args) != APR_SUCCESS) {
        return -1;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, kr->r->pool, res, KF_LINK_PKG_COUNT,
                                                     &n);
    kf_link_refuse_unsold(f, v, rows, n);
    return 0;
}

/* INSERT with a fresh slug; a collision (2^-128 odds, but UNIQUE says so) draws again. */
static apr_status_t insert_link(kfm_req *kr, const kf_link *v, const char **id)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        const char *slug = kf_random_token(kr->r->pool, KF_LINK_SLUG_BYTES);
        if (!slug) {
            return APR_EGENERAL;
        }
        const char *args[] = {kr->session->tenant.id, slug, v->name, v->service_id,
                              v->professional_id, v->expires_at, v->active ? "true" : "false",
                              v->metadata, v->assign.assign, v->assign.weights};
        /* no row: the slug was taken */
        apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_link_insert", 10, args,
                                            id, 1);
        if (rv != APR_NOTFOUND) {
            return rv;
        }
    }
    return APR_EGENERAL;
}

static int save_link(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    kf_link v;
    kf_catalog_lookup lookup = kfm_catalog_lookup_of(kr);
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_link_resource, id, &w, &reply)) {
        return reply;
    }
    kf_link_start(&v, w.row);
    if (kf_link_read(&w.f, w.body, w.create, apr_time_sec(apr_time_now()), &lookup, &v) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "link references check");
    }
    const char *packages = "{}";
    int package_count = 0;
    if (v.package_ids && kf_catalog_check_ids(&lookup, &w.f, v.package_ids, "package_ids",
                                              KF_CATALOG_PACKAGES, &packages, &package_count) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "link package ids check");
    }
    const char *offer = kf_link_offer(kr->r->pool, &v, w.body, w.create, packages, package_count,
                                      w.row ? w.row[KF_LINK_COL_PACKAGES] : NULL);
    if (offer && kf_fields_ok(&w.f) && check_offer(kr, &w.f, &v, offer) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "link offer check");
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }
    /* a new link's slug is drawn by insert_link */
    const char *values[] = {v.name, v.service_id, v.professional_id, v.expires_at,
                            v.active ? "true" : "false", v.metadata, v.assign.assign,
                            v.assign.weights};
    if ((w.create ? insert_link(kr, &v, &w.id)
                  : kfm_catalog_write_row(kr, &w, NULL, "kf_link_update", 8, values)) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, w.create ? "link insert" : "link update");
    }
    apr_status_t rv = v.package_ids
        ? kfm_catalog_assign(kr, &w, "kf_link_unassign_packages", "kf_link_assign_packages",
                             packages, package_count, "package_ids", KF_CATALOG_PACKAGES)
        : APR_SUCCESS;
    if (rv != APR_SUCCESS) {
        return kfm_catalog_assign_failed(kr, &w, rv, "link packages");
    }
    return kfm_catalog_end_write(kr, &kfm_link_resource, &w);
}

/* a deactivated link is not archived: PATCH {"active": true} brings it back */
static const char *const include_inactive[] = {"include_inactive", "include_archived", NULL};

const kfm_catalog_resource kfm_link_resource = {
    .noun = "link", .plural = "links",
    .not_found = "not_found", .archived = NULL, .archived_col = -1,
    .list_sql = "kf_link_list", .get_sql = "kf_link_get", .lock_sql = "kf_link_lock",
    .archive_sql = "kf_link_deactivate", .exists_sql = "kf_link_exists",
    .include_flags = include_inactive,
    .archive_verb = "deactivate", .archive_field = "active", .archive_value = 0,
    .audit_keys = link_keys,
    .columns = KF_LINK_COL_COUNT,
    .to_json = link_json,
    .save = save_link,
};

KFM_CATALOG_HANDLERS(links, kfm_link_resource, deactivate)
