#ifndef KF_HOST_H
#define KF_HOST_H
/* Which tenant a request's Host header belongs to (API.md "Hosts and tenants").
 * Pure: the caller passes the Host header and KonfirmadoBaseDomain; the custom domains of
 * tenants live in the database, so a host outside the base domain is only named here and
 * the glue looks it up. */
#include <apr_pools.h>

typedef enum {
    KF_HOST_PLATFORM = 0, /* the base domain itself: every tenant's links */
    KF_HOST_TENANT,       /* {subdomain}.{base}: that tenant only */
    KF_HOST_REFUSED,      /* under the base domain but no tenant can have it (nested, bad
                             characters): nothing is served there */
    KF_HOST_OTHER         /* any other host: a tenant's custom domain, or unknown (404
                             unknown_host) */
} kf_host_kind;

/* Classifies `host` (a Host header: any case, optional :port, optional trailing dot,
 * IPv6 literals in brackets) against `base_domain`. *name gets (allocated from p) the
 * lower-cased subdomain label for KF_HOST_TENANT, the normalized host name (no port, no
 * trailing dot, lower case) for KF_HOST_OTHER — NULL when there is no usable name (no Host,
 * an IP literal) — and NULL otherwise. */
kf_host_kind kf_host_classify(apr_pool_t *p, const char *host, const char *base_domain,
                              const char **name);

/* A host name as custom domains are stored and looked up: lower case, without one trailing
 * dot (allocated from p). */
const char *kf_host_name_normalize(apr_pool_t *p, const char *name);

/* A tenant's own domain as PATCH /api/admin/tenant takes it (`custom_domain`): a DNS name
 * of 2 to 127 labels, 1..63 characters [a-z0-9-] each (any case: it is stored lower-cased),
 * no leading or trailing '-', at most 253 characters, a top-level label that is not all
 * digits (so no IP address), optionally one trailing dot. A name that is the base domain or
 * lies under it is the platform's: refused. NULL when acceptable, else the message id
 * "tenant_custom_domain_format" or "tenant_custom_domain_platform". */
const char *kf_custom_domain_check(const char *value, const char *base_domain);

#endif
