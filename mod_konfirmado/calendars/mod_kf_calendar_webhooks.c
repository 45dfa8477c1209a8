/* Calendar change notifications (API.md "Provider webhooks", "Calendar connection"): a
 * notification is believed only when it carries the secret of the channel it names (Google's
 * channel token, Graph's clientState, Cal.com's HMAC of the body); then the professional's
 * busy times are read again before the answer leaves (the request's database connection
 * given back while the provider answers), so the next availability request already sees
 * the change. A channel names the connection's own calendar that receives events (its
 * notices also look for changes made to our events there) or another that blocks (busy
 * times only). Anything else is 401 invalid_signature and changes nothing. */
#include "mod_kf_calendars_feature.h"
#include "mod_kf_calendars_columns.h"
#include "mod_kf_calendar.h"
#include "mod_kf_config.h"
#include "mod_kf_ratelimit.h"
#include "kf_calendar_outside.h"
#include "kf_calendar_providers.h"
#include "kf_crypto.h"
#include "kf_query.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>


const kfm_sql kfm_calendar_webhooks_sql[] = {
    /* provider, channel id, provider, channel id: the connection's own channel (on the
     * calendar that receives events), or one of its other blocking calendars' */
    {"kf_cal_channel_find",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_CHANNEL_COLUMNS) " FROM ("
     "   SELECT professional_id, channel_secret_sealed, true AS receiver"
     "   FROM calendar_connections"
     "   WHERE provider = %s AND channel_id = %s AND status = 'connected'"
     " UNION ALL"
     "   SELECT w.professional_id, w.channel_secret_sealed, false FROM calendar_choices w"
     "   JOIN calendar_connections c ON c.professional_id = w.professional_id"
     "   WHERE c.provider = %s AND w.channel_id = %s AND c.status = 'connected') x"},
    /* tenant, provider: its connections there and their webhook secrets */
    {"kf_cal_tenant_channels",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_CHANNEL_COLUMNS) " FROM ("
     "   SELECT professional_id, channel_secret_sealed, true AS receiver"
     "   FROM calendar_connections"
     "   WHERE tenant_id = %s::uuid AND provider = %s AND status = 'connected'"
     "     AND channel_secret_sealed IS NOT NULL) x"},
    /* professional, provider, its event id (Cal.com's uid): the booking of ours written
     * there as that booking, whether it is booked, and whether its event is in step (no
     * change of ours in flight) */
    {"kf_cal_outside_booking",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_OUTSIDE_COLUMNS)
     " FROM calendar_events e JOIN reservations r ON r.id = e.reservation_id"
     " WHERE e.professional_id = %s::uuid AND e.provider = %s AND e.event_id = %s"},
    /* reservation: its event was cancelled there, nothing is left to delete */
    {"kf_cal_outside_cancelled",
     "UPDATE calendar_events SET event_id = NULL, professional_id = NULL, provider = NULL,"
     " written_start = NULL, written_end = NULL, last_error = NULL, updated_at = now()"
     " WHERE reservation_id = %s::uuid"},
    /* new uid, its start (seconds), reservation: the event is the booking that replaced it
     * there, at the booking's length */
    {"kf_cal_outside_adopt",
     "UPDATE calendar_events e SET event_id = %s, written_start = to_timestamp(%s::bigint),"
     " written_end = to_timestamp(%s::bigint) + (r.ends_at - r.starts_at), last_error = NULL,"
     " updated_at = now() FROM reservations r"
     " WHERE e.reservation_id = %s::uuid AND r.id = e.reservation_id"},
    {"kf_cal_sync_due_now",
     "UPDATE calendar_connections SET sync_due_at = now() WHERE professional_id = %s::uuid"},
    {NULL, NULL},
};


/* The professional of a channel when `secret` is that channel's, else NULL; *receiver: it
 * watches the calendar that receives events (else another one that blocks). */
static const char *verified_channel(kfm_req *kr, const kf_calendar_provider *prov,
                                    const char *channel_id, const char *secret, int *receiver)
{
    kfm_rows *res = NULL;
    const char *args[] = {prov->name, channel_id, prov->name, channel_id};
    *receiver = 0;
    if (!channel_id || !secret ||
        kfm_db_select(kr->r, kr->db, "kf_cal_channel_find", &res, 4, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return NULL;
    }
    const char *v[KF_CAL_CHANNEL_COLUMNS];
    kfm_db_row(kr->db, kr->r->pool, res, 0, v, KF_CAL_CHANNEL_COLUMNS);
    *receiver = kf_text_true(v[KF_CAL_CHANNEL_RECEIVER]);
    return kf_calendar_channel_owner(kr->r->pool, kr->conf->keyring, v, secret);
}

/* Reads the busy times now with the request's connection given back meanwhile; when the
 * provider cannot answer (or no connection can be taken again), the sync job reads them. */
static void refresh_now(kfm_req *kr, const char *professional_id)
{
    if (kr->db && kfm_calendar_refresh_request(kr, professional_id, NULL) == APR_EGENERAL &&
        kr->db) {
        const char *args[] = {professional_id};
        kfm_db_exec(kr->r, kr->db, "kf_cal_sync_due_now", NULL, 1, args);
    }
}


/* The event is now the booking that replaced it in Cal.com (written first: the move that
 * follows then finds it in step and asks nothing of Cal.com). */
static apr_status_t adopt(kfm_req *kr, const char *booking_id, const kf_calcom_change *ch)
{
    const char *start = kfm_db_int64(kr->r->pool, ch->start);
    const char *args[] = {ch->uid, start, start, booking_id};
    return kfm_db_exec(kr->r, kr->db, "kf_cal_outside_adopt", NULL, 4, args);
}

/* A booking of ours that the professional cancelled or moved in Cal.com is cancelled or
 * moved here too. */
static void reflect_outside_change(kfm_req *kr, const char *professional_id, const char *body,
                                   apr_size_t len)
{
    kf_calcom_change ch;
    const char *uid = kf_calendar_calcom_change(kr->r->pool, body, len, &ch)
                          ? kf_calendar_calcom_change_target(&ch) : NULL;
    kfm_rows *res = NULL;
    const char *args[] = {professional_id, kf_calendar_calcom.name, uid};
    if (!uid || kfm_db_select(kr->r, kr->db, "kf_cal_outside_booking", &res, 3, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return;
    }
    const char *v[KF_CAL_OUTSIDE_COLUMNS];
    kfm_db_row(kr->db, kr->r->pool, res, 0, v, KF_CAL_OUTSIDE_COLUMNS);
    kf_cal_outside_facts f = kf_calendar_outside_facts_of(v);
    const char *booking = v[KF_CAL_OUTSIDE_COL_BOOKING];
    switch (kf_calendar_outside_action(&ch, &f)) {
    case KF_CAL_OUTSIDE_CANCEL:
        /* gone there already: the cancellation's event job has nothing to delete */
        if (kfm_db_exec(kr->r, kr->db, "kf_cal_outside_cancelled", NULL, 1, &booking) != APR_SUCCESS ||
            kfm_calendar_cancel_outside(kr, booking, "Cancelled in Cal.com") != APR_SUCCESS) {
            kfm_log(kr, APLOG_ERR, "booking %s was cancelled in Cal.com but not here", booking);
        }
        break;
    case KF_CAL_OUTSIDE_MOVE: {
        apr_status_t rv = adopt(kr, booking, &ch);
        if (rv == APR_SUCCESS) {
            rv = kfm_calendar_move_outside(kr, booking, ch.start, "Moved in Cal.com");
        }
        if (rv == APR_EBUSY) {
            /* the booking stands where it is: the event job writes it back there */
            kfm_ctx c = kfm_ctx_of_request(kr->r);
            kfm_calendar_event_queue(&c, kr->db, booking);
        }
        if (rv != APR_SUCCESS) {
            kfm_log(kr, APLOG_WARNING, "booking %s was moved in Cal.com but not here (%s)", booking,
                    rv == APR_EBUSY ? "the time is taken here" : "not written");
        }
        break;
    }
    case KF_CAL_OUTSIDE_ADOPT:
        adopt(kr, booking, &ch);
        break;
    case KF_CAL_OUTSIDE_NOTHING:
        break;
    }
}

static int reply_received(kfm_req *kr, int status)
{
    return kfm_reply_json(kr, status, json_pack("{s:b}", "received", 1));
}

int kfm_handle_webhook_google(kfm_req *kr)
{
    const char *buf = NULL;
    apr_size_t len = 0;
    if (kfm_read_body(kr, &buf, &len) != APR_SUCCESS) {
        return OK;
    }
    apr_table_t *h = kr->r->headers_in;
    int receiver = 0;
    const char *professional_id = verified_channel(kr, &kf_calendar_google, apr_table_get(h, "X-Goog-Channel-ID"),
                                                   apr_table_get(h, "X-Goog-Channel-Token"),
                                                   &receiver);
    if (!professional_id) {
        return kfm_reply_bad_signature(kr);
    }
    if (kf_calendar_google_notice_changes(apr_table_get(h, "X-Goog-Resource-State"))) {
        /* "exists" / "not_exists": something changed in the calendar; our events live only
         * in the one that receives them */
        refresh_now(kr, professional_id);
        if (receiver) {
            kfm_calendar_outside_check(kr, professional_id);
        }
    }
    return reply_received(kr, HTTP_OK);
}

/* Graph's subscription handshake: the token, URL-decoded, as text/plain within 10 s. */
static int validation_echo(kfm_req *kr, const char *token)
{
    request_rec *r = kr->r;
    apr_size_t len = strlen(token);
    if (!kf_calendar_graph_validation_token_ok(token)) {
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "validation_failed");
    }
    r->status = HTTP_OK;
    ap_set_content_type(r, "text/plain; charset=utf-8");
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(token, (int)len, r);
    }
    return OK;
}

/* Who Graph's notices are for, and which of them named a subscription on the calendar
 * that receives events (their owners in `receivers`). */
typedef struct graph_notices {
    kfm_req *kr;
    apr_table_t *receivers;
} graph_notices;

static const char *graph_owner(const kf_cal_notice *n, void *data)
{
    graph_notices *g = data;
    int receiver = 0;
    const char *who = verified_channel(g->kr, &kf_calendar_microsoft, n->channel_id, n->secret,
                                       &receiver);
    if (who && receiver) {
        apr_table_setn(g->receivers, who, "1");
    }
    return who;
}

int kfm_handle_webhook_microsoft(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *buf = NULL;
    apr_size_t len = 0;
    if (kfm_read_body(kr, &buf, &len) != APR_SUCCESS) {
        return OK;
    }
    /* form-decoded ('+' is a space): Graph encodes its token that way */
    apr_table_t *q = NULL;
    const char *bad = NULL;
    kf_query_parse(r->pool, r->args, &q, &bad);
    const char *token = q ? apr_table_get(q, "validationToken") : NULL;
    if (token) {
        return validation_echo(kr, token);
    }
    graph_notices g = {kr, apr_table_make(r->pool, 2)};
    apr_array_header_t *changed = kf_calendar_graph_changed(r->pool, buf, len, graph_owner, &g);
    if (!changed) {
        return kfm_reply_bad_signature(kr);
    }
    for (int i = 0; i < changed->nelts; i++) {
        const char *professional_id = APR_ARRAY_IDX(changed, i, const char *);
        refresh_now(kr, professional_id);
        if (apr_table_get(g.receivers, professional_id)) {
            kfm_calendar_outside_check(kr, professional_id);
        }
    }
    return reply_received(kr, HTTP_ACCEPTED);
}

int kfm_handle_webhook_calcom(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *buf = NULL;
    apr_size_t len = 0;
    if (kfm_read_body(kr, &buf, &len) != APR_SUCCESS) {
        return OK;
    }
    const char *tenant = apr_table_get(kr->params, "tenant");
    const char *signature = apr_table_get(r->headers_in, "X-Cal-Signature-256");
    kfm_rows *res = NULL;
    const char *args[] = {tenant, kf_calendar_calcom.name};
    if (!kf_is_uuid(tenant) || !signature ||
        kfm_db_select(r, kr->db, "kf_cal_tenant_channels", &res, 2, args) != APR_SUCCESS) {
        return kfm_reply_bad_signature(kr);
    }
    int n = kfm_db_rows(kr->db, res);
    for (int i = 0; i < n; i++) {
        const char *v[KF_CAL_CHANNEL_COLUMNS];
        kfm_db_row(kr->db, r->pool, res, i, v, KF_CAL_CHANNEL_COLUMNS);
        const char *secret = kf_calendar_channel_secret(r->pool, kr->conf->keyring, v);
        if (kf_calendar_calcom_signature_ok(r->pool, secret, buf, len, signature)) {
            reflect_outside_change(kr, v[KF_CAL_CHANNEL_PROFESSIONAL], buf, len);
            refresh_now(kr, v[KF_CAL_CHANNEL_PROFESSIONAL]);
            return reply_received(kr, HTTP_OK);
        }
    }
    return kfm_reply_bad_signature(kr);
}
