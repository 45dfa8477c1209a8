/* Events left behind in a calendar (sql/048, lib/calendars/kf_calendar_orphans.h): kept when
 * a connection is replaced by another calendar (its events are then written anew in the new
 * one) or when a calendar refuses a delete for good; removed by the orphans job with backoff,
 * with the replaced connection's sealed secret or the professional's connection; listed for
 * the merchant (GET /api/admin/calendar/orphans), who asks for a removal now
 * (POST .../{id}/remove, the request's database connection given back while the calendar
 * answers) or drops one removed by hand (DELETE .../{id}). */
#include "mod_kf_calendars_feature.h"
#include "mod_kf_calendars_columns.h"
#include "mod_kf_calendar.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_jobs.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_calendar_orphans.h"
#include "kf_calendar_providers.h"
#include "kf_calendar_views.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 10
#define LEASE_SECONDS 120

/* What a removal needs of an orphan, after the columns of the list. */
enum { LOAD_SECRET = KF_CAL_ORPHAN_COLUMNS, LOAD_CALENDAR_URL, LOAD_COLUMNS };
#define ORPHAN_LOAD_COLUMNS(FIRST, NEXT)                                                    \
    KFM_CAL_ORPHAN_COLUMNS(FIRST, NEXT)                                                     \
    NEXT(LOAD_SECRET, "o.secret_sealed")                                                    \
    NEXT(LOAD_CALENDAR_URL, "o.calendar_url")
KFM_SQL_ROW_CHECK(ORPHAN_LOAD_COLUMNS, LOAD_COLUMNS)

const kfm_sql kfm_calendar_orphans_sql[] = {
    /* professional: the provider and account of its connection (none: no row); a CalDAV
     * account is its user on that calendar (the same user name elsewhere is another) */
    {"kf_cal_conn_identity",
     "SELECT provider, account || COALESCE(' ' || calendar_url, '') FROM calendar_connections"
     " WHERE professional_id = %s::uuid"},
    /* professional: every event written in its calendars is left behind in the one it is in
     * (with the connection's secret), to be written anew in the calendar replacing it */
    {"kf_cal_orphans_from_connection",
     "WITH old AS (SELECT professional_id, tenant_id, account, secret_sealed, calendar_url"
     "   FROM calendar_connections WHERE professional_id = %s::uuid),"
     " left_behind AS (INSERT INTO calendar_orphans (tenant_id, professional_id, reservation_id,"
     "   provider, account, event_id, written_start, written_end, secret_sealed, calendar_url,"
     "   due_at)"
     "   SELECT old.tenant_id, old.professional_id, e.reservation_id, e.provider, old.account,"
     "     e.event_id, e.written_start, e.written_end, old.secret_sealed,"
     "     COALESCE(e.calendar_id, old.calendar_url), now()"
     "   FROM old JOIN calendar_events e ON e.professional_id = old.professional_id"
     "     AND e.event_id IS NOT NULL RETURNING reservation_id)"
     " UPDATE calendar_events e SET event_id = NULL, professional_id = NULL, provider = NULL,"
     "  calendar_id = NULL, written_start = NULL, written_end = NULL, due_at = now(), attempts = 0,"
     "  last_error = NULL, updated_at = now()"
     " FROM left_behind WHERE e.reservation_id = left_behind.reservation_id"},
    /* reservation, error: its event, whose delete the calendar refused for good, is left
     * behind in the professional's calendar that holds it */
    {"kf_cal_orphan_event",
     "INSERT INTO calendar_orphans (tenant_id, professional_id, reservation_id, provider, account,"
     "  event_id, written_start, written_end, calendar_url, attempts, due_at, last_error)"
     " SELECT e.tenant_id, e.professional_id, e.reservation_id, e.provider, c.account,"
     "  e.event_id, e.written_start, e.written_end, COALESCE(e.calendar_id, c.calendar_url), 1,"
     "  now() + interval '30 seconds', %s"
     " FROM calendar_events e LEFT JOIN calendar_connections c"
     "   ON c.professional_id = e.professional_id"
     " WHERE e.reservation_id = %s::uuid AND e.event_id IS NOT NULL"},
    {"kf_cal_orphan_claim",
     "WITH due AS (SELECT id FROM calendar_orphans WHERE due_at <= now()"
     "   AND (lease_until IS NULL OR lease_until < now())"
     "   ORDER BY due_at LIMIT %s::int FOR UPDATE SKIP LOCKED)"
     " UPDATE calendar_orphans o SET lease_until = now() + make_interval(secs => %s::int),"
     "   attempts = o.attempts + 1"
     " FROM due WHERE o.id = due.id RETURNING o.id"},
    /* id, tenant (NULL: any, the job) */
    {"kf_cal_orphan_load",
     "SELECT " KFM_SQL_COLUMNS(ORPHAN_LOAD_COLUMNS) " FROM calendar_orphans o"
     " JOIN professionals p ON p.id = o.professional_id"
     " WHERE o.id = %s::uuid AND (%s::uuid IS NULL OR o.tenant_id = %s::uuid)"},
    /* id, tenant (NULL: any) */
    {"kf_cal_orphan_gone",
     "DELETE FROM calendar_orphans WHERE id = %s::uuid AND (%s::uuid IS NULL OR tenant_id = %s::uuid)"},
    /* attempts made, error, retry seconds (NULL: given up), id */
    {"kf_cal_orphan_failed",
     "UPDATE calendar_orphans SET attempts = %s::int, last_error = %s, lease_until = NULL,"
     " due_at = now() + make_interval(secs => %s::int), updated_at = now() WHERE id = %s::uuid"},
    /* tenant, professional (NULL: every one) */
    {"kf_cal_orphans_list",
     "SELECT " KFM_SQL_COLUMNS(KFM_CAL_ORPHAN_COLUMNS) " FROM calendar_orphans o"
     " JOIN professionals p ON p.id = o.professional_id"
     " WHERE o.tenant_id = %s::uuid AND (%s::uuid IS NULL OR o.professional_id = %s::uuid)"
     " ORDER BY o.created_at, o.id LIMIT 500"},
    {NULL, NULL},
};

/* ---------------------------------------------------------------- when they are left behind */

apr_status_t kfm_calendar_orphans_on_connect(const kfm_ctx *c, ap_dbd_t *db,
                                             const char *professional_id, const char *provider,
                                             const char *account)
{
    kfm_rows *res = NULL;
    const char *args[] = {professional_id};
    if (kfm_db_select(c->r, db, "kf_cal_conn_identity", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(db, res) != 1) {
        return APR_SUCCESS;   /* no calendar before */
    }
    const char *old_provider = kfm_db_value(db, c->p, res, 0, 0);
    const char *old_account = kfm_db_value(db, c->p, res, 0, 1);
    if (!kf_calendar_connection_replaced(old_provider, old_account, provider, account)) {
        return APR_SUCCESS;
    }
    return kfm_db_exec(c->r, db, "kf_cal_orphans_from_connection", NULL, 1, args);
}

apr_status_t kfm_calendar_orphan_event(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                       const char *why)
{
    const char *args[] = {why, reservation_id};
    return kfm_db_exec(c->r, db, "kf_cal_orphan_event", NULL, 2, args);
}

/* ---------------------------------------------------------------- a removal */

/* What a removal calls with: the calendar that holds the event, opened. */
typedef struct orphan_grant {
    const kf_calendar_provider *prov;
    kf_calendar_endpoints ep;
    kf_calendar_grant grant;
    const char *why;               /* why it cannot be opened (outcome REVOKED or RETRY) */
} orphan_grant;

/* The professional's connection, when it is still the calendar that holds the event. */
static kf_cal_outcome open_current(const kfm_ctx *c, ap_dbd_t *db, const char **row,
                                   orphan_grant *g)
{
    kf_calendar_conn conn;
    apr_status_t rv = kfm_calendar_conn_open(c, db, row[KF_CAL_ORPHAN_PROFESSIONAL], 1, &conn);
    if (rv == APR_SUCCESS && strcmp(conn.prov->name, g->prov->name) == 0) {
        g->ep = conn.ep;
        g->grant = conn.grant;
        if (row[LOAD_CALENDAR_URL]) {
            /* its calendar, though new events may go to another one now */
            g->grant.calendar_id = row[LOAD_CALENDAR_URL];
        }
        return KF_CAL_OK;
    }
    if (rv == APR_SUCCESS || rv == APR_ENOENT || rv == APR_EACCES) {
        g->why = "the calendar that holds it is no longer connected";
        return KF_CAL_REVOKED;
    }
    g->why = "the calendar cannot be reached";
    return KF_CAL_RETRY;
}

/* Opens the calendar that holds the orphan of `row` (the database needed for the current
 * connection only). */
static kf_cal_outcome open_orphan(const kfm_ctx *c, ap_dbd_t *db, const char **row,
                                  orphan_grant *g)
{
    memset(g, 0, sizeof(*g));
    g->prov = kf_calendar_provider_find(row[KF_CAL_ORPHAN_PROVIDER]);
    if (!g->prov) {
        g->why = "unknown calendar provider";
        return KF_CAL_REVOKED;
    }
    g->ep = kfm_calendar_endpoints(c, g->prov);
    g->grant.calendar_id = "primary";
    return row[LOAD_SECRET] ? kf_calendar_orphan_replaced_grant(
                                  c->p, c->conf->keyring, row[KF_CAL_ORPHAN_PROFESSIONAL],
                                  row[LOAD_SECRET], row[KF_CAL_ORPHAN_ACCOUNT],
                                  row[LOAD_CALENDAR_URL], &g->grant, &g->why)
                            : open_current(c, db, row, g);
}

/* The provider calls of a removal (no database needed). */
static kf_cal_outcome remove_opened(const kfm_ctx *c, const char **row, orphan_grant *g)
{
    kf_calendar_app app = kfm_calendar_app(c, g->prov);
    kf_calendar_session s = {c->p, kfm_calendar_http(c, g->prov), g->prov, &g->ep, &g->grant};
    return kf_calendar_left_behind_remove(&s, row[LOAD_SECRET] ? &app : NULL,
                                          row[KF_CAL_ORPHAN_EVENT_ID], &g->why);
}

/* What the attempt left, stored: gone, or retried later, or the merchant's from now on. */
static apr_status_t record(const kfm_ctx *c, ap_dbd_t *db, const char **row, kf_cal_outcome o,
                           const char *why)
{
    int retry_in = kf_calendar_orphan_retry_in(o, atoi(row[KF_CAL_ORPHAN_ATTEMPTS]));
    if (retry_in == 0) {
        const char *args[] = {row[KF_CAL_ORPHAN_ID], NULL, NULL};
        KFM_CTX_LOG(c, APLOG_INFO, "calendar event %s left behind in %s removed",
                    row[KF_CAL_ORPHAN_EVENT_ID], row[KF_CAL_ORPHAN_PROVIDER]);
        return kfm_db_exec(c->r, db, "kf_cal_orphan_gone", NULL, 3, args);
    }
    const char *args[] = {row[KF_CAL_ORPHAN_ATTEMPTS], kf_calendar_failure_reason(o, why),
                          retry_in > 0 ? apr_itoa(c->p, retry_in) : NULL, row[KF_CAL_ORPHAN_ID]};
    KFM_CTX_LOG(c, APLOG_WARNING, "calendar event %s left behind in %s not removed%s: %s",
                row[KF_CAL_ORPHAN_EVENT_ID], row[KF_CAL_ORPHAN_PROVIDER],
                retry_in > 0 ? " (retried later)" : " (the merchant decides)", args[1]);
    return kfm_db_exec(c->r, db, "kf_cal_orphan_failed", NULL, 4, args);
}

/* ---------------------------------------------------------------- the job */

static void orphan_one(kfm_ctx *c, ap_dbd_t *db, const char **claimed)
{
    kfm_rows *res = NULL;
    const char *args[] = {claimed[0], NULL, NULL};
    if (kfm_db_select(c->r, db, "kf_cal_orphan_load", &res, 3, args) != APR_SUCCESS ||
        kfm_db_rows(db, res) != 1) {
        return;
    }
    const char **row = apr_palloc(c->p, sizeof(char *) * LOAD_COLUMNS);
    kfm_db_row(db, c->p, res, 0, row, LOAD_COLUMNS);
    orphan_grant g;
    kf_cal_outcome o = open_orphan(c, db, row, &g);
    if (o == KF_CAL_OK) {
        o = remove_opened(c, row, &g);
    }
    record(c, db, row, o, g.why);
}

static const kfm_claim_job orphans_job = {
    "calendar orphans", "kf_cal_orphan_claim", BATCH, LEASE_SECONDS, 1, orphan_one,
    "events left behind in calendars are removed only when the merchant asks",
};

int kfm_calendar_orphans_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_claim_job_register(pconf, s, instance, &orphans_job);
}

/* ---------------------------------------------------------------- the merchant's */

int kfm_handle_admin_calendar_orphans(kfm_req *kr)
{
    request_rec *r = kr->r;
    int reply = OK;
    apr_table_t *q = kfm_query_params(kr, &reply);
    if (!q) {
        return reply;
    }
    const char *professional = apr_table_get(q, "professional");
    if (professional && !kf_is_uuid(professional)) {
        return kfm_reply_invalid_parameter(kr, "professional", "param_id");
    }
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id, professional, professional};
    if (kfm_db_select(r, kr->db, "kf_cal_orphans_list", &res, 3, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *items = json_array();
    int n = kfm_db_rows(kr->db, res);
    for (int i = 0; i < n; i++) {
        const char *v[KF_CAL_ORPHAN_COLUMNS];
        kfm_db_row(kr->db, r->pool, res, i, v, KF_CAL_ORPHAN_COLUMNS);
        json_array_append_new(items, kf_calendar_labelled(kf_calendar_orphan_json(v)));
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "items", items));
}

/* The orphan {id} of the session's tenant, or NULL after answering. */
static const char **load_own(kfm_req *kr)
{
    const char *id = apr_table_get(kr->params, "id");
    kfm_rows *res = NULL;
    const char *args[] = {id, kr->session->tenant.id, kr->session->tenant.id};
    if (!kf_is_uuid(id)) {
        kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
        return NULL;
    }
    if (kfm_db_select(kr->r, kr->db, "kf_cal_orphan_load", &res, 3, args) != APR_SUCCESS) {
        kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return NULL;
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
        return NULL;
    }
    const char **row = apr_palloc(kr->r->pool, sizeof(char *) * LOAD_COLUMNS);
    kfm_db_row(kr->db, kr->r->pool, res, 0, row, LOAD_COLUMNS);
    return row;
}

int kfm_handle_admin_calendar_orphan_remove(kfm_req *kr)
{
    const char **row = load_own(kr);
    if (!row) {
        return OK;
    }
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    orphan_grant g;
    kf_cal_outcome o = open_orphan(&c, kr->db, row, &g);
    if (o == KF_CAL_OK) {
        kfm_req_db_give_back(kr);
        o = remove_opened(&c, row, &g);
        int rc = OK;
        if (!kfm_req_db_own(kr, &rc)) {
            return rc;
        }
    }
    /* asked by the merchant: one attempt more, counted like the job's */
    row[KF_CAL_ORPHAN_ATTEMPTS] = apr_itoa(kr->r->pool, atoi(row[KF_CAL_ORPHAN_ATTEMPTS]) + 1);
    if (record(&c, kr->db, row, o, g.why) != APR_SUCCESS ||
        (o == KF_CAL_OK &&
         kfm_audit(kr, kr->db, "professional.calendar.orphan_removed", "professional",
                   row[KF_CAL_ORPHAN_PROFESSIONAL],
                   json_pack("{s:s, s:s}", "provider", row[KF_CAL_ORPHAN_PROVIDER], "event_id",
                             row[KF_CAL_ORPHAN_EVENT_ID])) != APR_SUCCESS)) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (o != KF_CAL_OK) {
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:b}", "removed", 1));
}

int kfm_handle_admin_calendar_orphan_forget(kfm_req *kr)
{
    const char **row = load_own(kr);
    if (!row) {
        return OK;
    }
    const char *args[] = {row[KF_CAL_ORPHAN_ID], kr->session->tenant.id, kr->session->tenant.id};
    if (kfm_db_exec(kr->r, kr->db, "kf_cal_orphan_gone", NULL, 3, args) != APR_SUCCESS ||
        kfm_audit(kr, kr->db, "professional.calendar.orphan_forgotten", "professional",
                  row[KF_CAL_ORPHAN_PROFESSIONAL],
                  json_pack("{s:s, s:s}", "provider", row[KF_CAL_ORPHAN_PROVIDER], "event_id",
                            row[KF_CAL_ORPHAN_EVENT_ID])) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_empty(kr, HTTP_NO_CONTENT);
}
