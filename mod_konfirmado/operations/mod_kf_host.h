#ifndef MOD_KF_HOST_H
#define MOD_KF_HOST_H
/* Which tenant a request's Host names (API.md "Hosts and tenants"): the platform host, a
 * tenant subdomain, or a tenant's own domain (`custom_domain`, looked up in the database);
 * any other host is answered 404 unknown_host on every path of the module. The rule on
 * names is lib/net/kf_host.c; this file adds the database look-up, a name it did not find
 * remembered for KonfirmadoUnknownHostCache seconds, and the look-ups that find nothing
 * limited per client (KonfirmadoUnknownHostLimit: past it, unknown_host without one). */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "mod_kf_config.h"


/* The handler name of every request the API router answers (mod_kf_router.c). */
#define KFM_API_HANDLER "konfirmado-api"

typedef enum {
    KFM_REQ_HOST_PLATFORM = 0,
    KFM_REQ_HOST_TENANT,      /* *subdomain set */
    KFM_REQ_HOST_UNKNOWN,     /* answer 404 unknown_host */
    KFM_REQ_HOST_DB_DOWN      /* a custom domain could not be looked up: answer 503 */
} kfm_req_host;

/* Resolves r's Host; a custom domain is looked up on *db (acquired here when NULL). */
kfm_req_host kfm_host_resolve(request_rec *r, const kfm_server_conf *conf, ap_dbd_t **db,
                            const char **subdomain);

/* The same for the API router: kr->host_tenant set, a custom domain looked up on a
 * connection of the request's own (kfm_req_db_own), which a handler that waits on another
 * server can give back as on any other host. */
kfm_req_host kfm_host_resolve_request(kfm_req *kr);

/* A host name that has a tenant now (a custom domain just proved): the look-ups that found
 * nothing for it are forgotten, so it is served at once (on this server's counters' store;
 * another server's forgets within KonfirmadoUnknownHostCache). */
void kfm_host_known(request_rec *r, const char *name);

#endif
