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

kf_route_result kf_route_find(apr_pool_t *p, const void *entries, apr_size_t count,
                              apr_size_t entry_size, const char *method, const char *path,
                              kf_route_match *match)
{
    const char *wanted = strcmp(method, "HEAD") == 0 ? "GET" : method;
    char *allow = NULL;

    match->params = apr_table_make(p, 2);
    match->allow = NULL;
    for (apr_size_t i = 0; i < count; i++) {
        const kf_route *route = route_at(entries, i, entry_size);
        if (!pattern_matches(p, route->pattern, path, NULL)) {
            continue;
        }
        if (strcmp(route->method, wanted) == 0) {
            pattern_matches(p, route->pattern, path, match->params);
            match->index = i;
            return KF_ROUTE_FOUND;
        }
        const char *name = strcmp(route->method, "GET") == 0 ? "GET, HEAD" : route->method;
        allow = allow ? apr_pstrcat(p, allow, ", ", name, NULL) : apr_pstrdup(p, name);
    }
    if (allow) {
        match->allow = allow;
        return KF_ROUTE_BAD_METHOD;
    }
    return KF_ROUTE_NOT_FOUND;
}
