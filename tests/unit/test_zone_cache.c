/* Unit tests for lib/operations/kf_zone_cache.c: a process reads each zone once, keeps at
 * most its bound, and without a cache still answers every zone. */
#include "kf_check_zone.h"
#include "kf_zone_cache.h"

#include <apr_thread_proc.h>

START_TEST(a_zone_is_read_once_and_kept)
{
    kf_zone_cache *zc = kf_zone_cache_create(pool, 8);
    ck_assert_ptr_nonnull(zc);
    const char *why = NULL;
    const kf_zone *first = kf_zone_cache_get(zc, pool, ZONEINFO, "America/Bogota", &why);
    ck_assert_ptr_nonnull(first);
    apr_pool_t *other = NULL;
    apr_pool_create(&other, pool);
    ck_assert_ptr_eq(kf_zone_cache_get(zc, other, ZONEINFO, "America/Bogota", &why), first);
    apr_pool_destroy(other);   /* the kept zone is the cache's, not the caller's */
    ck_assert_ptr_eq(kf_zone_cache_get(zc, pool, ZONEINFO, "America/Bogota", &why), first);
}
END_TEST

START_TEST(past_its_bound_a_zone_is_the_callers_alone)
{
    kf_zone_cache *zc = kf_zone_cache_create(pool, 1);
    const char *why = NULL;
    const kf_zone *kept = kf_zone_cache_get(zc, pool, ZONEINFO, "Europe/Madrid", &why);
    const kf_zone *once = kf_zone_cache_get(zc, pool, ZONEINFO, "Asia/Tokyo", &why);
    const kf_zone *again = kf_zone_cache_get(zc, pool, ZONEINFO, "Asia/Tokyo", &why);
    ck_assert_ptr_nonnull(once);
    ck_assert_ptr_nonnull(again);
    ck_assert_ptr_ne(once, again);
    ck_assert_ptr_eq(kf_zone_cache_get(zc, pool, ZONEINFO, "Europe/Madrid", &why), kept);
}
END_TEST

START_TEST(an_unknown_zone_is_none_and_not_kept)
{
    kf_zone_cache *zc = kf_zone_cache_create(pool, 1);
    const char *why = NULL;
    ck_assert_ptr_null(kf_zone_cache_get(zc, pool, ZONEINFO, "Mars/Olympus_Mons", &why));
    ck_assert_ptr_nonnull(why);
    /* the one place left is still free for a real zone */
    const kf_zone *z = kf_zone_cache_get(zc, pool, ZONEINFO, "UTC", &why);
    ck_assert_ptr_eq(kf_zone_cache_get(zc, pool, ZONEINFO, "UTC", &why), z);
}
END_TEST

START_TEST(without_a_cache_each_zone_is_read_for_its_caller)
{
    const char *why = NULL;
    const kf_zone *a = kf_zone_cache_get(NULL, pool, ZONEINFO, "America/Bogota", &why);
    const kf_zone *b = kf_zone_cache_get(NULL, pool, ZONEINFO, "America/Bogota", &why);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
}
END_TEST

/* Threads asking for one zone at once all get the one kept copy. */
#define THREADS 4
typedef struct {
    kf_zone_cache *zc;
    const kf_zone *got;
} asker;

static void *APR_THREAD_FUNC ask(apr_thread_t *t, void *data)
{
    asker *a = data;
    apr_pool_t *p = NULL;
    apr_pool_create_unmanaged_ex(&p, NULL, NULL);
    const char *why = NULL;
    for (int i = 0; i < 50; i++) {
        a->got = kf_zone_cache_get(a->zc, p, ZONEINFO, "America/Mexico_City", &why);
    }
    apr_pool_destroy(p);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

START_TEST(threads_share_the_kept_zone)
{
    kf_zone_cache *zc = kf_zone_cache_create(pool, 8);
    asker askers[THREADS];
    apr_thread_t *threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        askers[i] = (asker){zc, NULL};
        ck_assert_int_eq(apr_thread_create(&threads[i], NULL, ask, &askers[i], pool), APR_SUCCESS);
    }
    for (int i = 0; i < THREADS; i++) {
        apr_status_t rv;
        apr_thread_join(&rv, threads[i]);
        ck_assert_ptr_nonnull(askers[i].got);
        ck_assert_ptr_eq(askers[i].got, askers[0].got);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("zone_cache");
    TCase *tc = tcase_create("zone_cache");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_zone_is_read_once_and_kept);
    tcase_add_test(tc, past_its_bound_a_zone_is_the_callers_alone);
    tcase_add_test(tc, an_unknown_zone_is_none_and_not_kept);
    tcase_add_test(tc, without_a_cache_each_zone_is_read_for_its_caller);
    tcase_add_test(tc, threads_share_the_kept_zone);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
