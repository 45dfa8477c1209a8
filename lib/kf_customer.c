#include "kf_customer.h"
#include "kf_text.h"

#include <string.h>

const char *kf_customer_check_name(const char *name)
{
    apr_size_t n = kf_utf8_length(name);
    int visible = 0;
    if (!name || n < 2 || n > 100) {
        return "customer_name_length";
    }
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            return "customer_name_invalid";
        }
        visible = visible || *c != ' ';
    }
    return visible ? NULL : "customer_name_length";
}

/* RFC 5322 atext, plus any byte of a UTF-8 sequence (RFC 6532 UTF8-non-ascii). */
static int is_atext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL || c >= 0x80;
}

/* dot-atom-text over [s, e): atoms of atext separated by single dots. */
static int is_dot_atom(const char *s, const char *e)
{
    int atom = 0;
    if (s >= e) {
        return 0;
    }
    for (const char *c = s; c < e; c++) {
        if (*c == '.') {
            if (!atom) {
                return 0;
            }
            atom = 0;
        }
        else if (*c && is_atext((unsigned char)*c)) {
            atom = 1;
        }
        else {
            return 0;
        }
    }
    return atom;
}

/* quoted-string: '"' (qtext | '\' VCHAR/WSP)* '"'; returns the end (after the closing
 * quote) or NULL. */
static const char *quoted_string_end(const char *s)
{
    if (*s != '"') {
        return NULL;
    }
    for (const char *c = s + 1; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (u == '"') {
            return c + 1;
        }
        if (u == '\\') {
            c++;
            if (!*c || (((unsigned char)*c < 0x20 && *c != '\t') || (unsigned char)*c == 0x7f)) {
                return NULL;
            }
            continue;
        }
        if ((u < 0x20 && u != '\t') || u == 0x7f) {
            return NULL;
        }
    }
    return NULL;
}

/* domain-literal: '[' dtext* ']' with dtext = printable ASCII but [ ] \ */
static int is_domain_literal(const char *s, const char *e)
{
    if (e - s < 2 || *s != '[' || e[-1] != ']') {
        return 0;
    }
    for (const char *c = s + 1; c < e - 1; c++) {
        unsigned char u = (unsigned char)*c;
        if (u < 33 || u > 126 || u == '[' || u == ']' || u == '\\') {
            return 0;
        }
    }
    return 1;
}

const char *kf_customer_check_email(const char *email)
{
    if (!email || !*email) {
        return "customer_email_invalid";
    }
    apr_size_t len = strlen(email);
    if (len > 254) {
        return "customer_email_too_long";
    }
    const char *end = email + len;
    const char *at;
    if (*email == '"') {
        at = quoted_string_end(email);
        if (!at || *at != '@') {
            return "customer_email_invalid";
        }
    }
    else {
        at = strrchr(email, '@');
        if (!at || !is_dot_atom(email, at)) {
            return "customer_email_invalid";
        }
    }
    const char *domain = at + 1;
    if (!is_dot_atom(domain, end) && !is_domain_literal(domain, end)) {
        return "customer_email_invalid";
    }
    return NULL;
}

static int all_digits(const char *s, apr_size_t n)
{
    for (apr_size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

const char *kf_customer_check_phone(const char *phone, const char *country)
{
    apr_size_t len = phone ? strlen(phone) : 0;
    if (len < 9 || len > 16 || phone[0] != '+' || !all_digits(phone + 1, len - 1)) {
        return "customer_phone_invalid";
    }
    if (country && strcmp(country, "CO") == 0 &&
        (len != 13 || strncmp(phone, "+57", 3) != 0)) {
        return "customer_phone_invalid_co";
    }
    return NULL;
}

const char *kf_customer_check_notes(const char *notes)
{
    return notes && kf_utf8_length(notes) > 1000 ? "notes_too_long" : NULL;
}
