/* POST /api/public/bookings (API.md "Public booking API"). A booking is its hold's
 * reservation moving on: pending_payment for a paid service (lasting the payment window),
 * paid for a free one or a purchase's session. Making one reads parse -> decide -> run ->
 * reply: the router hands over the body and a connection; the core reads the request
 * (kf_booking_request_read) and, from the facts of one locking statement, decides once
 * (kf_booking_decide); the state machine's executor makes the booking (kfm_booking_make)
 * with the effects of its book from one table (a package's session, the payment prepared,
 * or the paid booking's callback, mails and calendar event), then, after the commit, what
 * they ask of the provider (kfm_booking_made_after_commit). Only token hashes are stored. */
#include "mod_kf_bookings_feature.h"
#include "mod_kf_payments_conf.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_sql.h"
#include "kf_time.h"
#include "kf_reservation.h"
#include "mod_kf_booking_columns.h"
#include "kf_booking_create.h"
#include "kf_booking_status.h"
#include "mod_kf_booking_status.h"
#include "kf_series.h"

const kfm_sql kfm_bookings_sql[] = {
    /* hold token hash, host subdomain (twice), purchase token hash: the live hold of the
     * host's tenant, locked, with what its service charges and its tenant's country; and
     * (packages) the purchase of that tenant the token names, locked after it */
    {"kf_booking_facts",
     "WITH h AS (SELECT r.id, r.tenant_id, r.service_id, s.charge_type, s.price_amount,"
     "   s.deposit_percent, s.currency, r.expires_at, t.country, l.metadata, r.series_count,"
     "   s.series ->> 'pay' AS series_pay"
     "  FROM reservations r JOIN services s ON s.id = r.service_id"
     "  JOIN tenants t ON t.id = r.tenant_id LEFT JOIN booking_links l ON l.id = r.link_id"
     "  WHERE r.hold_token_hash = %s AND " KFM_SQL_LIVE_HOLD("r")
     "    AND (%s::text IS NULL OR t.subdomain = %s::text) FOR UPDATE OF r),"
     " p AS (SELECT pu.id, pu.status, " KFM_SQL_PURCHASE_DUE("pu") " AS due,"
     "   pu.paid_at IS NOT NULL AS ever_paid, pu.service_id = h.service_id AS same_service,"
     "   pu.sessions_total, pu.sessions_used"
     "  FROM purchases pu JOIN h ON pu.tenant_id = h.tenant_id WHERE pu.token_hash = %s"
     "  FOR UPDATE OF pu)"
     " SELECT " KFM_SQL_COLUMNS(KFM_BOOKING_FACT_COLUMNS)
     " FROM h LEFT JOIN p ON true"},
    /* booking hash, name, email, phone, notes, charge type, amount, currency, zone (twice),
     * metadata, id: the customer's details on the hold, still held (the state machine's move follows:
     * kfm_booking_move) */
    {"kf_booking_details",
     "WITH up AS (UPDATE reservations r SET booking_token_hash = %s,"
     "    customer_name = %s, customer_email = %s, customer_phone = %s, notes = %s,"
     "    accepted_terms_at = now(), charge_type = %s, charge_amount = %s::bigint,"
     "    currency = %s, updated_at = now(),"
     "    customer_timezone = CASE WHEN kf_tz_valid(%s::text) THEN %s::text END,"
     "    metadata = %s::jsonb"
     "  WHERE r.id = %s::uuid AND r.status = 'held'"
     "  RETURNING r.id, r.tenant_id, r.link_id, r.starts_at, r.ends_at,"
     "    r.charge_type, r.charge_amount, r.currency, r.visit_id, r.team_ids),"
     " f AS (INSERT INTO funnel_events (tenant_id, link_id, reservation_id, event, visit_id)"
     "  SELECT tenant_id, link_id, id, 'details_entered', visit_id FROM up)"
     " SELECT " KFM_SQL_COLUMNS(KFM_BOOKING_MADE_COLUMNS)
     " FROM up"},
    /* what a later occurrence is charged (kf_series_share), the first's id: the customer's
     * details of the first on the later occurrences of its series, still held */
    {"kf_booking_series_details",
     "UPDATE reservations r SET customer_name = f.customer_name,"
     "  customer_email = f.customer_email, customer_phone = f.customer_phone, notes = f.notes,"
     "  accepted_terms_at = f.accepted_terms_at, charge_type = f.charge_type,"
     "  charge_amount = %s::bigint, currency = f.currency,"
     "  customer_timezone = f.customer_timezone, metadata = f.metadata, updated_at = now()"
     " FROM reservations f WHERE f.id = %s::uuid AND r.series_id = f.id"
     "  AND r.series_index > 1 AND r.status = 'held'"},
    {NULL, NULL},
};

/* One booking being made: the request, what the steps read, decide and write; each step
 * reads what the ones before it left. Strings are the request pool's. */
typedef struct new_booking {
    const kf_booking_request *in;
    const char *facts[KF_BOOKING_FACT_COL_COUNT];  /* the hold and the purchase, locked */
    kf_booking_decision decision;
    const char *made[KF_BOOKING_MADE_COL_COUNT];   /* the booking as written */
    kfm_new_booking nb;               /* what its move's effects read and leave (a package's
                                         sessions left, a paid one's checkout) */
    int status;                       /* the answer of a step that stopped; none: 500 */
    const char *error;
} new_booking;

/* A step stops the booking with this answer; 0 for the step to return. */
static int stop(new_booking *bk, int status, const char *code)
{
    bk->status = status;
    bk->error = code;
    return 0;
}

/* ---- decide ---- */

/* The facts the decision needs, in one statement: the hold the request names, locked (none
 * when the request names none of a token's shape), and the purchase it brings. */
static int read_facts(kfm_req *kr, new_booking *bk, kf_booking_facts *f)
{
    const char *args[] = {bk->in->hold_hash, kr->host_tenant, kr->host_tenant,
                          bk->in->purchase_hash};
    memset(f, 0, sizeof(*f));
    if (!bk->in->hold_hash) {
        return 1;
    }
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_booking_facts", 4, args,
                                        bk->facts, KF_BOOKING_FACT_COL_COUNT);
    if (rv == APR_SUCCESS) {
        kf_booking_facts_of(bk->facts, f);
    }
    return rv == APR_SUCCESS || rv == APR_NOTFOUND;
}

/* In a new transaction, the facts read and the core's one decision (kf_booking_decide): the
 * request's problems or a refusal, else the charge, the state machine's book and the payment
 * window. The transaction stays open for run unless it stopped (0) or refused. */
static int decide(kfm_req *kr, new_booking *bk, kfm_tx *tx)
{
    kf_booking_facts f;
    int window = kfm_payments_conf_payment_window(kfm_payments_conf_of(kr->r->server));
    if (kfm_db_begin(kr->r, kr->db, tx) != APR_SUCCESS) {
        return 0;
    }
    if (!read_facts(kr, bk, &f)) {
        kfm_db_rollback(kr->r, tx);
        return 0;
    }
    if (kf_booking_decide(kr->r->pool, bk->in, &f, apr_time_sec(apr_time_now()), window,
                          &bk->decision) != APR_SUCCESS) {
        kfm_log(kr, APLOG_ERR, "hold %s: its service charges what the catalog refuses",
                bk->facts[KF_BOOKING_FACT_COL_HOLD_ID]);
        kfm_db_rollback(kr->r, tx);
        return 0;
    }
    if (bk->decision.refusal) {
        kfm_db_rollback(kr->r, tx);
    }
    return 1;
}

/* ---- run ---- */

/* The customer's details and the decided charge on the hold, still held (else 409
 * hold_expired), under a new booking token. */
static int write_details(kfm_req *kr, new_booking *bk)
{
    request_rec *r = kr->r;
    const kf_booking_request *in = bk->in;
    const char *args[] = {
        in->booking_hash, in->customer.name,
        in->customer.email, in->customer.phone, in->notes, bk->decision.charge_type,
        kfm_db_int64(r->pool, bk->decision.amount), bk->facts[KF_BOOKING_FACT_COL_CURRENCY],
        in->timezone, in->timezone, bk->decision.metadata, bk->facts[KF_BOOKING_FACT_COL_HOLD_ID],
    };
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_booking_details", 12, args,
                                        bk->made, KF_BOOKING_MADE_COL_COUNT);
    if (rv == APR_NOTFOUND) {
        return stop(bk, HTTP_CONFLICT, "hold_expired");
    }
    const char *const *f = bk->facts;
    if (rv != APR_SUCCESS || !f[KF_BOOKING_FACT_COL_SERIES_COUNT]) {
        return rv == APR_SUCCESS;
    }
    /* a series: its later occurrences are the same customer's, each charged its share */
    int pay_all = f[KF_BOOKING_FACT_COL_SERIES_PAY] &&
                  strcmp(f[KF_BOOKING_FACT_COL_SERIES_PAY], "all") == 0;
    const char *later[] = {kfm_db_int64(r->pool, kf_series_share(pay_all, 2, bk->decision.amount)),
                           bk->made[KF_BOOKING_MADE_COL_ID]};
    return kfm_db_exec(r, kr->db, "kf_booking_series_details", NULL, 2, later) == APR_SUCCESS;
}

/* The state machine's book, run by its executor with the deadline decided, and its effects
 * with the booking being made: a package's session spent, or its payment prepared, or, paid
 * now, the merchant and the people told of it as of any paid booking. */
static int make_booking(const kfm_ctx *c, kfm_req *kr, new_booking *bk)
{
    char deadline[KF_TIME_UTC_LEN + 1];
    const char *const *m = bk->made;
    kf_time_format_utc(deadline, bk->decision.deadline);
    kfm_booking_move_with with = {bk->decision.deadline ? deadline : NULL, NULL, NULL};
    bk->nb = (kfm_new_booking){.kr = kr, .booking_token = bk->in->booking_token,
                               .customer = &bk->in->customer,
                               .charge_type = m[KF_BOOKING_MADE_COL_CHARGE_TYPE],
                               .amount = bk->decision.checkout,
                               .currency = m[KF_BOOKING_MADE_COL_CURRENCY],
                               .purchase_id = bk->facts[KF_BOOKING_FACT_COL_PURCHASE_ID],
                               .series = bk->facts[KF_BOOKING_FACT_COL_SERIES_COUNT] != NULL,
                               .hold_expires = bk->facts[KF_BOOKING_FACT_COL_EXPIRES]};
    return kfm_booking_make(c, kr->db, m[KF_BOOKING_MADE_COL_ID], KF_RES_HELD,
                            &bk->decision.outcome, &with,
                            &bk->nb) == APR_SUCCESS;
}

/* A step failed: 502 provider_error when the tenant has no usable provider or the provider
 * made no checkout (the booking back on its hold), else the answer it stopped with. */
static int stopped(new_booking *bk)
{
    return bk->nb.provider_error ? stop(bk, HTTP_BAD_GATEWAY, "provider_error") : 0;
}

/* The decision, written in the transaction of the facts: the details, then the executor's
 * move with its effects; after the commit, what they ask of the provider (a paid one's
 * checkout, with no transaction open and the connection given back meanwhile). 1, or 0
 * with the answer in bk. */
static int run(kfm_req *kr, new_booking *bk, kfm_tx *tx)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    if (!write_details(kr, bk) || !make_booking(&c, kr, bk) ||
        kfm_db_commit(kr->r, tx) != APR_SUCCESS) {
        kfm_db_rollback(kr->r, tx);
        return stopped(bk);
    }
    return kfm_booking_made_after_commit(&c, bk->made[KF_BOOKING_MADE_COL_ID],
                                         &bk->decision.outcome, &bk->nb) == APR_SUCCESS ||
           stopped(bk);
}

/* ---- reply ---- */

static int reply_stopped(kfm_req *kr, const new_booking *bk)
{
    return bk->error ? kfm_reply_error(kr, bk->status, bk->error)
                     : kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
}

/* The decision's refusal: the request's problems, field by field, or its error. */
static int reply_refused(kfm_req *kr, const kf_booking_decision *d)
{
    json_t *fields = kf_booking_refusal_fields(d);
    return fields ? kfm_reply_field_ids(kr, fields) : kfm_reply_error(kr, d->status, d->refusal);
}

int kfm_new_booking_reply(kfm_req *kr, int status, const char *const *made, kf_res_state next,
                          const kfm_new_booking *nb)
{
    const char *url = kf_booking_status_url(kr->r->pool, kfm_conf_public_url(kr->conf),
                                            made[KF_BOOKING_MADE_COL_ID], nb->booking_token);
    json_t *payment = nb->payment ? json_incref(nb->payment) : NULL;
    json_t *reply = kf_booking_created_view(made, next, nb->booking_token, payment, url,
                                            nb->purchase_id, nb->sessions_left);
    /* a series: what its checkout collects, and its occurrences */
    if (nb->amount != apr_atoi64(made[KF_BOOKING_MADE_COL_AMOUNT])) {
        kf_booking_charge_is(reply, nb->amount);
    }
    if (nb->series && kfm_booking_series_add(kr, made[KF_BOOKING_MADE_COL_ID],
                                             json_object_get(reply, "booking")) != APR_SUCCESS) {
        json_decref(reply);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, status, reply);
}

/* parse -> decide -> run -> reply. The router read the body and took the connection
 * (the endpoint's KFM_NEEDS_JSON_OBJECT | KFM_NEEDS_OWN_DB). The facts are read and the
 * booking written in one transaction; a paid one's checkout is asked for after it. */
int kfm_handle_public_booking_create(kfm_req *kr)
{
    kf_booking_request in;
    new_booking bk = {.in = &in};
    kfm_tx tx;
    kf_booking_request_read(kr->r->pool, kr->body, &in);
    if (!decide(kr, &bk, &tx)) {
        return reply_stopped(kr, &bk);
    }
    if (bk.decision.refusal) {
        return reply_refused(kr, &bk.decision);
    }
    if (!run(kr, &bk, &tx)) {
        return reply_stopped(kr, &bk);
    }
    return kfm_new_booking_reply(kr, HTTP_CREATED, bk.made, bk.decision.outcome.next, &bk.nb);
}
