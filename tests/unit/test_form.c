/* Unit tests for lib/requests/kf_form.c: a field of a form body, urlencoded or multipart, as
 * mail providers send RFC 8058's one-click unsubscribe. */
#include "kf_check.h"
#include "kf_form.h"

#include <string.h>

static const char *field(const char *type, const char *body, const char *name)
{
    return kf_form_field(pool, type, body, strlen(body), name);
}

#define FORM "application/x-www-form-urlencoded"

START_TEST(form_kinds)
{
    ck_assert_int_eq(kf_form_kind_of(FORM), KF_FORM_URLENCODED);
    ck_assert_int_eq(kf_form_kind_of("Application/X-WWW-Form-Urlencoded; charset=UTF-8"),
                     KF_FORM_URLENCODED);
    ck_assert_int_eq(kf_form_kind_of("multipart/form-data; boundary=abc"), KF_FORM_MULTIPART);
    ck_assert_int_eq(kf_form_kind_of("multipart/form-datax"), KF_FORM_NONE);
    ck_assert_int_eq(kf_form_kind_of("multipart/mixed; boundary=abc"), KF_FORM_NONE);
    ck_assert_int_eq(kf_form_kind_of("text/plain"), KF_FORM_NONE);
    ck_assert_int_eq(kf_form_kind_of("application/json"), KF_FORM_NONE);
    ck_assert_int_eq(kf_form_kind_of(NULL), KF_FORM_NONE);
}
END_TEST

START_TEST(urlencoded_fields)
{
    ck_assert_str_eq(field(FORM, "List-Unsubscribe=One-Click", "List-Unsubscribe"), "One-Click");
    ck_assert_str_eq(field(FORM, "a=1&List-Unsubscribe=One-Click\r\n", "List-Unsubscribe"),
                     "One-Click");
    ck_assert_str_eq(field(FORM, "x=a%20b+c", "x"), "a b c");
    ck_assert_ptr_null(field(FORM, "a=1", "List-Unsubscribe"));
    ck_assert_ptr_null(field(FORM, "", "a"));
    /* twice, or badly encoded: no value */
    ck_assert_ptr_null(field(FORM, "a=1&a=2", "a"));
    ck_assert_ptr_null(field(FORM, "a=%zz", "a"));
    /* not a form */
    ck_assert_ptr_null(field("text/plain", "a=1", "a"));
    ck_assert_ptr_null(kf_form_field(pool, FORM, NULL, 0, "a"));
}
END_TEST

START_TEST(multipart_fields)
{
    const char *type = "multipart/form-data; boundary=----b7";
    const char *one = "------b7\r\n"
                      "Content-Disposition: form-data; name=\"List-Unsubscribe\"\r\n"
                      "\r\n"
                      "One-Click\r\n"
                      "------b7--\r\n";
    ck_assert_str_eq(field(type, one, "List-Unsubscribe"), "One-Click");
    ck_assert_ptr_null(field(type, one, "List"));
    /* a preamble, another field first, a header of any case, an unquoted name, a quoted
     * boundary, bare line feeds */
    const char *two = "preamble\r\n"
                      "--xyz\r\n"
                      "content-disposition: form-data; name=\"other\"\r\n"
                      "\r\n"
                      "1\r\n"
                      "--xyz\r\n"
                      "CONTENT-DISPOSITION: form-data; name=List-Unsubscribe\r\n"
                      "Content-Type: text/plain\r\n"
                      "\r\n"
                      "One-Click\r\n"
                      "--xyz--";
    ck_assert_str_eq(field("multipart/form-data; charset=utf-8; boundary=\"xyz\"", two,
                           "List-Unsubscribe"), "One-Click");
    ck_assert_str_eq(field("multipart/form-data; boundary=xyz", two, "other"), "1");
    const char *lf = "--q\nContent-Disposition: form-data; name=\"a\"\n\nvalue\n--q--\n";
    ck_assert_str_eq(field("multipart/form-data; boundary=q", lf, "a"), "value");
    /* filename= is no name */
    const char *file = "--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n"
                       "\r\nx\r\n--q--\r\n";
    ck_assert_ptr_null(field("multipart/form-data; boundary=q", file, "a"));
    ck_assert_str_eq(field("multipart/form-data; boundary=q", file, "f"), "x");
    /* no boundary, another boundary, no close delimiter, the field twice: no value */
    ck_assert_ptr_null(field("multipart/form-data", one, "List-Unsubscribe"));
    ck_assert_ptr_null(field("multipart/form-data; boundary=other", one, "List-Unsubscribe"));
    const char *open = "------b7\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n"
                       "\r\nOne-Click\r\n";
    ck_assert_ptr_null(field(type, open, "List-Unsubscribe"));
    const char *twice = "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                        "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--q--\r\n";
    ck_assert_ptr_null(field("multipart/form-data; boundary=q", twice, "a"));
    ck_assert_ptr_null(field(type, "", "List-Unsubscribe"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("form");
    TCase *tc = tcase_create("fields");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, form_kinds);
    tcase_add_test(tc, urlencoded_fields);
    tcase_add_test(tc, multipart_fields);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
