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

/* host name of DNS labels: [A-Za-z0-9-]{1,63}, no '-' at either end, at least one dot */
static int is_host_name(const char *s, const char *end)
{
    int dots = 0;
    const char *label = s;
    for (const char *c = s;; c++) {
        if (c == end || *c == '.') {
            apr_size_t n = (apr_size_t)(c - label);
            if (n == 0 || n > 63 || label[0] == '-' || c[-1] == '-') {
                return 0;
            }
            if (c == end) {
                return dots > 0;
            }
            dots++;
            label = c + 1;
        } else if (!apr_isalnum((unsigned char)*c) && *c != '-') {
            return 0;
        }
    }
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
    const char *at = strchr(s, '@');
    if (!at) {
        return 0;
    }
    const char *end = s + len;
    /* Quoted local parts and domain literals are addr-specs too, but no mail server we
     * hand mail to takes them, and a domain that is no dotted host name has no public MX: accepting
     * them would take a booking whose confirmation can never be sent (RFC 5321 4.5.3.1.1
     * for the 64-byte local part). */
    if (at - s > KF_EMAIL_LOCAL_MAX) {
        return 0;
    }
    return is_dot_atom(s, at) && is_host_name(at + 1, end);
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
