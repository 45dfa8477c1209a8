/* Booking wizard and dashboard paths: classification and safe mapping to files (see kf_static.h). */
#include "kf_static.h"

#include <apr_file_info.h>
#include <apr_strings.h>
#include <string.h>

#define MAX_REL 1024
#define MAX_SEGMENT 100
#define MAX_SEGMENTS 16

/* Pages of their own: exact paths (no trailing slash, nothing below them). */
static const struct {
    const char *uri;
    const char *file;
} pages[] = {
    {"/verify-email", "account/verify-email.html"},
    {"/reset-password", "account/reset-password.html"},
};

kf_static_kind kf_static_classify(const char *uri, const char **rel)
{
    if (!uri) {
        return KF_STATIC_NONE;
    }
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        if (strcmp(uri, pages[i].uri) == 0) {
            if (rel) {
                *rel = pages[i].file;
            }
            return KF_STATIC_PAGE;
        }
    }
    if (strncmp(uri, "/connect-calendar/", 18) == 0 && uri[18] && !strchr(uri + 18, '/')) {
        /* the professional's invitation page: the invitation is read by its script */
        if (rel) {
            *rel = KF_STATIC_CONNECT_CALENDAR_FILE;
        }
        return KF_STATIC_PAGE;
    }
    if (strcmp(uri, KF_STATIC_EMBED_URI) == 0) {
        if (rel) {
            *rel = KF_STATIC_EMBED_FILE;
        }
        return KF_STATIC_EMBED;
    }
    if (strcmp(uri, "/book") == 0 || strncmp(uri, "/book/", 6) == 0) {
        return KF_STATIC_SHELL;
    }
    if (strcmp(uri, "/dashboard") == 0 || strncmp(uri, "/dashboard/", 11) == 0) {
        return KF_STATIC_DASHBOARD;
    }
    if (strncmp(uri, KF_STATIC_PREFIX, sizeof(KF_STATIC_PREFIX) - 1) == 0) {
        if (rel) {
            *rel = uri + sizeof(KF_STATIC_PREFIX) - 1;
        }
        return KF_STATIC_ASSET;
    }
    return KF_STATIC_NONE;
}

static int safe_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

int kf_static_rel_ok(const char *rel)
{
    if (!rel || !*rel || strlen(rel) > MAX_REL) {
        return 0;
    }
    int segments = 0;
    const char *s = rel;
    while (*s) {
        const char *end = strchr(s, '/');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        /* Empty segments ("//", leading or trailing "/") and dot-files (".", "..",
         * ".htaccess") are refused before any character check. */
        if (len == 0 || len > MAX_SEGMENT || s[0] == '.' || ++segments > MAX_SEGMENTS) {
            return 0;
        }
        for (size_t i = 0; i < len; i++) {
            if (!safe_char(s[i])) {
                return 0;
            }
        }
        if (!end) {
            break;
        }
        s = end + 1;
        if (!*s) {
            return 0;        /* trailing slash: a directory, never served */
        }
    }
    return 1;
}

static apr_status_t merge_under(apr_pool_t *p, const char *root, const char *rel,
                                const char **path)
{
    char *merged = NULL;
    if (!root || !*root) {
        return APR_EINVAL;
    }
    apr_status_t rv = apr_filepath_merge(&merged, root, rel,
                                         APR_FILEPATH_SECUREROOT, p);
    if (rv != APR_SUCCESS) {
        return APR_EINVAL;
    }
    *path = merged;
    return APR_SUCCESS;
}

apr_status_t kf_static_file(apr_pool_t *p, const char *root, const char *rel, const char **path)
{
    if (!kf_static_rel_ok(rel)) {
        return APR_EINVAL;
    }
    return merge_under(p, root, apr_pstrcat(p, "static/", rel, NULL), path);
}

apr_status_t kf_static_page_file(apr_pool_t *p, const char *root, const char *rel,
                                 const char **path)
{
    if (!kf_static_rel_ok(rel)) {
        return APR_EINVAL;
    }
    return merge_under(p, root, rel, path);
}

apr_status_t kf_static_shell_file(apr_pool_t *p, const char *root, kf_static_kind kind,
                                  const char **path)
{
    if (kind != KF_STATIC_SHELL && kind != KF_STATIC_DASHBOARD) {
        return APR_EINVAL;
    }
    return merge_under(p, root,
                       kind == KF_STATIC_SHELL ? KF_STATIC_SHELL_FILE : KF_STATIC_DASHBOARD_FILE,
                       path);
}

apr_status_t kf_static_answer(apr_pool_t *p, const char *root, kf_static_kind kind,
                              const char *rel, int platform_host, const char **file,
                              const char **cache_control)
{
    *cache_control = NULL;
    if (kind == KF_STATIC_SHELL || kind == KF_STATIC_DASHBOARD) {
        return kf_static_shell_file(p, root, kind, file);
    }
    if (kind == KF_STATIC_PAGE) {
        /* account pages live on the platform host only */
        return platform_host ? kf_static_page_file(p, root, rel, file) : APR_NOTFOUND;
    }
    if (kind == KF_STATIC_EMBED) {
        *cache_control = KF_STATIC_EMBED_CACHE;
    }
    return kf_static_file(p, root, rel, file);
}

#define PAGE_CSP_BUT_FRAMING                                                              \
    "default-src 'self'; script-src 'self'; img-src 'self' https: data:; "                \
    "style-src 'self' 'unsafe-inline'; connect-src 'self'; form-action 'self'; "          \
    "base-uri 'none'; object-src 'none'; frame-ancestors "

const char *kf_static_page_csp(apr_pool_t *p, const char *frame_ancestors)
{
    return apr_pstrcat(p, PAGE_CSP_BUT_FRAMING, frame_ancestors, NULL);
}

/* The first segments of /book paths that are not a link (app.js routes them). */
static const char *const not_links[] = {"me", "unsubscribe", "manage", "purchase", NULL};

const char *kf_static_book_link(apr_pool_t *p, const char *uri)
{
    if (!uri || strncmp(uri, "/book/", 6) != 0) {
        return NULL;
    }
    const char *link = uri + 6;
    const char *slash = strchr(link, '/');
    size_t len = slash ? (size_t)(slash - link) : strlen(link);
    if (len == 0 || (slash && strcmp(slash, "/") != 0 && strcmp(slash, "/confirmation") != 0 &&
                     strcmp(slash, "/assistant") != 0)) {
        return NULL;
    }
    const char *slug = apr_pstrmemdup(p, link, len);
    for (int i = 0; not_links[i]; i++) {
        if (strcmp(slug, not_links[i]) == 0) {
            return NULL;
        }
    }
    return slug;
}

const kf_static_header kf_static_page_headers[] = {
    {"Content-Security-Policy", PAGE_CSP_BUT_FRAMING "'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cache-Control", "no-cache"},
    {NULL, NULL},
};
