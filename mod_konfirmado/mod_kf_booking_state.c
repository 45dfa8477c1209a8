/* The booking state machine's executor: see mod_kf_booking_state.h. */
#include "mod_kf_booking_state.h"

const kfm_sql kfm_booking_state_sql[] = {
    /* id, from, to, history reason, status reason, deadline, manage token hash and sealed
     * form: one row when it moved */
    {"kf_bs_move",
     "SELECT 1 WHERE kf_reservation_move(%s::uuid, %s, %s, %s, %s, %s::timestamptz, %s, %s)"},
    {"kf_bs_must_move",
     "SELECT kf_reservation_must_move(%s::uuid, %s, %s, %s, %s, %s::timestamptz, %s, %s)"},
    {NULL, NULL},
};

static apr_status_t run(const kfm_ctx *c, ap_dbd_t *db, const char *label, int *moved,
                        const char *id, kf_res_state from, const kf_res_outcome *o,
                        const kfm_booking_move_with *with)
{
    static const kfm_booking_move_with nothing = {NULL, NULL, NULL};
    const kfm_booking_move_with *w = with ? with : &nothing;
    const char *args[] = {id, kf_res_state_name(from), kf_res_state_name(o->next), o->reason,
                          kf_res_status_reason(o), w->deadline, w->manage_hash, w->manage_sealed};
    if (!args[1] || !args[2]) {
        return APR_EINVAL;
    }
    return kfm_db_exec(c->r, db, label, moved, 8, args);
}

apr_status_t kfm_booking_move(const kfm_ctx *c, ap_dbd_t *db, const char *id, kf_res_state from,
                              const kf_res_outcome *o, const kfm_booking_move_with *with)
{
    int moved = 0;
    apr_status_t rv = run(c, db, "kf_bs_move", &moved, id, from, o, with);
    return rv != APR_SUCCESS ? rv : moved == 1 ? APR_SUCCESS : APR_EAGAIN;
}

apr_status_t kfm_booking_move_queued(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                     kf_res_state from, const kf_res_outcome *o,
                                     const kfm_booking_move_with *with)
{
    return run(c, db, "kf_bs_must_move", NULL, id, from, o, with);
}
