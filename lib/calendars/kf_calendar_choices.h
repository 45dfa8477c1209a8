/* Which of a professional's calendars count (API.md "Which calendars count"): the ones that
 * block availability and the one that receives the bookings' events, kept per connection.
 * The provider's list is merged with what was chosen before: a calendar keeps its choice,
 * a new one counts only when nothing was chosen yet and it is the primary (the default:
 * the primary blocks and receives), and exactly one calendar always receives. A calendar the
 * account may only read never receives while one it may write exists: the receiver is then
 * the primary, else the first writable one; with none writable, the primary stays the
 * receiver (its "writable": false tells that events cannot be written). A connection
 * whose provider has no list (Cal.com), or that was made before the list could be read, is
 * its one calendar. Pure: no I/O.
 */
#ifndef KF_CALENDAR_CHOICES_H
#define KF_CALENDAR_CHOICES_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "kf_calendar.h"
#include "kf_fields.h"

/* A connection's calendars read again from the provider at most this often (seconds). */
#define KF_CALENDAR_LIST_MAX_AGE 60
/* At most this many calendars are kept for one connection. */
#define KF_CALENDAR_CHOICES_MAX 100

/* A stored choice's row (the glue's kf_cal_choices_load), column by column. */
enum {
    KF_CAL_CHOICE_COL_ID, KF_CAL_CHOICE_COL_NAME, KF_CAL_CHOICE_COL_PRIMARY,
    KF_CAL_CHOICE_COL_TIMEZONE, KF_CAL_CHOICE_COL_BLOCKS, KF_CAL_CHOICE_COL_RECEIVES,
    KF_CAL_CHOICE_COL_WRITABLE, KF_CAL_CHOICE_COLUMNS
};

/* The stored rows as calendars (kf_cal_calendar), in their order. */
apr_array_header_t *kf_calendar_choices_of(apr_pool_t *p, const char *const *const *rows, int n);

/* The connection's calendars: `listed` (kf_cal_calendar, NULL when the provider has no list
 * or could not give it) with the choices `stored` kept. Without a list, the stored ones;
 * without those either, the connection's one calendar (`only_id`, named `only_name`), which
 * blocks and receives. At most KF_CALENDAR_CHOICES_MAX. */
apr_array_header_t *kf_calendar_choices_merge(apr_pool_t *p, const apr_array_header_t *listed,
                                              const apr_array_header_t *stored,
                                              const char *only_id, const char *only_name);

/* A change asked for: {"calendars": [{"id", "blocks"?, "receives_events"?}...]} applied to
 * `current` (a calendar not named keeps its choice). The new list, or NULL with the reasons
 * in f: an id the connection does not have, a value that is not a boolean, a calendar the
 * account may only read made to receive events, not exactly one calendar receiving events. */
apr_array_header_t *kf_calendar_choices_apply(kf_fields *f, const json_t *body,
                                              const apr_array_header_t *current);

/* The calendar that receives events (NULL: none). */
const kf_cal_calendar *kf_calendar_choices_receiver(const apr_array_header_t *calendars);

/* The calendar new events are written to as the connection keeps it (its calendar_url, the
 * grant's calendar_id): the receiver's id; NULL for the primary of a provider that finds
 * its primary by itself (Google's and Outlook's "primary"). A provider whose connections
 * name their own server (CalDAV) has no such default: its calendars are addresses there,
 * and the connection always names the one it writes to. */
const char *kf_calendar_choices_written_to(const kf_calendar_provider *prov,
                                           const apr_array_header_t *calendars);

/* The calendars that block, as the grant takes them (kf_calendar_grant.blocking). */
apr_array_header_t *kf_calendar_choices_blocking(apr_pool_t *p, const apr_array_header_t *calendars);

/* The stored blocking calendars as a connection's row carries them (a JSON array of
 * [id, zone|null]; NULL: nothing chosen yet, the connection's one calendar counts). NULL
 * when there is no row or it is not such an array. */
apr_array_header_t *kf_calendar_blocking_of(apr_pool_t *p, const char *json_text);

/* {"calendars": [{"id", "name", "primary", "writable", "blocks", "receives_events"}...]} */
json_t *kf_calendar_choices_json(const apr_array_header_t *calendars);

#endif
