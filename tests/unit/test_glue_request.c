/* The glue's request plumbing (mod_kf_request.c) on a stub of httpd: a JSON body read or
 * refused before any handler sees it, and every error answered in API.md's one shape. */
#include "glue/kf_check_glue.h"
#include "mod_kf_request.h"

#include <string.h>

static kfm_req *request(const char *method, const char *uri)
{
    return kfm_req_make(kf_check_request(method, uri, NULL));
}

/* A POST whose Content-Type announces JSON. */
static kfm_req *json_post(void)
{
    kfm_req *kr = request("POST", "/api/test");
    apr_table_setn(kr->r->headers_in, "Content-Type", "application/json");
    return kr;
}

/* A JSON object of exactly `size` bytes: {"x":"aaa…"}. */
static char *object_of_size(apr_size_t size)
{
    char *text = apr_palloc(pool, size + 1);
    memset(text, 'a', size);
    memcpy(text, "{\"x\":\"", 6);
    memcpy(text + size - 2, "\"}", 2);
    text[size] = '\0';
    return text;
}

static int connection_closed(const kfm_req *kr)
{
    return kr->r->connection->keepalive == AP_CONN_CLOSE;
}

/* ---- the JSON body ---- */

START_TEST(json_object_body_is_read)
{
    kfm_req *kr = json_post();
    kf_check_body(kr->r, "{\"name\": \"Ana\"}");
    json_t *obj = NULL;
    ck_assert_int_eq(kfm_read_json(kr, &obj), APR_SUCCESS);
    ck_assert_str_eq(json_string_value(json_object_get(obj, "name")), "Ana");
    ck_assert_str_eq(kf_check_sent(kr->r, NULL), "");   /* nothing answered yet */
}
END_TEST

START_TEST(json_type_with_parameters_is_json)
{
    kfm_req *kr = json_post();
    apr_table_setn(kr->r->headers_in, "Content-Type", "Application/JSON; charset=utf-8");
    kf_check_body(kr->r, "{}");
    json_t *obj = NULL;
    ck_assert_int_eq(kfm_read_json(kr, &obj), APR_SUCCESS);
    ck_assert_int_eq(json_object_size(obj), 0);
}
END_TEST

START_TEST(chunked_body_is_read_across_reads)
{
    kfm_req *kr = json_post();
    const char *body = object_of_size(20000);   /* more than one network read */
    kf_check_body_chunked(kr->r, body, strlen(body));
    json_t *obj = NULL;
    ck_assert_int_eq(kfm_read_json(kr, &obj), APR_SUCCESS);
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(obj, "x"))), 20000 - 8);
}
END_TEST

START_TEST(body_of_the_limit_is_read)
{
    kfm_req *kr = json_post();
    kf_check_body(kr->r, object_of_size(KFM_BODY_LIMIT_JSON));
    json_t *obj = NULL;
    ck_assert_int_eq(kfm_read_json(kr, &obj), APR_SUCCESS);
    ck_assert_int_eq(kr->r->status, HTTP_OK);
}
END_TEST

START_TEST(declared_larger_body_is_413_unread)
{
    kfm_req *kr = json_post();
    kf_check_body(kr->r, object_of_size(KFM_BODY_LIMIT_JSON + 1));
    json_t *obj = NULL;
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    ck_assert_ptr_null(obj);
    kf_check_error(kr->r, HTTP_REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
    ck_assert_uint_eq(kf_check_body_read(kr->r), 0);
    /* the rest is never read: httpd must not wait for it on a kept-alive connection */
    ck_assert(connection_closed(kr));
}
END_TEST

START_TEST(streamed_larger_body_is_413_at_the_limit)
{
    kfm_req *kr = json_post();
    const char *body = object_of_size(3 * KFM_BODY_LIMIT_JSON);
    kf_check_body_chunked(kr->r, body, strlen(body));
    json_t *obj = NULL;
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    kf_check_error(kr->r, HTTP_REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
    ck_assert_uint_le(kf_check_body_read(kr->r), KFM_BODY_LIMIT_JSON + 1);
    ck_assert(connection_closed(kr));
}
END_TEST

START_TEST(route_limit_replaces_the_json_one)
{
    kfm_req *kr = json_post();
    kr->body_limit = 100;
    kf_check_body(kr->r, object_of_size(101));
    json_t *obj = NULL;
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    kf_check_error(kr->r, HTTP_REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
}
END_TEST

START_TEST(another_content_type_is_415_unread)
{
    static const char *const types[] = {"text/plain", "application/x-www-form-urlencoded",
                                        "application/jsonp", NULL};
    for (int i = 0; types[i]; i++) {
        kfm_req *kr = request("POST", "/api/test");
        apr_table_setn(kr->r->headers_in, "Content-Type", types[i]);
        kf_check_body(kr->r, "{\"name\": \"Ana\"}");
        json_t *obj = NULL;
        ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
        kf_check_error(kr->r, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        ck_assert_uint_eq(kf_check_body_read(kr->r), 0);
        ck_assert(connection_closed(kr));
    }
}
END_TEST

START_TEST(no_content_type_is_415)
{
    kfm_req *kr = request("POST", "/api/test");
    kf_check_body(kr->r, "{}");
    json_t *obj = NULL;
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    kf_check_error(kr->r, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
}
END_TEST

/* What is wrong with a body the client reads in the message of malformed_json. */
static void assert_refused_body(const char *body, apr_size_t len, const char *message_id)
{
    kfm_req *kr = json_post();
    kf_check_body_chunked(kr->r, body, len);
    json_t *obj = NULL;
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    ck_assert_ptr_null(obj);
    kf_check_error_answer(kr->r, HTTP_BAD_REQUEST, "malformed_json", message_id, KF_LOCALE_ES);
}

START_TEST(malformed_json_is_400)
{
    assert_refused_body("{\"name\": ", 9, "malformed_json");
    assert_refused_body("{\"name\": \"Ana\"} trailing", 24, "malformed_json");
}
END_TEST

START_TEST(invalid_utf8_is_400_saying_so)
{
    assert_refused_body("{\"name\": \"\xff\"}", 13, "invalid_utf8");
}
END_TEST

START_TEST(json_that_is_not_an_object_is_400_saying_so)
{
    assert_refused_body("[1, 2]", 6, "json_not_object");
    assert_refused_body("\"Ana\"", 5, "json_not_object");
}
END_TEST

START_TEST(empty_body_is_400_saying_so)
{
    kfm_req *kr = json_post();   /* no body at all: no Content-Length, nothing to read */
    json_t *obj = NULL;
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    kf_check_error_answer(kr->r, HTTP_BAD_REQUEST, "malformed_json", "empty_body", KF_LOCALE_ES);

    kr = json_post();
    kf_check_body(kr->r, "");
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    kf_check_error_answer(kr->r, HTTP_BAD_REQUEST, "malformed_json", "empty_body", KF_LOCALE_ES);
}
END_TEST

START_TEST(client_gone_mid_body_is_400_and_logged)
{
    kfm_req *kr = json_post();
    kf_check_body(kr->r, object_of_size(30000));
    kf_check_body_cut(kr->r, 12000);
    json_t *obj = NULL;
    ck_assert_int_ne(kfm_read_json(kr, &obj), APR_SUCCESS);
    kf_check_error(kr->r, HTTP_BAD_REQUEST, "malformed_json");
    ck_assert(connection_closed(kr));
    ck_assert_int_eq(kf_check_log_count("client body read failed"), 1);
}
END_TEST

/* ---- error answers ---- */

START_TEST(error_answer_has_the_one_shape_and_headers)
{
    kfm_req *kr = request("GET", "/api/test");
    ck_assert_int_eq(kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found"), OK);
    json_t *error = kf_check_error(kr->r, HTTP_NOT_FOUND, "not_found");
    ck_assert_int_eq(json_object_size(error), 2);   /* code and message, no fields */
    ck_assert_str_eq(json_string_value(json_object_get(error, "message")),
                     "El recurso solicitado no existe.");
    apr_size_t len;
    kf_check_sent(kr->r, &len);
    ck_assert_str_eq(kf_check_header(kr->r, "Content-Length"),
                     apr_psprintf(pool, "%" APR_SIZE_T_FMT, len));
    ck_assert_str_eq(kf_check_header(kr->r, "Content-Language"), "es");
    ck_assert_str_eq(kf_check_header(kr->r, "Cache-Control"), "no-store");
    ck_assert_str_eq(kf_check_header(kr->r, "X-Content-Type-Options"), "nosniff");
    ck_assert_str_eq(kf_check_header(kr->r, "Referrer-Policy"), "no-referrer");
    ck_assert_str_eq(kf_check_header(kr->r, "X-Request-Id"), kr->id);
}
END_TEST

START_TEST(error_message_follows_accept_language)
{
    request_rec *r = kf_check_request("GET", "/api/test", NULL);
    apr_table_setn(r->headers_in, "Accept-Language", "en-US,en;q=0.9");
    kfm_req *kr = kfm_req_make(r);
    kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    json_t *error = kf_check_error_answer(r, HTTP_NOT_FOUND, "not_found", "not_found",
                                          KF_LOCALE_EN);
    ck_assert_str_eq(json_string_value(json_object_get(error, "message")),
                     "The requested resource does not exist.");
    ck_assert_str_eq(kf_check_header(r, "Content-Language"), "en");
}
END_TEST

START_TEST(head_answer_has_headers_but_no_body)
{
    kfm_req *kr = request("HEAD", "/api/test");
    kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    ck_assert_int_eq(kr->r->status, HTTP_NOT_FOUND);
    ck_assert_str_eq(kf_check_sent(kr->r, NULL), "");
    const char *length = kf_check_header(kr->r, "Content-Length");
    ck_assert_ptr_nonnull(length);
    ck_assert_int_gt(atoi(length), 0);
}
END_TEST

START_TEST(validation_error_names_each_field)
{
    kfm_req *kr = request("POST", "/api/test");
    json_t *ids = json_object();
    json_object_set_new(ids, "name", json_string("field_required"));
    json_object_set_new(ids, "customer.email", json_string("field_not_string"));
    kfm_reply_field_ids(kr, ids);
    json_t *error = kf_check_error(kr->r, HTTP_BAD_REQUEST, "validation_failed");
    json_t *fields = json_object_get(error, "fields");
    ck_assert_int_eq(json_object_size(fields), 2);
    ck_assert_str_eq(json_string_value(json_object_get(fields, "name")),
                     "Este campo es obligatorio.");
    ck_assert_str_eq(json_string_value(json_object_get(fields, "customer.email")),
                     "Debe ser un texto.");
}
END_TEST

START_TEST(server_errors_are_logged_client_errors_not)
{
    kfm_req *kr = request("GET", "/api/test");
    kfm_reply_error(kr, HTTP_CONFLICT, "slot_unavailable");
    ck_assert_ptr_null(kf_check_log_last());

    kr = request("GET", "/api/test");
    kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    kf_check_error(kr->r, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    ck_assert_int_eq(kf_check_log_count("answered 500 internal_error"), 1);
    ck_assert_ptr_nonnull(strstr(kf_check_log_last(), kr->id));   /* the request id tags it */
}
END_TEST

START_TEST(internal_error_of_a_lost_database_is_503_to_retry)
{
    kfm_req *kr = request("GET", "/api/test");
    apr_table_setn(kr->r->notes, KFM_DB_LOST_NOTE, "1");
    kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    kf_check_error_answer(kr->r, HTTP_SERVICE_UNAVAILABLE, "service_unavailable",
                          "database_unavailable", KF_LOCALE_ES);
    ck_assert_str_eq(kf_check_header(kr->r, "Retry-After"), "5");
}
END_TEST

START_TEST(database_states_are_answered_as_api_md_says)
{
    kfm_req *kr = request("GET", "/api/test");
    kfm_reply_db_unavailable(kr, KFM_DB_DOWN);
    kf_check_error_answer(kr->r, HTTP_SERVICE_UNAVAILABLE, "service_unavailable",
                          "database_unavailable", KF_LOCALE_ES);
    ck_assert_str_eq(kf_check_header(kr->r, "Retry-After"), "5");

    kr = request("GET", "/api/test");
    kfm_reply_db_unavailable(kr, KFM_DB_SCHEMA_OUTDATED);
    kf_check_error(kr->r, HTTP_SERVICE_UNAVAILABLE, "schema_outdated");
    ck_assert_str_eq(kf_check_header(kr->r, "Retry-After"), "5");
}
END_TEST

START_TEST(repeated_query_parameter_is_400_naming_it)
{
    kfm_req *kr = kfm_req_make(kf_check_request("GET", "/api/test", "page=1&page=2"));
    int reply = -1;
    ck_assert_ptr_null(kfm_query_params(kr, &reply));
    ck_assert_int_eq(reply, OK);
    json_t *error = kf_check_error(kr->r, HTTP_BAD_REQUEST, "invalid_parameter");
    ck_assert_str_eq(json_string_value(json_object_get(error, "parameter")), "page");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(error, "fields"), "page")),
                     kf_message("param_repeated", KF_LOCALE_ES));
}
END_TEST

START_TEST(log_lines_carry_the_request_id_and_no_email)
{
    kfm_req *kr = request("GET", "/api/test");
    kfm_log(kr, APLOG_INFO, "mail to %s refused", "ana@clinica.co");
    const char *line = kf_check_log_last();
    ck_assert_ptr_nonnull(strstr(line, apr_psprintf(pool, "[req %s]", kr->id)));
    ck_assert_ptr_null(strstr(line, "ana@clinica.co"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glue_request");
    TCase *body = tcase_create("json_body");
    tcase_add_checked_fixture(body, kf_check_glue_setup, kf_test_teardown);
    tcase_add_test(body, json_object_body_is_read);
    tcase_add_test(body, json_type_with_parameters_is_json);
    tcase_add_test(body, chunked_body_is_read_across_reads);
    tcase_add_test(body, body_of_the_limit_is_read);
    tcase_add_test(body, declared_larger_body_is_413_unread);
    tcase_add_test(body, streamed_larger_body_is_413_at_the_limit);
    tcase_add_test(body, route_limit_replaces_the_json_one);
    tcase_add_test(body, another_content_type_is_415_unread);
    tcase_add_test(body, no_content_type_is_415);
    tcase_add_test(body, malformed_json_is_400);
    tcase_add_test(body, invalid_utf8_is_400_saying_so);
    tcase_add_test(body, json_that_is_not_an_object_is_400_saying_so);
    tcase_add_test(body, empty_body_is_400_saying_so);
    tcase_add_test(body, client_gone_mid_body_is_400_and_logged);
    suite_add_tcase(s, body);

    TCase *errors = tcase_create("error_answers");
    tcase_add_checked_fixture(errors, kf_check_glue_setup, kf_test_teardown);
    tcase_add_test(errors, error_answer_has_the_one_shape_and_headers);
    tcase_add_test(errors, error_message_follows_accept_language);
    tcase_add_test(errors, head_answer_has_headers_but_no_body);
    tcase_add_test(errors, validation_error_names_each_field);
    tcase_add_test(errors, server_errors_are_logged_client_errors_not);
    tcase_add_test(errors, internal_error_of_a_lost_database_is_503_to_retry);
    tcase_add_test(errors, database_states_are_answered_as_api_md_says);
    tcase_add_test(errors, repeated_query_parameter_is_400_naming_it);
    tcase_add_test(errors, log_lines_carry_the_request_id_and_no_email);
    suite_add_tcase(s, errors);
    return kf_run_suite(s);
}
