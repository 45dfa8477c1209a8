/* The privacy feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_privacy_feature.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"GET", "/api/admin/customers/export"}, kfm_handle_customer_export,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/customers/erase"}, kfm_handle_customer_erase,
     KFM_AUTH_CSRF, KFM_NEEDS_DB | KFM_NEEDS_JSON_OBJECT, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/customers/erasure-requests"}, kfm_handle_erasure_requests_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/customers/erasure-requests/{id}/confirm"},
     kfm_handle_erasure_request_confirm, KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    /* the customer, signed in to the portal of the request's host */
    {{"GET", "/api/public/me/export"}, kfm_handle_portal_export,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    {{"POST", "/api/public/me/erasure"}, kfm_handle_portal_erasure,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_NEEDS_JSON_IF_ANY | KFM_NEEDS_SAME_SITE,
     KFM_CHARGE_PUBLIC_READ, 0},
    {{"GET", "/api/public/me/erasure"}, kfm_handle_portal_erasure_pending,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_privacy_export_sql, kfm_privacy_erase_sql, kfm_privacy_retention_sql, NULL,
};

static const kfm_job jobs[] = {
    {"privacy", kfm_privacy_retention_register},
    {NULL, NULL},
};

const kfm_feature kfm_privacy_feature = {
    .name = "privacy",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
};
