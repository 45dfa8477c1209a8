/* The booking wizard's and the dashboard's files: every /book/... path is the wizard's one
 * HTML shell (htdocs/book/index.html), every /dashboard/... path the dashboard's
 * (htdocs/dashboard/index.html), and /static/... are files below htdocs/static, both from
 * KonfirmadoHtdocs, on the platform host and on tenant hosts. The account pages the mails
 * link to (/verify-email, /reset-password: htdocs/account/NAME.html) are served on the
 * platform host only, where KonfirmadoPublicURL points; other hosts answer 404.
 *
 * The module maps the URL to a file itself (translate_name + map_to_storage, so no
 * <Directory> block is needed and nothing else of the file system is reachable) and then
 * leaves the response to httpd's default handler, which gives ETag, Last-Modified,
 * conditional requests and Range for free. Path safety is decided in lib/net/kf_static.c. */
#include "mod_kf_operations_feature.h"
#include "mod_kf_config.h"
#include "mod_kf_host.h"
#include "kf_static.h"
#include "kf_host.h"
#include "kf_embed_origins.h"

#include <apr_file_info.h>

/* Marks a request whose file this module chose (r->notes key). */
#define KFM_STATIC_NOTE "konfirmado-static"

const kfm_sql kfm_static_sql[] = {
    /* the sites the tenant of a link lets frame its booking pages (on a tenant's host, only
     * its own links) */
    {"kf_static_embed_origins",
     "SELECT array_to_json(t.embed_origins)::text FROM booking_links l"
     " JOIN tenants t ON t.id = l.tenant_id"
     " WHERE l.slug = %s AND t.subdomain IS NOT DISTINCT FROM coalesce(%s, t.subdomain)"},
    {NULL, NULL},
};

static void set_page_headers(request_rec *r)
{
    /* err_headers_out: kept on 304 and on error answers too. */
    for (const kf_static_header *h = kf_static_page_headers; h->name; h++) {
        apr_table_setn(r->err_headers_out, h->name, h->value);
    }
}

/* A link's booking pages may be framed by the sites its tenant lists (API.md "Replies,
 * embedding, outages"); any other page, or when the list cannot be read, by none. */
static void allow_framing(request_rec *r, ap_dbd_t *db, const char *tenant)
{
    const char *link = kf_static_book_link(r->pool, r->uri);
    const char *args[] = {link, tenant};
    const char *origins = NULL;
    if (!link || (!db && kfm_db_acquire(r, &db, NULL) != KFM_DB_OK) ||
        kfm_db_select_row(r, db, r->pool, "kf_static_embed_origins", 2, args, &origins, 1) !=
            APR_SUCCESS) {
        return;
    }
    const char *sources = kf_embed_frame_ancestors(r->pool, origins);
    if (strcmp(sources, "'none'") == 0) {
        return;
    }
    apr_table_setn(r->err_headers_out, "Content-Security-Policy",
                   kf_static_page_csp(r->pool, sources));
    /* X-Frame-Options has no way to name a site: it would forbid what the CSP allows */
    apr_table_unset(r->err_headers_out, "X-Frame-Options");
}

int kfm_static_translate(request_rec *r)
{
    const kfm_server_conf *conf = kfm_conf_get(r->server);
    const char *root = kfm_conf_htdocs(conf);
    const char *rel = NULL, *file = NULL;
    if (kfm_conf_engine(conf) != 1 || r->main || !root) {
        return DECLINED;
    }
    kf_static_kind kind = kf_static_classify(r->uri, &rel);
    if (kind == KF_STATIC_NONE) {
        return DECLINED;
    }
    /* A host that names no tenant serves no page either: the API handler answers it
     * (404 unknown_host, or 503 when a custom domain could not be looked up). */
    ap_dbd_t *db = NULL;
    const char *tenant = NULL;
    kfm_req_host host = kfm_host_resolve(r, conf, &db, &tenant);
    if (host == KFM_REQ_HOST_UNKNOWN || host == KFM_REQ_HOST_DB_DOWN) {
        r->handler = KFM_API_HANDLER;
        r->filename = apr_pstrcat(r->pool, "konfirmado:", r->uri, NULL);
        return OK;
    }
    set_page_headers(r);
    if (kind == KF_STATIC_SHELL) {
        allow_framing(r, db, tenant);
    }
    const char *cache = NULL;
    apr_status_t rv = kf_static_answer(r->pool, root, kind, rel, host == KFM_REQ_HOST_PLATFORM,
                                       &file, &cache);
    if (cache) {
        apr_table_setn(r->err_headers_out, "Cache-Control", cache);
    }
    if (rv != APR_SUCCESS) {
        return HTTP_NOT_FOUND;   /* unsafe or odd path: nothing to say about it */
    }
    r->filename = apr_pstrdup(r->pool, file);
    r->canonical_filename = r->filename;
    apr_table_setn(r->notes, KFM_STATIC_NOTE, "1");
    return OK;
}

/* Our files skip the directory walk (access is decided here, not by <Directory>); the
 * default handler needs r->finfo, and anything but a regular file is 404. */
int kfm_static_map_to_storage(request_rec *r)
{
    if (!apr_table_get(r->notes, KFM_STATIC_NOTE)) {
        return DECLINED;
    }
    if (apr_stat(&r->finfo, r->filename, APR_FINFO_MIN, r->pool) != APR_SUCCESS ||
        r->finfo.filetype != APR_REG) {
        return HTTP_NOT_FOUND;
    }
    return OK;
}
