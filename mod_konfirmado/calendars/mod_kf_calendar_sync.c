/* A calendar connection kept alive and read (see mod_kf_calendar.h): the grant (an access
 * token refreshed under the connection's row lock, because Microsoft rotates refresh tokens
 * and two refreshes at once would revoke each other), the busy times read from the provider
 * and stored in one row, and the change channel opened and renewed (the sync job,
 * mod_kf_calendar_sync_job.c, does both at most every KonfirmadoCalendarRefresh seconds per
 * connection). */
#include "mod_kf_calendar.h"
#include "mod_kf_calendars_columns.h"
#include "mod_kf_calendars_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_calendars_conf.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_config.h"
#include "mod_kf_mail.h"
#include "kf_crypto.h"
#include "kf_email.h"
#include "kf_text.h"
#include "kf_calendar_links.h"
#include "kf_calendar_providers.h"
#include "kf_calendar_sync.h"
#include "kf_calendar_views.h"

#include <apr_strings.h>
#include <string.h>

const kfm_sql kfm_calendar_sql[] = {
    {"kf_cal_conn_load",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_CONN_COLUMNS)
     " FROM calendar_connections c WHERE c.professional_id = %s::uuid"},
    {"kf_cal_conn_lock",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_LOCK_COLUMNS)
     " FROM calendar_connections WHERE professional_id = %s::uuid FOR UPDATE"},
    /* access token sealed, its seconds, the rotated refresh token sealed (NULL: kept), id */
    {"kf_cal_tokens_store",
     "UPDATE calendar_connections SET access_sealed = %s,"
     " access_expires_at = now() + make_interval(secs => %s::int),"
     " secret_sealed = COALESCE(%s, secret_sealed), updated_at = now()"
     " WHERE professional_id = %s::uuid"},
    /* id, reason, id: the grant refused; the first time, who to tell */
    {"kf_cal_mark_error",
     "WITH old AS (SELECT professional_id, error_mailed_at FROM calendar_connections"
     "   WHERE professional_id = %s::uuid FOR UPDATE),"
     " upd AS (UPDATE calendar_connections c SET status = 'error', sync_error = %s,"
     "   error_mailed_at = COALESCE(old.error_mailed_at, now()), access_sealed = NULL,"
     "   updated_at = now() FROM old WHERE c.professional_id = old.professional_id"
     "   RETURNING c.tenant_id, c.provider, old.error_mailed_at IS NULL AS first),"
     " pro AS (UPDATE professionals p SET calendar_status = 'error', updated_at = now()"
     "   FROM upd WHERE p.id = %s::uuid RETURNING p.name, p.email),"
     " counted AS (INSERT INTO metrics_incidents (tenant_id, professional_id, kind)"
     "   SELECT upd.tenant_id, old.professional_id, 'oauth_failure' FROM upd, old)"
     " SELECT " KFM_SQL_COLUMNS(KFM_CAL_ERROR_COLUMNS)
     " FROM upd, pro, tenants t WHERE t.id = upd.tenant_id"},
    /* id, starts (bigint[]), ends, whether the calendar keeps bookable hours, their starts
     * and ends, window end, refresh seconds, id */
    {"kf_cal_busy_store",
     "WITH old AS (SELECT busy, bookable FROM calendar_connections"
     "   WHERE professional_id = %s::uuid FOR UPDATE),"
     " new AS (SELECT COALESCE(range_agg(tstzrange(to_timestamp(u.s), to_timestamp(u.e))),"
     "   '{}'::tstzmultirange) AS busy FROM unnest(%s::bigint[], %s::bigint[]) AS u(s, e)),"
     " bk AS (SELECT CASE WHEN %s::boolean THEN COALESCE(range_agg(tstzrange(to_timestamp(v.s),"
     "   to_timestamp(v.e))), '{}'::tstzmultirange) END AS bookable"
     "   FROM unnest(%s::bigint[], %s::bigint[]) AS v(s, e))"
     " UPDATE calendar_connections c SET busy = new.busy, bookable = bk.bookable,"
     "  busy_until = to_timestamp(%s::bigint), synced_at = now(),"
     "  sync_due_at = now() + make_interval(secs => %s::int), sync_error = NULL,"
     "  updated_at = now()"
     " FROM old, new, bk WHERE c.professional_id = %s::uuid AND c.status = 'connected'"
     " RETURNING old.busy IS DISTINCT FROM new.busy OR old.bookable IS DISTINCT FROM bk.bookable"},
    /* error, retry seconds, id; a connection put in error on the way (its refresh refused
     * while the read was retried with a new token) keeps the refusal's reason; each failure
     * is one of the merchant's metrics */
    {"kf_cal_sync_failed",
     "WITH upd AS (UPDATE calendar_connections SET sync_error = %s,"
     " sync_due_at = now() + make_interval(secs => %s::int), updated_at = now()"
     " WHERE professional_id = %s::uuid AND status = 'connected' RETURNING tenant_id, professional_id)"
     " INSERT INTO metrics_incidents (tenant_id, professional_id, kind)"
     " SELECT tenant_id, professional_id, 'calendar_failure' FROM upd"},
    /* channel id, resource, secret sealed, expiry (seconds, NULL: none), the calendar it
     * watches, id */
    {"kf_cal_channel_store",
     "UPDATE calendar_connections SET channel_id = %s, channel_resource = %s,"
     " channel_secret_sealed = %s, channel_expires_at = to_timestamp(%s::bigint),"
     " channel_calendar = %s, updated_at = now() WHERE professional_id = %s::uuid"},
    /* the same for another calendar that blocks (id NULL: it has none now): ..., id,
     * calendar */
    {"kf_cal_watch_store",
     "UPDATE calendar_choices SET channel_id = %s, channel_resource = %s,"
     " channel_secret_sealed = %s, channel_expires_at = to_timestamp(%s::bigint)"
     " WHERE professional_id = %s::uuid AND calendar_id = %s"},
    {"kf_cal_sync_release",
     "UPDATE calendar_connections SET sync_lease_until = NULL WHERE professional_id = %s::uuid"},
    {NULL, NULL},
};

/* ---------------------------------------------------------------- where providers live */

static const char *provider_url(const char *name, const char *fallback, void *conf)
{
    return kfm_conf_provider_url(conf, name, fallback);
}

kf_calendar_endpoints kfm_calendar_endpoints(const kfm_ctx *c, const kf_calendar_provider *prov)
{
    return kf_calendar_endpoints_of(prov, provider_url, (void *)c->conf);
}

static const kfm_calendars_client oauth_clients[] = {
    KFM_CALENDARS_DIRECTIVES(KFM_CALENDARS_CLIENT_, kfm_calendars_conf) {NULL, 0},
};

kf_calendar_app kfm_calendar_app(const kfm_ctx *c, const kf_calendar_provider *prov)
{
    const kfm_calendars_conf *conf = kfm_calendars_conf_of(c->s);
    kf_calendar_app app = {NULL, NULL};
    for (int i = 0; prov->oauth_client && oauth_clients[i].directive; i++) {
        if (strcmp(oauth_clients[i].directive, prov->oauth_client) == 0) {
            const kfm_oauth_client *client =
                (const kfm_oauth_client *)((const char *)conf + oauth_clients[i].offset);
            app.client_id = client->id;
            app.client_secret = client->secret;
        }
    }
    return app;
}

static const char *webhook_url(const kfm_ctx *c, const kf_calendar_provider *prov,
                               const char *tenant_id)
{
    return kf_calendar_webhook_url(c->p, kfm_conf_public_url(c->conf), prov, tenant_id);
}

kf_http_client *kfm_calendar_http(const kfm_ctx *c, const kf_calendar_provider *prov)
{
    if (!prov->professional_server) {
        return kfm_provider_http(c);
    }
    /* a server the professional named: never one of ours, https unless the operator says */
    const kfm_server_conf *conf = c->conf;
    kf_http_client *http = kf_http_curl_client_create(c->p);
    kf_http_filter_addresses(http, conf->outbound_allow);
    if (kfm_conf_allow_insecure_urls(conf) == 1) {
        kf_http_allow_insecure_prefix(http, "http://");
    }
    return http;
}

/* ---------------------------------------------------------------- the grant */

/* The professional's own way back, on the first refusal: a new invitation (the one before it
 * is dropped), mailed to them when they have an address; in the caller's transaction. */
static apr_status_t invite_to_reconnect(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id,
                                        const char *reason, const char *const *v, kf_locale locale)
{
    const char *to = v[KFM_CAL_ERR_PROFESSIONAL_EMAIL];
    if (!to || !kf_email_valid(to)) {
        return APR_SUCCESS;   /* the tenant's mail is the way back: the dashboard invites */
    }
    const char *token = kf_random_token(c->p, 32);
    const char *args[] = {professional_id, v[KF_CAL_ERR_TENANT],
                          kf_sha256_hex(c->p, token, strlen(token)),
                          apr_itoa(c->p, KF_CALENDAR_INVITATION_SECONDS)};
    kfm_rows *res = NULL;
    if (kfm_db_select(c->r, db, "kf_cal_invite_create", &res, 4, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(db, res) != 1) {
        return APR_SUCCESS;   /* archived meanwhile: nobody to invite */
    }
    json_t *vars = kf_calendar_reconnect_mail_vars(c->p, v[KF_CAL_ERR_PROFESSIONAL],
                                                   v[KF_CAL_ERR_PROVIDER], reason,
                                                   v[KF_CAL_ERR_BUSINESS],
                                                   kfm_conf_public_url(c->conf), token);
    return kfm_mail_queue_invite(c, db, v[KF_CAL_ERR_TENANT], to, "calendar_reconnect", locale,
                                 vars, NULL, NULL);
}

static apr_status_t mark_error(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id,
                               const char *reason)
{
    kfm_tx tx;
    kfm_rows *res = NULL;
    const char *args[] = {professional_id, reason, professional_id};
    if (kfm_db_begin(c->r, db, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    apr_status_t rv = kfm_db_select(c->r, db, "kf_cal_mark_error", &res, 3, args);
    const char *v[KFM_CAL_ERR_COLUMNS] = {NULL};
    if (rv == APR_SUCCESS && kfm_db_rows(db, res) == 1) {
        kfm_db_row(db, c->p, res, 0, v, KFM_CAL_ERR_COLUMNS);
    }
    int first = rv == APR_SUCCESS && kf_text_true(v[KF_CAL_ERR_FIRST]);
    kf_locale locale = kf_locale_of_tag(v[KF_CAL_ERR_LOCALE]);
    if (first && v[KF_CAL_ERR_TO]) {
        json_t *vars = kf_calendar_error_mail_vars(
            c->p, v[KF_CAL_ERR_PROFESSIONAL], v[KF_CAL_ERR_PROVIDER], reason,
            v[KF_CAL_ERR_BUSINESS], kfm_conf_public_url(c->conf), professional_id);
        rv = kfm_mail_queue_invite(c, db, v[KF_CAL_ERR_TENANT], v[KF_CAL_ERR_TO], "calendar_error",
                                   locale, vars, NULL, NULL);
    }
    if (first && rv == APR_SUCCESS) {
        rv = invite_to_reconnect(c, db, professional_id, reason, v, locale);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(c->r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(c->r, &tx);
        return APR_EGENERAL;
    }
    KFM_CTX_LOG(c, APLOG_WARNING, "calendar of professional %s refused our access: %s",
               professional_id, reason);
    return APR_SUCCESS;
}

/* A live access token: the stored one while it lasts, else refreshed with the row locked
 * (whoever locks second finds the new token and does not refresh again). `force`: the
 * provider refused the stored one. */
static apr_status_t live_access_token(const kfm_ctx *c, ap_dbd_t *db, kf_calendar_conn *conn,
                                      int force)
{
    kfm_tx tx;
    kfm_rows *res = NULL;
    const char *args[] = {conn->professional_id};
    if (kfm_db_begin(c->r, db, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_select(c->r, db, "kf_cal_conn_lock", &res, 1, args) != APR_SUCCESS ||
        kfm_db_rows(db, res) != 1) {
        kfm_db_rollback(c->r, &tx);
        return APR_ENOENT;
    }
    const char *v[KF_CAL_LOCK_COLUMNS], *refresh = NULL;
    kfm_db_row(db, c->p, res, 0, v, KF_CAL_LOCK_COLUMNS);
    const char *access = kf_calendar_locked_access(c->p, c->conf->keyring, conn->professional_id,
                                                   v, force ? conn->grant.access_token : NULL,
                                                   &refresh);
    if (access) {
        kfm_db_rollback(c->r, &tx);
        conn->grant.access_token = access;
        return APR_SUCCESS;
    }
    kf_calendar_app app = kfm_calendar_app(c, conn->prov);
    if (!refresh || !app.client_id) {
        kfm_db_rollback(c->r, &tx);
        KFM_CTX_LOG(c, APLOG_ERR, "calendar of professional %s: %s", conn->professional_id,
                   refresh ? "the OAuth client is not configured" : "its token cannot be opened");
        return APR_EGENERAL;
    }
    kf_calendar_tokens t;
    const char *why = NULL;
    kf_cal_outcome o = conn->prov->refresh(c->p, kfm_provider_http(c), &conn->ep, &app, refresh,
                                           &t, &why);
    if (o == KF_CAL_OK) {
        const char *sargs[] = {NULL, apr_psprintf(c->p, "%" APR_INT64_T_FMT, t.expires_in), NULL,
                               conn->professional_id};
        kf_calendar_grant_seal(c->p, c->conf->keyring, conn->professional_id, t.refresh_token,
                               t.access_token, &sargs[2], &sargs[0]);
        if (!sargs[0] || kfm_db_exec(c->r, db, "kf_cal_tokens_store", NULL, 4, sargs) != APR_SUCCESS ||
            kfm_db_commit(c->r, &tx) != APR_SUCCESS) {
            kfm_db_rollback(c->r, &tx);
            return APR_EGENERAL;
        }
        conn->grant.access_token = t.access_token;
        return APR_SUCCESS;
    }
    kfm_db_rollback(c->r, &tx);
    if (o == KF_CAL_REVOKED) {
        mark_error(c, db, conn->professional_id, why ? why : "invalid_grant");
        return APR_EACCES;
    }
    KFM_CTX_LOG(c, APLOG_WARNING, "calendar of professional %s: token refresh failed: %s",
               conn->professional_id, why ? why : "?");
    return APR_EGENERAL;
}

apr_status_t kfm_calendar_conn_renew(const kfm_ctx *c, ap_dbd_t *db, kf_calendar_conn *conn)
{
    return live_access_token(c, db, conn, 1);
}

apr_status_t kfm_calendar_conn_open(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id,
                                    int need_connected, kf_calendar_conn *conn)
{
    kfm_rows *res = NULL;
    const char *args[] = {professional_id};
    memset(conn, 0, sizeof(*conn));
    if (kfm_db_select(c->r, db, "kf_cal_conn_load", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(db, res) != 1) {
        return APR_ENOENT;
    }
    const char *v[KF_CAL_CONN_COLUMNS];
    kfm_db_row(db, c->p, res, 0, v, KF_CAL_CONN_COLUMNS);
    kf_cal_conn_state state = kf_calendar_conn_of(
        c->p, c->conf->keyring, v, kf_calendar_provider_find(v[KF_CAL_CONN_COL_PROVIDER]),
        need_connected, conn);
    if (state == KF_CAL_CONN_NONE) {
        return APR_ENOENT;
    }
    conn->ep = kfm_calendar_endpoints(c, conn->prov);
    return state == KF_CAL_CONN_LIVE   ? APR_SUCCESS
           : state == KF_CAL_CONN_SHUT ? APR_EGENERAL
                                       : live_access_token(c, db, conn, 0);
}

/* ---------------------------------------------------------------- busy times */

/* The connection's provider calls, and what they may need renewed or stored. */
typedef struct conn_run {
    const kfm_ctx *c;
    ap_dbd_t *db;
    kf_calendar_conn *conn;
} conn_run;

kf_calendar_session kfm_calendar_session(const kfm_ctx *c, kf_calendar_conn *conn)
{
    kf_calendar_session s = {c->p, kfm_calendar_http(c, conn->prov), conn->prov, &conn->ep,
                             &conn->grant};
    return s;
}

static int renew_refused_token(void *data)
{
    conn_run *x = data;
    return live_access_token(x->c, x->db, x->conn, 1) == APR_SUCCESS;
}

/* Reads the busy times of a connection kfm_calendar_conn_open answered `opened` for
 * (APR_SUCCESS, or another error when the grant could not be renewed); `renew` is asked
 * when the provider refuses the access token. */
static kf_calendar_busy_answer read_busy(const kfm_ctx *c, kf_calendar_conn *conn,
                                         apr_status_t opened, kf_calendar_renew_fn *renew,
                                         void *renew_data)
{
    /* a connection that did not open may have no provider: nothing is asked of it */
    kf_calendar_session none = {c->p, NULL, NULL, NULL, NULL};
    kf_calendar_session s = opened == APR_SUCCESS ? kfm_calendar_session(c, conn) : none;
    return kf_calendar_busy_fetch(&s, opened == APR_SUCCESS, apr_time_sec(apr_time_now()),
                                  conn->horizon_days, renew, renew_data);
}

/* Stores what read_busy brought: the busy times, or the failure (retried by the job). */
static apr_status_t store_busy(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id,
                               const kf_calendar_busy_answer *b, int *changed)
{
    if (b->outcome == KF_CAL_REVOKED) {
        mark_error(c, db, professional_id, b->why ? b->why : "access refused");
        return APR_EACCES;
    }
    if (b->outcome != KF_CAL_OK) {
        const char *fargs[] = {kf_calendar_failure_reason(b->outcome, b->why),
                               apr_itoa(c->p, KF_CALENDAR_SYNC_RETRY_SECONDS), professional_id};
        kfm_db_exec(c->r, db, "kf_cal_sync_failed", NULL, 3, fargs);
        KFM_CTX_LOG(c, APLOG_WARNING, "calendar of professional %s: busy times not read (%s); "
                   "the last ones known are used", professional_id, b->why ? b->why : "?");
        return APR_EGENERAL;
    }
    kfm_rows *res = NULL;
    const char *args[] = {professional_id, kf_calendar_busy_array(c->p, b->busy, 0),
                          kf_calendar_busy_array(c->p, b->busy, 1),
                          b->bookable_known ? "true" : "false",
                          kf_calendar_busy_array(c->p, b->bookable, 0),
                          kf_calendar_busy_array(c->p, b->bookable, 1),
                          apr_psprintf(c->p, "%" APR_INT64_T_FMT, b->to),
                          apr_itoa(c->p, kfm_calendars_conf_calendar_refresh(kfm_calendars_conf_of(c->s))),
                          professional_id};
    if (kfm_db_select(c->r, db, "kf_cal_busy_store", &res, 9, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(db, res) != 1) {
        return APR_ENOENT;   /* disconnected meanwhile */
    }
    const char *moved = kfm_db_value(db, c->p, res, 0, 0);
    if (kf_text_true(moved)) {
        if (changed) {
            *changed = 1;
        }
        /* other servers hear it from the database (migration 022's notification) */
        kfm_availability_cache_bump_professional_job(professional_id);
    }
    return APR_SUCCESS;
}

/* Reads and stores the busy times of a connection kfm_calendar_conn_open answered `opened`
 * for. */
static apr_status_t refresh_opened(const kfm_ctx *c, ap_dbd_t *db, kf_calendar_conn *connp,
                                   apr_status_t opened, const char *professional_id, int *changed)
{
    kf_calendar_conn conn = *connp;
    if (changed) {
        *changed = 0;
    }
    if (opened == APR_ENOENT || opened == APR_EACCES) {
        return opened;
    }
    conn_run x = {c, db, &conn};
    kf_calendar_busy_answer b = read_busy(c, &conn, opened, renew_refused_token, &x);
    apr_status_t rv = store_busy(c, db, professional_id, &b, changed);
    if (rv == APR_SUCCESS) {
        *connp = conn;   /* a token renewed on the way is the caller's too */
    }
    return rv;
}

/* A token refused while the request's connection is given back: one taken for the renewal
 * (its row is locked across the provider's answer, so that two servers never renew at once). */
typedef struct request_run {
    kfm_req *kr;
    const kfm_ctx *c;
    kf_calendar_conn *conn;
} request_run;

static int renew_for_request(void *data)
{
    request_run *x = data;
    if (!kfm_req_db_own(x->kr, NULL)) {
        return 0;
    }
    int renewed = live_access_token(x->c, x->kr->db, x->conn, 1) == APR_SUCCESS;
    kfm_req_db_give_back(x->kr);
    return renewed;
}

apr_status_t kfm_calendar_refresh_request(kfm_req *kr, const char *professional_id,
                                          int *changed)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kf_calendar_conn conn;
    if (changed) {
        *changed = 0;
    }
    apr_status_t opened = kfm_calendar_conn_open(&c, kr->db, professional_id, 1, &conn);
    if (opened == APR_ENOENT || opened == APR_EACCES) {
        return opened;
    }
    request_run x = {kr, &c, &conn};
    kfm_req_db_give_back(kr);
    kf_calendar_busy_answer b = read_busy(&c, &conn, opened, renew_for_request, &x);
    if (!kfm_req_db_own(kr, NULL)) {
        return APR_EGENERAL;
    }
    return store_busy(&c, kr->db, professional_id, &b, changed);
}

/* ---------------------------------------------------------------- change channels */

/* Where a channel is stored: the connection's own (calendar NULL) or another calendar's row,
 * with the database held throughout (db) or the request's taken for it (kr). */
typedef struct channel_store {
    const kfm_ctx *c;
    ap_dbd_t *db;
    kfm_req *kr;
    const char *professional_id;
    const char *calendar_id;
} channel_store;

static int store_channel(const kf_cal_channel *ch, const char *secret, void *data)
{
    channel_store *x = data;
    const kfm_ctx *c = x->c;
    if (x->kr && !kfm_req_db_own(x->kr, NULL)) {
        return 0;
    }
    ap_dbd_t *db = x->kr ? x->kr->db : x->db;
    const char *sealed = secret ? kf_seal_text(c->p, c->conf->keyring, secret,
                                               kf_calendar_channel_aad(c->p, x->professional_id))
                                : NULL;
    const char *expires = ch->expires_at ? kfm_db_int64(c->p, ch->expires_at) : NULL;
    const char *own[] = {ch->id, ch->resource, sealed, expires, ch->calendar, x->professional_id};
    const char *other[] = {ch->id, ch->resource, sealed, expires, x->professional_id,
                           x->calendar_id};
    int stored = (x->calendar_id
                      ? kfm_db_exec(c->r, db, "kf_cal_watch_store", NULL, 6, other)
                      : kfm_db_exec(c->r, db, "kf_cal_channel_store", NULL, 6, own)) == APR_SUCCESS;
    if (x->kr) {
        kfm_req_db_give_back(x->kr);
    }
    return stored;
}

static void log_channel(const kfm_ctx *c, const kf_calendar_conn *conn, const char *calendar,
                        kf_cal_channel_result r, const char *why)
{
    if (r == KF_CAL_CHANNEL_NOT_RENEWED) {
        KFM_CTX_LOG(c, APLOG_WARNING, "calendar %s of professional %s: channel not renewed: %s",
                    calendar, conn->professional_id, why ? why : "?");
    }
    else if (r == KF_CAL_CHANNEL_NOT_OPENED) {
        KFM_CTX_LOG(c, APLOG_WARNING, "calendar %s of professional %s: no change channel (%s); "
                    "busy times are read every KonfirmadoCalendarRefresh seconds",
                    calendar, conn->professional_id, why ? why : "?");
    }
}

/* The channels kept up: the connection's own, on the calendar that receives events, and one
 * for each other calendar that blocks (one that stopped blocking closed); stored through a
 * channel_store like `where`. 1 when the connection's own is in order (the others' failures
 * are logged and tried again at the next sync). */
static int keep_channels_up(const kfm_ctx *c, kf_calendar_conn *conn, channel_store where)
{
    kf_calendar_session s = kfm_calendar_session(c, conn);
    const char *address = webhook_url(c, conn->prov, conn->tenant_id);
    const char *why = NULL;
    where.professional_id = conn->professional_id;
    where.calendar_id = NULL;
    kf_cal_channel_result r = kf_calendar_channel_keep_up(
        &s, address, kf_random_token(c->p, 32), apr_time_sec(apr_time_now()), &conn->channel,
        &conn->channel_secret, store_channel, &where, &why);
    log_channel(c, conn, conn->grant.calendar_id, r, why);
    for (int i = 0; conn->watches && i < conn->watches->nelts; i++) {
        kf_cal_watch *w = &APR_ARRAY_IDX(conn->watches, i, kf_cal_watch);
        where.calendar_id = w->calendar_id;
        why = NULL;
        log_channel(c, conn, w->calendar_id,
                    kf_calendar_watch_keep_up(&s, address, kf_random_token(c->p, 32),
                                              apr_time_sec(apr_time_now()), w, store_channel,
                                              &where, &why),
                    why);
    }
    return r == KF_CAL_CHANNEL_IN_ORDER;
}

static int ensure_channel(const kfm_ctx *c, ap_dbd_t *db, kf_calendar_conn *conn)
{
    channel_store where = {c, db, NULL, NULL, NULL};
    return keep_channels_up(c, conn, where);
}

int kfm_calendar_channels_request(kfm_req *kr, const char *professional_id)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kf_calendar_conn conn;
    if (kfm_calendar_conn_open(&c, kr->db, professional_id, 1, &conn) != APR_SUCCESS) {
        return 0;
    }
    channel_store where = {&c, NULL, kr, NULL, NULL};
    kfm_req_db_give_back(kr);
    int in_order = keep_channels_up(&c, &conn, where);
    return kfm_req_db_own(kr, NULL) && in_order;
}

int kfm_calendar_sync_request(kfm_req *kr, const char *professional_id)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kf_calendar_conn conn;
    apr_status_t opened = kfm_calendar_conn_open(&c, kr->db, professional_id, 1, &conn);
    if (opened == APR_ENOENT || opened == APR_EACCES) {
        return 0;
    }
    request_run x = {kr, &c, &conn};
    kfm_req_db_give_back(kr);
    kf_calendar_busy_answer b = read_busy(&c, &conn, opened, renew_for_request, &x);
    if (!kfm_req_db_own(kr, NULL)) {
        return 0;
    }
    store_busy(&c, kr->db, professional_id, &b, NULL);
    if (opened != APR_SUCCESS) {
        return 0;
    }
    channel_store where = {&c, NULL, kr, NULL, NULL};
    kfm_req_db_give_back(kr);
    int in_order = keep_channels_up(&c, &conn, where);
    if (!kfm_req_db_own(kr, NULL)) {
        return 0;
    }
    if (in_order) {
        /* the job may take the connection from now on (kf_cal_connect leased it to the
         * request); a failing channel keeps the lease, for the job to try once it ends */
        const char *args[] = {professional_id};
        kfm_db_exec(kr->r, kr->db, "kf_cal_sync_release", NULL, 1, args);
    }
    return in_order;
}

int kfm_calendar_sync(const kfm_ctx *c, ap_dbd_t *db, const char *professional_id)
{
    kf_calendar_conn conn;
    apr_status_t rv = kfm_calendar_conn_open(c, db, professional_id, 1, &conn);
    refresh_opened(c, db, &conn, rv, professional_id, NULL);
    return rv == APR_SUCCESS && ensure_channel(c, db, &conn);
}
