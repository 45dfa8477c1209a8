#ifndef KF_EMAIL_H
#define KF_EMAIL_H
/* Email addresses as API.md accepts them: an RFC 5322 addr-spec of at most 254 bytes. */
#include <apr_pools.h>

#define KF_EMAIL_MAX 254

/* 1 when `s` is an RFC 5322 addr-spec (section 3.4.1) without comments, folding white
 * space or obsolete forms: local part a dot-atom or a quoted-string, domain a dot-atom or
 * a domain-literal ("[192.0.2.1]"), ASCII only, at most KF_EMAIL_MAX bytes in all.
 * "a@b" is valid (a dot-atom domain needs no dot); "a..b@x", ".a@x", "a@x." are not. */
int kf_email_valid(const char *s);

/* The address as stored and compared: ASCII letters lowercased. NULL -> NULL. */
char *kf_email_normalize(apr_pool_t *p, const char *s);

#endif
