/* Charge rules, payment statuses and what the registry says of every provider: see
 * kf_payment.h. */
#include "kf_payment.h"
#include "kf_payment_view.h"
#include "kf_catalog_rules.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_tenant_rules.h"
#include "kf_url.h"
#include "kf_text.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

apr_status_t kf_payment_charge(const char *charge_type, apr_int64_t price, int deposit_percent,
                           apr_int64_t *amount)
{
    kf_charge_type type = kf_charge_type_parse(charge_type);
    apr_int64_t charged = type == KF_CHARGE_INVALID ? -1
                                                    : kf_charge_amount(type, price, deposit_percent);
    if (!amount || charged < 0) {
        return APR_EINVAL;
    }
    *amount = charged;
    return APR_SUCCESS;
}

const char *kf_payment_status_name(kf_payment_status s)
{
    switch (s) {
    case KF_PAYMENT_PENDING: return "pending";
    case KF_PAYMENT_APPROVED: return "approved";
    case KF_PAYMENT_DECLINED: return "declined";
    case KF_PAYMENT_ERROR: return "error";
    case KF_PAYMENT_VOIDED: return "voided";
    default: return "unknown";
    }
}

const char *kf_dispute_state_name(kf_dispute_state s)
{
    switch (s) {
    case KF_DISPUTE_WON: return "won";
    case KF_DISPUTE_LOST: return "lost";
    case KF_DISPUTE_CLOSED: return "closed";
    default: return "open";
    }
}

int kf_payment_status_is_failure(kf_payment_status s)
{
    return s == KF_PAYMENT_DECLINED || s == KF_PAYMENT_ERROR || s == KF_PAYMENT_VOIDED;
}

kf_payment_status kf_payment_status_parse(const char *name)
{
    for (int s = KF_PAYMENT_PENDING; name && s < KF_PAYMENT_UNKNOWN; s++) {
        if (strcmp(kf_payment_status_name((kf_payment_status)s), name) == 0) {
            return (kf_payment_status)s;
        }
    }
    return KF_PAYMENT_UNKNOWN;
}

json_t *kf_payment_webhook_object(apr_pool_t *p, const kf_payment_webhook *wh)
{
    return wh->object ? wh->object : kf_json_parse_object(p, wh->body, wh->len, NULL);
}

json_t *kf_payment_webhook_member(apr_pool_t *p, const kf_payment_webhook *wh,
                                  const char *dotted_path)
{
    return kf_json_path(kf_payment_webhook_object(p, wh), dotted_path);
}

int kf_payment_nothing_to_collect(const char *charge_type, apr_int64_t amount)
{
    return !charge_type || strcmp(charge_type, "free") == 0 || amount <= 0;
}

int kf_payment_refund_is_whole(const kf_payment_event *ev, kf_payment_status payment_status,
                               apr_int64_t refunded, apr_int64_t taken)
{
    if (!ev || ev->kind != KF_PAYMENT_EVENT_REFUND || payment_status != KF_PAYMENT_APPROVED ||
        taken <= 0) {
        return 0;
    }
    return refunded >= taken;
}

void kf_payment_refund_figures(const kf_payment_event *ev, apr_int64_t pay_amount,
                               const char *pay_txid, const char *const *tx_row,
                               kf_refund_figures *out)
{
    out->taken = pay_amount;
    out->refunded = 0;
    out->pending = "0";
    if (tx_row && apr_atoi64(tx_row[KF_PAY_TXR_COL_COUNT]) > 0) {
        out->taken = apr_atoi64(tx_row[KF_PAY_TXR_COL_TAKEN]);
        out->refunded = apr_atoi64(tx_row[KF_PAY_TXR_COL_REFUNDED]);
        out->pending = tx_row[KF_PAY_TXR_COL_PENDING];
    }
    else if (!ev->transaction_id || !pay_txid || strcmp(ev->transaction_id, pay_txid) == 0) {
        /* a payment without transaction rows: its one transaction */
        out->refunded = ev->amount;
    }
    out->total = out->refunded > ev->amount ? out->refunded : ev->amount;
}

const char *kf_refund_share_key(apr_pool_t *p, const char *payment_id, const char *row,
                                int round, int first)
{
    if (first || !row) {
        return apr_pstrcat(p, "refund-", payment_id, NULL);
    }
    return apr_psprintf(p, "refund-%s-%s.%d", payment_id, row, round);
}

/* 1 when txs[a] is newer than txs[b] (ties: the later in the array). */
static int tx_newer(const kf_payment_tx *txs, int a, int b)
{
    return txs[a].approved_at != txs[b].approved_at ? txs[a].approved_at > txs[b].approved_at
                                                    : a > b;
}

apr_int64_t kf_refund_allocate(const kf_payment_tx *txs, int n, apr_int64_t amount,
                               apr_int64_t *share)
{
    for (int i = 0; i < n; i++) {
        share[i] = 0;
    }
    apr_int64_t left = amount > 0 ? amount : 0;
    /* n is a handful (one per time the customer paid): pick the newest untouched each round */
    for (int round = 0; round < n && left > 0; round++) {
        int pick = -1;
        for (int i = 0; i < n; i++) {
            if (share[i] == 0 && txs[i].amount - txs[i].refunded > 0 &&
                (pick < 0 || tx_newer(txs, i, pick))) {
                pick = i;
            }
        }
        if (pick < 0) {
            break;
        }
        apr_int64_t room = txs[pick].amount - txs[pick].refunded;
        share[pick] = left < room ? left : room;
        left -= share[pick];
    }
    return left;
}

int kf_refund_first_share(const kf_payment_tx *txs, int n, const apr_int64_t *share)
{
    int first = -1;
    for (int i = 0; i < n; i++) {
        if (share[i] > 0 && (first < 0 || tx_newer(txs, i, first))) {
            first = i;
        }
    }
    return first;
}

kf_refund_step kf_refund_start_shares(const kf_payment_provider *prov, const kf_payment_tx *txs,
                                      int n, const apr_int64_t *share)
{
    int any = 0;
    for (int i = 0; i < n; i++) {
        if (share[i] <= 0) {
            continue;
        }
        any = 1;
        if (prov && !prov->refunds_part && txs[i].refunded > 0) {
            return KF_REFUND_MANUAL;
        }
        if (kf_refund_start(prov, share[i], txs[i].amount - txs[i].refunded) != KF_REFUND_RETRY) {
            return KF_REFUND_MANUAL;
        }
    }
    return any ? KF_REFUND_RETRY : KF_REFUND_MANUAL;
}

kf_payment_action kf_payment_event_action(const kf_payment_event *ev, kf_payment_status payment_status,
                                  apr_int64_t asked_amount, const char *asked_currency)
{
    if (ev->amount != asked_amount || !ev->currency || !asked_currency ||
        strcmp(ev->currency, asked_currency) != 0) {
        return KF_PAYMENT_ACT_MISMATCH;
    }
    if (ev->status == KF_PAYMENT_APPROVED) {
        return KF_PAYMENT_ACT_APPROVE;
    }
    if (kf_payment_status_is_failure(ev->status) && payment_status == KF_PAYMENT_PENDING) {
        return KF_PAYMENT_ACT_DECLINE;
    }
    return KF_PAYMENT_ACT_NOTHING;
}

/* The state the payment's dispute moves to on a dispute event, or NULL when it stays: the
 * first dispute of a payment is kept, only its own events move it, and a final state (won,
 * lost, closed) is never reopened by an event that arrives late. */
static const char *dispute_moves_to(const kf_payment_event *ev, const char *kept_id,
                                    const char *kept_state)
{
    const char *state = kf_dispute_state_name(ev->dispute_state);
    if (kept_id && ev->refund_id && strcmp(kept_id, ev->refund_id) != 0) {
        return NULL;
    }
    if (kept_state && (strcmp(kept_state, state) == 0 || strcmp(kept_state, "won") == 0 ||
                       strcmp(kept_state, "lost") == 0 || strcmp(kept_state, "closed") == 0)) {
        return NULL;
    }
    return state;
}

kf_payment_plan kf_payment_event_plan(apr_pool_t *p, const kf_payment_event *ev,
                                      const char *const *locked)
{
    kf_payment_plan plan = {.step = KF_PAYMENT_STEP_RECORD, .result = KF_PAYMENT_RESULT_UNCHANGED};
    const char *txid = locked[KF_PAY_LOCK_COL_TXID];
    int purchase = locked[KF_PAY_LOCK_COL_PURCHASE] != NULL;
    int booking = !purchase && locked[KF_PAY_LOCK_COL_BOOKING] != NULL;
    /* events of one payment wait for each other on its lock: the check cannot race */
    if (kf_text_true(locked[KF_PAY_LOCK_COL_EVENT_SEEN])) {
        plan.step = KF_PAYMENT_STEP_DUPLICATE;
        return plan;
    }
    if (ev->kind == KF_PAYMENT_EVENT_DISPUTE) {
        plan.step = KF_PAYMENT_STEP_DISPUTE;
        plan.result = KF_PAYMENT_RESULT_DISPUTED;
        plan.status = dispute_moves_to(ev, locked[KF_PAY_LOCK_COL_DISPUTE_ID],
                                       locked[KF_PAY_LOCK_COL_DISPUTE_STATUS]);
        plan.note = apr_psprintf(p, "dispute %s at %s is %s (%s)", ev->refund_id,
                                 locked[KF_PAY_LOCK_COL_PROVIDER],
                                 kf_dispute_state_name(ev->dispute_state),
                                 ev->dispute_reason ? ev->dispute_reason : "no reason");
        return plan;
    }
    if (ev->kind == KF_PAYMENT_EVENT_REFUND) {
        plan.step = KF_PAYMENT_STEP_REFUND;
        plan.result = KF_PAYMENT_RESULT_REFUNDED;
        plan.booking = booking;
        return plan;
    }
    if (ev->kind != KF_PAYMENT_EVENT_PAYMENT) {
        return plan;
    }
    kf_payment_action action = kf_payment_event_action(
        ev, kf_payment_status_parse(locked[KF_PAY_LOCK_COL_STATUS]),
        apr_atoi64(locked[KF_PAY_LOCK_COL_AMOUNT]), locked[KF_PAY_LOCK_COL_CURRENCY]);
    if (action == KF_PAYMENT_ACT_MISMATCH) {
        plan.step = KF_PAYMENT_STEP_MISMATCH;
        plan.result = KF_PAYMENT_RESULT_MISMATCH;
        plan.flag_refund = ev->status == KF_PAYMENT_APPROVED;
        plan.note = apr_psprintf(p, "%s event for %" APR_INT64_T_FMT " %s but %s %s was asked: "
                                 "refused and flagged", ev->provider_status, ev->amount,
                                 ev->currency, locked[KF_PAY_LOCK_COL_AMOUNT],
                                 locked[KF_PAY_LOCK_COL_CURRENCY]);
        return plan;
    }
    if (action != KF_PAYMENT_ACT_APPROVE && action != KF_PAYMENT_ACT_DECLINE) {
        return plan;
    }
    plan.step = action == KF_PAYMENT_ACT_APPROVE ? KF_PAYMENT_STEP_APPROVE : KF_PAYMENT_STEP_DECLINE;
    plan.status = kf_payment_status_name(action == KF_PAYMENT_ACT_APPROVE ? KF_PAYMENT_APPROVED
                                                                          : ev->status);
    plan.purchase = purchase;
    /* an approval is the booking's whatever it holds; a decline only moves a booking held */
    plan.booking = !purchase && (action == KF_PAYMENT_ACT_APPROVE || booking);
    plan.same_transaction = txid && ev->transaction_id && strcmp(txid, ev->transaction_id) == 0;
    plan.reason = apr_pstrcat(p, "payment_", plan.status, NULL);
    return plan;
}

int kf_payment_refund_of(const kf_payment_event *ev, const char *const *locked,
                         const char *const *tx_row, kf_refund_figures *out)
{
    kf_payment_refund_figures(ev, apr_atoi64(locked[KF_PAY_LOCK_COL_AMOUNT]),
                              locked[KF_PAY_LOCK_COL_TXID], tx_row, out);
    /* the extra of a payment made twice given back is not the whole */
    return kf_payment_refund_is_whole(ev, kf_payment_status_parse(locked[KF_PAY_LOCK_COL_STATUS]),
                                      out->refunded, out->taken);
}

kf_payment_verdict kf_payment_verify(apr_pool_t *p, const kf_payment_provider *prov,
                                     const kf_payment_webhook *wh, const kf_payment_account *acct,
                                     kf_payment_event *ev, const char **why)
{
    if (!acct) {
        return KF_PAYMENT_BAD_SIGNATURE;
    }
    kf_payment_verdict v = prov->verify_webhook(p, wh, acct, ev, kf_payment_why(why));
    if (v == KF_PAYMENT_BAD_SIGNATURE && acct->previous_events_secret) {
        /* rotated less than 72 h ago: events signed with the previous secret still count */
        kf_payment_account previous = *acct;
        previous.events_secret = acct->previous_events_secret;
        v = prov->verify_webhook(p, wh, &previous, ev, kf_payment_why(why));
    }
    return v;
}

kf_payment_asked kf_payment_ask(apr_pool_t *p, kf_http_client *http,
                                const kf_payment_provider *prov, const kf_payment_endpoints *ep,
                                const kf_payment_account *acct, const kf_payment_question *q,
                                kf_payment_event *ev, const char **record, const char **note)
{
    const char *why = NULL;
    *record = *note = NULL;
    if (!q->dispute) {
        apr_status_t rv = prov->find_payment(p, http, ep, acct, q->name, q->about, ev, &why);
        if (rv == APR_NOTFOUND) {
            return KF_PAYMENT_ASK_NOTHING;
        }
        if (rv != APR_SUCCESS) {
            *note = apr_psprintf(p, "%s look-up (%s) failed: %s", prov->name, q->source,
                                 why ? why : "?");
            return KF_PAYMENT_ASK_FAILED;
        }
        *record = kf_payment_found_record(p, ev);
        return KF_PAYMENT_ASK_APPLY;
    }
    if (!prov->find_dispute) {
        return KF_PAYMENT_ASK_NOT_OURS;
    }
    apr_status_t rv = prov->find_dispute(p, http, ep, acct, q->name, q->about, ev, &why);
    if (rv == APR_NOTFOUND || rv == APR_EINVAL) {
        *note = apr_psprintf(p, "%s dispute %s not recorded: %s", prov->name,
                             kf_url_encode(p, q->name), why ? why : "?");
        return KF_PAYMENT_ASK_NOT_OURS;
    }
    if (rv != APR_SUCCESS) {
        *note = apr_psprintf(p, "%s dispute look-up failed: %s", prov->name, why ? why : "?");
        return KF_PAYMENT_ASK_FAILED;
    }
    *record = kf_payment_dispute_record(p, ev);
    return KF_PAYMENT_ASK_APPLY;
}

int kf_payment_webhook_question(kf_payment_verdict verdict, const char *reference,
                                const char *checkout_id, const char *dispute_id,
                                const char *txid, kf_payment_question *q)
{
    int dispute = verdict == KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP;
    if (!dispute && verdict != KF_PAYMENT_VERIFIED_LOOKUP) {
        return 0;
    }
    *q = (kf_payment_question){dispute, dispute ? dispute_id : reference,
                               dispute ? txid : checkout_id, "webhook"};
    return 1;
}

kf_payment_applied kf_payment_asked_applied(kf_payment_asked asked)
{
    switch (asked) {
    case KF_PAYMENT_ASK_NOTHING:
        return KF_PAYMENT_DUPLICATE;     /* nothing paid yet: nothing to apply */
    case KF_PAYMENT_ASK_NOT_OURS:
        return KF_PAYMENT_NOT_OURS;
    default:
        return KF_PAYMENT_FAILED;
    }
}

const char *kf_payment_webhook_outcome(kf_payment_applied applied)
{
    switch (applied) {
    case KF_PAYMENT_APPLIED:
        return "applied";
    case KF_PAYMENT_DUPLICATE:
        return "duplicate";
    case KF_PAYMENT_NOT_OURS:
        return "ignored";
    default:
        return NULL;
    }
}

int kf_payment_back_from_checkout(const char *id, const char *ret)
{
    return (id && *id) || (ret && *ret);
}

const char **kf_payment_why(const char **why)
{
    static _Thread_local const char *unread;
    why = why ? why : &unread;
    *why = NULL;
    return why;
}

apr_status_t kf_payment_call_create_checkout(const kf_payment_provider *prov, apr_pool_t *p,
                                             kf_http_client *http, const kf_payment_endpoints *ep,
                                             const kf_payment_account *acct,
                                             const kf_payment_checkout *co,
                                             kf_payment_session *out, const char **why)
{
    why = kf_payment_why(why);
    memset(out, 0, sizeof(*out));
    return prov->create_checkout(p, http, ep, acct, co, out, why);
}

apr_status_t kf_payment_call_test_connection(const kf_payment_provider *prov, apr_pool_t *p,
                                             kf_http_client *http, const kf_payment_endpoints *ep,
                                             const kf_payment_account *acct,
                                             const char **merchant_name, const char **why)
{
    why = kf_payment_why(why);
    return prov->test_connection(p, http, ep, acct, merchant_name, why);
}

apr_status_t kf_payment_call_close_checkout(const kf_payment_provider *prov, apr_pool_t *p,
                                            kf_http_client *http, const kf_payment_endpoints *ep,
                                            const kf_payment_account *acct,
                                            const char *checkout_id, const char **why)
{
    why = kf_payment_why(why);
    if (!prov->close_checkout) {
        *why = "the provider's checkouts end by themselves";
        return APR_ENOTIMPL;
    }
    return prov->close_checkout(p, http, ep, acct, checkout_id, why);
}

int kf_payment_close_retry(apr_status_t rv, int attempts)
{
    if (rv == APR_SUCCESS || rv == APR_NOTFOUND || rv == APR_EINVAL) {
        return 0;
    }
    return 60 << (attempts < 0 ? 0 : attempts < 8 ? attempts : 8);
}

int kf_payment_has_key(const kf_payment_account *acct, const char **why, const char *missing)
{
    if (acct && acct->private_key && *acct->private_key) {
        return 1;
    }
    *why = missing;
    return 0;
}

/* ---- what the registry says of every provider ---- */

const char *const *kf_payment_currencies_of(const char *name)
{
    const kf_payment_provider *prov = kf_payment_provider_find(name);
    return prov ? prov->currencies : NULL;
}

int kf_payment_accepts_currency(const kf_payment_provider *prov, const char *currency)
{
    for (int i = 0; prov && prov->currencies && currency && prov->currencies[i]; i++) {
        if (strcmp(prov->currencies[i], currency) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The URL names of one provider: its API in each mode, its checkout page when it has one. */
static void push_url_names(apr_pool_t *p, apr_array_header_t *names,
                           const kf_payment_provider *prov)
{
    APR_ARRAY_PUSH(names, const char *) = apr_pstrcat(p, prov->name, "-sandbox", NULL);
    APR_ARRAY_PUSH(names, const char *) = apr_pstrcat(p, prov->name, "-production", NULL);
    if (prov->default_endpoints("test").checkout_base ||
        prov->default_endpoints("production").checkout_base) {
        APR_ARRAY_PUSH(names, const char *) = apr_pstrcat(p, prov->name, "-checkout", NULL);
    }
}

const char *const *kf_payment_url_names(apr_pool_t *p)
{
    apr_array_header_t *names = apr_array_make(p, 16, sizeof(const char *));
    for (int i = 0; kf_payment_providers[i]; i++) {
        push_url_names(p, names, kf_payment_providers[i]);
    }
    APR_ARRAY_PUSH(names, const char *) = NULL;
    return (const char *const *)names->elts;
}

kf_payment_endpoints kf_payment_endpoints_of(apr_pool_t *p, const kf_payment_provider *prov,
                                             const char *mode,
                                             kf_payment_url_override *override, void *data)
{
    kf_payment_endpoints ep = prov->default_endpoints(mode);
    int production = mode && strcmp(mode, "production") == 0;
    ep.api_base = override(apr_pstrcat(p, prov->name, production ? "-production" : "-sandbox",
                                       NULL), ep.api_base, data);
    ep.checkout_base = override(apr_pstrcat(p, prov->name, "-checkout", NULL),
                                ep.checkout_base, data);
    return ep;
}

const char *kf_payment_closing(apr_pool_t *p)
{
    const char *list = NULL;
    for (int i = 0; kf_payment_providers[i]; i++) {
        if (kf_payment_providers[i]->close_checkout) {
            const char *name = kf_payment_providers[i]->name;
            list = list ? apr_pstrcat(p, list, ",", name, NULL) : name;
        }
    }
    return apr_pstrcat(p, "{", list ? list : "", "}", NULL);
}

const char *kf_payment_names_text(apr_pool_t *p, kf_locale locale)
{
    const char *text = "";
    for (int i = 0; kf_payment_providers[i]; i++) {
        const char *glue = i == 0                        ? ""
                           : kf_payment_providers[i + 1] ? ", "
                                                         : apr_pstrcat(p, " ",
                                                                       kf_message("word_or", locale),
                                                                       " ", NULL);
        text = apr_pstrcat(p, text, glue, kf_payment_providers[i]->name, NULL);
    }
    return text;
}

const char *kf_payment_own_message(const kf_payment_provider *prov, const char *id,
                                   kf_locale locale)
{
    for (const kf_payment_message *m = prov ? prov->messages : NULL; m && m->id && id; m++) {
        if (strcmp(m->id, id) == 0) {
            return locale == KF_LOCALE_EN ? m->en : m->es;
        }
    }
    return NULL;
}

const char *kf_payment_message_text(const kf_payment_provider *prov, const char *id,
                                    kf_locale locale)
{
    const char *own = kf_payment_own_message(prov, id, locale);
    return own ? own : kf_message(id, locale);
}

/* ---- a provider's settings ---- */

int kf_payment_mode_valid(const char *mode)
{
    return mode && (strcmp(mode, "test") == 0 || strcmp(mode, "production") == 0);
}

const char *kf_payment_key_chars(const char *rest, apr_size_t min, apr_size_t max,
                                 const char *message)
{
    apr_size_t n = rest ? strlen(rest) : 0;
    if (n < min || n > max) {
        return message;
    }
    for (apr_size_t i = 0; i < n; i++) {
        char c = rest[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-')) {
            return message;
        }
    }
    return NULL;
}

const char *kf_payment_key_check(const char *rest)
{
    return kf_payment_key_chars(rest, 8, 300, "payment_key_format");
}

const char *kf_payment_setting_check(const kf_payment_provider *prov, const char *mode,
                                     const kf_payment_setting *setting, const char *value)
{
    if (!prov || !setting || !value) {
        return "payment_key_format";
    }
    return prov->check_setting ? prov->check_setting(mode, setting, value)
                               : kf_payment_key_check(value);
}

const char *kf_payment_slot_name(kf_payment_slot slot)
{
    switch (slot) {
    case KF_PAYMENT_SLOT_PRIVATE:
        return "private_key";
    case KF_PAYMENT_SLOT_EVENTS:
        return "events_secret";
    case KF_PAYMENT_SLOT_INTEGRITY:
        return "integrity_secret";
    default:
        return NULL;
    }
}

const char *kf_payment_new_reference(apr_pool_t *p)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char raw[20];
    if (kf_random_bytes(raw, sizeof(raw)) != APR_SUCCESS) {
        return NULL;
    }
    char *ref = apr_palloc(p, 3 + sizeof(raw) + 1);
    memcpy(ref, "KF-", 3);
    for (apr_size_t i = 0; i < sizeof(raw); i++) {
        ref[3 + i] = alphabet[raw[i] & 31];   /* 5 uniform bits per character */
    }
    ref[3 + sizeof(raw)] = '\0';
    return ref;
}

kf_refund_step kf_refund_after_attempt(apr_status_t rv, int attempts, int *retry_seconds)
{
    *retry_seconds = 0;
    if (rv == APR_SUCCESS) {
        return KF_REFUND_SUCCEEDED;
    }
    if (rv == APR_ENOTIMPL || rv == APR_EACCES || attempts >= KF_REFUND_MAX_ATTEMPTS) {
        return KF_REFUND_MANUAL;
    }
    int n = attempts < 1 ? 1 : attempts;
    long delay = 60L << (n - 1 > 10 ? 10 : n - 1);
    *retry_seconds = (int)(delay > 6 * 3600 ? 6 * 3600 : delay);
    return KF_REFUND_RETRY;
}

const char *kf_refund_step_name(kf_refund_step step)
{
    switch (step) {
    case KF_REFUND_SUCCEEDED:
        return "succeeded";
    case KF_REFUND_MANUAL:
        return "manual";
    default:
        return "pending";
    }
}

kf_refund_step kf_refund_start(const kf_payment_provider *prov, apr_int64_t amount,
                               apr_int64_t paid)
{
    if (!prov || !prov->refund || amount <= 0 || amount > paid ||
        (amount < paid && !prov->refunds_part)) {
        return KF_REFUND_MANUAL;
    }
    return KF_REFUND_RETRY;
}

/* ---- short-lived provider tokens ---- */

typedef struct token_entry {
    char *key;          /* malloc'd: entries outlive no request, and a replaced one is freed */
    char *token;
    apr_time_t expires_at;
} token_entry;

struct kf_payment_token_cache {
    apr_hash_t *entries;           /* key -> token_entry */
    apr_thread_mutex_t *lock;
};

static apr_status_t token_cache_cleanup(void *data)
{
    kf_payment_token_cache *cache = data;
    for (apr_hash_index_t *hi = apr_hash_first(NULL, cache->entries); hi; hi = apr_hash_next(hi)) {
        token_entry *e = apr_hash_this_val(hi);
        free(e->key);
        free(e->token);
        free(e);
    }
    return APR_SUCCESS;
}

kf_payment_token_cache *kf_payment_token_cache_create(apr_pool_t *p)
{
    kf_payment_token_cache *cache = apr_pcalloc(p, sizeof(*cache));
    cache->entries = apr_hash_make(p);
    if (apr_thread_mutex_create(&cache->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS) {
        return NULL;
    }
    apr_pool_cleanup_register(p, cache, token_cache_cleanup, apr_pool_cleanup_null);
    return cache;
}

/* a token with less than this left is not handed out: the call it is for must still find it valid */
#define TOKEN_MARGIN apr_time_from_sec(60)

const char *kf_payment_token_cache_get(kf_payment_token_cache *cache, apr_pool_t *p,
                                       const char *key, apr_time_t now)
{
    const char *token = NULL;
    if (!cache || !key) {
        return NULL;
    }
    apr_thread_mutex_lock(cache->lock);
    token_entry *e = apr_hash_get(cache->entries, key, APR_HASH_KEY_STRING);
    if (e && e->expires_at - TOKEN_MARGIN > now) {
        token = apr_pstrdup(p, e->token);
    }
    apr_thread_mutex_unlock(cache->lock);
    return token;
}

void kf_payment_token_cache_put(kf_payment_token_cache *cache, const char *key, const char *token,
                                apr_time_t expires_at)
{
    if (!cache || !key || !token) {
        return;
    }
    token_entry *fresh = malloc(sizeof(*fresh));
    char *key_copy = strdup(key), *token_copy = strdup(token);
    if (!fresh || !key_copy || !token_copy) {
        free(fresh);
        free(key_copy);
        free(token_copy);
        return;
    }
    fresh->key = key_copy;
    fresh->token = token_copy;
    fresh->expires_at = expires_at;
    apr_thread_mutex_lock(cache->lock);
    token_entry *old = apr_hash_get(cache->entries, key, APR_HASH_KEY_STRING);
    if (old) {
        apr_hash_set(cache->entries, old->key, APR_HASH_KEY_STRING, NULL);
    }
    apr_hash_set(cache->entries, fresh->key, APR_HASH_KEY_STRING, fresh);
    apr_thread_mutex_unlock(cache->lock);
    if (old) {
        free(old->key);
        free(old->token);
        free(old);
    }
}


static const char *secret(const json_t *secrets, const char *key)
{
    const char *v = NULL;
    return kf_json_get_string(secrets, key, &v) == KF_JSON_FIELD_OK ? v : NULL;
}

apr_status_t kf_payment_account_unseal(apr_pool_t *p, const kf_keyring *keyring,
                                       const char *tenant_id, const char *provider,
                                       const char *sealed, apr_time_t now,
                                       kf_payment_account *acct, const char **why)
{
    char *plain = NULL;
    apr_size_t len = 0;
    json_int_t until = 0;
    apr_status_t rv = kf_open(p, keyring, sealed, kf_provider_secrets_aad(p, tenant_id, provider),
                              &plain, &len);
    if (rv != APR_SUCCESS) {
        *why = apr_pstrcat(p, "do not open: ", kf_crypto_strerror(rv), NULL);
        return rv;
    }
    json_t *secrets = kf_json_parse_object(p, plain, len, NULL);
    if (!secrets) {
        *why = "are not JSON";
        return APR_EINVAL;
    }
    acct->now = now;
    acct->private_key = secret(secrets, "private_key");
    acct->events_secret = secret(secrets, "events_secret");
    acct->integrity_secret = secret(secrets, "integrity_secret");
    if (kf_json_get_int(secrets, "previous_events_secret_until", &until) == KF_JSON_FIELD_OK &&
        kf_events_secret_previous_valid(until, apr_time_sec(now))) {
        acct->previous_events_secret = secret(secrets, "previous_events_secret");
    }
    return APR_SUCCESS;
}

const kf_payment_account *kf_payment_account_open(apr_pool_t *p, const kf_keyring *keyring,
                                                  const char *tenant_id, const char *provider,
                                                  const char *mode, const char *public_key,
                                                  const char *sealed,
                                                  kf_payment_token_cache *tokens, apr_time_t now,
                                                  const char **why)
{
    *why = NULL;
    if (!sealed) {
        return NULL;
    }
    kf_payment_account *acct = apr_pcalloc(p, sizeof(*acct));
    acct->mode = mode;
    acct->public_key = public_key;
    acct->tokens = tokens;
    return kf_payment_account_unseal(p, keyring, tenant_id, provider, sealed, now, acct, why) ==
                   APR_SUCCESS
               ? acct
               : NULL;
}

apr_status_t kf_payment_checkout_addresses(apr_pool_t *p, const char *public_url,
                                           const kf_payment_provider *prov,
                                           const char *redirect_url,
                                           const char *link_slug, const char *booking_id,
                                           const char *booking_token, kf_payment_checkout *co)
{
    const char *base = kf_url_trim_slash(p, public_url);
    co->reference = kf_payment_new_reference(p);
    if (!co->reference) {
        return APR_EGENERAL;
    }
    co->redirect_url =
        redirect_url ? redirect_url
                     : apr_pstrcat(p, base, "/book/", kf_url_encode(p, link_slug ? link_slug : "-"),
                                   "/confirmation?booking=", kf_url_encode(p, booking_id),
                                   "&token=", kf_url_encode(p, booking_token), NULL);
    if (!prov->returns_with_id) {
        co->redirect_url = apr_pstrcat(p, co->redirect_url, "&return=1", NULL);
    }
    co->notify_url = apr_pstrcat(p, base, "/api/webhooks/", prov->name, "?reference=",
                                 kf_url_encode(p, co->reference), NULL);
    return APR_SUCCESS;
}

apr_status_t kf_payment_checkout_start(apr_pool_t *p, const char *public_url,
                                       const kf_payment_provider *prov,
                                       const kf_payment_start *in,
                                       const char *service_name, kf_payment_checkout *co)
{
    if (kf_payment_checkout_addresses(p, public_url, prov, in->redirect_url, in->link_slug,
                                      in->reservation_id, in->booking_token, co) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    co->amount = in->amount;
    co->currency = in->currency;
    co->description = in->description ? in->description : service_name;
    co->expires_at = apr_time_from_sec(apr_time_sec(in->expires_at));
    co->customer_email = in->customer_email;
    co->customer_name = in->customer_name;
    co->customer_phone = in->customer_phone;
    return APR_SUCCESS;
}
