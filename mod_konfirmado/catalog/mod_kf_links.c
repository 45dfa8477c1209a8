/* /api/admin/links (API.md "Admin API"): booking links, each a random slug that opens the
 * public booking page at KonfirmadoPublicURL/book/{slug}, optionally preselecting a
 * service and/or a professional (who must then offer that service). DELETE deactivates:
 * the row stays, lists hide inactive links unless ?include_inactive=true, and PATCH
 * {"active": true} brings one back. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_catalog_rules.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_url.h"

/* 16 random bytes: 128 bits, 22 URL-safe characters (the table wants 16..64). */

#define LINK_COLUMNS                                                                        \
    "l.id, l.slug, l.name, l.service_id, l.professional_id, " KFM_SQL_RFC3339("l.expires_at") ","  \
    " l.active, " KFM_SQL_RFC3339("l.created_at") ", " KFM_SQL_RFC3339("l.updated_at") ","    \
    /* packages: the active packages the link offers */                                     \
    " array_to_string(ARRAY(SELECT lp.package_id FROM link_packages lp"                      \
    "   JOIN packages k ON k.id = lp.package_id AND k.archived_at IS NULL"                   \
    "   WHERE lp.link_id = l.id ORDER BY k.created_at, k.id), ',')"

enum {
    COL_ID, COL_SLUG, COL_NAME, COL_SERVICE, COL_PROFESSIONAL, COL_EXPIRES, COL_ACTIVE,
    COL_CREATED, COL_UPDATED, COL_PACKAGES
};

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
     "  active)"
     " VALUES (%s::uuid, %s, %s, %s::uuid, %s::uuid, %s::timestamptz, %s::boolean)"
     " ON CONFLICT (slug) DO NOTHING RETURNING id"},
    {"kf_link_update",
     "UPDATE booking_links SET name = %s, service_id = %s::uuid, professional_id = %s::uuid,"
     "  expires_at = %s::timestamptz, active = %s::boolean, updated_at = now()"
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
    /* tenant, package ids, the link's professional (or NULL): what kf_link_sells_package
     * needs to know of each package */
    {"kf_link_package_services",
     "SELECT k.name, k.service_id, s.archived_at IS NULL,"
     "  EXISTS (SELECT 1 FROM service_professionals sp WHERE sp.tenant_id = k.tenant_id"
     "    AND sp.service_id = k.service_id AND sp.professional_id = %s::uuid)"
     " FROM packages k JOIN services s ON s.id = k.service_id AND s.tenant_id = k.tenant_id"
     " WHERE k.tenant_id = %s::uuid AND k.id = ANY(%s::uuid[]) ORDER BY k.created_at, k.id"},
    {"kf_link_offers",
     "SELECT 1 FROM service_professionals"
     " WHERE tenant_id = %s::uuid AND service_id = %s::uuid AND professional_id = %s::uuid"},
    {NULL, NULL},
};



static const char *const link_keys[] = {
    "name", "service_id", "professional_id", "expires_at", "active", "package_ids", NULL,
};

typedef struct link_values {
    const char *name, *service_id, *professional_id, *expires_at;
    int active;
    json_t *package_ids;   /* packages: the sent list, or NULL (the offer stays) */
} link_values;

static const char *link_url(kfm_req *kr, const char *slug)
{
    const char *base = kfm_conf_public_url(kr->conf);
    const char *path = apr_pstrcat(kr->r->pool, "/book/", slug, NULL);
    if (!base) {
        return ap_construct_url(kr->r->pool, path, kr->r);
    }
    return apr_pstrcat(kr->r->pool, kf_url_trim_slash(kr->r->pool, base), path, NULL);
}

static json_t *link_json(kfm_req *kr, kfm_rows *res, int row)
{
    apr_pool_t *p = kr->r->pool;
#define V(col) kfm_db_value(kr->db, p, res, row, (col))
    json_t *o = json_object();
    json_object_set_new(o, "id", kfm_catalog_json_str(V(COL_ID)));
    json_object_set_new(o, "name", kfm_catalog_json_str(V(COL_NAME)));
    json_object_set_new(o, "slug", kfm_catalog_json_str(V(COL_SLUG)));
    json_object_set_new(o, "url", json_string(link_url(kr, V(COL_SLUG))));
    json_object_set_new(o, "service_id", kfm_catalog_json_str(V(COL_SERVICE)));
    json_object_set_new(o, "professional_id", kfm_catalog_json_str(V(COL_PROFESSIONAL)));
    json_object_set_new(o, "expires_at", kfm_catalog_json_str(V(COL_EXPIRES)));
    json_object_set_new(o, "active", kfm_catalog_json_bool(V(COL_ACTIVE)));
    json_object_set_new(o, "created_at", kfm_catalog_json_str(V(COL_CREATED)));
    json_object_set_new(o, "updated_at", kfm_catalog_json_str(V(COL_UPDATED)));
    json_object_set_new(o, "package_ids", kfm_catalog_id_list(p, V(COL_PACKAGES)));
#undef V
    return o;
}

/* service_id / professional_id: null, or the id of an active row of this tenant.
 * -1 on a database failure. */
static int read_reference(kfm_req *kr, kf_fields *f, const json_t *body, const char *key,
                          kfm_catalog_kind kind, const char **dest)
{
    const char *id = NULL;
    const char *bad = kind == KFM_CATALOG_SERVICES ? "service_id_invalid"
                                                  : "professional_id_invalid";
    kf_field_result r = kf_field_string(f, body, key, key, KF_FIELD_NULLABLE, 0, 64, &id);
    if (r == KF_FIELD_BAD || !json_object_get(body, key)) {
        return 0;
    }
    if (id) {
        if (!kf_is_uuid(id)) {
            kf_fields_fail(f, key, bad);
            return 0;
        }
        int active = kfm_catalog_is_active(kr, kind, id);
        if (active < 0) {
            return -1;
        }
        if (!active) {
            kf_fields_fail(f, key, bad);
            return 0;
        }
    }
    *dest = id;
    return 0;
}

/* Reads every sent field over *v; -1 on a database failure. */
static int read_link(kfm_req *kr, kf_fields *f, const json_t *body, int create, link_values *v)
{
    const char *s = NULL;
    if (kf_field_string(f, body, "name", "name", create ? KF_FIELD_REQUIRED : KF_FIELD_OPTIONAL,
                        1, 100, &s) == KF_FIELD_VALUE) {
        v->name = s;
    }
    if (read_reference(kr, f, body, "service_id", KFM_CATALOG_SERVICES, &v->service_id) < 0 ||
        read_reference(kr, f, body, "professional_id", KFM_CATALOG_PROFESSIONALS,
                       &v->professional_id) < 0) {
        return -1;
    }
    if (json_object_get(body, "expires_at") &&
        kf_field_string(f, body, "expires_at", "expires_at", KF_FIELD_NULLABLE, 0, 64, &s) ==
            KF_FIELD_VALUE) {
        apr_int64_t when = 0;
        if (!kf_utc_timestamp_parse(s, &when)) {
            kf_fields_fail(f, "expires_at", "timestamp_invalid");
        }
        else if (when <= apr_time_sec(apr_time_now())) {
            kf_fields_fail(f, "expires_at", "timestamp_past");
        }
        else {
            v->expires_at = s;
        }
    }
    else if (json_is_null(json_object_get(body, "expires_at"))) {
        v->expires_at = NULL;
    }
    kf_field_bool(f, body, "active", "active", KF_FIELD_OPTIONAL, &v->active);
    kf_field_array(f, body, "package_ids", "package_ids", KF_FIELD_OPTIONAL, 100, &v->package_ids);

    /* a preselected professional must offer the preselected service (either may have
     * been sent now or be the stored one) */
    int refs_sent = json_object_get(body, "service_id") || json_object_get(body, "professional_id");
    if (refs_sent && v->service_id && v->professional_id && !kf_fields_has(f, "service_id") &&
        !kf_fields_has(f, "professional_id")) {
        kfm_rows *res = NULL;
        const char *args[] = {kr->session->tenant.id, v->service_id, v->professional_id};
        if (kfm_db_select(kr->r, kr->db, "kf_link_offers", &res, 3, args) != APR_SUCCESS) {
            return -1;
        }
        if (kfm_db_rows(kr->db, res) == 0) {
            kf_fields_fail(f, "professional_id", "professional_not_offering");
        }
    }
    return 0;
}

enum { PS_NAME, PS_SERVICE, PS_SERVICE_ACTIVE, PS_OFFERED };

/* Every package the link will offer (pg_array, a uuid[] literal) must be one it can sell
 * (kf_link_sells_package), else one field error at package_ids naming those it cannot.
 * The offer is checked whenever it or what it depends on is sent: a PATCH of service_id or
 * professional_id that would leave packages the link cannot sell is refused rather than
 * dropping them, since the merchant chose those packages and a silent drop would take them
 * off the booking page unnoticed (the dashboard sends only the packages it still shows).
 * -1 on a database failure. */
static int check_offer(kfm_req *kr, kf_fields *f, const link_values *v, const char *pg_array)
{
    apr_pool_t *p = kr->r->pool;
    kfm_rows *res = NULL;
    const char *args[] = {v->professional_id, kr->session->tenant.id, pg_array};
    if (kfm_db_select(kr->r, kr->db, "kf_link_package_services", &res, 3, args) != APR_SUCCESS) {
        return -1;
    }
    const char *names = NULL;
    for (int row = 0; row < kfm_db_rows(kr->db, res); row++) {
#define V(col) kfm_db_value(kr->db, p, res, row, (col))
        if (!kf_link_sells_package(v->service_id, v->professional_id, V(PS_SERVICE),
                                   strcmp(V(PS_SERVICE_ACTIVE), "t") == 0,
                                   strcmp(V(PS_OFFERED), "t") == 0)) {
            const char *name = apr_pstrcat(p, "\u201c", V(PS_NAME), "\u201d", NULL);
            names = names ? apr_pstrcat(p, names, ", ", name, NULL) : name;
        }
#undef V
    }
    if (names) {
        const char *pairs[] = {"{names}", names, NULL};
        kf_fields_fail_with(f, "package_ids", "link_package_not_sold", pairs);
    }
    return 0;
}

/* INSERT with a fresh slug; a collision (2^-128 odds, but UNIQUE says so) draws again. */
static apr_status_t insert_link(kfm_req *kr, const link_values *v, const char **id)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        kfm_rows *res = NULL;
        const char *slug = kf_random_token(kr->r->pool, KF_LINK_SLUG_BYTES);
        if (!slug) {
            return APR_EGENERAL;
        }
        const char *args[] = {kr->session->tenant.id, slug, v->name, v->service_id,
                              v->professional_id, v->expires_at, v->active ? "true" : "false"};
        apr_status_t rv = kfm_db_select(kr->r, kr->db, "kf_link_insert", &res, 7, args);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        if (kfm_db_rows(kr->db, res) == 1) {
            *id = kfm_db_value(kr->db, kr->r->pool, res, 0, 0);
            return APR_SUCCESS;
        }
    }
    return APR_EGENERAL;
}

/* The active packages a stored link offers as a uuid[] literal, NULL when none. */
static const char *stored_offer(kfm_req *kr, kfm_rows *row)
{
    const char *csv = kfm_db_value(kr->db, kr->r->pool, row, 0, COL_PACKAGES);
    return csv && *csv ? apr_pstrcat(kr->r->pool, "{", csv, "}", NULL) : NULL;
}

static int save_link(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    link_values v = {NULL, NULL, NULL, NULL, 1, NULL};
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_link_resource, id, &w, &reply)) {
        return reply;
    }
    if (w.row) {
        apr_pool_t *p = kr->r->pool;
        v.name = kfm_db_value(kr->db, p, w.row, 0, COL_NAME);
        v.service_id = kfm_db_value(kr->db, p, w.row, 0, COL_SERVICE);
        v.professional_id = kfm_db_value(kr->db, p, w.row, 0, COL_PROFESSIONAL);
        v.expires_at = kfm_db_value(kr->db, p, w.row, 0, COL_EXPIRES);
        v.active = strcmp(kfm_db_value(kr->db, p, w.row, 0, COL_ACTIVE), "t") == 0;
    }
    if (read_link(kr, &w.f, w.body, w.create, &v) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "link references check");
    }
    const char *packages = "{}";
    int package_count = 0;
    if (v.package_ids &&
        kfm_catalog_check_ids(kr, &w.f, v.package_ids, "package_ids", KFM_CATALOG_PACKAGES,
                             &packages, &package_count) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, "link package ids check");
    }
    /* the offer: the packages sent, or on a PATCH of what the link offers, those it has */
    const char *offer = v.package_ids ? (package_count ? packages : NULL)
                        : !w.create && (json_object_get(w.body, "service_id") ||
                                        json_object_get(w.body, "professional_id"))
                            ? stored_offer(kr, w.row)
                            : NULL;
    if (offer && kf_fields_ok(&w.f) && check_offer(kr, &w.f, &v, offer) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "link offer check");
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }
    if (w.create) {
        if (insert_link(kr, &v, &w.id) != APR_SUCCESS) {
            return kfm_catalog_fail(kr, &w.tx, "link insert");
        }
    }
    else {
        int affected = 0;
        const char *args[] = {v.name, v.service_id, v.professional_id, v.expires_at,
                              v.active ? "true" : "false", w.id, kr->session->tenant.id};
        if (kfm_db_exec(kr->r, kr->db, "kf_link_update", &affected, 7, args) != APR_SUCCESS ||
            affected != 1) {
            return kfm_catalog_fail(kr, &w.tx, "link update");
        }
    }
    if (v.package_ids) {
        int assigned = 0;
        const char *unassign[] = {kr->session->tenant.id, w.id};
        const char *assign[] = {w.id, kr->session->tenant.id, packages};
        if (kfm_db_exec(kr->r, kr->db, "kf_link_unassign_packages", NULL, 2, unassign) != APR_SUCCESS ||
            kfm_db_exec(kr->r, kr->db, "kf_link_assign_packages", &assigned, 3, assign) != APR_SUCCESS) {
            return kfm_catalog_fail(kr, &w.tx, "link packages");
        }
        if (assigned != package_count) {
            /* a package was archived meanwhile */
            kf_fields_fail(&w.f, "package_ids", "package_id_invalid");
            return kfm_catalog_refuse(kr, &w);
        }
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
    .to_json = link_json,
    .save = save_link,
};

KFM_CATALOG_HANDLERS(links, kfm_link_resource, deactivate)
