/* Unit tests for lib/availability/kf_availability_entry.c: a cached availability answer
 * comes back as stored while nothing it depends on was written, and never after. */
#include "kf_check.h"
#include "kf_availability_entry.h"

#include <string.h>

static apr_uint32_t counters[1 + KF_AVAIL_GENS];

static void reset(void)
{
    kf_test_setup();
    memset(counters, 0, sizeof(counters));
}

static const char *ids[] = {"prof-a", "prof-b"};
static const char answer[] = "{\"slots\":[]}";

static unsigned char *stored(apr_size_t *size)
{
    kf_avail_gens snap;
    kf_avail_gens_read(counters, &snap);
    return kf_avail_entry_encode(pool, &snap, ids, 2, 5000, 9000, answer, strlen(answer), size);
}

START_TEST(an_entry_answers_as_stored_until_a_write)
{
    apr_size_t size = 0;
    unsigned char *buf = stored(&size);
    const char *json = NULL;
    apr_size_t len = 0;
    apr_time_t until = 0, clock_until = 0;
    int match = 0;
    ck_assert(kf_avail_entry_decode(buf, size, counters, &json, &len, &until, &clock_until, &match));
    ck_assert(match);
    ck_assert_int_eq(until, 5000);
    ck_assert_int_eq(clock_until, 9000);
    ck_assert_int_eq(len, strlen(answer));
    ck_assert(memcmp(json, answer, len) == 0);
    /* another professional's write leaves it current (unless it shares a slot) */
    apr_uint32_t a = kf_avail_prof_slot("prof-a"), b = kf_avail_prof_slot("prof-b");
    apr_uint32_t other = (a + 1) % KF_AVAIL_GENS;
    while (other == a || other == b) {
        other = (other + 1) % KF_AVAIL_GENS;
    }
    counters[1 + other]++;
    ck_assert(kf_avail_entry_decode(buf, size, counters, &json, &len, &until, NULL, &match));
    ck_assert(match);
    /* a hold of one of its professionals does not */
    counters[1 + b]++;
    ck_assert(kf_avail_entry_decode(buf, size, counters, &json, &len, &until, NULL, &match));
    ck_assert(!match);
    counters[1 + b]--;
    counters[0]++;   /* a catalog edit bumps everything */
    ck_assert(kf_avail_entry_decode(buf, size, counters, &json, &len, &until, NULL, &match));
    ck_assert(!match);
}
END_TEST

START_TEST(damaged_or_oversized_entries_are_not_answers)
{
    apr_size_t size = 0;
    unsigned char *buf = stored(&size);
    const char *json;
    apr_size_t len;
    apr_time_t until;
    int match;
    ck_assert(!kf_avail_entry_decode(buf, size - 1, counters, &json, &len, &until, NULL, &match));
    ck_assert(!kf_avail_entry_decode(buf, 3, counters, &json, &len, &until, NULL, &match));
    buf[0] ^= 0xff;
    ck_assert(!kf_avail_entry_decode(buf, size, counters, &json, &len, &until, NULL, &match));
    char *big = apr_palloc(pool, KF_AVAIL_ENTRY_MAX);
    memset(big, ' ', KF_AVAIL_ENTRY_MAX);
    kf_avail_gens snap;
    kf_avail_gens_read(counters, &snap);
    ck_assert_ptr_null(kf_avail_entry_encode(pool, &snap, ids, 2, 1, 1, big, KF_AVAIL_ENTRY_MAX, &size));
}
END_TEST

START_TEST(the_clocks_instant_is_kept_far_ones_without_overflow)
{
    ck_assert_int_eq(kf_avail_entry_clock_until(1700000000), apr_time_from_sec(1700000000));
    ck_assert_int_eq(kf_avail_entry_clock_until(APR_INT64_MAX), APR_INT64_MAX);
    ck_assert_int_eq(kf_avail_entry_clock_until(APR_INT64_MAX / APR_USEC_PER_SEC), APR_INT64_MAX);
}
END_TEST

START_TEST(slots_fold_case_and_stay_in_range)
{
    ck_assert_uint_eq(kf_avail_prof_slot("ABC-1"), kf_avail_prof_slot("abc-1"));
    /* FNV-1a's published value of "a" (32 bits), and the same for any case */
    ck_assert_uint_eq(kf_avail_hash("a"), 0xe40c292cu);
    ck_assert_uint_eq(kf_avail_hash("A"), 0xe40c292cu);
    ck_assert_uint_eq(kf_avail_hash(""), 2166136261u);
    ck_assert_uint_lt(kf_avail_prof_slot("x"), KF_AVAIL_GENS);
    ck_assert_uint_lt(kf_avail_prof_slot(NULL), KF_AVAIL_GENS);
}
END_TEST

START_TEST(an_answer_lapses_at_the_ttl_or_the_clock_bound)
{
    apr_time_t now = apr_time_from_sec(1000);
    ck_assert_int_eq(kf_avail_entry_valid_until(now, 10, 2000), apr_time_from_sec(1010));
    ck_assert_int_eq(kf_avail_entry_valid_until(now, 10, 1004), apr_time_from_sec(1004));
    ck_assert_int_le(kf_avail_entry_valid_until(now, 10, 999), now);   /* not cached */
}
END_TEST

START_TEST(markers_round_trip_and_garbage_is_none)
{
    unsigned char buf[KF_AVAIL_MARKER_SIZE];
    kf_avail_marker m = {123, 456}, back;
    kf_avail_marker_encode(&m, buf);
    ck_assert(kf_avail_marker_decode(buf, sizeof(buf), &back));
    ck_assert_int_eq(back.refills, 123);
    ck_assert_int_eq(back.until, 456);
    ck_assert(!kf_avail_marker_decode(buf, sizeof(buf) - 1, &back));
    ck_assert_int_eq(back.until, 0);
    memset(buf, 0, sizeof(buf));
    ck_assert(!kf_avail_marker_decode(buf, sizeof(buf), &back));
    ck_assert_str_eq(kf_avail_marker_key(pool, "k|1"), "rf|k|1");
}
END_TEST

START_TEST(only_accepted_writes_that_did_not_bump_bump_everything)
{
    ck_assert(kf_avail_write_bumps_all(0, 0, 0, 200));
    ck_assert(kf_avail_write_bumps_all(0, 0, 0, 500));   /* may have committed part of it */
    ck_assert(!kf_avail_write_bumps_all(0, 0, 0, 422));  /* refused: nothing changed */
    ck_assert(!kf_avail_write_bumps_all(0, 1, 0, 200));  /* bumped its professional */
    ck_assert(!kf_avail_write_bumps_all(1, 0, 0, 200));  /* a read */
    ck_assert(!kf_avail_write_bumps_all(0, 0, 1, 200));  /* its endpoint leaves them alone */
    ck_assert(!kf_avail_write_bumps_all(0, 0, 1, 500));
}
END_TEST

START_TEST(the_cache_setting_names_a_provider_or_off)
{
    const char *provider = NULL, *args = NULL;
    ck_assert(kf_avail_cache_spec(pool, "shmcb:/run/kf(512000)", &provider, &args));
    ck_assert_str_eq(provider, "shmcb");
    ck_assert_str_eq(args, "/run/kf(512000)");
    ck_assert(kf_avail_cache_spec(pool, "redis:h:6379", &provider, &args));
    ck_assert_str_eq(provider, "redis");
    ck_assert_str_eq(args, "h:6379");   /* only the first colon splits */
    ck_assert(kf_avail_cache_spec(pool, "memcache", &provider, &args));
    ck_assert_str_eq(provider, "memcache");
    ck_assert_ptr_null(args);
    ck_assert(!kf_avail_cache_spec(pool, "Off", &provider, &args));
    ck_assert(!kf_avail_cache_spec(pool, NULL, &provider, &args));
}
END_TEST

/* The markers of one key, kept in memory; `refuse_writes` plays a full cache. */
typedef struct one_marker {
    kf_avail_marker m;
    int present, refuse_writes, removed;
} one_marker;

static void memory_read(void *data, const char *mkey, kf_avail_marker *m)
{
    one_marker *o = data;
    m->refills = o->present ? o->m.refills : 0;
    m->until = o->present ? o->m.until : 0;
}

static apr_status_t memory_write(void *data, const char *mkey, const kf_avail_marker *m)
{
    one_marker *o = data;
    if (o->refuse_writes) {
        return APR_ENOSPC;
    }
    o->m = *m;
    o->present = 1;
    return APR_SUCCESS;
}

static void memory_remove(void *data, const char *mkey)
{
    one_marker *o = data;
    o->present = 0;
    o->removed++;
}

START_TEST(one_request_refills_a_lapsed_entry_the_others_serve_it)
{
    one_marker o = {{0, 0}, 0, 0, 0};
    kf_avail_marker_store s = {memory_read, memory_write, memory_remove, &o};
    /* lapsed at 1000, grace 500: the first one claims the refill until 1600 */
    ck_assert_int_eq(kf_avail_claim_refill(&s, "m", 1100, 1000, 500), KF_AVAIL_REFILL);
    ck_assert(o.present);
    ck_assert_int_eq(o.m.refills, 1000);
    ck_assert_int_eq(o.m.until, 1600);
    ck_assert_int_eq(kf_avail_claim_refill(&s, "m", 1200, 1000, 500), KF_AVAIL_STALE_SERVE);
    ck_assert_int_eq(kf_avail_claim_refill(&s, "m", 1501, 1000, 500), KF_AVAIL_MISS);
    /* a marker that cannot be written: everyone computes */
    one_marker full = {{0, 0}, 0, 1, 0};
    kf_avail_marker_store fs = {memory_read, memory_write, memory_remove, &full};
    ck_assert_int_eq(kf_avail_claim_refill(&fs, "m", 1100, 1000, 500), KF_AVAIL_MISS);
}
END_TEST

START_TEST(one_request_fills_an_empty_entry_and_lets_go_of_its_own_marker)
{
    one_marker o = {{0, 0}, 0, 0, 0};
    kf_avail_marker_store s = {memory_read, memory_write, memory_remove, &o};
    apr_time_t claimed = -1;
    ck_assert_int_eq(kf_avail_claim_fill(&s, "m", 100, 250, &claimed), KF_AVAIL_FILL);
    ck_assert_int_eq(claimed, 350);
    ck_assert_int_eq(kf_avail_claim_fill(&s, "m", 200, 250, &claimed), KF_AVAIL_WAIT);
    ck_assert_int_eq(claimed, 0);
    /* someone else's marker (a newer claim) stays */
    kf_avail_release_fill(&s, "m", 999);
    ck_assert(o.present);
    kf_avail_release_fill(&s, "m", 350);
    ck_assert(!o.present);
    ck_assert_int_eq(o.removed, 1);
    /* a refill's marker is not a first fill's: it stays */
    ck_assert_int_eq(kf_avail_claim_refill(&s, "m", 1100, 1000, 500), KF_AVAIL_REFILL);
    kf_avail_release_fill(&s, "m", 1600);
    ck_assert(o.present);
    /* a fill whose marker could not be written fills unannounced */
    one_marker full = {{0, 0}, 0, 1, 0};
    kf_avail_marker_store fs = {memory_read, memory_write, memory_remove, &full};
    ck_assert_int_eq(kf_avail_claim_fill(&fs, "m", 100, 250, &claimed), KF_AVAIL_FILL);
    ck_assert_int_eq(claimed, 0);
}
END_TEST


int main(void)
{
    Suite *s = suite_create("availability_entry");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, reset, kf_test_teardown);
    tcase_add_test(tc, an_entry_answers_as_stored_until_a_write);
    tcase_add_test(tc, damaged_or_oversized_entries_are_not_answers);
    tcase_add_test(tc, the_clocks_instant_is_kept_far_ones_without_overflow);
    tcase_add_test(tc, slots_fold_case_and_stay_in_range);
    tcase_add_test(tc, an_answer_lapses_at_the_ttl_or_the_clock_bound);
    tcase_add_test(tc, markers_round_trip_and_garbage_is_none);
    tcase_add_test(tc, only_accepted_writes_that_did_not_bump_bump_everything);
    tcase_add_test(tc, the_cache_setting_names_a_provider_or_off);
    tcase_add_test(tc, one_request_refills_a_lapsed_entry_the_others_serve_it);
    tcase_add_test(tc, one_request_fills_an_empty_entry_and_lets_go_of_its_own_marker);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
