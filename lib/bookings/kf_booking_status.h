#ifndef KF_BOOKING_STATUS_H
#define KF_BOOKING_STATUS_H
/* A booking as its customer is told it (API.md "Public booking API": the answer of
 * POST /api/public/bookings and GET /api/public/bookings/{id}), from the stored rows: the
 * state as seen now, where it takes place, the way back to the merchant and what the policy
 * still lets the customer do. JSON functions return new references. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_reservation.h"

/* The columns of a booking just made. */
enum {
    KF_BOOKING_MADE_COL_ID, KF_BOOKING_MADE_COL_START, KF_BOOKING_MADE_COL_END,
    KF_BOOKING_MADE_COL_CHARGE_TYPE, KF_BOOKING_MADE_COL_AMOUNT, KF_BOOKING_MADE_COL_CURRENCY,
    KF_BOOKING_MADE_COL_TEAM,   /* a collective team's members (JSON), NULL: one professional */
    KF_BOOKING_MADE_COL_COUNT
};

/* The columns of a booking as its status page reads it. */
enum {
    KF_BSTATUS_COL_ID, KF_BSTATUS_COL_STATE, KF_BSTATUS_COL_DEADLINE_PASSED,
    KF_BSTATUS_COL_START, KF_BSTATUS_COL_END, KF_BSTATUS_COL_TIMEZONE,
    KF_BSTATUS_COL_SERVICE_ID, KF_BSTATUS_COL_SERVICE_NAME, KF_BSTATUS_COL_DURATION,
    KF_BSTATUS_COL_PROFESSIONAL_ID, KF_BSTATUS_COL_PROFESSIONAL_NAME,
    KF_BSTATUS_COL_RETURN_URL,       /* the tenant's */
    KF_BSTATUS_COL_LINK,             /* the booking link's slug while it is active */
    KF_BSTATUS_COL_CANCEL_OPEN, KF_BSTATUS_COL_RESCHEDULE_OPEN,   /* before the cutoffs */
    KF_BSTATUS_COL_RESCHEDULES_LEFT,
    KF_BSTATUS_COL_LOCATION_TYPE, KF_BSTATUS_COL_LOCATION_VALUE, KF_BSTATUS_COL_VIDEO_URL,
    KF_BSTATUS_COL_LOCATION_PROVIDER, KF_BSTATUS_COL_VIDEO_PROVIDER, KF_BSTATUS_COL_MEETING_URL,
    KF_BSTATUS_COL_BUSINESS, KF_BSTATUS_COL_BUSINESS_EMAIL,   /* how the customer reaches it */
    KF_BSTATUS_COL_BUSINESS_PHONE,   /* NULL: it gives none */
    KF_BSTATUS_COL_TENANT,           /* its public face, JSON (the booking link's "tenant") */
    KF_BSTATUS_COL_TEAM,             /* a collective team's members (JSON), NULL: one professional */
    KF_BSTATUS_COL_SERIES,           /* "t": an occurrence of a series */
    KF_BSTATUS_COL_COUNT
};

/* {"booking": {id, status, start, end}}: a booking just marked completed or no_show. */
json_t *kf_booking_marked_view(const char *id, kf_res_state status, const char *start,
                               const char *end);

/* {"booking": {id, token, status, start, end, charge (null when free), payment (stolen;
 * NULL: null), status_url, purchase? {id, sessions_left}}}: the booking just made
 * (row: KF_BOOKING_MADE_COL_COUNT values). purchase_id NULL: not a package's session. */
json_t *kf_booking_created_view(const char *const *made, kf_res_state status,
                                const char *token, json_t *payment, const char *status_url,
                                const char *purchase_id, int sessions_left);

/* {tenant return_url}?status=ok|failed&ref={id} once the booking's outcome is known; NULL
 * while undecided, or without a return_url. */
const char *kf_booking_return_url(apr_pool_t *p, const char *base, kf_res_state state,
                                  const char *id);

/* A booking of a collective team (sql/084) lists all its members: sets booking's
 * "professionals" to the team's JSON text ([{"id", "name"}], as stored in its order); a
 * booking of one professional (team NULL) gets none. */
void kf_booking_set_team(json_t *booking, const char *team);

/* The columns of a series' occurrences as a booking of it reads them (one row each, in
 * order): the series, the booking's own place in it, and each occurrence. */
enum {
    KF_OCC_COL_SERIES, KF_OCC_COL_INDEX, KF_OCC_COL_COUNT, KF_OCC_COL_ID, KF_OCC_COL_START,
    KF_OCC_COL_END, KF_OCC_COL_STATE, KF_OCC_COLUMNS
};

/* Adds to a booking's JSON (the object inside "booking") what a booking of a series shows
 * (API.md "Series, seats and teams"): "series": {id, index, count} and "occurrences":
 * [{id, start, end, status}] in order, from rows[0..n) (KF_OCC_COLUMNS values each); n 0: a
 * booking of no series, nothing added. */
void kf_booking_series_view(json_t *booking, const char *const *const *rows, int n);

/* What the checkout of a booking just made collects, when it is a series' (kf_series.h) and
 * differs from what its own occurrence is charged: its "charge" says that amount. */
void kf_booking_charge_is(json_t *reply, apr_int64_t amount);

/* The stored state awaits an approval (worth asking the provider when the customer comes
 * back from the checkout). Row: KF_BSTATUS_COL_COUNT values. */
int kf_booking_status_awaits_approval(const char *const *row);

/* A booking's tokens (its browser's and its mails' manage token) open it until this long
 * after the booking's end; after that its pages and actions answer 410 token_expired. */
#define KF_BOOKING_TOKEN_DAYS_AFTER_END 30
/* 1 while a token of the booking ending at ends_at (seconds) still opens it at now. */
int kf_booking_token_open(apr_int64_t ends_at, apr_int64_t now);

/* {"booking": {...}}: the status page's answer (row: KF_BSTATUS_COL_COUNT values), with the
 * payment (not stolen; NULL: null). A meeting link only while the booking is the customer's
 * (paid or free, before or after the appointment): never while its payment is awaited, nor
 * once it is cancelled, expired or failed. The business's contact (name, email, phone) and
 * its public face ("tenant": name, logo, colours, zone, language, terms) come with it, so
 * that the booking's page wears its brand on any host. */
json_t *kf_booking_status_view(apr_pool_t *p, const char *const *row, json_t *payment);

#endif
