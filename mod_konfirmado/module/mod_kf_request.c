/* Request plumbing: see mod_kf_request.h. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_api_error.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_query.h"
#include "kf_text.h"

#include "util_cookies.h"

#include <stdarg.h>

static void set_security_headers(request_rec *r, const char *request_id)
{
    apr_table_t *h = r->err_headers_out;
    apr_table_setn(h, "X-Request-Id", request_id);
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    /* Booking status URLs carry tokens: never leak them through Referer. */
    apr_table_setn(h, "Referrer-Policy", "no-referrer");
    apr_table_setn(h, "Cache-Control", "no-store");
    apr_table_setn(h, "X-Frame-Options", "DENY");
    apr_table_setn(h, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

kfm_req *kfm_req_make(request_rec *r)
{
    kfm_req *kr = apr_pcalloc(r->pool, sizeof(*kr));
    kr->r = r;
    kr->conf = kfm_conf_get(r->server);
    kr->id = kf_request_id(r->pool);
    kr->locale = kf_locale_negotiate(apr_table_get(r->headers_in, "Accept-Language"));
    kr->body_limit = KFM_BODY_LIMIT_JSON;
    apr_table_setn(r->notes, "kf-request-id", kr->id);
    apr_table_setn(r->subprocess_env, "KF_REQUEST_ID", kr->id);
    set_security_headers(r, kr->id);
    return kr;
}

void kfm_log(const kfm_req *kr, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *text = apr_pvsprintf(kr->r->pool, fmt, ap);
    va_end(ap);
    ap_log_rerror(APLOG_MARK, level, 0, kr->r, "[req %s] %s", kr->id,
                  kf_mask_text(kr->r->pool, text));
}

int kfm_reply_json(kfm_req *kr, int status, json_t *body)
{
    const char *text = kf_json_dump(kr->r->pool, body);
    json_decref(body);
    return kfm_reply_json_text(kr, status, text, strlen(text));
}

int kfm_reply_json_text(kfm_req *kr, int status, const char *json, apr_size_t len)
{
    request_rec *r = kr->r;
    r->status = status;
    ap_set_content_type(r, "application/json; charset=utf-8");
    apr_table_setn(r->headers_out, "Content-Language", kf_locale_tag(kr->locale));
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(json, (int)len, r);
    }
    return OK;
}

int kfm_reply_empty(kfm_req *kr, int status)
{
    kr->r->status = status;
    return OK;
}

static int reply_error(kfm_req *kr, int status, const char *code, const char *message_id,
                       json_t *fields)
{
    if (status == HTTP_INTERNAL_SERVER_ERROR && apr_table_get(kr->r->notes, KFM_DB_LOST_NOTE)) {
        /* not a bug: the database went away under the request */
        status = HTTP_SERVICE_UNAVAILABLE;
        code = "service_unavailable";
        message_id = "database_unavailable";
        apr_table_setn(kr->r->err_headers_out, "Retry-After", "5");
    }
    if (status >= 500) {
        kfm_log(kr, APLOG_ERR, "answered %d %s", status, code);
    }
    return kfm_reply_json(kr, status, kf_api_error(kr->locale, code, message_id, fields));
}

int kfm_reply_error(kfm_req *kr, int status, const char *code)
{
    return reply_error(kr, status, code, code, NULL);
}

int kfm_reply_error_msg(kfm_req *kr, int status, const char *code, const char *message_id)
{
    return reply_error(kr, status, code, message_id, NULL);
}

int kfm_reply_fields(kfm_req *kr, json_t *fields)
{
    return reply_error(kr, HTTP_BAD_REQUEST, "validation_failed", "validation_failed", fields);
}

int kfm_reply_field_ids(kfm_req *kr, json_t *field_ids)
{
    return kfm_reply_fields(kr, kf_api_error_fields(kr->locale, field_ids));
}

/* The rest of an oversized body is not read: closing the connection afterwards keeps
 * httpd from discarding (reading) it. */
static apr_status_t refuse_too_large(kfm_req *kr)
{
    kr->r->connection->keepalive = AP_CONN_CLOSE;
    kfm_reply_error(kr, HTTP_REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
    return APR_EGENERAL;
}

apr_status_t kfm_read_body(kfm_req *kr, const char **buf, apr_size_t *len)
{
    request_rec *r = kr->r;
    const char *declared = apr_table_get(r->headers_in, "Content-Length");

    if (declared) {
        char *end = NULL;
        apr_int64_t n = apr_strtoi64(declared, &end, 10);
        if (*end == '\0' && n > (apr_int64_t)kr->body_limit) {
            return refuse_too_large(kr);
        }
    }
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) {
        kfm_reply_error(kr, HTTP_BAD_REQUEST, "malformed_json");
        return APR_EGENERAL;
    }
    char *data = apr_palloc(r->pool, kr->body_limit + 1);
    apr_size_t total = 0;
    if (ap_should_client_block(r)) {
        for (;;) {
            /* ask for one byte more than allowed, to notice an oversized chunked body */
            long got = ap_get_client_block(r, data + total, kr->body_limit + 1 - total);
            if (got < 0) {
                kfm_log(kr, APLOG_INFO, "client body read failed");
                r->connection->keepalive = AP_CONN_CLOSE;
                kfm_reply_error(kr, HTTP_BAD_REQUEST, "malformed_json");
                return APR_EGENERAL;
            }
            if (got == 0) {
                break;
            }
            total += (apr_size_t)got;
            if (total > kr->body_limit) {
                return refuse_too_large(kr);
            }
        }
    }
    data[total] = '\0';
    *buf = data;
    *len = total;
    return APR_SUCCESS;
}

apr_status_t kfm_read_json(kfm_req *kr, json_t **obj)
{
    const char *buf;
    apr_size_t len;
    kf_json_error jerr;

    *obj = NULL;
    if (!kf_api_content_type_json(apr_table_get(kr->r->headers_in, "Content-Type"))) {
        kr->r->connection->keepalive = AP_CONN_CLOSE;
        kfm_reply_error(kr, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        return APR_EGENERAL;
    }
    if (kfm_read_body(kr, &buf, &len) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    json_t *j = kf_json_parse_object(kr->r->pool, buf, len, &jerr);
    if (!j) {
        kfm_reply_error_msg(kr, HTTP_BAD_REQUEST, "malformed_json", kf_api_json_refusal(jerr.kind));
        return APR_EGENERAL;
    }
    *obj = j;
    return APR_SUCCESS;
}

int kfm_reply_invalid_parameter(kfm_req *kr, const char *param, const char *reason_id)
{
    return kfm_reply_json(kr, HTTP_BAD_REQUEST, kf_api_error_parameter(kr->locale, param,
                                                                       reason_id));
}

apr_table_t *kfm_query_params(kfm_req *kr, int *reply)
{
    apr_table_t *params = NULL;
    const char *bad = NULL;
    switch (kf_query_parse(kr->r->pool, kr->r->args, &params, &bad)) {
    case KF_QUERY_OK:
        return params;
    case KF_QUERY_REPEATED:
        *reply = kfm_reply_invalid_parameter(kr, bad, "param_repeated");
        return NULL;
    default:
        *reply = kfm_reply_invalid_parameter(kr, bad, "param_encoding");
        return NULL;
    }
}

int kfm_query_read(kfm_req *kr, kfm_query_reader *read, void *out, int *reply)
{
    apr_table_t *params = kfm_query_params(kr, reply);
    if (!params) {
        return 0;
    }
    const char *why = NULL;
    const char *bad = read(kr, params, out, &why);
    if (bad) {
        *reply = kfm_reply_invalid_parameter(kr, bad, why);
        return 0;
    }
    return 1;
}

int kfm_reply_db_unavailable(kfm_req *kr, kfm_db_state st)
{
    apr_table_setn(kr->r->err_headers_out, "Retry-After", "5");
    if (st == KFM_DB_SCHEMA_OUTDATED) {
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "schema_outdated");
    }
    if (st == KFM_DB_BROKEN) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_error_msg(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable",
                              "database_unavailable");
}

void kfm_field_error(kfm_req *kr, json_t *fields, const char *name, const char *message_id)
{
    kf_api_error_field(kr->locale, fields, name, message_id);
}

const char *kfm_cookie_token(kfm_req *kr, const char *name)
{
    const char *value = NULL;
    if (ap_cookie_read(kr->r, name, &value, 0) != APR_SUCCESS || !value) {
        return NULL;
    }
    return kf_token_shape_ok(value) ? value : NULL;
}
