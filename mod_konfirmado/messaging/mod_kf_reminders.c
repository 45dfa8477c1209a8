/* The reminder job (API.md "After booking"): every KonfirmadoReminderInterval seconds,
 * claims the reminders that are due and queues their mails in the same transaction. A
 * reminder is due when start - lead has come and the start has not, for a paid or
 * confirmed booking, and that moment had not passed yet when the booking was paid or last
 * moved (no "tomorrow" mail 20 minutes before). Its row (booking, lead, the start it
 * reminded of) is the once-only guarantee across servers: claimed rows are locked with
 * SKIP LOCKED and the primary key refuses a second one; a move re-arms them (a new start). */
#include "mod_kf_sql.h"
#include "mod_kf_messaging_conf.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_jobs.h"
#include "mod_kf_config.h"
#include "mod_kf_booking_mail.h"
#include "mod_kf_db.h"
#include "mod_kf.h"
#include "kf_tenant_rules.h"

#include <apr_strings.h>

/* Reminders claimed per run (the rest next run). */
#define BATCH 50

/* Columns of kf_reminders_claim. */
#define REMINDER_CLAIM_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(CLAIMED_BOOKING, "reservation_id")                                                \
    NEXT(CLAIMED_LEAD, "lead_minutes")
enum { REMINDER_CLAIM_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) };

const kfm_sql kfm_reminders_sql[] = {
    {"kf_reminders_claim",
     "WITH due AS (SELECT r.id, l.lead, r.starts_at, r.tenant_id FROM reservations r"
     "   JOIN tenants t ON t.id = r.tenant_id CROSS JOIN LATERAL unnest(t.reminders) AS l(lead)"
     "  WHERE r.status IN " KFM_SQL_PAID_STATES " AND r.starts_at > now()"
     "    AND r.starts_at <= now() + make_interval(mins => " KFM_SQL_INT(KF_REMINDER_LEAD_MAX) " + 1)"
     "    AND r.starts_at - make_interval(mins => l.lead) <= now()"
     "    AND (SELECT max(h.created_at) FROM reservation_history h WHERE h.reservation_id = r.id"
     "         AND (h.to_status = 'paid' OR h.reason = 'rescheduled'))"
     "        <= r.starts_at - make_interval(mins => l.lead)"
     "    AND NOT EXISTS (SELECT 1 FROM booking_reminders b WHERE b.reservation_id = r.id"
     "         AND b.lead_minutes = l.lead AND b.starts_at = r.starts_at)"
     "  ORDER BY r.starts_at LIMIT %s::int FOR UPDATE OF r SKIP LOCKED)"
     " INSERT INTO booking_reminders (reservation_id, lead_minutes, starts_at, tenant_id)"
     " SELECT id, lead, starts_at, tenant_id FROM due ON CONFLICT DO NOTHING"
     " RETURNING " KFM_SQL_COLUMNS(REMINDER_CLAIM_COLUMNS)},
    {NULL, NULL},
};

static int reminders_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    kfm_ctx c = kfm_ctx_of_job(s, p);
    kfm_tx tx;
    kfm_rows *res = NULL;
    const char *args[] = {apr_itoa(p, BATCH)};
    if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
        return -1;
    }
    if (kfm_db_select(NULL, db, "kf_reminders_claim", &res, 1, args) != APR_SUCCESS) {
        kfm_db_rollback(NULL, &tx);
        return -1;
    }
    int n = kfm_db_rows(db, res);
    apr_status_t rv = APR_SUCCESS;
    for (int i = 0; i < n && rv == APR_SUCCESS; i++) {
        const char *id = kfm_db_value(db, p, res, i, CLAIMED_BOOKING);
        int lead = atoi(kfm_db_value(db, p, res, i, CLAIMED_LEAD));
        rv = kfm_booking_mail_reminder(&c, db, id, lead);
        if (rv == APR_SUCCESS) {
            KFM_CTX_LOG(&c, APLOG_INFO, "reminder %d min before booking %s queued", lead, id);
        }
    }
    if (rv != APR_SUCCESS) {
        kfm_db_rollback(NULL, &tx);
        return -1;
    }
    return kfm_db_commit(NULL, &tx) == APR_SUCCESS ? n : -1;
}

int kfm_reminders_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_db_job_setup(pconf, s, instance, "reminders",
                            kfm_messaging_conf_reminder_interval(kfm_messaging_conf_of(s)),
                            reminders_run, NULL, "no booking reminders are sent");
}
