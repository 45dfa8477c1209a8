/* Merchant callback body, signatures and retry schedule: see kf_callback.h. */
#include "kf_callback.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_metadata.h"
#include "kf_signatures.h"

#include <apr_strings.h>
#include <string.h>

static int set_str(json_t *o, const char *k, const char *v, int *ok)
{
    if (!v || kf_json_set_str(o, k, v) != 0) {
        *ok = 0;
    }
    return *ok;
}

/* The merchant's ids, when there are: a key only then (API.md). */
static void set_metadata(json_t *root, const char *metadata)
{
    json_t *o = kf_metadata_object(metadata);
    if (o) {
        kf_json_set_new(root, "metadata", o);
    }
}

const char *kf_callback_money_state(int has_payment, apr_int64_t amount, apr_int64_t refund_amount,
                                    const char *refund_status, int refund_done)
{
    if (!has_payment) {
        return "no_aplica";
    }
    if (!refund_status || refund_amount <= 0) {
        return "aprobado";
    }
    int done = strcmp(refund_status, "succeeded") == 0 ||
               (strcmp(refund_status, "manual") == 0 && refund_done);
    if (!done) {
        return "reembolso_pendiente";
    }
    return refund_amount >= amount ? "reembolsado" : "reembolso_parcial";
}

/* "cancelacion": who, why, and what goes back (null when nothing does). */
static json_t *cancellation(const kf_callback_booking *b, int *ok)
{
    json_t *c = json_object();
    if (!b->cancelled_by) {
        *ok = 0;
        return c;
    }
    set_str(c, "por", strcmp(b->cancelled_by, "merchant") == 0 ? "comercio" : "cliente", ok);
    if (b->cancel_reason && *b->cancel_reason) {
        set_str(c, "motivo", b->cancel_reason, ok);
    }
    else {
        kf_json_set_null(c, "motivo");
    }
    if (b->refund_status && b->refund_amount > 0) {
        json_t *refund = json_object();
        kf_json_set_int(refund, "monto", b->refund_amount);
        set_str(refund, "moneda", b->currency, ok);
        set_str(refund, "estado", b->refund_status, ok);
        kf_json_set_new(c, "reembolso", refund);
    }
    else {
        kf_json_set_null(c, "reembolso");
    }
    return c;
}

static json_t *build(apr_pool_t *p, const kf_callback_booking *b, const char *firma)
{
    int ok = 1;
    json_t *root = kf_json_obj(p);
    json_t *servicio = json_object(), *profesional = json_object(), *cita = json_object(),
           *usuario = json_object(), *pago = json_object(), *seguridad = json_object();

    /* key order is part of the contract (firma_hmac): evento first */
    set_str(root, "evento", b->event ? b->event : "booking.paid", &ok);
    set_str(root, "tenant_id", b->tenant_id, &ok);
    set_str(root, "booking_id", b->booking_id, &ok);
    set_metadata(root, b->metadata);

    set_str(servicio, "id", b->service_id, &ok);
    set_str(servicio, "nombre", b->service_name, &ok);
    kf_json_set_int(servicio, "duracion_min", b->duration_min);
    set_str(servicio, "pago", b->charge_type, &ok);
    kf_json_set_int(servicio, "precio", b->price);
    kf_json_set_int(servicio, "monto_cobrado", b->charged);

    set_str(profesional, "id", b->professional_id, &ok);
    set_str(profesional, "nombre", b->professional_name, &ok);

    set_str(cita, "inicio", b->start, &ok);
    set_str(cita, "fin", b->end, &ok);
    set_str(cita, "timezone", b->timezone, &ok);
    json_t *lugar = kf_location_lugar_json(b->location);
    if (lugar) {
        kf_json_set_new(cita, "lugar", lugar);
    }

    set_str(usuario, "nombre", b->customer_name, &ok);
    /* null once the customer's data was erased (the booking itself stays, and may still be
     * cancelled or moved): the merchant is told of the booking, not of whom it was */
    kf_json_set_str(usuario, "email", b->customer_email);
    kf_json_set_str(usuario, "telefono", b->customer_phone);
    kf_json_set_bool(usuario, "acepto_terminos", b->accepted_terms);

    if (b->provider) {
        set_str(pago, "proveedor", b->provider, &ok);
        set_str(pago, "estado", b->money_state ? b->money_state : "aprobado", &ok);
        set_str(pago, "referencia", b->reference, &ok);
        kf_json_set_int(pago, "monto", b->amount);
    }
    else {
        set_str(pago, "proveedor", "ninguno", &ok);
        set_str(pago, "estado", b->money_state ? b->money_state : "no_aplica", &ok);
        kf_json_set_null(pago, "referencia");
        kf_json_set_int(pago, "monto", 0);
    }
    set_str(pago, "moneda", b->currency, &ok);
    set_str(pago, "modo", b->test_mode ? "test" : "produccion", &ok);

    set_str(seguridad, "timestamp", b->timestamp, &ok);
    set_str(seguridad, "firma_hmac", firma, &ok);

    kf_json_set_new(root, "servicio", servicio);
    kf_json_set_new(root, "profesional", profesional);
    kf_json_set_new(root, "cita", cita);
    if (b->series_id) {
        json_t *serie = json_object();
        set_str(serie, "id", b->series_id, &ok);
        kf_json_set_int(serie, "indice", b->series_index);
        kf_json_set_int(serie, "total", b->series_count);
        kf_json_set_new(root, "serie", serie);
    }
    if (b->seat_capacity > 0) {
        json_t *cupo = json_object();
        kf_json_set_int(cupo, "capacidad", b->seat_capacity);
        kf_json_set_int(cupo, "ocupados", b->seats_taken);
        kf_json_set_new(root, "cupo", cupo);
    }
    kf_json_set_new(root, "usuario", usuario);
    kf_json_set_new(root, "pago", pago);
    const char *event = b->event ? b->event : "booking.paid";
    if (strcmp(event, "booking.cancelled") == 0) {
        kf_json_set_new(root, "cancelacion", cancellation(b, &ok));
    }
    else if (strcmp(event, "booking.rescheduled") == 0) {
        json_t *before = json_object();
        set_str(before, "inicio", b->previous_start, &ok);
        set_str(before, "fin", b->previous_end, &ok);
        kf_json_set_new(root, "cita_anterior", before);
    }
    if (b->purchase_id) {
        json_t *paquete = json_object();
        set_str(paquete, "compra_id", b->purchase_id, &ok);
        kf_json_set_int(paquete, "sesiones", b->package_sessions);
        kf_json_set_int(paquete, "sesiones_usadas", b->package_sessions_used);
        kf_json_set_new(root, "paquete", paquete);
    }
    kf_json_set_new(root, "seguridad", seguridad);
    return ok ? root : NULL;
}

static json_t *build_purchase(apr_pool_t *p, const kf_callback_purchase *b, const char *firma)
{
    int ok = 1;
    json_t *root = kf_json_obj(p);
    json_t *paquete = json_object(), *servicio = json_object(), *compra = json_object(),
           *usuario = json_object(), *pago = json_object(), *seguridad = json_object();

    set_str(root, "evento", "purchase.paid", &ok);
    set_str(root, "tenant_id", b->tenant_id, &ok);
    set_str(root, "purchase_id", b->purchase_id, &ok);
    set_metadata(root, b->metadata);

    set_str(paquete, "id", b->package_id, &ok);
    set_str(paquete, "nombre", b->package_name, &ok);
    kf_json_set_int(paquete, "sesiones", b->sessions);
    kf_json_set_int(paquete, "vigencia_dias", b->valid_days);
    kf_json_set_int(paquete, "precio", b->price);

    set_str(servicio, "id", b->service_id, &ok);
    set_str(servicio, "nombre", b->service_name, &ok);
    kf_json_set_int(servicio, "duracion_min", b->duration_min);

    set_str(compra, "pagada", b->paid_at, &ok);
    set_str(compra, "vence", b->expires_at, &ok);
    kf_json_set_int(compra, "sesiones_restantes", b->sessions);

    set_str(usuario, "nombre", b->customer_name, &ok);
    set_str(usuario, "email", b->customer_email, &ok);
    set_str(usuario, "telefono", b->customer_phone, &ok);
    kf_json_set_bool(usuario, "acepto_terminos", b->accepted_terms);

    set_str(pago, "proveedor", b->provider, &ok);
    set_str(pago, "estado", "aprobado", &ok);
    set_str(pago, "referencia", b->reference, &ok);
    kf_json_set_int(pago, "monto", b->amount);
    set_str(pago, "moneda", b->currency, &ok);
    set_str(pago, "modo", b->test_mode ? "test" : "produccion", &ok);

    set_str(seguridad, "timestamp", b->timestamp, &ok);
    set_str(seguridad, "firma_hmac", firma, &ok);

    kf_json_set_new(root, "paquete", paquete);
    kf_json_set_new(root, "servicio", servicio);
    kf_json_set_new(root, "compra", compra);
    kf_json_set_new(root, "usuario", usuario);
    kf_json_set_new(root, "pago", pago);
    kf_json_set_new(root, "seguridad", seguridad);
    return ok ? root : NULL;
}

/* The body with firma_hmac: the HMAC of the same body with firma_hmac "" (API.md). */
static const char *signed_body(apr_pool_t *p, const void *b, const char *secret,
                               json_t *(*make)(apr_pool_t *, const void *, const char *))
{
    json_t *unsigned_body = make(p, b, "");
    const char *text = unsigned_body ? kf_json_dump(p, unsigned_body) : NULL;
    if (!text || !secret || !*secret) {
        return text;
    }
    const char *firma = kf_hmac_sha256_hex(p, secret, strlen(secret), text, strlen(text));
    json_t *body = firma ? make(p, b, firma) : NULL;
    return body ? kf_json_dump(p, body) : NULL;
}

static json_t *make_booking(apr_pool_t *p, const void *b, const char *firma)
{
    return build(p, b, firma);
}

static json_t *make_purchase(apr_pool_t *p, const void *b, const char *firma)
{
    return build_purchase(p, b, firma);
}

const char *kf_callback_body(apr_pool_t *p, const kf_callback_booking *b, const char *secret)
{
    return b ? signed_body(p, b, secret, make_booking) : NULL;
}

const char *kf_callback_purchase_body(apr_pool_t *p, const kf_callback_purchase *b,
                                      const char *secret)
{
    return b ? signed_body(p, b, secret, make_purchase) : NULL;
}

const char *kf_callback_signature(apr_pool_t *p, const char *secret, apr_int64_t t,
                                  const char *body, apr_size_t len)
{
    if (!secret || !*secret || !body) {
        return NULL;
    }
    /* HMAC-SHA256 over t + "." + body (the scheme of Stripe's v1) */
    const char *v1 = kf_sig_timestamped(p, secret, t, body, len);
    return v1 ? apr_psprintf(p, "t=%" APR_INT64_T_FMT ",v1=%s", t, v1) : NULL;
}

apr_interval_time_t kf_callback_retry_delay(int attempts_done, int divisor)
{
    static const int seconds[] = {2, 4, 8, 16, 60, 300, 1800, 7200, 21600, 86400};
    if (attempts_done < 1 || attempts_done > (int)(sizeof(seconds) / sizeof(seconds[0]))) {
        return -1;
    }
    if (divisor < 1) {
        divisor = 1;
    }
    return apr_time_from_sec((apr_int64_t)seconds[attempts_done - 1]) / divisor;
}

const char *kf_callback_secret_open(apr_pool_t *p, const kf_keyring *keyring,
                                    const char *tenant_id, const char *sealed,
                                    apr_status_t *failed)
{
    char *plain = NULL;
    apr_size_t len = 0;
    *failed = APR_SUCCESS;
    if (!sealed || !*sealed) {
        return NULL;
    }
    *failed = kf_open(p, keyring, sealed, kf_callback_secret_aad(p, tenant_id), &plain, &len);
    return *failed == APR_SUCCESS ? plain : NULL;
}
