#ifndef MOD_KF_PAYMENTS_FEATURE_H
#define MOD_KF_PAYMENTS_FEATURE_H
/* Payments: provider webhooks, reconciliation, refunds, package purchases.
 * What the feature hands the module (its descriptor, mod_kf_payments_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_payments_feature;

/* endpoints */
int kfm_handle_public_purchase_create(kfm_req *kr);
int kfm_handle_public_purchase_status(kfm_req *kr);
int kfm_handle_payment_webhook(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_payment_accounts_sql[];
extern const kfm_sql kfm_checkout_sql[];
extern const kfm_sql kfm_payment_events_sql[];
extern const kfm_sql kfm_payment_webhooks_sql[];
extern const kfm_sql kfm_reconcile_sql[];
extern const kfm_sql kfm_payment_reads_sql[];
extern const kfm_sql kfm_refunds_sql[];
extern const kfm_sql kfm_purchases_sql[];
extern const kfm_sql kfm_purchase_life_sql[];

/* jobs: the refund job's registration for one engine-on server (kfm_job_setup_fn); the runs
 * (kfm_db_job_fn) of the reconciliation, which claims pending payments whose webhook is late
 * (KonfirmadoReconcileDelay after checkout, backing off, until the window plus 24 h) and
 * asks the provider about each, and of the purchases' expiry */
int kfm_refunds_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);
int kfm_payment_reconcile_due(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data);
int kfm_purchases_expire_due(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data);

#endif
