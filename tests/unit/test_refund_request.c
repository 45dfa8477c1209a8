/* Unit suite for lib/payments/kf_refund_request.c: what a merchant's refund request gives
 * back, or why it gives nothing. */
#include "kf_check_fields.h"

#include "kf_refund_request.h"
#include "kf_payment_wompi.h"
#include "kf_payment_stripe.h"

#include <apr_strings.h>
#include <string.h>

/* A booking of 50000 paid once, marked to give back after a late approval. */
static kf_refund_facts late_approval(void)
{
    kf_refund_facts f = {1, 50000, 50000, 0, 0, 1, "late_approval", NULL, 0};
    return f;
}

START_TEST(nothing_taken_nothing_to_give_back)
{
    kf_refund_facts f = {0};
    apr_int64_t amount = -1;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_NOT_NEEDED);
    ck_assert_int_eq(amount, 0);
    ck_assert_int_eq(kf_refund_decide(&f, 1, 100, &amount), KF_REFUND_NOT_NEEDED);
}
END_TEST

START_TEST(an_unmarked_payment_is_not_refunded_here)
{
    kf_refund_facts f = late_approval();
    f.flagged = 0;
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_NOT_NEEDED);
    ck_assert_int_eq(kf_refund_decide(&f, 1, 0, &amount), KF_REFUND_NOT_NEEDED);
}
END_TEST

START_TEST(by_default_everything_taken)
{
    kf_refund_facts f = late_approval();
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 50000);
    /* part of it, when the merchant names it */
    ck_assert_int_eq(kf_refund_decide(&f, 0, 20000, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 20000);
}
END_TEST

START_TEST(paid_twice_gives_back_the_extra)
{
    kf_refund_facts f = late_approval();
    f.taken = 100000;
    f.flag_reason = "second_approval";
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 50000);
    /* another reason: everything taken */
    f.flag_reason = "slot_lost";
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 100000);
}
END_TEST

START_TEST(what_was_asked_before_is_asked_again)
{
    kf_refund_facts f = late_approval();
    f.requested = 30000;
    f.status = "failed";
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(amount, 30000);
}
END_TEST

START_TEST(pending_or_done_is_answered_not_asked_again)
{
    kf_refund_facts f = late_approval();
    apr_int64_t amount;
    f.status = "pending";
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASKED_BEFORE);
    /* a pending one may be closed by hand */
    ck_assert_int_eq(kf_refund_decide(&f, 1, 0, &amount), KF_REFUND_ASK);
    f.status = "succeeded";
    ck_assert_int_eq(kf_refund_decide(&f, 1, 0, &amount), KF_REFUND_ASKED_BEFORE);
    f.status = NULL;
    f.refunded = 1;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_ASKED_BEFORE);
}
END_TEST

START_TEST(never_more_than_is_left)
{
    kf_refund_facts f = late_approval();
    f.given = 45000;
    apr_int64_t amount;
    ck_assert_int_eq(kf_refund_decide(&f, 0, 5000, &amount), KF_REFUND_ASK);
    ck_assert_int_eq(kf_refund_decide(&f, 0, 5001, &amount), KF_REFUND_BAD_AMOUNT);
    ck_assert_int_eq(amount, 0);
    /* the default (everything taken) is more than is left */
    ck_assert_int_eq(kf_refund_decide(&f, 0, 0, &amount), KF_REFUND_BAD_AMOUNT);
    f.given = 0;
    ck_assert_int_eq(kf_refund_decide(&f, 0, -1, &amount), KF_REFUND_BAD_AMOUNT);
}
END_TEST

/* ---- what the merchant asks, the facts of the row, the answers (refunded_at only once
 * given back) ---- */

static kf_refund_ask ask_of(kf_fields *f, const char *text)
{
    kf_refund_ask ask;
    kf_fields_init(f, pool, KF_LOCALE_EN);
    kf_refund_ask_read(f, parse(text), &ask);
    return ask;
}

START_TEST(a_refund_names_a_positive_amount_or_none)
{
    kf_fields f;
    kf_refund_ask ask = ask_of(&f, "{}");
    ck_assert(kf_fields_ok(&f));
    ck_assert(!ask.manual);
    ck_assert_int_eq(ask.amount, 0);
    ask = ask_of(&f, "{\"amount\": 1500}");
    ck_assert_int_eq(ask.amount, 1500);
    ask_of(&f, "{\"amount\": 0}");
    ck_assert_ptr_nonnull(error_of(&f, "amount"));
    ask_of(&f, "{\"amount\": \"15\"}");
    ck_assert_ptr_nonnull(error_of(&f, "amount"));
    ask_of(&f, "{\"manual\": \"yes\"}");
    ck_assert_str_eq(error_of(&f, "manual"), "This field has the wrong type.");
}
END_TEST

START_TEST(money_given_back_by_hand_needs_a_note)
{
    kf_fields f;
    ask_of(&f, "{\"manual\": true}");
    ck_assert_str_eq(error_of(&f, "note"), "This field is required.");
    ask_of(&f, "{\"manual\": true, \"note\": \"\"}");
    ck_assert_str_eq(error_of(&f, "note"), "This field is required.");
    kf_refund_ask ask = ask_of(&f, "{\"manual\": true, \"note\": \"cash at the desk\"}");
    ck_assert(kf_fields_ok(&f));
    ck_assert(ask.manual);
    ck_assert_str_eq(ask.note, "cash at the desk");
    /* a note is only read for a manual refund */
    ask = ask_of(&f, "{\"note\": 7}");
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(ask.note);
}
END_TEST

START_TEST(the_row_says_what_was_taken_and_marked)
{
    const char *v[KF_REFUND_COL_COUNT] = {NULL};
    kf_refund_facts f = kf_refund_facts_of(v);
    ck_assert(!f.paid);          /* no payment: every payment column is NULL */
    ck_assert_int_eq(f.amount, 0);
    v[KF_REFUND_COL_PAYMENT] = "pay-1";
    v[KF_REFUND_COL_AMOUNT] = "50000";
    v[KF_REFUND_COL_TAKEN] = "100000";
    v[KF_REFUND_COL_GIVEN] = "0";
    v[KF_REFUND_COL_NEEDED] = "f";
    v[KF_REFUND_COL_MISMATCH] = "t";
    v[KF_REFUND_COL_FLAG] = "second_approval";
    f = kf_refund_facts_of(v);
    ck_assert(f.paid);
    ck_assert_int_eq(f.taken, 100000);
    ck_assert(f.flagged);        /* a mismatch counts as marked */
    ck_assert_str_eq(f.flag_reason, "second_approval");
    ck_assert(!f.refunded);
}
END_TEST

START_TEST(the_answers_say_what_goes_back)
{
    ck_assert_str_eq(text_of(kf_refund_reply(50000, "COP", "pending", NULL)),
                     "{\"refund\":{\"amount\":50000,\"currency\":\"COP\",\"status\":\"pending\"}}");
    const char *v[KF_REFUND_COL_COUNT] = {NULL};
    v[KF_REFUND_COL_AMOUNT] = "50000";
    v[KF_REFUND_COL_CURRENCY] = "COP";
    v[KF_REFUND_COL_STATUS] = "succeeded";
    v[KF_REFUND_COL_DONE_AT] = "2026-04-03T10:00:00Z";
    /* asked before without an amount: the payment's */
    ck_assert_str_eq(text_of(kf_refund_reply_before(v)),
                     "{\"refund\":{\"amount\":50000,\"currency\":\"COP\",\"status\":\"succeeded\","
                     "\"refunded_at\":\"2026-04-03T10:00:00Z\"}}");
    v[KF_REFUND_COL_REQUESTED] = "20000";
    json_t *again = kf_refund_reply_before(v);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(again, "refund"), "amount")),
                     20000);
    json_decref(again);
    ck_assert_str_eq(text_of(kf_refund_audit_changes(20000, 1, "manual", "cash")),
                     "{\"amount\":20000,\"status\":\"refunded_by_hand\",\"note\":\"cash\"}");
    ck_assert_str_eq(text_of(kf_refund_audit_changes(20000, 0, "pending", NULL)),
                     "{\"amount\":20000,\"status\":\"pending\",\"note\":null}");
}
END_TEST

/* ---- a refund spread over the payment's transactions ---- */

/* A customer who paid 30 000 twice, the second an hour later: rows as kf_refund_txs reads
 * them (row, amount, refunded, approved µs, keyed, rounds). */
static const char *tx_old[] = {"11", "3000000", "0", "1000000000", "f", "0"};
static const char *tx_new[] = {"12", "3000000", "0", "4600000000", "f", "0"};

START_TEST(the_extra_of_a_payment_made_twice_comes_from_the_newest)
{
    const char *const *rows[] = {tx_old, tx_new};
    kf_refund_spread sp;
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_stripe, "pay", rows, 2, 3000000,
                                         3000000, &sp), APR_SUCCESS);
    ck_assert_int_eq(sp.start, KF_REFUND_RETRY);
    ck_assert_int_eq(sp.n, 1);
    ck_assert_str_eq(sp.row[0], "12");
    ck_assert_int_eq(sp.share[0], 3000000);
    /* the first share of a payment never keyed keeps the payment's key */
    ck_assert_str_eq(sp.key[0], "refund-pay");
    /* everything: both shares, the older one keyed by its row and round */
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_stripe, "pay", rows, 2, 6000000,
                                         3000000, &sp), APR_SUCCESS);
    ck_assert_int_eq(sp.n, 2);
    ck_assert_str_eq(sp.key[0], "refund-pay-11.1");
    ck_assert_str_eq(sp.key[1], "refund-pay");
    /* more than is left: refused */
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_stripe, "pay", rows, 2, 6000001,
                                         3000000, &sp), APR_EINVAL);
}
END_TEST

START_TEST(a_second_refund_keys_every_share_by_its_round)
{
    const char *given[] = {"12", "3000000", "1000000", "4600000000", "t", "1"};
    const char *const *rows[] = {tx_old, given};
    kf_refund_spread sp;
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_stripe, "pay", rows, 2, 2000000,
                                         3000000, &sp), APR_SUCCESS);
    ck_assert_int_eq(sp.n, 1);
    ck_assert_str_eq(sp.key[0], "refund-pay-12.2");
    ck_assert_int_eq(sp.share[0], 2000000);
    /* Wompi voids whole transactions only: a part of one is the merchant's */
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_wompi, "pay", rows, 2, 2000000,
                                         3000000, &sp), APR_SUCCESS);
    ck_assert_int_eq(sp.start, KF_REFUND_MANUAL);
}
END_TEST

START_TEST(a_payment_without_transaction_rows_is_its_one_transaction)
{
    kf_refund_spread sp;
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_stripe, "pay", NULL, 0, 1000, 5000,
                                         &sp), APR_SUCCESS);
    ck_assert_int_eq(sp.start, KF_REFUND_RETRY);
    ck_assert_int_eq(sp.n, 0);
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_wompi, "pay", NULL, 0, 1000, 5000,
                                         &sp), APR_SUCCESS);
    ck_assert_int_eq(sp.start, KF_REFUND_MANUAL);
    ck_assert_int_eq(kf_refund_spread_of(pool, &kf_payment_stripe, "pay", NULL, 0, 5001, 5000,
                                         &sp), APR_EINVAL);
}
END_TEST

/* ---- the refund job's attempt, against a provider that answers as told ---- */

static apr_status_t answers[4];
static const char *asked_keys[4];
static int asked;

static apr_status_t scripted_refund(apr_pool_t *p, kf_http_client *http,
                                    const kf_payment_endpoints *ep,
                                    const kf_payment_account *acct, const kf_payment_refund *rf,
                                    const char **refund_id, const char **why)
{
    asked_keys[asked] = rf->idempotency_key;
    apr_status_t rv = answers[asked++];
    *refund_id = rv == APR_SUCCESS ? apr_psprintf(p, "re_%d", asked) : NULL;
    *why = rv == APR_SUCCESS ? NULL : rv == APR_EACCES ? "key refused" : "provider down";
    return rv;
}

static const kf_payment_provider scripted = {.name = "scripted", .refunds_part = 1,
                                             .refund = scripted_refund};
static kf_payment_account scripted_account;

static kf_refund_caller caller_of(const kf_payment_provider *prov, int configured)
{
    asked = 0;
    kf_refund_caller c = {.prov = prov, .acct = configured ? &scripted_account : NULL};
    return c;
}

/* payment, tenant, provider, transaction, paid, amount, currency, attempts, booking, reference */
static const char *claim[] = {"pay", "tenant", "scripted", "tx_b", "3000000", "6000000", "COP",
                              "1", "booking", "KF-REF"};
/* row, transaction, amount, share, key, status: the newest first */
static const char *share_new[] = {"12", "tx_b", "3000000", "3000000", "refund-pay", "pending"};
static const char *share_old[] = {"11", "tx_a", "3000000", "3000000", "refund-pay-11.1",
                                  "pending"};

START_TEST(every_share_given_back_succeeds)
{
    const char *const *shares[] = {share_new, share_old};
    kf_refund_caller c = caller_of(&scripted, 1);
    answers[0] = answers[1] = APR_SUCCESS;
    kf_refund_attempt a;
    kf_refund_attempt_run(pool, &c, claim, shares, 2, &a);
    ck_assert_int_eq(asked, 2);
    ck_assert_str_eq(asked_keys[0], "refund-pay");
    ck_assert_str_eq(asked_keys[1], "refund-pay-11.1");
    ck_assert_int_eq(a.step, KF_REFUND_SUCCEEDED);
    ck_assert_str_eq(a.refund_id, "re_1");
    ck_assert_ptr_null(a.why);
    ck_assert_str_eq(a.history, "refunded");
    ck_assert_str_eq(a.share_status[0], "succeeded");
    ck_assert_str_eq(a.share_refund[1], "re_2");
    ck_assert_str_eq(a.share_note[0], "refund of 3000000 COP on transaction tx_b: given back");
    ck_assert_str_eq(a.note, "scripted refunded 6000000 COP (re_1)");
}
END_TEST

START_TEST(a_share_worth_retrying_retries_the_payment)
{
    const char *const *shares[] = {share_new, share_old};
    kf_refund_caller c = caller_of(&scripted, 1);
    answers[0] = APR_SUCCESS;
    answers[1] = APR_EGENERAL;
    kf_refund_attempt a;
    kf_refund_attempt_run(pool, &c, claim, shares, 2, &a);
    ck_assert_int_eq(a.step, KF_REFUND_RETRY);
    ck_assert_int_eq(a.retry, 60);
    ck_assert_str_eq(a.why, "provider down");
    ck_assert_ptr_null(a.history);
    ck_assert_str_eq(a.share_status[0], "succeeded");
    ck_assert_ptr_null(a.share_status[1]);      /* still pending: asked again next time */
    ck_assert(!a.share_given[1]);
    ck_assert_str_eq(a.note, "refund retried later after attempt 1: provider down");
    /* a share given back before is not asked again */
    const char *done[] = {"12", "tx_b", "3000000", "3000000", "refund-pay", "succeeded"};
    const char *const *again[] = {done, share_old};
    c = caller_of(&scripted, 1);
    answers[0] = APR_SUCCESS;
    kf_refund_attempt_run(pool, &c, claim, again, 2, &a);
    ck_assert_int_eq(asked, 1);
    ck_assert_str_eq(asked_keys[0], "refund-pay-11.1");
    ck_assert_int_eq(a.step, KF_REFUND_SUCCEEDED);
    ck_assert_ptr_null(a.share_note[0]);
}
END_TEST

START_TEST(a_refused_key_leaves_every_pending_share_to_the_merchant)
{
    const char *const *shares[] = {share_new, share_old};
    kf_refund_caller c = caller_of(&scripted, 1);
    answers[0] = APR_EACCES;
    answers[1] = APR_EGENERAL;
    kf_refund_attempt a;
    kf_refund_attempt_run(pool, &c, claim, shares, 2, &a);
    /* a retry is still worth it while one share may go through */
    ck_assert_int_eq(a.step, KF_REFUND_RETRY);
    ck_assert_str_eq(a.share_status[0], "manual");
    /* after the last attempt: given up, the merchant's */
    const char *last[KF_REFUND_CLAIM_COL_COUNT];
    memcpy(last, claim, sizeof(last));
    last[KF_REFUND_CLAIM_COL_ATTEMPTS] = "8";
    c = caller_of(&scripted, 1);
    answers[0] = APR_SUCCESS;
    answers[1] = APR_EGENERAL;
    kf_refund_attempt_run(pool, &c, last, shares, 2, &a);
    ck_assert_int_eq(a.step, KF_REFUND_MANUAL);
    ck_assert_str_eq(a.history, "refund_manual");
    ck_assert_str_eq(a.share_status[0], "succeeded");
    ck_assert_str_eq(a.share_status[1], "manual");
    ck_assert_str_eq(a.note, "refund left to the merchant after attempt 8: provider down");
    /* a share left to the merchant before: the payment's too */
    const char *by_hand[] = {"11", "tx_a", "3000000", "3000000", "refund-pay-11.1", "manual"};
    const char *const *mixed[] = {share_new, by_hand};
    c = caller_of(&scripted, 1);
    answers[0] = APR_SUCCESS;
    kf_refund_attempt_run(pool, &c, claim, mixed, 2, &a);
    ck_assert_int_eq(a.step, KF_REFUND_MANUAL);
    ck_assert_str_eq(a.share_status[0], "succeeded");
}
END_TEST

START_TEST(no_refund_api_or_no_account_is_the_merchants_at_once)
{
    const char *const *shares[] = {share_new};
    kf_refund_caller c = caller_of(&scripted, 0);
    kf_refund_attempt a;
    kf_refund_attempt_run(pool, &c, claim, shares, 1, &a);
    ck_assert_int_eq(asked, 0);
    ck_assert_int_eq(a.step, KF_REFUND_MANUAL);
    ck_assert_str_eq(a.why, "the payment account is not configured");
    c = caller_of(NULL, 1);
    kf_refund_attempt_run(pool, &c, claim, shares, 1, &a);
    ck_assert_str_eq(a.why, "the provider has no refund API");
    ck_assert_str_eq(a.share_status[0], "manual");
}
END_TEST

START_TEST(a_payment_without_shares_is_asked_whole_with_its_key)
{
    kf_refund_caller c = caller_of(&scripted, 1);
    answers[0] = APR_SUCCESS;
    kf_refund_attempt a;
    kf_refund_attempt_run(pool, &c, claim, NULL, 0, &a);
    ck_assert_int_eq(asked, 1);
    ck_assert_str_eq(asked_keys[0], "refund-pay");
    ck_assert_int_eq(a.step, KF_REFUND_SUCCEEDED);
    ck_assert_str_eq(a.refund_id, "re_1");
}
END_TEST

START_TEST(an_attempt_is_recorded_with_its_status_and_a_delay_only_when_retried)
{
    kf_refund_attempt a = {.step = KF_REFUND_RETRY, .retry = 120, .why = "provider_unavailable"};
    const char **args = kf_refund_attempted_args(pool, &a, "pay-1");
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(args[i], kf_refund_step_name(KF_REFUND_RETRY));
    }
    ck_assert_ptr_null(args[3]);
    ck_assert_str_eq(args[4], "provider_unavailable");
    ck_assert_str_eq(args[5], "120");
    ck_assert_str_eq(args[KF_REFUND_ATTEMPTED_ARGS - 1], "pay-1");

    kf_refund_attempt done = {.step = KF_REFUND_SUCCEEDED, .retry = 120, .refund_id = "re_1"};
    args = kf_refund_attempted_args(pool, &done, "pay-1");
    ck_assert_str_eq(args[0], "succeeded");
    ck_assert_str_eq(args[3], "re_1");
    ck_assert_ptr_null(args[4]);
    ck_assert_ptr_null(args[5]);   /* nothing is tried again */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("refund_request");
    TCase *tc = tcase_create("decide");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, nothing_taken_nothing_to_give_back);
    tcase_add_test(tc, an_unmarked_payment_is_not_refunded_here);
    tcase_add_test(tc, by_default_everything_taken);
    tcase_add_test(tc, paid_twice_gives_back_the_extra);
    tcase_add_test(tc, what_was_asked_before_is_asked_again);
    tcase_add_test(tc, pending_or_done_is_answered_not_asked_again);
    tcase_add_test(tc, never_more_than_is_left);
    tcase_add_test(tc, a_refund_names_a_positive_amount_or_none);
    tcase_add_test(tc, money_given_back_by_hand_needs_a_note);
    tcase_add_test(tc, the_row_says_what_was_taken_and_marked);
    tcase_add_test(tc, the_answers_say_what_goes_back);
    suite_add_tcase(s, tc);
    TCase *spread = tcase_create("spread and attempt");
    tcase_add_checked_fixture(spread, kf_test_setup, kf_test_teardown);
    tcase_add_test(spread, the_extra_of_a_payment_made_twice_comes_from_the_newest);
    tcase_add_test(spread, a_second_refund_keys_every_share_by_its_round);
    tcase_add_test(spread, a_payment_without_transaction_rows_is_its_one_transaction);
    tcase_add_test(spread, every_share_given_back_succeeds);
    tcase_add_test(spread, a_share_worth_retrying_retries_the_payment);
    tcase_add_test(spread, a_refused_key_leaves_every_pending_share_to_the_merchant);
    tcase_add_test(spread, no_refund_api_or_no_account_is_the_merchants_at_once);
    tcase_add_test(spread, a_payment_without_shares_is_asked_whole_with_its_key);
    tcase_add_test(spread, an_attempt_is_recorded_with_its_status_and_a_delay_only_when_retried);
    suite_add_tcase(s, spread);
    return kf_run_suite(s);
}
