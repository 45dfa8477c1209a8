/* Cancelling a booking. See kf_cancel.h. */
#include "kf_cancel.h"
#include "kf_series.h"
#include "kf_json.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

/* The reason: optional text for the customer, required for the merchant. */
static void read_reason(kf_fields *f, const json_t *body, int required, const char **note)
{
    kf_json_field got = kf_json_get_string(body, "reason", note);
    if (got == KF_JSON_FIELD_WRONG_TYPE) {
        kf_fields_fail(f, "reason", "field_wrong_type");
        return;
    }
    if (got != KF_JSON_FIELD_OK || !**note) {
        *note = NULL;
        if (required) {
            kf_fields_fail(f, "reason", "field_required");
        }
        return;
    }
    if (kf_utf8_length(*note) > KF_CANCEL_REASON_MAX) {
        kf_fields_fail(f, "reason", "reason_too_long");
    }
}

/* What goes back when the merchant cancels: "full" (also absent or null), "none" or
 * {"amount": n > 0}. */
static void read_refund(kf_fields *f, const json_t *body, kf_cancel_request *rq)
{
    json_t *refund = json_object_get(body, "refund");
    json_int_t amount = 0;
    rq->refund_choice = "full";
    if (!refund || json_is_null(refund)) {
        return;
    }
    if (json_is_string(refund) && (strcmp(json_string_value(refund), "full") == 0 ||
                                   strcmp(json_string_value(refund), "none") == 0)) {
        rq->refund_choice = json_string_value(refund);
    }
    else if (json_is_object(refund) &&
             kf_json_get_int(refund, "amount", &amount) == KF_JSON_FIELD_OK && amount > 0) {
        rq->refund_choice = "amount";
        rq->refund_requested = amount;
    }
    else {
        kf_fields_fail(f, "refund", "refund_invalid");
    }
}

void kf_cancel_request_read(kf_fields *f, const json_t *body, int by_merchant,
                            kf_cancel_request *rq)
{
    rq->by_merchant = by_merchant;
    rq->note = NULL;
    rq->refund_choice = NULL;
    rq->refund_requested = 0;
    rq->rest = kf_series_scope_read(f, body);
    if (body) {
        read_reason(f, body, by_merchant, &rq->note);
    }
    if (by_merchant) {
        read_refund(f, body, rq);
    }
}

kf_res_facts kf_cancel_facts(const char *const *row, int by_merchant)
{
    kf_res_facts facts = {0};
    facts.before_cutoff = row[KF_CANCEL_COL_BEFORE_CUTOFF] &&
                          strcmp(row[KF_CANCEL_COL_BEFORE_CUTOFF], "t") == 0;
    facts.by_merchant = by_merchant;
    facts.money_taken = row[KF_CANCEL_COL_PAYMENT] != NULL;
    return facts;
}

int kf_cancel_refund(const char *const *row, const kf_res_outcome *o,
                     const kf_cancel_request *rq, apr_int64_t *refund)
{
    *refund = 0;
    if (!(o->effects & KF_RES_FX_REFUND_FLAG)) {
        return 0;
    }
    return kf_refund_on_cancel_taken(rq->refund_choice ? rq->refund_choice
                                                       : row[KF_CANCEL_COL_POLICY],
                                     apr_atoi64(row[KF_CANCEL_COL_PAID]), rq->refund_requested,
                                     apr_atoi64(row[KF_CANCEL_COL_TAKEN]),
                                     apr_atoi64(row[KF_CANCEL_COL_GIVEN]), refund) != 0
               ? -1 : 0;
}

static int of_series(const char *const *row)
{
    return row[KF_CANCEL_COL_SERIES] && strcmp(row[KF_CANCEL_COL_SERIES], "t") == 0;
}

apr_int64_t kf_cancel_refund_total(const char *const *row, apr_int64_t refund)
{
    if (of_series(row)) {
        apr_int64_t asked = row[KF_CANCEL_COL_REFUNDED] ? apr_atoi64(row[KF_CANCEL_COL_REFUNDED]) : 0;
        apr_int64_t given = apr_atoi64(row[KF_CANCEL_COL_PAYMENT_GIVEN]);
        return refund + (asked > given ? asked : given);
    }
    return refund + apr_atoi64(row[KF_CANCEL_COL_GIVEN]);
}

apr_int64_t kf_cancel_refund_ask(const char *const *row, apr_int64_t refund)
{
    if (!of_series(row)) {
        return refund;
    }
    apr_int64_t asked = row[KF_CANCEL_COL_REFUNDED] ? apr_atoi64(row[KF_CANCEL_COL_REFUNDED]) : 0;
    apr_int64_t given = apr_atoi64(row[KF_CANCEL_COL_PAYMENT_GIVEN]);
    return refund + (asked > given ? asked - given : 0);
}

json_t *kf_cancel_reply(const char *const *row, const char *status, apr_int64_t refund,
                        const char *refund_status)
{
    json_t *booking = json_pack("{s:s, s:s, s:s, s:s}", "id", row[KF_CANCEL_COL_ID],
                                "status", status, "start", row[KF_CANCEL_COL_START],
                                "end", row[KF_CANCEL_COL_END]);
    json_t *r = refund > 0 && refund_status
                    ? json_pack("{s:I, s:s, s:s}", "amount", (json_int_t)refund,
                                "currency", row[KF_CANCEL_COL_CURRENCY], "status", refund_status)
                    : json_null();
    return json_pack("{s:o, s:o}", "booking", booking, "refund", r);
}

json_t *kf_cancel_reply_again(const char *const *row)
{
    const char *refunded = row[KF_CANCEL_COL_REFUNDED];
    return kf_cancel_reply(row, "cancelled", refunded ? apr_atoi64(refunded) : 0,
                           row[KF_CANCEL_COL_REFUND_STATUS]);
}

json_t *kf_cancel_audit_changes(int by_merchant, apr_int64_t refund)
{
    return json_pack("{s:s, s:s, s:I}", "status", "cancelled", "by",
                     by_merchant ? "merchant" : "customer", "refund", (json_int_t)refund);
}
