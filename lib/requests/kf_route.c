#include "kf_route.h"

#include <string.h>
#include <apr_strings.h>

static const kf_route *route_at(const void *entries, apr_size_t i, apr_size_t entry_size)
{
    return (const kf_route *)((const char *)entries + i * entry_size);
}

/* Matches one pattern against a path segment by segment, capturing {name} segments. */
static int pattern_matches(apr_pool_t *p, const char *pattern, const char *path,
                           apr_table_t *params)
{
    const char *pp = pattern, *sp = path;

    while (*pp && *sp) {
        if (*pp != '/' || *sp != '/') {
            return 0;
        }
        pp++;
        sp++;
        const char *pend = strchr(pp, '/');
        const char *send = strchr(sp, '/');
        apr_size_t plen = pend ? (apr_size_t)(pend - pp) : strlen(pp);
        apr_size_t slen = send ? (apr_size_t)(send - sp) : strlen(sp);

        if (plen > 2 && pp[0] == '{' && pp[plen - 1] == '}') {
            if (slen == 0) {
                return 0;
            }
            if (params) {
                apr_table_setn(params, apr_pstrndup(p, pp + 1, plen - 2),
                               apr_pstrndup(p, sp, slen));
            }
        }
        else if (plen != slen || strncmp(pp, sp, plen) != 0) {
            return 0;
        }
        pp += plen;
        sp += slen;
    }
    return *pp == '\0' && *sp == '\0';
}

/* How many {name} captures a pattern has: of two that match a path, the one with fewer is
 * the more specific. */
static int captures(const char *pattern)
{
    int n = 0;
    for (const char *c = pattern; *c; c++) {
        n += *c == '{';
    }
    return n;
}

/* 1 when `allow` ("GET, HEAD, POST") lists name already. */
static int allows(const char *allow, const char *name)
{
    apr_size_t n = strlen(name);
    for (const char *at = allow; at && (at = strstr(at, name)); at += n) {
        if ((at == allow || at[-1] == ' ') && (at[n] == '\0' || at[n] == ',')) {
            return 1;
        }
    }
    return 0;
}

kf_route_result kf_route_find(apr_pool_t *p, const void *entries, apr_size_t count,
                              apr_size_t entry_size, const char *method, const char *path,
                              kf_route_match *match)
{
    const char *wanted = strcmp(method, "HEAD") == 0 ? "GET" : method;
    char *allow = NULL;
    const kf_route *best = NULL;

    match->params = apr_table_make(p, 2);
    match->allow = NULL;
    for (apr_size_t i = 0; i < count; i++) {
        const kf_route *route = route_at(entries, i, entry_size);
        if (!pattern_matches(p, route->pattern, path, NULL)) {
            continue;
        }
        if (strcmp(route->method, wanted) == 0) {
            /* a literal segment wins over a capture, whatever the order of the table */
            if (!best || captures(route->pattern) < captures(best->pattern)) {
                best = route;
                match->index = i;
            }
            continue;
        }
        const char *name = strcmp(route->method, "GET") == 0 ? "GET, HEAD" : route->method;
        if (!allows(allow, route->method)) {
            allow = allow ? apr_pstrcat(p, allow, ", ", name, NULL) : apr_pstrdup(p, name);
        }
    }
    if (best) {
        pattern_matches(p, best->pattern, path, match->params);
        return KF_ROUTE_FOUND;
    }
    if (allow) {
        match->allow = allow;
        return KF_ROUTE_BAD_METHOD;
    }
    return KF_ROUTE_NOT_FOUND;
}
