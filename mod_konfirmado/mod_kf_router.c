/* The /api router (mod_kf_router.h): host, route, per-IP limit, the declared body,
 * connection, session, then the feature's handler. */
#include "mod_kf_router.h"
#include "mod_kf_route_table.h"
#include "mod_kf_host.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_db.h"
#include "mod_kf_session.h"
#include "kf_api_error.h"
#include "kf_origin.h"


/* Every feature's endpoints, and what runs after any handler, made in post_config
 * (children inherit them). */
static kfm_route_table table;
static apr_array_header_t *after_handlers;

int kfm_router_post_config(apr_pool_t *pconf, server_rec *s, const kfm_feature *const *features)
{
    after_handlers = apr_array_make(pconf, 2, sizeof(kfm_after_handler_fn));
    for (int f = 0; features[f]; f++) {
        if (features[f]->after_handler) {
            APR_ARRAY_PUSH(after_handlers, kfm_after_handler_fn) = features[f]->after_handler;
        }
    }
    return kfm_route_table_make(pconf, s, features, &table);
}

/* The refusals of what an endpoint needs of the request itself, before it is counted or its
 * body read: 0 when it passes, else the request answered (KFM_NEEDS_SAME_SITE,
 * KFM_NEEDS_JSON_IF_ANY). */
static int refused_up_front(kfm_req *kr, unsigned needs, int *rc)
{
    request_rec *r = kr->r;
    if ((needs & KFM_NEEDS_SAME_SITE) &&
        kf_request_cross_site(apr_table_get(r->headers_in, "Origin"),
                              apr_table_get(r->headers_in, "Sec-Fetch-Site"),
                              apr_table_get(r->headers_in, "Host"), ap_http_scheme(r),
                              kfm_conf_public_url(kr->conf))) {
        /* what a proxy in front may have changed (Host, the scheme) shows beside it */
        const char *origin = apr_table_get(r->headers_in, "Origin");
        const char *site = apr_table_get(r->headers_in, "Sec-Fetch-Site");
        const char *host = apr_table_get(r->headers_in, "Host");
        kfm_log(kr, APLOG_INFO, "cross-site request refused: Origin %s, Sec-Fetch-Site %s, Host %s",
                origin ? ap_escape_logitem(r->pool, origin) : "-",
                site ? ap_escape_logitem(r->pool, site) : "-",
                host ? ap_escape_logitem(r->pool, host) : "-");
        *rc = kfm_reply_error(kr, HTTP_FORBIDDEN, "forbidden_origin");
        return 1;
    }
    const char *type = apr_table_get(r->headers_in, "Content-Type");
    if ((needs & KFM_NEEDS_JSON_IF_ANY) && type && !kf_api_content_type_json(type)) {
        r->connection->keepalive = AP_CONN_CLOSE;
        *rc = kfm_reply_error(kr, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        return 1;
    }
    return 0;
}

static const kfm_limit_kind limit_of_charge[] = {
    [KFM_CHARGE_PUBLIC_READ] = KFM_LIMIT_PUBLIC_READ,
    [KFM_CHARGE_PUBLIC_HOLD] = KFM_LIMIT_PUBLIC_HOLD,
    [KFM_CHARGE_PUBLIC_BOOKING] = KFM_LIMIT_PUBLIC_BOOKING,
    [KFM_CHARGE_OAUTH_START] = KFM_LIMIT_OAUTH_START,
};

/* Claims /api/ URIs for the module so that no file-system mapping happens for them. */
int kfm_router_translate(request_rec *r)
{
    const kfm_server_conf *conf = kfm_conf_get(r->server);
    if (kfm_conf_engine(conf) != 1 || r->main || !r->uri) {
        return DECLINED;
    }
    if (strncmp(r->uri, "/api/", 5) != 0 && strcmp(r->uri, "/api") != 0) {
        return DECLINED;
    }
    r->handler = KFM_API_HANDLER;
    r->filename = apr_pstrcat(r->pool, "konfirmado:", r->uri, NULL);
    return OK;
}

int kfm_router_map_to_storage(request_rec *r)
{
    return r->handler && strcmp(r->handler, KFM_API_HANDLER) == 0 ? OK : DECLINED;
}

int kfm_router_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, KFM_API_HANDLER) != 0) {
        return DECLINED;
    }
    kfm_req *kr = kfm_req_make(r);
    /* every path of the module: a host that is neither the platform, a tenant subdomain,
     * nor a tenant's own domain serves nothing (no tenant's data, no login) */
    switch (kfm_host_resolve_request(kr)) {
    case KFM_REQ_HOST_UNKNOWN:
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "unknown_host");
    case KFM_REQ_HOST_DB_DOWN:
        return kfm_reply_db_unavailable(kr, KFM_DB_DOWN);
    default:
        break;
    }
    int rc = OK;
    const kfm_endpoint *ep = kfm_route_table_find(&table, kr, &rc);
    if (!ep) {
        return rc;
    }
    if (refused_up_front(kr, ep->needs, &rc)) {
        return rc;
    }
    apr_int64_t wait = ep->charge != KFM_CHARGE_NONE
                           ? kfm_limit_public(kr, limit_of_charge[ep->charge]) : 0;
    if (wait > 0) {
        return kfm_reply_too_many_requests(kr, wait);
    }
    if (ep->body_limit) {
        kr->body_limit = ep->body_limit;
    }
    /* the body before any connection: a malformed one is answered while the database is
     * down too */
    if ((ep->needs & KFM_NEEDS_JSON_OBJECT) && kfm_read_json(kr, &kr->body) != APR_SUCCESS) {
        return OK;
    }
    if ((ep->needs & KFM_NEEDS_OWN_DB) && !kfm_req_db_own(kr, &rc)) {
        return rc;
    }
    if (!kr->db && ((ep->needs & KFM_NEEDS_DB) || ep->auth != KFM_AUTH_PUBLIC)) {
        kfm_db_state st = kfm_db_acquire(r, &kr->db, NULL);
        if (st != KFM_DB_OK) {
            return kfm_reply_db_unavailable(kr, st);
        }
    }
    if (ep->auth != KFM_AUTH_PUBLIC) {
        kr->session = kfm_session_admit(kr, kr->db, ep->auth == KFM_AUTH_CSRF, &rc);
        if (!kr->session) {
            return rc;
        }
    }
    kr->leaves_availability = (ep->needs & KFM_LEAVES_AVAILABILITY) != 0;
    rc = ep->handler(kr);
    for (int i = 0; i < after_handlers->nelts; i++) {
        APR_ARRAY_IDX(after_handlers, i, kfm_after_handler_fn)(kr);
    }
    return rc;
}
