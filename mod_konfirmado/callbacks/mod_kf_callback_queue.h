#ifndef MOD_KF_CALLBACK_QUEUE_H
#define MOD_KF_CALLBACK_QUEUE_H
/* Merchant callbacks, the queue (the transactional outbox): what a callback says, built from
 * the database as it is now, signed with the tenant's secret, and queued in the transaction
 * that makes it true. Delivery is mod_kf_callbacks.h. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "mod_kf_sql.h"
#include "kf_callback_facts.h"


/* A booking's events sent once (ON CONFLICT ... WHERE, the predicate of the unique index
 * merchant_callbacks_once_per_booking_event, sql/069): an approval twice pays once, and a
 * cancellation is final. A reschedule and a mark (changed, or made again after an undo,
 * within its day) are each their own delivery. */
#define KFM_SQL_CALLBACK_ONCE \
    "event NOT IN ('booking.rescheduled', 'booking.completed', 'booking.no_show')"

/* The facts of a booking's callback, as they are now ($1: its id), at their positions of
 * kf_callback_facts.h (KF_CB_BK_*). A session of a package (r.purchase_id) is paid by its
 * purchase's payment: pago names it, with monto 0 (the money came with purchase.paid), and
 * servicio.pago is "package". A later occurrence of a series is paid by its first's payment
 * (r.series_id), which pago names. Also the first half of kf_booking_paid_facts
 * (mod_kf_booking_paid.c). */
#define KFM_CB_BOOKING_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(KF_CB_BK_TENANT, "r.tenant_id")                                                    \
    NEXT(KF_CB_BK_ID, "r.id")                                                                \
    NEXT(KF_CB_BK_SERVICE_ID, "s.id")                                                        \
    NEXT(KF_CB_BK_SERVICE_NAME, "s.name")                                                    \
    NEXT(KF_CB_BK_DURATION, "s.duration_minutes")                                            \
    NEXT(KF_CB_BK_CHARGE_TYPE, "CASE WHEN r.purchase_id IS NOT NULL THEN 'package'"          \
                               " ELSE COALESCE(r.charge_type, s.charge_type) END")           \
    NEXT(KF_CB_BK_PRICE, "s.price_amount")                                                   \
    NEXT(KF_CB_BK_CHARGED, "COALESCE(r.charge_amount, 0)")                                   \
    NEXT(KF_CB_BK_PROFESSIONAL_ID, "pr.id")                                                  \
    NEXT(KF_CB_BK_PROFESSIONAL_NAME, "pr.name")                                              \
    NEXT(KF_CB_BK_START, KFM_SQL_RFC3339("r.starts_at"))                                     \
    NEXT(KF_CB_BK_END, KFM_SQL_RFC3339("r.ends_at"))                                         \
    NEXT(KF_CB_BK_TIMEZONE, "t.timezone")                                                    \
    NEXT(KF_CB_BK_CUSTOMER_NAME, "r.customer_name")                                          \
    NEXT(KF_CB_BK_CUSTOMER_EMAIL, "r.customer_email")                                        \
    NEXT(KF_CB_BK_CUSTOMER_PHONE, "r.customer_phone")                                        \
    NEXT(KF_CB_BK_ACCEPTED_TERMS, "r.accepted_terms_at IS NOT NULL")                         \
    NEXT(KF_CB_BK_PROVIDER, "p.provider")                                                    \
    NEXT(KF_CB_BK_REFERENCE, "p.reference")                                                  \
    NEXT(KF_CB_BK_AMOUNT, "CASE WHEN r.purchase_id IS NOT NULL THEN 0 ELSE p.amount END")    \
    NEXT(KF_CB_BK_CURRENCY, "COALESCE(p.currency, r.currency, s.currency)")                  \
    NEXT(KF_CB_BK_TIMESTAMP, KFM_SQL_RFC3339("now()"))                                       \
    NEXT(KF_CB_BK_SECRET_SEALED, "t.callback_secret_sealed")                                 \
    /* test or production: of the payment, else (free) of the tenant's provider account */  \
    NEXT(KF_CB_BK_MODE, "COALESCE(p.mode, (SELECT mode FROM tenant_payment_settings ps"      \
                        "   WHERE ps.tenant_id = r.tenant_id ORDER BY updated_at DESC LIMIT 1),"\
                        " 'production')")                                                    \
    NEXT(KF_CB_BK_PURCHASE, "r.purchase_id")                                                 \
    NEXT(KF_CB_BK_PKG_SESSIONS, "pu.sessions_total")                                         \
    NEXT(KF_CB_BK_PKG_USED, "pu.sessions_used")                                              \
    /* what a change callback adds: the money's state, the cancellation, the time before */ \
    NEXT(KF_CB_BK_REFUND_AMOUNT, "CASE WHEN r.purchase_id IS NULL THEN p.refund_amount END") \
    NEXT(KF_CB_BK_REFUND_STATUS, "CASE WHEN r.purchase_id IS NULL THEN p.refund_status END") \
    NEXT(KF_CB_BK_REFUND_DONE, "p.refunded_at IS NOT NULL")                                  \
    NEXT(KF_CB_BK_CANCELLED_BY, "r.cancelled_by")                                            \
    NEXT(KF_CB_BK_CANCEL_REASON, "r.cancel_reason")                                          \
    NEXT(KF_CB_BK_PREVIOUS_START, KFM_SQL_RFC3339("r.previous_starts_at"))                   \
    NEXT(KF_CB_BK_PREVIOUS_END, KFM_SQL_RFC3339("r.previous_ends_at"))                       \
    /* cita.lugar: resolved now, so a corrected address or link reaches the merchant */     \
    NEXT(KF_CB_BK_LOCATION_TYPE, "s.location_type")                                          \
    NEXT(KF_CB_BK_LOCATION_VALUE, "s.location_value")                                        \
    NEXT(KF_CB_BK_VIDEO_URL, "pr.video_url")                                                 \
    NEXT(KF_CB_BK_LOCATION_PROVIDER, "s.location_provider")                                  \
    NEXT(KF_CB_BK_VIDEO_PROVIDER, "pr.video_provider")                                       \
    NEXT(KF_CB_BK_MEETING_URL, "r.meeting_url")                                              \
    /* what the payment's transactions took: more than its amount when paid twice */        \
    NEXT(KF_CB_BK_TAKEN, "(SELECT sum(x.amount) FROM payment_transactions x"                 \
                         " WHERE x.payment_id = p.id)")                                     \
    NEXT(KF_CB_BK_METADATA, "r.metadata")                                                    \
    NEXT(KF_CB_BK_CALENDAR_CONNECTED, "EXISTS (SELECT 1 FROM calendar_connections cc"        \
                                      " WHERE cc.professional_id = r.professional_id"        \
                                      " AND cc.status = 'connected')")        \
    /* a seat of a class: its places and those taken now (sql/082's index of seats) */       \
    NEXT(KF_CB_BK_SEAT_CAPACITY, "CASE WHEN r.seat IS NOT NULL THEN s.capacity END")         \
    NEXT(KF_CB_BK_SEATS_TAKEN, "CASE WHEN r.seat IS NOT NULL THEN (SELECT count(*)"           \
                               " FROM reservations c WHERE c.seat_class = r.seat_class"      \
                               " AND c.seat IS NOT NULL AND c.status IN "                    \
                               KFM_SQL_ACTIVE_STATES ") END")                                \
    /* an occurrence of a series (sql/085): its place in it */                              \
    NEXT(KF_CB_BK_SERIES_ID, "r.series_id")                                                  \
    NEXT(KF_CB_BK_SERIES_INDEX, "r.series_index")                                            \
    NEXT(KF_CB_BK_SERIES_COUNT, "r.series_count")
KFM_SQL_ROW_CHECK(KFM_CB_BOOKING_COLUMNS, KF_CB_BK_COLUMNS)
#define KFM_CB_BOOKING_SELECT                                                                \
    "SELECT " KFM_SQL_COLUMNS(KFM_CB_BOOKING_COLUMNS)                                        \
    " FROM reservations r JOIN services s ON s.id = r.service_id"                            \
    " JOIN professionals pr ON pr.id = r.professional_id JOIN tenants t ON t.id = r.tenant_id" \
    " LEFT JOIN purchases pu ON pu.id = r.purchase_id"                                       \
    " LEFT JOIN LATERAL (SELECT id, provider, reference, amount, currency, mode, refund_amount," \
    "   refund_status, refunded_at FROM payments"                                            \
    "   WHERE (reservation_id IN (r.id, r.series_id) OR purchase_id = r.purchase_id)"      \
    "   AND status = 'approved'"                                                             \
    "   ORDER BY approved_at DESC LIMIT 1) p ON true"                                        \
    " WHERE r.id = %s::uuid"

/* What purchase.paid tells (the purchase's approved payment), at the positions of
 * kf_callback_facts.h (KF_CB_PU_*). */
#define KFM_CB_PURCHASE_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_CB_PU_TENANT, "pu.tenant_id")                                                  \
    NEXT(KF_CB_PU_ID, "pu.id")                                                              \
    NEXT(KF_CB_PU_PACKAGE, "k.id")                                                          \
    NEXT(KF_CB_PU_PACKAGE_NAME, "k.name")                                                   \
    NEXT(KF_CB_PU_SESSIONS, "pu.sessions_total")                                            \
    NEXT(KF_CB_PU_VALID_DAYS, "pu.valid_days")                                              \
    NEXT(KF_CB_PU_PRICE, "pu.amount")                                                       \
    NEXT(KF_CB_PU_SERVICE, "s.id")                                                          \
    NEXT(KF_CB_PU_SERVICE_NAME, "s.name")                                                   \
    NEXT(KF_CB_PU_DURATION, "s.duration_minutes")                                           \
    NEXT(KF_CB_PU_PAID_AT, KFM_SQL_RFC3339("pu.paid_at"))                                   \
    NEXT(KF_CB_PU_EXPIRES, KFM_SQL_RFC3339("pu.expires_at"))                                \
    NEXT(KF_CB_PU_CUSTOMER_NAME, "pu.customer_name")                                        \
    NEXT(KF_CB_PU_CUSTOMER_EMAIL, "pu.customer_email")                                      \
    NEXT(KF_CB_PU_CUSTOMER_PHONE, "pu.customer_phone")                                      \
    NEXT(KF_CB_PU_PROVIDER, "p.provider")                                                   \
    NEXT(KF_CB_PU_REFERENCE, "p.reference")                                                 \
    NEXT(KF_CB_PU_AMOUNT, "p.amount")                                                       \
    NEXT(KF_CB_PU_CURRENCY, "p.currency")                                                   \
    NEXT(KF_CB_PU_MODE, "p.mode")                                                           \
    NEXT(KF_CB_PU_TIMESTAMP, KFM_SQL_RFC3339("now()"))                                      \
    NEXT(KF_CB_PU_SECRET_SEALED, "t.callback_secret_sealed")                                \
    NEXT(KF_CB_PU_METADATA, "pu.metadata")
KFM_SQL_ROW_CHECK(KFM_CB_PURCHASE_COLUMNS, KF_CB_PU_COLUMNS)

/* Inside the caller's transaction: builds the body of the booking's `event` ("booking.paid",
 * "booking.cancelled", "booking.rescheduled") from the database (signed with the tenant's
 * callback secret as it is now) and queues it: one delivery per (booking, event), sent with
 * X-Konfirmado-Event set to it; a second call is a no-op. Errors are logged. Runs in a
 * request or in a job (the reconciliation job applies late approvals). */
apr_status_t kfm_callback_queue_event(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                     const char *event);

/* The same from facts already read: kf_cb_booking's columns in row 0 of `facts`, from
 * column `first` on (kf_booking_paid_facts reads them with the mails' in one statement). */
apr_status_t kfm_callback_queue_from(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *facts, int first,
                                    const char *reservation_id, const char *event);

/* Packages: the purchase.paid callback of a purchase that just became paid, in the same
 * transaction (one per purchase), signed and delivered like booking.paid. */
apr_status_t kfm_callback_queue_purchase(const kfm_ctx *c, ap_dbd_t *db, const char *purchase_id);

/* The body of the booking's `event` as the database has it now, and its tenant. */
apr_status_t kfm_callback_booking_body(const kfm_ctx *c, ap_dbd_t *db, const char *res_id,
                                       const char *event, const char **tenant_id,
                                       const char **body);

/* A booking's meeting room was made, or will not be (the calendar refused or gave up): its
 * callbacks not attempted yet get their body again from the database (the room's link in
 * `cita.lugar.url`) and are due now instead of at the end of their wait for the room
 * (KF_CALLBACK_ROOM_WAIT_SECONDS). Runs in the calendar event job. */
apr_status_t kfm_callback_room_settled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id);

/* The tenant's callback secret, or NULL when none is set (or it does not open: logged). */
const char *kfm_callback_secret(const kfm_ctx *c, const char *tenant_id, const char *sealed);

#endif
