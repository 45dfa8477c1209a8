/* Keeping a calendar connection alive and read: when a stored access token may still be
 * used, which range of busy times is read, when a provider's refusal asks for a new token,
 * what is done about the change channel, when a failed read is tried again, and the busy
 * times as the statement storing them takes them. Pure: "now" is an argument.
 */
#ifndef KF_CALENDAR_SYNC_H
#define KF_CALENDAR_SYNC_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "kf_calendar.h"

/* An access token is renewed when it has less than this left (seconds). */
#define KF_CALENDAR_ACCESS_MARGIN 120
/* After a failed read, the next one comes this soon (the stored busy times are used
 * meanwhile). */
#define KF_CALENDAR_SYNC_RETRY_SECONDS 30
/* Busy times are read from a day back (an appointment in progress)... */
#define KF_CALENDAR_BUSY_BACK 86400
/* ...up to two days past the longest horizon of the professional's services, at most this. */
#define KF_CALENDAR_BUSY_MAX_DAYS 366

/* 1 when the stored access token (NULL: none or not opened), valid until expires_at
 * (seconds; 0: unknown), may be used at `now`: it has more than KF_CALENDAR_ACCESS_MARGIN
 * left and is not the one the provider just refused (`refused`, may be NULL). */
int kf_calendar_access_usable(const char *access, apr_int64_t expires_at, apr_int64_t now,
                              const char *refused);

/* The range [*from, *to) of busy times read for a professional whose services are booked
 * up to horizon_days ahead (outside 1..KF_CALENDAR_BUSY_MAX_DAYS: the maximum). */
void kf_calendar_busy_window(apr_int64_t now, apr_int64_t horizon_days, apr_int64_t *from,
                             apr_int64_t *to);

/* 1 when a busy read that ended in `o` with `why` should be made once more with a refreshed
 * token: an OAuth provider refused the access token (HTTP 401). */
int kf_calendar_busy_wants_new_token(const kf_calendar_provider *prov, kf_cal_outcome o,
                                     const char *why);

/* What the change channel of a connection needs. */
typedef enum {
    KF_CAL_CHANNEL_KEEP,        /* open, with its secret, and more than a day left */
    KF_CAL_CHANNEL_RENEW,       /* the provider renews in place (Graph) */
    KF_CAL_CHANNEL_OPEN         /* a new one (and the old one, if any, closed once stored) */
} kf_cal_channel_plan;

/* `secret` is the channel's opened secret (NULL: none or not opened); `calendar` the one it
 * should watch (a channel on another, since the calendar chosen changed, is replaced). */
kf_cal_channel_plan kf_calendar_channel_plan(const kf_calendar_provider *prov,
                                             const kf_cal_channel *ch, const char *secret,
                                             const char *calendar, apr_int64_t now);

/* The starts (ends = 0) or ends (ends = 1) of busy (kf_cal_busy) as a PostgreSQL bigint[]
 * literal: "{1,2,3}". */
const char *kf_calendar_busy_array(apr_pool_t *p, const apr_array_header_t *busy, int ends);

/* A connection's row (the glue's kf_cal_conn_load), column by column. */
enum {
    KF_CAL_CONN_COL_PROFESSIONAL, KF_CAL_CONN_COL_TENANT, KF_CAL_CONN_COL_PROVIDER,
    KF_CAL_CONN_COL_STATUS, KF_CAL_CONN_COL_SECRET, KF_CAL_CONN_COL_ACCESS,
    KF_CAL_CONN_COL_ACCESS_EXPIRES, KF_CAL_CONN_COL_EVENT_TYPE, KF_CAL_CONN_COL_CHANNEL,
    KF_CAL_CONN_COL_CHANNEL_RESOURCE, KF_CAL_CONN_COL_CHANNEL_SECRET,
    KF_CAL_CONN_COL_CHANNEL_EXPIRES, KF_CAL_CONN_COL_HORIZON, KF_CAL_CONN_COL_NOW,
    KF_CAL_CONN_COL_ACCOUNT, KF_CAL_CONN_COL_CALENDAR_URL,
    KF_CAL_CONN_COL_BLOCKING,   /* kf_calendar_blocking_of's JSON (NULL: nothing chosen) */
    KF_CAL_CONN_COL_TIMEZONE,   /* the professional's */
    KF_CAL_CONN_COL_CHANNEL_CALENDAR,   /* the calendar the channel watches (NULL: not known) */
    KF_CAL_CONN_COL_WATCHES,    /* kf_calendar_watches_of's JSON */
    KF_CAL_CONN_COLUMNS
};

/* A calendar of the connection other than the one that receives events, with the channel
 * of its own it has or should have: every calendar that blocks is watched, so that a change
 * in any of them reaches availability at once (the receiving one by the connection's own
 * channel). */
typedef struct kf_cal_watch {
    const char *calendar_id;
    int wanted;                 /* it blocks and does not receive: it has its own channel */
    kf_cal_channel channel;     /* id NULL: none */
    const char *secret;         /* the channel's, opened (NULL: none or not opened) */
} kf_cal_watch;

/* The connection's other calendars (kf_cal_watch) from the row's JSON: an array of
 * [calendar id, blocks, receives, channel id, resource, secret sealed, expiry seconds] for
 * each calendar that blocks or still has a channel; secrets opened with keys. Empty when
 * there is no such array. */
apr_array_header_t *kf_calendar_watches_of(apr_pool_t *p, const kf_keyring *keys,
                                           const char *professional_id, const char *json_text);

/* A connection's provider, grant and channel, secrets opened. */
typedef struct kf_calendar_conn {
    const char *professional_id;
    const char *tenant_id;
    const kf_calendar_provider *prov;
    const char *status;
    kf_calendar_endpoints ep;      /* the caller's: where this server finds the provider */
    const char *secret;            /* the refresh token (OAuth), the API key (Cal.com) or the
                                      app password (CalDAV) */
    kf_calendar_grant grant;
    kf_cal_channel channel;        /* id NULL: none; on the calendar that receives events */
    const char *channel_secret;
    apr_array_header_t *watches;   /* kf_cal_watch: the other calendars' channels */
    apr_int64_t horizon_days;      /* the longest horizon of the professional's services */
} kf_calendar_conn;

/* What a connection's row gives. */
typedef enum {
    KF_CAL_CONN_NONE,      /* no known provider, or not connected when that was asked */
    KF_CAL_CONN_LIVE,      /* its grant may be used as it is */
    KF_CAL_CONN_SHUT,      /* its API key does not open with the keyring */
    KF_CAL_CONN_STALE      /* its access token must be refreshed first (grant's NULL) */
} kf_cal_conn_state;

/* The connection of row v (KF_CAL_CONN_COLUMNS values) to prov (NULL: the row names none
 * known), its secrets opened with keys; the access token kept only while it lasts at the
 * row's now. */
kf_cal_conn_state kf_calendar_conn_of(apr_pool_t *p, const kf_keyring *keys,
                                      const char *const *v, const kf_calendar_provider *prov,
                                      int need_connected, kf_calendar_conn *conn);

/* A connection's row locked for a refresh (the glue's kf_cal_conn_lock). */
enum {
    KF_CAL_LOCK_COL_SECRET, KF_CAL_LOCK_COL_ACCESS, KF_CAL_LOCK_COL_ACCESS_EXPIRES,
    KF_CAL_LOCK_COL_STATUS, KF_CAL_LOCK_COL_NOW, KF_CAL_LOCK_COLUMNS
};

/* The access token the locked row v keeps when it may be used (whoever locked first renewed
 * it; `refused`, may be NULL, is the one the provider refused); else NULL, with *refresh the
 * refresh token to renew it with (NULL when it does not open). */
const char *kf_calendar_locked_access(apr_pool_t *p, const kf_keyring *keys,
                                      const char *professional_id, const char *const *v,
                                      const char *refused, const char **refresh);

/* A grant's secret and access token sealed for the professional's row (each NULL when not
 * given, or without a keyring). */
void kf_calendar_grant_seal(apr_pool_t *p, const kf_keyring *keys, const char *professional_id,
                            const char *secret, const char *access, const char **secret_sealed,
                            const char **access_sealed);

#endif
