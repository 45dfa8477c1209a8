#ifndef KF_PG_STATEMENTS_H
#define KF_PG_STATEMENTS_H
/* The statements a server may run, as the features declare them (label, SQL in apr_dbd's
 * syntax): each label non-empty, with SQL, and declared once; a call names a declared label
 * and gives exactly as many arguments as the SQL has placeholders (the driver would read
 * past them otherwise). Built once at startup and only read afterwards. */
#include <apr_pools.h>

typedef struct kf_pg_statements kf_pg_statements;

kf_pg_statements *kf_pg_statements_make(apr_pool_t *p);

/* Declares one: NULL, or why it is refused ("statement label x is declared twice"). */
const char *kf_pg_statements_declare(kf_pg_statements *s, const char *label, const char *sql);

/* 1 when `label` is declared (s may be NULL: none is). */
int kf_pg_statements_known(const kf_pg_statements *s, const char *label);

/* The SQL of `label` for a call with `nargs` arguments, or NULL with *why (allocated from p):
 * an unknown label, or another number of arguments. */
const char *kf_pg_statements_sql(const kf_pg_statements *s, apr_pool_t *p, const char *label,
                                 int nargs, const char **why);

#endif
