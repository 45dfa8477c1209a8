/* Merchant alerts: see kf_alerts.h. */
#include "kf_alerts.h"
#include "kf_calendar_views.h"
#include "kf_payment.h"
#include "kf_text.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <string.h>

static const struct {
    const char *name;
    const char *title[2];    /* es, en */
    const char *advice[2];
} kinds[KF_ALERT_KINDS] = {
    [KF_ALERT_CALLBACKS_FAILING] = {
        "callbacks_failing",
        {"Las notificaciones a tu sistema están fallando",
         "Callbacks to your system keep failing"},
        {"Revisa que tu URL de notificaciones responda 2xx y que verifique la firma con tu "
         "secreto actual; luego envía una prueba desde Notificaciones al sitio.",
         "Check that your callback URL answers 2xx and verifies the signature with your "
         "current secret; then send a test from Site notifications."}},
    [KF_ALERT_CALENDAR_NOT_SYNCING] = {
        "calendar_not_syncing",
        {"Un calendario no se está sincronizando",
         "A calendar is not syncing"},
        {"Abre Profesionales y vuelve a conectar el calendario indicado; mientras tanto sus "
         "horarios pueden no estar al día.",
         "Open Professionals and connect the calendar named again; meanwhile its slots may "
         "be out of date."}},
    [KF_ALERT_WEBHOOK_SIGNATURES] = {
        "webhook_signatures_failing",
        {"Los avisos de tu proveedor de pagos no pasan la verificación de firma",
         "Your payment provider's webhooks fail the signature check"},
        {"Copia de nuevo el secreto de eventos de tu proveedor en Pagos; hasta entonces los "
         "pagos se confirman más tarde, al consultarlos.",
         "Copy your provider's events secret into Payments again; until then payments are "
         "confirmed later, when we ask the provider."}},
    [KF_ALERT_MESSAGES_BOUNCING] = {
        "messages_bouncing",
        {"Correos o mensajes a tus clientes no se pudieron entregar",
         "Mails or texts to your customers could not be delivered"},
        {"Revisa en Envíos que fallaron a quién no llegaron, corrige el contacto del cliente y "
         "envíalos de nuevo.",
         "See in Failed deliveries which ones failed, correct the customer's contact and send "
         "them again."}},
    [KF_ALERT_PAYMENTS_FAILING] = {
        "payments_failing",
        {"Tu proveedor de pagos no está iniciando los pagos",
         "Your payment provider is not starting payments"},
        {"Tus clientes no pueden pagar: revisa en Pagos tus claves y prueba la conexión, y mira "
         "el estado de tu proveedor. Sus horarios quedan reservados mientras reintentan.",
         "Your customers cannot pay: check your keys in Payments and test the connection, and "
         "look at your provider's status page. Their times stay held while they try again."}},
    [KF_ALERT_CALENDAR_CHANGED] = {
        "calendar_changed",
        {"Un profesional cambió citas en su calendario",
         "A professional changed appointments in their calendar"},
        {"Abre cada reserva marcada: muévela a la nueva hora, cancélala o vuelve a poner el "
         "evento. La reserva no cambia sola.",
         "Open each booking flagged: move it to the new time, cancel it or put the event back. "
         "The booking does not change by itself."}},
};

const char *kf_alert_kind_name(kf_alert_kind kind)
{
    return (int)kind >= 0 && kind < KF_ALERT_KINDS ? kinds[kind].name : NULL;
}

int kf_alert_kind_of(const char *name)
{
    for (int k = 0; name && k < KF_ALERT_KINDS; k++) {
        if (strcmp(kinds[k].name, name) == 0) {
            return k;
        }
    }
    return -1;
}

kf_alert_facts kf_alert_facts_of(const char *const *row)
{
    const char *last_mail = row[KF_ALERT_ROW_LAST_MAIL], *now = row[KF_ALERT_ROW_NOW];
    kf_alert_facts facts = {
        .holds = kf_text_true(row[KF_ALERT_ROW_HOLDS]),
        .open = row[KF_ALERT_ROW_ALERT] != NULL,
        .mailed = kf_text_true(row[KF_ALERT_ROW_MAILED]),
        .dismissed = kf_text_true(row[KF_ALERT_ROW_DISMISSED]),
        .told_elsewhere = kf_text_true(row[KF_ALERT_ROW_TOLD]),
        .last_mail = last_mail ? apr_atoi64(last_mail) : 0,
        .now = now ? apr_atoi64(now) : 0,
    };
    return facts;
}

kf_alert_plan kf_alert_decide(const kf_alert_facts *f)
{
    kf_alert_plan plan = {KF_ALERT_NOTHING, 0};
    if (!f->holds) {
        plan.step = f->open ? KF_ALERT_RESOLVE : KF_ALERT_NOTHING;
        return plan;
    }
    plan.step = f->open ? KF_ALERT_KEEP : KF_ALERT_RAISE;
    int unmailed = !f->open || (!f->mailed && !f->dismissed);
    int throttled = f->last_mail > 0 && f->now - f->last_mail < KF_ALERT_MAIL_EVERY_SECONDS;
    plan.mail = unmailed && !f->told_elsewhere && !throttled;
    return plan;
}

const char *kf_alert_title(kf_alert_kind kind, kf_locale locale)
{
    return kf_alert_kind_name(kind) ? kinds[kind].title[locale == KF_LOCALE_EN] : "";
}

const char *kf_alert_advice(kf_alert_kind kind, kf_locale locale)
{
    return kf_alert_kind_name(kind) ? kinds[kind].advice[locale == KF_LOCALE_EN] : "";
}

/* ---- the detail: the facts in words ---- */

/* "1 thing" or "n things" */
static const char *counted(apr_pool_t *p, json_int_t n, const char *one, const char *many)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT " %s", (apr_int64_t)n, n == 1 ? one : many);
}

static const char *text_of(const json_t *facts, const char *key)
{
    const char *v = json_string_value(json_object_get(facts, key));
    return v && *v ? v : NULL;
}

static const char *callbacks_text(apr_pool_t *p, const json_t *f, int en)
{
    json_int_t n = json_integer_value(json_object_get(f, "failures"));
    return en ? apr_pstrcat(p, counted(p, n, "failed attempt", "failed attempts"),
                            " in the last hour.", NULL)
              : apr_pstrcat(p, counted(p, n, "intento fallido", "intentos fallidos"),
                            " en la última hora.", NULL);
}

static const char *calendars_text(apr_pool_t *p, const json_t *f, int en)
{
    const char *out = "";
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(f, "calendars"), i, c) {
        const char *who = text_of(c, "professional");
        const char *provider = kf_calendar_provider_label(text_of(c, "provider"));
        /* refused for good, or failing its reads (what the provider said is on the
         * professional's calendar page); facts kept before "refused" name no error then */
        json_t *refused = json_object_get(c, "refused");
        int for_good = refused ? json_is_true(refused) : !text_of(c, "error");
        out = apr_pstrcat(p, out, i ? "; " : "", who ? who : "", " (",
                          provider ? provider : "", "): ",
                          for_good ? (en ? "access refused" : "acceso denegado")
                                   : (en ? "its calendar does not answer, we keep trying"
                                         : "su calendario no responde, seguimos intentando"),
                          NULL);
    }
    json_int_t more = json_integer_value(json_object_get(f, "more"));
    if (more > 0) {
        out = apr_psprintf(p, en ? "%s; and %" APR_INT64_T_FMT " more"
                                 : "%s; y %" APR_INT64_T_FMT " más", out, (apr_int64_t)more);
    }
    return out;
}

static const char *signatures_text(apr_pool_t *p, const json_t *f, int en)
{
    json_int_t n = json_integer_value(json_object_get(f, "refused"));
    return en ? apr_pstrcat(p, counted(p, n, "webhook", "webhooks"),
                            " refused in the last hour", NULL)
              : apr_pstrcat(p, counted(p, n, "aviso de pago rechazado", "avisos de pago rechazados"),
                            " por su firma en la última hora", NULL);
}

static const char *bounces_text(apr_pool_t *p, const json_t *f, int en)
{
    json_int_t mails = json_integer_value(json_object_get(f, "mails"));
    json_int_t texts = json_integer_value(json_object_get(f, "texts"));
    if (en) {
        return apr_pstrcat(p, counted(p, mails, "mail", "mails"), " and ",
                           counted(p, texts, "text", "texts"),
                           " about bookings could not be delivered in the last 24 hours.", NULL);
    }
    return apr_pstrcat(p, counted(p, mails, "correo", "correos"), " y ",
                       counted(p, texts, "mensaje de texto", "mensajes de texto"),
                       " sobre reservas no se pudieron entregar en las últimas 24 horas.", NULL);
}

/* What the last failure was, by kf_payment_failure_kind's name. */
static const char *payment_failure_words(apr_pool_t *p, const char *kind, json_int_t status,
                                         int en)
{
    const char *with_status = status > 0 ? apr_psprintf(p, " (HTTP %d)", (int)status) : "";
    if (kind && strcmp(kind, "timeout") == 0) {
        return en ? "it did not answer in time" : "no respondió a tiempo";
    }
    if (kind && strcmp(kind, "connection") == 0) {
        return en ? "it could not be reached" : "no se pudo conectar";
    }
    if (kind && strcmp(kind, "server_error") == 0) {
        return apr_pstrcat(p, en ? "it answered with an error of its own" : "respondió con un error propio",
                           with_status, NULL);
    }
    if (kind && strcmp(kind, "refused_key") == 0) {
        return en ? "it refused your key" : "rechazó tu clave";
    }
    return apr_pstrcat(p, en ? "it gave an unexpected answer" : "dio una respuesta inesperada",
                       with_status, NULL);
}

static const char *payments_text(apr_pool_t *p, const json_t *f, int en)
{
    json_int_t n = json_integer_value(json_object_get(f, "failures"));
    const kf_payment_provider *prov = kf_payment_provider_find(text_of(f, "provider"));
    const char *who = prov ? prov->label : (en ? "your provider" : "tu proveedor");
    const char *last = payment_failure_words(p, text_of(f, "last_kind"),
                                             json_integer_value(json_object_get(f, "last_status")),
                                             en);
    return en ? apr_pstrcat(p, counted(p, n, "payment", "payments"), " could not be started at ",
                            who, "; the last time ", last, ".", NULL)
              : apr_pstrcat(p, counted(p, n, "pago no se pudo", "pagos no se pudieron"),
                            " iniciar en ", who, "; la última vez ", last, ".", NULL);
}

static const char *changed_text(apr_pool_t *p, const json_t *f, int en)
{
    json_int_t deleted = json_integer_value(json_object_get(f, "deleted"));
    json_int_t moved = json_integer_value(json_object_get(f, "moved"));
    const char *who = text_of(f, "professional");
    const char *parts = en ? apr_pstrcat(p, moved ? counted(p, moved, "booking moved", "bookings moved") : "",
                                         moved && deleted ? " and " : "",
                                         deleted ? counted(p, deleted, "booking deleted", "bookings deleted") : "",
                                         NULL)
                           : apr_pstrcat(p, moved ? counted(p, moved, "reserva movida", "reservas movidas") : "",
                                         moved && deleted ? " y " : "",
                                         deleted ? counted(p, deleted, "reserva borrada", "reservas borradas") : "",
                                         NULL);
    return en ? apr_pstrcat(p, parts, " in the calendar of ", who ? who : "a professional",
                            ", waiting for you.", NULL)
              : apr_pstrcat(p, parts, " en el calendario de ", who ? who : "un profesional",
                            ", esperando tu decisión.", NULL);
}

const char *kf_alert_detail_text(apr_pool_t *p, kf_alert_kind kind, const char *facts,
                                 kf_locale locale)
{
    json_t *f = facts && *facts == '{' ? json_loads(facts, 0, NULL) : NULL;
    if (!json_is_object(f) || !kf_alert_kind_name(kind)) {
        json_decref(f);
        return facts ? facts : "";
    }
    int en = locale == KF_LOCALE_EN;
    const char *text = "";
    switch (kind) {
    case KF_ALERT_CALLBACKS_FAILING:
        text = callbacks_text(p, f, en);
        break;
    case KF_ALERT_CALENDAR_NOT_SYNCING:
        text = calendars_text(p, f, en);
        break;
    case KF_ALERT_WEBHOOK_SIGNATURES:
        text = signatures_text(p, f, en);
        break;
    case KF_ALERT_MESSAGES_BOUNCING:
        text = bounces_text(p, f, en);
        break;
    case KF_ALERT_PAYMENTS_FAILING:
        text = payments_text(p, f, en);
        break;
    case KF_ALERT_CALENDAR_CHANGED:
        text = changed_text(p, f, en);
        break;
    case KF_ALERT_KINDS:
        break;
    }
    json_decref(f);
    return text;
}

int kf_alert_last_failure_of(kf_alert_kind kind, const json_t *facts,
                             kf_alert_last_failure *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(facts)) {
        return 0;
    }
    if (kind == KF_ALERT_CALLBACKS_FAILING) {
        json_int_t status = json_integer_value(json_object_get(facts, "last_status"));
        out->channel = "callback";
        out->error = text_of(facts, "last_error");
        out->status = status > 0 ? (int)status : 0;
        return out->error || out->status;
    }
    if (kind == KF_ALERT_MESSAGES_BOUNCING) {
        out->channel = text_of(facts, "last_channel");
        out->to = text_of(facts, "last_to");
        out->fault = text_of(facts, "last_fault");
        out->error = text_of(facts, "last");
        return out->channel && (out->error || out->fault);
    }
    return 0;
}

json_t *kf_alert_mail_vars(apr_pool_t *p, kf_alert_kind kind, kf_locale locale,
                           const char *detail, const char *business_name,
                           const char *public_url)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", kf_alert_title(kind, locale),
                     "advice", kf_alert_advice(kind, locale),
                     "detail", kf_alert_detail_text(p, kind, detail, locale),
                     "business_name", business_name ? business_name : "", "link",
                     apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/dashboard/", NULL));
}

static json_t *text_or_null(const char *v)
{
    return v ? json_string(v) : json_null();
}

json_t *kf_alert_json(apr_pool_t *p, const char *const *row, kf_locale locale)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", text_or_null(row[KF_ALERT_COL_ID]));
    json_object_set_new(o, "kind", text_or_null(row[KF_ALERT_COL_KIND]));
    const char *detail = kf_alert_detail_text(p, kf_alert_kind_of(row[KF_ALERT_COL_KIND]),
                                              row[KF_ALERT_COL_DETAIL], locale);
    json_object_set_new(o, "detail", json_string(detail));
    json_object_set_new(o, "raised_at", text_or_null(row[KF_ALERT_COL_RAISED]));
    json_object_set_new(o, "last_seen_at", text_or_null(row[KF_ALERT_COL_LAST_SEEN]));
    json_object_set_new(o, "resolved_at", text_or_null(row[KF_ALERT_COL_RESOLVED]));
    json_object_set_new(o, "dismissed_at", text_or_null(row[KF_ALERT_COL_DISMISSED]));
    return o;
}
