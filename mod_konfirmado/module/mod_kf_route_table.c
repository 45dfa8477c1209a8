/* The router's table (mod_kf_route_table.h). */
#include "mod_kf_route_table.h"
#include "mod_kf_counters.h"
#include "kf_route.h"

#include <apr_hash.h>

int kfm_route_table_make(apr_pool_t *p, server_rec *s, const kfm_feature *const *features,
                         kfm_route_table *table)
{
    apr_array_header_t *all = apr_array_make(p, 96, sizeof(kfm_endpoint));
    apr_hash_t *seen = apr_hash_make(p);
    for (int f = 0; features[f]; f++) {
        for (const kfm_endpoint *ep = features[f]->endpoints; ep && ep->route.method; ep++) {
            const char *key = apr_pstrcat(p, ep->route.method, " ", ep->route.pattern, NULL);
            if (apr_hash_get(seen, key, APR_HASH_KEY_STRING)) {
                ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: %s is declared "
                             "twice (feature %s)", key, features[f]->name);
                return !OK;
            }
            apr_hash_set(seen, key, APR_HASH_KEY_STRING, key);
            *(kfm_endpoint *)apr_array_push(all) = *ep;
        }
    }
    table->endpoints = (const kfm_endpoint *)all->elts;
    table->count = (apr_size_t)all->nelts;
    return OK;
}

const kfm_endpoint *kfm_route_table_find(const kfm_route_table *table, kfm_req *kr,
                                         int *reply)
{
    request_rec *r = kr->r;
    kf_route_match match;
    kf_route_result found = kf_route_find(r->pool, table->endpoints, table->count,
                                          sizeof(table->endpoints[0]), r->method, r->uri,
                                          &match);
    if (found == KF_ROUTE_NOT_FOUND) {
        *reply = kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
        return NULL;
    }
    if (found == KF_ROUTE_BAD_METHOD) {
        apr_table_setn(r->err_headers_out, "Allow", match.allow);
        *reply = kfm_reply_error(kr, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed");
        return NULL;
    }
    const kfm_endpoint *ep = &table->endpoints[match.index];
    apr_table_setn(r->notes, KFM_ROUTE_NOTE, ep->route.pattern);
    kr->params = match.params;
    return ep;
}
