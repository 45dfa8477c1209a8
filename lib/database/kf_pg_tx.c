/* A connection's transaction books: see kf_pg_tx.h. */
#include "kf_pg_tx.h"

#include <apr_strings.h>

void kf_pg_tx_begin(kf_pg_tx *t, apr_pool_t *p)
{
    kf_pg_tx_queue(t, p, NULL, "BEGIN", 0, NULL);
    t->begin_queued = 1;
    t->open = 1;
    t->failed = 0;
}

void kf_pg_tx_defer_writes(kf_pg_tx *t)
{
    if (t->open) {
        t->deferring = 1;
    }
}

int kf_pg_tx_defers(const kf_pg_tx *t, int wants_count)
{
    return t->deferring && !wants_count;
}

void kf_pg_tx_queue(kf_pg_tx *t, apr_pool_t *p, const char *label, const char *command,
                    int nargs, const char *const *args)
{
    if (!t->queued) {
        t->queued = apr_array_make(p, 8, sizeof(kf_pg_queued));
    }
    kf_pg_queued *w = apr_array_push(t->queued);
    w->label = label;
    w->command = command;
    w->nargs = nargs;
    w->args = apr_palloc(p, sizeof(*w->args) * (nargs > 0 ? (apr_size_t)nargs : 1));
    for (int i = 0; i < nargs; i++) {
        w->args[i] = args[i] ? apr_pstrdup(p, args[i]) : NULL;
    }
}

apr_array_header_t *kf_pg_tx_take_queue(kf_pg_tx *t)
{
    apr_array_header_t *q = t->queued;
    t->queued = NULL;
    t->begin_queued = 0;
    return q;
}

void kf_pg_tx_statement_failed(kf_pg_tx *t)
{
    if (t->open) {
        t->failed = 1;
    }
}

kf_pg_commit kf_pg_tx_commit_plan(const kf_pg_tx *t)
{
    if (t->begin_queued && t->queued && t->queued->nelts == 1) {
        return KF_PG_COMMIT_NOTHING_RAN;
    }
    return t->failed ? KF_PG_COMMIT_REFUSED : KF_PG_COMMIT_SEND;
}

int kf_pg_tx_reached_server(const kf_pg_tx *t)
{
    return !t->begin_queued;
}

int kf_pg_tx_end(kf_pg_tx *t)
{
    int failed = t->failed;
    t->open = 0;
    t->failed = 0;
    t->deferring = 0;
    t->begin_queued = 0;
    t->queued = NULL;
    return failed;
}
