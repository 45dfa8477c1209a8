/* The availability feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_availability_feature.h"
#include "mod_kf_availability_conf.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_availability_memo.h"

static const kfm_sql *const statements[] = {
    kfm_availability_sql,
    NULL,
};

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"GET", "/api/public/links/{link}/availability"}, kfm_handle_public_availability,
     KFM_AUTH_PUBLIC, KFM_DB_ON_DEMAND, KFM_CHARGE_PUBLIC_READ, 0},
    KFM_ENDPOINTS_END,
};

static void register_hooks(apr_pool_t *p)
{
    kfm_availability_cache_register_hooks(p);
    kfm_memo_register_hooks(p);
}

static const kfm_job jobs[] = {
    {"availability_notify", kfm_availability_notify_register},
    {NULL, NULL},
};

const kfm_feature kfm_availability_feature = {
    .name = "availability",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .register_hooks = register_hooks,
    .directives = &kfm_availability_conf_directives,
    .after_handler = kfm_availability_cache_after_write,
};
