/* What a payment event does to its booking, as the state machine decides it
 * (lib/bookings/kf_reservation.c) and the executor runs it: handed to the payments feature at
 * startup (kfm_booking_payment_moves in mod_kf_payment_events.h). */
#include "mod_kf_booking_payments.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_config.h"
#include "mod_kf_sql.h"
#include "kf_reservation.h"

const kfm_sql kfm_booking_payments_sql[] = {
    /* Late approval: stale holds and unpaid bookings overlapping the slot are expired first
     * (as booking creation does), then the slot is taken again only if nothing active
     * overlaps. The exclusion constraint stays the final judge: a hold slipping in between
     * makes the move fail, the transaction roll back and the event come again. Of a series'
     * first occurrence, the slot of every occurrence still in the same state is judged: the
     * series is taken back whole or not at all (API.md "Series, seats and teams"). The state
     * machine's expire moves (kf_res_expiry_moves), the booking's id twice, its state. */
    {"kf_payment_res_expire_stale",
     "SELECT kf_expire_due(r.professional_id, r.blocked, NULL, %s::jsonb) FROM (SELECT"
     "   professional_id, blocked FROM reservations WHERE id = %s::uuid"
     "   OR (series_id = %s::uuid AND status = %s) ORDER BY series_index) r"},
    /* late approval: does anything active overlap the booking's slot now (of a series' first
     * occurrence, any slot of its occurrences in its state)? The booking's id twice, its
     * state. Of its own class (a seat of a group class) only its seat counts: what the
     * exclusion constraint and the index of seats would refuse (sql/082) */
    {"kf_payment_res_slot_free",
     "SELECT NOT EXISTS (SELECT 1 FROM reservations o JOIN reservations r"
     "   ON r.id = %s::uuid OR (r.series_id = %s::uuid AND r.status = %s)"
     "   WHERE o.professional_id = r.professional_id AND o.id <> r.id AND o.blocked && r.blocked"
     "   AND o.status IN " KFM_SQL_ACTIVE_STATES
     "   AND (o.seat_class <> r.seat_class OR o.seat = r.seat))"},
    {NULL, NULL},
};

/* Runs what the state machine decided for a payment event (lib/bookings/kf_reservation.c): the
 * reservation's move and its history line, then the effects (callback, funnel, refund
 * flag). Sets *result to what payment_events.result records. */
static apr_status_t run_outcome(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                const char *res_id, int series, kf_res_state from,
                                const kf_res_outcome *o, const kf_payment_event *ev,
                                const char **result, int *slot_changed)
{
    apr_status_t rv = APR_SUCCESS;
    const char *from_name = kf_res_state_name(from);
    *result = kf_res_payment_result(o, from);
    if (o->moved && (o->effects & (KF_RES_FX_SLOT_FREED | KF_RES_FX_SLOT_TAKEN))) {
        *slot_changed = 1;
    }
    if (o->moved) {
        /* A booking becoming paid gets the token of its mails' link in the same move (one
         * write of its row per approval), so the mails only open it. The move is queued with
         * the event's other writes: kf_payment_lock holds the booking and read it in `from`;
         * should it not move, the statement fails and the event rolls back whole. A late
         * approval taking its slot again has the exclusion constraint as the final judge. */
        const char *token = NULL;
        kfm_booking_move_with with = {NULL, NULL, NULL};
        if ((o->effects & KF_RES_FX_CALLBACK_PAID) &&
            kf_manage_token_make(c->p, c->conf->keyring, res_id, &token,
                                 &with.manage_hash, &with.manage_sealed) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        rv = kfm_booking_move_queued(c, db, res_id, from, o, &with);
        if (strcmp(*result, KFM_PAYMENT_RESULT_REPAID) == 0) {
            KFM_CTX_LOG(c, APLOG_INFO, "late approval: booking %s was %s and got its slot back",
                       res_id, from_name);
        }
        else if (strcmp(*result, KFM_PAYMENT_RESULT_SLOT_LOST) == 0) {
            KFM_CTX_LOG(c, APLOG_WARNING, "late approval: booking %s lost its slot; payment %s "
                       "(transaction %s) flagged for refund", res_id, pay_id, ev->transaction_id);
        }
    }
    /* a series' payment is its first occurrence's: the others waiting with it follow, after
     * its effects; a late approval takes them back with it or loses the series whole (their
     * slots were judged with its own). They are read before those effects are queued, the
     * event's writes still going together at the commit */
    kfm_booking_followers later = {NULL, 0};
    if (rv == APR_SUCCESS && series && o->moved) {
        rv = kfm_booking_series_followers(c, db, res_id, from, &later);
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_effects(c, db, res_id, o);
    }
    if (rv == APR_SUCCESS && later.n > 0) {
        rv = kfm_booking_series_move(c, db, &later, from, o, NULL);
    }
    if (rv == APR_SUCCESS && (o->effects & KF_RES_FX_REFUND_FLAG)) {
        if (!o->moved) {
            KFM_CTX_LOG(c, APLOG_WARNING, "approved transaction %s for booking %s (%s): payment %s "
                       "flagged for refund", ev->transaction_id, res_id, from_name, pay_id);
        }
        rv = kfm_payment_flag(c, db, pay_id, 0, 1, o->flag_reason);
    }
    return rv;
}

/* An approval: the state machine decides from the reservation's state and, for an expired
 * or failed one, whether its slot is free now (stale holds and unpaid bookings overlapping
 * it are expired first, as booking creation does). */
static apr_status_t apply_approval(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                   const char *res_id, int series, const char *res_status,
                                   const char *pay_txid, const kf_payment_event *ev,
                                   const char **result, int *slot_changed)
{
    int state = kf_res_state_parse(res_status);
    if (state < 0) {
        return APR_EGENERAL;
    }
    kf_res_facts facts = {0};
    facts.same_transaction = pay_txid && strcmp(pay_txid, ev->transaction_id) == 0;
    if (state == KF_RES_EXPIRED || state == KF_RES_FAILED) {
        const char *a1[] = {res_id, res_id, res_status};
        const char *stale[] = {kf_res_expiry_moves(c->p), res_id, res_id, res_status};
        const char *free_now = NULL;
        kfm_rows *res = NULL;
        if (kfm_db_select(c->r, db, "kf_payment_res_expire_stale", &res, 4, stale) != APR_SUCCESS ||
            kfm_db_select_row(c->r, db, c->p, "kf_payment_res_slot_free", 3, a1, &free_now, 1) !=
                APR_SUCCESS) {
            return APR_EGENERAL;
        }
        facts.slot_free = strcmp(free_now, "t") == 0;
    }
    kf_res_outcome o = kf_reservation_next((kf_res_state)state, KF_RES_APPROVE, &facts);
    return run_outcome(c, db, pay_id, res_id, series, (kf_res_state)state, &o, ev, result,
                       slot_changed);
}

static apr_status_t approved(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             const kf_payment_event *ev, const char **result, int *slot_changed)
{
    return apply_approval(c, db, b->payment_id, b->booking_id, b->series, b->booking_status,
                          b->payment_transaction, ev, result, slot_changed);
}

static apr_status_t declined(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             const kf_payment_event *ev, const char **result, int *slot_changed)
{
    int state = kf_res_state_parse(b->booking_status);
    if (state < 0) {
        return APR_SUCCESS;
    }
    kf_res_facts facts = {0};
    facts.reason = apr_pstrcat(c->p, "payment_", kf_payment_status_name(ev->status), NULL);
    kf_res_outcome o = kf_reservation_next((kf_res_state)state, KF_RES_DECLINE, &facts);
    return run_outcome(c, db, b->payment_id, b->booking_id, b->series, (kf_res_state)state, &o,
                       ev, result, slot_changed);
}

static apr_status_t refunded(const kfm_ctx *c, ap_dbd_t *db, const kfm_paid_booking *b,
                             int refund_whole, int *slot_changed)
{
    int state = kf_res_state_parse(b->booking_status);
    if (state < 0) {
        return APR_SUCCESS;
    }
    kf_res_facts facts = {0};
    facts.refund_whole = refund_whole;
    kf_res_outcome o = kf_reservation_next((kf_res_state)state, KF_RES_REFUND, &facts);
    if (!o.moved) {
        return APR_SUCCESS;
    }
    apr_status_t rv = kfm_booking_cancel(c, db, b->booking_id, b->booking_status, &o, "merchant",
                                         NULL);
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_cancel_effects(c, db, b->booking_id, &o, 0);
    }
    *slot_changed = 1;
    KFM_CTX_LOG(c, APLOG_INFO, "booking %s cancelled: its payment %s was refunded in full at "
               "the provider", b->booking_id, b->payment_id);
    return rv;
}

const kfm_booking_payment_moves kfm_booking_payment_moves_of_bookings = {approved, declined,
                                                                          refunded};
