#ifndef MOD_KF_PRIVACY_RETENTION_SQL_H
#define MOD_KF_PRIVACY_RETENTION_SQL_H
/* The retention's look for abandoned bookings, apart so that bench/print_sql.c prints what the
 * module prepares (a test reads its plan). */

#define KFM_PRIVACY_BATCH "200"

/* cutoff, then the tombstones: bookings given up before being paid (no approved payment),
 * untouched since the cutoff, one row per tenant with how many it erased. Found by
 * reservations_abandoned (sql/083), whose rows are only given-up bookings not yet erased: the
 * job reads those, not the bookings table. */
#define KFM_PRIVACY_ABANDONED_ERASE_SQL                                                     \
    "WITH c AS (SELECT %s::timestamptz AS cutoff),"                                         \
    " due AS (SELECT r.tenant_id, r.id FROM reservations r, c"                              \
    "   WHERE r.status IN ('expired', 'failed') AND r.erased_at IS NULL"                    \
    "     AND r.customer_email IS NOT NULL AND r.updated_at <= c.cutoff"                    \
    "     AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.reservation_id = r.id"           \
    "                       AND p.approved_at IS NOT NULL)"                                 \
    "   ORDER BY r.updated_at LIMIT " KFM_PRIVACY_BATCH ")"                                 \
    " SELECT tenant_id, kf_erase_personal_data(tenant_id, array_agg(id), '{}', NULL, %s, %s, %s)" \
    " FROM due GROUP BY tenant_id"

#endif
