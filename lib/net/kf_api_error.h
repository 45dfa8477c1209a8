#ifndef KF_API_ERROR_H
#define KF_API_ERROR_H
/* The API's error answers (API.md "Errors"): {"error": {"code", "message" in the client's
 * language, and where it applies "parameter" and "fields" (a message per field)}}, and the
 * reasons a request's body is refused before any handler reads it. */
#include "kf_i18n.h"
#include "kf_json.h"

/* The body of an error: `message` as it is; `fields` (may be NULL) is taken. */
json_t *kf_api_error_body(const char *code, const char *message, json_t *fields);

/* The same with the message of `message_id` in `locale`. */
json_t *kf_api_error(kf_locale locale, const char *code, const char *message_id, json_t *fields);

/* 400 invalid_parameter: the query parameter named, with the reason's message in "fields"
 * like every other field error. */
json_t *kf_api_error_parameter(kf_locale locale, const char *param, const char *reason_id);

/* A field's message (of `message_id`) into `fields`, unless that field has one already: the
 * first error of a field is the one it shows. */
void kf_api_error_field(kf_locale locale, json_t *fields, const char *name,
                        const char *message_id);

/* {field: message id} as {field: message} in `locale` (field_ids is taken). */
json_t *kf_api_error_fields(kf_locale locale, json_t *field_ids);

/* The same, each message filled with pairs ({"{name}", "value", ..., NULL}, kf_fill): the
 * words a message names that only the request knows. */
json_t *kf_api_error_fields_filled(apr_pool_t *p, kf_locale locale, json_t *field_ids,
                                   const char *const *pairs);

/* The status a public endpoint answers an error code with (the link's look-up, a hold):
 * 410 link_expired, 409 slot_unavailable, 400 invalid_timezone and invalid_parameter, else
 * 404 (what was named is not there). */
int kf_api_public_status(const char *code);

/* 1 when a request's Content-Type announces JSON: "application/json", any case, alone or
 * followed by its parameters. */
int kf_api_content_type_json(const char *content_type);

/* The message id of a body kf_json_parse_object refused (malformed_json's message). */
const char *kf_api_json_refusal(kf_json_error_kind kind);

#endif
