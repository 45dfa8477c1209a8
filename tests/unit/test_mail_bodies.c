/* A queued mail's bodies as the outbox stores them (kf_mail_bodies.c): packed and sealed as
 * one value, the older form (each body sealed alone) still opening, and a bad value refused
 * within a bounded amount of memory; and the outbox row they go into (kf_mail_queue.c). */
#include "kf_check.h"
#include "kf_crypto.h"
#include "kf_mail.h"

#include <apr_strings.h>
#include <string.h>
#include <zlib.h>

static kf_keyring *ring_of(unsigned char fill, int primary, kf_keyring *keys)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, fill, sizeof key);
    if (!keys) {
        keys = kf_keyring_make(pool);
    }
    ck_assert_int_eq(kf_keyring_add(keys, key, primary), APR_SUCCESS);
    return keys;
}

/* A confirmation's bodies the size the outbox sees (about 3 KB together). */
static kf_mail_content confirmation(void)
{
    const char *line = "Hola Ana: tu cita de Masaje con la Dra. Llave quedó confirmada para el "
                       "jueves 3 de diciembre a las 10:00 (hora de Bogotá).\n";
    const char *html_line = "<p>Hola Ana: tu cita de <strong>Masaje</strong> con la Dra. Llave "
                            "quedó confirmada para el jueves 3 de diciembre a las 10:00.</p>\n";
    kf_mail_content mail = {"Tu cita está confirmada", "", ""};
    for (int i = 0; i < 8; i++) {
        mail.text = apr_pstrcat(pool, mail.text, line, NULL);
        mail.html = apr_pstrcat(pool, mail.html, html_line, NULL);
    }
    mail.text = apr_pstrcat(pool, mail.text, "Gestiona tu cita: https://k.example/m/",
                            "q8Z2mV7xN4bT1cR6yH3kL9pS5wD0fG2j\n", NULL);
    return mail;
}

static const char *const INVITE = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
                                   "BEGIN:VEVENT\r\nSUMMARY:Masaje\r\nEND:VEVENT\r\n"
                                   "END:VCALENDAR\r\n";

/* A packed value written by hand: the marker, a size (which may lie) and a raw deflate
 * stream of `parts` (len bytes). */
static const char *packed_by_hand(const char *parts, apr_size_t len, apr_size_t said,
                                  apr_size_t *packed_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    uLong zlen = deflateBound(&z, (uLong)len);
    unsigned char *out = apr_palloc(pool, 7 + zlen);
    memcpy(out, "\0z1", 3);
    for (int i = 0; i < 4; i++) {
        out[3 + i] = (unsigned char)(said >> (8 * (3 - i)));
    }
    z.next_in = (Bytef *)parts;
    z.avail_in = (uInt)len;
    z.next_out = out + 7;
    z.avail_out = (uInt)zlen;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *packed_len = 7 + z.total_out;
    deflateEnd(&z);
    return (const char *)out;
}

static int unpacks(const char *packed, apr_size_t len)
{
    const char *t = "x", *h = "x", *c = "x";
    apr_status_t rv = kf_mail_bodies_unpack(pool, packed, len, &t, &h, &c);
    if (rv != APR_SUCCESS) {
        ck_assert(t == NULL && h == NULL && c == NULL);
    }
    return rv == APR_SUCCESS;
}

/* Whether parts packed by hand with a size `said` unpack. */
static int unpacks_by_hand(const char *parts, apr_size_t len, apr_size_t said)
{
    apr_size_t packed_len = 0;
    const char *packed = packed_by_hand(parts, len, said, &packed_len);
    return unpacks(packed, packed_len);
}

START_TEST(the_bodies_and_invite_round_trip_through_one_sealed_value)
{
    kf_keyring *keys = ring_of(7, 1, NULL);
    kf_mail_content mail = confirmation();
    const char *sealed = NULL, *text = NULL, *html = NULL, *calendar = NULL;
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &mail, INVITE, &sealed), 1);
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, sealed, "", NULL, &text, &html, &calendar),
                     1);
    ck_assert_str_eq(text, mail.text);
    ck_assert_str_eq(html, mail.html);
    ck_assert_str_eq(calendar, INVITE);
    /* nothing of the bodies is readable in the stored value */
    ck_assert_ptr_null(strstr(sealed, "Ana"));
    /* no invite: none comes back, not an empty one */
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &mail, NULL, &sealed), 1);
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, sealed, "", NULL, &text, &html, &calendar),
                     1);
    ck_assert_str_eq(html, mail.html);
    ck_assert_ptr_null(calendar);
    /* empty bodies are bodies too */
    kf_mail_content blank = {"s", "", ""};
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &blank, "", &sealed), 1);
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, sealed, "", NULL, &text, &html, &calendar),
                     1);
    ck_assert_str_eq(text, "");
    ck_assert_str_eq(html, "");
    ck_assert_str_eq(calendar, "");
}
END_TEST

START_TEST(one_packed_value_is_far_smaller_than_three_sealed_alone)
{
    kf_keyring *keys = ring_of(7, 1, NULL);
    kf_mail_content mail = confirmation();
    const char *sealed = NULL;
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &mail, INVITE, &sealed), 1);
    apr_size_t alone = strlen(kf_seal_text(pool, keys, mail.text, KF_MAIL_BODY_AAD)) +
                       strlen(kf_seal_text(pool, keys, mail.html, KF_MAIL_BODY_AAD)) +
                       strlen(kf_seal_text(pool, keys, INVITE, KF_MAIL_BODY_AAD));
    ck_assert_msg(strlen(sealed) * 3 < alone, "packed %zu, alone %zu", strlen(sealed), alone);
}
END_TEST

START_TEST(a_row_queued_with_each_body_sealed_alone_still_opens)
{
    kf_keyring *keys = ring_of(7, 1, NULL);
    kf_mail_content mail = confirmation();
    const char *text = NULL, *html = NULL, *calendar = NULL;
    const char *old_text = kf_seal_text(pool, keys, mail.text, KF_MAIL_BODY_AAD);
    const char *old_html = kf_seal_text(pool, keys, mail.html, KF_MAIL_BODY_AAD);
    const char *old_ics = kf_seal_text(pool, keys, INVITE, KF_MAIL_BODY_AAD);
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, old_text, old_html, old_ics, &text, &html,
                                         &calendar), 1);
    ck_assert_str_eq(text, mail.text);
    ck_assert_str_eq(html, mail.html);
    ck_assert_str_eq(calendar, INVITE);
    /* a text body that starts like the packed form's size and stream is still just text */
    const char *odd = kf_seal_text(pool, keys, "z1\x01\x02 hola", KF_MAIL_BODY_AAD);
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, odd, old_html, NULL, &text, &html,
                                         &calendar), 1);
    ck_assert_str_eq(text, "z1\x01\x02 hola");
    ck_assert_ptr_null(calendar);
    /* written by hand: plain */
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, "Hola", "<p>Hola</p>", NULL, &text, &html,
                                         &calendar), 1);
    ck_assert_str_eq(text, "Hola");
    ck_assert_str_eq(html, "<p>Hola</p>");
    /* an old invite sealed under another aad does not open: the mail can never be sent */
    const char *elsewhere = kf_seal_text(pool, keys, INVITE, "elsewhere");
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, old_text, old_html, elsewhere, &text, &html,
                                         &calendar), 0);
}
END_TEST

START_TEST(both_forms_reseal_under_a_new_key_and_open_the_same)
{
    kf_keyring *old_ring = ring_of(7, 1, NULL);
    kf_mail_content mail = confirmation();
    const char *packed = NULL;
    ck_assert_int_eq(kf_mail_seal_bodies(pool, old_ring, &mail, INVITE, &packed), 1);
    const char *alone = kf_seal_text(pool, old_ring, mail.html, KF_MAIL_BODY_AAD);
    kf_keyring *both = ring_of(9, 1, ring_of(7, 0, NULL));
    const char *packed2 = NULL, *alone2 = NULL;
    ck_assert_int_eq(kf_reseal(pool, both, packed, KF_MAIL_BODY_AAD, &packed2), APR_SUCCESS);
    ck_assert_int_eq(kf_reseal(pool, both, alone, KF_MAIL_BODY_AAD, &alone2), APR_SUCCESS);
    kf_keyring *new_ring = ring_of(9, 1, NULL);
    const char *text = NULL, *html = NULL, *calendar = NULL;
    ck_assert_int_eq(kf_mail_open_bodies(pool, new_ring, packed, "", NULL, &text, &html,
                                         &calendar), 0);
    ck_assert_int_eq(kf_mail_open_bodies(pool, new_ring, packed2, "", NULL, &text, &html,
                                         &calendar), 1);
    ck_assert_str_eq(text, mail.text);
    ck_assert_str_eq(calendar, INVITE);
    ck_assert_int_eq(kf_mail_open_bodies(pool, new_ring, "Hola", alone2, NULL, &text, &html,
                                         &calendar), 1);
    ck_assert_str_eq(html, mail.html);
}
END_TEST

START_TEST(a_tampered_or_truncated_value_is_refused)
{
    kf_keyring *keys = ring_of(7, 1, NULL);
    kf_mail_content mail = confirmation();
    const char *sealed = NULL, *text = NULL, *html = NULL, *calendar = NULL;
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &mail, INVITE, &sealed), 1);
    char *tampered = apr_pstrdup(pool, sealed);
    tampered[strlen(tampered) / 2] = tampered[strlen(tampered) / 2] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, tampered, "", NULL, &text, &html,
                                         &calendar), 0);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, apr_pstrndup(pool, sealed, 40), "", NULL,
                                         &text, &html, &calendar), 0);

    /* sealed right, packed wrong (a changed byte is the seal's to refuse, above): every cut
     * of the stream */
    const char *packed = NULL;
    apr_size_t len = 0;
    ck_assert_int_eq(kf_mail_bodies_pack(pool, mail.text, mail.html, INVITE, &packed, &len),
                     APR_SUCCESS);
    ck_assert(unpacks(packed, len));
    for (apr_size_t cut = 0; cut < len; cut++) {
        ck_assert_msg(!unpacks(packed, cut), "cut at %zu of %zu", cut, len);
    }
    const char *cut = kf_seal(pool, keys, packed, len - 5, KF_MAIL_BODY_AAD);
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, cut, "", NULL, &text, &html, &calendar), 0);
    /* bytes after the stream */
    char *longer = apr_palloc(pool, len + 1);
    memcpy(longer, packed, len);
    longer[len] = 'x';
    ck_assert(!unpacks(longer, len + 1));
}
END_TEST

START_TEST(a_packed_value_must_be_the_parts_it_says)
{
    const char two[] = "text\0html";           /* the html's NUL is the literal's own */
    ck_assert(unpacks_by_hand(two, sizeof two, sizeof two));
    /* a size that lies, either way */
    ck_assert(!unpacks_by_hand(two, sizeof two, sizeof two + 1));
    ck_assert(!unpacks_by_hand(two, sizeof two, sizeof two - 1));
    /* one part only, four parts, a last part without its NUL */
    const char one[] = "text";
    ck_assert(!unpacks_by_hand(one, sizeof one, sizeof one));
    const char four[] = "t\0h\0c\0x";
    ck_assert(!unpacks_by_hand(four, sizeof four, sizeof four));
    ck_assert(!unpacks_by_hand(two, sizeof two - 1, sizeof two - 1));
    /* not the packed form at all */
    ck_assert(!unpacks("Hola, Ana", 9));
    ck_assert_int_eq(kf_mail_bodies_packed("Hola, Ana", 9), 0);
}
END_TEST

START_TEST(inflating_stops_at_the_bound)
{
    /* 2 MiB of one byte deflates to about 2 KB: a bad row saying that much is refused
     * before anything is inflated, and one saying less is never inflated past what it says */
    apr_size_t big = 2 * 1024 * 1024, len = 0;
    char *bomb = apr_palloc(pool, big);
    memset(bomb, 'a', big - 5);
    memcpy(bomb + big - 5, "\0h\0\0", 5);
    const char *packed = packed_by_hand(bomb, big, big, &len);
    ck_assert_uint_lt(len, 8 * 1024);
    ck_assert(!unpacks(packed, len));
    packed = packed_by_hand(bomb, big, KF_MAIL_BODIES_MAX, &len);
    ck_assert(!unpacks(packed, len));
    /* and bodies over the bound are never queued */
    kf_keyring *keys = ring_of(7, 1, NULL);
    kf_mail_content huge = {"s", apr_pstrndup(pool, bomb, KF_MAIL_BODIES_MAX), "<p></p>"};
    const char *sealed = "x";
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &huge, NULL, &sealed), 0);
    ck_assert_ptr_null(sealed);
    const char *out = NULL;
    ck_assert_int_eq(kf_mail_bodies_pack(pool, huge.text, huge.html, NULL, &out, &len),
                     APR_ENOSPC);
}
END_TEST

/* A mail as its outbox row keeps it: its bodies sealed, the invite said by "" alone, the
 * booking only when it is one, replies to the business only for a customer's mail. */
START_TEST(a_queued_mail_is_its_row_values)
{
    kf_keyring *keys = ring_of(7, 1, NULL);
    json_t *vars = json_pack("{s:s, s:s}", "link", "https://x.example/v?t=q8Z2mV7x",
                             "business_name", "Aurora");
    kf_mail_queued q;
    const char *why = NULL, *text = NULL, *html = NULL, *calendar = NULL;
    ck_assert_int_eq(kf_mail_queued_of(pool, keys, NULL, "not-a-booking", "ana@example.com",
                                       "verify_email", KF_LOCALE_ES, vars, INVITE, "REQUEST", &q,
                                       &why),
                     APR_SUCCESS);
    ck_assert_str_eq(q.invite, "");
    ck_assert_str_eq(q.method, "REQUEST");
    ck_assert_ptr_null(q.booking);
    ck_assert_str_eq(q.replies, "false");
    ck_assert_ptr_nonnull(q.subject);
    ck_assert_ptr_null(strstr(q.bodies, "q8Z2mV7x"));   /* the link's token is sealed */
    ck_assert_int_eq(kf_mail_open_bodies(pool, keys, q.bodies, "", NULL, &text, &html, &calendar),
                     1);
    ck_assert_ptr_nonnull(strstr(text, "https://x.example/v?t=q8Z2mV7x"));
    ck_assert_str_eq(calendar, INVITE);

    const char *booking = "5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11";
    ck_assert_int_eq(kf_mail_queued_of(pool, keys, booking, booking, "ana@example.com",
                                       "verify_email", KF_LOCALE_ES, vars, NULL, "REQUEST", &q,
                                       &why),
                     APR_SUCCESS);
    ck_assert_ptr_null(q.invite);
    ck_assert_ptr_null(q.method);    /* no invite, no method */
    ck_assert_str_eq(q.booking, booking);
    json_decref(vars);
}
END_TEST

START_TEST(a_mail_that_cannot_be_queued_says_why)
{
    json_t *vars = json_pack("{s:s, s:s}", "link", "https://x.example/v", "business_name", "Aurora");
    kf_mail_queued q;
    const char *why = NULL;
    ck_assert_int_eq(kf_mail_queued_of(pool, ring_of(7, 1, NULL), NULL, NULL, "ana@example.com\r\nBcc: x@y.z",
                                       "verify_email", KF_LOCALE_ES, vars, NULL, NULL, &q, &why),
                     APR_EINVAL);
    ck_assert_str_eq(why, "the recipient is not a valid address");
    why = NULL;
    ck_assert_int_ne(kf_mail_queued_of(pool, NULL, NULL, NULL, "ana@example.com", "verify_email",
                                       KF_LOCALE_ES, vars, NULL, NULL, &q, &why),
                     APR_SUCCESS);   /* no keyring: nothing to seal with */
    ck_assert_str_eq(why, "bodies could not be sealed");
    json_decref(vars);
}
END_TEST

Suite *mail_bodies_suite(void);
Suite *mail_bodies_suite(void)
{
    Suite *s = suite_create("mail_bodies");
    TCase *tc = tcase_create("outbox bodies");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_bodies_and_invite_round_trip_through_one_sealed_value);
    tcase_add_test(tc, one_packed_value_is_far_smaller_than_three_sealed_alone);
    tcase_add_test(tc, a_row_queued_with_each_body_sealed_alone_still_opens);
    tcase_add_test(tc, both_forms_reseal_under_a_new_key_and_open_the_same);
    tcase_add_test(tc, a_tampered_or_truncated_value_is_refused);
    tcase_add_test(tc, a_packed_value_must_be_the_parts_it_says);
    tcase_add_test(tc, inflating_stops_at_the_bound);
    tcase_add_test(tc, a_queued_mail_is_its_row_values);
    tcase_add_test(tc, a_mail_that_cannot_be_queued_says_why);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(mail_bodies_suite());
}
