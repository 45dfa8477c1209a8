/* A merchant's session as an endpoint that is not public asks for it (mod_kf_session.c), on
 * a stub of httpd and of the database: what no cookie, a cookie that cannot be ours, an
 * unknown or expired token and a missing CSRF token are answered, and which of them reach
 * the database at all. */
#include "glue/kf_check_glue.h"
#include "kf_check_db.h"
#include "mod_kf_session.h"
#include "kf_account.h"
#include "kf_crypto.h"

#include <string.h>

static ap_dbd_t db;   /* the connection the router hands over; the stub never reads it */

static void setup(void)
{
    kf_check_glue_setup();
    static const kfm_sql *const tables[] = {kfm_session_sql, NULL};
    kf_check_db_setup(pool, tables);
}

static const char *const live_row[] = {
    "0b7c4a55-5b9e-4d1f-9a6e-2f1c0e9d8a11",   /* user */
    "6f1d2c3b-4a59-4e8f-8b7a-1c2d3e4f5a6b",   /* tenant */
    "csrf-of-the-session",
    "America/Bogota", "COP", "2026-03-14",
};

/* The database holds a live session for a new token: the token. */
static const char *live_session(void)
{
    kf_check_db_answer("kf_session_touch", 6, live_row);
    return kf_random_token(pool, 32);
}

static kfm_req *request_with_cookie(const char *cookie)
{
    request_rec *r = kf_check_request("POST", "/api/admin/services", NULL);
    if (cookie) {
        apr_table_setn(r->headers_in, "Cookie", cookie);
    }
    return kfm_req_make(r);
}

static const char *session_cookie(const char *token)
{
    return apr_pstrcat(pool, KF_SESSION_COOKIE "=", token, NULL);
}

/* The request is refused 401 unauthenticated. */
static void assert_unauthenticated(kfm_req *kr, int csrf)
{
    int reply = -1;
    ck_assert_ptr_null(kfm_session_admit(kr, &db, csrf, &reply));
    ck_assert_int_eq(reply, OK);
    kf_check_error(kr->r, HTTP_UNAUTHORIZED, "unauthenticated");
}

START_TEST(no_cookie_is_401_without_the_database)
{
    assert_unauthenticated(request_with_cookie(NULL), 0);
    assert_unauthenticated(request_with_cookie("theme=dark; lang=es"), 1);
    ck_assert_int_eq(kf_check_db_calls(), 0);
}
END_TEST

START_TEST(cookie_that_cannot_be_a_token_is_401_without_the_database)
{
    assert_unauthenticated(request_with_cookie(session_cookie("short")), 0);
    assert_unauthenticated(request_with_cookie(session_cookie("")), 0);
    assert_unauthenticated(
        request_with_cookie(session_cookie("abcdefghijklmnopqrstuvwxyz'--DROP")), 0);
    ck_assert_int_eq(kf_check_db_calls(), 0);
}
END_TEST

START_TEST(session_cookie_sent_twice_is_401_without_the_database)
{
    const char *a = kf_random_token(pool, 32), *b = kf_random_token(pool, 32);
    assert_unauthenticated(
        request_with_cookie(apr_pstrcat(pool, session_cookie(a), "; ", session_cookie(b), NULL)),
        0);
    ck_assert_int_eq(kf_check_db_calls(), 0);
}
END_TEST

START_TEST(unknown_or_expired_token_is_401_asked_by_its_hash)
{
    const char *token = kf_random_token(pool, 32);   /* the database has no row for it */
    assert_unauthenticated(request_with_cookie(session_cookie(token)), 0);
    ck_assert_int_eq(kf_check_db_calls(), 1);
    ck_assert_str_eq(kf_check_db_call_label(0), "kf_session_touch");
    /* only the token's hash is stored and sent: the token itself never reaches the database */
    ck_assert_str_eq(kf_check_db_call_arg(0, 0), kf_sha256_hex(pool, token, strlen(token)));
}
END_TEST

START_TEST(lost_database_is_503_not_a_logout)
{
    /* a 401 would send the merchant back to the login page over a database restart */
    kfm_req *kr = request_with_cookie(session_cookie(live_session()));
    kf_check_db_lose_connection("kf_session_touch");
    int reply = -1;
    ck_assert_ptr_null(kfm_session_admit(kr, &db, 0, &reply));
    ck_assert_int_eq(reply, OK);
    kf_check_error_answer(kr->r, HTTP_SERVICE_UNAVAILABLE, "service_unavailable",
                          "database_unavailable", KF_LOCALE_ES);
    ck_assert_str_eq(apr_table_get(kr->r->err_headers_out, "Retry-After"), "5");
}
END_TEST

START_TEST(live_session_is_admitted_to_read)
{
    const char *token = live_session();
    kfm_req *kr = request_with_cookie(apr_pstrcat(pool, "theme=dark;  ", session_cookie(token),
                                                  "; lang=es", NULL));
    int reply = -1;
    const kfm_session *s = kfm_session_admit(kr, &db, 0, &reply);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(reply, -1);                        /* nothing answered */
    ck_assert_str_eq(kf_check_sent(kr->r, NULL), "");
    ck_assert_str_eq(s->user_id, live_row[0]);
    ck_assert_str_eq(s->tenant.id, live_row[1]);
    ck_assert_str_eq(s->tenant.timezone, "America/Bogota");
    ck_assert_str_eq(s->tenant.currency, "COP");
    ck_assert_str_eq(s->tenant.today, "2026-03-14");
    ck_assert_str_eq(s->token_hash, kf_sha256_hex(pool, token, strlen(token)));
}
END_TEST

START_TEST(state_change_without_the_csrf_token_is_403)
{
    kfm_req *kr = request_with_cookie(session_cookie(live_session()));
    int reply = -1;
    ck_assert_ptr_null(kfm_session_admit(kr, &db, 1, &reply));
    kf_check_error(kr->r, HTTP_FORBIDDEN, "csrf_failed");
}
END_TEST

START_TEST(state_change_with_another_csrf_token_is_403)
{
    static const char *const wrong[] = {"csrf-of-the-sessio", "csrf-of-the-session ",
                                        "CSRF-OF-THE-SESSION", "", NULL};
    const char *token = live_session();
    for (int i = 0; wrong[i]; i++) {
        kfm_req *kr = request_with_cookie(session_cookie(token));
        apr_table_setn(kr->r->headers_in, "X-CSRF-Token", wrong[i]);
        int reply = -1;
        ck_assert_ptr_null(kfm_session_admit(kr, &db, 1, &reply));
        kf_check_error(kr->r, HTTP_FORBIDDEN, "csrf_failed");
    }
}
END_TEST

START_TEST(state_change_with_the_csrf_token_is_admitted)
{
    kfm_req *kr = request_with_cookie(session_cookie(live_session()));
    apr_table_setn(kr->r->headers_in, "X-CSRF-Token", "csrf-of-the-session");
    int reply = -1;
    ck_assert_ptr_nonnull(kfm_session_admit(kr, &db, 1, &reply));
    ck_assert_str_eq(kf_check_sent(kr->r, NULL), "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glue_session");
    TCase *tc = tcase_create("admit");
    tcase_add_checked_fixture(tc, setup, kf_test_teardown);
    tcase_add_test(tc, no_cookie_is_401_without_the_database);
    tcase_add_test(tc, cookie_that_cannot_be_a_token_is_401_without_the_database);
    tcase_add_test(tc, session_cookie_sent_twice_is_401_without_the_database);
    tcase_add_test(tc, unknown_or_expired_token_is_401_asked_by_its_hash);
    tcase_add_test(tc, lost_database_is_503_not_a_logout);
    tcase_add_test(tc, live_session_is_admitted_to_read);
    tcase_add_test(tc, state_change_without_the_csrf_token_is_403);
    tcase_add_test(tc, state_change_with_another_csrf_token_is_403);
    tcase_add_test(tc, state_change_with_the_csrf_token_is_admitted);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
