#ifndef MOD_KF_CALENDAR_H
#define MOD_KF_CALENDAR_H
/* Professionals' calendars (API.md "Calendar connection"), the glue around lib/calendars/kf_calendar.h:
 *   mod_kf_calendar_connect.c   invitations, OAuth start/callback, Cal.com key, CalDAV
 *                               server and password, disconnect
 *   mod_kf_calendar_sync.c      a connection's grant (tokens refreshed under a row lock),
 *                               busy times read and stored, change channels
 *   mod_kf_calendar_sync_job.c  the sync job: each connection due read, and a calendar that
 *                               tells of no change checked for changes made outside
 *   mod_kf_calendar_webhooks.c  Google, Microsoft and Cal.com notifications
 *   mod_kf_calendar_events.c    the booking's event written, moved, deleted (event job)
 * Availability reads the stored busy times in its one statement (mod_kf_availability_facts.c). */
#include "mod_kf_db.h"
#include "mod_kf_request.h"
#include "mod_kf_sql.h"
#include "kf_calendar.h"
#include "kf_calendar_steps.h"
#include "kf_calendar_sync.h"
#include "kf_json.h"

/* A professional's calendar as the admin API shows it (API.md), one JSON text column: the
 * professional is `p`; kf_calendar_view (kf_calendar_views.h) turns it into the object.
 * needs_reconnect: the provider refused our access for good (status error); only a new
 * invitation connects it again. */
#define KFM_SQL_CALENDAR_JSON(p)                                                             \
    "(SELECT json_build_object('provider', NULLIF(" p ".calendar_provider, 'none'),"        \
    "   'status', " p ".calendar_status, 'account', cc.account,"                           \
    "   'last_sync_at', " KFM_SQL_RFC3339("cc.synced_at") ", 'error', cc.sync_error,"       \
    "   'needs_reconnect', COALESCE(cc.status = 'error', false),"                          \
    "   'event_type_id', cc.event_type_id)"                                                  \
    "  FROM (SELECT 1) one LEFT JOIN calendar_connections cc"                               \
    "    ON cc.professional_id = " p ".id)::text"


/* The provider's endpoints (the KonfirmadoProviderURL names of its description override
 * the defaults) and the operator's OAuth application its description names (id NULL when
 * not configured or none). */
kf_calendar_endpoints kfm_calendar_endpoints(const kfm_ctx *c, const kf_calendar_provider *prov);
kf_calendar_app kfm_calendar_app(const kfm_ctx *c, const kf_calendar_provider *prov);

/* The HTTP client a provider is called with: the provider client (kfm_provider_http), or, for
 * a CalDAV server the professional named, one that refuses the server's own networks unless
 * KonfirmadoOutboundAllow lets them, and plain http only with KonfirmadoAllowInsecureURLs. */
kf_http_client *kfm_calendar_http(const kfm_ctx *c, const kf_calendar_provider *prov);

/* Reads the professional's busy times from the provider now and stores them (a notification,
 * a hold with old busy times): kr->db, when the request's own, is given back while the
 * provider answers and taken again to store what it said (APR_EGENERAL with kr->db NULL when
 * none can be). APR_SUCCESS when read (*changed: they differ from the stored ones; may be
 * NULL); APR_ENOENT when there is no connected calendar; another status when the provider
 * failed (recorded on the connection, retried by the job). */
apr_status_t kfm_calendar_refresh_request(kfm_req *kr, const char *professional_id,
                                          int *changed);

/* The busy times read and stored, then the connection's change channels opened (or renewed)
 * when it has none or they expire within a day (its own, and one on each other calendar
 * that blocks), with one load of the connection. 1 when the
 * channel is in order; failures are logged and retried by the sync job. */
int kfm_calendar_sync(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id);

/* The same for a request (a calendar just connected), the request's connection given back
 * while the provider answers, as kfm_calendar_refresh_request. */
int kfm_calendar_sync_request(kfm_req *kr, const char *professional_id);

/* The change channels alone, for a request that changed which calendars count: the
 * connection's own on the calendar that receives events, one on each other calendar that
 * blocks, and one closed on a calendar that stopped blocking (the request's connection given
 * back while the provider answers). 1 when the connection's own is in order; 0 as well when
 * no database connection could be taken back (kr->db NULL). */
int kfm_calendar_channels_request(kfm_req *kr, const char *professional_id);

/* Loads the connection and opens a live grant (refreshing the access token when needed).
 * APR_SUCCESS; APR_ENOENT: no connection (or not connected when need_connected);
 * APR_EACCES: the grant was refused for good (the connection is now in error, the tenant
 * mailed); another error: the provider could not be reached or a secret not opened. */
apr_status_t kfm_calendar_conn_open(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id,
                                    int need_connected, kf_calendar_conn *conn);

/* A new access token for conn, the provider having refused the one it had (HTTP 401): the
 * refresh token is used once, under the connection's row lock. APR_SUCCESS; APR_EACCES when
 * the refresh was refused (the connection needs reconnecting: it is in error, the tenant and
 * the professional mailed); another error when the provider could not be reached. */
apr_status_t kfm_calendar_conn_renew(const kfm_ctx *c, ap_dbd_t *db, kf_calendar_conn *conn);

/* The connection as the provider calls of kf_calendar_steps.h take it (lives as long as conn). */
kf_calendar_session kfm_calendar_session(const kfm_ctx *c, kf_calendar_conn *conn);

/* The booking's event should follow the booking (it became paid, moved or cancelled): the
 * event job will create, move or delete it. Call in the transaction of the change. */
apr_status_t kfm_calendar_event_queue(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id);

/* Hand-off hook kfm_calendars_when_changed_outside, handed by the changes feature (a
 * kfm_handoff of its descriptor), so that calendars know no booking state; the webhooks of
 * Cal.com call it.
 * A booking of ours cancelled in its professional's own calendar (Cal.com), with a note for
 * its history. Runs its own transaction on kr->db; APR_SUCCESS also when there is nothing to
 * do. */
typedef apr_status_t kfm_calendar_cancelled_outside_fn(kfm_req *kr, const char *booking_id,
                                                       const char *note);
/* One moved there to `start` (seconds; it keeps its length). APR_EBUSY when the time is
 * taken here (nothing changed). */
typedef apr_status_t kfm_calendar_moved_outside_fn(kfm_req *kr, const char *booking_id,
                                                   apr_int64_t start, const char *note);
void kfm_calendars_when_changed_outside(kfm_calendar_cancelled_outside_fn *cancelled,
                                        kfm_calendar_moved_outside_fn *moved);
/* A booking moved to `start`, or cancelled, through that hand-off (Cal.com's webhooks, the
 * merchant accepting a move made in the professional's calendar); APR_ENOTIMPL before the
 * changes feature handed it. */
apr_status_t kfm_calendar_move_outside(kfm_req *kr, const char *booking_id, apr_int64_t start,
                                       const char *note);
apr_status_t kfm_calendar_cancel_outside(kfm_req *kr, const char *booking_id, const char *note);

/* Changes made outside (mod_kf_calendar_outside.c): the professional's upcoming events of
 * ours read again after their calendar told of a change, and the bookings whose event was
 * deleted or moved there flagged (or the flag cleared when it was put back). Failures leave
 * the flags as they were. */
void kfm_calendar_outside_check(kfm_req *kr, const char *professional_id);
/* The same from a job, on its own connection, for a calendar that tells of no change
 * (kf_calendar_outside_polled: CalDAV); nothing for the others, whose notices say when. */
void kfm_calendar_outside_check_job(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id);
/* The booking's flag as the admin API shows it (API.md "calendar_changed"): an object, or
 * JSON null. */
json_t *kfm_calendar_outside_view(kfm_req *kr, ap_dbd_t *db, const char *reservation_id);

/* Events left behind (mod_kf_calendar_orphans.c), in the caller's transaction: a connection
 * to (provider, account) replacing the professional's (a CalDAV account: "<user> <calendar
 * URL>") leaves every event written in the
 * replaced calendar behind, to be removed from it, and has them written anew; an event whose
 * delete the calendar refused for good is left behind with the reason. */
apr_status_t kfm_calendar_orphans_on_connect(const kfm_ctx *c, ap_dbd_t *db,
                                             const char *professional_id, const char *provider,
                                             const char *account);
apr_status_t kfm_calendar_orphan_event(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                       const char *why);

/* The booking's event as the admin booking detail shows it (NULL when none was wanted). */
json_t *kfm_calendar_event_view(kfm_req *kr, ap_dbd_t *db, const char *reservation_id);


#endif
