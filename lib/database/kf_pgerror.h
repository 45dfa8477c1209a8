#ifndef KF_PGERROR_H
#define KF_PGERROR_H
/* What the module reads in the database's texts. What may be logged of a PostgreSQL error:
 * the server's message and its DETAIL can carry row values (e.g. "Key (email)=(ana@example.com)
 * already exists"), so logs carry only the SQLSTATE and, when the error names one, the
 * constraint; what an error means for the session; and how many arguments a statement takes.
 * Pure. */
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

#endif
