/* One delivery of a merchant callback (API.md "Merchant callback"): the POST as it is sent,
 * what the merchant's answer (or its absence) means, when the next attempt is due or that
 * the delivery gives up, the test ping, and the admin view of a booking's deliveries.
 *
 * Pure: the glue performs the request and reads the clock; results in the caller's pool.
 */
#ifndef KF_CALLBACK_DELIVERY_H
#define KF_CALLBACK_DELIVERY_H

#include <apr_pools.h>
#include <apr_time.h>

#include "kf_http.h"
#include "kf_i18n.h"
#include "kf_json.h"

/* An attempt waits this long for the merchant's whole answer. */
#define KF_CALLBACK_ATTEMPT_TIMEOUT_MS 10000
/* Of an answer only this much is kept (the attempt's excerpt); a longer one is cut, never a
 * failure, so a merchant whose 2xx says much is still acknowledged. */
#define KF_CALLBACK_EXCERPT_BYTES 1024

/* At most KF_CALLBACK_EXCERPT_BYTES of an answer, as text a database column takes: a
 * character cut by the limit is dropped; other invalid UTF-8 bytes and NULs become '?'. */
const char *kf_callback_excerpt(apr_pool_t *p, const char *body, apr_size_t len);

/* The POST of one delivery to the tenant's url, `now` (seconds) its moment: the body as
 * JSON, X-Konfirmado-Event / -Delivery / -Signature, and the Standard Webhooks headers
 * (webhook-id = the delivery id, webhook-timestamp, webhook-signature keyed with the
 * secret's own bytes), limited to the merchant's public addresses (filter_addresses; the
 * caller sets outbound_allow). NULL with *why the merchant's reason when the tenant has no
 * callback_url or no secret. */
kf_http_request *kf_callback_request(apr_pool_t *p, const char *url, const char *secret,
                                     const char *event, const char *delivery_id,
                                     const char *body, apr_int64_t now, const char **why);

/* What one attempt brought back. */
typedef struct kf_callback_attempt {
    int status;                 /* 0: no HTTP answer */
    const char *error;          /* NULL on an HTTP answer: the one word a merchant is shown */
    const char *excerpt;        /* of the answer's body (NULL without an answer) */
    apr_interval_time_t latency;
} kf_callback_attempt;

/* The attempt of kf_http_perform's result rv / resp; `measured` is the latency the caller
 * timed (kept when the exchange reported none). A transport failure is its kind: "timeout",
 * "connection_refused", "dns_error", "tls_error", "blocked_address"... (kf_http_error_kind). */
kf_callback_attempt kf_callback_attempt_of(apr_pool_t *p, apr_status_t rv,
                                           const kf_http_response *resp,
                                           apr_interval_time_t measured);

/* An attempt that was never made, with the merchant's reason (no URL, no secret). */
kf_callback_attempt kf_callback_attempt_refused(const char *why);

/* What follows an attempt. */
typedef enum {
    KF_CALLBACK_DELIVERED,      /* a 2xx: acknowledged */
    KF_CALLBACK_RETRY,          /* tried again after `delay` */
    KF_CALLBACK_GIVE_UP         /* no attempt left: the delivery is failed */
} kf_callback_next_step;

typedef struct kf_callback_next {
    kf_callback_next_step step;
    const char *last_error;     /* NULL when delivered; else the error or "HTTP <status>" */
    apr_interval_time_t delay;  /* KF_CALLBACK_RETRY only */
} kf_callback_next;

/* After attempt number `number` (1 = the first) of a delivery: delivered, the next attempt
 * after kf_callback_retry_delay(number, divisor), or given up. */
kf_callback_next kf_callback_after_attempt(apr_pool_t *p, const kf_callback_attempt *a,
                                           int number, int divisor);

/* One finished attempt as it is recorded: the delivery, its attempt number (1 = the first),
 * the URL it went to, what came back and what follows (kf_callback_after_attempt). */
typedef struct kf_callback_record {
    const char *delivery_id;
    int number;
    const char *url;
    kf_callback_attempt attempt;
    kf_callback_next next;
} kf_callback_record;

/* Finished attempts recorded together (one statement for a batch, not three each): the JSON
 * array the record statement reads, one object per attempt in the given order,
 * {"id", "attempt", "url", "status_code" (null without an answer), "latency_ms", "excerpt",
 *  "error", "outcome": "delivered" | "retry" | "failed", "delay_us" (retry only, else 0),
 *  "last_error"}. NULL when a text is not valid UTF-8. */
const char *kf_callback_records_json(apr_pool_t *p, const kf_callback_record *const *records,
                                     int n);

/* The test ping's body: {"evento": "ping", "tenant_id", "enviado_en": now as RFC 3339}. */
const char *kf_callback_ping_body(apr_pool_t *p, const char *tenant_id, apr_int64_t now);

/* The answer to a test ping (a new reference) and its HTTP status: 200 {"status",
 * "latency_ms", "body"} when the merchant answered (whatever its status), else 502
 * {"error": {"code": "callback_failed", "message", "reason": the attempt's error}}. */
json_t *kf_callback_ping_answer(const kf_callback_attempt *a, kf_locale locale, int *http_status);

/* Why a test ping cannot be sent (409's code), NULL when it can: the tenant has no callback
 * URL, or no secret to sign with (none set, or it does not open). */
const char *kf_callback_ping_refusal(const char *url, const char *secret);

/* The answer to a merchant's re-send: {"callback": {"delivery_id", "status": "pending"}}. */
json_t *kf_callback_resent_json(const char *delivery_id);

/* The admin view of a booking's delivery, from text values as the database gives them
 * (NULL: SQL NULL), in this order. */
enum {
    KF_CB_VIEW_ID, KF_CB_VIEW_STATUS, KF_CB_VIEW_ATTEMPTS, KF_CB_VIEW_NEXT_ATTEMPT,
    KF_CB_VIEW_DELIVERED, KF_CB_VIEW_STATUS_CODE, KF_CB_VIEW_LAST_ERROR, KF_CB_VIEW_COLUMNS
};
/* One attempt of its log, likewise. */
enum {
    KF_CB_LOG_ATTEMPT, KF_CB_LOG_STATUS_CODE, KF_CB_LOG_LATENCY, KF_CB_LOG_RESPONSE,
    KF_CB_LOG_ERROR, KF_CB_LOG_AT, KF_CB_LOG_COLUMNS
};

/* {"delivery_id", "status", "attempts", "next_attempt_at", "delivered_at",
 *  "last_status_code", "last_error", "attempt_log": []} (lives in p). */
json_t *kf_callback_delivery_json(apr_pool_t *p, const char *const *v);
/* Appends {"attempt", "status_code", "latency_ms", "response", "error", "at"} to the view's
 * attempt_log. */
void kf_callback_delivery_log_add(json_t *view, const char *const *v);

#endif
