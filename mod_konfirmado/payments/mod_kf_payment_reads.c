/* A payment as the public status page and the merchant's booking detail show it. See
 * mod_kf_payments.h. */
#include "mod_kf_payments.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_sql.h"
#include "kf_json.h"

/* Columns of kf_payment_status_of, kf_payment_admin_list, kf_payment_admin_transactions and
 * kf_payment_admin_events. */
enum { STATUS_OF_PROVIDER, STATUS_OF_STATUS, STATUS_OF_REFERENCE, STATUS_OF_AMOUNT,
       STATUS_OF_CURRENCY };
enum { ADMIN_ID, ADMIN_PROVIDER, ADMIN_MODE, ADMIN_REFERENCE, ADMIN_AMOUNT, ADMIN_CURRENCY,
       ADMIN_STATUS, ADMIN_TXID, ADMIN_REFUND_NEEDED, ADMIN_MISMATCH, ADMIN_FLAG_REASON,
       ADMIN_CREATED, ADMIN_APPROVED, ADMIN_REFUND_STATUS, ADMIN_REFUND_AMOUNT,
       ADMIN_REFUND_REQUESTED_AT, ADMIN_REFUNDED_AT, ADMIN_REFUND_NOTE, ADMIN_REFUND_ERROR,
       ADMIN_DISPUTE_ID, ADMIN_DISPUTE_AMOUNT, ADMIN_DISPUTE_REASON, ADMIN_DISPUTED_AT,
       ADMIN_DISPUTE_STATUS, ADMIN_DISPUTE_UPDATED_AT };
enum { TXS_ID, TXS_AMOUNT, TXS_APPROVED, TXS_REFUNDED };
enum { EVENT_SOURCE, EVENT_TXID, EVENT_STATUS, EVENT_AMOUNT, EVENT_CURRENCY, EVENT_RESULT,
       EVENT_RECEIVED };

const kfm_sql kfm_payment_reads_sql[] = {
    {"kf_payment_status_of",
     "SELECT provider, status, reference, amount, currency FROM payments"
     " WHERE reservation_id = %s::uuid ORDER BY created_at DESC LIMIT 1"},
    {"kf_payment_admin_list",
     "SELECT p.id, p.provider, p.mode, p.reference, p.amount, p.currency, p.status,"
     " p.provider_transaction_id, p.refund_needed, p.mismatch, p.flag_reason,"
     " " KFM_SQL_RFC3339("p.created_at") ","
     " " KFM_SQL_RFC3339("p.approved_at") ","
     " p.refund_status, p.refund_amount, " KFM_SQL_RFC3339("p.refund_requested_at") ","
     " " KFM_SQL_RFC3339("p.refunded_at") ", p.refund_note, p.refund_error,"
     " p.dispute_id, p.dispute_amount, p.dispute_reason, " KFM_SQL_RFC3339("p.disputed_at") ","
     " p.dispute_status, " KFM_SQL_RFC3339("p.dispute_updated_at")
     " FROM payments p WHERE p.reservation_id = %s::uuid AND p.tenant_id = %s::uuid"
     " ORDER BY p.created_at"},
    {"kf_payment_admin_transactions",
     "SELECT transaction_id, amount, " KFM_SQL_RFC3339("approved_at") ", refunded_amount"
     " FROM payment_transactions WHERE payment_id = %s::uuid ORDER BY approved_at, id"},
    {"kf_payment_admin_events",
     "SELECT source, transaction_id, status, amount, currency, result,"
     " " KFM_SQL_RFC3339("received_at")
     " FROM payment_events WHERE payment_id = %s::uuid ORDER BY id"},
    {NULL, NULL},
};

json_t *kfm_payment_status_json(kfm_req *kr, ap_dbd_t *db, const char *reservation_id)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id};
    if (kfm_db_select(c->r, db, "kf_payment_status_of", &res, 1, args) != APR_SUCCESS ||
        kfm_db_rows(db, res) < 1) {
        return NULL;
    }
    json_t *out = kf_json_obj(c->p);
    kf_json_set_str(out, "provider", kfm_db_value(db, c->p, res, 0, STATUS_OF_PROVIDER));
    kf_json_set_str(out, "status", kfm_db_value(db, c->p, res, 0, STATUS_OF_STATUS));
    kf_json_set_str(out, "reference", kfm_db_value(db, c->p, res, 0, STATUS_OF_REFERENCE));
    kf_json_set_int(out, "amount", apr_atoi64(kfm_db_value(db, c->p, res, 0, STATUS_OF_AMOUNT)));
    kf_json_set_str(out, "currency", kfm_db_value(db, c->p, res, 0, STATUS_OF_CURRENCY));
    return out;
}

json_t *kfm_payment_admin_json(kfm_req *kr, ap_dbd_t *db, const char *tenant_id,
                              const char *reservation_id)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    apr_pool_t *p = c->p;
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id, tenant_id};
    json_t *list = kf_json_arr(p);
    if (kfm_db_select(c->r, db, "kf_payment_admin_list", &res, 2, args) != APR_SUCCESS) {
        return list;
    }
    int n = kfm_db_rows(db, res);
    for (int i = 0; i < n; i++) {
        json_t *pay = json_object();
        const char *pay_id = kfm_db_value(db, p, res, i, ADMIN_ID);
        kf_json_set_str(pay, "provider", kfm_db_value(db, p, res, i, ADMIN_PROVIDER));
        kf_json_set_str(pay, "mode", kfm_db_value(db, p, res, i, ADMIN_MODE));
        kf_json_set_str(pay, "reference", kfm_db_value(db, p, res, i, ADMIN_REFERENCE));
        kf_json_set_int(pay, "amount", apr_atoi64(kfm_db_value(db, p, res, i, ADMIN_AMOUNT)));
        kf_json_set_str(pay, "currency", kfm_db_value(db, p, res, i, ADMIN_CURRENCY));
        kf_json_set_str(pay, "status", kfm_db_value(db, p, res, i, ADMIN_STATUS));
        kf_json_set_str(pay, "transaction_id", kfm_db_value(db, p, res, i, ADMIN_TXID));
        kf_json_set_bool(pay, "refund_needed", strcmp(kfm_db_value(db, p, res, i, ADMIN_REFUND_NEEDED), "t") == 0);
        kf_json_set_bool(pay, "mismatch", strcmp(kfm_db_value(db, p, res, i, ADMIN_MISMATCH), "t") == 0);
        kf_json_set_str(pay, "flag_reason", kfm_db_value(db, p, res, i, ADMIN_FLAG_REASON));
        kf_json_set_str(pay, "created_at", kfm_db_value(db, p, res, i, ADMIN_CREATED));
        kf_json_set_str(pay, "approved_at", kfm_db_value(db, p, res, i, ADMIN_APPROVED));
        /* the refund asked of it: null until one is (API.md "After booking") */
        const char *refund_status = kfm_db_value(db, p, res, i, ADMIN_REFUND_STATUS);
        json_t *refund = json_null();
        if (refund_status) {
            refund = json_object();
            kf_json_set_int(refund, "amount", apr_atoi64(kfm_db_value(db, p, res, i, ADMIN_REFUND_AMOUNT)));
            kf_json_set_str(refund, "currency", kfm_db_value(db, p, res, i, ADMIN_CURRENCY));
            kf_json_set_str(refund, "status", refund_status);
            kf_json_set_str(refund, "requested_at", kfm_db_value(db, p, res, i, ADMIN_REFUND_REQUESTED_AT));
            kf_json_set_str(refund, "refunded_at", kfm_db_value(db, p, res, i, ADMIN_REFUNDED_AT));
            kf_json_set_str(refund, "note", kfm_db_value(db, p, res, i, ADMIN_REFUND_NOTE));
            kf_json_set_str(refund, "error", kfm_db_value(db, p, res, i, ADMIN_REFUND_ERROR));
        }
        json_object_set_new(pay, "refund", refund);
        /* a dispute opened at the provider: null when none */
        const char *dispute_id = kfm_db_value(db, p, res, i, ADMIN_DISPUTE_ID);
        json_t *dispute = json_null();
        if (dispute_id) {
            dispute = json_object();
            kf_json_set_str(dispute, "id", dispute_id);
            kf_json_set_int(dispute, "amount", apr_atoi64(kfm_db_value(db, p, res, i, ADMIN_DISPUTE_AMOUNT)));
            kf_json_set_str(dispute, "currency", kfm_db_value(db, p, res, i, ADMIN_CURRENCY));
            kf_json_set_str(dispute, "reason", kfm_db_value(db, p, res, i, ADMIN_DISPUTE_REASON));
            kf_json_set_str(dispute, "opened_at", kfm_db_value(db, p, res, i, ADMIN_DISPUTED_AT));
            kf_json_set_str(dispute, "status", kfm_db_value(db, p, res, i, ADMIN_DISPUTE_STATUS));
            kf_json_set_str(dispute, "updated_at",
                            kfm_db_value(db, p, res, i, ADMIN_DISPUTE_UPDATED_AT));
        }
        json_object_set_new(pay, "dispute", dispute);
        /* every approved transaction: a customer who paid twice shows two */
        json_t *txs = json_array();
        kfm_rows *trs = NULL;
        const char *targs[] = {pay_id};
        if (kfm_db_select(c->r, db, "kf_payment_admin_transactions", &trs, 1, targs) == APR_SUCCESS) {
            int m = kfm_db_rows(db, trs);
            for (int j = 0; j < m; j++) {
                json_t *t = json_object();
                kf_json_set_str(t, "id", kfm_db_value(db, p, trs, j, TXS_ID));
                kf_json_set_int(t, "amount", apr_atoi64(kfm_db_value(db, p, trs, j, TXS_AMOUNT)));
                kf_json_set_str(t, "approved_at", kfm_db_value(db, p, trs, j, TXS_APPROVED));
                kf_json_set_int(t, "refunded_amount",
                                apr_atoi64(kfm_db_value(db, p, trs, j, TXS_REFUNDED)));
                json_array_append_new(txs, t);
            }
        }
        kf_json_set_new(pay, "transactions", txs);
        json_t *events = json_array();
        kfm_rows *evs = NULL;
        const char *eargs[] = {pay_id};
        if (kfm_db_select(c->r, db, "kf_payment_admin_events", &evs, 1, eargs) == APR_SUCCESS) {
            int m = kfm_db_rows(db, evs);
            for (int j = 0; j < m; j++) {
                json_t *e = json_object();
                kf_json_set_str(e, "source", kfm_db_value(db, p, evs, j, EVENT_SOURCE));
                kf_json_set_str(e, "transaction_id", kfm_db_value(db, p, evs, j, EVENT_TXID));
                kf_json_set_str(e, "status", kfm_db_value(db, p, evs, j, EVENT_STATUS));
                const char *amount = kfm_db_value(db, p, evs, j, EVENT_AMOUNT);
                if (amount) {
                    kf_json_set_int(e, "amount", apr_atoi64(amount));
                }
                kf_json_set_str(e, "currency", kfm_db_value(db, p, evs, j, EVENT_CURRENCY));
                kf_json_set_str(e, "result", kfm_db_value(db, p, evs, j, EVENT_RESULT));
                kf_json_set_str(e, "received_at", kfm_db_value(db, p, evs, j, EVENT_RECEIVED));
                json_array_append_new(events, e);
            }
        }
        kf_json_set_new(pay, "events", events);
        json_array_append_new(list, pay);
    }
    return list;
}
