#ifndef MOD_KF_PRIVACY_RETENTION_SQL_H
#define MOD_KF_PRIVACY_RETENTION_SQL_H
/* The retention's looks for bookings past their business's retention and for abandoned
 * bookings, apart so that bench/print_sql.c prints what the module prepares (a test reads
 * their plans, bench/run times them). */

#define KFM_PRIVACY_BATCH "200"

/* months, booking cutoff, purchase cutoff, then the tombstones (name, address, phone): one row
 * per tenant that had something due, with how many bookings it erased (the function locks the
 * rows; two servers erasing one row erase it the same) */
#define KFM_PRIVACY_RETENTION_ERASE_SQL                                                     \
    "WITH c AS (SELECT %s::int AS months, %s::timestamptz AS booking_cutoff,"               \
    "  %s::timestamptz AS purchase_cutoff)"                                                 \
    " SELECT t.id, kf_erase_personal_data(t.id,"                                            \
    "   ARRAY(SELECT id FROM reservations WHERE tenant_id = t.id AND erased_at IS NULL"     \
    "     AND customer_email IS NOT NULL AND ends_at <= c.booking_cutoff"                   \
    "     ORDER BY ends_at LIMIT " KFM_PRIVACY_BATCH "),"                                   \
    "   ARRAY(SELECT id FROM purchases WHERE tenant_id = t.id AND erased_at IS NULL"        \
    "     AND coalesce(expires_at, pay_by) <= c.purchase_cutoff"                            \
    "     ORDER BY id LIMIT " KFM_PRIVACY_BATCH "),"                                        \
    "   NULL, %s, %s, %s)"                                                                  \
    " FROM c, tenants t WHERE t.data_retention_months = c.months"                           \
    "  AND (EXISTS (SELECT 1 FROM reservations WHERE tenant_id = t.id AND erased_at IS NULL" \
    "        AND customer_email IS NOT NULL AND ends_at <= c.booking_cutoff)"               \
    "    OR EXISTS (SELECT 1 FROM purchases WHERE tenant_id = t.id AND erased_at IS NULL"   \
    "        AND coalesce(expires_at, pay_by) <= c.purchase_cutoff))"

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
