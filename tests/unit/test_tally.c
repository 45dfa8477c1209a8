/* Unit tests for lib/analytics/kf_tally.c: per-key counts taken by a job. */
#include "kf_check.h"
#include "kf_tally.h"

#include <apr_strings.h>
#include <string.h>

static kf_tally *fresh(void)
{
    return apr_pcalloc(pool, sizeof(kf_tally));
}

typedef struct taken {
    int n;
    char keys[8][KF_TALLY_KEY_MAX + 1];
    apr_uint32_t counts[8];
} taken;

static void keep(const char *key, apr_uint32_t count, void *data)
{
    taken *t = data;
    if (t->n < 8) {
        apr_cpystrn(t->keys[t->n], key, sizeof(t->keys[0]));
        t->counts[t->n++] = count;
    }
}

static apr_uint32_t count_of(const taken *t, const char *key)
{
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->keys[i], key) == 0) {
            return t->counts[i];
        }
    }
    return 0;
}

START_TEST(counts_per_key_are_taken_once)
{
    kf_tally *t = fresh();
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(kf_tally_add(t, "clinica-sol", 1), 0);
    }
    ck_assert_int_eq(kf_tally_add(t, "barberia", 3), 0);
    taken got = {0};
    ck_assert_int_eq(kf_tally_take(t, keep, &got), 2);
    ck_assert_uint_eq(count_of(&got, "clinica-sol"), 5);
    ck_assert_uint_eq(count_of(&got, "barberia"), 3);
    /* taken: nothing until the next hit, which counts from 0 on the same slot */
    taken again = {0};
    ck_assert_int_eq(kf_tally_take(t, keep, &again), 0);
    ck_assert_int_eq(kf_tally_add(t, "barberia", 1), 0);
    ck_assert_int_eq(kf_tally_take(t, keep, &again), 1);
    ck_assert_uint_eq(count_of(&again, "barberia"), 1);
}
END_TEST

START_TEST(bad_keys_and_a_full_table_are_refused)
{
    kf_tally *t = fresh();
    char long_key[KF_TALLY_KEY_MAX + 2];
    memset(long_key, 'a', sizeof(long_key) - 1);
    long_key[sizeof(long_key) - 1] = '\0';
    ck_assert_int_eq(kf_tally_add(t, long_key, 1), -1);
    ck_assert_int_eq(kf_tally_add(t, "", 1), -1);
    ck_assert_int_eq(kf_tally_add(t, NULL, 1), -1);
    for (int i = 0; i < KF_TALLY_SLOTS; i++) {
        ck_assert_int_eq(kf_tally_add(t, apr_psprintf(pool, "tenant-%d", i), 1), 0);
    }
    ck_assert_int_eq(kf_tally_add(t, "one-too-many", 1), -1);
    /* the keys that have a slot still count */
    ck_assert_int_eq(kf_tally_add(t, "tenant-7", 1), 0);
    ck_assert_int_eq(kf_tally_take(t, keep, &(taken){0}), KF_TALLY_SLOTS);
}
END_TEST

START_TEST(taken_counts_are_texts_a_statement_writes_and_can_go_back)
{
    kf_tally *t = fresh();
    kf_tally_add(t, "clinica-sol", 5);
    kf_tally_add(t, "barberia", 12);
    kf_tally_taken got;
    ck_assert_int_eq(kf_tally_take_texts(t, pool, &got), 2);
    ck_assert_int_eq(got.keys->nelts, 2);
    ck_assert_int_eq(got.counts->nelts, 2);
    for (int i = 0; i < 2; i++) {
        const char *key = APR_ARRAY_IDX(got.keys, i, const char *);
        const char *count = APR_ARRAY_IDX(got.counts, i, const char *);
        ck_assert_str_eq(count, strcmp(key, "barberia") == 0 ? "12" : "5");
    }
    /* the write failed: given back, they are taken again with what came meanwhile */
    kf_tally_add(t, "barberia", 1);
    kf_tally_give_back(t, &got);
    taken again = {0};
    ck_assert_int_eq(kf_tally_take(t, keep, &again), 2);
    ck_assert_uint_eq(count_of(&again, "barberia"), 13);
    ck_assert_uint_eq(count_of(&again, "clinica-sol"), 5);
    /* nothing counted: nothing taken, two empty arrays */
    kf_tally_taken none;
    ck_assert_int_eq(kf_tally_take_texts(t, pool, &none), 0);
    ck_assert_int_eq(none.keys->nelts, 0);
}
END_TEST

static Suite *tally_suite(void)
{
    Suite *s = suite_create("tally");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, counts_per_key_are_taken_once);
    tcase_add_test(tc, bad_keys_and_a_full_table_are_refused);
    tcase_add_test(tc, taken_counts_are_texts_a_statement_writes_and_can_go_back);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(tally_suite());
}
