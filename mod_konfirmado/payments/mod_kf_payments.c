/* Payments glue: see mod_kf_payments.h. Webhook handler: POST /api/webhooks/wompi. */
#include "mod_kf_payments.h"
#include "mod_kf_provider_http.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_sql.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_booking_mail.h"
#include "mod_kf_payments_feature.h"
#include "mod_kf_purchase_life.h"
#include "mod_kf_ratelimit.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_reservation.h"
#include "kf_tenant_rules.h"
#include "kf_url.h"

#include <apr_strings.h>

/* Event results stored in payment_events.result. */
#define RESULT_PAID "paid"
#define RESULT_FAILED "failed"
#define RESULT_UNCHANGED "unchanged"
#define RESULT_REPAID "reserved_again"
#define RESULT_SLOT_LOST "slot_lost"
#define RESULT_MISMATCH "amount_mismatch"
#define RESULT_REFUNDED "refunded"
#define RESULT_DISPUTED "disputed"

/* payments asked about per run of the reconciliation job */
#define RECONCILE_PER_RUN 20

/* Columns of kf_payment_account, kf_payment_by_reference, kf_payment_reconcile_claim, kf_payment_lock,
 * kf_payment_of_reservation, kf_payment_booking_ctx, kf_payment_status_of,
 * kf_payment_admin_list and kf_payment_admin_events. */
enum { LOCK_PAY_ID, LOCK_PAY_STATUS, LOCK_PAY_AMOUNT, LOCK_PAY_CURRENCY, LOCK_PAY_TXID,
       LOCK_RES_ID, LOCK_RES_STATUS, LOCK_TENANT, LOCK_PROVIDER, LOCK_EVENT_SEEN,
       LOCK_PURCHASE };
enum { ACCOUNT_MODE, ACCOUNT_PUBLIC_KEY, ACCOUNT_SECRETS };
enum { REF_PAY_ID, REF_TENANT, REF_PROVIDER, REF_MODE, REF_PUBLIC_KEY, REF_SECRETS,
       REF_CHECKOUT_ID, REF_REFERENCE, REF_TXID };
enum { CLAIM_PAY_ID, CLAIM_REFERENCE, CLAIM_TENANT, CLAIM_PROVIDER, CLAIM_CHECKOUT_ID };
enum { OF_RES_ID, OF_RES_REFERENCE, OF_RES_TENANT, OF_RES_PROVIDER, OF_RES_STATUS,
       OF_RES_CHECKOUT_ID };
enum { TP_PROVIDER, TP_SERVICE_NAME };
enum { CTX_TENANT, CTX_LINK_SLUG, CTX_EXPIRES };
enum { STATUS_OF_PROVIDER, STATUS_OF_STATUS, STATUS_OF_REFERENCE, STATUS_OF_AMOUNT,
       STATUS_OF_CURRENCY };
enum { ADMIN_ID, ADMIN_PROVIDER, ADMIN_MODE, ADMIN_REFERENCE, ADMIN_AMOUNT, ADMIN_CURRENCY,
       ADMIN_STATUS, ADMIN_TXID, ADMIN_REFUND_NEEDED, ADMIN_MISMATCH, ADMIN_FLAG_REASON,
       ADMIN_CREATED, ADMIN_APPROVED, ADMIN_REFUND_STATUS, ADMIN_REFUND_AMOUNT,
       ADMIN_REFUND_REQUESTED_AT, ADMIN_REFUNDED_AT, ADMIN_REFUND_NOTE, ADMIN_REFUND_ERROR,
       ADMIN_DISPUTE_ID, ADMIN_DISPUTE_AMOUNT, ADMIN_DISPUTE_REASON, ADMIN_DISPUTED_AT,
       ADMIN_DISPUTE_STATUS, ADMIN_DISPUTE_UPDATED_AT };
enum { TXS_ID, TXS_AMOUNT, TXS_APPROVED, TXS_REFUNDED };
enum { EVENT_SOURCE, EVENT_TXID, EVENT_STATUS, EVENT_AMOUNT, EVENT_CURRENCY, EVENT_RESULT,
       EVENT_RECEIVED };

const kfm_sql kfm_payments_sql[] = {
    {"kf_payment_account",
     "SELECT mode, public_key, secrets_sealed FROM tenant_payment_settings"
     " WHERE tenant_id = %s::uuid AND provider = %s"},
    {"kf_payment_booking_ctx",
     "SELECT r.tenant_id, l.slug, extract(epoch FROM r.expires_at)::bigint"
     " FROM reservations r LEFT JOIN booking_links l ON l.id = r.link_id WHERE r.id = %s::uuid"},
    /* the payment of a reference (or of the provider's id of its checkout or transaction: a
     * refund made in the provider's dashboard may name only those), with its tenant's account
     * for that provider */
    {"kf_payment_by_reference",
     /* each way of naming the payment is its own index probe (an OR across them, or with
      * the transactions' table, reads every payment); the reference's own match first */
     "SELECT p.id, p.tenant_id, p.provider, s.mode, s.public_key, s.secrets_sealed,"
     " p.provider_checkout_id, p.reference, p.provider_transaction_id"
     " FROM (SELECT id, 0 AS rank FROM payments WHERE reference = %s"
     "   UNION ALL SELECT id, 1 FROM payments WHERE provider = %s AND provider_checkout_id = %s"
     "   UNION ALL SELECT id, 1 FROM payments WHERE provider = %s AND provider_transaction_id = %s"
     "   UNION ALL SELECT payment_id, 1 FROM payment_transactions"
     "     WHERE provider = %s AND transaction_id = %s) m"
     " JOIN payments p ON p.id = m.id LEFT JOIN tenant_payment_settings s"
     "   ON s.tenant_id = p.tenant_id AND s.provider = p.provider"
     " ORDER BY m.rank LIMIT 1"},
    {"kf_payment_insert",
     /* the payment of a reservation, or (packages) of a purchase: the other id is NULL. Its
      * first reconciliation is due after KonfirmadoReconcileDelay (last argument): until then
      * the reconciliation claim's index range does not reach it. */
     "INSERT INTO payments (tenant_id, reservation_id, provider, mode, reference, amount,"
     " currency, checkout_url, expires_at, provider_checkout_id, purchase_id, reconcile_next_at)"
     " VALUES (%s::uuid, %s::uuid, %s, %s, %s, %s::bigint, %s, %s, to_timestamp(%s::bigint), %s,"
     " %s::uuid, now() + make_interval(secs => %s::int))"},
    /* the provider a tenant takes payments with, and what its checkout shows (no
     * reservation for a purchase: the caller names what is paid) */
    {"kf_payment_tenant_provider",
     "SELECT t.payment_provider, s.name FROM (SELECT %s::uuid AS tenant, %s::uuid AS res) a"
     " JOIN tenants t ON t.id = a.tenant"
     " LEFT JOIN reservations r ON r.id = a.res AND r.tenant_id = t.id"
     " LEFT JOIN services s ON s.id = r.service_id"},
    /* url, the provider's id of it, reference: the checkout made after the payment's commit */
    {"kf_payment_checkout_record",
     "UPDATE payments SET checkout_url = %s, provider_checkout_id = %s, updated_at = now()"
     " WHERE reference = %s AND status = 'pending' AND checkout_url IS NULL"},
    /* reference: the provider made no checkout for it; nothing can pay it */
    {"kf_payment_checkout_abandon",
     "UPDATE payments SET status = 'error', flag_reason = 'checkout_failed', updated_at = now(),"
     " reconcile_next_at = 'infinity' WHERE reference = %s AND status = 'pending'"},
    {"kf_payment_funnel",
     "INSERT INTO funnel_events (tenant_id, link_id, reservation_id, event, visit_id)"
     " SELECT tenant_id, link_id, id, %s, visit_id FROM reservations WHERE id = %s::uuid"},
    /* the payment and its reservation, locked: events of one payment apply one at a time.
     * A purchase's payment (packages) has no reservation: its purchase id comes last and
     * the purchase is locked by its own code (mod_kf_purchases.c). */
    {"kf_payment_lock",
     "SELECT p.id, p.status, p.amount, p.currency, p.provider_transaction_id, r.id, r.status,"
     " p.tenant_id, p.provider, EXISTS (SELECT 1 FROM payment_events e"
     "   WHERE e.provider = p.provider AND e.event_key = %s), p.purchase_id"
     " FROM payments p LEFT JOIN LATERAL (SELECT id, status FROM reservations"
     "   WHERE id = p.reservation_id FOR UPDATE) r ON true"
     " WHERE p.id = %s::uuid FOR UPDATE OF p"},
    /* No ON CONFLICT: the lock above saw no such event, and events of one payment wait for
     * each other on it, so a conflict (a bug) fails the transaction's commit: nothing applies
     * and the provider sends the event again. */
    {"kf_payment_event_insert",
     "INSERT INTO payment_events (provider, event_key, tenant_id, payment_id, source,"
     " transaction_id, status, amount, currency, raw_body, result, processing_us)"
     " VALUES (%s, %s, %s::uuid, %s::uuid, %s, %s, %s, %s::bigint, %s, %s, %s, %s::int)"},
    {"kf_payment_set_status",
     "UPDATE payments SET status = %s, provider_transaction_id = COALESCE(%s, provider_transaction_id),"
     " approved_at = CASE WHEN %s = 'approved' THEN now() ELSE approved_at END, updated_at = now()"
     " WHERE id = %s::uuid"},
    /* dispute id, amount, reason, state, id: a dispute the provider reports. The first
     * dispute of a payment stays; only its own events move its state, and a final state
     * (won, lost, closed) is never reopened by an event that arrives late. */
    {"kf_payment_disputed",
     "WITH d AS (SELECT %s::text AS id, %s::bigint AS amount, %s::text AS reason,"
     "   %s::text AS state)"
     " UPDATE payments SET dispute_id = coalesce(dispute_id, d.id),"
     " dispute_amount = coalesce(dispute_amount, d.amount),"
     " dispute_reason = coalesce(dispute_reason, d.reason),"
     " disputed_at = coalesce(disputed_at, now()),"
     " dispute_status = CASE WHEN coalesce(dispute_id, d.id) <> d.id"
     "   OR dispute_status IN ('won', 'lost', 'closed') THEN dispute_status ELSE d.state END,"
     " dispute_updated_at = CASE WHEN coalesce(dispute_id, d.id) <> d.id"
     "   OR dispute_status IN ('won', 'lost', 'closed')"
     "   OR dispute_status IS NOT DISTINCT FROM d.state THEN dispute_updated_at ELSE now() END,"
     " updated_at = now() FROM d WHERE payments.id = %s::uuid"},
    /* every approved transaction of a payment, once (payment id, transaction id, amount,
     * currency): a repeat of the same approval adds nothing */
    {"kf_payment_tx_approved",
     "INSERT INTO payment_transactions (payment_id, tenant_id, provider, transaction_id,"
     " amount, currency) SELECT id, tenant_id, provider, %s, %s::bigint, %s FROM payments"
     " WHERE id = %s::uuid ON CONFLICT (payment_id, transaction_id) DO NOTHING"},
    /* payment id, transaction id (NULL: the payment's last), refunded so far, refund id: a
     * refund the provider reports, on its transaction; then what the payment's transactions
     * took, what they gave back (this event counted), and whether the event's transaction is
     * one of them */
    {"kf_payment_tx_refunded",
     "WITH up AS (UPDATE payment_transactions t"
     "   SET refunded_amount = greatest(t.refunded_amount, least(t.amount, %s::bigint)),"
     "   refund_provider_id = coalesce(t.refund_provider_id, %s),"
     "   refunded_at = coalesce(t.refunded_at, now()),"
     "   refund_status = CASE WHEN t.refund_status = 'pending' AND"
     "     greatest(t.refunded_amount, least(t.amount, %s::bigint)) >= t.refund_target"
     "     THEN 'succeeded' ELSE t.refund_status END"
     "   FROM payments p WHERE p.id = t.payment_id AND t.payment_id = %s::uuid"
     "   AND t.transaction_id = coalesce(%s, p.provider_transaction_id)"
     "   RETURNING t.id, t.refunded_amount, t.refund_status)"
     " SELECT coalesce(sum(t.amount), 0), coalesce(sum(coalesce(up.refunded_amount,"
     "   t.refunded_amount)), 0), count(up.id), count(t.id),"
     "   count(*) FILTER (WHERE coalesce(up.refund_status, t.refund_status) = 'pending')"
     " FROM payment_transactions t LEFT JOIN up ON up.id = t.id WHERE t.payment_id = %s::uuid"},
    /* given back in all, refund id, pending shares left, id: a refund the provider reports
     * (whoever asked for it: the refund job, or the merchant in the provider's dashboard).
     * While shares of the payment's refund still wait for the job, the refund stays pending. */
    {"kf_payment_refunded",
     "UPDATE payments SET refund_status = CASE WHEN %s::int > 0 THEN refund_status"
     "   ELSE 'succeeded' END,"
     " refunded_at = CASE WHEN %s::int > 0 THEN refunded_at ELSE coalesce(refunded_at, now()) END,"
     " refund_amount = greatest(coalesce(refund_amount, 0), %s::bigint),"
     " refund_provider_id = coalesce(refund_provider_id, %s),"
     " refund_note = coalesce(refund_note, CASE WHEN refund_requested_at IS NULL"
     "   THEN 'refunded at the provider' END),"
     " refund_needed = refund_needed AND %s::int > 0, refund_error = NULL,"
     " refund_next_at = CASE WHEN %s::int > 0 THEN refund_next_at END, updated_at = now()"
     " WHERE id = %s::uuid"},
    {"kf_payment_flag",
     "UPDATE payments SET mismatch = mismatch OR %s::boolean,"
     " refund_needed = refund_needed OR %s::boolean, flag_reason = %s, updated_at = now()"
     " WHERE id = %s::uuid"},
    /* Late approval: stale holds and unpaid bookings overlapping the slot are expired first
     * (as booking creation does), then the slot is taken again only if nothing active
     * overlaps. The exclusion constraint stays the final judge: a hold slipping in between
     * makes the move fail, the transaction roll back and the event come again. */
    {"kf_payment_res_expire_stale",
     "SELECT kf_expire_due(professional_id, blocked, NULL) FROM reservations WHERE id = %s::uuid"},
    /* late approval: does anything active overlap the booking's slot now? */
    {"kf_payment_res_slot_free",
     "SELECT NOT EXISTS (SELECT 1 FROM reservations o JOIN reservations r ON r.id = %s::uuid"
     "   WHERE o.professional_id = r.professional_id AND o.id <> r.id AND o.blocked && r.blocked"
     "   AND o.status IN " KFM_SQL_ACTIVE_STATES ")"},
    {"kf_payment_of_reservation",
     "SELECT p.id, p.reference, p.tenant_id, p.provider, p.status, p.provider_checkout_id"
     " FROM payments p"
     " WHERE p.reservation_id = %s::uuid ORDER BY p.created_at DESC LIMIT 1"},
    {"kf_payment_of_purchase",
     "SELECT p.id, p.reference, p.tenant_id, p.provider, p.status, p.provider_checkout_id"
     " FROM payments p"
     " WHERE p.purchase_id = %s::uuid ORDER BY p.created_at DESC LIMIT 1"},
    /* Pending payments whose webhook is late (delay seconds after checkout), until the
     * payment window plus 24 h; each claimed with a lease that is also its backoff (delay,
     * doubling, at most an hour), so several servers never ask twice at once. A payment past
     * those 24 h (an abandoned checkout stays pending) is retired from the due range for good
     * instead of being read again by every claim, and not returned. */
    {"kf_payment_reconcile_claim",
     "WITH due AS (SELECT id, now() < COALESCE(expires_at, created_at) + interval '24 hours' AS live"
     "   FROM payments WHERE status = 'pending' AND reconcile_next_at <= now()"
     "   AND created_at <= now() - make_interval(secs => %s::int)"
     "   ORDER BY reconcile_next_at LIMIT %s::int FOR UPDATE SKIP LOCKED),"
     " claimed AS (UPDATE payments p"
     "   SET reconcile_attempts = p.reconcile_attempts + due.live::int,"
     "   reconcile_next_at = CASE WHEN due.live THEN now() + LEAST(interval '1 hour',"
     "     make_interval(secs => %s::int * power(2, LEAST(p.reconcile_attempts, 12))))"
     "     ELSE 'infinity' END"
     "   FROM due WHERE p.id = due.id"
     "   RETURNING p.id, p.reference, p.tenant_id, p.provider, p.provider_checkout_id, due.live)"
     " SELECT id, reference, tenant_id, provider, provider_checkout_id FROM claimed WHERE live"},
    {"kf_payment_status_of",
     "SELECT provider, status, reference, amount, currency FROM payments"
     " WHERE reservation_id = %s::uuid ORDER BY created_at DESC LIMIT 1"},
    {"kf_payment_admin_list",
     "SELECT p.id, p.provider, p.mode, p.reference, p.amount, p.currency, p.status,"
     " p.provider_transaction_id, p.refund_needed, p.mismatch, p.flag_reason,"
     " " KFM_SQL_RFC3339("p.created_at") ","
     " " KFM_SQL_RFC3339("p.approved_at") ","
     " p.refund_status, p.refund_amount, " KFM_SQL_RFC3339("p.refund_requested_at") ","
     " " KFM_SQL_RFC3339("p.refunded_at") ", p.refund_note, p.refund_error,"
     " p.dispute_id, p.dispute_amount, p.dispute_reason, " KFM_SQL_RFC3339("p.disputed_at") ","
     " p.dispute_status, " KFM_SQL_RFC3339("p.dispute_updated_at")
     " FROM payments p WHERE p.reservation_id = %s::uuid AND p.tenant_id = %s::uuid"
     " ORDER BY p.created_at"},
    {"kf_payment_admin_transactions",
     "SELECT transaction_id, amount, " KFM_SQL_RFC3339("approved_at") ", refunded_amount"
     " FROM payment_transactions WHERE payment_id = %s::uuid ORDER BY approved_at, id"},
    {"kf_payment_admin_events",
     "SELECT source, transaction_id, status, amount, currency, result,"
     " " KFM_SQL_RFC3339("received_at")
     " FROM payment_events WHERE payment_id = %s::uuid ORDER BY id"},
    {NULL, NULL},
};

/* ---------------------------------------------------------------- accounts */

static kf_payment_token_cache *payment_tokens;

/* The sealed secrets of a provider account: a JSON object {"private_key", "events_secret",
 * "integrity_secret"} sealed by the tenant settings (PUT /api/admin/tenant/payments/wompi)
 * with aad kf_wompi_secrets_aad, "tenant:<id>:wompi"; later providers follow the pattern. */
static const char *account_aad(apr_pool_t *p, const char *tenant_id, const char *provider)
{
    return kf_provider_secrets_aad(p, tenant_id, provider);
}

static const char *json_str(const json_t *o, const char *key)
{
    const char *v = NULL;
    return kf_json_get_string(o, key, &v) == KF_JSON_FIELD_OK ? v : NULL;
}

static const kf_payment_account *open_account(const kfm_ctx *c, const char *tenant_id,
                                          const char *provider, const char *mode,
                                          const char *public_key, const char *sealed);

const kf_payment_account *kfm_payment_account_load(const kfm_ctx *c, ap_dbd_t *db, const char *tenant_id,
                                          const char *provider)
{
    kfm_rows *res = NULL;
    const char *args[] = {tenant_id, provider};
    if (kfm_db_select(c->r, db, "kf_payment_account", &res, 2, args) != APR_SUCCESS) {
        return NULL;
    }
    if (kfm_db_rows(db, res) < 1) {
        KFM_CTX_LOG(c, APLOG_INFO, "tenant %s has no %s account", tenant_id,
                      provider);
        return NULL;
    }
    return open_account(c, tenant_id, provider, kfm_db_value(db, c->p, res, 0, ACCOUNT_MODE),
                        kfm_db_value(db, c->p, res, 0, ACCOUNT_PUBLIC_KEY),
                        kfm_db_value(db, c->p, res, 0, ACCOUNT_SECRETS));
}

/* An account from its row: secrets opened (NULL, logged, when they do not open). */
static const kf_payment_account *open_account(const kfm_ctx *c, const char *tenant_id,
                                          const char *provider, const char *mode,
                                          const char *public_key, const char *sealed)
{
    const kfm_server_conf *conf = kfm_conf_get(c->s);
    if (!sealed) {
        return NULL;
    }
    kf_payment_account *acct = apr_pcalloc(c->p, sizeof(*acct));
    acct->mode = mode;
    acct->public_key = public_key;
    acct->tokens = payment_tokens;
    acct->now = apr_time_now();
    char *plain = NULL;
    apr_size_t len = 0;
    apr_status_t rv = kf_open(c->p, conf->keyring, sealed, account_aad(c->p, tenant_id, provider),
                              &plain, &len);
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the %s secrets of tenant %s do not open: %s",
                      provider, tenant_id, kf_crypto_strerror(rv));
        return NULL;
    }
    json_t *secrets = kf_json_parse_object(c->p, plain, len, NULL);
    if (!secrets) {
        KFM_CTX_LOG(c, APLOG_WARNING, "the %s secrets of tenant %s are not JSON",
                      provider, tenant_id);
        return NULL;
    }
    acct->private_key = json_str(secrets, "private_key");
    acct->events_secret = json_str(secrets, "events_secret");
    acct->integrity_secret = json_str(secrets, "integrity_secret");
    json_int_t until = 0;
    if (kf_json_get_int(secrets, "previous_events_secret_until", &until) == KF_JSON_FIELD_OK &&
        kf_events_secret_previous_valid(until, apr_time_sec(apr_time_now()))) {
        acct->previous_events_secret = json_str(secrets, "previous_events_secret");
    }
    return acct;
}

kf_payment_endpoints kfm_payment_endpoints_for(const kfm_ctx *c, const kf_payment_provider *prov,
                                      const kf_payment_account *acct)
{
    const kfm_server_conf *conf = kfm_conf_get(c->s);
    kf_payment_endpoints ep = prov->default_endpoints(acct->mode);
    int production = acct->mode && strcmp(acct->mode, "production") == 0;
    ep.api_base = kfm_conf_provider_url(conf, apr_pstrcat(c->p, prov->name,
                                                          production ? "-production" : "-sandbox",
                                                          NULL), ep.api_base);
    ep.checkout_base = kfm_conf_provider_url(conf, apr_pstrcat(c->p, prov->name, "-checkout", NULL),
                                            ep.checkout_base);
    return ep;
}

/* ---------------------------------------------------------------- checkout */

static const char *rfc3339(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;
    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const char *kfm_payment_redirect_url(kfm_req *kr, const char *link_slug, const char *booking_id,
                                    const char *booking_token)
{
    apr_pool_t *p = kr->r->pool;
    const char *base = kfm_conf_public_url(kr->conf);
    return apr_pstrcat(p, kf_url_trim_slash(p, base), "/book/", kf_url_encode(p, link_slug),
                       "/confirmation?booking=", kf_url_encode(p, booking_id), "&token=",
                       kf_url_encode(p, booking_token), NULL);
}

/* payment_tokens: Airwallex's login tokens (30 minutes each) kept per process, so that a
 * checkout does not log in every time; made in child_init, before any thread. */
void kfm_payment_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    payment_tokens = kf_payment_token_cache_create(pchild);
}

/* Where Mercado Pago posts its notices of this payment: the reference rides along in the
 * query (a hint naming whose secret verifies the notice, nothing more). */
static const char *notify_url(kfm_req *kr, const kf_payment_provider *prov, const char *reference)
{
    apr_pool_t *p = kr->r->pool;
    const char *base = kf_url_trim_slash(p, kfm_conf_public_url(kr->conf));
    return apr_pstrcat(p, base, "/api/webhooks/", prov->name, "?reference=",
                       kf_url_encode(p, reference), NULL);
}

apr_status_t kfm_payment_checkout_prepare(kfm_req *kr, ap_dbd_t *db, const kfm_payment_start *in,
                                         kfm_checkout *out)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    kfm_rows *res = NULL;
    memset(out, 0, sizeof(*out));
    const char *targs[] = {in->tenant_id, in->reservation_id};
    if (kfm_db_select(c->r, db, "kf_payment_tenant_provider", &res, 2, targs) != APR_SUCCESS ||
        kfm_db_rows(db, res) != 1) {
        return APR_EGENERAL;
    }
    const char *provider = kfm_db_value(db, c->p, res, 0, TP_PROVIDER);
    const char *service_name = kfm_db_value(db, c->p, res, 0, TP_SERVICE_NAME);
    const kf_payment_provider *prov = kf_payment_provider_find(provider);
    const kf_payment_account *acct =
        prov ? kfm_payment_account_load(c, db, in->tenant_id, prov->name) : NULL;
    if (!acct) {
        kfm_log(kr, APLOG_WARNING, "booking %s: tenant %s cannot take payments (no %s keys)",
               in->reservation_id, in->tenant_id, provider);
        return APR_ENOENT;
    }
    out->prov = prov;
    out->acct = acct;
    out->reservation_id = in->reservation_id;
    kf_payment_checkout *co = &out->co;
    co->reference = kf_payment_new_reference(c->p);
    if (!co->reference) {
        return APR_EGENERAL;
    }
    co->amount = in->amount;
    co->currency = in->currency;
    co->redirect_url = in->redirect_url
                           ? in->redirect_url   /* packages: the purchase's page */
                           : kfm_payment_redirect_url(kr, in->link_slug ? in->link_slug : "-",
                                                      in->reservation_id, in->booking_token);
    if (strcmp(prov->name, "wompi") != 0) {
        /* Wompi appends its transaction id; the others are told here that the customer is
         * back from their checkout, so that the status page asks them at once */
        co->redirect_url = apr_pstrcat(c->p, co->redirect_url, "&return=1", NULL);
    }
    co->notify_url = notify_url(kr, prov, co->reference);
    co->description = in->description ? in->description : service_name;
    /* whole seconds: the stored window end and the signed expiration-time agree */
    co->expires_at = apr_time_from_sec(apr_time_sec(in->expires_at));
    co->customer_email = in->customer_email;
    co->customer_name = in->customer_name;
    co->customer_phone = in->customer_phone;
    const char *args[] = {in->tenant_id, in->reservation_id, prov->name, acct->mode, co->reference,
                          apr_psprintf(c->p, "%" APR_INT64_T_FMT, co->amount), co->currency,
                          NULL,
                          apr_psprintf(c->p, "%" APR_TIME_T_FMT, apr_time_sec(co->expires_at)),
                          NULL, in->purchase_id,
                          apr_itoa(c->p, kfm_conf_reconcile_delay(kfm_conf_get(c->s)))};
    return kfm_db_exec(c->r, db, "kf_payment_insert", NULL, 12, args);
}

static apr_status_t checkout_record(kfm_req *kr, ap_dbd_t *db, const kfm_checkout *ck,
                                    json_t **payment)
{
    apr_pool_t *p = kr->r->pool;
    const char *args[] = {ck->session.url, ck->session.checkout_id, ck->co.reference};
    const char *fargs[] = {"payment_started", ck->reservation_id};
    int recorded = 0;
    if (kfm_db_exec(kr->r, db, "kf_payment_checkout_record", &recorded, 3, args) != APR_SUCCESS ||
        recorded != 1 ||
        (ck->reservation_id &&   /* the funnel counts bookings, not purchases */
         kfm_db_exec(kr->r, db, "kf_payment_funnel", NULL, 2, fargs) != APR_SUCCESS)) {
        return APR_EGENERAL;
    }
    json_t *out = kf_json_obj(p);
    kf_json_set_str(out, "provider", ck->prov->name);
    kf_json_set_str(out, "checkout_url", ck->session.url);
    kf_json_set_str(out, "reference", ck->co.reference);
    kf_json_set_str(out, "expires_at", rfc3339(p, ck->co.expires_at));
    *payment = out;
    return APR_SUCCESS;
}

apr_status_t kfm_payment_checkout_make(kfm_req *kr, kfm_checkout *ck, json_t **payment)
{
    kfm_ctx cx = kfm_ctx_of_request(kr->r);
    const kfm_ctx *c = &cx;
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, ck->prov, ck->acct);
    const char *why = NULL;
    kfm_req_db_give_back(kr);
    apr_status_t made = ck->prov->create_checkout(c->p, kfm_provider_http(c), &ep, ck->acct,
                                                  &ck->co, &ck->session, &why);
    if (made != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "no %s checkout for payment %s: %s", ck->prov->name,
               ck->co.reference, why ? why : "?");
    }
    if (!kfm_req_db_own(kr, NULL)) {
        kfm_log(kr, APLOG_ERR, "payment %s: what the provider answered cannot be recorded (no "
                "database); its window will run out", ck->co.reference);
        return APR_EGENERAL;
    }
    if (made != APR_SUCCESS) {
        return APR_ENOENT;
    }
    return checkout_record(kr, kr->db, ck, payment);
}

apr_status_t kfm_payment_checkout_abandon(kfm_req *kr, ap_dbd_t *db, const kfm_checkout *ck)
{
    const char *args[] = {ck->co.reference};
    return kfm_db_exec(kr->r, db, "kf_payment_checkout_abandon", NULL, 1, args);
}

int kfm_payment_start_for_booking(kfm_req *kr, const kfm_booking_made *b, kfm_checkout **checkout)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    *checkout = NULL;
    if (kf_payment_nothing_to_collect(b->charge_type, b->amount)) {
        return 0;   /* paid already: the state machine's book made it so, and its effects ran */
    }
    kfm_rows *res = NULL;
    const char *args[] = {b->reservation_id};
    if (kfm_db_select(c->r, kr->db, "kf_payment_booking_ctx", &res, 1, args) != APR_SUCCESS ||
        kfm_db_rows(kr->db, res) != 1) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    kfm_payment_start in = {0};
    in.tenant_id = kfm_db_value(kr->db, c->p, res, 0, CTX_TENANT);
    in.reservation_id = b->reservation_id;
    in.link_slug = kfm_db_value(kr->db, c->p, res, 0, CTX_LINK_SLUG);
    in.booking_token = b->booking_token;
    in.amount = b->amount;
    in.currency = b->currency;
    in.expires_at =
        apr_time_from_sec(apr_atoi64(kfm_db_value(kr->db, c->p, res, 0, CTX_EXPIRES)));
    in.customer_name = b->customer_name;
    in.customer_email = b->customer_email;
    in.customer_phone = b->customer_phone;
    kfm_checkout *ck = apr_palloc(c->p, sizeof(*ck));
    apr_status_t rv = kfm_payment_checkout_prepare(kr, kr->db, &in, ck);
    if (rv == APR_ENOENT) {
        return HTTP_BAD_GATEWAY;
    }
    if (rv != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    *checkout = ck;
    return 0;
}

/* ---------------------------------------------------------------- applying an event */

typedef enum { APPLY_DONE, APPLY_DUPLICATE, APPLY_FAILED, APPLY_NOT_OURS } apply_result;

static apr_status_t flag(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id, int mismatch,
                         int refund, const char *reason)
{
    const char *args[] = {mismatch ? "true" : "false", refund ? "true" : "false", reason, pay_id};
    return kfm_db_exec(c->r, db, "kf_payment_flag", NULL, 4, args);
}

/* Runs what the state machine decided for a payment event (lib/bookings/kf_reservation.c): the
 * reservation's move and its history line, then the effects (callback, funnel, refund
 * flag). Sets *result to what payment_events.result records. */
static apr_status_t run_outcome(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                const char *res_id, kf_res_state from,
                                const kf_res_outcome *o, const kf_payment_event *ev,
                                const char **result)
{
    apr_status_t rv = APR_SUCCESS;
    const char *from_name = kf_res_state_name(from);
    *result = RESULT_UNCHANGED;
    if (o->moved) {
        /* A booking becoming paid gets the token of its mails' link in the same move (one
         * write of its row per approval), so the mails only open it. The move is queued with
         * the event's other writes: kf_payment_lock holds the booking and read it in `from`;
         * should it not move, the statement fails and the event rolls back whole. A late
         * approval taking its slot again has the exclusion constraint as the final judge. */
        const char *token = NULL;
        kfm_booking_move_with with = {NULL, NULL, NULL};
        if ((o->effects & KF_RES_FX_CALLBACK_PAID) &&
            kf_manage_token_make(c->p, kfm_conf_get(c->s)->keyring, res_id, &token,
                                 &with.manage_hash, &with.manage_sealed) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        rv = kfm_booking_move_queued(c, db, res_id, from, o, &with);
        if (o->effects & KF_RES_FX_SLOT_TAKEN) {
            *result = RESULT_REPAID;
            KFM_CTX_LOG(c, APLOG_INFO, "late approval: booking %s was %s and got its slot back",
                       res_id, from_name);
        }
        else if (o->next == KF_RES_FAILED && from != KF_RES_PENDING_PAYMENT) {
            *result = RESULT_SLOT_LOST;
            KFM_CTX_LOG(c, APLOG_WARNING, "late approval: booking %s lost its slot; payment %s "
                       "(transaction %s) flagged for refund", res_id, pay_id, ev->transaction_id);
        }
        else {
            *result = o->next == KF_RES_PAID ? RESULT_PAID : RESULT_FAILED;
        }
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_effects(c, db, res_id, o);
    }
    if (rv == APR_SUCCESS && (o->effects & KF_RES_FX_REFUND_FLAG)) {
        if (!o->moved) {
            KFM_CTX_LOG(c, APLOG_WARNING, "approved transaction %s for booking %s (%s): payment %s "
                       "flagged for refund", ev->transaction_id, res_id, from_name, pay_id);
        }
        rv = flag(c, db, pay_id, 0, 1, o->flag_reason);
    }
    return rv;
}

/* An approval: the state machine decides from the reservation's state and, for an expired
 * or failed one, whether its slot is free now (stale holds and unpaid bookings overlapping
 * it are expired first, as booking creation does). */
static apr_status_t apply_approval(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                   const char *res_id, const char *res_status,
                                   const char *pay_txid, const kf_payment_event *ev,
                                   const char **result)
{
    int state = kf_res_state_parse(res_status);
    if (state < 0) {
        return APR_EGENERAL;
    }
    kf_res_facts facts = {0};
    facts.same_transaction = pay_txid && strcmp(pay_txid, ev->transaction_id) == 0;
    if (state == KF_RES_EXPIRED || state == KF_RES_FAILED) {
        const char *a1[] = {res_id};
        kfm_rows *res = NULL;
        apr_status_t rv = kfm_db_select(c->r, db, "kf_payment_res_expire_stale", &res, 1, a1);
        if (rv == APR_SUCCESS) {
            rv = kfm_db_select(c->r, db, "kf_payment_res_slot_free", &res, 1, a1);
        }
        if (rv != APR_SUCCESS || kfm_db_rows(db, res) != 1) {
            return APR_EGENERAL;
        }
        facts.slot_free = strcmp(kfm_db_value(db, c->p, res, 0, 0), "t") == 0;
    }
    kf_res_outcome o = kf_reservation_next((kf_res_state)state, KF_RES_APPROVE, &facts);
    return run_outcome(c, db, pay_id, res_id, (kf_res_state)state, &o, ev, result);
}

/* An approved transaction of the payment, kept once: a customer who pays twice has two, and
 * what the booking took is their sum. */
static apr_status_t record_transaction(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                       const kf_payment_event *ev)
{
    if (!ev->transaction_id) {
        return APR_SUCCESS;
    }
    const char *args[] = {ev->transaction_id, apr_psprintf(c->p, "%" APR_INT64_T_FMT, ev->amount),
                          ev->currency, pay_id};
    return kfm_db_exec(c->r, db, "kf_payment_tx_approved", NULL, 4, args);
}

/* THE code path of every provider event, webhook or fetched: records it once, then moves
 * the payment and the booking, all in one transaction. */
static apply_result apply_event(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                const char *source, const kf_payment_event *ev, const char *raw,
                                apr_time_t started)
{
    kfm_tx tx;
    if (kfm_db_begin(c->r, db, &tx) != APR_SUCCESS) {
        return APPLY_FAILED;
    }
    /* the event applies whole or not at all: its writes go out together (about half the
     * round trips of an approval), any failure rolls everything back below */
    kfm_db_defer_writes(db);
    kfm_rows *res = NULL;
    const char *largs[] = {ev->event_key, pay_id};
    if (kfm_db_select(c->r, db, "kf_payment_lock", &res, 2, largs) != APR_SUCCESS ||
        kfm_db_rows(db, res) < 1) {
        kfm_db_rollback(c->r, &tx);
        return APPLY_FAILED;
    }
    apr_pool_t *p = c->p;
#define LOCKED(col) kfm_db_value(db, p, res, 0, (col))
    const char *pay_status = LOCKED(LOCK_PAY_STATUS);
    const char *pay_amount = LOCKED(LOCK_PAY_AMOUNT);
    const char *pay_currency = LOCKED(LOCK_PAY_CURRENCY);
    const char *pay_txid = LOCKED(LOCK_PAY_TXID);
    const char *res_id = LOCKED(LOCK_RES_ID);
    const char *res_status = LOCKED(LOCK_RES_STATUS);
    const char *tenant_id = LOCKED(LOCK_TENANT);
    const char *provider = LOCKED(LOCK_PROVIDER);
    const char *purchase_id = LOCKED(LOCK_PURCHASE);   /* packages: NULL for a booking's */

    /* Recorded already: a repeat changes nothing. Events of one payment wait for each
     * other on the lock above, so this check cannot race with its own insert below. */
    if (strcmp(LOCKED(LOCK_EVENT_SEEN), "t") == 0) {
        kfm_db_rollback(c->r, &tx);
        return APPLY_DUPLICATE;
    }
#undef LOCKED
    const char *result = RESULT_UNCHANGED;
    apr_status_t rv = APR_SUCCESS;
    int freed = 0;   /* a booking cancelled here: its slot is offered again after the commit */
    kf_payment_action action = ev->kind != KF_PAYMENT_EVENT_PAYMENT
        ? KF_PAYMENT_ACT_NOTHING
        : kf_payment_event_action(ev, kf_payment_status_parse(pay_status), apr_atoi64(pay_amount),
                                  pay_currency);

    if (ev->kind == KF_PAYMENT_EVENT_DISPUTE) {
        /* the customer disputes the charge: recorded and flagged; the booking stays, the
         * merchant answers at the provider */
        const char *state = kf_dispute_state_name(ev->dispute_state);
        const char *dargs[] = {ev->refund_id, apr_psprintf(p, "%" APR_INT64_T_FMT, ev->amount),
                               ev->dispute_reason, state, pay_id};
        result = RESULT_DISPUTED;
        rv = kfm_db_exec(c->r, db, "kf_payment_disputed", NULL, 5, dargs);
        KFM_CTX_LOG(c, APLOG_NOTICE, "payment %s: dispute %s at %s is %s (%s)", pay_id,
                   ev->refund_id, provider, state,
                   ev->dispute_reason ? ev->dispute_reason : "no reason");
    }
    else if (ev->kind == KF_PAYMENT_EVENT_REFUND) {
        /* money given back: recorded on its transaction, and the payment's totals (whoever
         * asked for it) */
        const char *so_far = apr_psprintf(p, "%" APR_INT64_T_FMT, ev->amount);
        apr_int64_t taken = apr_atoi64(pay_amount), refunded = 0;
        const char *pending = "0";
        result = RESULT_REFUNDED;
        kfm_rows *tr = NULL;
        const char *targs[] = {so_far, ev->refund_id, so_far, pay_id, ev->transaction_id, pay_id};
        rv = kfm_db_select(c->r, db, "kf_payment_tx_refunded", &tr, 6, targs);
        if (rv == APR_SUCCESS && kfm_db_rows(db, tr) == 1 &&
            apr_atoi64(kfm_db_value(db, p, tr, 0, 3)) > 0) {
            taken = apr_atoi64(kfm_db_value(db, p, tr, 0, 0));
            refunded = apr_atoi64(kfm_db_value(db, p, tr, 0, 1));
            pending = kfm_db_value(db, p, tr, 0, 4);
        }
        else if (rv == APR_SUCCESS &&
                 (!ev->transaction_id || !pay_txid || strcmp(ev->transaction_id, pay_txid) == 0)) {
            /* a payment without transaction rows: its one transaction */
            refunded = ev->amount;
        }
        if (rv == APR_SUCCESS) {
            const char *total = apr_psprintf(p, "%" APR_INT64_T_FMT,
                                             refunded > ev->amount ? refunded : ev->amount);
            const char *rargs[] = {pending, pending, total, ev->refund_id, pending, pending,
                                   pay_id};
            rv = kfm_db_exec(c->r, db, "kf_payment_refunded", NULL, 7, rargs);
        }
        int state = res_id ? kf_res_state_parse(res_status) : -1;
        if (rv == APR_SUCCESS && !purchase_id && state >= 0) {
            /* everything taken given back at the provider: the merchant cancelled the booking
             * there (the extra of a payment made twice given back is not that) */
            kf_res_facts facts = {0};
            facts.refund_whole = kf_payment_refund_is_whole(ev, kf_payment_status_parse(pay_status),
                                                            refunded, taken);
            kf_res_outcome o = kf_reservation_next((kf_res_state)state, KF_RES_REFUND, &facts);
            if (o.moved) {
                rv = kfm_booking_cancel(c, db, res_id, res_status, &o, "merchant", NULL);
                if (rv == APR_SUCCESS) {
                    rv = kfm_booking_cancel_effects(c, db, res_id, &o, 0);
                }
                freed = 1;
                KFM_CTX_LOG(c, APLOG_INFO, "booking %s cancelled: its payment %s was refunded "
                           "in full at the provider", res_id, pay_id);
            }
        }
    }
    else if (action == KF_PAYMENT_ACT_MISMATCH) {
        /* Authentic but not what was asked: refused and flagged; the booking stays as it is. */
        result = RESULT_MISMATCH;
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s event for %" APR_INT64_T_FMT " %s but %s %s was asked: "
                      "refused and flagged", pay_id, ev->provider_status, ev->amount, ev->currency,
                      pay_amount, pay_currency);
        rv = flag(c, db, pay_id, 1, ev->status == KF_PAYMENT_APPROVED, "amount_mismatch");
    }
    else if (purchase_id &&
             (action == KF_PAYMENT_ACT_APPROVE || action == KF_PAYMENT_ACT_DECLINE)) {
        /* packages: the payment of a purchase; its state machine is lib/payments/kf_purchase.c */
        const char *st = action == KF_PAYMENT_ACT_APPROVE ? "approved"
                                                          : kf_payment_status_name(ev->status);
        const char *sargs[] = {st, ev->transaction_id, st, pay_id};
        rv = kfm_db_exec(c->r, db, "kf_payment_set_status", NULL, 4, sargs);
        if (rv == APR_SUCCESS && action == KF_PAYMENT_ACT_APPROVE) {
            rv = record_transaction(c, db, pay_id, ev);
        }
        if (rv == APR_SUCCESS) {
            kfm_purchase_payment_event pe = {pay_id, purchase_id, action == KF_PAYMENT_ACT_APPROVE,
                                             pay_txid && strcmp(pay_txid, ev->transaction_id) == 0,
                                             apr_pstrcat(p, "payment_", st, NULL)};
            rv = kfm_purchase_payment_settled(c, db, &pe, &result);
        }
    }
    else if (action == KF_PAYMENT_ACT_APPROVE) {
        const char *sargs[] = {"approved", ev->transaction_id, "approved", pay_id};
        rv = kfm_db_exec(c->r, db, "kf_payment_set_status", NULL, 4, sargs);
        if (rv == APR_SUCCESS) {
            rv = record_transaction(c, db, pay_id, ev);
        }
        if (rv == APR_SUCCESS) {
            rv = apply_approval(c, db, pay_id, res_id, res_status, pay_txid, ev, &result);
        }
    }
    else if (action == KF_PAYMENT_ACT_DECLINE) {
        const char *st = kf_payment_status_name(ev->status);
        const char *sargs[] = {st, ev->transaction_id, st, pay_id};
        rv = kfm_db_exec(c->r, db, "kf_payment_set_status", NULL, 4, sargs);
        int state = kf_res_state_parse(res_status);
        if (rv == APR_SUCCESS && state >= 0) {
            kf_res_facts facts = {0};
            facts.reason = apr_pstrcat(p, "payment_", st, NULL);
            kf_res_outcome o = kf_reservation_next((kf_res_state)state, KF_RES_DECLINE, &facts);
            rv = run_outcome(c, db, pay_id, res_id, (kf_res_state)state, &o, ev, &result);
        }
    }
    if (rv == APR_SUCCESS) {
        const char *eargs[] = {provider, ev->event_key, tenant_id, pay_id, source, ev->transaction_id,
                               ev->provider_status,
                               apr_psprintf(p, "%" APR_INT64_T_FMT, ev->amount), ev->currency, raw,
                               result,
                               apr_psprintf(p, "%" APR_TIME_T_FMT, apr_time_now() - started)};
        /* queued: it goes with the COMMIT */
        rv = kfm_db_exec(c->r, db, "kf_payment_event_insert", NULL, 12, eargs);
    }
    if (rv != APR_SUCCESS) {
        kfm_db_rollback(c->r, &tx);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(c->r, &tx) != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_ERR, "payment %s: %s event %s could not be applied; nothing changed",
                      pay_id, source, ev->event_key);
        return APPLY_FAILED;
    }
    if (freed) {
        if (c->r) {
            kfm_availability_cache_bump_all(c->r);
        }
        else {
            kfm_availability_cache_bump_all_job();
        }
    }
    KFM_CTX_LOG(c, APLOG_INFO, "payment %s: %s %s -> %s", pay_id, source,
                  ev->provider_status, result);
    return APPLY_DONE;
}

/* ---------------------------------------------------------------- webhook */

static apply_result reconcile_payment(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                      const char *reference, const char *tenant_id,
                                      const char *provider, const char *checkout_id,
                                      const char *source);

/* The dispute a verified notice named, read back from the provider with the account that
 * verified it, applied like any event. APPLY_NOT_OURS when the provider does not know it as
 * a dispute of this payment (nothing recorded). */
static apply_result lookup_dispute(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                   const kf_payment_provider *prov,
                                   const kf_payment_account *acct, const char *dispute_id,
                                   const char *transaction_id)
{
    apr_time_t started = apr_time_now();
    if (!prov->find_dispute) {
        return APPLY_NOT_OURS;
    }
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
    kf_payment_event ev;
    const char *why = NULL;
    apr_status_t rv = prov->find_dispute(c->p, kfm_provider_http(c), &ep, acct, dispute_id,
                                         transaction_id, &ev, &why);
    if (rv == APR_NOTFOUND || rv == APR_EINVAL) {
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s dispute %s not recorded: %s", pay_id,
                   prov->name, kf_url_encode(c->p, dispute_id), why ? why : "?");
        return APPLY_NOT_OURS;
    }
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s dispute look-up failed: %s", pay_id,
                   prov->name, why ? why : "?");
        return APPLY_FAILED;
    }
    json_t *raw = kf_json_obj(c->p);
    kf_json_set_str(raw, "id", ev.refund_id);
    kf_json_set_str(raw, "payment_id", ev.transaction_id);
    kf_json_set_str(raw, "status", ev.provider_status);
    kf_json_set_int(raw, "amount", ev.amount);
    kf_json_set_str(raw, "currency", ev.currency);
    kf_json_set_str(raw, "reason", ev.dispute_reason);
    return apply_event(c, db, pay_id, "webhook", &ev, kf_json_dump(c->p, raw), started);
}

static int reply_received(kfm_req *kr, const char *outcome)
{
    json_t *body = json_object();
    json_object_set_new(body, "received", json_true());
    json_object_set_new(body, "outcome", json_string(outcome));
    return kfm_reply_json(kr, HTTP_OK, body);
}

static int handle_webhook(kfm_req *kr, const kf_payment_provider *prov)
{
    if (!prov->verify_webhook) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    apr_time_t started = apr_time_now();
    const char *body = NULL;
    apr_size_t len = 0;
    if (kfm_read_body(kr, &body, &len) != APR_SUCCESS) {
        return OK;
    }
    kf_payment_webhook wh = {body, len, r->headers_in, r->args, started};
    /* Untrusted until verified: the reference only says whose secret to verify with. */
    const char *reference = prov->webhook_reference(c->p, &wh);
    if (!reference) {
        kfm_log(kr, APLOG_INFO, "%s webhook without a transaction reference: refused", prov->name);
        return kfm_reply_bad_signature(kr);
    }
    kfm_rows *res = NULL;
    const char *args[] = {reference, prov->name, reference, prov->name, reference, prov->name,
                          reference};
    if (kfm_db_select(c->r, kr->db, "kf_payment_by_reference", &res, 7, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
    }
    if (kfm_db_rows(kr->db, res) < 1) {
        kfm_log(kr, APLOG_WARNING, "%s webhook for unknown reference %s: ignored", prov->name,
               kf_url_encode(c->p, reference));
        return reply_received(kr, "unknown_reference");
    }
    const char *pay_id = kfm_db_value(kr->db, c->p, res, 0, REF_PAY_ID);
    const char *tenant_id = kfm_db_value(kr->db, c->p, res, 0, REF_TENANT);
    const char *pay_provider = kfm_db_value(kr->db, c->p, res, 0, REF_PROVIDER);
    const kf_payment_account *acct =
        strcmp(pay_provider, prov->name) == 0
            ? open_account(c, tenant_id, prov->name, kfm_db_value(kr->db, c->p, res, 0, REF_MODE),
                           kfm_db_value(kr->db, c->p, res, 0, REF_PUBLIC_KEY),
                           kfm_db_value(kr->db, c->p, res, 0, REF_SECRETS))
            : NULL;
    kf_payment_event ev;
    const char *why = NULL;
    apply_result applied_dispute = APPLY_FAILED;
    kf_payment_verdict v = acct ? prov->verify_webhook(c->p, &wh, acct, &ev, &why)
                            : KF_PAYMENT_BAD_SIGNATURE;
    if (v == KF_PAYMENT_BAD_SIGNATURE && acct && acct->previous_events_secret) {
        /* rotated less than 72 h ago: events signed with the previous secret still count */
        kf_payment_account previous = *acct;
        previous.events_secret = acct->previous_events_secret;
        v = prov->verify_webhook(c->p, &wh, &previous, &ev, &why);
    }
    if (v == KF_PAYMENT_BAD_SIGNATURE) {
        kfm_log(kr, APLOG_WARNING, "%s webhook for payment %s refused: %s", prov->name, pay_id,
               why ? why : "no account to verify with");
        return kfm_reply_bad_signature(kr);
    }
    if (v == KF_PAYMENT_UNUSABLE) {
        kfm_log(kr, APLOG_INFO, "%s webhook for payment %s ignored: %s", prov->name, pay_id, why);
        return reply_received(kr, "ignored");
    }
    if (v == KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP) {
        /* a notice of a dispute without its state: asked of the provider, merchant-scoped,
         * about the payment this notice was verified for */
        applied_dispute = lookup_dispute(c, kr->db, pay_id, prov, acct, ev.refund_id,
                                         kfm_db_value(kr->db, c->p, res, 0, REF_TXID));
        if (applied_dispute == APPLY_NOT_OURS) {
            return reply_received(kr, "ignored");
        }
    }
    apply_result applied =
        v == KF_PAYMENT_VERIFIED_DISPUTE_LOOKUP ? applied_dispute
        : v == KF_PAYMENT_VERIFIED_LOOKUP
            /* a notice without the payment's state: asked of the provider, merchant-scoped */
            ? reconcile_payment(c, kr->db, pay_id, kfm_db_value(kr->db, c->p, res, 0, REF_REFERENCE),
                                tenant_id, prov->name,
                                kfm_db_value(kr->db, c->p, res, 0, REF_CHECKOUT_ID), "webhook")
            : apply_event(c, kr->db, pay_id, "webhook", &ev, apr_pstrmemdup(c->p, body, len),
                          started);
    switch (applied) {
    case APPLY_DONE:
        return reply_received(kr, "applied");
    case APPLY_DUPLICATE:
        return reply_received(kr, "duplicate");
    default:
        /* not 200: the provider retries later, so the event is not lost */
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable");
    }
}

int kfm_handle_webhook_wompi(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_wompi);
}

int kfm_handle_webhook_stripe(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_stripe);
}

int kfm_handle_webhook_mercadopago(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_mercadopago);
}

int kfm_handle_webhook_airwallex(kfm_req *kr)
{
    return handle_webhook(kr, &kf_payment_airwallex);
}

/* ---------------------------------------------------------------- asking the provider */

/* Asks the provider, with the tenant's own secret key, about a payment's reference and
 * applies the answer exactly like its webhook. The only way anything but a signed webhook
 * moves a payment: a transaction id a browser brings is never looked up. */
static apply_result reconcile_payment(const kfm_ctx *c, ap_dbd_t *db, const char *pay_id,
                                      const char *reference, const char *tenant_id,
                                      const char *provider, const char *checkout_id,
                                      const char *source)
{
    apr_time_t started = apr_time_now();
    const kf_payment_provider *prov = kf_payment_provider_find(provider);
    const kf_payment_account *acct = prov ? kfm_payment_account_load(c, db, tenant_id, prov->name) : NULL;
    if (!acct) {
        return APPLY_FAILED;
    }
    kf_payment_endpoints ep = kfm_payment_endpoints_for(c, prov, acct);
    kf_payment_event ev;
    const char *why = NULL;
    apr_status_t rv = prov->find_payment(c->p, kfm_provider_http(c), &ep, acct, reference,
                                         checkout_id, &ev, &why);
    if (rv == APR_NOTFOUND) {
        return APPLY_DUPLICATE;     /* nothing paid yet: nothing to apply */
    }
    if (rv != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "payment %s: %s look-up (%s) failed: %s", pay_id, prov->name,
                   source, why ? why : "?");
        return APPLY_FAILED;
    }
    json_t *raw = kf_json_obj(c->p);
    kf_json_set_str(raw, "id", ev.transaction_id);
    kf_json_set_str(raw, "status", ev.provider_status);
    kf_json_set_int(raw, "amount_in_cents", ev.amount);
    kf_json_set_str(raw, "currency", ev.currency);
    kf_json_set_str(raw, "reference", ev.reference);
    return apply_event(c, db, pay_id, source, &ev, kf_json_dump(c->p, raw), started);
}

/* The newest payment of a reservation or a purchase (`label` finds it), asked about. */
static void check_return_of(kfm_req *kr, ap_dbd_t *db, const char *label, const char *id)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kfm_rows *res = NULL;
    const char *args[] = {id};
    if (kfm_db_select(c.r, db, label, &res, 1, args) != APR_SUCCESS ||
        kfm_db_rows(db, res) < 1) {
        return;
    }
#define OF(col) kfm_db_value(db, c.p, res, 0, (col))
    if (kf_payment_status_parse(OF(OF_RES_STATUS)) != KF_PAYMENT_PENDING) {
        return;                     /* settled already: the provider has nothing to add */
    }
    reconcile_payment(&c, db, OF(OF_RES_ID), OF(OF_RES_REFERENCE), OF(OF_RES_TENANT),
                      OF(OF_RES_PROVIDER), OF(OF_RES_CHECKOUT_ID), "fetch");
#undef OF
}

void kfm_payment_check_return(kfm_req *kr, ap_dbd_t *db, const char *reservation_id)
{
    check_return_of(kr, db, "kf_payment_of_reservation", reservation_id);
    /* A GET that may free or retake a slot: the router's after-write bump does not see it. */
    kfm_availability_cache_bump_all(kr->r);
}

void kfm_payment_check_return_purchase(kfm_req *kr, ap_dbd_t *db, const char *purchase_id)
{
    check_return_of(kr, db, "kf_payment_of_purchase", purchase_id);
}

int kfm_payment_reconcile_due(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    kfm_ctx c = kfm_ctx_of_job(s, p);
    const kfm_server_conf *conf = kfm_conf_get(s);
    int delay = kfm_conf_reconcile_delay(conf);
    kfm_rows *res = NULL;
    const char *args[] = {apr_itoa(p, delay), apr_itoa(p, RECONCILE_PER_RUN), apr_itoa(p, delay)};
    if (kfm_db_select(NULL, db, "kf_payment_reconcile_claim", &res, 3, args) != APR_SUCCESS) {
        return -1;
    }
    int n = kfm_db_rows(db, res), applied = 0;
    for (int i = 0; i < n; i++) {
        apr_pool_t *each = NULL;
        apr_pool_create(&each, p);
        c.p = each;
        const char *pay_id = kfm_db_value(db, each, res, i, CLAIM_PAY_ID);
        if (reconcile_payment(&c, db, pay_id, kfm_db_value(db, each, res, i, CLAIM_REFERENCE),
                              kfm_db_value(db, each, res, i, CLAIM_TENANT),
                              kfm_db_value(db, each, res, i, CLAIM_PROVIDER),
                              kfm_db_value(db, each, res, i, CLAIM_CHECKOUT_ID),
                              "reconcile") == APPLY_DONE) {
            applied++;
        }
        apr_pool_destroy(each);
    }
    return applied;
}

/* ---------------------------------------------------------------- reads */

json_t *kfm_payment_status_json(kfm_req *kr, ap_dbd_t *db, const char *reservation_id)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id};
    if (kfm_db_select(c->r, db, "kf_payment_status_of", &res, 1, args) != APR_SUCCESS ||
        kfm_db_rows(db, res) < 1) {
        return NULL;
    }
    json_t *out = kf_json_obj(c->p);
    kf_json_set_str(out, "provider", kfm_db_value(db, c->p, res, 0, STATUS_OF_PROVIDER));
    kf_json_set_str(out, "status", kfm_db_value(db, c->p, res, 0, STATUS_OF_STATUS));
    kf_json_set_str(out, "reference", kfm_db_value(db, c->p, res, 0, STATUS_OF_REFERENCE));
    kf_json_set_int(out, "amount", apr_atoi64(kfm_db_value(db, c->p, res, 0, STATUS_OF_AMOUNT)));
    kf_json_set_str(out, "currency", kfm_db_value(db, c->p, res, 0, STATUS_OF_CURRENCY));
    return out;
}

json_t *kfm_payment_admin_json(kfm_req *kr, ap_dbd_t *db, const char *tenant_id,
                              const char *reservation_id)
{
    request_rec *r = kr->r;
    kfm_ctx cx = kfm_ctx_of_request(r);
    const kfm_ctx *c = &cx;
    apr_pool_t *p = c->p;
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id, tenant_id};
    json_t *list = kf_json_arr(p);
    if (kfm_db_select(c->r, db, "kf_payment_admin_list", &res, 2, args) != APR_SUCCESS) {
        return list;
    }
    int n = kfm_db_rows(db, res);
    for (int i = 0; i < n; i++) {
        json_t *pay = json_object();
        const char *pay_id = kfm_db_value(db, p, res, i, ADMIN_ID);
        kf_json_set_str(pay, "provider", kfm_db_value(db, p, res, i, ADMIN_PROVIDER));
        kf_json_set_str(pay, "mode", kfm_db_value(db, p, res, i, ADMIN_MODE));
        kf_json_set_str(pay, "reference", kfm_db_value(db, p, res, i, ADMIN_REFERENCE));
        kf_json_set_int(pay, "amount", apr_atoi64(kfm_db_value(db, p, res, i, ADMIN_AMOUNT)));
        kf_json_set_str(pay, "currency", kfm_db_value(db, p, res, i, ADMIN_CURRENCY));
        kf_json_set_str(pay, "status", kfm_db_value(db, p, res, i, ADMIN_STATUS));
        kf_json_set_str(pay, "transaction_id", kfm_db_value(db, p, res, i, ADMIN_TXID));
        kf_json_set_bool(pay, "refund_needed", strcmp(kfm_db_value(db, p, res, i, ADMIN_REFUND_NEEDED), "t") == 0);
        kf_json_set_bool(pay, "mismatch", strcmp(kfm_db_value(db, p, res, i, ADMIN_MISMATCH), "t") == 0);
        kf_json_set_str(pay, "flag_reason", kfm_db_value(db, p, res, i, ADMIN_FLAG_REASON));
        kf_json_set_str(pay, "created_at", kfm_db_value(db, p, res, i, ADMIN_CREATED));
        kf_json_set_str(pay, "approved_at", kfm_db_value(db, p, res, i, ADMIN_APPROVED));
        /* the refund asked of it: null until one is (API.md "After booking") */
        const char *refund_status = kfm_db_value(db, p, res, i, ADMIN_REFUND_STATUS);
        json_t *refund = json_null();
        if (refund_status) {
            refund = json_object();
            kf_json_set_int(refund, "amount", apr_atoi64(kfm_db_value(db, p, res, i, ADMIN_REFUND_AMOUNT)));
            kf_json_set_str(refund, "currency", kfm_db_value(db, p, res, i, ADMIN_CURRENCY));
            kf_json_set_str(refund, "status", refund_status);
            kf_json_set_str(refund, "requested_at", kfm_db_value(db, p, res, i, ADMIN_REFUND_REQUESTED_AT));
            kf_json_set_str(refund, "refunded_at", kfm_db_value(db, p, res, i, ADMIN_REFUNDED_AT));
            kf_json_set_str(refund, "note", kfm_db_value(db, p, res, i, ADMIN_REFUND_NOTE));
            kf_json_set_str(refund, "error", kfm_db_value(db, p, res, i, ADMIN_REFUND_ERROR));
        }
        json_object_set_new(pay, "refund", refund);
        /* a dispute opened at the provider: null when none */
        const char *dispute_id = kfm_db_value(db, p, res, i, ADMIN_DISPUTE_ID);
        json_t *dispute = json_null();
        if (dispute_id) {
            dispute = json_object();
            kf_json_set_str(dispute, "id", dispute_id);
            kf_json_set_int(dispute, "amount", apr_atoi64(kfm_db_value(db, p, res, i, ADMIN_DISPUTE_AMOUNT)));
            kf_json_set_str(dispute, "currency", kfm_db_value(db, p, res, i, ADMIN_CURRENCY));
            kf_json_set_str(dispute, "reason", kfm_db_value(db, p, res, i, ADMIN_DISPUTE_REASON));
            kf_json_set_str(dispute, "opened_at", kfm_db_value(db, p, res, i, ADMIN_DISPUTED_AT));
            kf_json_set_str(dispute, "status", kfm_db_value(db, p, res, i, ADMIN_DISPUTE_STATUS));
            kf_json_set_str(dispute, "updated_at",
                            kfm_db_value(db, p, res, i, ADMIN_DISPUTE_UPDATED_AT));
        }
        json_object_set_new(pay, "dispute", dispute);
        /* every approved transaction: a customer who paid twice shows two */
        json_t *txs = json_array();
        kfm_rows *trs = NULL;
        const char *targs[] = {pay_id};
        if (kfm_db_select(c->r, db, "kf_payment_admin_transactions", &trs, 1, targs) == APR_SUCCESS) {
            int m = kfm_db_rows(db, trs);
            for (int j = 0; j < m; j++) {
                json_t *t = json_object();
                kf_json_set_str(t, "id", kfm_db_value(db, p, trs, j, TXS_ID));
                kf_json_set_int(t, "amount", apr_atoi64(kfm_db_value(db, p, trs, j, TXS_AMOUNT)));
                kf_json_set_str(t, "approved_at", kfm_db_value(db, p, trs, j, TXS_APPROVED));
                kf_json_set_int(t, "refunded_amount",
                                apr_atoi64(kfm_db_value(db, p, trs, j, TXS_REFUNDED)));
                json_array_append_new(txs, t);
            }
        }
        kf_json_set_new(pay, "transactions", txs);
        json_t *events = json_array();
        kfm_rows *evs = NULL;
        const char *eargs[] = {pay_id};
        if (kfm_db_select(c->r, db, "kf_payment_admin_events", &evs, 1, eargs) == APR_SUCCESS) {
            int m = kfm_db_rows(db, evs);
            for (int j = 0; j < m; j++) {
                json_t *e = json_object();
                kf_json_set_str(e, "source", kfm_db_value(db, p, evs, j, EVENT_SOURCE));
                kf_json_set_str(e, "transaction_id", kfm_db_value(db, p, evs, j, EVENT_TXID));
                kf_json_set_str(e, "status", kfm_db_value(db, p, evs, j, EVENT_STATUS));
                const char *amount = kfm_db_value(db, p, evs, j, EVENT_AMOUNT);
                if (amount) {
                    kf_json_set_int(e, "amount", apr_atoi64(amount));
                }
                kf_json_set_str(e, "currency", kfm_db_value(db, p, evs, j, EVENT_CURRENCY));
                kf_json_set_str(e, "result", kfm_db_value(db, p, evs, j, EVENT_RESULT));
                kf_json_set_str(e, "received_at", kfm_db_value(db, p, evs, j, EVENT_RECEIVED));
                json_array_append_new(events, e);
            }
        }
        kf_json_set_new(pay, "events", events);
        json_array_append_new(list, pay);
    }
    return list;
}
