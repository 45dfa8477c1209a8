/* Events left behind in a calendar (sql/048): written for a booking, no longer wanted
 * there, not deleted yet, because the professional's connection was replaced by another
 * calendar or because the calendar refused the delete for good. When a connection counts
 * as replaced, how an orphan's removal is retried, and what the merchant is shown. Pure.
 */
#ifndef KF_CALENDAR_ORPHANS_H
#define KF_CALENDAR_ORPHANS_H

#include <apr_pools.h>

#include "kf_calendar.h"
#include "kf_json.h"

/* An orphan's removal is tried this many times (30 s doubling up to an hour) before it waits
 * for the merchant. */
#define KF_CALENDAR_ORPHAN_MAX_ATTEMPTS 8

/* 1 when a new connection (provider, account) replaces a calendar that holds our events:
 * another provider or another account (NULL old provider: there was none, 0). The same
 * calendar connected again keeps them. */
int kf_calendar_connection_replaced(const char *old_provider, const char *old_account,
                                    const char *new_provider, const char *new_account);

/* After attempt number `attempts` ended in `o`: 0 when the event is gone (OK), the seconds
 * before the next attempt, or -1 when the merchant decides from now on (the calendar
 * refused our access, or every attempt failed). */
int kf_calendar_orphan_retry_in(kf_cal_outcome o, int attempts);

/* The grant of the calendar a replaced connection left an orphan in, from the connection's
 * secret kept with the orphan (sealed for the professional): an OAuth refresh token (turned
 * into an access token when the removal is made: kf_calendar_left_behind_remove), an API key,
 * or a CalDAV app password with its `account` (that user on that calendar) and
 * `calendar_url` (NULL: "primary"). KF_CAL_OK with *g set, or KF_CAL_REVOKED with *why when
 * the secret does not open. */
kf_cal_outcome kf_calendar_orphan_replaced_grant(apr_pool_t *p, const kf_keyring *keys,
                                                 const char *professional_id,
                                                 const char *secret_sealed, const char *account,
                                                 const char *calendar_url, kf_calendar_grant *g,
                                                 const char **why);

/* Columns of the statements that list orphans (the glue's kf_cal_orphans_list). */
enum {
    KF_CAL_ORPHAN_ID, KF_CAL_ORPHAN_PROFESSIONAL, KF_CAL_ORPHAN_PROFESSIONAL_NAME,
    KF_CAL_ORPHAN_PROVIDER, KF_CAL_ORPHAN_ACCOUNT, KF_CAL_ORPHAN_EVENT_ID, KF_CAL_ORPHAN_START,
    KF_CAL_ORPHAN_END, KF_CAL_ORPHAN_BOOKING, KF_CAL_ORPHAN_ATTEMPTS, KF_CAL_ORPHAN_DUE,
    KF_CAL_ORPHAN_ERROR, KF_CAL_ORPHAN_CREATED, KF_CAL_ORPHAN_COLUMNS
};

/* {"id", "professional": {"id", "name"}, "provider", "account", "event_id", "start", "end",
 *  "booking_id", "status": "retrying" | "failed", "attempts", "error", "created_at"}
 * (a new reference). */
json_t *kf_calendar_orphan_json(const char *const *row);

#endif
