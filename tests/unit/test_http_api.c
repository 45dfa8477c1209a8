/* kf_http_api: the requests to providers' JSON APIs and their answers, through a fake
 * kf_http implementation (no I/O). */
#include "kf_check.h"
#include "kf_http_api.h"

#include <string.h>

typedef struct {
    const char *seen_url;  /* of the last request that reached the fake */
    int status;
    const char *body;      /* NULL: the transport fails */
} fake_server;

static apr_status_t fake_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    fake_server *f = baton;
    f->seen_url = req->url;
    if (!f->body) {
        *why = "fake transport failure";
        return APR_ECONNREFUSED;
    }
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = f->status;
    r->headers = apr_table_make(p, 1);
    r->body = f->body;
    r->body_len = strlen(f->body);
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fake_impl = {"fake", fake_perform};

START_TEST(request_accepts_json_and_carries_the_bearer)
{
    kf_http_request *req = kf_http_api_request(pool, "GET", "https://api.example/v1/x", "tok_1");
    ck_assert_str_eq(req->method, "GET");
    ck_assert_str_eq(req->url, "https://api.example/v1/x");
    ck_assert_str_eq(apr_table_get(req->headers, "Accept"), "application/json");
    ck_assert_str_eq(apr_table_get(req->headers, "Authorization"), "Bearer tok_1");
    ck_assert_ptr_null(req->body);
    ck_assert_int_eq(req->timeout_ms, KF_HTTP_DEFAULT_TIMEOUT_MS);

    kf_http_request *anonymous = kf_http_api_request(pool, "POST", "https://api.example/", NULL);
    ck_assert_ptr_null(apr_table_get(anonymous->headers, "Authorization"));
    ck_assert_str_eq(apr_table_get(anonymous->headers, "Accept"), "application/json");
}
END_TEST

START_TEST(body_with_its_content_type)
{
    kf_http_request *req = kf_http_api_request(pool, "POST", "https://api.example/", NULL);
    kf_http_request_set_body(req, "application/x-www-form-urlencoded", "a=1&b=2");
    ck_assert_str_eq(apr_table_get(req->headers, "Content-Type"),
                     "application/x-www-form-urlencoded");
    ck_assert_str_eq(req->body, "a=1&b=2");
    ck_assert_uint_eq(req->body_len, 7);
}
END_TEST

START_TEST(exchange_reads_a_json_object)
{
    fake_server f = {NULL, 201, "{\"id\":\"x1\",\"n\":2}"};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    kf_http_request *req = kf_http_api_request(pool, "POST", "https://api.example/", "k");
    int status = 0;
    json_t *doc = NULL;
    const char *why = NULL;
    ck_assert_int_eq(kf_http_api_exchange(c, pool, req, &status, &doc, &why), APR_SUCCESS);
    ck_assert_str_eq(f.seen_url, "https://api.example/");
    ck_assert_int_eq(status, 201);
    ck_assert(json_is_object(doc));
    ck_assert_str_eq(json_string_value(json_object_get(doc, "id")), "x1");
    ck_assert_ptr_null(why);
}
END_TEST

START_TEST(exchange_keeps_the_status_of_an_answer_that_is_no_object)
{
    static const char *const bodies[] = {"", "not json", "[1,2]", "\"text\""};
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        fake_server f = {NULL, 502, bodies[i]};
        kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
        int status = 0;
        json_t *doc = (json_t *)1;
        const char *why = NULL;
        ck_assert_int_eq(kf_http_api_exchange(c, pool,
                                              kf_http_api_request(pool, "GET", "https://a.example/",
                                                                  NULL),
                                              &status, &doc, &why),
                         APR_SUCCESS);
        ck_assert_int_eq(status, 502);
        ck_assert_ptr_null(doc);
    }
}
END_TEST

START_TEST(exchange_passes_a_transport_failure_on)
{
    fake_server f = {NULL, 0, NULL};
    kf_http_client *c = kf_http_client_create(pool, &fake_impl, &f);
    int status = -1;
    json_t *doc = NULL;
    const char *why = NULL;
    ck_assert_int_eq(kf_http_api_exchange(c, pool,
                                          kf_http_api_request(pool, "GET", "https://a.example/", NULL),
                                          &status, &doc, &why),
                     APR_ECONNREFUSED);
    ck_assert_str_eq(why, "fake transport failure");
    ck_assert_int_eq(status, 0);      /* no answer came (what a provider's failure is told by) */
    ck_assert_ptr_null(doc);

    /* the URL policy of kf_http still applies */
    f.seen_url = NULL;
    ck_assert_int_eq(kf_http_api_exchange(c, pool,
                                          kf_http_api_request(pool, "GET", "http://a.example/", NULL),
                                          &status, &doc, &why),
                     APR_EINVAL);
    ck_assert_ptr_null(f.seen_url);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_api");
    TCase *tc = tcase_create("http_api");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, request_accepts_json_and_carries_the_bearer);
    tcase_add_test(tc, body_with_its_content_type);
    tcase_add_test(tc, exchange_reads_a_json_object);
    tcase_add_test(tc, exchange_keeps_the_status_of_an_answer_that_is_no_object);
    tcase_add_test(tc, exchange_passes_a_transport_failure_on);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
