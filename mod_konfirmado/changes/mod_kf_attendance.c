/* After the appointment (API.md "Admin API"): the merchant marks a booking completed or
 * no_show (POST /api/admin/bookings/{id}/complete, /no-show), changes that mark to the other
 * one or takes it back (DELETE /api/admin/bookings/{id}/mark) within a day of it, and the
 * auto-complete job completes what nobody marked auto_complete_hours (a tenant setting)
 * after its end. The state machine decides (kf_reservation_next COMPLETE / MARK_NO_SHOW /
 * UNMARK: when a mark may be made, changed or taken back, and to what); the executor moves
 * the booking and queues booking.completed or booking.no_show in the same transaction. */
#include "mod_kf_changes_feature.h"
#include "mod_kf_changes_columns.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_audit.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_jobs.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_sql.h"
#include "kf_booking_status.h"
#include "kf_attendance.h"
#include "kf_text.h"

#define AUTO_COMPLETE_BATCH 100

const kfm_sql kfm_attendance_sql[] = {
    /* id, tenant: the booking, locked, with the facts of a mark, its change and its undo */
    {"kf_attendance_facts",
     "SELECT " KFM_SQL_COLUMNS(KFM_ATTENDANCE_COLUMNS)
     " FROM reservations r LEFT JOIN LATERAL " KFM_SQL_STANDING_MARK("r") " m ON true"
     " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    /* bookings nobody marked, auto_complete_hours after their end, oldest first; each is
     * moved from the state read here (a compare-and-set: one marked meanwhile stays so). One
     * whose mark its merchant took back waits for them: completing it again would undo the
     * undo (at once, with 0 hours). */
    {"kf_auto_complete_due",
     "SELECT " KFM_SQL_COLUMNS(KFM_AUTO_COMPLETE_COLUMNS)
     " FROM reservations r JOIN tenants t ON t.id = r.tenant_id"
     " WHERE r.status IN " KFM_SQL_MARKABLE_STATES " AND r.ends_at <= now()"
     "   AND r.ends_at <= now() - make_interval(hours => t.auto_complete_hours)"
     "   AND NOT EXISTS (SELECT 1 FROM reservation_history h WHERE h.reservation_id = r.id"
     "     AND h.reason = '" KF_RES_MARK_UNDONE "')"
     " ORDER BY r.ends_at LIMIT " KFM_SQL_INT(AUTO_COMPLETE_BATCH)},
    {NULL, NULL},
};

/* The machine's outcome for `event` on the row read, moved by the executor with its effects
 * (the callback). APR_EINVAL when the machine refuses (*o says why). */
static apr_status_t mark(const kfm_ctx *c, ap_dbd_t *db, const char **v, kf_res_event event,
                         int automatic, kf_res_outcome *o)
{
    int state = kf_res_state_parse(v[KF_MARK_COL_STATUS]);
    *o = kf_attendance_next(v, event, automatic);
    if (state < 0 || o->refused) {
        return APR_EINVAL;
    }
    apr_status_t rv = kfm_booking_move(c, db, v[KF_MARK_COL_ID], (kf_res_state)state, o, NULL);
    return rv == APR_SUCCESS ? kfm_booking_effects(c, db, v[KF_MARK_COL_ID], o) : rv;
}

static int handle_mark(kfm_req *kr, kf_res_event event, const char *action)
{
    const char *id = apr_table_get(kr->params, "id");
    const char *v[KF_MARK_COL_COUNT];
    kfm_tx tx;
    kf_res_outcome o;
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (!kfm_admin_booking_lock(kr, "kf_attendance_facts", id, &tx, v, KF_MARK_COL_COUNT)) {
        return OK;
    }
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    apr_status_t rv = mark(&c, kr->db, v, event, 0, &o);
    if (rv == APR_EINVAL) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, o.refused);
    }
    if (rv == KFM_DB_ECONSTRAINT) {   /* taken back: its slot was booked since the read */
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, "slot_unavailable");
    }
    if (rv != APR_SUCCESS ||
        kfm_audit(kr, kr->db, action, "booking", id, kf_attendance_changes(v, o.next)) !=
            APR_SUCCESS ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (o.effects & KF_RES_FX_SLOT_TAKEN) {
        kfm_availability_cache_bump_professional(kr, v[KF_MARK_COL_PROFESSIONAL]);
    }
    return kfm_reply_json(kr, HTTP_OK, kf_booking_marked_view(id, o.next, v[KF_MARK_COL_START],
                                                              v[KF_MARK_COL_END]));
}

int kfm_handle_admin_booking_complete(kfm_req *kr)
{
    return handle_mark(kr, KF_RES_COMPLETE, "booking.complete");
}

int kfm_handle_admin_booking_no_show(kfm_req *kr)
{
    return handle_mark(kr, KF_RES_MARK_NO_SHOW, "booking.no_show");
}

int kfm_handle_admin_booking_unmark(kfm_req *kr)
{
    return handle_mark(kr, KF_RES_UNMARK, "booking.mark_undone");
}

/* ---------------------------------------------------------------- the auto-complete job */

/* Each due booking in a transaction of its own: one that fails is logged and tried on the
 * next run; the others go on. */
static int auto_complete_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    kfm_ctx c = kfm_ctx_of_job(s, p);
    kfm_rows *res = NULL;
    if (kfm_db_select(NULL, db, "kf_auto_complete_due", &res, 0, NULL) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(db, res), done = 0;
    for (int i = 0; i < n; i++) {
        const char *v[KF_MARK_COL_COUNT];
        kf_res_outcome o;
        kfm_tx tx;
        kfm_db_row(db, p, res, i, v, KF_MARK_COL_COUNT);
        if (kfm_db_begin(NULL, db, &tx) != APR_SUCCESS) {
            return -1;
        }
        apr_status_t rv = mark(&c, db, v, KF_RES_COMPLETE, 1, &o);
        if (rv == APR_SUCCESS && kfm_db_commit(NULL, &tx) == APR_SUCCESS) {
            done++;
            continue;
        }
        kfm_db_rollback(NULL, &tx);
        if (rv != APR_EAGAIN) {   /* EAGAIN: marked by its merchant meanwhile */
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "auto-complete: booking %s could not be "
                         "completed; next run", v[KF_MARK_COL_ID]);
        }
    }
    if (done > 0) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "auto-complete: %d booking(s) completed", done);
    }
    return done;
}

int kfm_auto_complete_job_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    /* as often as expiry runs: a booking is completed within that of its due time */
    return kfm_db_job_setup(pconf, s, instance, "auto-complete",
                            kfm_payments_conf_expiry_interval(kfm_payments_conf_of(s)),
                            auto_complete_run, NULL,
                            "bookings are completed only when their merchant marks them");
}
