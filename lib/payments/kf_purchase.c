/* Packages and purchases: see kf_purchase.h. */
#include "kf_purchase.h"

#include <apr_strings.h>
#include <string.h>

static const char *const state_names[KF_PUR_STATE_COUNT] = {
    "pending_payment", "paid", "failed", "expired",
};

const char *kf_pur_state_name(kf_pur_state s)
{
    return (int)s >= 0 && s < KF_PUR_STATE_COUNT ? state_names[s] : NULL;
}

int kf_pur_state_parse(const char *name)
{
    for (int i = 0; name && i < KF_PUR_STATE_COUNT; i++) {
        if (strcmp(state_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static kf_pur_outcome stay(kf_pur_state s)
{
    kf_pur_outcome o;
    memset(&o, 0, sizeof(o));
    o.next = s;
    return o;
}

static kf_pur_outcome go(kf_pur_state from, kf_pur_state to, const char *reason, unsigned fx)
{
    kf_pur_outcome o = stay(from);
    o.next = to;
    o.moved = 1;
    o.reason = reason;
    o.effects = fx;
    return o;
}

/* No approved payment is dropped silently: one that pays for nothing is flagged. */
static kf_pur_outcome approve(kf_pur_state s, const kf_pur_facts *f)
{
    switch (s) {
    case KF_PUR_PENDING_PAYMENT:
        return go(s, KF_PUR_PAID, "payment_approved", KF_PUR_FX_PAID);
    case KF_PUR_FAILED:
        return go(s, KF_PUR_PAID, "late_approval", KF_PUR_FX_PAID);
    case KF_PUR_EXPIRED:
        if (!f->ever_paid) {
            /* no slot to lose: a late approval still buys the package */
            return go(s, KF_PUR_PAID, "late_approval", KF_PUR_FX_PAID);
        }
        /* paid once already: as for a paid one */
        /* fall through */
    case KF_PUR_PAID:
        if (f->same_transaction) {
            return stay(s);
        }
        {
            kf_pur_outcome o = stay(s);
            o.effects = KF_PUR_FX_REFUND_FLAG;
            o.flag_reason = "second_approval";
            return o;
        }
    default:
        return stay(s);
    }
}

kf_pur_outcome kf_purchase_next(kf_pur_state s, kf_pur_event e, const kf_pur_facts *facts)
{
    static const kf_pur_facts none = {0, 0, NULL};
    const kf_pur_facts *f = facts ? facts : &none;
    if ((int)s < 0 || s >= KF_PUR_STATE_COUNT) {
        return stay(s);
    }
    switch (e) {
    case KF_PUR_APPROVE:
        return approve(s, f);
    case KF_PUR_DECLINE:
        return s == KF_PUR_PENDING_PAYMENT
                   ? go(s, KF_PUR_FAILED, f->reason ? f->reason : "payment_declined", 0)
                   : stay(s);
    case KF_PUR_EXPIRE:
        if (s == KF_PUR_PENDING_PAYMENT) {
            return go(s, KF_PUR_EXPIRED, "payment_window_passed", 0);
        }
        if (s == KF_PUR_PAID) {
            return go(s, KF_PUR_EXPIRED, "validity_passed", 0);
        }
        return stay(s);
    default:
        return stay(s);
    }
}

const char *kf_purchase_event_result(const kf_pur_outcome *o)
{
    if (o->effects & KF_PUR_FX_REFUND_FLAG) {
        return "flagged";
    }
    return o->moved ? kf_pur_state_name(o->next) : "unchanged";
}

kf_pur_state kf_pur_state_seen(kf_pur_state stored, int due)
{
    return due ? kf_purchase_next(stored, KF_PUR_EXPIRE, NULL).next : stored;
}

int kf_pur_state_awaits_approval(kf_pur_state s, int ever_paid)
{
    kf_pur_facts f = {ever_paid, 0, NULL};
    return (int)s >= 0 && s < KF_PUR_STATE_COUNT &&
           (kf_purchase_next(s, KF_PUR_APPROVE, &f).effects & KF_PUR_FX_PAID) != 0;
}

int kf_purchase_sessions_left(int total, int used)
{
    return total > used ? total - used : 0;
}

const char *kf_purchase_session_refusal(kf_pur_state seen, int ever_paid, int same_service,
                                        int sessions_total, int sessions_used)
{
    if (seen == KF_PUR_EXPIRED && ever_paid) {
        return "purchase_expired";
    }
    if (seen != KF_PUR_PAID) {
        return "purchase_not_paid";
    }
    if (!same_service) {
        return "package_service_mismatch";
    }
    if (kf_purchase_sessions_left(sessions_total, sessions_used) <= 0) {
        return "package_used_up";
    }
    return NULL;
}

int kf_purchase_refusal_status(const char *code)
{
    return code && strcmp(code, "package_service_mismatch") == 0 ? 400 : 409;
}

int kf_purchase_cancel_returns_session(int has_purchase, int already_returned, int before_cutoff)
{
    return has_purchase && !already_returned && before_cutoff;
}

const char *kf_purchase_token_aad(apr_pool_t *p, const char *purchase_id)
{
    return apr_pstrcat(p, "purchase:", purchase_id, ":token", NULL);
}
