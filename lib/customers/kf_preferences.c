/* A customer's preferences (see kf_preferences.h). */
#include "kf_preferences.h"
#include "kf_text.h"
#include "kf_api_error.h"
#include "kf_form.h"
#include "kf_query.h"

#include <apr_strings.h>
#include <string.h>

void kf_preferences_read(kf_fields *f, const json_t *body, kf_preferences_change *out)
{
    out->reminders_email = -1;
    out->reminders_text = -1;
    out->locale = NULL;
    int v;
    if (kf_field_bool(f, body, "reminders_email", "reminders_email", KF_FIELD_OPTIONAL, &v) ==
        KF_FIELD_VALUE) {
        out->reminders_email = v;
    }
    if (kf_field_bool(f, body, "reminders_text", "reminders_text", KF_FIELD_OPTIONAL, &v) ==
        KF_FIELD_VALUE) {
        out->reminders_text = v;
    }
    const char *locale = NULL;
    if (kf_field_string(f, body, "locale", "locale", KF_FIELD_OPTIONAL, 2, 2, &locale) ==
        KF_FIELD_VALUE) {
        if (strcmp(locale, "es") == 0 || strcmp(locale, "en") == 0) {
            out->locale = locale;
        }
        else {
            kf_fields_fail(f, "locale", "tenant_locale");
        }
    }
}

json_t *kf_preferences_json(const char *const *row)
{
    return json_pack("{s:b, s:b, s:s}", "reminders_email", kf_text_true(row[KF_PREFS_COL_EMAIL]),
                     "reminders_text", kf_text_true(row[KF_PREFS_COL_TEXT]), "locale",
                     row[KF_PREFS_COL_LOCALE] ? row[KF_PREFS_COL_LOCALE] : "es");
}

const char *kf_unsubscribe_token_aad(apr_pool_t *p, const char *preferences_id)
{
    return apr_pstrcat(p, "customer_preferences:", preferences_id, ":unsubscribe", NULL);
}

const char *kf_unsubscribe_query_token(apr_pool_t *p, const char *args)
{
    apr_table_t *q = NULL;
    const char *bad = NULL;
    if (kf_query_parse(p, args, &q, &bad) != KF_QUERY_OK) {
        return NULL;
    }
    const char *token = apr_table_get(q, "token");
    return token && *token ? token : NULL;
}

const char *kf_unsubscribe_token_hash(apr_pool_t *p, const char *token)
{
    return kf_token_shape_ok(token) ? kf_sha256_hex(p, token, strlen(token)) : NULL;
}

const char *kf_unsubscribe_legacy_open(apr_pool_t *p, const kf_keyring *keys, const char *token)
{
    if (!token || !*token || strlen(token) > 512) {
        return NULL;
    }
    const char *id = kf_open_text(p, keys, token, KF_UNSUBSCRIBE_LEGACY_AAD);
    return id && kf_is_uuid(id) ? id : NULL;
}

kf_unsubscribe_body kf_unsubscribe_body_of(const char *content_type)
{
    if (kf_api_content_type_json(content_type)) {
        return KF_UNSUBSCRIBE_JSON;
    }
    return kf_form_kind_of(content_type) != KF_FORM_NONE ? KF_UNSUBSCRIBE_FORM
                                                         : KF_UNSUBSCRIBE_REFUSED;
}

int kf_unsubscribe_one_click(apr_pool_t *p, const char *content_type, const char *body,
                             apr_size_t len)
{
    const char *v = kf_form_field(p, content_type, body, len, "List-Unsubscribe");
    return v && strcmp(v, "One-Click") == 0;
}

int kf_reminder_channels(int has_email, int has_phone, int mail_on, int text_on)
{
    return (has_email && mail_on ? KF_REMIND_MAIL : 0) | (has_phone && text_on ? KF_REMIND_TEXT : 0);
}
