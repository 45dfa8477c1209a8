/* Unit tests for lib/availability/kf_facts_memo.c: an entry kept comes back under its key
 * only, with its proof; one replaced stays readable by the reader that holds it; one request
 * at a time claims to prove an entry again; clearing the table leaves readers their entries. */
#include "kf_check.h"
#include "kf_facts_memo.h"
#include "kf_availability_entry.h"

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

/* A key other than `key` that falls in the same slot of a table of `slots`. */
static const char *neighbour_of(const char *key, int slots)
{
    static char other[32];
    apr_uint32_t want = kf_avail_hash(key) % (apr_uint32_t)slots;
    for (int i = 0;; i++) {
        snprintf(other, sizeof(other), "other-%d", i);
        if (kf_avail_hash(other) % (apr_uint32_t)slots == want && strcmp(other, key) != 0) {
            return other;
        }
    }
}

/* An entry kept under `key` whose facts are the text `facts` (in its own pool). */
static kf_memo_entry *keep(kf_facts_memo *m, const char *key, const char *facts)
{
    kf_memo_entry *e = kf_facts_memo_new(m);
    ck_assert_ptr_nonnull(e);
    e->facts = apr_pstrdup(e->pool, facts);
    kf_facts_memo_put(key, e);
    kf_facts_memo_release(e);   /* the table's reference stays */
    return e;
}

START_TEST(an_entry_kept_comes_back_under_its_key_only_with_its_proof)
{
    kf_facts_memo *m = kf_facts_memo_create(pool, 8);
    ck_assert_ptr_nonnull(m);
    kf_facts_proof proof = {7, 1};
    ck_assert_ptr_null(kf_facts_memo_get(m, "a", &proof));
    keep(m, "a", "facts of a");
    kf_memo_entry *e = kf_facts_memo_get(m, "a", &proof);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->facts, "facts of a");
    ck_assert_int_eq(proof.proven_at, 0);            /* kept facts are not proven yet */
    kf_facts_proof proven = {42, apr_time_from_sec(100)};
    kf_facts_memo_proven(e, &proven);
    kf_facts_memo_release(e);
    e = kf_facts_memo_get(m, "a", &proof);
    ck_assert_uint_eq(proof.generations, 42);
    ck_assert_int_eq(proof.proven_at, apr_time_from_sec(100));
    kf_facts_memo_release(e);
    ck_assert_ptr_null(kf_facts_memo_get(m, neighbour_of("a", 8), NULL));
    kf_facts_memo_clear(m);
}
END_TEST

START_TEST(an_entry_replaced_stays_readable_by_its_reader)
{
    kf_facts_memo *m = kf_facts_memo_create(pool, 8);
    keep(m, "a", "facts of a");
    kf_memo_entry *held = kf_facts_memo_get(m, "a", NULL);
    const char *b = neighbour_of("a", 8);
    keep(m, b, "facts of b");
    ck_assert_ptr_null(kf_facts_memo_get(m, "a", NULL));
    ck_assert_str_eq(held->facts, "facts of a");      /* still the reader's (valgrind: no leak) */
    kf_facts_memo_release(held);
    kf_memo_entry *e = kf_facts_memo_get(m, b, NULL);
    ck_assert_str_eq(e->facts, "facts of b");
    kf_facts_memo_clear(m);
    ck_assert_ptr_null(kf_facts_memo_get(m, b, NULL));
    ck_assert_str_eq(e->facts, "facts of b");         /* cleared: the reader keeps its own */
    kf_facts_memo_release(e);
}
END_TEST

START_TEST(one_request_at_a_time_claims_to_prove_an_entry_again)
{
    kf_facts_memo *m = kf_facts_memo_create(pool, 8);
    keep(m, "a", "facts of a");
    kf_memo_entry *e = kf_facts_memo_get(m, "a", NULL);
    apr_time_t now = apr_time_from_sec(100), grace = apr_time_from_sec(2);
    ck_assert_int_eq(kf_facts_memo_claim_proof(e, now, now + grace), 1);
    ck_assert_int_eq(kf_facts_memo_claim_proof(e, now + 1, now + 1 + grace), 0);
    /* a claim whose request never proved them ends with its grace */
    ck_assert_int_eq(kf_facts_memo_claim_proof(e, now + grace, now + 2 * grace), 1);
    kf_facts_memo_release(e);
    kf_facts_memo_clear(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("facts_memo");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, an_entry_kept_comes_back_under_its_key_only_with_its_proof);
    tcase_add_test(tc, an_entry_replaced_stays_readable_by_its_reader);
    tcase_add_test(tc, one_request_at_a_time_claims_to_prove_an_entry_again);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
