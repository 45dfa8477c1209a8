/* PUT /api/admin/tenant/payments/wompi and POST /api/admin/tenant/payments/wompi/test.
 * The private key and both secrets are sealed together (one JSON object, AES-256-GCM,
 * aad kf_wompi_secrets_aad) and never answered nor logged; the public key is public. */
#include "mod_kf_tenant.h"
#include "mod_kf_handlers.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_crypto.h"
#include "kf_http.h"
#include "kf_json.h"
#include "kf_tenant_rules.h"
#include "kf_url.h"

#define WOMPI_SANDBOX_URL "https://sandbox.wompi.co/v1"
#define WOMPI_PRODUCTION_URL "https://production.wompi.co/v1"

/* Columns of kf_tenant_wompi_get. */
enum { WOMPI_MODE, WOMPI_PUBLIC_KEY };

const kfm_sql kfm_tenant_payments_sql[] = {
    {"kf_tenant_wompi_get",
     "SELECT mode, public_key, hints->>'private_key', hints->>'events_secret',"
     "  hints->>'integrity_secret', " KF_SQL_RFC3339("updated_at")
     " FROM tenant_payment_settings WHERE tenant_id = %s::uuid AND provider = 'wompi'"},
    {"kf_tenant_wompi_sealed",
     "SELECT secrets_sealed FROM tenant_payment_settings"
     " WHERE tenant_id = %s::uuid AND provider = 'wompi' FOR UPDATE"},
    {"kf_tenant_wompi_put",
     "INSERT INTO tenant_payment_settings (tenant_id, provider, mode, public_key,"
     "  secrets_sealed, hints, updated_at)"
     " VALUES (%s::uuid, 'wompi', %s, %s, %s, %s::jsonb, now())"
     " ON CONFLICT (tenant_id, provider) DO UPDATE SET mode = EXCLUDED.mode,"
     "  public_key = EXCLUDED.public_key, secrets_sealed = EXCLUDED.secrets_sealed,"
     "  hints = EXCLUDED.hints, updated_at = now()"},
    {NULL, NULL},
};

/* The body's fields, in the order of kf_wompi_key_kind. */
static const char *const key_fields[] = {"public_key", "private_key", "events_secret",
                                         "integrity_secret"};
#define N_KEYS 4

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *kfm_tenant_payments_view(kfm_req *kr, ap_dbd_t *db)
{
    apr_pool_t *p = kr->r->pool;
    apr_dbd_results_t *res = NULL;
    const char *args[] = {kr->session->tenant_id};
    if (kfm_db_select(kr->r, db, "kf_tenant_wompi_get", &res, 1, args) != APR_SUCCESS) {
        return NULL;
    }
    int configured = kfm_db_rows(db, res) == 1;
    json_t *w = json_object();
    json_object_set_new(w, "configured", json_boolean(configured));
    static const char *const names[] = {"mode", "public_key", "private_key_last4",
                                        "events_secret_last4", "integrity_secret_last4",
                                        "updated_at"};
    for (int i = 0; i < 6; i++) {
        json_object_set_new(w, names[i],
                            string_or_null(configured ? kfm_db_value(db, p, res, 0, i) : NULL));
    }
    json_t *payments = json_object();
    json_object_set_new(payments, "wompi", w);
    return payments;
}

/* Field errors of a PUT body as message ids; the keys are in keys[] when valid. */
static json_t *validate_put(const json_t *body, const char **mode, const char **keys)
{
    json_t *errors = json_object();
    switch (kf_json_get_string(body, "mode", mode)) {
    case KF_JSON_FIELD_OK:
        if (!kf_wompi_mode_valid(*mode)) {
            json_object_set_new(errors, "mode", json_string("wompi_mode"));
        }
        break;
    case KF_JSON_FIELD_WRONG_TYPE:
        json_object_set_new(errors, "mode", json_string("tenant_field_string"));
        break;
    default:
        json_object_set_new(errors, "mode", json_string("tenant_field_required"));
    }
    int mode_ok = json_object_get(errors, "mode") == NULL;
    for (int k = 0; k < N_KEYS; k++) {
        const char *why = NULL;
        keys[k] = NULL;
        switch (kf_json_get_string(body, key_fields[k], &keys[k])) {
        case KF_JSON_FIELD_OK:
            /* without a valid mode, a key of either mode gets past this check */
            why = mode_ok ? kf_wompi_key_check(*mode, (kf_wompi_key_kind)k, keys[k])
                  : kf_wompi_key_check("production", (kf_wompi_key_kind)k, keys[k])
                      ? kf_wompi_key_check("test", (kf_wompi_key_kind)k, keys[k])
                      : NULL;
            break;
        case KF_JSON_FIELD_WRONG_TYPE:
            why = "tenant_field_string";
            break;
        default:
            why = "tenant_field_required";
        }
        if (why) {
            json_object_set_new(errors, key_fields[k], json_string(why));
        }
    }
    return errors;
}

/* Inside the PUT's transaction (the row locked): the stored secrets, opened, or NULL when
 * there are none (or they do not open: then nothing is carried over). */
static json_t *stored_secrets(kfm_req *kr, const char *tenant_id)
{
    apr_dbd_results_t *res = NULL;
    const char *args[] = {tenant_id};
    if (kfm_db_select(kr->r, kr->db, "kf_tenant_wompi_sealed", &res, 1, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return NULL;
    }
    char *plain = NULL;
    apr_size_t len = 0;
    const char *sealed = kfm_db_value(kr->db, kr->r->pool, res, 0, 0);
    if (!sealed || kf_open(kr->r->pool, kr->conf->keyring, sealed,
                           kf_wompi_secrets_aad(kr->r->pool, tenant_id), &plain, &len) !=
                       APR_SUCCESS) {
        return NULL;
    }
    return kf_json_parse_object(kr->r->pool, plain, len, NULL);
}

static const char *str_of(const json_t *o, const char *key)
{
    const char *v = NULL;
    return o && kf_json_get_string(o, key, &v) == KF_JSON_FIELD_OK ? v : NULL;
}

/* The new secrets sealed, carrying a rotated events secret for its grace period
 * (kf_events_secret_rotation). NULL on failure (logged). */
static const char *seal_secrets(kfm_req *kr, const char *tenant_id, const char *const *keys)
{
    apr_pool_t *p = kr->r->pool;
    json_t *old = stored_secrets(kr, tenant_id);
    json_int_t old_until = 0;
    if (old && kf_json_get_int(old, "previous_events_secret_until", &old_until) != KF_JSON_FIELD_OK) {
        old_until = 0;
    }
    const char *previous = NULL;
    apr_int64_t until = 0;
    kf_events_secret_rotation(str_of(old, "events_secret"), str_of(old, "previous_events_secret"),
                              old_until, keys[KF_WOMPI_EVENTS_SECRET],
                              apr_time_sec(apr_time_now()), &previous, &until);
    json_t *secrets = json_object();
    for (int k = KF_WOMPI_PRIVATE_KEY; k < N_KEYS; k++) {
        json_object_set_new(secrets, key_fields[k], json_string(keys[k]));
    }
    if (previous) {
        json_object_set_new(secrets, "previous_events_secret", json_string(previous));
        json_object_set_new(secrets, "previous_events_secret_until", json_integer(until));
    }
    const char *plain = kf_json_dump(p, secrets);
    json_decref(secrets);
    return plain ? kf_seal(p, kr->conf->keyring, plain, strlen(plain),
                           kf_wompi_secrets_aad(p, tenant_id))
                 : NULL;
}

static const char *secret_hints(kfm_req *kr, const char *const *keys)
{
    json_t *hints = json_object();
    for (int k = KF_WOMPI_PRIVATE_KEY; k < N_KEYS; k++) {
        json_object_set_new(hints, key_fields[k], json_string(kf_secret_hint(kr->r->pool, keys[k])));
    }
    const char *text = kf_json_dump(kr->r->pool, hints);
    json_decref(hints);
    return text;
}

int kfm_handle_tenant_wompi_put(kfm_req *kr)
{
    request_rec *r = kr->r;
    json_t *body = NULL;
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    const char *mode = NULL;
    const char *keys[N_KEYS];
    json_t *errors = validate_put(body, &mode, keys);
    if (json_object_size(errors) > 0) {
        return kfm_tenant_reply_field_ids(kr, errors);
    }
    json_decref(errors);

    const char *tenant_id = kr->session->tenant_id;
    if (!kr->conf->keyring) {
        kfm_log(kr, APLOG_ERR, "wompi keys: no KonfirmadoKeyFile, cannot seal secrets");
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *changes = json_object();
    json_object_set_new(changes, "mode", json_string(mode));
    json_object_set_new(changes, "public_key", json_string(keys[KF_WOMPI_PUBLIC_KEY]));
    for (int k = KF_WOMPI_PRIVATE_KEY; k < N_KEYS; k++) {
        json_object_set_new(changes, key_fields[k], json_string("[redacted]"));
    }
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        json_decref(changes);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *sealed = seal_secrets(kr, tenant_id, keys);
    const char *hints_text = sealed ? secret_hints(kr, keys) : NULL;
    const char *args[] = {tenant_id, mode, keys[KF_WOMPI_PUBLIC_KEY], sealed, hints_text};
    if (!hints_text || kfm_db_exec(r, kr->db, "kf_tenant_wompi_put", NULL, 5, args) != APR_SUCCESS) {
        json_decref(changes);
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_audit(kr, kr->db, "tenant.payments.wompi.update", "tenant", tenant_id, changes) !=
            APR_SUCCESS ||
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

/* An outbound client for Wompi: https only, except the provider URLs an operator
 * configured while allowing insecure URLs (tests and the demo point them at fakes). */
static kf_http_client *wompi_client(kfm_req *kr)
{
    kf_http_client *c = kf_http_curl_client_create(kr->r->pool);
    if (kfm_conf_allow_insecure_urls(kr->conf) == 1) {
        static const char *const names[] = {"wompi-sandbox", "wompi-production"};
        for (int i = 0; i < 2; i++) {
            const char *url = apr_table_get(kr->conf->provider_urls, names[i]);
            if (url) {
                kf_http_allow_insecure_prefix(c, url);
            }
        }
    }
    return c;
}

/* Wompi's merchant lookup (PROVIDERS.md): GET {base}/merchants/{public_key}. */
int kfm_handle_tenant_wompi_test(kfm_req *kr)
{
    request_rec *r = kr->r;
    apr_dbd_results_t *res = NULL;
    const char *args[] = {kr->session->tenant_id};
    if (kfm_db_select(r, kr->db, "kf_tenant_wompi_get", &res, 1, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return kfm_reply_error(kr, HTTP_CONFLICT, "wompi_not_configured");
    }
    const char *mode = kfm_db_value(kr->db, r->pool, res, 0, 0);
    const char *public_key = kfm_db_value(kr->db, r->pool, res, 0, WOMPI_PUBLIC_KEY);
    int production = mode && strcmp(mode, "production") == 0;
    const char *base = production
        ? kfm_conf_provider_url(kr->conf, "wompi-production", WOMPI_PRODUCTION_URL)
        : kfm_conf_provider_url(kr->conf, "wompi-sandbox", WOMPI_SANDBOX_URL);
    const char *url = apr_pstrcat(r->pool, kf_url_trim_slash(r->pool, base), "/merchants/",
                                  kf_url_encode(r->pool, public_key), NULL);

    kf_http_request *req = kf_http_request_make(r->pool, "GET", url);
    apr_table_setn(req->headers, "Accept", "application/json");
    kf_http_response *resp = NULL;
    const char *why = NULL;
    if (kf_http_perform(wompi_client(kr), r->pool, req, &resp, &why) != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "wompi test connection (%s): %s", mode, why);
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    json_t *answer = kf_json_parse_object(r->pool, resp->body, resp->body_len, NULL);
    json_t *name = resp->status == HTTP_OK ? kf_json_path(answer, "data.name") : NULL;
    if (!json_is_string(name)) {
        /* Wompi says why in {"error": {"type", "reason"}}; the type is enough for the log */
        const char *type = json_string_value(kf_json_path(answer, "error.type"));
        kfm_log(kr, APLOG_WARNING, "wompi test connection (%s): merchant lookup answered %d %.64s",
               mode, resp->status, type ? type : "");
        return kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    }
    json_t *body = json_object();
    json_object_set_new(body, "ok", json_true());
    json_object_set_new(body, "merchant_name", json_string(json_string_value(name)));
    json_object_set_new(body, "mode", json_string(mode));
    return kfm_reply_json(kr, HTTP_OK, body);
}
