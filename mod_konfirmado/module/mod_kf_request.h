#ifndef MOD_KF_REQUEST_H
#define MOD_KF_REQUEST_H
/* Request plumbing shared by every handler: context, request id, locale, JSON bodies,
 * JSON answers and errors in the format of API.md, and masked logging. */
#include "mod_kf.h"
#include "mod_kf_config.h"
#include "mod_kf_db.h"
#include "kf_i18n.h"

#include <apr_dbd.h>
#include "mod_dbd.h"
#include <jansson.h>

#define KFM_BODY_LIMIT_JSON (64 * 1024)
#define KFM_BODY_LIMIT_UPLOAD (2 * 1024 * 1024)

struct kfm_session;

typedef struct kfm_req {
    request_rec *r;
    const kfm_server_conf *conf;
    const char *id;          /* request id: X-Request-Id and every log line */
    kf_locale locale;        /* from Accept-Language */
    apr_table_t *params;     /* captures of the route pattern */
    apr_size_t body_limit;   /* bytes accepted for this route's body */
    json_t *body;            /* the JSON object body of a route that declares one
                                (KFM_NEEDS_JSON_OBJECT), read by the router; r->pool's */
    ap_dbd_t *db;            /* the request's ready connection, for routes that need it */
    int db_own;              /* db came from kfm_req_db_own: it can be given back mid-request */
    int db_replica;          /* db is a read replica's (kfm_req_db_own_read): it decides nothing */
    ap_dbd_t *read_db;       /* kfm_req_read_db's replica connection, if it found one */
    int read_db_asked;
    int db_cleanup;          /* the end-of-request give-back is registered */
    const struct kfm_session *session;  /* the merchant's session, for routes that need it */
    const char *host_tenant; /* subdomain of the tenant the Host names (its subdomain or its
                                custom domain); NULL on the platform host. Set by the router
                                before any handler runs (mod_kf_host.h). */
    int leaves_availability; /* its endpoint's writes change no availability answer by
                                themselves (KFM_LEAVES_AVAILABILITY); set by the router */
} kfm_req;

/* An endpoint's handler: answers through the kfm_reply_* helpers and returns OK. */
typedef int (*kfm_handler_fn)(kfm_req *kr);

/* Builds the context: request id, locale, and the security headers every answer of the
 * module carries (kept in err_headers_out so that error answers have them too). */
kfm_req *kfm_req_make(request_rec *r);

/* Answers. Each writes the whole response and returns OK for the handler to return. */
int kfm_reply_json(kfm_req *kr, int status, json_t *body);
/* An answer already serialized as JSON, with the same headers. */
int kfm_reply_json_text(kfm_req *kr, int status, const char *json, apr_size_t len);
int kfm_reply_empty(kfm_req *kr, int status);
int kfm_reply_error(kfm_req *kr, int status, const char *code);
/* A handler's way out of an open transaction: rolled back, then the error answered
 * (mod_kf_request_db.c, with kfm_req_db_own and kfm_req_db_give_back). */
int kfm_rollback_and_reply(kfm_req *kr, kfm_tx *tx, int status, const char *code);
/* Same code, message taken from another catalog id (e.g. malformed_json / invalid_utf8). */
int kfm_reply_error_msg(kfm_req *kr, int status, const char *code, const char *message_id);
/* validation_failed with field -> message (json_t object, reference stolen). */
int kfm_reply_fields(kfm_req *kr, json_t *fields);
/* The same whose fields name message ids (object, stolen), put in the request's locale. */
int kfm_reply_field_ids(kfm_req *kr, json_t *field_ids);
/* Adds to `fields` (path -> message) the message `message_id` in the request's language for
 * field `name`, unless that field has one already (the first problem of a field is told). */
void kfm_field_error(kfm_req *kr, json_t *fields, const char *name, const char *message_id);

/* 400 invalid_parameter naming the query parameter ("parameter"), with the reason (a
 * message id) under "fields" like every other field error. */
int kfm_reply_invalid_parameter(kfm_req *kr, const char *param, const char *reason_id);

/* The request's query string as a table, or NULL after answering 400 invalid_parameter (a
 * parameter given twice, or one not decoded as UTF-8); *reply is then the handler's return. */
apr_table_t *kfm_query_params(kfm_req *kr, int *reply);

/* Reads a handler's decoded query string into *out (its core rule, called from the handler's
 * file): NULL, or the parameter it refuses with *why, the reason's message id. */
typedef const char *kfm_query_reader(kfm_req *kr, const apr_table_t *params, void *out,
                                     const char **why);

/* The request's query string read by `read` into *out: 1; or 0 after answering 400
 * invalid_parameter (the string itself, as kfm_query_params, or the parameter `read`
 * refuses); *reply is then the handler's return. */
int kfm_query_read(kfm_req *kr, kfm_query_reader *read, void *out, int *reply);

/* 503 with the reason: the database is unreachable, or migrations are pending (500 for a
 * broken connection). */
int kfm_reply_db_unavailable(kfm_req *kr, kfm_db_state st);

/* For a KFM_DB_ON_DEMAND route, which takes a connection only when it needs one, and for a
 * handler that waits on another service (a payment provider) between two pieces of database
 * work, or has work left after its last statement (computing and writing a large answer):
 * kfm_req_db_own takes a connection the request can give back with
 * kfm_req_db_give_back before the wait (and take again after) or once its statements are
 * done, so that a slow provider or client ties up a worker thread, not one of the pool's
 * DBDMax connections. A connection the request holds already (a custom domain's look-up,
 * mod_dbd's request-scoped one) is used and kept until the request ends. 1, or 0 after
 * answering 503 (500 for a broken connection) in *rc, as the router would have; with rc NULL (taken again mid-request) nothing is answered: the
 * caller answers. */
int kfm_req_db_own(kfm_req *kr, int *rc);
void kfm_req_db_give_back(kfm_req *kr);

/* The same for a read that decides nothing (availability, the dashboard's lists and
 * metrics): the read replica's connection while it is within KonfirmadoReadMaxLag
 * (mod_kf_db_read.h; kr->db_replica set), else the primary's as kfm_req_db_own. */
int kfm_req_db_own_read(kfm_req *kr, int *rc);

/* For a handler that holds the primary's connection (its session was checked there) and
 * then reads a list or a sum that decides nothing: the read replica's connection while it is
 * within KonfirmadoReadMaxLag (taken once, given back when the request ends), else kr->db. */
ap_dbd_t *kfm_req_read_db(kfm_req *kr);

/* Reads the body (at most kr->body_limit bytes; a larger declared or streamed body is
 * answered 413 without reading the rest). APR_SUCCESS, or an error after answering. */
apr_status_t kfm_read_body(kfm_req *kr, const char **buf, apr_size_t *len);

/* Reads a JSON object body: 415, 413, 400 malformed_json (also for invalid UTF-8) are
 * answered here. On APR_SUCCESS *obj is owned by r->pool. */
apr_status_t kfm_read_json(kfm_req *kr, json_t **obj);

/* One error-log line tagged with the request id; emails and phone numbers in the
 * formatted text are masked (DESIGN.md: they never reach a log). */
void kfm_log(const kfm_req *kr, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The token the request's cookie `name` carries, when it has a token's shape (base64url:
 * anything else cannot be one of ours); NULL otherwise. */
const char *kfm_cookie_token(kfm_req *kr, const char *name);

#endif
