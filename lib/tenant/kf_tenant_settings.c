/* A tenant's settings as a whole: see kf_tenant_settings.h. */
#include "kf_tenant_settings.h"
#include "kf_embed_origins.h"
#include "kf_api_error.h"
#include "kf_text.h"
#include "kf_host.h"
#include "kf_json.h"
#include "kf_money.h"
#include "kf_netaddr.h"
#include "kf_signatures.h"
#include "kf_url.h"

#include <stdlib.h>
#include <string.h>

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void fail(json_t *errors, const char *field, const char *message_id)
{
    json_object_set_new(errors, field, json_string(message_id));
}

void kf_tenant_patch_read(apr_pool_t *p, json_t *body, kf_url_policy policy,
                          const char *base_domain, const apr_array_header_t *outbound_allow,
                          kf_provider_currencies *providers, json_t *errors,
                          kf_tenant_patch *out)
{
    memset(out, 0, sizeof(*out));
    kf_tenant_validate_patch(body, policy, errors);
    out->policy_sent = kf_tenant_policy_read(p, body, providers, out->policy, errors);
    out->reminders = kf_tenant_reminders_read(p, body, errors);
    out->policy_sent += json_object_get(body, "reminders") != NULL;
    /* the callback URL is requested by this server: not towards its own networks, already
     * refused here when the URL names such an address literally (names: at delivery) */
    const char *callback = NULL;
    if (!json_object_get(errors, "callback_url") &&
        kf_json_get_string(body, "callback_url", &callback) == KF_JSON_FIELD_OK &&
        !kf_outbound_host_ok(outbound_allow, kf_url_host(p, callback))) {
        fail(errors, "callback_url", "tenant_url_internal");
    }
    const char *domain = NULL;
    if (!json_object_get(errors, "custom_domain") &&
        kf_json_get_string(body, "custom_domain", &domain) == KF_JSON_FIELD_OK) {
        const char *why = kf_custom_domain_check(domain, base_domain);
        if (why) {
            fail(errors, "custom_domain", why);
        }
        else {
            json_object_set_new(body, "custom_domain",
                                json_string(kf_host_name_normalize(p, domain)));
        }
    }
    switch (kf_json_get_string(body, "currency", &out->currency)) {
    case KF_JSON_FIELD_ABSENT:
    case KF_JSON_FIELD_OK:
        break;
    case KF_JSON_FIELD_NULL:
        fail(errors, "currency", "tenant_field_required");
        break;
    default:
        fail(errors, "currency", "tenant_field_string");
        break;
    }
    if (out->currency && !kf_currency_known(out->currency)) {
        fail(errors, "currency", "currency_invalid");
    }
    out->reprice = kf_tenant_reprice_read(body, errors);
    out->embed_origins = kf_embed_origins_read(p, body, errors);
}

const char *kf_tenant_patch_currency(const kf_tenant_patch *patch, const json_t *body,
                                     const char *current_currency, const char *current_country,
                                     const char *stored_provider,
                                     kf_provider_currencies *providers, const char **currency,
                                     const char **provider, int *by_default)
{
    const char *sent_provider = patch->policy[KF_TENANT_POLICY_PROVIDER];
    const char *sent_country = NULL;
    *provider = sent_provider ? sent_provider : stored_provider;
    *currency = patch->currency;
    *by_default = 0;
    if (!*currency && kf_json_get_string(body, "country", &sent_country) == KF_JSON_FIELD_OK) {
        *currency = kf_tenant_currency_of_new_country(current_currency, current_country,
                                                      sent_country);
        *by_default = *currency != NULL;
    }
    if (!*currency && sent_provider &&
        kf_tenant_currency_check(current_currency, providers(*provider))) {
        return "provider_currency_not_accepted";
    }
    return NULL;
}

void kf_currency_move_plan(apr_pool_t *p, const char *const *const *rows, int n,
                           const json_t *reprice, kf_currency_move *out)
{
    out->repriced = apr_array_make(p, n + 1, sizeof(const char *const *));
    out->prices = apr_array_make(p, n + 1, sizeof(apr_int64_t));
    out->services = apr_array_make(p, n + 1, sizeof(const char *));
    out->packages = apr_array_make(p, 1, sizeof(const char *));
    out->changes = NULL;
    const char *from = NULL;
    for (int i = 0; i < n; i++) {
        const char *const *row = rows[i];
        const char *id = row[KF_IN_USE_ID];
        const json_t *price = id ? json_object_get(reprice, id) : NULL;
        if (price) {
            APR_ARRAY_PUSH(out->repriced, const char *const *) = row;
            APR_ARRAY_PUSH(out->prices, apr_int64_t) = (apr_int64_t)json_integer_value(price);
            if (!out->changes) {
                out->changes = json_object();
            }
            json_object_set(out->changes, id, (json_t *)price);
            continue;
        }
        const char *kind = row[KF_IN_USE_KIND];
        APR_ARRAY_PUSH(kind && *kind == 's' ? out->services : out->packages, const char *) =
            row[KF_IN_USE_NAME];
        const char *c = row[KF_IN_USE_CURRENCY];
        from = !from || same(from, c) ? c : "";
    }
    out->from = from && *from ? from : NULL;
}

json_t *kf_currency_in_use_json(apr_pool_t *p, kf_locale locale, const char *to,
                                const kf_currency_move *plan)
{
    return kf_api_error_body("currency_in_use",
                             kf_currency_in_use_message(p, locale, to, plan->from,
                                                        plan->services, plan->packages), NULL);
}

/* A policy value (text, as kf_tenant_policy_read gives it) as the API shows it. */
static json_t *policy_json(int i, const char *text)
{
    return i < KF_TENANT_POLICY_INTS ? json_integer(text ? atoi(text) : 0)
           : i == KF_TENANT_POLICY_ATTENDEE ? json_boolean(kf_text_true(text))
           : string_or_null(text);
}

void kf_tenant_patch_changes(apr_pool_t *p, const json_t *body, const kf_tenant_patch *patch,
                             const char *const *current, const char **values,
                             int *subdomain_changed, int *domain_changed, json_t *changes)
{
    *subdomain_changed = *domain_changed = 0;
    for (int i = 0; i < KF_TENANT_FIELD_COUNT; i++) {
        const char *field = kf_tenant_fields[i];
        const char *sent = NULL;
        kf_json_field got = kf_json_get_string(body, field, &sent);
        values[i] = current[i];
        if (got == KF_JSON_FIELD_ABSENT) {
            continue;
        }
        if (got == KF_JSON_FIELD_OK && i == KF_TENANT_NAME) {
            sent = kf_trim(p, sent);
        }
        if (!same(current[i], sent)) {
            values[i] = sent;
            json_object_set_new(changes, field, string_or_null(sent));
            *subdomain_changed |= i == KF_TENANT_SUBDOMAIN;
            *domain_changed |= i == KF_TENANT_CUSTOM_DOMAIN;
        }
    }
    for (int i = 0; i < KF_TENANT_POLICY_FIELDS; i++) {
        if (patch->policy[i]) {
            json_object_set_new(changes, kf_tenant_policy_fields[i], policy_json(i, patch->policy[i]));
        }
    }
    if (patch->reminders) {
        json_object_set(changes, "reminders", json_object_get(body, "reminders"));
    }
    if (patch->embed_origins) {
        json_object_set_new(changes, "embed_origins", json_loads(patch->embed_origins, 0, NULL));
    }
}

const char **kf_tenant_policy_args(apr_pool_t *p, const kf_tenant_patch *patch,
                                   const char *tenant_id)
{
    const char **args = apr_palloc(p, KF_TENANT_POLICY_ARGS * sizeof(*args));
    memcpy(args, patch->policy, sizeof(patch->policy));
    args[KF_TENANT_POLICY_FIELDS] = patch->reminders;
    args[KF_TENANT_POLICY_FIELDS + 1] = tenant_id;
    return args;
}

json_t *kf_tenant_view_json(const char *const *row, json_t *payments, json_t *messaging)
{
    json_t *t = json_object();
    json_object_set_new(t, "id", json_string(row[KF_TENANT_COL_ID]));
    for (int i = 0; kf_tenant_fields[i]; i++) {
        json_object_set_new(t, kf_tenant_fields[i], string_or_null(row[i]));
    }
    const char *currency = row[KF_TENANT_COL_CURRENCY];
    json_object_set_new(t, "currency", string_or_null(currency));
    /* the dashboard reads and writes amounts with it (one source: kf_currency_exponent) */
    json_object_set_new(t, "currency_exponent", json_integer(kf_currency_exponent(currency)));
    json_t *secret = json_object();
    json_object_set_new(secret, "configured",
                        json_boolean(kf_text_true(row[KF_TENANT_COL_SECRET_SET])));
    json_object_set_new(secret, "set_at", string_or_null(row[KF_TENANT_COL_SECRET_SET_AT]));
    json_object_set_new(t, "callback_secret", secret);
    json_object_set_new(t, "payments", payments);
    json_object_set_new(t, "messaging", messaging);
    json_object_set_new(t, "updated_at", string_or_null(row[KF_TENANT_COL_UPDATED_AT]));
    for (int i = 0; i < KF_TENANT_POLICY_FIELDS; i++) {
        json_object_set_new(t, kf_tenant_policy_fields[i], policy_json(i, row[KF_TENANT_COL_POLICY + i]));
    }
    const char *reminders = row[KF_TENANT_COL_REMINDERS];
    json_t *leads = reminders ? json_loads(reminders, 0, NULL) : NULL;
    json_object_set_new(t, "reminders", leads ? leads : json_array());
    json_object_set_new(t, "reminder_limits", kf_tenant_reminder_limits());
    const char *origins = row[KF_TENANT_COL_EMBED_ORIGINS];
    json_t *embed = origins ? json_loads(origins, 0, NULL) : NULL;
    json_object_set_new(t, "embed_origins", json_is_array(embed) ? embed : json_array());
    if (embed && !json_is_array(embed)) {
        json_decref(embed);
    }
    return t;
}

json_t *kf_tenant_domain_refusal(const char *const *values, int subdomain_changed,
                                 int domain_changed)
{
    if (!values[KF_TENANT_CUSTOM_DOMAIN] || values[KF_TENANT_SUBDOMAIN] ||
        !(domain_changed || subdomain_changed)) {
        return NULL;
    }
    return json_pack("{s:s}", "custom_domain", "tenant_custom_domain_subdomain");
}

json_t *kf_callback_secret_answer(apr_pool_t *p, const char *secret, const char *set_at)
{
    json_t *body = json_object();
    kf_json_set_str(body, "secret", secret);
    kf_json_set_str(body, "whsec", kf_standard_webhooks_secret(p, secret, strlen(secret)));
    kf_json_set_str(body, "set_at", set_at);
    return body;
}

json_t *kf_callback_secret_changes(int replaced)
{
    return json_pack("{s:s, s:b}", "callback_secret", "[redacted]", "replaced", replaced);
}

kf_currency_step kf_tenant_currency_step(const char *currency, const char *current,
                                         const char *const *accepted, int by_default,
                                         const char **why)
{
    *why = kf_tenant_currency_check(currency, accepted);
    if (*why) {
        return by_default ? KF_CURRENCY_KEEP : KF_CURRENCY_REFUSE;
    }
    return same(current, currency) ? KF_CURRENCY_KEEP : KF_CURRENCY_MOVE;
}
