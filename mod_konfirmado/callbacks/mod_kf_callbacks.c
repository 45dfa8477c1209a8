/* Merchant callbacks: the delivery job, the admin re-send and the test ping. See
 * mod_kf_callbacks.h; the outbox is filled by mod_kf_callback_queue.c. */
#include "mod_kf_callbacks.h"
#include "mod_kf_callbacks_conf.h"
#include "mod_kf_callback_queue.h"
#include "mod_kf_callback_claim_sql.h"
#include "kf_reservation.h"
#include "mod_kf_sql.h"
#include "mod_kf_audit.h"
#include "mod_kf_session.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_callbacks_feature.h"
#include "kf_callback.h"
#include "kf_callback_delivery.h"
#include "kf_callback_claim.h"
#include "kf_callback_flight.h"
#include "kf_callback_workers.h"
#include "kf_crypto.h"
#include "kf_http.h"
#include "kf_json.h"
#include "kf_tenant_rules.h"
#include "kf_text.h"

#include <apr_strings.h>
#include "mod_kf_jobs.h"


/* A claimed delivery is leased this long: longer than one attempt can take, so no other
 * server attempts it meanwhile; if this one dies, another retries once the lease ends. */
#define LEASE "60 seconds"


/* Columns of kf_cb_tenant_target. */
#define CALLBACK_TARGET_COLUMNS(FIRST, NEXT)                                                \
    FIRST(TARGET_URL, "callback_url")                                                       \
    NEXT(TARGET_SECRET, "callback_secret_sealed")
enum { CALLBACK_TARGET_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) TARGET_COLUMNS };
/* Columns of kf_cb_booking_state. */
#define CALLBACK_STATE_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(STATE_STATUS, "r.status")                                                         \
    NEXT(STATE_HAS_URL, "coalesce(t.callback_url, '') <> ''")
enum { CALLBACK_STATE_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) STATE_COLUMNS };

const kfm_sql kfm_callbacks_sql[] = {
    {"kf_cb_requeue",
     "INSERT INTO merchant_callbacks (tenant_id, reservation_id, body)"
     " VALUES (%s::uuid, %s::uuid, %s)"
     " ON CONFLICT (reservation_id, event) WHERE " KFM_SQL_CALLBACK_ONCE " DO UPDATE"
     " SET body = EXCLUDED.body, status = 'pending', attempts = 0, next_attempt_at = now(),"
     " last_error = NULL, updated_at = now() RETURNING id"},
    /* Due deliveries (mod_kf_callback_claim_sql.h says which) claimed and leased, with
     * their businesses' targets. */
    {"kf_cb_claim",
     KFM_CB_PICKED_SQL
     " UPDATE merchant_callbacks c SET attempts = c.attempts + 1,"
     " next_attempt_at = now() + interval '" LEASE "', updated_at = now()"
     " FROM tenants t, picked WHERE t.id = c.tenant_id AND c.id = picked.id"
     " RETURNING " KFM_SQL_COLUMNS(KFM_CB_CLAIM_COLUMNS)},
    /* the businesses of the attempts being recorded (uuid[]), before their deliveries: a
     * business's deletion takes its row first and its deliveries after, so the record
     * waits for a deletion under way instead of deadlocking with it. Joined to the array's
     * elements: as `id = ANY (the parameter)` a scan of the table read the array again for
     * every row it tested. Planned for each call's array (its length known: the generic
     * plan, for an unknown length, read the whole table). */
    {"kf_cb_lock_owners",
     "SELECT t.id FROM unnest(%s::uuid[]) AS owner(id) JOIN tenants t ON t.id = owner.id"
     " ORDER BY t.id FOR KEY SHARE OF t"},
    /* finished attempts, as kf_callback_records_json writes them: each logged, and its
     * delivery delivered, failed for good, or due again after its delay (none of a
     * delivery deleted meanwhile with its business). The deliveries are found by their ids
     * as an array: joined to the records alone (a hundred rows as the planner counts them),
     * the table was read whole. */
    {"kf_cb_record",
     "WITH given AS (SELECT * FROM json_to_recordset(%s::json) AS r(id uuid, attempt int,"
     "   url text, status_code int, latency_ms int, excerpt text, error text, outcome text,"
     "   delay_us bigint, last_error text)),"
     " r AS (SELECT g.*, c.tenant_id FROM merchant_callbacks c JOIN given g ON g.id = c.id"
     "   WHERE c.id = ANY (ARRAY(SELECT id FROM given))),"
     " logged AS (INSERT INTO callback_attempts (callback_id, tenant_id, attempt, url,"
     "   status_code, latency_ms, response_excerpt, error)"
     "   SELECT id, tenant_id, attempt, url, status_code, latency_ms, excerpt, error FROM r)"
     " UPDATE merchant_callbacks c SET"
     " status = CASE r.outcome WHEN 'retry' THEN c.status ELSE r.outcome END,"
     " delivered_at = CASE r.outcome WHEN 'delivered' THEN now() ELSE c.delivered_at END,"
     " next_attempt_at = CASE r.outcome WHEN 'retry'"
     "   THEN now() + r.delay_us * interval '1 microsecond' ELSE c.next_attempt_at END,"
     " last_status_code = r.status_code, last_error = r.last_error, updated_at = now()"
     " FROM r WHERE c.id = r.id AND c.id = ANY (ARRAY(SELECT id FROM r))"},
    /* the admin view: the newest of the booking's callbacks, whose attempts the detail shows */
    {"kf_cb_of_booking",
     "SELECT " KFM_SQL_COLUMNS(KFM_CB_VIEW_COLUMNS)
     " FROM merchant_callbacks WHERE reservation_id = %s::uuid"
     " ORDER BY created_at DESC, id DESC LIMIT 1"},
    {"kf_cb_attempts_of",
     "SELECT " KFM_SQL_COLUMNS(KFM_CB_LOG_COLUMNS)
     " FROM callback_attempts WHERE callback_id = %s::uuid ORDER BY id"},
    {"kf_cb_tenant_target",
     "SELECT " KFM_SQL_COLUMNS(CALLBACK_TARGET_COLUMNS) " FROM tenants WHERE id = %s::uuid"},
    /* booking, tenant: its status, and whether its business has a callback URL */
    {"kf_cb_booking_state",
     "SELECT " KFM_SQL_COLUMNS(CALLBACK_STATE_COLUMNS) " FROM reservations r"
     " JOIN tenants t ON t.id = r.tenant_id WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid"},
    {NULL, NULL},
};

/* ---------------------------------------------------------------- delivery */

/* Whether the operator lets callbacks go to plain http URLs. */
static int insecure_allowed(const kfm_ctx *cx)
{
    return kfm_conf_allow_insecure_urls(cx->conf) == 1;
}

/* One attempt over the network with `client` (kf_callback_send), its transport failure
 * logged. */
static kf_callback_attempt post_callback(const kfm_ctx *cx, kf_http_client *client,
                                         const char *event, const char *delivery_id,
                                         const char *url, const char *secret, const char *body)
{
    const char *why = NULL;
    kf_callback_attempt a = kf_callback_send(cx->p, client, cx->conf->outbound_allow, event,
                                             delivery_id, url, secret, body,
                                             apr_time_sec(apr_time_now()), &why);
    if (why) {
        KFM_CTX_LOG(cx, APLOG_INFO, "callback %s: %s (%s)", delivery_id, a.error, why);
    }
    return a;
}

static kfm_callback_acknowledged_fn *acknowledged;

void kfm_callbacks_when_acknowledged(kfm_callback_acknowledged_fn *fn)
{
    acknowledged = fn;
}

/* One claimed delivery (the core's, first: the in-flight table hands it back as itself)
 * and what its worker needs of the job. It lives in its place's pool
 * (kf_callback_workers_place), cleared once recorded. */
typedef struct claimed_delivery {
    kf_callback_claimed claimed;
    apr_pool_t *p;
    server_rec *s;
    kf_callback_flight *flight;
} claimed_delivery;

/* The statements of n finished attempts and what follows from them, in the caller's
 * transaction: one logs them all and updates their deliveries, one more moves the bookings
 * their merchants acknowledged. */
static apr_status_t record_all(const kfm_ctx *c, ap_dbd_t *db, kf_callback_claimed **done, int n)
{
    int divisor = kfm_callbacks_conf_callback_retry_divisor(kfm_callbacks_conf_of(c->s));
    kf_callback_batch b;
    apr_status_t rv = kf_callback_batch_of(c->p, done, n, divisor, &b);
    kfm_rows *locked = NULL;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (kfm_db_select(c->r, db, "kf_cb_lock_owners", &locked, 1, &b.tenants) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    rv = kfm_db_exec(c->r, db, "kf_cb_record", NULL, 1, &b.records);
    if (rv == APR_SUCCESS && b.acked && acknowledged) {
        rv = acknowledged(c, db, b.bookings, b.events, b.acked);
    }
    return rv;
}

/* Records n finished attempts in one transaction (one commit for a batch, not one each);
 * when that fails, each in a transaction of its own, so one bad record holds back no other.
 * A record that fails leaves its delivery to the lease: attempted again, never lost. */
static void record(const kfm_ctx *c, ap_dbd_t *db, kf_callback_claimed **done, int n)
{
    kfm_tx tx;
    if (kfm_db_begin(c->r, db, &tx) != APR_SUCCESS) {
        return;
    }
    apr_status_t rv = record_all(c, db, done, n);
    if (rv != APR_SUCCESS) {
        kfm_db_rollback(c->r, &tx);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(c->r, &tx) != APR_SUCCESS) {
        for (int i = 0; n > 1 && i < n; i++) {
            record(c, db, done + i, 1);
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *given_up = kf_callback_given_up_line(c->p, done[i]);
        if (given_up) {
            KFM_CTX_LOG(c, APLOG_WARNING, "%s", given_up);
        }
        KFM_CTX_LOG(c, APLOG_INFO, "%s", kf_callback_attempt_line(c->p, done[i]));
    }
}

/* The finished deliveries recorded and their places freed; how many. */
static int record_finished(const kfm_ctx *c, ap_dbd_t *db, kf_callback_workers *workers)
{
    void *done[KF_CALLBACK_MAX_IN_FLIGHT];
    int n = kf_callback_flight_take_finished(kf_callback_workers_flight(workers), done,
                                             KF_CALLBACK_MAX_IN_FLIGHT);
    if (n > 0) {
        record(c, db, (kf_callback_claimed **)done, n);
    }
    for (int i = 0; i < n; i++) {
        /* d with its place's pool; the place's next delivery reuses it */
        kf_callback_workers_release(workers, ((kf_callback_claimed *)done[i])->place);
    }
    return n;
}

/* The worker: the attempt over the network, handed to the job to record (which clears the
 * delivery's pool once recorded). */
static void deliver_one(void *data)
{
    claimed_delivery *d = data;
    kf_callback_claimed *cd = &d->claimed;
    kfm_ctx c = kfm_ctx_of_job(d->s, d->p);
    cd->rec.attempt = post_callback(&c, cd->client, cd->event, cd->rec.delivery_id, cd->rec.url,
                                    cd->secret, cd->body);
    kf_callback_flight_finish(d->flight, cd->place, d);
}

typedef struct callback_job {
    kf_callback_workers *workers;  /* created by the first run, in the child that runs it */
} callback_job;

/* One claim of the job: due deliveries (kf_cb_claim says which) handed each to a worker
 * thread, so that a merchant's slow endpoint never delays another tenant's callback. Returns
 * how many were started, -1 when the database failed; *filled says whether the claim took
 * all the room it had (kf_callback_flight_claim_filled). */
static int deliver_due(const kfm_ctx *c, ap_dbd_t *db, callback_job *job, int *filled)
{
    apr_pool_t *p = c->p;
    kf_callback_flight *flight = kf_callback_workers_flight(job->workers);
    kf_callback_room room = kf_callback_flight_room(
        flight, kfm_callbacks_conf_callback_concurrency(kfm_callbacks_conf_of(c->s)), p);
    *filled = 1;
    if (room.free_slots <= 0) {
        return 0;
    }
    kfm_rows *res = NULL;
    const char *limit = apr_itoa(p, room.per_tenant);
    const char *args[] = {room.tenants, limit, room.subjects, limit, apr_itoa(p, room.free_slots)};
    if (kfm_db_select(c->r, db, "kf_cb_claim", &res, 5, args) != APR_SUCCESS) {
        return -1;
    }
    int n = 0, started = 0;
    const char *const *const *rows = kfm_db_all_rows(db, p, res, KF_CB_CLAIM_COLUMNS, &n);
    for (int i = 0; i < n; i++) {
        const char *const *row = rows[i];
        int place = kf_callback_flight_add(flight, row[KF_CB_CLAIM_TENANT],
                                           row[KF_CB_CLAIM_SUBJECT]);
        apr_pool_t *wp = place < 0 ? NULL : kf_callback_workers_place(job->workers, place);
        if (!wp) {
            continue;                  /* leased: attempted again once the lease ends */
        }
        claimed_delivery *d = apr_pcalloc(wp, sizeof(*d));
        kf_callback_claimed_of(wp, place, row, &d->claimed);
        d->p = wp;
        d->s = c->s;
        d->flight = flight;
        kfm_ctx wc = kfm_ctx_of_job(c->s, wp);
        d->claimed.secret = kfm_callback_secret(&wc, d->claimed.tenant_id,
                                                row[KF_CB_CLAIM_SECRET_SEALED]);
        d->claimed.client = kf_callback_workers_client(job->workers, place, insecure_allowed(c));
        /* on a worker thread; under prefork at once, one after the other (fairness needs
         * threads) */
        started += kf_callback_workers_start(job->workers, place, deliver_one, d) == APR_SUCCESS;
    }
    *filled = kf_callback_flight_claim_filled(flight, n, &room);
    return started;
}

/* ---------------------------------------------------------------- admin */

json_t *kfm_callback_admin_json(kfm_req *kr, ap_dbd_t *db, const char *reservation_id)
{
    request_rec *r = kr->r;
    kfm_rows *at = NULL;
    const char *args[] = {reservation_id};
    const char *v[KF_CB_VIEW_COLUMNS], *log[KF_CB_LOG_COLUMNS];
    if (kfm_db_select_row(r, db, r->pool, "kf_cb_of_booking", 1, args, v, KF_CB_VIEW_COLUMNS) !=
        APR_SUCCESS) {
        return NULL;
    }
    json_t *out = kf_callback_delivery_json(r->pool, v);
    const char *aargs[] = {v[KF_CB_VIEW_ID]};
    if (kfm_db_select(r, db, "kf_cb_attempts_of", &at, 1, aargs) == APR_SUCCESS) {
        for (int i = 0, n = kfm_db_rows(db, at); i < n; i++) {
            kfm_db_row(db, r->pool, at, i, log, KF_CB_LOG_COLUMNS);
            kf_callback_delivery_log_add(out, log);
        }
    }
    return out;
}

/* POST /api/admin/bookings/{id}/callback: re-queue (body rebuilt and re-signed with the
 * secret as it is now, same delivery id, attempts from zero). */
int kfm_handle_admin_booking_callback(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    if (!kf_is_uuid(id)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    const char *args[] = {id, kr->session->tenant.id};
    const char *state[STATE_COLUMNS];
    apr_status_t found = kfm_db_select_row(r, kr->db, r->pool, "kf_cb_booking_state", 2, args,
                                           state, STATE_COLUMNS);
    if (found == APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (found != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (!kf_res_state_paid(kf_res_state_parse(state[STATE_STATUS]))) {
        return kfm_reply_error(kr, HTTP_CONFLICT, "booking_not_paid");
    }
    if (!kf_text_true(state[STATE_HAS_URL])) {
        return kfm_reply_error(kr, HTTP_CONFLICT, "callback_url_missing");
    }
    kfm_tx tx;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *tenant_id = NULL, *body = NULL;
    kfm_ctx c = kfm_ctx_of_request(r);
    apr_status_t rv = kfm_callback_booking_body(&c, kr->db, id, "booking.paid", &tenant_id, &body);
    const char *delivery = NULL;
    if (rv == APR_SUCCESS) {
        const char *qargs[] = {tenant_id, id, body};
        rv = kfm_db_select_row(r, kr->db, r->pool, "kf_cb_requeue", 3, qargs, &delivery, 1);
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_audit(kr, kr->db, "booking.callback_resend", "booking", id, NULL);
    }
    if (rv != APR_SUCCESS || !delivery) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_ACCEPTED, kf_callback_resent_json(delivery));
}

/* POST /api/admin/tenant/callback-test: a signed X-Konfirmado-Event: ping to the tenant's
 * callback URL, sent the way real callbacks are (post_callback: same signatures, headers,
 * outbound filter, timeout and error words), answered with what the merchant's server said.
 * Nothing is queued or retried. At most KF_RL_CALLBACK_TESTS a minute per tenant, and the
 * request's connection is given back while the merchant's server is waited on (up to
 * KF_CALLBACK_ATTEMPT_TIMEOUT_MS), so tests never tie up the pool's connections. */
int kfm_handle_admin_callback_test(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *tenant_id = kr->session->tenant.id;
    const char *args[] = {tenant_id};
    const char *target[TARGET_COLUMNS];
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_cb_tenant_target", 1, args, target,
                          TARGET_COLUMNS) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *url = target[TARGET_URL];
    kfm_ctx c = kfm_ctx_of_request(r);
    /* the secret is opened only for a URL to send to */
    const char *secret = url && *url ? kfm_callback_secret(&c, tenant_id, target[TARGET_SECRET])
                                     : NULL;
    const char *refused = kf_callback_ping_refusal(url, secret);
    if (refused) {
        return kfm_reply_error(kr, HTTP_CONFLICT, refused);
    }
    kfm_limit limit = kfm_limit_subject(kr, KFM_LIMIT_CALLBACK_TEST, tenant_id);
    apr_int64_t wait = kfm_limit_take(kr, &limit, 1);
    if (wait > 0) {
        return kfm_reply_too_many_requests(kr, wait);
    }
    const char *body = kf_callback_ping_body(r->pool, tenant_id, apr_time_sec(apr_time_now()));
    const char *delivery = apr_pstrcat(r->pool, "ping-", kf_random_token(r->pool, 12), NULL);
    kfm_req_db_give_back(kr);
    kf_callback_attempt a = post_callback(&c, kf_callback_client(r->pool, insecure_allowed(&c)),
                                          "ping", delivery, url, secret, body);
    if (!kfm_req_db_own(kr, NULL) ||
        kfm_audit(kr, kr->db, "tenant.callback_test", "tenant", tenant_id,
                  json_pack("{s:i}", "status", a.status)) != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "test callback %s sent; its audit line is not written",
                delivery);
    }
    int status = HTTP_OK;
    json_t *out = kf_callback_ping_answer(&a, kr->locale, &status);
    return kfm_reply_json(kr, status, out);
}

/* ---------------------------------------------------------------- the delivery job */

/* Ten times a second (mod_watchdog's time slice; kfm_db_open pings a job's connection
 * quietly first, so a PostgreSQL restart is noticed without an error line). A run with
 * nothing due and nothing in flight costs two index probes (kf_cb_claim). */
#define CALLBACK_JOB_INTERVAL apr_time_from_msec(100)
/* A run that has deliveries in flight lasts up to this long: each time some of them end,
 * they are recorded together, and when the last claim took all the room it had (a backlog)
 * the room they leave is claimed at once, so a merchant whose endpoint answers in
 * milliseconds gets KonfirmadoCallbackConcurrency deliveries in flight all the time, not
 * once a tick (which held one merchant to 80 callbacks a second). Long against the tick, as
 * the wait for the next run is lost to delivery (a 90 ms run in every 190 held a fast
 * merchant to half its rate); meanwhile, with nothing ending (a slow endpoint), due
 * deliveries are claimed every CALLBACK_JOB_INTERVAL as between runs. A graceful stop waits
 * for the run to end. */
#define CALLBACK_RUN_SLICE apr_time_from_sec(1)
/* Once a delivery ends, the others in flight get this long to end too, and are recorded with
 * it: deliveries started together to a fast merchant end within a few milliseconds, and
 * recorded as each ended (with a claim after each record) a job kept up with 300 approvals
 * a second by 120 claims and records a second, 2-3 deliveries each, a fifth of a core of
 * PostgreSQL. */
#define CALLBACK_GATHER apr_time_from_msec(5)

/* One run (kfm_db_job_fn): finished deliveries recorded, due ones handed to workers; -1 when
 * the database failed. The in-flight table, the clients and the workers live in unmanaged
 * pools that are never destroyed (kf_callback_workers.h). */
static int callback_job_run(server_rec *s, apr_pool_t *p, ap_dbd_t *db, void *data)
{
    callback_job *job = data;
    if (!job->workers && !(job->workers = kf_callback_workers_create(kfm_jobs_threaded()))) {
        return 0;
    }
    kf_callback_flight *flight = kf_callback_workers_flight(job->workers);
    apr_time_t until = apr_time_now() + CALLBACK_RUN_SLICE;
    /* a claim that took less than its room took everything due: the next waits for the tick,
     * and what is queued meanwhile goes out together (one claim and one record for many) */
    apr_time_t next_claim = 0;
    int total = 0;
    for (;;) {
        apr_pool_t *round = NULL;      /* a run makes hundreds of rounds: each its own pool */
        if (apr_pool_create(&round, p) != APR_SUCCESS) {
            return total;
        }
        kfm_ctx c = kfm_ctx_of_job(s, round);
        total += record_finished(&c, db, job->workers);
        int n = 0, filled = 0;
        apr_time_t claimed_at = apr_time_now();
        if (claimed_at >= next_claim) {
            n = deliver_due(&c, db, job, &filled);
            next_claim = filled ? 0 : claimed_at + CALLBACK_JOB_INTERVAL;
        }
        apr_pool_destroy(round);
        if (n < 0) {
            return -1;
        }
        total += n;
        apr_time_t now = apr_time_now();
        if (now >= until || kf_callback_flight_count(flight) == 0) {
            return total;
        }
        /* until some end, or the next claim is due (a tick at most), or the run's end */
        apr_time_t wake = next_claim > now ? next_claim : now + CALLBACK_JOB_INTERVAL;
        if (kf_callback_flight_wait(flight, (wake < until ? wake : until) - now)) {
            kf_callback_flight_wait_all(flight, CALLBACK_GATHER);
        }
    }
}

int kfm_callback_jobs_register(apr_pool_t *pconf, server_rec *s, const char *instance)
{
    callback_job *job = apr_pcalloc(pconf, sizeof(*job));
    return kfm_db_job_setup_after(pconf, s, instance, "merchant callback delivery",
                                  CALLBACK_JOB_INTERVAL, callback_job_run, NULL, job, NULL);
}
