/* Refunds: a merchant's request, its spread and the job's attempt: see kf_refund_request.h. */
#include "kf_refund_request.h"
#include "kf_json.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <stdlib.h>
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

apr_status_t kf_refund_spread_of(apr_pool_t *p, const kf_payment_provider *prov,
                                 const char *pay_id, const char *const *const *rows, int n,
                                 apr_int64_t amount, apr_int64_t paid, kf_refund_spread *out)
{
    memset(out, 0, sizeof(*out));
    if (n < 1) {
        out->start = kf_refund_start(prov, amount, paid);
        return amount > paid ? APR_EINVAL : APR_SUCCESS;
    }
    kf_payment_tx *txs = apr_pcalloc(p, sizeof(*txs) * n);
    apr_int64_t *share = apr_pcalloc(p, sizeof(*share) * n);
    int keyed = 0;
    for (int i = 0; i < n; i++) {
        txs[i].amount = number(rows[i][KF_REFUND_TX_COL_AMOUNT]);
        txs[i].refunded = number(rows[i][KF_REFUND_TX_COL_REFUNDED]);
        txs[i].approved_at = (apr_time_t)number(rows[i][KF_REFUND_TX_COL_APPROVED_US]);
        keyed |= kf_text_true(rows[i][KF_REFUND_TX_COL_KEYED]);
    }
    if (kf_refund_allocate(txs, n, amount, share) > 0) {
        return APR_EINVAL;
    }
    out->start = kf_refund_start_shares(prov, txs, n, share);
    int first = kf_refund_first_share(txs, n, share);
    out->row = apr_pcalloc(p, sizeof(*out->row) * n);
    out->share = apr_pcalloc(p, sizeof(*out->share) * n);
    out->key = apr_pcalloc(p, sizeof(*out->key) * n);
    for (int i = 0; i < n; i++) {
        if (share[i] > 0) {
            const char *row = rows[i][KF_REFUND_TX_COL_ROW];
            int round = atoi(rows[i][KF_REFUND_TX_COL_ROUNDS] ? rows[i][KF_REFUND_TX_COL_ROUNDS]
                                                              : "0") + 1;
            out->row[out->n] = row;
            out->share[out->n] = share[i];
            out->key[out->n++] = kf_refund_share_key(p, pay_id, row, round, !keyed && i == first);
        }
    }
    return APR_SUCCESS;
}

/* One provider call: a share of the payment's refund (or the whole refund of a payment
 * without transaction rows). */
static apr_status_t ask_provider(apr_pool_t *p, const kf_refund_caller *caller,
                                 const char *const *claim, const char *transaction_id,
                                 apr_int64_t amount, apr_int64_t paid, const char *key,
                                 const char **refund_id, const char **why)
{
    why = kf_payment_why(why);
    if (!caller->prov || !caller->prov->refund) {
        *why = "the provider has no refund API";
        return APR_ENOTIMPL;
    }
    if (!caller->acct) {
        *why = "the payment account is not configured";
        return APR_EACCES;
    }
    kf_payment_refund rf = {.transaction_id = transaction_id,
                            .reference = claim[KF_REFUND_CLAIM_COL_REFERENCE],
                            .idempotency_key = key, .amount = amount, .paid = paid,
                            .currency = claim[KF_REFUND_CLAIM_COL_CURRENCY]};
    return caller->prov->refund(p, caller->http, &caller->ep, caller->acct, &rf, refund_id, why);
}

void kf_refund_attempt_run(apr_pool_t *p, const kf_refund_caller *caller,
                           const char *const *claim, const char *const *const *shares, int n,
                           kf_refund_attempt *out)
{
    memset(out, 0, sizeof(*out));
    int slots = n > 0 ? n : 1;
    out->share_status = apr_pcalloc(p, sizeof(*out->share_status) * slots);
    out->share_refund = apr_pcalloc(p, sizeof(*out->share_refund) * slots);
    out->share_note = apr_pcalloc(p, sizeof(*out->share_note) * slots);
    out->share_given = apr_pcalloc(p, sizeof(*out->share_given) * slots);
    const char *pay_id = claim[KF_REFUND_CLAIM_COL_PAYMENT];
    apr_status_t rv = APR_SUCCESS, manual_rv = APR_SUCCESS;
    if (n < 1) {
        /* a payment without transaction rows: its one transaction, the payment's key */
        rv = ask_provider(p, caller, claim, claim[KF_REFUND_CLAIM_COL_TRANSACTION],
                          number(claim[KF_REFUND_CLAIM_COL_AMOUNT]),
                          number(claim[KF_REFUND_CLAIM_COL_PAID]),
                          kf_refund_share_key(p, pay_id, NULL, 0, 0), &out->refund_id, &out->why);
    }
    for (int i = 0; i < n; i++) {
        const char *const *s = shares[i];
        if (is(s[KF_REFUND_SHARE_COL_STATUS], "manual")) {
            manual_rv = APR_ENOTIMPL;    /* left to the merchant before: the payment's too */
            continue;
        }
        if (!is(s[KF_REFUND_SHARE_COL_STATUS], "pending")) {
            continue;                    /* given back already */
        }
        const char *one_id = NULL, *one_why = NULL;
        apr_status_t one = ask_provider(p, caller, claim, s[KF_REFUND_SHARE_COL_TRANSACTION],
                                        number(s[KF_REFUND_SHARE_COL_SHARE]),
                                        number(s[KF_REFUND_SHARE_COL_AMOUNT]),
                                        s[KF_REFUND_SHARE_COL_KEY], &one_id, &one_why);
        if (one == APR_SUCCESS) {
            out->share_status[i] = "succeeded";
            out->share_refund[i] = one_id;
            out->refund_id = out->refund_id ? out->refund_id : one_id;
        }
        else if (one == APR_ENOTIMPL || one == APR_EACCES) {
            out->share_status[i] = "manual";
            manual_rv = one;
            out->why = one_why;
        }
        else if (rv == APR_SUCCESS) {
            rv = one;                    /* worth retrying: the first such answer decides */
            out->why = one_why;
        }
        out->share_given[i] = one == APR_SUCCESS;
        out->share_note[i] = apr_psprintf(
            p, "refund of %s %s on transaction %s: %s", s[KF_REFUND_SHARE_COL_SHARE],
            claim[KF_REFUND_CLAIM_COL_CURRENCY], s[KF_REFUND_SHARE_COL_TRANSACTION],
            one == APR_SUCCESS ? "given back" : (one_why ? one_why : "?"));
    }
    /* succeeded only when every share has; a share left to the merchant leaves it all to them
     * once nothing is worth retrying */
    if (rv == APR_SUCCESS && manual_rv != APR_SUCCESS) {
        rv = manual_rv;
    }
    out->step = kf_refund_after_attempt(rv, atoi(claim[KF_REFUND_CLAIM_COL_ATTEMPTS]),
                                        &out->retry);
    for (int i = 0; out->step == KF_REFUND_MANUAL && i < n; i++) {
        /* given up on the payment: its shares still pending are the merchant's too */
        out->share_status[i] = out->share_status[i] ? out->share_status[i] : "manual";
    }
    if (out->step == KF_REFUND_SUCCEEDED) {
        out->why = NULL;
        out->history = "refunded";
        out->note = apr_psprintf(p, "%s refunded %s %s (%s)", claim[KF_REFUND_CLAIM_COL_PROVIDER],
                                 claim[KF_REFUND_CLAIM_COL_AMOUNT],
                                 claim[KF_REFUND_CLAIM_COL_CURRENCY], out->refund_id);
        return;
    }
    out->history = out->step == KF_REFUND_MANUAL ? "refund_manual" : NULL;
    out->note = apr_psprintf(p, "refund %s after attempt %s: %s",
                             out->step == KF_REFUND_MANUAL ? "left to the merchant"
                                                           : "retried later",
                             claim[KF_REFUND_CLAIM_COL_ATTEMPTS], out->why ? out->why : "?");
}

const char **kf_refund_attempted_args(apr_pool_t *p, const kf_refund_attempt *a,
                                      const char *payment_id)
{
    const char *status = kf_refund_step_name(a->step);
    const char *args[KF_REFUND_ATTEMPTED_ARGS] = {
        status, status, status, a->refund_id, a->why,
        a->step == KF_REFUND_RETRY ? apr_itoa(p, a->retry) : NULL, payment_id};
    return apr_pmemdup(p, args, sizeof(args));
}
