#ifndef KF_CHECK_DB_H
#define KF_CHECK_DB_H
/* The database as glue code sees it through mod_kf_db.h's calls, for the Check suites of the
 * glue (tests/unit/test_glue_*.c): statements are run by label against the tables a test
 * declares, with the adapter's own check of labels and argument counts (kf_pg_statements);
 * a select answers the row a test gave for its label, else no row, which is what PostgreSQL
 * answers for what it does not hold. Every call is kept for the test to read. */
#include "mod_kf_db.h"

/* Per test: the statement tables the code under test declares (NULL-terminated list of
 * tables), no answers, no calls. */
void kf_check_db_setup(apr_pool_t *p, const kfm_sql *const *tables);

/* The next selects of `label` answer one row of `ncols` values (NULL: SQL NULL). */
void kf_check_db_answer(const char *label, int ncols, const char *const *row);

/* The next statements of `label` fail as on a lost connection (the adapter's request note
 * set, so that a 500 is answered 503). */
void kf_check_db_lose_connection(const char *label);

/* How many statements ran, and the label and argument `arg` of call `i` (from 0). */
int kf_check_db_calls(void);
const char *kf_check_db_call_label(int i);
const char *kf_check_db_call_arg(int i, int arg);

#endif
