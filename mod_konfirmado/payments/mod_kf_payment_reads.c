/* A payment as the public status page and the merchant's booking detail show it. See
 * mod_kf_payments.h. */
#include "mod_kf_payments.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_sql.h"
#include "kf_json.h"
#include "kf_payment_view.h"

/* The statements select the columns of kf_payment_view.h, in order. */
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
    const char *args[] = {reservation_id};
    const char *v[KF_PAY_STATUS_COL_COUNT];
    if (kfm_db_select_row(r, db, r->pool, "kf_payment_status_of", 1, args, v,
                          KF_PAY_STATUS_COL_COUNT) != APR_SUCCESS) {
        return NULL;
    }
    return kf_json_own(r->pool, kf_payment_status_view(v));
}

/* Appends to `into` one view of each row that statement `label` (argument: the payment's
 * id) returns. */
static void append_rows(request_rec *r, ap_dbd_t *db, const char *label, const char *pay_id,
                        int ncols, json_t *(*view)(const char *const *), json_t *into)
{
    kfm_rows *res = NULL;
    const char *args[] = {pay_id};
    if (kfm_db_select(r, db, label, &res, 1, args) != APR_SUCCESS) {
        return;
    }
    int n = kfm_db_rows(db, res);
    const char **v = apr_palloc(r->pool, sizeof(*v) * (apr_size_t)ncols);
    for (int i = 0; i < n; i++) {
        kfm_db_row(db, r->pool, res, i, v, ncols);
        json_array_append_new(into, view(v));
    }
}

json_t *kfm_payment_admin_json(kfm_req *kr, ap_dbd_t *db, const char *tenant_id,
                              const char *reservation_id)
{
    request_rec *r = kr->r;
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id, tenant_id};
    json_t *list = kf_json_arr(r->pool);
    if (kfm_db_select(r, db, "kf_payment_admin_list", &res, 2, args) != APR_SUCCESS) {
        return list;
    }
    int n = kfm_db_rows(db, res);
    for (int i = 0; i < n; i++) {
        const char *v[KF_PAY_ADMIN_COL_COUNT];
        kfm_db_row(db, r->pool, res, i, v, KF_PAY_ADMIN_COL_COUNT);
        json_t *pay = kf_payment_admin_view(v);
        append_rows(r, db, "kf_payment_admin_transactions", v[KF_PAY_ADMIN_COL_ID],
                    KF_PAY_TX_COL_COUNT, kf_payment_transaction_view,
                    json_object_get(pay, "transactions"));
        append_rows(r, db, "kf_payment_admin_events", v[KF_PAY_ADMIN_COL_ID],
                    KF_PAY_EVENT_COL_COUNT, kf_payment_event_view, json_object_get(pay, "events"));
        json_array_append_new(list, pay);
    }
    return list;
}
