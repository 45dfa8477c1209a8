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

/* `secret` is the channel's opened secret (NULL: none or not opened). */
kf_cal_channel_plan kf_calendar_channel_plan(const kf_calendar_provider *prov,
                                             const kf_cal_channel *ch, const char *secret,
                                             apr_int64_t now);

/* The starts (ends = 0) or ends (ends = 1) of busy (kf_cal_busy) as a PostgreSQL bigint[]
 * literal: "{1,2,3}". */
const char *kf_calendar_busy_array(apr_pool_t *p, const apr_array_header_t *busy, int ends);

#endif
