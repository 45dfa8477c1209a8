/* PUT /api/admin/tenant/payments/{provider} and POST /api/admin/tenant/payments/{provider}/test
 * for Wompi, Stripe, Mercado Pago and Airwallex (API.md "Admin API"). Which settings each
 * provider takes and their format: lib/tenant/kf_tenant_rules.c (kf_payment_settings_of). The secrets
 * are sealed together (one JSON object, AES-256-GCM, aad "tenant:<id>:<provider>") and never
 * answered nor logged; GET shows their last 4 characters. The public setting (Wompi's public
 * key, Airwallex's client id) is shown as it is. */
#include "mod_kf_tenant.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_tenant_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_payments.h"
#include "mod_kf_session.h"
#include "kf_crypto.h"
#include "kf_http.h"
#include "kf_json.h"
#include "kf_tenant_rules.h"

/* The providers GET /api/admin/tenant shows, in this order. */
static const char *const providers[] = {"wompi", "stripe", "mercadopago", "airwallex", NULL};

/* Columns of kf_tenant_payments_get. */
enum { GET_PROVIDER, GET_MODE, GET_PUBLIC, GET_HINTS, GET_UPDATED };

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

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *str_of(const json_t *o, const char *key)
{
    const char *v = NULL;
    return o && kf_json_get_string(o, key, &v) == KF_JSON_FIELD_OK ? v : NULL;
}

/* One provider's settings as GET shows them; row < 0 when it has none. */
static json_t *provider_view(kfm_req *kr, ap_dbd_t *db, kfm_rows *res, int row,
                             const char *provider)
{
    apr_pool_t *p = kr->r->pool;
    json_t *hints = row >= 0 ? kf_json_parse_object(p, kfm_db_value(db, p, res, row, GET_HINTS),
                                                   strlen(kfm_db_value(db, p, res, row, GET_HINTS)),
                                                   NULL)
                             : NULL;
    json_t *v = json_object();
    json_object_set_new(v, "configured", json_boolean(row >= 0));
    json_object_set_new(v, "mode", string_or_null(row >= 0 ? kfm_db_value(db, p, res, row, GET_MODE)
                                                           : NULL));
    for (const kf_payment_setting *s = kf_payment_settings_of(provider); s->field; s++) {
        if (s->slot == KF_PAYMENT_SLOT_PUBLIC) {
            json_object_set_new(v, s->field, string_or_null(
                row >= 0 ? kfm_db_value(db, p, res, row, GET_PUBLIC) : NULL));
        }
        else {
            json_object_set_new(v, apr_pstrcat(p, s->field, "_last4", NULL),
                                string_or_null(str_of(hints, s->field)));
        }
    }
    json_object_set_new(v, "updated_at", string_or_null(
        row >= 0 ? kfm_db_value(db, p, res, row, GET_UPDATED) : NULL));
    return v;
}

json_t *kfm_tenant_payments_view(kfm_req *kr, ap_dbd_t *db)
{
    apr_pool_t *p = kr->r->pool;
    kfm_rows *res = NULL;
    const char *args[] = {kr->session->tenant.id};
    if (kfm_db_select(kr->r, db, "kf_tenant_payments_get", &res, 1, args) != APR_SUCCESS) {
        return NULL;
    }
    int n = kfm_db_rows(db, res);
    json_t *payments = json_object();
    for (int i = 0; providers[i]; i++) {
        int row = -1;
        for (int j = 0; j < n; j++) {
            if (strcmp(kfm_db_value(db, p, res, j, GET_PROVIDER), providers[i]) == 0) {
                row = j;
            }
        }
        json_object_set_new(payments, providers[i], provider_view(kr, db, res, row, providers[i]));
    }
    return payments;
}

/* Field errors of a PUT body as message ids; values[] (in the order of the provider's
 * settings) when valid. */
static json_t *validate_put(const char *provider, const json_t *body, const char **mode,
                            const char **values)
{
    const kf_payment_setting *settings = kf_payment_settings_of(provider);
    const char *mode_message = strcmp(provider, "wompi") == 0 ? "wompi_mode" : "payment_mode";
    json_t *errors = json_object();
    switch (kf_json_get_string(body, "mode", mode)) {
    case KF_JSON_FIELD_OK:
        if (!kf_wompi_mode_valid(*mode)) {
            json_object_set_new(errors, "mode", json_string(mode_message));
        }
        break;
    case KF_JSON_FIELD_WRONG_TYPE:
        json_object_set_new(errors, "mode", json_string("tenant_field_string"));
        break;
    default:
        json_object_set_new(errors, "mode", json_string("tenant_field_required"));
    }
    int mode_ok = json_object_get(errors, "mode") == NULL;
    for (int k = 0; settings[k].field; k++) {
        const char *why = NULL;
        values[k] = NULL;
        switch (kf_json_get_string(body, settings[k].field, &values[k])) {
        case KF_JSON_FIELD_OK:
            /* without a valid mode, a value fit for either mode gets past this check */
            why = mode_ok ? kf_payment_setting_check(provider, *mode, &settings[k], values[k])
                  : kf_payment_setting_check(provider, "production", &settings[k], values[k])
                      ? kf_payment_setting_check(provider, "test", &settings[k], values[k])
                      : NULL;
            break;
        case KF_JSON_FIELD_WRONG_TYPE:
            why = "tenant_field_string";
            break;
        default:
            why = "tenant_field_required";
        }
        if (why) {
            json_object_set_new(errors, settings[k].field, json_string(why));
        }
    }
    return errors;
}

/* Inside the PUT's transaction (the row locked): the stored secrets, opened, or NULL when
 * there are none (or they do not open: then nothing is carried over). */
static json_t *stored_secrets(kfm_req *kr, const char *tenant_id, const char *provider)
{
    apr_pool_t *p = kr->r->pool;
    kfm_rows *res = NULL;
    const char *args[] = {tenant_id, provider};
    if (kfm_db_select(kr->r, kr->db, "kf_tenant_payments_sealed", &res, 2, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return NULL;
    }
    char *plain = NULL;
    apr_size_t len = 0;
    const char *sealed = kfm_db_value(kr->db, p, res, 0, 0);
    if (!sealed || kf_open(p, kr->conf->keyring, sealed,
                           kf_provider_secrets_aad(p, tenant_id, provider), &plain, &len) !=
                       APR_SUCCESS) {
        return NULL;
    }
    return kf_json_parse_object(p, plain, len, NULL);
}

/* The new secrets sealed, carrying a rotated events secret for its grace period
 * (kf_events_secret_rotation). NULL on failure. */
static const char *seal_secrets(kfm_req *kr, const char *tenant_id, const char *provider,
                                const char *const *values)
{
    apr_pool_t *p = kr->r->pool;
    const kf_payment_setting *settings = kf_payment_settings_of(provider);
    json_t *secrets = json_object();
    const char *events_secret = NULL;
    for (int k = 0; settings[k].field; k++) {
        const char *slot = kf_payment_slot_name(settings[k].slot);
        if (slot) {
            json_object_set_new(secrets, slot, json_string(values[k]));
        }
        if (settings[k].slot == KF_PAYMENT_SLOT_EVENTS) {
            events_secret = values[k];
        }
    }
    json_t *old = stored_secrets(kr, tenant_id, provider);
    json_int_t old_until = 0;
    if (old && kf_json_get_int(old, "previous_events_secret_until", &old_until) != KF_JSON_FIELD_OK) {
        old_until = 0;
    }
    const char *previous = NULL;
    apr_int64_t until = 0;
    kf_events_secret_rotation(str_of(old, "events_secret"), str_of(old, "previous_events_secret"),
                              old_until, events_secret, apr_time_sec(apr_time_now()), &previous,
                              &until);
    if (previous) {
        json_object_set_new(secrets, "previous_events_secret", json_string(previous));
        json_object_set_new(secrets, "previous_events_secret_until", json_integer(until));
    }
    const char *plain = kf_json_dump(p, secrets);
    json_decref(secrets);
    return plain ? kf_seal(p, kr->conf->keyring, plain, strlen(plain),
                           kf_provider_secrets_aad(p, tenant_id, provider))
                 : NULL;
}

int kfm_handle_tenant_payments_put(kfm_req *kr)
{
    request_rec *r = kr->r;
    apr_pool_t *p = r->pool;
    const char *provider = apr_table_get(kr->params, "provider");
    const kf_payment_setting *settings = kf_payment_settings_of(provider);
    if (!settings) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    json_t *body = NULL;
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    const char *mode = NULL;
    const char *values[8];
    json_t *errors = validate_put(provider, body, &mode, values);
    if (json_object_size(errors) > 0) {
        return kfm_reply_field_ids(kr, errors);
    }
    json_decref(errors);

    const char *tenant_id = kr->session->tenant.id;
    if (!kr->conf->keyring) {
        kfm_log(kr, APLOG_ERR, "%s keys: no KonfirmadoKeyFile, cannot seal secrets", provider);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *public_value = NULL;
    json_t *changes = json_object();
    json_t *hints = json_object();
    json_object_set_new(changes, "mode", json_string(mode));
    for (int k = 0; settings[k].field; k++) {
        if (settings[k].slot == KF_PAYMENT_SLOT_PUBLIC) {
            public_value = values[k];
            json_object_set_new(changes, settings[k].field, json_string(values[k]));
        }
        else {
            json_object_set_new(changes, settings[k].field, json_string("[redacted]"));
            json_object_set_new(hints, settings[k].field,
                                string_or_null(kf_secret_hint(p, values[k])));
        }
    }
    const char *hints_text = kf_json_dump(p, hints);
    json_decref(hints);
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        json_decref(changes);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *sealed = seal_secrets(kr, tenant_id, provider, values);
    const char *args[] = {tenant_id, provider, mode, public_value, sealed, hints_text};
    if (!sealed || !hints_text ||
        kfm_db_exec(r, kr->db, "kf_tenant_payments_put", NULL, 6, args) != APR_SUCCESS) {
        json_decref(changes);
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_audit(kr, kr->db, apr_pstrcat(p, "tenant.payments.", provider, ".update", NULL),
                  "tenant", tenant_id, changes) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *payments = kfm_tenant_payments_view(kr, kr->db);
    if (!payments) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *answer = json_object();
    json_object_set_new(answer, "payments", payments);
    return kfm_reply_json(kr, HTTP_OK, answer);
}

/* Asks the provider about the stored keys (Wompi: the merchant of the public key; Stripe:
 * the account; Mercado Pago: the user; Airwallex: a login and the account). */
int kfm_handle_tenant_payments_test(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *provider = apr_table_get(kr->params, "provider");
    const kf_payment_provider *prov =
        kf_payment_settings_of(provider) ? kf_payment_provider_find(provider) : NULL;
    if (!kf_payment_settings_of(provider)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const kf_payment_account *acct =
        kfm_payment_account_load(&c, kr->db, kr->session->tenant.id, provider);
    if (!acct) {
        return kfm_reply_error(kr, HTTP_CONFLICT,
                               apr_pstrcat(r->pool, provider, "_not_configured", NULL));
    }
    const char *name = NULL, *why = NULL;
    kf_payment_endpoints ep = prov ? kfm_payment_endpoints_for(&c, prov, acct)
                                   : (kf_payment_endpoints){NULL, NULL};
    apr_status_t rv = prov && prov->test_connection
        ? prov->test_connection(r->pool, kfm_provider_http(&c), &ep, acct, &name, &why)
        : APR_ENOTIMPL;
    if (rv != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "%s test connection (%s): %s", provider, acct->mode,
               why ? why : "not available");
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    json_t *body = json_object();
    json_object_set_new(body, "ok", json_true());
    json_object_set_new(body, "merchant_name", json_string(name));
    json_object_set_new(body, "mode", json_string(acct->mode));
    return kfm_reply_json(kr, HTTP_OK, body);
}
