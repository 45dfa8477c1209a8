/* One delivery of a merchant callback: see kf_callback_delivery.h. */
#include "kf_callback_delivery.h"
#include "kf_callback.h"
#include "kf_signatures.h"
#include "kf_text.h"
#include "kf_time.h"
#include "kf_version.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

const char *kf_callback_excerpt(apr_pool_t *p, const char *body, apr_size_t len)
{
    apr_size_t n = body ? (len < KF_CALLBACK_EXCERPT_BYTES ? len : KF_CALLBACK_EXCERPT_BYTES) : 0;
    char *out = apr_pstrmemdup(p, body ? body : "", n);
    int valid = 0;
    for (apr_size_t cut = 0; cut < 4 && cut <= n; cut++) {
        if (kf_utf8_valid(out, n - cut)) {
            valid = 1;
            n -= cut;
            out[n] = '\0';
            break;
        }
    }
    for (apr_size_t i = 0; i < n; i++) {
        if (out[i] == '\0' || (!valid && (unsigned char)out[i] >= 0x80)) {
            out[i] = '?';
        }
    }
    return out;
}

kf_http_request *kf_callback_request(apr_pool_t *p, const char *url, const char *secret,
                                     const char *event, const char *delivery_id,
                                     const char *body, apr_int64_t now, const char **why)
{
    if (!url || !*url) {
        *why = "the tenant has no callback_url";
        return NULL;
    }
    if (!secret) {
        *why = "the tenant has no callback secret";
        return NULL;
    }
    *why = NULL;
    apr_size_t len = strlen(body);
    kf_http_request *req = kf_http_request_make(p, "POST", url);
    /* the merchant's URL may not reach the server's own networks (API.md) */
    req->filter_addresses = 1;
    req->body = body;
    req->body_len = len;
    req->timeout_ms = KF_CALLBACK_ATTEMPT_TIMEOUT_MS;
    req->max_response_bytes = KF_CALLBACK_EXCERPT_BYTES;
    req->truncate_response = 1;
    apr_table_setn(req->headers, "Content-Type", "application/json");
    apr_table_setn(req->headers, "User-Agent", "Konfirmado/" KF_VERSION);
    apr_table_setn(req->headers, "X-Konfirmado-Event", event);
    apr_table_setn(req->headers, "X-Konfirmado-Delivery", delivery_id);
    /* the Standard Webhooks headers carry the same delivery id and moment, keyed with the
     * secret's own bytes, so its official libraries verify a delivery unchanged (API.md) */
    apr_table_setn(req->headers, "X-Konfirmado-Signature",
                   kf_callback_signature(p, secret, now, body, len));
    apr_table_setn(req->headers, "webhook-id", delivery_id);
    apr_table_setn(req->headers, "webhook-timestamp", apr_psprintf(p, "%" APR_INT64_T_FMT, now));
    apr_table_setn(req->headers, "webhook-signature",
                   kf_standard_webhooks_signature(p, secret, strlen(secret), delivery_id, now,
                                                  body, len));
    return req;
}

kf_callback_attempt kf_callback_attempt_of(apr_pool_t *p, apr_status_t rv,
                                           const kf_http_response *resp,
                                           apr_interval_time_t measured)
{
    kf_callback_attempt a = {0, NULL, NULL, measured};
    if (rv != APR_SUCCESS || !resp) {
        /* the merchant sees one word; the transport's own text stays in the server's log */
        a.error = kf_http_error_kind(rv != APR_SUCCESS ? rv : APR_EGENERAL);
        return a;
    }
    a.status = resp->status;
    a.excerpt = kf_callback_excerpt(p, resp->body, resp->body_len);
    a.latency = resp->elapsed ? resp->elapsed : measured;
    return a;
}

kf_callback_attempt kf_callback_attempt_refused(const char *why)
{
    kf_callback_attempt a = {0, why, NULL, 0};
    return a;
}

kf_callback_next kf_callback_after_attempt(apr_pool_t *p, const kf_callback_attempt *a,
                                           int number, int divisor)
{
    kf_callback_next next = {KF_CALLBACK_DELIVERED, NULL, 0};
    if (!a->error && a->status >= 200 && a->status < 300) {
        return next;
    }
    next.last_error = a->error ? a->error : apr_psprintf(p, "HTTP %d", a->status);
    next.delay = kf_callback_retry_delay(number, divisor);
    next.step = next.delay < 0 ? KF_CALLBACK_GIVE_UP : KF_CALLBACK_RETRY;
    return next;
}

const char *kf_callback_ping_body(apr_pool_t *p, const char *tenant_id, apr_int64_t now)
{
    char sent[KF_TIME_UTC_LEN + 1];
    kf_time_format_utc(sent, now);
    json_t *ping = json_pack("{s:s, s:s, s:s}", "evento", "ping", "tenant_id", tenant_id,
                             "enviado_en", sent);
    const char *body = ping ? kf_json_dump(p, ping) : NULL;
    json_decref(ping);
    return body;
}

json_t *kf_callback_ping_answer(const kf_callback_attempt *a, kf_locale locale, int *http_status)
{
    if (a->error) {
        *http_status = 502;
        json_t *err = json_pack("{s:s, s:s, s:s}", "code", "callback_failed", "message",
                                kf_message("callback_failed", locale), "reason", a->error);
        return json_pack("{s:o}", "error", err);
    }
    *http_status = 200;
    return json_pack("{s:i, s:I, s:s}", "status", a->status, "latency_ms",
                     (json_int_t)apr_time_as_msec(a->latency), "body",
                     a->excerpt ? a->excerpt : "");
}

/* A status code column: a number, or null when there was no HTTP answer. */
static void set_code(json_t *o, const char *key, const char *code)
{
    if (code) {
        kf_json_set_int(o, key, atoi(code));
    }
    else {
        kf_json_set_null(o, key);
    }
}

json_t *kf_callback_delivery_json(apr_pool_t *p, const char *const *v)
{
    json_t *out = kf_json_obj(p);
    kf_json_set_str(out, "delivery_id", v[KF_CB_VIEW_ID]);
    kf_json_set_str(out, "status", v[KF_CB_VIEW_STATUS]);
    kf_json_set_int(out, "attempts", v[KF_CB_VIEW_ATTEMPTS] ? atoi(v[KF_CB_VIEW_ATTEMPTS]) : 0);
    kf_json_set_str(out, "next_attempt_at", v[KF_CB_VIEW_NEXT_ATTEMPT]);
    kf_json_set_str(out, "delivered_at", v[KF_CB_VIEW_DELIVERED]);
    set_code(out, "last_status_code", v[KF_CB_VIEW_STATUS_CODE]);
    kf_json_set_str(out, "last_error", v[KF_CB_VIEW_LAST_ERROR]);
    kf_json_set_new(out, "attempt_log", json_array());
    return out;
}

void kf_callback_delivery_log_add(json_t *view, const char *const *v)
{
    json_t *a = json_object();
    kf_json_set_int(a, "attempt", v[KF_CB_LOG_ATTEMPT] ? atoi(v[KF_CB_LOG_ATTEMPT]) : 0);
    set_code(a, "status_code", v[KF_CB_LOG_STATUS_CODE]);
    kf_json_set_int(a, "latency_ms", v[KF_CB_LOG_LATENCY] ? atoi(v[KF_CB_LOG_LATENCY]) : 0);
    kf_json_set_str(a, "response", v[KF_CB_LOG_RESPONSE]);
    kf_json_set_str(a, "error", v[KF_CB_LOG_ERROR]);
    kf_json_set_str(a, "at", v[KF_CB_LOG_AT]);
    json_array_append_new(json_object_get(view, "attempt_log"), a);
}

json_t *kf_callback_resent_json(const char *delivery_id)
{
    return json_pack("{s:{s:s, s:s}}", "callback", "delivery_id", delivery_id, "status", "pending");
}

const char *kf_callback_ping_refusal(const char *url, const char *secret)
{
    if (!url || !*url) {
        return "callback_url_missing";
    }
    return secret ? NULL : "callback_secret_missing";
}

static const char *outcome_name(kf_callback_next_step step)
{
    return step == KF_CALLBACK_DELIVERED ? "delivered"
           : step == KF_CALLBACK_GIVE_UP ? "failed"
                                         : "retry";
}

const char *kf_callback_records_json(apr_pool_t *p, const kf_callback_record *const *records,
                                     int n)
{
    json_t *all = kf_json_arr(p);
    for (int i = 0; i < n; i++) {
        const kf_callback_record *r = records[i];
        json_t *o = json_object();
        int ok = o && json_array_append_new(all, o) == 0;
        ok = ok && kf_json_set_str(o, "id", r->delivery_id) == 0 &&
             kf_json_set_int(o, "attempt", r->number) == 0 &&
             kf_json_set_str(o, "url", r->url) == 0 &&
             (r->attempt.status ? kf_json_set_int(o, "status_code", r->attempt.status)
                                : kf_json_set_null(o, "status_code")) == 0 &&
             kf_json_set_int(o, "latency_ms", apr_time_as_msec(r->attempt.latency)) == 0 &&
             kf_json_set_str(o, "excerpt", r->attempt.excerpt) == 0 &&
             kf_json_set_str(o, "error", r->attempt.error) == 0 &&
             kf_json_set_str(o, "outcome", outcome_name(r->next.step)) == 0 &&
             kf_json_set_int(o, "delay_us",
                             r->next.step == KF_CALLBACK_RETRY ? r->next.delay : 0) == 0 &&
             kf_json_set_str(o, "last_error", r->next.last_error) == 0;
        if (!ok) {
            return NULL;
        }
    }
    return kf_json_dump(p, all);
}
