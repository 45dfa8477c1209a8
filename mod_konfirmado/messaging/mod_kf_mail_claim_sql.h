#ifndef MOD_KF_MAIL_CLAIM_SQL_H
#define MOD_KF_MAIL_CLAIM_SQL_H
/* Which waiting mails the delivery job takes next (kf_mail_claim, mod_kf_mail.c, leases
 * them); a header of its own so that tests and bench/print_sql read its plan.
 *
 * The businesses take turns: each one's oldest due mail before a second one of any (sql/086:
 * the businesses with waiting mail are a skip over its index, one step each), so that one
 * business's burst does not hold back another's confirmation; mail of no business (the
 * operator's) counts as one business more. Rows another server's job is claiming are skipped.
 * The mails of one booking to one person go out in the order they were queued: one waits
 * while an earlier one (leased, or to be retried) is neither sent nor given up, so a run
 * takes at most the first of them. That earlier mail is looked for among the booking's own
 * (mail_outbox_reservation): its "neither sent nor given up" is written so that no index of
 * the waiting mail can serve it, as a plan made while the queue looked empty otherwise read
 * every waiting mail for each one claimed.
 * Args: how many of each business, how many in all. The CTEs `waiting` and `due` (its ids). */

/* The business a mail is claimed as: the same expression as sql/086's index. */
#define KFM_MAIL_BUSINESS(tenant) "COALESCE(" tenant ", '00000000-0000-0000-0000-000000000000'::uuid)"

#define KFM_MAIL_DUE_SQL                                                                    \
    "WITH RECURSIVE waiting(business) AS ("                                                 \
    "   (SELECT " KFM_MAIL_BUSINESS("tenant_id") " FROM mail_outbox"                        \
    "     WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY 1 LIMIT 1)"                  \
    "   UNION ALL"                                                                          \
    "   SELECT (SELECT " KFM_MAIL_BUSINESS("tenant_id") " FROM mail_outbox"                 \
    "     WHERE sent_at IS NULL AND failed_at IS NULL"                                      \
    "     AND " KFM_MAIL_BUSINESS("tenant_id") " > w.business ORDER BY 1 LIMIT 1)"          \
    "   FROM waiting w WHERE w.business IS NOT NULL),"                                      \
    " due AS (SELECT c.id FROM waiting w CROSS JOIN LATERAL ("                              \
    "   SELECT o.id, o.next_attempt_at FROM mail_outbox o"                                  \
    "   WHERE " KFM_MAIL_BUSINESS("o.tenant_id") " = w.business"                            \
    "   AND o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= now()"       \
    "   AND NOT EXISTS (SELECT 1 FROM mail_outbox e"                                        \
    "     WHERE o.reservation_id IS NOT NULL AND e.reservation_id = o.reservation_id"       \
    "     AND e.recipient = o.recipient AND coalesce(e.sent_at, e.failed_at) IS NULL"       \
    "     AND (e.created_at, e.id) < (o.created_at, o.id))"                                 \
    "   ORDER BY o.next_attempt_at LIMIT %s::int FOR UPDATE OF o SKIP LOCKED) c"            \
    "   WHERE w.business IS NOT NULL"                                                       \
    "   ORDER BY row_number() OVER (PARTITION BY w.business ORDER BY c.next_attempt_at),"   \
    "     c.next_attempt_at LIMIT %s::int)"

#endif
