/* The calendar sync job: each connection whose busy times are due (every
 * KonfirmadoCalendarRefresh seconds) or whose change channel runs out within a day is read and
 * its channel kept up (kfm_calendar_sync); a calendar that tells of no change (CalDAV) has
 * its events of ours read again as well (kfm_calendar_outside_check_job), so that one the
 * professional deleted or moved there flags its booking at most KonfirmadoCalendarRefresh
 * late. */
#include "mod_kf_calendar.h"
#include "mod_kf_calendars_feature.h"
#include "mod_kf_jobs.h"

/* connections handled per run, and how long one stays claimed */
#define BATCH 10
#define LEASE_SECONDS 60

const kfm_sql kfm_calendar_sync_job_sql[] = {
    /* connections whose busy times are due or whose channel runs out within a day */
    {"kf_cal_sync_claim",
     "WITH due AS (SELECT professional_id FROM calendar_connections"
     "   WHERE status = 'connected' AND (sync_lease_until IS NULL OR sync_lease_until < now())"
     "     AND (sync_due_at <= now() OR channel_expires_at < now() + interval '1 day')"
     "   ORDER BY sync_due_at LIMIT %s::int FOR UPDATE SKIP LOCKED)"
     " UPDATE calendar_connections c"
     " SET sync_lease_until = now() + make_interval(secs => %s::int)"
     " FROM due WHERE c.professional_id = due.professional_id RETURNING c.professional_id"},
    {NULL, NULL},
};

static void sync_one(kfm_ctx *c, ap_dbd_t *db, const char **v)
{
    const char *professional_id = v[0];
    int in_order = kfm_calendar_sync(c, db, professional_id);
    kfm_calendar_outside_check_job(c, db, professional_id);
    if (in_order) {
        /* a failing channel keeps its lease, so that it is tried once a lease, not each run */
        const char *args[] = {professional_id};
        kfm_db_exec(c->r, db, "kf_cal_sync_release", NULL, 1, args);
    }
}

static const kfm_claim_job sync_job = {
    "calendar sync", "kf_cal_sync_claim", BATCH, LEASE_SECONDS, 1, sync_one,
    "connected calendars are read only when a notification or a hold asks",
};

int kfm_calendar_sync_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    return kfm_claim_job_register(pconf, s, instance, &sync_job);
}
