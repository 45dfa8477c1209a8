#ifndef MOD_KF_SESSION_H
#define MOD_KF_SESSION_H
/* Merchant sessions: a random token in an HttpOnly cookie, only its SHA-256 stored, an
 * idle expiry that slides with use and an absolute one that does not, and a CSRF token
 * per session (API.md "Merchant accounts"). */
#include "mod_kf_request.h"
#include "mod_kf_db.h"

#define KFM_SESSION_IDLE_SECONDS 43200      /* 12 hours; a literal: it is pasted into SQL */
#define KFM_SESSION_ABSOLUTE_SECONDS 604800 /* 7 days */

/* The merchant's tenant, read once per request with the session (kfm_session_load) and
 * handed down: handlers do not look it up again. */
typedef struct kfm_tenant {
    const char *id;
    const char *timezone;   /* the business's IANA zone: the default of new rows, its "today" */
    const char *currency;   /* ISO 4217: the default of new priced rows */
    const char *today;      /* YYYY-MM-DD in its zone, as the request's transaction began */
} kfm_tenant;

typedef struct kfm_session {
    const char *token_hash;
    const char *user_id;
    kfm_tenant tenant;      /* from kfm_session_start: its id only */
    const char *csrf_token;
} kfm_session;

extern const kfm_sql kfm_session_sql[];

/* The live session named by the request's cookie (its idle expiry is pushed forward),
 * or NULL: with *lookup_failed set when the database could not say. */
const kfm_session *kfm_session_load(kfm_req *kr, ap_dbd_t *db, int *lookup_failed);

/* Starts a session for a verified user (inside the caller's transaction when there is
 * one), sets the cookie, and returns it (with its CSRF token). NULL on failure. */
const kfm_session *kfm_session_start(kfm_req *kr, ap_dbd_t *db, const char *user_id,
                                   const char *tenant_id);

/* Ends the request's session (row deleted, cookie cleared). */
apr_status_t kfm_session_end(kfm_req *kr, ap_dbd_t *db, const kfm_session *session);

/* 1 when the request carries X-CSRF-Token equal to the session's (constant time). */
int kfm_session_csrf_ok(const kfm_req *kr, const kfm_session *session);

/* The session an endpoint that is not public asks for, before its handler runs: the live one
 * the cookie names, carrying its X-CSRF-Token too when `csrf` (state changes); else NULL
 * after answering 401 unauthenticated, 403 csrf_failed, or 503 when the database could not
 * say (*reply is then the handler's return). */
const kfm_session *kfm_session_admit(kfm_req *kr, ap_dbd_t *db, int csrf, int *reply);

#endif
