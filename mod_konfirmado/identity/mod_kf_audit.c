/* Audit rows: see mod_kf_audit.h. */
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_json.h"

const kfm_sql kfm_audit_sql[] = {
    {"kf_audit_insert",
     "INSERT INTO audit_log (tenant_id, user_id, action, entity_type, entity_id, changes, ip,"
     "  user_agent)"
     " VALUES (%s::uuid, %s::uuid, %s, %s, %s, %s::jsonb, %s::inet, %s)"},
    {NULL, NULL},
};

apr_status_t kfm_audit_as(kfm_req *kr, ap_dbd_t *db, const char *tenant_id, const char *user_id,
                         const char *action, const char *entity_type, const char *entity_id,
                         json_t *changes)
{
    const char *ua = apr_table_get(kr->r->headers_in, "User-Agent");
    const char *changes_text = changes ? kf_json_dump(kr->r->pool, changes) : "{}";
    if (changes) {
        json_decref(changes);
    }
    const char *args[] = {tenant_id, user_id, action, entity_type, entity_id, changes_text,
                          kr->r->useragent_ip, ua ? apr_pstrndup(kr->r->pool, ua, 512) : NULL};
    return kfm_db_exec(kr->r, db, "kf_audit_insert", NULL, 8, args);
}

apr_status_t kfm_audit(kfm_req *kr, ap_dbd_t *db, const char *action, const char *entity_type,
                      const char *entity_id, json_t *changes)
{
    if (!kr->session) {
        if (changes) {
            json_decref(changes);
        }
        kfm_log(kr, APLOG_ERR, "audit %s without a session", action);
        return APR_EGENERAL;
    }
    return kfm_audit_as(kr, db, kr->session->tenant.id, kr->session->user_id, action, entity_type,
                       entity_id, changes);
}
