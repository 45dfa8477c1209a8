/* A service's body and JSON: see kf_service.h. */
#include "kf_service.h"
#include "kf_catalog_json.h"
#include "kf_text.h"

#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>


/* The service's own place, as stored. */
static kf_location stored_location(const char *const *row)
{
    kf_location_source src = {row[KF_SVC_COL_LOCATION_TYPE], row[KF_SVC_COL_LOCATION_VALUE],
                              row[KF_SVC_COL_LOCATION_PROVIDER], NULL, NULL, NULL};
    return kf_location_of(&src);
}

void kf_service_start(kf_service *v, const char *tenant_currency, const char *const *row)
{
    memset(v, 0, sizeof(*v));
    v->currency = tenant_currency;
    v->charge = KF_CHARGE_TOTAL;
    v->deposit_percent = 25;
    v->slot_interval = 15;
    v->horizon = 14;
    v->capacity = KF_CAPACITY_MIN;
    if (!row) {
        return;
    }
    v->name = row[KF_SVC_COL_NAME];
    v->description = row[KF_SVC_COL_DESCRIPTION];
    v->image_url = row[KF_SVC_COL_IMAGE_URL];
    v->currency = row[KF_SVC_COL_CURRENCY];
    v->charge = kf_charge_type_parse(row[KF_SVC_COL_CHARGE_TYPE]);
    v->duration = apr_atoi64(row[KF_SVC_COL_DURATION]);
    v->price = apr_atoi64(row[KF_SVC_COL_PRICE]);
    v->deposit_percent = apr_atoi64(row[KF_SVC_COL_DEPOSIT]);
    v->slot_interval = apr_atoi64(row[KF_SVC_COL_SLOT_INTERVAL]);
    v->buffer_before = apr_atoi64(row[KF_SVC_COL_BUFFER_BEFORE]);
    v->buffer_after = apr_atoi64(row[KF_SVC_COL_BUFFER_AFTER]);
    v->min_notice = apr_atoi64(row[KF_SVC_COL_MIN_NOTICE]);
    v->horizon = apr_atoi64(row[KF_SVC_COL_HORIZON]);
    v->location = stored_location(row);
    v->capacity = row[KF_SVC_COL_CAPACITY] ? apr_atoi64(row[KF_SVC_COL_CAPACITY]) : KF_CAPACITY_MIN;
    v->attendee_names = kf_text_true(row[KF_SVC_COL_ATTENDEE_NAMES]);
    v->team_ids = kf_team_size(row[KF_SVC_COL_TEAM]) ? row[KF_SVC_COL_TEAM] : NULL;
    kf_series_from_stored(row[KF_SVC_COL_SERIES], &v->series);
}

/* The integer fields: key, whether a POST must send it, range, where it goes. */
typedef struct int_field {
    const char *key;
    int required;
    apr_int64_t min, max;
    size_t offset;
} int_field;

static const int_field int_fields[] = {
    {"duration_minutes", 1, 15, 480, offsetof(kf_service, duration)},
    {"deposit_percent", 0, 1, 99, offsetof(kf_service, deposit_percent)},
    {"slot_interval_minutes", 0, 5, 480, offsetof(kf_service, slot_interval)},
    {"buffer_before_minutes", 0, 0, 480, offsetof(kf_service, buffer_before)},
    {"buffer_after_minutes", 0, 0, 480, offsetof(kf_service, buffer_after)},
    {"min_notice_minutes", 0, 0, 525600, offsetof(kf_service, min_notice)},
    {"horizon_days", 0, 1, 365, offsetof(kf_service, horizon)},
    {"capacity", 0, KF_CAPACITY_MIN, KF_CAPACITY_MAX, offsetof(kf_service, capacity)},
    {NULL, 0, 0, 0, 0},
};

void kf_service_read(kf_fields *f, const json_t *body, int create, const char *tenant_currency,
                     kf_url_policy policy, kf_service *v)
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
        v->image_url = NULL;   /* null clears it */
        kf_field_url(f, body, "image_url", "image_url", KF_FIELD_NULLABLE, 0, 2048, policy, &v->image_url);
    }
    for (const int_field *i = int_fields; i->key; i++) {
        if (kf_field_int(f, body, i->key, i->key, i->required ? req : KF_FIELD_OPTIONAL, i->min,
                         i->max, &n) == KF_FIELD_VALUE) {
            *(apr_int64_t *)((char *)v + i->offset) = n;
        }
    }
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
    kf_field_bool(f, body, "attendee_names", "attendee_names", KF_FIELD_OPTIONAL,
                  &v->attendee_names);
    kf_series_field(f, body, &v->series);
    kf_field_array(f, body, "professional_ids", "professional_ids", KF_FIELD_OPTIONAL,
                   KF_SERVICE_MAX_PROFESSIONALS, &v->professional_ids);
    kf_team_read(f, body, &v->team);
    if (v->team.sent && !v->team.collective) {
        v->team_ids = NULL;
    }
    /* the team as it will be (sent, else stored) against the capacity as it will be */
    int team_size = v->team.collective ? (int)json_array_size(v->team.professional_ids)
                                       : kf_team_size(v->team_ids);
    const char *team_problem = kf_team_capacity_problem(team_size, (long)v->capacity);
    if (team_problem && !kf_fields_has(f, "capacity") && !kf_fields_has(f, "team")) {
        kf_fields_fail(f, "team", team_problem);
    }
    /* the series as it will be against the team and capacity as they will be */
    const char *series_problem = kf_series_combination_problem(&v->series, team_size,
                                                               (long)v->capacity);
    if (series_problem && !team_problem && !kf_fields_has(f, "capacity") &&
        !kf_fields_has(f, "team") && !kf_series_field_failed(f)) {
        kf_fields_fail(f, "series", series_problem);
    }
}

static const char *number(apr_pool_t *p, apr_int64_t n)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, n);
}

void kf_service_write_args(apr_pool_t *p, const kf_service *v,
                           const char *args[KF_SERVICE_WRITE_ARGS])
{
    const char *location_type = kf_location_type_name(v->location.type);
    const char *values[KF_SERVICE_WRITE_ARGS] = {
        v->name, v->description, v->image_url, number(p, v->duration), number(p, v->price),
        v->currency, kf_charge_type_name(v->charge), number(p, v->deposit_percent),
        number(p, v->slot_interval), number(p, v->buffer_before), number(p, v->buffer_after),
        number(p, v->min_notice), number(p, v->horizon), location_type,
        location_type ? v->location.value : NULL,
        location_type ? kf_video_provider_stored(v->location.provider) : NULL,
        number(p, v->capacity), v->attendee_names ? "true" : "false",
        v->team_ids ? apr_pstrcat(p, "{", v->team_ids, "}", NULL) : NULL,
        kf_series_stored(p, &v->series),
    };
    memcpy(args, values, sizeof(values));
}

json_t *kf_service_json(apr_pool_t *p, const char *const *row)
{
    apr_int64_t price = apr_atoi64(row[KF_SVC_COL_PRICE]);
    int percent = atoi(row[KF_SVC_COL_DEPOSIT]);
    const char *type_name = row[KF_SVC_COL_CHARGE_TYPE], *currency = row[KF_SVC_COL_CURRENCY];
    apr_int64_t charged = kf_charge_amount(kf_charge_type_parse(type_name), price, percent);

    json_t *s = kf_catalog_row_json(row[KF_SVC_COL_ID], row[KF_SVC_COL_NAME],
                                    row[KF_SVC_COL_DESCRIPTION]);
    json_object_set_new(s, "image_url", kf_catalog_json_str(row[KF_SVC_COL_IMAGE_URL]));
    json_object_set_new(s, "duration_minutes", kf_catalog_json_int(row[KF_SVC_COL_DURATION]));
    json_object_set_new(s, "price", kf_catalog_price_json(price, currency));
    json_object_set_new(s, "charge_type", kf_catalog_json_str(type_name));
    json_object_set_new(s, "deposit_percent", json_integer(percent));
    /* a row stored before a rule tightened still shows: as total (charged = price) */
    json_object_set_new(s, "charge", json_pack("{s:s, s:I, s:s}", "type", type_name, "amount",
                                               (json_int_t)(charged >= 0 ? charged : price),
                                               "currency", currency));
    json_object_set_new(s, "slot_interval_minutes",
                        kf_catalog_json_int(row[KF_SVC_COL_SLOT_INTERVAL]));
    json_object_set_new(s, "buffer_before_minutes",
                        kf_catalog_json_int(row[KF_SVC_COL_BUFFER_BEFORE]));
    json_object_set_new(s, "buffer_after_minutes",
                        kf_catalog_json_int(row[KF_SVC_COL_BUFFER_AFTER]));
    json_object_set_new(s, "min_notice_minutes", kf_catalog_json_int(row[KF_SVC_COL_MIN_NOTICE]));
    json_object_set_new(s, "horizon_days", kf_catalog_json_int(row[KF_SVC_COL_HORIZON]));
    json_object_set_new(s, "professional_ids",
                        kf_catalog_id_list(p, row[KF_SVC_COL_PROFESSIONALS]));
    kf_location loc = stored_location(row);
    json_object_set_new(s, "location", kf_location_json(&loc));
    json_object_set_new(s, "capacity", json_integer(row[KF_SVC_COL_CAPACITY]
                                                        ? atoi(row[KF_SVC_COL_CAPACITY])
                                                        : KF_CAPACITY_MIN));
    json_object_set_new(s, "attendee_names", json_boolean(kf_text_true(row[KF_SVC_COL_ATTENDEE_NAMES])));
    json_object_set_new(s, "team", kf_team_json(p, row[KF_SVC_COL_TEAM]));
    kf_series_rule series;
    kf_series_from_stored(row[KF_SVC_COL_SERIES], &series);
    json_object_set_new(s, "series", kf_series_json(&series));
    kf_catalog_row_json_close(s, row[KF_SVC_COL_ARCHIVED], row[KF_SVC_COL_CREATED],
                              row[KF_SVC_COL_UPDATED]);
    return s;
}
