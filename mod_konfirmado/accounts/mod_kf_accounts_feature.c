/* The accounts feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_accounts_feature.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/auth/register"}, kfm_handle_register,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/auth/verify-email"}, kfm_handle_verify_email,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/auth/login"}, kfm_handle_login,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/auth/logout"}, kfm_handle_logout,
     KFM_AUTH_CSRF, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/auth/me"}, kfm_handle_me,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/auth/forgot-password"}, kfm_handle_forgot_password,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/auth/reset-password"}, kfm_handle_reset_password,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_accounts_sql,
    NULL,
};

const kfm_feature kfm_accounts_feature = {
    .name = "accounts",
    .endpoints = endpoints,
    .statements = statements,
};
