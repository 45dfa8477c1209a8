/* The analytics feature as the module sees it: statements, the metrics job, the shared
 * counts of refused requests. */
#include "mod_kf_analytics_feature.h"
#include "mod_kf_rate_tally.h"
#include "mod_kf_ratelimit.h"

static const kfm_sql *const statements[] = {
    kfm_metrics_daily_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"metrics", kfm_metrics_daily_job_register},
    {NULL, NULL},
};

/* the limits (operations, below) tell of each 429; the tally counts it per tenant */
static void hand_limit_refused(void)
{
    kfm_ratelimit_when_refused(kfm_rate_tally_count);
}

static const kfm_handoff handoffs[] = {
    {"operations", "kfm_ratelimit_when_refused", hand_limit_refused},
    KFM_HANDOFFS_END,
};

const kfm_feature kfm_analytics_feature = {
    .name = "analytics",
    .statements = statements,
    .jobs = jobs,
    .handoffs = handoffs,
    .post_config = kfm_rate_tally_post_config,
};
