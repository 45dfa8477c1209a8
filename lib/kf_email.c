/* RFC 5322 addr-spec check and normalization (see kf_email.h). Pure functions. */
#include "kf_email.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

/* atext of RFC 5322 3.2.3: letters, digits and these specials. */
static int is_atext(unsigned char c)
{
    return apr_isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* dot-atom-text = 1*atext *("." 1*atext) over [s, end) */
static int is_dot_atom(const char *s, const char *end)
{
    int run = 0;
    if (s == end) {
        return 0;
    }
    for (const char *c = s; c < end; c++) {
        if (*c == '.') {
            if (run == 0) {
                return 0;   /* leading dot or two dots in a row */
            }
            run = 0;
        } else if (is_atext((unsigned char)*c)) {
            run++;
        } else {
            return 0;
        }
    }
    return run > 0;         /* no trailing dot */
}

/* quoted-string = DQUOTE *([WSP] qcontent) [WSP] DQUOTE, qcontent = qtext / quoted-pair;
 * qtext = %d33 / %d35-91 / %d93-126, quoted-pair = "\" (VCHAR / WSP). */
static int is_quoted_string(const char *s, const char *end)
{
    if (end - s < 2 || s[0] != '"' || end[-1] != '"') {
        return 0;
    }
    for (const char *c = s + 1; c < end - 1; c++) {
        unsigned char u = (unsigned char)*c;
        if (u == '\\') {
            if (c + 1 >= end - 1) {
                return 0;   /* the backslash would escape the closing quote */
            }
            unsigned char q = (unsigned char)*++c;
            if (!((q >= 33 && q <= 126) || q == ' ' || q == '\t')) {
                return 0;
            }
        } else if (!(u == 33 || (u >= 35 && u <= 91) || (u >= 93 && u <= 126) || u == ' ' ||
                     u == '\t')) {
            return 0;       /* '"' unescaped, controls, non-ASCII */
        }
    }
    return 1;
}

/* domain-literal = "[" *([WSP] dtext) [WSP] "]", dtext = %d33-90 / %d94-126. */
static int is_domain_literal(const char *s, const char *end)
{
    if (end - s < 3 || s[0] != '[' || end[-1] != ']') {
        return 0;
    }
    int text = 0;
    for (const char *c = s + 1; c < end - 1; c++) {
        unsigned char u = (unsigned char)*c;
        if ((u >= 33 && u <= 90) || (u >= 94 && u <= 126)) {
            text = 1;
        } else if (u != ' ' && u != '\t') {
            return 0;
        }
    }
    return text;
}

int kf_email_valid(const char *s)
{
    if (!s) {
        return 0;
    }
    apr_size_t len = strlen(s);
    if (len < 3 || len > KF_EMAIL_MAX) {
        return 0;
    }
    /* The local part may be quoted and then contain '@': the domain starts after the last
     * '@', which can never be inside a valid domain. */
    const char *at = strrchr(s, '@');
    if (!at) {
        return 0;
    }
    const char *end = s + len;
    int local_ok = is_dot_atom(s, at) || is_quoted_string(s, at);
    int domain_ok = is_dot_atom(at + 1, end) || is_domain_literal(at + 1, end);
    return local_ok && domain_ok;
}

char *kf_email_normalize(apr_pool_t *p, const char *s)
{
    if (!s) {
        return NULL;
    }
    char *out = apr_pstrdup(p, s);
    for (char *c = out; *c; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c = (char)(*c - 'A' + 'a');
        }
    }
    return out;
}
