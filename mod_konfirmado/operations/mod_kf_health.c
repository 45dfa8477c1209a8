/* GET /api/health: is this server able to serve? (lib/operations/kf_health.c) */
#include "mod_kf_operations_feature.h"
#include "mod_kf_db.h"
#include "kf_health.h"

int kfm_handle_health(kfm_req *kr)
{
    ap_dbd_t *db = NULL;
    int schema = -1;
    kfm_db_state st = kfm_db_acquire(kr->r, &db, &schema);

    /* A pooled connection may be stale although mod_dbd handed it out: ask the server. */
    if (st == KFM_DB_OK && kfm_db_ping(kr->r, db) != APR_SUCCESS) {
        st = KFM_DB_DOWN;
    }
    kf_health_state health = st == KFM_DB_OK ? KF_HEALTH_OK : st == KFM_DB_DOWN ? KF_HEALTH_DB_DOWN
                           : st == KFM_DB_SCHEMA_OUTDATED ? KF_HEALTH_SCHEMA_OUTDATED
                                                          : KF_HEALTH_BROKEN;
    if (health != KF_HEALTH_OK) {
        kfm_log(kr, APLOG_WARNING, "health: %s", kf_health_problem(health));
    }
    return kfm_reply_json(kr, health == KF_HEALTH_OK ? HTTP_OK : HTTP_SERVICE_UNAVAILABLE,
                          kf_health_json(health, schema, kfm_db_outage_reason()));
}
