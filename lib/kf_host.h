#ifndef KF_HOST_H
#define KF_HOST_H
/* Which tenant a request's Host header belongs to (API.md "Hosts and tenants").
 * Pure: the caller passes the Host header and KonfirmadoBaseDomain. */
#include <apr_pools.h>

typedef enum {
    KF_HOST_PLATFORM = 0, /* the base domain itself, or any other host: every tenant's links */
    KF_HOST_TENANT,       /* {subdomain}.{base}: that tenant only */
    KF_HOST_REFUSED       /* under the base domain but no tenant can have it (nested, bad
                             characters): nothing is served there */
} kf_host_kind;

/* Classifies `host` (a Host header: any case, optional :port, optional trailing dot,
 * IPv6 literals in brackets) against `base_domain`. For KF_HOST_TENANT, *subdomain gets
 * the lower-cased label (allocated from p). NULL or empty host -> platform. */
kf_host_kind kf_host_classify(apr_pool_t *p, const char *host, const char *base_domain,
                              const char **subdomain);

#endif
