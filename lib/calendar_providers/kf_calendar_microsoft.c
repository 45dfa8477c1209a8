/* Microsoft identity platform + Graph (PROVIDERS.md "Microsoft"): Outlook / Microsoft 365
 * calendars. OAuth with offline_access (every refresh rotates the refresh token), the
 * calendars listed (/me/calendars), busy times from each blocking calendar's calendarView in
 * UTC, events written in the chosen calendar, change subscriptions on me/events. */
#include "kf_calendar_providers.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"
#include "kf_url.h"
#include "kf_zone.h"

#include <apr_strings.h>
#include <string.h>

#define SCOPES "offline_access Calendars.ReadWrite"
/* calendarView pages followed at most (a page holds up to $top events) */
#define MAX_PAGES 20

static kf_calendar_endpoints microsoft_endpoints(void)
{
    kf_calendar_endpoints ep = {"https://login.microsoftonline.com",
                                "https://login.microsoftonline.com",
                                "https://graph.microsoft.com/v1.0"};
    return ep;
}

static const char *login(apr_pool_t *p, const char *base, const char *what)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, base), "/common/oauth2/v2.0/", what, NULL);
}

static const char *ms_authorize_url(apr_pool_t *p, const kf_calendar_endpoints *ep,
                                    const kf_calendar_app *app, const char *redirect_uri,
                                    const char *state, const char *code_challenge)
{
    return apr_pstrcat(p, login(p, ep->auth_base, "authorize"), "?",
                       kf_calendar_form(p, "client_id", app->client_id, "response_type", "code",
                                        "redirect_uri", redirect_uri, "response_mode", "query",
                                        "scope", SCOPES, "prompt", "select_account",
                                        "code_challenge", code_challenge,
                                        "code_challenge_method", KF_CALENDAR_PKCE_METHOD, "state",
                                        state, NULL),
                       NULL);
}

static kf_cal_outcome ms_exchange(apr_pool_t *p, kf_http_client *http,
                                  const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                                  const char *code, const char *code_verifier,
                                  const char *redirect_uri, kf_calendar_tokens *out,
                                  const char **why)
{
    const char *form = kf_calendar_form(p, "client_id", app->client_id, "scope", SCOPES, "code",
                                        code, "code_verifier", code_verifier, "redirect_uri",
                                        redirect_uri, "grant_type", "authorization_code",
                                        "client_secret", app->client_secret, NULL);
    return kf_calendar_token_call(p, http, login(p, ep->token_base, "token"), form, out, why);
}

static kf_cal_outcome ms_refresh(apr_pool_t *p, kf_http_client *http,
                                 const kf_calendar_endpoints *ep, const kf_calendar_app *app,
                                 const char *refresh_token, kf_calendar_tokens *out,
                                 const char **why)
{
    const char *form = kf_calendar_form(p, "client_id", app->client_id, "scope", SCOPES,
                                        "refresh_token", refresh_token, "grant_type",
                                        "refresh_token", "client_secret", app->client_secret,
                                        NULL);
    return kf_calendar_token_call(p, http, login(p, ep->token_base, "token"), form, out, why);
}

static kf_cal_outcome ms_account(apr_pool_t *p, kf_http_client *http,
                                 const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                 const char **account, const char **why)
{
    /* the default calendar's owner: readable with Calendars.ReadWrite alone (/me needs
     * User.Read, which the connection does not ask for) */
    kf_http_response *resp = NULL;
    *account = NULL;
    kf_cal_outcome o = kf_calendar_call(p, http, "GET", kf_calendar_api_url(p, ep, "/me/calendar"),
                                        g->access_token, NULL, NULL, &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    const char *address = NULL;
    json_t *owner = root ? json_object_get(root, "owner") : NULL;
    if (kf_json_get_string(owner, "address", &address) == KF_JSON_FIELD_OK && *address) {
        *account = apr_pstrdup(p, address);
    }
    else {
        *account = "outlook";
    }
    return KF_CAL_OK;
}

/* Graph's dateTime in UTC ("2026-12-01T14:00:00.0000000", timeZone "UTC"). */
static int graph_time(const json_t *obj, apr_int64_t *t)
{
    const char *dt = NULL, *zone = NULL;
    if (kf_json_get_string(obj, "dateTime", &dt) != KF_JSON_FIELD_OK || strlen(dt) < 19) {
        return 0;
    }
    if (kf_json_get_string(obj, "timeZone", &zone) == KF_JSON_FIELD_OK &&
        strcasecmp(zone, "UTC") != 0) {
        return 0;   /* asked in UTC (Prefer: outlook.timezone): anything else is not understood */
    }
    char buf[21];
    memcpy(buf, dt, 19);
    buf[19] = 'Z';
    buf[20] = '\0';
    return kf_time_parse_rfc3339(buf, t) != KF_TIME_INVALID;
}

static int blocks_time(const json_t *event)
{
    int cancelled = 0;
    const char *show = NULL, *response = NULL;
    if (kf_json_get_bool(event, "isCancelled", &cancelled) == KF_JSON_FIELD_OK && cancelled) {
        return 0;
    }
    /* an invitation the person declined leaves them available */
    if (kf_json_get_string(json_object_get(event, "responseStatus"), "response", &response) ==
            KF_JSON_FIELD_OK && strcmp(response, "declined") == 0) {
        return 0;
    }
    /* free and workingElsewhere leave the person available; busy, tentative, oof and any
     * value not known here block */
    if (kf_json_get_string(event, "showAs", &show) == KF_JSON_FIELD_OK &&
        (strcmp(show, "free") == 0 || strcmp(show, "workingElsewhere") == 0)) {
        return 0;
    }
    return 1;
}

/* An all-day event's day: Graph gives midnight to midnight as dates without a zone of
 * their own; the day is the calendar's (its zone, else the professional's). */
static int all_day(apr_pool_t *p, const json_t *event, const char *zone_name, kf_cal_busy *b)
{
    int whole = 0;
    if (kf_json_get_bool(event, "isAllDay", &whole) != KF_JSON_FIELD_OK || !whole) {
        return 0;
    }
    const char *s = NULL, *e = NULL;
    apr_int64_t first = 0, after = 0;
    if (kf_json_get_string(json_object_get(event, "start"), "dateTime", &s) != KF_JSON_FIELD_OK ||
        kf_json_get_string(json_object_get(event, "end"), "dateTime", &e) != KF_JSON_FIELD_OK ||
        !kf_date_parse(apr_pstrndup(p, s, 10), &first) ||
        !kf_date_parse(apr_pstrndup(p, e, 10), &after)) {
        return 0;
    }
    const char *why = NULL;
    kf_zone *z = zone_name ? kf_zone_load(p, KF_CALENDAR_ZONE_DIR, zone_name, &why) : NULL;
    b->start = z ? kf_zone_instant(z, first * 86400) : first * 86400;
    b->end = z ? kf_zone_instant(z, after * 86400) : after * 86400;
    return b->end > b->start;
}

/* One item of a Graph list; 0 refuses it (*why set): the list is then not believed. */
typedef int graph_item_fn(apr_pool_t *p, const json_t *item, void *data, const char **why);

/* Every item of the Graph list at url (its "value"), page after page through
 * @odata.nextLink, at most MAX_PAGES; `what` names the list in *why. */
static kf_cal_outcome graph_list(apr_pool_t *p, kf_http_client *http, const kf_calendar_grant *g,
                                 const char *url, const char *header, const char *what,
                                 graph_item_fn *each, void *data, const char **why)
{
    for (int page = 0; url; page++) {
        if (page == MAX_PAGES) {
            *why = apr_pstrcat(p, what, " has more pages than are read", NULL);
            return KF_CAL_FAILED;
        }
        kf_http_response *resp = NULL;
        kf_cal_outcome o = kf_calendar_call(p, http, "GET", url, g->access_token, NULL, header,
                                            &resp, why);
        if (o != KF_CAL_OK) {
            return o;
        }
        json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
        json_t *value = NULL;
        if (!root || kf_json_get_array(root, "value", &value) != KF_JSON_FIELD_OK) {
            *why = apr_pstrcat(p, what, " answered without value", NULL);
            return KF_CAL_RETRY;
        }
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) {
            if (!each(p, item, data, why)) {
                return KF_CAL_RETRY;
            }
        }
        const char *next = NULL;
        url = kf_json_get_string(root, "@odata.nextLink", &next) == KF_JSON_FIELD_OK
                  ? apr_pstrdup(p, next) : NULL;
    }
    return KF_CAL_OK;
}

/* The busy times of a calendar's view, and the zone of its all-day events. */
typedef struct view_busy {
    const char *zone;
    apr_array_header_t *out;
} view_busy;

static int add_event_busy(apr_pool_t *p, const json_t *event, void *data, const char **why)
{
    view_busy *v = data;
    kf_cal_busy b;
    if (!blocks_time(event)) {
        return 1;
    }
    if (!all_day(p, event, v->zone, &b) &&
        (!graph_time(json_object_get(event, "start"), &b.start) ||
         !graph_time(json_object_get(event, "end"), &b.end))) {
        *why = "calendarView answered an event without a UTC start or end";
        return 0;
    }
    *(kf_cal_busy *)apr_array_push(v->out) = b;
    return 1;
}

/* One calendar's view of [from, to): `calendar` NULL is the default calendar. */
static kf_cal_outcome calendar_busy(apr_pool_t *p, kf_http_client *http,
                                    const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                    const char *calendar, const char *zone, apr_int64_t from,
                                    apr_int64_t to, apr_array_header_t *out, const char **why)
{
    const char *view = calendar ? apr_pstrcat(p, "/me/calendars/", kf_url_encode(p, calendar),
                                              "/calendarView?", NULL)
                                : "/me/calendarView?";
    const char *url = kf_calendar_api_url(
        p, ep,
        apr_pstrcat(p, view,
                    kf_calendar_form(p, "startDateTime", kf_calendar_utc(p, from), "endDateTime",
                                     kf_calendar_utc(p, to), "$select",
                                     "start,end,showAs,isCancelled,isAllDay,responseStatus",
                                     "$top", "100", NULL),
                    NULL));
    view_busy v = {zone, out};
    return graph_list(p, http, g, url, "Prefer: outlook.timezone=\"UTC\"", "calendarView",
                      add_event_busy, &v, why);
}

static kf_cal_outcome ms_busy(apr_pool_t *p, kf_http_client *http, const kf_calendar_endpoints *ep,
                              const kf_calendar_grant *g, apr_int64_t from, apr_int64_t to,
                              apr_array_header_t *out, const char **why)
{
    if (!g->blocking) {
        return calendar_busy(p, http, ep, g, NULL, g->timezone, from, to, out, why);
    }
    for (int i = 0; i < g->blocking->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(g->blocking, i, kf_cal_calendar);
        kf_cal_outcome o = calendar_busy(p, http, ep, g, c->id,
                                         c->timezone ? c->timezone : g->timezone, from, to, out,
                                         why);
        if (o != KF_CAL_OK) {
            return o;
        }
    }
    return KF_CAL_OK;
}

static int add_calendar(apr_pool_t *p, const json_t *item, void *data, const char **why)
{
    (void)why;
    kf_cal_calendar c = {0};
    const char *name = NULL;
    int primary = 0, can_edit = 1;
    if (kf_json_get_string(item, "id", &c.id) != KF_JSON_FIELD_OK || !*c.id) {
        return 1;
    }
    kf_json_get_string(item, "name", &name);
    /* a calendar shared with the mailbox to read (canEdit false) takes no event */
    kf_json_get_bool(item, "canEdit", &can_edit);
    c.read_only = !can_edit;
    c.primary = kf_json_get_bool(item, "isDefaultCalendar", &primary) == KF_JSON_FIELD_OK &&
                primary;
    c.id = apr_pstrdup(p, c.id);
    c.name = apr_pstrdup(p, name && *name ? name : c.id);
    *(kf_cal_calendar *)apr_array_push((apr_array_header_t *)data) = c;
    return 1;
}

/* The mailbox's calendars: Graph marks the default one (where /me/events writes). */
static kf_cal_outcome ms_calendars(apr_pool_t *p, kf_http_client *http,
                                   const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                   apr_array_header_t *out, const char **why)
{
    const char *url = kf_calendar_api_url(p, ep, "/me/calendars?$select=id,name,isDefaultCalendar"
                                                 ",canEdit&$top=100");
    return graph_list(p, http, g, url, NULL, "the calendar list", add_calendar, out, why);
}

static json_t *graph_when(apr_pool_t *p, apr_int64_t t)
{
    /* Graph's dateTime has no offset: the zone is said beside it */
    const char *utc = kf_calendar_utc(p, t);
    return json_pack("{s:s%, s:s}", "dateTime", utc, strlen(utc) - 1, "timeZone", "UTC");
}

static kf_cal_outcome ms_put_event(apr_pool_t *p, kf_http_client *http,
                                   const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                   const kf_cal_event *ev, const char *event_id,
                                   const char **new_id, const char **why)
{
    json_t *body = json_pack("{s:s, s:{s:s, s:s}, s:o, s:o, s:s}", "subject", ev->summary,
                             "body", "contentType", "Text", "content",
                             ev->description ? ev->description : "", "start",
                             graph_when(p, ev->start), "end", graph_when(p, ev->end),
                             "transactionId", ev->reference);
    kf_json_own(p, body);
    if (event_id) {
        json_object_del(body, "transactionId");   /* only meaningful on creation */
    }
    if (ev->attendee_email) {
        kf_json_set_new(body, "attendees",
                        json_pack("[{s:{s:s, s:s}, s:s}]", "emailAddress", "address",
                                  ev->attendee_email, "name",
                                  ev->attendee_name ? ev->attendee_name : ev->attendee_email,
                                  "type", "required"));
    }
    if (ev->conference) {
        json_object_set_new(body, "isOnlineMeeting", json_true());
        json_object_set_new(body, "onlineMeetingProvider", json_string("teamsForBusiness"));
    }
    /* a new event goes to the calendar chosen to receive them; an event is moved where it is */
    int chosen = g->calendar_id && *g->calendar_id && strcmp(g->calendar_id, "primary") != 0;
    const char *path = event_id ? apr_pstrcat(p, "/me/events/", kf_url_encode(p, event_id), NULL)
                       : chosen ? apr_pstrcat(p, "/me/calendars/", kf_url_encode(p, g->calendar_id),
                                              "/events", NULL)
                                : "/me/events";
    json_t *answer = NULL;
    kf_cal_outcome o = kf_calendar_write_event_answer(p, http, kf_calendar_api_url(p, ep, path),
                                                      g->access_token, kf_json_dump(p, body),
                                                      event_id, new_id, &answer, why);
    if (o == KF_CAL_OK && ev->join_url) {
        json_t *meeting = NULL;
        const char *url = NULL;
        *ev->join_url =
            kf_json_get_object(answer, "onlineMeeting", &meeting) == KF_JSON_FIELD_OK &&
                    kf_json_get_string(meeting, "joinUrl", &url) == KF_JSON_FIELD_OK &&
                    !kf_url_check(p, url, KF_URL_HTTPS_ONLY)
                ? apr_pstrdup(p, url) : NULL;
    }
    return o;
}

static kf_cal_outcome ms_delete_event(apr_pool_t *p, kf_http_client *http,
                                      const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                      const char *event_id, const char **why)
{
    kf_http_response *resp = NULL;
    return kf_calendar_call(
        p, http, "DELETE",
        kf_calendar_api_url(p, ep, apr_pstrcat(p, "/me/events/", kf_url_encode(p, event_id), NULL)),
        g->access_token, NULL, NULL, &resp, why);
}

/* A deleted event answers 404; a cancelled meeting says isCancelled. */
static kf_cal_outcome ms_read_event(apr_pool_t *p, kf_http_client *http,
                                    const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                    const char *event_id, apr_int64_t *start, apr_int64_t *end,
                                    const char **why)
{
    kf_http_response *resp = NULL;
    const char *path = apr_pstrcat(p, "/me/events/", kf_url_encode(p, event_id),
                                   "?$select=start,end,isCancelled", NULL);
    kf_cal_outcome o = kf_calendar_call(p, http, "GET", kf_calendar_api_url(p, ep, path),
                                        g->access_token, NULL, "Prefer: outlook.timezone=\"UTC\"",
                                        &resp, why);
    if (o != KF_CAL_OK) {
        return o;
    }
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    int cancelled = 0;
    if (!root) {
        *why = "the event answered without an object";
        return KF_CAL_RETRY;
    }
    if (kf_json_get_bool(root, "isCancelled", &cancelled) == KF_JSON_FIELD_OK && cancelled) {
        return KF_CAL_GONE;
    }
    if (!graph_time(json_object_get(root, "start"), start) ||
        !graph_time(json_object_get(root, "end"), end)) {
        *why = "the event answered without a UTC start or end";
        return KF_CAL_RETRY;
    }
    return KF_CAL_OK;
}

static kf_cal_outcome read_subscription(apr_pool_t *p, const kf_http_response *resp,
                                        kf_cal_channel *out, const char **why)
{
    json_t *root = kf_json_parse_object(p, resp->body, resp->body_len, NULL);
    const char *id = NULL, *exp = NULL;
    apr_int64_t t = 0;
    if (!root || kf_json_get_string(root, "id", &id) != KF_JSON_FIELD_OK ||
        kf_json_get_string(root, "expirationDateTime", &exp) != KF_JSON_FIELD_OK ||
        kf_time_parse_rfc3339(exp, &t) == KF_TIME_INVALID) {
        *why = "the subscription was answered without an id or expiry";
        return KF_CAL_RETRY;
    }
    out->id = apr_pstrdup(p, id);
    out->resource = NULL;
    out->expires_at = t;
    return KF_CAL_OK;
}

static kf_cal_outcome ms_watch(apr_pool_t *p, kf_http_client *http,
                               const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                               const char *address, const char *secret, apr_int64_t now,
                               apr_int64_t seconds, kf_cal_channel *out, const char **why)
{
    /* me/events is the default calendar's; another calendar is watched by its own resource */
    int chosen = g->calendar_id && *g->calendar_id && strcmp(g->calendar_id, "primary") != 0;
    const char *resource = chosen ? apr_pstrcat(p, "me/calendars/", g->calendar_id, "/events", NULL)
                                  : "me/events";
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "changeType", "created,updated,deleted",
                             "notificationUrl", address, "resource", resource,
                             "expirationDateTime", kf_calendar_utc(p, now + seconds),
                             "clientState", secret);
    kf_json_own(p, body);
    kf_http_response *resp = NULL;
    kf_cal_outcome o =
        kf_calendar_call(p, http, "POST", kf_calendar_api_url(p, ep, "/subscriptions"),
                         g->access_token, kf_json_dump(p, body), NULL, &resp, why);
    return o == KF_CAL_OK ? read_subscription(p, resp, out, why) : o;
}

static kf_cal_outcome ms_renew(apr_pool_t *p, kf_http_client *http,
                               const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                               apr_int64_t now, apr_int64_t seconds, kf_cal_channel *ch,
                               const char **why)
{
    json_t *body = json_pack("{s:s}", "expirationDateTime", kf_calendar_utc(p, now + seconds));
    kf_json_own(p, body);
    kf_http_response *resp = NULL;
    kf_cal_outcome o = kf_calendar_call(
        p, http, "PATCH",
        kf_calendar_api_url(p, ep,
                            apr_pstrcat(p, "/subscriptions/", kf_url_encode(p, ch->id), NULL)),
        g->access_token, kf_json_dump(p, body), NULL, &resp, why);
    return o == KF_CAL_OK ? read_subscription(p, resp, ch, why) : o;
}

static kf_cal_outcome ms_unwatch(apr_pool_t *p, kf_http_client *http,
                                 const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                 const kf_cal_channel *ch, const char **why)
{
    kf_http_response *resp = NULL;
    return kf_calendar_call(
        p, http, "DELETE",
        kf_calendar_api_url(p, ep,
                            apr_pstrcat(p, "/subscriptions/", kf_url_encode(p, ch->id), NULL)),
        g->access_token, NULL, NULL, &resp, why);
}

/* ---------------------------------------------------------------- its notices */

int kf_calendar_graph_notices(apr_pool_t *p, const char *body, apr_size_t len,
                              apr_array_header_t *out)
{
    json_t *root = kf_json_parse_object(p, body, len, NULL);
    json_t *value = NULL;
    if (!root || kf_json_get_array(root, "value", &value) != KF_JSON_FIELD_OK ||
        json_array_size(value) == 0) {
        return 0;
    }
    size_t i;
    json_t *item;
    json_array_foreach(value, i, item) {
        kf_cal_notice *n = apr_array_push(out);
        n->channel_id = NULL;
        n->secret = NULL;
        if (kf_json_get_string(item, "subscriptionId", &n->channel_id) != KF_JSON_FIELD_OK) {
            return 0;
        }
        n->channel_id = apr_pstrdup(p, n->channel_id);
        if (kf_json_get_string(item, "clientState", &n->secret) == KF_JSON_FIELD_OK) {
            n->secret = apr_pstrdup(p, n->secret);
        }
    }
    return 1;
}

apr_array_header_t *kf_calendar_graph_changed(apr_pool_t *p, const char *body, apr_size_t len,
                                              kf_calendar_channel_owner_fn *owner, void *data)
{
    apr_array_header_t *notices = apr_array_make(p, 4, sizeof(kf_cal_notice));
    if (!kf_calendar_graph_notices(p, body, len, notices)) {
        return NULL;
    }
    apr_array_header_t *changed = apr_array_make(p, notices->nelts, sizeof(const char *));
    const kf_cal_notice *n = (const kf_cal_notice *)notices->elts;
    for (int i = 0; i < notices->nelts; i++) {
        const char *who = owner(&n[i], data);
        if (!who) {
            return NULL;
        }
        int seen = 0;
        for (int j = 0; j < changed->nelts && !seen; j++) {
            seen = strcmp(APR_ARRAY_IDX(changed, j, const char *), who) == 0;
        }
        if (!seen) {
            APR_ARRAY_PUSH(changed, const char *) = who;
        }
    }
    return changed;
}

int kf_calendar_graph_validation_token_ok(const char *token)
{
    apr_size_t len = token ? strlen(token) : 0;
    return len > 0 && len <= KF_CALENDAR_VALIDATION_TOKEN_MAX && kf_utf8_valid(token, len);
}

/* Its login host is also its token endpoint. */
static const kf_calendar_url microsoft_urls[] = {
    {"microsoft-login", KF_CAL_URL_AUTH | KF_CAL_URL_TOKEN},
    {"microsoft-graph", KF_CAL_URL_API},
    {NULL, 0},
};

const kf_calendar_provider kf_calendar_microsoft = {
    .name = "microsoft",
    .label = "Outlook / Microsoft 365",
    .short_label = "Microsoft",
    .oauth_client = "KonfirmadoMicrosoftClient",
    .urls = microsoft_urls,
    .notices = KF_CAL_NOTICES_CHANNEL,
    .conference = "teams",
    .default_endpoints = microsoft_endpoints,
    .authorize_url = ms_authorize_url,
    .exchange_code = ms_exchange,
    .refresh = ms_refresh,
    .account = ms_account,
    .calendars = ms_calendars,
    .busy = ms_busy,
    .put_event = ms_put_event,
    .delete_event = ms_delete_event,
    .read_event = ms_read_event,
    .watch = ms_watch,
    .renew = ms_renew,
    .unwatch = ms_unwatch,
    .revoke = NULL,
    .bookable = NULL,
};
