/* Host -> tenant, with the custom-domain look-up: see mod_kf_host.h. */
#include "mod_kf_host.h"
#include "mod_kf_operations_feature.h"
#include "kf_host.h"

#include <apr_lib.h>

const kfm_sql kfm_host_sql[] = {
    {"kf_host_custom_domain",
     "SELECT subdomain FROM tenants WHERE custom_domain = %s AND subdomain IS NOT NULL"},
    {NULL, NULL},
};

static int is_ip_literal(const char *name)
{
    for (const char *c = name; *c; c++) {
        if (!apr_isdigit(*c) && *c != '.') {
            return 0;
        }
    }
    return 1;
}

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
    return !*name || is_ip_literal(*name) ? KFM_REQ_HOST_UNKNOWN : KFM_REQ_HOST_DB_DOWN;
}

static kfm_req_host custom_domain(request_rec *r, ap_dbd_t *db, const char *name,
                                  const char **subdomain)
{
    kfm_rows *res = NULL;
    const char *args[] = {name};
    if (kfm_db_select(r, db, "kf_host_custom_domain", &res, 1, args) != APR_SUCCESS) {
        return KFM_REQ_HOST_DB_DOWN;
    }
    if (kfm_db_rows(db, res) != 1) {
        return KFM_REQ_HOST_UNKNOWN;
    }
    *subdomain = kfm_db_value(db, r->pool, res, 0, 0);
    return KFM_REQ_HOST_TENANT;
}

kfm_req_host kfm_host_resolve(request_rec *r, const kfm_server_conf *conf, ap_dbd_t **db,
                            const char **subdomain)
{
    const char *name = NULL;
    kfm_req_host host = by_name(r, conf, &name, subdomain);
    if (host != KFM_REQ_HOST_DB_DOWN) {
        return host;
    }
    if (!*db && kfm_db_acquire(r, db, NULL) != KFM_DB_OK) {
        *db = NULL;
        return KFM_REQ_HOST_DB_DOWN;
    }
    return custom_domain(r, *db, name, subdomain);
}

kfm_req_host kfm_host_resolve_request(kfm_req *kr)
{
    const char *name = NULL;
    kfm_req_host host = by_name(kr->r, kr->conf, &name, &kr->host_tenant);
    if (host != KFM_REQ_HOST_DB_DOWN) {
        return host;
    }
    if (!kfm_req_db_own(kr, NULL)) {
        return KFM_REQ_HOST_DB_DOWN;
    }
    return custom_domain(kr->r, kr->db, name, &kr->host_tenant);
}
