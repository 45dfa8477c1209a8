/* Counts shared by the children and drained by a job: see mod_kf_shared_tally.h. */
#include "mod_kf_shared_tally.h"
#include "kf_text.h"

#include <apr_shm.h>
#include <http_log.h>

kf_tally *kfm_shared_tally_make(apr_pool_t *pconf, server_rec *s, const char *what)
{
    apr_shm_t *shm = NULL;
    apr_status_t rv = apr_shm_create(&shm, sizeof(kf_tally), NULL, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     "mod_konfirmado: cannot create the shared counts of %s", what);
        return NULL;
    }
    kf_tally *tally = apr_shm_baseaddr_get(shm);
    memset(tally, 0, sizeof(*tally));
    return tally;
}

apr_status_t kfm_shared_tally_drain(kf_tally *tally, apr_pool_t *p, ap_dbd_t *db,
                                    const char *statement)
{
    kf_tally_taken t;
    if (!tally || kf_tally_take_texts(tally, p, &t) == 0) {
        return APR_SUCCESS;
    }
    const char *args[] = {kf_pg_array(p, t.keys), kf_pg_array(p, t.counts)};
    apr_status_t rv = kfm_db_exec(NULL, db, statement, NULL, 2, args);
    if (rv != APR_SUCCESS) {
        kf_tally_give_back(tally, &t);
    }
    return rv;
}
