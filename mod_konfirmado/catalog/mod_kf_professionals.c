/* /api/admin/professionals (API.md "Admin API"): who works for the tenant, when (a weekly
 * schedule with several ranges per day, and date exceptions, in the professional's own
 * time zone), and which services they offer. DELETE deactivates (archives): the row stays,
 * lists hide it unless ?include_archived=true, PATCH answers 409 professional_archived.
 * The body's rules and the row's JSON: lib/catalog/kf_professional.c. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_catalog_columns.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_tenant.h"
#include "mod_kf_calendar.h"
#include "kf_professional.h"
#include "kf_calendar_views.h"

#define PROFESSIONAL_COLUMNS KFM_SQL_COLUMNS(KFM_PROFESSIONAL_COLUMNS)

const kfm_sql kfm_professionals_sql[] = {
    {"kf_pro_list",
     "SELECT " PROFESSIONAL_COLUMNS " FROM professionals p"
     " WHERE p.tenant_id = %s::uuid AND (%s::boolean OR p.archived_at IS NULL)"
     " ORDER BY p.created_at, p.id"},
    {"kf_pro_get",
     "SELECT " PROFESSIONAL_COLUMNS " FROM professionals p"
     " WHERE p.id = %s::uuid AND p.tenant_id = %s::uuid"},
    {"kf_pro_lock",
     "SELECT " PROFESSIONAL_COLUMNS " FROM professionals p"
     " WHERE p.id = %s::uuid AND p.tenant_id = %s::uuid FOR UPDATE OF p"},
    {"kf_pro_insert",
     "INSERT INTO professionals (tenant_id, name, description, photo_url, email, timezone,"
     "  video_url, video_provider)"
     " VALUES (%s::uuid, %s, %s, %s, %s, %s, %s, %s) RETURNING id"},
    {"kf_pro_update",
     "UPDATE professionals SET name = %s, description = %s, photo_url = %s, email = %s,"
     "  timezone = %s, video_url = %s, video_provider = %s, updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND archived_at IS NULL"},
    {"kf_pro_archive",
     "UPDATE professionals SET archived_at = now(), updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid AND archived_at IS NULL"},
    {"kf_pro_exists", "SELECT 1 FROM professionals WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    {"kf_pro_hours_clear",
     "DELETE FROM professional_hours h USING professionals p"
     " WHERE h.professional_id = p.id AND p.id = %s::uuid AND p.tenant_id = %s::uuid"},
    /* one statement for the whole week: parallel arrays of weekday, start, end */
    {"kf_pro_hours_insert",
     "INSERT INTO professional_hours (professional_id, weekday, start_minute, end_minute)"
     " SELECT p.id, x.weekday, x.start_minute, x.end_minute FROM professionals p,"
     "  unnest(%s::smallint[], %s::smallint[], %s::smallint[])"
     "   AS x(weekday, start_minute, end_minute)"
     " WHERE p.id = %s::uuid AND p.tenant_id = %s::uuid"},
    {"kf_pro_exceptions_clear",
     "DELETE FROM professional_exceptions e USING professionals p"
     " WHERE e.professional_id = p.id AND p.id = %s::uuid AND p.tenant_id = %s::uuid"},
    {"kf_pro_exceptions_insert",
     "INSERT INTO professional_exceptions (professional_id, day, closed, start_minute,"
     "  end_minute)"
     " SELECT p.id, x.day, x.closed, x.start_minute, x.end_minute FROM professionals p,"
     "  unnest(%s::date[], %s::boolean[], %s::smallint[], %s::smallint[])"
     "   AS x(day, closed, start_minute, end_minute)"
     " WHERE p.id = %s::uuid AND p.tenant_id = %s::uuid"},
    {"kf_pro_unassign_all",
     "DELETE FROM service_professionals WHERE tenant_id = %s::uuid AND professional_id = %s::uuid"},
    {"kf_pro_assign",
     "INSERT INTO service_professionals (tenant_id, service_id, professional_id)"
     " SELECT s.tenant_id, s.id, %s::uuid FROM services s"
     " WHERE s.tenant_id = %s::uuid AND s.archived_at IS NULL AND s.id = ANY(%s::uuid[])"
     " ON CONFLICT DO NOTHING"},
    {NULL, NULL},
};



static const char *const professional_keys[] = {
    "name", "description", "photo_url", "email", "timezone", "service_ids", "schedule",
    "exceptions", "video_url", "location", NULL,
};

static json_t *professional_json(kfm_req *kr, const char *const *v)
{
    return kf_professional_json(kr->r->pool, v, kf_calendar_view(kr->r->pool,
                                                                   v[KF_PRO_COL_CALENDAR]));
}

/* Replaces what was sent of the schedule, the exceptions and the assignment (as
 * kfm_catalog_assign answers). */
static apr_status_t write_children(kfm_req *kr, kfm_catalog_write *w, const kf_professional *v,
                                   const char *services, int service_count)
{
    const char *tenant_id = kr->session->tenant.id, *id = w->id;
    const char *owner[] = {id, tenant_id};
    apr_status_t rv;
    if (v->schedule) {
        const char *args[] = {v->schedule->groups, v->schedule->starts, v->schedule->ends, id,
                              tenant_id};
        if ((rv = kfm_db_exec(kr->r, kr->db, "kf_pro_hours_clear", NULL, 2, owner)) ||
            (rv = kfm_db_exec(kr->r, kr->db, "kf_pro_hours_insert", NULL, 5, args))) {
            return rv;
        }
    }
    if (v->exceptions) {
        const char *args[] = {v->exceptions->groups, v->exceptions->closed, v->exceptions->starts,
                              v->exceptions->ends, id, tenant_id};
        if ((rv = kfm_db_exec(kr->r, kr->db, "kf_pro_exceptions_clear", NULL, 2, owner)) ||
            (rv = kfm_db_exec(kr->r, kr->db, "kf_pro_exceptions_insert", NULL, 6, args))) {
            return rv;
        }
    }
    return v->service_ids ? kfm_catalog_assign(kr, w, "kf_pro_unassign_all", "kf_pro_assign",
                                               services, service_count, "service_ids",
                                               KF_CATALOG_SERVICES)
                          : APR_SUCCESS;
}

static int save_professional(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    kf_professional v;
    kf_catalog_lookup lookup = kfm_catalog_lookup_of(kr);
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_professional_resource, id, &w, &reply)) {
        return reply;
    }
    kf_professional_start(&v, w.tenant.timezone, w.row);
    if (kf_professional_read(&w.f, w.body, w.create, kfm_tenant_url_policy(kr), &lookup, &v) !=
        0) {
        return kfm_catalog_fail(kr, &w.tx, "time zone check");
    }
    const char *services = "{}";
    int service_count = 0;
    if (v.service_ids && kf_catalog_check_ids(&lookup, &w.f, v.service_ids, "service_ids",
                                              KF_CATALOG_SERVICES, &services, &service_count) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "service ids check");
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }

    const char *values[] = {v.name, v.description, v.photo_url, v.email, v.timezone, v.video_url,
                            v.video_provider};
    if (kfm_catalog_write_row(kr, &w, "kf_pro_insert", "kf_pro_update", 7, values) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, w.create ? "professional insert" : "professional update");
    }
    apr_status_t rv = write_children(kr, &w, &v, services, service_count);
    if (rv != APR_SUCCESS) {
        return kfm_catalog_assign_failed(kr, &w, rv, "professional hours, exceptions or services");
    }
    return kfm_catalog_end_write(kr, &kfm_professional_resource, &w);
}

const kfm_catalog_resource kfm_professional_resource = {
    .noun = "professional", .plural = "professionals",
    .not_found = "professional_not_found", .archived = "professional_archived",
    .archived_col = KF_PRO_COL_ARCHIVED,
    .list_sql = "kf_pro_list", .get_sql = "kf_pro_get", .lock_sql = "kf_pro_lock",
    .archive_sql = "kf_pro_archive", .exists_sql = "kf_pro_exists",
    .include_flags = kfm_catalog_include_archived,
    .archive_verb = "archive", .archive_field = "archived", .archive_value = 1,
    .audit_keys = professional_keys,
    .columns = KF_PRO_COL_COUNT,
    .to_json = professional_json,
    .save = save_professional,
};

KFM_CATALOG_HANDLERS(professionals, kfm_professional_resource, archive)
