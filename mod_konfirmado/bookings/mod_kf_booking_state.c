/* The booking state machine's executor: see mod_kf_booking_state.h. */
#include "mod_kf_booking_state.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_booking_mail.h"
#include "mod_kf_booking_paid.h"
#include "mod_kf_booking_checkout.h"
#include "mod_kf_calendar.h"
#include "mod_kf_callback_queue.h"
#include "mod_kf_purchase_life.h"

const kfm_sql kfm_booking_state_sql[] = {
    /* id, from, to, history reason, status reason, deadline, manage token hash and sealed
     * form, the funnel step it is (or NULL): one row when it moved */
    {"kf_bs_move",
     "SELECT 1 WHERE kf_reservation_move(%s::uuid, %s, %s, %s, %s, %s::timestamptz, %s, %s, %s)"},
    /* the same for many bookings (comma-separated ids, one lock order): how many moved */
    {"kf_bs_move_many",
     "SELECT count(*) FROM (SELECT id FROM unnest(string_to_array(%s, ',')::uuid[]) AS b(id)"
     " ORDER BY id) b WHERE kf_reservation_move(b.id, %s, %s, %s, %s, %s::timestamptz, %s, %s, %s)"},
    {"kf_bs_must_move",
     "SELECT kf_reservation_must_move(%s::uuid, %s, %s, %s, %s, %s::timestamptz, %s, %s, %s)"},
    /* by, note, id: who cancelled and why, on the booking just cancelled; its invites'
     * SEQUENCE grows (the cancellation updates the event in calendars) */
    {"kf_cancel_record",
     "UPDATE reservations SET cancelled_by = %s, cancel_reason = %s, cancelled_at = now(),"
     " ics_sequence = ics_sequence + 1 WHERE id = %s::uuid"},
    /* a series' first occurrence, the state it left: its later occurrences still in it, in
     * order */
    {"kf_bs_series_followers",
     "SELECT id FROM reservations WHERE series_id = %s::uuid AND series_index > 1"
     " AND status = %s ORDER BY series_index"},
    {NULL, NULL},
};

static apr_status_t run(const kfm_ctx *c, ap_dbd_t *db, const char *label, int *moved,
                        const char *id, kf_res_state from, const kf_res_outcome *o,
                        const kfm_booking_move_with *with)
{
    static const kfm_booking_move_with nothing = {NULL, NULL, NULL};
    const kfm_booking_move_with *w = with ? with : &nothing;
    /* the funnel's step goes with the move (kf_reservation_move writes it) */
    const char *args[] = {id, kf_res_state_name(from), kf_res_state_name(o->next), o->reason,
                          kf_res_status_reason(o), w->deadline, w->manage_hash, w->manage_sealed,
                          (o->effects & KF_RES_FX_FUNNEL_APPROVED) ? "payment_approved" : NULL};
    if (!args[1] || !args[2]) {
        return APR_EINVAL;
    }
    return kfm_db_exec(c->r, db, label, moved, 9, args);
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

/* What the machine's effects run, in this order, in the move's transaction. A row runs when
 * any bit of `bits` is set and none of `unless`: `run` with the booking's id, or the merchant's
 * `callback` of that event queued, or, for the making of a booking, `with` the booking being
 * made and `after` its commit. The funnel's step (KF_RES_FX_FUNNEL_APPROVED) is written by
 * the move itself. The money
 * (KF_RES_FX_REFUND_FLAG) is the caller's, who knows the amount; the availability caches
 * (KF_RES_FX_SLOT_FREED, _TAKEN) are bumped by the caller after its commit. */
static const struct {
    unsigned bits, unless;
    apr_status_t (*run)(const kfm_ctx *c, ap_dbd_t *db, const char *id);
    const char *callback;
    kfm_new_booking_effect_fn *with;
    kfm_new_booking_after_fn *after;
} effects[] = {
    /* a booking being made: a package's session pays for it, or its payment is prepared
     * and its checkout asked after the commit (none made: abandoned on the way back) */
    {KF_RES_FX_SESSION_SPENT, 0, NULL, NULL, kfm_booking_session_spend, NULL},
    {KF_RES_FX_CHECKOUT, 0, NULL, NULL, kfm_booking_checkout_prepare, kfm_booking_checkout_make},
    {KF_RES_FX_CHECKOUT_ABANDONED, 0, NULL, NULL, kfm_booking_checkout_abandon, NULL},
    /* paid: the callback, the confirmation mails and the calendar event, from one read */
    {KF_RES_FX_CALLBACK_PAID | KF_RES_FX_MAIL_CONFIRMATION, 0, kfm_booking_paid_effects, NULL,
     NULL, NULL},
    {KF_RES_FX_CALLBACK_CANCELLED, 0, NULL, "booking.cancelled", NULL, NULL},
    {KF_RES_FX_CALLBACK_RESCHEDULED, 0, NULL, "booking.rescheduled", NULL, NULL},
    {KF_RES_FX_CALLBACK_COMPLETED, 0, NULL, "booking.completed", NULL, NULL},
    {KF_RES_FX_CALLBACK_NO_SHOW, 0, NULL, "booking.no_show", NULL, NULL},
    {KF_RES_FX_MAIL_CANCELLED, 0, kfm_booking_mails_cancelled, NULL, NULL, NULL},
    {KF_RES_FX_MAIL_RESCHEDULED, 0, kfm_booking_mails_rescheduled, NULL, NULL, NULL},
    {KF_RES_FX_CALENDAR_EVENT, KF_RES_FX_CALLBACK_PAID | KF_RES_FX_MAIL_CONFIRMATION,
     kfm_calendar_event_queue, NULL, NULL, NULL},
};

#define EFFECT_ROWS (sizeof effects / sizeof effects[0])

static int row_runs(size_t i, unsigned fx)
{
    return (fx & effects[i].bits) && !(fx & effects[i].unless);
}

/* The rows of o's effects; one that needs a booking being made fails without it. */
static apr_status_t run_effects(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                const kf_res_outcome *o, kfm_new_booking *nb)
{
    apr_status_t rv = APR_SUCCESS;
    for (size_t i = 0; rv == APR_SUCCESS && i < EFFECT_ROWS; i++) {
        if (row_runs(i, o->effects)) {
            rv = effects[i].run        ? effects[i].run(c, db, id)
                 : effects[i].callback ? kfm_callback_queue_event(c, db, id, effects[i].callback)
                 : nb                  ? effects[i].with(c, db, id, nb)
                                       : APR_EINVAL;
        }
    }
    return rv;
}

apr_status_t kfm_booking_effects(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                 const kf_res_outcome *o)
{
    return run_effects(c, db, id, o, NULL);
}

apr_status_t kfm_booking_series_followers(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                          kf_res_state from, kfm_booking_followers *out)
{
    const char *args[] = {id, kf_res_state_name(from)};
    kfm_rows *res = NULL;
    out->n = 0;
    out->ids = NULL;
    if (!args[1] || kfm_db_select(c->r, db, "kf_bs_series_followers", &res, 2, args) !=
        APR_SUCCESS) {
        return APR_EGENERAL;
    }
    out->n = kfm_db_rows(db, res);
    out->ids = apr_palloc(c->p, sizeof(char *) * (apr_size_t)(out->n + 1));
    for (int i = 0; i < out->n; i++) {
        out->ids[i] = kfm_db_value(db, c->p, res, i, 0);
    }
    return APR_SUCCESS;
}

apr_status_t kfm_booking_series_follow(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                       kf_res_state from, const kf_res_outcome *o,
                                       const kfm_booking_move_with *with)
{
    kfm_booking_followers f;
    apr_status_t rv = kfm_booking_series_followers(c, db, id, from, &f);
    return rv == APR_SUCCESS ? kfm_booking_series_move(c, db, &f, from, o, with) : rv;
}

apr_status_t kfm_booking_series_move(const kfm_ctx *c, ap_dbd_t *db,
                                     const kfm_booking_followers *f, kf_res_state from,
                                     const kf_res_outcome *o, const kfm_booking_move_with *with)
{
    const char *const *ids = f->ids;
    int n = f->n;
    /* the deadline is the first's; a manage token is each booking's own (none: the first's
     * opens them all) */
    kfm_booking_move_with same = {with ? with->deadline : NULL, NULL, NULL};
    /* the funnel's step is the first's alone (its move writes it) */
    kf_res_outcome each = *o;
    each.effects &= ~(unsigned)KF_RES_FX_FUNNEL_APPROVED;
    apr_status_t rv = APR_SUCCESS;
    for (int i = 0; rv == APR_SUCCESS && i < n; i++) {
        rv = kfm_booking_move(c, db, ids[i], from, &each, &same);
        if (rv == APR_SUCCESS && (o->effects & KF_RES_FX_CALLBACK_PAID)) {
            rv = kfm_booking_series_paid_effects(c, db, ids[i]);
        }
        else if (rv == APR_SUCCESS && (o->effects & KF_RES_FX_CALENDAR_EVENT)) {
            rv = kfm_calendar_event_queue(c, db, ids[i]);
        }
    }
    return rv;
}

apr_status_t kfm_booking_make(const kfm_ctx *c, ap_dbd_t *db, const char *id, kf_res_state from,
                              const kf_res_outcome *o, const kfm_booking_move_with *with,
                              kfm_new_booking *nb)
{
    apr_status_t rv = kfm_booking_move(c, db, id, from, o, with);
    rv = rv == APR_SUCCESS ? run_effects(c, db, id, o, nb) : rv;
    /* a series is booked whole from its hold (paid again, its first occurrence only) */
    return rv == APR_SUCCESS && nb && nb->series && from == KF_RES_HELD
               ? kfm_booking_series_follow(c, db, id, from, o, with) : rv;
}

/* Nothing was made at the provider: the machine's checkout_failed, in its own transaction
 * on the request's connection: back to the hold with its own deadline (a booking paid
 * again: back to failed), its payment abandoned (the outcome's effects), so the customer can
 * try again as before. */
static apr_status_t back_to_hold(const kfm_ctx *c, const char *id, kfm_new_booking *nb)
{
    kf_res_facts f = {0};
    f.paying_again = nb->paying_again;
    kf_res_outcome o = kf_reservation_next(KF_RES_PENDING_PAYMENT, KF_RES_CHECKOUT_FAILED, &f);
    kfm_booking_move_with back = {nb->hold_expires, NULL, NULL};
    ap_dbd_t *db = nb->kr->db;
    kfm_tx tx;
    if (kfm_db_begin(c->r, db, &tx) != APR_SUCCESS ||
        kfm_booking_move(c, db, id, KF_RES_PENDING_PAYMENT, &o, &back) != APR_SUCCESS ||
        run_effects(c, db, id, &o, nb) != APR_SUCCESS ||
        (nb->series &&
         kfm_booking_series_follow(c, db, id, KF_RES_PENDING_PAYMENT, &o, &back) != APR_SUCCESS) ||
        kfm_db_commit(c->r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(c->r, &tx);
        KFM_CTX_LOG(c, APLOG_ERR, "booking %s: no checkout and it could not go back to its "
                    "hold; its payment window will run out", id);
        nb->provider_error = 0;   /* the answer is the failure's, not the provider's */
        return APR_EGENERAL;
    }
    return APR_ENOENT;
}

apr_status_t kfm_booking_made_after_commit(const kfm_ctx *c, const char *id,
                                           const kf_res_outcome *o, kfm_new_booking *nb)
{
    apr_status_t rv = APR_SUCCESS;
    for (size_t i = 0; rv == APR_SUCCESS && i < EFFECT_ROWS; i++) {
        if (effects[i].after && row_runs(i, o->effects)) {
            rv = effects[i].after(c, nb);
        }
    }
    return rv == APR_ENOENT ? back_to_hold(c, id, nb) : rv;
}

apr_status_t kfm_booking_cancel(const kfm_ctx *c, ap_dbd_t *db, const char *res_id, const char *from,
                                const kf_res_outcome *o, const char *by, const char *note)
{
    int state = kf_res_state_parse(from);
    if (state < 0) {
        return APR_EGENERAL;
    }
    apr_status_t rv = kfm_booking_move(c, db, res_id, (kf_res_state)state, o, NULL);
    if (rv == APR_EAGAIN) {
        return APR_EGENERAL;   /* the booking was locked as `from`: this cannot happen */
    }
    const char *record[] = {by, note, res_id};
    return rv == APR_SUCCESS ? kfm_db_exec(c->r, db, "kf_cancel_record", NULL, 3, record) : rv;
}

apr_status_t kfm_booking_cancel_effects(const kfm_ctx *c, ap_dbd_t *db, const char *res_id,
                                        const kf_res_outcome *o, int before_cutoff)
{
    /* packages: before the cutoff a session of a purchase goes back to it */
    apr_status_t rv = kfm_purchase_session_cancelled(c, db, res_id, before_cutoff);
    return rv == APR_SUCCESS ? kfm_booking_effects(c, db, res_id, o) : rv;
}

apr_status_t kfm_booking_callback_acknowledged(const kfm_ctx *c, ap_dbd_t *db,
                                               const char *const *booking_ids,
                                               const char *const *events, int n)
{
    /* the merchant acknowledged the payment: a booking still paid is confirmed (a
     * cancelled one stays so: the move is only from `paid`) */
    kf_res_outcome o = kf_reservation_next(KF_RES_PAID, KF_RES_CALLBACK_ACKED, NULL);
    const char *paid = kf_res_acknowledged_paid(c->p, booking_ids, events, n);
    if (!o.moved || !paid) {
        return APR_SUCCESS;
    }
    /* one cancelled (or confirmed) meanwhile stays so: it is not counted, nothing fails */
    return run(c, db, "kf_bs_move_many", NULL, paid, KF_RES_PAID, &o, NULL);
}
