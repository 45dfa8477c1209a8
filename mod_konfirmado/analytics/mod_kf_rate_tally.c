/* The 429s of each tenant's public pages: see mod_kf_rate_tally.h. */
#include "mod_kf_rate_tally.h"
#include "mod_kf_analytics_feature.h"
#include "mod_kf_shared_tally.h"

static kf_tally *tally;   /* shared memory made before the children fork */

int kfm_rate_tally_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                               server_rec *s)
{
    tally = kfm_shared_tally_make(pconf, s, "refused requests");
    return tally ? OK : !OK;
}

void kfm_rate_tally_count(kfm_req *kr)
{
    if (tally && kr->host_tenant) {
        kf_tally_add(tally, kr->host_tenant, 1);
    }
}

apr_status_t kfm_rate_tally_flush(server_rec *s, apr_pool_t *p, ap_dbd_t *db)
{
    /* keyed by a subdomain, [a-z0-9-]: array items that need no quoting */
    return kfm_shared_tally_drain(tally, p, db, "kf_metrics_rate_limited");
}
