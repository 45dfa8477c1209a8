/* Text checks and log-safe masking (see kf_text.h). Pure functions, no state. */
#include "kf_text.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <string.h>

#define KF_MASK "***"

/* ---- UTF-8 ---- */

int kf_utf8_valid(const char *buf, apr_size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    apr_size_t i = 0;

    if (buf == NULL)
        return len == 0;
    while (i < len) {
        unsigned char c = s[i];
        apr_size_t n;           /* continuation bytes that follow */
        unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */

        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c == 0xE0) {
            n = 2; lo = 0xA0;   /* no overlong 3-byte forms */
        } else if (c == 0xED) {
            n = 2; hi = 0x9F;   /* no UTF-16 surrogates U+D800..U+DFFF */
        } else if (c >= 0xE1 && c <= 0xEF) {
            n = 2;
        } else if (c == 0xF0) {
            n = 3; lo = 0x90;   /* no overlong 4-byte forms */
        } else if (c >= 0xF1 && c <= 0xF3) {
            n = 3;
        } else if (c == 0xF4) {
            n = 3; hi = 0x8F;   /* nothing above U+10FFFF */
        } else {
            return 0;           /* 0x80..0xC1 (stray continuation, overlong lead), 0xF5.. */
        }
        if (len - i <= n)
            return 0;           /* truncated sequence */
        if (s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (apr_size_t k = 2; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += n + 1;
    }
    return 1;
}

apr_size_t kf_utf8_length(const char *s)
{
    apr_size_t n = 0;

    if (s == NULL)
        return 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c & 0xC0) != 0x80)
            n++;
    return n;
}

/* Byte length of the first `count` code points of s[0..len) (never splits a sequence). */
static apr_size_t utf8_prefix(const char *s, apr_size_t len, apr_size_t count)
{
    apr_size_t i = 0;

    while (i < len && count > 0) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        count--;
    }
    return i;
}

/* ---- emails ---- */

static const char *mask_email_n(apr_pool_t *p, const char *email, apr_size_t len)
{
    const char *at = NULL;
    apr_size_t local_len, local_cps, keep;

    if (email == NULL || len == 0 || !kf_utf8_valid(email, len))
        return KF_MASK;
    for (apr_size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)email[i];
        if (c <= 0x20 || c == 0x7F)
            return KF_MASK;     /* whitespace, control bytes, embedded NUL */
        if (c == '@') {
            if (at != NULL)
                return KF_MASK; /* more than one '@' */
            at = email + i;
        }
    }
    if (at == NULL || at == email || at == email + len - 1)
        return KF_MASK;         /* no '@', empty local part or empty domain */

    local_len = (apr_size_t)(at - email);
    local_cps = 0;
    for (apr_size_t i = 0; i < local_len; i++)
        if (((unsigned char)email[i] & 0xC0) != 0x80)
            local_cps++;
    /* Two leading characters, but never the whole local part when it has two or three. */
    keep = local_cps >= 4 ? 2 : 1;
    keep = utf8_prefix(email, local_len, keep);
    return apr_pstrcat(p, apr_pstrmemdup(p, email, keep), KF_MASK,
                       apr_pstrmemdup(p, at, len - local_len), NULL);
}

const char *kf_mask_email(apr_pool_t *p, const char *email)
{
    if (email == NULL)
        return KF_MASK;
    return mask_email_n(p, email, strlen(email));
}

/* ---- phones ---- */

static const char *mask_phone_n(apr_pool_t *p, const char *phone, apr_size_t len)
{
    apr_size_t start = 0, digits;
    char *out;
    apr_size_t o = 0;

    if (phone == NULL || len == 0)
        return KF_MASK;
    if (phone[0] == '+')
        start = 1;
    digits = len - start;
    if (digits < 8 || digits > 15)
        return KF_MASK;
    for (apr_size_t i = start; i < len; i++)
        if (phone[i] < '0' || phone[i] > '9')
            return KF_MASK;

    out = apr_palloc(p, len + 1);
    if (start)
        out[o++] = '+';
    for (apr_size_t k = 0; k < digits; k++)
        out[o++] = (k < 2 || k >= digits - 3) ? phone[start + k] : '*';
    out[o] = '\0';
    return out;
}

const char *kf_mask_phone(apr_pool_t *p, const char *phone)
{
    if (phone == NULL)
        return KF_MASK;
    return mask_phone_n(p, phone, strlen(phone));
}

/* ---- recipients ---- */

const char *kf_mask_recipient(apr_pool_t *p, const char *to)
{
    static const char channel[] = "whatsapp:";
    const char *prefix = "";
    if (to && strncmp(to, channel, sizeof(channel) - 1) == 0) {
        prefix = channel;
        to += sizeof(channel) - 1;
    }
    if (!to || !kf_utf8_valid(to, strlen(to)) || kf_utf8_length(to) <= 2 * KF_MASK_KEPT) {
        return KF_MASK;
    }
    for (const char *c = to; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            return KF_MASK;
        }
    }
    /* the start of the last KF_MASK_KEPT code points */
    const char *tail = to + strlen(to);
    for (int kept = 0; kept < KF_MASK_KEPT; kept++) {
        do {
            tail--;
        } while (((unsigned char)*tail & 0xC0) == 0x80);
    }
    return apr_pstrcat(p, prefix, KF_MASK, tail, NULL);
}

/* ---- free text ---- */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* atext of RFC 5322 plus '.', and any non-ASCII byte (internationalized addresses). */
static int is_local_char(unsigned char c)
{
    return is_alnum(c) || c >= 0x80 || (c != 0 && strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

static int is_domain_char(unsigned char c)
{
    return is_alnum(c) || c >= 0x80 || c == '-' || c == '.';
}

typedef struct {
    apr_size_t start, end;      /* [start, end) */
} span_t;

/* Finds every "local@domain" in text; spans do not overlap and are in order. */
static apr_array_header_t *find_emails(apr_pool_t *p, const char *t, apr_size_t len)
{
    apr_array_header_t *spans = apr_array_make(p, 4, sizeof(span_t));
    apr_size_t floor = 0;       /* a local part never reaches back before this */

    for (apr_size_t k = 0; k < len; k++) {
        apr_size_t s, e;

        if (t[k] != '@')
            continue;
        s = k;
        while (s > floor && is_local_char((unsigned char)t[s - 1]))
            s--;
        e = k + 1;
        while (e < len && is_domain_char((unsigned char)t[e]))
            e++;
        /* A sentence may end right after the address: "write to ana@x.co." */
        while (e > k + 1 && (t[e - 1] == '.' || t[e - 1] == '-'))
            e--;
        if (s < k && e > k + 1) {
            span_t *sp = apr_array_push(spans);
            sp->start = s;
            sp->end = e;
            floor = e;
            k = e - 1;
        } else {
            floor = k + 1;
        }
    }
    return spans;
}

/* Digit runs that are part of an identifier (touching letters: UUIDs, hex tokens) or a
 * plain ISO date are not personal data and stay readable in logs. */
static int looks_like_identifier_or_date(const char *text, apr_size_t len, apr_size_t i,
                                         apr_size_t j)
{
    if ((i > 0 && apr_isalnum(text[i - 1])) || (j < len && apr_isalpha(text[j]))) {
        return 1;
    }
    if (j - i == 10 && text[i] != '+' && text[i + 4] == '-' && text[i + 7] == '-') {
        return 1;
    }
    return 0;
}

const char *kf_mask_text(apr_pool_t *p, const char *text)
{
    apr_size_t len, i = 0, next = 0;
    apr_array_header_t *spans;
    const span_t *sv;
    char *out;
    apr_size_t cap, o = 0;

    if (text == NULL)
        return "";
    len = strlen(text);
    spans = find_emails(p, text, len);
    sv = (const span_t *)spans->elts;
    /* A masked item is at most 3 bytes longer than the >= 3 bytes it replaces. */
    cap = 2 * len + 4;
    out = apr_palloc(p, cap);

    while (i < len) {
        apr_size_t limit = next < (apr_size_t)spans->nelts ? sv[next].start : len;

        if (next < (apr_size_t)spans->nelts && i == sv[next].start) {
            const char *m = mask_email_n(p, text + i, sv[next].end - i);
            apr_size_t ml = strlen(m);
            memcpy(out + o, m, ml);
            o += ml;
            i = sv[next].end;
            next++;
            continue;
        }
        if (is_digit((unsigned char)text[i])
            || (text[i] == '+' && i + 1 < limit && is_digit((unsigned char)text[i + 1]))) {
            apr_size_t j = i, ndigits = 0;
            if (text[j] == '+')
                j++;
            for (;;) {
                while (j < limit && is_digit((unsigned char)text[j])) {
                    j++;
                    ndigits++;
                }
                if (j + 1 < limit && (text[j] == ' ' || text[j] == '-')
                    && is_digit((unsigned char)text[j + 1]))
                    j++;
                else
                    break;
            }
            if (ndigits >= 7 && !looks_like_identifier_or_date(text, len, i, j)) {
                /* Normalize to [+]digits and mask that; odd lengths come out as "***". */
                char *norm = apr_palloc(p, j - i + 1);
                apr_size_t nl = 0;
                const char *m;
                apr_size_t ml;
                for (apr_size_t k = i; k < j; k++)
                    if (text[k] == '+' || is_digit((unsigned char)text[k]))
                        norm[nl++] = text[k];
                norm[nl] = '\0';
                m = mask_phone_n(p, norm, nl);
                ml = strlen(m);
                memcpy(out + o, m, ml);
                o += ml;
            } else {
                memcpy(out + o, text + i, j - i);
                o += j - i;
            }
            i = j;
            continue;
        }
        out[o++] = text[i++];
    }
    out[o] = '\0';
    return out;
}

int kf_is_uuid(const char *s)
{
    static const int dash_at[] = {8, 13, 18, 23};
    if (!s || strlen(s) != 36) {
        return 0;
    }
    for (int i = 0, d = 0; i < 36; i++) {
        if (d < 4 && i == dash_at[d]) {
            if (s[i] != '-') {
                return 0;
            }
            d++;
        }
        else if (!apr_isxdigit(s[i])) {
            return 0;
        }
    }
    return 1;
}

const char *kf_pg_array(apr_pool_t *p, const apr_array_header_t *items)
{
    return apr_pstrcat(p, "{", apr_array_pstrcat(p, items, ','), "}", NULL);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

const char *kf_trim_span(const char *s, apr_size_t *len)
{
    while (is_space(*s)) {
        s++;
    }
    apr_size_t n = strlen(s);
    while (n > 0 && is_space(s[n - 1])) {
        n--;
    }
    *len = n;
    return s;
}

int kf_has_text(const char *s)
{
    return s && *s;
}

int kf_text_true(const char *v)
{
    return v && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0);
}

int kf_phone_e164(const char *phone)
{
    size_t len = phone ? strlen(phone) : 0;
    if (len < 9 || len > 16 || phone[0] != '+') {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if (phone[i] < '0' || phone[i] > '9') {
            return 0;
        }
    }
    return 1;
}
