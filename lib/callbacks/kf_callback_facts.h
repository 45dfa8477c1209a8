/* A callback's facts as the database gives them (text values, NULL for SQL NULL) turned
 * into the body merchants receive: which fields a free booking, a package's session, a
 * cancellation or a reschedule carry, and what pago.estado says of the money.
 */
#ifndef KF_CALLBACK_FACTS_H
#define KF_CALLBACK_FACTS_H

#include <apr_pools.h>

/* A booking's facts, in this order (booleans "t" / "f"). A session of a package names its
 * purchase and the purchase's payment (monto 0: the money came with purchase.paid); without
 * a payment (provider NULL) the booking is free. */
enum {
    KF_CB_BK_TENANT, KF_CB_BK_ID, KF_CB_BK_SERVICE_ID, KF_CB_BK_SERVICE_NAME, KF_CB_BK_DURATION,
    KF_CB_BK_CHARGE_TYPE, KF_CB_BK_PRICE, KF_CB_BK_CHARGED, KF_CB_BK_PROFESSIONAL_ID,
    KF_CB_BK_PROFESSIONAL_NAME, KF_CB_BK_START, KF_CB_BK_END, KF_CB_BK_TIMEZONE,
    KF_CB_BK_CUSTOMER_NAME, KF_CB_BK_CUSTOMER_EMAIL, KF_CB_BK_CUSTOMER_PHONE,
    KF_CB_BK_ACCEPTED_TERMS, KF_CB_BK_PROVIDER, KF_CB_BK_REFERENCE, KF_CB_BK_AMOUNT,
    KF_CB_BK_CURRENCY, KF_CB_BK_TIMESTAMP, KF_CB_BK_SECRET_SEALED, KF_CB_BK_MODE,
    KF_CB_BK_PURCHASE, KF_CB_BK_PKG_SESSIONS, KF_CB_BK_PKG_USED, KF_CB_BK_REFUND_AMOUNT,
    KF_CB_BK_REFUND_STATUS, KF_CB_BK_REFUND_DONE, KF_CB_BK_CANCELLED_BY, KF_CB_BK_CANCEL_REASON,
    KF_CB_BK_PREVIOUS_START, KF_CB_BK_PREVIOUS_END, KF_CB_BK_LOCATION_TYPE,
    KF_CB_BK_LOCATION_VALUE, KF_CB_BK_VIDEO_URL,
    KF_CB_BK_LOCATION_PROVIDER, KF_CB_BK_VIDEO_PROVIDER, KF_CB_BK_MEETING_URL,
    KF_CB_BK_TAKEN,            /* what the payment's transactions took (paid twice: more) */
    KF_CB_BK_METADATA,         /* the merchant's ids (JSON), NULL: none */
    KF_CB_BK_CALENDAR_CONNECTED, /* the professional's calendar is connected ("t"/"f") */
    KF_CB_BK_SEAT_CAPACITY,    /* a seat of a class: its service's capacity, else NULL */
    KF_CB_BK_SEATS_TAKEN,      /* the class's active seats */
    KF_CB_BK_SERIES_ID,        /* an occurrence of a series: its series, else NULL */
    KF_CB_BK_SERIES_INDEX,     /* its place in it, 1.. */
    KF_CB_BK_SERIES_COUNT,     /* the series' occurrences */
    KF_CB_BK_COLUMNS
};

/* How long a booking's callback waits for its meeting room, at most: a video booking whose
 * room (Meet, Teams) its professional's connected calendar is making tells the merchant once
 * the room's link is in `cita.lugar.url`, or after this when the calendar is slow. */
#define KF_CALLBACK_ROOM_WAIT_SECONDS 30

/* Seconds the callback of a booking with these facts waits before its first attempt:
 * KF_CALLBACK_ROOM_WAIT_SECONDS while its room is being made (the place wants one, has no
 * link yet, and a calendar is connected to make it), else 0. */
int kf_callback_room_wait(const char *const *v);

/* The signed body of the booking's `event` ("booking.paid", "booking.cancelled",
 * "booking.rescheduled") from its facts (kf_callback_body's rules; secret NULL: firma_hmac
 * ""). NULL when a required fact is missing. */
const char *kf_callback_booking_body_of(apr_pool_t *p, const char *const *v, const char *event,
                                        const char *secret);

/* A purchase's facts, in this order. */
enum {
    KF_CB_PU_TENANT, KF_CB_PU_ID, KF_CB_PU_PACKAGE, KF_CB_PU_PACKAGE_NAME, KF_CB_PU_SESSIONS,
    KF_CB_PU_VALID_DAYS, KF_CB_PU_PRICE, KF_CB_PU_SERVICE, KF_CB_PU_SERVICE_NAME,
    KF_CB_PU_DURATION, KF_CB_PU_PAID_AT, KF_CB_PU_EXPIRES, KF_CB_PU_CUSTOMER_NAME,
    KF_CB_PU_CUSTOMER_EMAIL, KF_CB_PU_CUSTOMER_PHONE, KF_CB_PU_PROVIDER, KF_CB_PU_REFERENCE,
    KF_CB_PU_AMOUNT, KF_CB_PU_CURRENCY, KF_CB_PU_MODE, KF_CB_PU_TIMESTAMP,
    KF_CB_PU_SECRET_SEALED, KF_CB_PU_METADATA, KF_CB_PU_COLUMNS
};

/* The signed purchase.paid body from a purchase's facts (a purchase is only made with the
 * terms accepted). NULL when a required fact is missing. */
const char *kf_callback_purchase_body_of(apr_pool_t *p, const char *const *v,
                                         const char *secret);

#endif
