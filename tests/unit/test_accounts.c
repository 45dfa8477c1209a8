/* Unit tests of the account rules: RFC 5322 addresses, password and business name rules,
 * the attempt-limit windows, and the catalog messages of the field errors. */
#include "kf_check.h"
#include "kf_account.h"
#include "kf_email.h"
#include "kf_i18n.h"
#include "kf_ratelimit.h"

#include <apr_strings.h>

#include <string.h>

static char *repeat(char c, size_t n)
{
    char *s = apr_palloc(pool, n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* ---- email ---- */

START_TEST(email_accepts_addr_specs)
{
    static const char *good[] = {
        "ana@example.com", "first.last@sub.example.co", "x+tag@example.com",
        "o'brien@example.ie", "#!$%&'*+-/=?^_`{|}~@example.com", "UPPER@EXAMPLE.COM",
        "user_1-2@xn--80ak6aa92e.com",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ck_assert_msg(kf_email_valid(good[i]), "%s should be valid", good[i]);
    }
}
END_TEST

START_TEST(email_refuses_what_is_not_one)
{
    static const char *bad[] = {
        "", "plain", "@example.com", "ana@", "ana@@example.com", ".ana@example.com",
        "ana.@example.com", "an..a@example.com", "ana@example..com", "ana@.example.com",
        "ana@example.com.", "ana example@example.com", "ana@exa mple.com", "ana(c)@example.com",
        "ana@example.com\n", "\"unterminated@example.com", "\"bad\\\"@example.com",
        "ana@[not[ok]", "ana@[]", "josé@example.com", "ana@exämple.com", "a\"b@example.com",
        "ana,b@example.com", "ana@example,com", "<ana@example.com>",
        /* addr-specs no mail can be delivered to: no dotted host name, quoted local
         * parts, domain literals, local part over 64 bytes */
        "ana@clinica", "a@b", "ana@localhost", "ana@-example.com", "ana@example-.com",
        "ana@exa_mple.com", "\"john doe\"@example.com", "\"a@b\"@example.com",
        "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!kf_email_valid(bad[i]), "%s should be invalid", bad[i]);
    }
    ck_assert(!kf_email_valid(NULL));
}
END_TEST

START_TEST(email_length_limit_is_254_bytes)
{
    /* 64 + 1 + 189 = 254 */
    const char *domain = apr_pstrcat(pool, repeat('d', 60), ".", repeat('e', 60), ".",
                                     repeat('f', 63), ".com", NULL);
    ck_assert_uint_eq(strlen(domain), 189);
    const char *ok = apr_pstrcat(pool, repeat('l', 64), "@", domain, NULL);
    ck_assert_uint_eq(strlen(ok), 254);
    ck_assert(kf_email_valid(ok));
    const char *too_long = apr_pstrcat(pool, repeat('l', 65), "@", domain, NULL);
    ck_assert(!kf_email_valid(too_long));
    ck_assert_str_eq(kf_account_email_problem(too_long), "account_email_too_long");
    ck_assert_str_eq(kf_account_email_problem("nope"), "account_email_invalid");
    ck_assert_ptr_null(kf_account_email_problem(ok));
}
END_TEST

START_TEST(account_emails_must_also_be_deliverable)
{
    ck_assert_ptr_null(kf_account_email_problem("ana+tag@example.com"));
    /* addresses the mailer cannot send to: no account can be verified there */
    ck_assert_str_eq(kf_account_email_problem("\"john doe\"@example.com"), "account_email_invalid");
    ck_assert_str_eq(kf_account_email_problem("user@[192.0.2.1]"), "account_email_invalid");
    ck_assert_str_eq(kf_account_email_problem("a@localhost"), "account_email_invalid");
    ck_assert_str_eq(kf_account_email_problem(NULL), "account_email_invalid");
}
END_TEST

START_TEST(email_normalized_to_lowercase)
{
    ck_assert_str_eq(kf_email_normalize(pool, "Ana.Perez@Example.COM"), "ana.perez@example.com");
    ck_assert_str_eq(kf_email_normalize(pool, "\"Q Z\"@X"), "\"q z\"@x");
    ck_assert_ptr_null(kf_email_normalize(pool, NULL));
}
END_TEST

/* ---- password and business name ---- */

START_TEST(password_length_counts_code_points)
{
    ck_assert_str_eq(kf_account_password_problem("123456789", NULL), "account_password_too_short");
    ck_assert_ptr_null(kf_account_password_problem("1234567890", NULL));
    /* nine two-byte letters are 18 bytes but nine characters */
    ck_assert_str_eq(kf_account_password_problem("ñññññññññ", NULL), "account_password_too_short");
    ck_assert_ptr_null(kf_account_password_problem("ññññññññññ", NULL));
    ck_assert_ptr_null(kf_account_password_problem(repeat('x', 128), NULL));
    ck_assert_str_eq(kf_account_password_problem(repeat('x', 129), NULL),
                     "account_password_too_long");
    /* 128 characters of 4 bytes each: 512 bytes, still acceptable */
    char *emoji = apr_palloc(pool, 128 * 4 + 1);
    for (int i = 0; i < 128; i++) {
        memcpy(emoji + i * 4, "\xF0\x9F\x98\x80", 4);
    }
    emoji[512] = '\0';
    ck_assert_ptr_null(kf_account_password_problem(emoji, NULL));
    ck_assert_str_eq(kf_account_password_problem("", NULL), "account_password_too_short");
    ck_assert_str_eq(kf_account_password_problem(NULL, NULL), "account_password_too_short");
}
END_TEST

START_TEST(password_must_not_be_the_email)
{
    ck_assert_str_eq(kf_account_password_problem("owner@example.com", "owner@example.com"),
                     "account_password_is_email");
    ck_assert_str_eq(kf_account_password_problem("Owner@Example.com", "owner@example.com"),
                     "account_password_is_email");
    ck_assert_ptr_null(kf_account_password_problem("owner@example.com!", "owner@example.com"));
}
END_TEST

START_TEST(business_name_rules)
{
    ck_assert_ptr_null(kf_account_business_name_problem("Clínica Sur"));
    ck_assert_ptr_null(kf_account_business_name_problem("AB"));
    ck_assert_ptr_null(kf_account_business_name_problem("  Ñu  "));
    ck_assert_str_eq(kf_account_business_name_problem("A"), "account_business_name_length");
    ck_assert_str_eq(kf_account_business_name_problem("   A   "), "account_business_name_length");
    ck_assert_str_eq(kf_account_business_name_problem(""), "account_business_name_length");
    ck_assert_str_eq(kf_account_business_name_problem(NULL), "account_business_name_length");
    ck_assert_ptr_null(kf_account_business_name_problem(repeat('n', 100)));
    ck_assert_str_eq(kf_account_business_name_problem(repeat('n', 101)),
                     "account_business_name_length");
    /* 100 two-byte letters: 200 bytes, 100 characters */
    char *enes = apr_palloc(pool, 201);
    for (int i = 0; i < 100; i++) {
        memcpy(enes + i * 2, "ñ", 2);
    }
    enes[200] = '\0';
    ck_assert_ptr_null(kf_account_business_name_problem(enes));
    ck_assert_str_eq(kf_account_business_name_problem("Line\nbreak"), "account_business_name_invalid");
    ck_assert_str_eq(kf_account_business_name_problem("Tab\there"), "account_business_name_invalid");
    ck_assert_str_eq(kf_account_business_name_problem("C1\xC2\x85x"), "account_business_name_invalid");
    ck_assert_str_eq(kf_account_business_name_trim(pool, " \t Clínica Sur \n"), "Clínica Sur");
    ck_assert_str_eq(kf_account_business_name_trim(pool, "   "), "");
}
END_TEST

START_TEST(field_messages_exist_in_both_languages)
{
    static const char *ids[] = {
        "account_field_required", "account_field_not_string", "account_email_invalid",
        "account_email_too_long", "account_password_too_short", "account_password_too_long",
        "account_password_is_email", "account_business_name_length",
        "account_business_name_invalid", "invalid_token", "too_many_attempts",
    };
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        ck_assert_msg(kf_message_known(ids[i]), "no message for %s", ids[i]);
        ck_assert_msg(strcmp(kf_message(ids[i], KF_LOCALE_ES), kf_message(ids[i], KF_LOCALE_EN)),
                      "%s is not translated", ids[i]);
    }
}
END_TEST

/* ---- attempt limits ---- */

static const kf_rl_rule five_per_15min = {5, 900};
static const kf_rl_rule thirty_per_15min = {30, 900};

START_TEST(sixth_attempt_in_the_window_is_refused)
{
    kf_rl_bucket b = {0, 0};
    kf_rl_bucket *bs[] = {&b};
    const kf_rl_rule *rs[] = {&five_per_15min};
    apr_int64_t t0 = 1700000000;
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(kf_rl_take(bs, rs, 1, t0 + i * 60), 0);
    }
    ck_assert_int_eq(b.start, t0);
    ck_assert_uint_eq(b.count, 5);
    /* the window started with the first attempt: 900 s after t0 */
    ck_assert_int_eq(kf_rl_take(bs, rs, 1, t0 + 300), 600);
    ck_assert_int_eq(kf_rl_take(bs, rs, 1, t0 + 899), 1);
    ck_assert_uint_eq(b.count, 5);  /* refused attempts are not counted */
    /* the window is over: a new one starts with this attempt */
    ck_assert_int_eq(kf_rl_take(bs, rs, 1, t0 + 900), 0);
    ck_assert_int_eq(b.start, t0 + 900);
    ck_assert_uint_eq(b.count, 1);
}
END_TEST

START_TEST(take_is_all_or_nothing)
{
    kf_rl_bucket account = {0, 0}, ip = {1000, 30};
    kf_rl_bucket *bs[] = {&account, &ip};
    const kf_rl_rule *rs[] = {&five_per_15min, &thirty_per_15min};
    /* the IP is exhausted: the account bucket must not be charged */
    ck_assert_int_eq(kf_rl_take(bs, rs, 2, 1100), 800);
    ck_assert_uint_eq(account.count, 0);
    ck_assert_uint_eq(ip.count, 30);
    /* both blocked: the later release wins */
    account = (kf_rl_bucket){1050, 5};
    ck_assert_int_eq(kf_rl_take(bs, rs, 2, 1100), 850);
    /* the IP window ended: both charged */
    account = (kf_rl_bucket){0, 0};
    ck_assert_int_eq(kf_rl_take(bs, rs, 2, 1900), 0);
    ck_assert_uint_eq(account.count, 1);
    ck_assert_int_eq(account.start, 1900);
    ck_assert_uint_eq(ip.count, 1);
    ck_assert_int_eq(ip.start, 1900);
}
END_TEST

START_TEST(refund_gives_back_in_the_same_window_only)
{
    kf_rl_bucket b = {1000, 3};
    kf_rl_refund(&b, &five_per_15min, 1100);
    ck_assert_uint_eq(b.count, 2);
    ck_assert_int_eq(b.start, 1000);
    b = (kf_rl_bucket){1000, 3};
    kf_rl_refund(&b, &five_per_15min, 1900);   /* window over: nothing to give back */
    ck_assert_uint_eq(b.count, 3);
    b = (kf_rl_bucket){0, 0};
    kf_rl_refund(&b, &five_per_15min, 1100);
    ck_assert_uint_eq(b.count, 0);
}
END_TEST

START_TEST(clock_going_back_empties_the_bucket)
{
    kf_rl_bucket b = {5000, 5};
    kf_rl_bucket cur = kf_rl_current(b, &five_per_15min, 4000);
    ck_assert_uint_eq(cur.count, 0);
    ck_assert_int_eq(kf_rl_retry_after(b, &five_per_15min, 4000), 0);
    ck_assert_int_eq(kf_rl_retry_after(b, &five_per_15min, 5000), 900);
    ck_assert_int_eq(kf_rl_expires(b, &five_per_15min), 5900);
}
END_TEST

START_TEST(encoding_round_trips_and_refuses_garbage)
{
    char buf[KF_RL_ENCODED_MAX];
    kf_rl_bucket b = {1700000000, 7}, back;
    kf_rl_encode(b, buf);
    ck_assert_str_eq(buf, "1700000000 7");
    ck_assert(kf_rl_decode(buf, strlen(buf), &back));
    ck_assert_int_eq(back.start, b.start);
    ck_assert_uint_eq(back.count, 7);
    b = (kf_rl_bucket){APR_INT64_MAX, 0xFFFFFFFFu};
    kf_rl_encode(b, buf);
    ck_assert(kf_rl_decode(buf, strlen(buf), &back));
    ck_assert_int_eq(back.start, APR_INT64_MAX);
    ck_assert_uint_eq(back.count, 0xFFFFFFFFu);
    /* only the len bytes count: no NUL is needed */
    ck_assert(kf_rl_decode("12 3garbage", 4, &back));
    ck_assert_uint_eq(back.count, 3);
    static const char *bad[] = {"", "12", "12 ", " 3", "-12 3", "12 -3", "12  3", "012 3",
                                "12 3 4", "12 x", "12 4294967296", "99999999999999999999 1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        back = (kf_rl_bucket){1, 1};
        ck_assert_msg(!kf_rl_decode(bad[i], strlen(bad[i]), &back), "'%s' decoded", bad[i]);
        ck_assert_int_eq(back.start, 0);
        ck_assert_uint_eq(back.count, 0);
    }
    ck_assert(!kf_rl_decode(NULL, 0, &back));
}

START_TEST(passwords_are_bcrypt_of_cost_12)
{
    apr_status_t rv = APR_EGENERAL;
    const char *hash = kf_password_hash(pool, "correct horse battery", &rv);
    ck_assert_int_eq(rv, APR_SUCCESS);
    ck_assert_ptr_nonnull(hash);
    ck_assert(strncmp(hash, "$2y$12$", 7) == 0);
    ck_assert(kf_password_matches("correct horse battery", hash));
    ck_assert(!kf_password_matches("correct horse batterY", hash));
}
END_TEST

START_TEST(the_session_cookie_is_secure_where_the_platform_is_https)
{
    const char *plain = kf_session_cookie(pool, "tok", 60, "http", "http://k.localhost");
    ck_assert_str_eq(plain, "kf_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
    /* over HTTPS, or behind a proxy whose public URL is https:// */
    ck_assert_str_eq(kf_session_cookie(pool, "tok", 60, "https", NULL),
                     "kf_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
    ck_assert_str_eq(kf_session_cookie(pool, "tok", 60, "http", "https://k.example"),
                     "kf_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
    /* signing out: empty and gone at once */
    ck_assert_str_eq(kf_session_cookie(pool, "", 0, NULL, NULL),
                     "kf_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("accounts");
    TCase *tc = tcase_create("rules");
    /* three bcrypt rounds of cost 12 took over Check's 4 s on a 2-core machine under load */
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, email_accepts_addr_specs);
    tcase_add_test(tc, email_refuses_what_is_not_one);
    tcase_add_test(tc, email_length_limit_is_254_bytes);
    tcase_add_test(tc, email_normalized_to_lowercase);
    tcase_add_test(tc, account_emails_must_also_be_deliverable);
    tcase_add_test(tc, password_length_counts_code_points);
    tcase_add_test(tc, password_must_not_be_the_email);
    tcase_add_test(tc, business_name_rules);
    tcase_add_test(tc, field_messages_exist_in_both_languages);
    tcase_add_test(tc, the_session_cookie_is_secure_where_the_platform_is_https);
    tcase_add_test(tc, passwords_are_bcrypt_of_cost_12);
    suite_add_tcase(s, tc);
    TCase *rl = tcase_create("ratelimit");
    tcase_add_checked_fixture(rl, kf_test_setup, kf_test_teardown);
    tcase_add_test(rl, sixth_attempt_in_the_window_is_refused);
    tcase_add_test(rl, take_is_all_or_nothing);
    tcase_add_test(rl, refund_gives_back_in_the_same_window_only);
    tcase_add_test(rl, clock_going_back_empties_the_bucket);
    tcase_add_test(rl, encoding_round_trips_and_refuses_garbage);
    suite_add_tcase(s, rl);
    return kf_run_suite(s);
}
