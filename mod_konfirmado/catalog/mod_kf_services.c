/* /api/admin/services (API.md "Admin API"): the tenant's services, their price and
 * charge, slot rules, and which professionals offer them. DELETE archives: the row stays
 * (bookings refer to it), lists hide it unless ?include_archived=true, GET by id still
 * shows it, and PATCH of an archived service answers 409 service_archived. The body's rules
 * and the row's JSON: lib/catalog/kf_service.c. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_catalog_columns.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_tenant.h"
#include "kf_service.h"

#include <string.h>
#include <strings.h>
#include <apr_strings.h>

#define SERVICE_COLUMNS KFM_SQL_COLUMNS(KFM_SERVICE_COLUMNS)

/* Columns of kf_svc_team_without_hours. */
#define IDLE_MEMBER_COLUMNS(FIRST, NEXT) FIRST(IDLE_MEMBER_ID, "p.id")
enum { IDLE_MEMBER_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) IDLE_MEMBER_COLUMN_COUNT };

const kfm_sql kfm_services_sql[] = {
    {"kf_svc_list",
     "SELECT " SERVICE_COLUMNS " FROM services s"
     " WHERE s.tenant_id = %s::uuid AND (%s::boolean OR s.archived_at IS NULL)"
     " ORDER BY s.created_at, s.id"},
    {"kf_svc_get",
     "SELECT " SERVICE_COLUMNS " FROM services s WHERE s.id = %s::uuid AND s.tenant_id = %s::uuid"},
    {"kf_svc_lock",
     "SELECT " SERVICE_COLUMNS " FROM services s WHERE s.id = %s::uuid AND s.tenant_id = %s::uuid"
     " FOR UPDATE OF s"},
    {"kf_svc_insert",
     "INSERT INTO services (tenant_id, name, description, image_url, duration_minutes,"
     "  price_amount, currency, charge_type, deposit_percent, slot_interval_minutes,"
     "  buffer_before_minutes, buffer_after_minutes, min_notice_minutes, horizon_days,"
     "  location_type, location_value, location_provider, capacity, attendee_names, team_ids,"
     "  series)"
     " VALUES (%s::uuid, %s, %s, %s, %s::int, %s::bigint, %s, %s, %s::int, %s::int, %s::int,"
     "  %s::int, %s::int, %s::int, %s, %s, %s, %s::int, %s::boolean, %s::uuid[], %s::jsonb)"
     " RETURNING id"},
    {"kf_svc_update",
     "UPDATE services SET name = %s, description = %s, image_url = %s,"
     "  duration_minutes = %s::int, price_amount = %s::bigint, currency = %s, charge_type = %s,"
     "  deposit_percent = %s::int, slot_interval_minutes = %s::int,"
     "  buffer_before_minutes = %s::int, buffer_after_minutes = %s::int,"
     "  min_notice_minutes = %s::int, horizon_days = %s::int, location_type = %s, location_value = %s,"
     "  location_provider = %s, capacity = %s::int, attendee_names = %s::boolean,"
     "  team_ids = %s::uuid[], series = %s::jsonb,"
     "  updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND archived_at IS NULL"},
    {"kf_svc_archive",
     "UPDATE services SET archived_at = now(), updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND archived_at IS NULL"},
    {"kf_svc_exists", "SELECT 1 FROM services WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    {"kf_svc_unassign_all",
     "DELETE FROM service_professionals WHERE tenant_id = %s::uuid AND service_id = %s::uuid"},
    {"kf_svc_assign",
     "INSERT INTO service_professionals (tenant_id, service_id, professional_id)"
     " SELECT p.tenant_id, %s::uuid, p.id FROM professionals p"
     " WHERE p.tenant_id = %s::uuid AND p.archived_at IS NULL AND p.id = ANY(%s::uuid[])"
     " ON CONFLICT DO NOTHING"},
    /* team (uuid[]), tenant: its members with no weekly hours (the team would never be free) */
    {"kf_svc_team_without_hours",
     "SELECT " KFM_SQL_COLUMNS(IDLE_MEMBER_COLUMNS)
     " FROM professionals p WHERE p.id = ANY(%s::uuid[]) AND p.tenant_id = %s::uuid"
     " AND NOT EXISTS (SELECT 1 FROM professional_hours h WHERE h.professional_id = p.id)"},
    {NULL, NULL},
};

/* Fields a client may send, in the order the audit shows them. */
static const char *const service_keys[] = {
    "name", "description", "image_url", "duration_minutes", "price", "charge_type",
    "deposit_percent", "slot_interval_minutes", "buffer_before_minutes",
    "buffer_after_minutes", "min_notice_minutes", "horizon_days", "professional_ids", "location",
    "capacity", "attendee_names", "team", "series", NULL,
};

/* A team sent (v->team.collective): its members must be the tenant's active professionals
 * with working hours; then v->team_ids is set. 0, or -1 when a statement failed. */
static int check_team(kfm_req *kr, kfm_catalog_write *w, const kf_catalog_lookup *lookup,
                      kf_service *v)
{
    const char *team = NULL;
    int count = 0;
    const json_t *ids = v->team.professional_ids;
    if (kf_catalog_check_ids(lookup, &w->f, ids, "team.professional_ids",
                             KF_CATALOG_PROFESSIONALS, &team, &count) != 0) {
        return -1;
    }
    if (count == 0 || !kf_fields_ok(&w->f)) {
        return 0;
    }
    const char *args[] = {team, kr->session->tenant.id};
    kfm_rows *res = NULL;
    if (kfm_db_select(kr->r, kr->db, "kf_svc_team_without_hours", &res, 2, args) != APR_SUCCESS) {
        return -1;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, kr->r->pool, res,
                                                     IDLE_MEMBER_COLUMN_COUNT, &n);
    for (int k = 0; k < n; k++) {
        for (size_t i = 0; i < json_array_size(ids); i++) {
            if (strcasecmp(json_string_value(json_array_get(ids, i)), rows[k][IDLE_MEMBER_ID]) == 0) {
                kf_fields_fail(&w->f, kf_fields_path_index(&w->f, "team.professional_ids", (int)i),
                               "team_member_without_hours");
            }
        }
    }
    v->team_ids = apr_pstrndup(kr->r->pool, team + 1, strlen(team) - 2);
    return 0;
}

static json_t *service_json(kfm_req *kr, const char *const *v)
{
    return kf_service_json(kr->r->pool, v);
}

/* POST (id NULL) and PATCH: validate everything, then write the row, the assignment and
 * the audit row in one transaction. */
static int save_service(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    kf_service v;
    kf_catalog_lookup lookup = kfm_catalog_lookup_of(kr);
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_service_resource, id, &w, &reply)) {
        return reply;
    }
    kf_service_start(&v, w.tenant.currency, w.row);
    kf_service_read(&w.f, w.body, w.create, w.tenant.currency, kfm_tenant_url_policy(kr), &v);
    const char *professionals = "{}";
    int professional_count = 0;
    if (v.professional_ids &&
        kf_catalog_check_ids(&lookup, &w.f, v.professional_ids, "professional_ids",
                             KF_CATALOG_PROFESSIONALS, &professionals, &professional_count) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "professional ids check");
    }
    if (v.team.collective && check_team(kr, &w, &lookup, &v) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "team check");
    }
    /* a collective service is offered by its team, whatever professional_ids says */
    int assign = v.professional_ids != NULL;
    if (v.team_ids && (v.team.collective || assign)) {
        professionals = apr_pstrcat(kr->r->pool, "{", v.team_ids, "}", NULL);
        professional_count = kf_team_size(v.team_ids);
        assign = 1;
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }

    const char *values[KF_SERVICE_WRITE_ARGS];
    kf_service_write_args(kr->r->pool, &v, values);
    if (kfm_catalog_write_row(kr, &w, "kf_svc_insert", "kf_svc_update", KF_SERVICE_WRITE_ARGS,
                              values) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, w.create ? "service insert" : "service update");
    }
    apr_status_t rv = assign
        ? kfm_catalog_assign(kr, &w, "kf_svc_unassign_all", "kf_svc_assign", professionals,
                             professional_count, "professional_ids", KF_CATALOG_PROFESSIONALS)
        : APR_SUCCESS;
    if (rv != APR_SUCCESS) {
        return kfm_catalog_assign_failed(kr, &w, rv, "service assignment");
    }
    return kfm_catalog_end_write(kr, &kfm_service_resource, &w);
}

const kfm_catalog_resource kfm_service_resource = {
    .noun = "service", .plural = "services",
    .not_found = "service_not_found", .archived = "service_archived", .archived_col = KF_SVC_COL_ARCHIVED,
    .list_sql = "kf_svc_list", .get_sql = "kf_svc_get", .lock_sql = "kf_svc_lock",
    .archive_sql = "kf_svc_archive", .exists_sql = "kf_svc_exists",
    .include_flags = kfm_catalog_include_archived,
    .archive_verb = "archive", .archive_field = "archived", .archive_value = 1,
    .audit_keys = service_keys,
    .columns = KF_SVC_COL_COUNT,
    .to_json = service_json,
    .save = save_service,
};

KFM_CATALOG_HANDLERS(services, kfm_service_resource, archive)
