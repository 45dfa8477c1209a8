#ifndef MOD_KF_ROUTER_H
#define MOD_KF_ROUTER_H
/* The /api router: one table made of every feature's endpoints. Unknown paths answer 404
 * not_found; a known path with another method answers 405 method_not_allowed with an Allow
 * header. */
#include "mod_kf_feature.h"

/* post_config (both passes): the table, from the features' descriptors. OK, or !OK after
 * logging (a path declared twice with one method). */
int kfm_router_post_config(apr_pool_t *pconf, server_rec *s, const kfm_feature *const *features);

/* The translate_name/map_to_storage/handler hooks that route /api/ to the table. */
int kfm_router_translate(request_rec *r);
int kfm_router_map_to_storage(request_rec *r);
int kfm_router_handler(request_rec *r);

#endif
