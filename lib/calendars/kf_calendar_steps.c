/* The provider calls a connection's life takes: see kf_calendar_steps.h. */
#include "kf_calendar_steps.h"
#include "kf_calendar_sync.h"

#include <string.h>

kf_cal_outcome kf_calendar_busy_read(const kf_calendar_session *s, apr_int64_t from,
                                     apr_int64_t to, apr_array_header_t *busy,
                                     kf_calendar_renew_fn *renew, void *data, const char **why)
{
    kf_cal_outcome o = s->prov->busy(s->p, s->http, s->ep, s->grant, from, to, busy, why);
    if (kf_calendar_busy_wants_new_token(s->prov, o, *why)) {
        if (!renew(data)) {
            return KF_CAL_RETRY;
        }
        busy->nelts = 0;
        o = s->prov->busy(s->p, s->http, s->ep, s->grant, from, to, busy, why);
    }
    if (o == KF_CAL_OK) {
        kf_calendar_busy_merge(busy);
    }
    return o;
}

kf_calendar_busy_answer kf_calendar_busy_fetch(const kf_calendar_session *s, int granted,
                                               apr_int64_t now, apr_int64_t horizon_days,
                                               kf_calendar_renew_fn *renew, void *data)
{
    kf_calendar_busy_answer b = {KF_CAL_RETRY, NULL, apr_array_make(s->p, 16, sizeof(kf_cal_busy)),
                                 apr_array_make(s->p, 16, sizeof(kf_cal_busy)), 0, 0};
    apr_int64_t from = 0;
    kf_calendar_busy_window(now, horizon_days, &from, &b.to);
    if (!granted) {
        b.why = "the calendar's access could not be renewed";
        return b;
    }
    b.outcome = kf_calendar_busy_read(s, from, b.to, b.busy, renew, data, &b.why);
    if (b.outcome == KF_CAL_OK && s->prov->bookable) {
        b.outcome = s->prov->bookable(s->p, s->http, s->ep, s->grant, now, b.to, b.bookable,
                                      &b.bookable_known, &b.why);
    }
    return b;
}

kf_cal_channel_result kf_calendar_channel_keep_up(const kf_calendar_session *s,
                                                  const char *address, const char *new_secret,
                                                  apr_int64_t now, kf_cal_channel *ch,
                                                  const char **secret,
                                                  kf_calendar_store_channel_fn *store,
                                                  void *data, const char **why)
{
    const char *calendar = s->grant->calendar_id;
    kf_cal_channel_plan plan = kf_calendar_channel_plan(s->prov, ch, *secret, calendar, now);
    if (plan == KF_CAL_CHANNEL_KEEP) {
        return KF_CAL_CHANNEL_IN_ORDER;
    }
    kf_cal_outcome o;
    if (plan == KF_CAL_CHANNEL_RENEW) {
        kf_cal_channel renewed = *ch;
        renewed.calendar = calendar;
        o = s->prov->renew(s->p, s->http, s->ep, s->grant, now, KF_CALENDAR_CHANNEL_SECONDS,
                           &renewed, why);
        if (o == KF_CAL_OK) {
            if (!store(&renewed, *secret, data)) {
                return KF_CAL_CHANNEL_NOT_STORED;
            }
            *ch = renewed;
            return KF_CAL_CHANNEL_IN_ORDER;
        }
        if (o != KF_CAL_GONE) {
            return KF_CAL_CHANNEL_NOT_RENEWED;
        }
    }
    kf_cal_channel opened = {NULL, NULL, 0, NULL};
    o = s->prov->watch(s->p, s->http, s->ep, s->grant, address, new_secret, now,
                       KF_CALENDAR_CHANNEL_SECONDS, &opened, why);
    if (o != KF_CAL_OK) {
        return KF_CAL_CHANNEL_NOT_OPENED;
    }
    opened.calendar = calendar;
    if (!store(&opened, new_secret, data)) {
        return KF_CAL_CHANNEL_NOT_STORED;
    }
    if (ch->id) {
        /* the old channel stops only once the new one is stored */
        const char *ignored = NULL;
        s->prov->unwatch(s->p, s->http, s->ep, s->grant, ch, &ignored);
    }
    *ch = opened;
    *secret = new_secret;
    return KF_CAL_CHANNEL_IN_ORDER;
}

kf_cal_outcome kf_calendar_oauth_finish(const kf_calendar_session *s, const kf_calendar_app *app,
                                        const char *code, const char *code_verifier,
                                        const char *redirect_uri,
                                        kf_calendar_tokens *tokens, const char **account,
                                        const char **why)
{
    memset(tokens, 0, sizeof(*tokens));
    *account = NULL;
    if (!app->client_id) {
        return KF_CAL_FAILED;
    }
    kf_cal_outcome o = s->prov->exchange_code(s->p, s->http, s->ep, app, code, code_verifier,
                                              redirect_uri,
                                              tokens, why);
    if (o == KF_CAL_OK && !tokens->refresh_token) {
        *why = "no refresh token was granted";
        return KF_CAL_FAILED;
    }
    if (o != KF_CAL_OK) {
        return o;
    }
    kf_calendar_grant g = {.access_token = tokens->access_token, .calendar_id = "primary"};
    return s->prov->account(s->p, s->http, s->ep, &g, account, why);
}

/* The session's grant, naming another of the account's calendars. */
static kf_calendar_session on_calendar(const kf_calendar_session *s, const char *calendar_id,
                                       kf_calendar_grant *g)
{
    kf_calendar_session other = *s;
    *g = *s->grant;
    g->calendar_id = calendar_id;
    other.grant = g;
    return other;
}

kf_cal_channel_result kf_calendar_watch_keep_up(const kf_calendar_session *s,
                                                const char *address, const char *new_secret,
                                                apr_int64_t now, kf_cal_watch *w,
                                                kf_calendar_store_channel_fn *store, void *data,
                                                const char **why)
{
    if (!s->prov->watch) {
        return KF_CAL_CHANNEL_IN_ORDER;
    }
    kf_calendar_grant g;
    kf_calendar_session other = on_calendar(s, w->calendar_id, &g);
    if (w->wanted) {
        return kf_calendar_channel_keep_up(&other, address, new_secret, now, &w->channel,
                                           &w->secret, store, data, why);
    }
    if (!w->channel.id) {
        return KF_CAL_CHANNEL_IN_ORDER;
    }
    /* no longer blocking: forgotten first (a notice that still comes finds no channel), then
     * closed; a provider that does not answer ends it when it expires */
    const kf_cal_channel none = {NULL, NULL, 0, NULL};
    if (!store(&none, NULL, data)) {
        return KF_CAL_CHANNEL_NOT_STORED;
    }
    const char *ignored = NULL;
    s->prov->unwatch(other.p, other.http, other.ep, other.grant, &w->channel, &ignored);
    w->channel = none;
    w->secret = NULL;
    return KF_CAL_CHANNEL_IN_ORDER;
}

void kf_calendar_let_go(const kf_calendar_session *s, const kf_cal_channel *ch,
                        const apr_array_header_t *watches, const char *refresh_token)
{
    const char *why = NULL;
    if (ch && ch->id) {
        s->prov->unwatch(s->p, s->http, s->ep, s->grant, ch, &why);
    }
    for (int i = 0; watches && i < watches->nelts; i++) {
        const kf_cal_watch *w = &APR_ARRAY_IDX(watches, i, kf_cal_watch);
        if (w->channel.id) {
            kf_calendar_grant g;
            kf_calendar_session other = on_calendar(s, w->calendar_id, &g);
            s->prov->unwatch(other.p, other.http, other.ep, other.grant, &w->channel, &why);
        }
    }
    if (s->prov->revoke && refresh_token) {
        s->prov->revoke(s->p, s->http, s->ep, refresh_token, &why);
    }
}

kf_cal_outcome kf_calendar_event_put(const kf_calendar_session *s, const kf_cal_event *ev,
                                     const char *event_id, const char **new_id,
                                     const char **why)
{
    kf_cal_outcome o = s->prov->put_event(s->p, s->http, s->ep, s->grant, ev, event_id, new_id,
                                          why);
    if (o == KF_CAL_GONE && event_id) {
        /* someone deleted it by hand: the booking stands, so it comes back */
        o = s->prov->put_event(s->p, s->http, s->ep, s->grant, ev, NULL, new_id, why);
    }
    return o;
}

kf_cal_outcome kf_calendar_event_remove(const kf_calendar_session *s, const char *event_id,
                                        const char **why)
{
    kf_cal_outcome o = s->prov->delete_event(s->p, s->http, s->ep, s->grant, event_id, why);
    return o == KF_CAL_GONE ? KF_CAL_OK : o;
}

kf_cal_outcome kf_calendar_left_behind_remove(const kf_calendar_session *s,
                                              const kf_calendar_app *app, const char *event_id,
                                              const char **why)
{
    if (app && s->prov->oauth_client) {
        kf_calendar_tokens t;
        if (!app->client_id) {
            *why = "the OAuth client is not configured";
            return KF_CAL_RETRY;
        }
        kf_cal_outcome o = s->prov->refresh(s->p, s->http, s->ep, app, s->grant->access_token,
                                            &t, why);
        if (o != KF_CAL_OK) {
            return o;
        }
        s->grant->access_token = t.access_token;
    }
    return kf_calendar_event_remove(s, event_id, why);
}

kf_cal_outcome kf_calendar_event_apply(kf_cal_event_action action, const char *event_id,
                                       const kf_cal_event_steps *steps, void *data)
{
    kf_cal_outcome o = KF_CAL_OK;
    switch (action) {
    case KF_CAL_EVENT_CREATE:
        return steps->write(data, NULL);
    case KF_CAL_EVENT_MOVE:
        return steps->write(data, event_id);
    case KF_CAL_EVENT_DELETE:
        return steps->remove(data);
    case KF_CAL_EVENT_REPLACE:
        o = steps->remove(data);
        return o == KF_CAL_OK ? steps->write(data, NULL) : o;
    case KF_CAL_EVENT_NOTHING:
        break;
    }
    return o;
}

kf_cal_outcome kf_calendar_event_put_renewing(const kf_calendar_session *s,
                                              const kf_cal_event *ev, const char *event_id,
                                              const char **new_id, kf_calendar_renew_fn *renew,
                                              void *data, const char **why)
{
    kf_cal_outcome o = kf_calendar_event_put(s, ev, event_id, new_id, why);
    if (kf_calendar_busy_wants_new_token(s->prov, o, *why)) {
        o = renew(data) ? kf_calendar_event_put(s, ev, event_id, new_id, why) : KF_CAL_RETRY;
    }
    return o;
}

kf_cal_outcome kf_calendar_event_remove_renewing(const kf_calendar_session *s,
                                                 const char *event_id,
                                                 kf_calendar_renew_fn *renew, void *data,
                                                 const char **why)
{
    kf_cal_outcome o = kf_calendar_event_remove(s, event_id, why);
    if (kf_calendar_busy_wants_new_token(s->prov, o, *why)) {
        o = renew(data) ? kf_calendar_event_remove(s, event_id, why) : KF_CAL_RETRY;
    }
    return o;
}
