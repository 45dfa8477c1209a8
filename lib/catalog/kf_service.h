#ifndef KF_SERVICE_H
#define KF_SERVICE_H
/* A service of the catalog (API.md "Admin API": services): its price and charge, slot
 * rules, location, and which professionals offer it. What a POST or PATCH body says, with
 * its field errors, a new service's defaults, and the JSON of a stored row. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_catalog_rules.h"
#include "kf_location.h"
#include "kf_seats.h"
#include "kf_team.h"
#include "kf_series.h"

#define KF_SERVICE_MAX_PROFESSIONALS 200

/* The columns of a stored service, in the order the glue's statements select them. */
enum {
    KF_SVC_COL_ID, KF_SVC_COL_NAME, KF_SVC_COL_DESCRIPTION, KF_SVC_COL_IMAGE_URL,
    KF_SVC_COL_DURATION, KF_SVC_COL_PRICE, KF_SVC_COL_CURRENCY, KF_SVC_COL_CHARGE_TYPE,
    KF_SVC_COL_DEPOSIT, KF_SVC_COL_SLOT_INTERVAL, KF_SVC_COL_BUFFER_BEFORE,
    KF_SVC_COL_BUFFER_AFTER, KF_SVC_COL_MIN_NOTICE, KF_SVC_COL_HORIZON, KF_SVC_COL_ARCHIVED,
    KF_SVC_COL_CREATED, KF_SVC_COL_UPDATED,
    KF_SVC_COL_PROFESSIONALS,  /* "id,id" of the active professionals offering it */
    KF_SVC_COL_LOCATION_TYPE, KF_SVC_COL_LOCATION_VALUE, KF_SVC_COL_LOCATION_PROVIDER,
    KF_SVC_COL_CAPACITY,        /* customers per start (kf_seats.h) */
    KF_SVC_COL_ATTENDEE_NAMES,  /* "t": a class's event in the calendar names its attendees */
    KF_SVC_COL_TEAM,            /* "id,id" of its collective team as set (NULL: none) */
    KF_SVC_COL_SERIES,          /* its series rule as stored (kf_series.h), or NULL */
    KF_SVC_COL_COUNT
};

/* A service as written: the stored row (or a new one's defaults) overlaid with what was
 * sent. */
typedef struct kf_service {
    const char *name, *description, *image_url, *currency;
    kf_charge_type charge;
    apr_int64_t duration, price, deposit_percent, slot_interval, buffer_before, buffer_after,
        min_notice, horizon, capacity;
    int attendee_names;
    kf_series_rule series;      /* booked as a series, or once (every KF_SERIES_NONE) */
    json_t *professional_ids;   /* sent list, or NULL: the assignment stays */
    kf_team team;               /* what the body says of the team */
    const char *team_ids;       /* the team to store: "id,id", or NULL: none */
    kf_location location;
} kf_service;

/* A new service with the defaults of API.md (the table's too): charged in total, 25 %
 * deposit, slots every 15 minutes, 14 days ahead, one customer per start (capacity 1; up to
 * KF_CAPACITY_MAX makes a group class), its class's attendees not named in the
 * professional's calendar, in the tenant's currency; or, with row
 * (KF_SVC_COL_COUNT values), the stored one. */
void kf_service_start(kf_service *v, const char *tenant_currency, const char *const *row);

/* Reads every sent field of body over *v, recording field errors in f (create: the
 * required fields must be there). The image URL follows `policy`; the price's currency must
 * be the tenant's; the charge rules (kf_charge_problem) hold for the result, whichever of
 * price and charge_type was sent. */
void kf_service_read(kf_fields *f, const json_t *body, int create, const char *tenant_currency,
                     kf_url_policy policy, kf_service *v);

/* A service's stored columns as a statement's text arguments (NULL: SQL NULL), in this
 * order: name, description, image_url, duration_minutes, price_amount, currency,
 * charge_type, deposit_percent, slot_interval_minutes, buffer_before_minutes,
 * buffer_after_minutes, min_notice_minutes, horizon_days, location_type, location_value, location_provider,
 * capacity, attendee_names, team_ids, series. */
#define KF_SERVICE_WRITE_ARGS 20
void kf_service_write_args(apr_pool_t *p, const kf_service *v,
                           const char *args[KF_SERVICE_WRITE_ARGS]);

/* A stored service (row: KF_SVC_COL_COUNT values) as the API shows it, with the amount its
 * charge asks ("charge"). A new reference. */
json_t *kf_service_json(apr_pool_t *p, const char *const *row);

#endif
