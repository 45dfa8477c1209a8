/* The alerts job: every minute, for each kind, one statement reads the businesses where the
 * problem holds now beside the open alerts of that kind; kf_alert_decide says what each pair
 * does (raise, keep, resolve, mail), and a mail goes with the mark that it went, in one
 * transaction, to the business's notification address (else its first user). The refused
 * webhook signatures counted in memory are written first. */
#include "mod_kf_operations_conf.h"
#include "mod_kf_alerts_columns.h"
#include "mod_kf_alerts_feature.h"
#include "mod_kf_signature_tally.h"
#include "mod_kf_mail.h"
#include "mod_kf_config.h"
#include "mod_kf_sql.h"
#include "kf_alerts.h"
#include "kf_email.h"
#include "kf_payment_failure.h"

#include <apr_strings.h>

/* The facts of one kind, f (tenant_id, detail, told), beside its open alerts: one row per
 * business where either is (KFM_ALERT_ROW_COLUMNS). The detail is the facts as a JSON
 * object, each text in it cut short (kf_alert_detail_text tells them in words). Arguments:
 * the kind's name, twice. */
#define ALERT_READ(facts)                                                                    \
    "WITH f (tenant_id, detail, told) AS (" facts "),"                                       \
    " a AS (SELECT id, tenant_id, mailed_at, dismissed_at FROM merchant_alerts"              \
    "   WHERE kind = %s AND resolved_at IS NULL)"                                            \
    " SELECT " KFM_SQL_COLUMNS(KFM_ALERT_ROW_COLUMNS)                                       \
    " FROM f FULL JOIN a ON a.tenant_id = f.tenant_id"

/* A calendar alert names this many calendars, and counts the rest. */
#define CALENDARS_NAMED "10"

/* Columns of kf_alert_mail_mark: whom to mail and in what words. */
#define ALERT_MAILED_COLUMNS(FIRST, NEXT)                                                   \
    FIRST(MARK_BUSINESS, "t.name")                                                          \
    NEXT(MARK_LOCALE, "t.locale")                                                           \
    NEXT(MARK_TO, KFM_SQL_TENANT_EMAIL("t"))
enum { ALERT_MAILED_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) MARK_COLUMNS };

/* The statement that reads each kind, by kf_alert_kind. */
static const char *const read_label[KF_ALERT_KINDS] = {
    [KF_ALERT_CALLBACKS_FAILING] = "kf_alerts_read_callbacks",
    [KF_ALERT_CALENDAR_NOT_SYNCING] = "kf_alerts_read_calendars",
    [KF_ALERT_WEBHOOK_SIGNATURES] = "kf_alerts_read_signatures",
    [KF_ALERT_MESSAGES_BOUNCING] = "kf_alerts_read_bounces",
    [KF_ALERT_PAYMENTS_FAILING] = "kf_alerts_read_payments",
    [KF_ALERT_CALENDAR_CHANGED] = "kf_alerts_read_calendar_changes",
};

/* The checkouts a business's provider did not make since its last one made (and within
 * KF_ALERT_PAYMENT_KEPT: a business nobody tried to pay for that long is not failing), each with how many
 * failed in the window up to it. */
#define PAYMENT_FAILURES_SINCE_LAST_MADE                                                     \
    "SELECT l.tenant_id, l.created_at AS at, l.changes->>'provider' AS provider,"           \
    "   l.changes->>'kind' AS kind, l.changes->'http_status' AS status,"                     \
    "   count(*) OVER (PARTITION BY l.tenant_id ORDER BY l.created_at RANGE BETWEEN"         \
    "     interval '" KF_ALERT_PAYMENT_WINDOW "' PRECEDING AND CURRENT ROW) AS burst"        \
    " FROM audit_log l WHERE l.action = '" KF_PAYMENT_FAILURE_ACTION "'"                     \
    "   AND l.created_at > now() - interval '" KF_ALERT_PAYMENT_KEPT "'"                                     \
    "   AND NOT EXISTS (SELECT 1 FROM payments y WHERE y.tenant_id = l.tenant_id"            \
    "     AND y.checkout_url IS NOT NULL AND y.created_at > l.created_at)"

const kfm_sql kfm_alerts_job_sql[] = {
    /* tenants (uuid[]), counts (int[]) */
    {"kf_alerts_signatures_refused",
     "INSERT INTO metrics_incidents (tenant_id, kind, count)"
     " SELECT t.id, 'webhook_signature', u.n FROM unnest(%s::uuid[], %s::int[]) AS u(tid, n)"
     " JOIN tenants t ON t.id = u.tid WHERE u.n > 0"},
    /* failed attempts in the window with no 2xx after them (sql/063) */
    {"kf_alerts_read_callbacks",
     ALERT_READ("SELECT tenant_id, detail, told FROM kf_alerts_callbacks_failing(interval '"
                KF_ALERT_CALLBACK_WINDOW "', " KF_ALERT_CALLBACK_FAILURES ")")},
    /* a refused grant (already mailed by the calendars feature when error_mailed_at is set),
     * or a read failing with no good read for a while */
    {"kf_alerts_read_calendars",
     ALERT_READ(
         "SELECT tenant_id, json_build_object('calendars', json_agg(json_build_object("
         "     'professional', name, 'provider', provider, 'refused', status = 'error',"
         "     'error', left(sync_error, 200))"
         "     ORDER BY name) FILTER (WHERE nth <= " CALENDARS_NAMED "),"
         "   'more', count(*) FILTER (WHERE nth > " CALENDARS_NAMED "))::text,"
         "  bool_and(status = 'error' AND error_mailed_at IS NOT NULL)"
         " FROM (SELECT c.tenant_id, p.name, c.provider, c.sync_error, c.status, c.error_mailed_at,"
         "     row_number() OVER (PARTITION BY c.tenant_id ORDER BY p.name) AS nth"
         "   FROM calendar_connections c JOIN professionals p ON p.id = c.professional_id"
         "   WHERE p.archived_at IS NULL AND (c.status = 'error' OR (c.sync_error IS NOT NULL"
         "     AND coalesce(c.synced_at, c.connected_at) < now() - interval '"
         KF_ALERT_CALENDAR_STALE "'))) c"
         " GROUP BY tenant_id")},
    {"kf_alerts_read_signatures",
     ALERT_READ(
         "SELECT tenant_id, json_build_object('refused', sum(count))::text, false"
         " FROM metrics_incidents WHERE kind = 'webhook_signature'"
         "   AND at > now() - interval '" KF_ALERT_SIGNATURE_WINDOW "'"
         " GROUP BY tenant_id HAVING sum(count) >= " KF_ALERT_SIGNATURE_FAILURES)},
    /* mails about bookings given up, texts failed; the last one as the deliveries list
     * reads it (channel, recipient, mail fault, error) */
    {"kf_alerts_read_bounces",
     ALERT_READ(
         "SELECT tenant_id, json_build_object('mails', count(*) FILTER (WHERE channel = 'email'),"
         "   'texts', count(*) FILTER (WHERE channel <> 'email'),"
         "   'last', left((array_agg(why ORDER BY at DESC))[1], 300),"
         "   'last_channel', (array_agg(channel ORDER BY at DESC))[1],"
         "   'last_to', (array_agg(recipient ORDER BY at DESC))[1],"
         "   'last_fault', (array_agg(fault ORDER BY at DESC))[1])::text, false"
         " FROM (SELECT tenant_id, 'email' AS channel, failed_at AS at, last_error AS why,"
         "     recipient, last_fault AS fault"
         "     FROM mail_outbox WHERE failed_at > now() - interval '" KF_ALERT_BOUNCE_WINDOW "'"
         "       AND tenant_id IS NOT NULL AND reservation_id IS NOT NULL"
         "   UNION ALL SELECT o.tenant_id, coalesce(s.channel, 'sms'), o.next_attempt_at,"
         "     o.last_error, o.recipient, NULL"
         "     FROM message_outbox o"
         "     LEFT JOIN tenant_messaging_settings s ON s.tenant_id = o.tenant_id"
         "     WHERE o.status = 'failed'"
         "       AND o.next_attempt_at > now() - interval '" KF_ALERT_BOUNCE_WINDOW "') b"
         " GROUP BY tenant_id")},
    /* enough failures within the window since the last checkout made; the last one's
     * provider, kind and status */
    {"kf_alerts_read_payments",
     ALERT_READ(
         "SELECT tenant_id, json_build_object('failures', count(*),"
         "   'provider', (array_agg(provider ORDER BY at DESC))[1],"
         "   'last_kind', (array_agg(kind ORDER BY at DESC))[1],"
         "   'last_status', (array_agg(status ORDER BY at DESC))[1])::text, false"
         " FROM (" PAYMENT_FAILURES_SINCE_LAST_MADE ") e"
         " GROUP BY tenant_id HAVING max(burst) >= " KF_ALERT_PAYMENT_FAILURES)},
    /* upcoming bookings whose event the professional deleted or moved, waiting for the
     * merchant; the professional of the first */
    {"kf_alerts_read_calendar_changes",
     ALERT_READ(
         "SELECT e.tenant_id, json_build_object("
         "   'deleted', count(*) FILTER (WHERE e.outside_change = 'deleted'),"
         "   'moved', count(*) FILTER (WHERE e.outside_change = 'moved'),"
         "   'professional', (array_agg(p.name ORDER BY r.starts_at))[1])::text, false"
         " FROM calendar_events e JOIN reservations r ON r.id = e.reservation_id"
         " JOIN professionals p ON p.id = r.professional_id"
         " WHERE e.outside_change IS NOT NULL AND r.status IN ('paid', 'confirmed')"
         "   AND r.ends_at > now()"
         " GROUP BY e.tenant_id")},
    /* tenant, kind, detail */
    {"kf_alert_raise",
     "INSERT INTO merchant_alerts (tenant_id, kind, detail) VALUES (%s::uuid, %s, %s)"
     " ON CONFLICT (tenant_id, kind) WHERE resolved_at IS NULL"
     " DO UPDATE SET last_seen_at = now(), detail = EXCLUDED.detail RETURNING id"},
    /* detail, id */
    {"kf_alert_keep",
     "UPDATE merchant_alerts SET last_seen_at = now(), detail = %s WHERE id = %s::uuid"},
    {"kf_alert_resolve",
     "UPDATE merchant_alerts SET resolved_at = now() WHERE id = %s::uuid AND resolved_at IS NULL"},
    /* id: marked mailed; whom to tell */
    {"kf_alert_mail_mark",
     "UPDATE merchant_alerts a SET mailed_at = now() FROM tenants t"
     " WHERE a.id = %s::uuid AND a.mailed_at IS NULL AND t.id = a.tenant_id"
     " RETURNING " KFM_SQL_COLUMNS(ALERT_MAILED_COLUMNS)},
    {NULL, NULL},
};

/* The alert `id` marked mailed and its mail queued, in the caller's transaction. */
static apr_status_t mail_alert(const kfm_ctx *c, ap_dbd_t *db, kf_alert_kind kind,
                               const char *id, const char *tenant, const char *detail)
{
    const char *args[] = {id};
    const char *v[MARK_COLUMNS];
    apr_status_t rv = kfm_db_select_row(NULL, db, c->p, "kf_alert_mail_mark", 1, args, v,
                                        MARK_COLUMNS);
    if (rv == APR_NOTFOUND) {
        return APR_SUCCESS;   /* mailed meanwhile */
    }
    if (rv != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (!v[MARK_TO] || !kf_email_valid(v[MARK_TO])) {
        return APR_SUCCESS;   /* nobody to mail: the dashboard shows it */
    }
    kf_locale locale = kf_locale_of_tag(v[MARK_LOCALE]);
    json_t *vars = kf_alert_mail_vars(c->p, kind, locale, detail, v[MARK_BUSINESS],
                                      kfm_conf_public_url(c->conf));
    return kfm_mail_queue_invite(c, db, tenant, v[MARK_TO], "merchant_alert", locale, vars,
                                 NULL, NULL);
}

/* One business's row of one kind: 1 when something changed, 0 when nothing, -1 when the
 * database failed. */
static int apply(const kfm_ctx *c, ap_dbd_t *db, kf_alert_kind kind, const char **v)
{
    kf_alert_facts facts = kf_alert_facts_of(v);
    kf_alert_plan plan = kf_alert_decide(&facts);
    const char *name = kf_alert_kind_name(kind);
    const char *tenant = v[KF_ALERT_ROW_TENANT], *detail = v[KF_ALERT_ROW_DETAIL] ? v[KF_ALERT_ROW_DETAIL] : "";
    if (plan.step == KF_ALERT_NOTHING) {
        return 0;
    }
    if (plan.step == KF_ALERT_RESOLVE) {
        const char *args[] = {v[KF_ALERT_ROW_ALERT]};
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, c->s, "alerts: %s of tenant %s resolved", name,
                     tenant);
        return kfm_db_exec(NULL, db, "kf_alert_resolve", NULL, 1, args) == APR_SUCCESS ? 1 : -1;
    }
    if (plan.step == KF_ALERT_KEEP && !plan.mail) {
        const char *args[] = {detail, v[KF_ALERT_ROW_ALERT]};
        return kfm_db_exec(NULL, db, "kf_alert_keep", NULL, 2, args) == APR_SUCCESS ? 0 : -1;
    }
    /* a raise, or a mail: together with the mark that it went */
    kfm_tx tx;
    if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
        return -1;
    }
    const char *id = v[KF_ALERT_ROW_ALERT];
    apr_status_t rv = APR_SUCCESS;
    if (plan.step == KF_ALERT_RAISE) {
        const char *args[] = {tenant, name, detail};
        id = NULL;
        rv = kfm_db_select_row(NULL, db, c->p, "kf_alert_raise", 3, args, &id, 1);
    }
    else {
        const char *args[] = {detail, id};
        rv = kfm_db_exec(NULL, db, "kf_alert_keep", NULL, 2, args);
    }
    if (rv == APR_SUCCESS && id && plan.mail) {
        rv = mail_alert(c, db, kind, id, tenant, detail);
    }
    if (rv != APR_SUCCESS || !id || kfm_db_commit(NULL, &tx) != APR_SUCCESS) {
        kfm_db_rollback(NULL, &tx);
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, c->s,
                     "alerts: %s of tenant %s could not be recorded; next run", name, tenant);
        return -1;
    }
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, c->s, "alerts: %s of tenant %s %s%s", name, tenant,
                 plan.step == KF_ALERT_RAISE ? "raised" : "kept",
                 plan.mail ? ", mailed" : "");
    return 1;
}

static int alerts_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    if (kfm_signature_tally_flush(p, db) != APR_SUCCESS) {
        return -1;
    }
    kfm_ctx cx = kfm_ctx_of_job(s, p);
    int changed = 0, failed = 0;
    for (int k = 0; k < KF_ALERT_KINDS; k++) {
        const char *name = kf_alert_kind_name(k);
        const char *args[] = {name, name};
        kfm_rows *res = NULL;
        if (kfm_db_select(NULL, db, read_label[k], &res, 2, args) != APR_SUCCESS) {
            return -1;
        }
        int n = kfm_db_rows(db, res);
        for (int i = 0; i < n; i++) {
            const char **v = apr_palloc(p, sizeof(char *) * KF_ALERT_ROW_COLUMNS);
            kfm_db_row(db, p, res, i, v, KF_ALERT_ROW_COLUMNS);
            int done = apply(&cx, db, k, v);
            /* one business's failure is its own; several are the database's: pause */
            if (done < 0 && ++failed == 3) {
                return -1;
            }
            changed += done > 0;
        }
    }
    return changed;
}

int kfm_alerts_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "alerts",
                            kfm_operations_conf_alerts_interval(kfm_operations_conf_of(s)),
                            alerts_run, NULL,
                            "merchants are not alerted when their callbacks, calendars, "
                            "webhooks, messages or payments keep failing");
}
