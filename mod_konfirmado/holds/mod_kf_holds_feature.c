/* The holds feature as the module sees it: endpoints, statements, directives. */
#include "mod_kf_holds_feature.h"
#include "mod_kf_holds_conf.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/public/holds"}, kfm_handle_public_hold_create,
     KFM_AUTH_PUBLIC, KFM_NEEDS_JSON_OBJECT | KFM_DB_ON_DEMAND, KFM_CHARGE_PUBLIC_HOLD, 0},
    {{"DELETE", "/api/public/holds/{id}"}, kfm_handle_public_hold_release,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_holds_sql,
    kfm_hold_series_sql,
    kfm_hold_steps_sql,
    NULL,
};

const kfm_feature kfm_holds_feature = {
    .name = "holds",
    .endpoints = endpoints,
    .statements = statements,
    .directives = &kfm_holds_conf_directives,
};
