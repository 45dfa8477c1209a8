/* A new child's first database connection, made ready in the background: see
 * mod_kf_db_warm.h. */
#include "mod_kf_db_warm.h"
#include "mod_kf_db.h"
#include "mod_kf_config.h"

#include <apr_thread_proc.h>

typedef struct warm_up {
    server_rec *servers;    /* the main server, then the virtual hosts */
    apr_pool_t *p;          /* the thread's: only it allocates there */
    apr_thread_t *thread;
} warm_up;

static void *APR_THREAD_FUNC warm_every_engine(apr_thread_t *thread, void *data)
{
    (void)thread;
    warm_up *w = data;
    for (server_rec *s = w->servers; s; s = s->next) {
        if (kfm_conf_engine(kfm_conf_get(s)) != 1) {
            continue;
        }
        /* made ready by kfm_db_open, which logs why it could not be; given back to the
         * pool at once, where the child's first request finds it */
        ap_dbd_t *db = NULL;
        if (kfm_db_open(s, w->p, &db) == KFM_DB_OK) {
            kfm_db_close(s, db);
        }
        apr_pool_clear(w->p);
    }
    return NULL;
}

static apr_status_t wait_for_warm_up(void *data)
{
    warm_up *w = data;
    apr_status_t ended = APR_SUCCESS;
    apr_thread_join(&ended, w->thread);
    return APR_SUCCESS;
}

void kfm_db_warm_child_init(apr_pool_t *pchild, server_rec *s)
{
    warm_up *w = apr_pcalloc(pchild, sizeof(*w));
    w->servers = s;
    apr_status_t rv = apr_pool_create(&w->p, pchild);
    if (rv == APR_SUCCESS) {
        rv = apr_thread_create(&w->thread, NULL, warm_every_engine, w, pchild);
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s, "mod_konfirmado: no thread to prepare "
                     "this child's first database connection: its first request does");
        return;
    }
    /* a pre-cleanup, so the thread has ended before mod_dbd's pool and w->p go */
    apr_pool_pre_cleanup_register(pchild, w, wait_for_warm_up);
}
