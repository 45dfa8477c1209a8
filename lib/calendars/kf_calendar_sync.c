/* Keeping a calendar connection alive and read: see kf_calendar_sync.h. */
#include "kf_calendar_sync.h"
#include "kf_calendar_choices.h"
#include "kf_json.h"

#include <apr_strings.h>
#include <string.h>

int kf_calendar_access_usable(const char *access, apr_int64_t expires_at, apr_int64_t now,
                              const char *refused)
{
    return access && expires_at > now + KF_CALENDAR_ACCESS_MARGIN &&
           !(refused && strcmp(access, refused) == 0);
}

void kf_calendar_busy_window(apr_int64_t now, apr_int64_t horizon_days, apr_int64_t *from,
                             apr_int64_t *to)
{
    apr_int64_t days = horizon_days > 0 && horizon_days < KF_CALENDAR_BUSY_MAX_DAYS
                           ? horizon_days : KF_CALENDAR_BUSY_MAX_DAYS;
    *from = now - KF_CALENDAR_BUSY_BACK;
    *to = now + (days + 2) * 86400;
}

int kf_calendar_busy_wants_new_token(const kf_calendar_provider *prov, kf_cal_outcome o,
                                     const char *why)
{
    return o == KF_CAL_RETRY && prov->oauth_client && why && strstr(why, "HTTP 401") != NULL;
}

kf_cal_channel_plan kf_calendar_channel_plan(const kf_calendar_provider *prov,
                                             const kf_cal_channel *ch, const char *secret,
                                             const char *calendar, apr_int64_t now)
{
    if (!prov->watch) {
        return KF_CAL_CHANNEL_KEEP;   /* no notifications (CalDAV): polled, nothing to keep */
    }
    if (!ch->id || !secret) {
        return KF_CAL_CHANNEL_OPEN;
    }
    if (ch->calendar && calendar && strcmp(ch->calendar, calendar) != 0) {
        return KF_CAL_CHANNEL_OPEN;   /* renewing it would keep watching the other calendar */
    }
    if (ch->expires_at == 0 || ch->expires_at - now > KF_CALENDAR_CHANNEL_RENEW_BEFORE) {
        return KF_CAL_CHANNEL_KEEP;
    }
    return prov->renew ? KF_CAL_CHANNEL_RENEW : KF_CAL_CHANNEL_OPEN;
}

const char *kf_calendar_busy_array(apr_pool_t *p, const apr_array_header_t *busy, int ends)
{
    const kf_cal_busy *b = (const kf_cal_busy *)busy->elts;
    const char *out = "{";
    for (int i = 0; i < busy->nelts; i++) {
        out = apr_psprintf(p, "%s%s%" APR_INT64_T_FMT, out, i ? "," : "",
                           ends ? b[i].end : b[i].start);
    }
    return apr_pstrcat(p, out, "}", NULL);
}

/* A JSON array item's string, copied (NULL: not a string). */
static const char *item_text(apr_pool_t *p, const json_t *a, size_t i)
{
    const char *s = json_string_value(json_array_get(a, i));
    return s ? apr_pstrdup(p, s) : NULL;
}

apr_array_header_t *kf_calendar_watches_of(apr_pool_t *p, const kf_keyring *keys,
                                           const char *professional_id, const char *json_text)
{
    apr_array_header_t *out = apr_array_make(p, 2, sizeof(kf_cal_watch));
    json_t *root = json_text ? kf_json_own(p, json_loads(json_text, JSON_REJECT_DUPLICATES, NULL))
                             : NULL;
    size_t i;
    json_t *item;
    json_array_foreach(root, i, item) {
        kf_cal_watch w = {0};
        w.calendar_id = item_text(p, item, 0);
        if (!w.calendar_id) {
            continue;
        }
        w.wanted = json_is_true(json_array_get(item, 1)) && !json_is_true(json_array_get(item, 2));
        w.channel.id = item_text(p, item, 3);
        w.channel.resource = item_text(p, item, 4);
        w.channel.expires_at = json_is_integer(json_array_get(item, 6))
                                   ? (apr_int64_t)json_integer_value(json_array_get(item, 6)) : 0;
        w.channel.calendar = w.calendar_id;
        w.secret = kf_open_text(p, keys, json_string_value(json_array_get(item, 5)),
                                kf_calendar_channel_aad(p, professional_id));
        *(kf_cal_watch *)apr_array_push(out) = w;
    }
    return out;
}

kf_cal_conn_state kf_calendar_conn_of(apr_pool_t *p, const kf_keyring *keys,
                                      const char *const *v, const kf_calendar_provider *prov,
                                      int need_connected, kf_calendar_conn *conn)
{
    const char *id = v[KF_CAL_CONN_COL_PROFESSIONAL];
    memset(conn, 0, sizeof(*conn));
    conn->professional_id = id;
    conn->tenant_id = v[KF_CAL_CONN_COL_TENANT];
    conn->prov = prov;
    conn->status = v[KF_CAL_CONN_COL_STATUS];
    conn->horizon_days = apr_atoi64(v[KF_CAL_CONN_COL_HORIZON]);
    if (!prov || (need_connected && strcmp(conn->status, "connected") != 0)) {
        return KF_CAL_CONN_NONE;
    }
    conn->grant.event_type_id = v[KF_CAL_CONN_COL_EVENT_TYPE];
    conn->grant.calendar_id = v[KF_CAL_CONN_COL_CALENDAR_URL] ? v[KF_CAL_CONN_COL_CALENDAR_URL]
                                                              : "primary";
    conn->grant.user = v[KF_CAL_CONN_COL_ACCOUNT];   /* CalDAV's user name */
    conn->grant.blocking = kf_calendar_blocking_of(p, v[KF_CAL_CONN_COL_BLOCKING]);
    conn->grant.timezone = v[KF_CAL_CONN_COL_TIMEZONE];
    conn->channel.id = v[KF_CAL_CONN_COL_CHANNEL];
    conn->channel.resource = v[KF_CAL_CONN_COL_CHANNEL_RESOURCE];
    conn->channel.expires_at = v[KF_CAL_CONN_COL_CHANNEL_EXPIRES]
                                   ? apr_atoi64(v[KF_CAL_CONN_COL_CHANNEL_EXPIRES]) : 0;
    conn->channel.calendar = v[KF_CAL_CONN_COL_CHANNEL_CALENDAR];
    conn->channel_secret = kf_open_text(p, keys, v[KF_CAL_CONN_COL_CHANNEL_SECRET],
                                        kf_calendar_channel_aad(p, id));
    conn->watches = kf_calendar_watches_of(p, keys, id, v[KF_CAL_CONN_COL_WATCHES]);
    conn->secret = kf_open_text(p, keys, v[KF_CAL_CONN_COL_SECRET], kf_calendar_secret_aad(p, id));
    if (!prov->oauth_client) {
        conn->grant.access_token = conn->secret;   /* Cal.com: the API key */
        return conn->secret ? KF_CAL_CONN_LIVE : KF_CAL_CONN_SHUT;
    }
    const char *access = kf_open_text(p, keys, v[KF_CAL_CONN_COL_ACCESS],
                                      kf_calendar_access_aad(p, id));
    apr_int64_t expires = v[KF_CAL_CONN_COL_ACCESS_EXPIRES]
                              ? apr_atoi64(v[KF_CAL_CONN_COL_ACCESS_EXPIRES]) : 0;
    if (kf_calendar_access_usable(access, expires, apr_atoi64(v[KF_CAL_CONN_COL_NOW]), NULL)) {
        conn->grant.access_token = access;
        return KF_CAL_CONN_LIVE;
    }
    return KF_CAL_CONN_STALE;
}

const char *kf_calendar_locked_access(apr_pool_t *p, const kf_keyring *keys,
                                      const char *professional_id, const char *const *v,
                                      const char *refused, const char **refresh)
{
    const char *access = kf_open_text(p, keys, v[KF_CAL_LOCK_COL_ACCESS],
                                      kf_calendar_access_aad(p, professional_id));
    apr_int64_t expires = v[KF_CAL_LOCK_COL_ACCESS_EXPIRES]
                              ? apr_atoi64(v[KF_CAL_LOCK_COL_ACCESS_EXPIRES]) : 0;
    *refresh = NULL;
    if (kf_calendar_access_usable(access, expires, apr_atoi64(v[KF_CAL_LOCK_COL_NOW]), refused)) {
        return access;
    }
    *refresh = kf_open_text(p, keys, v[KF_CAL_LOCK_COL_SECRET],
                            kf_calendar_secret_aad(p, professional_id));
    return NULL;
}

void kf_calendar_grant_seal(apr_pool_t *p, const kf_keyring *keys, const char *professional_id,
                            const char *secret, const char *access, const char **secret_sealed,
                            const char **access_sealed)
{
    *secret_sealed = kf_seal_text(p, keys, secret, kf_calendar_secret_aad(p, professional_id));
    *access_sealed = kf_seal_text(p, keys, access, kf_calendar_access_aad(p, professional_id));
}
