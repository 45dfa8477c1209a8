/* Unit tests for lib/net/kf_api_error.c: the API's error answers. */
#include "kf_check.h"
#include "kf_api_error.h"

#include <apr_strings.h>

START_TEST(an_error_in_the_clients_language)
{
    json_t *body = kf_api_error(KF_LOCALE_EN, "booking_not_found", "booking_not_found", NULL);
    ck_assert_str_eq(kf_json_dump(pool, body),
                     apr_psprintf(pool, "{\"error\":{\"code\":\"booking_not_found\",\"message\":\"%s\"}}",
                                  kf_message("booking_not_found", KF_LOCALE_EN)));
    json_decref(body);
    json_t *fields = json_object();
    kf_api_error_field(KF_LOCALE_ES, fields, "email", "field_required");
    kf_api_error_field(KF_LOCALE_ES, fields, "email", "field_wrong_type");   /* the first stays */
    json_t *invalid = kf_api_error(KF_LOCALE_ES, "validation_failed", "validation_failed", fields);
    json_t *err = json_object_get(invalid, "error");
    ck_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     kf_message("validation_failed", KF_LOCALE_ES));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(err, "fields"), "email")),
                     kf_message("field_required", KF_LOCALE_ES));
    json_decref(invalid);
    json_t *own = kf_api_error_body("currency_in_use", "Cambia primero los precios.", NULL);
    ck_assert_str_eq(kf_json_dump(pool, own), "{\"error\":{\"code\":\"currency_in_use\","
                                              "\"message\":\"Cambia primero los precios.\"}}");
    json_decref(own);
}
END_TEST

START_TEST(a_parameter_and_field_ids)
{
    json_t *body = kf_api_error_parameter(KF_LOCALE_EN, "all", "param_boolean");
    json_t *err = json_object_get(body, "error");
    ck_assert_str_eq(json_string_value(json_object_get(err, "code")), "invalid_parameter");
    ck_assert_str_eq(json_string_value(json_object_get(err, "parameter")), "all");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(err, "fields"), "all")),
                     kf_message("param_boolean", KF_LOCALE_EN));
    json_decref(body);
    json_t *ids = json_pack("{s:s, s:s}", "name", "field_required", "email", "invalid_email");
    json_t *fields = kf_api_error_fields(KF_LOCALE_EN, ids);
    ck_assert_str_eq(json_string_value(json_object_get(fields, "email")),
                     kf_message("invalid_email", KF_LOCALE_EN));
    ck_assert_int_eq(json_object_size(fields), 2);
    json_decref(fields);
}
END_TEST

START_TEST(what_a_body_is_refused_for)
{
    ck_assert(kf_api_content_type_json("application/json"));
    ck_assert(kf_api_content_type_json("Application/JSON; charset=utf-8"));
    ck_assert(kf_api_content_type_json("application/json ;charset=utf-8"));
    ck_assert(!kf_api_content_type_json("application/jsonp"));
    ck_assert(!kf_api_content_type_json("text/plain"));
    ck_assert(!kf_api_content_type_json(NULL));
    ck_assert_str_eq(kf_api_json_refusal(KF_JSON_BAD_UTF8), "invalid_utf8");
    ck_assert_str_eq(kf_api_json_refusal(KF_JSON_EMPTY), "empty_body");
    ck_assert_str_eq(kf_api_json_refusal(KF_JSON_TOO_DEEP), "json_too_deep");
    ck_assert_str_eq(kf_api_json_refusal(KF_JSON_NOT_OBJECT), "json_not_object");
    ck_assert_str_eq(kf_api_json_refusal(KF_JSON_MALFORMED), "malformed_json");
    kf_json_error e;
    ck_assert_ptr_null(kf_json_parse_object(pool, "[1]", 3, &e));
    ck_assert_str_eq(kf_api_json_refusal(e.kind), "json_not_object");
}
END_TEST

START_TEST(a_public_refusal_and_its_status)
{
    ck_assert_int_eq(kf_api_public_status("link_expired"), 410);
    ck_assert_int_eq(kf_api_public_status("slot_unavailable"), 409);
    ck_assert_int_eq(kf_api_public_status("invalid_timezone"), 400);
    ck_assert_int_eq(kf_api_public_status("invalid_parameter"), 400);
    ck_assert_int_eq(kf_api_public_status("link_not_found"), 404);
    ck_assert_int_eq(kf_api_public_status("professional_not_found"), 404);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api_error");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, an_error_in_the_clients_language);
    tcase_add_test(tc, a_parameter_and_field_ids);
    tcase_add_test(tc, what_a_body_is_refused_for);
    tcase_add_test(tc, a_public_refusal_and_its_status);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
