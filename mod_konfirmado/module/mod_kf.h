#ifndef MOD_KF_H
#define MOD_KF_H
/* Common includes of the httpd glue. Only mod_konfirmado/ includes httpd headers. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include <apr_strings.h>

extern module AP_MODULE_DECLARE_DATA konfirmado_module;

/* mod_konfirmado.c declares the module with AP_DECLARE_MODULE, which already does this. */
#if defined(APLOG_USE_MODULE) && !defined(KFM_MODULE_MAIN)
APLOG_USE_MODULE(konfirmado);
#endif

struct kfm_server_conf;

/* Who runs a piece of glue: a request (r set), or a background job (r NULL: its server and
 * pool), with its server's configuration read once. Code shared by handlers and jobs takes
 * one of these; database calls take c->r as it is (NULL on a job's connection, see
 * kfm_db_open). */
typedef struct kfm_ctx {
    request_rec *r;
    server_rec *s;
    apr_pool_t *p;
    const struct kfm_server_conf *conf;
} kfm_ctx;

static inline kfm_ctx kfm_ctx_of_request(request_rec *r)
{
    kfm_ctx c = {r, r->server, r->pool,
                 ap_get_module_config(r->server->module_config, &konfirmado_module)};
    return c;
}

static inline kfm_ctx kfm_ctx_of_job(server_rec *s, apr_pool_t *p)
{
    kfm_ctx c = {NULL, s, p, ap_get_module_config(s->module_config, &konfirmado_module)};
    return c;
}

/* ap_log_rerror for a request, ap_log_error for a job. */
#define KFM_CTX_LOG(c, level, ...)                                                            \
    do {                                                                                     \
        if ((c)->r) {                                                                        \
            ap_log_rerror(APLOG_MARK, (level), 0, (c)->r, __VA_ARGS__);                      \
        }                                                                                    \
        else {                                                                               \
            ap_log_error(APLOG_MARK, (level), 0, (c)->s, __VA_ARGS__);                       \
        }                                                                                    \
    } while (0)

#endif
