#ifndef MOD_KF_RATELIMIT_PG_H
#define MOD_KF_RATELIMIT_PG_H
/* The attempt counters in PostgreSQL (KonfirmadoRateLimitCache postgres; sql/046): one row
 * per counter key, shared by every child of every server on the database. An update runs in
 * one transaction that locks the counter's row as it reads it (kfm_rl_pg_lock), so that two
 * requests, wherever they run, never count over each other; the window arithmetic stays
 * lib/net/kf_ratelimit.c's, run by mod_kf_ratelimit.c between the read and the write. */
#include "mod_kf_config.h"
#include "mod_kf_db.h"
#include "kf_ratelimit.h"

extern const kfm_sql kfm_ratelimit_sql[];

/* The configuration value that keeps the counters in PostgreSQL. */
#define KFM_RATELIMIT_POSTGRES KFM_CONF_SOCACHE_POSTGRES

typedef struct kfm_rl_pg {
    request_rec *r;
    ap_dbd_t *db;
    int own;        /* a connection of its own, given back by kfm_rl_pg_end */
    kfm_tx tx;
} kfm_rl_pg;

/* Opens a transaction on `db` (the request's connection, outside any transaction of its
 * own), or when db is NULL on a connection taken for it and given back at its end: so no
 * pooled connection is held past it. APR_SUCCESS, or an error (logged). */
apr_status_t kfm_rl_pg_begin(kfm_rl_pg *pg, request_rec *r, ap_dbd_t *db);

/* The counter of `key` (an empty bucket when it has none), its row locked until the end. */
apr_status_t kfm_rl_pg_lock(kfm_rl_pg *pg, const char *key, kf_rl_bucket *b);

/* Writes the counter of `key`, kept until `until` (unix seconds). */
apr_status_t kfm_rl_pg_save(kfm_rl_pg *pg, const char *key, kf_rl_bucket b, apr_int64_t until);

/* Commits when `keep`, else rolls back (nothing written, locks released); gives back a
 * connection of its own. An error of the commit is returned. */
apr_status_t kfm_rl_pg_end(kfm_rl_pg *pg, int keep);

/* Without a transaction, each on `db` or a connection taken for the call: the counter of
 * `key` as stored (no lock); a fact kept until `until`, whether it is kept now, forgetting it. */
apr_status_t kfm_rl_pg_read(request_rec *r, ap_dbd_t *db, const char *key, kf_rl_bucket *b);
apr_status_t kfm_rl_pg_remember(request_rec *r, ap_dbd_t *db, const char *key,
                                apr_int64_t until);
int kfm_rl_pg_remembers(request_rec *r, const char *key);
void kfm_rl_pg_forget(request_rec *r, const char *key);

#endif
