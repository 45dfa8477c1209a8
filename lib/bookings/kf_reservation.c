/* The booking's state machine: see kf_reservation.h. */
#include "kf_reservation.h"
#include "kf_payment.h"
#include "kf_json.h"

#include <apr_strings.h>

#include <string.h>

static const char *const state_names[KF_RES_STATE_COUNT] = {
    "held", "pending_payment", "paid", "confirmed", "failed", "expired", "cancelled",
    "completed", "no_show",
};

const char *kf_res_state_name(kf_res_state s)
{
    return (int)s >= 0 && s < KF_RES_STATE_COUNT ? state_names[s] : NULL;
}

int kf_res_state_parse(const char *name)
{
    for (int i = 0; name && i < KF_RES_STATE_COUNT; i++) {
        if (strcmp(state_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

int kf_res_state_active(kf_res_state s)
{
    return s == KF_RES_HELD || s == KF_RES_PENDING_PAYMENT || s == KF_RES_PAID ||
           s == KF_RES_CONFIRMED;
}

static kf_res_outcome stay(kf_res_state s)
{
    kf_res_outcome o;
    memset(&o, 0, sizeof(o));
    o.next = s;
    return o;
}

static kf_res_outcome go(kf_res_state from, kf_res_state to, const char *reason, unsigned fx)
{
    kf_res_outcome o = stay(from);
    o.next = to;
    o.moved = 1;
    o.reason = reason;
    o.effects = fx;
    if (fx & (KF_RES_FX_MAIL_CONFIRMATION | KF_RES_FX_MAIL_CANCELLED | KF_RES_FX_MAIL_RESCHEDULED)) {
        o.effects |= KF_RES_FX_CALENDAR_EVENT;
    }
    return o;
}

static kf_res_outcome refuse(kf_res_state s, const char *code)
{
    kf_res_outcome o = stay(s);
    o.refused = code;
    return o;
}

static kf_res_outcome flag(kf_res_state s, const char *why)
{
    kf_res_outcome o = stay(s);
    o.effects = KF_RES_FX_REFUND_FLAG;
    o.flag_reason = why;
    return o;
}

/* An authentic approval of the asked amount. No approved payment is ever dropped silently:
 * where it cannot pay for the booking it is flagged for refund. */
static kf_res_outcome approve(kf_res_state s, const kf_res_facts *f)
{
    static const unsigned became_paid = KF_RES_FX_CALLBACK_PAID | KF_RES_FX_FUNNEL_APPROVED |
                                        KF_RES_FX_MAIL_CONFIRMATION;
    switch (s) {
    case KF_RES_PENDING_PAYMENT:
        return go(s, KF_RES_PAID, "payment_approved", became_paid);
    case KF_RES_EXPIRED:
    case KF_RES_FAILED:
        if (f->slot_free) {
            return go(s, KF_RES_PAID, "late_approval", became_paid | KF_RES_FX_SLOT_TAKEN);
        }
        {
            kf_res_outcome o = go(s, KF_RES_FAILED, "slot_lost", KF_RES_FX_REFUND_FLAG);
            o.flag_reason = "slot_lost";
            return o;
        }
    case KF_RES_PAID:
    case KF_RES_CONFIRMED:
    case KF_RES_COMPLETED:
    case KF_RES_NO_SHOW:
        return f->same_transaction ? stay(s) : flag(s, "second_approval");
    case KF_RES_CANCELLED:
        return flag(s, "approved_while_cancelled");
    default:
        return flag(s, "approved_while_held");
    }
}

/* API.md: 409 cancel_closed after the cutoff (customers) or when the booking is not paid or
 * confirmed; cancelling a cancelled booking again changes nothing (the glue answers 200). */
static kf_res_outcome cancel(kf_res_state s, const kf_res_facts *f)
{
    if (s == KF_RES_CANCELLED) {
        return stay(s);
    }
    if (s != KF_RES_PAID && s != KF_RES_CONFIRMED) {
        return refuse(s, "cancel_closed");
    }
    if (!f->by_merchant && !f->before_cutoff) {
        return refuse(s, "cancel_closed");
    }
    const char *reason = f->reason ? f->reason
                         : f->by_merchant ? "cancelled_by_merchant" : "cancelled_by_customer";
    kf_res_outcome o = go(s, KF_RES_CANCELLED, reason,
                          KF_RES_FX_MAIL_CANCELLED | KF_RES_FX_SLOT_FREED |
                              KF_RES_FX_CALLBACK_CANCELLED);
    if (f->money_taken) {
        o.effects |= KF_RES_FX_REFUND_FLAG;
        o.flag_reason = "cancelled";
    }
    return o;
}

static kf_res_outcome reschedule(kf_res_state s, const kf_res_facts *f)
{
    /* API.md: 409 reschedule_closed (cutoff, limit, not paid/confirmed), 409 hold_expired */
    if (s != KF_RES_PAID && s != KF_RES_CONFIRMED) {
        return refuse(s, "reschedule_closed");
    }
    if (!f->by_merchant && (!f->before_cutoff || f->reschedules_left <= 0)) {
        return refuse(s, "reschedule_closed");
    }
    if (!f->slot_free) {
        /* the customer brings a hold (gone: hold_expired); the merchant names a start that
         * must be offered now (the hold endpoint's slot_unavailable) */
        return refuse(s, f->by_merchant ? "slot_unavailable" : "hold_expired");
    }
    return go(s, s, "rescheduled",
              KF_RES_FX_CALLBACK_RESCHEDULED | KF_RES_FX_MAIL_RESCHEDULED | KF_RES_FX_SLOT_FREED |
                  KF_RES_FX_SLOT_TAKEN);
}

/* Paying again (POST /api/public/bookings/{id}/pay): only a booking that nothing paid for and
 * that holds no slot any more, failed or expired; the hold the customer took for it gives it
 * a slot again (the hold is used up in the same transaction: nothing is freed or taken). */
static kf_res_outcome pay_again(kf_res_state s, const kf_res_facts *f)
{
    if ((s != KF_RES_FAILED && s != KF_RES_EXPIRED) || f->money_taken) {
        return refuse(s, "payment_closed");
    }
    if (!f->slot_free) {
        return refuse(s, "hold_expired");
    }
    return go(s, KF_RES_PENDING_PAYMENT, "payment_retried", KF_RES_FX_CHECKOUT);
}

int kf_res_mark_open(apr_int64_t marked_at, apr_int64_t now)
{
    return marked_at > 0 && now - marked_at < KF_RES_MARK_OPEN_SECONDS;
}

static int marked(kf_res_state s)
{
    return s == KF_RES_COMPLETED || s == KF_RES_NO_SHOW;
}

/* API.md: a paid or confirmed booking whose end has passed is marked; the merchant changes a
 * mark to the other one while it is open (the job never does: it marks only what nobody
 * marked). Anything else is 409 invalid_transition (the same mark again included). */
static kf_res_outcome attended(kf_res_state s, kf_res_event e, const kf_res_facts *f)
{
    kf_res_state to = e == KF_RES_MARK_NO_SHOW ? KF_RES_NO_SHOW : KF_RES_COMPLETED;
    int markable = (s == KF_RES_PAID || s == KF_RES_CONFIRMED) && f->ended;
    int changeable = marked(s) && s != to && !f->automatic &&
                     kf_res_mark_open(f->marked_at, f->now);
    if (!markable && !changeable) {
        return refuse(s, "invalid_transition");
    }
    if (to == KF_RES_NO_SHOW) {
        return go(s, KF_RES_NO_SHOW, "no_show", KF_RES_FX_CALLBACK_NO_SHOW);
    }
    return go(s, KF_RES_COMPLETED, f->automatic ? "completed_automatically" : "completed",
              KF_RES_FX_CALLBACK_COMPLETED);
}

/* API.md: a mark taken back while it is open puts the booking back as it was before the
 * mark, unmarked (no callback: the merchant's server keeps the mark it last heard of until
 * the next one); it holds its slot again, so one booked since (a buffer after its end) keeps
 * the mark standing. */
static kf_res_outcome unmark(kf_res_state s, const kf_res_facts *f)
{
    int back = f->marked_from == KF_RES_PAID || f->marked_from == KF_RES_CONFIRMED;
    if (!marked(s) || !back || !kf_res_mark_open(f->marked_at, f->now)) {
        return refuse(s, "invalid_transition");
    }
    if (!f->slot_free) {
        return refuse(s, "slot_unavailable");
    }
    return go(s, f->marked_from, KF_RES_MARK_UNDONE, KF_RES_FX_SLOT_TAKEN);
}

const char *kf_res_status_reason(const kf_res_outcome *o)
{
    return !o || o->next == KF_RES_CONFIRMED || (o->effects & KF_RES_FX_CALLBACK_RESCHEDULED)
               ? NULL : o->reason;
}

const char *kf_res_payment_result(const kf_res_outcome *o, kf_res_state from)
{
    if (!o->moved) {
        return KF_PAYMENT_RESULT_UNCHANGED;
    }
    if (o->effects & KF_RES_FX_SLOT_TAKEN) {
        return KF_PAYMENT_RESULT_REPAID;
    }
    if (o->next == KF_RES_FAILED && from != KF_RES_PENDING_PAYMENT) {
        return KF_PAYMENT_RESULT_SLOT_LOST;
    }
    return o->next == KF_RES_PAID ? KF_PAYMENT_RESULT_PAID : KF_PAYMENT_RESULT_FAILED;
}

kf_res_outcome kf_reservation_next(kf_res_state s, kf_res_event e, const kf_res_facts *facts)
{
    static const kf_res_facts none = {0};
    const kf_res_facts *f = facts ? facts : &none;
    if ((int)s < 0 || s >= KF_RES_STATE_COUNT) {
        return refuse(s, "unknown_state");
    }
    switch (e) {
    case KF_RES_BOOK:
        if (s != KF_RES_HELD) {
            return refuse(s, "hold_expired");
        }
        if (!f->free_service) {
            return go(s, KF_RES_PENDING_PAYMENT, "details_entered", KF_RES_FX_CHECKOUT);
        }
        return go(s, KF_RES_PAID, "details_entered",
                  KF_RES_FX_CALLBACK_PAID | KF_RES_FX_MAIL_CONFIRMATION |
                      (f->purchase_session ? KF_RES_FX_SESSION_SPENT : 0));
    case KF_RES_APPROVE:
        return approve(s, f);
    case KF_RES_DECLINE:
        /* only a booking waiting for its money fails; the slot is free again */
        return s == KF_RES_PENDING_PAYMENT
                   ? go(s, KF_RES_FAILED, f->reason ? f->reason : "payment_declined",
                        KF_RES_FX_SLOT_FREED)
                   : stay(s);
    case KF_RES_PENDING:
        return stay(s);
    case KF_RES_EXPIRE:
        if (s == KF_RES_HELD) {
            return go(s, KF_RES_EXPIRED, "hold_expired", KF_RES_FX_SLOT_FREED);
        }
        if (s == KF_RES_PENDING_PAYMENT) {
            return go(s, KF_RES_EXPIRED, "payment_window_passed", KF_RES_FX_SLOT_FREED);
        }
        return stay(s);
    case KF_RES_CANCEL:
        return cancel(s, f);
    case KF_RES_RESCHEDULE:
        return reschedule(s, f);
    case KF_RES_REFUND:
        if ((s == KF_RES_PAID || s == KF_RES_CONFIRMED) && f->refund_whole) {
            /* all the money given back outside a cancellation: the booking does not stand */
            return go(s, KF_RES_CANCELLED, "refunded",
                      KF_RES_FX_CALLBACK_CANCELLED | KF_RES_FX_MAIL_CANCELLED |
                          KF_RES_FX_SLOT_FREED | KF_RES_FX_CALENDAR_EVENT);
        }
        /* a part, or money of a booking that does not stand: recorded on its payment */
        return stay(s);
    case KF_RES_RELEASE:
        return s == KF_RES_HELD ? go(s, KF_RES_CANCELLED, "hold_released", KF_RES_FX_SLOT_FREED)
                                : refuse(s, "not_found");
    case KF_RES_HOLD_USED:
        /* the booking takes the slot in the same transaction: nothing is freed */
        return s == KF_RES_HELD ? go(s, KF_RES_EXPIRED,
                                     f->paying_again ? "used_to_pay_again" : "used_to_reschedule", 0)
                                : refuse(s, "hold_expired");
    case KF_RES_CHECKOUT_FAILED:
        /* nothing can have been paid: a booking being made goes back to its hold to try
         * again; one paid again (its hold used up) fails again and frees the slot */
        if (s != KF_RES_PENDING_PAYMENT) {
            return stay(s);
        }
        return f->paying_again ? go(s, KF_RES_FAILED, "checkout_failed",
                                    KF_RES_FX_CHECKOUT_ABANDONED | KF_RES_FX_SLOT_FREED)
                               : go(s, KF_RES_HELD, "checkout_failed", KF_RES_FX_CHECKOUT_ABANDONED);
    case KF_RES_COMPLETE:
    case KF_RES_MARK_NO_SHOW:
        return attended(s, e, f);
    case KF_RES_CALLBACK_ACKED:
        return s == KF_RES_PAID ? go(s, KF_RES_CONFIRMED, "callback_acknowledged", 0) : stay(s);
    case KF_RES_PAY_AGAIN:
        return pay_again(s, f);
    case KF_RES_UNMARK:
        return unmark(s, f);
    default:
        return refuse(s, "unknown_event");
    }
}

int kf_res_customer_may(kf_res_state s, kf_res_event e, int before_cutoff, int reschedules_left)
{
    if (e != KF_RES_CANCEL && e != KF_RES_RESCHEDULE) {
        return 0;
    }
    kf_res_facts f = {0};
    f.before_cutoff = before_cutoff;
    f.reschedules_left = reschedules_left;
    f.slot_free = 1;
    kf_res_outcome o = kf_reservation_next(s, e, &f);
    return !o.refused && o.moved;
}

int kf_refund_on_cancel(const char *choice, apr_int64_t paid, apr_int64_t requested,
                        apr_int64_t *amount)
{
    if (!choice) {
        return -1;
    }
    if (strcmp(choice, "full") == 0) {
        *amount = paid > 0 ? paid : 0;
        return 0;
    }
    if (strcmp(choice, "none") == 0) {
        *amount = 0;
        return 0;
    }
    if (strcmp(choice, "amount") == 0 && requested > 0 && requested <= paid) {
        *amount = requested;
        return 0;
    }
    return -1;
}

int kf_refund_on_cancel_taken(const char *choice, apr_int64_t paid, apr_int64_t requested,
                              apr_int64_t taken, apr_int64_t given, apr_int64_t *amount)
{
    apr_int64_t share = 0;
    if (kf_refund_on_cancel(choice, paid, requested, &share) != 0) {
        return -1;
    }
    /* the extra of a payment made twice was never the merchant's: it goes back with any refund */
    apr_int64_t extra = taken > paid && paid > 0 ? taken - paid : 0;
    apr_int64_t left = (taken > paid ? taken : paid) - (given > 0 ? given : 0);
    apr_int64_t out = share > 0 ? share + extra : 0;
    *amount = out < left ? out : (left > 0 ? left : 0);
    return 0;
}

kf_res_state kf_res_state_seen(kf_res_state stored, int deadline_passed)
{
    return deadline_passed ? kf_reservation_next(stored, KF_RES_EXPIRE, NULL).next : stored;
}

int kf_res_state_has_deadline(kf_res_state s)
{
    return kf_reservation_next(s, KF_RES_EXPIRE, NULL).moved;
}

const char *kf_res_acknowledged_paid(apr_pool_t *p, const char *const *booking_ids,
                                     const char *const *events, int n)
{
    apr_array_header_t *paid = apr_array_make(p, n > 0 ? n : 1, sizeof(const char *));
    for (int i = 0; i < n; i++) {
        if (strcmp(events[i], "booking.paid") == 0) {
            APR_ARRAY_PUSH(paid, const char *) = booking_ids[i];
        }
    }
    return paid->nelts > 0 ? apr_array_pstrcat(p, paid, ',') : NULL;
}

const char *kf_res_expiry_moves(apr_pool_t *p)
{
    json_t *moves = kf_json_obj(p);
    for (int s = 0; moves && s < KF_RES_STATE_COUNT; s++) {
        kf_res_outcome o = kf_reservation_next((kf_res_state)s, KF_RES_EXPIRE, NULL);
        if (o.moved &&
            kf_json_set_new(moves, kf_res_state_name((kf_res_state)s),
                            json_pack("[sss?]", kf_res_state_name(o.next), o.reason,
                                      kf_res_status_reason(&o))) != 0) {
            return NULL;
        }
    }
    return moves ? kf_json_dump(p, moves) : NULL;
}

int kf_res_state_paid(kf_res_state s)
{
    return s == KF_RES_PAID || s == KF_RES_CONFIRMED || s == KF_RES_COMPLETED ||
           s == KF_RES_NO_SHOW;
}

int kf_res_state_awaits_approval(kf_res_state s)
{
    return (int)s >= 0 && s < KF_RES_STATE_COUNT && !kf_res_state_paid(s) &&
           s != KF_RES_CANCELLED;
}

const char *kf_res_return_outcome(kf_res_state s)
{
    if (kf_res_state_paid(s)) {
        return "ok";
    }
    if (s == KF_RES_FAILED || s == KF_RES_EXPIRED) {
        return "failed";
    }
    return NULL;
}

int kf_hold_limit_reached(int active, int limit)
{
    return active >= limit;
}

long kf_hold_retry_after(long first_ends_in)
{
    return first_ends_in > 0 ? first_ends_in : 1;
}

const char *kf_manage_token_aad(apr_pool_t *p, const char *reservation_id)
{
    return apr_pstrcat(p, "reservation:", reservation_id, ":manage", NULL);
}

apr_status_t kf_manage_token_make(apr_pool_t *p, const kf_keyring *keys,
                                  const char *reservation_id, const char **token,
                                  const char **hash, const char **sealed)
{
    return kf_kept_token_make(p, keys, kf_manage_token_aad(p, reservation_id), token, hash,
                              sealed);
}
