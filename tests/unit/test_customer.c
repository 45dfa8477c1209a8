/* Unit tests for lib/bookings/kf_customer.c: the customer rules of POST /api/public/bookings. */
#include "kf_check.h"
#include "kf_customer.h"

#include <string.h>

START_TEST(names)
{
    ck_assert_ptr_null(kf_customer_check_name("Jo"));
    ck_assert_ptr_null(kf_customer_check_name("Ñu"));            /* 2 code points, 3 bytes */
    ck_assert_ptr_null(kf_customer_check_name("María José Pérez"));
    char hundred[256] = "";
    for (int i = 0; i < 100; i++) {
        strcat(hundred, "é");
    }
    ck_assert_ptr_null(kf_customer_check_name(hundred));          /* 100 code points */
    strcat(hundred, "e");
    ck_assert_str_eq(kf_customer_check_name(hundred), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name("J"), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name(""), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name("   "), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name(NULL), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name("Ana\nMaría"), "customer_name_invalid");
}
END_TEST

START_TEST(emails)
{
    static const char *good[] = {
        "juan@example.com", "first.last+tag@sub.example.co", "x!#$%&'*+/=?^_`{|}~-@example.com",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ck_assert_msg(kf_customer_check_email(good[i]) == NULL, "%s", good[i]);
    }
    static const char *bad[] = {
        "", "juan", "juan@", "@example.com", "juan@@example.com", ".juan@example.com",
        "juan.@example.com", "ju..an@example.com", "juan@example..com", "juan@.example.com",
        "juan pérez@example.com", "juan@exa mple.com", "\"unterminated@example.com",
        "juan@[1.2.3.4", "a\"b@example.com", "juan@example.com.",
        /* the booking's mails could never be sent to these */
        "ana@clinica", "a@b", "\"john doe\"@example.com", "user@[192.168.0.1]",
        "josé@ejemplo.co",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(kf_customer_check_email(bad[i]) != NULL, "%s", bad[i]);
    }
    ck_assert_ptr_nonnull(kf_customer_check_email(NULL));
    /* 254 bytes is the limit */
    char addr[300];
    memset(addr, 'a', 64);
    addr[64] = '@';
    memset(addr + 65, 'b', 254 - 65 - 4);
    addr[65 + 50] = addr[65 + 110] = addr[65 + 170] = '.';   /* DNS labels: 63 bytes at most */
    strcpy(addr + 254 - 4, ".com");
    ck_assert_int_eq(strlen(addr), 254);
    ck_assert_ptr_null(kf_customer_check_email(addr));
    memmove(addr + 1, addr, 255);
    ck_assert_str_eq(kf_customer_check_email(addr), "customer_email_too_long");
}
END_TEST

START_TEST(phones)
{
    ck_assert_ptr_null(kf_customer_check_phone("+12025550123", NULL));
    ck_assert_ptr_null(kf_customer_check_phone("+12345678", "US"));          /* 8 digits */
    ck_assert_ptr_null(kf_customer_check_phone("+123456789012345", "MX"));   /* 15 digits */
    ck_assert_str_eq(kf_customer_check_phone("+1234567", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("+1234567890123456", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("573001234567", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("+57 300 1234567", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone(NULL, NULL), "customer_phone_invalid");
    /* Colombia: +57 and exactly 10 digits */
    ck_assert_ptr_null(kf_customer_check_phone("+573001234567", "CO"));
    ck_assert_str_eq(kf_customer_check_phone("+57300123456", "CO"), "customer_phone_invalid_co");
    ck_assert_str_eq(kf_customer_check_phone("+5730012345678", "CO"), "customer_phone_invalid_co");
    ck_assert_str_eq(kf_customer_check_phone("+12025550123", "CO"), "customer_phone_invalid_co");
    ck_assert_ptr_null(kf_customer_check_phone("+5730012345678", "MX"));
}
END_TEST

START_TEST(notes)
{
    char text[4100] = "";
    ck_assert_ptr_null(kf_customer_check_notes(NULL));
    ck_assert_ptr_null(kf_customer_check_notes(""));
    for (int i = 0; i < 1000; i++) {
        strcat(text, "ñ");
    }
    ck_assert_ptr_null(kf_customer_check_notes(text));
    strcat(text, "x");
    ck_assert_str_eq(kf_customer_check_notes(text), "notes_too_long");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("customer");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, names);
    tcase_add_test(tc, emails);
    tcase_add_test(tc, phones);
    tcase_add_test(tc, notes);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
