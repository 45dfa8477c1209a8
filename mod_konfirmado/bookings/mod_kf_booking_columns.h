#ifndef MOD_KF_BOOKING_COLUMNS_H
#define MOD_KF_BOOKING_COLUMNS_H
/* The columns the bookings' statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_booking_create.h"
#include "kf_booking_status.h"

/* The hold and the purchase a booking is made of (kf_booking_facts): kf_booking_create.h's
 * KF_BOOKING_FACT_COL_*, from the hold h and the purchase p. */
#define KFM_BOOKING_FACT_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KF_BOOKING_FACT_COL_HOLD_ID, "h.id")                                              \
    NEXT(KF_BOOKING_FACT_COL_CHARGE_TYPE, "h.charge_type")                                  \
    NEXT(KF_BOOKING_FACT_COL_PRICE, "h.price_amount")                                       \
    NEXT(KF_BOOKING_FACT_COL_DEPOSIT, "h.deposit_percent")                                  \
    NEXT(KF_BOOKING_FACT_COL_CURRENCY, "h.currency")                                        \
    NEXT(KF_BOOKING_FACT_COL_EXPIRES, "h.expires_at::text")                                 \
    NEXT(KF_BOOKING_FACT_COL_COUNTRY, "h.country")                                          \
    NEXT(KF_BOOKING_FACT_COL_PURCHASE_ID, "p.id")                                           \
    NEXT(KF_BOOKING_FACT_COL_PURCHASE_STATUS, "p.status")                                   \
    NEXT(KF_BOOKING_FACT_COL_PURCHASE_DUE, "p.due")                                         \
    NEXT(KF_BOOKING_FACT_COL_PURCHASE_EVER_PAID, "p.ever_paid")                             \
    NEXT(KF_BOOKING_FACT_COL_PURCHASE_SAME_SERVICE, "p.same_service")                       \
    NEXT(KF_BOOKING_FACT_COL_SESSIONS_TOTAL, "p.sessions_total")                            \
    NEXT(KF_BOOKING_FACT_COL_SESSIONS_USED, "p.sessions_used")                              \
    NEXT(KF_BOOKING_FACT_COL_LINK_METADATA, "h.metadata")                                   \
    NEXT(KF_BOOKING_FACT_COL_SERIES_COUNT, "h.series_count")                                \
    NEXT(KF_BOOKING_FACT_COL_SERIES_PAY, "h.series_pay")
KFM_SQL_ROW_CHECK(KFM_BOOKING_FACT_COLUMNS, KF_BOOKING_FACT_COL_COUNT)

/* A booking as made (kf_booking_details, kf_pay_again_slot): kf_booking_status.h's
 * KF_BOOKING_MADE_COL_*, from the booking written, up. */
#define KFM_BOOKING_MADE_COLUMNS(FIRST, NEXT)                                               \
    FIRST(KF_BOOKING_MADE_COL_ID, "id")                                                     \
    NEXT(KF_BOOKING_MADE_COL_START, KFM_SQL_RFC3339("starts_at"))                           \
    NEXT(KF_BOOKING_MADE_COL_END, KFM_SQL_RFC3339("ends_at"))                               \
    NEXT(KF_BOOKING_MADE_COL_CHARGE_TYPE, "charge_type")                                    \
    NEXT(KF_BOOKING_MADE_COL_AMOUNT, "charge_amount")                                       \
    NEXT(KF_BOOKING_MADE_COL_CURRENCY, "currency")                                          \
    NEXT(KF_BOOKING_MADE_COL_TEAM, KFM_SQL_TEAM_JSON("up"))
KFM_SQL_ROW_CHECK(KFM_BOOKING_MADE_COLUMNS, KF_BOOKING_MADE_COL_COUNT)

#endif
