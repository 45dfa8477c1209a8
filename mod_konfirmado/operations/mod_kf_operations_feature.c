/* The operations feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_operations_feature.h"
#include "mod_kf_operations_conf.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_ratelimit_pg.h"
#include "mod_kf_zones.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"GET", "/api/health"}, kfm_handle_health,
     KFM_AUTH_PUBLIC, KFM_NEEDS_NOTHING, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/diagnostics/echo"}, kfm_handle_diagnostics_echo,
     KFM_AUTH_PUBLIC, KFM_NEEDS_NOTHING | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/diagnostics/db"}, kfm_handle_diagnostics_db,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/metrics"}, kfm_handle_admin_metrics,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/audit"}, kfm_handle_audit_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_host_sql, kfm_metrics_sql, kfm_audit_list_sql, kfm_purge_sql, kfm_ratelimit_sql,
    kfm_static_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"purge", kfm_purge_job_register},
    {NULL, NULL},
};

static void register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(kfm_ratelimit_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(kfm_access_log_note, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(kfm_ratelimit_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    kfm_zones_register_hooks(p);
    /* the booking wizard's shell and the static files of KonfirmadoHtdocs */
    ap_hook_translate_name(kfm_static_translate, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(kfm_static_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
}

const kfm_feature kfm_operations_feature = {
    .name = "operations",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .register_hooks = register_hooks,
    .post_config = kfm_ratelimit_post_config,
    .directives = &kfm_operations_conf_directives,
};
