/* GET /api/admin/tenant/custom-domain and POST /api/admin/tenant/custom-domain/verify: the
 * proof that the merchant controls the domain it set (API.md "Hosts and tenants": until
 * proved, the domain answers 404 unknown_host). What proves it, its URL and the answer's
 * JSON: lib/tenant/kf_domain_proof.h; the token and forgetting a proof when the domain
 * changes: sql/044. Several tenants may claim a domain while none proved it: the first proof
 * takes it and drops the other claims (each noted in its tenant's audit log); sql/067's
 * index keeps a proved domain to one tenant. The fetch is a tenant-chosen URL: the
 * callbacks' address filter applies, and the pooled connection is given back while it
 * waits. */
#include "mod_kf_tenant_feature.h"
#include "mod_kf_tenant.h"
#include "mod_kf_audit.h"
#include "mod_kf_host.h"
#include "mod_kf_operations_conf.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_domain_proof.h"

/* Columns of kf_tenant_domain_get. */
#define TENANT_DOMAIN_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(DOMAIN_NAME, "custom_domain")                                                     \
    NEXT(DOMAIN_TOKEN, "custom_domain_token")                                               \
    NEXT(DOMAIN_VERIFIED_AT, KFM_SQL_RFC3339("custom_domain_verified_at"))
enum { TENANT_DOMAIN_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) DOMAIN_COLUMNS };

const kfm_sql kfm_tenant_domain_sql[] = {
    {"kf_tenant_domain_get",
     "SELECT " KFM_SQL_COLUMNS(TENANT_DOMAIN_COLUMNS)
     " FROM tenants WHERE id = %s::uuid"},
    /* only the domain and token read before the fetch: one changed meanwhile proves nothing */
    {"kf_tenant_domain_verified",
     "UPDATE tenants SET custom_domain_verified_at = now()"
     " WHERE id = %s::uuid AND custom_domain = %s AND custom_domain_token = %s"
     "  AND custom_domain_verified_at IS NULL"
     " RETURNING " KFM_SQL_RFC3339("custom_domain_verified_at")},
    /* the other tenants' pending claims of a domain just proved: set to none, audited as
     * the platform's doing (no user, no address of the merchant who proved it). Args: the
     * domain, the tenant that proved it. */
    {"kf_tenant_domain_drop_claims",
     "WITH dropped AS (UPDATE tenants SET custom_domain = NULL, updated_at = now()"
     "   WHERE custom_domain = %s AND id <> %s::uuid AND custom_domain_verified_at IS NULL"
     "   RETURNING id)"
     " INSERT INTO audit_log (tenant_id, action, entity_type, entity_id, changes)"
     " SELECT id, 'tenant.custom_domain.drop', 'tenant', id::text,"
     "  jsonb_build_object('custom_domain', NULL) FROM dropped"},
    {NULL, NULL},
};

static apr_status_t read_domain(kfm_req *kr, const char *v[DOMAIN_COLUMNS])
{
    const char *args[] = {kr->session->tenant.id};
    return kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_tenant_domain_get", 1, args, v,
                             DOMAIN_COLUMNS);
}

static int reply_domain(kfm_req *kr, const char *const v[DOMAIN_COLUMNS])
{
    int port = kfm_operations_conf_domain_check_port(kfm_operations_conf_of(kr->r->server));
    json_t *proof = kf_domain_proof_json(kr->r->pool, v[DOMAIN_NAME], v[DOMAIN_TOKEN],
                                         v[DOMAIN_VERIFIED_AT], port);
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "custom_domain", proof));
}

int kfm_handle_tenant_domain_get(kfm_req *kr)
{
    const char *v[DOMAIN_COLUMNS];
    if (read_domain(kr, v) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return reply_domain(kr, v);
}

int kfm_handle_tenant_domain_verify(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *v[DOMAIN_COLUMNS];
    const char *taken = NULL;
    if (read_domain(kr, v) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!v[DOMAIN_NAME]) {
        return kfm_reply_error(kr, HTTP_CONFLICT, "no_custom_domain");
    }
    if (v[DOMAIN_VERIFIED_AT]) {
        return reply_domain(kr, v);
    }
    /* another tenant proved it (the PATCH's own question) */
    if (kfm_tenant_address_used(kr, "kf_tenant_domain_used", v[DOMAIN_NAME], &taken,
                                "domain_taken") != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (taken) {
        return kfm_reply_error(kr, HTTP_CONFLICT, taken);
    }
    const char *url = kf_domain_proof_url(r->pool, v[DOMAIN_NAME],
                                          kfm_operations_conf_domain_check_port(kfm_operations_conf_of(kr->r->server)));
    const char *body = NULL;
    apr_size_t len = 0;
    kfm_req_db_give_back(kr);
    const char *unanswered = NULL;
    int status = kf_domain_proof_fetch(kf_http_curl_client_create(r->pool), r->pool, url,
                                       kr->conf->outbound_allow, &body, &len, &unanswered);
    if (!status) {
        kfm_log(kr, APLOG_INFO, "domain proof %s: no answer (%s)", url,
                unanswered ? unanswered : "?");
    }
    const char *why = kf_domain_proof_judge(status, body, len, v[DOMAIN_TOKEN]);
    if (why) {
        return kfm_reply_error_msg(kr, HTTP_UNPROCESSABLE_ENTITY, "domain_not_verified", why);
    }
    if (!kfm_req_db_own(kr, NULL)) {
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
    }
    kfm_tx tx;
    const char *args[] = {kr->session->tenant.id, v[DOMAIN_NAME], v[DOMAIN_TOKEN]};
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_tenant_domain_verified", 3, args,
                                        &v[DOMAIN_VERIFIED_AT], 1);
    if (rv == KFM_DB_ECONSTRAINT) {     /* another tenant proved it while it was fetched */
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, "domain_taken");
    }
    if (rv == APR_NOTFOUND) {   /* the domain changed while it was fetched */
        kfm_db_rollback(r, &tx);
        return kfm_reply_error_msg(kr, HTTP_UNPROCESSABLE_ENTITY, "domain_not_verified",
                                   "domain_proof_changed");
    }
    if (rv != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *drop_args[] = {v[DOMAIN_NAME], kr->session->tenant.id};
    if (kfm_db_exec(r, kr->db, "kf_tenant_domain_drop_claims", NULL, 2, drop_args) !=
            APR_SUCCESS ||
        kfm_audit(kr, kr->db, "tenant.custom_domain.verify", "tenant", kr->session->tenant.id,
                  json_pack("{s:s}", "custom_domain", v[DOMAIN_NAME])) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* served from now on: a look-up that found nothing while it was unproved is forgotten */
    kfm_host_known(r, v[DOMAIN_NAME]);
    return reply_domain(kr, v);
}
