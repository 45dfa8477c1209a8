/* POST /api/auth/forgot-password and /api/auth/reset-password (API.md "Merchant
 * accounts"): a single-use reset link valid for one hour, mailed only when the account
 * exists, while the answer (202) and the work are the same either way. */
#include "mod_kf_accounts.h"
#include "mod_kf_accounts_columns.h"
#include "mod_kf_audit.h"
#include "mod_kf_accounts_feature.h"
#include "mod_kf_mail.h"
#include "mod_kf_ratelimit.h"
#include "kf_account.h"
#include "kf_crypto.h"
#include "kf_email.h"
#include "kf_json.h"
#include "kf_text.h"

static int internal_error(kfm_req *kr)
{
    return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
}

int kfm_handle_forgot_password(kfm_req *kr)
{
    static const char *const keys[] = {"email"};
    const char *email;
    if (!kfm_account_form(kr, 1, keys, &email, kf_account_email_checks)) {
        return OK;
    }

    apr_pool_t *p = kr->r->pool;
    email = kf_email_normalize(p, email);
    /* every request counts, existing account or not: each may send a mail */
    kfm_limit limits[] = {kfm_limit_account(kr, "forgot", email), kfm_limit_ip(kr)};
    apr_int64_t wait = kfm_limit_take(kr, limits, 2);
    if (wait == KFM_LIMIT_UNAVAILABLE) {
        return kfm_reply_limits_unavailable(kr);
    }
    if (wait > 0) {
        kfm_log(kr, APLOG_INFO, "password reset refused for %s: attempt limit",
               kf_account_loggable_email(email));
        return kfm_reply_too_many_attempts(kr, wait);
    }

    const char *token = kf_random_token(p, KFM_TOKEN_BYTES);
    const char *args[] = {email, kf_sha256_hex(p, token, strlen(token)),
                          apr_itoa(p, KFM_RESET_TOKEN_SECONDS)};
    const char *v[KFM_RESET_ISSUED_COUNT];
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, p, "kf_acct_reset_issue", 3, args, v,
                                        KFM_RESET_ISSUED_COUNT);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (rv == APR_SUCCESS) {   /* the account exists */
        const char *user_id = v[KFM_RESET_ISSUED_USER], *tenant_id = v[KFM_RESET_ISSUED_TENANT];
        json_t *vars = kf_account_mail_vars(kf_account_link(p, kfm_conf_public_url(kr->conf),
                                                            "/reset-password", token),
                                            v[KFM_RESET_ISSUED_BUSINESS]);
        if (kfm_audit_as(kr, kr->db, tenant_id, user_id, "user.password_reset_request", "user",
                        user_id, NULL) != APR_SUCCESS ||
            kfm_mail_queue(kr, kr->db, tenant_id, email, "reset_password",
                          kf_locale_negotiate(v[KFM_RESET_ISSUED_LOCALE]), vars) != APR_SUCCESS) {
            return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    if (kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    return kfm_reply_json(kr, HTTP_ACCEPTED, json_pack("{s:b}", "accepted", 1));
}

/* New password, token spent, other reset links retired, every session ended, audited:
 * in the caller's transaction. APR_EINVAL when the token was spent meanwhile. */
static apr_status_t apply_reset(kfm_req *kr, const char *token_hash, const char *user_id,
                                const char *password_hash, const char **email)
{
    apr_pool_t *p = kr->r->pool;
    const char *used_by = NULL, *set[KFM_PASSWORD_SET_COUNT];
    const char *use_args[] = {token_hash, "reset_password"};
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, p, "kf_acct_token_use", 2, use_args,
                                        &used_by, 1);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return APR_EGENERAL;
    }
    if (rv == APR_NOTFOUND || strcmp(used_by, user_id) != 0) {
        return APR_EINVAL;
    }
    const char *set_args[] = {password_hash, user_id};
    if (kfm_db_select_row(kr->r, kr->db, p, "kf_acct_password_set", 2, set_args, set,
                          KFM_PASSWORD_SET_COUNT) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *tenant_id = set[KFM_PASSWORD_SET_TENANT];
    *email = set[KFM_PASSWORD_SET_EMAIL];
    const char *user_args[] = {user_id};
    if (kfm_db_exec(kr->r, kr->db, "kf_acct_reset_retire", NULL, 1, user_args) != APR_SUCCESS ||
        kfm_db_exec(kr->r, kr->db, "kf_acct_sessions_end_all", NULL, 1, user_args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return kfm_audit_as(kr, kr->db, tenant_id, user_id, "user.password_reset", "user", user_id,
                       kf_account_password_changes());
}

int kfm_handle_reset_password(kfm_req *kr)
{
    static const char *const keys[] = {"token", "password"};
    const char *v[2];
    if (!kfm_account_form(kr, 2, keys, v, NULL)) {
        return OK;
    }
    const char *token = v[0], *password = v[1];

    apr_pool_t *p = kr->r->pool;
    const char *token_hash = kf_sha256_hex(p, token, strlen(token));
    const char *args[] = {token_hash};
    const char *found[KFM_RESET_FOUND_COUNT];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, p, "kf_acct_reset_lookup", 1, args, found,
                                        KFM_RESET_FOUND_COUNT);
    if (rv == APR_NOTFOUND) {
        kfm_log(kr, APLOG_INFO, "password reset refused: unknown, used or expired token");
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_token");
    }
    if (rv != APR_SUCCESS) {
        return internal_error(kr);
    }
    const char *user_id = found[KFM_RESET_FOUND_USER], *email = found[KFM_RESET_FOUND_EMAIL];
    const char *problem = kf_account_password_problem(password, email);
    if (problem) {
        json_t *fields = json_object();
        kf_account_field_fail(kr->locale, fields, "password", problem);
        return kfm_reply_fields(kr, fields);
    }
    /* bcrypt before the transaction: no row stays locked for its 0.3 s */
    const char *password_hash = kfm_account_hash_password(kr, password);
    if (!password_hash) {
        return internal_error(kr);
    }
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    rv = apply_reset(kr, token_hash, user_id, password_hash, &email);
    if (rv != APR_SUCCESS) {
        kfm_db_rollback(kr->r, &tx);
        if (rv == APR_EINVAL) {
            return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_token");
        }
        return internal_error(kr);
    }
    if (kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    kfm_log(kr, APLOG_INFO, "password of user %s reset; every session ended", user_id);
    return kfm_reply_json(kr, HTTP_OK, kf_account_answer(user_id, email, 1, NULL, NULL));
}
