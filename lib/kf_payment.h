/* Payment providers behind one small interface, and the charge rules.
 *
 * The booking code only speaks kf_payment_*: it asks a provider (found by name) for a checkout
 * URL, hands it a webhook to verify and normalize, asks it (with the merchant's secret key) about
 * a reference when the customer comes back or a webhook is late, and tests a tenant's keys. Wompi is the first implementation
 * (lib/kf_payment_wompi.c); Stripe, Airwallex and Mercado Pago add a kf_payment_provider each.
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

/* A tenant's settings for one provider (the secrets opened from their sealed form). Fields a
 * provider does not use stay NULL. */
typedef struct kf_payment_account {
    const char *mode;              /* "test" | "production" */
    const char *public_key;
    const char *private_key;
    const char *events_secret;     /* verifies webhooks */
    const char *integrity_secret;  /* signs checkouts (Wompi) */
    const char *previous_events_secret; /* the one before a rotation: still verifies webhooks
                                      for 72 h after it (the glue leaves it NULL after) */
} kf_payment_account;

/* Where the provider lives: its API base (no trailing slash needed) and its checkout page. */
typedef struct kf_payment_endpoints {
    const char *api_base;          /* e.g. https://sandbox.wompi.co/v1 */
    const char *checkout_base;     /* e.g. https://checkout.wompi.co/p/ */
} kf_payment_endpoints;

typedef struct kf_payment_checkout {
    const char *reference;         /* unique per payment */
    apr_int64_t amount;            /* minor units, > 0 */
    const char *currency;          /* ISO 4217 */
    const char *redirect_url;      /* where the provider sends the customer back; may be NULL */
    apr_time_t expires_at;         /* end of the payment window; 0 = none */
    const char *customer_email;    /* each may be NULL */
    const char *customer_name;
    const char *customer_phone;    /* E.164, "+573001234567" */
} kf_payment_checkout;

/* A provider's event or transaction, normalized. */
typedef struct kf_payment_event {
    const char *event_key;         /* unique per (provider, event): repeats are no-ops */
    const char *reference;
    const char *transaction_id;
    const char *provider_status;   /* as the provider wrote it, e.g. "APPROVED" */
    kf_payment_status status;
    apr_int64_t amount;            /* minor units */
    const char *currency;
} kf_payment_event;

typedef enum {
    KF_PAYMENT_VERIFIED = 0,           /* authentic: *ev is filled */
    KF_PAYMENT_BAD_SIGNATURE,          /* signature missing, malformed or wrong: answer 401 */
    KF_PAYMENT_UNUSABLE                /* authentic but not an event we act on (other event type,
                                      missing transaction fields): answer 200, change nothing */
} kf_payment_verdict;

/* A refund the glue asks of a provider (the payment's approved transaction). */
typedef struct kf_payment_refund {
    const char *transaction_id;
    apr_int64_t amount;            /* what goes back, minor units */
    apr_int64_t paid;              /* what the transaction took */
    const char *currency;
} kf_payment_refund;

typedef struct kf_payment_provider {
    const char *name;              /* "wompi" */
    int refunds_part;              /* its refund API can give back part of a payment */

    /* Default endpoints for a mode ("test" or "production"); KonfirmadoProviderURL may
     * override them (the glue decides). */
    kf_payment_endpoints (*default_endpoints)(const char *mode);

    /* The URL the customer's browser is sent to. NULL with *why on bad input. */
    const char *(*checkout_url)(apr_pool_t *p, const kf_payment_endpoints *ep,
                                const kf_payment_account *acct, const kf_payment_checkout *co,
                                const char **why);

    /* Before any secret is known: the payment reference an (untrusted) webhook body names,
     * used only to find whose secret verifies it. NULL when the body names none. */
    const char *(*webhook_reference)(apr_pool_t *p, const char *body, apr_size_t len);

    /* Verifies the webhook over its raw body with the account's events secret, then parses
     * it. headers: the request's headers (case-insensitive table). */
    kf_payment_verdict (*verify_webhook)(apr_pool_t *p, const char *body, apr_size_t len,
                                     const apr_table_t *headers, const kf_payment_account *acct,
                                     kf_payment_event *ev, const char **why);

    /* Asks the provider, merchant-scoped (with the account's secret key), about the payment
     * of a reference: only the merchant's own account can answer, so a transaction the
     * customer made elsewhere is never seen. APR_SUCCESS with *ev filled (the provider's
     * choice among several attempts: an approved one, else the newest); APR_NOTFOUND when
     * the merchant's account has none; APR_EACCES when the provider refuses the key;
     * another error with *why otherwise. */
    apr_status_t (*find_payment)(apr_pool_t *p, kf_http_client *http,
                                 const kf_payment_endpoints *ep, const kf_payment_account *acct,
                                 const char *reference, kf_payment_event *ev, const char **why);

    /* Checks the account's public key with the provider. APR_SUCCESS with *merchant_name;
     * APR_NOTFOUND when the provider refuses the key; another error with *why otherwise. */
    apr_status_t (*test_connection)(apr_pool_t *p, kf_http_client *http,
                                    const kf_payment_endpoints *ep, const kf_payment_account *acct,
                                    const char **merchant_name, const char **why);

    /* Gives money back, merchant-scoped (the account's secret key). APR_SUCCESS when the
     * provider refunded it, also when it had been refunded before (a repeat never pays out
     * twice), with *refund_id; APR_ENOTIMPL when the provider has no refund API for this
     * payment (the merchant refunds by hand), *why says why; APR_EACCES when the key is
     * refused; another error, worth retrying later, with *why. */
    apr_status_t (*refund)(apr_pool_t *p, kf_http_client *http, const kf_payment_endpoints *ep,
                           const kf_payment_account *acct, const kf_payment_refund *rf,
                           const char **refund_id, const char **why);
} kf_payment_provider;

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

/* The provider called name, or NULL. */
const kf_payment_provider *kf_payment_provider_find(const char *name);

/* ---- Wompi (lib/kf_payment_wompi.c) ---- */

extern const kf_payment_provider kf_payment_wompi;

/* Wompi's expiration-time format: "2023-06-09T20:28:50.000Z" (UTC, milliseconds). */
const char *kf_wompi_time(apr_pool_t *p, apr_time_t t);

/* A payment reference: "KF-" + 20 characters of [A-Z2-7] (100 random bits), unique by
 * construction (and by the database's unique index). NULL if randomness fails. */
const char *kf_payment_new_reference(apr_pool_t *p);

#endif
