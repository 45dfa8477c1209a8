/* Packages, the customer's side (API.md "Admin API": Packages): buying a package through a
 * link (POST /api/public/purchases: a purchase and its payment through the tenant's
 * provider, exactly like a booking's) and the purchase page's data (GET
 * /api/public/purchases/{id}?token=). What follows a purchase's payment is
 * mod_kf_purchase_life.h. */
#include "mod_kf_payments_conf.h"
#include "mod_kf_purchase_life.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_payments.h"
#include "mod_kf_public_request.h"
#include "mod_kf_sql.h"
#include "kf_purchase_view.h"
#include "kf_payment_view.h"
#include "kf_reservation.h"
#include "kf_text.h"

#include "util_script.h"

#include <apr_strings.h>
#include <string.h>

/* Columns of kf_pur_offer; kf_pur_insert, kf_pur_status and kf_pur_bookings select those of
 * kf_purchase_view.h. */
enum { OFFER_STATUS, OFFER_PACKAGE, OFFER_NAME, OFFER_LINK, OFFER_TENANT, OFFER_COUNTRY,
       OFFER_LINK_METADATA, OFFER_COLUMNS };

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
     "  (SELECT tenant_id FROM link), (SELECT t.country FROM link JOIN tenants t ON t.id = link.tenant_id),"
     "  (SELECT metadata FROM link)"},
    /* link, token hash, name, email, phone, payment window seconds, metadata, package: what
     * was bought is kept as it was */
    {"kf_pur_insert",
     "INSERT INTO purchases (tenant_id, package_id, link_id, service_id, status, token_hash,"
     "  customer_name, customer_email, customer_phone, accepted_terms_at, sessions_total,"
     "  valid_days, amount, currency, pay_by, metadata)"
     " SELECT k.tenant_id, k.id, %s::uuid, k.service_id, 'pending_payment', %s, %s, %s, %s, now(),"
     "  k.sessions, k.valid_days, k.price_amount, k.currency, now() + make_interval(secs => %s::int),"
     "  %s::jsonb"
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

/* ---------------------------------------------------------------- POST /api/public/purchases */

/* The purchase is committed with its payment; now its checkout, with no transaction open
 * and the request's connection given back meanwhile. When the provider makes none, the
 * payment is marked error and the purchase fails (its state machine's decline, reason
 * checkout_failed): nothing was paid, the customer buys again. The payment's JSON, or NULL
 * with the reply sent: 502 provider_error or 500. */
static json_t *make_checkout(kfm_req *kr, const char *purchase_id, kfm_checkout *checkout)
{
    apr_pool_t *p = kr->r->pool;
    apr_status_t made = kfm_payment_checkout_make(kr, checkout);
    if (made == APR_SUCCESS) {
        return kf_json_own(p, kf_payment_checkout_view(p, checkout->prov->name,
                                                       checkout->session.url, &checkout->co));
    }
    if (made != APR_ENOENT) {
        kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return NULL;
    }
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    const kf_payment_plan failed = {.step = KF_PAYMENT_STEP_DECLINE, .reason = "checkout_failed"};
    const char *result = NULL;
    kfm_tx tx;
    if (kfm_db_begin(kr->r, kr->db, &tx) != APR_SUCCESS ||
        kfm_payment_checkout_abandon(kr, kr->db, checkout) != APR_SUCCESS ||
        kfm_purchase_payment_settled(&c, kr->db, NULL, purchase_id, &failed, &result) ||
        kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(kr->r, &tx);
        kfm_log(kr, APLOG_ERR, "purchase %s: no checkout and it could not be failed; its "
                "payment window will run out", purchase_id);
        kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        return NULL;
    }
    kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error");
    return NULL;
}

int kfm_handle_public_purchase_create(kfm_req *kr)
{
    request_rec *r = kr->r;
    json_t *body = kr->body;   /* and a connection it gives back while the payment provider
                                  makes the checkout: the endpoint's row */
    const char *subdomain = NULL;
    if (!kfm_public_host(kr, &subdomain)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    kf_purchase_ask ask;
    kf_purchase_ask_read(&f, body, &ask);
    json_t *fields = kf_fields_take(&f);
    /* the link's tenant decides the phone rule: look the offer up (read only) first */
    const char *v[OFFER_COLUMNS] = {0};
    if (ask.link && ask.package) {
        const char *args[] = {ask.link, subdomain, ask.package};
        if (kfm_db_select_row(r, kr->db, r->pool, "kf_pur_offer", 3, args, v, OFFER_COLUMNS) !=
            APR_SUCCESS) {
            json_decref(fields);
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    const char *name = NULL, *email = NULL, *phone = NULL;
    kfm_public_check_customer(kr, body, v[OFFER_COUNTRY], 1, fields, &name, &email, &phone);
    if (json_object_size(fields) > 0) {
        return kfm_reply_fields(kr, fields);
    }
    json_decref(fields);
    if (strcmp(v[OFFER_STATUS], "ok") != 0) {
        return kfm_reply_error(kr, kf_api_public_status(v[OFFER_STATUS]), v[OFFER_STATUS]);
    }
    /* the purchase's metadata over its link's */
    const char *metadata = NULL;
    kf_metadata_problem why;
    if (!kf_metadata_merge(r->pool, v[OFFER_LINK_METADATA], ask.metadata, &metadata, &why)) {
        kf_fields_init(&f, r->pool, kr->locale);
        kf_fields_fail(&f, why.field, why.message_id);
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }

    const char *token = kf_random_token(r->pool, 32);
    kfm_tx tx;
    if (!token || kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    int window = kfm_payments_conf_payment_window(kfm_payments_conf_of(r->server));
    const char *iargs[] = {v[OFFER_LINK], kf_sha256_hex(r->pool, token, strlen(token)), name,
                           email, phone, apr_itoa(r->pool, window), metadata,
                           v[OFFER_PACKAGE]};
    const char *made[KF_PUR_NEW_COL_COUNT];
    apr_status_t inserted = kfm_db_select_row(r, kr->db, r->pool, "kf_pur_insert", 8, iargs, made,
                                              KF_PUR_NEW_COL_COUNT);
    if (inserted == APR_NOTFOUND) {   /* archived meanwhile */
        return kfm_rollback_and_reply(kr, &tx, HTTP_NOT_FOUND, "package_not_found");
    }
    if (inserted != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *id = made[KF_PUR_NEW_COL_ID];
    /* the token sealed for the mail sent once paid (only its hash is the check) */
    const char *sealed = kf_seal(r->pool, kr->conf->keyring, token, strlen(token),
                                 kf_purchase_token_aad(r->pool, id));
    const char *sargs[] = {sealed, id};
    if (!sealed || kfm_db_exec(r, kr->db, "kf_pur_seal", NULL, 2, sargs) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    /* its payment, through the tenant's provider, exactly like a booking's */
    kf_payment_start in = {0};
    kf_purchase_payment_of(made, &in);
    in.tenant_id = v[OFFER_TENANT];
    in.customer_name = name;
    in.customer_email = email;
    in.customer_phone = phone;
    in.redirect_url = kf_purchase_page_url(r->pool, kfm_conf_public_url(kr->conf), id, token);
    in.description = v[OFFER_NAME];
    /* committed with its payment first; the checkout is asked for after (see make_checkout) */
    kfm_checkout checkout;
    apr_status_t rv = kfm_payment_checkout_prepare(kr, kr->db, &in, &checkout);
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return rv == APR_ENOENT ? kfm_reply_error(kr, HTTP_BAD_GATEWAY, "provider_error")
                                : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    json_t *payment = make_checkout(kr, id, &checkout);
    if (!payment) {
        return OK;    /* answered */
    }
    json_t *purchase = kf_purchase_created_view(made, token, payment, in.redirect_url);
    return kfm_reply_json(kr, HTTP_CREATED, json_pack("{s:o}", "purchase", purchase));
}

/* ---------------------------------------------------------------- GET /api/public/purchases/{id} */

static int read_status(kfm_req *kr, const char *const *args, const char **v)
{
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_pur_status", 4, args, v,
                                        KF_PUR_COL_COUNT);
    return rv == APR_SUCCESS ? 1 : rv == APR_NOTFOUND ? 0 : -1;
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
        const char *v[KF_PUR_BOOKING_COL_COUNT];
        kfm_db_row(kr->db, kr->r->pool, res, i, v, KF_PUR_BOOKING_COL_COUNT);
        /* a booking's state is the bookings' to tell */
        int state = kf_res_state_parse(v[KF_PUR_BOOKING_COL_STATUS]);
        const char *seen = state < 0 ? v[KF_PUR_BOOKING_COL_STATUS]
            : kf_res_state_name(kf_res_state_seen((kf_res_state)state,
                                                  strcmp(v[KF_PUR_BOOKING_COL_DUE], "t") == 0));
        json_array_append_new(list, kf_purchase_booking_view(v, seen));
    }
    return list;
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
    const char *v[KF_PUR_COL_COUNT];
    int found = read_status(kr, sargs, v);
    if (found < 0) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!found) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "purchase_not_found");
    }
    /* back from the checkout (Wompi's ?id=, the others' ?return=1): ask the provider with
     * the merchant's key now, as the booking status does, then answer with what changed */
    if (kf_payment_back_from_checkout(apr_table_get(q, "id"), apr_table_get(q, "return")) &&
        kf_purchase_awaits_approval(v)) {
        if (!kfm_payment_check_return_purchase(kr, v[KF_PUR_COL_ID])) {
            return kfm_reply_db_unavailable(kr, KFM_DB_DOWN);
        }
        if (read_status(kr, sargs, v) != 1) {
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    json_t *bookings = bookings_json(kr, v[KF_PUR_COL_ID]);
    if (!bookings) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, kf_purchase_page_view(v, bookings));
}
