/* Google Calendar (PROVIDERS.md "Google"): OAuth 2.0 with offline access, FreeBusy for busy
 * times, events written to the connected calendar, events.watch channels for changes. */
#include "kf_calendar_providers.h"
#include "kf_crypto.h"
#include "kf_http_api.h"
#include "kf_json.h"
#include "kf_time.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <string.h>

/* The narrowest scopes that list the calendars (their names and zones, to choose which
 * count), read busy times (FreeBusy) and write events (events, their list and watch
 * channels): never the calendars' settings, sharing or other people's events. */
#define SCOPES "https://www.googleapis.com/auth/calendar.calendarlist.readonly " \
               "https://www.googleapis.com/auth/calendar.freebusy " \
               "https://www.googleapis.com/auth/calendar.events"
/* calendarList pages followed at most */
#define MAX_LIST_PAGES 5

static kf_calendar_endpoints google_endpoints(void)
{
    kf_calendar_endpoints ep = {"https://accounts.google.com", "https://oauth2.googleapis.com",
                                "https://www.googleapis.com/calendar/v3"};
    return ep;
}

static const char *calendar_of(const kf_calendar_grant *g)
{
    return g->calendar_id && *g->calendar_id ? g->calendar_id : "primary";
}

static const char *google_authorize_url(apr_pool_t *p, const kf_calendar_endpoints *ep,
                                        const kf_calendar_app *app, const char *redirect_uri,
                                        const char *state, const char *code_challenge)
{
    /* no include_granted_scopes: a grant carries what this asks and nothing an earlier
     * consent of the same account gave */
    return apr_pstrcat(p, kf_url_trim_slash(p, ep->auth_base), "/o/oauth2/v2/auth?",
                       kf_calendar_form(p, "client_id", app->client_id, "redirect_uri",
                                        redirect_uri, "response_type", "code", "scope", SCOPES,
                                        "access_type", "offline", "prompt", "consent",
                                        "code_challenge", code_challenge,
                                        "code_challenge_method", KF_CALENDAR_PKCE_METHOD,
                                        "state", state, NULL),
                       NULL);
}

static kf_cal_outcome google_exchange(apr_pool_t *p, kf_http_client *http,
                                      const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                                      const char *code, const char *code_verifier,
                                      const char *redirect_uri, kf_calendar_tokens *out,
                                      const char **why)
{
    const char *form = kf_calendar_form(p, "grant_type", "authorization_code", "code", code,
                                        "code_verifier", code_verifier, "client_id",
                                        app->client_id, "client_secret", app->client_secret,
                                        "redirect_uri", redirect_uri, NULL);
    return kf_calendar_token_call(p, http,
                                  apr_pstrcat(p, kf_url_trim_slash(p, ep->token_base), "/token", NULL),
                                  form, out, why);
}

static kf_cal_outcome google_refresh(apr_pool_t *p, kf_http_client *http,
                                     const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                                     const char *refresh_token, kf_calendar_tokens *out,
                                     const char **why)
{
    const char *form = kf_calendar_form(p, "grant_type", "refresh_token", "refresh_token",
                                        refresh_token, "client_id", app->client_id,
                                        "client_secret", app->client_secret, NULL);
    return kf_calendar_token_call(p, http,
                                  apr_pstrcat(p, kf_url_trim_slash(p, ep->token_base), "/token", NULL),
                                  form, out, why);
}

/* The account's address: the summary of the primary calendar's event list, which Google
 * names after the account (the calendar list would need a wider scope). */
static kf_cal_outcome google_account(apr_pool_t *p, kf_http_client *http,
                                     const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                     const char **account, const char **why)
{
    kf_http_response *resp = NULL;
    *account = NULL;
    kf_cal_outcome o =
        kf_calendar_call(p, http, "GET",
                         kf_calendar_api_url(p, ep, "/calendars/primary/events?maxResults=1"),
                         g->access_token, NULL, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    const char *summary = NULL;
    if (!root) {
        *why = "the event list answered without an object";
        return KF_CAL_RETRY;
    }
    *account = kf_json_get_string(root, "summary", &summary) == KF_JSON_FIELD_OK && *summary
                   ? apr_pstrdup(p, summary) : "primary";
    return KF_CAL_OK;
}

static int parse_time(const char *s, apr_int64_t *t)
{
    return s && kf_time_parse_rfc3339(s, t) != KF_TIME_INVALID;
}

/* The calendars whose busy times are asked: the grant's blocking ones, or its calendar. */
static apr_array_header_t *busy_ids(apr_pool_t *p, const kf_calendar_grant *g)
{
    apr_array_header_t *ids = apr_array_make(p, 2, sizeof(const char *));
    if (!g->blocking) {
        APR_ARRAY_PUSH(ids, const char *) = calendar_of(g);
        return ids;
    }
    for (int i = 0; i < g->blocking->nelts; i++) {
        APR_ARRAY_PUSH(ids, const char *) = APR_ARRAY_IDX(g->blocking, i, kf_cal_calendar).id;
    }
    return ids;
}

/* The busy times FreeBusy answered for calendar `id` appended to out; FAILED when it could
 * not read that calendar (its busy times are then not known). */
static kf_cal_outcome read_calendar_busy(json_t *calendars, const char *id, int asked,
                                         apr_array_header_t *out, const char **why)
{
    json_t *entry = json_object_get(calendars, id), *busy = NULL, *errors = NULL;
    if (!entry && asked == 1 && json_object_size(calendars) == 1) {
        /* asked for "primary", answered under the account's address */
        void *it = json_object_iter(calendars);
        entry = it ? json_object_iter_value(it) : NULL;
    }
    if (!json_is_object(entry) ||
        kf_json_get_array(entry, "errors", &errors) == KF_JSON_FIELD_OK ||
        kf_json_get_array(entry, "busy", &busy) != KF_JSON_FIELD_OK) {
        /* an error for the calendar (notFound...): its busy times are not known */
        *why = "freeBusy could not read the calendar";
        return KF_CAL_FAILED;
    }
    size_t i;
    json_t *item;
    json_array_foreach(busy, i, item) {
        const char *s = NULL, *e = NULL;
        kf_cal_busy b;
        kf_json_get_string(item, "start", &s);
        kf_json_get_string(item, "end", &e);
        if (!parse_time(s, &b.start) || !parse_time(e, &b.end)) {
            *why = "freeBusy answered a busy time that is not RFC 3339";
            return KF_CAL_RETRY;
        }
        *(kf_cal_busy *)apr_array_push(out) = b;
    }
    return KF_CAL_OK;
}

/* FreeBusy leaves out transparent ("free") events and the ones the person declined, and
 * gives an all-day event's day in its calendar's zone. */
static kf_cal_outcome google_busy(apr_pool_t *p, kf_http_client *http,
                                  const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                  apr_int64_t from, apr_int64_t to, apr_array_header_t *out,
                                  const char **why)
{
    apr_array_header_t *ids = busy_ids(p, g);
    if (ids->nelts == 0) {
        return KF_CAL_OK;   /* no calendar of the professional blocks */
    }
    json_t *items = json_array();
    for (int i = 0; i < ids->nelts; i++) {
        json_array_append_new(items, json_pack("{s:s}", "id", APR_ARRAY_IDX(ids, i, const char *)));
    }
    json_t *body = json_pack("{s:s, s:s, s:o}", "timeMin", kf_calendar_utc(p, from), "timeMax",
                             kf_calendar_utc(p, to), "items", items);
    kf_json_own(p, body);
    kf_http_response *resp = NULL;
    kf_cal_outcome o = kf_calendar_call(p, http, "POST", kf_calendar_api_url(p, ep, "/freeBusy"),
                                        g->access_token, kf_json_dump(p, body), NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    json_t *calendars = NULL;
    if (!root || kf_json_get_object(root, "calendars", &calendars) != KF_JSON_FIELD_OK ||
        json_object_size(calendars) == 0) {
        *why = "freeBusy answered without calendars";
        return KF_CAL_RETRY;
    }
    for (int i = 0; i < ids->nelts; i++) {
        o = read_calendar_busy(calendars, APR_ARRAY_IDX(ids, i, const char *), ids->nelts, out,
                               why);
        if (o != KF_CAL_OK) {
            return o;
        }
    }
    return KF_CAL_OK;
}

/* Whether the account may write a calendar of the list: its accessRole is writer or owner
 * (reader and freeBusyReader only see it); a list entry without one counts as writable. */
static int may_write(const json_t *item)
{
    const char *role = NULL;
    if (kf_json_get_string(item, "accessRole", &role) != KF_JSON_FIELD_OK) {
        return 1;
    }
    return strcmp(role, "reader") != 0 && strcmp(role, "freeBusyReader") != 0;
}

/* The calendar list: every calendar the account sees, its own name for it (summaryOverride)
 * first. */
static kf_cal_outcome google_calendars(apr_pool_t *p, kf_http_client *http,
                                       const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                       apr_array_header_t *out, const char **why)
{
    const char *page = NULL;
    for (int n = 0; n < MAX_LIST_PAGES; n++) {
        const char *path = apr_pstrcat(p, "/users/me/calendarList?",
                                       kf_calendar_form(p, "minAccessRole", "freeBusyReader",
                                                        "pageToken", page, NULL), NULL);
        kf_http_response *resp = NULL;
        kf_cal_outcome o = kf_calendar_call(p, http, "GET", kf_calendar_api_url(p, ep, path),
                                            g->access_token, NULL, NULL, &resp, why);
        if (o != KF_CAL_OK) {
            return o;
        }
        json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
        json_t *items = NULL;
        if (!root || kf_json_get_array(root, "items", &items) != KF_JSON_FIELD_OK) {
            *why = "calendarList answered without items";
            return KF_CAL_RETRY;
        }
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            kf_cal_calendar c = {0};
            const char *name = NULL;
            int primary = 0;
            if (kf_json_get_string(item, "id", &c.id) != KF_JSON_FIELD_OK || !*c.id) {
                continue;
            }
            if (kf_json_get_string(item, "summaryOverride", &name) != KF_JSON_FIELD_OK) {
                kf_json_get_string(item, "summary", &name);
            }
            kf_json_get_string(item, "timeZone", &c.timezone);
            c.read_only = !may_write(item);
            c.primary = kf_json_get_bool(item, "primary", &primary) == KF_JSON_FIELD_OK && primary;
            c.id = apr_pstrdup(p, c.id);
            c.name = apr_pstrdup(p, name && *name ? name : c.id);
            c.timezone = c.timezone ? apr_pstrdup(p, c.timezone) : NULL;
            *(kf_cal_calendar *)apr_array_push(out) = c;
        }
        if (kf_json_get_string(root, "nextPageToken", &page) != KF_JSON_FIELD_OK) {
            return KF_CAL_OK;
        }
        page = apr_pstrdup(p, page);
    }
    *why = "calendarList has more pages than are read";
    return KF_CAL_FAILED;
}

static const char *event_path(apr_pool_t *p, const kf_calendar_grant *g, const char *event_id)
{
    return apr_pstrcat(p, "/calendars/", kf_url_encode(p, calendar_of(g)), "/events",
                       event_id ? "/" : "", event_id ? kf_url_encode(p, event_id) : "", NULL);
}

/* The Meet room's join URL of an event: hangoutLink, else the conference's video entry
 * point; NULL while the room is not made (a pending createRequest, or none asked). */
static const char *google_join_url(apr_pool_t *p, json_t *event)
{
    const char *link = NULL;
    if (kf_json_get_string(event, "hangoutLink", &link) == KF_JSON_FIELD_OK &&
        !kf_url_check(p, link, KF_URL_HTTPS_ONLY)) {
        return apr_pstrdup(p, link);
    }
    json_t *conference = NULL, *points = NULL, *point = NULL;
    size_t i;
    if (kf_json_get_object(event, "conferenceData", &conference) != KF_JSON_FIELD_OK ||
        kf_json_get_array(conference, "entryPoints", &points) != KF_JSON_FIELD_OK) {
        return NULL;
    }
    json_array_foreach(points, i, point) {
        const char *type = NULL, *uri = NULL;
        if (kf_json_get_string(point, "entryPointType", &type) == KF_JSON_FIELD_OK &&
            strcmp(type, "video") == 0 &&
            kf_json_get_string(point, "uri", &uri) == KF_JSON_FIELD_OK && !kf_url_check(p, uri, KF_URL_HTTPS_ONLY)) {
            return apr_pstrdup(p, uri);
        }
    }
    return NULL;
}

static kf_cal_outcome google_put_event(apr_pool_t *p, kf_http_client *http,
                                       const kf_calendar_endpoints *ep,
                                       const kf_calendar_grant *g, const kf_cal_event *ev,
                                       const char *event_id, const char **new_id,
                                       const char **why)
{
    json_t *body = json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "summary", ev->summary,
                             "description", ev->description ? ev->description : "", "start",
                             "dateTime", kf_calendar_utc(p, ev->start), "timeZone", ev->timezone, "end",
                             "dateTime", kf_calendar_utc(p, ev->end), "timeZone", ev->timezone);
    kf_json_own(p, body);
    if (ev->attendee_email) {
        json_t *att = json_pack("[{s:s}]", "email", ev->attendee_email);
        kf_json_set_new(body, "attendees", att);
    }
    json_t *priv = json_pack("{s:{s:s}}", "private", "konfirmado_booking", ev->reference);
    kf_json_set_new(body, "extendedProperties", priv);
    if (ev->conference) {
        /* a Meet room of the booking's own; the same requestId on a retry makes no second */
        kf_json_set_new(body, "conferenceData",
                        json_pack("{s:{s:s, s:{s:s}}}", "createRequest", "requestId",
                                  ev->conference_request, "conferenceSolutionKey", "type",
                                  "hangoutsMeet"));
    }
    /* the customer hears from the gateway's own mails; the calendar writes silently.
     * conferenceDataVersion=1: without it Google ignores conferenceData */
    const char *path = apr_pstrcat(p, event_path(p, g, event_id), "?sendUpdates=",
                                   ev->attendee_email ? "all" : "none",
                                   ev->conference ? "&conferenceDataVersion=1" : "", NULL);
    json_t *answer = NULL;
    kf_cal_outcome o = kf_calendar_write_event_answer(p, http, kf_calendar_api_url(p, ep, path),
                                                      g->access_token, kf_json_dump(p, body),
                                                      event_id, new_id, &answer, why);
    if (o == KF_CAL_OK && ev->join_url) {
        *ev->join_url = google_join_url(p, answer);
    }
    return o;
}

static kf_cal_outcome google_delete_event(apr_pool_t *p, kf_http_client *http,
                                          const kf_calendar_endpoints *ep,
                                          const kf_calendar_grant *g, const char *event_id,
                                          const char **why)
{
    kf_http_response *resp = NULL;
    return kf_calendar_call(
        p, http, "DELETE",
        kf_calendar_api_url(p, ep,
                            apr_pstrcat(p, event_path(p, g, event_id), "?sendUpdates=all", NULL)),
        g->access_token, NULL, NULL, &resp, why);
}

/* An event's start or end: its dateTime (with its offset), or an all-day event's date (the
 * calendar's midnight is not known here: taken as UTC's). */
static int event_time(apr_pool_t *p, const json_t *when, apr_int64_t *t)
{
    const char *s = NULL;
    apr_int64_t days = 0;
    if (kf_json_get_string(when, "dateTime", &s) == KF_JSON_FIELD_OK) {
        return parse_time(s, t);
    }
    if (kf_json_get_string(when, "date", &s) == KF_JSON_FIELD_OK &&
        kf_date_parse(apr_pstrndup(p, s, 10), &days)) {
        *t = days * 86400;
        return 1;
    }
    return 0;
}

/* A deleted event answers 410, or (still listed) status "cancelled". */
static kf_cal_outcome google_read_event(apr_pool_t *p, kf_http_client *http,
                                        const kf_calendar_endpoints *ep,
                                        const kf_calendar_grant *g, const char *event_id,
                                        apr_int64_t *start, apr_int64_t *end, const char **why)
{
    kf_http_response *resp = NULL;
    kf_cal_outcome o = kf_calendar_call(p, http, "GET",
                                        kf_calendar_api_url(p, ep, event_path(p, g, event_id)),
                                        g->access_token, NULL, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    const char *status = NULL;
    if (!root) {
        *why = "the event answered without an object";
        return KF_CAL_RETRY;
    }
    if (kf_json_get_string(root, "status", &status) == KF_JSON_FIELD_OK &&
        strcmp(status, "cancelled") == 0) {
        return KF_CAL_GONE;
    }
    if (!event_time(p, json_object_get(root, "start"), start) ||
        !event_time(p, json_object_get(root, "end"), end)) {
        *why = "the event answered without its times";
        return KF_CAL_RETRY;
    }
    return KF_CAL_OK;
}

static kf_cal_outcome google_watch(apr_pool_t *p, kf_http_client *http,
                                   const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                   const char *address, const char *secret, apr_int64_t now,
                                   apr_int64_t seconds, kf_cal_channel *out, const char **why)
{
    /* a channel id is ours to choose: random, so that a notification names one connection */
    const char *id = apr_pstrcat(p, "kf-", kf_random_token(p, 18), NULL);
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "id", id, "type", "web_hook",
                             "address", address, "token", secret, "params", "ttl",
                             apr_psprintf(p, "%" APR_INT64_T_FMT, seconds));
    kf_json_own(p, body);
    kf_http_response *resp = NULL;
    kf_cal_outcome o = kf_calendar_call(
        p, http, "POST",
        kf_calendar_api_url(p, ep, apr_pstrcat(p, event_path(p, g, NULL), "/watch", NULL)),
        g->access_token, kf_json_dump(p, body), NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    const char *resource = NULL, *exp_text = NULL;
    json_int_t exp_num = 0;
    if (!root || kf_json_get_string(root, "resourceId", &resource) != KF_JSON_FIELD_OK) {
        *why = "the watch channel was answered without a resourceId";
        return KF_CAL_RETRY;
    }
    out->id = id;
    out->resource = apr_pstrdup(p, resource);
    /* expiration is milliseconds since the epoch, sent as a string or a number */
    if (kf_json_get_string(root, "expiration", &exp_text) == KF_JSON_FIELD_OK) {
        out->expires_at = apr_atoi64(exp_text) / 1000;
    }
    else if (kf_json_get_int(root, "expiration", &exp_num) == KF_JSON_FIELD_OK) {
        out->expires_at = exp_num / 1000;
    }
    else {
        out->expires_at = now + seconds;
    }
    return KF_CAL_OK;
}

static kf_cal_outcome google_unwatch(apr_pool_t *p, kf_http_client *http,
                                     const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                     const kf_cal_channel *ch, const char **why)
{
    json_t *body = json_pack("{s:s, s:s}", "id", ch->id, "resourceId",
                             ch->resource ? ch->resource : "");
    kf_json_own(p, body);
    kf_http_response *resp = NULL;
    return kf_calendar_call(p, http, "POST", kf_calendar_api_url(p, ep, "/channels/stop"),
                            g->access_token, kf_json_dump(p, body), NULL, &resp, why);
}

static kf_cal_outcome google_revoke(apr_pool_t *p, kf_http_client *http,
                                    const kf_calendar_endpoints *ep, const char *refresh_token,
                                    const char **why)
{
    kf_http_request *req = kf_http_request_make(
        p, "POST", apr_pstrcat(p, kf_url_trim_slash(p, ep->token_base), "/revoke", NULL));
    kf_http_request_set_body(req, "application/x-www-form-urlencoded",
                             kf_calendar_form(p, "token", refresh_token, NULL));
    kf_http_response *resp = NULL;
    const char *transport = NULL;
    if (kf_http_perform(http, p, req, &resp, &transport) != APR_SUCCESS) {
        *why = transport ? transport : "Google could not be reached";
        return KF_CAL_RETRY;
    }
    /* 400 invalid_token: already revoked, which is what was wanted */
    *why = NULL;
    return resp->status == 200 || resp->status == 400 ? KF_CAL_OK
                                                      : kf_calendar_status_outcome(resp->status);
}

/* ---------------------------------------------------------------- its notices */

int kf_calendar_google_notice_changes(const char *resource_state)
{
    return !resource_state || strcmp(resource_state, "sync") != 0;
}

static const kf_calendar_url google_urls[] = {
    {"google-auth", KF_CAL_URL_AUTH},
    {"google-token", KF_CAL_URL_TOKEN},
    {"google-calendar", KF_CAL_URL_API},
    {NULL, 0},
};

const kf_calendar_provider kf_calendar_google = {
    .name = "google",
    .label = "Google Calendar",
    .short_label = "Google",
    .oauth_client = "KonfirmadoGoogleClient",
    .urls = google_urls,
    .notices = KF_CAL_NOTICES_CHANNEL,
    .conference = "google_meet",
    .default_endpoints = google_endpoints,
    .authorize_url = google_authorize_url,
    .exchange_code = google_exchange,
    .refresh = google_refresh,
    .account = google_account,
    .calendars = google_calendars,
    .busy = google_busy,
    .put_event = google_put_event,
    .delete_event = google_delete_event,
    .read_event = google_read_event,
    .watch = google_watch,
    .renew = NULL,              /* a new channel replaces the old one */
    .unwatch = google_unwatch,
    .revoke = google_revoke,
    .bookable = NULL,
};
