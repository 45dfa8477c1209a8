#ifndef KF_PGERROR_H
#define KF_PGERROR_H
/* What may be logged of a PostgreSQL error. The server's message and its DETAIL can carry
 * row values (e.g. "Key (email)=(ana@example.com) already exists"), so logs carry only the
 * SQLSTATE and, when the error names one, the constraint. Pure. */
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

#endif
