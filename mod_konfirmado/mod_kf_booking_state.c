/* The booking state machine's executor: see mod_kf_booking_state.h. */
#include "mod_kf_booking_state.h"

const kfm_sql kfm_booking_state_sql[] = {
    /* id, from, to, history reason, status reason, deadline: one row when it moved */
    {"kf_bs_move",
     "SELECT 1 WHERE kf_reservation_move(%s::uuid, %s, %s, %s, %s, %s::timestamptz)"},
    {"kf_bs_must_move",
     "SELECT kf_reservation_must_move(%s::uuid, %s, %s, %s, %s, %s::timestamptz)"},
    {NULL, NULL},
};

static apr_status_t run(const kfm_ctx *c, ap_dbd_t *db, const char *label, int *moved,
                        const char *id, kf_res_state from, const kf_res_outcome *o,
                        const char *deadline)
{
    const char *args[] = {id, kf_res_state_name(from), kf_res_state_name(o->next), o->reason,
                          kf_res_status_reason(o), deadline};
    if (!args[1] || !args[2]) {
        return APR_EINVAL;
    }
    return kfm_db_exec(c->r, db, label, moved, 6, args);
}

apr_status_t kfm_booking_move(const kfm_ctx *c, ap_dbd_t *db, const char *id, kf_res_state from,
                              const kf_res_outcome *o, const char *deadline)
{
    int moved = 0;
    apr_status_t rv = run(c, db, "kf_bs_move", &moved, id, from, o, deadline);
    return rv != APR_SUCCESS ? rv : moved == 1 ? APR_SUCCESS : APR_EAGAIN;
}

apr_status_t kfm_booking_move_queued(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                     kf_res_state from, const kf_res_outcome *o,
                                     const char *deadline)
{
    return run(c, db, "kf_bs_must_move", NULL, id, from, o, deadline);
}
