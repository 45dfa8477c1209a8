/* A select's rows on libpq's result: see kf_pg_rows.h. */
#include "kf_pg_rows.h"

#include <apr_strings.h>

struct kf_pg_rows {
    PGresult *res;
    int ntuples;
};

static apr_status_t clear_result(void *data)
{
    PQclear(data);
    return APR_SUCCESS;
}

kf_pg_rows *kf_pg_rows_keep(apr_pool_t *p, PGresult *res)
{
    kf_pg_rows *rows = apr_palloc(p, sizeof(*rows));
    rows->res = res;
    rows->ntuples = PQntuples(res);
    apr_pool_cleanup_register(p, res, clear_result, apr_pool_cleanup_null);
    return rows;
}

int kf_pg_rows_count(const kf_pg_rows *rows)
{
    return rows ? rows->ntuples : 0;
}

const char *kf_pg_rows_value(const kf_pg_rows *rows, int row, int col)
{
    if (!rows || row < 0 || row >= rows->ntuples || col < 0 || col >= PQnfields(rows->res) ||
        PQgetisnull(rows->res, row, col)) {
        return NULL;           /* SQL NULL, told apart from an empty string */
    }
    return PQgetvalue(rows->res, row, col);
}

void kf_pg_rows_row(const kf_pg_rows *rows, int row, const char **v, int n)
{
    for (int i = 0; i < n; i++) {
        v[i] = kf_pg_rows_value(rows, row, i);
    }
}

const char *const *const *kf_pg_rows_all(const kf_pg_rows *rows, apr_pool_t *p, int ncols,
                                         int *n)
{
    *n = kf_pg_rows_count(rows);
    const char ***all = apr_pcalloc(p, sizeof(*all) * (apr_size_t)(*n + 1));
    for (int i = 0; i < *n; i++) {
        all[i] = apr_pcalloc(p, sizeof(**all) * (apr_size_t)ncols);
        kf_pg_rows_row(rows, i, all[i], ncols);
    }
    return (const char *const *const *)all;
}

const char *kf_pg_int64(apr_pool_t *p, apr_int64_t n)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, n);
}

apr_int64_t kf_pg_number(const char *v)
{
    return v ? apr_atoi64(v) : 0;
}
