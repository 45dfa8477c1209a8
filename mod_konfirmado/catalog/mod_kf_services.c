/* /api/admin/services (API.md "Admin API"): the tenant's services, their price and
 * charge, slot rules, and which professionals offer them. DELETE archives: the row stays
 * (bookings refer to it), lists hide it unless ?include_archived=true, GET by id still
 * shows it, and PATCH of an archived service answers 409 service_archived. */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_catalog_rules.h"
#include "kf_json.h"
#include "kf_location.h"

#define SERVICE_COLUMNS                                                                     \
    "s.id, s.name, s.description, s.image_url, s.duration_minutes, s.price_amount,"          \
    " s.currency, s.charge_type, s.deposit_percent, s.slot_interval_minutes,"               \
    " s.buffer_before_minutes, s.buffer_after_minutes, s.min_notice_minutes, s.horizon_days," \
    " s.archived_at IS NOT NULL, " KFM_SQL_RFC3339("s.created_at") ", " KFM_SQL_RFC3339("s.updated_at") ","  \
    " array_to_string(ARRAY(SELECT sp.professional_id FROM service_professionals sp"          \
    "   JOIN professionals p ON p.id = sp.professional_id AND p.tenant_id = sp.tenant_id"   \
    "   WHERE sp.service_id = s.id AND sp.tenant_id = s.tenant_id AND p.archived_at IS NULL" \
    "   ORDER BY p.created_at, p.id), ','), s.location_type, s.location_value"

enum {
    COL_ID, COL_NAME, COL_DESCRIPTION, COL_IMAGE_URL, COL_DURATION, COL_PRICE, COL_CURRENCY,
    COL_CHARGE_TYPE, COL_DEPOSIT, COL_SLOT_INTERVAL, COL_BUFFER_BEFORE, COL_BUFFER_AFTER,
    COL_MIN_NOTICE, COL_HORIZON, COL_ARCHIVED, COL_CREATED, COL_UPDATED, COL_PROFESSIONALS,
    COL_LOCATION_TYPE, COL_LOCATION_VALUE
};

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
     "  location_type, location_value)"
     " VALUES (%s::uuid, %s, %s, %s, %s::int, %s::bigint, %s, %s, %s::int, %s::int, %s::int,"
     "  %s::int, %s::int, %s::int, %s, %s) RETURNING id"},
    {"kf_svc_update",
     "UPDATE services SET name = %s, description = %s, image_url = %s,"
     "  duration_minutes = %s::int, price_amount = %s::bigint, currency = %s, charge_type = %s,"
     "  deposit_percent = %s::int, slot_interval_minutes = %s::int,"
     "  buffer_before_minutes = %s::int, buffer_after_minutes = %s::int,"
     "  min_notice_minutes = %s::int, horizon_days = %s::int, location_type = %s, location_value = %s,"
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
    {NULL, NULL},
};

/* Fields a client may send, in the order the audit shows them. */
static const char *const service_keys[] = {
    "name", "description", "image_url", "duration_minutes", "price", "charge_type",
    "deposit_percent", "slot_interval_minutes", "buffer_before_minutes",
    "buffer_after_minutes", "min_notice_minutes", "horizon_days", "professional_ids", "location",
    NULL,
};

/* A service as written to the database: the stored row overlaid with what was sent. */
typedef struct service_values {
    const char *name, *description, *image_url, *currency;
    kf_charge_type charge;
    apr_int64_t duration, price, deposit_percent, slot_interval, buffer_before, buffer_after,
        min_notice, horizon;
    json_t *professional_ids;   /* sent list, or NULL: the assignment stays */
    kf_location location;
} service_values;

static json_t *service_json(kfm_req *kr, kfm_rows *res, int row)
{
    apr_pool_t *p = kr->r->pool;
#define V(col) kfm_db_value(kr->db, p, res, row, (col))
    apr_int64_t price = apr_atoi64(V(COL_PRICE));
    int percent = atoi(V(COL_DEPOSIT));
    kf_charge_type type = kf_charge_type_parse(V(COL_CHARGE_TYPE));
    apr_int64_t charged = kf_charge_amount(type, price, percent);

    json_t *s = kfm_catalog_row_json(V(COL_ID), V(COL_NAME), V(COL_DESCRIPTION));
    json_object_set_new(s, "image_url", kfm_catalog_json_str(V(COL_IMAGE_URL)));
    json_object_set_new(s, "duration_minutes", kfm_catalog_json_int(V(COL_DURATION)));
    json_object_set_new(s, "price", json_pack("{s:I, s:s}", "amount", (json_int_t)price,
                                              "currency", V(COL_CURRENCY)));
    json_object_set_new(s, "charge_type", kfm_catalog_json_str(V(COL_CHARGE_TYPE)));
    json_object_set_new(s, "deposit_percent", json_integer(percent));
    /* a row stored before a rule tightened still shows: as total (charged = price) */
    json_object_set_new(s, "charge", json_pack("{s:s, s:I, s:s}", "type", V(COL_CHARGE_TYPE),
                                               "amount", (json_int_t)(charged >= 0 ? charged : price),
                                               "currency", V(COL_CURRENCY)));
    json_object_set_new(s, "slot_interval_minutes", kfm_catalog_json_int(V(COL_SLOT_INTERVAL)));
    json_object_set_new(s, "buffer_before_minutes", kfm_catalog_json_int(V(COL_BUFFER_BEFORE)));
    json_object_set_new(s, "buffer_after_minutes", kfm_catalog_json_int(V(COL_BUFFER_AFTER)));
    json_object_set_new(s, "min_notice_minutes", kfm_catalog_json_int(V(COL_MIN_NOTICE)));
    json_object_set_new(s, "horizon_days", kfm_catalog_json_int(V(COL_HORIZON)));
    json_object_set_new(s, "professional_ids", kfm_catalog_id_list(p, V(COL_PROFESSIONALS)));
    kf_location loc = kf_location_resolve(kf_location_type_parse(V(COL_LOCATION_TYPE)),
                                          V(COL_LOCATION_VALUE), NULL);
    json_object_set_new(s, "location", kf_location_json(&loc));
    kfm_catalog_row_json_close(s, V(COL_ARCHIVED), V(COL_CREATED), V(COL_UPDATED));
#undef V
    return s;
}

static void values_from_row(kfm_req *kr, kfm_rows *res, service_values *v)
{
    apr_pool_t *p = kr->r->pool;
#define V(col) kfm_db_value(kr->db, p, res, 0, (col))
    v->name = V(COL_NAME);
    v->description = V(COL_DESCRIPTION);
    v->image_url = V(COL_IMAGE_URL);
    v->currency = V(COL_CURRENCY);
    v->charge = kf_charge_type_parse(V(COL_CHARGE_TYPE));
    v->duration = apr_atoi64(V(COL_DURATION));
    v->price = apr_atoi64(V(COL_PRICE));
    v->deposit_percent = apr_atoi64(V(COL_DEPOSIT));
    v->slot_interval = apr_atoi64(V(COL_SLOT_INTERVAL));
    v->buffer_before = apr_atoi64(V(COL_BUFFER_BEFORE));
    v->buffer_after = apr_atoi64(V(COL_BUFFER_AFTER));
    v->min_notice = apr_atoi64(V(COL_MIN_NOTICE));
    v->horizon = apr_atoi64(V(COL_HORIZON));
    v->location = kf_location_resolve(kf_location_type_parse(V(COL_LOCATION_TYPE)),
                                      V(COL_LOCATION_VALUE), NULL);
#undef V
}

/* Defaults of a new service (API.md; the same as the table's). */
static void values_default(service_values *v, const char *currency)
{
    memset(v, 0, sizeof(*v));
    v->currency = currency;
    v->charge = KF_CHARGE_TOTAL;
    v->deposit_percent = 25;
    v->slot_interval = 15;
    v->horizon = 14;
}

/* Reads every sent field over *v, recording field errors. `create`: required fields must
 * be there. The price's currency must be the tenant's. */
static void read_service(kfm_req *kr, kf_fields *f, const json_t *body, int create,
                         const char *tenant_currency, service_values *v)
{
    int req = create ? KF_FIELD_REQUIRED : KF_FIELD_OPTIONAL;
    const char *s = NULL;
    apr_int64_t n;

    if (kf_field_string(f, body, "name", "name", req, 3, 100, &s) == KF_FIELD_VALUE) {
        v->name = s;
    }
    if (kf_field_string(f, body, "description", "description", req, 10, 2000, &s) ==
        KF_FIELD_VALUE) {
        v->description = s;
    }
    if (json_object_get(body, "image_url")) {
        kfm_catalog_url_field(kr, f, body, "image_url", &v->image_url);
    }
#define INT_FIELD(key, flags, min, max, dest)                                               \
    if (kf_field_int(f, body, key, key, flags, min, max, &n) == KF_FIELD_VALUE) {          \
        dest = n;                                                                           \
    }
    INT_FIELD("duration_minutes", req, 15, 480, v->duration);
    INT_FIELD("deposit_percent", KF_FIELD_OPTIONAL, 1, 99, v->deposit_percent);
    INT_FIELD("slot_interval_minutes", KF_FIELD_OPTIONAL, 5, 480, v->slot_interval);
    INT_FIELD("buffer_before_minutes", KF_FIELD_OPTIONAL, 0, 480, v->buffer_before);
    INT_FIELD("buffer_after_minutes", KF_FIELD_OPTIONAL, 0, 480, v->buffer_after);
    INT_FIELD("min_notice_minutes", KF_FIELD_OPTIONAL, 0, 525600, v->min_notice);
    INT_FIELD("horizon_days", KF_FIELD_OPTIONAL, 1, 365, v->horizon);
#undef INT_FIELD
    if (kf_field_string(f, body, "charge_type", "charge_type", req, 0, 20, &s) ==
        KF_FIELD_VALUE) {
        kf_charge_type t = kf_charge_type_parse(s);
        if (t == KF_CHARGE_INVALID) {
            kf_fields_fail(f, "charge_type", "charge_type_invalid");
        }
        else {
            v->charge = t;
        }
    }
    kf_field_price(f, body, req, 0, tenant_currency, &v->price, &v->currency);
    /* the charge rules hold for the result, whichever of the two fields was sent */
    const char *problem = kf_charge_problem(v->charge, v->price);
    if (problem && !kf_fields_has(f, "price.amount") && !kf_fields_has(f, "charge_type") &&
        !kf_fields_has(f, "price")) {
        if (strcmp(problem, "amount_out_of_range") == 0) {
            kf_price_fail_range(f, "price.amount", v->price, 0, v->currency);
        }
        else {
            kf_fields_fail(f, "price.amount", problem);
        }
    }
    kf_location_field(f, body, &v->location);
    kf_field_array(f, body, "professional_ids", "professional_ids", KF_FIELD_OPTIONAL, 200,
                   &v->professional_ids);
}

/* POST (id NULL) and PATCH: validate everything, then write the row, the assignment and
 * the audit row in one transaction. */
static int save_service(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    service_values v;
    const char *tenant_id = kr->session->tenant.id;
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_service_resource, id, &w, &reply)) {
        return reply;
    }
    values_default(&v, w.tenant.currency);
    if (w.row) {
        values_from_row(kr, w.row, &v);
    }
    read_service(kr, &w.f, w.body, w.create, w.tenant.currency, &v);
    const char *professionals = "{}";
    int professional_count = 0;
    if (v.professional_ids &&
        kfm_catalog_check_ids(kr, &w.f, v.professional_ids, "professional_ids",
                             KFM_CATALOG_PROFESSIONALS, &professionals,
                             &professional_count) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, "professional ids check");
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }

    const char *charge = kf_charge_type_name(v.charge);
    const char *location_type = kf_location_type_name(v.location.type);
    const char *location_value = location_type ? v.location.value : NULL;
    if (w.create) {
        kfm_rows *res = NULL;
        const char *args[] = {tenant_id, v.name, v.description, v.image_url, kfm_db_int64(kr->r->pool, v.duration),
                              kfm_db_int64(kr->r->pool, v.price), v.currency, charge, kfm_db_int64(kr->r->pool, v.deposit_percent),
                              kfm_db_int64(kr->r->pool, v.slot_interval), kfm_db_int64(kr->r->pool, v.buffer_before),
                              kfm_db_int64(kr->r->pool, v.buffer_after), kfm_db_int64(kr->r->pool, v.min_notice), kfm_db_int64(kr->r->pool, v.horizon),
                              location_type, location_value};
        if (kfm_db_select(kr->r, kr->db, "kf_svc_insert", &res, 16, args) != APR_SUCCESS ||
            kfm_db_rows(kr->db, res) != 1) {
            return kfm_catalog_fail(kr, &w.tx, "service insert");
        }
        w.id = kfm_db_value(kr->db, kr->r->pool, res, 0, 0);
    }
    else {
        int affected = 0;
        const char *args[] = {v.name, v.description, v.image_url, kfm_db_int64(kr->r->pool, v.duration),
                              kfm_db_int64(kr->r->pool, v.price), v.currency, charge, kfm_db_int64(kr->r->pool, v.deposit_percent),
                              kfm_db_int64(kr->r->pool, v.slot_interval), kfm_db_int64(kr->r->pool, v.buffer_before),
                              kfm_db_int64(kr->r->pool, v.buffer_after), kfm_db_int64(kr->r->pool, v.min_notice), kfm_db_int64(kr->r->pool, v.horizon),
                              location_type, location_value, w.id, tenant_id};
        if (kfm_db_exec(kr->r, kr->db, "kf_svc_update", &affected, 17, args) != APR_SUCCESS ||
            affected != 1) {
            return kfm_catalog_fail(kr, &w.tx, "service update");
        }
    }
    if (v.professional_ids) {
        int assigned = 0;
        const char *unassign[] = {tenant_id, w.id};
        const char *assign[] = {w.id, tenant_id, professionals};
        if (kfm_db_exec(kr->r, kr->db, "kf_svc_unassign_all", NULL, 2, unassign) != APR_SUCCESS ||
            kfm_db_exec(kr->r, kr->db, "kf_svc_assign", &assigned, 3, assign) != APR_SUCCESS) {
            return kfm_catalog_fail(kr, &w.tx, "service assignment");
        }
        if (assigned != professional_count) {
            /* a professional was deactivated meanwhile */
            kf_fields_fail(&w.f, "professional_ids", "professional_id_invalid");
            return kfm_catalog_refuse(kr, &w);
        }
    }
    return kfm_catalog_end_write(kr, &kfm_service_resource, &w);
}

const kfm_catalog_resource kfm_service_resource = {
    .noun = "service", .plural = "services",
    .not_found = "service_not_found", .archived = "service_archived", .archived_col = COL_ARCHIVED,
    .list_sql = "kf_svc_list", .get_sql = "kf_svc_get", .lock_sql = "kf_svc_lock",
    .archive_sql = "kf_svc_archive", .exists_sql = "kf_svc_exists",
    .include_flags = kfm_catalog_include_archived,
    .archive_verb = "archive", .archive_field = "archived", .archive_value = 1,
    .audit_keys = service_keys,
    .to_json = service_json,
    .save = save_service,
};

KFM_CATALOG_HANDLERS(services, kfm_service_resource, archive)
