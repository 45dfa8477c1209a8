#ifndef KF_PGERROR_H
#define KF_PGERROR_H
/* What the module reads in the database's texts and tells the log of PostgreSQL failing.
 * What may be logged of a PostgreSQL error:
 * the server's message and its DETAIL can carry row values (e.g. "Key (email)=(ana@example.com)
 * already exists"), so logs carry only the SQLSTATE and, when the error names one, the
 * constraint; what an error means for the session; how many arguments a statement takes; and
 * an outage's two lines (kf_pg_outage, below). */
#include <apr.h>
#include <apr_pools.h>

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
 * what that answers), another SQL error (a bug: the session is fine), or the session lost. */
typedef enum { KF_PG_REFUSED, KF_PG_FAILED, KF_PG_LOST } kf_pg_failure;
kf_pg_failure kf_pg_error_kind(const char *message);

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

#endif
