#ifndef KF_CHECK_GLUE_H
#define KF_CHECK_GLUE_H
/* Scaffolding of the glue's Check suites: the per-test pool and stub server, and what a
 * client reads of an error answer. */
#include "kf_check.h"
#include "kf_check_httpd.h"
#include "kf_i18n.h"

#include <jansson.h>

static inline void kf_check_glue_setup(void)
{
    kf_test_setup();
    kf_check_httpd_setup(pool);
}

/* The answer is API.md's error: `status`, JSON, and a body that is {"error": {...}} alone
 * with `code` and the message of `message_id` in `locale`. Returns the "error" object. */
static inline json_t *kf_check_error_answer(const request_rec *r, int status, const char *code,
                                            const char *message_id, kf_locale locale)
{
    ck_assert_int_eq(r->status, status);
    ck_assert_str_eq(kf_check_header(r, "Content-Type"), "application/json; charset=utf-8");
    json_t *body = kf_check_sent_json(r);
    ck_assert_msg(body != NULL, "not JSON: %s", kf_check_sent(r, NULL));
    ck_assert_int_eq(json_object_size(body), 1);
    json_t *error = json_object_get(body, "error");
    ck_assert(json_is_object(error));
    ck_assert_str_eq(json_string_value(json_object_get(error, "code")), code);
    ck_assert_str_eq(json_string_value(json_object_get(error, "message")),
                     kf_message(message_id, locale));
    return error;
}

/* The same with the message of the code itself, in Spanish (no Accept-Language). */
static inline json_t *kf_check_error(const request_rec *r, int status, const char *code)
{
    return kf_check_error_answer(r, status, code, code, KF_LOCALE_ES);
}

#endif
