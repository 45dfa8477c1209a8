/* The customer's portal: sign-in by mailed link and the session (API.md "Customer portal").
 * POST /api/public/me/login mails a link valid 15 minutes, used once, to an address that
 * booked with the host's tenant, and answers 202 either way (no enumeration), counted per
 * address and per client IP; POST /api/public/me/session turns the link's token into a
 * 12-hour session cookie on the tenant's host; POST /api/public/me/logout ends it. Tokens
 * are stored by their SHA-256 only. */
#include "mod_kf_customers_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_portal.h"
#include "mod_kf_sql.h"
#include "mod_kf_mail.h"
#include "mod_kf_ratelimit.h"
#include "kf_crypto.h"
#include "kf_portal.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>


/* The random part of a sign-in link and a session: 32 bytes. */
#define TOKEN_BYTES 32

/* Columns of kf_portal_sign_in_issue and kf_portal_sign_in_find. */
#define SIGN_IN_ISSUED_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(ISSUED_TENANT, "t.id")                                                            \
    NEXT(ISSUED_BUSINESS, "t.name")                                                         \
    NEXT(ISSUED_LOCALE, "coalesce(p.locale, t.locale)")
enum { SIGN_IN_ISSUED_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) ISSUED_COUNT };

#define SIGN_IN_FOUND_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(FOUND_TENANT, "s.tenant_id")                                                      \
    NEXT(FOUND_EMAIL, "s.email")                                                            \
    NEXT(FOUND_EXPIRED, "s.expires_at <= now()")
enum { SIGN_IN_FOUND_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) FOUND_COUNT };

const kfm_sql kfm_portal_sql[] = {
    /* subdomain, email (lower case), token hash, email: a link only for an address with a
     * booking at that tenant; the customer's language, else the tenant's */
    {"kf_portal_sign_in_issue",
     "WITH t AS (SELECT id, name, locale FROM tenants WHERE subdomain = %s"
     "   AND EXISTS (SELECT 1 FROM reservations r WHERE r.tenant_id = tenants.id"
     "               AND lower(r.customer_email) = %s AND r.status <> 'held')),"
     " issued AS (INSERT INTO customer_sign_in_tokens (token_hash, tenant_id, email, expires_at)"
     "   SELECT %s, t.id, %s, now() + interval '" KFM_SQL_INT(KF_PORTAL_SIGN_IN_SECONDS) " seconds'"
     "   FROM t RETURNING tenant_id, email)"
     " SELECT " KFM_SQL_COLUMNS(SIGN_IN_ISSUED_COLUMNS)
     " FROM issued JOIN t ON t.id = issued.tenant_id"
     " LEFT JOIN customer_preferences p ON p.tenant_id = t.id AND p.email = issued.email"},
    /* token hash, subdomain: the link, locked; whether it ran out */
    {"kf_portal_sign_in_find",
     "SELECT " KFM_SQL_COLUMNS(SIGN_IN_FOUND_COLUMNS) " FROM customer_sign_in_tokens s"
     " JOIN tenants t ON t.id = s.tenant_id"
     " WHERE s.token_hash = %s AND t.subdomain = %s AND s.used_at IS NULL FOR UPDATE OF s"},
    {"kf_portal_sign_in_use",
     "UPDATE customer_sign_in_tokens SET used_at = now() WHERE token_hash = %s"},
    /* token hash, tenant, email */
    {"kf_portal_session_start",
     "INSERT INTO customer_sessions (token_hash, tenant_id, email, expires_at)"
     " VALUES (%s, %s::uuid, %s, now() + interval '" KFM_SQL_INT(KF_PORTAL_SESSION_SECONDS) " seconds')"},
    /* token hash, subdomain */
    {"kf_portal_session_find",
     "SELECT c.tenant_id, c.email FROM customer_sessions c JOIN tenants t ON t.id = c.tenant_id"
     " WHERE c.token_hash = %s AND t.subdomain = %s AND c.expires_at > now()"},
    {"kf_portal_session_end", "DELETE FROM customer_sessions WHERE token_hash = %s"},
    {NULL, NULL},
};


static int internal_error(kfm_req *kr)
{
    return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
}

int kfm_portal_customer(kfm_req *kr, kfm_customer *out)
{
    const char *token = kfm_cookie_token(kr, KF_PORTAL_COOKIE);
    if (!token || !kr->host_tenant) {
        kfm_reply_error(kr, HTTP_UNAUTHORIZED, "unauthenticated");
        return 0;
    }
    apr_pool_t *p = kr->r->pool;
    const char *hash = kf_sha256_hex(p, token, strlen(token));
    const char *args[] = {hash, kr->host_tenant};
    const char *v[2];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, p, "kf_portal_session_find", 2, args, v, 2);
    if (rv != APR_SUCCESS) {
        if (rv == APR_NOTFOUND) {
            kfm_reply_error(kr, HTTP_UNAUTHORIZED, "unauthenticated");
        }
        else {
            internal_error(kr);
        }
        return 0;
    }
    *out = (kfm_customer){v[0], v[1], hash};
    return 1;
}

int kfm_handle_portal_login(kfm_req *kr)
{
    apr_pool_t *p = kr->r->pool;
    kf_fields f;
    kf_fields_init(&f, p, kr->locale);
    const char *email = kf_portal_login_read(&f, kr->body);
    if (!email) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    if (!kr->host_tenant) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");   /* the platform's host */
    }
    /* every request counts, an address with bookings or not: each may send a mail */
    kfm_limit limits[] = {kfm_limit_account(kr, "portal", email), kfm_limit_ip(kr)};
    apr_int64_t wait = kfm_limit_take(kr, limits, 2);
    if (wait == KFM_LIMIT_UNAVAILABLE) {
        return kfm_reply_limits_unavailable(kr);
    }
    if (wait > 0) {
        return kfm_reply_too_many_attempts(kr, wait);
    }
    const char *token = kf_random_token(p, TOKEN_BYTES);
    const char *args[] = {kr->host_tenant, email, kf_sha256_hex(p, token, strlen(token)), email};
    const char *v[ISSUED_COUNT];
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS) {
        return internal_error(kr);
    }
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, p, "kf_portal_sign_in_issue", 4, args, v,
                                        ISSUED_COUNT);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (rv == APR_SUCCESS) {   /* the address booked there: its link is mailed */
        json_t *vars = kf_portal_sign_in_vars(p, kfm_conf_public_url(kr->conf), kr->host_tenant,
                                              kfm_conf_base_domain(kr->conf), token,
                                              v[ISSUED_BUSINESS]);
        if (!vars || kfm_mail_queue(kr, kr->db, v[ISSUED_TENANT], email, "portal_sign_in",
                                    kf_locale_of_tag(v[ISSUED_LOCALE]), vars) != APR_SUCCESS) {
            return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    if (kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_ACCEPTED, json_pack("{s:b}", "accepted", 1));
}

int kfm_handle_portal_session(kfm_req *kr)
{
    apr_pool_t *p = kr->r->pool;
    kf_fields f;
    kf_fields_init(&f, p, kr->locale);
    const char *token = kf_portal_session_read(&f, kr->body);
    if (!token) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    if (!kf_token_shape_ok(token) || !kr->host_tenant) {
        return kfm_reply_error_msg(kr, HTTP_NOT_FOUND, "token_not_found", "token_not_found");
    }
    const char *hash = kf_sha256_hex(p, token, strlen(token));
    const char *find[] = {hash, kr->host_tenant};
    const char *v[FOUND_COUNT];
    kfm_tx tx;
    apr_status_t rv = kfm_db_begin(kr->r, kr->db, &tx);
    if (rv == APR_SUCCESS) {
        rv = kfm_db_select_row(kr->r, kr->db, p, "kf_portal_sign_in_find", 2, find, v, FOUND_COUNT);
    }
    if (rv == APR_NOTFOUND) {
        kfm_db_rollback(kr->r, &tx);
        return kfm_reply_error_msg(kr, HTTP_NOT_FOUND, "token_not_found", "token_not_found");
    }
    if (rv != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kf_text_true(v[FOUND_EXPIRED])) {
        kfm_db_rollback(kr->r, &tx);
        return kfm_reply_error_msg(kr, HTTP_GONE, "token_expired", "sign_in_expired");
    }
    const char *session = kf_random_token(p, TOKEN_BYTES);
    const char *use[] = {hash};
    const char *start[] = {kf_sha256_hex(p, session, strlen(session)), v[FOUND_TENANT],
                           v[FOUND_EMAIL]};
    if (kfm_db_exec(kr->r, kr->db, "kf_portal_sign_in_use", NULL, 1, use) != APR_SUCCESS ||
        kfm_db_exec(kr->r, kr->db, "kf_portal_session_start", NULL, 3, start) != APR_SUCCESS ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    apr_table_addn(kr->r->err_headers_out, "Set-Cookie",
                   kf_portal_cookie(p, session, KF_PORTAL_SESSION_SECONDS));
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:s, s:i}", "email", v[FOUND_EMAIL],
                                                 "expires_in", KF_PORTAL_SESSION_SECONDS));
}

int kfm_handle_portal_logout(kfm_req *kr)
{
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    const char *args[] = {me.token_hash};
    if (kfm_db_exec(kr->r, kr->db, "kf_portal_session_end", NULL, 1, args) != APR_SUCCESS) {
        return internal_error(kr);
    }
    apr_table_addn(kr->r->err_headers_out, "Set-Cookie", kf_portal_cookie(kr->r->pool, "", 0));
    return kfm_reply_empty(kr, HTTP_NO_CONTENT);
}
