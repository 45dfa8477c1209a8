/* /api/admin/professionals (API.md "Admin API"): who works for the tenant, when (a weekly
 * schedule with several ranges per day, and date exceptions, in the professional's own
 * time zone), and which services they offer. DELETE deactivates (archives): the row stays,
 * lists hide it unless ?include_archived=true, PATCH answers 409 professional_archived.
 *
 * Times are stored as minutes of the day; ranges are half-open, so 09:00-12:00 and
 * 12:00-15:00 of the same day touch and are accepted, while 09:00-12:00 and 11:00-13:00
 * overlap and are refused with the path of the later range ("schedule[2]"). */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_catalog.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_email.h"
#include "kf_catalog_rules.h"
#include "kf_json.h"
#include "mod_kf_calendar.h"
#include "kf_text.h"
#include "kf_location.h"

/* Large enough for any real week or year of exceptions, small enough to bound the work. */
#define MAX_SCHEDULE_RANGES 100
#define MAX_EXCEPTIONS 1000
#define MAX_ASSIGNED_IDS 200

#define PROFESSIONAL_COLUMNS                                                                \
    "p.id, p.name, p.description, p.photo_url, p.email, p.timezone,"                        \
    " " KFM_SQL_CALENDAR_JSON("p") ", p.archived_at IS NOT NULL, " KFM_SQL_RFC3339("p.created_at") "," \
    " " KFM_SQL_RFC3339("p.updated_at") ","                                                       \
    " array_to_string(ARRAY(SELECT sp.service_id FROM service_professionals sp"             \
    "   JOIN services s ON s.id = sp.service_id AND s.tenant_id = sp.tenant_id"             \
    "   WHERE sp.professional_id = p.id AND sp.tenant_id = p.tenant_id"                     \
    "   AND s.archived_at IS NULL ORDER BY s.created_at, s.id), ','),"                      \
    " COALESCE((SELECT json_agg(json_build_array(h.weekday, h.start_minute, h.end_minute)"  \
    "   ORDER BY h.weekday, h.start_minute) FROM professional_hours h"                     \
    "   WHERE h.professional_id = p.id), '[]')::text,"                                      \
    " COALESCE((SELECT json_agg(json_build_array(to_char(e.day, 'YYYY-MM-DD'), e.closed,"   \
    "   e.start_minute, e.end_minute) ORDER BY e.day, e.start_minute)"                      \
    "   FROM professional_exceptions e WHERE e.professional_id = p.id), '[]')::text,"         \
    " p.video_url"

enum {
    COL_ID, COL_NAME, COL_DESCRIPTION, COL_PHOTO_URL, COL_EMAIL, COL_TIMEZONE,
    COL_CALENDAR, COL_ARCHIVED, COL_CREATED, COL_UPDATED, COL_SERVICES,
    COL_SCHEDULE, COL_EXCEPTIONS, COL_VIDEO_URL
};

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
     "  video_url)"
     " VALUES (%s::uuid, %s, %s, %s, %s, %s, %s) RETURNING id"},
    {"kf_pro_update",
     "UPDATE professionals SET name = %s, description = %s, photo_url = %s, email = %s,"
     "  timezone = %s, video_url = %s, updated_at = now()"
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
    "exceptions", "video_url", NULL,
};

/* Ranges of a schedule or of exceptions, as PostgreSQL array literals for unnest(). */
typedef struct range_arrays {
    int count;
    const char *groups;   /* weekdays, or dates */
    const char *closed;   /* exceptions only */
    const char *starts;
    const char *ends;
} range_arrays;

typedef struct professional_values {
    const char *name, *description, *photo_url, *email, *timezone, *video_url;
    json_t *service_ids;          /* NULL: assignment unchanged */
    const range_arrays *schedule;     /* NULL: unchanged */
    const range_arrays *exceptions;   /* NULL: unchanged */
} professional_values;

static apr_array_header_t *list_make(apr_pool_t *p, int n)
{
    return apr_array_make(p, n > 0 ? n : 1, sizeof(const char *));
}

static void push(apr_array_header_t *list, const char *item)
{
    APR_ARRAY_PUSH(list, const char *) = item;
}

/* A "start"/"end" pair of an object at `path`: minutes, or -1 after an error. */
static void read_range(kf_fields *f, const json_t *item, const char *path, int *start, int *end)
{
    const char *s = NULL;
    *start = *end = -1;
    if (kf_field_string(f, item, "start", kf_fields_path_key(f, path, "start"),
                        KF_FIELD_REQUIRED, 0, 64, &s) == KF_FIELD_VALUE &&
        !kf_hhmm_parse(s, 0, start)) {
        *start = -1;
        kf_fields_fail(f, kf_fields_path_key(f, path, "start"), "time_invalid");
    }
    if (kf_field_string(f, item, "end", kf_fields_path_key(f, path, "end"), KF_FIELD_REQUIRED,
                        0, 64, &s) == KF_FIELD_VALUE &&
        !kf_hhmm_parse(s, 1, end)) {
        *end = -1;
        kf_fields_fail(f, kf_fields_path_key(f, path, "end"), "time_invalid_end");
    }
    if (*start >= 0 && *end >= 0 && *end <= *start) {
        kf_fields_fail(f, kf_fields_path_key(f, path, "end"), "range_end_before_start");
        *start = *end = -1;
    }
}

/* schedule: [{"weekday": 1..7, "start": "HH:MM", "end": "HH:MM"}, ...] */
static const range_arrays *read_schedule(apr_pool_t *p, kf_fields *f, const json_t *list)
{
    size_t n = json_array_size(list), i;
    kf_minute_range *ranges = apr_pcalloc(p, sizeof(*ranges) * (n + 1));
    int *index = apr_pcalloc(p, sizeof(int) * (n + 1));
    int *conflict = apr_pcalloc(p, sizeof(int) * (n + 1));
    int valid = 0;
    json_t *item;

    json_array_foreach(list, i, item) {
        const char *path = kf_fields_path_index(f, "schedule", (int)i);
        apr_int64_t weekday = 0;
        int start, end;
        if (!json_is_object(item)) {
            kf_fields_fail(f, path, "field_not_object");
            continue;
        }
        const char *wpath = kf_fields_path_key(f, path, "weekday");
        kf_field_result wr = kf_field_int(f, item, "weekday", wpath, KF_FIELD_REQUIRED,
                                          INT64_MIN, INT64_MAX, &weekday);
        if (wr == KF_FIELD_VALUE && (weekday < 1 || weekday > 7)) {
            kf_fields_fail(f, wpath, "weekday_invalid");
            wr = KF_FIELD_BAD;
        }
        read_range(f, item, path, &start, &end);
        if (wr == KF_FIELD_VALUE && start >= 0) {
            ranges[valid] = (kf_minute_range){(int)weekday, start, end};
            index[valid++] = (int)i;
        }
    }
    kf_ranges_find_overlaps(ranges, valid, conflict);
    range_arrays *out = apr_pcalloc(p, sizeof(*out));
    apr_array_header_t *groups = list_make(p, valid), *starts = list_make(p, valid),
                       *ends = list_make(p, valid);
    for (int k = 0; k < valid; k++) {
        if (conflict[k] >= 0) {
            kf_fields_fail(f, kf_fields_path_index(f, "schedule", index[k]), "range_overlaps");
        }
        push(groups, apr_itoa(p, ranges[k].group));
        push(starts, apr_itoa(p, ranges[k].start));
        push(ends, apr_itoa(p, ranges[k].end));
    }
    out->count = valid;
    out->groups = kf_pg_array(p, groups);
    out->starts = kf_pg_array(p, starts);
    out->ends = kf_pg_array(p, ends);
    return out;
}

/* exceptions: [{"date", "closed": true} | {"date", "start", "end"}, ...]. A closed date is
 * the whole day, so it conflicts with any other entry of that date. */
static const range_arrays *read_exceptions(apr_pool_t *p, kf_fields *f, const json_t *list)
{
    size_t n = json_array_size(list), i;
    kf_minute_range *ranges = apr_pcalloc(p, sizeof(*ranges) * (n + 1));
    int *index = apr_pcalloc(p, sizeof(int) * (n + 1));
    int *closed = apr_pcalloc(p, sizeof(int) * (n + 1));
    const char **dates = apr_pcalloc(p, sizeof(char *) * (n + 1));
    int *conflict = apr_pcalloc(p, sizeof(int) * (n + 1));
    int valid = 0;
    json_t *item;

    json_array_foreach(list, i, item) {
        const char *path = kf_fields_path_index(f, "exceptions", (int)i);
        const char *dpath = kf_fields_path_key(f, path, "date");
        const char *date = NULL;
        apr_int64_t day = 0;
        int is_closed = 0, start = 0, end = KF_MINUTES_PER_DAY, ok = 1;
        if (!json_is_object(item)) {
            kf_fields_fail(f, path, "field_not_object");
            continue;
        }
        if (kf_field_string(f, item, "date", dpath, KF_FIELD_REQUIRED, 0, 64, &date) !=
            KF_FIELD_VALUE) {
            ok = 0;
        }
        else if (!kf_date_parse(date, &day)) {
            kf_fields_fail(f, dpath, "date_invalid");
            ok = 0;
        }
        if (kf_field_bool(f, item, "closed", kf_fields_path_key(f, path, "closed"),
                          KF_FIELD_OPTIONAL, &is_closed) == KF_FIELD_BAD) {
            ok = 0;
        }
        if (is_closed) {
            if (json_object_get(item, "start") || json_object_get(item, "end")) {
                kf_fields_fail(f, path, "exception_closed_with_hours");
                ok = 0;
            }
        }
        else {
            read_range(f, item, path, &start, &end);
            ok = ok && start >= 0;
        }
        if (ok) {
            ranges[valid] = (kf_minute_range){(int)day, start, end};
            closed[valid] = is_closed;
            dates[valid] = date;
            index[valid++] = (int)i;
        }
    }
    kf_ranges_find_overlaps(ranges, valid, conflict);
    range_arrays *out = apr_pcalloc(p, sizeof(*out));
    apr_array_header_t *groups = list_make(p, valid), *closed_list = list_make(p, valid),
                       *starts = list_make(p, valid), *ends = list_make(p, valid);
    for (int k = 0; k < valid; k++) {
        if (conflict[k] >= 0) {
            int whole_day = closed[k] || closed[conflict[k]];
            kf_fields_fail(f, kf_fields_path_index(f, "exceptions", index[k]),
                           whole_day ? "exception_date_closed" : "range_overlaps");
        }
        push(groups, dates[k]);
        push(closed_list, closed[k] ? "t" : "f");
        push(starts, closed[k] ? "NULL" : apr_itoa(p, ranges[k].start));
        push(ends, closed[k] ? "NULL" : apr_itoa(p, ranges[k].end));
    }
    out->count = valid;
    out->groups = kf_pg_array(p, groups);
    out->closed = kf_pg_array(p, closed_list);
    out->starts = kf_pg_array(p, starts);
    out->ends = kf_pg_array(p, ends);
    return out;
}

/* The stored schedule/exceptions (json_agg text of arrays) in the API's shape. */
static json_t *schedule_json(apr_pool_t *p, const char *text)
{
    json_t *out = json_array();
    json_t *rows = kf_json_parse(p, text, strlen(text), NULL);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_array_append_new(out, json_pack("{s:O, s:s, s:s}", "weekday", json_array_get(row, 0),
            "start", kf_hhmm_format(p, (int)json_integer_value(json_array_get(row, 1))),
            "end", kf_hhmm_format(p, (int)json_integer_value(json_array_get(row, 2)))));
    }
    return out;
}

static json_t *exceptions_json(apr_pool_t *p, const char *text)
{
    json_t *out = json_array();
    json_t *rows = kf_json_parse(p, text, strlen(text), NULL);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *e = json_pack("{s:O}", "date", json_array_get(row, 0));
        if (json_is_true(json_array_get(row, 1))) {
            json_object_set_new(e, "closed", json_true());
        }
        else {
            json_object_set_new(e, "start", json_string(kf_hhmm_format(
                p, (int)json_integer_value(json_array_get(row, 2)))));
            json_object_set_new(e, "end", json_string(kf_hhmm_format(
                p, (int)json_integer_value(json_array_get(row, 3)))));
        }
        json_array_append_new(out, e);
    }
    return out;
}

static json_t *professional_json(kfm_req *kr, kfm_rows *res, int row)
{
    apr_pool_t *p = kr->r->pool;
#define V(col) kfm_db_value(kr->db, p, res, row, (col))
    json_t *o = kfm_catalog_row_json(V(COL_ID), V(COL_NAME), V(COL_DESCRIPTION));
    json_object_set_new(o, "photo_url", kfm_catalog_json_str(V(COL_PHOTO_URL)));
    json_object_set_new(o, "email", kfm_catalog_json_str(V(COL_EMAIL)));
    json_object_set_new(o, "timezone", kfm_catalog_json_str(V(COL_TIMEZONE)));
    json_object_set_new(o, "service_ids", kfm_catalog_id_list(p, V(COL_SERVICES)));
    json_object_set_new(o, "video_url", kfm_catalog_json_str(V(COL_VIDEO_URL)));
    json_object_set_new(o, "schedule", schedule_json(p, V(COL_SCHEDULE)));
    json_object_set_new(o, "exceptions", exceptions_json(p, V(COL_EXCEPTIONS)));
    json_object_set_new(o, "calendar", kfm_calendar_view(p, V(COL_CALENDAR)));
    kfm_catalog_row_json_close(o, V(COL_ARCHIVED), V(COL_CREATED), V(COL_UPDATED));
#undef V
    return o;
}

/* Reads every sent field over *v. A time zone is checked against PostgreSQL's list:
 * -1 on a database failure, else 0. */
static int read_professional(kfm_req *kr, kf_fields *f, const json_t *body, int create,
                             professional_values *v)
{
    apr_pool_t *p = kr->r->pool;
    const char *s = NULL;
    json_t *list = NULL;

    if (kf_field_string(f, body, "name", "name", create ? KF_FIELD_REQUIRED : KF_FIELD_OPTIONAL,
                        2, 100, &s) == KF_FIELD_VALUE) {
        v->name = s;
    }
    if (json_object_get(body, "description") &&
        kf_field_string(f, body, "description", "description", KF_FIELD_NULLABLE, 0, 2000, &s) !=
            KF_FIELD_BAD) {
        v->description = s;
    }
    if (json_object_get(body, "photo_url")) {
        kfm_catalog_url_field(kr, f, body, "photo_url", &v->photo_url);
    }
    kf_location_video_url_field(f, body, &v->video_url);
    if (json_object_get(body, "email") &&
        kf_field_string(f, body, "email", "email", KF_FIELD_NULLABLE, 0, 254, &s) !=
            KF_FIELD_BAD) {
        if (s && !kf_email_valid(s)) {
            kf_fields_fail(f, "email", "invalid_email");
        }
        v->email = s;
    }
    if (kf_field_string(f, body, "timezone", "timezone", KF_FIELD_OPTIONAL, 0, 255, &s) ==
        KF_FIELD_VALUE) {
        int known = kfm_catalog_timezone_known(kr, s);
        if (known < 0) {
            return -1;
        }
        if (!known) {
            kf_fields_fail(f, "timezone", "invalid_timezone");
        }
        v->timezone = s;
    }
    kf_field_array(f, body, "service_ids", "service_ids", KF_FIELD_OPTIONAL, MAX_ASSIGNED_IDS,
                   &v->service_ids);
    if (kf_field_array(f, body, "schedule", "schedule", KF_FIELD_OPTIONAL, MAX_SCHEDULE_RANGES,
                       &list) == KF_FIELD_VALUE) {
        v->schedule = read_schedule(p, f, list);
    }
    if (kf_field_array(f, body, "exceptions", "exceptions", KF_FIELD_OPTIONAL, MAX_EXCEPTIONS,
                       &list) == KF_FIELD_VALUE) {
        v->exceptions = read_exceptions(p, f, list);
    }
    return 0;
}

/* Replaces what was sent of the schedule, the exceptions and the assignment. */
static apr_status_t write_children(kfm_req *kr, const char *id, const professional_values *v,
                                   const char *services, int service_count, int *assign_ok)
{
    const char *tenant_id = kr->session->tenant.id;
    const char *owner[] = {id, tenant_id};
    apr_status_t rv;
    *assign_ok = 1;
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
    if (v->service_ids) {
        int assigned = 0;
        const char *unassign[] = {tenant_id, id};
        const char *assign[] = {id, tenant_id, services};
        if ((rv = kfm_db_exec(kr->r, kr->db, "kf_pro_unassign_all", NULL, 2, unassign)) ||
            (rv = kfm_db_exec(kr->r, kr->db, "kf_pro_assign", &assigned, 3, assign))) {
            return rv;
        }
        /* fewer rows than ids: a service was archived meanwhile */
        *assign_ok = assigned == service_count;
    }
    return APR_SUCCESS;
}

static int save_professional(kfm_req *kr, const char *id)
{
    kfm_catalog_write w;
    professional_values v = {0};
    const char *tenant_id = kr->session->tenant.id;
    int reply = OK;

    if (!kfm_catalog_begin_write(kr, &kfm_professional_resource, id, &w, &reply)) {
        return reply;
    }
    v.timezone = w.tenant.timezone;
    if (w.row) {
        apr_pool_t *p = kr->r->pool;
        v.name = kfm_db_value(kr->db, p, w.row, 0, COL_NAME);
        v.description = kfm_db_value(kr->db, p, w.row, 0, COL_DESCRIPTION);
        v.photo_url = kfm_db_value(kr->db, p, w.row, 0, COL_PHOTO_URL);
        v.email = kfm_db_value(kr->db, p, w.row, 0, COL_EMAIL);
        v.timezone = kfm_db_value(kr->db, p, w.row, 0, COL_TIMEZONE);
        v.video_url = kfm_db_value(kr->db, p, w.row, 0, COL_VIDEO_URL);
    }
    if (read_professional(kr, &w.f, w.body, w.create, &v) != 0) {
        return kfm_catalog_fail(kr, &w.tx, "time zone check");
    }
    const char *services = "{}";
    int service_count = 0;
    if (v.service_ids &&
        kfm_catalog_check_ids(kr, &w.f, v.service_ids, "service_ids", KFM_CATALOG_SERVICES,
                             &services, &service_count) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, "service ids check");
    }
    if (!kf_fields_ok(&w.f)) {
        return kfm_catalog_refuse(kr, &w);
    }

    if (w.create) {
        kfm_rows *res = NULL;
        const char *args[] = {tenant_id, v.name, v.description, v.photo_url, v.email, v.timezone,
                              v.video_url};
        if (kfm_db_select(kr->r, kr->db, "kf_pro_insert", &res, 7, args) != APR_SUCCESS ||
            kfm_db_rows(kr->db, res) != 1) {
            return kfm_catalog_fail(kr, &w.tx, "professional insert");
        }
        w.id = kfm_db_value(kr->db, kr->r->pool, res, 0, 0);
    }
    else {
        int affected = 0;
        const char *args[] = {v.name, v.description, v.photo_url, v.email, v.timezone,
                              v.video_url, w.id, tenant_id};
        if (kfm_db_exec(kr->r, kr->db, "kf_pro_update", &affected, 8, args) != APR_SUCCESS ||
            affected != 1) {
            return kfm_catalog_fail(kr, &w.tx, "professional update");
        }
    }
    int assign_ok = 1;
    if (write_children(kr, w.id, &v, services, service_count, &assign_ok) != APR_SUCCESS) {
        return kfm_catalog_fail(kr, &w.tx, "professional hours, exceptions or services");
    }
    if (!assign_ok) {
        kf_fields_fail(&w.f, "service_ids", "service_id_invalid");
        return kfm_catalog_refuse(kr, &w);
    }
    return kfm_catalog_end_write(kr, &kfm_professional_resource, &w);
}

const kfm_catalog_resource kfm_professional_resource = {
    .noun = "professional", .plural = "professionals",
    .not_found = "professional_not_found", .archived = "professional_archived",
    .archived_col = COL_ARCHIVED,
    .list_sql = "kf_pro_list", .get_sql = "kf_pro_get", .lock_sql = "kf_pro_lock",
    .archive_sql = "kf_pro_archive", .exists_sql = "kf_pro_exists",
    .include_flags = kfm_catalog_include_archived,
    .archive_verb = "archive", .archive_field = "archived", .archive_value = 1,
    .audit_keys = professional_keys,
    .to_json = professional_json,
    .save = save_professional,
};

KFM_CATALOG_HANDLERS(professionals, kfm_professional_resource, archive)
