#ifndef MOD_KF_TENANT_H
#define MOD_KF_TENANT_H
/* Tenant settings glue (API.md "Admin API": tenant, callback secret, logo, payments) and
 * the audit list. The rules themselves live in lib/tenant/kf_tenant_rules.c and lib/tenant/kf_image.c. */
#include "mod_kf_request.h"
#include "mod_kf_sql.h"
#include "mod_kf_db.h"
#include "kf_url.h"


/* "payments" of that view: one entry per provider of the registry, {"wompi": {"label",
 * "settings", "configured", "mode", "public_key", "private_key_last4", ..., "updated_at"}, ...}
 * (kf_payment_settings_all; a new reference); NULL on a database failure (logged). */
json_t *kfm_tenant_payments_view(kfm_req *kr, ap_dbd_t *db);


/* The URL policy of tenant-entered URLs: http:// only with KonfirmadoAllowInsecureURLs On. */
kf_url_policy kfm_tenant_url_policy(const kfm_req *kr);

/* 1 when PostgreSQL knows the time zone `zone` (every zone conversion happens there), 0 if
 * not, -1 when the statement failed. */
int kfm_tenant_zone_known(kfm_req *kr, const char *zone);

/* Whether another tenant has `address` (statement kf_tenant_subdomain_used or
 * kf_tenant_domain_used: only a proved domain counts): *taken = code when it does. */
apr_status_t kfm_tenant_address_used(kfm_req *kr, const char *label, const char *address,
                                     const char **taken, const char *code);

/* The absolute URL of `path` (from "/") as the tenant's customers reach it: under
 * KonfirmadoPublicURL, else under the host the request came to. */
const char *kfm_tenant_public_url(kfm_req *kr, const char *path);


#endif
