/* A payment as people see it. See kf_payment_view.h. */
#include "kf_payment_view.h"
#include "kf_text.h"
#include "kf_json.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

json_t *kf_payment_status_view(const char *const *row)
{
    json_t *out = json_object();
    kf_json_set_str(out, "provider", row[KF_PAY_STATUS_COL_PROVIDER]);
    kf_json_set_str(out, "status", row[KF_PAY_STATUS_COL_STATUS]);
    kf_json_set_str(out, "reference", row[KF_PAY_STATUS_COL_REFERENCE]);
    kf_json_set_int(out, "amount", apr_atoi64(row[KF_PAY_STATUS_COL_AMOUNT]));
    kf_json_set_str(out, "currency", row[KF_PAY_STATUS_COL_CURRENCY]);
    return out;
}

/* The refund asked of it: null until one is (API.md "After booking"). */
static json_t *refund_view(const char *const *row)
{
    if (!row[KF_PAY_ADMIN_COL_REFUND_STATUS]) {
        return json_null();
    }
    json_t *refund = json_object();
    kf_json_set_int(refund, "amount", apr_atoi64(row[KF_PAY_ADMIN_COL_REFUND_AMOUNT]));
    kf_json_set_str(refund, "currency", row[KF_PAY_ADMIN_COL_CURRENCY]);
    kf_json_set_str(refund, "status", row[KF_PAY_ADMIN_COL_REFUND_STATUS]);
    kf_json_set_str(refund, "requested_at", row[KF_PAY_ADMIN_COL_REFUND_REQUESTED_AT]);
    kf_json_set_str(refund, "refunded_at", row[KF_PAY_ADMIN_COL_REFUNDED_AT]);
    kf_json_set_str(refund, "note", row[KF_PAY_ADMIN_COL_REFUND_NOTE]);
    kf_json_set_str(refund, "error", row[KF_PAY_ADMIN_COL_REFUND_ERROR]);
    return refund;
}

/* A dispute opened at the provider: null when none. */
static json_t *dispute_view(const char *const *row)
{
    if (!row[KF_PAY_ADMIN_COL_DISPUTE_ID]) {
        return json_null();
    }
    json_t *dispute = json_object();
    kf_json_set_str(dispute, "id", row[KF_PAY_ADMIN_COL_DISPUTE_ID]);
    kf_json_set_int(dispute, "amount", apr_atoi64(row[KF_PAY_ADMIN_COL_DISPUTE_AMOUNT]));
    kf_json_set_str(dispute, "currency", row[KF_PAY_ADMIN_COL_CURRENCY]);
    kf_json_set_str(dispute, "reason", row[KF_PAY_ADMIN_COL_DISPUTE_REASON]);
    kf_json_set_str(dispute, "opened_at", row[KF_PAY_ADMIN_COL_DISPUTED_AT]);
    kf_json_set_str(dispute, "status", row[KF_PAY_ADMIN_COL_DISPUTE_STATUS]);
    kf_json_set_str(dispute, "updated_at", row[KF_PAY_ADMIN_COL_DISPUTE_UPDATED_AT]);
    return dispute;
}

json_t *kf_payment_admin_view(const char *const *row)
{
    json_t *pay = json_object();
    kf_json_set_str(pay, "provider", row[KF_PAY_ADMIN_COL_PROVIDER]);
    kf_json_set_str(pay, "mode", row[KF_PAY_ADMIN_COL_MODE]);
    kf_json_set_str(pay, "reference", row[KF_PAY_ADMIN_COL_REFERENCE]);
    kf_json_set_int(pay, "amount", apr_atoi64(row[KF_PAY_ADMIN_COL_AMOUNT]));
    kf_json_set_str(pay, "currency", row[KF_PAY_ADMIN_COL_CURRENCY]);
    kf_json_set_str(pay, "status", row[KF_PAY_ADMIN_COL_STATUS]);
    kf_json_set_str(pay, "transaction_id", row[KF_PAY_ADMIN_COL_TXID]);
    kf_json_set_bool(pay, "refund_needed", kf_text_true(row[KF_PAY_ADMIN_COL_REFUND_NEEDED]));
    kf_json_set_bool(pay, "mismatch", kf_text_true(row[KF_PAY_ADMIN_COL_MISMATCH]));
    kf_json_set_str(pay, "flag_reason", row[KF_PAY_ADMIN_COL_FLAG_REASON]);
    kf_json_set_str(pay, "created_at", row[KF_PAY_ADMIN_COL_CREATED]);
    kf_json_set_str(pay, "approved_at", row[KF_PAY_ADMIN_COL_APPROVED]);
    kf_json_set_new(pay, "refund", refund_view(row));
    kf_json_set_new(pay, "dispute", dispute_view(row));
    kf_json_set_new(pay, "transactions", json_array());
    kf_json_set_new(pay, "events", json_array());
    return pay;
}

json_t *kf_payment_transaction_view(const char *const *row)
{
    json_t *t = json_object();
    kf_json_set_str(t, "id", row[KF_PAY_TX_COL_ID]);
    kf_json_set_int(t, "amount", apr_atoi64(row[KF_PAY_TX_COL_AMOUNT]));
    kf_json_set_str(t, "approved_at", row[KF_PAY_TX_COL_APPROVED]);
    kf_json_set_int(t, "refunded_amount", apr_atoi64(row[KF_PAY_TX_COL_REFUNDED]));
    return t;
}

json_t *kf_payment_event_view(const char *const *row)
{
    json_t *e = json_object();
    kf_json_set_str(e, "source", row[KF_PAY_EVENT_COL_SOURCE]);
    kf_json_set_str(e, "transaction_id", row[KF_PAY_EVENT_COL_TXID]);
    kf_json_set_str(e, "status", row[KF_PAY_EVENT_COL_STATUS]);
    if (row[KF_PAY_EVENT_COL_AMOUNT]) {
        kf_json_set_int(e, "amount", apr_atoi64(row[KF_PAY_EVENT_COL_AMOUNT]));
    }
    kf_json_set_str(e, "currency", row[KF_PAY_EVENT_COL_CURRENCY]);
    kf_json_set_str(e, "result", row[KF_PAY_EVENT_COL_RESULT]);
    kf_json_set_str(e, "received_at", row[KF_PAY_EVENT_COL_RECEIVED]);
    return e;
}

json_t *kf_payment_checkout_view(apr_pool_t *p, const char *provider, const char *checkout_url,
                                 const kf_payment_checkout *co)
{
    char until[KF_TIME_UTC_LEN + 1];
    kf_time_format_utc(until, apr_time_sec(co->expires_at));
    json_t *out = json_object();
    kf_json_set_str(out, "provider", provider);
    kf_json_set_str(out, "checkout_url", checkout_url);
    kf_json_set_str(out, "reference", co->reference);
    kf_json_set_str(out, "expires_at", until);
    return out;
}

const char *kf_payment_found_record(apr_pool_t *p, const kf_payment_event *ev)
{
    json_t *raw = kf_json_obj(p);
    kf_json_set_str(raw, "id", ev->transaction_id);
    kf_json_set_str(raw, "status", ev->provider_status);
    kf_json_set_int(raw, "amount_in_cents", ev->amount);
    kf_json_set_str(raw, "currency", ev->currency);
    kf_json_set_str(raw, "reference", ev->reference);
    return kf_json_dump(p, raw);
}

const char *kf_payment_dispute_record(apr_pool_t *p, const kf_payment_event *ev)
{
    json_t *raw = kf_json_obj(p);
    kf_json_set_str(raw, "id", ev->refund_id);
    kf_json_set_str(raw, "payment_id", ev->transaction_id);
    kf_json_set_str(raw, "status", ev->provider_status);
    kf_json_set_int(raw, "amount", ev->amount);
    kf_json_set_str(raw, "currency", ev->currency);
    kf_json_set_str(raw, "reason", ev->dispute_reason);
    return kf_json_dump(p, raw);
}
