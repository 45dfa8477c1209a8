/* GET /api/health: is this server able to serve? (API.md "Operations") */
#include "mod_kf_operations_feature.h"
#include "mod_kf_db.h"
#include "kf_version.h"

int kfm_handle_health(kfm_req *kr)
{
    ap_dbd_t *db = NULL;
    int schema = -1;
    kfm_db_state st = kfm_db_acquire(kr->r, &db, &schema);
    kfm_rows *res = NULL;

    /* A pooled connection may be stale although mod_dbd handed it out: ask the server. */
    if (st == KFM_DB_OK && kfm_db_select(kr->r, db, "kf_ping", &res, 0, NULL) != APR_SUCCESS) {
        st = KFM_DB_DOWN;
    }
    json_t *body = json_object();
    json_object_set_new(body, "status", json_string(st == KFM_DB_OK ? "ok" : "unavailable"));
    json_object_set_new(body, "database", json_string(st == KFM_DB_DOWN ? "down" : "ok"));
    json_object_set_new(body, "version", json_string(KF_VERSION));
    json_t *sch = json_object();
    json_object_set_new(sch, "expected", json_integer(KF_SCHEMA_VERSION));
    json_object_set_new(sch, "current", schema >= 0 ? json_integer(schema) : json_null());
    json_object_set_new(sch, "status", json_string(st == KFM_DB_SCHEMA_OUTDATED ? "outdated"
                                                   : st == KFM_DB_DOWN           ? "unknown"
                                                                                : "ok"));
    json_object_set_new(body, "schema", sch);
    if (st != KFM_DB_OK) {
        kfm_log(kr, APLOG_WARNING, "health: %s",
               st == KFM_DB_DOWN ? "database down" : st == KFM_DB_SCHEMA_OUTDATED
                                                        ? "schema outdated" : "statements broken");
    }
    return kfm_reply_json(kr, st == KFM_DB_OK ? HTTP_OK : HTTP_SERVICE_UNAVAILABLE, body);
}
