#ifndef KF_PG_TX_H
#define KF_PG_TX_H
/* A connection's transaction as the module runs it: plain BEGIN / COMMIT / ROLLBACK, with
 * what is not sent yet queued to travel with the next statement that needs an answer, in one
 * round trip (libpq's pipeline mode). BEGIN itself is queued, so a transaction that ran
 * nothing costs none; while writes are deferred (a payment event's, checked only as a whole)
 * an exec that asks for no affected count is queued too. A statement that fails inside one
 * leaves it only a rollback. The sending is the module's; this keeps the books. */
#include <apr_pools.h>
#include <apr_tables.h>

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
