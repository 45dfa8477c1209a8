#include "kf_host.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

/* Tenant subdomains are [a-z0-9-]{3,63} (sql/002_accounts.sql). */
static int is_subdomain_label(const char *s, apr_size_t len)
{
    if (len < 3 || len > 63) {
        return 0;
    }
    for (apr_size_t i = 0; i < len; i++) {
        if (!(apr_islower(s[i]) || apr_isdigit(s[i]) || s[i] == '-')) {
            return 0;
        }
    }
    return 1;
}

kf_host_kind kf_host_classify(apr_pool_t *p, const char *host, const char *base_domain,
                              const char **subdomain)
{
    *subdomain = NULL;
    if (!host || !*host || !base_domain || !*base_domain || host[0] == '[') {
        return KF_HOST_PLATFORM;   /* IPv6 literal or nothing: not a name under the base */
    }
    /* strip the port, then one trailing dot, then lower-case */
    apr_size_t len = strcspn(host, ":");
    if (len && host[len - 1] == '.') {
        len--;
    }
    char *name = apr_pstrmemdup(p, host, len);
    for (char *c = name; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    apr_size_t blen = strlen(base_domain);
    if (blen && base_domain[blen - 1] == '.') {
        blen--;
    }
    if (len == blen && strncasecmp(name, base_domain, blen) == 0) {
        return KF_HOST_PLATFORM;
    }
    if (len <= blen + 1 || name[len - blen - 1] != '.' ||
        strncasecmp(name + len - blen, base_domain, blen) != 0) {
        return KF_HOST_PLATFORM;   /* another host: a custom domain or an IP */
    }
    apr_size_t label_len = len - blen - 1;
    if (memchr(name, '.', label_len) || !is_subdomain_label(name, label_len)) {
        return KF_HOST_REFUSED;
    }
    name[label_len] = '\0';
    *subdomain = name;
    return KF_HOST_TENANT;
}
