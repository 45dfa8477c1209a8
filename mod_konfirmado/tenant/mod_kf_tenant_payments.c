/* PUT /api/admin/tenant/payments/{provider} and POST /api/admin/tenant/payments/{provider}/test
 * for every provider of the registry (API.md "Admin API"). Which settings each provider takes
 * and their format: its description (lib/payments/kf_payment_<name>.c); the body's errors,
 * the view and the secrets as sealed: lib/payments/kf_payment_settings.c. The secrets
 * are sealed together (one JSON object, AES-256-GCM, aad "tenant:<id>:<provider>") and never
 * answered nor logged; GET shows their last 4 characters. The public setting (Wompi's public
 * key, Airwallex's client id) is shown as it is. */
#include "mod_kf_tenant.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_tenant_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_payments.h"
#include "mod_kf_session.h"
#include "kf_http.h"
#include "kf_payment_settings.h"

/* Columns of kf_tenant_payments_get. */

const kfm_sql kfm_tenant_payments_sql[] = {
    {"kf_tenant_payments_get",
     "SELECT provider, mode, public_key, hints::text, " KFM_SQL_RFC3339("updated_at")
     " FROM tenant_payment_settings WHERE tenant_id = %s::uuid"},
    {"kf_tenant_payments_sealed",
     "SELECT secrets_sealed FROM tenant_payment_settings"
     " WHERE tenant_id = %s::uuid AND provider = %s FOR UPDATE"},
    {"kf_tenant_payments_put",
     "INSERT INTO tenant_payment_settings (tenant_id, provider, mode, public_key,"
     "  secrets_sealed, hints, updated_at)"
     " VALUES (%s::uuid, %s, %s, %s, %s, %s::jsonb, now())"
     " ON CONFLICT (tenant_id, provider) DO UPDATE SET mode = EXCLUDED.mode,"
     "  public_key = EXCLUDED.public_key, secrets_sealed = EXCLUDED.secrets_sealed,"
     "  hints = EXCLUDED.hints, updated_at = now()"},
    {NULL, NULL},
};

json_t *kfm_tenant_payments_view(kfm_req *kr, ap_dbd_t *db)
{
    apr_pool_t *p = kr->r->pool;
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id};
    if (kfm_db_select(kr->r, db, "kf_tenant_payments_get", &res, 1, args) != APR_SUCCESS) {
        return NULL;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(db, p, res, KF_PAY_SETTINGS_COLUMNS, &n);
    return kf_payment_settings_all(p, rows, n);
}

/* Inside the PUT's transaction (the row locked): the stored secrets, sealed, or NULL. */
static const char *stored_secrets(kfm_req *kr, const char *tenant_id, const char *provider)
{
    const char *sealed = NULL;
    const char *args[] = {tenant_id, provider};
    kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_tenant_payments_sealed", 2, args, &sealed, 1);
    return sealed;
}

int kfm_handle_tenant_payments_put(kfm_req *kr)
{
    request_rec *r = kr->r;
    apr_pool_t *p = r->pool;
    const kf_payment_provider *prov =
        kf_payment_provider_find(apr_table_get(kr->params, "provider"));
    if (!prov) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    json_t *body = NULL;
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    const char *mode = NULL;
    const char *values[KF_PAYMENT_SETTINGS_MAX];
    json_t *errors = kf_payment_settings_read(prov, body, &mode, values);
    if (json_object_size(errors) > 0) {
        return kfm_reply_fields(kr, kf_payment_settings_refusal(prov, kr->locale, errors));
    }
    json_decref(errors);

    const char *tenant_id = kr->session->tenant.id;
    if (!kr->conf->keyring) {
        kfm_log(kr, APLOG_ERR, "%s keys: no KonfirmadoKeyFile, cannot seal secrets", prov->name);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *public_value = NULL, *hints_text = NULL;
    json_t *changes = kf_payment_settings_changes(p, prov, mode, values, &public_value,
                                                  &hints_text);
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        json_decref(changes);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *sealed = kf_payment_settings_seal(p, kr->conf->keyring, tenant_id, prov, values,
                                                  stored_secrets(kr, tenant_id, prov->name),
                                                  apr_time_sec(apr_time_now()));
    const char *args[] = {tenant_id, prov->name, mode, public_value, sealed, hints_text};
    if (!sealed || !hints_text ||
        kfm_db_exec(r, kr->db, "kf_tenant_payments_put", NULL, 6, args) != APR_SUCCESS) {
        json_decref(changes);
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_audit(kr, kr->db, apr_pstrcat(p, "tenant.payments.", prov->name, ".update", NULL),
                  "tenant", tenant_id, changes) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *payments = kfm_tenant_payments_view(kr, kr->db);
    if (!payments) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "payments", payments));
}

/* Asks the provider about the stored keys (Wompi: the merchant of the public key; Stripe:
 * the account; Mercado Pago: the user; Airwallex: a login and the account), with the
 * request's connection given back: nothing is written after. */
int kfm_handle_tenant_payments_test(kfm_req *kr)
{
    request_rec *r = kr->r;
    const kf_payment_provider *prov =
        kf_payment_provider_find(apr_table_get(kr->params, "provider"));
    if (!prov) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const kf_payment_account *acct =
        kfm_payment_account_load(&c, kr->db, kr->session->tenant.id, prov->name);
    if (!acct) {
        return kfm_reply_json(kr, HTTP_CONFLICT,
                              kf_payment_settings_missing(r->pool, prov, kr->locale));
    }
    const char *name = NULL, *why = NULL;
    kf_payment_endpoints ep = kfm_payment_endpoints_for(&c, prov, acct);
    kfm_req_db_give_back(kr);
    apr_status_t rv = prov->test_connection
        ? kf_payment_call_test_connection(prov, r->pool, kfm_provider_http(&c), &ep, acct, &name,
                                          &why)
        : APR_ENOTIMPL;
    if (rv != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "%s test connection (%s): %s", prov->name, acct->mode,
               why ? why : "not available");
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    return kfm_reply_json(kr, HTTP_OK, kf_payment_settings_tested(name, acct->mode));
}
