/* Unit tests for lib/messaging/kf_mail*: templates (both locales, escaping, missing variables),
 * addresses, header encodings, quoted-printable, the built message (headers, boundary,
 * parts, refusal of header injection), the retry schedule, and delivery to a loopback
 * SMTP server running in a thread. */
#include "kf_email.h"
#include "kf_check.h"
#include "kf_mail.h"
#include "kf_http.h"

#include <apr_base64.h>
#include <apr_strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- helpers ---- */

static json_t *vars_of(const char *link, const char *business)
{
    json_t *v = json_object();
    if (link) {
        json_object_set_new(v, "link", json_string(link));
    }
    if (business) {
        json_object_set_new(v, "business_name", json_string(business));
    }
    return v;
}

static kf_mail_content render_ok(const char *name, kf_locale locale, json_t *vars)
{
    kf_mail_content c;
    const char *why = NULL;
    apr_status_t rv = kf_mail_render(pool, name, locale, vars, &c, &why);
    json_decref(vars);
    ck_assert_msg(rv == APR_SUCCESS, "render %s: %s", name, why ? why : "?");
    ck_assert_ptr_null(why);
    return c;
}

/* Decodes quoted-printable (soft breaks removed, =XX decoded, CRLF kept). */
static const char *qp_decode(const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1), *o = out;
    for (const char *c = s; *c; c++) {
        if (c[0] == '=' && c[1] == '\r' && c[2] == '\n') {
            c += 2;
        }
        else if (c[0] == '=' && c[1] && c[2]) {
            char hex[3] = {c[1], c[2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            c += 2;
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

static void assert_lines_at_most(const char *s, apr_size_t max)
{
    const char *line = s;
    for (const char *c = s; *c; c++) {
        if (c[0] == '\r') {
            ck_assert_msg(c[1] == '\n', "bare CR at offset %ld", (long)(c - s));
            ck_assert_msg((apr_size_t)(c - line) <= max, "line of %ld bytes: %.*s",
                          (long)(c - line), (int)(c - line), line);
            line = c + 2;
        }
        else {
            ck_assert_msg(c[0] != '\n' || c == s || c[-1] == '\r', "bare LF at offset %ld",
                          (long)(c - s));
        }
    }
    ck_assert((apr_size_t)strlen(line) <= max);
}

/* ---- templates ---- */

START_TEST(verify_email_in_spanish_is_the_default)
{
    kf_mail_content c = render_ok("verify_email", KF_LOCALE_ES,
                                  vars_of("https://k.example/verify?t=abc", "Clínica Sol"));
    ck_assert_str_eq(c.subject, "Confirma tu correo");
    ck_assert_ptr_nonnull(strstr(c.text, "https://k.example/verify?t=abc"));
    ck_assert_ptr_nonnull(strstr(c.text, "Clínica Sol"));
    ck_assert_ptr_nonnull(strstr(c.text, "24 horas"));
    ck_assert_ptr_nonnull(strstr(c.html, "href=\"https://k.example/verify?t=abc\""));
    ck_assert_ptr_nonnull(strstr(c.html, "<strong>Clínica Sol</strong>"));
    ck_assert_ptr_nonnull(strstr(c.html, "24 horas"));
    ck_assert_ptr_nonnull(strstr(c.html, "lang=\"es\""));
    ck_assert_ptr_null(strstr(c.text, "{{"));
    ck_assert_ptr_null(strstr(c.html, "{{"));
}
END_TEST

START_TEST(verify_email_in_english)
{
    kf_mail_content c = render_ok("verify_email", KF_LOCALE_EN,
                                  vars_of("https://k.example/v", "Sun Clinic"));
    ck_assert_str_eq(c.subject, "Confirm your email");
    ck_assert_ptr_nonnull(strstr(c.text, "24 hours"));
    ck_assert_ptr_nonnull(strstr(c.text, "Sun Clinic"));
    ck_assert_ptr_nonnull(strstr(c.html, "lang=\"en\""));
    ck_assert_ptr_null(strstr(c.text, "horas"));
}
END_TEST

START_TEST(reset_password_in_both_locales_says_one_hour)
{
    kf_mail_content es = render_ok("reset_password", KF_LOCALE_ES,
                                   vars_of("https://k.example/r", "Acme"));
    kf_mail_content en = render_ok("reset_password", KF_LOCALE_EN,
                                   vars_of("https://k.example/r", "Acme"));
    ck_assert_str_eq(es.subject, "Restablece tu contraseña");
    ck_assert_str_eq(en.subject, "Reset your password");
    ck_assert_ptr_nonnull(strstr(es.text, "1 hora"));
    ck_assert_ptr_nonnull(strstr(en.text, "1 hour"));
    ck_assert_ptr_nonnull(strstr(es.html, "href=\"https://k.example/r\""));
    ck_assert_ptr_nonnull(strstr(en.html, "href=\"https://k.example/r\""));
}
END_TEST

START_TEST(account_locked_in_both_locales_names_network_pause_and_link)
{
    for (int i = 0; i < 4; i++) {
        kf_locale locale = i % 2 == 0 ? KF_LOCALE_ES : KF_LOCALE_EN;
        const char *name = i < 2 ? "account_locked" : "account_locked_everywhere";
        json_t *v = vars_of("https://k.example/dashboard/forgot-password", "Acme <b>");
        json_object_set_new(v, "network", json_string("2001:db8:1:2::/64"));
        json_object_set_new(v, "minutes", json_string("15"));
        kf_mail_content c = render_ok(name, locale, v);
        ck_assert_ptr_nonnull(strstr(c.text, "2001:db8:1:2::/64"));
        ck_assert_ptr_nonnull(strstr(c.text, i % 2 == 0 ? "15 minutos" : "15 minutes"));
        /* one network's lock tells the way in from another; the ceiling's says none */
        ck_assert_int_eq(strstr(c.text, i % 2 == 0 ? "desde otra red" : "from another network")
                             != NULL, i < 2);
        ck_assert_ptr_nonnull(strstr(c.text, "https://k.example/dashboard/forgot-password"));
        ck_assert_ptr_nonnull(strstr(c.html, "href=\"https://k.example/dashboard/forgot-password\""));
        ck_assert_ptr_nonnull(strstr(c.html, "Acme &lt;b&gt;"));
    }
}
END_TEST

START_TEST(html_part_escapes_every_variable_text_part_keeps_them)
{
    kf_mail_content c = render_ok("verify_email", KF_LOCALE_ES,
                                  vars_of("https://k.example/v?a=1&b=\"2\"",
                                          "<script>alert('x')</script> & Co"));
    ck_assert_ptr_null(strstr(c.html, "<script>"));
    ck_assert_ptr_nonnull(strstr(c.html,
                                 "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));
    ck_assert_ptr_nonnull(strstr(c.html, "href=\"https://k.example/v?a=1&amp;b=&quot;2&quot;\""));
    ck_assert_ptr_nonnull(strstr(c.text, "<script>alert('x')</script> & Co"));
    ck_assert_ptr_nonnull(strstr(c.text, "https://k.example/v?a=1&b=\"2\""));
}
END_TEST

START_TEST(missing_or_wrong_variables_are_errors)
{
    kf_mail_content c;
    const char *why = NULL;
    json_t *v = vars_of(NULL, "Acme");
    ck_assert_int_eq(kf_mail_render(pool, "verify_email", KF_LOCALE_ES, v, &c, &why), APR_EINVAL);
    ck_assert_str_eq(why, "variable 'link' is missing");
    json_decref(v);

    v = vars_of("https://k.example/v", NULL);
    ck_assert_int_eq(kf_mail_render(pool, "reset_password", KF_LOCALE_EN, v, &c, &why),
                     APR_EINVAL);
    ck_assert_str_eq(why, "variable 'business_name' is missing");
    json_decref(v);

    v = json_pack("{s:i, s:s}", "link", 42, "business_name", "Acme");
    ck_assert_int_eq(kf_mail_render(pool, "verify_email", KF_LOCALE_ES, v, &c, &why), APR_EINVAL);
    ck_assert_str_eq(why, "variable 'link' must be a string");
    json_decref(v);

    v = json_pack("{s:n, s:s}", "link", "business_name", "Acme");
    ck_assert_int_eq(kf_mail_render(pool, "verify_email", KF_LOCALE_ES, v, &c, &why), APR_EINVAL);
    json_decref(v);

    v = json_array();
    ck_assert_int_eq(kf_mail_render(pool, "verify_email", KF_LOCALE_ES, v, &c, &why), APR_EINVAL);
    ck_assert_int_eq(kf_mail_render(pool, "verify_email", KF_LOCALE_ES, NULL, &c, &why),
                     APR_EINVAL);
    json_decref(v);
}
END_TEST

START_TEST(unknown_template_is_not_found)
{
    kf_mail_content c;
    const char *why = NULL;
    json_t *v = vars_of("https://k.example/v", "Acme");
    ck_assert_int_eq(kf_mail_render(pool, "welcome", KF_LOCALE_ES, v, &c, &why), APR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(why, "welcome"));
    ck_assert_int_eq(kf_mail_render(pool, NULL, KF_LOCALE_ES, v, &c, &why), APR_NOTFOUND);
    json_decref(v);
    ck_assert(kf_mail_template_known("verify_email"));
    ck_assert(kf_mail_template_known("reset_password"));
    ck_assert(!kf_mail_template_known("welcome"));
}
END_TEST

START_TEST(html_escape)
{
    ck_assert_str_eq(kf_mail_html_escape(pool, "a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    ck_assert_str_eq(kf_mail_html_escape(pool, "plain ñ"), "plain ñ");
    ck_assert_str_eq(kf_mail_html_escape(pool, NULL), "");
}
END_TEST

/* ---- addresses ---- */

START_TEST(addresses)
{
    ck_assert(kf_email_valid("ana@example.com"));
    ck_assert(kf_email_valid("first.last+tag@sub.example.co"));
    ck_assert(!kf_email_valid(NULL));
    ck_assert(!kf_email_valid(""));
    ck_assert(!kf_email_valid("ana"));
    ck_assert(!kf_email_valid("@example.com"));
    ck_assert(!kf_email_valid("ana@"));
    ck_assert(!kf_email_valid("ana@localhost"));
    ck_assert(!kf_email_valid("a@b@example.com"));
    ck_assert(!kf_email_valid("ana@example.com\r\nBcc: x@evil.example"));
    ck_assert(!kf_email_valid("ana@example.com>"));
    ck_assert(!kf_email_valid("ana smith@example.com"));
    ck_assert(!kf_email_valid("ana..b@example.com"));
    ck_assert(!kf_email_valid("ana@example..com"));
    ck_assert(!kf_email_valid("ana@example.com."));
    ck_assert(!kf_email_valid("\"ana\"@example.com"));
    ck_assert(!kf_email_valid("ana@\xff.com"));
}
END_TEST

START_TEST(mailboxes)
{
    const char *display, *addr;
    ck_assert_int_eq(kf_mail_parse_mailbox(pool, "Konfirmado <no-reply@k.example>", &display,
                                           &addr), APR_SUCCESS);
    ck_assert_str_eq(display, "Konfirmado");
    ck_assert_str_eq(addr, "no-reply@k.example");
    ck_assert_int_eq(kf_mail_parse_mailbox(pool, "no-reply@k.example", &display, &addr),
                     APR_SUCCESS);
    ck_assert_str_eq(display, "");
    ck_assert_str_eq(addr, "no-reply@k.example");
    ck_assert_int_eq(kf_mail_parse_mailbox(pool, "\"Sol, \\\"Clínica\\\"\" <a@k.example>",
                                           &display, &addr), APR_SUCCESS);
    ck_assert_str_eq(display, "Sol, \"Clínica\"");
    ck_assert_int_eq(kf_mail_parse_mailbox(pool, "X <a@k.example> junk", &display, &addr),
                     APR_EINVAL);
    ck_assert_int_eq(kf_mail_parse_mailbox(pool, "X <a@k.example", &display, &addr), APR_EINVAL);
    ck_assert_int_eq(kf_mail_parse_mailbox(pool, "X\r\nBcc: e@evil.example <a@k.example>",
                                           &display, &addr), APR_EINVAL);
    ck_assert_int_eq(kf_mail_parse_mailbox(pool, "X <not an address>", &display, &addr),
                     APR_EINVAL);
}
END_TEST

/* ---- encodings ---- */

static const char *decode_words(const char *encoded)
{
    const char *out = "";
    const char *c = encoded;
    while ((c = strstr(c, "=?UTF-8?B?")) != NULL) {
        c += 10;
        const char *end = strstr(c, "?=");
        ck_assert_ptr_nonnull(end);
        char *b64 = apr_pstrmemdup(pool, c, (apr_size_t)(end - c));
        char *plain = apr_palloc(pool, (apr_size_t)apr_base64_decode_len(b64) + 1);
        int n = apr_base64_decode(plain, b64);
        plain[n] = '\0';
        out = apr_pstrcat(pool, out, plain, NULL);
        c = end + 2;
    }
    return out;
}

START_TEST(encoded_words_round_trip_and_stay_short)
{
    const char *s = "Restablece tu contraseña — ñandú, acción y más: 日本語のテキストも大丈夫です";
    const char *e = kf_mail_encode_header_words(pool, s);
    ck_assert_str_eq(decode_words(e), s);
    /* folded: each encoded word on its own line, at most 75 bytes, after one space */
    const char *line = e;
    int words = 0;
    while (line) {
        const char *next = strstr(line, "\r\n ");
        apr_size_t len = next ? (apr_size_t)(next - line) : strlen(line);
        ck_assert_uint_le(len, 75);
        ck_assert(strncmp(line, "=?UTF-8?B?", 10) == 0);
        words++;
        line = next ? next + 3 : NULL;
    }
    ck_assert_int_gt(words, 1);
    /* every word decodes to whole UTF-8 characters */
    line = e;
    while ((line = strstr(line, "=?UTF-8?B?")) != NULL) {
        const char *end = strstr(line, "?=");
        const char *one = decode_words(apr_pstrmemdup(pool, line, (apr_size_t)(end + 2 - line)));
        ck_assert(((unsigned char)one[0] & 0xC0) != 0x80);
        line = end + 2;
    }
    ck_assert_str_eq(kf_mail_encode_header_words(pool, ""), "");
}
END_TEST

START_TEST(quoted_printable)
{
    ck_assert_str_eq(kf_mail_quoted_printable(pool, "plain text\nline 2"),
                     "plain text\r\nline 2");
    ck_assert_str_eq(kf_mail_quoted_printable(pool, "a=b ñ"), "a=3Db =C3=B1");
    ck_assert_str_eq(kf_mail_quoted_printable(pool, "trailing \nand tab\t"),
                     "trailing=20\r\nand tab=09");
    ck_assert_str_eq(kf_mail_quoted_printable(pool, "crlf\r\nkept"), "crlf\r\nkept");
    ck_assert_str_eq(kf_mail_quoted_printable(pool, "lone\rcr"), "lone=0Dcr");
    /* long lines get soft breaks and decode back exactly */
    char long_line[400];
    for (int i = 0; i < 399; i++) {
        long_line[i] = (char)(i % 7 == 0 ? ' ' : 'a' + i % 26);
    }
    long_line[399] = '\0';
    const char *text = apr_pstrcat(pool, "é", long_line, "\n", long_line, " =ñ\nend", NULL);
    const char *qp = kf_mail_quoted_printable(pool, text);
    assert_lines_at_most(qp, 76);
    const char *back = qp_decode(qp);
    char *expected = apr_pstrdup(pool, text);
    /* the decoder keeps CRLF; the input had LF */
    ck_assert_str_eq(back, apr_pstrcat(pool, "é", long_line, "\r\n", long_line, " =ñ\r\nend",
                                       NULL));
    (void)expected;
}
END_TEST

START_TEST(dates_are_rfc5322_in_utc)
{
    /* 2025-07-01 09:05:03 UTC, a Tuesday */
    ck_assert_str_eq(kf_mail_date(pool, apr_time_from_sec(1751360703)),
                     "Tue, 01 Jul 2025 09:05:03 +0000");
    ck_assert_str_eq(kf_mail_date(pool, 0), "Thu, 01 Jan 1970 00:00:00 +0000");
}
END_TEST

/* ---- messages ---- */

static kf_mail_message sample(void)
{
    kf_mail_message m;
    memset(&m, 0, sizeof(m));
    m.from = "Konfirmado <no-reply@k.example>";
    m.to = "ana@example.com";
    m.subject = "Confirma tu correo";
    m.text = "Hola:\n\nAbre https://k.example/v?t=abc\n\n— Konfirmado\n";
    m.html = "<p>Hola, <a href=\"https://k.example/v?t=abc\">confirma</a> ñ</p>\n";
    m.message_id = "0b1c2d3e@k.example";
    m.date = apr_time_from_sec(1751360703);
    return m;
}

/* The header block (up to the first empty line), unfolded. */
static const char *header_block(const char *msg)
{
    const char *end = strstr(msg, "\r\n\r\n");
    ck_assert_ptr_nonnull(end);
    return apr_pstrmemdup(pool, msg, (apr_size_t)(end - msg) + 2);
}

static const char *header(const char *msg, const char *name)
{
    const char *h = header_block(msg);
    const char *want = apr_pstrcat(pool, "\r\n", name, ": ", NULL);
    const char *v;
    if (strncmp(h, want + 2, strlen(want) - 2) == 0) {
        v = h + strlen(want) - 2;
    }
    else if ((v = strstr(h, want)) != NULL) {
        v += strlen(want);
    }
    else {
        return NULL;
    }
    const char *out = "";
    for (;;) {
        const char *eol = strstr(v, "\r\n");
        out = apr_pstrcat(pool, out, apr_pstrmemdup(pool, v, (apr_size_t)(eol - v)), NULL);
        if (eol[2] != ' ' && eol[2] != '\t') {
            return out;
        }
        v = eol + 2;
    }
}

START_TEST(message_has_headers_and_two_parts)
{
    kf_mail_message m = sample();
    const char *msg = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_SUCCESS);
    ck_assert_ptr_null(why);
    ck_assert_str_eq(header(msg, "Date"), "Tue, 01 Jul 2025 09:05:03 +0000");
    ck_assert_str_eq(header(msg, "From"), "Konfirmado <no-reply@k.example>");
    ck_assert_str_eq(header(msg, "To"), "ana@example.com");
    ck_assert_str_eq(header(msg, "Subject"), "Confirma tu correo");
    ck_assert_str_eq(header(msg, "Message-ID"), "<0b1c2d3e@k.example>");
    ck_assert_str_eq(header(msg, "MIME-Version"), "1.0");
    const char *ct = header(msg, "Content-Type");
    ck_assert(strncmp(ct, "multipart/alternative; boundary=\"", 33) == 0);
    const char *boundary = apr_pstrmemdup(pool, ct + 33, strlen(ct) - 34);
    ck_assert_uint_ge(strlen(boundary), 20);

    const char *delim = apr_pstrcat(pool, "\r\n--", boundary, "\r\n", NULL);
    const char *first = strstr(msg, delim);
    ck_assert_ptr_nonnull(first);
    const char *second = strstr(first + 1, delim);
    ck_assert_ptr_nonnull(second);
    ck_assert_ptr_null(strstr(second + 1, delim));
    const char *close = apr_pstrcat(pool, "\r\n--", boundary, "--\r\n", NULL);
    ck_assert_ptr_nonnull(strstr(msg, close));
    ck_assert_uint_eq(strlen(strstr(msg, close)), strlen(close)); /* last thing */

    const char *part1 = apr_pstrmemdup(pool, first + strlen(delim),
                                       (apr_size_t)(second - first) - strlen(delim));
    ck_assert(strncmp(part1, "Content-Type: text/plain; charset=UTF-8\r\n"
                             "Content-Transfer-Encoding: quoted-printable\r\n\r\n", 88) == 0);
    ck_assert_str_eq(qp_decode(part1 + 88),
                     "Hola:\r\n\r\nAbre https://k.example/v?t=abc\r\n\r\n— Konfirmado\r\n");
    const char *part2 = second + strlen(delim);
    ck_assert(strncmp(part2, "Content-Type: text/html; charset=UTF-8\r\n"
                             "Content-Transfer-Encoding: quoted-printable\r\n\r\n", 87) == 0);
    const char *html = apr_pstrmemdup(pool, part2 + 87, (apr_size_t)(strstr(part2, close) - part2 - 87));
    ck_assert_str_eq(qp_decode(html), "<p>Hola, <a href=\"https://k.example/v?t=abc\">confirma</a> "
                                      "ñ</p>\r\n");
    assert_lines_at_most(msg, 78);
    /* 7-bit clean on the wire */
    for (const unsigned char *c = (const unsigned char *)msg; *c; c++) {
        ck_assert_uint_lt(*c, 0x80);
    }
}
END_TEST

START_TEST(non_ascii_subject_and_display_name_are_encoded)
{
    kf_mail_message m = sample();
    m.subject = "Restablece tu contraseña";
    m.from = "Clínica Sol <no-reply@k.example>";
    const char *msg = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_SUCCESS);
    const char *subject = header(msg, "Subject");
    ck_assert(strncmp(subject, "=?UTF-8?B?", 10) == 0);
    ck_assert_str_eq(decode_words(subject), "Restablece tu contraseña");
    const char *from = header(msg, "From");
    ck_assert_str_eq(decode_words(from), "Clínica Sol");
    ck_assert_ptr_nonnull(strstr(from, "?= <no-reply@k.example>"));

    m.from = "\"Sol, Clínica y Spa \\\"Centro\\\"\" <no-reply@k.example>";
    m.subject = "An ASCII subject that is longer than sixty-six characters, so it is encoded";
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_SUCCESS);
    ck_assert_str_eq(decode_words(header(msg, "Subject")), m.subject);
    ck_assert_str_eq(decode_words(header(msg, "From")), "Sol, Clínica y Spa \"Centro\"");

    m.from = "Acme, Inc. <no-reply@k.example>";
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_SUCCESS);
    ck_assert_str_eq(header(msg, "From"), "\"Acme, Inc.\" <no-reply@k.example>");
    assert_lines_at_most(msg, 78);
}
END_TEST

START_TEST(generated_message_id_and_random_boundaries)
{
    kf_mail_message m = sample();
    m.message_id = NULL;
    m.date = 0;
    const char *a = NULL, *b = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &a, NULL), APR_SUCCESS);
    ck_assert_int_eq(kf_mail_build(pool, &m, &b, NULL), APR_SUCCESS);
    const char *id = header(a, "Message-ID");
    ck_assert(id[0] == '<' && id[strlen(id) - 1] == '>');
    ck_assert_ptr_nonnull(strstr(id, "@k.example>"));
    ck_assert_str_ne(id, header(b, "Message-ID"));
    ck_assert_str_ne(header(a, "Content-Type"), header(b, "Content-Type"));
}
END_TEST

START_TEST(a_reminder_carries_a_one_click_unsubscribe)
{
    kf_mail_message m = sample();
    const char *built = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &built, &why), APR_SUCCESS);
    ck_assert_ptr_null(header(built, "List-Unsubscribe"));
    m.list_unsubscribe = "https://demo.k.example/api/public/unsubscribe?token=v1.ab12cd34.xyz";
    ck_assert_int_eq(kf_mail_build(pool, &m, &built, &why), APR_SUCCESS);
    ck_assert_str_eq(header(built, "List-Unsubscribe"),
                     "<https://demo.k.example/api/public/unsubscribe?token=v1.ab12cd34.xyz>, "
                     "<mailto:no-reply@k.example?subject=unsubscribe>");
    ck_assert_str_eq(header(built, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    /* nothing that could end the header or add another address */
    static const char *const refused[] = {
        "https://x.example/u?t=a\r\nBcc: eve@x.example", "https://x.example/u?t=a>, <https://evil",
        "javascript:alert(1)", "https://x.example/ñ",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        m.list_unsubscribe = refused[i];
        ck_assert_int_eq(kf_mail_build(pool, &m, &built, &why), APR_EINVAL);
    }
}
END_TEST

START_TEST(a_customers_mail_says_where_replies_go)
{
    kf_mail_message m = sample();
    const char *built = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &built, &why), APR_SUCCESS);
    ck_assert_ptr_null(header(built, "Reply-To"));
    m.reply_to = "citas@clinica.example";
    ck_assert_int_eq(kf_mail_build(pool, &m, &built, &why), APR_SUCCESS);
    ck_assert_str_eq(header(built, "Reply-To"), "citas@clinica.example");
    /* the sender stays the platform's */
    ck_assert_str_eq(header(built, "From"), "Konfirmado <no-reply@k.example>");
}
END_TEST

START_TEST(header_injection_is_refused)
{
    static const char *const bad[] = {"\r\nBcc: victim@evil.example", "\nX: y", "\rX: y",
                                      "\tbad", "\x01"};
    const char *msg = NULL, *why = NULL;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        kf_mail_message m = sample();
        m.subject = apr_pstrcat(pool, "Hola", bad[i], NULL);
        ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
        ck_assert_ptr_nonnull(strstr(why, "subject"));

        m = sample();
        m.to = apr_pstrcat(pool, "ana@example.com", bad[i], NULL);
        ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
        ck_assert_ptr_nonnull(strstr(why, "recipient"));

        m = sample();
        m.from = apr_pstrcat(pool, "Konfirmado", bad[i], " <no-reply@k.example>", NULL);
        ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
        ck_assert_ptr_nonnull(strstr(why, "From"));

        m = sample();
        m.message_id = apr_pstrcat(pool, "x@k.example", bad[i], NULL);
        ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
        ck_assert_ptr_nonnull(strstr(why, "Message-ID"));
    }
    kf_mail_message m = sample();
    m.text = "bad \xff utf-8";
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
    m = sample();
    m.html = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
    m = sample();
    m.subject = "bad \xc3";
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
}
END_TEST

START_TEST(body_lines_cannot_end_the_headers_or_fake_a_boundary)
{
    kf_mail_message m = sample();
    m.text = "x\r\n\r\n--=_kf_fake\r\nContent-Type: text/html\r\n\r\n<script>";
    const char *msg = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, NULL), APR_SUCCESS);
    /* the fake boundary is quoted-printable encoded: "=" became "=3D" */
    ck_assert_ptr_nonnull(strstr(msg, "--=3D_kf_fake"));
    ck_assert_ptr_null(strstr(msg, "\r\n--=_kf_fake"));
}
END_TEST


/* ---- delivery, against a loopback SMTP server in a thread ---- */

/* REJECT_RCPT: the mailbox unknown (550); RELAY_DENIED: the relay does not relay for us (554
 * to RCPT TO); REJECT_SENDER: our sender refused (553 to MAIL FROM). */
typedef enum {
    SMTP_ACCEPT, SMTP_REJECT_RCPT, SMTP_RELAY_DENIED, SMTP_REJECT_SENDER, SMTP_SILENT
} smtp_mode;

typedef struct smtp_server {
    int listen_fd;
    int port;
    smtp_mode mode;
    pthread_t thread;
    char mail_from[256];
    char rcpt_to[256];
    char data[16384];      /* the message as received, dot-unstuffed */
    char commands[1024];   /* verbs in order, space separated */
} smtp_server;

static int read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, 5000) <= 0) {
            return -1;
        }
        char c;
        if (read(fd, &c, 1) != 1) {
            return -1;
        }
        buf[n++] = c;
        if (c == '\n') {
            break;
        }
    }
    buf[n] = '\0';
    return (int)n;
}

static void say(int fd, const char *line)
{
    if (write(fd, line, strlen(line)) < 0) {
        /* the client went away: the test's assertions tell */
    }
}

static void *smtp_main(void *arg)
{
    smtp_server *s = arg;
    int fd = accept(s->listen_fd, NULL, NULL);
    char line[2048];
    if (fd < 0) {
        return NULL;
    }
    if (s->mode == SMTP_SILENT) {
        /* accepts the connection and never greets: the client must time out */
        struct pollfd pfd = {fd, POLLIN, 0};
        poll(&pfd, 1, 3000);
        close(fd);
        return NULL;
    }
    say(fd, "220 test ESMTP\r\n");
    while (read_line(fd, line, sizeof(line)) > 0) {
        char verb[5] = {0};
        memcpy(verb, line, 4);
        strncat(s->commands, verb, sizeof(s->commands) - strlen(s->commands) - 2);
        strcat(s->commands, " ");
        if (strncasecmp(line, "EHLO", 4) == 0) {
            say(fd, "250-test\r\n250 SIZE 1000000\r\n");
        }
        else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
            snprintf(s->mail_from, sizeof(s->mail_from), "%.*s", (int)strcspn(line + 10, " \r\n"),
                     line + 10);
            say(fd, s->mode == SMTP_REJECT_SENDER ? "553 5.7.1 sender not owned by user\r\n"
                                                  : "250 OK\r\n");
        }
        else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
            snprintf(s->rcpt_to, sizeof(s->rcpt_to), "%.*s", (int)strcspn(line + 8, " \r\n"),
                     line + 8);
            say(fd, s->mode == SMTP_REJECT_RCPT    ? "550 5.1.1 no such user ana@example.com\r\n"
                    : s->mode == SMTP_RELAY_DENIED ? "554 5.7.1 Relay access denied\r\n"
                                                   : "250 OK\r\n");
        }
        else if (strncasecmp(line, "DATA", 4) == 0) {
            say(fd, "354 go ahead\r\n");
            while (read_line(fd, line, sizeof(line)) > 0 && strcmp(line, ".\r\n") != 0) {
                const char *l = line[0] == '.' ? line + 1 : line;
                strncat(s->data, l, sizeof(s->data) - strlen(s->data) - 1);
            }
            say(fd, "250 OK queued\r\n");
        }
        else if (strncasecmp(line, "QUIT", 4) == 0) {
            say(fd, "221 bye\r\n");
            break;
        }
        else {
            say(fd, "250 OK\r\n");
        }
    }
    close(fd);
    return NULL;
}

static void smtp_start(smtp_server *s, smtp_mode mode)
{
    memset(s, 0, sizeof(*s));
    s->mode = mode;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(s->listen_fd, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(s->listen_fd, 4), 0);
    socklen_t len = sizeof(a);
    ck_assert_int_eq(getsockname(s->listen_fd, (struct sockaddr *)&a, &len), 0);
    s->port = ntohs(a.sin_port);
    ck_assert_int_eq(pthread_create(&s->thread, NULL, smtp_main, s), 0);
}

static void smtp_stop(smtp_server *s)
{
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
}

static kf_smtp_server target(int port, long timeout_ms)
{
    kf_smtp_server t;
    t.url = apr_psprintf(pool, "smtp://127.0.0.1:%d", port);
    t.connect_timeout_ms = timeout_ms;
    t.timeout_ms = timeout_ms;
    return t;
}

START_TEST(the_sender_is_the_configured_mailbox_or_no_reply)
{
    const char *from = NULL, *envelope = NULL, *domain = NULL;
    ck_assert_int_eq(kf_mail_sender(pool, "Aurora <citas@aurora.example>", "k.example", &from,
                                    &envelope, &domain), APR_SUCCESS);
    ck_assert_str_eq(from, "Aurora <citas@aurora.example>");
    ck_assert_str_eq(envelope, "citas@aurora.example");
    ck_assert_str_eq(domain, "aurora.example");
    ck_assert_int_eq(kf_mail_sender(pool, NULL, "k.example", &from, &envelope, &domain),
                     APR_SUCCESS);
    ck_assert_str_eq(from, "Konfirmado <no-reply@k.example>");
    ck_assert_str_eq(domain, "k.example");
    ck_assert_int_eq(kf_mail_sender(pool, "Aurora", "k.example", &from, &envelope, &domain),
                     APR_EINVAL);
    ck_assert_str_eq(from, "Aurora");
}
END_TEST

START_TEST(a_mails_bodies_are_sealed_for_the_outbox_and_open_as_its_row)
{
    kf_mail_content mail = {"Your booking", "Hello", "<p>Hello</p>"};
    const char *bodies = "x";
    ck_assert_int_eq(kf_mail_seal_bodies(pool, NULL, &mail, NULL, &bodies), 0);
    ck_assert_ptr_null(bodies);
    unsigned char key[KF_KEY_LEN];
    memset(key, 7, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &mail, "BEGIN:VCALENDAR", &bodies), 1);
    ck_assert_ptr_null(strstr(bodies, "Hello"));
    /* one sealed value in body_text; the other two columns as the glue writes them */
    const char *row[KF_OUTBOX_COLUMNS] = {"m1", "ana@example.com", mail.subject, bodies, "",
                                          "0", "1796137200", "0", "", "REQUEST"};
    kf_outbox_mail m;
    ck_assert_int_eq(kf_outbox_mail_of(pool, keys, row, &m), 1);
    ck_assert_str_eq(m.text, "Hello");
    ck_assert_str_eq(m.html, "<p>Hello</p>");
    ck_assert_str_eq(m.calendar, "BEGIN:VCALENDAR");
    ck_assert_int_eq(kf_mail_seal_bodies(pool, keys, &mail, NULL, &bodies), 1);
    row[KF_OUTBOX_COL_TEXT] = bodies;
    row[KF_OUTBOX_COL_CALENDAR] = row[KF_OUTBOX_COL_CALENDAR_METHOD] = NULL;
    ck_assert_int_eq(kf_outbox_mail_of(pool, keys, row, &m), 1);
    ck_assert_str_eq(m.html, "<p>Hello</p>");
    ck_assert_ptr_null(m.calendar);
}
END_TEST

START_TEST(an_outbox_row_opens_its_sealed_bodies_and_keeps_plain_ones)
{
    unsigned char key[KF_KEY_LEN];
    memset(key, 7, sizeof key);
    kf_keyring *keys = kf_keyring_make(pool);
    ck_assert_int_eq(kf_keyring_add(keys, key, 1), APR_SUCCESS);
    const char *row[KF_OUTBOX_COLUMNS] = {
        "m1", "ana@example.com", "Your booking",
        kf_seal_text(pool, keys, "Hello", KF_MAIL_BODY_AAD), "<p>Hello</p>", "2",
        "1796137200", "90", NULL, NULL,
    };
    kf_outbox_mail m;
    ck_assert_int_eq(kf_outbox_mail_of(pool, keys, row, &m), 1);
    ck_assert_str_eq(m.text, "Hello");            /* sealed when queued */
    ck_assert_str_eq(m.html, "<p>Hello</p>");     /* written by hand */
    ck_assert_ptr_null(m.calendar);
    ck_assert_int_eq(m.attempts, 2);
    ck_assert_int_eq(m.age_sec, 90);
    kf_mail_message msg = kf_outbox_message(pool, &m, "Aurora <no-reply@aurora.example>",
                                            "aurora.example");
    ck_assert_str_eq(msg.message_id, "m1@aurora.example");
    ck_assert(msg.date == apr_time_from_sec(1796137200));
    ck_assert_str_eq(msg.to, "ana@example.com");
    /* sealed under another key (or another body's aad): it can never be sent */
    row[KF_OUTBOX_COL_CALENDAR] = kf_seal_text(pool, keys, "BEGIN:VCALENDAR", "elsewhere");
    ck_assert_int_eq(kf_outbox_mail_of(pool, keys, row, &m), 0);
    ck_assert_str_eq(m.id, "m1");
    ck_assert_int_eq(m.attempts, 2);
}
END_TEST

START_TEST(send_hands_the_message_to_the_server)
{
    smtp_server srv;
    smtp_start(&srv, SMTP_ACCEPT);
    kf_mail_message m = sample();
    m.text = "Hola:\n.a line that starts with a dot\n.\nend\n";
    const char *msg = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, NULL), APR_SUCCESS);
    kf_smtp_server t = target(srv.port, 5000);
    apr_status_t rv = kf_mail_send(pool, &t, "no-reply@k.example", "ana@example.com", msg, &why);
    smtp_stop(&srv);
    ck_assert_msg(rv == APR_SUCCESS, "send: %s", why ? why : "?");
    ck_assert_ptr_null(why);
    ck_assert_str_eq(srv.mail_from, "<no-reply@k.example>");
    ck_assert_str_eq(srv.rcpt_to, "<ana@example.com>");
    ck_assert_str_eq(srv.commands, "EHLO MAIL RCPT DATA QUIT ");
    /* exactly the built message, lines starting with '.' included (dot-stuffed on the
     * wire, unstuffed by the server) */
    ck_assert_str_eq(srv.data, msg);
}
END_TEST

START_TEST(smtp_hands_over_the_reply_to)
{
    smtp_server srv;
    smtp_start(&srv, SMTP_ACCEPT);
    kf_mail_message m = sample();
    m.reply_to = "citas@clinica.example";
    const char *msg = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, NULL), APR_SUCCESS);
    kf_smtp_server t = target(srv.port, 5000);
    apr_status_t rv = kf_mail_send(pool, &t, "no-reply@k.example", "ana@example.com", msg, &why);
    smtp_stop(&srv);
    ck_assert_msg(rv == APR_SUCCESS, "send: %s", why ? why : "?");
    ck_assert_str_eq(header(srv.data, "Reply-To"), "citas@clinica.example");
    ck_assert_str_eq(srv.mail_from, "<no-reply@k.example>");
}
END_TEST

START_TEST(send_reports_a_refused_recipient_without_the_address)
{
    smtp_server srv;
    smtp_start(&srv, SMTP_REJECT_RCPT);
    kf_mail_message m = sample();
    const char *msg = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, NULL), APR_SUCCESS);
    kf_smtp_server t = target(srv.port, 5000);
    apr_status_t rv = kf_mail_send(pool, &t, "no-reply@k.example", "ana@example.com", msg, &why);
    smtp_stop(&srv);
    ck_assert_int_eq(rv, KF_MAIL_ERECIPIENT);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, "550") != NULL, "why: %s", why);
    ck_assert_ptr_null(strstr(why, "ana@example.com"));
    ck_assert_ptr_null(strchr(why, '\n'));
    ck_assert_str_eq(srv.data, "");
}
END_TEST

/* A 5xx that is not about the mailbox refuses us, not the recipient: our sender, or a relay
 * that does not relay for us. */
START_TEST(send_tells_a_refused_sender_or_relay_from_a_refused_recipient)
{
    static const struct {
        smtp_mode mode;
        const char *code;
    } cases[] = {{SMTP_REJECT_SENDER, "553"}, {SMTP_RELAY_DENIED, "554"}};
    kf_mail_message m = sample();
    const char *msg = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, NULL), APR_SUCCESS);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        smtp_server srv;
        const char *why = NULL;
        smtp_start(&srv, cases[i].mode);
        kf_smtp_server t = target(srv.port, 5000);
        apr_status_t rv = kf_mail_send(pool, &t, "no-reply@k.example", "ana@example.com", msg,
                                       &why);
        smtp_stop(&srv);
        ck_assert_int_eq(rv, KF_MAIL_EREFUSED);
        ck_assert_msg(strstr(why, cases[i].code) != NULL, "why: %s", why);
        ck_assert_str_eq(srv.data, "");
    }
}
END_TEST

START_TEST(send_to_a_closed_port_fails_fast)
{
    smtp_server srv;
    memset(&srv, 0, sizeof(srv));
    /* a port that was just free: bind, read it, close */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    socklen_t len = sizeof(a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    kf_smtp_server t = target(ntohs(a.sin_port), 5000);
    const char *why = NULL;
    apr_time_t start = apr_time_now();
    apr_status_t rv = kf_mail_send(pool, &t, "no-reply@k.example", "ana@example.com",
                                   "Subject: x\r\n\r\nx\r\n", &why);
    ck_assert_int_eq(rv, APR_ECONNREFUSED);
    ck_assert_ptr_nonnull(strstr(why, "smtp error 7"));
    ck_assert_int_lt(apr_time_now() - start, apr_time_from_sec(3));
}
END_TEST

START_TEST(send_times_out_on_a_silent_server)
{
    smtp_server srv;
    smtp_start(&srv, SMTP_SILENT);
    kf_smtp_server t = target(srv.port, 500);
    const char *why = NULL;
    apr_time_t start = apr_time_now();
    apr_status_t rv = kf_mail_send(pool, &t, "no-reply@k.example", "ana@example.com",
                                   "Subject: x\r\n\r\nx\r\n", &why);
    apr_interval_time_t took = apr_time_now() - start;
    smtp_stop(&srv);
    ck_assert_int_eq(rv, APR_TIMEUP);
    ck_assert_ptr_nonnull(why);
    ck_assert_int_lt(took, apr_time_from_sec(2));
}
END_TEST

START_TEST(send_refuses_bad_urls_and_addresses_without_connecting)
{
    const char *why = NULL;
    kf_smtp_server t = {"http://127.0.0.1:25", 0, 0};
    ck_assert_int_eq(kf_mail_send(pool, &t, "a@k.example", "b@k.example", "x", &why), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(why, "smtp://"));
    t.url = "smtp://127.0.0.1:1";
    ck_assert_int_eq(kf_mail_send(pool, &t, "a@k.example", "b@k.example>\r\nRCPT TO:<c@k.example",
                                  "x", &why), APR_EINVAL);
    ck_assert_int_eq(kf_mail_send(pool, &t, "a@k.example\r\n", "b@k.example", "x", &why),
                     APR_EINVAL);
}
END_TEST

/* ---- retries ---- */

START_TEST(retry_schedule)
{
    ck_assert_int_eq(kf_mail_retry_delay(1, 5), 5);
    ck_assert_int_eq(kf_mail_retry_delay(2, 5), 15);
    ck_assert_int_eq(kf_mail_retry_delay(3, 5), 60);
    ck_assert_int_eq(kf_mail_retry_delay(4, 5), 300);
    ck_assert_int_eq(kf_mail_retry_delay(5, 5), 900);
    ck_assert_int_eq(kf_mail_retry_delay(6, 5), 3600);
    ck_assert_int_eq(kf_mail_retry_delay(50, 5), 3600);
    ck_assert_int_eq(kf_mail_retry_delay(1, 1), 1);
    ck_assert_int_eq(kf_mail_retry_delay(2, 1), 3);
    ck_assert_int_eq(kf_mail_retry_delay(0, 0), 1);
    /* a mail given up after 48 h has been tried more than a few dozen times */
    int tries = 0;
    for (long t = 0; t < KF_MAIL_GIVE_UP_AFTER_SEC; t += kf_mail_retry_delay(++tries, 5)) {
    }
    ck_assert_int_ge(tries, 50);
}
END_TEST

START_TEST(a_failed_mail_is_tried_again_until_it_is_given_up)
{
    int delay = 0;
    ck_assert_int_eq(kf_mail_give_up(1, 3, 0, 5, &delay), 0);
    ck_assert_int_eq(delay, 5);
    ck_assert_int_eq(kf_mail_give_up(4, 600, 0, 5, &delay), 0);
    ck_assert_int_eq(delay, 300);
    ck_assert_int_eq(kf_mail_give_up(40, KF_MAIL_GIVE_UP_AFTER_SEC - 1, 0, 5, &delay), 0);
    ck_assert_int_eq(delay, 3600);
    /* two days of failures, or a mail that can never go (an unopenable body) */
    ck_assert_int_eq(kf_mail_give_up(41, KF_MAIL_GIVE_UP_AFTER_SEC, 0, 5, &delay), 1);
    ck_assert_int_eq(kf_mail_give_up(1, 0, 1, 5, &delay), 1);
    ck_assert(kf_mail_server_unreachable(APR_ECONNREFUSED));
    ck_assert(kf_mail_server_unreachable(APR_TIMEUP));
    ck_assert(!kf_mail_server_unreachable(APR_EGENERAL));
}
END_TEST

START_TEST(a_mail_is_composed_only_for_a_valid_address_and_tenant)
{
    kf_mail_content mail;
    const char *why = NULL;
    json_t *vars = json_pack("{s:s, s:s}", "link", "https://x.example/v?t=1", "business_name", "Aurora");
    ck_assert_int_eq(kf_mail_compose(pool, "5a1c9a52-3c64-4c7e-8d0c-0a8d3b2f1e11", "ana@example.com",
                                     "verify_email", KF_LOCALE_ES, vars, &mail, &why), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(mail.text, "https://x.example/v?t=1"));
    ck_assert_int_eq(kf_mail_compose(pool, NULL, "ana@example.com", "verify_email", KF_LOCALE_EN, vars,
                                     &mail, &why), APR_SUCCESS);
    ck_assert_int_eq(kf_mail_compose(pool, "tenant-1", "ana@example.com", "verify_email", KF_LOCALE_ES,
                                     vars, &mail, &why), APR_EINVAL);
    ck_assert_str_eq(why, "tenant id is not a UUID");
    ck_assert_int_eq(kf_mail_compose(pool, NULL, "ana@example.com\r\nBcc: x@y.z", "verify_email",
                                     KF_LOCALE_ES, vars, &mail, &why), APR_EINVAL);
    ck_assert_str_eq(why, "the recipient is not a valid address");
    ck_assert_int_eq(kf_mail_compose(pool, NULL, "ana@example.com", "no_such_mail", KF_LOCALE_ES,
                                     vars, &mail, &why), APR_NOTFOUND);
    json_decref(vars);
}
END_TEST

/* The decoded content of the base64 part that follows `after` in msg. */
static const char *base64_part_after(const char *msg, const char *after)
{
    const char *at = strstr(msg, after);
    ck_assert_ptr_nonnull(at);
    const char *body = strstr(at, "\r\n\r\n");
    ck_assert_ptr_nonnull(body);
    body += 4;
    const char *end = strstr(body, "--");
    char *flat = apr_palloc(pool, (apr_size_t)(end - body) + 1), *o = flat;
    for (const char *c = body; c < end; c++) {
        if (*c != '\r' && *c != '\n') {
            *o++ = *c;
        }
    }
    *o = '\0';
    char *plain = apr_palloc(pool, (apr_size_t)apr_base64_decode_len(flat) + 1);
    int n = apr_base64_decode(plain, flat);
    plain[n] = '\0';
    return plain;
}

START_TEST(an_invite_rides_as_calendar_part_and_attachment)
{
    kf_mail_message m = sample();
    m.calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nSUMMARY:Cita · ñ\r\nEND:VCALENDAR\r\n";
    m.calendar_method = "REQUEST";
    const char *msg = NULL, *why = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(msg, "\r\nContent-Type: multipart/mixed;\r\n boundary=\"=_kf_"));
    const char *mixed = strstr(msg, "multipart/mixed");
    const char *alternative = strstr(msg, "multipart/alternative");
    const char *calendar = strstr(msg, "Content-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n");
    const char *attachment = strstr(msg, "Content-Disposition: attachment; filename=\"invite.ics\"\r\n");
    ck_assert(mixed && alternative && calendar && attachment);
    ck_assert(mixed < alternative && alternative < calendar && calendar < attachment);
    ck_assert_str_eq(base64_part_after(msg, "method=REQUEST\r\n"), m.calendar);
    ck_assert_str_eq(base64_part_after(msg, "filename=\"invite.ics\"\r\n"), m.calendar);
    /* every line of the message is short: base64 in 76-character lines */
    for (const char *line = msg; *line;) {
        const char *crlf = strstr(line, "\r\n");
        ck_assert_ptr_nonnull(crlf);
        ck_assert_int_le(crlf - line, 78);
        line = crlf + 2;
    }
    ck_assert_str_eq(msg + strlen(msg) - 4, "--\r\n");
    /* a cancellation says so in its part */
    m.calendar_method = "CANCEL";
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(msg, "method=CANCEL\r\n"));
    /* anything else is refused */
    m.calendar_method = "REQUEST\r\nBcc: x@evil.example";
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
    m.calendar_method = NULL;
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_EINVAL);
    /* without an invite the message stays multipart/alternative */
    m = sample();
    ck_assert_int_eq(kf_mail_build(pool, &m, &msg, &why), APR_SUCCESS);
    ck_assert_ptr_null(strstr(msg, "multipart/mixed"));
    ck_assert_ptr_null(strstr(msg, "text/calendar"));
}
END_TEST

static json_t *booking_vars(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
                     " s:s}",
                     "business_name", "Clínica <Aurora>", "customer_name", "María & Co",
                     "service", "Consulta", "professional", "Dra. Ana",
                     "when", "martes, 1 de diciembre de 2026 · 10:00 a. m. (hora de Bogota, GMT-5)",
                     "when_other", "Hora del profesional: martes, 1 de diciembre de 2026 · 4:00 p. m. "
                                   "(hora de Madrid, GMT+1)\n",
                     "dashboard_link", "https://aurora.k.example/dashboard/bookings/1",
                     "paid", "COP 120.000", "link", "https://k.example/book/manage/1?token=t",
                     "brand_color", "#0F766E", "brand_text", "#ffffff",
                     "customer_email", "maria@example.com", "customer_phone", "+573001234567",
                     "notes", "", "place", "Dirección: Calle 93 #11-27 <local 2>\n",
                     "series_dates", "");
}

START_TEST(booking_mails_render_in_both_languages)
{
    json_t *vars = booking_vars();
    kf_mail_content c;
    const char *why = NULL;
    ck_assert_int_eq(kf_mail_render(pool, "booking_confirmed", KF_LOCALE_ES, vars, &c, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(c.subject, "Reserva confirmada: Consulta");
    ck_assert_ptr_nonnull(strstr(c.text, "Tu reserva en Clínica <Aurora> está confirmada."));
    ck_assert_ptr_nonnull(strstr(c.text, "Cuándo: martes, 1 de diciembre de 2026 · 10:00 a. m. "
                                         "(hora de Bogota, GMT-5)\nHora del profesional: martes"));
    /* the place follows the time, in the text and (escaped) in the HTML */
    ck_assert_ptr_nonnull(strstr(c.text, "GMT+1)\nDirección: Calle 93 #11-27 <local 2>\n"
                                         "Pago: COP 120.000\n"));
    ck_assert_ptr_nonnull(strstr(c.html, "Dirección: Calle 93 #11-27 &lt;local 2&gt;"));
    ck_assert_ptr_nonnull(strstr(c.text, "https://k.example/book/manage/1?token=t"));
    /* the customer's and the business's names are escaped in HTML; the brand color is used */
    ck_assert_ptr_nonnull(strstr(c.html, "María &amp; Co"));
    ck_assert_ptr_nonnull(strstr(c.html, "Clínica &lt;Aurora&gt;"));
    ck_assert_ptr_null(strstr(c.html, "<Aurora>"));
    ck_assert_ptr_nonnull(strstr(c.html, "border-top:6px solid #0F766E"));
    ck_assert_int_eq(kf_mail_render(pool, "booking_confirmed", KF_LOCALE_EN, vars, &c, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(c.subject, "Booking confirmed: Consulta");
    ck_assert_int_eq(kf_mail_render(pool, "booking_notice", KF_LOCALE_ES, vars, &c, &why),
                     APR_SUCCESS);
    ck_assert_str_eq(c.subject, "Nueva reserva: Consulta, María & Co");
    ck_assert_ptr_nonnull(strstr(c.text, "Teléfono: +573001234567\n"));
    ck_assert_ptr_nonnull(strstr(c.text, "https://aurora.k.example/dashboard/bookings/1\n"));
    /* a phone nobody gave is no line: the section goes, the rest stays */
    json_object_set_new(vars, "customer_phone", json_string(""));
    ck_assert_int_eq(kf_mail_render(pool, "booking_notice", KF_LOCALE_ES, vars, &c, &why),
                     APR_SUCCESS);
    ck_assert_ptr_null(strstr(c.text, "Teléfono"));
    ck_assert_ptr_null(strstr(c.html, "Teléfono"));
    ck_assert_ptr_nonnull(strstr(c.text, "Correo: maria@example.com\n\nVer la reserva"));
    /* a section's variable is required like any other */
    json_object_del(vars, "customer_phone");
    ck_assert_int_eq(kf_mail_render(pool, "booking_notice", KF_LOCALE_ES, vars, &c, &why),
                     APR_EINVAL);
    ck_assert_str_eq(why, "variable 'customer_phone' is missing");
    json_object_set_new(vars, "customer_phone", json_string("+573001234567"));
    ck_assert_int_eq(kf_mail_render(pool, "booking_notice", KF_LOCALE_EN, vars, &c, &why),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(strstr(c.text, "Customer: María & Co\n"));
    /* every variable is required */
    json_object_del(vars, "when_other");
    ck_assert_int_eq(kf_mail_render(pool, "booking_confirmed", KF_LOCALE_ES, vars, &c, &why),
                     APR_EINVAL);
    json_decref(vars);
}
END_TEST

Suite *mail_suite(void);
Suite *mail_suite(void)
{
    Suite *s = suite_create("mail");
    TCase *tc = tcase_create("templates");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, verify_email_in_spanish_is_the_default);
    tcase_add_test(tc, verify_email_in_english);
    tcase_add_test(tc, reset_password_in_both_locales_says_one_hour);
    tcase_add_test(tc, account_locked_in_both_locales_names_network_pause_and_link);
    tcase_add_test(tc, html_part_escapes_every_variable_text_part_keeps_them);
    tcase_add_test(tc, missing_or_wrong_variables_are_errors);
    tcase_add_test(tc, unknown_template_is_not_found);
    tcase_add_test(tc, html_escape);
    suite_add_tcase(s, tc);

    tc = tcase_create("messages");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, addresses);
    tcase_add_test(tc, mailboxes);
    tcase_add_test(tc, encoded_words_round_trip_and_stay_short);
    tcase_add_test(tc, quoted_printable);
    tcase_add_test(tc, dates_are_rfc5322_in_utc);
    tcase_add_test(tc, message_has_headers_and_two_parts);
    tcase_add_test(tc, non_ascii_subject_and_display_name_are_encoded);
    tcase_add_test(tc, generated_message_id_and_random_boundaries);
    tcase_add_test(tc, header_injection_is_refused);
    tcase_add_test(tc, a_customers_mail_says_where_replies_go);
    tcase_add_test(tc, a_reminder_carries_a_one_click_unsubscribe);
    tcase_add_test(tc, body_lines_cannot_end_the_headers_or_fake_a_boundary);
    tcase_add_test(tc, an_invite_rides_as_calendar_part_and_attachment);
    tcase_add_test(tc, booking_mails_render_in_both_languages);
    tcase_add_test(tc, retry_schedule);
    tcase_add_test(tc, a_failed_mail_is_tried_again_until_it_is_given_up);
    tcase_add_test(tc, a_mail_is_composed_only_for_a_valid_address_and_tenant);
    suite_add_tcase(s, tc);

    tc = tcase_create("delivery");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, an_outbox_row_opens_its_sealed_bodies_and_keeps_plain_ones);
    tcase_add_test(tc, a_mails_bodies_are_sealed_for_the_outbox_and_open_as_its_row);
    tcase_add_test(tc, the_sender_is_the_configured_mailbox_or_no_reply);
    tcase_add_test(tc, send_hands_the_message_to_the_server);
    tcase_add_test(tc, send_reports_a_refused_recipient_without_the_address);
    tcase_add_test(tc, smtp_hands_over_the_reply_to);
    tcase_add_test(tc, send_tells_a_refused_sender_or_relay_from_a_refused_recipient);
    tcase_add_test(tc, send_to_a_closed_port_fails_fast);
    tcase_add_test(tc, send_times_out_on_a_silent_server);
    tcase_add_test(tc, send_refuses_bad_urls_and_addresses_without_connecting);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* loopback tests must not be sent to a proxy from the environment */
    unsetenv("all_proxy");
    unsetenv("ALL_PROXY");
    const char *why = NULL;
    if (kf_http_curl_global_init(&why) != APR_SUCCESS) {
        fprintf(stderr, "kf_http_curl_global_init: %s\n", why);
        return EXIT_FAILURE;
    }
    int rv = kf_run_suite(mail_suite());
    kf_http_curl_global_cleanup();
    return rv;
}
