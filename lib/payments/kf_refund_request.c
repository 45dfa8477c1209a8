/* A merchant's refund request: see kf_refund_request.h. */
#include "kf_refund_request.h"
#include "kf_json.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

static int is(const char *v, const char *what)
{
    return v && strcmp(v, what) == 0;
}

kf_refund_verdict kf_refund_decide(const kf_refund_facts *f, int manual, apr_int64_t asked,
                                   apr_int64_t *amount)
{
    *amount = 0;
    if (!f->paid) {
        return KF_REFUND_NOT_NEEDED;
    }
    int done = f->refunded || is(f->status, "succeeded");
    if (done || (is(f->status, "pending") && !manual)) {
        return KF_REFUND_ASKED_BEFORE;
    }
    if (!f->flagged) {
        return KF_REFUND_NOT_NEEDED;
    }
    /* by default a second approval gives back the extra; anything else all that was taken */
    int second = is(f->flag_reason, "second_approval");
    apr_int64_t want = asked ? asked
                       : f->requested ? f->requested
                       : second && f->taken > f->amount ? f->taken - f->amount
                       : f->taken;
    if (want < 1 || want > f->taken - f->given) {
        return KF_REFUND_BAD_AMOUNT;
    }
    *amount = want;
    return KF_REFUND_ASK;
}

void kf_refund_ask_read(kf_fields *f, const json_t *body, kf_refund_ask *ask)
{
    ask->manual = 0;
    ask->note = NULL;
    ask->amount = 0;
    json_t *manual = json_object_get(body, "manual");
    if (manual && !json_is_boolean(manual)) {
        kf_fields_fail(f, "manual", "field_wrong_type");
    }
    ask->manual = json_is_true(manual);
    if (json_object_get(body, "amount") &&
        (kf_json_get_int(body, "amount", &ask->amount) != KF_JSON_FIELD_OK || ask->amount <= 0)) {
        kf_fields_fail(f, "amount", "refund_amount_invalid");
    }
    if (ask->manual) {
        kf_json_field got = kf_json_get_string(body, "note", &ask->note);
        if (got == KF_JSON_FIELD_WRONG_TYPE ||
            (got == KF_JSON_FIELD_OK && kf_utf8_length(ask->note) > KF_REFUND_NOTE_MAX)) {
            kf_fields_fail(f, "note", "field_wrong_type");
        }
        else if (got != KF_JSON_FIELD_OK || !*ask->note) {
            kf_fields_fail(f, "note", "field_required");
        }
    }
}

static apr_int64_t number(const char *v)
{
    return v ? apr_atoi64(v) : 0;
}

kf_refund_facts kf_refund_facts_of(const char *const *v)
{
    kf_refund_facts facts = {
        v[KF_REFUND_COL_PAYMENT] != NULL, number(v[KF_REFUND_COL_AMOUNT]),
        number(v[KF_REFUND_COL_TAKEN]), number(v[KF_REFUND_COL_GIVEN]),
        number(v[KF_REFUND_COL_REQUESTED]),
        is(v[KF_REFUND_COL_NEEDED], "t") || is(v[KF_REFUND_COL_MISMATCH], "t"),
        v[KF_REFUND_COL_FLAG], v[KF_REFUND_COL_STATUS], v[KF_REFUND_COL_DONE_AT] != NULL};
    return facts;
}

json_t *kf_refund_reply(apr_int64_t amount, const char *currency, const char *status,
                        const char *refunded_at)
{
    return json_pack("{s:{s:I, s:s, s:s, s:s*}}", "refund", "amount", (json_int_t)amount,
                     "currency", currency, "status", status, "refunded_at", refunded_at);
}

json_t *kf_refund_reply_before(const char *const *v)
{
    const char *asked = v[KF_REFUND_COL_REQUESTED] ? v[KF_REFUND_COL_REQUESTED]
                                                   : v[KF_REFUND_COL_AMOUNT];
    return kf_refund_reply(apr_atoi64(asked), v[KF_REFUND_COL_CURRENCY], v[KF_REFUND_COL_STATUS],
                           v[KF_REFUND_COL_DONE_AT]);
}

json_t *kf_refund_audit_changes(apr_int64_t amount, int manual, const char *status,
                                const char *note)
{
    return json_pack("{s:I, s:s, s:s?}", "amount", (json_int_t)amount,
                     "status", manual ? "refunded_by_hand" : status, "note", note);
}
