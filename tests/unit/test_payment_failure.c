/* Unit suite for lib/payments/kf_payment_failure.c: what a provider's failure to make a
 * checkout is called when the merchant and the operator are told of it. */
#include "kf_check_fields.h"

#include "kf_http.h"
#include "kf_payment_failure.h"

START_TEST(no_answer_in_time_is_a_timeout)
{
    ck_assert_str_eq(kf_payment_failure_kind(APR_TIMEUP, 0), "timeout");
}
END_TEST

START_TEST(no_answer_at_all_is_a_connection_failure)
{
    ck_assert_str_eq(kf_payment_failure_kind(APR_ECONNREFUSED, 0), "connection");
    ck_assert_str_eq(kf_payment_failure_kind(KF_HTTP_EDNS, 0), "connection");
    ck_assert_str_eq(kf_payment_failure_kind(KF_HTTP_ETLS, 0), "connection");
    ck_assert_str_eq(kf_payment_failure_kind(APR_EGENERAL, 0), "connection");
}
END_TEST

START_TEST(a_5xx_answer_is_a_server_error)
{
    ck_assert_str_eq(kf_payment_failure_kind(APR_EGENERAL, 500), "server_error");
    ck_assert_str_eq(kf_payment_failure_kind(APR_EGENERAL, 503), "server_error");
}
END_TEST

START_TEST(a_refused_key_is_named_so_whatever_the_status)
{
    ck_assert_str_eq(kf_payment_failure_kind(APR_EACCES, 401), "refused_key");
    ck_assert_str_eq(kf_payment_failure_kind(APR_EACCES, 0), "refused_key");
    ck_assert_str_eq(kf_payment_failure_kind(APR_EGENERAL, 403), "refused_key");
}
END_TEST

START_TEST(anything_else_is_other)
{
    ck_assert_str_eq(kf_payment_failure_kind(APR_EGENERAL, 400), "other");
    ck_assert_str_eq(kf_payment_failure_kind(APR_EGENERAL, 200), "other");   /* garbled */
    ck_assert_str_eq(kf_payment_failure_kind(APR_EINVAL, 0), "other");       /* not asked */
    ck_assert_str_eq(kf_payment_failure_kind(APR_ENOSPC, 0), "other");
}
END_TEST

START_TEST(the_audit_record_names_provider_kind_and_status)
{
    ck_assert_str_eq(text_of(kf_payment_failure_record("stripe", APR_EGENERAL, 502)),
                     "{\"provider\":\"stripe\",\"kind\":\"server_error\",\"http_status\":502}");
    ck_assert_str_eq(text_of(kf_payment_failure_record("airwallex", APR_TIMEUP, 0)),
                     "{\"provider\":\"airwallex\",\"kind\":\"timeout\",\"http_status\":null}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payment_failure");
    TCase *tc = tcase_create("kind");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, no_answer_in_time_is_a_timeout);
    tcase_add_test(tc, no_answer_at_all_is_a_connection_failure);
    tcase_add_test(tc, a_5xx_answer_is_a_server_error);
    tcase_add_test(tc, a_refused_key_is_named_so_whatever_the_status);
    tcase_add_test(tc, anything_else_is_other);
    tcase_add_test(tc, the_audit_record_names_provider_kind_and_status);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
