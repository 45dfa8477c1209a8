#ifndef MOD_KF_OPERATIONS_COLUMNS_H
#define MOD_KF_OPERATIONS_COLUMNS_H
/* The columns the operations' statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_audit_list.h"
#include "kf_metrics_answer.h"

/* An entry of the audit list: kf_audit_list.h's KF_AUDIT_COL_*, from audit_log a and its
 * user u. */
#define KFM_AUDIT_COLUMNS(FIRST, NEXT)                                                      \
    FIRST(KF_AUDIT_COL_ID, "a.id")                                                          \
    NEXT(KF_AUDIT_COL_ACTION, "a.action")                                                   \
    NEXT(KF_AUDIT_COL_ENTITY_TYPE, "a.entity_type")                                         \
    NEXT(KF_AUDIT_COL_ENTITY_ID, "a.entity_id")                                             \
    NEXT(KF_AUDIT_COL_CHANGES, "a.changes::text")                                           \
    NEXT(KF_AUDIT_COL_USER_ID, "a.user_id")                                                 \
    NEXT(KF_AUDIT_COL_USER_EMAIL, "u.email")                                                \
    NEXT(KF_AUDIT_COL_IP, "host(a.ip)")                                                     \
    NEXT(KF_AUDIT_COL_USER_AGENT, "a.user_agent")                                           \
    NEXT(KF_AUDIT_COL_CREATED, KFM_SQL_RFC3339("a.created_at"))
KFM_SQL_ROW_CHECK(KFM_AUDIT_COLUMNS, KF_AUDIT_COLUMNS)

/* The figures of a range: kf_metrics_answer.h's KF_METRICS_COL_*, from the sums s, the
 * lead times, the webhooks' (wh) and callbacks' (cb) latencies and the range rg. */
#define KFM_METRICS_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(KF_METRICS_COL_VIEWED, "s.viewed")                                                \
    NEXT(KF_METRICS_COL_HELD, "s.held")                                                     \
    NEXT(KF_METRICS_COL_DETAILS, "s.details")                                               \
    NEXT(KF_METRICS_COL_STARTED, "s.started")                                               \
    NEXT(KF_METRICS_COL_APPROVED, "s.approved")                                             \
    NEXT(KF_METRICS_COL_PER_DAY,                                                            \
         "(SELECT string_agg(days.day || ',' || coalesce(pd.n, 0) || ',' ||"                \
         " coalesce(pd.amount, 0), ';' ORDER BY days.day) FROM days LEFT JOIN pd USING"     \
         " (day))")                                                                         \
    NEXT(KF_METRICS_COL_CANCELLED, "s.by_customer + s.by_merchant + s.by_system")           \
    NEXT(KF_METRICS_COL_RESCHEDULED, "s.rescheduled")                                       \
    NEXT(KF_METRICS_COL_LEAD_P50, "lead.p50")                                               \
    NEXT(KF_METRICS_COL_WEBHOOK_P50, "wh.q[1]")                                             \
    NEXT(KF_METRICS_COL_WEBHOOK_P95, "wh.q[2]")                                             \
    NEXT(KF_METRICS_COL_CALLBACK_P50, "cb.q[1]")                                            \
    NEXT(KF_METRICS_COL_CALLBACK_P95, "cb.q[2]")                                            \
    NEXT(KF_METRICS_COL_CURRENCY, "rg.currency")                                            \
    NEXT(KF_METRICS_COL_COMPLETED, "s.completed")                                           \
    NEXT(KF_METRICS_COL_NO_SHOWS, "s.no_shows")                                             \
    NEXT(KF_METRICS_COL_REVENUE,                                                            \
         "(SELECT string_agg(k || ':' || total, ';' ORDER BY k) FROM (SELECT e.key AS"      \
         " k, sum(e.value::bigint) AS total FROM x, jsonb_each_text(x.revenue) e GROUP"     \
         " BY 1) y)")                                                                       \
    NEXT(KF_METRICS_COL_REFUNDS,                                                            \
         "(SELECT string_agg(k || ':' || total, ';' ORDER BY k) FROM (SELECT e.key AS"      \
         " k, sum(e.value::bigint) AS total FROM x, jsonb_each_text(x.refunds) e GROUP"     \
         " BY 1) y)")                                                                       \
    NEXT(KF_METRICS_COL_BY_CUSTOMER, "s.by_customer")                                       \
    NEXT(KF_METRICS_COL_BY_MERCHANT, "s.by_merchant")                                       \
    NEXT(KF_METRICS_COL_BY_SYSTEM, "s.by_system")                                           \
    NEXT(KF_METRICS_COL_LEAD_AVG, "lead.mean")                                              \
    NEXT(KF_METRICS_COL_REMINDERS, "s.reminders")                                           \
    NEXT(KF_METRICS_COL_COMPLETED_REMINDED, "s.completed_reminded")                         \
    NEXT(KF_METRICS_COL_NO_SHOWS_REMINDED, "s.no_shows_reminded")                           \
    NEXT(KF_METRICS_COL_RATE_LIMITED, "(SELECT coalesce(sum(rate_limited), 0) FROM every)") \
    NEXT(KF_METRICS_COL_CALENDAR_FAILURES,                                                  \
         "(SELECT coalesce(sum(calendar_failures), 0) FROM xp)")                            \
    NEXT(KF_METRICS_COL_OAUTH_FAILURES,                                                     \
         "(SELECT coalesce(sum(oauth_failures), 0) FROM xp)")                               \
    NEXT(KF_METRICS_COL_ASSISTANT_OPENED, "s.a_opened")                                     \
    NEXT(KF_METRICS_COL_ASSISTANT_ANSWERED, "s.a_answered")                                 \
    NEXT(KF_METRICS_COL_ASSISTANT_SLOT_PICKED, "s.a_picked")                                \
    NEXT(KF_METRICS_COL_SEATS_BOOKED, "cl.booked")                                          \
    NEXT(KF_METRICS_COL_SEATS_OFFERED, "cl.places")
KFM_SQL_ROW_CHECK(KFM_METRICS_COLUMNS, KF_METRICS_COLUMNS)

#endif
