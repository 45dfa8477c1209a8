/* Paying again for a booking whose payment failed or ran out (API.md "Public booking API"):
 * POST /api/public/bookings/{id}/pay {"hold_token"} with the booking's token. The customer
 * took a hold of the same service through the link (the booking's own time again, or
 * another when it was taken meanwhile); in one transaction the hold is used up, the booking
 * takes its slot and the state machine's pay_again moves it to pending_payment with a new
 * payment window, the details and the terms accepted when it was made kept; its payment is
 * prepared by the executor's checkout effect, as when a booking is made, and the provider's
 * checkout is asked after the commit (none made: the booking fails again, its slot freed,
 * and the answer is 502 provider_error). The answer is the booking as
 * POST /api/public/bookings answers it, with the new checkout. */
#include "mod_kf_changes_feature.h"
#include "mod_kf_changes_columns.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_public_request.h"
#include "mod_kf_sql.h"
#include "mod_kf_booking_columns.h"
#include "kf_booking_status.h"
#include "kf_pay_again.h"
#include "kf_reschedule.h"
#include "kf_time.h"

const kfm_sql kfm_pay_again_sql[] = {
    /* id, token hash (booking or mails'), host subdomain: the booking, locked, with what its
     * payment needs (the columns of kf_pay_again.h) */
    {"kf_pay_again_booking",
     "SELECT " KFM_SQL_COLUMNS(KFM_PAY_AGAIN_COLUMNS)
     " FROM reservations r JOIN tenants t ON t.id = r.tenant_id"
     " WHERE r.id = %s::uuid AND (r.booking_token_hash = %s OR r.manage_token_hash = %s)"
     "   AND (%s::text IS NULL OR t.subdomain = %s::text) FOR UPDATE OF r"},
    /* hold id, booking id, its state as read: the booking takes the used hold's slot (the
     * status is the state machine's: kfm_booking_make); the booking as made
     * (KF_BOOKING_MADE_COL_*) */
    {"kf_pay_again_slot",
     "WITH h AS (SELECT starts_at, ends_at, blocked, professional_id, seat, team_ids"
     "   FROM reservations WHERE id = %s::uuid),"
     " up AS (UPDATE reservations r SET starts_at = h.starts_at, ends_at = h.ends_at,"
     "   blocked = h.blocked, professional_id = h.professional_id, seat = h.seat,"
     "   team_ids = h.team_ids, updated_at = now()"
     "   FROM h WHERE r.id = %s::uuid AND r.status = %s"
     "   RETURNING r.id, r.starts_at, r.ends_at, r.charge_type, r.charge_amount, r.currency,"
     "     r.professional_id, r.team_ids)"
     " SELECT " KFM_SQL_COLUMNS(KFM_BOOKING_MADE_COLUMNS) ", professional_id FROM up"},
    {NULL, NULL},
};

/* One booking being paid again: what the steps read, decide and write. */
typedef struct paying {
    const char *token;                           /* the booking's, as the request brought it */
    const char *v[KF_PAY_AGAIN_COL_COUNT];       /* the booking, locked */
    const char *hv[KF_RESCHED_HOLD_COL_COUNT];   /* the hold, locked */
    int have_hold;
    kf_pay_again_decision d;
    const char *made[KF_BOOKING_MADE_COL_COUNT + 1];   /* + the professional */
    kf_customer customer;
    kfm_new_booking nb;
} paying;

/* In a new transaction, the booking and the hold, locked, and the one decision. 1, or 0
 * after answering (the transaction rolled back). */
static int read_and_decide(kfm_req *kr, kfm_tx *tx, const char **bargs, const char *hold_hash,
                           paying *p)
{
    request_rec *r = kr->r;
    const char *hargs[] = {hold_hash};
    if (!kfm_booking_lock(kr, "kf_pay_again_booking", 5, bargs, tx, p->v,
                          KF_PAY_AGAIN_COL_COUNT)) {
        return 0;
    }
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_resched_hold", 1, hargs, p->hv,
                                        KF_RESCHED_HOLD_COL_COUNT);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        kfm_rollback_and_reply(kr, tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return 0;
    }
    p->have_hold = rv == APR_SUCCESS;
    int window = kfm_payments_conf_payment_window(kfm_payments_conf_of(r->server));
    kf_pay_again_decide(p->v, p->have_hold ? p->hv : NULL, apr_time_sec(apr_time_now()), window,
                        &p->d);
    if (p->d.outcome.refused) {
        kfm_rollback_and_reply(kr, tx, HTTP_CONFLICT, p->d.outcome.refused);
        return 0;
    }
    return 1;
}

/* In the transaction of the facts: the window that passed unrecorded recorded first, the hold
 * used up, its slot the booking's, then the machine's pay_again with its new deadline and the
 * checkout effect (the payment prepared). */
static apr_status_t run(const kfm_ctx *c, kfm_req *kr, paying *p)
{
    request_rec *r = kr->r;
    const char *id = p->v[KF_PAY_AGAIN_COL_ID];
    apr_status_t rv = APR_SUCCESS;
    if (p->d.expire_first) {
        rv = kfm_booking_move(c, kr->db, id, p->d.stored, &p->d.expire, NULL);
    }
    kf_res_facts again = {0};
    again.paying_again = 1;
    kf_res_outcome used = kf_reservation_next(KF_RES_HELD, KF_RES_HOLD_USED, &again);
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_move(c, kr->db, p->hv[KF_RESCHED_HOLD_COL_ID], KF_RES_HELD, &used, NULL);
    }
    const char *sargs[] = {p->hv[KF_RESCHED_HOLD_COL_ID], id, kf_res_state_name(p->d.from)};
    if (rv == APR_SUCCESS) {
        rv = kfm_db_select_row(r, kr->db, r->pool, "kf_pay_again_slot", 3, sargs, p->made,
                               KF_BOOKING_MADE_COL_COUNT + 1);
    }
    if (rv != APR_SUCCESS) {
        /* APR_NOTFOUND, APR_EAGAIN: both rows were locked as read, this cannot happen */
        return rv == APR_EAGAIN || rv == APR_NOTFOUND ? APR_EGENERAL : rv;
    }
    char deadline[KF_TIME_UTC_LEN + 1];
    kf_time_format_utc(deadline, p->d.deadline);
    kfm_booking_move_with with = {deadline, NULL, NULL};
    const char *const *v = p->v;
    p->customer = (kf_customer){v[KF_PAY_AGAIN_COL_NAME], v[KF_PAY_AGAIN_COL_EMAIL],
                                v[KF_PAY_AGAIN_COL_PHONE]};
    p->nb = (kfm_new_booking){.kr = kr, .booking_token = p->token, .customer = &p->customer,
                              .charge_type = v[KF_PAY_AGAIN_COL_CHARGE_TYPE],
                              .amount = apr_atoi64(v[KF_PAY_AGAIN_COL_AMOUNT]),
                              .currency = v[KF_PAY_AGAIN_COL_CURRENCY], .paying_again = 1};
    return kfm_booking_make(c, kr->db, id, p->d.from, &p->d.outcome, &with, &p->nb);
}

int kfm_handle_public_booking_pay(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *bargs[5];
    paying p;
    memset(&p, 0, sizeof(p));
    p.token = kfm_public_bearer(kr);
    if (!kfm_public_booking_args(kr, p.token, bargs)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kfm_public_booking_token_expired(kr, bargs)) {
        return kfm_reply_error(kr, HTTP_GONE, "token_expired");
    }
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    const char *hold_hash = kf_reschedule_hold_hash(r->pool, &f, kr->body);
    if (!hold_hash) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    kfm_tx tx;
    if (!read_and_decide(kr, &tx, bargs, hold_hash, &p)) {
        return OK;
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const char *id = p.v[KF_PAY_AGAIN_COL_ID];
    if (run(&c, kr, &p) != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx,
                                      p.nb.provider_error ? HTTP_BAD_GATEWAY : HTTP_INTERNAL_SERVER_ERROR,
                                      p.nb.provider_error ? "provider_error" : "internal_error");
    }
    if (p.d.expire_first) {
        /* its window ran out: the old slot is free (the new one passed from the hold) */
        kfm_availability_cache_bump_professional(kr, p.v[KF_PAY_AGAIN_COL_PROFESSIONAL]);
    }
    if (kfm_booking_made_after_commit(&c, id, &p.d.outcome, &p.nb) != APR_SUCCESS) {
        if (!p.nb.provider_error) {
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        /* no checkout: the booking failed again and the hold's slot is free */
        kfm_availability_cache_bump_professional(kr, p.made[KF_BOOKING_MADE_COL_COUNT]);
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    return kfm_new_booking_reply(kr, HTTP_OK, p.made, p.d.outcome.next, &p.nb);
}
