/* A professional's body and JSON: see kf_professional.h. */
#include "kf_professional.h"
#include "kf_catalog_json.h"
#include "kf_catalog_rules.h"
#include "kf_location.h"
#include "kf_email.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"

#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

void kf_professional_start(kf_professional *v, const char *tenant_zone, const char *const *row)
{
    memset(v, 0, sizeof(*v));
    v->timezone = tenant_zone;
    if (row) {
        v->name = row[KF_PRO_COL_NAME];
        v->description = row[KF_PRO_COL_DESCRIPTION];
        v->photo_url = row[KF_PRO_COL_PHOTO_URL];
        v->email = row[KF_PRO_COL_EMAIL];
        v->timezone = row[KF_PRO_COL_TIMEZONE];
        v->video_url = row[KF_PRO_COL_VIDEO_URL];
        v->video_provider = row[KF_PRO_COL_VIDEO_PROVIDER];
    }
}

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

const kf_range_arrays *kf_schedule_read(kf_fields *f, const json_t *list)
{
    apr_pool_t *p = f->pool;
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
    kf_range_arrays *out = apr_pcalloc(p, sizeof(*out));
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

const kf_range_arrays *kf_exceptions_read(kf_fields *f, const json_t *list)
{
    apr_pool_t *p = f->pool;
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
    kf_range_arrays *out = apr_pcalloc(p, sizeof(*out));
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

int kf_professional_read(kf_fields *f, const json_t *body, int create, kf_url_policy policy,
                         const kf_catalog_lookup *lk, kf_professional *v)
{
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
        v->photo_url = NULL;   /* null clears it */
        kf_field_url(f, body, "photo_url", "photo_url", KF_FIELD_NULLABLE, 0, 2048, policy, &v->photo_url);
    }
    kf_location_video_url_field(f, body, &v->video_url);
    /* the professional's own video place: its provider, and video_url as its fixed URL */
    kf_location place = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
    if (kf_location_professional_field(f, body, &place) == KF_FIELD_VALUE) {
        v->video_url = place.value;
        v->video_provider = kf_video_provider_stored(place.provider);
    }
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
        int known = lk->zone_known(lk->ctx, s);
        if (known < 0) {
            return -1;
        }
        if (!known) {
            kf_fields_fail(f, "timezone", "invalid_timezone");
        }
        v->timezone = s;
    }
    kf_field_array(f, body, "service_ids", "service_ids", KF_FIELD_OPTIONAL,
                   KF_PROFESSIONAL_MAX_SERVICES, &v->service_ids);
    if (kf_field_array(f, body, "schedule", "schedule", KF_FIELD_OPTIONAL,
                       KF_PROFESSIONAL_MAX_RANGES, &list) == KF_FIELD_VALUE) {
        v->schedule = kf_schedule_read(f, list);
    }
    if (kf_field_array(f, body, "exceptions", "exceptions", KF_FIELD_OPTIONAL,
                       KF_PROFESSIONAL_MAX_EXCEPTIONS, &list) == KF_FIELD_VALUE) {
        v->exceptions = kf_exceptions_read(f, list);
    }
    return 0;
}

static json_t *hhmm_json(apr_pool_t *p, const json_t *minutes)
{
    return json_string(kf_hhmm_format(p, (int)json_integer_value(minutes)));
}

json_t *kf_schedule_json(apr_pool_t *p, const char *text)
{
    json_t *out = json_array();
    json_t *rows = kf_json_parse(p, text, strlen(text), NULL);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_array_append_new(out, json_pack("{s:O, s:o, s:o}", "weekday", json_array_get(row, 0),
                                             "start", hhmm_json(p, json_array_get(row, 1)),
                                             "end", hhmm_json(p, json_array_get(row, 2))));
    }
    return out;
}

json_t *kf_exceptions_json(apr_pool_t *p, const char *text)
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
            json_object_set_new(e, "start", hhmm_json(p, json_array_get(row, 2)));
            json_object_set_new(e, "end", hhmm_json(p, json_array_get(row, 3)));
        }
        json_array_append_new(out, e);
    }
    return out;
}

json_t *kf_professional_json(apr_pool_t *p, const char *const *row, json_t *calendar)
{
    json_t *o = kf_catalog_row_json(row[KF_PRO_COL_ID], row[KF_PRO_COL_NAME],
                                    row[KF_PRO_COL_DESCRIPTION]);
    json_object_set_new(o, "photo_url", kf_catalog_json_str(row[KF_PRO_COL_PHOTO_URL]));
    json_object_set_new(o, "email", kf_catalog_json_str(row[KF_PRO_COL_EMAIL]));
    json_object_set_new(o, "timezone", kf_catalog_json_str(row[KF_PRO_COL_TIMEZONE]));
    json_object_set_new(o, "service_ids", kf_catalog_id_list(p, row[KF_PRO_COL_SERVICES]));
    json_object_set_new(o, "video_url", kf_catalog_json_str(row[KF_PRO_COL_VIDEO_URL]));
    kf_location_source own = {"video", row[KF_PRO_COL_VIDEO_URL], row[KF_PRO_COL_VIDEO_PROVIDER],
                              NULL, NULL, NULL};
    kf_location place = kf_location_of(&own);
    json_object_set_new(o, "location", kf_location_json(&place));
    json_object_set_new(o, "schedule", kf_schedule_json(p, row[KF_PRO_COL_SCHEDULE]));
    json_object_set_new(o, "exceptions", kf_exceptions_json(p, row[KF_PRO_COL_EXCEPTIONS]));
    json_object_set_new(o, "calendar", calendar);
    kf_catalog_row_json_close(o, row[KF_PRO_COL_ARCHIVED], row[KF_PRO_COL_CREATED],
                              row[KF_PRO_COL_UPDATED]);
    return o;
}
