#ifndef KF_PRIVACY_H
#define KF_PRIVACY_H
/* A customer's personal data at a business (docs/privacy.md): the tombstone that replaces
 * it, when the retention period and an erasure request come due ("now" is an argument),
 * the settings' ranges, and the export as CSV. */
#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "kf_fields.h"

/* What an erased booking or purchase holds in place of the customer's name, address and
 * phone (valid for the columns' checks, and never a real customer's). */
#define KF_PRIVACY_TOMBSTONE_NAME "[erased]"
#define KF_PRIVACY_TOMBSTONE_EMAIL "erased@erased.invalid"
#define KF_PRIVACY_TOMBSTONE_PHONE "+00000000"

/* data_retention_months: months after a booking's end before its customer's data is erased. */
#define KF_PRIVACY_RETENTION_MIN 1
#define KF_PRIVACY_RETENTION_MAX 120
#define KF_PRIVACY_RETENTION_DEFAULT 24
/* erasure_auto_days: days after a customer's request before it is carried out without the
 * merchant's confirmation; 0: only when the merchant confirms. */
#define KF_PRIVACY_ERASURE_DAYS_MAX 365
#define KF_PRIVACY_ERASURE_DAYS_DEFAULT 30

/* The instant `months` calendar months before `now` (seconds, UTC), the day kept or, when
 * that month is shorter, its last day (March 31 less one month is February 28 or 29).
 * A booking that ended at or before it is due for erasure. */
apr_int64_t kf_privacy_retention_cutoff(apr_int64_t now, int months);

/* 1 when a booking that ended at `ends_at` is due for erasure at `now`. */
int kf_privacy_retention_due(apr_int64_t ends_at, int months, apr_int64_t now);

/* A booking abandoned before it was paid (expired or failed, with no approved payment)
 * keeps its customer's data this many days after its last change, then it is erased: long
 * enough for a provider's late approval to revive it and reach its customer. */
#define KF_PRIVACY_ABANDONED_DAYS 30

/* The instant at or before which an abandoned booking's last change makes it due at `now`. */
apr_int64_t kf_privacy_abandoned_cutoff(apr_int64_t now);

/* The instant before which a request made is carried out automatically at `now`;
 * *never = 1 when days is 0 (the merchant confirms every request). */
apr_int64_t kf_privacy_request_cutoff(apr_int64_t now, int days, int *never);

/* 1 when a request made at `requested_at` is carried out automatically at `now`. */
int kf_privacy_request_due(apr_int64_t requested_at, int days, apr_int64_t now);

/* The arguments of the statements that erase, at `now`: for the tenants keeping `months`
 * (its text), months, the cutoff in RFC 3339 twice (bookings, purchases) and the tombstone's
 * name, address and phone; for abandoned bookings, the cutoff and the tombstone; for the
 * requests of the tenants waiting `days` (its text), days and the cutoff (0 when days is 0:
 * such requests wait for the merchant). */
#define KF_PRIVACY_RETENTION_ARGS 6
#define KF_PRIVACY_ABANDONED_ARGS 4
#define KF_PRIVACY_REQUESTS_ARGS 2
void kf_privacy_retention_args(apr_pool_t *p, apr_int64_t now, const char *months,
                               const char **args);
void kf_privacy_abandoned_args(apr_pool_t *p, apr_int64_t now, const char **args);
int kf_privacy_requests_args(apr_pool_t *p, apr_int64_t now, const char *days, const char **args);

/* The address a merchant names (export, erase): NULL when valid (kf_email_valid), else
 * the message id of its field error ("field_required", "customer_email_invalid"). */
const char *kf_privacy_email_check(const char *email);

/* The merchant's export (?email=E[&format=json|csv]). */
typedef struct kf_privacy_export_query {
    const char *email;
    int csv;                  /* format=csv; else JSON */
} kf_privacy_export_query;

/* From the decoded query string: NULL, or the parameter that is wrong (*why its message id:
 * the address's kf_privacy_email_check, "privacy_export_format"). */
const char *kf_privacy_export_query_read(const apr_table_t *params, kf_privacy_export_query *out,
                                         const char **why);

/* The merchant's erasure {"email"}: the address, or NULL with its field's error in f. */
const char *kf_privacy_erase_read(kf_fields *f, const json_t *body);

/* {"erased_bookings": n}, with "request" (stolen) when not NULL: the erasure's answer and,
 * without a request, its audit line (how many, never whose). */
json_t *kf_privacy_erased_json(int n, json_t *request);

/* A customer's pending erasure request as the portal shows it: {"id", "status": "pending",
 * "erases_automatically_at": when the privacy job carries it out by itself, or null (the
 * merchant's confirmation only)}; JSON null when there is none (id NULL). */
json_t *kf_privacy_pending_json(const char *id, const char *erases_at);

/* The merchant's list of erasure requests, {"items": [...]}, from n rows each holding one
 * request's JSON text. */
json_t *kf_privacy_requests_json(const char *const *const *rows, int n);

/* The export (its JSON: arrays of objects under "bookings", "purchases", "payments",
 * "messages", "consents", "preferences", "text_opt_outs", "erasure_requests") as one CSV: a header "section,id,field,value"
 * and one record per value, nested objects' fields named "customer.email"; spreadsheet-safe
 * (kf_csv), with the byte order mark. Never NULL. */
const char *kf_privacy_export_csv(apr_pool_t *p, const json_t *export);

#endif
