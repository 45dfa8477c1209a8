#ifndef KF_BOOKING_VIEW_H
#define KF_BOOKING_VIEW_H
/* A booking as the merchant sees it (API.md "Admin API": the list, the detail and the CSV
 * export), from the stored rows. JSON functions return new references. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_booking_filter.h"

/* The columns of every booking row the list, detail and export statements return. */
enum {
    KF_BOOKING_COL_ID,
    KF_BOOKING_COL_STATUS,
    KF_BOOKING_COL_STATUS_REASON,
    KF_BOOKING_COL_START,            /* RFC 3339 UTC, no fraction */
    KF_BOOKING_COL_END,
    KF_BOOKING_COL_LOCAL_START,      /* in the tenant's zone, with its offset */
    KF_BOOKING_COL_SERVICE_ID,
    KF_BOOKING_COL_SERVICE_NAME,
    KF_BOOKING_COL_PROFESSIONAL_ID,
    KF_BOOKING_COL_PROFESSIONAL_NAME,
    KF_BOOKING_COL_CUSTOMER_NAME,
    KF_BOOKING_COL_CUSTOMER_EMAIL,
    KF_BOOKING_COL_CUSTOMER_PHONE,
    KF_BOOKING_COL_CHARGE_TYPE,
    KF_BOOKING_COL_CHARGE_AMOUNT,
    KF_BOOKING_COL_CURRENCY,
    KF_BOOKING_COL_CREATED_AT,
    KF_BOOKING_COL_NOTES,
    KF_BOOKING_COL_ACCEPTED_TERMS_AT,
    KF_BOOKING_COL_STARTS_AT_RAW,    /* exact starts_at, the keyset cursor of the export */
    KF_BOOKING_COL_LINK,             /* the booking link's slug while it is active (a
                                        reschedule's times are the ones it offers), else NULL */
    KF_BOOKING_COL_DISPUTE,          /* the state of a dispute of its payment, NULL when none */
    KF_BOOKING_COL_METADATA,         /* the merchant's ids (JSON, kf_metadata.h), NULL: none */
    KF_BOOKING_COL_TEAM,             /* a collective team's members (JSON [{id, name}]), NULL:
                                        one professional */
    KF_BOOKING_COL_COUNT
};

/* The columns of one status change of a booking's history. */
enum {
    KF_BOOKING_CHANGE_COL_FROM, KF_BOOKING_CHANGE_COL_TO, KF_BOOKING_CHANGE_COL_REASON,
    KF_BOOKING_CHANGE_COL_AT,
    KF_BOOKING_CHANGE_COL_COUNT
};

/* A seat of a group class (kf_seats.h): the class's places, and one attendee of it. */
enum {
    KF_CLASS_COL_CAPACITY, KF_CLASS_COL_SEAT, KF_CLASS_COL_TAKEN,   /* active seats */
    KF_CLASS_COL_COUNT
};
enum {
    KF_ATTENDEE_COL_ID, KF_ATTENDEE_COL_SEAT, KF_ATTENDEE_COL_STATUS, KF_ATTENDEE_COL_NAME,
    KF_ATTENDEE_COL_COUNT
};

/* The detail's "class" of a seat: {capacity, seat, seats_taken, seats_left (kf_seats_left),
 * attendees: [{id, seat, status, customer_name}] (the n rows, in their order)}; null for a
 * booking that holds no seat (place NULL). */
json_t *kf_booking_class(const char *const *place, const char *const *const *attendees, int n);

/* One booking of the list: id, status, times, service, professional, customer, charge
 * (null for a hold, which has none yet), created_at and dispute_status. */
json_t *kf_booking_list_item(const char *const *row);

/* The list's answer: {items (kf_booking_list_item of each of the n rows), total (NULL: 0),
 * page, per_page}. */
json_t *kf_booking_list_page(const char *const *const *rows, int n, const char *total, int page,
                             int per_page);

/* The detail: the list item plus notes, accepted_terms_at and the link. */
json_t *kf_booking_detail(const char *const *row);

/* Sets the detail's "mark_changeable_until": until when its mark (completed, no_show) may
 * still be changed or taken back (kf_res_mark_open), at `now`; null when it is not marked
 * (marked_at NULL) or its mark is final. Both are seconds since the epoch, as text. */
void kf_booking_detail_mark(apr_pool_t *p, json_t *booking, const char *marked_at,
                            const char *now);

/* {from, to, reason, at}: one status change. */
json_t *kf_booking_change_view(const char *const *row);

/* The detail's "history": kf_booking_change_view of each of the n rows, in their order. */
json_t *kf_booking_history(const char *const *const *rows, int n);

/* Adds to a detail what other features say of the booking: "payment" (the newest of
 * payments, or null), "payments", "callback" (NULL: null) with its "callback_attempts"
 * (its attempt_log, or []) and "calendar_event" (NULL: null). None of the references
 * passed is stolen. */
void kf_booking_detail_attach(json_t *booking, json_t *payments, json_t *callback,
                              json_t *calendar_event);

/* The export: at most KF_BOOKING_EXPORT_MAX_ROWS rows (past that the file says it is cut),
 * read KF_BOOKING_EXPORT_BATCH_ROWS at a time (each batch's memory freed before the next). */
#define KF_BOOKING_EXPORT_MAX_ROWS 50000
#define KF_BOOKING_EXPORT_BATCH_ROWS 500

/* The arguments of the export's batch statement: the tenant and the filter's
 * (kf_booking_filter_args), then where the batch starts (after a row: its start twice and
 * its id; NULL: from the top) and how many rows it reads. */
enum {
    KF_BOOKING_EXPORT_AFTER_AT = 1 + KF_BOOKING_FILTER_ARGS,
    KF_BOOKING_EXPORT_AFTER_ID = KF_BOOKING_EXPORT_AFTER_AT + 2,
    KF_BOOKING_EXPORT_LIMIT,
    KF_BOOKING_EXPORT_ARGS
};

/* The first batch's arguments: from the top, a batch's rows. */
void kf_booking_export_args(const char *tenant_id, const kf_booking_filter *f, const char **args);

/* The next batch's, once `written` rows are, `last` the last of them: after it (copied into
 * p, which outlives the batch), at most a batch's rows or what the cap leaves. */
void kf_booking_export_after(apr_pool_t *p, const char *const *last, int written,
                             const char **args);

/* The export's header record and a booking row's record (kf_csv: guarded, RFC 4180): the
 * fixed columns, then one "metadata.<key>" column for each key of metadata_keys ("a,b",
 * sorted, the keys present in the export; NULL or "": none), empty where a booking has none. */
const char *kf_booking_csv_header(apr_pool_t *p, const char *metadata_keys);
const char *kf_booking_csv_record(apr_pool_t *p, const char *const *row,
                                  const char *metadata_keys);

/* The export's file name, dated with the tenant's today (YYYY-MM-DD):
 * bookings-YYYYMMDD.csv; bookings-export.csv without a date. */
const char *kf_booking_export_filename(apr_pool_t *p, const char *today);

/* 1 when more bookings matched (total, as counted) than the export holds. */
int kf_booking_export_truncated(const char *total);

/* What the audit row of an export keeps ("booking.export"): the format, how many rows the
 * file holds (total, as counted, up to the cap), whether it was cut, and the filters given
 * (statuses, service, professional, from, to, callback, refund; "search": true for q, whose
 * text stays out of the log). A new reference. */
json_t *kf_booking_export_audit(const kf_booking_filter *f, const char *total);

#endif
