#include "kf_i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *id;
    const char *es;
    const char *en;
} kf_catalog_entry;

/* One row per error code of API.md (plus a few message ids used inside answers). */
static const kf_catalog_entry catalog[] = {
    {"not_found", "El recurso solicitado no existe.", "The requested resource does not exist."},
    {"method_not_allowed", "Método no permitido para este recurso.",
     "Method not allowed for this resource."},
    {"payload_too_large", "El cuerpo de la solicitud es demasiado grande.",
     "The request body is too large."},
    {"malformed_json", "El cuerpo de la solicitud no es JSON válido.",
     "The request body is not valid JSON."},
    {"invalid_utf8", "El cuerpo de la solicitud no es UTF-8 válido.",
     "The request body is not valid UTF-8."},
    {"json_not_object", "El cuerpo de la solicitud debe ser un objeto JSON.",
     "The request body must be a JSON object."},
    {"json_too_deep", "El cuerpo de la solicitud tiene demasiados niveles de anidación.",
     "The request body is nested too deeply."},
    {"empty_body", "Falta el cuerpo de la solicitud.", "The request body is missing."},
    {"unsupported_media_type", "El cuerpo debe enviarse como application/json.",
     "The body must be sent as application/json."},
    {"validation_failed", "Algunos datos no son válidos.", "Some fields are not valid."},
    {"internal_error", "Ocurrió un error interno. Intenta de nuevo.",
     "An internal error occurred. Please try again."},
    {"service_unavailable", "El servicio no está disponible en este momento.",
     "The service is unavailable right now."},
    {"database_unavailable", "La base de datos no está disponible. Intenta en unos segundos.",
     "The database is unavailable. Try again in a few seconds."},
    {"schema_outdated",
     "La base de datos no está actualizada: aplica las migraciones pendientes.",
     "The database schema is outdated: apply the pending migrations."},
    {"unauthenticated", "Debes iniciar sesión.", "You need to sign in."},
    {"csrf_failed", "La solicitud no incluye un token CSRF válido.",
     "The request lacks a valid CSRF token."},
    {"invalid_credentials", "Correo o contraseña incorrectos.", "Wrong email or password."},
    {"email_not_verified", "Debes verificar tu correo antes de iniciar sesión.",
     "Verify your email before signing in."},
    {"too_many_attempts", "Demasiados intentos. Intenta de nuevo más tarde.",
     "Too many attempts. Try again later."},
    {"email_taken", "Ya existe una cuenta con ese correo.",
     "An account with that email already exists."},
    {"subdomain_taken", "Ese subdominio ya está en uso.", "That subdomain is already taken."},
    {"invalid_token", "El enlace no es válido o ya fue usado.",
     "The link is invalid or was already used."},
    {"link_not_found", "Este enlace de reserva no existe.", "This booking link does not exist."},
    {"link_expired", "Este enlace ha expirado.", "This link has expired."},
    {"invalid_timezone", "La zona horaria no es válida.", "The time zone is not valid."},
    {"invalid_parameter", "Un parámetro de la consulta no es válido.",
     "A query parameter is not valid."},
    {"service_not_found", "El servicio no existe.", "The service does not exist."},
    {"professional_not_found", "El profesional no existe.", "The professional does not exist."},
    {"booking_not_found", "La reserva no existe.", "The booking does not exist."},
    {"slot_unavailable", "Este horario ya no está disponible.",
     "This time is no longer available."},
    {"hold_expired", "El tiempo para completar la reserva terminó.",
     "The time to complete the booking ran out."},
    {"invalid_signature", "Firma inválida.", "Invalid signature."},
    {"provider_error", "El proveedor externo no respondió correctamente.",
     "The external provider did not answer correctly."},

    /* accounts: field messages and mail texts */

    /* tenant settings */

    /* catalog: field messages */

    /* payments */
    {"booking_not_paid", "La reserva no está pagada: no hay notificación que reenviar.",
     "The booking is not paid: there is no callback to send again."},

};

static const kf_catalog_entry *find_entry(const char *id)
{
    if (!id) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(catalog) / sizeof(catalog[0]); i++) {
        if (strcmp(catalog[i].id, id) == 0) {
            return &catalog[i];
        }
    }
    return NULL;
}

const char *kf_message(const char *id, kf_locale locale)
{
    const kf_catalog_entry *e = find_entry(id);
    if (!e) {
        return locale == KF_LOCALE_EN ? "The request could not be completed."
                                      : "No se pudo completar la solicitud.";
    }
    return locale == KF_LOCALE_EN ? e->en : e->es;
}

int kf_message_known(const char *id)
{
    return find_entry(id) != NULL;
}

const char *kf_locale_tag(kf_locale locale)
{
    return locale == KF_LOCALE_EN ? "en" : "es";
}

/* Parses "q=0.8" (after the ';') into thousandths; malformed -> 1000 as RFC 9110 implies. */
static int parse_quality(const char *params, size_t len)
{
    const char *q = NULL;
    for (size_t i = 0; i + 1 < len; i++) {
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=') {
            q = params + i + 2;
            break;
        }
    }
    if (!q) {
        return 1000;
    }
    double v = strtod(q, NULL);
    if (v < 0) {
        v = 0;
    }
    if (v > 1) {
        v = 1;
    }
    return (int)(v * 1000 + 0.5);
}

kf_locale kf_locale_negotiate(const char *accept_language)
{
    kf_locale best = KF_LOCALE_ES;
    int best_q = 0;

    if (!accept_language) {
        return KF_LOCALE_ES;
    }
    const char *item = accept_language;
    while (*item) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item);
        while (len && (*item == ' ' || *item == '\t')) {
            item++;
            len--;
        }
        const char *semi = memchr(item, ';', len);
        size_t tag_len = semi ? (size_t)(semi - item) : len;
        while (tag_len && (item[tag_len - 1] == ' ' || item[tag_len - 1] == '\t')) {
            tag_len--;
        }
        int q = semi ? parse_quality(semi + 1, len - (size_t)(semi + 1 - item)) : 1000;
        int is_es = tag_len >= 2 && strncasecmp(item, "es", 2) == 0 &&
                    (tag_len == 2 || item[2] == '-' || item[2] == '_');
        int is_en = tag_len >= 2 && strncasecmp(item, "en", 2) == 0 &&
                    (tag_len == 2 || item[2] == '-' || item[2] == '_');
        /* Strictly greater: on equal quality the earlier entry wins. */
        if ((is_es || is_en) && q > best_q) {
            best_q = q;
            best = is_en ? KF_LOCALE_EN : KF_LOCALE_ES;
        }
        if (!end) {
            break;
        }
        item = end + 1;
    }
    return best;
}
