/* Calendar rules and what the three implementations share: see kf_calendar.h. */
#include "kf_calendar.h"
#include "kf_crypto.h"
#include "kf_http_api.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- rules ---- */

static int has_calendar(const char *status)
{
    return status && (strcmp(status, "connected") == 0 || strcmp(status, "error") == 0);
}

int kf_calendar_busy_known(const char *status, apr_int64_t synced_at, apr_int64_t now,
                           apr_int64_t stale_limit)
{
    if (!has_calendar(status)) {
        return 1;
    }
    return synced_at > 0 && now - synced_at <= stale_limit;
}

apr_int64_t kf_calendar_busy_known_until(const char *status, apr_int64_t synced_at,
                                         apr_int64_t stale_limit)
{
    if (!has_calendar(status) || synced_at <= 0) {
        return APR_INT64_MAX;   /* no calendar, or already unknown: the clock changes nothing */
    }
    return synced_at + stale_limit + 1;
}

int kf_calendar_hold_must_refresh(const char *status, apr_int64_t synced_at, apr_int64_t now,
                                  int retry_pending)
{
    return status && strcmp(status, "connected") == 0 && !retry_pending &&
           (synced_at <= 0 || now - synced_at > KF_CALENDAR_HOLD_MAX_AGE);
}

kf_cal_event_action kf_calendar_event_action(const kf_cal_event_facts *f)
{
    int written = f->event_id != NULL;
    int wanted = f->booked && f->calendar;
    if (!written) {
        return wanted ? KF_CAL_EVENT_CREATE : KF_CAL_EVENT_NOTHING;
    }
    if (!f->booked) {
        return KF_CAL_EVENT_DELETE;
    }
    int same_calendar = f->written_professional && f->professional_id &&
                        strcmp(f->written_professional, f->professional_id) == 0;
    if (!same_calendar) {
        /* the booking went to another professional: the old calendar loses it; the new one
         * gets it when it has a calendar */
        return wanted ? KF_CAL_EVENT_REPLACE : KF_CAL_EVENT_DELETE;
    }
    if (!f->calendar) {
        /* the calendar was disconnected: its tokens are gone, nothing can be written */
        return KF_CAL_EVENT_NOTHING;
    }
    /* in step, unless its meeting room is still to be made (written again to ask for it) or
     * what it says changed */
    return f->written_start == f->start && f->written_end == f->end && !f->room_missing &&
                   !f->content_stale
               ? KF_CAL_EVENT_NOTHING : KF_CAL_EVENT_MOVE;
}

const char *kf_calendar_event_action_name(kf_cal_event_action a)
{
    static const char *const names[] = {"nothing", "create", "move", "delete", "replace"};
    return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "unknown";
}

const char *kf_calendar_pkce_verifier(apr_pool_t *p)
{
    return kf_random_token(p, 32);
}

const char *kf_calendar_pkce_challenge(apr_pool_t *p, const char *verifier)
{
    unsigned char digest[KF_SHA256_LEN];
    if (!verifier || kf_sha256(verifier, strlen(verifier), digest) != APR_SUCCESS) {
        return NULL;
    }
    return kf_b64url_encode(p, digest, sizeof(digest));
}

const kf_calendar_oauth_trip *kf_calendar_oauth_trip_start(apr_pool_t *p, const kf_keyring *keys,
                                                           const char *invitation)
{
    kf_calendar_oauth_trip *t = apr_pcalloc(p, sizeof(*t));
    const char *verifier = kf_calendar_pkce_verifier(p);
    t->state = kf_random_token(p, 32);
    if (!t->state || !verifier || !invitation) {
        return NULL;
    }
    t->invitation_sealed = kf_seal_text(p, keys, invitation, KF_CALENDAR_STATE_INVITATION_AAD);
    t->verifier_sealed = kf_seal_text(p, keys, verifier, KF_CALENDAR_STATE_VERIFIER_AAD);
    if (!t->invitation_sealed || !t->verifier_sealed) {
        return NULL;
    }
    t->state_hash = kf_sha256_hex(p, t->state, strlen(t->state));
    t->invitation_hash = kf_sha256_hex(p, invitation, strlen(invitation));
    t->challenge = kf_calendar_pkce_challenge(p, verifier);
    return t;
}

int kf_calendar_retry_seconds(int attempts)
{
    int s = 30;
    for (int i = 1; i < attempts && s < 3600; i++) {
        s *= 2;
    }
    return s < 3600 ? s : 3600;
}

const char *kf_calendar_secret_aad(apr_pool_t *p, const char *professional_id)
{
    return apr_pstrcat(p, "calendar_connections.secret:", professional_id, NULL);
}

const char *kf_calendar_access_aad(apr_pool_t *p, const char *professional_id)
{
    return apr_pstrcat(p, "calendar_connections.access:", professional_id, NULL);
}

const char *kf_calendar_channel_aad(apr_pool_t *p, const char *professional_id)
{
    return apr_pstrcat(p, "calendar_connections.channel:", professional_id, NULL);
}

const char *kf_calendar_outcome_name(kf_cal_outcome o)
{
    static const char *const names[] = {"ok", "revoked", "retry", "gone", "failed"};
    return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "unknown";
}

const char *kf_calendar_failure_reason(kf_cal_outcome o, const char *why)
{
    return why ? why : kf_calendar_outcome_name(o);
}

/* ---- notifications ---- */

const char *kf_calendar_channel_secret(apr_pool_t *p, const kf_keyring *keys,
                                       const char *const *row)
{
    return kf_open_text(p, keys, row[KF_CAL_CHANNEL_SECRET],
                        kf_calendar_channel_aad(p, row[KF_CAL_CHANNEL_PROFESSIONAL]));
}

const char *kf_calendar_channel_owner(apr_pool_t *p, const kf_keyring *keys,
                                      const char *const *row, const char *given)
{
    const char *want = kf_calendar_channel_secret(p, keys, row);
    return want && given && kf_ct_streq(want, given) ? row[KF_CAL_CHANNEL_PROFESSIONAL] : NULL;
}

/* ---- shared by the implementations ---- */

kf_cal_outcome kf_calendar_status_outcome(int status)
{
    if (status >= 200 && status < 300) {
        return KF_CAL_OK;
    }
    if (status == 401) {
        /* an access token the provider no longer takes: the glue refreshes it and tries
         * again; a refresh token refused is REVOKED (kf_calendar_read_token_answer) */
        return KF_CAL_RETRY;
    }
    if (status == 404 || status == 410) {
        return KF_CAL_GONE;
    }
    if (status == 408 || status == 429 || status >= 500) {
        return KF_CAL_RETRY;
    }
    return KF_CAL_FAILED;
}

/* A short, secret-free excerpt of what a provider said. */
static const char *provider_said(apr_pool_t *p, const kf_http_response *resp)
{
    json_t *root = kf_json_parse(p, resp->body, resp->body_len, NULL);
    const char *code = NULL, *message = NULL;
    json_t *err = root ? json_object_get(root, "error") : NULL;
    if (json_is_string(err)) {
        code = json_string_value(err);
        kf_json_get_string(root, "error_description", &message);
    }
    else if (json_is_object(err)) {
        kf_json_get_string(err, "code", &code);
        kf_json_get_string(err, "message", &message);
        json_int_t n;
        if (!code && kf_json_get_int(err, "code", &n) == KF_JSON_FIELD_OK) {
            code = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)n);
        }
    }
    if (message) {
        /* Microsoft appends trace ids after CR LF: the first line is enough */
        message = apr_pstrndup(p, message, strcspn(message, "\r\n"));
        if (strlen(message) > 160) {
            message = apr_pstrndup(p, message, 160);
        }
    }
    return apr_psprintf(p, "HTTP %d%s%s%s%s", resp->status, code ? " " : "", code ? code : "",
                        message ? ": " : "", message ? message : "");
}

kf_cal_outcome kf_calendar_call(apr_pool_t *p, kf_http_client *http, const char *method,
                                const char *url, const char *bearer, const char *json_body,
                                const char *header, kf_http_response **resp, const char **why)
{
    kf_http_request *req = kf_http_api_request(p, method, url, bearer);
    if (json_body) {
        kf_http_request_set_body(req, "application/json", json_body);
    }
    if (header) {
        const char *colon = strchr(header, ':');
        if (colon) {
            const char *value = colon + 1;
            while (*value == ' ') {
                value++;
            }
            apr_table_setn(req->headers, apr_pstrndup(p, header, (apr_size_t)(colon - header)),
                           value);
        }
    }
    const char *transport = NULL;
    *resp = NULL;
    if (kf_http_perform(http, p, req, resp, &transport) != APR_SUCCESS) {
        *why = transport ? transport : "the provider could not be reached";
        return KF_CAL_RETRY;
    }
    kf_cal_outcome o = kf_calendar_status_outcome((*resp)->status);
    *why = o == KF_CAL_OK ? NULL : provider_said(p, *resp);
    return o;
}

kf_cal_outcome kf_calendar_read_token_answer(apr_pool_t *p, const kf_http_response *resp,
                                             kf_calendar_tokens *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    if (resp->status >= 200 && resp->status < 300) {
        const char *access = NULL, *refresh = NULL;
        json_int_t expires = 0;
        if (!root || kf_json_get_string(root, "access_token", &access) != KF_JSON_FIELD_OK ||
            !*access) {
            *why = "the token endpoint answered without an access_token";
            return KF_CAL_RETRY;
        }
        if (kf_json_get_int(root, "expires_in", &expires) != KF_JSON_FIELD_OK || expires <= 0) {
            expires = 3600;
        }
        out->access_token = apr_pstrdup(p, access);
        out->expires_in = expires;
        if (kf_json_get_string(root, "refresh_token", &refresh) == KF_JSON_FIELD_OK && *refresh) {
            out->refresh_token = apr_pstrdup(p, refresh);
        }
        *why = NULL;
        return KF_CAL_OK;
    }
    const char *error = NULL;
    if (root) {
        kf_json_get_string(root, "error", &error);
    }
    *why = provider_said(p, resp);
    if (error && strcmp(error, "invalid_grant") == 0) {
        return KF_CAL_REVOKED;
    }
    if (resp->status == 429 || resp->status >= 500) {
        return KF_CAL_RETRY;
    }
    return KF_CAL_FAILED;
}

const char *kf_calendar_form(apr_pool_t *p, ...)
{
    va_list ap;
    va_start(ap, p);
    const char *out = "";
    const char *name;
    while ((name = va_arg(ap, const char *)) != NULL) {
        const char *value = va_arg(ap, const char *);
        if (!value) {
            continue;
        }
        out = apr_pstrcat(p, out, *out ? "&" : "", kf_url_encode(p, name), "=",
                          kf_url_encode(p, value), NULL);
    }
    va_end(ap);
    return out;
}

kf_cal_outcome kf_calendar_token_call(apr_pool_t *p, kf_http_client *http, const char *url,
                                      const char *form, kf_calendar_tokens *out,
                                      const char **why)
{
    kf_http_request *req = kf_http_api_request(p, "POST", url, NULL);
    kf_http_request_set_body(req, "application/x-www-form-urlencoded", form);
    kf_http_response *resp = NULL;
    const char *transport = NULL;
    memset(out, 0, sizeof(*out));
    if (kf_http_perform(http, p, req, &resp, &transport) != APR_SUCCESS) {
        *why = transport ? transport : "the token endpoint could not be reached";
        return KF_CAL_RETRY;
    }
    return kf_calendar_read_token_answer(p, resp, out, why);
}

static int by_start(const void *a, const void *b)
{
    const kf_cal_busy *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

int kf_calendar_busy_merge(apr_array_header_t *busy)
{
    kf_cal_busy *b = (kf_cal_busy *)busy->elts;
    int n = 0;
    qsort(b, (size_t)busy->nelts, sizeof(*b), by_start);
    for (int i = 0; i < busy->nelts; i++) {
        if (b[i].end <= b[i].start) {
            continue;
        }
        if (n > 0 && b[i].start <= b[n - 1].end) {
            if (b[i].end > b[n - 1].end) {
                b[n - 1].end = b[i].end;
            }
            continue;
        }
        b[n++] = b[i];
    }
    busy->nelts = n;
    return n;
}

static int by_value(const void *a, const void *b)
{
    apr_int64_t x = *(const apr_int64_t *)a, y = *(const apr_int64_t *)b;
    return x < y ? -1 : x > y;
}

void kf_calendar_bookable_of_starts(apr_array_header_t *starts, apr_array_header_t *out)
{
    apr_int64_t *s = (apr_int64_t *)starts->elts;
    apr_int64_t step = 0;
    qsort(s, (size_t)starts->nelts, sizeof(*s), by_value);
    for (int i = 1; i < starts->nelts; i++) {
        apr_int64_t gap = s[i] - s[i - 1];
        if (gap > 0 && (step == 0 || gap < step)) {
            step = gap;
        }
    }
    if (step == 0) {
        step = KF_CALCOM_LONE_SLOT_SECONDS;
    }
    for (int i = 0; i < starts->nelts; i++) {
        kf_cal_busy *b = apr_array_push(out);
        b->start = s[i];
        b->end = s[i] + step;
    }
    kf_calendar_busy_merge(out);
}

const char *kf_calendar_utc(apr_pool_t *p, apr_int64_t t)
{
    char buf[KF_TIME_UTC_LEN + 1];
    kf_time_format_utc(buf, t);
    return apr_pstrdup(p, buf);
}

const char *kf_calendar_api_url(apr_pool_t *p, const kf_calendar_endpoints *ep, const char *path)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, ep->api_base), path, NULL);
}

kf_cal_outcome kf_calendar_write_event(apr_pool_t *p, kf_http_client *http, const char *url,
                                       const char *bearer, const char *json_body,
                                       const char *event_id, const char **new_id,
                                       const char **why)
{
    json_t *answer = NULL;
    return kf_calendar_write_event_answer(p, http, url, bearer, json_body, event_id, new_id,
                                          &answer, why);
}

kf_cal_outcome kf_calendar_write_event_answer(apr_pool_t *p, kf_http_client *http,
                                              const char *url, const char *bearer,
                                              const char *json_body, const char *event_id,
                                              const char **new_id, json_t **answer,
                                              const char **why)
{
    kf_http_response *resp = NULL;
    *new_id = event_id;
    kf_cal_outcome o = kf_calendar_call(p, http, event_id ? "PATCH" : "POST", url, bearer,
                                        json_body, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    const char *found = NULL;
    if (!root || kf_json_get_string(root, "id", &found) != KF_JSON_FIELD_OK || !*found) {
        *why = "the event was answered without an id";
        return KF_CAL_RETRY;
    }
    *new_id = apr_pstrdup(p, found);
    *answer = root;
    return KF_CAL_OK;
}
