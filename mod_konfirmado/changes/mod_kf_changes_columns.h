#ifndef MOD_KF_CHANGES_COLUMNS_H
#define MOD_KF_CHANGES_COLUMNS_H
/* The columns a booking's changes read, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_attendance.h"
#include "kf_cancel.h"
#include "kf_pay_again.h"
#include "kf_reschedule.h"

/* The facts a cancellation's decision needs: kf_cancel.h's KF_CANCEL_COL_*, from the
 * booking r, its tenant t, its approved payment p and that payment's transactions x. */
#define KFM_CANCEL_COLUMNS(FIRST, NEXT)                                                     \
    FIRST(KF_CANCEL_COL_ID, "r.id")                                                         \
    NEXT(KF_CANCEL_COL_STATUS, "r.status")                                                  \
    NEXT(KF_CANCEL_COL_TENANT, "r.tenant_id")                                               \
    NEXT(KF_CANCEL_COL_PROFESSIONAL, "r.professional_id")                                   \
    NEXT(KF_CANCEL_COL_BEFORE_CUTOFF, KFM_SQL_BEFORE_CUTOFF("r", "t.cancel_cutoff_hours"))  \
    NEXT(KF_CANCEL_COL_POLICY, "t.refund_on_cancel")                                        \
    NEXT(KF_CANCEL_COL_PAYMENT, "p.id")                                                     \
    /* of a series' occurrence, its share of the series' payment (its own charge_amount) */ \
    NEXT(KF_CANCEL_COL_PAID, "CASE WHEN r.series_id IS NULL THEN coalesce(p.amount, 0)"      \
                             " ELSE least(coalesce(p.amount, 0), coalesce(r.charge_amount, 0))" \
                             " END")                                                        \
    NEXT(KF_CANCEL_COL_CURRENCY, "coalesce(p.currency, r.currency, t.currency)")            \
    NEXT(KF_CANCEL_COL_REFUNDED, "p.refund_amount")                                         \
    NEXT(KF_CANCEL_COL_START, KFM_SQL_RFC3339("r.starts_at"))                               \
    NEXT(KF_CANCEL_COL_END, KFM_SQL_RFC3339("r.ends_at"))                                   \
    NEXT(KF_CANCEL_COL_PROVIDER, "p.provider")                                              \
    NEXT(KF_CANCEL_COL_REFUND_STATUS, "p.refund_status")                                    \
    NEXT(KF_CANCEL_COL_TAKEN, "CASE WHEN r.series_id IS NULL"                                \
                              " THEN coalesce(x.taken, p.amount, 0)"                         \
                              " ELSE least(coalesce(p.amount, 0), coalesce(r.charge_amount, 0))" \
                              " END")                                                       \
    NEXT(KF_CANCEL_COL_GIVEN, "CASE WHEN r.series_id IS NULL THEN coalesce(x.given, 0)"      \
                              " ELSE 0 END")                                                \
    NEXT(KF_CANCEL_COL_PAYMENT_AMOUNT, "coalesce(p.amount, 0)")                              \
    NEXT(KF_CANCEL_COL_SERIES, "r.series_id IS NOT NULL")                                    \
    NEXT(KF_CANCEL_COL_PAYMENT_GIVEN, "coalesce(x.given, 0)")
KFM_SQL_ROW_CHECK(KFM_CANCEL_COLUMNS, KF_CANCEL_COL_COUNT)

/* The facts a reschedule's decision needs: kf_reschedule.h's KF_RESCHED_COL_*, from the
 * booking r, its tenant t and its link l. */
#define KFM_RESCHED_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(KF_RESCHED_COL_ID, "r.id")                                                        \
    NEXT(KF_RESCHED_COL_STATUS, "r.status")                                                 \
    NEXT(KF_RESCHED_COL_TENANT, "r.tenant_id")                                              \
    NEXT(KF_RESCHED_COL_SERVICE, "r.service_id")                                            \
    NEXT(KF_RESCHED_COL_PROFESSIONAL, "r.professional_id")                                  \
    NEXT(KF_RESCHED_COL_BEFORE_CUTOFF,                                                      \
         KFM_SQL_BEFORE_CUTOFF("r", "t.reschedule_cutoff_hours"))                           \
    NEXT(KF_RESCHED_COL_LEFT, "t.max_reschedules - r.reschedule_count")                     \
    NEXT(KF_RESCHED_COL_LINK, "l.slug")                                                     \
    NEXT(KF_RESCHED_COL_SUBDOMAIN, "t.subdomain")                                           \
    NEXT(KF_RESCHED_COL_SERIES_INDEX, "r.series_index")                                     \
    NEXT(KF_RESCHED_COL_SERIES_RULE,                                                        \
         "(SELECT s.series::text FROM services s WHERE s.id = r.service_id)")              \
    NEXT(KF_RESCHED_COL_STARTS_AT, "extract(epoch FROM r.starts_at)::bigint")
KFM_SQL_ROW_CHECK(KFM_RESCHED_COLUMNS, KF_RESCHED_COL_COUNT)

/* Those facts read: the booking r, its tenant t and its link l (a WHERE follows). */
#define KFM_RESCHED_FACTS                                                                   \
    "SELECT " KFM_SQL_COLUMNS(KFM_RESCHED_COLUMNS)                                          \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id"                             \
    " LEFT JOIN booking_links l ON l.id = r.link_id"

/* The hold a booking moves to (or is paid again with): kf_reschedule.h's
 * KF_RESCHED_HOLD_COL_*. */
#define KFM_RESCHED_HOLD_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KF_RESCHED_HOLD_COL_ID, "r.id")                                                   \
    NEXT(KF_RESCHED_HOLD_COL_SERVICE, "r.service_id")                                       \
    NEXT(KF_RESCHED_HOLD_COL_TENANT, "r.tenant_id")                                         \
    NEXT(KF_RESCHED_HOLD_COL_PROFESSIONAL, "r.professional_id")                             \
    NEXT(KF_RESCHED_HOLD_COL_LIVE, KFM_SQL_LIVE_HOLD("r"))
KFM_SQL_ROW_CHECK(KFM_RESCHED_HOLD_COLUMNS, KF_RESCHED_HOLD_COL_COUNT)

/* Where a booking moved to a hold's slot stands now: kf_reschedule.h's
 * KF_RESCHED_MOVED_COL_*, from the hold h. */
#define KFM_RESCHED_SLOT_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KF_RESCHED_MOVED_COL_START, KFM_SQL_RFC3339("h.starts_at"))                       \
    NEXT(KF_RESCHED_MOVED_COL_END, KFM_SQL_RFC3339("h.ends_at"))                            \
    NEXT(KF_RESCHED_MOVED_COL_PROFESSIONAL, "h.professional_id")
KFM_SQL_ROW_CHECK(KFM_RESCHED_SLOT_COLUMNS, KF_RESCHED_MOVED_COL_COUNT)

/* The same of a booking moved to a time of its own (kf_resched_to), from the booking r. */
#define KFM_RESCHED_TO_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(KF_RESCHED_MOVED_COL_START, KFM_SQL_RFC3339("r.starts_at"))                       \
    NEXT(KF_RESCHED_MOVED_COL_END, KFM_SQL_RFC3339("r.ends_at"))                            \
    NEXT(KF_RESCHED_MOVED_COL_PROFESSIONAL, "r.professional_id")
KFM_SQL_ROW_CHECK(KFM_RESCHED_TO_COLUMNS, KF_RESCHED_MOVED_COL_COUNT)

/* The move of a booking to a time of its own: args id, new start (seconds) x4, [what
 * `also_set` reads,] id, its state as read; its length and buffers kept, its time before
 * kept (the status is the state machine's). kf_resched_to sets nothing more; a series' later
 * session (kf_resched_rest_to) also takes the professional of the one asked. */
#define KFM_RESCHED_TO_SQL(also_set)                                                        \
    "WITH x AS (SELECT s.buffer_before_minutes AS b, s.buffer_after_minutes AS a,"          \
    "   r.ends_at - r.starts_at AS len FROM reservations r JOIN services s ON s.id = r.service_id" \
    "   WHERE r.id = %s::uuid)"                                                             \
    " UPDATE reservations r SET previous_starts_at = r.starts_at, previous_ends_at = r.ends_at," \
    "   starts_at = to_timestamp(%s::bigint), ends_at = to_timestamp(%s::bigint) + x.len,"  \
    "   blocked = tstzrange(to_timestamp(%s::bigint) - make_interval(mins => x.b),"         \
    "     to_timestamp(%s::bigint) + x.len + make_interval(mins => x.a)),"                  \
    also_set                                                                                \
    "   reschedule_count = r.reschedule_count + 1, ics_sequence = r.ics_sequence + 1,"      \
    "   updated_at = now() FROM x WHERE r.id = %s::uuid AND r.status = %s"                  \
    " RETURNING " KFM_SQL_COLUMNS(KFM_RESCHED_TO_COLUMNS)

/* A booking paid again, with what its payment needs: kf_pay_again.h's KF_PAY_AGAIN_COL_*. */
#define KFM_PAY_AGAIN_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(KF_PAY_AGAIN_COL_ID, "r.id")                                                      \
    NEXT(KF_PAY_AGAIN_COL_STATUS, "r.status")                                               \
    NEXT(KF_PAY_AGAIN_COL_DEADLINE_PASSED, "COALESCE(" KFM_SQL_DUE("r") ", false)")         \
    NEXT(KF_PAY_AGAIN_COL_TENANT, "r.tenant_id")                                            \
    NEXT(KF_PAY_AGAIN_COL_SERVICE, "r.service_id")                                          \
    NEXT(KF_PAY_AGAIN_COL_PROFESSIONAL, "r.professional_id")                                \
    NEXT(KF_PAY_AGAIN_COL_MONEY_TAKEN,                                                      \
         "EXISTS (SELECT 1 FROM payments p WHERE p.reservation_id = r.id"                    \
         " AND p.status = 'approved')")                                                      \
    NEXT(KF_PAY_AGAIN_COL_NAME, "r.customer_name")                                          \
    NEXT(KF_PAY_AGAIN_COL_EMAIL, "r.customer_email")                                        \
    NEXT(KF_PAY_AGAIN_COL_PHONE, "r.customer_phone")                                        \
    NEXT(KF_PAY_AGAIN_COL_CHARGE_TYPE, "r.charge_type")                                     \
    NEXT(KF_PAY_AGAIN_COL_AMOUNT, "r.charge_amount")                                        \
    NEXT(KF_PAY_AGAIN_COL_CURRENCY, "r.currency")
KFM_SQL_ROW_CHECK(KFM_PAY_AGAIN_COLUMNS, KF_PAY_AGAIN_COL_COUNT)

/* The facts of an attendance mark, its change and its undo: kf_attendance.h's
 * KF_MARK_COL_*, from the booking r and its standing mark m (KFM_SQL_STANDING_MARK). */
#define KFM_ATTENDANCE_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(KF_MARK_COL_ID, "r.id")                                                           \
    NEXT(KF_MARK_COL_STATUS, "r.status")                                                    \
    NEXT(KF_MARK_COL_ENDED, "r.ends_at <= now()")                                           \
    NEXT(KF_MARK_COL_START, KFM_SQL_RFC3339("r.starts_at"))                                 \
    NEXT(KF_MARK_COL_END, KFM_SQL_RFC3339("r.ends_at"))                                     \
    NEXT(KF_MARK_COL_NOW, "extract(epoch FROM now())::bigint")                              \
    NEXT(KF_MARK_COL_AT, "extract(epoch FROM m.created_at)::bigint")                        \
    NEXT(KF_MARK_COL_FROM, "m.from_status")                                                 \
    NEXT(KF_MARK_COL_SLOT_FREE,                                                             \
         "NOT EXISTS (SELECT 1 FROM reservations o WHERE o.professional_id ="               \
         " r.professional_id AND o.id <> r.id AND o.status IN " KFM_SQL_ACTIVE_STATES       \
         " AND o.blocked && r.blocked)")                                                    \
    NEXT(KF_MARK_COL_PROFESSIONAL, "r.professional_id")
KFM_SQL_ROW_CHECK(KFM_ATTENDANCE_COLUMNS, KF_MARK_COL_COUNT)

/* The same of a booking the auto-complete job completes: never marked, ended, its slot its
 * own. */
#define KFM_AUTO_COMPLETE_COLUMNS(FIRST, NEXT)                                              \
    FIRST(KF_MARK_COL_ID, "r.id")                                                           \
    NEXT(KF_MARK_COL_STATUS, "r.status")                                                    \
    NEXT(KF_MARK_COL_ENDED, "true")                                                         \
    NEXT(KF_MARK_COL_START, KFM_SQL_RFC3339("r.starts_at"))                                 \
    NEXT(KF_MARK_COL_END, KFM_SQL_RFC3339("r.ends_at"))                                     \
    NEXT(KF_MARK_COL_NOW, "extract(epoch FROM now())::bigint")                              \
    NEXT(KF_MARK_COL_AT, "NULL")                                                            \
    NEXT(KF_MARK_COL_FROM, "NULL")                                                          \
    NEXT(KF_MARK_COL_SLOT_FREE, "true")                                                     \
    NEXT(KF_MARK_COL_PROFESSIONAL, "r.professional_id")
KFM_SQL_ROW_CHECK(KFM_AUTO_COMPLETE_COLUMNS, KF_MARK_COL_COUNT)

#endif
