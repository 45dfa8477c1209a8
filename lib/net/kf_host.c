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

/* The length of a base domain without its trailing dot. */
static apr_size_t base_len(const char *base_domain)
{
    apr_size_t blen = strlen(base_domain);
    return blen && base_domain[blen - 1] == '.' ? blen - 1 : blen;
}

/* name (lower case, no trailing dot, len bytes) against the base: PLATFORM, TENANT (with
 * the label's length in *label_len), REFUSED, or OTHER. */
static kf_host_kind against_base(const char *name, apr_size_t len, const char *base_domain,
                                 apr_size_t *label_len)
{
    apr_size_t blen = base_len(base_domain);
    if (len == blen && strncasecmp(name, base_domain, blen) == 0) {
        return KF_HOST_PLATFORM;
    }
    if (len <= blen + 1 || name[len - blen - 1] != '.' ||
        strncasecmp(name + len - blen, base_domain, blen) != 0) {
        return KF_HOST_OTHER;
    }
    *label_len = len - blen - 1;
    if (memchr(name, '.', *label_len) || !is_subdomain_label(name, *label_len)) {
        return KF_HOST_REFUSED;
    }
    return KF_HOST_TENANT;
}

/* Digits and dots only: an address, which no tenant's domain can be. */
static int is_ipv4_literal(const char *name)
{
    return name[strspn(name, "0123456789.")] == '\0';
}

kf_host_kind kf_host_classify(apr_pool_t *p, const char *host, const char *base_domain,
                              const char **name)
{
    *name = NULL;
    if (!host || !*host || host[0] == '[') {
        return KF_HOST_OTHER;      /* no Host, or an IPv6 literal: no tenant's name */
    }
    /* strip the port, then one trailing dot, then lower-case */
    apr_size_t len = strcspn(host, ":");
    if (len && host[len - 1] == '.') {
        len--;
    }
    char *lower = apr_pstrmemdup(p, host, len);
    for (char *c = lower; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    apr_size_t label_len = 0;
    kf_host_kind kind = base_domain && *base_domain
                            ? against_base(lower, len, base_domain, &label_len)
                            : KF_HOST_OTHER;
    if (kind == KF_HOST_TENANT) {
        lower[label_len] = '\0';
        *name = lower;
    }
    else if (kind == KF_HOST_OTHER && len > 0 && !is_ipv4_literal(lower)) {
        *name = lower;
    }
    return kind;
}

const char *kf_custom_domain_check(const char *value, const char *base_domain)
{
    if (!value) {
        return "tenant_custom_domain_format";
    }
    apr_size_t len = strlen(value);
    if (len && value[len - 1] == '.') {
        len--;
    }
    if (len < 3 || len > 253) {
        return "tenant_custom_domain_format";
    }
    int labels = 0, all_digits = 1;
    apr_size_t start = 0;
    for (apr_size_t i = 0; i <= len; i++) {
        if (i < len && value[i] != '.') {
            char c = value[i];
            if (!(apr_isalnum(c) || c == '-') || (c & 0x80)) {
                return "tenant_custom_domain_format";
            }
            all_digits &= apr_isdigit(c) != 0;
            continue;
        }
        apr_size_t n = i - start;   /* the label value[start .. i) */
        if (n < 1 || n > 63 || value[start] == '-' || value[i - 1] == '-') {
            return "tenant_custom_domain_format";
        }
        labels++;
        if (i < len) {
            all_digits = 1;         /* only the last label's digits matter */
        }
        start = i + 1;
    }
    if (labels < 2 || all_digits) {
        return "tenant_custom_domain_format";
    }
    if (base_domain && *base_domain) {
        char lower[254];
        for (apr_size_t i = 0; i < len; i++) {
            lower[i] = (char)apr_tolower(value[i]);
        }
        apr_size_t label_len = 0;
        if (against_base(lower, len, base_domain, &label_len) != KF_HOST_OTHER) {
            return "tenant_custom_domain_platform";
        }
    }
    return NULL;
}

const char *kf_host_name_normalize(apr_pool_t *p, const char *name)
{
    apr_size_t len = strlen(name);
    if (len && name[len - 1] == '.') {
        len--;
    }
    char *out = apr_pstrmemdup(p, name, len);
    for (char *c = out; *c; c++) {
        *c = (char)apr_tolower(*c);
    }
    return out;
}
