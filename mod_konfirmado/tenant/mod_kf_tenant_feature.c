/* The tenant feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_tenant_feature.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"GET", "/api/admin/tenant"}, kfm_handle_tenant_get,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"PATCH", "/api/admin/tenant"}, kfm_handle_tenant_patch,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/tenant/callback-secret"}, kfm_handle_tenant_callback_secret,
     KFM_AUTH_CSRF, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/tenant/logo"}, kfm_handle_tenant_logo_upload,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, KFM_BODY_LIMIT_UPLOAD},
    {{"GET", "/api/public/tenants/{tenant_id}/logo"}, kfm_handle_tenant_logo_public,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"PUT", "/api/admin/tenant/payments/{provider}"}, kfm_handle_tenant_payments_put,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/tenant/payments/{provider}/test"}, kfm_handle_tenant_payments_test,
     KFM_AUTH_CSRF, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/tenant/custom-domain"}, kfm_handle_tenant_domain_get,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/tenant/custom-domain/verify"}, kfm_handle_tenant_domain_verify,
     KFM_AUTH_CSRF, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_tenant_sql, kfm_tenant_logo_sql, kfm_tenant_payments_sql, kfm_tenant_domain_sql,
    NULL,
};

const kfm_feature kfm_tenant_feature = {
    .name = "tenant",
    .endpoints = endpoints,
    .statements = statements,
};
