/* The status feature as the module sees it: its statements and hooks. */
#include "mod_kf_status_feature.h"
#include "mod_kf_counters.h"

static const kfm_sql *const statements[] = {kfm_status_sql, NULL};

static void register_hooks(apr_pool_t *p)
{
    ap_hook_handler(kfm_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(kfm_bench_baseline_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(kfm_status_count_request, NULL, NULL, APR_HOOK_MIDDLE);
}

const kfm_feature kfm_status_feature = {
    .name = "status",
    .statements = statements,
    .register_hooks = register_hooks,
    .post_config = kfm_counters_post_config,
};
