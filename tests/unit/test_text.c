/* Unit tests for lib/core/kf_text.c: UTF-8 checks and log-safe masking. */
#include "kf_check.h"
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "kf_text.h"


/* Valid over the C string's own length. */
#define VALID(s) kf_utf8_valid((s), sizeof(s) - 1)

/* ---- kf_utf8_valid ---- */

START_TEST(utf8_ascii)
{
    ck_assert_int_eq(VALID(""), 1);
    ck_assert_int_eq(VALID("hello, world"), 1);
    ck_assert_int_eq(VALID("\x01\x1f\x7f"), 1);
    ck_assert_int_eq(kf_utf8_valid(NULL, 0), 1);
    ck_assert_int_eq(kf_utf8_valid(NULL, 1), 0);
}
END_TEST

START_TEST(utf8_multibyte)
{
    ck_assert_int_eq(VALID("\xc3\xb1"), 1);                 /* ñ, 2 bytes */
    ck_assert_int_eq(VALID("ñandú"), 1);
    ck_assert_int_eq(VALID("\xc2\x80"), 1);                 /* U+0080, smallest 2-byte */
    ck_assert_int_eq(VALID("\xdf\xbf"), 1);                 /* U+07FF */
    ck_assert_int_eq(VALID("\xe2\x82\xac"), 1);             /* €, 3 bytes */
    ck_assert_int_eq(VALID("\xe0\xa0\x80"), 1);             /* U+0800, smallest 3-byte */
    ck_assert_int_eq(VALID("\xed\x9f\xbf"), 1);             /* U+D7FF, just below surrogates */
    ck_assert_int_eq(VALID("\xee\x80\x80"), 1);             /* U+E000, just above */
    ck_assert_int_eq(VALID("\xef\xbf\xbf"), 1);             /* U+FFFF */
    ck_assert_int_eq(VALID("\xf0\x9f\x98\x80"), 1);         /* 😀, 4 bytes */
    ck_assert_int_eq(VALID("\xf0\x90\x80\x80"), 1);         /* U+10000, smallest 4-byte */
    ck_assert_int_eq(VALID("\xf4\x8f\xbf\xbf"), 1);         /* U+10FFFF, the last one */
    ck_assert_int_eq(VALID("Reserva con Ñoño 😀 a las 9 €"), 1);
}
END_TEST

START_TEST(utf8_truncated)
{
    ck_assert_int_eq(VALID("\xc3"), 0);
    ck_assert_int_eq(VALID("abc\xc3"), 0);
    ck_assert_int_eq(VALID("\xe2\x82"), 0);
    ck_assert_int_eq(VALID("\xf0\x9f\x98"), 0);
    ck_assert_int_eq(VALID("\xf0\x9f"), 0);
    /* a truncated sequence followed by ASCII */
    ck_assert_int_eq(VALID("\xc3" "a"), 0);
    ck_assert_int_eq(VALID("\xe2\x82" "a"), 0);
    ck_assert_int_eq(VALID("\xf0\x9f\x98" "a"), 0);
    /* len cuts a valid sequence short */
    ck_assert_int_eq(kf_utf8_valid("\xc3\xb1", 1), 0);
    ck_assert_int_eq(kf_utf8_valid("\xf0\x9f\x98\x80", 3), 0);
    ck_assert_int_eq(kf_utf8_valid("\xf0\x9f\x98\x80", 4), 1);
}
END_TEST

START_TEST(utf8_stray_and_bad_leads)
{
    ck_assert_int_eq(VALID("\x80"), 0);
    ck_assert_int_eq(VALID("a\xbf" "b"), 0);
    ck_assert_int_eq(VALID("\xc3\xb1\xb1"), 0);             /* one continuation too many */
    ck_assert_int_eq(VALID("\xfe"), 0);
    ck_assert_int_eq(VALID("\xff"), 0);
    ck_assert_int_eq(VALID("\xf5\x80\x80\x80"), 0);
    ck_assert_int_eq(VALID("\xf8\x88\x80\x80\x80"), 0);     /* old 5-byte form */
    ck_assert_int_eq(VALID("\xe2\x28\xa1"), 0);             /* bad 2nd byte */
    ck_assert_int_eq(VALID("\xe2\x82\x28"), 0);             /* bad 3rd byte */
    ck_assert_int_eq(VALID("\xf0\x9f\x98\x28"), 0);         /* bad 4th byte */
    ck_assert_int_eq(VALID("\xc3\xc3\xb1"), 0);             /* lead where continuation due */
}
END_TEST

START_TEST(utf8_overlong)
{
    ck_assert_int_eq(VALID("\xc0\xaf"), 0);                 /* '/' in 2 bytes */
    ck_assert_int_eq(VALID("\xc1\xbf"), 0);
    ck_assert_int_eq(VALID("\xc0\x80"), 0);                 /* NUL in 2 bytes */
    ck_assert_int_eq(VALID("\xe0\x80\xaf"), 0);             /* '/' in 3 bytes */
    ck_assert_int_eq(VALID("\xe0\x9f\xbf"), 0);             /* U+07FF in 3 bytes */
    ck_assert_int_eq(VALID("\xf0\x80\x80\xaf"), 0);         /* '/' in 4 bytes */
    ck_assert_int_eq(VALID("\xf0\x8f\xbf\xbf"), 0);         /* U+FFFF in 4 bytes */
}
END_TEST

START_TEST(utf8_surrogates_and_range)
{
    ck_assert_int_eq(VALID("\xed\xa0\x80"), 0);             /* U+D800 */
    ck_assert_int_eq(VALID("\xed\xbf\xbf"), 0);             /* U+DFFF */
    ck_assert_int_eq(VALID("\xed\xa0\xbd\xed\xb8\x80"), 0); /* CESU-8 pair for 😀 */
    ck_assert_int_eq(VALID("\xf4\x90\x80\x80"), 0);         /* U+110000 */
    ck_assert_int_eq(VALID("\xf4\xbf\xbf\xbf"), 0);
}
END_TEST

START_TEST(utf8_embedded_nul)
{
    /* len decides, not the NUL: bytes after it are still checked */
    ck_assert_int_eq(kf_utf8_valid("a\0b", 3), 1);
    ck_assert_int_eq(kf_utf8_valid("a\0\xff", 3), 0);
    ck_assert_int_eq(kf_utf8_valid("a\0\xff", 2), 1);
    ck_assert_int_eq(kf_utf8_valid("\xc3\0", 2), 0);        /* NUL is no continuation */
}
END_TEST

/* ---- kf_utf8_length ---- */

START_TEST(utf8_length)
{
    ck_assert_uint_eq(kf_utf8_length(""), 0);
    ck_assert_uint_eq(kf_utf8_length(NULL), 0);
    ck_assert_uint_eq(kf_utf8_length("Ana"), 3);
    ck_assert_uint_eq(kf_utf8_length("ñ"), 1);
    ck_assert_uint_eq(kf_utf8_length("Ñoño"), 4);
    ck_assert_uint_eq(kf_utf8_length("€"), 1);
    ck_assert_uint_eq(kf_utf8_length("😀"), 1);
    ck_assert_uint_eq(kf_utf8_length("a😀b€ñ"), 5);
    ck_assert_uint_eq(kf_utf8_length("José Pérez"), 10);
    ck_assert_uint_eq(strlen("José Pérez"), 12);
}
END_TEST

/* ---- kf_mask_recipient ---- */

START_TEST(mask_recipient_keeps_the_last_four)
{
    ck_assert_str_eq(kf_mask_recipient(pool, "ana.lopez@example.com"), "***.com");
    ck_assert_str_eq(kf_mask_recipient(pool, "+573001234567"), "***4567");
    ck_assert_str_eq(kf_mask_recipient(pool, "whatsapp:+573001234567"), "whatsapp:***4567");
    ck_assert_str_eq(kf_mask_recipient(pool, "3001234567"), "***4567");
    /* the last four code points, not bytes */
    ck_assert_str_eq(kf_mask_recipient(pool, "josé@correo.españa"), "***paña");
    /* nothing of most of a short value */
    ck_assert_str_eq(kf_mask_recipient(pool, "a@b.co"), "***");
    ck_assert_str_eq(kf_mask_recipient(pool, "12345678"), "***");
    ck_assert_str_eq(kf_mask_recipient(pool, "123456789"), "***6789");
    ck_assert_str_eq(kf_mask_recipient(pool, "whatsapp:+57"), "***");
    ck_assert_str_eq(kf_mask_recipient(pool, ""), "***");
    ck_assert_str_eq(kf_mask_recipient(pool, NULL), "***");
    ck_assert_str_eq(kf_mask_recipient(pool, "ana@example.com\r\nX: y"), "***");
    ck_assert_str_eq(kf_mask_recipient(pool, "ana@example.co\xff"), "***");
    /* never the whole value */
    const char *to = "maria.fernanda@example.com";
    ck_assert_ptr_null(strstr(kf_mask_recipient(pool, to), "maria"));
}
END_TEST

/* ---- kf_mask_email ---- */

START_TEST(email_normal)
{
    ck_assert_str_eq(kf_mask_email(pool, "john.doe@example.com"), "jo***@example.com");
    ck_assert_str_eq(kf_mask_email(pool, "maria+citas@sub.example.co"), "ma***@sub.example.co");
    ck_assert_str_eq(kf_mask_email(pool, "abcd@x.co"), "ab***@x.co");
}
END_TEST

START_TEST(email_short_local)
{
    ck_assert_str_eq(kf_mask_email(pool, "j@example.com"), "j***@example.com");
    /* two or three characters: one is kept, never the whole local part */
    ck_assert_str_eq(kf_mask_email(pool, "jo@example.com"), "j***@example.com");
    ck_assert_str_eq(kf_mask_email(pool, "ana@x.co"), "a***@x.co");
}
END_TEST

START_TEST(email_utf8_local)
{
    /* code points, not bytes: "ñ" is never split */
    ck_assert_str_eq(kf_mask_email(pool, "ñoño@example.com"), "ño***@example.com");
    ck_assert_str_eq(kf_mask_email(pool, "ñ@example.com"), "ñ***@example.com");
    ck_assert_str_eq(kf_mask_email(pool, "\xff" "abc@example.com"), "***");
}
END_TEST

START_TEST(email_uppercase)
{
    ck_assert_str_eq(kf_mask_email(pool, "John.Doe@Example.COM"), "Jo***@Example.COM");
    ck_assert_str_eq(kf_mask_email(pool, "J@EXAMPLE.COM"), "J***@EXAMPLE.COM");
}
END_TEST

START_TEST(email_not_an_address)
{
    ck_assert_str_eq(kf_mask_email(pool, ""), "***");
    ck_assert_str_eq(kf_mask_email(pool, NULL), "***");
    ck_assert_str_eq(kf_mask_email(pool, "john.doe"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "john.doe.example.com"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "@example.com"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "john@"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "@"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "a@b@example.com"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "john@@example.com"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "john doe@example.com"), "***");
    ck_assert_str_eq(kf_mask_email(pool, "john@example.com\nFAKE LOG LINE"), "***");
}
END_TEST

/* ---- kf_mask_phone ---- */

START_TEST(phone_e164)
{
    ck_assert_str_eq(kf_mask_phone(pool, "+573001234567"), "+57*******567");
    ck_assert_str_eq(kf_mask_phone(pool, "573001234567"), "57*******567");
    ck_assert_str_eq(kf_mask_phone(pool, "+14155552671"), "+14******671");
    ck_assert_str_eq(kf_mask_phone(pool, "+12345678"), "+12***678");        /* 8 digits */
    ck_assert_str_eq(kf_mask_phone(pool, "+123456789012345"), "+12**********345"); /* 15 */
}
END_TEST

START_TEST(phone_short_or_long)
{
    ck_assert_str_eq(kf_mask_phone(pool, "+1234567"), "***");               /* 7 digits */
    ck_assert_str_eq(kf_mask_phone(pool, "123"), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "+"), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "+1234567890123456"), "***");      /* 16 digits */
}
END_TEST

START_TEST(phone_empty_and_odd)
{
    ck_assert_str_eq(kf_mask_phone(pool, ""), "***");
    ck_assert_str_eq(kf_mask_phone(pool, NULL), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "+57 300 123 4567"), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "+57-300-123-4567"), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "+57300123456a"), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "call me maybe"), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "++573001234567"), "***");
    ck_assert_str_eq(kf_mask_phone(pool, "57+3001234567"), "***");
}
END_TEST

/* ---- kf_mask_text ---- */

START_TEST(text_email_and_phone)
{
    ck_assert_str_eq(kf_mask_text(pool, "write to ana@x.co or +57 300 123 4567"),
                     "write to a***@x.co or +57*******567");
    ck_assert_str_eq(kf_mask_text(pool, "+57 300 123 4567 or ana@x.co, thanks"),
                     "+57*******567 or a***@x.co, thanks");
}
END_TEST

START_TEST(text_emails)
{
    ck_assert_str_eq(kf_mask_text(pool, "john.doe@example.com"), "jo***@example.com");
    ck_assert_str_eq(kf_mask_text(pool, "<john.doe@example.com>"), "<jo***@example.com>");
    /* the dot that ends the sentence stays outside the address */
    ck_assert_str_eq(kf_mask_text(pool, "Mail: john.doe@example.com."),
                     "Mail: jo***@example.com.");
    ck_assert_str_eq(kf_mask_text(pool, "a@b.co y c@d.co"), "a***@b.co y c***@d.co");
    ck_assert_str_eq(kf_mask_text(pool, "Correo de José: jose.perez@correo.com.co"),
                     "Correo de José: jo***@correo.com.co");
    /* a lone '@' is not an address */
    ck_assert_str_eq(kf_mask_text(pool, "meet @ 9, @home or foo@"), "meet @ 9, @home or foo@");
}
END_TEST

START_TEST(text_phones)
{
    ck_assert_str_eq(kf_mask_text(pool, "tel 3001234567"), "tel 30*****567");
    ck_assert_str_eq(kf_mask_text(pool, "tel +573001234567."), "tel +57*******567.");
    ck_assert_str_eq(kf_mask_text(pool, "tel 300-123-4567 ok"), "tel 30*****567 ok");
    ck_assert_str_eq(kf_mask_text(pool, "1234567"), "***");                 /* 7 digits */
    ck_assert_str_eq(kf_mask_text(pool, "card 4242 4242 4242 4242"), "card ***");
    /* separators only continue a run when a digit follows */
    ck_assert_str_eq(kf_mask_text(pool, "3001234567 - ok"), "30*****567 - ok");
    ck_assert_str_eq(kf_mask_text(pool, "3001234567 "), "30*****567 ");
}
END_TEST

START_TEST(text_left_alone)
{
    ck_assert_str_eq(kf_mask_text(pool, ""), "");
    ck_assert_str_eq(kf_mask_text(pool, NULL), "");
    ck_assert_str_eq(kf_mask_text(pool, "Cita a las 9:30 con Ñoño 😀"),
                     "Cita a las 9:30 con Ñoño 😀");
    ck_assert_str_eq(kf_mask_text(pool, "room 123456, 2 people, +57"),
                     "room 123456, 2 people, +57");
    ck_assert_str_eq(kf_mask_text(pool, "12 34 56"), "12 34 56");
    ck_assert_str_eq(kf_mask_text(pool, "a+b = c"), "a+b = c");
    /* identifiers and dates are not personal data: ids in logs stay usable */
    ck_assert_str_eq(kf_mask_text(pool, "booking 123e4567-e89b-12d3-a456-426614174000 paid"),
                     "booking 123e4567-e89b-12d3-a456-426614174000 paid");
    ck_assert_str_eq(kf_mask_text(pool, "ref bdb3412345678778f"), "ref bdb3412345678778f");
    ck_assert_str_eq(kf_mask_text(pool, "from 2026-12-01 to 2027-01-31"),
                     "from 2026-12-01 to 2027-01-31");
    /* a phone next to punctuation is still a phone */
    ck_assert_str_eq(kf_mask_text(pool, "tel:+573001234567."), "tel:+57*******567.");
}
END_TEST

START_TEST(text_many)
{
    const char *in = "x@y.co 3001234567 x@y.co 3001234567 x@y.co";
    ck_assert_str_eq(kf_mask_text(pool, in),
                     "x***@y.co 30*****567 x***@y.co 30*****567 x***@y.co");
}
END_TEST

START_TEST(trim_span)
{
    apr_size_t len = 99;
    const char *s = " \t\nClínica Aurora \r\f\v";
    const char *start = kf_trim_span(s, &len);
    ck_assert_ptr_eq(start, s + 3);
    ck_assert_uint_eq(len, strlen("Clínica Aurora"));
    ck_assert(strncmp(start, "Clínica Aurora", len) == 0);

    start = kf_trim_span("a b", &len);
    ck_assert_uint_eq(len, 3);
    start = kf_trim_span("   ", &len);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(start, "");
    start = kf_trim_span("", &len);
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(uuid_check)
{
    ck_assert(kf_is_uuid("0b6f3a52-9c1e-4d2a-8f3e-1a2b3c4d5e6f"));
    ck_assert(kf_is_uuid("0B6F3A52-9C1E-4D2A-8F3E-1A2B3C4D5E6F"));
    ck_assert(!kf_is_uuid(NULL));
    ck_assert(!kf_is_uuid(""));
    ck_assert(!kf_is_uuid("0b6f3a52-9c1e-4d2a-8f3e-1a2b3c4d5e6"));   /* short */
    ck_assert(!kf_is_uuid("0b6f3a52-9c1e-4d2a-8f3e-1a2b3c4d5e6f0")); /* long */
    ck_assert(!kf_is_uuid("0b6f3a529c1e-4d2a-8f3e-1a2b3c4d5e6f0"));  /* dash moved */
    ck_assert(!kf_is_uuid("0b6f3a52-9c1e-4d2a-8f3e-1a2b3c4d5e6g"));  /* not hex */
    ck_assert(!kf_is_uuid("' OR 1=1 --"));
}
END_TEST

START_TEST(pg_array_literal)
{
    apr_array_header_t *items = apr_array_make(pool, 2, sizeof(const char *));
    ck_assert_str_eq(kf_pg_array(pool, items), "{}");
    APR_ARRAY_PUSH(items, const char *) = "1";
    ck_assert_str_eq(kf_pg_array(pool, items), "{1}");
    APR_ARRAY_PUSH(items, const char *) = "NULL";
    APR_ARRAY_PUSH(items, const char *) = "2026-01-01";
    ck_assert_str_eq(kf_pg_array(pool, items), "{1,NULL,2026-01-01}");
}
END_TEST

START_TEST(phone_e164_is_plus_and_8_to_15_digits)
{
    ck_assert(kf_phone_e164("+573001234567"));
    ck_assert(kf_phone_e164("+12345678"));
    ck_assert(kf_phone_e164("+123456789012345"));
    ck_assert(!kf_phone_e164("+1234567"));            /* 7 digits */
    ck_assert(!kf_phone_e164("+1234567890123456"));   /* 16 digits */
    ck_assert(!kf_phone_e164("573001234567"));        /* no + */
    ck_assert(!kf_phone_e164("+57 300 123 4567"));
    ck_assert(!kf_phone_e164(""));
    ck_assert(!kf_phone_e164(NULL));
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("utf8");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, mask_recipient_keeps_the_last_four);
    tcase_add_test(tc, phone_e164_is_plus_and_8_to_15_digits);
    tcase_add_test(tc, utf8_ascii);
    tcase_add_test(tc, utf8_multibyte);
    tcase_add_test(tc, utf8_truncated);
    tcase_add_test(tc, utf8_stray_and_bad_leads);
    tcase_add_test(tc, utf8_overlong);
    tcase_add_test(tc, utf8_surrogates_and_range);
    tcase_add_test(tc, utf8_embedded_nul);
    tcase_add_test(tc, utf8_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("mask");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, email_normal);
    tcase_add_test(tc, email_short_local);
    tcase_add_test(tc, email_utf8_local);
    tcase_add_test(tc, email_uppercase);
    tcase_add_test(tc, email_not_an_address);
    tcase_add_test(tc, phone_e164);
    tcase_add_test(tc, phone_short_or_long);
    tcase_add_test(tc, phone_empty_and_odd);
    tcase_add_test(tc, text_email_and_phone);
    tcase_add_test(tc, text_emails);
    tcase_add_test(tc, text_phones);
    tcase_add_test(tc, text_left_alone);
    tcase_add_test(tc, text_many);
    tcase_add_test(tc, pg_array_literal);
    tcase_add_test(tc, trim_span);
    tcase_add_test(tc, uuid_check);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(text_suite());
}
