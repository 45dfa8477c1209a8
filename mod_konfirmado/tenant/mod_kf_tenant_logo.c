/* POST /api/admin/tenant/logo (upload) and GET /api/public/tenants/{tenant_id}/logo
 * (serve). What the file is comes from its bytes (lib/tenant/kf_image.c), never from its name or
 * the Content-Type it was sent with; an SVG is served so that, even opened on its own,
 * it can run nothing and load nothing. */
#include "mod_kf_tenant.h"
#include "mod_kf_sql.h"
#include "mod_kf_tenant_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_crypto.h"
#include "kf_image.h"
#include "kf_text.h"
#include "kf_url.h"

#include <apr_escape.h>

/* Browsers may keep a logo a day: its URL changes (?v=) whenever its content does. */

/* Columns of kf_tenant_logo_get. */
#define LOGO_COLUMNS(FIRST, NEXT)                                                           \
    FIRST(LOGO_CONTENT_TYPE, "content_type")                                                \
    NEXT(LOGO_HEX, "encode(bytes, 'hex')")                                                  \
    NEXT(LOGO_SHA256, "sha256")
enum { LOGO_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) LOGO_COLUMN_COUNT };

const kfm_sql kfm_tenant_logo_sql[] = {
    {"kf_tenant_logo_upsert",
     "INSERT INTO tenant_logos (tenant_id, content_type, bytes, sha256, updated_at)"
     " VALUES (%s::uuid, %s, decode(%s, 'hex'), %s, now())"
     " ON CONFLICT (tenant_id) DO UPDATE SET content_type = EXCLUDED.content_type,"
     "  bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, updated_at = now()"},
    {"kf_tenant_logo_set_url",
     "UPDATE tenants SET logo_url = %s, updated_at = now() WHERE id = %s::uuid"},
    {"kf_tenant_logo_get",
     "SELECT " KFM_SQL_COLUMNS(LOGO_COLUMNS) " FROM tenant_logos"
     " WHERE tenant_id = %s::uuid"},
    {NULL, NULL},
};

const char *kfm_tenant_public_url(kfm_req *kr, const char *path)
{
    const char *base = kfm_conf_public_url(kr->conf);
    if (!base) {
        return ap_construct_url(kr->r->pool, path, kr->r);
    }
    return apr_pstrcat(kr->r->pool, kf_url_trim_slash(kr->r->pool, base), path, NULL);
}

static int refuse_file(kfm_req *kr, const char *message_id)
{
    return kfm_reply_field_ids(kr, json_pack("{s:s}", "logo", message_id));
}

int kfm_handle_tenant_logo_upload(kfm_req *kr)
{
    request_rec *r = kr->r;
    /* the declared type must be one of ours (API.md) and must agree with the content */
    kf_image_type declared = kf_image_type_of_media(apr_table_get(r->headers_in, "Content-Type"));
    if (declared == KF_IMAGE_UNKNOWN) {
        r->connection->keepalive = AP_CONN_CLOSE;
        return kfm_reply_error_msg(kr, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                                  "logo_media_type");
    }
    const char *buf = NULL;
    apr_size_t len = 0;
    if (kfm_read_body(kr, &buf, &len) != APR_SUCCESS) {
        return OK;
    }
    kf_image_type actual = KF_IMAGE_UNKNOWN;
    const char *why = kf_image_logo_problem(r->pool, declared, buf, len, &actual);
    if (why) {
        kfm_log(kr, APLOG_INFO, "logo refused: %s (%lu bytes, declared %s)", why,
                (unsigned long)len, kf_image_content_type(declared));
        return refuse_file(kr, why);
    }

    const char *tenant_id = kr->session->tenant.id;
    const char *content_type = kf_image_content_type(actual);
    const char *sha256 = kf_sha256_hex(r->pool, buf, len);
    const char *path = sha256 ? kf_image_logo_path(r->pool, tenant_id, sha256) : NULL;
    const char *url = path ? kfm_tenant_public_url(kr, path) : NULL;
    if (!url) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *hex = kf_hex_encode(r->pool, buf, len);
    const char *upsert[] = {tenant_id, content_type, hex, sha256};
    const char *set_url[] = {url, tenant_id};
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *changes = kf_image_logo_changes(url, actual, len, sha256);
    if (kfm_db_exec(r, kr->db, "kf_tenant_logo_upsert", NULL, 4, upsert) != APR_SUCCESS ||
        kfm_db_exec(r, kr->db, "kf_tenant_logo_set_url", NULL, 2, set_url) != APR_SUCCESS) {
        json_decref(changes);
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_audit(kr, kr->db, "tenant.logo.update", "tenant", tenant_id, changes) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_CREATED, json_pack("{s:s}", "logo_url", url));
}

int kfm_handle_tenant_logo_public(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *tenant_id = apr_table_get(kr->params, "tenant_id");
    if (!kf_is_uuid(tenant_id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    const char *args[] = {tenant_id};
    const char *v[LOGO_COLUMN_COUNT];
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_tenant_logo_get", 1, args, v,
                                        LOGO_COLUMN_COUNT);
    if (rv != APR_SUCCESS) {
        return rv == APR_NOTFOUND
                   ? kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found")
                   : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *content_type = v[LOGO_CONTENT_TYPE], *hex = v[LOGO_HEX], *sha256 = v[LOGO_SHA256];
    apr_size_t len = 0;
    /* PostgreSQL's encode(..., 'hex'): lower case, two digits a byte */
    const void *bytes = hex ? apr_punescape_hex(r->pool, hex, 0, &len) : NULL;
    if (!content_type || !bytes || !sha256) {
        kfm_log(kr, APLOG_ERR, "logo of tenant %s cannot be read back", tenant_id);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* The security headers of kfm_req_make live in err_headers_out: override them there. */
    for (const char *const *h = kf_image_logo_headers(content_type); *h; h += 2) {
        apr_table_setn(r->err_headers_out, h[0], h[1]);
    }
    apr_table_setn(r->headers_out, "ETag", apr_pstrcat(r->pool, "\"", sha256, "\"", NULL));
    if (ap_meets_conditions(r) == HTTP_NOT_MODIFIED) {
        r->status = HTTP_NOT_MODIFIED;
        return OK;
    }
    r->status = HTTP_OK;
    ap_set_content_type(r, content_type);
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(bytes, (int)len, r);
    }
    return OK;
}
