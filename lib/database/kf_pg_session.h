#ifndef KF_PG_SESSION_H
#define KF_PG_SESSION_H
/* A PostgreSQL session as the module keeps its books: what a failure it answers means and
 * may be logged, an outage of them all, the connections a process's jobs hold
 * (kf_pg_holders), and the transaction run on it (kf_pg_tx, below).
 * One unit, because the transaction's books follow from what a failure means.
 *
 * What may be logged of a PostgreSQL error: the server's message and its DETAIL can carry row values (e.g. "Key (email)=(ana@example.com)
 * already exists"), so logs carry only the SQLSTATE and, when the error names one, the
 * constraint; what an error means for the session; how many arguments a statement takes; and
 * an outage's two lines (kf_pg_outage, below). */
#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

/* From a libpq error message in PQERRORS_VERBOSE form ("ERROR:  23505: duplicate key value
 * violates unique constraint \"users_email_key\"\nDETAIL:  ..."): "SQLSTATE 23505, constraint
 * users_email_key"; "SQLSTATE 42P01" when no constraint is named. A message that is no SQL
 * error (a lost connection: "server closed the connection unexpectedly", "FATAL: ...") holds
 * no row data: its first line, at most 200 bytes, control characters replaced. NULL -> "". */
const char *kf_pg_error_summary(apr_pool_t *p, const char *message);

/* 1 when the message is an SQL error (the session is fine), 0 for anything else. */
int kf_pg_error_is_sql(const char *message);

/* 1 when the SQL error is an integrity violation (SQLSTATE class 23: unique, foreign key,
 * check, exclusion, not null). */
int kf_pg_error_is_constraint(const char *message);

/* What a failed statement's message means: refused by a constraint (the caller decides
 * what that answers), another SQL error (a bug: the session is fine), the session lost, or
 * the session on a server that writes nothing (SQLSTATE 25006: a standby, or a primary being
 * demoted by a failover manager): alive, but to be dropped like a lost one, so that its
 * next connection lands on the writable server (target_session_attrs=read-write). */
typedef enum { KF_PG_REFUSED, KF_PG_FAILED, KF_PG_LOST, KF_PG_READ_ONLY } kf_pg_failure;
kf_pg_failure kf_pg_error_kind(const char *message);

/* A statement refused by a constraint (unique, foreign key, check, exclusion): the
 * connection is fine and the caller decides what it means (409, 400, ...). */
#define KF_PG_ECONSTRAINT (APR_OS_START_USERERR + 1201)

/* What a failed statement's message means for its caller's status: KF_PG_ECONSTRAINT when a
 * constraint refused it, else APR_EGENERAL. */
apr_status_t kf_pg_failure_status(const char *message);

/* What a lost connection's message (libpq's, or the server's FATAL) says happened, in words
 * an operator acts on: PostgreSQL shut down or restarted (57P01-57P03, "shutting down",
 * "starting up"), it refused or could not be reached, or the connection broke. NULL ->
 * the last. */
const char *kf_pg_lost_reason(const char *message);

/* 1 when the error says the table of applied migrations does not exist: a database no
 * migration ever ran on (its schema version is 0), not a failure. */
int kf_pg_error_no_migrations(const char *message);

/* The number of arguments a statement in apr_dbd's syntax takes: '%' and a letter (%s, %d,
 * %pDi ...) each; "%%" is a literal per cent sign. */
int kf_pg_placeholder_count(const char *sql);


/* A database outage as one process lives it: the first connection found lost says what
 * happened (one line, in words, not libpq's bare FATAL), the first one made ready again says
 * that the pool recovered and after how long. Connections are re-made one by one at their
 * next use, so without this the log has one line per connection and none that says "over".
 * Safe across the process's threads (atomics); zero-initialised it is "no outage". Reasons
 * are kf_pg_lost_reason's constants; times are the caller's clock, in any one unit. */
typedef struct kf_pg_outage {
    apr_uint32_t on;                 /* 1 between the two lines */
    /* what the last connection found lost said, until a connection is usable again: the
     * reason an outage that follows is told with */
    volatile void *last_lost;
    apr_int64_t since;
    const char *volatile reason;
} kf_pg_outage;

/* A connection found lost: the database may still be up (a session PostgreSQL ended), so no
 * outage yet; what it said is kept, should reconnecting fail. */
void kf_pg_outage_connection_lost(kf_pg_outage *o, const char *message);

/* No connection could be had (`message`: libpq's words, NULL when mod_dbd gave none): the
 * outage's reason when this call began it (the caller says so, once), else NULL. */
const char *kf_pg_outage_begins(kf_pg_outage *o, const char *message, apr_int64_t now);

/* A connection is usable again: 1 when this call ended an outage (the caller says so, with
 * *lasted, in the unit of `now`), else 0. */
int kf_pg_outage_ends(kf_pg_outage *o, apr_int64_t now, apr_int64_t *lasted);

/* The reason while an outage lasts, or since a connection was found lost and until one is
 * usable again; NULL otherwise. */
const char *kf_pg_outage_reason(kf_pg_outage *o);

/* The two lines themselves, for a caller whose clock counts microseconds (apr_time_t): when
 * kf_pg_outage_begins began one, what happened and what it means (libpq's words as their
 * summary; none: mod_dbd's line before has them); when kf_pg_outage_ends ended one, after how
 * many seconds. NULL when the call began or ended nothing. */
const char *kf_pg_outage_begins_line(kf_pg_outage *o, apr_pool_t *p, const char *message,
                                     apr_time_t now);
const char *kf_pg_outage_ends_line(kf_pg_outage *o, apr_pool_t *p, apr_time_t now);

/* The line a failed statement (its label) is logged with: refused by a constraint, failed
 * (a bug), or failed with its connection lost, and the message's summary (never row values). */
const char *kf_pg_failure_line(apr_pool_t *p, const char *label, const char *message);

/* The connections a process's jobs hold: one is taken only while the process is not exiting,
 * and its exit waits for those held to be given back (a job's connection must return to the
 * pool before the pool goes). Safe across the process's threads (atomics); zero-initialised
 * it holds none and is not exiting. */
typedef struct kf_pg_holders {
    apr_uint32_t held;
    apr_uint32_t exiting;
} kf_pg_holders;

/* 1 when a connection may be taken, counted as held until kf_pg_holders_release; 0 once the
 * process is exiting (nothing counted). */
int kf_pg_holders_take(kf_pg_holders *h);
void kf_pg_holders_release(kf_pg_holders *h);

/* The process exits: no connection is taken from now on. */
void kf_pg_holders_stop(kf_pg_holders *h);

/* How many are held now. */
apr_uint32_t kf_pg_holders_held(kf_pg_holders *h);

/* The process exits (kf_pg_holders_stop), then waits until those held are given back, at most
 * `at_most` (looked at every 10 ms). */
void kf_pg_holders_drain(kf_pg_holders *h, apr_interval_time_t at_most);

/* A connection's transaction as the module runs it: plain BEGIN / COMMIT / ROLLBACK, with
 * what is not sent yet queued to travel with the next statement that needs an answer, in one
 * round trip (libpq's pipeline mode). BEGIN itself is queued, so a transaction that ran
 * nothing costs none; while writes are deferred (a payment event's, checked only as a whole)
 * an exec that asks for no affected count is queued too. A statement that fails inside one
 * leaves it only a rollback. The sending is the module's; this keeps the books. */

/* A statement waiting to be sent: a prepared one by label, or a command (label NULL). */
typedef struct kf_pg_queued {
    const char *label;
    const char *command;
    int nargs;
    const char **args;
} kf_pg_queued;

typedef struct kf_pg_tx {
    int open;           /* between begin and commit/rollback */
    int failed;         /* a statement failed inside it */
    int deferring;      /* kf_pg_tx_defer_writes: until it ends */
    int begin_queued;   /* its BEGIN has not reached PostgreSQL yet */
    apr_array_header_t *queued;   /* kf_pg_queued, not sent yet */
} kf_pg_tx;

/* Opens one: its BEGIN queued (in p, the pool of whoever runs it). */
void kf_pg_tx_begin(kf_pg_tx *t, apr_pool_t *p);

/* From now until it ends, writes that ask for no count wait for the next statement. */
void kf_pg_tx_defer_writes(kf_pg_tx *t);

/* 1 when an exec is queued rather than sent: writes deferred and no affected count asked. */
int kf_pg_tx_defers(const kf_pg_tx *t, int wants_count);

/* Queues a statement, its arguments copied into p (NULL stays SQL NULL). */
void kf_pg_tx_queue(kf_pg_tx *t, apr_pool_t *p, const char *label, const char *command,
                    int nargs, const char *const *args);

/* What must go first with the next statement (NULL: nothing), taken: from then on the
 * BEGIN has reached PostgreSQL. */
apr_array_header_t *kf_pg_tx_take_queue(kf_pg_tx *t);

/* A statement failed: inside a transaction, only its rollback is left. */
void kf_pg_tx_statement_failed(kf_pg_tx *t);

typedef enum {
    KF_PG_COMMIT_SEND,          /* COMMIT, after whatever is queued */
    KF_PG_COMMIT_NOTHING_RAN,   /* PostgreSQL never heard of it: nothing to send */
    KF_PG_COMMIT_REFUSED        /* a statement failed: it rolls back */
} kf_pg_commit;

kf_pg_commit kf_pg_tx_commit_plan(const kf_pg_tx *t);

/* 1 when a ROLLBACK is owed to PostgreSQL: it has seen the BEGIN. */
int kf_pg_tx_reached_server(const kf_pg_tx *t);

/* Ends it (committed or rolled back): 1 when a statement in it had failed. */
int kf_pg_tx_end(kf_pg_tx *t);

#endif
