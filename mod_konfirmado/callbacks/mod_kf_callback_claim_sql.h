#ifndef MOD_KF_CALLBACK_CLAIM_SQL_H
#define MOD_KF_CALLBACK_CLAIM_SQL_H
#include "mod_kf_sql.h"

/* Which due deliveries the callback job takes next (kf_cb_claim, mod_kf_callbacks.c, leases
 * them); a header of its own so that tests and bench/print_sql read its plan.
 *
 * Only the oldest due delivery of a booking (of a series: of the series), none of a booking in
 * flight (its events arrive in order, never two at once); per business, the oldest first and
 * no more than the limit less what is in flight; across businesses, each one's first before
 * anyone's second (so one slow merchant never holds the workers others need). Bounded whatever
 * the backlog (a merchant's endpoint down for an hour leaves thousands due): the businesses
 * with pending deliveries are found one index probe each, and of each only its oldest due
 * deliveries are read, four times the limit (enough for the bookings in flight or with several
 * due events to be passed over). The picked ones are found again by their id, still pending
 * and due once locked.
 * Args: the businesses of the deliveries in flight here (one entry per delivery), the
 * per-business limit, the bookings/purchases in flight, the per-business limit again, how
 * many to claim, each unseen by the planner (KFM_SQL_UNSEEN), so that a connection keeps
 * the generic plan instead of planning each of the job's ten and more claims a second. The
 * CTE `picked` (its ids), locked. */

/* What a delivery of alias `m` is about, whose deliveries go one at a time and in order: its
 * booking's series (API.md "Series, seats and teams": each occurrence's booking.paid in
 * order), its booking, or its purchase. */
#define KFM_CB_SUBJECT(m)                                                                   \
    "COALESCE((SELECT kf_sr.series_id FROM reservations kf_sr WHERE kf_sr.id = " m          \
    ".reservation_id), " m ".reservation_id, " m ".purchase_id)"

#define KFM_CB_PICKED_SQL                                                                   \
    "WITH RECURSIVE busy AS (SELECT b::uuid AS tenant_id, count(*) AS n"                    \
    "   FROM unnest(string_to_array(" KFM_SQL_UNSEEN("%s") ", ',')) b GROUP BY 1),"         \
    " pending AS ((SELECT tenant_id FROM merchant_callbacks WHERE status = 'pending'"       \
    "     ORDER BY tenant_id LIMIT 1)"                                                      \
    "   UNION ALL SELECT (SELECT m.tenant_id FROM merchant_callbacks m"                     \
    "     WHERE m.status = 'pending' AND m.tenant_id > t.tenant_id"                          \
    "     ORDER BY m.tenant_id LIMIT 1)"                                                    \
    "   FROM pending t WHERE t.tenant_id IS NOT NULL),"                                     \
    " oldest AS (SELECT d.id, d.tenant_id, d.next_attempt_at, d.subject,"                   \
    "     COALESCE(b.n, 0) AS busy"                                                         \
    "   FROM pending t LEFT JOIN busy b ON b.tenant_id = t.tenant_id,"                      \
    "   LATERAL (SELECT m.id, m.tenant_id, m.next_attempt_at,"                              \
    "       " KFM_CB_SUBJECT("m") " AS subject FROM merchant_callbacks m"                   \
    "     WHERE m.tenant_id = t.tenant_id AND m.status = 'pending'"                         \
    "     AND m.next_attempt_at <= now()"                                                   \
    "     ORDER BY m.next_attempt_at, m.id"                                                 \
    "     LIMIT 4 * " KFM_SQL_UNSEEN("%s::int") ") d),"                                     \
    " firsts AS (SELECT id, tenant_id, next_attempt_at, busy,"                              \
    "     row_number() OVER (PARTITION BY"                                                  \
    "     subject ORDER BY next_attempt_at, id) AS nth FROM oldest"                         \
    "   WHERE subject <> ALL (string_to_array(" KFM_SQL_UNSEEN("%s") ", ',')::uuid[])),"    \
    " ranked AS (SELECT id, busy, row_number() OVER (PARTITION BY tenant_id"                \
    "     ORDER BY next_attempt_at, id) AS n FROM firsts WHERE nth = 1),"                   \
    " picked AS (SELECT c.id FROM ranked f JOIN merchant_callbacks c ON c.id = f.id"        \
    "   WHERE f.n + f.busy <= " KFM_SQL_UNSEEN("%s::int") " AND c.status = 'pending'"       \
    "   AND c.next_attempt_at <= now()"                                                     \
    "   ORDER BY f.n, c.next_attempt_at LIMIT " KFM_SQL_UNSEEN("%s::int")                   \
    " FOR UPDATE OF c SKIP LOCKED)"

#endif
