/* Merchant callbacks (API.md "Merchant callback"): the body merchants receive, its
 * firma_hmac, the X-Konfirmado-Signature header and the retry schedule.
 *
 * Pure: no I/O, no clock (the caller passes times), results in the caller's pool.
 */
#ifndef KF_CALLBACK_H
#define KF_CALLBACK_H

#include <apr_pools.h>
#include <apr_time.h>

#include "kf_location.h"

/* What a booking.paid callback tells. Times are RFC 3339 UTC strings ("2026-12-01T14:00:00Z").
 * provider NULL means a free booking: "pago" becomes {"proveedor": "ninguno",
 * "estado": "no_aplica", "referencia": null, "monto": 0, "moneda": currency}. */
typedef struct kf_callback_booking {
    const char *event;              /* "booking.paid" ... (X-Konfirmado-Event); NULL: booking.paid */
    const char *tenant_id;
    const char *booking_id;
    const char *service_id;
    const char *service_name;
    int duration_min;
    const char *charge_type;        /* "total" | "partial" | "free" */
    apr_int64_t price;              /* minor units */
    apr_int64_t charged;            /* minor units actually asked (0 when free) */
    const char *professional_id;
    const char *professional_name;
    const char *start;
    const char *end;
    const char *timezone;           /* IANA zone of the appointment (the tenant's) */
    const char *customer_name;
    const char *customer_email;
    const char *customer_phone;
    int accepted_terms;
    const char *provider;           /* "wompi", or NULL when free */
    const char *reference;          /* the payment reference (NULL when free) */
    apr_int64_t amount;             /* minor units paid */
    const char *currency;
    int test_mode;                  /* pago.modo: "test" (sandbox money) or "produccion" */
    const char *timestamp;          /* seguridad.timestamp: when the callback was made */
    /* packages: a session of a purchase (NULL otherwise). Adds, after "pago" and before
     * "seguridad": "paquete": {"compra_id", "sesiones", "sesiones_usadas"}; the payment is
     * the purchase's (its provider and reference, monto 0: paid with purchase.paid). */
    const char *purchase_id;
    int package_sessions;
    int package_sessions_used;
    /* pago.estado: the money's state when the event is sent (kf_callback_money_state);
     * NULL: "aprobado", or "no_aplica" when free */
    const char *money_state;
    /* booking.cancelled only: adds "cancelacion": {"por", "motivo", "reembolso"} after "pago".
     * cancelled_by "customer" | "merchant"; cancel_reason NULL: motivo null; refund_status
     * NULL: reembolso null (nothing charged or nothing returned), else {"monto", "moneda",
     * "estado": refund_status}. */
    const char *cancelled_by;
    const char *cancel_reason;
    apr_int64_t refund_amount;
    const char *refund_status;
    /* booking.rescheduled only: adds "cita_anterior": {"inicio", "fin"} after "pago" */
    const char *previous_start;
    const char *previous_end;
    /* cita.lugar, the last key of "cita"; NULL or KF_LOCATION_NONE: no "lugar" */
    const kf_location *location;
    /* "metadata" right after "booking_id", keys sorted (kf_metadata.h); NULL: no key */
    const char *metadata;
    /* a seat of a group class: adds "cupo": {"capacidad", "ocupados"} right after "cita"
     * (the class's places, and those taken when the event happened); capacity 0: none */
    int seat_capacity;
    int seats_taken;
    /* an occurrence of a series: adds "serie": {"id", "indice", "total"} right after "cita"
     * (before "cupo"); series_id NULL: none */
    const char *series_id;
    int series_index, series_count;
} kf_callback_booking;

/* The money's state for pago.estado (API.md "Merchant callback"), from the booking's approved
 * payment: "no_aplica" without one (free), "aprobado" while nothing is to be returned,
 * "reembolso_pendiente" while a refund is asked (`pending`) or `manual` and not marked done,
 * then "reembolsado" when all of `amount` came back, else "reembolso_parcial".
 * refund_status NULL: no refund asked; refund_done: the manual refund was marked done. */
const char *kf_callback_money_state(int has_payment, apr_int64_t amount, apr_int64_t refund_amount,
                                    const char *refund_status, int refund_done);

/* The body as delivered: compact JSON (kf_json_dump), keys in the order of API.md, with
 * seguridad.firma_hmac = hex HMAC-SHA256(secret, the same body with firma_hmac ""). A NULL or
 * empty secret leaves firma_hmac "" (the tenant has no callback secret yet). NULL when a
 * required string is NULL or not valid UTF-8. */
const char *kf_callback_body(apr_pool_t *p, const kf_callback_booking *b, const char *secret);

/* What a purchase.paid callback tells (packages: a package bought and paid). */
typedef struct kf_callback_purchase {
    const char *tenant_id;
    const char *purchase_id;
    const char *package_id;
    const char *package_name;
    int sessions;
    int valid_days;
    apr_int64_t price;              /* minor units */
    const char *service_id;
    const char *service_name;
    int duration_min;
    const char *paid_at;            /* RFC 3339 UTC */
    const char *expires_at;         /* RFC 3339 UTC: sessions can be booked until then */
    const char *customer_name;
    const char *customer_email;
    const char *customer_phone;
    int accepted_terms;
    const char *provider;
    const char *reference;
    apr_int64_t amount;
    const char *currency;
    int test_mode;
    const char *timestamp;
    const char *metadata;           /* after "purchase_id", as a booking's */
} kf_callback_purchase;

/* The purchase.paid body, signed like kf_callback_body (same firma_hmac rule):
 * {"evento": "purchase.paid", "tenant_id", "purchase_id",
 *  "paquete": {"id", "nombre", "sesiones", "vigencia_dias", "precio"},
 *  "servicio": {"id", "nombre", "duracion_min"},
 *  "compra": {"pagada", "vence", "sesiones_restantes"},
 *  "usuario": {"nombre", "email", "telefono", "acepto_terminos"},
 *  "pago": {"proveedor", "estado": "aprobado", "referencia", "monto", "moneda", "modo"},
 *  "seguridad": {"timestamp", "firma_hmac"}}. NULL when a required string is missing. */
const char *kf_callback_purchase_body(apr_pool_t *p, const kf_callback_purchase *b,
                                      const char *secret);

/* X-Konfirmado-Signature: "t=<t>,v1=<hex HMAC-SHA256(secret, t + "." + body)>".
 * NULL if secret is NULL or empty. */
const char *kf_callback_signature(apr_pool_t *p, const char *secret, apr_int64_t t,
                                  const char *body, apr_size_t len);

/* The tenant's callback secret opened from its sealed form (aad kf_callback_secret_aad), or
 * NULL: none is set (*failed APR_SUCCESS), or it does not open (*failed the reason). */
struct kf_keyring;
const char *kf_callback_secret_open(apr_pool_t *p, const struct kf_keyring *keyring,
                                    const char *tenant_id, const char *sealed,
                                    apr_status_t *failed);

/* Delays between attempts: 2 s, 4 s, 8 s, 16 s, 1 min, 5 min, 30 min, 2 h, 6 h, 24 h. */
#define KF_CALLBACK_MAX_ATTEMPTS 11   /* the first attempt + 10 retries */

/* How long to wait after the failed attempt number `attempts_done` (1 = the first attempt
 * failed) before the next, divided by `divisor` (>= 1; tests shorten the schedule), or -1
 * when no attempt is left (the delivery is then failed). */
apr_interval_time_t kf_callback_retry_delay(int attempts_done, int divisor);

#endif
