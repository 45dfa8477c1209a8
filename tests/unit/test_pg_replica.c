/* Unit tests for lib/database/kf_pg_replica.c: when a read replica's reads are taken, and the
 * one line each change of that says. */
#include "kf_check.h"
#include "kf_pg_replica.h"

START_TEST(a_replica_is_read_within_its_lag_only)
{
    ck_assert(kf_pg_replica_within(0, 1000));
    ck_assert(kf_pg_replica_within(1000, 1000));
    ck_assert(!kf_pg_replica_within(1001, 1000));
    /* receiving nothing from its primary: stale by an unknown amount */
    ck_assert(!kf_pg_replica_within(KF_PG_REPLICA_CUT_OFF, 1000));
    ck_assert(!kf_pg_replica_within(KF_PG_REPLICA_CUT_OFF, 3600000));
}
END_TEST

START_TEST(each_change_is_told_once)
{
    kf_pg_replica_watch w = {0};
    ck_assert_ptr_null(kf_pg_replica_told(&w, pool, 0, 1000));     /* read from the start */
    ck_assert_str_eq(kf_pg_replica_told(&w, pool, 2500, 1000),
                     "the read replica lags 2500 ms (more than KonfirmadoReadMaxLag): its "
                     "reads go to the primary");
    /* every other connection that finds it lagging says nothing more */
    ck_assert_ptr_null(kf_pg_replica_told(&w, pool, 3000, 1000));
    ck_assert_ptr_null(kf_pg_replica_told(&w, pool, KF_PG_REPLICA_CUT_OFF, 1000));
    ck_assert_str_eq(kf_pg_replica_told(&w, pool, 20, 1000),
                     "the read replica caught up: reads go there again");
    ck_assert_ptr_null(kf_pg_replica_told(&w, pool, 0, 1000));
    ck_assert_str_eq(kf_pg_replica_told(&w, pool, KF_PG_REPLICA_CUT_OFF, 1000),
                     "the read replica receives nothing from its primary: its reads go to "
                     "the primary");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_replica");
    TCase *tc = tcase_create("replica");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_replica_is_read_within_its_lag_only);
    tcase_add_test(tc, each_change_is_told_once);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
