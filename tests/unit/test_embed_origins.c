/* Unit tests for lib/tenant/kf_embed_origins.c: which sites may frame the booking pages, as
 * the merchant writes them, as they are stored, and as the pages' header names them. */
#include "kf_check_fields.h"
#include "kf_embed_origins.h"

static const char *normal(const char *s)
{
    return kf_embed_origin_normalize(pool, s);
}

START_TEST(an_origin_is_written_as_browsers_write_it)
{
    ck_assert_str_eq(normal("https://shop.example.com"), "https://shop.example.com");
    ck_assert_str_eq(normal("HTTPS://Shop.Example.COM"), "https://shop.example.com");
    ck_assert_str_eq(normal("https://shop.example.com/"), "https://shop.example.com");
    ck_assert_str_eq(normal("https://shop.example.com:443"), "https://shop.example.com");
    ck_assert_str_eq(normal("https://shop.example.com:8443"), "https://shop.example.com:8443");
    ck_assert_str_eq(normal("https://203.0.113.7"), "https://203.0.113.7");
    /* plain http only for a merchant's own machine */
    ck_assert_str_eq(normal("http://localhost:3000"), "http://localhost:3000");
    ck_assert_str_eq(normal("http://127.0.0.2:8080"), "http://127.0.0.2:8080");
    ck_assert_str_eq(normal("http://[::1]:80"), "http://[::1]");
}
END_TEST

START_TEST(anything_but_an_origin_is_refused)
{
    const char *bad[] = {"javascript:alert(1)", "https://a.com/path", "https://a.com/?q=1",
                         "https://a.com#x", "http://shop.com", "http://127.example.com",
                         "https://user@a.com", "https://*.a.com", "https://", "https://:443",
                         "https://a.com:0", "https://a.com:65536", "https://a.com:12ab",
                         "https://-a.com", "https://a-.com", "https://a..com", "ftp://a.com",
                         "https://a.com;", "https://a.com other", "a.com", "",
                         "https://[2001:db8::1]", "http://[::1]x", "https://a.com//"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(normal(bad[i]) == NULL, "%s accepted as %s", bad[i], normal(bad[i]));
    }
    ck_assert_ptr_null(normal(NULL));
}
END_TEST

static const char *read_list(const char *body, const char **why)
{
    json_t *errors = json_object();
    const char *out = kf_embed_origins_read(pool, parse(body), errors);
    const char *id = json_string_value(json_object_get(errors, "embed_origins"));
    *why = id ? apr_pstrdup(pool, id) : NULL;
    json_decref(errors);
    return out;
}

START_TEST(a_list_is_stored_normalized_in_the_order_sent)
{
    const char *why = NULL;
    ck_assert_str_eq(read_list("{\"embed_origins\": [\"https://Shop.COM\", \"http://localhost:8000\"]}",
                               &why),
                     "[\"https://shop.com\",\"http://localhost:8000\"]");
    ck_assert_ptr_null(why);
    ck_assert_str_eq(read_list("{\"embed_origins\": []}", &why), "[]");
    ck_assert_ptr_null(read_list("{\"name\": \"x\"}", &why));   /* not sent: unchanged */
    ck_assert_ptr_null(why);
}
END_TEST

START_TEST(a_bad_list_is_refused_with_why)
{
    const char *why = NULL;
    ck_assert_ptr_null(read_list("{\"embed_origins\": [\"javascript:alert(1)\"]}", &why));
    ck_assert_str_eq(why, "tenant_embed_origin");
    ck_assert_ptr_null(read_list("{\"embed_origins\": [\"https://a.com\", \"https://a.com/path\"]}", &why));
    ck_assert_str_eq(why, "tenant_embed_origin");
    ck_assert_ptr_null(read_list("{\"embed_origins\": [\"http://shop.com\"]}", &why));
    ck_assert_str_eq(why, "tenant_embed_origin");
    ck_assert_ptr_null(read_list("{\"embed_origins\": [\"https://a.com\", \"https://A.com/\"]}", &why));
    ck_assert_str_eq(why, "tenant_embed_origins_duplicate");
    ck_assert_ptr_null(read_list("{\"embed_origins\": \"https://a.com\"}", &why));
    ck_assert_str_eq(why, "tenant_embed_origins_list");
    ck_assert_ptr_null(read_list("{\"embed_origins\": null}", &why));
    ck_assert_str_eq(why, "tenant_embed_origins_list");
    ck_assert_ptr_null(read_list("{\"embed_origins\": [1]}", &why));
    ck_assert_str_eq(why, "tenant_embed_origins_list");
    const char *ten = "{\"embed_origins\": [\"https://a0.com\", \"https://a1.com\", \"https://a2.com\","
                      " \"https://a3.com\", \"https://a4.com\", \"https://a5.com\", \"https://a6.com\","
                      " \"https://a7.com\", \"https://a8.com\", \"https://a9.com\"";
    ck_assert_ptr_nonnull(read_list(apr_pstrcat(pool, ten, "]}", NULL), &why));
    ck_assert_ptr_null(read_list(apr_pstrcat(pool, ten, ", \"https://b.com\"]}", NULL), &why));
    ck_assert_str_eq(why, "tenant_embed_origins_list");
}
END_TEST

START_TEST(the_pages_header_names_the_stored_origins_or_none)
{
    ck_assert_str_eq(kf_embed_frame_ancestors(pool, NULL), "'none'");
    ck_assert_str_eq(kf_embed_frame_ancestors(pool, "[]"), "'none'");
    ck_assert_str_eq(kf_embed_frame_ancestors(pool, "not json"), "'none'");
    ck_assert_str_eq(kf_embed_frame_ancestors(pool, "[\"https://a.com\",\"http://localhost:3000\"]"),
                     "https://a.com http://localhost:3000");
    /* nothing the PATCH would not have stored reaches the header */
    ck_assert_str_eq(kf_embed_frame_ancestors(pool, "[\"https://a.com; script-src *\",\"HTTPS://B.COM\",1]"),
                     "'none'");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("embed_origins");
    TCase *tc = tcase_create("origins");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, an_origin_is_written_as_browsers_write_it);
    tcase_add_test(tc, anything_but_an_origin_is_refused);
    tcase_add_test(tc, a_list_is_stored_normalized_in_the_order_sent);
    tcase_add_test(tc, a_bad_list_is_refused_with_why);
    tcase_add_test(tc, the_pages_header_names_the_stored_origins_or_none);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
