/* Connecting a professional's calendar (API.md "Calendar connection"): the merchant issues a
 * 72-hour invitation, the professional opens /connect-calendar/{invitation} and chooses Google
 * or Microsoft (OAuth with PKCE, a single-use 10-minute `state` bound to the invitation),
 * Cal.com (an API key checked with Cal.com before it is stored) or a CalDAV server (its URL,
 * a user name and an app password, checked by finding the calendar before they are stored). The first connection spends
 * the invitation: another one through it is 410 invitation_used. A connection stores its
 * secrets sealed, reads the busy times at once and opens its change channel; the merchant
 * can disconnect (Google's grant revoked, the channel closed, everything deleted). */
#include "mod_kf_sql.h"
#include "mod_kf_calendars_columns.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_calendars_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_calendar.h"
#include "mod_kf_config.h"
#include "mod_kf_session.h"
#include "mod_kf_tenant.h"
#include "kf_crypto.h"
#include "kf_fields.h"
#include "kf_query.h"
#include "kf_text.h"
#include "kf_caldav.h"
#include "kf_calendar_links.h"
#include "kf_calendar_providers.h"
#include "kf_calendar_views.h"

#include <apr_strings.h>
#include <string.h>

/* Columns of kf_cal_state_take. */
#define OAUTH_STATE_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(STATE_INVITATION, "s.invitation_sealed")                                          \
    NEXT(STATE_PROVIDER, "s.provider")                                                      \
    NEXT(STATE_PROFESSIONAL, "i.professional_id")                                           \
    NEXT(STATE_TENANT, "i.tenant_id")                                                       \
    NEXT(STATE_VERIFIER, "s.verifier_sealed")                                               \
    NEXT(STATE_INVITATION_HASH, "s.invitation_hash")                                        \
    NEXT(STATE_INVITATION_USED, "i.used_at IS NOT NULL")
enum { OAUTH_STATE_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) STATE_COLUMNS };

const kfm_sql kfm_calendar_connect_sql[] = {
    /* professional, tenant, token hash, seconds */
    {"kf_cal_invite_create",
     "WITH pro AS (SELECT id, tenant_id FROM professionals WHERE id = %s::uuid"
     "   AND tenant_id = %s::uuid AND archived_at IS NULL),"
     " gone AS (DELETE FROM calendar_invitations i USING pro WHERE i.professional_id = pro.id),"
     " ins AS (INSERT INTO calendar_invitations (token_hash, tenant_id, professional_id, expires_at)"
     "   SELECT %s, pro.tenant_id, pro.id, now() + make_interval(secs => %s::int) FROM pro"
     "   RETURNING expires_at),"
     " pending AS (UPDATE professionals p SET calendar_status = 'pending', updated_at = now()"
     "   FROM pro WHERE p.id = pro.id AND p.calendar_status = 'none')"
     " SELECT " KFM_SQL_RFC3339("ins.expires_at") " FROM ins"},
    /* token hash */
    {"kf_cal_invite_load",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_INVITATION_COLUMNS)
     " FROM calendar_invitations i JOIN professionals p ON p.id = i.professional_id"
     "   AND p.archived_at IS NULL JOIN tenants t ON t.id = i.tenant_id"
     " WHERE i.token_hash = %s AND i.expires_at > now()"},
    /* state hash, invitation hash, invitation sealed, PKCE verifier sealed, provider, seconds */
    {"kf_cal_state_create",
     "INSERT INTO calendar_oauth_states (state_hash, invitation_hash, invitation_sealed,"
     " verifier_sealed, provider, expires_at)"
     " VALUES (%s, %s, %s, %s, %s, now() + make_interval(secs => %s::int))"},
    /* invitation hash: spent by the connection made through it, in that connection's
     * transaction (no row: used already, or gone) */
    {"kf_cal_invite_spend",
     "UPDATE calendar_invitations SET used_at = now() WHERE token_hash = %s AND used_at IS NULL"
     " AND expires_at > now()"},
    /* professional: its upcoming bookings go into the calendar just connected */
    {"kf_cal_events_upcoming",
     "INSERT INTO calendar_events (reservation_id, tenant_id, due_at)"
     " SELECT r.id, r.tenant_id, now() FROM reservations r WHERE r.professional_id = %s::uuid"
     "   AND r.status IN " KFM_SQL_PAID_STATES " AND r.ends_at > now()"
     " ON CONFLICT (reservation_id) DO UPDATE SET due_at = now(), attempts = 0,"
     " updated_at = now()"},
    /* state hash, provider: used once, within its time, while the invitation lasts */
    {"kf_cal_state_take",
     "WITH s AS (UPDATE calendar_oauth_states SET used_at = now() WHERE state_hash = %s"
     "   AND provider = %s AND used_at IS NULL AND expires_at > now()"
     "   RETURNING invitation_hash, invitation_sealed, verifier_sealed, provider)"
     " SELECT " KFM_SQL_COLUMNS(OAUTH_STATE_COLUMNS) " FROM s"
     " JOIN calendar_invitations i ON i.token_hash = s.invitation_hash AND i.expires_at > now()"},
    /* professional, tenant, provider, account, secret, access, access seconds, event type,
     * calendar URL, provider. The connection is leased to the request that connects it
     * (sync_lease_until, as the sync job leases what it works on): it reads the first busy
     * times and opens the change channel itself, and the job, which would otherwise open a
     * second channel beside it, takes the connection only once the request lets it go
     * (kfm_calendar_sync_request) or its lease runs out. */
    {"kf_cal_connect",
     "WITH up AS (INSERT INTO calendar_connections (professional_id, tenant_id, provider, status,"
     "   account, secret_sealed, access_sealed, access_expires_at, event_type_id, calendar_url,"
     "   sync_due_at, sync_lease_until)"
     "   VALUES (%s::uuid, %s::uuid, %s, 'connected', %s, %s, %s,"
     "     now() + make_interval(secs => %s::int), %s, %s, now(), now() + interval '60 seconds')"
     "   ON CONFLICT (professional_id) DO UPDATE SET provider = EXCLUDED.provider,"
     "   status = 'connected', account = EXCLUDED.account, secret_sealed = EXCLUDED.secret_sealed,"
     "   access_sealed = EXCLUDED.access_sealed, access_expires_at = EXCLUDED.access_expires_at,"
     "   event_type_id = EXCLUDED.event_type_id, calendar_url = EXCLUDED.calendar_url, busy = '{}', busy_until = NULL, synced_at = NULL,"
     "   sync_due_at = now(), sync_lease_until = now() + interval '60 seconds', sync_error = NULL,"
     "   error_mailed_at = NULL,"
     "   channel_id = NULL, channel_resource = NULL, channel_secret_sealed = NULL,"
     "   channel_expires_at = NULL, channel_calendar = NULL, calendars_listed_at = NULL, connected_at = now(),"
     "   updated_at = now()"
     "   RETURNING professional_id)"
     " UPDATE professionals p SET calendar_provider = %s, calendar_status = 'connected',"
     " updated_at = now() FROM up WHERE p.id = up.professional_id"},
    /* a new grant lists its calendars anew: what was chosen with the old one is forgotten */
    {"kf_cal_choices_forget", "DELETE FROM calendar_choices WHERE professional_id = %s::uuid"},
    /* professional, tenant */
    {"kf_cal_professional_calendar",
     "SELECT " KFM_SQL_CALENDAR_JSON("p") " FROM professionals p"
     " WHERE p.id = %s::uuid AND p.tenant_id = %s::uuid AND p.archived_at IS NULL"},
    /* professional, tenant, professional, tenant */
    {"kf_cal_disconnect",
     "WITH gone AS (DELETE FROM calendar_connections WHERE professional_id = %s::uuid"
     "   AND tenant_id = %s::uuid RETURNING professional_id),"
     " invites AS (DELETE FROM calendar_invitations WHERE professional_id = %s::uuid)"
     " UPDATE professionals p SET calendar_provider = 'none', calendar_status = 'none',"
     " updated_at = now() WHERE p.id = %s::uuid AND p.tenant_id = %s::uuid"},
    {NULL, NULL},
};

/* ---------------------------------------------------------------- invitations */

static const char *invitation_url(kfm_req *kr, const char *token)
{
    return kf_calendar_invitation_url(kr->r->pool, kfm_conf_public_url(kr->conf), token);
}

int kfm_handle_admin_calendar_invitation(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    const char *token = kf_random_token(r->pool, 32);
    const char *args[] = {id, kr->session->tenant.id, kf_sha256_hex(r->pool, token, strlen(token)),
                          apr_itoa(r->pool, KF_CALENDAR_INVITATION_SECONDS)};
    kfm_tx tx;
    kfm_rows *res = NULL;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_db_select(r, kr->db, "kf_cal_invite_create", &res, 4, args) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_NOT_FOUND, "not_found");
    }
    const char *expires = kfm_db_value(kr->db, r->pool, res, 0, 0);
    if (kfm_audit(kr, kr->db, "professional.calendar.invite", "professional", id,
                  json_pack("{s:s}", "expires_at", expires)) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_CREATED, json_pack("{s:s, s:s}", "url", invitation_url(kr, token),
                                                      "expires_at", expires));
}

/* The invitation named by a token (route param or query), or NULL; on a tenant host only
 * that tenant's. v: KF_CAL_INV_COLUMNS values. */
static int load_invitation(kfm_req *kr, const char *token, const char **v)
{
    kfm_rows *res = NULL;
    if (!kf_token_shape_ok(token)) {
        return 0;
    }
    const char *args[] = {kf_sha256_hex(kr->r->pool, token, strlen(token))};
    if (kfm_db_select(kr->r, kr->db, "kf_cal_invite_load", &res, 1, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return 0;
    }
    kfm_db_row(kr->db, kr->r->pool, res, 0, v, KF_CAL_INV_COLUMNS);
    return !kr->host_tenant || (v[KF_CAL_INV_SUBDOMAIN] && strcmp(kr->host_tenant, v[KF_CAL_INV_SUBDOMAIN]) == 0);
}

/* 1 when a connection was made through the invitation already (it connects once). */
static int invitation_spent(const char **v)
{
    return strcmp(v[KF_CAL_INV_USED], "t") == 0;
}

static int app_configured(const kf_calendar_provider *prov, void *data)
{
    kfm_ctx c = kfm_ctx_of_request(((kfm_req *)data)->r);
    return kfm_calendar_app(&c, prov).client_id != NULL;
}

int kfm_handle_public_invitation(kfm_req *kr)
{
    const char *v[KF_CAL_INV_COLUMNS];
    if (!load_invitation(kr, apr_table_get(kr->params, "invitation"), v)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "invitation_not_found");
    }
    kf_calendar_invitation inv = kf_calendar_invitation_of(v, app_configured, kr);
    return kfm_reply_json(kr, HTTP_OK, kf_calendar_invitation_json(kr->r->pool, &inv));
}

/* ---------------------------------------------------------------- storing a connection */

/* Stores the connection and spends the invitation it was made through (APR_EEXIST: spent
 * already, nothing stored), then reads its busy times and opens its channel at once (each
 * failure of those is retried by the sync job). */
static apr_status_t store_connection(kfm_req *kr, const kf_calendar_provider *prov,
                                     const char *invitation_hash,
                                     const char *professional_id, const char *tenant_id,
                                     const char *account, const char *secret, const char *access,
                                     apr_int64_t access_seconds, const char *event_type_id,
                                     const char *calendar_url)
{
    request_rec *r = kr->r;
    kfm_ctx c = kfm_ctx_of_request(r);
    kf_calendar_conn old;
    if (kfm_calendar_conn_open(&c, kr->db, professional_id, 0, &old) == APR_SUCCESS) {
        /* the old channel would notify for nothing */
        kf_calendar_session s = kfm_calendar_session(&c, &old);
        kfm_req_db_give_back(kr);
        kf_calendar_let_go(&s, &old.channel, old.watches, NULL);
        if (!kfm_req_db_own(kr, NULL)) {
            return APR_EGENERAL;
        }
    }
    const char *secret_sealed = NULL, *access_sealed = NULL;
    kf_calendar_grant_seal(r->pool, kr->conf->keyring, professional_id, secret, access,
                           &secret_sealed, &access_sealed);
    if (!secret_sealed) {
        kfm_log(kr, APLOG_ERR, "calendar connection: the secret cannot be sealed (KonfirmadoKeyFile?)");
        return APR_EGENERAL;
    }
    const char *args[] = {professional_id, tenant_id, prov->name, account, secret_sealed,
                          access_sealed,
                          access ? apr_psprintf(r->pool, "%" APR_INT64_T_FMT, access_seconds) : NULL,
                          event_type_id, calendar_url, prov->name};
    kfm_tx tx;
    int updated = 0, spent = 0;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_invite_spend", &spent, 1, &invitation_hash) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return APR_EGENERAL;
    }
    if (spent != 1) {
        kfm_db_rollback(r, &tx);
        return APR_EEXIST;
    }
    const char *identity = calendar_url ? apr_pstrcat(r->pool, account, " ", calendar_url, NULL)
                                        : account;
    if (kfm_calendar_orphans_on_connect(&c, kr->db, professional_id, prov->name, identity) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_choices_forget", NULL, 1, args) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_connect", &updated, 10, args) != APR_SUCCESS || updated != 1 ||
        kfm_db_exec(r, kr->db, "kf_cal_events_upcoming", NULL, 1, args) != APR_SUCCESS ||
        kfm_audit_as(kr, kr->db, tenant_id, NULL, "professional.calendar.connect", "professional",
                     professional_id, json_pack("{s:s, s:s}", "provider", prov->name, "account",
                                                account)) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return APR_EGENERAL;
    }
    kfm_log(kr, APLOG_INFO, "calendar of professional %s connected: %s %s", professional_id,
            prov->name, kf_mask_recipient(r->pool, account));
    kfm_calendar_sync_request(kr, professional_id);
    return kr->db ? APR_SUCCESS : APR_EGENERAL;
}

/* ---------------------------------------------------------------- OAuth */

/* One step of the OAuth dance, given the provider the path names and the query string. */
typedef int oauth_step(kfm_req *kr, const kf_calendar_provider *prov, apr_table_t *query);

/* The OAuth endpoints' opening: 404 not_found when the path names no OAuth provider; else
 * `step` with it and the query string's values (an ambiguous or badly encoded query reads as
 * empty). */
static int oauth_endpoint(kfm_req *kr, oauth_step *step)
{
    const kf_calendar_provider *prov = kf_calendar_provider_find(apr_table_get(kr->params, "provider"));
    if (!prov || !prov->oauth_client) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    apr_table_t *query = NULL;
    const char *bad = NULL;
    if (kf_query_parse(kr->r->pool, kr->r->args, &query, &bad) != KF_QUERY_OK) {
        query = apr_table_make(kr->r->pool, 1);
    }
    return step(kr, prov, query);
}

static const char *callback_url(kfm_req *kr, const kf_calendar_provider *prov)
{
    return kf_calendar_oauth_redirect_uri(kr->r->pool, kfm_conf_public_url(kr->conf), prov);
}

static int redirect(kfm_req *kr, const char *url)
{
    apr_table_setn(kr->r->headers_out, "Location", url);
    apr_table_setn(kr->r->headers_out, "Cache-Control", "no-store");
    return kfm_reply_empty(kr, HTTP_MOVED_TEMPORARILY);
}

/* Back to the invitation page with what happened. */
static int back_to_page(kfm_req *kr, const char *invitation, const char *provider,
                        const char *result)
{
    return redirect(kr, kf_calendar_invitation_result_url(kr->r->pool, kfm_conf_public_url(kr->conf),
                                                          invitation, provider, result));
}

static int oauth_start(kfm_req *kr, const kf_calendar_provider *prov, apr_table_t *q)
{
    request_rec *r = kr->r;
    const char *invitation = apr_table_get(q, "invitation");
    const char *v[KF_CAL_INV_COLUMNS];
    if (!load_invitation(kr, invitation, v)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "invitation_not_found");
    }
    if (invitation_spent(v)) {
        return kfm_reply_error(kr, HTTP_GONE, "invitation_used");
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    kf_calendar_app app = kfm_calendar_app(&c, prov);
    if (!app.client_id) {
        return back_to_page(kr, invitation, prov->name, "unavailable");
    }
    const kf_calendar_oauth_trip *trip = kf_calendar_oauth_trip_start(r->pool, kr->conf->keyring,
                                                                      invitation);
    if (!trip) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *args[] = {trip->state_hash, trip->invitation_hash, trip->invitation_sealed,
                          trip->verifier_sealed, prov->name,
                          apr_itoa(r->pool, KF_CALENDAR_STATE_SECONDS)};
    if (kfm_db_exec(r, kr->db, "kf_cal_state_create", NULL, 6, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kf_calendar_endpoints ep = kfm_calendar_endpoints(&c, prov);
    return redirect(kr, prov->authorize_url(r->pool, &ep, &app, callback_url(kr, prov),
                                            trip->state, trip->challenge));
}

int kfm_handle_oauth_start(kfm_req *kr)
{
    return oauth_endpoint(kr, oauth_start);
}

static int oauth_callback(kfm_req *kr, const kf_calendar_provider *prov, apr_table_t *q)
{
    request_rec *r = kr->r;
    const char *state = apr_table_get(q, "state");
    const char *code = apr_table_get(q, "code");
    const char *error = apr_table_get(q, "error");
    kfm_rows *res = NULL;
    if (!kf_token_shape_ok(state)) {
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_state");
    }
    const char *args[] = {kf_sha256_hex(r->pool, state, strlen(state)), prov->name};
    if (kfm_db_select(r, kr->db, "kf_cal_state_take", &res, 2, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        /* unknown, used, expired, or its invitation gone: nothing is connected */
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_state");
    }
    const char *v[STATE_COLUMNS];
    kfm_db_row(kr->db, r->pool, res, 0, v, STATE_COLUMNS);
    kfm_ctx c = kfm_ctx_of_request(r);
    const char *invitation = kf_open_text(r->pool, kr->conf->keyring, v[STATE_INVITATION],
                                          KF_CALENDAR_STATE_INVITATION_AAD);
    const char *verifier = kf_open_text(r->pool, kr->conf->keyring, v[STATE_VERIFIER],
                                        KF_CALENDAR_STATE_VERIFIER_AAD);
    if (!invitation || !verifier) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (strcmp(v[STATE_INVITATION_USED], "t") == 0) {
        /* another round trip connected through it meanwhile */
        return kfm_reply_error(kr, HTTP_GONE, "invitation_used");
    }
    if (error || !code || !*code) {
        return back_to_page(kr, invitation, prov->name, "denied");
    }
    kf_calendar_app app = kfm_calendar_app(&c, prov);
    kf_calendar_endpoints ep = kfm_calendar_endpoints(&c, prov);
    kf_calendar_session s = {r->pool, kfm_calendar_http(&c, prov), prov, &ep, NULL};
    kf_calendar_tokens t;
    const char *why = NULL, *account = NULL;
    kfm_req_db_give_back(kr);
    kf_cal_outcome o = kf_calendar_oauth_finish(&s, &app, code, verifier, callback_url(kr, prov),
                                                &t, &account, &why);
    if (!kfm_req_db_own(kr, NULL)) {
        return back_to_page(kr, invitation, prov->name, "error");
    }
    if (o != KF_CAL_OK) {
        kfm_log(kr, APLOG_WARNING, "calendar of professional %s not connected (%s): %s",
                v[STATE_PROFESSIONAL], prov->name, why ? why : "?");
        return back_to_page(kr, invitation, prov->name, "error");
    }
    apr_status_t rv = store_connection(kr, prov, v[STATE_INVITATION_HASH], v[STATE_PROFESSIONAL],
                                       v[STATE_TENANT], account, t.refresh_token, t.access_token,
                                       t.expires_in, NULL, NULL);
    if (rv == APR_EEXIST) {
        return kfm_reply_error(kr, HTTP_GONE, "invitation_used");
    }
    if (rv != APR_SUCCESS) {
        return back_to_page(kr, invitation, prov->name, "error");
    }
    return back_to_page(kr, invitation, prov->name, "connected");
}

int kfm_handle_oauth_callback(kfm_req *kr)
{
    return oauth_endpoint(kr, oauth_callback);
}

/* ------------------------------------------------ forms of credentials (Cal.com, CalDAV) */

/* What a credentials form does with the open invitation's columns (v) and the form's JSON
 * body, f ready to read it. */
typedef int form_step(kfm_req *kr, const char **v, json_t *body, kf_fields *f);

/* The credentials forms' opening (Cal.com, CalDAV): the open invitation the form is posted
 * to and its JSON body handed to `step`; 404, 410 or the body's error answered before. */
static int invitation_form(kfm_req *kr, form_step *step)
{
    const char *v[KF_CAL_INV_COLUMNS];
    json_t *body = NULL;
    if (!load_invitation(kr, apr_table_get(kr->params, "invitation"), v)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "invitation_not_found");
    }
    if (invitation_spent(v)) {
        return kfm_reply_error(kr, HTTP_GONE, "invitation_used");
    }
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    kf_fields f;
    kf_fields_init(&f, kr->r->pool, kr->locale);
    return step(kr, v, body, &f);
}

/* Stores a credentials form's connection through its invitation and answers with the
 * calendar as the invitation now shows it, or 410 when the invitation was used meanwhile. */
static int connect_by_form(kfm_req *kr, const kf_calendar_provider *prov, const char **v,
                           const char *account, const char *secret, const char *event_type_id,
                           const char *calendar_url)
{
    const char *invitation = apr_table_get(kr->params, "invitation");
    apr_status_t rv = store_connection(kr, prov,
                                       kf_sha256_hex(kr->r->pool, invitation, strlen(invitation)),
                                       v[KF_CAL_INV_PROFESSIONAL], v[KF_CAL_INV_TENANT], account,
                                       secret, NULL, 0, event_type_id, calendar_url);
    if (rv == APR_EEXIST) {
        return kfm_reply_error(kr, HTTP_GONE, "invitation_used");
    }
    if (rv != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    load_invitation(kr, invitation, v);
    return kfm_reply_json(kr, HTTP_OK, kf_calendar_view_answer(kr->r->pool, v[KF_CAL_INV_CALENDAR]));
}

/* ---------------------------------------------------------------- Cal.com */

static int calcom_form(kfm_req *kr, const char **v, json_t *body, kf_fields *f)
{
    request_rec *r = kr->r;
    const char *key = NULL, *event_type_id = NULL;
    kf_calendar_calcom_form(f, body, &key, &event_type_id);
    if (!kf_fields_ok(f)) {
        return kfm_reply_fields(kr, kf_fields_take(f));
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const kf_calendar_provider *prov = &kf_calendar_calcom;
    kf_calendar_endpoints ep = kfm_calendar_endpoints(&c, prov);
    kf_calendar_grant g = {.access_token = key};
    const char *account = NULL, *why = NULL;
    kfm_req_db_give_back(kr);
    kf_cal_outcome o = prov->account(r->pool, kfm_calendar_http(&c, prov), &ep, &g, &account, &why);
    int rc = OK;
    if (!kfm_req_db_own(kr, &rc)) {
        return rc;
    }
    if (kf_calendar_form_refused(prov, o, f)) {
        return kfm_reply_fields(kr, kf_fields_take(f));
    }
    if (o != KF_CAL_OK) {
        kfm_log(kr, APLOG_WARNING, "Cal.com key check failed: %s", why ? why : "?");
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    return connect_by_form(kr, prov, v, account, key, event_type_id, NULL);
}

int kfm_handle_public_invitation_calcom(kfm_req *kr)
{
    return invitation_form(kr, calcom_form);
}

/* ---------------------------------------------------------------- CalDAV */

static int caldav_form(kfm_req *kr, const char **v, json_t *body, kf_fields *f)
{
    request_rec *r = kr->r;
    const char *url = NULL, *user = NULL, *password = NULL;
    kf_caldav_form(f, body,
                   kfm_conf_allow_insecure_urls(kr->conf) == 1 ? KF_URL_ALLOW_HTTP : KF_URL_HTTPS_ONLY,
                   &url, &user, &password);
    if (!kf_fields_ok(f)) {
        return kfm_reply_fields(kr, kf_fields_take(f));
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const kf_calendar_provider *prov = &kf_calendar_caldav;
    kf_calendar_grant g = {.access_token = password, .calendar_id = url, .user = user};
    const char *calendar = NULL, *why = NULL;
    kfm_req_db_give_back(kr);
    kf_cal_outcome o = kf_calendar_caldav_discover(r->pool, kfm_calendar_http(&c, prov), &g,
                                                   &calendar, &why);
    int rc = OK;
    if (!kfm_req_db_own(kr, &rc)) {
        return rc;
    }
    if (o != KF_CAL_OK && o != KF_CAL_REVOKED) {
        kfm_log(kr, APLOG_INFO, "CalDAV server not connected: %s", why ? why : "?");
    }
    if (kf_calendar_form_refused(prov, o, f)) {
        return kfm_reply_fields(kr, kf_fields_take(f));
    }
    if (o != KF_CAL_OK) {
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    return connect_by_form(kr, prov, v, user, password, NULL, calendar);
}

int kfm_handle_public_invitation_caldav(kfm_req *kr)
{
    return invitation_form(kr, caldav_form);
}

/* ---------------------------------------------------------------- disconnect */

int kfm_handle_admin_calendar_disconnect(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    const char *tenant = kr->session->tenant.id;
    kfm_rows *res = NULL;
    const char *args[] = {id, tenant};
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    if (kfm_db_select(r, kr->db, "kf_cal_professional_calendar", &res, 2, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    kf_calendar_conn conn;
    if (kfm_calendar_conn_open(&c, kr->db, id, 0, &conn) == APR_SUCCESS) {
        /* best effort: the provider may already have forgotten us */
        kf_calendar_session s = kfm_calendar_session(&c, &conn);
        kfm_req_db_give_back(kr);
        kf_calendar_let_go(&s, &conn.channel, conn.watches, conn.secret);
        int rc = OK;
        if (!kfm_req_db_own(kr, &rc)) {
            return rc;
        }
    }
    const char *dargs[] = {id, tenant, id, id, tenant};
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_cal_disconnect", NULL, 5, dargs) != APR_SUCCESS ||
        kfm_audit(kr, kr->db, "professional.calendar.disconnect", "professional", id, NULL) !=
            APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    res = NULL;
    if (kfm_db_select(r, kr->db, "kf_cal_professional_calendar", &res, 2, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK,
                          kf_calendar_view_answer(r->pool, kfm_db_value(kr->db, r->pool, res, 0, 0)));
}
