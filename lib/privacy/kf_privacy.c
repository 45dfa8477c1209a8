/* A customer's personal data at a business: see kf_privacy.h. */
#include "kf_privacy.h"
#include "kf_csv.h"
#include "kf_email.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <stdlib.h>

#define DAY 86400

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

apr_int64_t kf_privacy_retention_cutoff(apr_int64_t now, int months)
{
    apr_int64_t day = kf_utc_day_of(now);
    apr_int64_t second_of_day = now - day * DAY;
    int y, m, d;
    kf_civil_from_days(day, &y, &m, &d);
    int index = y * 12 + (m - 1) - months;
    y = index / 12;
    m = index % 12 + 1;
    if (d > days_in_month(y, m)) {
        d = days_in_month(y, m);
    }
    return kf_days_from_civil(y, m, d) * DAY + second_of_day;
}

int kf_privacy_retention_due(apr_int64_t ends_at, int months, apr_int64_t now)
{
    return ends_at <= kf_privacy_retention_cutoff(now, months);
}

apr_int64_t kf_privacy_abandoned_cutoff(apr_int64_t now)
{
    return now - (apr_int64_t)KF_PRIVACY_ABANDONED_DAYS * DAY;
}

apr_int64_t kf_privacy_request_cutoff(apr_int64_t now, int days, int *never)
{
    *never = days <= 0;
    return now - (apr_int64_t)days * DAY;
}

int kf_privacy_request_due(apr_int64_t requested_at, int days, apr_int64_t now)
{
    int never = 0;
    apr_int64_t cutoff = kf_privacy_request_cutoff(now, days, &never);
    return !never && requested_at <= cutoff;
}

void kf_privacy_retention_args(apr_pool_t *p, apr_int64_t now, const char *months,
                               const char **args)
{
    args[0] = months;
    args[1] = args[2] = kf_time_utc_text(p, kf_privacy_retention_cutoff(now, atoi(months)));
    args[3] = KF_PRIVACY_TOMBSTONE_NAME;
    args[4] = KF_PRIVACY_TOMBSTONE_EMAIL;
    args[5] = KF_PRIVACY_TOMBSTONE_PHONE;
}

void kf_privacy_abandoned_args(apr_pool_t *p, apr_int64_t now, const char **args)
{
    args[0] = kf_time_utc_text(p, kf_privacy_abandoned_cutoff(now));
    args[1] = KF_PRIVACY_TOMBSTONE_NAME;
    args[2] = KF_PRIVACY_TOMBSTONE_EMAIL;
    args[3] = KF_PRIVACY_TOMBSTONE_PHONE;
}

int kf_privacy_requests_args(apr_pool_t *p, apr_int64_t now, const char *days, const char **args)
{
    int never = 0;
    args[0] = days;
    args[1] = kf_time_utc_text(p, kf_privacy_request_cutoff(now, atoi(days), &never));
    return !never;
}

const char *kf_privacy_email_check(const char *email)
{
    if (!email || !*email) {
        return "field_required";
    }
    return kf_email_valid(email) ? NULL : "customer_email_invalid";
}

/* A scalar as its cell: strings as they are, numbers and booleans as JSON writes them. */
static const char *cell_of(apr_pool_t *p, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return json_string_value(v);
    case JSON_INTEGER:
        return apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(v));
    case JSON_REAL:
        return apr_psprintf(p, "%.17g", json_real_value(v));
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    default:
        return NULL;
    }
}

/* The records of one object's fields, nested objects' under "outer.inner". */
static void object_records(apr_pool_t *p, apr_array_header_t *lines,
                           const char *section, const char *id, const char *prefix,
                           const json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        const char *field = prefix ? apr_pstrcat(p, prefix, ".", key, NULL) : key;
        if (json_is_object(v)) {
            object_records(p, lines, section, id, field, v);
            continue;
        }
        if (json_is_array(v)) {
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) {
                const char *at = apr_psprintf(p, "%s[%" APR_SIZE_T_FMT "]", field, i);
                if (json_is_object(item)) {
                    object_records(p, lines, section, id, at, item);
                }
                else {
                    const char *cells[] = {section, id, at, cell_of(p, item)};
                    APR_ARRAY_PUSH(lines, const char *) = kf_csv_record(p, cells, 4);
                }
            }
            continue;
        }
        const char *cells[] = {section, id, field, cell_of(p, v)};
        APR_ARRAY_PUSH(lines, const char *) = kf_csv_record(p, cells, 4);
    }
}

const char *kf_privacy_export_csv(apr_pool_t *p, const json_t *export)
{
    static const char *const sections[] = {"bookings", "purchases", "payments", "messages",
                                           "consents", "erasure_requests", NULL};
    static const char *const header[] = {"section", "id", "field", "value"};
    apr_array_header_t *lines = apr_array_make(p, 64, sizeof(const char *));
    APR_ARRAY_PUSH(lines, const char *) = KF_CSV_BOM;
    APR_ARRAY_PUSH(lines, const char *) = kf_csv_record(p, header, 4);
    for (int s = 0; sections[s]; s++) {
        const json_t *list = json_object_get(export, sections[s]);
        size_t i;
        json_t *item;
        json_array_foreach((json_t *)list, i, item) {
            if (!json_is_object(item)) {
                continue;
            }
            const json_t *id = json_object_get(item, "id");
            const char *id_text = json_is_string(id) ? json_string_value(id)
                                                     : apr_psprintf(p, "%" APR_SIZE_T_FMT, i + 1);
            object_records(p, lines, sections[s], id_text, NULL, item);
        }
    }
    return apr_array_pstrcat(p, lines, '\0');
}

const char *kf_privacy_erase_read(kf_fields *f, const json_t *body)
{
    const char *email = NULL;
    if (kf_field_string(f, body, "email", "email", KF_FIELD_REQUIRED, 1, 254, &email) !=
        KF_FIELD_VALUE) {
        return NULL;
    }
    const char *why = kf_privacy_email_check(email);
    if (why) {
        kf_fields_fail(f, "email", why);
        return NULL;
    }
    return email;
}

const char *kf_privacy_export_query_read(const apr_table_t *params, kf_privacy_export_query *out,
                                         const char **why)
{
    out->email = apr_table_get(params, "email");
    *why = kf_privacy_email_check(out->email);
    if (*why) {
        return "email";
    }
    const char *format = apr_table_get(params, "format");
    out->csv = format && strcmp(format, "csv") == 0;
    if (format && !out->csv && strcmp(format, "json") != 0) {
        *why = "privacy_export_format";
        return "format";
    }
    return NULL;
}

json_t *kf_privacy_pending_json(const char *id, const char *erases_at)
{
    if (!id) {
        return json_null();
    }
    return json_pack("{s:s, s:s, s:o}", "id", id, "status", "pending", "erases_automatically_at",
                     erases_at ? json_string(erases_at) : json_null());
}

json_t *kf_privacy_requests_json(const char *const *const *rows, int n)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, json_loads(rows[i][0], 0, NULL));
    }
    return json_pack("{s:o}", "items", items);
}

json_t *kf_privacy_erased_json(int n, json_t *request)
{
    json_t *out = json_pack("{s:i}", "erased_bookings", n);
    if (request) {
        json_object_set_new(out, "request", request);
    }
    return out;
}
