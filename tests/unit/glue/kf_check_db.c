/* The database seam of the glue's Check suites (kf_check_db.h). */
#include "kf_check_db.h"
#include "kf_pg_statements.h"

#include <apr_hash.h>

struct kfm_rows {
    int count;
    int ncols;
    const char *const *row;
};

typedef struct db_call {
    const char *label;
    const char *const *args;
    int nargs;
} db_call;

static apr_pool_t *db_pool;
static kf_pg_statements *declared;
static apr_hash_t *answers;         /* label -> kfm_rows */
static apr_array_header_t *calls;   /* db_call */
static apr_hash_t *lost;            /* label -> "" */

void kf_check_db_setup(apr_pool_t *p, const kfm_sql *const *tables)
{
    db_pool = p;
    declared = kf_pg_statements_make(p);
    for (int t = 0; tables[t]; t++) {
        for (const kfm_sql *q = tables[t]; q->label; q++) {
            kf_pg_statements_declare(declared, q->label, q->sql);
        }
    }
    answers = apr_hash_make(p);
    calls = apr_array_make(p, 4, sizeof(db_call));
    lost = apr_hash_make(p);
}

void kf_check_db_lose_connection(const char *label)
{
    apr_hash_set(lost, apr_pstrdup(db_pool, label), APR_HASH_KEY_STRING, "");
}

void kf_check_db_answer(const char *label, int ncols, const char *const *row)
{
    kfm_rows *rows = apr_pcalloc(db_pool, sizeof(*rows));
    const char **copy = apr_pcalloc(db_pool, sizeof(*copy) * (apr_size_t)ncols);
    for (int c = 0; c < ncols; c++) {
        copy[c] = row[c] ? apr_pstrdup(db_pool, row[c]) : NULL;
    }
    *rows = (kfm_rows){1, ncols, copy};
    apr_hash_set(answers, apr_pstrdup(db_pool, label), APR_HASH_KEY_STRING, rows);
}

int kf_check_db_calls(void)
{
    return calls->nelts;
}

const char *kf_check_db_call_label(int i)
{
    return APR_ARRAY_IDX(calls, i, db_call).label;
}

const char *kf_check_db_call_arg(int i, int arg)
{
    const db_call *call = &APR_ARRAY_IDX(calls, i, db_call);
    return arg < call->nargs ? call->args[arg] : NULL;
}

/* As the adapter: a call is kept, then refused and logged when its label is not declared
 * or its arguments are not the statement's placeholders. */
static apr_status_t run(request_rec *r, const char *label, int nargs, const char *const *args)
{
    const char **copy = apr_pcalloc(db_pool, sizeof(*copy) * (apr_size_t)(nargs + 1));
    for (int a = 0; a < nargs; a++) {
        copy[a] = args[a] ? apr_pstrdup(db_pool, args[a]) : NULL;
    }
    APR_ARRAY_PUSH(calls, db_call) = (db_call){apr_pstrdup(db_pool, label), copy, nargs};
    const char *why = NULL;
    if (!kf_pg_statements_sql(declared, db_pool, label, nargs, &why)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "%s", why);
        return APR_EGENERAL;
    }
    if (apr_hash_get(lost, label, APR_HASH_KEY_STRING)) {
        apr_table_setn(r->notes, KFM_DB_LOST_NOTE, "1");
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t kfm_db_select(request_rec *r, ap_dbd_t *db, const char *label, kfm_rows **res,
                           int nargs, const char *const *args)
{
    static const kfm_rows none = {0, 0, NULL};
    apr_status_t rv = run(r, label, nargs, args);
    if (rv == APR_SUCCESS) {
        const kfm_rows *rows = apr_hash_get(answers, label, APR_HASH_KEY_STRING);
        *res = (kfm_rows *)(rows ? rows : &none);
    }
    return rv;
}

apr_status_t kfm_db_exec(request_rec *r, ap_dbd_t *db, const char *label, int *affected,
                         int nargs, const char *const *args)
{
    apr_status_t rv = run(r, label, nargs, args);
    if (rv == APR_SUCCESS && affected) {
        *affected = 0;   /* no row holds what a test did not give */
    }
    return rv;
}

int kfm_db_rows(ap_dbd_t *db, kfm_rows *res)
{
    return res->count;
}

void kfm_db_row(ap_dbd_t *db, apr_pool_t *p, kfm_rows *res, int row, const char **v, int n)
{
    for (int c = 0; c < n; c++) {
        v[c] = row < res->count && c < res->ncols ? res->row[c] : NULL;
    }
}
