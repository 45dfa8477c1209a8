#ifndef MOD_KF_TENANT_FEATURE_H
#define MOD_KF_TENANT_FEATURE_H
/* The tenant's settings: business details, callback secret, logo, payment accounts, the
 * proof of its own domain.
 * What the feature hands the module (its descriptor, mod_kf_tenant_feature.c), and the
 * handlers, statement tables and jobs that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_tenant_feature;

/* endpoints */
int kfm_handle_tenant_get(kfm_req *kr);
int kfm_handle_tenant_patch(kfm_req *kr);
int kfm_handle_tenant_callback_secret(kfm_req *kr);
int kfm_handle_tenant_logo_upload(kfm_req *kr);
int kfm_handle_tenant_logo_public(kfm_req *kr);
int kfm_handle_tenant_payments_put(kfm_req *kr);
int kfm_handle_tenant_payments_test(kfm_req *kr);
int kfm_handle_tenant_domain_get(kfm_req *kr);
int kfm_handle_tenant_domain_verify(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_tenant_sql[];
extern const kfm_sql kfm_tenant_logo_sql[];
extern const kfm_sql kfm_tenant_payments_sql[];
extern const kfm_sql kfm_tenant_domain_sql[];

#endif
