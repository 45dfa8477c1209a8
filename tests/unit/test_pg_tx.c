/* Unit tests for lib/database/kf_pg_session.c: a transaction's books between BEGIN and its end. */
#include "kf_check.h"
#include "kf_pg_session.h"

static const kf_pg_queued *queued_at(apr_array_header_t *q, int i)
{
    return &APR_ARRAY_IDX(q, i, kf_pg_queued);
}

START_TEST(begin_travels_with_the_first_statement)
{
    kf_pg_tx t = {0};
    kf_pg_tx_begin(&t, pool);
    ck_assert(t.open);
    ck_assert(!kf_pg_tx_reached_server(&t));   /* nothing sent: no ROLLBACK owed */
    ck_assert_int_eq(kf_pg_tx_commit_plan(&t), KF_PG_COMMIT_NOTHING_RAN);
    apr_array_header_t *q = kf_pg_tx_take_queue(&t);
    ck_assert_int_eq(q->nelts, 1);
    ck_assert_ptr_null(queued_at(q, 0)->label);
    ck_assert_str_eq(queued_at(q, 0)->command, "BEGIN");
    ck_assert(kf_pg_tx_reached_server(&t));
    ck_assert_ptr_null(kf_pg_tx_take_queue(&t));
    ck_assert_int_eq(kf_pg_tx_commit_plan(&t), KF_PG_COMMIT_SEND);
    ck_assert_int_eq(kf_pg_tx_end(&t), 0);
    ck_assert(!t.open);
}
END_TEST

START_TEST(deferred_writes_wait_for_an_answer)
{
    kf_pg_tx t = {0};
    kf_pg_tx_defer_writes(&t);   /* outside a transaction: nothing is deferred */
    ck_assert(!kf_pg_tx_defers(&t, 0));
    kf_pg_tx_begin(&t, pool);
    ck_assert(!kf_pg_tx_defers(&t, 0));
    kf_pg_tx_defer_writes(&t);
    ck_assert(kf_pg_tx_defers(&t, 0));
    ck_assert(!kf_pg_tx_defers(&t, 1));   /* a write whose count is asked is sent */
    char id[] = "7";
    const char *args[] = {id, NULL};
    kf_pg_tx_queue(&t, pool, "kf_payment_mark", NULL, 2, args);
    id[0] = '8';                           /* the caller's buffer may change: copied */
    ck_assert_int_eq(kf_pg_tx_commit_plan(&t), KF_PG_COMMIT_SEND);
    apr_array_header_t *q = kf_pg_tx_take_queue(&t);
    ck_assert_int_eq(q->nelts, 2);
    ck_assert_str_eq(queued_at(q, 1)->label, "kf_payment_mark");
    ck_assert_int_eq(queued_at(q, 1)->nargs, 2);
    ck_assert_str_eq(queued_at(q, 1)->args[0], "7");
    ck_assert_ptr_null(queued_at(q, 1)->args[1]);
    kf_pg_tx_end(&t);
    ck_assert(!kf_pg_tx_defers(&t, 0));    /* deferring ends with it */
}
END_TEST

START_TEST(a_failed_statement_leaves_only_a_rollback)
{
    kf_pg_tx t = {0};
    kf_pg_tx_statement_failed(&t);          /* outside a transaction: nothing to spoil */
    ck_assert(!t.failed);
    kf_pg_tx_begin(&t, pool);
    kf_pg_tx_take_queue(&t);
    kf_pg_tx_statement_failed(&t);
    ck_assert_int_eq(kf_pg_tx_commit_plan(&t), KF_PG_COMMIT_REFUSED);
    ck_assert_int_eq(kf_pg_tx_end(&t), 1);
    /* the next one starts clean */
    kf_pg_tx_begin(&t, pool);
    ck_assert(!t.failed);
    ck_assert_int_eq(kf_pg_tx_end(&t), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_tx");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, begin_travels_with_the_first_statement);
    tcase_add_test(tc, deferred_writes_wait_for_an_answer);
    tcase_add_test(tc, a_failed_statement_leaves_only_a_rollback);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
