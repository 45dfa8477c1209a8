/* A tenant's payment provider settings, as written and shown: see kf_payment_settings.h. */
#include "kf_payment_settings.h"
#include "kf_api_error.h"
#include "kf_json.h"

#include <string.h>
#include <apr_strings.h>

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *str_of(const json_t *o, const char *key)
{
    const char *v = NULL;
    return o && kf_json_get_string(o, key, &v) == KF_JSON_FIELD_OK ? v : NULL;
}

json_t *kf_payment_settings_read(const kf_payment_provider *prov, const json_t *body,
                                 const char **mode, const char **values)
{
    const kf_payment_setting *settings = prov->settings;
    json_t *errors = json_object();
    switch (kf_json_get_string(body, "mode", mode)) {
    case KF_JSON_FIELD_OK:
        if (!kf_payment_mode_valid(*mode)) {
            json_object_set_new(errors, "mode", json_string("payment_mode"));
        }
        break;
    case KF_JSON_FIELD_WRONG_TYPE:
        json_object_set_new(errors, "mode", json_string("tenant_field_string"));
        break;
    default:
        json_object_set_new(errors, "mode", json_string("tenant_field_required"));
    }
    int mode_ok = json_object_get(errors, "mode") == NULL;
    for (int k = 0; settings[k].field; k++) {
        const char *why = NULL;
        values[k] = NULL;
        switch (kf_json_get_string(body, settings[k].field, &values[k])) {
        case KF_JSON_FIELD_OK:
            why = mode_ok ? kf_payment_setting_check(prov, *mode, &settings[k], values[k])
                  : kf_payment_setting_check(prov, "production", &settings[k], values[k])
                      ? kf_payment_setting_check(prov, "test", &settings[k], values[k])
                      : NULL;
            break;
        case KF_JSON_FIELD_WRONG_TYPE:
            why = "tenant_field_string";
            break;
        default:
            why = "tenant_field_required";
        }
        if (why) {
            json_object_set_new(errors, settings[k].field, json_string(why));
        }
    }
    return errors;
}

json_t *kf_payment_settings_refusal(const kf_payment_provider *prov, kf_locale locale,
                                    json_t *field_ids)
{
    json_t *fields = json_object();
    const char *field;
    json_t *id;
    json_object_foreach(field_ids, field, id) {
        json_object_set_new(fields, field, json_string(kf_payment_message_text(
                                               prov, json_string_value(id), locale)));
    }
    json_decref(field_ids);
    return fields;
}

json_t *kf_payment_settings_missing(apr_pool_t *p, const kf_payment_provider *prov,
                                    kf_locale locale)
{
    const char *code = apr_pstrcat(p, prov->name, "_not_configured", NULL);
    const char *text = kf_payment_own_message(prov, code, locale);
    if (!text) {
        const char *pairs[] = {"{provider}", prov->label, NULL};
        text = kf_fill(p, kf_message("payment_not_configured", locale), pairs);
    }
    return kf_api_error_body(code, text, NULL);
}

json_t *kf_payment_settings_changes(apr_pool_t *p, const kf_payment_provider *prov,
                                    const char *mode, const char *const *values,
                                    const char **public_value, const char **hints)
{
    const kf_payment_setting *settings = prov->settings;
    json_t *changes = json_object();
    json_t *last4 = json_object();
    *public_value = NULL;
    json_object_set_new(changes, "mode", json_string(mode));
    for (int k = 0; settings[k].field; k++) {
        if (settings[k].slot == KF_PAYMENT_SLOT_PUBLIC) {
            *public_value = values[k];
            json_object_set_new(changes, settings[k].field, json_string(values[k]));
        }
        else {
            json_object_set_new(changes, settings[k].field, json_string("[redacted]"));
            json_object_set_new(last4, settings[k].field,
                                string_or_null(kf_secret_hint(p, values[k])));
        }
    }
    *hints = kf_json_dump(p, last4);
    json_decref(last4);
    return changes;
}

json_t *kf_payment_settings_secrets(const kf_payment_provider *prov, const char *const *values,
                                    const json_t *old, apr_int64_t now)
{
    const kf_payment_setting *settings = prov->settings;
    json_t *secrets = json_object();
    const char *events_secret = NULL;
    for (int k = 0; settings[k].field; k++) {
        const char *slot = kf_payment_slot_name(settings[k].slot);
        if (slot) {
            json_object_set_new(secrets, slot, json_string(values[k]));
        }
        if (settings[k].slot == KF_PAYMENT_SLOT_EVENTS) {
            events_secret = values[k];
        }
    }
    json_int_t old_until = 0;
    if (old && kf_json_get_int(old, "previous_events_secret_until", &old_until) != KF_JSON_FIELD_OK) {
        old_until = 0;
    }
    const char *previous = NULL;
    apr_int64_t until = 0;
    kf_events_secret_rotation(str_of(old, "events_secret"), str_of(old, "previous_events_secret"),
                              old_until, events_secret, now, &previous, &until);
    if (previous) {
        json_object_set_new(secrets, "previous_events_secret", json_string(previous));
        json_object_set_new(secrets, "previous_events_secret_until", json_integer(until));
    }
    return secrets;
}

const char *kf_payment_settings_seal(apr_pool_t *p, const kf_keyring *keyring,
                                     const char *tenant_id, const kf_payment_provider *prov,
                                     const char *const *values, const char *stored,
                                     apr_int64_t now)
{
    const char *aad = kf_provider_secrets_aad(p, tenant_id, prov->name);
    const char *plain = stored ? kf_open_text(p, keyring, stored, aad) : NULL;
    json_t *secrets = kf_payment_settings_secrets(
        prov, values, plain ? kf_json_parse_object(p, plain, strlen(plain), NULL) : NULL, now);
    const char *text = kf_json_dump(p, secrets);
    json_decref(secrets);
    return kf_seal_text(p, keyring, text, aad);
}

json_t *kf_payment_settings_view(apr_pool_t *p, const kf_payment_provider *prov, int configured,
                                 const char *mode, const char *public_value, const char *hints,
                                 const char *updated_at)
{
    json_t *last4 = configured && hints ? kf_json_parse_object(p, hints, strlen(hints), NULL)
                                        : NULL;
    json_t *v = json_object();
    json_t *settings = json_array();
    json_object_set_new(v, "label", json_string(prov->label));
    json_object_set_new(v, "settings", settings);
    json_object_set_new(v, "configured", json_boolean(configured));
    json_object_set_new(v, "mode", string_or_null(configured ? mode : NULL));
    for (const kf_payment_setting *s = prov->settings; s->field; s++) {
        json_array_append_new(settings, json_pack("{s:s, s:b}", "name", s->field, "secret",
                                                  s->slot != KF_PAYMENT_SLOT_PUBLIC));
        if (s->slot == KF_PAYMENT_SLOT_PUBLIC) {
            json_object_set_new(v, s->field, string_or_null(configured ? public_value : NULL));
        }
        else {
            json_object_set_new(v, apr_pstrcat(p, s->field, "_last4", NULL),
                                string_or_null(str_of(last4, s->field)));
        }
    }
    json_object_set_new(v, "updated_at", string_or_null(configured ? updated_at : NULL));
    return v;
}

json_t *kf_payment_settings_all(apr_pool_t *p, const char *const *const *rows, int n)
{
    json_t *payments = json_object();
    for (int i = 0; kf_payment_providers[i]; i++) {
        const kf_payment_provider *prov = kf_payment_providers[i];
        const char *const *v = NULL;
        for (int j = 0; j < n; j++) {
            if (strcmp(rows[j][KF_PAY_SETTINGS_COL_PROVIDER], prov->name) == 0) {
                v = rows[j];
            }
        }
        json_object_set_new(payments, prov->name, kf_payment_settings_view(
            p, prov, v != NULL, v ? v[KF_PAY_SETTINGS_COL_MODE] : NULL,
            v ? v[KF_PAY_SETTINGS_COL_PUBLIC] : NULL, v ? v[KF_PAY_SETTINGS_COL_HINTS] : NULL,
            v ? v[KF_PAY_SETTINGS_COL_UPDATED] : NULL));
    }
    return payments;
}

json_t *kf_payment_settings_tested(const char *merchant_name, const char *mode)
{
    json_t *body = json_object();
    json_object_set_new(body, "ok", json_true());
    json_object_set_new(body, "merchant_name", json_string(merchant_name));
    json_object_set_new(body, "mode", json_string(mode));
    return body;
}
