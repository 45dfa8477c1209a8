/* Host -> tenant, with the custom-domain look-up: see mod_kf_host.h. */
#include "mod_kf_host.h"
#include "mod_kf_operations_feature.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_operations_conf.h"
#include "kf_host.h"


const kfm_sql kfm_host_sql[] = {
    {"kf_host_custom_domain",
     "SELECT subdomain FROM tenants WHERE custom_domain = %s AND subdomain IS NOT NULL"
     "  AND custom_domain_verified_at IS NOT NULL"},   /* proved: see kf_domain_proof.h */
    {NULL, NULL},
};

/* The host's tenant when its name alone says (KFM_REQ_HOST_DB_DOWN: a custom domain, *name
 * to look up). */
static kfm_req_host by_name(request_rec *r, const kfm_server_conf *conf, const char **name,
                            const char **subdomain)
{
    *subdomain = NULL;
    switch (kf_host_classify(r->pool, apr_table_get(r->headers_in, "Host"),
                             kfm_conf_base_domain(conf), name)) {
    case KF_HOST_PLATFORM:
        return KFM_REQ_HOST_PLATFORM;
    case KF_HOST_TENANT:
        *subdomain = *name;
        return KFM_REQ_HOST_TENANT;
    case KF_HOST_REFUSED:
        return KFM_REQ_HOST_UNKNOWN;
    case KF_HOST_OTHER:
        break;
    }
    return *name ? KFM_REQ_HOST_DB_DOWN : KFM_REQ_HOST_UNKNOWN;
}

static kfm_req_host custom_domain(request_rec *r, ap_dbd_t *db, const char *name,
                                  const char **subdomain)
{
    const char *args[] = {name};
    apr_status_t rv = kfm_db_select_row(r, db, r->pool, "kf_host_custom_domain", 1, args,
                                        subdomain, 1);
    return rv == APR_SUCCESS ? KFM_REQ_HOST_TENANT
           : rv == APR_NOTFOUND ? KFM_REQ_HOST_UNKNOWN : KFM_REQ_HOST_DB_DOWN;
}

/* A custom domain's look-up, bounded: a name no tenant had a moment ago is not asked of the
 * database again, and look-ups are charged to the client and given back when they find a
 * tenant (past the limit, a client's names are unknown until its minute ends). The
 * connection comes from `connect` (NULL: none, KFM_REQ_HOST_DB_DOWN). */
typedef ap_dbd_t *(*host_db_fn)(void *data);

static kfm_req_host bounded_look_up(request_rec *r, const kfm_server_conf *conf,
                                    const char *name, host_db_fn connect, void *data,
                                    const char **subdomain)
{
    const char *unknown = kf_rl_unknown_host_key(r->pool, name);
    if (kfm_limit_remembers(r, unknown)) {
        return KFM_REQ_HOST_UNKNOWN;
    }
    kfm_limit lookup = {kf_rl_client_key(r->pool, KF_RL_UNKNOWN_HOST, kfm_limit_network(r, conf)),
                        KFM_LIMIT_UNKNOWN_HOST};
    if (kfm_limit_take_r(r, conf, &lookup, 1) > 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "host look-up refused: limit of unknown "
                      "hosts reached");
        return KFM_REQ_HOST_UNKNOWN;
    }
    ap_dbd_t *db = connect(data);
    kfm_req_host found = db ? custom_domain(r, db, name, subdomain) : KFM_REQ_HOST_DB_DOWN;
    if (found == KFM_REQ_HOST_UNKNOWN) {
        kfm_limit_remember(r, db, unknown, kfm_operations_conf_unknown_host_cache(
                                           kfm_operations_conf_of(r->server)));
    }
    else {
        kfm_limit_refund_r(r, conf, db, &lookup, 1);
    }
    return found;
}

typedef struct {
    request_rec *r;
    ap_dbd_t **db;
} pooled;

static ap_dbd_t *acquired(void *data)
{
    pooled *p = data;
    if (!*p->db && kfm_db_acquire(p->r, p->db, NULL) != KFM_DB_OK) {
        *p->db = NULL;
    }
    return *p->db;
}

kfm_req_host kfm_host_resolve(request_rec *r, const kfm_server_conf *conf, ap_dbd_t **db,
                            const char **subdomain)
{
    const char *name = NULL;
    kfm_req_host host = by_name(r, conf, &name, subdomain);
    if (host != KFM_REQ_HOST_DB_DOWN) {
        return host;
    }
    pooled p = {r, db};
    return bounded_look_up(r, conf, name, acquired, &p, subdomain);
}

static ap_dbd_t *owned(void *data)
{
    kfm_req *kr = data;
    return kfm_req_db_own(kr, NULL) ? kr->db : NULL;
}

kfm_req_host kfm_host_resolve_request(kfm_req *kr)
{
    const char *name = NULL;
    kfm_req_host host = by_name(kr->r, kr->conf, &name, &kr->host_tenant);
    if (host != KFM_REQ_HOST_DB_DOWN) {
        return host;
    }
    return bounded_look_up(kr->r, kr->conf, name, owned, kr, &kr->host_tenant);
}

void kfm_host_known(request_rec *r, const char *name)
{
    kfm_limit_forget(r, kf_rl_unknown_host_key(r->pool, name));
}
