#ifndef MOD_KF_ROUTE_TABLE_H
#define MOD_KF_ROUTE_TABLE_H
/* The router's table: every feature's endpoints in one array, in the order of the features'
 * list and of each descriptor, and a request's method and path resolved to one of them. */
#include "mod_kf_feature.h"

typedef struct kfm_route_table {
    const kfm_endpoint *endpoints;
    apr_size_t count;
} kfm_route_table;

/* The table of `features` (NULL-terminated) in p. OK, or !OK after logging a method and
 * path declared twice. */
int kfm_route_table_make(apr_pool_t *p, server_rec *s, const kfm_feature *const *features,
                         kfm_route_table *table);

/* The endpoint of the request's method and path, its captures in kr->params and its pattern
 * in r->notes (KFM_ROUTE_NOTE); or NULL after answering 404 not_found, or 405
 * method_not_allowed with the path's methods in Allow (*reply is then the handler's
 * return). */
const kfm_endpoint *kfm_route_table_find(const kfm_route_table *table, kfm_req *kr,
                                         int *reply);

#endif
