#ifndef MOD_KF_BOOKING_ADMIN_COLUMNS_H
#define MOD_KF_BOOKING_ADMIN_COLUMNS_H
/* The columns the merchant's bookings' statements select, at the positions of the core's
 * readers (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_booking_view.h"
#include "kf_customer.h"

/* A booking as the merchant's list, detail and export read it: kf_booking_view.h's
 * KF_BOOKING_COL_*. local_start is the wall clock in the tenant's zone plus that zone's offset
 * at that instant (z.off, seconds east of UTC). */
#define KFM_ADMIN_BOOKING_COLUMNS(FIRST, NEXT)                                              \
    FIRST(KF_BOOKING_COL_ID, "r.id")                                                        \
    NEXT(KF_BOOKING_COL_STATUS, "r.status")                                                 \
    NEXT(KF_BOOKING_COL_STATUS_REASON, "r.status_reason")                                   \
    NEXT(KF_BOOKING_COL_START, KFM_SQL_RFC3339("r.starts_at"))                              \
    NEXT(KF_BOOKING_COL_END, KFM_SQL_RFC3339("r.ends_at"))                                  \
    NEXT(KF_BOOKING_COL_LOCAL_START,                                                        \
         "to_char(r.starts_at AT TIME ZONE t.timezone, 'YYYY-MM-DD\"T\"HH24:MI:SS')"            \
         "  || CASE WHEN z.off < 0 THEN '-' ELSE '+' END"                                    \
         "  || to_char(abs(z.off) / 3600, 'FM00') || ':'"                                    \
         "  || to_char(mod(abs(z.off), 3600) / 60, 'FM00')")                                 \
    NEXT(KF_BOOKING_COL_SERVICE_ID, "s.id")                                                 \
    NEXT(KF_BOOKING_COL_SERVICE_NAME, "s.name")                                             \
    NEXT(KF_BOOKING_COL_PROFESSIONAL_ID, "p.id")                                            \
    NEXT(KF_BOOKING_COL_PROFESSIONAL_NAME, "p.name")                                        \
    NEXT(KF_BOOKING_COL_CUSTOMER_NAME, "r.customer_name")                                   \
    NEXT(KF_BOOKING_COL_CUSTOMER_EMAIL, "r.customer_email")                                 \
    NEXT(KF_BOOKING_COL_CUSTOMER_PHONE, "r.customer_phone")                                 \
    NEXT(KF_BOOKING_COL_CHARGE_TYPE, "r.charge_type")                                       \
    NEXT(KF_BOOKING_COL_CHARGE_AMOUNT, "r.charge_amount")                                   \
    NEXT(KF_BOOKING_COL_CURRENCY, "r.currency")                                             \
    NEXT(KF_BOOKING_COL_CREATED_AT, KFM_SQL_RFC3339("r.created_at"))                        \
    NEXT(KF_BOOKING_COL_NOTES, "r.notes")                                                   \
    NEXT(KF_BOOKING_COL_ACCEPTED_TERMS_AT, KFM_SQL_RFC3339("r.accepted_terms_at"))          \
    NEXT(KF_BOOKING_COL_STARTS_AT_RAW, "r.starts_at::text")                                 \
    NEXT(KF_BOOKING_COL_LINK,                                                               \
         "(SELECT bl.slug FROM booking_links bl WHERE bl.id = r.link_id AND bl.active)")     \
    NEXT(KF_BOOKING_COL_DISPUTE,                                                            \
         "(SELECT pd.dispute_status FROM payments pd WHERE pd.reservation_id = r.id"         \
         "   AND pd.dispute_id IS NOT NULL ORDER BY pd.disputed_at DESC LIMIT 1)")             \
    NEXT(KF_BOOKING_COL_METADATA, "r.metadata")                                             \
    NEXT(KF_BOOKING_COL_TEAM, KFM_SQL_TEAM_JSON("r"))
KFM_SQL_ROW_CHECK(KFM_ADMIN_BOOKING_COLUMNS, KF_BOOKING_COL_COUNT)

/* A move of a booking in its history: kf_booking_view.h's KF_BOOKING_CHANGE_COL_*. */
#define KFM_BOOKING_CHANGE_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_BOOKING_CHANGE_COL_FROM, "h.from_status")                                      \
    NEXT(KF_BOOKING_CHANGE_COL_TO, "h.to_status")                                           \
    NEXT(KF_BOOKING_CHANGE_COL_REASON, "h.reason")                                          \
    NEXT(KF_BOOKING_CHANGE_COL_AT, KFM_SQL_RFC3339("h.created_at"))
KFM_SQL_ROW_CHECK(KFM_BOOKING_CHANGE_COLUMNS, KF_BOOKING_CHANGE_COL_COUNT)

/* A seat's class: kf_booking_view.h's KF_CLASS_COL_* (reservations r, services s). */
#define KFM_ADMIN_CLASS_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_CLASS_COL_CAPACITY, "s.capacity")                                              \
    NEXT(KF_CLASS_COL_SEAT, "r.seat")                                                       \
    NEXT(KF_CLASS_COL_TAKEN, "(SELECT count(*) FROM reservations c"                         \
                             " WHERE c.seat_class = r.seat_class AND c.seat IS NOT NULL"    \
                             " AND c.status IN " KFM_SQL_ACTIVE_STATES ")")
KFM_SQL_ROW_CHECK(KFM_ADMIN_CLASS_COLUMNS, KF_CLASS_COL_COUNT)

/* One attendee of a class: kf_booking_view.h's KF_ATTENDEE_COL_* (reservations c). */
#define KFM_ADMIN_ATTENDEE_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_ATTENDEE_COL_ID, "c.id")                                                       \
    NEXT(KF_ATTENDEE_COL_SEAT, "c.seat")                                                    \
    NEXT(KF_ATTENDEE_COL_STATUS, "c.status")                                                \
    NEXT(KF_ATTENDEE_COL_NAME, "c.customer_name")
KFM_SQL_ROW_CHECK(KFM_ADMIN_ATTENDEE_COLUMNS, KF_ATTENDEE_COL_COUNT)

/* A booking's customer as the merchant's correction reads it: kf_customer.h's
 * KF_CUSTOMER_COL_*. */
#define KFM_BOOKING_CUSTOMER_COLUMNS(FIRST, NEXT)                                           \
    FIRST(KF_CUSTOMER_COL_NAME, "r.customer_name")                                          \
    NEXT(KF_CUSTOMER_COL_EMAIL, "r.customer_email")                                         \
    NEXT(KF_CUSTOMER_COL_PHONE, "r.customer_phone")                                         \
    NEXT(KF_CUSTOMER_COL_COUNTRY, "t.country")
KFM_SQL_ROW_CHECK(KFM_BOOKING_CUSTOMER_COLUMNS, KF_CUSTOMER_COL_COUNT)

#endif
