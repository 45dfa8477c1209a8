#ifndef MOD_KF_PURGE_SQL_H
#define MOD_KF_PURGE_SQL_H
/* The purge's look for hold leftovers, apart so that bench/print_sql.c prints what the module
 * prepares (a test reads its plan). */
#include "mod_kf_sql.h"

#define KFM_PURGE_BATCH 1000
#define KFM_PURGE_GRACE "now() - interval '1 day'"

/* A hold that expired or was released without becoming a booking: its token opens nothing
 * (a booking asked with it is hold_expired either way) and its client address counted only
 * while it was alive. Found by reservations_hold_leftovers (sql/083), whose rows are only
 * those: the purge reads what it clears, not the bookings table. The rows found are updated
 * by their ids as an array (= ANY): with `IN (subquery)` PostgreSQL planned a batch of 1,000
 * as a hash join over the whole table. */
#define KFM_PURGE_HOLD_LEFTOVERS_SQL                                                        \
    "WITH gone AS (UPDATE reservations SET hold_token_hash = NULL, client_ip = NULL"        \
    "   WHERE id = ANY (ARRAY(SELECT id FROM reservations WHERE status IN ('expired', 'cancelled')" \
    "     AND booking_token_hash IS NULL AND (hold_token_hash IS NOT NULL OR client_ip IS NOT NULL)" \
    "     AND updated_at < " KFM_PURGE_GRACE                                                \
    "     LIMIT " KFM_SQL_INT(KFM_PURGE_BATCH) " FOR UPDATE SKIP LOCKED)) RETURNING 1)"     \
    " SELECT count(*) FROM gone"

#endif
