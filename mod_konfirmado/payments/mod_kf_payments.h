#ifndef MOD_KF_PAYMENTS_H
#define MOD_KF_PAYMENTS_H
/* Payments as the other features use them: a tenant's provider account (secrets opened from
 * their sealed form, mod_kf_payment_accounts.c), the checkout made with a booking or a
 * purchase (mod_kf_checkout.c), asking the provider when the customer is back
 * (mod_kf_reconcile.c), and the payment as pages show it (mod_kf_payment_reads.c). Events
 * are applied in one place (mod_kf_payment_events.h). The providers' wire formats are in
 * lib/payments/kf_payment*.c. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_payment.h"

/* A checkout in three steps, so that nothing waits on the provider inside a transaction:
 * prepare (in the caller's transaction: the tenant's provider and account, a fresh unique
 * reference, the payment row without a checkout yet), make (the provider's call, no
 * transaction open, then the checkout's URL and id recorded with the funnel event
 * payment_started) or, when the provider made none, abandon (the payment marked error). Pool-owned; a crash between the steps leaves a
 * pending payment without a checkout, which nothing can pay and whose booking's window
 * runs out as any other's. */
typedef struct kfm_checkout {
    const kf_payment_provider *prov;
    const kf_payment_account *acct;
    kf_payment_checkout co;
    kf_payment_session session;
    const char *reservation_id;   /* NULL for a purchase's */
    const char *tenant_id;
} kfm_checkout;

/* APR_ENOENT: the tenant has no payment provider configured (or its secrets cannot be
 * opened) -> answer 502 provider_error; other errors were logged. */
apr_status_t kfm_payment_checkout_prepare(kfm_req *kr, ap_dbd_t *db, const kf_payment_start *in,
                                         kfm_checkout *out);
/* The provider's call, with no transaction open: the request's connection is given back
 * meanwhile and taken again after (kfm_req_db_own); then the checkout recorded (shown to
 * the customer by kf_payment_checkout_view). APR_ENOENT when the provider made no checkout (refused, unreachable; logged and
 * audited as payment.provider_error, kf_payment_failure.h: abandon it); anything else: no connection could be taken again or the record failed (logged;
 * the payment's window runs out). */
apr_status_t kfm_payment_checkout_make(kfm_req *kr, kfm_checkout *ck);
apr_status_t kfm_payment_checkout_abandon(kfm_req *kr, ap_dbd_t *db, const kfm_checkout *ck);


/* What booking creation made: the reservation (pending_payment, or paid when free) and what
 * its checkout needs. */
typedef struct kfm_booking_made {
    const char *reservation_id;
    const char *booking_token;    /* for the confirmation page's redirect URL */
    const char *customer_name;
    const char *customer_email;
    const char *customer_phone;
    const char *charge_type;      /* "total" | "partial" | "free" */
    apr_int64_t amount;           /* minor units, as the reservation holds it */
    const char *currency;
} kfm_booking_made;

/* Booking creation, inside its transaction, right after the reservation became
 * pending_payment: the booking gets its payment prepared (*checkout, for the caller to
 * create, after its commit, and record or abandon); one with nothing to pay is left alone
 * (*checkout NULL: the state machine made it paid). Returns 0,
 * HTTP_BAD_GATEWAY when the tenant has no usable payment provider (answer 502
 * provider_error), or HTTP_INTERNAL_SERVER_ERROR; roll back on anything but 0. */
int kfm_payment_start_for_booking(kfm_req *kr, const kfm_booking_made *b, kfm_checkout **checkout);

/* The customer came back from the checkout (the provider appended its transaction id, which
 * is only a hint and is never looked up): while the reservation's newest payment is still
 * pending, asks the provider about its reference with the tenant's own secret key and
 * applies the answer exactly like its webhook; at most once per KF_RL_PAYMENT_LOOKUP_WINDOW
 * per booking (a reload within it is answered from what is known). kr->db must be the
 * request's own (KFM_NEEDS_OWN_DB): it is given back while the provider answers and taken
 * again after. Failures are logged and leave the booking as it is (the webhook or the
 * reconciliation job still come). Own transaction: call outside any. 1, or 0 when no
 * connection could be taken again (kr->db NULL: the caller answers 503). */
int kfm_payment_check_return(kfm_req *kr, const char *reservation_id);

/* The same for a purchase's payment (packages: back from the checkout to the purchase page). */
int kfm_payment_check_return_purchase(kfm_req *kr, const char *purchase_id);

/* The tenant's account with that provider, secrets opened, or NULL (logged). */
const kf_payment_account *kfm_payment_account_load(const kfm_ctx *c, ap_dbd_t *db,
                                                   const char *tenant_id, const char *provider);

/* An account from its row: secrets opened (NULL, logged, when they do not open). */
const kf_payment_account *kfm_payment_account_open(const kfm_ctx *c, const char *tenant_id,
                                                   const char *provider, const char *mode,
                                                   const char *public_key, const char *sealed);

/* child_init: the process's cache of provider tokens (Airwallex logins). */
void kfm_payment_child_init(apr_pool_t *pchild, server_rec *s);

/* The provider's endpoints for the account's mode, KonfirmadoProviderURL overriding. */
kf_payment_endpoints kfm_payment_endpoints_for(const kfm_ctx *c, const kf_payment_provider *prov,
                                               const kf_payment_account *acct);


/* The newest payment of a reservation as the status endpoint shows it:
 * {"provider", "status", "reference", "amount", "currency"}, or NULL (free / none).
 * Pool-owned. */
json_t *kfm_payment_status_json(kfm_req *kr, ap_dbd_t *db, const char *reservation_id);

/* For the admin booking detail: every payment of a reservation with its flags
 * (refund_needed, mismatch, flag_reason), its approved transactions and its events.
 * Pool-owned array. */
json_t *kfm_payment_admin_json(kfm_req *kr, ap_dbd_t *db, const char *tenant_id,
                              const char *reservation_id);

/* A refund of `amount` asked of payment pay_id (mod_kf_refunds.c), inside the caller's
 * transaction: spread over the payment's approved transactions by the core
 * (kf_refund_spread_of), each share recorded with its idempotency key, and *status set to
 * where the refund starts ("pending" | "manual"; a payment without transaction rows: its
 * one transaction of `paid`). APR_EINVAL when amount is more than is left to give back. */
apr_status_t kfm_refund_spread(request_rec *r, ap_dbd_t *db, apr_pool_t *p, const char *pay_id,
                               const char *provider, apr_int64_t amount, apr_int64_t paid,
                               const char **status);

/* A refund's fate (`reason`: "refunded_by_hand", ...) as a line of the booking's history,
 * its state unchanged, inside the caller's transaction. */
apr_status_t kfm_refund_history(request_rec *r, ap_dbd_t *db, const char *reason,
                                const char *reservation_id);

/* Hand-off hook kfm_payments_when_signature_refused: who hears of each provider webhook
 * refused for its signature, with the tenant whose payment it named, handed by the alerts
 * feature (a kfm_handoff of its descriptor), which counts them per tenant; called on the
 * request before the answer is written. */
typedef void kfm_signature_refused_fn(const char *tenant_id);
void kfm_payments_when_signature_refused(kfm_signature_refused_fn *fn);

#endif
