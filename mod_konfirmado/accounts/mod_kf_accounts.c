/* POST /api/auth/register, /api/auth/verify-email, /api/auth/login, /api/auth/logout and
 * GET /api/auth/me (API.md "Merchant accounts"), plus what mod_kf_password.c shares. */
#include "mod_kf_accounts.h"
#include "mod_kf_sql.h"
#include "mod_kf_accounts_columns.h"
#include "mod_kf_audit.h"
#include "mod_kf_accounts_feature.h"
#include "mod_kf_mail.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_operations_conf.h"
#include "mod_kf_session.h"
#include "kf_account.h"
#include "kf_crypto.h"
#include "kf_email.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_ratelimit.h"

#include <apr_md5.h>
#include <apr_general.h>

/* Columns of kf_acct_user_verify, kf_acct_user_by_email and kf_acct_user_get. */
#define VERIFIED_COLUMNS(FIRST, NEXT)                                                       \
    FIRST(VERIFIED_TENANT, "tenant_id")                                                     \
    NEXT(VERIFIED_EMAIL, "email")
enum { VERIFIED_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) VERIFIED_COUNT };
#define LOGIN_COLUMNS(FIRST, NEXT)                                                          \
    FIRST(LOGIN_ID, "u.id")                                                                 \
    NEXT(LOGIN_TENANT, "u.tenant_id")                                                       \
    NEXT(LOGIN_HASH, "u.password_hash")                                                     \
    NEXT(LOGIN_VERIFIED, "u.email_verified_at IS NOT NULL")                                 \
    NEXT(LOGIN_LOCALE, "t.locale")                                                          \
    NEXT(LOGIN_BUSINESS, "t.name")
enum { LOGIN_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) LOGIN_COUNT };
#define USER_COLUMNS(FIRST, NEXT)                                                           \
    FIRST(USER_ID, "id")                                                                    \
    NEXT(USER_EMAIL, "email")                                                               \
    NEXT(USER_VERIFIED, "email_verified_at IS NOT NULL")
enum { USER_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) USER_COUNT };

const kfm_sql kfm_accounts_sql[] = {
    {"kf_acct_tenant_insert",
     "INSERT INTO tenants (name, locale) VALUES (%s, %s) RETURNING id"},
    /* a taken email is an answer (409), not an error: no row comes back */
    {"kf_acct_user_insert",
     "INSERT INTO users (tenant_id, email, password_hash) VALUES (%s::uuid, %s, %s)"
     " ON CONFLICT (email) DO NOTHING RETURNING id"},
    {"kf_acct_token_insert",
     "INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at)"
     " VALUES (%s, %s::uuid, %s, now() + %s::int * interval '1 second')"},
    /* consumes a live token: single use, and only before it expires */
    {"kf_acct_token_use",
     "UPDATE user_tokens SET used_at = now()"
     " WHERE token_hash = %s AND purpose = %s AND used_at IS NULL AND expires_at > now()"
     " RETURNING user_id"},
    {"kf_acct_user_verify",
     "UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now()"
     " WHERE id = %s::uuid RETURNING " KFM_SQL_COLUMNS(VERIFIED_COLUMNS)},
    {"kf_acct_user_by_email",
     "SELECT " KFM_SQL_COLUMNS(LOGIN_COLUMNS)
     " FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = %s"},
    {"kf_acct_user_get",
     "SELECT " KFM_SQL_COLUMNS(USER_COLUMNS) " FROM users"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    {"kf_acct_tenant_get",
     "SELECT " KFM_SQL_COLUMNS(KFM_ACCOUNT_TENANT_COLUMNS)
     " FROM tenants WHERE id = %s::uuid"},
    /* forgot-password: one statement whether or not the account exists (same work) */
    {"kf_acct_reset_issue",
     "WITH u AS (SELECT id, tenant_id FROM users WHERE email = %s),"
     " t AS (INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at)"
     "       SELECT %s, id, 'reset_password', now() + %s::int * interval '1 second' FROM u"
     "       RETURNING user_id)"
     " SELECT " KFM_SQL_COLUMNS(KFM_RESET_ISSUED_COLUMNS)
     " FROM u JOIN tenants tn ON tn.id = u.tenant_id"},
    {"kf_acct_reset_lookup",
     "SELECT " KFM_SQL_COLUMNS(KFM_RESET_FOUND_COLUMNS)
     " FROM user_tokens t JOIN users u ON u.id = t.user_id"
     " WHERE t.token_hash = %s AND t.purpose = 'reset_password' AND t.used_at IS NULL"
     "   AND t.expires_at > now()"},
    /* a reset also proves the mailbox: the address counts as verified from then on */
    {"kf_acct_password_set",
     "UPDATE users SET password_hash = %s, email_verified_at = COALESCE(email_verified_at, now()),"
     "  updated_at = now() WHERE id = %s::uuid"
     " RETURNING " KFM_SQL_COLUMNS(KFM_PASSWORD_SET_COLUMNS)},
    {"kf_acct_reset_retire",
     "UPDATE user_tokens SET used_at = now()"
     " WHERE user_id = %s::uuid AND purpose = 'reset_password' AND used_at IS NULL"},
    {"kf_acct_sessions_end_all", "DELETE FROM sessions WHERE user_id = %s::uuid"},
    {NULL, NULL},
};

/* ---- shared helpers ---- */

int kfm_account_form(kfm_req *kr, size_t n, const char *const keys[], const char *values[],
                     kf_account_checks checks)
{
    json_t *body = NULL;
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return 0;
    }
    json_t *fields = kf_account_form_read(kr->locale, body, n, keys, values, checks);
    if (json_object_size(fields) > 0) {
        kfm_reply_fields(kr, fields);
        return 0;
    }
    json_decref(fields);
    return 1;
}

const char *kfm_account_hash_password(kfm_req *kr, const char *password)
{
    apr_status_t rv = APR_SUCCESS;
    const char *hash = kf_password_hash(kr->r->pool, password, &rv);
    if (!hash) {
        kfm_log(kr, APLOG_ERR, "password hashing failed (%d)", rv);
    }
    return hash;
}

/* Issues a single-use token of `purpose` ("verify_email", "reset_password") for the user,
 * valid for `seconds`; stores only its SHA-256. Returns the token (for the mail link) or
 * NULL when the statement failed. */
static const char *token_issue(kfm_req *kr, ap_dbd_t *db, const char *user_id,
                               const char *purpose, int seconds)
{
    const char *token = kf_random_token(kr->r->pool, KFM_TOKEN_BYTES);
    const char *args[] = {kf_sha256_hex(kr->r->pool, token, strlen(token)), user_id, purpose,
                          apr_itoa(kr->r->pool, seconds)};
    if (kfm_db_exec(kr->r, db, "kf_acct_token_insert", NULL, 4, args) != APR_SUCCESS) {
        return NULL;
    }
    return token;
}

/* The tenant as the dashboard needs it after login (kf_account_tenant_json), or NULL
 * (logged). */
static json_t *tenant_json(kfm_req *kr, ap_dbd_t *db, const char *tenant_id)
{
    const char *row[KF_ACCOUNT_TENANT_COLUMNS];
    const char *args[] = {tenant_id};
    apr_status_t rv = kfm_db_select_row(kr->r, db, kr->r->pool, "kf_acct_tenant_get", 1, args,
                                        row, KF_ACCOUNT_TENANT_COLUMNS);
    if (rv == APR_NOTFOUND) {
        kfm_log(kr, APLOG_ERR, "tenant %s of a user does not exist", tenant_id);
    }
    return rv == APR_SUCCESS ? kf_account_tenant_json(row) : NULL;
}

static int internal_error(kfm_req *kr)
{
    return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
}

/* ---- POST /api/auth/register ---- */

typedef struct registration {
    const char *email;
    const char *password_hash;
    const char *business_name;
    const char *tenant_id;
    const char *user_id;
} registration;

/* Everything of a registration in the caller's transaction: APR_SUCCESS, APR_EEXIST
 * (email taken), or an error (logged). */
static apr_status_t create_account(kfm_req *kr, ap_dbd_t *db, registration *reg)
{
    apr_pool_t *p = kr->r->pool;
    const char *tenant_args[] = {reg->business_name, kf_locale_tag(kr->locale)};
    if (kfm_db_select_row(kr->r, db, p, "kf_acct_tenant_insert", 2, tenant_args, &reg->tenant_id,
                          1) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *user_args[] = {reg->tenant_id, reg->email, reg->password_hash};
    apr_status_t rv = kfm_db_select_row(kr->r, db, p, "kf_acct_user_insert", 3, user_args,
                                        &reg->user_id, 1);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? APR_EEXIST : APR_EGENERAL;   /* no row: the email is taken */
    }
    const char *token = token_issue(kr, db, reg->user_id, "verify_email",
                                               KFM_VERIFY_TOKEN_SECONDS);
    if (!token) {
        return APR_EGENERAL;
    }
    if (kfm_audit_as(kr, db, reg->tenant_id, reg->user_id, "user.register", "user", reg->user_id,
                     kf_account_register_changes(reg->email, reg->business_name)) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    json_t *vars = kf_account_mail_vars(kf_account_link(kr->r->pool, kfm_conf_public_url(kr->conf),
                                                        "/verify-email", token),
                                        reg->business_name);
    return kfm_mail_queue(kr, db, reg->tenant_id, reg->email, "verify_email", kr->locale, vars);
}

int kfm_handle_register(kfm_req *kr)
{
    const char *v[KF_REGISTER_FIELDS];
    if (!kfm_account_form(kr, KF_REGISTER_FIELDS, kf_register_keys, v,
                          kf_account_register_checks)) {
        return OK;
    }
    const char *email = v[KF_REGISTER_EMAIL], *password = v[KF_REGISTER_PASSWORD];
    const char *name = v[KF_REGISTER_NAME];

    /* every registration counts against the client's address: accounts are cheap to ask for */
    kfm_limit ip = kfm_limit_ip(kr);
    apr_int64_t wait = kfm_limit_take(kr, &ip, 1);
    if (wait == KFM_LIMIT_UNAVAILABLE) {
        return kfm_reply_limits_unavailable(kr);
    }
    if (wait > 0) {
        kfm_log(kr, APLOG_INFO, "registration refused: attempt limit of %s", kr->r->useragent_ip);
        return kfm_reply_too_many_attempts(kr, wait);
    }

    registration reg = {0};
    reg.email = kf_email_normalize(kr->r->pool, email);
    reg.business_name = kf_account_business_name_trim(kr->r->pool, name);
    /* the slow part (bcrypt) happens before the transaction holds any lock */
    reg.password_hash = kfm_account_hash_password(kr, password);
    if (!reg.password_hash) {
        return internal_error(kr);
    }
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    apr_status_t rv = create_account(kr, kr->db, &reg);
    if (rv != APR_SUCCESS) {
        kfm_db_rollback(kr->r, &tx);
        if (rv == APR_EEXIST) {
            kfm_log(kr, APLOG_INFO, "registration refused: %s is taken",
                   kf_account_loggable_email(reg.email));
            return kfm_reply_error(kr, HTTP_CONFLICT, "email_taken");
        }
        return internal_error(kr);
    }
    if (kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    kfm_log(kr, APLOG_INFO, "registered user %s of tenant %s", reg.user_id, reg.tenant_id);
    json_t *tenant = tenant_json(kr, kr->db, reg.tenant_id);
    return kfm_reply_json(kr, HTTP_CREATED, kf_account_answer(reg.user_id, reg.email, 0,
                                                              tenant ? tenant : json_null(), NULL));
}

/* ---- POST /api/auth/verify-email ---- */

int kfm_handle_verify_email(kfm_req *kr)
{
    static const char *const keys[] = {"token"};
    const char *token;
    if (!kfm_account_form(kr, 1, keys, &token, NULL)) {
        return OK;
    }

    apr_pool_t *p = kr->r->pool;
    const char *use_args[] = {kf_sha256_hex(p, token, strlen(token)), "verify_email"};
    const char *user_id = NULL, *v[VERIFIED_COUNT];
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, p, "kf_acct_token_use", 2, use_args,
                                        &user_id, 1);
    if (rv == APR_NOTFOUND) {
        kfm_db_rollback(kr->r, &tx);
        kfm_log(kr, APLOG_INFO, "email verification refused: unknown, used or expired token");
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_token");
    }
    const char *verify_args[] = {user_id};
    if (rv != APR_SUCCESS ||
        kfm_db_select_row(kr->r, kr->db, p, "kf_acct_user_verify", 1, verify_args, v,
                          VERIFIED_COUNT) != APR_SUCCESS ||
        kfm_audit_as(kr, kr->db, v[VERIFIED_TENANT], user_id, "user.verify_email", "user", user_id,
                     NULL) != APR_SUCCESS ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK,
                          kf_account_answer(user_id, v[VERIFIED_EMAIL], 1, NULL, NULL));
}

/* ---- POST /api/auth/login, GET /api/auth/me, POST /api/auth/logout ---- */

/* {"user", "tenant", "csrf_token"}: the answer of login and me. */
static int reply_signed_in(kfm_req *kr, int status, const char *user_id, const char *email,
                           const char *tenant_id, const char *csrf_token)
{
    json_t *tenant = tenant_json(kr, kr->db, tenant_id);
    if (!tenant) {
        return internal_error(kr);
    }
    return kfm_reply_json(kr, status, kf_account_answer(user_id, email, 1, tenant, csrf_token));
}

/* The owner of an account whose log-ins a network's failures (or every network's) paused
 * hears of it once per window and kind of lock, in the tenant's language: from where, for
 * how long, and the way to a new password. A mail that cannot be queued is logged; the
 * answer stays 401. */
static void lock_notice(kfm_req *kr, const char *email, const char *const *user,
                        const kfm_limit limits[KFM_LOGIN_LIMITS])
{
    apr_pool_t *p = kr->r->pool;
    kf_login_lock lock = kf_login_lock_of(kfm_limit_exhausted(kr, &limits[0]),
                                          kfm_limit_exhausted(kr, &limits[1]));
    if (lock == KF_LOGIN_LOCK_NONE) {
        return;
    }
    kfm_limit notice = {kf_rl_account_key(p, kf_login_lock_notice_scope(lock), email),
                        KFM_LIMIT_LOCK_NOTICE};
    if (kfm_limit_take(kr, &notice, 1) != 0) {
        return;   /* told already in this window */
    }
    const char *link = kf_account_link(p, kfm_conf_public_url(kr->conf),
                                       "/dashboard/forgot-password", NULL);
    json_t *vars = kf_account_lock_mail_vars(link, user[LOGIN_BUSINESS],
                                             kfm_limit_network(kr->r, kr->conf),
                                             kfm_operations_conf_auth_limit_window(kfm_operations_conf_of(kr->r->server)));
    kf_locale locale = kf_locale_negotiate(user[LOGIN_LOCALE]);
    if (kfm_mail_queue(kr, kr->db, user[LOGIN_TENANT], email, kf_login_lock_mail(lock), locale,
                       vars) != APR_SUCCESS) {
        kfm_log(kr, APLOG_ERR, "the lock notice of user %s was not queued", user[LOGIN_ID]);
        return;
    }
    kfm_log(kr, APLOG_NOTICE, "log-ins of user %s from %s paused: lock notice queued",
           user[LOGIN_ID], kfm_limit_network(kr->r, kr->conf));
}

int kfm_handle_login(kfm_req *kr)
{
    static const char *const keys[] = {"email", "password"};
    const char *v[2];
    if (!kfm_account_form(kr, 2, keys, v, NULL)) {
        return OK;
    }
    const char *email = v[0], *password = v[1];

    apr_pool_t *p = kr->r->pool;
    email = kf_email_normalize(p, email);
    /* Every attempt is charged before the password is looked at and given back when the
     * password was right, so parallel guesses cannot slip past the limit. */
    kfm_limit limits[KFM_LOGIN_LIMITS];
    kfm_limit_login(kr, email, limits);
    apr_int64_t wait = kfm_limit_take(kr, limits, KFM_LOGIN_LIMITS);
    if (wait == KFM_LIMIT_UNAVAILABLE) {
        return kfm_reply_limits_unavailable(kr);
    }
    if (wait > 0) {
        kfm_log(kr, APLOG_INFO, "login refused for %s: attempt limit (retry in %" APR_INT64_T_FMT
               " s)", kf_account_loggable_email(email), wait);
        return kfm_reply_too_many_attempts(kr, wait);
    }
    const char *args[] = {email};
    const char *user[LOGIN_COUNT];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, p, "kf_acct_user_by_email", 1, args, user,
                                        LOGIN_COUNT);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        kfm_limit_refund(kr, limits, KFM_LOGIN_LIMITS);
        return internal_error(kr);
    }
    int found = rv == APR_SUCCESS;
    /* the same bcrypt work whether or not the account exists */
    if (!kf_password_matches(password, found ? user[LOGIN_HASH] : NULL)) {
        kfm_log(kr, APLOG_INFO, "login refused for %s: wrong email or password",
               kf_account_loggable_email(email));
        if (found) {
            lock_notice(kr, email, user, limits);
        }
        return kfm_reply_error(kr, HTTP_UNAUTHORIZED, "invalid_credentials");
    }
    kfm_limit_refund(kr, limits, KFM_LOGIN_LIMITS);
    const char *user_id = user[LOGIN_ID], *tenant_id = user[LOGIN_TENANT];
    /* only now, with the password proven, may the answer tell about verification */
    if (!kf_text_true(user[LOGIN_VERIFIED])) {
        return kfm_reply_error(kr, HTTP_FORBIDDEN, "email_not_verified");
    }
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    const kfm_session *session = kfm_session_start(kr, kr->db, user_id, tenant_id);
    if (!session ||
        kfm_audit_as(kr, kr->db, tenant_id, user_id, "user.login", "user", user_id, NULL) !=
            APR_SUCCESS ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(kr->r, &tx);
        /* the cookie of a session that was never stored must not reach the browser */
        apr_table_unset(kr->r->err_headers_out, "Set-Cookie");
        return internal_error(kr);
    }
    kr->session = session;
    return reply_signed_in(kr, HTTP_OK, user_id, email, tenant_id, session->csrf_token);
}

int kfm_handle_me(kfm_req *kr)
{
    const char *args[] = {kr->session->user_id, kr->session->tenant.id};
    const char *user[USER_COUNT];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_acct_user_get", 2, args,
                                        user, USER_COUNT);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND ? kfm_reply_error(kr, HTTP_UNAUTHORIZED, "unauthenticated")
                                  : internal_error(kr);
    }
    return reply_signed_in(kr, HTTP_OK, kr->session->user_id, user[USER_EMAIL],
                           kr->session->tenant.id, kr->session->csrf_token);
}

int kfm_handle_logout(kfm_req *kr)
{
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    if (kfm_audit(kr, kr->db, "user.logout", "user", kr->session->user_id, NULL) != APR_SUCCESS ||
        kfm_session_end(kr, kr->db, kr->session) != APR_SUCCESS ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_empty(kr, HTTP_NO_CONTENT);
}
