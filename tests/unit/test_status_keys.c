/* Unit tests for lib/status/kf_status_keys.c: the key ids the status page names, read back by
 * konfirmado-reseal, and when a rotation is refused. */
#include "kf_check.h"
#include "kf_status_keys.h"

#include <string.h>

static const char *page_of(const kf_status_key *keys, int n)
{
    kf_status_text *t = kf_status_text_make(pool);
    kf_status_page_keys(t, keys, n);
    return kf_status_text_join(t);
}

static apr_array_header_t *read_back(const kf_status_key *keys, int n)
{
    return kf_status_keys_read(pool, page_of(keys, n));
}

START_TEST(each_key_id_of_each_host_with_the_sealing_one_marked)
{
    const kf_status_key keys[] = {{"example.com:443", "4c6672dc", 1},
                                  {"example.com:443", "ac54e576", 0}};
    const char *text = page_of(keys, 2);
    ck_assert_ptr_nonnull(strstr(text, "# TYPE konfirmado_key_info gauge\n"));
    ck_assert_ptr_nonnull(strstr(text, "konfirmado_key_info{server=\"example.com:443\","
                                       "kid=\"4c6672dc\",sealing=\"1\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(text, "konfirmado_key_info{server=\"example.com:443\","
                                       "kid=\"ac54e576\",sealing=\"0\"} 1\n"));
    /* no key loaded: the family is there, empty */
    ck_assert_ptr_nonnull(strstr(page_of(NULL, 0), "# TYPE konfirmado_key_info gauge\n"));
}
END_TEST

START_TEST(the_page_reads_back_among_other_families)
{
    const kf_status_key keys[] = {{"a \"quoted\" \\ host:443", "4c6672dc", 1},
                                  {"b.example:443", "ac54e576", 0}};
    const char *text = apr_pstrcat(pool, "# HELP konfirmado_database_up 1 when...\n"
                                         "konfirmado_database_up 1\r\n",
                                   page_of(keys, 2), "konfirmado_key_info_other{kid=\"x\"} 1\n"
                                   "konfirmado_key_info{kid=\"ffffffff\"} 1\n"   /* no server */
                                   "konfirmado_key_info{server=\"x\",kid=\"1\",sealing=\"1} 1",
                                   NULL);
    apr_array_header_t *read = kf_status_keys_read(pool, text);
    ck_assert_int_eq(read->nelts, 2);
    const kf_status_key *k = (const kf_status_key *)read->elts;
    ck_assert_str_eq(k[0].server, "a \"quoted\" \\ host:443");
    ck_assert_str_eq(k[0].kid, "4c6672dc");
    ck_assert_int_eq(k[0].sealing, 1);
    ck_assert_str_eq(k[1].server, "b.example:443");
    ck_assert_int_eq(k[1].sealing, 0);
    ck_assert_int_eq(kf_status_keys_read(pool, "")->nelts, 0);
    ck_assert_int_eq(kf_status_keys_read(pool, NULL)->nelts, 0);
}
END_TEST

START_TEST(a_rotation_goes_on_only_when_every_server_seals_with_the_new_key)
{
    const kf_status_key ready[] = {{"example.com:443", "4c6672dc", 1},
                                   {"example.com:443", "ac54e576", 0},
                                   {"reservas.example.co:443", "4c6672dc", 1}};
    ck_assert_ptr_null(kf_status_keys_refusal(pool, read_back(ready, 3), "4c6672dc"));
}
END_TEST

START_TEST(a_server_without_the_new_key_refuses_it)
{
    const kf_status_key old_only[] = {{"example.com:443", "ac54e576", 1}};
    const char *why = kf_status_keys_refusal(pool, read_back(old_only, 1), "4c6672dc");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "the running server example.com:443 does not have key "
                                      "4c6672dc (it has ac54e576)"));
    ck_assert_ptr_nonnull(strstr(why, "apachectl graceful"));
    /* the second host of the server lacks it */
    const kf_status_key one_host[] = {{"example.com:443", "4c6672dc", 1},
                                      {"reservas.example.co:443", "ac54e576", 1}};
    why = kf_status_keys_refusal(pool, read_back(one_host, 2), "4c6672dc");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "reservas.example.co:443 does not have key 4c6672dc"));
}
END_TEST

START_TEST(a_server_that_seals_with_another_key_refuses_it)
{
    const kf_status_key second[] = {{"example.com:443", "ac54e576", 1},
                                    {"example.com:443", "4c6672dc", 0}};
    const char *why = kf_status_keys_refusal(pool, read_back(second, 2), "4c6672dc");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "the running server example.com:443 has key 4c6672dc but "
                                      "seals with ac54e576"));
    const kf_status_key none[] = {{"example.com:443", "4c6672dc", 0}};
    why = kf_status_keys_refusal(pool, read_back(none, 1), "4c6672dc");
    ck_assert_ptr_nonnull(strstr(why, "seals with none"));
}
END_TEST

START_TEST(a_page_naming_no_key_refuses)
{
    const char *why = kf_status_keys_refusal(pool, kf_status_keys_read(pool, "Forbidden\n"),
                                             "4c6672dc");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "names no key of a running server"));
    ck_assert_ptr_nonnull(kf_status_keys_refusal(pool, NULL, "4c6672dc"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("status_keys");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, each_key_id_of_each_host_with_the_sealing_one_marked);
    tcase_add_test(tc, the_page_reads_back_among_other_families);
    tcase_add_test(tc, a_rotation_goes_on_only_when_every_server_seals_with_the_new_key);
    tcase_add_test(tc, a_server_without_the_new_key_refuses_it);
    tcase_add_test(tc, a_server_that_seals_with_another_key_refuses_it);
    tcase_add_test(tc, a_page_naming_no_key_refuses);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
