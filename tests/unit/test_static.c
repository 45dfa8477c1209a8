#include "kf_check.h"
#include "kf_static.h"

#include <string.h>

START_TEST(book_paths_are_the_shell)
{
    ck_assert_int_eq(kf_static_classify("/book", NULL), KF_STATIC_SHELL);
    ck_assert_int_eq(kf_static_classify("/book/", NULL), KF_STATIC_SHELL);
    ck_assert_int_eq(kf_static_classify("/book/abcdefghijklmnop", NULL), KF_STATIC_SHELL);
    ck_assert_int_eq(kf_static_classify("/book/abc/confirmation", NULL), KF_STATIC_SHELL);
    ck_assert_int_eq(kf_static_classify("/booking", NULL), KF_STATIC_NONE);
    ck_assert_int_eq(kf_static_classify("/books/x", NULL), KF_STATIC_NONE);
    ck_assert_int_eq(kf_static_classify("/api/public/links/x", NULL), KF_STATIC_NONE);
    ck_assert_int_eq(kf_static_classify("/", NULL), KF_STATIC_NONE);
    ck_assert_int_eq(kf_static_classify(NULL, NULL), KF_STATIC_NONE);
}
END_TEST

START_TEST(dashboard_paths_are_its_shell)
{
    ck_assert_int_eq(kf_static_classify("/dashboard", NULL), KF_STATIC_DASHBOARD);
    ck_assert_int_eq(kf_static_classify("/dashboard/", NULL), KF_STATIC_DASHBOARD);
    ck_assert_int_eq(kf_static_classify("/dashboard/bookings/abc", NULL), KF_STATIC_DASHBOARD);
    ck_assert_int_eq(kf_static_classify("/dashboards", NULL), KF_STATIC_NONE);
    ck_assert_int_eq(kf_static_classify("/dashboardx/y", NULL), KF_STATIC_NONE);
}
END_TEST

START_TEST(static_paths_give_the_rest)
{
    const char *rel = NULL;
    ck_assert_int_eq(kf_static_classify("/static/wizard/app.js", &rel), KF_STATIC_ASSET);
    ck_assert_str_eq(rel, "wizard/app.js");
    ck_assert_int_eq(kf_static_classify("/static/", &rel), KF_STATIC_ASSET);
    ck_assert_str_eq(rel, "");
    ck_assert_int_eq(kf_static_classify("/static", &rel), KF_STATIC_NONE);
    ck_assert_int_eq(kf_static_classify("/staticx/a.js", &rel), KF_STATIC_NONE);
}
END_TEST

START_TEST(account_pages_are_exact_paths)
{
    const char *rel = NULL;
    ck_assert_int_eq(kf_static_classify("/verify-email", &rel), KF_STATIC_PAGE);
    ck_assert_str_eq(rel, "account/verify-email.html");
    ck_assert_int_eq(kf_static_classify("/reset-password", &rel), KF_STATIC_PAGE);
    ck_assert_str_eq(rel, "account/reset-password.html");
    ck_assert_int_eq(kf_static_classify("/reset-password", NULL), KF_STATIC_PAGE);
    ck_assert_int_eq(kf_static_classify("/connect-calendar/abcDEF_-123", &rel), KF_STATIC_PAGE);
    ck_assert_str_eq(rel, "account/connect-calendar.html");
    static const char *const not_pages[] = {
        "/connect-calendar/", "/connect-calendar", "/connect-calendar/a/b",
        "/verify-email/", "/verify-email/x", "/verify-emailx", "/verify", "/reset-password/",
        "/reset-password.html", "/Reset-Password", "/account/verify-email.html",
        "/api/auth/verify-email", "/api/auth/reset-password",
    };
    for (size_t i = 0; i < sizeof(not_pages) / sizeof(not_pages[0]); i++) {
        ck_assert_msg(kf_static_classify(not_pages[i], NULL) == KF_STATIC_NONE, "page '%s'",
                      not_pages[i]);
    }
    const char *path = NULL;
    ck_assert_int_eq(kf_static_classify("/verify-email", &rel), KF_STATIC_PAGE);
    ck_assert_int_eq(kf_static_page_file(pool, "/srv/htdocs", rel, &path), APR_SUCCESS);
    ck_assert_str_eq(path, "/srv/htdocs/account/verify-email.html");
    ck_assert_int_eq(kf_static_page_file(pool, "/srv/htdocs", "../etc/passwd", &path), APR_EINVAL);
    ck_assert_int_eq(kf_static_page_file(pool, NULL, rel, &path), APR_EINVAL);
}
END_TEST

START_TEST(safe_relative_paths_are_accepted)
{
    ck_assert(kf_static_rel_ok("wizard/app.js"));
    ck_assert(kf_static_rel_ok("wizard.css"));
    ck_assert(kf_static_rel_ok("demo/logo-v2_final.svg"));
    ck_assert(kf_static_rel_ok("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p"));   /* 16 segments */
}
END_TEST

START_TEST(traversal_and_odd_paths_are_refused)
{
    static const char *const bad[] = {
        "", "/", "/etc/passwd", "../etc/passwd", "wizard/../../etc/passwd", "..",
        "wizard/..", "./app.js", "wizard/./app.js", ".htaccess", "wizard/.git/config",
        "wizard//app.js", "wizard/", "wizard\\..\\app.js", "wizard/app.js\n", "a b.js",
        "wizard/%2e%2e/x", "wizard/app.js?x", "wizard:app.js", "~root",
        "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q",                               /* 17 segments */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!kf_static_rel_ok(bad[i]), "accepted '%s'", bad[i]);
        const char *path = NULL;
        ck_assert_int_eq(kf_static_file(pool, "/srv/htdocs", bad[i], &path), APR_EINVAL);
    }
    char longseg[102];
    memset(longseg, 'a', 101);
    longseg[101] = '\0';
    ck_assert(!kf_static_rel_ok(longseg));
    ck_assert(!kf_static_rel_ok(NULL));
}
END_TEST

START_TEST(files_stay_under_the_static_folder)
{
    const char *path = NULL;
    ck_assert_int_eq(kf_static_file(pool, "/srv/htdocs", "wizard/app.js", &path), APR_SUCCESS);
    ck_assert_str_eq(path, "/srv/htdocs/static/wizard/app.js");
    ck_assert_int_eq(kf_static_shell_file(pool, "/srv/htdocs", KF_STATIC_SHELL, &path),
                     APR_SUCCESS);
    ck_assert_str_eq(path, "/srv/htdocs/book/index.html");
    ck_assert_int_eq(kf_static_shell_file(pool, "/srv/htdocs", KF_STATIC_DASHBOARD, &path),
                     APR_SUCCESS);
    ck_assert_str_eq(path, "/srv/htdocs/dashboard/index.html");
    ck_assert_int_eq(kf_static_shell_file(pool, "/srv/htdocs", KF_STATIC_ASSET, &path),
                     APR_EINVAL);
    ck_assert_int_eq(kf_static_file(pool, NULL, "wizard/app.js", &path), APR_EINVAL);
    ck_assert_int_eq(kf_static_file(pool, "", "wizard/app.js", &path), APR_EINVAL);
}
END_TEST

/* What each kind of request is answered with, and where. */
START_TEST(each_kind_is_answered_with_its_file)
{
    const char *file = NULL, *cache = "unset";
    ck_assert_int_eq(kf_static_answer(pool, "/srv/htdocs", KF_STATIC_SHELL, NULL, 0, &file,
                                      &cache), APR_SUCCESS);
    ck_assert_str_eq(file, "/srv/htdocs/book/index.html");
    ck_assert_ptr_null(cache);
    ck_assert_int_eq(kf_static_answer(pool, "/srv/htdocs", KF_STATIC_DASHBOARD, NULL, 0, &file,
                                      &cache), APR_SUCCESS);
    ck_assert_str_eq(file, "/srv/htdocs/dashboard/index.html");
    const char *rel = NULL;
    ck_assert_int_eq(kf_static_classify("/verify-email", &rel), KF_STATIC_PAGE);
    ck_assert_int_eq(kf_static_answer(pool, "/srv/htdocs", KF_STATIC_PAGE, rel, 0, &file,
                                      &cache), APR_NOTFOUND);   /* a tenant's host */
    ck_assert_int_eq(kf_static_answer(pool, "/srv/htdocs", KF_STATIC_PAGE, rel, 1, &file,
                                      &cache), APR_SUCCESS);
    ck_assert_str_eq(file, apr_pstrcat(pool, "/srv/htdocs/", rel, NULL));
    ck_assert_int_eq(kf_static_classify(KF_STATIC_EMBED_URI, &rel), KF_STATIC_EMBED);
    ck_assert_int_eq(kf_static_answer(pool, "/srv/htdocs", KF_STATIC_EMBED, rel, 0, &file,
                                      &cache), APR_SUCCESS);
    ck_assert_str_eq(file, "/srv/htdocs/static/" KF_STATIC_EMBED_FILE);
    ck_assert_str_eq(cache, KF_STATIC_EMBED_CACHE);
    ck_assert_int_eq(kf_static_answer(pool, "/srv/htdocs", KF_STATIC_ASSET, "../etc/passwd", 1,
                                      &file, &cache), APR_EINVAL);
    ck_assert_ptr_null(cache);
}
END_TEST

static const char *page_header(const char *name)
{
    for (const kf_static_header *h = kf_static_page_headers; h->name; h++) {
        if (strcmp(h->name, name) == 0) {
            return h->value;
        }
    }
    return NULL;
}

START_TEST(pages_cannot_be_framed_or_run_foreign_scripts)
{
    const char *csp = page_header("Content-Security-Policy");
    ck_assert_ptr_nonnull(csp);
    ck_assert_ptr_nonnull(strstr(csp, "script-src 'self';"));
    ck_assert_ptr_nonnull(strstr(csp, "frame-ancestors 'none'"));
    ck_assert_str_eq(page_header("X-Frame-Options"), "DENY");
    ck_assert_str_eq(page_header("X-Content-Type-Options"), "nosniff");
    ck_assert_str_eq(page_header("Cache-Control"), "no-cache");   /* revalidated after an upgrade */
}
END_TEST

/* A booking page a merchant lets frame differs from the others in its framing only. */
START_TEST(a_framed_page_differs_only_in_who_may_frame_it)
{
    const char *csp = kf_static_page_csp(pool, "https://shop.com http://localhost:3000");
    const char *base = page_header("Content-Security-Policy");
    size_t common = strlen(base) - strlen("'none'");
    ck_assert_int_eq(strncmp(csp, base, common), 0);
    ck_assert_str_eq(csp + common, "https://shop.com http://localhost:3000");
    ck_assert_str_eq(kf_static_page_csp(pool, "'none'"), base);
}
END_TEST

START_TEST(only_a_links_own_pages_may_be_framed)
{
    ck_assert_str_eq(kf_static_book_link(pool, "/book/corte-ana"), "corte-ana");
    ck_assert_str_eq(kf_static_book_link(pool, "/book/corte-ana/"), "corte-ana");
    ck_assert_str_eq(kf_static_book_link(pool, "/book/corte-ana/confirmation"), "corte-ana");
    ck_assert_str_eq(kf_static_book_link(pool, "/book/corte-ana/assistant"), "corte-ana");
    const char *never[] = {"/book", "/book/", "/book/me", "/book/unsubscribe", "/book/manage/b-1",
                           "/book/purchase/p-1", "/book/corte-ana/other", "/dashboard",
                           "/dashboard/business", "/verify-email", "/embed.js", NULL};
    for (int i = 0; never[i]; i++) {
        ck_assert_msg(kf_static_book_link(pool, never[i]) == NULL, "%s", never[i]);
    }
    const char *rel = NULL;
    ck_assert_int_eq(kf_static_classify("/embed.js", &rel), KF_STATIC_EMBED);
    ck_assert_str_eq(rel, "embed.js");
}
END_TEST

static Suite *static_suite(void)
{
    Suite *s = suite_create("static");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, book_paths_are_the_shell);
    tcase_add_test(tc, dashboard_paths_are_its_shell);
    tcase_add_test(tc, account_pages_are_exact_paths);
    tcase_add_test(tc, static_paths_give_the_rest);
    tcase_add_test(tc, safe_relative_paths_are_accepted);
    tcase_add_test(tc, traversal_and_odd_paths_are_refused);
    tcase_add_test(tc, files_stay_under_the_static_folder);
    tcase_add_test(tc, each_kind_is_answered_with_its_file);
    tcase_add_test(tc, pages_cannot_be_framed_or_run_foreign_scripts);
    tcase_add_test(tc, a_framed_page_differs_only_in_who_may_frame_it);
    tcase_add_test(tc, only_a_links_own_pages_may_be_framed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(static_suite());
}
