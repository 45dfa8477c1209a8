/* Mail messages (kf_mail.h): addresses, header encodings, quoted-printable, the
 * multipart/alternative message, and the retry schedule. Pure functions. */
#include "kf_mail.h"
#include "kf_crypto.h"
#include "kf_email.h"
#include "kf_text.h"

#include <apr_base64.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <stdlib.h>
#include <string.h>

#define CRLF "\r\n"

/* ---- addresses ---- */

static int has_control(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            return 1;
        }
    }
    return 0;
}

static const char *trim(apr_pool_t *p, const char *s, apr_size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    return apr_pstrmemdup(p, s, len);
}

apr_status_t kf_mail_parse_mailbox(apr_pool_t *p, const char *value, const char **display,
                                   const char **addr)
{
    if (!value || has_control(value) || !kf_utf8_valid(value, strlen(value))) {
        return APR_EINVAL;
    }
    const char *name = "", *address;
    const char *lt = strrchr(value, '<');
    if (lt) {
        const char *gt = strchr(lt, '>');
        if (!gt || *trim(p, gt + 1, strlen(gt + 1))) {
            return APR_EINVAL; /* no closing '>' or something after it */
        }
        address = apr_pstrmemdup(p, lt + 1, (apr_size_t)(gt - lt - 1));
        name = trim(p, value, (apr_size_t)(lt - value));
        apr_size_t nlen = strlen(name);
        if (nlen >= 2 && name[0] == '"' && name[nlen - 1] == '"') {
            /* "Quoted, Name": unquote, undoing \" and \\ */
            char *u = apr_palloc(p, nlen), *o = u;
            for (const char *c = name + 1; c < name + nlen - 1; c++) {
                if (*c == '\\' && c + 1 < name + nlen - 1) {
                    c++;
                }
                *o++ = *c;
            }
            *o = '\0';
            name = u;
        }
        else if (strchr(name, '"')) {
            return APR_EINVAL;
        }
    }
    else {
        address = trim(p, value, strlen(value));
    }
    if (!kf_email_valid(address)) {
        return APR_EINVAL;
    }
    if (display) {
        *display = name;
    }
    *addr = address;
    return APR_SUCCESS;
}

/* ---- header encodings ---- */

static int plain_ascii(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c > 0x7e) {
            return 0;
        }
    }
    return 1;
}

/* At most this many input bytes per encoded word: base64 of 36 bytes is 48 characters,
 * plus "=?UTF-8?B?" and "?=" makes 60, which leaves room for "Subject: " within 78
 * columns (an encoded word may have at most 75, RFC 2047 section 2). */
#define WORD_INPUT_MAX 36

const char *kf_mail_encode_header_words(apr_pool_t *p, const char *utf8)
{
    apr_size_t len = strlen(utf8);
    apr_array_header_t *words = apr_array_make(p, 4, sizeof(const char *));
    apr_size_t i = 0;

    if (len == 0) {
        return "";
    }
    while (i < len) {
        apr_size_t n = len - i < WORD_INPUT_MAX ? len - i : WORD_INPUT_MAX;
        /* never split a character: back up to the start of a sequence */
        while (n > 0 && i + n < len && ((unsigned char)utf8[i + n] & 0xC0) == 0x80) {
            n--;
        }
        if (n == 0) {
            n = len - i < WORD_INPUT_MAX ? len - i : WORD_INPUT_MAX; /* invalid UTF-8 */
        }
        char *b64 = apr_palloc(p, (apr_size_t)apr_base64_encode_len((int)n));
        apr_base64_encode(b64, utf8 + i, (int)n);
        APR_ARRAY_PUSH(words, const char *) = apr_pstrcat(p, "=?UTF-8?B?", b64, "?=", NULL);
        i += n;
    }
    /* words are folded onto continuation lines; the whitespace between two encoded
     * words is not part of the decoded text (RFC 2047 section 6.2) */
    const char *out = APR_ARRAY_IDX(words, 0, const char *);
    for (int w = 1; w < words->nelts; w++) {
        out = apr_pstrcat(p, out, CRLF " ", APR_ARRAY_IDX(words, w, const char *), NULL);
    }
    return out;
}

/* A display name as a phrase: atoms as they are, specials quoted, non-ASCII encoded. */
static const char *display_phrase(apr_pool_t *p, const char *display)
{
    if (!plain_ascii(display)) {
        return kf_mail_encode_header_words(p, display);
    }
    if (!strpbrk(display, "()<>[]:;@\\,.\"")) {
        return display;
    }
    char *q = apr_palloc(p, strlen(display) * 2 + 3), *o = q;
    *o++ = '"';
    for (const char *c = display; *c; c++) {
        if (*c == '"' || *c == '\\') {
            *o++ = '\\';
        }
        *o++ = *c;
    }
    *o++ = '"';
    *o = '\0';
    return q;
}

/* ---- quoted-printable ---- */

#define QP_LINE_MAX 76

static int at_line_end(const char *s)
{
    return *s == '\0' || *s == '\n' || (s[0] == '\r' && s[1] == '\n');
}

const char *kf_mail_quoted_printable(apr_pool_t *p, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t len = strlen(text);
    /* each byte becomes at most 3, a soft break adds 3 per 73, LF grows to CRLF */
    char *out = apr_palloc(p, len * 6 + 3), *o = out;
    apr_size_t col = 0;

    for (const char *c = text; *c; c++) {
        if (*c == '\n' || (c[0] == '\r' && c[1] == '\n')) {
            if (*c == '\r') {
                c++;
            }
            *o++ = '\r';
            *o++ = '\n';
            col = 0;
            continue;
        }
        unsigned char b = (unsigned char)*c;
        int last = at_line_end(c + 1);
        int literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
        apr_size_t width = literal ? 1 : 3;
        /* the last token of a line may use all 76 columns; others leave one for a soft '=' */
        if (col + width > (last ? QP_LINE_MAX : QP_LINE_MAX - 1)) {
            memcpy(o, "=" CRLF, 3);
            o += 3;
            col = 0;
        }
        if (literal) {
            *o++ = (char)b;
        }
        else {
            *o++ = '=';
            *o++ = hex[b >> 4];
            *o++ = hex[b & 0x0f];
        }
        col += width;
    }
    *o = '\0';
    return out;
}

/* ---- dates ---- */

const char *kf_mail_date(apr_pool_t *p, apr_time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                        tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                        tm.tm_min, tm.tm_sec);
}

/* ---- the message ---- */

static apr_status_t refuse(const char **why, const char *reason)
{
    *why = reason;
    return APR_EINVAL;
}

static int valid_message_id(const char *id)
{
    const char *at = strchr(id, '@');
    if (!at || at == id || !at[1] || strchr(at + 1, '@')) {
        return 0;
    }
    for (const unsigned char *c = (const unsigned char *)id; *c; c++) {
        if (*c <= 0x20 || *c >= 0x7f || *c == '<' || *c == '>') {
            return 0;
        }
    }
    return 1;
}

/* Plain ASCII subjects this short fit on the "Subject: " line as they are. */
#define SUBJECT_PLAIN_MAX 66

/* Base64 in lines of 76 characters, each ending with CRLF (RFC 2045 6.8). */
static const char *mime_base64(apr_pool_t *p, const char *data, apr_size_t len)
{
    char *flat = apr_palloc(p, apr_base64_encode_len((int)len));
    int n = apr_base64_encode(flat, data, (int)len) - 1;   /* without the NUL */
    char *out = apr_palloc(p, (apr_size_t)n + 2 * ((apr_size_t)n / 76 + 1) + 1), *o = out;
    for (int i = 0; i < n; i += 76) {
        int chunk = n - i < 76 ? n - i : 76;
        memcpy(o, flat + i, (size_t)chunk);
        o += chunk;
        *o++ = '\r';
        *o++ = '\n';
    }
    *o = '\0';
    return out;
}

const char *kf_mail_list_unsubscribe(apr_pool_t *p, const char *url, const char *from_addr,
                                     const char *separator)
{
    if ((strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) ||
        has_control(url) || !plain_ascii(url) || strpbrk(url, " <>,\"") || strlen(url) > 900 ||
        !from_addr || has_control(from_addr) || !plain_ascii(from_addr) || strpbrk(from_addr, " <>,?\"")) {
        return NULL;
    }
    return apr_pstrcat(p, "<", url, ">", separator, "<mailto:", from_addr, "?subject=unsubscribe>",
                       NULL);
}

apr_status_t kf_mail_build(apr_pool_t *p, const kf_mail_message *m, const char **out,
                           const char **why)
{
    const char *ignored, *display, *from_addr;
    if (!why) {
        why = &ignored;
    }
    *why = NULL;
    if (kf_mail_parse_mailbox(p, m->from, &display, &from_addr) != APR_SUCCESS) {
        return refuse(why, "From is not a valid mailbox");
    }
    if (!kf_email_valid(m->to)) {
        return refuse(why, "recipient is not a valid address");
    }
    if (!m->subject || has_control(m->subject) ||
        !kf_utf8_valid(m->subject, strlen(m->subject))) {
        return refuse(why, "subject is missing, has a line break or control byte, or is not UTF-8");
    }
    if (!m->text || !kf_utf8_valid(m->text, strlen(m->text)) || !m->html ||
        !kf_utf8_valid(m->html, strlen(m->html))) {
        return refuse(why, "a body part is missing or is not UTF-8");
    }
    const char *message_id = m->message_id;
    if (!message_id) {
        message_id = apr_pstrcat(p, kf_random_token(p, 18), strchr(from_addr, '@'), NULL);
    }
    if (!valid_message_id(message_id)) {
        return refuse(why, "Message-ID is not of the form left@right");
    }
    unsigned char rnd[16];
    if (kf_random_bytes(rnd, sizeof(rnd)) != APR_SUCCESS) {
        return refuse(why, "no randomness for the MIME boundary");
    }
    /* "=_" never occurs in quoted-printable text, so the boundary cannot either */
    const char *boundary = apr_pstrcat(p, "=_kf_", kf_hex_encode(p, rnd, sizeof(rnd)), NULL);
    const char *from = from_addr;
    if (*display) {
        const char *phrase = display_phrase(p, display);
        const char *last_line = strrchr(phrase, '\n') ? strrchr(phrase, '\n') + 1 : phrase;
        /* "From: " + last line + " <addr>": fold before the address when it is too long */
        int fold = strlen("From: ") + strlen(last_line) + strlen(from_addr) + 3 > 78;
        from = apr_pstrcat(p, phrase, fold ? CRLF " <" : " <", from_addr, ">", NULL);
    }
    const char *calendar_parts = NULL;
    if (m->calendar) {
        if (!m->calendar_method || (strcmp(m->calendar_method, "REQUEST") != 0 &&
                                    strcmp(m->calendar_method, "CANCEL") != 0)) {
            return refuse(why, "calendar method is not REQUEST or CANCEL");
        }
        if (!kf_utf8_valid(m->calendar, strlen(m->calendar))) {
            return refuse(why, "calendar is not UTF-8");
        }
        calendar_parts = mime_base64(p, m->calendar, strlen(m->calendar));
    }
    const char *unsubscribe = "";
    if (m->list_unsubscribe) {
        const char *value = kf_mail_list_unsubscribe(p, m->list_unsubscribe, from_addr, "," CRLF " ");
        if (!value) {
            return refuse(why, "List-Unsubscribe is not a plain http(s) URL");
        }
        unsubscribe = apr_pstrcat(p, "List-Unsubscribe: ", value, CRLF
                                  "List-Unsubscribe-Post: " KF_MAIL_ONE_CLICK CRLF, NULL);
    }
    const char *reply_to = "";
    if (m->reply_to) {
        /* an address alone: nothing else, no line break, can follow the name */
        if (!kf_email_valid(m->reply_to)) {
            return refuse(why, "Reply-To is not a valid address");
        }
        reply_to = apr_pstrcat(p, "Reply-To: ", m->reply_to, CRLF, NULL);
    }
    const char *subject = plain_ascii(m->subject) && strlen(m->subject) <= SUBJECT_PLAIN_MAX
                              ? m->subject
                              : kf_mail_encode_header_words(p, m->subject);

    const char *headers = apr_pstrcat(p,
        "Date: ", kf_mail_date(p, m->date ? m->date : apr_time_now()), CRLF,
        "From: ", from, CRLF, reply_to,
        "To: ", m->to, CRLF,
        "Subject: ", subject, CRLF,
        "Message-ID: <", message_id, ">" CRLF,
        "MIME-Version: 1.0" CRLF,
        "Auto-Submitted: auto-generated" CRLF, unsubscribe, NULL);
    const char *mixed = apr_pstrcat(p, boundary, "_m", NULL);
    *out = apr_pstrcat(p, headers,
        calendar_parts ? apr_pstrcat(p, "Content-Type: multipart/mixed;" CRLF " boundary=\"",
                                     mixed, "\"" CRLF CRLF "--", mixed, CRLF, NULL)
                       : "",
        "Content-Type: multipart/alternative;" CRLF " boundary=\"", boundary, "\"" CRLF,
        CRLF,
        "--", boundary, CRLF,
        "Content-Type: text/plain; charset=UTF-8" CRLF,
        "Content-Transfer-Encoding: quoted-printable" CRLF,
        CRLF,
        kf_mail_quoted_printable(p, m->text), CRLF,
        "--", boundary, CRLF,
        "Content-Type: text/html; charset=UTF-8" CRLF,
        "Content-Transfer-Encoding: quoted-printable" CRLF,
        CRLF,
        kf_mail_quoted_printable(p, m->html), CRLF,
        calendar_parts ? apr_pstrcat(p,
            "--", boundary, CRLF,
            "Content-Type: text/calendar; charset=UTF-8; method=", m->calendar_method, CRLF,
            "Content-Transfer-Encoding: base64" CRLF,
            CRLF, calendar_parts, NULL) : "",
        "--", boundary, "--" CRLF,
        calendar_parts ? apr_pstrcat(p,
            CRLF "--", mixed, CRLF,
            "Content-Type: application/ics; name=\"invite.ics\"" CRLF,
            "Content-Disposition: attachment; filename=\"invite.ics\"" CRLF,
            "Content-Transfer-Encoding: base64" CRLF,
            CRLF, calendar_parts,
            "--", mixed, "--" CRLF, NULL) : "",
        NULL);
    return APR_SUCCESS;
}

/* ---- retries ---- */

int kf_mail_retry_delay(int failures, int base_seconds)
{
    static const int steps[] = {1, 3, 12, 60, 180, 720};
    const int n = (int)(sizeof(steps) / sizeof(steps[0]));
    int base = base_seconds > 0 ? base_seconds : 1;
    int i = failures < 1 ? 0 : (failures > n ? n - 1 : failures - 1);
    return base * steps[i];
}

int kf_mail_give_up(int failures, long age_sec, int hopeless, int retry_base, int *delay)
{
    if (hopeless || age_sec >= KF_MAIL_GIVE_UP_AFTER_SEC) {
        return 1;
    }
    *delay = kf_mail_retry_delay(failures, retry_base);
    return 0;
}

int kf_mail_server_unreachable(apr_status_t send_status)
{
    return send_status == APR_ECONNREFUSED || send_status == APR_TIMEUP;
}

apr_status_t kf_mail_compose(apr_pool_t *p, const char *tenant_id, const char *to,
                             const char *name, kf_locale locale, const json_t *vars,
                             kf_mail_content *out, const char **why)
{
    if (tenant_id && !kf_is_uuid(tenant_id)) {
        *why = "tenant id is not a UUID";
        return APR_EINVAL;
    }
    if (!kf_email_valid(to)) {
        *why = "the recipient is not a valid address";
        return APR_EINVAL;
    }
    return kf_mail_render(p, name, locale, vars, out, why);
}

int kf_outbox_mail_of(apr_pool_t *p, const kf_keyring *keys, const char *const *row,
                      kf_outbox_mail *m)
{
    const char *attempts = row[KF_OUTBOX_COL_ATTEMPTS];
    const char *created = row[KF_OUTBOX_COL_CREATED];
    const char *age = row[KF_OUTBOX_COL_AGE];
    m->id = row[KF_OUTBOX_COL_ID];
    m->recipient = row[KF_OUTBOX_COL_RECIPIENT];
    m->subject = row[KF_OUTBOX_COL_SUBJECT];
    int opened = kf_mail_open_bodies(p, keys, row[KF_OUTBOX_COL_TEXT], row[KF_OUTBOX_COL_HTML],
                                     row[KF_OUTBOX_COL_CALENDAR], &m->text, &m->html,
                                     &m->calendar);
    m->calendar_method = row[KF_OUTBOX_COL_CALENDAR_METHOD];
    m->list_unsubscribe = row[KF_OUTBOX_COL_LIST_UNSUBSCRIBE];
    m->reply_to = kf_mail_reply_to(row[KF_OUTBOX_COL_REPLY_SETTING], row[KF_OUTBOX_COL_REPLY_NOTIFY],
                                   row[KF_OUTBOX_COL_REPLY_OWNER],
                                   kf_text_true(row[KF_OUTBOX_COL_REPLY_OWNER_VERIFIED]));
    m->attempts = attempts ? atoi(attempts) : 0;
    m->created = created ? apr_time_from_sec(apr_atoi64(created)) : 0;
    m->age_sec = age ? (long)apr_atoi64(age) : 0;
    return opened;
}

kf_mail_message kf_outbox_message(apr_pool_t *p, const kf_outbox_mail *m, const char *from,
                                  const char *id_domain)
{
    kf_mail_message msg = {
        .from = from,
        .to = m->recipient,
        .subject = m->subject,
        .text = m->text,
        .html = m->html,
        .message_id = apr_pstrcat(p, m->id, "@", id_domain, NULL),
        .date = m->created,
        .calendar = m->calendar,
        .calendar_method = m->calendar_method,
        .list_unsubscribe = m->list_unsubscribe,
        .reply_to = m->reply_to,
    };
    return msg;
}

apr_status_t kf_mail_sender(apr_pool_t *p, const char *configured, const char *base_domain,
                            const char **from, const char **envelope_from, const char **id_domain)
{
    *from = configured ? configured
                       : apr_pstrcat(p, "Konfirmado <no-reply@", base_domain, ">", NULL);
    if (kf_mail_parse_mailbox(p, *from, NULL, envelope_from) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    *id_domain = strchr(*envelope_from, '@') + 1;
    return APR_SUCCESS;
}
