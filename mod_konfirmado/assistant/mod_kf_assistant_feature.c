/* The booking assistant as the module sees it: endpoints, statements, directives and the
 * language model's shared counts. */
#include "mod_kf_assistant_feature.h"
#include "mod_kf_assistant_conf.h"
#include "mod_kf_assistant_gate.h"

static const kfm_sql *const statements[] = {
    kfm_assistant_sql,
    NULL,
};

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/public/links/{link}/assistant"}, kfm_handle_public_assistant,
     KFM_AUTH_PUBLIC, KFM_DB_ON_DEMAND | KFM_NEEDS_JSON_OBJECT | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_PUBLIC_READ, 8192},
    {{"POST", "/api/public/links/{link}/assistant/events"}, kfm_handle_public_assistant_event,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_NEEDS_JSON_OBJECT | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_PUBLIC_READ, 1024},
    KFM_ENDPOINTS_END,
};

const kfm_feature kfm_assistant_feature = {
    .name = "assistant",
    .endpoints = endpoints,
    .statements = statements,
    .directives = &kfm_assistant_conf_directives,
    .post_config = kfm_assistant_gate_post_config,
};
