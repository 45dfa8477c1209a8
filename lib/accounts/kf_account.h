#ifndef KF_ACCOUNT_H
#define KF_ACCOUNT_H
/* Rules of API.md "Merchant accounts" for what a merchant types in: each check returns
 * NULL when the value is acceptable, else the kf_i18n message id of the field error. */
#include <apr_pools.h>
#include <apr_errno.h>

#define KF_PASSWORD_MIN 10          /* code points */
#define KF_PASSWORD_MAX 128
#define KF_BUSINESS_NAME_MIN 2
#define KF_BUSINESS_NAME_MAX 100

/* An RFC 5322 addr-spec of at most 254 bytes (kf_email_valid) that the mailer can also
 * deliver to (kf_email_valid): "a@b" or "\"x y\"@example.com" are refused. */
const char *kf_account_email_problem(const char *email);

/* 10..128 code points (valid UTF-8 assumed: JSON strings are), and not the email itself
 * in any letter case (email may be NULL when not known yet). */
const char *kf_account_password_problem(const char *password, const char *email);

/* 2..100 code points after trimming white space, no control characters. */
const char *kf_account_business_name_problem(const char *name);

/* The business name as stored: surrounding ASCII white space removed. */
const char *kf_account_business_name_trim(apr_pool_t *p, const char *name);

/* Passwords at rest: bcrypt (apr_bcrypt_encode) with this cost and a fresh 16-byte salt. */
#define KF_BCRYPT_COST 12

/* The bcrypt hash of password (allocated from p), or NULL with *rv set (no randomness). */
const char *kf_password_hash(apr_pool_t *p, const char *password, apr_status_t *rv);

/* 1 when password matches hash. A NULL hash (no such account) is checked against a hash of
 * a random string nobody knows, so an unknown email costs the same time as a known one,
 * and answers 0. */
int kf_password_matches(const char *password, const char *hash);

/* The merchant's session cookie (KF_SESSION_COOKIE): HttpOnly, SameSite=Lax, for the whole
 * host, `max_age` seconds (0: gone at once), and Secure when the request came over HTTPS
 * (`scheme`) or the platform's public URL is an https:// one. */
#define KF_SESSION_COOKIE "kf_session"
const char *kf_session_cookie(apr_pool_t *p, const char *value, long max_age, const char *scheme,
                              const char *public_url);

#endif
