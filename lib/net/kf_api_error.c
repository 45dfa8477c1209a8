/* The API's error answers: see kf_api_error.h. */
#include "kf_api_error.h"

#include <string.h>
#include <strings.h>

json_t *kf_api_error_body(const char *code, const char *message, json_t *fields)
{
    json_t *err = json_object();
    json_object_set_new(err, "code", json_string(code));
    json_object_set_new(err, "message", json_string(message));
    if (fields) {
        json_object_set_new(err, "fields", fields);
    }
    json_t *body = json_object();
    json_object_set_new(body, "error", err);
    return body;
}

json_t *kf_api_error(kf_locale locale, const char *code, const char *message_id, json_t *fields)
{
    return kf_api_error_body(code, kf_message(message_id, locale), fields);
}

json_t *kf_api_error_parameter(kf_locale locale, const char *param, const char *reason_id)
{
    json_t *fields = json_object();
    json_object_set_new(fields, param, json_string(kf_message(reason_id, locale)));
    json_t *body = kf_api_error(locale, "invalid_parameter", "invalid_parameter", NULL);
    json_t *err = json_object_get(body, "error");
    json_object_set_new(err, "parameter", json_string(param));
    json_object_set_new(err, "fields", fields);
    return body;
}

void kf_api_error_field(kf_locale locale, json_t *fields, const char *name,
                        const char *message_id)
{
    if (!json_object_get(fields, name)) {
        json_object_set_new(fields, name, json_string(kf_message(message_id, locale)));
    }
}

json_t *kf_api_error_fields(kf_locale locale, json_t *field_ids)
{
    json_t *fields = json_object();
    const char *key;
    json_t *id;
    json_object_foreach(field_ids, key, id) {
        json_object_set_new(fields, key, json_string(kf_message(json_string_value(id), locale)));
    }
    json_decref(field_ids);
    return fields;
}

json_t *kf_api_error_fields_filled(apr_pool_t *p, kf_locale locale, json_t *field_ids,
                                   const char *const *pairs)
{
    json_t *fields = json_object();
    const char *key;
    json_t *id;
    json_object_foreach(field_ids, key, id) {
        json_object_set_new(fields, key,
                            json_string(kf_fill(p, kf_message(json_string_value(id), locale),
                                                pairs)));
    }
    json_decref(field_ids);
    return fields;
}

int kf_api_content_type_json(const char *content_type)
{
    static const char json[] = "application/json";
    const apr_size_t n = sizeof(json) - 1;
    if (!content_type || strncasecmp(content_type, json, n) != 0) {
        return 0;
    }
    char next = content_type[n];
    return next == '\0' || next == ';' || next == ' ';
}

const char *kf_api_json_refusal(kf_json_error_kind kind)
{
    switch (kind) {
    case KF_JSON_BAD_UTF8: return "invalid_utf8";
    case KF_JSON_EMPTY: return "empty_body";
    case KF_JSON_TOO_DEEP: return "json_too_deep";
    case KF_JSON_NOT_OBJECT: return "json_not_object";
    default: return "malformed_json";
    }
}

int kf_api_public_status(const char *code)
{
    if (strcmp(code, "link_expired") == 0) {
        return 410;
    }
    if (strcmp(code, "slot_unavailable") == 0) {
        return 409;
    }
    if (strcmp(code, "invalid_timezone") == 0 || strcmp(code, "invalid_parameter") == 0) {
        return 400;
    }
    return 404;
}
