/* Merchant sessions: see mod_kf_session.h. */
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_crypto.h"
#include "kf_account.h"


/* Columns of kf_session_touch. */
#define SESSION_TOUCH_COLUMNS(FIRST, NEXT)                                                       \
    FIRST(TOUCH_USER, "s.user_id")                                                          \
    NEXT(TOUCH_TENANT, "s.tenant_id")                                                       \
    NEXT(TOUCH_CSRF, "s.csrf_token")                                                        \
    NEXT(TOUCH_TIMEZONE, "t.timezone")                                                      \
    NEXT(TOUCH_CURRENCY, "t.currency")                                                      \
    NEXT(TOUCH_TODAY, "to_char(now() AT TIME ZONE t.timezone, 'YYYY-MM-DD')")
enum { SESSION_TOUCH_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) TOUCH_COLUMNS };

const kfm_sql kfm_session_sql[] = {
    {"kf_session_touch",
     "UPDATE sessions s SET last_seen_at = now(),"
     "  idle_expires_at = LEAST(now() + interval '" KFM_SQL_INT(KFM_SESSION_IDLE_SECONDS) " seconds',"
     "                          s.absolute_expires_at)"
     " FROM tenants t"
     " WHERE s.token_hash = %s AND s.idle_expires_at > now() AND s.absolute_expires_at > now()"
     "   AND t.id = s.tenant_id"
     " RETURNING " KFM_SQL_COLUMNS(SESSION_TOUCH_COLUMNS)},
    {"kf_session_insert",
     "INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, ip, user_agent,"
     "  idle_expires_at, absolute_expires_at)"
     " VALUES (%s, %s::uuid, %s::uuid, %s, %s::inet, %s,"
     "  now() + interval '" KFM_SQL_INT(KFM_SESSION_IDLE_SECONDS) " seconds',"
     "  now() + interval '" KFM_SQL_INT(KFM_SESSION_ABSOLUTE_SECONDS) " seconds')"},
    {"kf_session_delete", "DELETE FROM sessions WHERE token_hash = %s"},
    {NULL, NULL},
};

static void set_cookie(kfm_req *kr, const char *value, long max_age)
{
    apr_table_addn(kr->r->err_headers_out, "Set-Cookie",
                   kf_session_cookie(kr->r->pool, value, max_age, ap_http_scheme(kr->r),
                                     kfm_conf_public_url(kr->conf)));
}

const kfm_session *kfm_session_load(kfm_req *kr, ap_dbd_t *db, int *lookup_failed)
{
    const char *token = kfm_cookie_token(kr, KF_SESSION_COOKIE);
    *lookup_failed = 0;
    if (!token) {
        return NULL;
    }
    const char *hash = kf_sha256_hex(kr->r->pool, token, strlen(token));
    const char *args[] = {hash};
    const char *v[TOUCH_COLUMNS];
    apr_status_t rv = kfm_db_select_row(kr->r, db, kr->r->pool, "kf_session_touch", 1, args, v,
                                        TOUCH_COLUMNS);
    if (rv != APR_SUCCESS) {
        *lookup_failed = rv != APR_NOTFOUND;
        return NULL;
    }
    kfm_session *s = apr_pcalloc(kr->r->pool, sizeof(*s));
    s->token_hash = hash;
    s->user_id = v[TOUCH_USER];
    s->tenant = (kfm_tenant){v[TOUCH_TENANT], v[TOUCH_TIMEZONE], v[TOUCH_CURRENCY], v[TOUCH_TODAY]};
    s->csrf_token = v[TOUCH_CSRF];
    return s;
}

const kfm_session *kfm_session_start(kfm_req *kr, ap_dbd_t *db, const char *user_id,
                                   const char *tenant_id)
{
    const char *token = kf_random_token(kr->r->pool, 32);
    kfm_session *s = apr_pcalloc(kr->r->pool, sizeof(*s));
    s->token_hash = kf_sha256_hex(kr->r->pool, token, strlen(token));
    s->user_id = user_id;
    s->tenant.id = tenant_id;
    s->csrf_token = kf_random_token(kr->r->pool, 32);
    const char *ua = apr_table_get(kr->r->headers_in, "User-Agent");
    const char *args[] = {s->token_hash, user_id, tenant_id, s->csrf_token,
                          kr->r->useragent_ip, ua ? apr_pstrndup(kr->r->pool, ua, 512) : NULL};
    if (kfm_db_exec(kr->r, db, "kf_session_insert", NULL, 6, args) != APR_SUCCESS) {
        return NULL;
    }
    set_cookie(kr, token, KFM_SESSION_ABSOLUTE_SECONDS);
    return s;
}

apr_status_t kfm_session_end(kfm_req *kr, ap_dbd_t *db, const kfm_session *session)
{
    const char *args[] = {session->token_hash};
    apr_status_t rv = kfm_db_exec(kr->r, db, "kf_session_delete", NULL, 1, args);
    set_cookie(kr, "", 0);
    return rv;
}

int kfm_session_csrf_ok(const kfm_req *kr, const kfm_session *session)
{
    const char *sent = apr_table_get(kr->r->headers_in, "X-CSRF-Token");
    return sent && session && session->csrf_token && kf_ct_streq(sent, session->csrf_token);
}

const kfm_session *kfm_session_admit(kfm_req *kr, ap_dbd_t *db, int csrf, int *reply)
{
    int lookup_failed = 0;
    const kfm_session *session = kfm_session_load(kr, db, &lookup_failed);
    if (lookup_failed) {
        /* the database failed, not the cookie: a 401 would send the merchant to log in
         * again (a lost connection answers 503, to be retried) */
        *reply = kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return NULL;
    }
    if (!session) {
        *reply = kfm_reply_error(kr, HTTP_UNAUTHORIZED, "unauthenticated");
        return NULL;
    }
    if (csrf && !kfm_session_csrf_ok(kr, session)) {
        *reply = kfm_reply_error(kr, HTTP_FORBIDDEN, "csrf_failed");
        return NULL;
    }
    return session;
}
