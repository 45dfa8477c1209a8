/* Payment providers behind one small interface, and the charge rules.
 *
 * The booking code only speaks kf_payment_*: it asks a provider (found by name) for a checkout
 * checkout, hands it a webhook to verify and normalize, asks it (with the merchant's secret key)
 * about a reference when the customer comes back or a webhook is late, refunds, and tests a
 * tenant's keys. One kf_payment_provider each, described in its own file
 * (lib/payments/kf_payment_<name>.c) and listed once (kf_payment_providers.c).
 *
 * Pure core: no httpd header; outbound HTTP through kf_http; no clock read except where a
 * function takes "now"; results live in the caller's pool. No function logs, and none puts a
 * secret into a "why" text.
 */
#ifndef KF_PAYMENT_H
#define KF_PAYMENT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "kf_http.h"
#include "kf_crypto.h"   /* kf_keyring */
#include "kf_money.h"   /* kf_currency_exponent, kf_money_major, kf_money_minor_of */
#include "kf_json.h"

/* One payment provider's description (below). */
typedef struct kf_payment_provider kf_payment_provider;

/* ---- charge: what a booking of a service asks the customer to pay ---- */

/* Minor units to charge for a service, by the catalog's rule (kf_catalog_rules.h
 * kf_charge_amount, one implementation):
 *   "total"   -> price
 *   "partial" -> ceil(price * deposit_percent / 100), deposit_percent in 1..99
 *   "free"    -> 0 (no payment at all; a free service costs 0)
 * APR_SUCCESS with *amount set, or APR_EINVAL (unknown type, a price the catalog refuses,
 * percent out of range for "partial"). */
apr_status_t kf_payment_charge(const char *charge_type, apr_int64_t price, int deposit_percent,
                           apr_int64_t *amount);

/* ---- normalized payment status ---- */

typedef enum {
    KF_PAYMENT_PENDING = 0,
    KF_PAYMENT_APPROVED,
    KF_PAYMENT_DECLINED,
    KF_PAYMENT_ERROR,
    KF_PAYMENT_VOIDED,
    KF_PAYMENT_UNKNOWN      /* a status this code does not know: treated like PENDING (no move) */
} kf_payment_status;

/* "pending", "approved", "declined", "error", "voided", "unknown": what payments.status holds. */
const char *kf_payment_status_name(kf_payment_status s);

/* 1 for the statuses that end a payment without money: DECLINED, ERROR, VOIDED. */
int kf_payment_status_is_failure(kf_payment_status s);

/* The status payments.status holds under that name ("pending", ...); KF_PAYMENT_UNKNOWN for
 * anything else. */
kf_payment_status kf_payment_status_parse(const char *name);

/* A booking's charge asks for nothing (charge type "free" or none, or no amount): it is
 * paid at once, without a payment. */
int kf_payment_nothing_to_collect(const char *charge_type, apr_int64_t amount);

/* ---- what a provider needs from a tenant ---- */

/* A provider's short-lived API tokens (Airwallex's login token, valid 30 minutes), kept per
 * process so that each call does not log in again. Thread-safe; lives in the pool it was
 * created in. */
typedef struct kf_payment_token_cache kf_payment_token_cache;

kf_payment_token_cache *kf_payment_token_cache_create(apr_pool_t *p);

/* The token stored under key while it has more than 60 s left at now (copied into p), or NULL. */
const char *kf_payment_token_cache_get(kf_payment_token_cache *cache, apr_pool_t *p,
                                       const char *key, apr_time_t now);

/* Keeps token under key until expires_at (replacing what was there). */
void kf_payment_token_cache_put(kf_payment_token_cache *cache, const char *key, const char *token,
                                apr_time_t expires_at);

/* A tenant's settings for one provider (the secrets opened from their sealed form). Fields a
 * provider does not use stay NULL. Each of its settings (API.md "More payment providers")
 * lands in the slot its description gives it (kf_payment_provider.settings,
 * kf_payment_slot): Stripe's secret_key in private_key, its webhook_secret in
 * events_secret, ... */
typedef struct kf_payment_account {
    const char *mode;              /* "test" | "production" */
    const char *public_key;
    const char *private_key;       /* the merchant-scoped API credential */
    const char *events_secret;     /* verifies webhooks */
    const char *integrity_secret;  /* signs checkouts (Wompi) */
    const char *previous_events_secret; /* the one before a rotation: still verifies webhooks
                                      for 72 h after it (the glue leaves it NULL after) */
    kf_payment_token_cache *tokens; /* may be NULL: log in on every call */
    apr_time_t now;                /* the time of the call: token expiry, checkout expiry floors */
} kf_payment_account;

/* A tenant's account with a provider, its secrets opened: the sealed JSON object
 * {"private_key", "events_secret", "integrity_secret", "previous_events_secret",
 * "previous_events_secret_until"} (sealed by the tenant settings with aad
 * kf_provider_secrets_aad) opened with `keyring` into *acct, the time of the call `now`; the
 * previous events secret is kept only while kf_events_secret_previous_valid. The caller fills
 * mode, public key and token cache. APR_SUCCESS, or an error with *why ("do not open: ..." or
 * "are not JSON"). */
apr_status_t kf_payment_account_unseal(apr_pool_t *p, const kf_keyring *keyring,
                                       const char *tenant_id, const char *provider,
                                       const char *sealed, apr_time_t now,
                                       kf_payment_account *acct, const char **why);

/* The account of a tenant's row for that provider (its mode, public key and sealed secrets),
 * opened as kf_payment_account_unseal does, with the process's token cache (may be NULL), in
 * p; NULL when it has no secrets (*why NULL) or they do not open (*why says why). */
const kf_payment_account *kf_payment_account_open(apr_pool_t *p, const kf_keyring *keyring,
                                                  const char *tenant_id, const char *provider,
                                                  const char *mode, const char *public_key,
                                                  const char *sealed,
                                                  kf_payment_token_cache *tokens, apr_time_t now,
                                                  const char **why);

/* Where the provider lives: its API base (no trailing slash needed) and its checkout page. */
typedef struct kf_payment_endpoints {
    const char *api_base;          /* e.g. https://sandbox.wompi.co/v1, https://api.stripe.com */
    const char *checkout_base;     /* e.g. https://checkout.wompi.co; NULL when the API gives
                                      the checkout URL (Stripe, Mercado Pago) */
} kf_payment_endpoints;

/* What a payment is started with: a booking's (what its creation knows) or a purchase's. */
typedef struct kf_payment_start {
    const char *tenant_id;
    const char *reservation_id;
    const char *link_slug;        /* for the redirect URL (the booking's confirmation page) */
    const char *booking_token;    /* idem: lets the page read the booking status */
    apr_int64_t amount;           /* minor units, > 0 */
    const char *currency;
    apr_time_t expires_at;        /* end of the payment window */
    const char *customer_name;
    const char *customer_email;
    const char *customer_phone;
    /* packages: a purchase's payment (reservation_id NULL), the page the provider sends the
     * customer back to, and what is paid; NULL for a booking's */
    const char *purchase_id;
    const char *redirect_url;
    const char *description;
} kf_payment_start;

typedef struct kf_payment_checkout {
    const char *reference;         /* unique per payment; also the idempotency key of creation */
    apr_int64_t amount;            /* minor units, > 0 */
    const char *currency;          /* ISO 4217 */
    const char *redirect_url;      /* where the provider sends the customer back after paying;
                                      may be NULL */
    const char *cancel_url;        /* back without paying (Stripe cancel_url, Mercado Pago
                                      failure, Airwallex failUrl); NULL: redirect_url */
    const char *notify_url;        /* where a provider that takes it per checkout posts its
                                      notices (Mercado Pago notification_url); may be NULL */
    const char *description;       /* what is paid (the service's name); NULL: the reference */
    apr_time_t expires_at;         /* end of the payment window; 0 = none */
    const char *customer_email;    /* each may be NULL */
    const char *customer_name;
    const char *customer_phone;    /* E.164, "+573001234567" */
} kf_payment_checkout;

/* A new checkout's reference and addresses on `public_url` (KonfirmadoPublicURL, what the
 * customer and the providers reach), into co: a fresh reference (kf_payment_new_reference);
 * the page the provider sends the customer back to, `redirect_url` when given (a purchase's
 * page), else the booking's confirmation page,
 * {public}/book/{link}/confirmation?booking={id}&token={token} ("-" for a booking without
 * link), with "&return=1" unless the provider appends its transaction id itself
 * (returns_with_id): the status page then asks the provider at once; and where notices of it
 * are posted, {public}/api/webhooks/{provider}?reference={reference} (the reference only
 * names whose secret verifies a notice). APR_EGENERAL when randomness fails. */
apr_status_t kf_payment_checkout_addresses(apr_pool_t *p, const char *public_url,
                                           const kf_payment_provider *prov,
                                           const char *redirect_url,
                                           const char *link_slug, const char *booking_id,
                                           const char *booking_token, kf_payment_checkout *co);

/* The checkout of a payment started with `in`, into co: its reference and addresses
 * (kf_payment_checkout_addresses), what is paid, described by the purchase's package or
 * else by the booking's service (`service_name`), until the window's end in whole seconds
 * (the stored end and the signed expiration time agree), and by whom. APR_EGENERAL when
 * randomness fails. */
apr_status_t kf_payment_checkout_start(apr_pool_t *p, const char *public_url,
                                       const kf_payment_provider *prov,
                                       const kf_payment_start *in,
                                       const char *service_name, kf_payment_checkout *co);

/* What create_checkout made. */
typedef struct kf_payment_session {
    const char *url;               /* where the customer's browser is sent */
    const char *checkout_id;       /* the provider's id of it (Stripe cs_..., Mercado Pago's
                                      preference, Airwallex int_...); NULL when the checkout is
                                      a signed URL (Wompi) */
    apr_time_t expires_at;         /* when the provider ends it (may be later than asked:
                                      Stripe's minimum is 30 minutes); 0 = as asked */
    int http_status;               /* the HTTP status of the provider's answer, also when it
                                      made no checkout (kf_payment_failure_kind); 0 when none
                                      came or nothing was asked (Wompi's signed URL) */
} kf_payment_session;

/* A webhook request as received, before anything in it is believed. */
typedef struct kf_payment_webhook {
    const char *body;
    apr_size_t len;
    const apr_table_t *headers;    /* case-insensitive */
    const char *query;             /* raw query string, may be NULL (Mercado Pago's data.id and
                                      the reference of its notification_url) */
    apr_time_t now;                /* signature timestamps' tolerance (Stripe) */
    json_t *object;                /* the body parsed as a JSON object by whoever received it
                                      (read-only), or NULL: parsed where asked */
} kf_payment_webhook;

/* A webhook's body as a JSON object (NULL: it is not one): the one parsed on receipt, else
 * parsed now into p. Reading the reference and verifying then parse it once between them. */
json_t *kf_payment_webhook_object(apr_pool_t *p, const kf_payment_webhook *wh);

/* The member at dotted_path (kf_json_path) of a webhook's body when the body is a JSON
 * object, else NULL: what a provider reads of a webhook before it is verified. Lives in p. */
json_t *kf_payment_webhook_member(apr_pool_t *p, const kf_payment_webhook *wh,
                                  const char *dotted_path);

typedef enum {
    KF_PAYMENT_EVENT_PAYMENT = 0,  /* the state of the payment: status, amount, currency */
    KF_PAYMENT_EVENT_REFUND,       /* money given back: amount = refunded so far, minor units */
    KF_PAYMENT_EVENT_DISPUTE       /* the customer disputes the charge with their bank: amount =
                                      disputed; moves nothing, the merchant must answer */
} kf_payment_event_kind;

/* Where a dispute stands, whatever the provider calls it: open (the merchant may answer it
 * at the provider), then won (the money stays), lost (it went back to the customer) or
 * closed (ended without a ruling: withdrawn, or a warning that never became a dispute). */
typedef enum {
    KF_DISPUTE_OPEN = 0,
    KF_DISPUTE_WON,
    KF_DISPUTE_LOST,
    KF_DISPUTE_CLOSED
} kf_dispute_state;

/* "open", "won", "lost", "closed": what payments.dispute_status holds. */
const char *kf_dispute_state_name(kf_dispute_state s);

/* A provider's event or transaction, normalized. */
typedef struct kf_payment_event {
    const char *event_key;         /* unique per (provider, event): repeats are no-ops; the
                                      same state fetched and notified gives the same key */
    const char *reference;
    const char *transaction_id;    /* what a refund names (Wompi transaction, Stripe
                                      payment_intent, Mercado Pago payment id, Airwallex intent) */
    const char *provider_status;   /* as the provider wrote it, e.g. "APPROVED" */
    kf_payment_status status;
    apr_int64_t amount;            /* minor units */
    const char *currency;
    kf_payment_event_kind kind;
    const char *refund_id;         /* KF_PAYMENT_EVENT_REFUND: the provider's refund id, if any;
                                      KF_PAYMENT_EVENT_DISPUTE: the dispute's id */
    const char *dispute_reason;    /* KF_PAYMENT_EVENT_DISPUTE: as the provider says it */
    kf_dispute_state dispute_state; /* KF_PAYMENT_EVENT_DISPUTE: where the dispute stands */
} kf_payment_event;

typedef enum {
    KF_PAYMENT_VERIFIED = 0,           /* authentic: *ev is filled */
    KF_PAYMENT_BAD_SIGNATURE,          /* signature missing, malformed, stale or wrong: 401 */
    KF_PAYMENT_UNUSABLE,               /* authentic but not an event we act on (other event type,
                                      missing fields): answer 200, change nothing */
    KF_PAYMENT_VERIFIED_LOOKUP,        /* authentic notice that carries no state (Mercado Pago):
                                      ask find_payment about its reference, act on the answer */
    KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP /* authentic notice of a dispute that carries no state
                                      (Mercado Pago's chargebacks): ev->refund_id names the
                                      dispute; ask find_dispute, act on the answer */
} kf_payment_verdict;

/* A refund the glue asks of a provider (the payment's approved transaction). */
typedef struct kf_payment_refund {
    const char *transaction_id;
    const char *reference;         /* the payment's */
    const char *idempotency_key;   /* the same on every attempt of this refund */
    apr_int64_t amount;            /* what goes back, minor units */
    apr_int64_t paid;              /* what the transaction took */
    const char *currency;
} kf_payment_refund;

/* A payment tried without its provider (a test-mode account on a server that cannot reach
 * it: konfirmado-payment-test): what the provider would have said of it. */
typedef struct kf_payment_trial {
    const char *reference;         /* the payment's */
    apr_int64_t amount;            /* what it asked, minor units */
    const char *currency;
    int approved;                  /* 1: the payment approved; 0: declined */
    const char *transaction_id;    /* the id the notice gives the provider's transaction */
    apr_time_t now;                /* when the notice is sent: its signed time */
} kf_payment_trial;

/* A notice as the provider posts it to POST /api/webhooks/{provider}: its body and the
 * headers that carry its signature (Content-Type among them). */
typedef struct kf_payment_notice {
    const char *body;
    apr_size_t len;
    apr_table_t *headers;
} kf_payment_notice;

/* What every method that calls the provider's API takes first: the pool, the HTTP client,
 * the provider's endpoints and the merchant's account. One spelling for the interface and
 * every provider's methods. */
#define KF_PAYMENT_API_PARAMS \
    apr_pool_t *p, kf_http_client *http, const kf_payment_endpoints *ep, \
    const kf_payment_account *acct

/* Where a setting lands in kf_payment_account: the public one in the public_key column,
 * the others sealed together as {"private_key", "events_secret", "integrity_secret"}. */
typedef enum {
    KF_PAYMENT_SLOT_PUBLIC = 0,
    KF_PAYMENT_SLOT_PRIVATE,
    KF_PAYMENT_SLOT_EVENTS,
    KF_PAYMENT_SLOT_INTEGRITY
} kf_payment_slot;

/* One setting of a provider's account as PUT /api/admin/tenant/payments/{provider} takes
 * it besides "mode" (API.md "More payment providers"). */
typedef struct kf_payment_setting {
    const char *field;             /* the PUT body's member, e.g. "secret_key" */
    kf_payment_slot slot;
} kf_payment_setting;

/* A message of a provider's own (why a setting is refused, "<name>_not_configured"), in
 * each language the API answers in; the shared ones are kf_i18n's. */
typedef struct kf_payment_message {
    const char *id;
    const char *es;
    const char *en;
} kf_payment_message;

/* One payment provider, described once (lib/payments/kf_payment_<name>.c) and listed once
 * in the registry (kf_payment_providers.c); everything else is read from here: the webhook
 * route and its signature scheme, the settings the merchant saves and their checks, the
 * currencies a tenant may price in, the KonfirmadoProviderURL names, which checkouts the
 * expiry job ends, the dashboard's list.
 *
 * The glue and the core call its methods through kf_payment_call_* (below), kf_payment_ask,
 * kf_payment_verify and the refund attempt, which hand every method a cleared `why` it may
 * write (never NULL) and a cleared *out, so that no provider repeats that opening. */
struct kf_payment_provider {
    const char *name;              /* "mercadopago": its URLs, rows and settings say it */
    const char *label;             /* "Mercado Pago": what people read */
    /* ISO 4217 codes it charges in, NULL-terminated: a tenant's currency must be one of its
     * active provider's (kf_tenant_currency_check) */
    const char *const *currencies;
    /* its settings besides "mode", in the order the merchant sees them, ending with {NULL} */
    const kf_payment_setting *settings;
    /* A setting's value in a mode ("test" | "production"): NULL when fine, else a message id
     * (its own `messages`, or kf_i18n's). NULL: kf_payment_key_check's rule for all. */
    const char *(*check_setting)(const char *mode, const kf_payment_setting *setting,
                                 const char *value);
    const kf_payment_message *messages; /* its own words, ending with {NULL}; may be NULL */
    int refunds_part;              /* its refund API can give back part of a payment */
    /* it appends its transaction id to the page it sends the customer back to (Wompi's
     * ?id=); the others' return page is given &return=1 (kf_payment_checkout_addresses) */
    int returns_with_id;

    /* Default endpoints for a mode ("test" or "production"). The KonfirmadoProviderURL names
     * <name>-sandbox / <name>-production override the API's, <name>-checkout the checkout
     * page's when it has one (kf_payment_endpoints_of, kf_payment_url_names). */
    kf_payment_endpoints (*default_endpoints)(const char *mode);

    /* Makes the checkout the customer's browser is sent to (an API call for Stripe, Mercado
     * Pago and Airwallex; a signed URL for Wompi, http unused). APR_SUCCESS with *out filled;
     * APR_EACCES when the provider refuses the account's key; APR_EINVAL on bad input;
     * another error with *why otherwise. */
    apr_status_t (*create_checkout)(KF_PAYMENT_API_PARAMS, const kf_payment_checkout *co,
                                    kf_payment_session *out, const char **why);

    /* Before any secret is known: the payment reference an (untrusted) webhook names, used
     * only to find whose secret verifies it. NULL when it names none. */
    const char *(*webhook_reference)(apr_pool_t *p, const kf_payment_webhook *wh);

    /* Its signature scheme: verifies the webhook (POST /api/webhooks/<name>) over its raw
     * body with the account's events secret, then parses it into *ev (for
     * KF_PAYMENT_VERIFIED_LOOKUP only ev->event_key is set; for
     * KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP ev->refund_id, the dispute's id, too). */
    kf_payment_verdict (*verify_webhook)(apr_pool_t *p, const kf_payment_webhook *wh,
                                         const kf_payment_account *acct, kf_payment_event *ev,
                                         const char **why);

    /* Asks the provider, merchant-scoped (with the account's secret key), about the payment
     * of a reference: only the merchant's own account can answer, so a transaction the
     * customer made elsewhere is never seen. checkout_id is what create_checkout returned
     * (NULL for Wompi), kept by the glue, never a browser's. The answer must name the
     * reference (checked here). APR_SUCCESS with *ev filled (among several attempts an
     * approved one, else the newest); APR_NOTFOUND when the merchant's account has none yet;
     * APR_EACCES when the provider refuses the key; another error with *why otherwise. */
    apr_status_t (*find_payment)(KF_PAYMENT_API_PARAMS, const char *reference,
                                 const char *checkout_id, kf_payment_event *ev, const char **why);

    /* Checks the account's keys with the provider. APR_SUCCESS with *merchant_name;
     * APR_NOTFOUND when the provider refuses the key; another error with *why otherwise. */
    apr_status_t (*test_connection)(KF_PAYMENT_API_PARAMS, const char **merchant_name,
                                    const char **why);

    /* Gives money back, merchant-scoped (the account's secret key). APR_SUCCESS when the
     * provider refunded it, also when it had been refunded before (a repeat never pays out
     * twice: rf->idempotency_key where the provider takes one), with *refund_id;
     * APR_ENOTIMPL when the provider has no refund API for this payment (the merchant
     * refunds by hand), *why says why; APR_EACCES when the key is refused; another error,
     * worth retrying later, with *why. */
    apr_status_t (*refund)(KF_PAYMENT_API_PARAMS, const kf_payment_refund *rf,
                           const char **refund_id, const char **why);

    /* Ends a checkout that outlives its booking's payment window, so that the customer can
     * no longer pay it (Stripe: the session expired; Airwallex: the intent cancelled). NULL
     * for a provider whose checkouts end by themselves as asked (Wompi, Mercado Pago): the
     * expiry job ends the checkouts of the providers that have one (kf_payment_closing).
     * APR_SUCCESS when it is ended, also when it was not open any more (paid, expired or
     * cancelled before: a payment that got in follows the late-approval rule);
     * APR_NOTFOUND when the provider does not know it; APR_EACCES when the key is refused;
     * another error, worth retrying, with *why. */
    apr_status_t (*close_checkout)(KF_PAYMENT_API_PARAMS, const char *checkout_id,
                                   const char **why);

    /* Asks the provider, merchant-scoped, about a dispute a verified notice named (NULL for
     * a provider whose dispute events carry their state). The answer must name the
     * payment's transaction_id (checked here: a dispute of another payment, or of another
     * merchant, is never recorded on this one). APR_SUCCESS with *ev a
     * KF_PAYMENT_EVENT_DISPUTE; APR_NOTFOUND when the account has no such dispute (or it is
     * about another payment); APR_EACCES when the key is refused; another error with *why. */
    apr_status_t (*find_dispute)(KF_PAYMENT_API_PARAMS, const char *dispute_id,
                                 const char *transaction_id, kf_payment_event *ev,
                                 const char **why);

    /* The notice it would post when the trial's payment is approved or declined, in its own
     * format and signed with the account's events secret as it signs its notices
     * (verify_webhook accepts it with that account): a test-mode account tried on a server
     * that cannot reach the provider (kf_payment_trial.h). NULL for a provider that cannot
     * be tried so: one whose checkout is made by a call to its API (no booking gets a
     * checkout offline), or whose notices carry no state (the server asks its API).
     * APR_SUCCESS with *out; APR_EINVAL with *why (no events secret). */
    apr_status_t (*trial_notice)(apr_pool_t *p, const kf_payment_account *acct,
                                 const kf_payment_trial *trial, kf_payment_notice *out,
                                 const char **why);
};

/* ---- what a refund attempt leaves ---- */
typedef enum {
    KF_REFUND_SUCCEEDED = 0,   /* the provider gave the money back */
    KF_REFUND_MANUAL,          /* the merchant must: no API for it, key refused, or given up */
    KF_REFUND_RETRY            /* ask again in *retry_seconds */
} kf_refund_step;

#define KF_REFUND_MAX_ATTEMPTS 8

/* After attempt number `attempts` (1 = the first) ended with `rv` (the provider's refund):
 * succeeded, manual (APR_ENOTIMPL, APR_EACCES, or KF_REFUND_MAX_ATTEMPTS failures), or
 * retry after 60 s doubling per attempt, at most 6 h. */
kf_refund_step kf_refund_after_attempt(apr_status_t rv, int attempts, int *retry_seconds);

/* Where a refund of `amount` of `paid` starts: KF_REFUND_RETRY ("pending": the refund job
 * asks the provider) when the provider may do it, KF_REFUND_MANUAL when it cannot (no
 * provider, or part of a payment for a provider that refunds whole payments only). */
kf_refund_step kf_refund_start(const kf_payment_provider *prov, apr_int64_t amount,
                               apr_int64_t paid);

/* "pending" | "succeeded" | "manual": refunds.status as API.md names it. */
const char *kf_refund_step_name(kf_refund_step step);

/* ---- what an authentic event does to its payment ---- */
typedef enum {
    KF_PAYMENT_ACT_NOTHING = 0,  /* still pending or unknown, or a failure of a payment that is
                                not pending any more: recorded, nothing moves */
    KF_PAYMENT_ACT_MISMATCH,     /* not the amount or currency asked: refused and flagged (to
                                refund when it was approved); the booking stays */
    KF_PAYMENT_ACT_APPROVE,      /* the payment is approved: the booking's APPROVE event */
    KF_PAYMENT_ACT_DECLINE       /* a pending payment failed: the booking's DECLINE event */
} kf_payment_action;

/* The decision for an authentic event of a payment in `payment_status` that asked for
 * asked_amount asked_currency. */
kf_payment_action kf_payment_event_action(const kf_payment_event *ev, kf_payment_status payment_status,
                                  apr_int64_t asked_amount, const char *asked_currency);

/* What payment_events.result records of an event. */
#define KF_PAYMENT_RESULT_PAID "paid"
#define KF_PAYMENT_RESULT_FAILED "failed"
#define KF_PAYMENT_RESULT_UNCHANGED "unchanged"
#define KF_PAYMENT_RESULT_REPAID "reserved_again"
#define KF_PAYMENT_RESULT_SLOT_LOST "slot_lost"
#define KF_PAYMENT_RESULT_MISMATCH "amount_mismatch"
#define KF_PAYMENT_RESULT_REFUNDED "refunded"
#define KF_PAYMENT_RESULT_DISPUTED "disputed"

/* The columns of a payment locked for an event: the payment, the booking it pays for (NULL
 * for a purchase's), whether the event was recorded before, the purchase it pays for
 * (packages; NULL for a booking's), and the dispute it keeps (NULL: none yet). */
enum {
    KF_PAY_LOCK_COL_ID, KF_PAY_LOCK_COL_STATUS, KF_PAY_LOCK_COL_AMOUNT, KF_PAY_LOCK_COL_CURRENCY,
    KF_PAY_LOCK_COL_TXID, KF_PAY_LOCK_COL_BOOKING, KF_PAY_LOCK_COL_BOOKING_STATUS,
    KF_PAY_LOCK_COL_TENANT, KF_PAY_LOCK_COL_PROVIDER, KF_PAY_LOCK_COL_EVENT_SEEN,
    KF_PAY_LOCK_COL_PURCHASE, KF_PAY_LOCK_COL_DISPUTE_ID, KF_PAY_LOCK_COL_DISPUTE_STATUS,
    KF_PAY_LOCK_COL_BOOKING_SERIES,   /* the booking is a series' first occurrence: its count */
    KF_PAY_LOCK_COLS
};

/* What an event does to its payment, and whom it hands on to. */
typedef enum {
    KF_PAYMENT_STEP_RECORD = 0,  /* recorded, nothing moves */
    KF_PAYMENT_STEP_DUPLICATE,   /* recorded before: nothing at all */
    KF_PAYMENT_STEP_DISPUTE,     /* the dispute kept on the payment; the booking stays */
    KF_PAYMENT_STEP_REFUND,      /* money given back, on its transaction and the payment */
    KF_PAYMENT_STEP_MISMATCH,    /* refused and flagged; the booking stays */
    KF_PAYMENT_STEP_APPROVE,     /* approved with its transaction, then what it pays for */
    KF_PAYMENT_STEP_DECLINE      /* its status set, then what it pays for */
} kf_payment_step;

typedef struct kf_payment_plan {
    kf_payment_step step;
    const char *result;          /* KF_PAYMENT_RESULT_*, unless what it pays for says */
    const char *status;          /* DECLINE: the payment's status; DISPUTE: the state the kept
                                    dispute moves to, NULL when it stays (another dispute, a
                                    final state: won, lost, closed; the same state) */
    int purchase;                /* APPROVE, DECLINE: a purchase moves (packages) */
    int booking;                 /* APPROVE: a booking's payment; DECLINE, REFUND: its booking
                                    moves */
    int same_transaction;        /* APPROVE: the transaction the payment recorded first */
    const char *reason;          /* APPROVE, DECLINE of a purchase: payment_approved, ... */
    int flag_refund;             /* MISMATCH: money was taken: to give back */
    const char *note;            /* DISPUTE, MISMATCH: for the log */
} kf_payment_plan;

/* The plan for an authentic event `ev` of the payment locked as `locked`
 * (KF_PAY_LOCK_COLS values): a repeat, a dispute, a refund, or by kf_payment_event_action
 * a mismatch, an approval or a decline, handed on to the purchase or the booking it pays
 * for. Lives in p. */
kf_payment_plan kf_payment_event_plan(apr_pool_t *p, const kf_payment_event *ev,
                                      const char *const *locked);

/* A refund event gives back all the money of its payment: the payment is approved and what
 * its transactions gave back (`refunded`, this event's counted) reaches what they took
 * (`taken`, every approved transaction of the reference: a customer who paid twice). A part
 * (the extra of a payment made twice, say) is not the whole. */
int kf_payment_refund_is_whole(const kf_payment_event *ev, kf_payment_status payment_status,
                               apr_int64_t refunded, apr_int64_t taken);

/* The columns of what a refund event's statement leaves on the payment's transactions:
 * taken and given back in all, how many rows it updated, how many there are, how many
 * still wait for the refund job. */
enum {
    KF_PAY_TXR_COL_TAKEN, KF_PAY_TXR_COL_REFUNDED, KF_PAY_TXR_COL_UPDATED, KF_PAY_TXR_COL_COUNT,
    KF_PAY_TXR_COL_PENDING,
    KF_PAY_TXR_COLS
};

/* What a refund event leaves on its payment's figures. */
typedef struct kf_refund_figures {
    apr_int64_t taken;      /* what the payment's transactions took */
    apr_int64_t refunded;   /* what they gave back, this event's counted */
    apr_int64_t total;      /* the payment's refund_amount: never below this event's */
    const char *pending;    /* how many transactions still wait for the refund job ("0") */
} kf_refund_figures;

/* From the transactions' row (KF_PAY_TXR_COLS values; NULL: the statement found none), or,
 * for a payment without transaction rows, its one transaction (`pay_amount`, `pay_txid`):
 * the event counts when it names no transaction, or that one. */
void kf_payment_refund_figures(const kf_payment_event *ev, apr_int64_t pay_amount,
                               const char *pay_txid, const char *const *tx_row,
                               kf_refund_figures *out);

/* A refund event on the payment locked as `locked` (KF_PAY_LOCK_COLS values) with what its
 * statement left on the transactions (tx_row, or NULL): the figures into *out, and 1 when
 * it gives back everything taken (kf_payment_refund_is_whole). */
int kf_payment_refund_of(const kf_payment_event *ev, const char *const *locked,
                         const char *const *tx_row, kf_refund_figures *out);

/* ---- a payment's approved transactions (a customer may pay one reference twice) ---- */
typedef struct kf_payment_tx {
    apr_int64_t amount;        /* what it took, minor units */
    apr_int64_t refunded;      /* what it gave back already */
    apr_time_t approved_at;
} kf_payment_tx;

/* Spreads a refund of `amount` over a payment's n transactions: the newest first (approved_at;
 * of two approved at once, the later in txs), each at most its amount minus what it gave back
 * already. share[i] is what txs[i] gives back (0: nothing). Returns what did not fit (0 when
 * all of it did; a caller refuses more than is left). */
apr_int64_t kf_refund_allocate(const kf_payment_tx *txs, int n, apr_int64_t amount,
                               apr_int64_t *share);

/* The share of a spread refund asked of the provider first (the newest transaction's, as
 * kf_refund_allocate orders them), or -1 when no share gives anything back. */
int kf_refund_first_share(const kf_payment_tx *txs, int n, const apr_int64_t *share);

/* The idempotency key a share asks the provider with. A payment's refund always had one
 * key, refund-{payment}: the first share of its first refund (`first`: no share of it keyed
 * before) keeps it, so a refund asked before transactions were kept is never paid out
 * twice; any other share is refund-{payment}-{row}.{round}, `round` counting the refunds
 * of that transaction (1 for its first). row NULL: a payment without transaction rows. */
const char *kf_refund_share_key(apr_pool_t *p, const char *payment_id, const char *row,
                                int round, int first);

/* kf_refund_start for a refund spread as share[] over txs[]: KF_REFUND_RETRY when the
 * provider may give back every share (one that refunds whole payments only: each share is a
 * whole transaction not touched before), else KF_REFUND_MANUAL; nothing to give back: MANUAL. */
kf_refund_step kf_refund_start_shares(const kf_payment_provider *prov, const kf_payment_tx *txs,
                                      int n, const apr_int64_t *share);

/* ---- a webhook verified, a payment or a dispute asked of the provider ---- */

/* prov->verify_webhook with the account's events secret, and while a rotation is recent
 * (acct->previous_events_secret) with the one before it. No account: a bad signature. */
kf_payment_verdict kf_payment_verify(apr_pool_t *p, const kf_payment_provider *prov,
                                     const kf_payment_webhook *wh, const kf_payment_account *acct,
                                     kf_payment_event *ev, const char **why);

/* What the glue asks the provider, merchant-scoped: a payment by its reference (`name`,
 * with the checkout id kept for it, `about`), or a dispute a verified notice named (`name`,
 * the dispute's id, about the payment's transaction `about`). */
typedef struct kf_payment_question {
    int dispute;
    const char *name;
    const char *about;
    const char *source;           /* webhook, fetch or reconcile: for the note */
} kf_payment_question;

typedef enum {
    KF_PAYMENT_ASK_APPLY = 0,     /* *ev is the answer: applied like any event, *record kept */
    KF_PAYMENT_ASK_NOTHING,       /* a payment: nothing paid yet, nothing to apply */
    KF_PAYMENT_ASK_NOT_OURS,      /* a dispute the provider does not know as this payment's:
                                     nothing recorded, *note says why (NULL: the provider
                                     has no dispute look-up) */
    KF_PAYMENT_ASK_FAILED         /* asking failed (*note): the provider or the job tries again */
} kf_payment_asked;

kf_payment_asked kf_payment_ask(apr_pool_t *p, kf_http_client *http,
                                const kf_payment_provider *prov, const kf_payment_endpoints *ep,
                                const kf_payment_account *acct, const kf_payment_question *q,
                                kf_payment_event *ev, const char **record, const char **note);

/* How applying a provider's event ended. */
typedef enum {
    KF_PAYMENT_APPLIED = 0,
    KF_PAYMENT_DUPLICATE,   /* recorded already (or, asked of the provider: nothing paid yet) */
    KF_PAYMENT_FAILED,      /* nothing changed: the provider retries, the job asks again */
    KF_PAYMENT_NOT_OURS     /* the provider does not know it as this payment's */
} kf_payment_applied;

/* What asking the provider came to when it brought no event to apply (anything but
 * KF_PAYMENT_ASK_APPLY): nothing paid yet is a duplicate of what is known, a dispute it does
 * not know is not ours, a failure a failure. */
kf_payment_applied kf_payment_asked_applied(kf_payment_asked asked);

/* What a verified webhook's verdict leaves to ask the provider, into *q: the payment by its
 * reference and checkout id (a notice that carries no state), or the dispute it named
 * (dispute_id) about the payment's transaction (txid); 0 when the event applies as it came. */
int kf_payment_webhook_question(kf_payment_verdict verdict, const char *reference,
                                const char *checkout_id, const char *dispute_id,
                                const char *txid, kf_payment_question *q);

/* What the answer to a verified webhook says of it ("applied", "duplicate", "ignored"), or
 * NULL when it failed: not a 200, so that the provider sends it again. */
const char *kf_payment_webhook_outcome(kf_payment_applied applied);

/* The customer's browser is back from a checkout, worth asking the provider now: Wompi
 * appends ?id=<its transaction> (a hint, never looked up), the others' return address
 * carries return=1 (kf_payment_checkout_addresses). The query's values; NULL: absent. */
int kf_payment_back_from_checkout(const char *id, const char *ret);

/* ---- what every provider call starts with ---- */

/* Where a call writes why it failed: the caller's `why`, or, when the caller wants none, a
 * slot of the thread's that nothing reads; cleared. */
const char **kf_payment_why(const char **why);

/* The provider's method, called with a cleared `why` (NULL: the caller wants none) and a
 * cleared *out; what the method answers (kf_payment_provider). */
apr_status_t kf_payment_call_create_checkout(const kf_payment_provider *prov, apr_pool_t *p,
                                             kf_http_client *http, const kf_payment_endpoints *ep,
                                             const kf_payment_account *acct,
                                             const kf_payment_checkout *co,
                                             kf_payment_session *out, const char **why);
apr_status_t kf_payment_call_test_connection(const kf_payment_provider *prov, apr_pool_t *p,
                                             kf_http_client *http, const kf_payment_endpoints *ep,
                                             const kf_payment_account *acct,
                                             const char **merchant_name, const char **why);
/* APR_ENOTIMPL for a provider whose checkouts end by themselves (no close_checkout). */
apr_status_t kf_payment_call_close_checkout(const kf_payment_provider *prov, apr_pool_t *p,
                                            kf_http_client *http, const kf_payment_endpoints *ep,
                                            const kf_payment_account *acct,
                                            const char *checkout_id, const char **why);

/* What an attempt to end an expired booking's checkout leaves (rv: the status of
 * kf_payment_call_close_checkout or of its not being called, `attempts` this one's number):
 * 0 when done (ended, nothing to end, or a checkout the provider does not know or refuses),
 * else the seconds until the next attempt: 60, doubling per attempt up to 256 times that. */
int kf_payment_close_retry(apr_status_t rv, int attempts);

/* The account has its secret API key (private_key): 1, or 0 with *why = `missing` (what the
 * provider calls that key). */
int kf_payment_has_key(const kf_payment_account *acct, const char **why, const char *missing);

/* ---- the registry: each provider described once, listed once (kf_payment_providers.c) ---- */

/* Every provider, in the order the merchant sees them, NULL-terminated. */
extern const kf_payment_provider *const kf_payment_providers[];

/* The provider called name, or NULL. */
const kf_payment_provider *kf_payment_provider_find(const char *name);

/* The currencies the provider called name charges in, or NULL when no provider has that
 * name: what the tenant's rules are handed (kf_provider_currencies, kf_tenant_rules.h). */
const char *const *kf_payment_currencies_of(const char *name);

/* 1 when prov charges in currency. */
int kf_payment_accepts_currency(const kf_payment_provider *prov, const char *currency);

/* Every name KonfirmadoProviderURL takes for the providers (the tests and the demo point
 * them at fakes), NULL-terminated, in p: <name>-sandbox and <name>-production (its API in
 * each mode), and <name>-checkout for a provider with a checkout page of its own (its
 * default endpoints' checkout_base). */
const char *const *kf_payment_url_names(apr_pool_t *p);

/* The provider's endpoints in mode: its defaults, each overridden by the operator's URL of
 * its name when override(name, fallback, data) gives one. */
typedef const char *kf_payment_url_override(const char *name, const char *fallback, void *data);
kf_payment_endpoints kf_payment_endpoints_of(apr_pool_t *p, const kf_payment_provider *prov,
                                             const char *mode,
                                             kf_payment_url_override *override, void *data);

/* The providers whose checkouts the expiry job ends (those with close_checkout) as a
 * PostgreSQL array literal, "{stripe,airwallex}", in p. */
const char *kf_payment_closing(apr_pool_t *p);

/* The providers' names as a sentence lists them: "wompi, stripe, mercadopago or airwallex"
 * (en), "... o airwallex" (es). */
const char *kf_payment_names_text(apr_pool_t *p, kf_locale locale);

/* The provider's own message `id` in the locale (prov->messages), or NULL when it has none
 * of that id (prov may be NULL). */
const char *kf_payment_own_message(const kf_payment_provider *prov, const char *id,
                                   kf_locale locale);

/* The message `id` in the locale: the provider's own, else kf_i18n's. */
const char *kf_payment_message_text(const kf_payment_provider *prov, const char *id,
                                    kf_locale locale);

/* ---- a provider's settings ---- */

/* "test" or "production". */
int kf_payment_mode_valid(const char *mode);

/* The rule of a key after its prefix, when the provider has no other: 8 to 300 of
 * [A-Za-z0-9_-]. NULL when it holds, else "payment_key_format". */
const char *kf_payment_key_check(const char *rest);

/* The same with the length and the message of one's own: min..max of [A-Za-z0-9_-]. */
const char *kf_payment_key_chars(const char *rest, apr_size_t min, apr_size_t max,
                                 const char *message);

/* A setting's value for prov in a valid mode: NULL when fine, else a message id
 * (kf_payment_message_text): prov->check_setting, or kf_payment_key_check. */
const char *kf_payment_setting_check(const kf_payment_provider *prov, const char *mode,
                                     const kf_payment_setting *setting, const char *value);

/* The sealed JSON's member of a slot ("private_key", ...); NULL for the public one. */
const char *kf_payment_slot_name(kf_payment_slot slot);

/* A payment reference: "KF-" + 20 characters of [A-Z2-7] (100 random bits), unique by
 * construction (and by the database's unique index). NULL if randomness fails. */
const char *kf_payment_new_reference(apr_pool_t *p);

#endif
