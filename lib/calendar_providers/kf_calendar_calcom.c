/* Cal.com API v2 (PROVIDERS.md "Cal.com"), connected with the professional's API key: busy
 * times are their accepted and unconfirmed bookings, their bookable hours the event type's
 * slots, the gateway's bookings are written as
 * Cal.com bookings of the event type the professional chose, and a webhook signed with a
 * secret of ours tells of changes. Every bookings and slots call names its cal-api-version
 * (a missing one silently answers older shapes). */
#include "kf_calendar_providers.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_time.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <string.h>

#define VERSION_HEADER "cal-api-version: " KF_CALCOM_BOOKINGS_VERSION
#define SLOTS_VERSION_HEADER "cal-api-version: " KF_CALCOM_SLOTS_VERSION
#define PAGE 100
#define MAX_PAGES 20

static kf_calendar_endpoints calcom_endpoints(void)
{
    kf_calendar_endpoints ep = {NULL, NULL, "https://api.cal.com"};
    return ep;
}

/* Cal.com wraps every answer: {"status": "success", "data": ...}. */
static json_t *data_of(apr_pool_t *p, const kf_http_response *resp)
{
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    const char *status = NULL;
    if (!root || kf_json_get_string(root, "status", &status) != KF_JSON_FIELD_OK ||
        strcmp(status, "success") != 0) {
        return NULL;
    }
    return json_object_get(root, "data");
}

static kf_cal_outcome calcom_account(apr_pool_t *p, kf_http_client *http,
                                     const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                     const char **account, const char **why)
{
    kf_http_response *resp = NULL;
    *account = NULL;
    kf_cal_outcome o = kf_calendar_call(p, http, "GET", kf_calendar_api_url(p, ep, "/v2/me"),
                                        g->access_token, NULL, NULL, &resp, why);
    if (o == KF_CAL_RETRY && resp && (resp->status == 401 || resp->status == 403)) {
        return KF_CAL_REVOKED;   /* an API key has no refresh: refused is refused */
    }
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *data = data_of(p, resp);
    const char *email = NULL;
    if (kf_json_get_string(data, "email", &email) != KF_JSON_FIELD_OK || !*email) {
        *why = "Cal.com answered /v2/me without an email";
        return KF_CAL_RETRY;
    }
    *account = apr_pstrdup(p, email);
    return KF_CAL_OK;
}

static int booking_time(const json_t *b, const char *key, apr_int64_t *t)
{
    const char *s = NULL;
    return kf_json_get_string(b, key, &s) == KF_JSON_FIELD_OK &&
           kf_time_parse_rfc3339(s, t) != KF_TIME_INVALID;
}

static kf_cal_outcome key_refused(kf_cal_outcome o, const kf_http_response *resp)
{
    return o == KF_CAL_RETRY && resp && (resp->status == 401 || resp->status == 403)
               ? KF_CAL_REVOKED : o;
}

static kf_cal_outcome calcom_busy(apr_pool_t *p, kf_http_client *http,
                                  const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                  apr_int64_t from, apr_int64_t to, apr_array_header_t *out,
                                  const char **why)
{
    for (int page = 0; page < MAX_PAGES; page++) {
        const char *url = kf_calendar_api_url(
            p, ep,
            apr_pstrcat(p, "/v2/bookings?",
                        kf_calendar_form(p, "status", "upcoming,unconfirmed", "afterStart",
                                         kf_calendar_utc(p, from), "beforeEnd",
                                         kf_calendar_utc(p, to), "take", apr_itoa(p, PAGE), "skip",
                                         apr_itoa(p, page * PAGE), NULL),
                        NULL));
        kf_http_response *resp = NULL;
        kf_cal_outcome o = kf_calendar_call(p, http, "GET", url, g->access_token, NULL,
                                            VERSION_HEADER, &resp, why);
        if (o != KF_CAL_OK) {
            return key_refused(o, resp);
        }
        json_t *data = data_of(p, resp);
        if (!json_is_array(data)) {
            *why = "Cal.com answered the bookings without a data list";
            return KF_CAL_RETRY;
        }
        size_t i;
        json_t *b;
        json_array_foreach(data, i, b) {
            const char *status = NULL;
            kf_cal_busy busy;
            if (kf_json_get_string(b, "status", &status) == KF_JSON_FIELD_OK &&
                (strcmp(status, "cancelled") == 0 || strcmp(status, "rejected") == 0)) {
                continue;
            }
            if (!booking_time(b, "start", &busy.start) || !booking_time(b, "end", &busy.end)) {
                *why = "Cal.com answered a booking without a start or end";
                return KF_CAL_RETRY;
            }
            *(kf_cal_busy *)apr_array_push(out) = busy;
        }
        if (json_array_size(data) < PAGE) {
            return KF_CAL_OK;
        }
    }
    *why = "Cal.com has more bookings than are read";
    return KF_CAL_FAILED;
}

static kf_cal_outcome read_booking_uid(apr_pool_t *p, const kf_http_response *resp,
                                       const char **uid, const char **why)
{
    json_t *data = data_of(p, resp);
    const char *u = NULL;
    if (kf_json_get_string(data, "uid", &u) != KF_JSON_FIELD_OK || !*u) {
        *why = "Cal.com answered the booking without a uid";
        return KF_CAL_RETRY;
    }
    *uid = apr_pstrdup(p, u);
    return KF_CAL_OK;
}

static kf_cal_outcome calcom_put_event(apr_pool_t *p, kf_http_client *http,
                                       const kf_calendar_endpoints *ep,
                                       const kf_calendar_grant *g, const kf_cal_event *ev,
                                       const char *event_id, const char **new_id,
                                       const char **why)
{
    *new_id = event_id;
    if (!g->event_type_id) {
        *why = "no Cal.com event type was chosen: bookings are not written to Cal.com";
        return KF_CAL_FAILED;
    }
    json_t *body;
    const char *path;
    if (event_id) {
        /* Cal.com moves a booking by making a new one (new uid) and cancelling the old */
        body = json_pack("{s:s, s:s}", "start", kf_calendar_utc(p, ev->start),
                         "reschedulingReason", "Moved in Konfirmado");
        path = apr_pstrcat(p, "/v2/bookings/", kf_url_encode(p, event_id), "/reschedule", NULL);
    }
    else {
        body = json_pack("{s:s, s:I, s:I, s:{s:s, s:s, s:s}, s:{s:s}}", "start",
                         kf_calendar_utc(p, ev->start), "eventTypeId",
                         (json_int_t)apr_atoi64(g->event_type_id), "lengthInMinutes",
                         (json_int_t)((ev->end - ev->start) / 60), "attendee", "name",
                         ev->customer_name ? ev->customer_name : ev->summary, "email",
                         ev->customer_email ? ev->customer_email : "", "timeZone", ev->timezone,
                         "metadata", "konfirmado_booking", ev->reference);
        path = "/v2/bookings";
    }
    kf_json_own(p, body);
    kf_http_response *resp = NULL;
    kf_cal_outcome o =
        kf_calendar_call(p, http, "POST", kf_calendar_api_url(p, ep, path), g->access_token,
                         kf_json_dump(p, body), VERSION_HEADER, &resp, why);
    if (o != KF_CAL_OK) {
        return key_refused(o, resp);
    }
    return read_booking_uid(p, resp, new_id, why);
}

static kf_cal_outcome calcom_delete_event(apr_pool_t *p, kf_http_client *http,
                                          const kf_calendar_endpoints *ep,
                                          const kf_calendar_grant *g, const char *event_id,
                                          const char **why)
{
    kf_http_response *resp = NULL;
    kf_cal_outcome o = kf_calendar_call(
        p, http, "POST",
        kf_calendar_api_url(
            p, ep, apr_pstrcat(p, "/v2/bookings/", kf_url_encode(p, event_id), "/cancel", NULL)),
        g->access_token, "{\"cancellationReason\":\"Cancelled in Konfirmado\"}", VERSION_HEADER,
        &resp, why);
    return key_refused(o, resp);
}

static kf_cal_outcome calcom_watch(apr_pool_t *p, kf_http_client *http,
                                   const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                   const char *address, const char *secret, apr_int64_t now,
                                   apr_int64_t seconds, kf_cal_channel *out, const char **why)
{
    (void)now;
    (void)seconds;
    json_t *body = json_pack("{s:s, s:[s, s, s, s], s:b, s:s}", "subscriberUrl", address,
                             "triggers", "BOOKING_CREATED", "BOOKING_RESCHEDULED",
                             "BOOKING_CANCELLED", "BOOKING_REQUESTED", "active", 1, "secret",
                             secret);
    kf_json_own(p, body);
    kf_http_response *resp = NULL;
    kf_cal_outcome o = kf_calendar_call(p, http, "POST", kf_calendar_api_url(p, ep, "/v2/webhooks"),
                                        g->access_token, kf_json_dump(p, body), NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return key_refused(o, resp);
    }
    json_t *data = data_of(p, resp);
    json_t *id = data ? json_object_get(data, "id") : NULL;
    if (json_is_integer(id)) {
        out->id = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(id));
    }
    else if (json_is_string(id) && *json_string_value(id)) {
        out->id = apr_pstrdup(p, json_string_value(id));
    }
    else {
        *why = "Cal.com answered the webhook without an id";
        return KF_CAL_RETRY;
    }
    out->resource = NULL;
    out->expires_at = 0;   /* Cal.com webhooks do not expire */
    return KF_CAL_OK;
}

static kf_cal_outcome calcom_unwatch(apr_pool_t *p, kf_http_client *http,
                                     const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                     const kf_cal_channel *ch, const char **why)
{
    kf_http_response *resp = NULL;
    return kf_calendar_call(
        p, http, "DELETE",
        kf_calendar_api_url(p, ep, apr_pstrcat(p, "/v2/webhooks/", kf_url_encode(p, ch->id), NULL)),
        g->access_token, NULL, NULL, &resp, why);
}

/* The event type's slots in [from, to): {"data": {"2050-09-05": [{"start": "...+02:00"}]}},
 * every start with its offset (no timeZone asked: the answer's zone does not matter, and
 * the professional's hours are theirs in their own zone). */
static kf_cal_outcome calcom_bookable(apr_pool_t *p, kf_http_client *http,
                                      const kf_calendar_endpoints *ep,
                                      const kf_calendar_grant *g, apr_int64_t from,
                                      apr_int64_t to, apr_array_header_t *out, int *known,
                                      const char **why)
{
    *known = 0;
    if (!g->event_type_id) {
        return KF_CAL_OK;   /* Cal.com's hours belong to an event type */
    }
    const char *url = kf_calendar_api_url(
        p, ep,
        apr_pstrcat(p, "/v2/slots?",
                    kf_calendar_form(p, "eventTypeId", g->event_type_id, "start",
                                     kf_calendar_utc(p, from), "end", kf_calendar_utc(p, to),
                                     NULL),
                    NULL));
    kf_http_response *resp = NULL;
    kf_cal_outcome o = kf_calendar_call(p, http, "GET", url, g->access_token, NULL,
                                        SLOTS_VERSION_HEADER, &resp, why);
    if (o != KF_CAL_OK) {
        return key_refused(o, resp);
    }
    json_t *data = data_of(p, resp);
    if (!json_is_object(data)) {
        *why = "Cal.com answered the slots without a data object";
        return KF_CAL_RETRY;
    }
    apr_array_header_t *starts = apr_array_make(p, 64, sizeof(apr_int64_t));
    const char *day;
    json_t *slots;
    json_object_foreach(data, day, slots) {
        size_t i;
        json_t *slot;
        if (!json_is_array(slots)) {
            *why = "Cal.com answered a day of slots that is not a list";
            return KF_CAL_RETRY;
        }
        json_array_foreach(slots, i, slot) {
            apr_int64_t t = 0;
            if (!booking_time(slot, "start", &t)) {
                *why = "Cal.com answered a slot without a start";
                return KF_CAL_RETRY;
            }
            if (t >= from && t < to) {
                *(apr_int64_t *)apr_array_push(starts) = t;
            }
        }
    }
    kf_calendar_bookable_of_starts(starts, out);
    *known = 1;
    return KF_CAL_OK;
}

/* ---------------------------------------------------------------- its form and its notices */

void kf_calendar_calcom_form(kf_fields *f, const json_t *body, const char **api_key,
                             const char **event_type_id)
{
    apr_int64_t event_type = 0;
    *api_key = *event_type_id = NULL;
    kf_field_string(f, body, "api_key", "api_key", KF_FIELD_REQUIRED, 8, KF_CALCOM_API_KEY_MAX,
                    api_key);
    if (kf_field_int(f, body, "event_type_id", "event_type_id",
                     KF_FIELD_OPTIONAL | KF_FIELD_NULLABLE, 1, APR_INT64_C(999999999999),
                     &event_type) == KF_FIELD_VALUE) {
        *event_type_id = apr_psprintf(f->pool, "%" APR_INT64_T_FMT, event_type);
    }
}

int kf_calendar_key_refused(kf_cal_outcome o)
{
    return o == KF_CAL_REVOKED || o == KF_CAL_FAILED || o == KF_CAL_GONE;
}

int kf_calendar_calcom_signature_ok(apr_pool_t *p, const char *secret, const char *body,
                                    apr_size_t len, const char *header)
{
    if (!secret || !header) {
        return 0;
    }
    const char *want = kf_hmac_sha256_hex(p, secret, strlen(secret), body, len);
    return want && kf_hex_equal_ci(want, header);
}

/* Its form's key, checked by the account call: refused for good, or Cal.com's trouble. */
static int calcom_form_refused(kf_cal_outcome o, kf_fields *f)
{
    if (!kf_calendar_key_refused(o)) {
        return 0;
    }
    kf_fields_fail(f, "api_key", "calcom_key_refused");
    return 1;
}

static const kf_calendar_url calcom_urls[] = {
    {"calcom", KF_CAL_URL_API},
    {NULL, 0},
};

const kf_calendar_provider kf_calendar_calcom = {
    .name = "calcom",
    .label = "Cal.com",
    .short_label = "Cal.com",
    .oauth_client = NULL,       /* an API key, through its form */
    .urls = calcom_urls,
    .notices = KF_CAL_NOTICES_SIGNED,
    .default_endpoints = calcom_endpoints,
    .form_refused = calcom_form_refused,
    .account = calcom_account,
    .busy = calcom_busy,
    .put_event = calcom_put_event,
    .delete_event = calcom_delete_event,
    .watch = calcom_watch,
    .renew = NULL,
    .unwatch = calcom_unwatch,
    .revoke = NULL,
    .bookable = calcom_bookable,
};
