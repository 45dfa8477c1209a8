/* Packages, the customer's side: see mod_kf_purchases.h. */
#include "mod_kf_purchases.h"
#include "mod_kf_purchase_life.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_payments.h"
#include "mod_kf_public_request.h"
#include "kf_catalog_rules.h"
#include "mod_kf_sql.h"
#include "kf_purchase.h"
#include "kf_reservation.h"
#include "kf_text.h"

#include "util_script.h"

#include <apr_strings.h>
#include <string.h>

/* Columns of kf_pur_offer, kf_pur_insert, kf_pur_status and kf_pur_bookings. */
enum { OFFER_STATUS, OFFER_PACKAGE, OFFER_NAME, OFFER_LINK, OFFER_TENANT, OFFER_COUNTRY,
       OFFER_COLUMNS };
enum { INS_ID, INS_PAY_BY, INS_SESSIONS, INS_AMOUNT, INS_CURRENCY, INS_COLUMNS };
enum { ST_ID, ST_STATUS, ST_DUE, ST_EVER_PAID, ST_TOTAL, ST_USED, ST_EXPIRES, ST_PAY_BY,
       ST_PAID_AT, ST_PACKAGE_ID, ST_PACKAGE_NAME, ST_PACKAGE_DESCRIPTION, ST_VALID_DAYS,
       ST_AMOUNT, ST_CURRENCY, ST_SERVICE_ID, ST_SERVICE_NAME, ST_DURATION, ST_LINK,
       ST_TENANT_NAME, ST_LOGO, ST_PRIMARY, ST_SECONDARY, ST_TIMEZONE, ST_LOCALE, ST_TERMS,
       ST_CUSTOMER_NAME, ST_CUSTOMER_EMAIL, ST_CUSTOMER_PHONE, ST_COLUMNS };
enum { BK_ID, BK_START, BK_END, BK_STATUS, BK_DUE, BK_RETURNED, BK_PROFESSIONAL, BK_COLUMNS };

const kfm_sql kfm_purchases_sql[] = {
    /* link slug, host subdomain, package id: the package as the link offers it (its
     * service bookable through the link), and the tenant's country (the phone rule) */
    {"kf_pur_offer",
     "WITH a AS (SELECT %s::text AS slug, %s::text AS sub, lower(%s::text) AS pkg),"
     " link AS (SELECT l.* FROM a JOIN booking_links l ON l.slug = a.slug AND l.active"
     "  JOIN tenants t ON t.id = l.tenant_id AND (a.sub IS NULL OR t.subdomain = a.sub)),"
     " ok AS (SELECT * FROM link WHERE " KFM_SQL_LINK_OPEN("link", "now()") "),"
     " k AS (SELECT k.id, k.name, ok.id AS link_id FROM ok"
     "  JOIN link_packages lp ON lp.link_id = ok.id"
     "  JOIN packages k ON k.id = lp.package_id AND k.archived_at IS NULL"
     "  JOIN services s ON s.id = k.service_id AND s.archived_at IS NULL"
     "  WHERE k.id::text = (SELECT pkg FROM a)"
     "    AND (ok.service_id IS NULL OR ok.service_id = k.service_id)"
     "    AND EXISTS (SELECT 1 FROM service_professionals sp"
     "      JOIN professionals p ON p.id = sp.professional_id AND p.archived_at IS NULL"
     "      WHERE sp.tenant_id = ok.tenant_id AND sp.service_id = k.service_id"
     "        AND (ok.professional_id IS NULL OR sp.professional_id = ok.professional_id)))"
     " SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM link) THEN 'link_not_found'"
     "   WHEN NOT EXISTS (SELECT 1 FROM ok) THEN 'link_expired'"
     "   WHEN NOT EXISTS (SELECT 1 FROM k) THEN 'package_not_found' ELSE 'ok' END,"
     "  (SELECT id FROM k), (SELECT name FROM k), (SELECT link_id FROM k),"
     "  (SELECT tenant_id FROM link), (SELECT t.country FROM link JOIN tenants t ON t.id = link.tenant_id)"},
    /* link, token hash, name, email, phone, payment window seconds, package: what was bought
     * is kept as it was */
    {"kf_pur_insert",
     "INSERT INTO purchases (tenant_id, package_id, link_id, service_id, status, token_hash,"
     "  customer_name, customer_email, customer_phone, accepted_terms_at, sessions_total,"
     "  valid_days, amount, currency, pay_by)"
     " SELECT k.tenant_id, k.id, %s::uuid, k.service_id, 'pending_payment', %s, %s, %s, %s, now(),"
     "  k.sessions, k.valid_days, k.price_amount, k.currency, now() + make_interval(secs => %s::int)"
     " FROM packages k WHERE k.id = %s::uuid AND k.archived_at IS NULL"
     " RETURNING id, extract(epoch FROM pay_by)::bigint, sessions_total, amount, currency"},
    {"kf_pur_seal", "UPDATE purchases SET token_sealed = %s WHERE id = %s::uuid"},
    /* id, token hash, host subdomain (twice) */
    {"kf_pur_status",
     "SELECT pu.id, pu.status, " KFM_SQL_PURCHASE_DUE("pu") ", pu.paid_at IS NOT NULL, pu.sessions_total,"
     "  pu.sessions_used, " KFM_SQL_RFC3339("pu.expires_at") ", " KFM_SQL_RFC3339("pu.pay_by") ","
     "  " KFM_SQL_RFC3339("pu.paid_at") ", k.id, k.name, k.description, pu.valid_days, pu.amount,"
     "  pu.currency, s.id, s.name, s.duration_minutes, l.slug, t.name, t.logo_url,"
     "  t.primary_color, t.secondary_color, t.timezone, t.locale, t.terms_url,"
     "  pu.customer_name, pu.customer_email, pu.customer_phone"
     " FROM purchases pu JOIN tenants t ON t.id = pu.tenant_id"
     " JOIN packages k ON k.id = pu.package_id JOIN services s ON s.id = pu.service_id"
     " LEFT JOIN booking_links l ON l.id = pu.link_id AND l.active"
     "   AND " KFM_SQL_LINK_OPEN("l", "now()")
     " WHERE pu.id = %s::uuid AND pu.token_hash = %s"
     "   AND (%s::text IS NULL OR t.subdomain = %s::text)"},
    {"kf_pur_bookings",
     "SELECT r.id, " KFM_SQL_RFC3339("r.starts_at") ", " KFM_SQL_RFC3339("r.ends_at") ","
     "  r.status, COALESCE(" KFM_SQL_DUE("r") ", false), r.purchase_session_returned, p.name"
     " FROM reservations r JOIN professionals p ON p.id = r.professional_id"
     " WHERE r.purchase_id = %s::uuid ORDER BY r.starts_at, r.id"},
    {NULL, NULL},
};

/* ---------------------------------------------------------------- shared */

static json_t *money(apr_int64_t amount, const char *currency)
{
    return json_pack("{s:I, s:s}", "amount", (json_int_t)amount, "currency", currency);
}

/* ---------------------------------------------------------------- POST /api/public/purchases */

/* The purchase is committed with its payment; now its checkout, with no transaction open
 * and the request's connection given back meanwhile. When the provider makes none, the
 * payment is marked error and the purchase fails (its state machine's decline, reason
 * checkout_failed): nothing was paid, the customer buys again. Returns 0,
 * HTTP_BAD_GATEWAY or HTTP_INTERNAL_SERVER_ERROR. */
static int make_checkout(kfm_req *kr, const char *purchase_id, kfm_checkout *checkout,
                         json_t **payment)
{
    apr_status_t made = kfm_payment_checkout_make(kr, checkout, payment);
    if (made != APR_ENOENT) {
        return made == APR_SUCCESS ? 0 : HTTP_INTERNAL_SERVER_ERROR;
    }
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kfm_purchase_payment_event e = {NULL, purchase_id, 0, 0, "checkout_failed"};
    const char *result = NULL;
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS ||
        kfm_payment_checkout_abandon(kr, kr->db, checkout) != APR_SUCCESS ||
        kfm_purchase_payment_settled(&c, kr->db, &e, &result) != APR_SUCCESS ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(kr->r, &tx);
        kfm_log(kr, APLOG_ERR, "purchase %s: no checkout and it could not be failed; its "
                "payment window will run out", purchase_id);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return HTTP_BAD_GATEWAY;
}

int kfm_handle_public_purchase_create(kfm_req *kr)
{
    request_rec *r = kr->r;
    json_t *body = kr->body;   /* and a connection it gives back while the payment provider
                                  makes the checkout: the endpoint's row */
    const char *subdomain = NULL;
    kfm_rows *res = NULL;
    if (!kfm_public_host(kr, &subdomain)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    json_t *fields = json_object();
    const char *link = NULL, *package = NULL;
    if (kf_json_get_string(body, "link", &link) != KF_JSON_FIELD_OK || !kf_link_slug_ok(link)) {
        kfm_field_error(kr, fields, "link", "field_required");
        link = NULL;
    }
    if (kf_json_get_string(body, "package", &package) != KF_JSON_FIELD_OK || !kf_is_uuid(package)) {
        kfm_field_error(kr, fields, "package", "package_id_invalid");
        package = NULL;
    }
    /* the link's tenant decides the phone rule: look the offer up (read only) first */
    const char *v[OFFER_COLUMNS] = {0};
    if (link && package) {
        const char *args[] = {link, subdomain, package};
        if (kfm_db_select(r, kr->db, "kf_pur_offer", &res, 3, args) != APR_SUCCESS ||
            kfm_db_rows(kr->db, res) != 1) {
            json_decref(fields);
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        kfm_db_row(kr->db, r->pool, res, 0, v, OFFER_COLUMNS);
    }
    const char *name = NULL, *email = NULL, *phone = NULL;
    kfm_public_check_customer(kr, body, v[OFFER_COUNTRY], 1, fields, &name, &email, &phone);
    if (json_object_size(fields) > 0) {
        return kfm_reply_fields(kr, fields);
    }
    json_decref(fields);
    if (strcmp(v[OFFER_STATUS], "ok") != 0) {
        return kfm_reply_error(kr, kfm_public_http_status(v[OFFER_STATUS]), v[OFFER_STATUS]);
    }

    const char *token = kf_random_token(r->pool, 32);
    kfm_tx tx;
    if (!token || kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *iargs[] = {v[OFFER_LINK], kf_sha256_hex(r->pool, token, strlen(token)), name,
                           email, phone, apr_itoa(r->pool, kfm_conf_payment_window(kr->conf)),
                           v[OFFER_PACKAGE]};
    if (kfm_db_select(r, kr->db, "kf_pur_insert", &res, 7, iargs) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {   /* archived meanwhile */
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "package_not_found");
    }
    const char *made[INS_COLUMNS];
    kfm_db_row(kr->db, r->pool, res, 0, made, INS_COLUMNS);
    const char *id = made[INS_ID];
    /* the token sealed for the mail sent once paid (only its hash is the check) */
    const char *sealed = kf_seal(r->pool, kr->conf->keyring, token, strlen(token),
                                 kf_purchase_token_aad(r->pool, id));
    const char *sargs[] = {sealed, id};
    if (!sealed || kfm_db_exec(r, kr->db, "kf_pur_seal", NULL, 2, sargs) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* its payment, through the tenant's provider, exactly like a booking's */
    kfm_payment_start in = {0};
    in.tenant_id = v[OFFER_TENANT];
    in.purchase_id = id;
    in.amount = apr_atoi64(made[INS_AMOUNT]);
    in.currency = made[INS_CURRENCY];
    in.expires_at = apr_time_from_sec(apr_atoi64(made[INS_PAY_BY]));
    in.customer_name = name;
    in.customer_email = email;
    in.customer_phone = phone;
    in.redirect_url = kfm_purchase_page_url(r->pool, kr->conf, id, token);
    in.description = v[OFFER_NAME];
    /* committed with its payment first; the checkout is asked for after (see make_checkout) */
    kfm_checkout checkout;
    apr_status_t rv = kfm_payment_checkout_prepare(kr, kr->db, &in, &checkout);
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return rv == APR_ENOENT ? kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error")
                                : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *payment = NULL;
    int code = make_checkout(kr, id, &checkout, &payment);
    if (code != 0) {
        return code == HTTP_BAD_GATEWAY ? kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error")
                                        : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR,
                                                         "internal_error");
    }
    json_t *purchase = json_object();
    kf_json_set_str(purchase, "id", id);
    kf_json_set_str(purchase, "token", token);
    kf_json_set_str(purchase, "status", kf_pur_state_name(KF_PUR_PENDING_PAYMENT));
    kf_json_set_int(purchase, "sessions_left", atoi(made[INS_SESSIONS]));
    kf_json_set_null(purchase, "expires_at");
    json_object_set(purchase, "payment", payment);
    kf_json_set_str(purchase, "url", in.redirect_url);
    return kfm_reply_json(kr, HTTP_CREATED, json_pack("{s:o}", "purchase", purchase));
}

/* ---------------------------------------------------------------- GET /api/public/purchases/{id} */

static int read_status(kfm_req *kr, const char *const *args, const char **v)
{
    kfm_rows *res = NULL;
    if (kfm_db_select(kr->r, kr->db, "kf_pur_status", &res, 4, args) != APR_SUCCESS) {
        return -1;
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return 0;
    }
    kfm_db_row(kr->db, kr->r->pool, res, 0, v, ST_COLUMNS);
    return 1;
}

static json_t *bookings_json(kfm_req *kr, const char *purchase_id)
{
    kfm_rows *res = NULL;
    const char *args[] = {purchase_id};
    json_t *list = json_array();
    if (kfm_db_select(kr->r, kr->db, "kf_pur_bookings", &res, 1, args) != APR_SUCCESS) {
        json_decref(list);
        return NULL;
    }
    for (int i = 0; i < kfm_db_rows(kr->db, res); i++) {
        const char *v[BK_COLUMNS];
        kfm_db_row(kr->db, kr->r->pool, res, i, v, BK_COLUMNS);
        int state = kf_res_state_parse(v[BK_STATUS]);
        const char *seen = state < 0 ? v[BK_STATUS]
            : kf_res_state_name(kf_res_state_seen((kf_res_state)state, strcmp(v[BK_DUE], "t") == 0));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "id", v[BK_ID],
                                              "start", v[BK_START], "end", v[BK_END],
                                              "status", seen, "professional", v[BK_PROFESSIONAL],
                                              "session_returned",
                                              strcmp(v[BK_RETURNED], "t") == 0));
    }
    return list;
}

static json_t *nullable(const char *s)
{
    return s ? json_string(s) : json_null();
}

int kfm_handle_public_purchase_status(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *args[5];
    apr_table_t *q = NULL;
    ap_args_to_table(r, &q);
    /* the purchase's token, checked like a booking's (id, hash, host) */
    if (!kfm_public_booking_args(kr, apr_table_get(q, "token"), args)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "purchase_not_found");
    }
    const char *sargs[] = {args[0], args[1], args[3], args[4]};
    const char *v[ST_COLUMNS];
    int found = read_status(kr, sargs, v);
    if (found < 0) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!found) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "purchase_not_found");
    }
    /* back from the checkout (Wompi's ?id=, the others' ?return=1): ask the provider with
     * the merchant's key now, as the booking status does, then answer with what changed */
    const char *back = apr_table_get(q, "id");
    if (!back || !*back) {
        back = apr_table_get(q, "return");
    }
    int state = kf_pur_state_parse(v[ST_STATUS]);
    if (back && *back && state >= 0 &&
        kf_pur_state_awaits_approval((kf_pur_state)state, strcmp(v[ST_EVER_PAID], "t") == 0)) {
        kfm_payment_check_return_purchase(kr, kr->db, v[ST_ID]);
        if (read_status(kr, sargs, v) != 1) {
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        state = kf_pur_state_parse(v[ST_STATUS]);
    }
    kf_pur_state seen = kf_pur_state_seen(state < 0 ? KF_PUR_FAILED : (kf_pur_state)state,
                                          strcmp(v[ST_DUE], "t") == 0);
    int total = atoi(v[ST_TOTAL]), used = atoi(v[ST_USED]);
    json_t *bookings = bookings_json(kr, v[ST_ID]);
    if (!bookings) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *p = json_object();
    kf_json_set_str(p, "id", v[ST_ID]);
    kf_json_set_str(p, "status", kf_pur_state_name(seen));
    json_object_set_new(p, "package", json_pack(
        "{s:s, s:s, s:o, s:i, s:i, s:o}", "id", v[ST_PACKAGE_ID], "name", v[ST_PACKAGE_NAME],
        "description", nullable(v[ST_PACKAGE_DESCRIPTION]), "sessions", total, "valid_days",
        atoi(v[ST_VALID_DAYS]), "price", money(apr_atoi64(v[ST_AMOUNT]), v[ST_CURRENCY])));
    json_object_set_new(p, "service", json_pack("{s:s, s:s, s:i}", "id", v[ST_SERVICE_ID], "name",
                                                v[ST_SERVICE_NAME], "duration_minutes",
                                                atoi(v[ST_DURATION])));
    kf_json_set_int(p, "sessions_total", total);
    kf_json_set_int(p, "sessions_used", used);
    /* an expired package has nothing left to book */
    kf_json_set_int(p, "sessions_left", seen == KF_PUR_EXPIRED ? 0
                                                               : kf_purchase_sessions_left(total, used));
    json_object_set_new(p, "paid_at", nullable(v[ST_PAID_AT]));
    json_object_set_new(p, "expires_at", nullable(v[ST_EXPIRES]));
    json_object_set_new(p, "pay_by", nullable(v[ST_PAY_BY]));
    json_object_set_new(p, "link", nullable(v[ST_LINK]));
    json_object_set_new(p, "customer", json_pack("{s:s, s:s, s:s}", "name", v[ST_CUSTOMER_NAME],
                                                 "email", v[ST_CUSTOMER_EMAIL], "phone",
                                                 v[ST_CUSTOMER_PHONE]));
    json_object_set_new(p, "bookings", bookings);
    json_t *tenant = json_object();
    kf_json_set_str(tenant, "name", v[ST_TENANT_NAME]);
    json_object_set_new(tenant, "logo_url", nullable(v[ST_LOGO]));
    json_object_set_new(tenant, "primary_color", nullable(v[ST_PRIMARY]));
    json_object_set_new(tenant, "secondary_color", nullable(v[ST_SECONDARY]));
    kf_json_set_str(tenant, "timezone", v[ST_TIMEZONE]);
    kf_json_set_str(tenant, "locale", v[ST_LOCALE]);
    json_object_set_new(tenant, "terms_url", nullable(v[ST_TERMS]));
    json_t *out = json_object();
    json_object_set_new(out, "purchase", p);
    json_object_set_new(out, "tenant", tenant);
    return kfm_reply_json(kr, HTTP_OK, out);
}
