/* A statement's one row (mod_kf_db.h): built on the adapter's own calls only, so that the
 * glue's Check suites run it against their stand-in database as well. */
#include "mod_kf_db.h"

apr_status_t kfm_db_select_row(request_rec *r, ap_dbd_t *db, apr_pool_t *p, const char *label,
                               int nargs, const char *const *args, const char **v, int ncols)
{
    kfm_rows *res = NULL;
    apr_status_t rv = kfm_db_select(r, db, label, &res, nargs, args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (kfm_db_rows(db, res) != 1) {
        return APR_NOTFOUND;
    }
    kfm_db_row(db, p, res, 0, v, ncols);
    return APR_SUCCESS;
}
