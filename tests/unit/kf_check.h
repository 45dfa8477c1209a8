#ifndef KF_CHECK_H
#define KF_CHECK_H
/* Shared scaffolding for the Check suites: one APR pool per test, destroyed after it. */
#include <check.h>
#include <stdlib.h>
#include <apr_general.h>
#include <apr_pools.h>


apr_pool_t *pool;

static inline void kf_test_setup(void)
{
    apr_pool_create(&pool, NULL);
}

static inline void kf_test_teardown(void)
{
    apr_pool_destroy(pool);
    pool = NULL;
}

/* Runs one suite with APR initialised around it; the exit status is the verdict. */
static inline int kf_run_suite(Suite *s)
{
    apr_initialize();
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
