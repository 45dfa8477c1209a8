/* Attempt counters in PostgreSQL: see mod_kf_ratelimit_pg.h. */
#include "mod_kf_ratelimit_pg.h"

const kfm_sql kfm_ratelimit_sql[] = {
    /* the no-op update locks an existing row and returns it as it is; a new key gets an
     * empty row, which a rollback takes away again */
    {"kf_rl_lock",
     "INSERT INTO rate_limit_counters (key, started, count, expires_at)"
     " VALUES (%s, 0, 0, now())"
     " ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING started, count"},
    {"kf_rl_store",
     "INSERT INTO rate_limit_counters (key, started, count, expires_at)"
     " VALUES (%s, %s::bigint, %s::integer, to_timestamp(%s::bigint))"
     " ON CONFLICT (key) DO UPDATE SET started = EXCLUDED.started, count = EXCLUDED.count,"
     "   expires_at = EXCLUDED.expires_at"},
    {"kf_rl_read",
     "SELECT started, count FROM rate_limit_counters WHERE key = %s AND expires_at > now()"},
    {"kf_rl_forget", "DELETE FROM rate_limit_counters WHERE key = %s"},
    {NULL, NULL},
};

static apr_status_t connection(request_rec *r, ap_dbd_t **db, int *own)
{
    *own = 0;
    if (*db) {
        return APR_SUCCESS;
    }
    if (kfm_db_open_for_request(r, db) != KFM_DB_OK) {
        *db = NULL;
        return APR_EGENERAL;
    }
    *own = 1;
    return APR_SUCCESS;
}

apr_status_t kfm_rl_pg_begin(kfm_rl_pg *pg, request_rec *r, ap_dbd_t *db)
{
    pg->r = r;
    pg->db = db;
    pg->tx.open = 0;
    apr_status_t rv = connection(r, &pg->db, &pg->own);
    if (rv == APR_SUCCESS) {
        rv = kfm_db_begin(r, pg->db, &pg->tx);
    }
    if (rv != APR_SUCCESS && pg->own) {
        kfm_db_close(r->server, pg->db);
        pg->db = NULL;
        pg->own = 0;
    }
    return rv;
}

/* A counter's row (kf_rl_lock's and kf_rl_read's columns). */
enum { ROW_STARTED, ROW_COUNT, ROW_COLUMNS };

static void bucket_of(const char *const *v, kf_rl_bucket *b)
{
    apr_int64_t started = kfm_db_number(v[ROW_STARTED]);
    apr_int64_t count = kfm_db_number(v[ROW_COUNT]);
    b->start = started;
    b->count = count > 0 ? (unsigned int)count : 0;
}

apr_status_t kfm_rl_pg_lock(kfm_rl_pg *pg, const char *key, kf_rl_bucket *b)
{
    const char *args[] = {key};
    const char *v[ROW_COLUMNS];
    apr_status_t rv = kfm_db_select_row(pg->r, pg->db, pg->r->pool, "kf_rl_lock", 1, args, v,
                                        ROW_COLUMNS);
    if (rv == APR_SUCCESS) {
        bucket_of(v, b);
    }
    return rv == APR_NOTFOUND ? APR_EGENERAL : rv;
}

static apr_status_t store(request_rec *r, ap_dbd_t *db, const char *key, kf_rl_bucket b,
                          apr_int64_t until)
{
    const char *args[] = {key, kfm_db_int64(r->pool, b.start),
                          kfm_db_int64(r->pool, (apr_int64_t)b.count),
                          kfm_db_int64(r->pool, until)};
    int affected = 0;
    return kfm_db_exec(r, db, "kf_rl_store", &affected, 4, args);
}

apr_status_t kfm_rl_pg_save(kfm_rl_pg *pg, const char *key, kf_rl_bucket b, apr_int64_t until)
{
    return store(pg->r, pg->db, key, b, until);
}

apr_status_t kfm_rl_pg_end(kfm_rl_pg *pg, int keep)
{
    apr_status_t rv = APR_SUCCESS;
    if (keep) {
        rv = kfm_db_commit(pg->r, &pg->tx);
    }
    else {
        kfm_db_rollback(pg->r, &pg->tx);
    }
    if (pg->own) {
        kfm_db_close(pg->r->server, pg->db);
    }
    pg->db = NULL;
    pg->own = 0;
    return rv;
}

apr_status_t kfm_rl_pg_read(request_rec *r, ap_dbd_t *db, const char *key, kf_rl_bucket *b)
{
    int own;
    const char *args[] = {key};
    const char *v[ROW_COLUMNS];
    b->start = 0;
    b->count = 0;
    apr_status_t rv = connection(r, &db, &own);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = kfm_db_select_row(r, db, r->pool, "kf_rl_read", 1, args, v, ROW_COLUMNS);
    if (rv == APR_SUCCESS) {
        bucket_of(v, b);
    }
    if (own) {
        kfm_db_close(r->server, db);
    }
    return rv == APR_NOTFOUND ? APR_SUCCESS : rv;
}

apr_status_t kfm_rl_pg_remember(request_rec *r, ap_dbd_t *db, const char *key,
                                apr_int64_t until)
{
    int own;
    kf_rl_bucket fact = {apr_time_sec(apr_time_now()), 1};
    apr_status_t rv = connection(r, &db, &own);
    if (rv == APR_SUCCESS) {
        rv = store(r, db, key, fact, until);
        if (own) {
            kfm_db_close(r->server, db);
        }
    }
    return rv;
}

int kfm_rl_pg_remembers(request_rec *r, const char *key)
{
    kf_rl_bucket fact;
    return kfm_rl_pg_read(r, NULL, key, &fact) == APR_SUCCESS && fact.count > 0;
}

void kfm_rl_pg_forget(request_rec *r, const char *key)
{
    ap_dbd_t *db = NULL;
    int own, affected = 0;
    const char *args[] = {key};
    if (connection(r, &db, &own) == APR_SUCCESS) {
        kfm_db_exec(r, db, "kf_rl_forget", &affected, 1, args);
        if (own) {
            kfm_db_close(r->server, db);
        }
    }
}
