/* Unit tests for lib/availability/kf_availability_front.c: a child's own copy of an availability
 * entry comes back byte for byte under its key only, a newer entry in its place replaces it
 * while a request it was lent to still reads it, and the copies stay within their budget. */
#include "kf_check.h"
#include "kf_availability_front.h"
#include "kf_availability_entry.h"

#include <stdio.h>
#include <string.h>

static const unsigned char entry_a[] = "entry of link a";
static const unsigned char entry_b[] = "entry of link b, longer";

/* A key other than `key` that falls in the same place of a front of `places`. */
static const char *neighbour_of(const char *key, unsigned int places)
{
    static char other[32];
    apr_uint32_t want = kf_avail_hash(key) & (places - 1);
    for (int i = 0;; i++) {
        snprintf(other, sizeof(other), "other-%d", i);
        if ((kf_avail_hash(other) & (places - 1)) == want && strcmp(other, key) != 0) {
            return other;
        }
    }
}

START_TEST(an_entry_kept_comes_back_byte_for_byte_under_its_key_only)
{
    kf_availability_front *f = kf_availability_front_create(pool, 8, 1024);
    ck_assert_ptr_nonnull(f);
    const unsigned char *got = NULL;
    ck_assert_uint_eq(kf_availability_front_lend(f, "a", pool, &got), 0);
    ck_assert_ptr_null(got);
    kf_availability_front_keep(f, "a", entry_a, sizeof(entry_a));
    ck_assert_uint_eq(kf_availability_front_lend(f, "a", pool, &got), sizeof(entry_a));
    ck_assert(memcmp(got, entry_a, sizeof(entry_a)) == 0);
    /* lent again: the same bytes, not a copy */
    const unsigned char *again = NULL;
    ck_assert_uint_eq(kf_availability_front_lend(f, "a", pool, &again), sizeof(entry_a));
    ck_assert_ptr_eq(again, got);
    /* another key, even one in the same place, is not answered by it */
    ck_assert_uint_eq(kf_availability_front_lend(f, neighbour_of("a", 8), pool, &got), 0);
    ck_assert_uint_eq(kf_availability_front_lend(f, "A", pool, &got), 0);
}
END_TEST

START_TEST(a_newer_entry_replaces_what_was_in_its_place)
{
    kf_availability_front *f = kf_availability_front_create(pool, 8, 1024);
    const unsigned char *got = NULL;
    kf_availability_front_keep(f, "a", entry_a, sizeof(entry_a));
    kf_availability_front_keep(f, "a", entry_b, sizeof(entry_b));
    ck_assert_uint_eq(kf_availability_front_lend(f, "a", pool, &got), sizeof(entry_b));
    ck_assert(memcmp(got, entry_b, sizeof(entry_b)) == 0);
    ck_assert_uint_eq(kf_availability_front_bytes(f), sizeof(entry_b));
    const char *other = neighbour_of("a", 8);
    kf_availability_front_keep(f, other, entry_a, sizeof(entry_a));
    ck_assert_uint_eq(kf_availability_front_lend(f, "a", pool, &got), 0);
    ck_assert_uint_eq(kf_availability_front_lend(f, other, pool, &got), sizeof(entry_a));
    ck_assert_uint_eq(kf_availability_front_bytes(f), sizeof(entry_a));
}
END_TEST

START_TEST(a_lent_entry_stays_readable_after_a_newer_one_takes_its_place)
{
    kf_availability_front *f = kf_availability_front_create(pool, 8, 1024);
    apr_pool_t *request = NULL;
    ck_assert_int_eq(apr_pool_create(&request, pool), APR_SUCCESS);
    const unsigned char *got = NULL;
    kf_availability_front_keep(f, "a", entry_a, sizeof(entry_a));
    ck_assert_uint_eq(kf_availability_front_lend(f, "a", request, &got), sizeof(entry_a));
    /* a newer answer replaces it, then the front goes away, while the request writes it */
    kf_availability_front_keep(f, "a", entry_b, sizeof(entry_b));
    kf_availability_front_keep(f, neighbour_of("a", 8), entry_b, sizeof(entry_b));
    ck_assert(memcmp(got, entry_a, sizeof(entry_a)) == 0);
    const unsigned char *newer = NULL;
    ck_assert_uint_eq(kf_availability_front_lend(f, "a", pool, &newer), 0);
    /* the request's end frees it (valgrind: nothing lost, nothing read after its free) */
    apr_pool_destroy(request);
}
END_TEST

START_TEST(copies_stay_within_the_budget)
{
    /* room for one of the two entries only */
    kf_availability_front *f = kf_availability_front_create(pool, 64, sizeof(entry_b) + 4);
    const unsigned char *got = NULL;
    const char *b = "b";
    const char *a = strcmp(neighbour_of(b, 64), "a") ? "a" : "c";
    kf_availability_front_keep(f, b, entry_b, sizeof(entry_b));
    kf_availability_front_keep(f, a, entry_a, sizeof(entry_a));
    ck_assert_uint_eq(kf_availability_front_lend(f, b, pool, &got), sizeof(entry_b));
    ck_assert_uint_eq(kf_availability_front_lend(f, a, pool, &got), 0);
    ck_assert_uint_le(kf_availability_front_bytes(f), sizeof(entry_b) + 4);
    /* an entry larger than the whole budget is never kept */
    kf_availability_front *small = kf_availability_front_create(pool, 8, 4);
    kf_availability_front_keep(small, "a", entry_a, sizeof(entry_a));
    ck_assert_uint_eq(kf_availability_front_lend(small, "a", pool, &got), 0);
    ck_assert_uint_eq(kf_availability_front_bytes(small), 0);
}
END_TEST

START_TEST(places_must_be_a_power_of_two)
{
    ck_assert_ptr_null(kf_availability_front_create(pool, 0, 1024));
    ck_assert_ptr_null(kf_availability_front_create(pool, 12, 1024));
    ck_assert_ptr_nonnull(kf_availability_front_create(pool, 16, 1024));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("availability_front");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, an_entry_kept_comes_back_byte_for_byte_under_its_key_only);
    tcase_add_test(tc, a_newer_entry_replaces_what_was_in_its_place);
    tcase_add_test(tc, a_lent_entry_stays_readable_after_a_newer_one_takes_its_place);
    tcase_add_test(tc, copies_stay_within_the_budget);
    tcase_add_test(tc, places_must_be_a_power_of_two);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
