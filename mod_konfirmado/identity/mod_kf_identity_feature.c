/* The identity feature as the module sees it: statements. */
#include "mod_kf_identity_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_public_request.h"
#include "mod_kf_session.h"

static const kfm_sql *const statements[] = {
    kfm_session_sql, kfm_audit_sql, kfm_public_request_sql,
    NULL,
};

const kfm_feature kfm_identity_feature = {
    .name = "identity",
    .statements = statements,
};
