/* The request's own database connection and a handler's way out of a transaction
 * (mod_kf_request.h). Kept apart from the rest of the request plumbing, which speaks to httpd
 * alone, so that the plumbing links without the database adapter (its Check suites in
 * tests/unit/test_glue_*.c run it on a stub of httpd). */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "mod_kf_db_read.h"

int kfm_rollback_and_reply(kfm_req *kr, kfm_tx *tx, int status, const char *code)
{
    kfm_db_rollback(kr->r, tx);
    return kfm_reply_error(kr, status, code);
}

void kfm_req_db_give_back(kfm_req *kr)
{
    if (kr->db_own && kr->db && kr->db_replica) {
        kfm_db_read_give_back(kr->db);
        kr->db = NULL;
    }
    else if (kr->db_own && kr->db) {
        kfm_db_close(kr->r->server, kr->db);   /* rolls back a transaction left open */
        kr->db = NULL;
    }
    kr->db_own = 0;
    kr->db_replica = 0;
}

static apr_status_t give_back_at_end(void *data)
{
    kfm_req_db_give_back(data);
    return APR_SUCCESS;
}

static void give_back_at_request_end(kfm_req *kr)
{
    if (!kr->db_cleanup) {
        apr_pool_cleanup_register(kr->r->pool, kr, give_back_at_end, apr_pool_cleanup_null);
        kr->db_cleanup = 1;
    }
}

static apr_status_t give_back_replica(void *data)
{
    kfm_db_read_give_back(data);
    return APR_SUCCESS;
}

ap_dbd_t *kfm_req_read_db(kfm_req *kr)
{
    if (!kr->read_db_asked) {
        kr->read_db_asked = 1;
        if (kfm_db_read_take(kr->r, &kr->read_db) == KFM_DB_OK) {
            apr_pool_cleanup_register(kr->r->pool, kr->read_db, give_back_replica,
                                      apr_pool_cleanup_null);
        }
    }
    return kr->read_db ? kr->read_db : kr->db;
}

int kfm_req_db_own_read(kfm_req *kr, int *rc)
{
    if (kr->db) {
        return 1;
    }
    if (kfm_db_read_take(kr->r, &kr->db) == KFM_DB_OK) {
        kr->db_own = 1;
        kr->db_replica = 1;
        give_back_at_request_end(kr);
        return 1;
    }
    return kfm_req_db_own(kr, rc);
}

int kfm_req_db_own(kfm_req *kr, int *rc)
{
    if (kr->db) {
        return 1;
    }
    kfm_db_state st = kfm_db_open_for_request(kr->r, &kr->db);
    if (st != KFM_DB_OK) {
        kr->db = NULL;
        if (rc) {
            *rc = kfm_reply_db_unavailable(kr, st);
        }
        return 0;
    }
    kr->db_own = 1;
    give_back_at_request_end(kr);
    return 1;
}
