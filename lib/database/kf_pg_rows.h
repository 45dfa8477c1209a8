#ifndef KF_PG_ROWS_H
#define KF_PG_ROWS_H
/* The rows of a select as libpq answered them, fully fetched (random access): kept until the
 * pool of whoever asked for them is cleared. Values are text, as PostgreSQL sends them; SQL
 * NULL is NULL, told apart from an empty string. */
#include <apr_pools.h>
#include <libpq-fe.h>

typedef struct kf_pg_rows kf_pg_rows;

/* Keeps res (a PGRES_TUPLES_OK result) until p is cleared, then clears it. */
kf_pg_rows *kf_pg_rows_keep(apr_pool_t *p, PGresult *res);

/* How many rows (NULL: none). */
int kf_pg_rows_count(const kf_pg_rows *rows);

/* Value of column `col` of row `row` (from 0), or NULL for SQL NULL / no such row or
 * column (rows may be NULL). */
const char *kf_pg_rows_value(const kf_pg_rows *rows, int row, int col);

/* The values of columns 0..n-1 of row `row` into v[] (NULL for SQL NULL): a statement's row
 * read through its column enum, v[COL_X]. */
void kf_pg_rows_row(const kf_pg_rows *rows, int row, const char **v, int n);

/* Every row, its columns 0..ncols-1 each (NULL for SQL NULL), allocated from p, as the core's
 * readers of a statement's rows take them; *n the number of rows. */
const char *const *const *kf_pg_rows_all(const kf_pg_rows *rows, apr_pool_t *p, int ncols,
                                         int *n);

/* An integer as a statement's argument (every argument travels as text). */
const char *kf_pg_int64(apr_pool_t *p, apr_int64_t n);

/* A value as it comes back: an integer column's number (NULL: 0). */
apr_int64_t kf_pg_number(const char *v);

#endif
