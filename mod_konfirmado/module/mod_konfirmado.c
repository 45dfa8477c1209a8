/* mod_konfirmado: module record and hooks. The work happens in lib/ (the core) and in
 * the mod_kf_*.c glue files; this file only wires them into httpd. */
#define KFM_MODULE_MAIN
#include "mod_kf.h"
#include "mod_kf_config.h"
#include "mod_kf_db.h"
#include "mod_kf_payments.h"
#include "mod_kf_catalog.h"
#include "mod_kf_handlers.h"
#include "mod_kf_jobs.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_zones.h"
#include "mod_kf_availability_memo.h"
#include "mod_kf_callbacks.h"
#include "mod_kf_mail.h"
#include "mod_kf_ratelimit.h"
#include "kf_http.h"
#include "kf_json.h"
#include "kf_version.h"

#include <ap_mpm.h>

static apr_status_t curl_cleanup(void *unused)
{
    kf_http_curl_global_cleanup();
    return APR_SUCCESS;
}

static int kfm_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    /* every statement label declared once, and every one the catalog names declared
     * (in both passes, so that a configtest-like first pass fails too) */
    if (kfm_db_check_statements(pconf, s) != OK || kfm_catalog_check_statements(s) != OK) {
        return !OK;
    }
    /* post_config runs twice at startup; the first pass only validates. */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    kfm_db_bind();
    kf_json_global_init();
    const char *why = NULL;
    if (kf_http_curl_global_init(&why) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: libcurl: %s",
                     why ? why : "initialisation failed");
        return !OK;
    }
    apr_pool_cleanup_register(pconf, NULL, curl_cleanup, apr_pool_cleanup_null);
    if (kfm_ratelimit_post_config(pconf, plog, ptemp, s) != OK) {
        return !OK;
    }
    /* every job, for every server where the engine is on (mod_kf_jobs.c) */
    if (kfm_jobs_post_config(pconf, s) != OK) {
        return !OK;
    }
    ap_add_version_component(pconf, "Konfirmado/" KF_VERSION);
    return OK;
}

static void kfm_register_hooks(apr_pool_t *p)
{
    ap_hook_check_config(kfm_conf_check, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_config(kfm_ratelimit_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(kfm_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(kfm_ratelimit_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(kfm_db_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(kfm_payment_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(kfm_router_translate, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(kfm_router_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(kfm_router_handler, NULL, NULL, APR_HOOK_MIDDLE);
    kfm_availability_cache_register_hooks(p);
    kfm_zones_register_hooks(p);
    kfm_memo_register_hooks(p);

    /* static/wizard: the booking wizard's shell and assets (mod_kf_static.c) */
    ap_hook_translate_name(kfm_static_translate, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(kfm_static_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    /* -- end static/wizard -- */
}

AP_DECLARE_MODULE(konfirmado) = {
    STANDARD20_MODULE_STUFF,
    NULL,             /* per-directory config: the module is configured per server */
    NULL,
    kfm_conf_create,
    kfm_conf_merge,
    kfm_directives,
    kfm_register_hooks,
    AP_MODULE_FLAG_NONE,
};
