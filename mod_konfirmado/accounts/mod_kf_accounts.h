#ifndef MOD_KF_ACCOUNTS_H
#define MOD_KF_ACCOUNTS_H
/* What the account handlers share (mod_kf_accounts.c: register, verify, login, me,
 * logout; mod_kf_password.c: forgot and reset): statements, passwords, single-use tokens,
 * field reading and the JSON of users and tenants. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"

#define KFM_VERIFY_TOKEN_SECONDS (24 * 3600)
#define KFM_RESET_TOKEN_SECONDS 3600
#define KFM_TOKEN_BYTES 32           /* 256 bits of randomness, 43 base64url characters */


/* A required string field of the body; on a missing, null or non-string value it adds
 * the field's message (request locale) to `fields` and returns NULL. */
const char *kfm_account_field(kfm_req *kr, const json_t *body, const char *key, json_t *fields);

/* Adds a field error (message id from kf_account_*_problem) to `fields`. */
void kfm_account_field_error(kfm_req *kr, json_t *fields, const char *key, const char *message_id);

/* Adds the core's verdicts on the values read so far (values[i] is NULL when missing). */
typedef void (*kfm_account_checks)(kfm_req *kr, const char *const values[], json_t *fields);

/* Every account form: reads the body and its required string fields keys[0..n) into
 * values[], runs `checks` (may be NULL). Returns 1 when all is well; otherwise it has
 * answered (the body's error, or 400 validation_failed with every field's message) and
 * returns 0: the handler returns OK. */
int kfm_account_form(kfm_req *kr, size_t n, const char *const keys[], const char *values[],
                     kfm_account_checks checks);

/* bcrypt (cost 12, 16 random salt bytes) of a password; NULL on failure (logged). */
const char *kfm_account_hash_password(kfm_req *kr, const char *password);


/* Issues a single-use token of `purpose` ("verify_email", "reset_password") for the user,
 * valid for `seconds`; stores only its SHA-256. Returns the token (for the mail link) or
 * NULL when the statement failed. */
const char *kfm_account_token_issue(kfm_req *kr, ap_dbd_t *db, const char *user_id,
                                   const char *purpose, int seconds);

/* KonfirmadoPublicURL + path + "?token=" + token: the link of a mail. */
const char *kfm_account_link(kfm_req *kr, const char *path, const char *token);

/* What a log line may say about a typed email: the address itself, which kfm_log masks
 * (jo***@example.com), or a placeholder when it is not an address (kfm_log would leave
 * such text, maybe a mistyped password, as it is). */
const char *kfm_account_loggable_email(const char *email);

/* {"id", "email", "email_verified"} */
json_t *kfm_account_user_json(const char *id, const char *email, int verified);

/* The tenant as the dashboard needs it after login (no secret), or NULL (logged). */
json_t *kfm_account_tenant_json(kfm_req *kr, ap_dbd_t *db, const char *tenant_id);

/* The mail's vars: {"link", "business_name"} (a new object for kfm_mail_queue to steal). */
json_t *kfm_account_mail_vars(const char *link, const char *business_name);

#endif
