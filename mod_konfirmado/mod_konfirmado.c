/* mod_konfirmado: the module record, its hooks, and the list of features. Each feature
 * folder hands a descriptor (mod_kf_feature.h) with its endpoints, statements, jobs,
 * directives and hooks; this file collects them and gives them to the router, the database
 * adapter, the job runner and the server configuration, which know no feature by name. */
#define KFM_MODULE_MAIN
#include "mod_kf.h"
#include "mod_kf_config.h"
#include "mod_kf_db.h"
#include "mod_kf_child_exits.h"
#include "mod_kf_db_warm.h"
#include "mod_kf_db_read.h"
#include "mod_kf_jobs.h"
#include "mod_kf_router.h"
#include "mod_kf_accounts_feature.h"
#include "mod_kf_tenant_feature.h"
#include "mod_kf_catalog_feature.h"
#include "mod_kf_availability_feature.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_booking_admin_feature.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_calendars_feature.h"
#include "mod_kf_identity_feature.h"
#include "mod_kf_holds_feature.h"
#include "mod_kf_changes_feature.h"
#include "mod_kf_callbacks_feature.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_operations_feature.h"
#include "mod_kf_customers_feature.h"
#include "mod_kf_privacy_feature.h"
#include "mod_kf_analytics_feature.h"
#include "mod_kf_status_feature.h"
#include "mod_kf_assistant_feature.h"
#include "mod_kf_alerts_feature.h"
#include "mod_kf_assistant_conf.h"
#include "mod_kf_operations_conf.h"
#include "mod_kf_availability_conf.h"
#include "mod_kf_holds_conf.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_callbacks_conf.h"
#include "mod_kf_messaging_conf.h"
#include "mod_kf_calendars_conf.h"
#include "kf_http.h"
#include "kf_json.h"
#include "kf_version.h"

#include <ap_mpm.h>
#include <string.h>

static const kfm_feature *const features[] = {
    &kfm_operations_feature,
    &kfm_identity_feature,
    &kfm_accounts_feature,
    &kfm_tenant_feature,
    &kfm_catalog_feature,
    &kfm_availability_feature,
    &kfm_bookings_feature,
    &kfm_booking_admin_feature,
    &kfm_payments_feature,
    &kfm_callbacks_feature,
    &kfm_messaging_feature,
    &kfm_calendars_feature,
    &kfm_holds_feature,
    &kfm_changes_feature,
    &kfm_customers_feature,
    &kfm_privacy_feature,
    &kfm_analytics_feature,
    &kfm_status_feature,
    &kfm_assistant_feature,
    &kfm_alerts_feature,
    NULL,
};

/* The command table. httpd reads it when LoadModule adds the module, before any hook runs
 * (ap_add_module: ap_add_module_commands, then ap_register_hooks), so it is made here, at
 * compile time, from the module's list and each feature's (mod_kf_<feature>_conf.h); each
 * entry points at what it sets (kfm_directive), which the kind's one setter in
 * mod_kf_config.c reads. A feature listed here hands the same list's configuration in its
 * descriptor (.directives). */
static const command_rec directives[] = {
    KFM_MODULE_COMMANDS
    KFM_CONF_COMMANDS(kfm_operations_conf, KFM_OPERATIONS_DIRECTIVES)
    KFM_CONF_COMMANDS(kfm_availability_conf, KFM_AVAILABILITY_DIRECTIVES)
    KFM_CONF_COMMANDS(kfm_holds_conf, KFM_HOLDS_DIRECTIVES)
    KFM_CONF_COMMANDS(kfm_payments_conf, KFM_PAYMENTS_DIRECTIVES)
    KFM_CONF_COMMANDS(kfm_callbacks_conf, KFM_CALLBACKS_DIRECTIVES)
    KFM_CONF_COMMANDS(kfm_messaging_conf, KFM_MESSAGING_DIRECTIVES)
    KFM_CONF_COMMANDS(kfm_calendars_conf, KFM_CALENDARS_DIRECTIVES)
    KFM_CONF_COMMANDS(kfm_assistant_conf, KFM_ASSISTANT_DIRECTIVES)
    {NULL},
};

/* Each server's configuration: the module's and, per feature, its directives' (the list
 * of their descriptors' sets lives as long as the configuration). */
static void *create_server_conf(apr_pool_t *p, server_rec *s)
{
    const int n = (int)(sizeof(features) / sizeof(features[0])) - 1;
    const kfm_directives **sets = apr_palloc(p, sizeof(*sets) * (apr_size_t)n);
    for (int f = 0; f < n; f++) {
        sets[f] = features[f]->directives;
    }
    return kfm_conf_create(p, s, sets, n);
}

static apr_status_t curl_cleanup(void *unused)
{
    kf_http_curl_global_cleanup();
    return APR_SUCCESS;
}

static int feature_listed(const char *name)
{
    for (int f = 0; features[f]; f++) {
        if (strcmp(features[f]->name, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Every hand-off goes to a feature of the list: a name no descriptor carries is a hook
 * nobody documents. */
static int check_handoffs(server_rec *s)
{
    for (int f = 0; features[f]; f++) {
        for (const kfm_handoff *h = features[f]->handoffs; h && h->to; h++) {
            if (!feature_listed(h->to)) {
                ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                             "mod_konfirmado: %s hands %s to %s, which is no feature",
                             features[f]->name, h->hook, h->to);
                return !OK;
            }
        }
    }
    return OK;
}

/* Every statement label declared once, every one a feature names declared, and every
 * hand-off to a listed feature (in both passes, so that a configtest-like first pass fails
 * too). */
static int check_features(apr_pool_t *pconf, server_rec *s)
{
    if (kfm_db_check_statements(pconf, s, features) != OK || check_handoffs(s) != OK) {
        return !OK;
    }
    for (int f = 0; features[f]; f++) {
        if (features[f]->check && features[f]->check(s) != OK) {
            return !OK;
        }
    }
    return OK;
}

static int kfm_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    if (check_features(pconf, s) != OK || kfm_router_post_config(pconf, s, features) != OK) {
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
    for (int f = 0; features[f]; f++) {
        if (features[f]->post_config && features[f]->post_config(pconf, plog, ptemp, s) != OK) {
            return !OK;
        }
    }
    /* every feature's jobs, for every server where the engine is on (mod_kf_jobs.c) */
    if (kfm_jobs_post_config(pconf, s, features) != OK) {
        return !OK;
    }
    ap_add_version_component(pconf, "Konfirmado/" KF_VERSION);
    return OK;
}

/* The warm-up checks a connection out of the pool mod_dbd makes in its child_init. */
static const char *const after_dbd[] = {"mod_dbd.c", NULL};

static void kfm_register_hooks(apr_pool_t *p)
{
    ap_hook_check_config(kfm_conf_check, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(kfm_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* last: a process another module forks in its post_config keeps SIGCHLD as it was */
    ap_hook_post_config(kfm_child_exits_post_config, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_child_init(kfm_child_exits_child_init, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_child_init(kfm_db_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(kfm_db_read_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(kfm_db_warm_child_init, after_dbd, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(kfm_router_translate, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(kfm_router_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(kfm_router_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* the functions features hand those below them, all here (each named in its giver's
     * descriptor), before any feature's own hooks */
    for (int f = 0; features[f]; f++) {
        for (const kfm_handoff *h = features[f]->handoffs; h && h->to; h++) {
            h->install();
        }
    }
    for (int f = 0; features[f]; f++) {
        if (features[f]->register_hooks) {
            features[f]->register_hooks(p);
        }
    }
}

AP_DECLARE_MODULE(konfirmado) = {
    STANDARD20_MODULE_STUFF,
    NULL,             /* per-directory config: the module is configured per server */
    NULL,
    create_server_conf,
    kfm_conf_merge,
    directives,
    kfm_register_hooks,
    AP_MODULE_FLAG_NONE,
};
