/* Merchant callbacks, the queue: a booking's or purchase's callback body as the database
 * has it now, signed, and put in the outbox in the caller's transaction. See
 * mod_kf_callback_queue.h; delivery is mod_kf_callbacks.c. */
#include "mod_kf_callback_queue.h"
#include "mod_kf_callbacks_feature.h"
#include "kf_callback.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_tenant_rules.h"
#include "kf_text.h"
#include "kf_time.h"
#include "kf_version.h"

#include <apr_strings.h>

/* Columns of kf_cb_booking, kf_cb_claim, kf_cb_of_booking and kf_cb_attempts_of. */
enum { BK_TENANT, BK_ID, BK_SERVICE_ID, BK_SERVICE_NAME, BK_DURATION, BK_CHARGE_TYPE, BK_PRICE,
       BK_CHARGED, BK_PROFESSIONAL_ID, BK_PROFESSIONAL_NAME, BK_START, BK_END, BK_TIMEZONE,
       BK_CUSTOMER_NAME, BK_CUSTOMER_EMAIL, BK_CUSTOMER_PHONE, BK_ACCEPTED_TERMS, BK_PROVIDER,
       BK_REFERENCE, BK_AMOUNT, BK_CURRENCY, BK_TIMESTAMP, BK_SECRET_SEALED, BK_MODE,
       BK_PURCHASE, BK_PKG_SESSIONS, BK_PKG_USED, BK_REFUND_AMOUNT, BK_REFUND_STATUS,
       BK_REFUND_DONE, BK_CANCELLED_BY, BK_CANCEL_REASON, BK_PREVIOUS_START, BK_PREVIOUS_END,
       BK_LOCATION_TYPE, BK_LOCATION_VALUE, BK_VIDEO_URL, BK_TAKEN };
/* packages: columns of kf_cb_purchase */
enum { PU_TENANT, PU_ID, PU_PACKAGE, PU_PACKAGE_NAME, PU_SESSIONS, PU_VALID_DAYS, PU_PRICE,
       PU_SERVICE, PU_SERVICE_NAME, PU_DURATION, PU_PAID_AT, PU_EXPIRES, PU_CUSTOMER_NAME,
       PU_CUSTOMER_EMAIL, PU_CUSTOMER_PHONE, PU_PROVIDER, PU_REFERENCE, PU_AMOUNT, PU_CURRENCY,
       PU_MODE, PU_TIMESTAMP, PU_SECRET_SEALED, PU_COLUMNS };

const kfm_sql kfm_callback_queue_sql[] = {
    {"kf_cb_booking", KFM_CB_BOOKING_SELECT},
    /* packages: what purchase.paid tells (the purchase's approved payment) */
    {"kf_cb_purchase",
     "SELECT pu.tenant_id, pu.id, k.id, k.name, pu.sessions_total, pu.valid_days, pu.amount,"
     " s.id, s.name, s.duration_minutes, " KFM_SQL_RFC3339("pu.paid_at") ","
     " " KFM_SQL_RFC3339("pu.expires_at") ", pu.customer_name, pu.customer_email, pu.customer_phone,"
     " p.provider, p.reference, p.amount, p.currency, p.mode, " KFM_SQL_RFC3339("now()") ","
     " t.callback_secret_sealed"
     " FROM purchases pu JOIN packages k ON k.id = pu.package_id"
     " JOIN services s ON s.id = pu.service_id JOIN tenants t ON t.id = pu.tenant_id"
     " JOIN LATERAL (SELECT provider, reference, amount, currency, mode FROM payments"
     "   WHERE purchase_id = pu.id AND status = 'approved'"
     "   ORDER BY approved_at DESC LIMIT 1) p ON true"
     " WHERE pu.id = %s::uuid"},
    {"kf_cb_insert_purchase",
     "INSERT INTO merchant_callbacks (tenant_id, purchase_id, body, event)"
     " VALUES (%s::uuid, %s::uuid, %s, 'purchase.paid') ON CONFLICT (purchase_id, event) DO NOTHING"},
    {"kf_cb_insert",
     "INSERT INTO merchant_callbacks (tenant_id, reservation_id, body, event)"
     " VALUES (%s::uuid, %s::uuid, %s, %s)"
     " ON CONFLICT (reservation_id, event) WHERE event <> 'booking.rescheduled' DO NOTHING"},
    {NULL, NULL},
};

/* The tenant's callback secret, or NULL when none is set (or it does not open: logged). */
const char *kfm_callback_secret(const kfm_ctx *c, const char *tenant_id, const char *sealed)
{
    if (!sealed || !*sealed) {
        return NULL;
    }
    char *plain = NULL;
    apr_size_t len = 0;
    apr_status_t rv = kf_open(c->p, kfm_conf_get(c->s)->keyring, sealed,
                              kf_callback_secret_aad(c->p, tenant_id), &plain, &len);
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING,
                      "the callback secret of tenant %s does not open: %s", tenant_id,
                      kf_crypto_strerror(rv));
        return NULL;
    }
    return plain;
}

_Static_assert(BK_TAKEN + 1 == KFM_CB_BOOKING_COLUMNS, "kf_cb_booking's columns");

/* The signed body of a booking's callback from its facts: kf_cb_booking's columns in row 0
 * of `res`, from column `first` on. */
static apr_status_t body_of(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *res, int first,
                            const char *res_id, const char *event, const char **tenant_id,
                            const char **body)
{
    apr_pool_t *p = c->p;
    if (kfm_db_rows(db, res) < 1) {
        KFM_CTX_LOG(c, APLOG_ERR, "callback for unknown booking %s", res_id);
        return APR_EGENERAL;
    }
#define V(col) kfm_db_value(db, p, res, 0, first + (col))
    kf_callback_booking b;
    memset(&b, 0, sizeof(b));
    b.tenant_id = V(BK_TENANT);
    b.booking_id = V(BK_ID);
    b.service_id = V(BK_SERVICE_ID);
    b.service_name = V(BK_SERVICE_NAME);
    b.duration_min = atoi(V(BK_DURATION));
    b.charge_type = V(BK_CHARGE_TYPE);
    b.price = apr_atoi64(V(BK_PRICE));
    b.charged = apr_atoi64(V(BK_CHARGED));
    b.professional_id = V(BK_PROFESSIONAL_ID);
    b.professional_name = V(BK_PROFESSIONAL_NAME);
    b.start = V(BK_START);
    b.end = V(BK_END);
    b.timezone = V(BK_TIMEZONE);
    b.customer_name = V(BK_CUSTOMER_NAME);
    b.customer_email = V(BK_CUSTOMER_EMAIL);
    b.customer_phone = V(BK_CUSTOMER_PHONE);
    b.accepted_terms = strcmp(V(BK_ACCEPTED_TERMS), "t") == 0;
    b.provider = V(BK_PROVIDER);          /* NULL: free booking */
    b.reference = V(BK_REFERENCE);
    b.amount = b.provider ? apr_atoi64(V(BK_AMOUNT)) : 0;
    b.currency = V(BK_CURRENCY);
    b.timestamp = V(BK_TIMESTAMP);
    const char *secret = kfm_callback_secret(c, b.tenant_id, V(BK_SECRET_SEALED));
    b.event = event;
    b.test_mode = strcmp(V(BK_MODE), "test") == 0;
    b.purchase_id = V(BK_PURCHASE);          /* packages: NULL unless a purchase's session */
    b.package_sessions = b.purchase_id ? atoi(V(BK_PKG_SESSIONS)) : 0;
    b.package_sessions_used = b.purchase_id ? atoi(V(BK_PKG_USED)) : 0;
    const char *refund_amount = V(BK_REFUND_AMOUNT);
    b.refund_amount = refund_amount ? apr_atoi64(refund_amount) : 0;
    b.refund_status = V(BK_REFUND_STATUS);
    /* all returned means everything taken (the extra of a payment made twice too) */
    apr_int64_t taken = V(BK_TAKEN) ? apr_atoi64(V(BK_TAKEN)) : 0;
    b.money_state = kf_callback_money_state(b.provider != NULL, taken > b.amount ? taken : b.amount,
                                            b.refund_amount,
                                            b.refund_status, strcmp(V(BK_REFUND_DONE), "t") == 0);
    b.cancelled_by = V(BK_CANCELLED_BY);
    b.cancel_reason = V(BK_CANCEL_REASON);
    b.previous_start = V(BK_PREVIOUS_START);
    b.previous_end = V(BK_PREVIOUS_END);
    kf_location location = kf_location_resolve(kf_location_type_parse(V(BK_LOCATION_TYPE)),
                                               V(BK_LOCATION_VALUE), V(BK_VIDEO_URL));
    b.location = &location;
#undef V
    *tenant_id = b.tenant_id;
    *body = kf_callback_body(p, &b, secret);
    if (!*body) {
        KFM_CTX_LOG(c, APLOG_ERR, "callback body of booking %s cannot be built", res_id);
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t kfm_callback_booking_body(const kfm_ctx *c, ap_dbd_t *db, const char *res_id,
                               const char *event, const char **tenant_id, const char **body)
{
    kfm_rows *res = NULL;
    const char *args[] = {res_id};
    if (kfm_db_select(c->r, db, "kf_cb_booking", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return body_of(c, db, res, 0, res_id, event, tenant_id, body);
}

static apr_status_t queue_body(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                               const char *event, const char *tenant_id, const char *body)
{
    const char *args[] = {tenant_id, reservation_id, body, event};
    return kfm_db_exec(c->r, db, "kf_cb_insert", NULL, 4, args);
}

apr_status_t kfm_callback_queue_event(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                     const char *event)
{
    const char *tenant_id = NULL, *body = NULL;
    apr_status_t rv = kfm_callback_booking_body(c, db, reservation_id, event, &tenant_id, &body);
    return rv == APR_SUCCESS ? queue_body(c, db, reservation_id, event, tenant_id, body) : rv;
}

apr_status_t kfm_callback_queue_from(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *facts, int first,
                                    const char *reservation_id, const char *event)
{
    const char *tenant_id = NULL, *body = NULL;
    apr_status_t rv = body_of(c, db, facts, first, reservation_id, event, &tenant_id, &body);
    return rv == APR_SUCCESS ? queue_body(c, db, reservation_id, event, tenant_id, body) : rv;
}

apr_status_t kfm_callback_queue_purchase(const kfm_ctx *c, ap_dbd_t *db, const char *purchase_id)
{
    kfm_rows *res = NULL;
    const char *args[] = {purchase_id};
    if (kfm_db_select(c->r, db, "kf_cb_purchase", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_rows(db, res) != 1) {
        KFM_CTX_LOG(c, APLOG_ERR, "purchase.paid for purchase %s without an approved payment",
                   purchase_id);
        return APR_EGENERAL;
    }
    const char *v[PU_COLUMNS];
    kfm_db_row(db, c->p, res, 0, v, PU_COLUMNS);
    kf_callback_purchase b;
    memset(&b, 0, sizeof(b));
    b.tenant_id = v[PU_TENANT];
    b.purchase_id = v[PU_ID];
    b.package_id = v[PU_PACKAGE];
    b.package_name = v[PU_PACKAGE_NAME];
    b.sessions = atoi(v[PU_SESSIONS]);
    b.valid_days = atoi(v[PU_VALID_DAYS]);
    b.price = apr_atoi64(v[PU_PRICE]);
    b.service_id = v[PU_SERVICE];
    b.service_name = v[PU_SERVICE_NAME];
    b.duration_min = atoi(v[PU_DURATION]);
    b.paid_at = v[PU_PAID_AT];
    b.expires_at = v[PU_EXPIRES];
    b.customer_name = v[PU_CUSTOMER_NAME];
    b.customer_email = v[PU_CUSTOMER_EMAIL];
    b.customer_phone = v[PU_CUSTOMER_PHONE];
    b.accepted_terms = 1;           /* a purchase is only made with the terms accepted */
    b.provider = v[PU_PROVIDER];
    b.reference = v[PU_REFERENCE];
    b.amount = apr_atoi64(v[PU_AMOUNT]);
    b.currency = v[PU_CURRENCY];
    b.test_mode = strcmp(v[PU_MODE], "test") == 0;
    b.timestamp = v[PU_TIMESTAMP];
    const char *body = kf_callback_purchase_body(
        c->p, &b, kfm_callback_secret(c, b.tenant_id, v[PU_SECRET_SEALED]));
    if (!body) {
        KFM_CTX_LOG(c, APLOG_ERR, "purchase.paid body of purchase %s cannot be built", purchase_id);
        return APR_EGENERAL;
    }
    const char *iargs[] = {b.tenant_id, purchase_id, body};
    return kfm_db_exec(c->r, db, "kf_cb_insert_purchase", NULL, 3, iargs);
}
