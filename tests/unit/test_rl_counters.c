/* Unit tests for lib/operations/kf_rl_counters.c: an attempt charged to several counters,
 * through a store kept in memory that records the order it was asked in. */
#include "kf_check.h"
#include "kf_rl_counters.h"

#include <string.h>

#define SLOTS 4

typedef struct memory_store {
    const char *keys[SLOTS];
    kf_rl_bucket buckets[SLOTS];
    apr_int64_t until[SLOTS];
    int n;
    const char *read_order[32];
    int reads, writes;
    const char *failing_key;   /* its load or save fails */
    int fail_on_save;
} memory_store;

static int slot(memory_store *m, const char *key)
{
    for (int i = 0; i < m->n; i++) {
        if (strcmp(m->keys[i], key) == 0) {
            return i;
        }
    }
    m->keys[m->n] = key;
    m->buckets[m->n].start = 0;
    m->buckets[m->n].count = 0;
    return m->n++;
}

static apr_status_t memory_load(void *data, const char *key, kf_rl_bucket *b)
{
    memory_store *m = data;
    if (m->reads < 32) {
        m->read_order[m->reads] = key;
    }
    m->reads++;
    if (m->failing_key && !m->fail_on_save && strcmp(key, m->failing_key) == 0) {
        return APR_EGENERAL;
    }
    *b = m->buckets[slot(m, key)];
    return APR_SUCCESS;
}

static apr_status_t memory_save(void *data, const char *key, kf_rl_bucket b, apr_int64_t until)
{
    memory_store *m = data;
    if (m->failing_key && m->fail_on_save && strcmp(key, m->failing_key) == 0) {
        return APR_EGENERAL;
    }
    int i = slot(m, key);
    m->buckets[i] = b;
    m->until[i] = until;
    m->writes++;
    return APR_SUCCESS;
}

static const kf_rl_counter login[] = {
    {"login:acct:net", {2, 900}},
    {"login:acct", {5, 900}},
    {"ip:net", {30, 900}},
};

static unsigned int count_of(memory_store *m, const char *key)
{
    return m->buckets[slot(m, key)].count;
}

START_TEST(an_attempt_counts_in_every_counter_until_one_is_full)
{
    memory_store m = {0};
    kf_rl_store s = {memory_load, memory_save, &m};
    apr_int64_t wait = -1;
    ck_assert_int_eq(kf_rl_counters_take(&s, login, 3, 1000, &wait), APR_SUCCESS);
    ck_assert_int_eq(wait, 0);
    ck_assert_int_eq(kf_rl_counters_take(&s, login, 3, 1010, &wait), APR_SUCCESS);
    ck_assert_int_eq(wait, 0);
    ck_assert_uint_eq(count_of(&m, "login:acct"), 2);
    ck_assert_int_eq(m.until[slot(&m, "ip:net")], 1900);
    /* the first counter is full: refused until its window ends, and nothing else counted */
    int writes = m.writes;
    ck_assert_int_eq(kf_rl_counters_take(&s, login, 3, 1100, &wait), APR_SUCCESS);
    ck_assert_int_eq(wait, 800);
    ck_assert_int_eq(m.writes, writes);
    ck_assert_uint_eq(count_of(&m, "ip:net"), 2);
    /* a new window admits again */
    ck_assert_int_eq(kf_rl_counters_take(&s, login, 3, 1900, &wait), APR_SUCCESS);
    ck_assert_int_eq(wait, 0);
    ck_assert_uint_eq(count_of(&m, "login:acct:net"), 1);
}
END_TEST

START_TEST(counters_are_read_in_the_order_of_their_keys)
{
    memory_store m = {0};
    kf_rl_store s = {memory_load, memory_save, &m};
    apr_int64_t wait;
    kf_rl_counters_take(&s, login, 3, 1000, &wait);
    ck_assert_str_eq(m.read_order[0], "ip:net");
    ck_assert_str_eq(m.read_order[1], "login:acct");
    ck_assert_str_eq(m.read_order[2], "login:acct:net");
    int changed;
    m.reads = 0;
    kf_rl_counters_refund(&s, login, 3, 1000, &changed);
    ck_assert_str_eq(m.read_order[0], "ip:net");
    ck_assert_str_eq(m.read_order[2], "login:acct:net");
}
END_TEST

START_TEST(a_refund_gives_back_what_this_window_took)
{
    memory_store m = {0};
    kf_rl_store s = {memory_load, memory_save, &m};
    apr_int64_t wait;
    int changed = -1;
    kf_rl_counters_take(&s, login, 3, 1000, &wait);
    ck_assert_int_eq(kf_rl_counters_refund(&s, login, 3, 1001, &changed), APR_SUCCESS);
    ck_assert_int_eq(changed, 1);
    ck_assert_uint_eq(count_of(&m, "login:acct"), 0);
    /* nothing left to give back: nothing written */
    int writes = m.writes;
    ck_assert_int_eq(kf_rl_counters_refund(&s, login, 3, 1002, &changed), APR_SUCCESS);
    ck_assert_int_eq(changed, 0);
    ck_assert_int_eq(m.writes, writes);
    /* an attempt of an earlier window is not given back */
    kf_rl_counters_take(&s, login, 1, 2000, &wait);
    kf_rl_counters_refund(&s, login, 1, 3000, &changed);
    ck_assert_int_eq(changed, 0);
    ck_assert_uint_eq(count_of(&m, "login:acct:net"), 1);
}
END_TEST

START_TEST(a_store_that_fails_stops_the_attempt)
{
    memory_store m = {0};
    m.failing_key = "login:acct";
    kf_rl_store s = {memory_load, memory_save, &m};
    apr_int64_t wait = 7;
    ck_assert_int_eq(kf_rl_counters_take(&s, login, 3, 1000, &wait), APR_EGENERAL);
    ck_assert_int_eq(wait, 0);
    ck_assert_int_eq(m.writes, 0);
    int changed;
    ck_assert_int_eq(kf_rl_counters_refund(&s, login, 3, 1000, &changed), APR_EGENERAL);

    memory_store w = {0};
    w.failing_key = "login:acct";
    w.fail_on_save = 1;
    kf_rl_store ws = {memory_load, memory_save, &w};
    ck_assert_int_eq(kf_rl_counters_take(&ws, login, 3, 1000, &wait), APR_EGENERAL);

    kf_rl_counter five[5] = {login[0], login[1], login[2], login[0], login[1]};
    ck_assert_int_eq(kf_rl_counters_take(&s, five, 5, 1000, &wait), APR_EINVAL);
    ck_assert_int_eq(kf_rl_counters_refund(&s, five, 5, 1000, &changed), APR_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rl_counters");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, an_attempt_counts_in_every_counter_until_one_is_full);
    tcase_add_test(tc, counters_are_read_in_the_order_of_their_keys);
    tcase_add_test(tc, a_refund_gives_back_what_this_window_took);
    tcase_add_test(tc, a_store_that_fails_stops_the_attempt);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
