/* URL checks for directives and tenant settings (see kf_url.h). Pure functions. */
#include "kf_url.h"

#include <apr_strings.h>
#include <arpa/inet.h>          /* inet_pton: POSIX libc, for IP literals */
#include <string.h>

#define KF_URL_MAX 2048

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* s[0..n) equals the lowercase word w, ignoring ASCII case. */
static int word_eq(const char *s, apr_size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (apr_size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return 0;
    }
    return 1;
}

static int is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_unreserved(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Characters allowed as such in path and query (RFC 3986 pchar, '/', '?'); '%' apart. */
static int is_path_char(unsigned char c)
{
    return is_unreserved(c) || (c != 0 && strchr("!$&'()*+,;=:@/?", c) != NULL);
}

/* A DNS name: dot-separated labels of letters, digits and '-', 1..63 bytes each, no '-'
 * at either end of a label, at most 253 bytes, one trailing '.' allowed. */
static int valid_dns_name(const char *h, apr_size_t len)
{
    apr_size_t label = 0;

    if (len > 0 && h[len - 1] == '.')
        len--;
    if (len == 0 || len > 253)
        return 0;
    for (apr_size_t i = 0; i <= len; i++) {
        if (i == len || h[i] == '.') {
            if (label == 0 || label > 63 || h[i - 1] == '-')
                return 0;
            label = 0;
        } else if (is_alpha((unsigned char)h[i]) || is_digit((unsigned char)h[i])) {
            label++;
        } else if (h[i] == '-') {
            if (label == 0)
                return 0;
            label++;
        } else {
            return 0;
        }
    }
    return 1;
}

/* 1 when the last label of a host is all digits: then it must be an IPv4 address. */
static int looks_numeric(const char *h, apr_size_t len)
{
    apr_size_t i;

    if (len > 0 && h[len - 1] == '.')
        len--;
    i = len;
    while (i > 0 && h[i - 1] != '.')
        i--;
    if (i == len)
        return 0;
    for (; i < len; i++)
        if (!is_digit((unsigned char)h[i]))
            return 0;
    return 1;
}

const char *kf_url_check(apr_pool_t *p, const char *url, kf_url_policy policy)
{
    apr_size_t len = 0, i, auth_start, auth_end, host_start, host_end;
    const char *scheme_error = policy == KF_URL_ALLOW_HTTP
                               ? "scheme must be http or https" : "scheme must be https";
    char buf[64];

    if (url == NULL || url[0] == '\0')
        return "URL is empty";
    while (url[len] != '\0' && len <= KF_URL_MAX)
        len++;
    if (len > KF_URL_MAX)
        return "URL is longer than 2048 bytes";
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c <= 0x20 || c == 0x7F)
            return "URL contains whitespace or control characters";
        if (c >= 0x80)
            return "URL contains non-ASCII characters (percent-encode them)";
    }

    /* scheme ":" "//" */
    i = 0;
    if (is_alpha((unsigned char)url[0])) {
        while (is_alpha((unsigned char)url[i]) || is_digit((unsigned char)url[i])
               || url[i] == '+' || url[i] == '-' || url[i] == '.')
            i++;
    }
    if (i == 0 || url[i] != ':')
        return "URL must be absolute (scheme://host)";
    if (word_eq(url, i, "https")) {
        /* always fine */
    } else if (word_eq(url, i, "http")) {
        if (policy != KF_URL_ALLOW_HTTP)
            return scheme_error;
    } else {
        return scheme_error;
    }
    if (url[i + 1] != '/' || url[i + 2] != '/')
        return "URL must be absolute (scheme://host)";

    /* authority: up to the first '/', '?' or '#' */
    auth_start = i + 3;
    auth_end = auth_start;
    while (auth_end < len && url[auth_end] != '/' && url[auth_end] != '?'
           && url[auth_end] != '#')
        auth_end++;
    if (memchr(url + auth_start, '@', auth_end - auth_start) != NULL)
        return "userinfo is not allowed";

    host_start = auth_start;
    if (url[host_start] == '[') {
        const char *close = memchr(url + host_start, ']', auth_end - host_start);
        apr_size_t n;
        if (close == NULL)
            return "host is not a valid IPv6 address";
        host_end = (apr_size_t)(close - url) + 1;
        n = host_end - host_start - 2;
        if (n == 0 || n >= sizeof(buf))
            return "host is not a valid IPv6 address";
        memcpy(buf, url + host_start + 1, n);
        buf[n] = '\0';
        {
            unsigned char addr[16];
            if (inet_pton(AF_INET6, buf, addr) != 1)
                return "host is not a valid IPv6 address";
        }
        if (host_end < auth_end && url[host_end] != ':')
            return "host is not a valid IPv6 address";
    } else {
        const char *colon = memchr(url + host_start, ':', auth_end - host_start);
        apr_size_t n;
        host_end = colon ? (apr_size_t)(colon - url) : auth_end;
        n = host_end - host_start;
        if (n == 0)
            return "URL has no host";
        if (looks_numeric(url + host_start, n)) {
            unsigned char addr[4];
            if (n >= sizeof(buf))
                return "host is not a valid IPv4 address";
            memcpy(buf, url + host_start, n);
            buf[n] = '\0';
            if (inet_pton(AF_INET, buf, addr) != 1)
                return "host is not a valid IPv4 address";
        } else if (!valid_dns_name(url + host_start, n)) {
            return "host is not a valid DNS name";
        }
    }

    /* optional ":port", 1..65535 */
    if (host_end < auth_end) {
        apr_size_t k = host_end + 1;
        long port = 0;
        if (k == auth_end || auth_end - k > 5)
            return "port must be 1..65535";
        for (; k < auth_end; k++) {
            if (!is_digit((unsigned char)url[k]))
                return "port must be 1..65535";
            port = port * 10 + (url[k] - '0');
        }
        if (port < 1 || port > 65535)
            return "port must be 1..65535";
    }

    /* path and query */
    for (i = auth_end; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c == '#')
            return "fragment is not allowed";
        if (c == '%') {
            if (!is_hex((unsigned char)url[i + 1]) || !is_hex((unsigned char)url[i + 2]))
                return "bad percent-encoding";
            i += 2;
        } else if (!is_path_char(c)) {
            return "URL contains characters that must be percent-encoded";
        }
    }
    return NULL;
}

const char *kf_url_encode(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t len, o = 0;
    char *out;

    if (s == NULL)
        return "";
    len = strlen(s);
    out = apr_palloc(p, 3 * len + 1);
    for (apr_size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c)) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0x0F];
        }
    }
    out[o] = '\0';
    return out;
}

const char *kf_url_trim_slash(apr_pool_t *p, const char *url)
{
    apr_size_t len;

    if (url == NULL)
        return NULL;
    len = strlen(url);
    if (len > 0 && url[len - 1] == '/')
        len--;
    return apr_pstrmemdup(p, url, len);
}

const char *kf_url_host(apr_pool_t *p, const char *url)
{
    const char *start = url ? strstr(url, "://") : NULL;
    if (!start) {
        return NULL;
    }
    start += 3;
    apr_size_t n = strcspn(start, "/?#");
    const char *at = memchr(start, '@', n);
    if (at) {                       /* userinfo: the host comes after it */
        n -= (apr_size_t)(at + 1 - start);
        start = at + 1;
    }
    const char *end = start + n;
    if (*start == '[') {
        const char *close = memchr(start, ']', n);
        end = close ? close + 1 : end;
    }
    else {
        const char *colon = memchr(start, ':', n);
        end = colon ? colon : end;
    }
    return apr_pstrmemdup(p, start, (apr_size_t)(end - start));
}

const char *kf_url_path_for_log(apr_pool_t *p, const char *path)
{
    static const char *const secret_after[] = {"/connect-calendar/", "/api/public/invitations/"};
    if (!path) {
        return "-";
    }
    for (size_t i = 0; i < sizeof(secret_after) / sizeof(secret_after[0]); i++) {
        size_t n = strlen(secret_after[i]);
        if (strncmp(path, secret_after[i], n) == 0 && path[n] && path[n] != '/') {
            const char *rest = strchr(path + n, '/');
            return apr_pstrcat(p, secret_after[i], "***", rest ? rest : "", NULL);
        }
    }
    return path;
}

const char *kf_url_tenant_root(apr_pool_t *p, const char *public_url, const char *subdomain,
                               const char *base_domain)
{
    if (!public_url || !subdomain || !*subdomain || !base_domain || !*base_domain) {
        return NULL;
    }
    const char *rest;
    const char *scheme;
    if (strncmp(public_url, "https://", 8) == 0) {
        scheme = "https://";
        rest = public_url + 8;
    }
    else if (strncmp(public_url, "http://", 7) == 0) {
        scheme = "http://";
        rest = public_url + 7;
    }
    else {
        return NULL;
    }
    /* the port of the public URL's authority, if it has one (no IPv6 literal is a base domain) */
    size_t authority = strcspn(rest, "/?#");
    const char *colon = memchr(rest, ':', authority);
    const char *port = colon ? apr_pstrndup(p, colon, authority - (size_t)(colon - rest)) : "";
    return apr_pstrcat(p, scheme, subdomain, ".", base_domain, port, NULL);
}
