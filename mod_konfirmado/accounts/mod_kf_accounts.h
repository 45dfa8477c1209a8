#ifndef MOD_KF_ACCOUNTS_H
#define MOD_KF_ACCOUNTS_H
/* What the account handlers share (mod_kf_accounts.c: register, verify, login, me,
 * logout; mod_kf_password.c: forgot and reset): statements, passwords, single-use tokens,
 * the form (kf_account_form.h) and the tenant after login. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_account_form.h"

#define KFM_VERIFY_TOKEN_SECONDS (24 * 3600)
#define KFM_RESET_TOKEN_SECONDS 3600
#define KFM_TOKEN_BYTES 32           /* 256 bits of randomness, 43 base64url characters */


/* Every account form: reads the body and runs kf_account_form_read over it (checks may be
 * NULL). Returns 1 when all is well; otherwise it has answered (the body's error, or 400
 * validation_failed with every field's message) and returns 0: the handler returns OK. */
int kfm_account_form(kfm_req *kr, size_t n, const char *const keys[], const char *values[],
                     kf_account_checks checks);

/* bcrypt (cost 12, 16 random salt bytes) of a password; NULL on failure (logged). */
const char *kfm_account_hash_password(kfm_req *kr, const char *password);

#endif
