/* Unit suite for lib/tenant/kf_domain_proof.c: the proof that a merchant controls the domain
 * it names, its URL, the judgement of the answer and the status the merchant is shown. */
#include "kf_check.h"
#include <string.h>

#include "kf_domain_proof.h"
#include "kf_json.h"

#define TOKEN "kf-3b9d0c7e41f2a8d6"

/* A web server that answers the token, or nothing (baton NULL); it checks how it is asked. */
static apr_status_t answer_token(void *baton, apr_pool_t *p, const kf_http_request *req,
                                 kf_http_response **resp, const char **why)
{
    ck_assert_str_eq(req->method, "GET");
    ck_assert_int_eq(req->filter_addresses, 1);
    ck_assert_int_eq(req->timeout_ms, KF_DOMAIN_PROOF_TIMEOUT_MS);
    ck_assert_int_eq(req->max_response_bytes, KF_DOMAIN_PROOF_MAX_BYTES);
    ck_assert_int_eq(req->truncate_response, 1);
    if (!baton) {
        *why = "connection refused";
        return APR_ECONNREFUSED;
    }
    *resp = apr_pcalloc(p, sizeof(**resp));
    (*resp)->status = 200;
    (*resp)->body = baton;
    (*resp)->body_len = strlen(baton);
    return APR_SUCCESS;
}

START_TEST(the_proof_is_fetched_over_plain_http_on_the_domain)
{
    ck_assert_str_eq(kf_domain_proof_url(pool, "reservas.clinica.co", 80),
                     "http://reservas.clinica.co/.well-known/konfirmado-domain.txt");
    ck_assert_str_eq(kf_domain_proof_url(pool, "reservas.clinica.co", 0),
                     "http://reservas.clinica.co/.well-known/konfirmado-domain.txt");
    ck_assert_str_eq(kf_domain_proof_url(pool, "shop.localhost", 8081),
                     "http://shop.localhost:8081/.well-known/konfirmado-domain.txt");
}
END_TEST

START_TEST(only_the_token_with_200_proves_the_domain)
{
    ck_assert_ptr_null(kf_domain_proof_judge(200, TOKEN, strlen(TOKEN), TOKEN));
    /* an editor's final newline, a CRLF, spaces around it */
    const char *spaced = "  " TOKEN "\r\n";
    ck_assert_ptr_null(kf_domain_proof_judge(200, spaced, strlen(spaced), TOKEN));
    /* the body is not read past its length */
    const char *longer = TOKEN "extra";
    ck_assert_ptr_null(kf_domain_proof_judge(200, longer, strlen(TOKEN), TOKEN));
}
END_TEST

START_TEST(anything_else_says_why_not)
{
    ck_assert_str_eq(kf_domain_proof_judge(0, NULL, 0, TOKEN), "domain_proof_unreachable");
    ck_assert_str_eq(kf_domain_proof_judge(404, "not found", 9, TOKEN), "domain_proof_status");
    /* a redirect is not followed: the answer must come from the domain itself */
    ck_assert_str_eq(kf_domain_proof_judge(301, "", 0, TOKEN), "domain_proof_status");
    ck_assert_str_eq(kf_domain_proof_judge(500, TOKEN, strlen(TOKEN), TOKEN), "domain_proof_status");
    ck_assert_str_eq(kf_domain_proof_judge(200, "", 0, TOKEN), "domain_proof_mismatch");
    ck_assert_str_eq(kf_domain_proof_judge(200, NULL, 0, TOKEN), "domain_proof_mismatch");
    /* another token, one cut short, one with more after it, one inside a page */
    ck_assert_str_eq(kf_domain_proof_judge(200, "kf-other", 8, TOKEN), "domain_proof_mismatch");
    ck_assert_str_eq(kf_domain_proof_judge(200, TOKEN, strlen(TOKEN) - 1, TOKEN),
                     "domain_proof_mismatch");
    const char *more = TOKEN " " TOKEN;
    ck_assert_str_eq(kf_domain_proof_judge(200, more, strlen(more), TOKEN), "domain_proof_mismatch");
    const char *page = "<html>" TOKEN "</html>";
    ck_assert_str_eq(kf_domain_proof_judge(200, page, strlen(page), TOKEN), "domain_proof_mismatch");
    /* no token (no domain claimed) proves nothing, whatever is served */
    ck_assert_str_eq(kf_domain_proof_judge(200, "", 0, ""), "domain_proof_mismatch");
    ck_assert_str_eq(kf_domain_proof_judge(200, "x", 1, NULL), "domain_proof_mismatch");
}
END_TEST

START_TEST(the_merchant_sees_the_token_the_url_and_the_status)
{
    json_t *pending = kf_domain_proof_json(pool, "reservas.clinica.co", TOKEN, NULL, 80);
    ck_assert_str_eq(kf_json_dump(pool, pending),
                     "{\"domain\":\"reservas.clinica.co\",\"status\":\"pending\",\"token\":\""
                     TOKEN "\",\"url\":\"http://reservas.clinica.co/.well-known/"
                     "konfirmado-domain.txt\",\"verified_at\":null}");
    json_decref(pending);
    json_t *done = kf_domain_proof_json(pool, "reservas.clinica.co", TOKEN,
                                        "2026-04-02T15:00:00Z", 80);
    ck_assert_str_eq(json_string_value(json_object_get(done, "status")), "verified");
    ck_assert_str_eq(json_string_value(json_object_get(done, "verified_at")),
                     "2026-04-02T15:00:00Z");
    json_decref(done);
    json_t *none = kf_domain_proof_json(pool, NULL, NULL, NULL, 80);
    ck_assert(json_is_null(none));
    json_decref(none);
}
END_TEST

START_TEST(the_proof_is_asked_over_plain_http_through_the_address_filter)
{
    static const kf_http_impl impl = {"fake", answer_token};
    const char *url = kf_domain_proof_url(pool, "reservas.clinica.co", 80);
    const char *body = NULL, *why = NULL;
    apr_size_t len = 0;
    kf_http_client *up = kf_http_client_create(pool, &impl, (void *)TOKEN);
    ck_assert_int_eq(kf_domain_proof_fetch(up, pool, url, NULL, &body, &len, &why), 200);
    ck_assert_ptr_null(kf_domain_proof_judge(200, body, len, TOKEN));
    kf_http_client *down = kf_http_client_create(pool, &impl, NULL);
    ck_assert_int_eq(kf_domain_proof_fetch(down, pool, url, NULL, &body, &len, &why), 0);
    ck_assert_str_eq(why, "connection refused");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("domain_proof");
    TCase *tc = tcase_create("domain_proof");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_proof_is_fetched_over_plain_http_on_the_domain);
    tcase_add_test(tc, the_proof_is_asked_over_plain_http_through_the_address_filter);
    tcase_add_test(tc, only_the_token_with_200_proves_the_domain);
    tcase_add_test(tc, anything_else_says_why_not);
    tcase_add_test(tc, the_merchant_sees_the_token_the_url_and_the_status);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
