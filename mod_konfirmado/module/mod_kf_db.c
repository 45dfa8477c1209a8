/* mod_dbd adapter: see mod_kf_db.h for why statements are prepared per connection. */
#include "mod_kf_db.h"
#include "kf_pg_session.h"
#include "kf_pg_statements.h"
#include "kf_pg_exec.h"

#include <libpq-fe.h>
#include <apr_atomic.h>
#include "mod_kf_jobs.h"
#include "mod_kf_counters.h"
#include "kf_version.h"
#include "kf_schema.h"
#include "mod_kf_feature.h"

#include <apr_optional.h>
#include <http_main.h> /* ap_server_conf */

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire_fn;
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open_fn;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close_fn;

/* The module's own statements; every feature brings its tables in its descriptor. */
static const kfm_sql foundation_sql[] = {
    {"kf_ping", "SELECT 1"},
    {NULL, NULL},
};
static const kfm_sql *const foundation[] = {foundation_sql, NULL};

/* The features whose statements are prepared (kfm_db_check_statements keeps them). */
static const kfm_feature *const *features;

/* Calls `each` for every statement: the module's own, then every feature's. Stops at the
 * first that returns non-zero, and returns that. */
typedef int each_statement_fn(const kfm_sql *q, void *data);
static int for_each_statement(each_statement_fn *each, void *data)
{
    for (int t = 0; foundation[t]; t++) {
        for (const kfm_sql *q = foundation[t]; q->label; q++) {
            int rv = each(q, data);
            if (rv) {
                return rv;
            }
        }
    }
    for (int f = 0; features && features[f]; f++) {
        const kfm_sql *const *tables = features[f]->statements;
        for (int t = 0; tables && tables[t]; t++) {
            for (const kfm_sql *q = tables[t]; q->label; q++) {
                int rv = each(q, data);
                if (rv) {
                    return rv;
                }
            }
        }
    }
    return 0;
}

/* The statements declared: built by kfm_db_check_statements in post_config, before the
 * children exist, and only read afterwards. */
static kf_pg_statements *declared;

/* Whether a connection of this process has prepared every statement since it started
 * (see make_ready): 0 no, 1 yes or under way. */
static apr_uint32_t all_prepared_once;

typedef struct declaring {
    server_rec *s;
    kf_pg_statements *statements;
    int ok;
} declaring;

static int declare_one(const kfm_sql *q, void *data)
{
    declaring *d = data;
    const char *why = kf_pg_statements_declare(d->statements, q->label, q->sql);
    if (why) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, d->s, "mod_konfirmado: %s", why);
        d->ok = 0;
    }
    return 0;
}

int kfm_db_check_statements(apr_pool_t *p, server_rec *s, const kfm_feature *const *all)
{
    features = all;
    declaring d = {s, kf_pg_statements_make(p), 1};
    for_each_statement(declare_one, &d);
    declared = d.ok ? d.statements : NULL;
    return d.ok ? OK : !OK;
}

int kfm_db_statement_known(const char *label)
{
    return kf_pg_statements_known(declared, label);
}

/* Asked before any prepared statement exists, so it is a constant query: the newest
 * migration, and the first one past this module's version that is not additive (0: none;
 * kf_schema.h). A database migrated by an older konfirmado-migrate has no `additive` column:
 * read through to_jsonb, its migrations count as breaking. */
#define KFM_STRINGIFY(x) #x
#define KFM_NUMBER(x) KFM_STRINGIFY(x)
static const char schema_version_sql[] =
    "SELECT COALESCE(MAX(version), 0), COALESCE(MIN(version) FILTER (WHERE version > "
    KFM_NUMBER(KF_SCHEMA_VERSION) " AND NOT COALESCE((to_jsonb(m) ->> 'additive')::boolean,"
    " false)), 0) FROM kf_schema_migrations m";

/* Marker stored in the connection's own statement hash once it is ready. */
#define READY_KEY "kf:ready"
#define STATE_KEY "kf:state"

/* Per-connection bookkeeping kept in the connection's own pool. */
typedef struct conn_state {
    apr_time_t last_used;
    server_rec *job_s;  /* between kfm_db_open and kfm_db_close: the job's server */
    apr_pool_t *job_p;  /* ... and the pool of its run */
    kf_pg_tx tx;        /* its queue in the user's pool */
    int drop;           /* its server writes nothing (SQLSTATE 25006): made again at its next
                         * use, where target_session_attrs finds the writable one */
    int replica;        /* a KonfirmadoReadDatabase connection (mod_kf_db_read.h): its losses
                         * are no outage of the database */
} conn_state;

/* A select's rows as the glue hands them out: the core's (kf_pg_rows.h). */
struct kfm_rows {
    kf_pg_rows *pg;
};

/* Who uses a connection: a request, or a job's run (kfm_ctx: r NULL, its server and pool).
 * Log lines and temporary allocations go there; everything below works on either. */
typedef kfm_ctx db_user;

static int tells_outage(ap_dbd_t *db);

/* A lost database is an error for a request (someone got a 503), but only a warning
 * for a job: it pauses and catches up by itself, and says so once; and for a read
 * replica's connection, whose reads go to the primary meanwhile. */
static int outage_level(const db_user *u, ap_dbd_t *db)
{
    return u->r && tells_outage(db) ? APLOG_ERR : APLOG_WARNING;
}

static conn_state *state_of(ap_dbd_t *db)
{
    return apr_hash_get(db->prepared, STATE_KEY, APR_HASH_KEY_STRING);
}

static void verbose_errors(ap_dbd_t *db);

static conn_state *ensure_state(ap_dbd_t *db)
{
    conn_state *cs = state_of(db);
    if (!cs) {
        cs = apr_pcalloc(db->pool, sizeof(*cs));
        apr_hash_set(db->prepared, STATE_KEY, APR_HASH_KEY_STRING, cs);
        verbose_errors(db);      /* first use of this connection */
    }
    return cs;
}

/* The user behind r, or, for r == NULL, the job that opened db with kfm_db_open. */
static int user_of(request_rec *r, ap_dbd_t *db, db_user *u)
{
    if (r) {
        *u = kfm_ctx_of_request(r);
        return 1;
    }
    conn_state *cs = state_of(db);
    if (!cs || !cs->job_p) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, ap_server_conf,
                     "database call without a request on a connection no job opened");
        return 0;
    }
    *u = kfm_ctx_of_job(cs->job_s, cs->job_p);
    return 1;
}

/* A statement whose failure needs no report (DEALLOCATE ALL on a session being made ready:
 * what follows fails if the session does). */
static void run_quietly(ap_dbd_t *db, const char *sql)
{
    int n = 0;
    apr_dbd_query(db->driver, db->handle, &n, sql);
}

/* libpq's own connection under apr_dbd's handle (NULL: none). */
static PGconn *native_conn(ap_dbd_t *db)
{
    return apr_dbd_native_handle(db->driver, db->handle);
}


int kfm_db_available(void)
{
    return APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire) != NULL;
}

void kfm_db_bind(void)
{
    dbd_acquire_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    dbd_open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    dbd_close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
}

/* libpq's own message (PQERRORS_VERBOSE, see verbose_errors): for decisions only. What is
 * logged is its summary (SQLSTATE and constraint name): row values (an email in a DETAIL
 * line, an input in the primary message) never reach the error log. */
static const char *db_error(ap_dbd_t *db, int rv)
{
    const char *msg = apr_dbd_error(db->driver, db->handle, rv);
    return msg ? msg : "(no message)";
}

static const char *db_error_for_log(apr_pool_t *p, ap_dbd_t *db, int rv)
{
    return kf_pg_error_summary(p, db_error(db, rv));
}

/* SQLSTATEs in every message of this session (a setting of the PGconn: it survives
 * mod_dbd's PQreset). */
static void verbose_errors(ap_dbd_t *db)
{
    PGconn *conn = native_conn(db);
    if (conn) {
        PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
    }
}

/* Forget what this session had prepared: after a failure the session may be gone, and
 * mod_dbd's reconnect (PQreset) starts a new one without our statements. */
static void mark_not_ready(ap_dbd_t *db)
{
    void *state = apr_hash_get(db->prepared, STATE_KEY, APR_HASH_KEY_STRING);
    apr_hash_clear(db->prepared);
    if (state) {
        apr_hash_set(db->prepared, STATE_KEY, APR_HASH_KEY_STRING, state);
    }
}

/* This process's outage (kf_pg_session.h): its first and its last line. */
static kf_pg_outage outage;

/* Whether what happens to db is the database's outage: not for a read replica's connection,
 * whose requests go to the primary meanwhile (db NULL: none could be had from mod_dbd). */
static int tells_outage(ap_dbd_t *db)
{
    conn_state *cs = db ? state_of(db) : NULL;
    return !cs || !cs->replica;
}

static void connection_lost(ap_dbd_t *db, const char *message)
{
    if (tells_outage(db)) {
        kf_pg_outage_connection_lost(&outage, message);
    }
}

static void outage_begins(const db_user *u, ap_dbd_t *db, const char *message)
{
    if (!tells_outage(db)) {
        return;
    }
    const char *line = kf_pg_outage_begins_line(&outage, u->p, message, apr_time_now());
    if (line) {
        KFM_CTX_LOG(u, APLOG_WARNING, "%s", line);
    }
}

static void outage_ends(const db_user *u, ap_dbd_t *db)
{
    if (!tells_outage(db)) {
        return;
    }
    const char *line = kf_pg_outage_ends_line(&outage, u->p, apr_time_now());
    if (line) {
        KFM_CTX_LOG(u, APLOG_NOTICE, "%s", line);
    }
}

const char *kfm_db_outage_reason(void)
{
    return kf_pg_outage_reason(&outage);
}

static const char *native_error(ap_dbd_t *db)
{
    PGconn *conn = native_conn(db);
    return conn ? PQerrorMessage(conn) : NULL;
}

/* After a reset nothing is prepared yet: ask with a constant query. */
static int ping_quietly_unprepared(const db_user *u, ap_dbd_t *db)
{
    apr_dbd_results_t *res = NULL;
    return apr_dbd_select(db->driver, u->p, db->handle, &res, "SELECT 1", 1) == 0;
}

static kfm_db_state read_schema_version(const db_user *u, ap_dbd_t *db, int *version,
                                        int *first_breaking)
{
    *first_breaking = 0;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rv = apr_dbd_select(db->driver, u->p, db->handle, &res, schema_version_sql, 1);
    if (rv != 0) {
        const char *msg = db_error(db, rv);
        if (kf_pg_error_no_migrations(msg)) {
            *version = 0;
            return KFM_DB_OK;
        }
        outage_begins(u, db, msg);
        KFM_CTX_LOG(u, outage_level(u, db), "%s unreachable: %s",
                    tells_outage(db) ? "database" : "read replica", db_error_for_log(u->p, db, rv));
        mark_not_ready(db);
        return KFM_DB_DOWN;
    }
    if (apr_dbd_get_row(db->driver, u->p, res, &row, 1) != 0) {
        return KFM_DB_DOWN;
    }
    const char *v = apr_dbd_get_entry(db->driver, row, 0);
    *version = v ? atoi(v) : 0;
    const char *breaking = apr_dbd_get_entry(db->driver, row, 1);
    *first_breaking = breaking ? atoi(breaking) : 0;
    return KFM_DB_OK;
}

/* Prepares one statement on db under its label: apr_dbd's status (0: prepared). */
static int prepare_one(ap_dbd_t *db, const char *label, const char *sql)
{
    apr_dbd_prepared_t *stmt = NULL;
    int rv = apr_dbd_prepare(db->driver, db->pool, db->handle, sql, label, &stmt);
    if (rv == 0) {
        apr_hash_set(db->prepared, label, APR_HASH_KEY_STRING, stmt);
    }
    return rv;
}

/* A statement PostgreSQL refuses to prepare on a working connection: a bug (its SQL and
 * the schema disagree). */
static kfm_db_state not_prepared(const db_user *u, ap_dbd_t *db, const char *label, int rv)
{
    KFM_CTX_LOG(u, APLOG_CRIT, "statement %s does not prepare: %s", label,
               db_error_for_log(u->p, db, rv));
    mark_not_ready(db);
    return KFM_DB_BROKEN;
}

typedef struct preparing {
    ap_dbd_t *db;
    const char *failed;   /* the label PostgreSQL refused */
} preparing;

static int prepare_listed(const kfm_sql *q, void *data)
{
    preparing *pr = data;
    int rv = prepare_one(pr->db, q->label, q->sql);
    if (rv != 0) {
        pr->failed = q->label;
    }
    return rv;
}

static kfm_db_state prepare_all(const db_user *u, ap_dbd_t *db)
{
    preparing pr = {db, NULL};
    int rv = for_each_statement(prepare_listed, &pr);
    return rv ? not_prepared(u, db, pr.failed, rv) : KFM_DB_OK;
}

/* A connection idle for longer than this is checked with a ping before it is handed out:
 * PostgreSQL may have restarted meanwhile, and mod_dbd's own check (PQstatus) cannot know. */
#define IDLE_CHECK_AFTER apr_time_from_sec(1)

static int ping_quietly(const db_user *u, ap_dbd_t *db)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_prepared_t *stmt = apr_hash_get(db->prepared, "kf_ping", APR_HASH_KEY_STRING);
    return stmt && apr_dbd_pselect(db->driver, u->p, db->handle, &res, stmt, 1, 0, NULL) == 0;
}

/* Schema check then statements: what makes a connection (new or reset) ready. */
static kfm_db_state make_ready(const db_user *u, ap_dbd_t *db, int *schema_version)
{
    int version = -1, first_breaking = 0;
    kfm_db_state st = read_schema_version(u, db, &version, &first_breaking);
    if (schema_version) {
        *schema_version = version;
    }
    if (st != KFM_DB_OK) {
        return st;
    }
    const char *refused = kf_schema_refusal(u->p, KF_SCHEMA_VERSION, version, first_breaking);
    if (refused) {
        KFM_CTX_LOG(u, APLOG_WARNING, "%s", refused);
        return KFM_DB_SCHEMA_OUTDATED;
    }
    /* A session that lived through an earlier, interrupted preparation (or an outdated
     * schema) still holds some statements under our labels: start from none. */
    run_quietly(db, "DEALLOCATE ALL");
    /* The first connection of a process to the primary (normally its warm-up's as it
     * starts, mod_kf_db_warm.h; never a read replica's, which runs only reads) proves that
     * every statement prepares (a deploy whose SQL and schema
     * disagree is logged then, and fails at its first request, not at some rare one's);
     * the others prepare each statement at its first use there (statement()): a new
     * connection costs one read instead of ~220 PREPAREs (~40 ms of PostgreSQL's CPU), and
     * most connections only ever run a handful of statements. */
    if (tells_outage(db) && apr_atomic_cas32(&all_prepared_once, 1, 0) == 0) {
        kfm_db_state proven = prepare_all(u, db);
        if (proven != KFM_DB_OK) {
            apr_atomic_set32(&all_prepared_once, 0);
            return proven;
        }
    }
    /* the idle check's ping is asked before any statement is */
    else {
        int rv = prepare_one(db, "kf_ping", foundation_sql[0].sql);
        if (rv != 0) {
            return not_prepared(u, db, "kf_ping", rv);
        }
    }
    apr_hash_set(db->prepared, READY_KEY, APR_HASH_KEY_STRING, READY_KEY);
    return KFM_DB_OK;
}

/* A transaction some path forgot to end is rolled back before the connection goes back
 * to mod_dbd's pool, instead of leaking into whoever gets the connection next. */
static void roll_back_forgotten_tx(const db_user *u, ap_dbd_t *db)
{
    conn_state *cs = state_of(db);
    if (cs && cs->tx.open) {
        KFM_CTX_LOG(u, APLOG_ERR, "a transaction was left open: rolled back");
        kf_pg_roll_back(native_conn(db), &cs->tx);
    }
}

typedef struct open_tx_guard {
    request_rec *r;
    ap_dbd_t *db;
} open_tx_guard;

/* Runs before mod_dbd returns a request's connection to the pool (cleanups run last-in
 * first-out). */
static apr_status_t roll_back_forgotten_request_tx(void *data)
{
    open_tx_guard *g = data;
    db_user u = kfm_ctx_of_request(g->r);
    roll_back_forgotten_tx(&u, g->db);
    kfm_counters_db(-1);
    return APR_SUCCESS;
}

/* What kfm_db_acquire and kfm_db_open share: a connection checked out of mod_dbd's pool
 * is pinged when it sat idle, and made ready (schema checked, statements prepared: see
 * make_ready) when it is new or was reset. */
static kfm_db_state make_usable(const db_user *u, ap_dbd_t *db, int *schema_version,
                                int for_job)
{
    conn_state *cs = ensure_state(db);
    apr_time_t now = apr_time_now();
    /* a connection made ready while the process's proof ran, which then failed, proves
     * again: the statement that does not prepare fails a request, not only the warm-up */
    int ready = apr_hash_get(db->prepared, READY_KEY, APR_HASH_KEY_STRING) != NULL &&
                apr_atomic_read32(&all_prepared_once) != 0;

    /* Jobs run once a second or less: one quiet ping per run costs nothing and notices a
     * PostgreSQL restart that happened since another user's last statement. A request's
     * connection is pinged when it sat idle, or when its socket shows the server left. */
    int check = for_job || now - cs->last_used > IDLE_CHECK_AFTER ||
                kf_pg_idle_socket_speaks(native_conn(db));
    if (cs->drop || (ready && check && !ping_quietly(u, db))) {
        /* Stale session, or one on a server that became read-only: reconnect. */
        const char *why = cs->drop ? "ERROR:  25006: read-only server"
                                   : apr_pstrdup(u->p, native_error(db));
        KFM_CTX_LOG(u, APLOG_INFO, "%s database connection was lost (%s); reconnecting",
                    cs->drop ? "a" : "idle", kf_pg_lost_reason(why));
        int dropped = cs->drop;
        cs->drop = 0;
        connection_lost(db, why);
        mark_not_ready(db);
        ready = 0;
        /* made again now: libpq may not have marked the session bad yet (the server's last
         * words read, its closed socket not), and the driver's check resets only a session
         * marked bad, so it would hand this one back as it is and fail the request */
        PGconn *conn = native_conn(db);
        if (conn) {
            PQreset(conn);
        }
        if (!conn || PQstatus(conn) != CONNECTION_OK || !ping_quietly_unprepared(u, db)) {
            /* a read-only server left: libpq's words of why no other one took the
             * connection (none writable yet) */
            const char *now_why = dropped ? native_error(db) : NULL;
            outage_begins(u, db, now_why && *now_why ? apr_pstrdup(u->p, now_why) : why);
            return KFM_DB_DOWN;
        }
    }
    /* A ready connection passed the schema check when it became ready: no extra round
     * trip per request. One that is not ready checks again, so migrating a running
     * system takes effect without a restart. */
    if (!ready) {
        kfm_db_state st = make_ready(u, db, schema_version);
        if (st != KFM_DB_OK) {
            return st;
        }
    }
    else if (schema_version) {
        *schema_version = KF_SCHEMA_VERSION;
    }
    cs->last_used = now;
    outage_ends(u, db);
    return KFM_DB_OK;
}

kfm_db_state kfm_db_acquire(request_rec *r, ap_dbd_t **out, int *schema_version)
{
    *out = NULL;
    ap_dbd_t *db = dbd_acquire_fn ? dbd_acquire_fn(r) : NULL;
    db_user u = kfm_ctx_of_request(r);
    if (!db) {
        if (dbd_acquire_fn) {
            outage_begins(&u, NULL, NULL);
        }
        return KFM_DB_DOWN;
    }
    kfm_db_state st = make_usable(&u, db, schema_version, 0);
    if (st != KFM_DB_OK) {
        return st;
    }
    if (!apr_table_get(r->notes, "kf-db-guard")) {
        open_tx_guard *g = apr_palloc(r->pool, sizeof(*g));
        g->r = r;
        g->db = db;
        apr_pool_cleanup_register(r->pool, g, roll_back_forgotten_request_tx,
                                  apr_pool_cleanup_null);
        apr_table_setn(r->notes, "kf-db-guard", "1");
        kfm_counters_db(1);   /* until the request ends (the guard's cleanup) */
    }
    *out = db;
    return KFM_DB_OK;
}

/* Job connections held in this process, and whether it is exiting (kfm_db_child_init). */
static kf_pg_holders job_holders;

/* How long exit waits for held connections. */
#define EXIT_WAIT apr_time_from_sec(15)

static apr_status_t refuse_and_drain(void *data)
{
    (void)data;
    kf_pg_holders_drain(&job_holders, EXIT_WAIT);
    return APR_SUCCESS;
}

void kfm_db_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    /* a pre-cleanup runs before any cleanup and before the subpools go */
    apr_pool_pre_cleanup_register(pchild, NULL, refuse_and_drain);
}

static kfm_db_state open_held(server_rec *s, apr_pool_t *p, int for_job, ap_dbd_t **out)
{
    *out = NULL;
    if (!kf_pg_holders_take(&job_holders)) {
        return KFM_DB_STOPPING;
    }
    ap_dbd_t *db = dbd_open_fn ? dbd_open_fn(p, s) : NULL;
    if (!db) {
        if (dbd_open_fn) {
            db_user u = kfm_ctx_of_job(s, p);
            outage_begins(&u, NULL, NULL);
        }
        kf_pg_holders_release(&job_holders);
        return KFM_DB_DOWN;
    }
    kfm_counters_db(1);   /* until kfm_db_close */
    conn_state *cs = ensure_state(db);
    cs->job_s = s;
    cs->job_p = p;
    db_user u = kfm_ctx_of_job(s, p);
    kfm_db_state st = make_usable(&u, db, NULL, for_job);
    if (st != KFM_DB_OK) {
        kfm_db_close(s, db);
        return st;
    }
    *out = db;
    return KFM_DB_OK;
}

kfm_db_state kfm_db_ready_replica(request_rec *r, ap_dbd_t *db)
{
    conn_state *cs = ensure_state(db);
    cs->replica = 1;
    db_user u = kfm_ctx_of_request(r);
    return make_usable(&u, db, NULL, 0);
}

kfm_db_state kfm_db_open(server_rec *s, apr_pool_t *p, ap_dbd_t **out)
{
    return open_held(s, p, 1, out);
}

kfm_db_state kfm_db_open_for_request(request_rec *r, ap_dbd_t **out)
{
    return open_held(r->server, r->pool, 0, out);
}

void kfm_db_close(server_rec *s, ap_dbd_t *db)
{
    if (!db) {
        return;
    }
    conn_state *cs = ensure_state(db);
    if (cs->job_p) {
        db_user u = kfm_ctx_of_job(s, cs->job_p);
        roll_back_forgotten_tx(&u, db);
    }
    cs->job_s = NULL;
    cs->job_p = NULL;
    if (dbd_close_fn) {
        dbd_close_fn(s, db);
    }
    kfm_counters_db(-1);
    kf_pg_holders_release(&job_holders);
}

/* libpq reports SQL errors as "ERROR:  ..."; anything else (FATAL, "server closed the
 * connection", "no connection to the server") means the session is gone. */
static apr_status_t classify_message(const db_user *u, ap_dbd_t *db, const char *label,
                                     const char *msg);

/* The prepared statement of `label`, given nargs arguments, prepared on db at its first use
 * there: NULL (a bug, logged) for an unknown label or another number of arguments than it
 * has placeholders (the driver would read past them), or when it does not prepare. */
static apr_dbd_prepared_t *statement(const db_user *u, ap_dbd_t *db, const char *label,
                                     int nargs)
{
    const char *why = NULL;
    const char *sql = kf_pg_statements_sql(declared, u->p, label, nargs, &why);
    if (!sql) {
        KFM_CTX_LOG(u, APLOG_CRIT, "%s", why);
        return NULL;
    }
    if (!apr_hash_get(db->prepared, READY_KEY, APR_HASH_KEY_STRING)) {
        /* the session failed earlier in this use (lost, or on a server that became
         * read-only) and forgot its statements while it may still hold them: preparing one
         * again would be refused as a duplicate. It is made again at its next checkout. */
        KFM_CTX_LOG(u, APLOG_DEBUG, "%s not run: the connection failed earlier", label);
        return NULL;
    }
    apr_dbd_prepared_t *stmt = apr_hash_get(db->prepared, label, APR_HASH_KEY_STRING);
    if (!stmt) {
        /* refused inside a failed transaction, or on a lost connection, like any statement
         * (the process's first connection proved that it prepares) */
        int rv = prepare_one(db, label, sql);
        if (rv != 0) {
            classify_message(u, db, label, db_error(db, rv));
            return NULL;
        }
        stmt = apr_hash_get(db->prepared, label, APR_HASH_KEY_STRING);
    }
    return stmt;
}

static apr_status_t classify_message(const db_user *u, ap_dbd_t *db, const char *label,
                                     const char *msg)
{
    conn_state *cs = state_of(db);
    if (cs) {
        kf_pg_tx_statement_failed(&cs->tx);
    }
    const char *line = kf_pg_failure_line(u->p, label, msg);
    kf_pg_failure kind = kf_pg_error_kind(msg);
    if (kind == KF_PG_REFUSED || kind == KF_PG_FAILED) {
        /* the session is fine: a refusal is the caller's to answer, anything else a bug */
        KFM_CTX_LOG(u, kind == KF_PG_REFUSED ? APLOG_INFO : APLOG_ERR, "%s", line);
        return kf_pg_failure_status(msg);
    }
    connection_lost(db, msg);
    KFM_CTX_LOG(u, outage_level(u, db), "%s", line);
    mark_not_ready(db);
    if (kind == KF_PG_READ_ONLY && cs) {
        cs->drop = 1;   /* alive, so neither mod_dbd nor the idle check would make it again */
    }
    if (u->r) {
        /* the request's answer becomes 503 service_unavailable, not 500 (kfm_reply_error) */
        apr_table_setn(u->r->notes, KFM_DB_LOST_NOTE, "1");
    }
    return APR_EGENERAL;
}

/* ---------------------------------------------------------------- statements */

/* Statements go to PostgreSQL through libpq (kf_pg_exec.h): so that queued ones travel in the
 * same round trip as the statement that needs an answer (pipeline mode), selects included.
 * Here each failure it kept is told (logged, and for a lost connection its consequences), in
 * the order they happened. */

static void start_run(kf_pg_run *run, const db_user *u, ap_dbd_t *db)
{
    PGconn *conn = native_conn(db);
    kf_pg_run_start(run, conn, u->p);
}

/* rv, the run's outcome, once its failures are told. */
static apr_status_t reported(const db_user *u, ap_dbd_t *db, const kf_pg_run *run,
                             apr_status_t rv)
{
    for (int i = 0; i < run->faults->nelts; i++) {
        const kf_pg_fault *f = &APR_ARRAY_IDX(run->faults, i, kf_pg_fault);
        classify_message(u, db, f->label, f->message);
    }
    if (run->unusable) {
        mark_not_ready(db);           /* answers left unread: not reusable as it is */
    }
    return rv;
}

/* One statement: with whatever is queued in one round trip, or alone. */
static apr_status_t run_statement(const db_user *u, ap_dbd_t *db, const char *label,
                                  int nargs, const char *const *args, int *affected,
                                  kfm_rows **rows)
{
    conn_state *cs = state_of(db);
    kf_pg_run run;
    start_run(&run, u, db);
    kf_pg_rows *pg = NULL;
    apr_status_t rv = kf_pg_run_statement(&run, cs ? &cs->tx : NULL, label, nargs, args,
                                          affected, rows ? &pg : NULL);
    if (pg) {
        *rows = apr_palloc(u->p, sizeof(**rows));
        (*rows)->pg = pg;
    }
    return reported(u, db, &run, rv);
}

void kfm_db_defer_writes(ap_dbd_t *db)
{
    conn_state *cs = state_of(db);
    if (cs) {
        kf_pg_tx_defer_writes(&cs->tx);
    }
}

apr_status_t kfm_db_ping(request_rec *r, ap_dbd_t *db)
{
    kfm_rows *res = NULL;
    return kfm_db_select(r, db, "kf_ping", &res, 0, NULL);
}

apr_status_t kfm_db_select(request_rec *r, ap_dbd_t *db, const char *label,
                          kfm_rows **res, int nargs, const char *const *args)
{
    db_user u;
    *res = NULL;
    if (!user_of(r, db, &u) || !statement(&u, db, label, nargs)) {
        return APR_EGENERAL;
    }
    return run_statement(&u, db, label, nargs, args, NULL, res);
}

apr_status_t kfm_db_exec(request_rec *r, ap_dbd_t *db, const char *label, int *affected,
                        int nargs, const char *const *args)
{
    db_user u;
    if (!user_of(r, db, &u) || !statement(&u, db, label, nargs)) {
        return APR_EGENERAL;
    }
    conn_state *cs = state_of(db);
    if (cs && kf_pg_tx_defers(&cs->tx, affected != NULL)) {
        kf_pg_tx_queue(&cs->tx, u.p, label, NULL, nargs, args);
        return APR_SUCCESS;
    }
    return run_statement(&u, db, label, nargs, args, affected, NULL);
}

/* Transactions are plain BEGIN / COMMIT / ROLLBACK statements, with the failure of a
 * statement inside one tracked in conn_state, rather than apr_dbd's transaction calls:
 * apr-util's pgsql driver writes through a NULL pointer when BEGIN fails on a connection
 * lost since its last use, which would take the whole child process down. */
apr_status_t kfm_db_begin(request_rec *r, ap_dbd_t *db, kfm_tx *tx)
{
    db_user u;
    tx->db = db;
    tx->open = 0;
    if (!user_of(r, db, &u)) {
        return APR_EGENERAL;
    }
    conn_state *cs = ensure_state(db);   /* nothing is queued outside a transaction */
    kf_pg_tx_begin(&cs->tx, u.p);
    tx->open = 1;
    return APR_SUCCESS;
}

apr_status_t kfm_db_commit(request_rec *r, kfm_tx *tx)
{
    db_user u;
    if (!tx->open || !user_of(r, tx->db, &u)) {
        return APR_EGENERAL;
    }
    tx->open = 0;
    conn_state *cs = state_of(tx->db);
    kf_pg_run run;
    start_run(&run, &u, tx->db);
    return reported(&u, tx->db, &run, kf_pg_run_commit(&run, cs ? &cs->tx : NULL));
}

void kfm_db_rollback(request_rec *r, kfm_tx *tx)
{
    (void)r;
    if (!tx->open) {
        return;
    }
    tx->open = 0;
    conn_state *cs = state_of(tx->db);
    if (cs) {
        kf_pg_roll_back(native_conn(tx->db), &cs->tx);
    }
}

int kfm_db_rows(ap_dbd_t *db, kfm_rows *res)
{
    (void)db;
    return kf_pg_rows_count(res ? res->pg : NULL);
}

void kfm_db_row(ap_dbd_t *db, apr_pool_t *p, kfm_rows *res, int row, const char **v,
                int n)
{
    (void)db;
    (void)p;
    kf_pg_rows_row(res ? res->pg : NULL, row, v, n);
}

const char *const *const *kfm_db_all_rows(ap_dbd_t *db, apr_pool_t *p, kfm_rows *res, int ncols,
                                          int *n)
{
    (void)db;
    return kf_pg_rows_all(res ? res->pg : NULL, p, ncols, n);
}

const char *kfm_db_int64(apr_pool_t *p, apr_int64_t n)
{
    return kf_pg_int64(p, n);
}

apr_int64_t kfm_db_number(const char *v)
{
    return kf_pg_number(v);
}

const char *kfm_db_value(ap_dbd_t *db, apr_pool_t *p, kfm_rows *res, int rownum, int col)
{
    (void)db;
    (void)p;
    return kf_pg_rows_value(res ? res->pg : NULL, rownum, col);
}
