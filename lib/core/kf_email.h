#ifndef KF_EMAIL_H
#define KF_EMAIL_H
/* Email addresses as API.md accepts them: an RFC 5322 addr-spec that mail can be delivered
 * to. The one rule of the product: bookings, purchases, accounts, professionals, tenant
 * settings and the mail queue all call kf_email_valid. */
#include <apr_pools.h>

#define KF_EMAIL_MAX 254
#define KF_EMAIL_LOCAL_MAX 64

/* 1 when `s` is a dot-atom local part of at most KF_EMAIL_LOCAL_MAX bytes, "@", and a
 * host name of DNS labels with at least one dot (RFC 5322 3.4.1, RFC 5321 4.5.3.1), ASCII only,
 * at most KF_EMAIL_MAX bytes in all. No comments, folding white space, quoted local
 * parts or domain literals. "a@b.co" is valid; "a@b", "a..b@x.co", ".a@x.co", "a@x.co."
 * are not. */
int kf_email_valid(const char *s);

/* The address as stored and compared: ASCII letters lowercased. NULL -> NULL. */
char *kf_email_normalize(apr_pool_t *p, const char *s);

#endif
