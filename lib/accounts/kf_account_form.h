#ifndef KF_ACCOUNT_FORM_H
#define KF_ACCOUNT_FORM_H
/* The forms of API.md "Merchant accounts" (sign-up, verification, log-in, password reset)
 * and what their answers show: every field a required string, each refused field's message
 * in the request's locale, the core's verdicts on the values (kf_account.h), the JSON of a
 * user and of a tenant after log-in, a mail's variables. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_i18n.h"

/* Adds the message of message_id (kf_i18n, in locale) at key to `fields`. */
void kf_account_field_fail(kf_locale locale, json_t *fields, const char *key,
                           const char *message_id);

/* The core's verdicts on the values read so far (values[i] is NULL when missing). */
typedef void (*kf_account_checks)(kf_locale locale, const char *const values[], json_t *fields);

/* Reads the required string fields keys[0..n) of body into values[] (NULL when missing,
 * null or not a string, with the field's message) and runs `checks` (may be NULL). The
 * field errors: a new object, empty when the form is good. */
json_t *kf_account_form_read(kf_locale locale, const json_t *body, size_t n,
                             const char *const keys[], const char *values[],
                             kf_account_checks checks);

/* The sign-up form: email, password (not the email), business_name. */
enum { KF_REGISTER_EMAIL, KF_REGISTER_PASSWORD, KF_REGISTER_NAME, KF_REGISTER_FIELDS };
extern const char *const kf_register_keys[KF_REGISTER_FIELDS];
void kf_account_register_checks(kf_locale locale, const char *const values[], json_t *fields);

/* A form of one field, "email", that must be an address (forgot-password). */
void kf_account_email_checks(kf_locale locale, const char *const values[], json_t *fields);

/* What a log line may say about a typed email: the address itself, which the log masks
 * (jo***@example.com), or a placeholder when it is not an address (the log would leave such
 * text, maybe a mistyped password, as it is). */
const char *kf_account_loggable_email(const char *email);

/* {"id", "email", "email_verified"} */
json_t *kf_account_user_json(const char *id, const char *email, int verified);

/* An account's answer: {"user"} (kf_account_user_json), then "tenant" when given (taken;
 * JSON null says it could not be read) and "csrf_token" when given (a signed-in session's). */
json_t *kf_account_answer(const char *user_id, const char *email, int verified, json_t *tenant,
                          const char *csrf_token);

/* The audit's changes of a registration: the address and the business's name. */
json_t *kf_account_register_changes(const char *email, const char *business_name);

/* The audit's changes of a new password: that it changed, never what it is. */
json_t *kf_account_password_changes(void);

/* The columns of the tenant after log-in (no secret), in the order the glue's statement
 * selects them and the answer shows them; kf_account_tenant_columns names each. */
enum {
    KF_ACCOUNT_TENANT_ID, KF_ACCOUNT_TENANT_NAME, KF_ACCOUNT_TENANT_SUBDOMAIN,
    KF_ACCOUNT_TENANT_TIMEZONE, KF_ACCOUNT_TENANT_LOCALE, KF_ACCOUNT_TENANT_COUNTRY,
    KF_ACCOUNT_TENANT_CURRENCY, KF_ACCOUNT_TENANT_PRIMARY_COLOR, KF_ACCOUNT_TENANT_SECONDARY_COLOR,
    KF_ACCOUNT_TENANT_LOGO_URL, KF_ACCOUNT_TENANT_CALLBACK_URL, KF_ACCOUNT_TENANT_RETURN_URL,
    KF_ACCOUNT_TENANT_TERMS_URL, KF_ACCOUNT_TENANT_COLUMNS
};
extern const char *const kf_account_tenant_columns[KF_ACCOUNT_TENANT_COLUMNS];
/* That tenant's JSON from its row (KF_ACCOUNT_TENANT_COLUMNS values, NULL: null). */
json_t *kf_account_tenant_json(const char *const *row);

/* The link of an account mail: the public URL, path, and "?token=" token when one is given
 * (NULL: none). */
const char *kf_account_link(apr_pool_t *p, const char *public_url, const char *path,
                            const char *token);

/* The mail's vars: {"link", "business_name"} (a new object). */
json_t *kf_account_mail_vars(const char *link, const char *business_name);

/* What a failed log-in that leaves an account's counters full did: paused log-ins from the
 * client's network (its failures reached KonfirmadoAuthAccountLimit), or from everywhere
 * (every network's failures reached KonfirmadoAuthAccountCeiling; that one wins). */
typedef enum kf_login_lock {
    KF_LOGIN_LOCK_NONE = 0, KF_LOGIN_LOCK_NETWORK, KF_LOGIN_LOCK_EVERYWHERE
} kf_login_lock;

kf_login_lock kf_login_lock_of(int network_full, int account_full);

/* The mail that tells the owner ("account_locked", "account_locked_everywhere"), and the
 * scope of the counter that lets it go once per window (kf_rl_account_key): one of each
 * kind, so a lock everywhere is told after a network's. NULL for KF_LOGIN_LOCK_NONE. */
const char *kf_login_lock_mail(kf_login_lock lock);
const char *kf_login_lock_notice_scope(kf_login_lock lock);

/* The vars of the mail telling an account's owner that its log-ins are paused: the mail's
 * vars plus the network the failures came from and the pause in whole minutes (the window,
 * rounded up). */
json_t *kf_account_lock_mail_vars(const char *link, const char *business_name,
                                  const char *network, apr_int64_t window_seconds);

#endif
