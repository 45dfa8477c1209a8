#ifndef MOD_KF_AUDIT_H
#define MOD_KF_AUDIT_H
/* The audit trail: who did what to which entity, when, from where. Written in the same
 * transaction as the change it records. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"

extern const kfm_sql kfm_audit_sql[];

/* Records `action` ("service.create") on entity_type/entity_id by the request's session
 * user. `changes` (stolen, may be NULL) holds field -> new value; callers put
 * "[redacted]" in place of any secret. */
apr_status_t kfm_audit(kfm_req *kr, ap_dbd_t *db, const char *action, const char *entity_type,
                      const char *entity_id, json_t *changes);

/* The same for requests without a session yet (register, verify, password reset). */
apr_status_t kfm_audit_as(kfm_req *kr, ap_dbd_t *db, const char *tenant_id, const char *user_id,
                         const char *action, const char *entity_type, const char *entity_id,
                         json_t *changes);

#endif
