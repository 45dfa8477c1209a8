/* GET|PATCH /api/admin/tenant and POST /api/admin/tenant/callback-secret: the session
 * tenant's settings (API.md "Admin API"). Validation rules: lib/tenant/kf_tenant_rules.c; the
 * PATCH body, its changes and the settings' JSON: lib/tenant/kf_tenant_settings.c. */
#include "kf_text.h"
#include "mod_kf_tenant.h"
#include "mod_kf_sql.h"
#include "mod_kf_tenant_columns.h"
#include "mod_kf_messaging.h"
#include "mod_kf_tenant_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_money.h"
#include "kf_tenant_settings.h"
#include "kf_payment.h"
#include "kf_api_error.h"

#define N_EDITABLE KF_TENANT_FIELD_COUNT

/* Columns of kf_tenant_lock: the editable ones, then these. */
enum { LOCK_CURRENCY = KF_TENANT_FIELD_COUNT, LOCK_PROVIDER, LOCK_COLUMNS };
#define TENANT_LOCK_COLUMNS(FIRST, NEXT)                                                    \
    KFM_TENANT_EDITABLE_COLUMNS(FIRST, NEXT)                                                \
    NEXT(LOCK_CURRENCY, "currency")                                                         \
    NEXT(LOCK_PROVIDER, "payment_provider")
KFM_SQL_ROW_CHECK(TENANT_LOCK_COLUMNS, LOCK_COLUMNS)

/* Columns of kf_tenant_set_callback_secret. */
#define SECRET_COLUMNS(FIRST, NEXT)                                                         \
    FIRST(SECRET_SET_AT, KFM_SQL_RFC3339("t.callback_secret_set_at"))                       \
    NEXT(SECRET_REPLACED, "old.had")
enum { SECRET_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) SECRET_COLUMN_COUNT };

const kfm_sql kfm_tenant_sql[] = {
    {"kf_tenant_get",
     "SELECT " KFM_SQL_COLUMNS(KFM_TENANT_COLUMNS) " FROM tenants WHERE id = %s::uuid"},
    {"kf_tenant_policy_update",
     "UPDATE tenants SET cancel_cutoff_hours = coalesce(%s::int, cancel_cutoff_hours),"
     "  reschedule_cutoff_hours = coalesce(%s::int, reschedule_cutoff_hours),"
     "  max_reschedules = coalesce(%s::int, max_reschedules),"
     "  auto_complete_hours = coalesce(%s::int, auto_complete_hours),"
     "  data_retention_months = coalesce(%s::int, data_retention_months),"
     "  erasure_auto_days = coalesce(%s::int, erasure_auto_days),"
     "  refund_on_cancel = coalesce(%s, refund_on_cancel),"
     "  calendar_customer_attendee = coalesce(%s::boolean, calendar_customer_attendee),"
     "  payment_provider = coalesce(%s, payment_provider),"
     "  calcom_hours = coalesce(%s, calcom_hours),"
     "  reminders = coalesce(%s::int[], reminders), updated_at = now()"
     " WHERE id = %s::uuid"},
    /* the sites that may frame the booking pages, as kf_embed_origins_read gave them */
    {"kf_tenant_embed_origins_update",
     "UPDATE tenants SET embed_origins = ARRAY(SELECT json_array_elements_text(%s::json)),"
     "  updated_at = now() WHERE id = %s::uuid"},
    {"kf_tenant_lock",
     "SELECT " KFM_SQL_COLUMNS(TENANT_LOCK_COLUMNS) " FROM tenants"
     " WHERE id = %s::uuid FOR UPDATE"},
    /* what is priced in another currency than the one asked, not archived: services with a
     * price ('s' first), packages ('p'), by name */
    {"kf_tenant_currency_in_use",
     "SELECT " KFM_SQL_COLUMNS(KFM_TENANT_SERVICE_IN_USE_COLUMNS)
     " FROM services WHERE tenant_id = %s::uuid"
     "  AND archived_at IS NULL AND price_amount > 0 AND currency <> %s"
     " UNION ALL SELECT " KFM_SQL_COLUMNS(KFM_TENANT_PACKAGE_IN_USE_COLUMNS)
     " FROM packages WHERE tenant_id = %s::uuid"
     "  AND archived_at IS NULL AND currency <> %s"
     " ORDER BY 1 DESC, 3"},
    {"kf_tenant_reprice_service",
     "UPDATE services SET price_amount = %s::bigint, currency = %s, updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    {"kf_tenant_reprice_package",
     "UPDATE packages SET price_amount = %s::bigint, currency = %s, updated_at = now()"
     " WHERE id = %s::uuid AND tenant_id = %s::uuid"},
    /* services without a price follow the tenant's currency (archived ones keep theirs) */
    {"kf_tenant_currency_follow",
     "UPDATE services SET currency = %s, updated_at = now()"
     " WHERE tenant_id = %s::uuid AND archived_at IS NULL AND price_amount = 0 AND currency <> %s"},
    {"kf_tenant_currency_update",
     "UPDATE tenants SET currency = %s, updated_at = now() WHERE id = %s::uuid"},
    {"kf_tenant_timezone_known", "SELECT 1 FROM pg_timezone_names WHERE name = %s"},
    {"kf_tenant_subdomain_used",
     "SELECT 1 FROM tenants WHERE subdomain = %s AND id <> %s::uuid"},
    /* a domain is another tenant's only once proved: pending claims block nobody (the first
     * proof drops the others, mod_kf_tenant_domain.c) */
    {"kf_tenant_domain_used",
     "SELECT 1 FROM tenants WHERE custom_domain = %s AND id <> %s::uuid"
     "  AND custom_domain_verified_at IS NOT NULL"},
    {"kf_tenant_update",
     "UPDATE tenants SET name = %s, subdomain = %s, timezone = %s, locale = %s, country = %s,"
     "  primary_color = %s, secondary_color = %s, logo_url = %s, callback_url = %s,"
     "  return_url = %s, terms_url = %s, custom_domain = %s, notification_email = %s,"
     "  contact_phone = %s, reply_to_email = %s, updated_at = now()"
     " WHERE id = %s::uuid"},
    {"kf_tenant_set_callback_secret",
     "UPDATE tenants t SET callback_secret_sealed = %s, callback_secret_set_at = now(),"
     "  updated_at = now()"
     " FROM (SELECT callback_secret_sealed IS NOT NULL AS had FROM tenants"
     "       WHERE id = %s::uuid FOR UPDATE) old"
     " WHERE t.id = %s::uuid"
     " RETURNING " KFM_SQL_COLUMNS(SECRET_COLUMNS)},
    {NULL, NULL},
};

kf_url_policy kfm_tenant_url_policy(const kfm_req *kr)
{
    return kfm_conf_allow_insecure_urls(kr->conf) == 1 ? KF_URL_ALLOW_HTTP : KF_URL_HTTPS_ONLY;
}

/* The session tenant's settings as GET /api/admin/tenant shows them (a new reference),
 * with "payments" filled in; NULL when the tenant is gone or the database failed (logged). */
static json_t *tenant_view(kfm_req *kr, ap_dbd_t *db)
{
    const char *row[KF_TENANT_COL_COUNT];
    const char *args[] = {kr->session->tenant.id};
    apr_status_t rv = kfm_db_select_row(kr->r, db, kr->r->pool, "kf_tenant_get", 1, args, row,
                                        KF_TENANT_COL_COUNT);
    if (rv == APR_NOTFOUND) {
        kfm_log(kr, APLOG_ERR, "the session's tenant %s does not exist", kr->session->tenant.id);
    }
    json_t *payments = rv == APR_SUCCESS ? kfm_tenant_payments_view(kr, db) : NULL;
    json_t *messaging = payments ? kfm_messaging_view(kr, db) : NULL;
    if (!messaging) {
        json_decref(payments);
        return NULL;
    }
    return kf_tenant_view_json(row, payments, messaging);
}

static int reply_view(kfm_req *kr, int status)
{
    json_t *t = tenant_view(kr, kr->db);
    if (!t) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, status, json_pack("{s:o}", "tenant", t));
}

int kfm_handle_tenant_get(kfm_req *kr)
{
    return reply_view(kr, HTTP_OK);
}

int kfm_tenant_zone_known(kfm_req *kr, const char *zone)
{
    kfm_rows *res = NULL;
    const char *args[] = {zone};
    if (kfm_db_select(kr->r, kr->db, "kf_tenant_timezone_known", &res, 1, args) != APR_SUCCESS) {
        return -1;
    }
    return kfm_db_rows(kr->db, res) > 0;
}

/* The zone must be one PostgreSQL knows, since every zone conversion happens there. */
static apr_status_t check_timezone_exists(kfm_req *kr, const json_t *body, json_t *errors)
{
    const char *tz = NULL;
    if (json_object_get(errors, "timezone") ||
        kf_json_get_string(body, "timezone", &tz) != KF_JSON_FIELD_OK) {
        return APR_SUCCESS;
    }
    int known = kfm_tenant_zone_known(kr, tz);
    if (known == 0) {
        json_object_set_new(errors, "timezone", json_string("tenant_timezone"));
    }
    return known < 0 ? APR_EGENERAL : APR_SUCCESS;
}

/* The currency a PATCH leads to (a known ISO 4217 code by now), inside the transaction that
 * holds the tenant's row (`current`, `provider`: the row's, the provider the same PATCH sends
 * if any): it must be one the active provider charges in, and nothing may stay priced in
 * another: what the PATCH's "reprice" gives a new price is re-priced here, anything else
 * left is 409 currency_in_use naming it. DECLINED when the PATCH may go on (with "currency"
 * in changes when it changes), else the answer, rolled back. A currency that only follows a
 * new country (`by_default`) never refuses the PATCH: when it cannot apply, the currency
 * stays. */
static int check_currency(kfm_req *kr, kfm_tx *tx, const char *currency, const char *current,
                          const char *provider, int by_default, const json_t *reprice,
                          json_t *changes)
{
    request_rec *r = kr->r;
    const char *tenant_id = kr->session->tenant.id;
    kfm_rows *res = NULL;
    const char *why = NULL;
    kf_currency_step step = kf_tenant_currency_step(currency, current,
                                                    kf_payment_currencies_of(provider),
                                                    by_default, &why);
    if (step == KF_CURRENCY_REFUSE) {
        kfm_db_rollback(r, tx);
        return kfm_reply_field_ids(kr, json_pack("{s:s}", "currency", why));
    }
    if (step == KF_CURRENCY_KEEP) {
        return DECLINED;
    }
    const char *args[] = {tenant_id, currency, tenant_id, currency};
    if (kfm_db_select(r, kr->db, "kf_tenant_currency_in_use", &res, 4, args) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, res, KF_IN_USE_COUNT, &n);
    if (n > 0 && by_default) {
        return DECLINED;
    }
    kf_currency_move plan;
    kf_currency_move_plan(r->pool, rows, n, reprice, &plan);
    if (plan.services->nelts + plan.packages->nelts > 0) {
        json_decref(plan.changes);
        kfm_db_rollback(r, tx);
        return kfm_reply_json(kr, HTTP_CONFLICT,
                              kf_currency_in_use_json(r->pool, kr->locale, currency, &plan));
    }
    for (int i = 0; i < plan.repriced->nelts; i++) {
        const char *const *row = APR_ARRAY_IDX(plan.repriced, i, const char *const *);
        const char *up[] = {kfm_db_int64(r->pool, APR_ARRAY_IDX(plan.prices, i, apr_int64_t)),
                            currency, row[KF_IN_USE_ID], tenant_id};
        if (kfm_db_exec(r, kr->db, *row[KF_IN_USE_KIND] == 's' ? "kf_tenant_reprice_service"
                                                               : "kf_tenant_reprice_package",
                        NULL, 4, up) != APR_SUCCESS) {
            json_decref(plan.changes);
            return kfm_rollback_and_reply(kr, tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    const char *follow[] = {currency, tenant_id, currency};
    if (kfm_db_exec(r, kr->db, "kf_tenant_currency_follow", NULL, 3, follow) != APR_SUCCESS) {
        json_decref(plan.changes);
        return kfm_rollback_and_reply(kr, tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_object_set_new(changes, "currency", json_string(currency));
    if (plan.changes) {
        json_object_set_new(changes, "reprice", plan.changes);
    }
    return DECLINED;
}

apr_status_t kfm_tenant_address_used(kfm_req *kr, const char *label, const char *address,
                                     const char **taken, const char *code)
{
    kfm_rows *res = NULL;
    const char *args[] = {address, kr->session->tenant.id};
    apr_status_t rv = kfm_db_select(kr->r, kr->db, label, &res, 2, args);
    if (rv == APR_SUCCESS && kfm_db_rows(kr->db, res) > 0) {
        *taken = code;
    }
    return rv;
}

int kfm_handle_tenant_patch(kfm_req *kr)
{
    request_rec *r = kr->r;
    json_t *body = NULL;
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    json_t *errors = json_object();
    kf_tenant_patch patch;
    kf_tenant_patch_read(r->pool, body, kfm_tenant_url_policy(kr), kfm_conf_base_domain(kr->conf),
                         kr->conf->outbound_allow, kf_payment_currencies_of, errors, &patch);
    if (check_timezone_exists(kr, body, errors) != APR_SUCCESS) {
        json_decref(errors);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (json_object_size(errors) > 0) {
        /* a refused payment_provider names the ones there are */
        const char *providers[] = {"{providers}", kf_payment_names_text(r->pool, kr->locale),
                                   NULL};
        return kfm_reply_fields(kr, kf_api_error_fields_filled(r->pool, kr->locale, errors,
                                                               providers));
    }
    json_decref(errors);

    kfm_tx tx;
    const char *tenant_id = kr->session->tenant.id;
    const char *id_arg[] = {tenant_id};
    /* the row as stored: the editable fields (current), then the money's */
    const char *current[LOCK_COLUMNS];
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_tenant_lock", 1, id_arg, current,
                          LOCK_COLUMNS) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* Only the fields sent change; "changes" records the ones whose value differs. */
    const char *values[N_EDITABLE + 1];
    const char *current_currency = current[LOCK_CURRENCY];
    const char *currency = NULL, *provider = NULL;
    int by_default = 0;
    const char *refused = kf_tenant_patch_currency(
        &patch, body, current_currency, current[KF_TENANT_COUNTRY], current[LOCK_PROVIDER],
        kf_payment_currencies_of, &currency, &provider, &by_default);
    if (refused) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_field_ids(kr, json_pack("{s:s}", "payment_provider", refused));
    }
    json_t *changes = json_object();
    int money = currency ? check_currency(kr, &tx, currency, current_currency, provider,
                                          by_default, patch.reprice, changes)
                         : DECLINED;
    if (money != DECLINED) {
        json_decref(changes);
        return money;    /* answered (and rolled back) */
    }
    int subdomain_changed = 0, domain_changed = 0;
    kf_tenant_patch_changes(r->pool, body, &patch, current, values, &subdomain_changed,
                            &domain_changed, changes);
    values[N_EDITABLE] = tenant_id;
    if (json_object_size(changes) == 0) {
        json_decref(changes);
        kfm_db_rollback(r, &tx);
        return reply_view(kr, HTTP_OK);
    }
    json_t *no_subdomain = kf_tenant_domain_refusal(values, subdomain_changed, domain_changed);
    const char *taken = NULL;
    apr_status_t rv = APR_SUCCESS;
    if (subdomain_changed && values[KF_TENANT_SUBDOMAIN]) {
        rv = kfm_tenant_address_used(kr, "kf_tenant_subdomain_used", values[KF_TENANT_SUBDOMAIN],
                                     &taken, "subdomain_taken");
    }
    if (rv == APR_SUCCESS && !taken && !no_subdomain && domain_changed &&
        values[KF_TENANT_CUSTOM_DOMAIN]) {
        rv = kfm_tenant_address_used(kr, "kf_tenant_domain_used", values[KF_TENANT_CUSTOM_DOMAIN],
                                     &taken, "domain_taken");
    }
    if (rv == APR_SUCCESS && !taken && !no_subdomain) {
        rv = kfm_db_exec(r, kr->db, "kf_tenant_update", NULL, N_EDITABLE + 1, values);
        /* a tenant that took the subdomain after our check loses nothing: the unique
         * constraint refuses the second one (a domain set here is unproved: never refused) */
        if (rv == KFM_DB_ECONSTRAINT && subdomain_changed) {
            taken = "subdomain_taken";
        }
    }
    const char *currency_args[] = {currency, tenant_id};
    if (rv == APR_SUCCESS && !taken && !no_subdomain && json_object_get(changes, "currency")) {
        rv = kfm_db_exec(r, kr->db, "kf_tenant_currency_update", NULL, 2, currency_args);
    }
    if (rv == APR_SUCCESS && !taken && !no_subdomain && patch.policy_sent) {
        rv = kfm_db_exec(r, kr->db, "kf_tenant_policy_update", NULL, KF_TENANT_POLICY_ARGS,
                         kf_tenant_policy_args(r->pool, &patch, tenant_id));
    }
    const char *embed_args[] = {patch.embed_origins, tenant_id};
    if (rv == APR_SUCCESS && !taken && !no_subdomain && patch.embed_origins) {
        rv = kfm_db_exec(r, kr->db, "kf_tenant_embed_origins_update", NULL, 2, embed_args);
    }
    if (taken || no_subdomain || rv != APR_SUCCESS) {
        json_decref(changes);
        kfm_db_rollback(r, &tx);
        return no_subdomain ? kfm_reply_field_ids(kr, no_subdomain)
               : taken      ? kfm_reply_error(kr, HTTP_CONFLICT, taken)
                            : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_audit(kr, kr->db, "tenant.update", "tenant", tenant_id, changes) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return reply_view(kr, HTTP_OK);
}

/* 32 random bytes (256 bits), base64url: shown once in the answer, stored only sealed. The
 * answer gives it twice: as it is, and as the Standard Webhooks libraries take it ("whsec_"
 * and the base64 of its bytes, the key of the webhook-signature header). */
int kfm_handle_tenant_callback_secret(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *tenant_id = kr->session->tenant.id;
    const char *secret = kf_random_token(r->pool, 32);
    if (!kr->conf->keyring) {
        kfm_log(kr, APLOG_ERR, "callback secret: no KonfirmadoKeyFile, cannot seal secrets");
    }
    const char *sealed = kf_seal_text(r->pool, kr->conf->keyring, secret,
                                      kf_callback_secret_aad(r->pool, tenant_id));
    if (!sealed) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_tx tx;
    const char *args[] = {sealed, tenant_id, tenant_id};
    const char *v[SECRET_COLUMN_COUNT];
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_tenant_set_callback_secret", 3, args, v,
                          SECRET_COLUMN_COUNT) != APR_SUCCESS ||
        kfm_audit(kr, kr->db, "tenant.callback_secret.rotate", "tenant", tenant_id,
                  kf_callback_secret_changes(kf_text_true(v[SECRET_REPLACED]))) != APR_SUCCESS ||
        kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_CREATED,
                          kf_callback_secret_answer(r->pool, secret, v[SECRET_SET_AT]));
}
