/* The callbacks feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_callbacks_feature.h"
#include "mod_kf_callbacks_conf.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/admin/tenant/callback-test"}, kfm_handle_admin_callback_test,
     KFM_AUTH_CSRF, KFM_NEEDS_OWN_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/bookings/{id}/callback"}, kfm_handle_admin_booking_callback,
     KFM_AUTH_CSRF, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_callbacks_sql, kfm_callback_queue_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"callbacks", kfm_callback_jobs_register},
    {NULL, NULL},
};

const kfm_feature kfm_callbacks_feature = {
    .name = "callbacks",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .directives = &kfm_callbacks_conf_directives,
};
