/* The alerts feature as the module sees it: the merchant's endpoints, statements, the
 * alerts job and the count of refused webhook signatures. */
#include "mod_kf_alerts_feature.h"
#include "mod_kf_signature_tally.h"
#include "mod_kf_payments.h"

static const kfm_endpoint endpoints[] = {
    {{"GET", "/api/admin/alerts"}, kfm_handle_admin_alerts, KFM_AUTH_SESSION, KFM_NEEDS_DB,
     KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/alerts/{id}/dismiss"}, kfm_handle_admin_alert_dismiss, KFM_AUTH_CSRF,
     KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_alerts_job_sql,
    kfm_alerts_api_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"alerts", kfm_alerts_job_register},
    {NULL, NULL},
};

/* payments (below) tell of each webhook refused for its signature; the tally counts it per
 * business */
static void hand_signature_refused(void)
{
    kfm_payments_when_signature_refused(kfm_signature_tally_count);
}

static const kfm_handoff handoffs[] = {
    {"payments", "kfm_payments_when_signature_refused", hand_signature_refused},
    KFM_HANDOFFS_END,
};

const kfm_feature kfm_alerts_feature = {
    .name = "alerts",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .handoffs = handoffs,
    .post_config = kfm_signature_tally_post_config,
};
