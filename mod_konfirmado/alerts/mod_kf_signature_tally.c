/* The payment webhooks refused for their signature: see mod_kf_signature_tally.h. */
#include "mod_kf_signature_tally.h"
#include "mod_kf_shared_tally.h"
#include "kf_text.h"

static kf_tally *tally;   /* shared memory made before the children fork */

int kfm_signature_tally_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                    server_rec *s)
{
    tally = kfm_shared_tally_make(pconf, s, "refused webhooks");
    return tally ? OK : !OK;
}

void kfm_signature_tally_count(const char *tenant_id)
{
    if (tally && tenant_id && kf_is_uuid(tenant_id)) {
        kf_tally_add(tally, tenant_id, 1);
    }
}

apr_status_t kfm_signature_tally_flush(apr_pool_t *p, ap_dbd_t *db)
{
    /* keyed by a uuid, [0-9a-f-]: array items that need no quoting */
    return kfm_shared_tally_drain(tally, p, db, "kf_alerts_signatures_refused");
}
