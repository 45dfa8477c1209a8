#ifndef KF_PROFESSIONAL_H
#define KF_PROFESSIONAL_H
/* A professional of the catalog (API.md "Admin API": professionals): who works for the
 * tenant, when (a weekly schedule with several ranges per day, and date exceptions, in the
 * professional's own time zone) and which services they offer. What a POST or PATCH body
 * says, with its field errors, and the JSON of a stored row.
 *
 * Times are minutes of the day; ranges are half-open, so 09:00-12:00 and 12:00-15:00 of the
 * same day touch and are accepted, while 09:00-12:00 and 11:00-13:00 overlap and are refused
 * with the path of the later range ("schedule[2]"). */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_catalog_lookup.h"

/* Large enough for any real week or year of exceptions, small enough to bound the work. */
#define KF_PROFESSIONAL_MAX_RANGES 100
#define KF_PROFESSIONAL_MAX_EXCEPTIONS 1000
#define KF_PROFESSIONAL_MAX_SERVICES 200

/* The columns of a stored professional, in the order the glue's statements select them. */
enum {
    KF_PRO_COL_ID, KF_PRO_COL_NAME, KF_PRO_COL_DESCRIPTION, KF_PRO_COL_PHOTO_URL,
    KF_PRO_COL_EMAIL, KF_PRO_COL_TIMEZONE, KF_PRO_COL_CALENDAR, KF_PRO_COL_ARCHIVED,
    KF_PRO_COL_CREATED, KF_PRO_COL_UPDATED,
    KF_PRO_COL_SERVICES,    /* "id,id" of the active services offered */
    KF_PRO_COL_SCHEDULE,    /* json_agg text of [weekday, start, end] */
    KF_PRO_COL_EXCEPTIONS,  /* json_agg text of ["YYYY-MM-DD", closed, start, end] */
    KF_PRO_COL_VIDEO_URL,
    KF_PRO_COL_VIDEO_PROVIDER,
    KF_PRO_COL_COUNT
};

/* Ranges of a schedule or of exceptions, as PostgreSQL array literals for unnest(). */
typedef struct kf_range_arrays {
    int count;
    const char *groups;   /* weekdays, or dates */
    const char *closed;   /* exceptions only */
    const char *starts;
    const char *ends;
} kf_range_arrays;

/* A professional as written: the stored row (or a new one's defaults) overlaid with what
 * was sent. */
typedef struct kf_professional {
    const char *name, *description, *photo_url, *email, *timezone, *video_url;
    const char *video_provider;    /* NULL: video_url is a fixed URL (kf_video_provider_stored) */
    json_t *service_ids;                /* sent list, or NULL: the assignment stays */
    const kf_range_arrays *schedule;    /* NULL: unchanged */
    const kf_range_arrays *exceptions;  /* NULL: unchanged */
} kf_professional;

/* A new professional (zone: the tenant's), or a stored one (row: KF_PRO_COL_COUNT values). */
void kf_professional_start(kf_professional *v, const char *tenant_zone, const char *const *row);

/* Reads every sent field of body over *v, recording field errors in f (create: the name is
 * required). The photo URL follows `policy`; the zone must be one lk knows. -1 when the
 * lookup failed, else 0. */
int kf_professional_read(kf_fields *f, const json_t *body, int create, kf_url_policy policy,
                         const kf_catalog_lookup *lk, kf_professional *v);

/* schedule: [{"weekday": 1..7, "start": "HH:MM", "end": "HH:MM"}, ...]; exceptions:
 * [{"date", "closed": true} | {"date", "start", "end"}, ...], a closed date conflicting with
 * any other entry of that date. The valid ranges as arrays; errors at "schedule[i]...". */
const kf_range_arrays *kf_schedule_read(kf_fields *f, const json_t *list);
const kf_range_arrays *kf_exceptions_read(kf_fields *f, const json_t *list);

/* The stored schedule / exceptions (KF_PRO_COL_SCHEDULE / _EXCEPTIONS text) as the API
 * shows them. New references. */
json_t *kf_schedule_json(apr_pool_t *p, const char *text);
json_t *kf_exceptions_json(apr_pool_t *p, const char *text);

/* A stored professional (row: KF_PRO_COL_COUNT values) as the API shows it; `calendar` (a
 * new reference, stolen) is its calendar connection's view. */
json_t *kf_professional_json(apr_pool_t *p, const char *const *row, json_t *calendar);

#endif
