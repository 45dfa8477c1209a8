/* The provider calls a connection's life takes, in the order that keeps it safe: the busy
 * times read (once more with a new token when the provider refused the stored one), the
 * change channel kept up (the old one closed only once the new one is stored), an OAuth
 * code turned into a connection, a connection let go, a booking's event written back when
 * someone deleted it by hand. What must be stored or renewed is the caller's, through the
 * functions it passes.
 */
#ifndef KF_CALENDAR_STEPS_H
#define KF_CALENDAR_STEPS_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "kf_calendar.h"
#include "kf_calendar_sync.h"

/* A connection, as the provider's calls take it. */
typedef struct kf_calendar_session {
    apr_pool_t *p;
    kf_http_client *http;
    const kf_calendar_provider *prov;
    const kf_calendar_endpoints *ep;
    kf_calendar_grant *grant;       /* renew_token may change its access token */
} kf_calendar_session;

/* Puts a new access token in s->grant, the stored one having been refused; 1 when done. */
typedef int kf_calendar_renew_fn(void *data);

/* Reads what is busy in [from, to) into busy (kf_cal_busy, sorted and merged on OK). When an
 * OAuth provider refuses the access token, renew is asked once and the read made again; a
 * renewal that fails is RETRY. */
kf_cal_outcome kf_calendar_busy_read(const kf_calendar_session *s, apr_int64_t from,
                                     apr_int64_t to, apr_array_header_t *busy,
                                     kf_calendar_renew_fn *renew, void *data, const char **why);

/* What a connection's calendar said of its busy times (kf_calendar_busy_fetch). */
typedef struct kf_calendar_busy_answer {
    kf_cal_outcome outcome;
    const char *why;
    apr_array_header_t *busy;       /* kf_cal_busy, sorted and merged on OK */
    apr_array_header_t *bookable;   /* the calendar's own hours (kf_cal_busy), when known */
    int bookable_known;
    apr_int64_t to;                 /* the end of the range read */
} kf_calendar_busy_answer;

/* Everything a sync reads of a connection whose services are booked up to horizon_days
 * ahead (kf_calendar_busy_window at `now`): its busy times (kf_calendar_busy_read, renewed
 * through `renew`) and, where the provider keeps them, the calendar's own bookable hours
 * from now on (nothing earlier can be booked). `granted` 0: the connection's access could not
 * be renewed, so nothing is asked (RETRY). */
kf_calendar_busy_answer kf_calendar_busy_fetch(const kf_calendar_session *s, int granted,
                                               apr_int64_t now, apr_int64_t horizon_days,
                                               kf_calendar_renew_fn *renew, void *data);

/* Stores a channel and its secret; 1 when stored. */
typedef int kf_calendar_store_channel_fn(const kf_cal_channel *ch, const char *secret,
                                         void *data);

typedef enum {
    KF_CAL_CHANNEL_IN_ORDER,        /* kept, renewed or opened, and stored */
    KF_CAL_CHANNEL_NOT_RENEWED,     /* the provider refused the renewal (*why) */
    KF_CAL_CHANNEL_NOT_OPENED,      /* no new channel (*why): busy times are polled */
    KF_CAL_CHANNEL_NOT_STORED       /* opened but not stored (and so not used) */
} kf_cal_channel_result;

/* Keeps the connection's channel (*ch, its *secret: NULL for none) in order at `now`
 * (kf_calendar_channel_plan): renewed in place when the provider can, else a new one opened
 * to `address` with `new_secret`; the old one is closed only once the new one is stored.
 * On IN_ORDER *ch and *secret are the channel in use. */
kf_cal_channel_result kf_calendar_channel_keep_up(const kf_calendar_session *s,
                                                  const char *address, const char *new_secret,
                                                  apr_int64_t now, kf_cal_channel *ch,
                                                  const char **secret,
                                                  kf_calendar_store_channel_fn *store,
                                                  void *data, const char **why);

/* The end of an OAuth consent: the code exchanged, with the round trip's PKCE verifier,
 * for tokens (a grant without a refresh token cannot last: FAILED) and the account's
 * address read with them. FAILED without an OAuth application (app->client_id NULL). */
kf_cal_outcome kf_calendar_oauth_finish(const kf_calendar_session *s, const kf_calendar_app *app,
                                        const char *code, const char *code_verifier,
                                        const char *redirect_uri,
                                        kf_calendar_tokens *tokens, const char **account,
                                        const char **why);

/* Keeps one of the connection's other calendars watched (kf_cal_watch): a wanted one's
 * channel kept up as kf_calendar_channel_keep_up does, on that calendar; one no longer wanted
 * (it stopped blocking, or now receives) forgotten through `store` (a channel of id NULL)
 * and then closed. */
kf_cal_channel_result kf_calendar_watch_keep_up(const kf_calendar_session *s,
                                                const char *address, const char *new_secret,
                                                apr_int64_t now, kf_cal_watch *w,
                                                kf_calendar_store_channel_fn *store, void *data,
                                                const char **why);

/* Best effort before a connection is forgotten: its channel and its other calendars'
 * (watches: kf_cal_watch, may be NULL) closed, its grant revoked when the provider can
 * (refresh_token NULL: nothing to revoke). */
void kf_calendar_let_go(const kf_calendar_session *s, const kf_cal_channel *ch,
                        const apr_array_header_t *watches, const char *refresh_token);

/* Writes the booking's event, or moves the one written (event_id); one deleted by hand is
 * written again, since the booking stands. */
kf_cal_outcome kf_calendar_event_put(const kf_calendar_session *s, const kf_cal_event *ev,
                                     const char *event_id, const char **new_id,
                                     const char **why);

/* Deletes the booking's event: OK as well when the calendar no longer has it. */
kf_cal_outcome kf_calendar_event_remove(const kf_calendar_session *s, const char *event_id,
                                        const char **why);

/* Removes an event left behind in a calendar (kf_calendar_orphans.h). `app` non-NULL: s's
 * grant is a replaced connection's secret, which an OAuth provider first turns into an access
 * token with that application (none configured: RETRY); NULL: the grant is a live
 * connection's, used as it is. */
kf_cal_outcome kf_calendar_left_behind_remove(const kf_calendar_session *s,
                                              const kf_calendar_app *app, const char *event_id,
                                              const char **why);

/* kf_calendar_event_put and kf_calendar_event_remove, made once more after `renew` when an
 * OAuth provider refused the access token (HTTP 401), as kf_calendar_busy_read; a renewal
 * that fails is RETRY. */
kf_cal_outcome kf_calendar_event_put_renewing(const kf_calendar_session *s,
                                              const kf_cal_event *ev, const char *event_id,
                                              const char **new_id, kf_calendar_renew_fn *renew,
                                              void *data, const char **why);
kf_cal_outcome kf_calendar_event_remove_renewing(const kf_calendar_session *s,
                                                 const char *event_id,
                                                 kf_calendar_renew_fn *renew, void *data,
                                                 const char **why);

/* What the event job does for an action: write (existing NULL: create) and remove. */
typedef struct kf_cal_event_steps {
    kf_cal_outcome (*write)(void *data, const char *existing);
    kf_cal_outcome (*remove)(void *data);
} kf_cal_event_steps;

/* Carries out the action on the booking's event (event_id: the one written): a create, a
 * move, a delete, or a replace (deleted from the calendar it was in, then created in the
 * new professional's). */
kf_cal_outcome kf_calendar_event_apply(kf_cal_event_action action, const char *event_id,
                                       const kf_cal_event_steps *steps, void *data);

#endif
