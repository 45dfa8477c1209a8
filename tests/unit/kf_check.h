#ifndef KF_CHECK_H
#define KF_CHECK_H
/* Shared scaffolding for the Check suites: one APR pool per test, destroyed after it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>


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

/* s as a reader sees it: the no-break spaces that keep a time on one line ("3:30 p. m.",
 * kf_when.h) read as spaces, so that expected texts can be written plainly. */
static inline const char *kf_test_as_read(const char *s)
{
    if (!s) {
        return NULL;
    }
    char *out = apr_pstrdup(pool, s), *o = out;
    for (const char *c = s; *c; c++) {
        if ((unsigned char)c[0] == 0xc2 && (unsigned char)c[1] == 0xa0) {
            *o++ = ' ';
            c++;
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
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
