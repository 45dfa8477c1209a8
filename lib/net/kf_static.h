#ifndef KF_STATIC_H
#define KF_STATIC_H
/* Which URL paths serve the booking wizard, the dashboard and the account pages, and how an asset path
 * maps to a file under KonfirmadoHtdocs without any way out of that folder. Pure logic: the glue
 * (mod_kf_static.c) only stats and hands the file to httpd's default handler. */
#include <apr_pools.h>

/* Every /book path is one HTML shell; the wizard reads the path itself. */
#define KF_STATIC_SHELL_FILE "book/index.html"
/* Every /dashboard path is the merchant dashboard's one HTML shell; its router reads the path. */
#define KF_STATIC_DASHBOARD_FILE "dashboard/index.html"
/* Assets are served below this URL prefix from the same-named folder of KonfirmadoHtdocs. */
#define KF_STATIC_PREFIX "/static/"
/* The script a merchant's site loads to embed the booking pages (API.md "Replies,
 * embedding, outages"): GET /embed.js, the file static/embed.js. */
#define KF_STATIC_EMBED_URI "/embed.js"
#define KF_STATIC_EMBED_FILE "embed.js"
/* It is loaded by every page of the merchant's site: cached a short while, then revalidated
 * (its ETag answers 304), so an upgrade reaches the sites within minutes. */
#define KF_STATIC_EMBED_CACHE "public, max-age=300"

typedef enum {
    KF_STATIC_NONE = 0,  /* not ours: /api, /, anything else */
    KF_STATIC_SHELL,     /* /book or /book/... : the wizard's HTML shell */
    KF_STATIC_ASSET,     /* /static/<rel> : a file below htdocs/static */
    KF_STATIC_DASHBOARD, /* /dashboard or /dashboard/... : the merchant dashboard's shell */
    KF_STATIC_EMBED,     /* /embed.js : the embedding script, *rel its file below htdocs/static */
    KF_STATIC_PAGE       /* a page of its own, on the platform host only: /verify-email and
                            /reset-password (the links of the account mails), and
                            /connect-calendar/{invitation} (a professional's invitation) */
} kf_static_kind;

/* Classifies an already-decoded URI path (without its query). For KF_STATIC_ASSET, *rel
 * (may be NULL) is the part after "/static/" (possibly empty or unsafe: kf_static_file
 * decides); for KF_STATIC_PAGE it is the page's file relative to htdocs (a constant). */
kf_static_kind kf_static_classify(const char *uri, const char **rel);

/* Is `rel` a safe relative asset path? Segments of 1..100 characters out of
 * [A-Za-z0-9._-], none starting with '.', at most 16 segments, no empty segment (so no
 * leading, trailing or doubled '/'), 1..1024 characters in all. */
int kf_static_rel_ok(const char *rel);

/* The file for a safe `rel` under root/static, merged with APR's SECUREROOT check as a
 * second barrier. Returns APR_SUCCESS and *path, or APR_EINVAL (unsafe: answer 404). */
apr_status_t kf_static_file(apr_pool_t *p, const char *root, const char *rel, const char **path);

/* A KF_STATIC_PAGE's file (`rel` as kf_static_classify gave it) under root. */
apr_status_t kf_static_page_file(apr_pool_t *p, const char *root, const char *rel,
                                 const char **path);

/* The shell file of a KF_STATIC_SHELL or KF_STATIC_DASHBOARD path under root. */
apr_status_t kf_static_shell_file(apr_pool_t *p, const char *root, kf_static_kind kind,
                                  const char **path);

/* The file a request of `kind` (and `rel`, kf_static_classify's) is answered with under
 * root, and the Cache-Control it carries (NULL: the pages' own): the shells, an account page
 * on the platform host only (platform_host 0: APR_NOTFOUND), the embedding script with
 * KF_STATIC_EMBED_CACHE, any other file below static/. APR_SUCCESS with *file, or an error
 * for an unsafe or odd path (answer 404). */
apr_status_t kf_static_answer(apr_pool_t *p, const char *root, kf_static_kind kind,
                              const char *rel, int platform_host, const char **file,
                              const char **cache_control);

/* The headers of every page and file served (name, value; NULL name ends): scripts and
 * styles only from this origin (the wizard has no inline script), tenant logos and service
 * images from any https host, nothing may frame us; and revalidation on every use
 * ("no-cache" with ETag/Last-Modified answers 304 in one round trip): assets are plain files
 * imported by relative module paths with no build step to version their names, so a long
 * max-age could mix old and new modules after an upgrade. */
typedef struct kf_static_header {
    const char *name, *value;
} kf_static_header;
extern const kf_static_header kf_static_page_headers[];

/* The Content-Security-Policy of those pages with another `frame-ancestors` source list
 * (kf_embed_frame_ancestors: a tenant's embed origins, or "'none'"). */
const char *kf_static_page_csp(apr_pool_t *p, const char *frame_ancestors);

/* The link a booking page of a URI shows, when a merchant's site may frame that page: the
 * wizard (with its package purchase), its confirmation and its assistant, /book/{link}
 * [/confirmation|/assistant]. NULL for any other path (the customer's portal, a booking's
 * or a purchase's own page, the dashboard: never framed). */
const char *kf_static_book_link(apr_pool_t *p, const char *uri);

#define KF_STATIC_CONNECT_CALENDAR_FILE "account/connect-calendar.html"

#endif
