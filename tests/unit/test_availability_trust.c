/* Unit tests for lib/availability/kf_availability_trust.c: kept facts answer without the
 * database only while no notice of their owners was heard since their proof, the listener is
 * heard, the proof is younger than the TTL (then one request proves them again while the
 * others trust them for the grace) and their bound in time is ahead; a notice of another
 * professional leaves them alone. Answers are cached only while the listener is heard. */
#include "kf_check.h"
#include "kf_availability_trust.h"
#include "kf_availability_entry.h"

#include <stdio.h>
#include <string.h>

#define P1 "11111111-1111-4111-8111-111111111111"
#define P2 "22222222-2222-4222-8222-222222222222"
#define SEC(s) apr_time_from_sec(s)

static apr_uint32_t counters[1 + KF_AVAIL_GENS];
static kf_facts_prof profs[2];

/* Facts of P1 (and P2 with `two`), bounded in time at `valid_until`. */
static kf_facts kept_facts(int two, apr_time_t valid_until)
{
    kf_facts f;
    memset(&f, 0, sizeof(f));
    memset(profs, 0, sizeof(profs));
    profs[0].id = P1;
    profs[1].id = P2;
    f.profs = profs;
    f.nprof = two ? 2 : 1;
    f.link_id = "link";
    f.now_us = SEC(1);
    f.valid_until_us = valid_until;
    return f;
}

/* A professional that shares no generation counter with P1 or P2. */
static const char *other_professional(void)
{
    static char id[64];
    for (int i = 0;; i++) {
        snprintf(id, sizeof(id), "33333333-3333-4333-8333-%012d", i);
        if (kf_avail_prof_slot(id) != kf_avail_prof_slot(P1) &&
            kf_avail_prof_slot(id) != kf_avail_prof_slot(P2)) {
            return id;
        }
    }
}

static void bump(const char *professional_id)
{
    counters[professional_id ? 1 + kf_avail_prof_slot(professional_id) : 0]++;
}

START_TEST(proven_facts_answer_with_this_servers_clock_until_a_notice_names_them)
{
    memset(counters, 0, sizeof(counters));
    kf_facts kept = kept_facts(0, APR_INT64_MAX), f;
    kf_facts_proof proof = {kf_facts_generations(&kept, counters), SEC(100)};
    apr_time_t now = SEC(103);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, kf_facts_generations(&kept, counters), now,
                                      now + SEC(1), SEC(5), SEC(2), &f), KF_FACTS_TRUSTED);
    ck_assert_int_eq(f.now_us, now);
    ck_assert_ptr_eq(f.profs, kept.profs);
    /* another professional's notice changes nothing here */
    bump(other_professional());
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, kf_facts_generations(&kept, counters), now,
                                      now + SEC(1), SEC(5), SEC(2), &f), KF_FACTS_TRUSTED);
    /* its own professional's notice does */
    bump(P1);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, kf_facts_generations(&kept, counters), now,
                                      now + SEC(1), SEC(5), SEC(2), &f), KF_FACTS_PROVE);
    /* proven again under the new generations: trusted again */
    proof.generations = kf_facts_generations(&kept, counters);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, kf_facts_generations(&kept, counters), now,
                                      now + SEC(1), SEC(5), SEC(2), &f), KF_FACTS_TRUSTED);
    /* a notice of everything (a catalog edit, the listener connected again) does too */
    bump(NULL);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, kf_facts_generations(&kept, counters), now,
                                      now + SEC(1), SEC(5), SEC(2), &f), KF_FACTS_PROVE);
}
END_TEST

START_TEST(facts_of_any_professional_follow_each_of_them)
{
    memset(counters, 0, sizeof(counters));
    kf_facts kept = kept_facts(1, APR_INT64_MAX), f;
    kf_facts_proof proof = {kf_facts_generations(&kept, counters), SEC(100)};
    bump(P2);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, kf_facts_generations(&kept, counters),
                                      SEC(101), SEC(102), SEC(5), SEC(2), &f), KF_FACTS_PROVE);
}
END_TEST

START_TEST(an_unheard_listener_the_ttl_and_the_facts_bound_send_them_to_the_database)
{
    memset(counters, 0, sizeof(counters));
    kf_facts kept = kept_facts(0, SEC(104)), f;
    kf_facts_proof proof = {kf_facts_generations(&kept, counters), SEC(100)};
    apr_uint64_t g = kf_facts_generations(&kept, counters);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(103), SEC(104), SEC(5), SEC(2), &f), KF_FACTS_TRUSTED);
    /* the listener last heard before now: a notice may have gone unheard */
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(103), SEC(103), SEC(5), SEC(2), &f), KF_FACTS_PROVE);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(103), 0, SEC(5), SEC(2), &f), KF_FACTS_PROVE);
    /* the proof as old as the TTL: one request proves them again, the others trust them
     * for the grace; past it, everyone reads */
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(103), SEC(200), SEC(3), SEC(2), &f),
                     KF_FACTS_TRUSTED_PROVE_AGAIN);
    ck_assert_int_eq(f.now_us, SEC(103));
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(103), SEC(200), SEC(1), SEC(2), &f),
                     KF_FACTS_PROVE);
    /* the facts' own bound (a deadline) reached, even within the grace */
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(104), SEC(200), SEC(30), SEC(2), &f), KF_FACTS_PROVE);
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(104), SEC(200), SEC(3), SEC(2), &f), KF_FACTS_PROVE);
    /* a clock gone back before the proof, and facts never proven */
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(99), SEC(200), SEC(30), SEC(2), &f), KF_FACTS_PROVE);
    proof.proven_at = 0;
    ck_assert_int_eq(kf_facts_trusted(&kept, &proof, g, SEC(101), SEC(200), SEC(30), SEC(2), &f), KF_FACTS_PROVE);
}
END_TEST

/* A child's first moments, a lost connection: whatever is computed then is served but not
 * kept, since a notice it missed would never reach it. */
START_TEST(answers_are_cached_only_while_the_listener_is_heard)
{
    ck_assert_int_eq(kf_avail_answer_cacheable(1, SEC(100), SEC(101)), 1);
    ck_assert_int_eq(kf_avail_answer_cacheable(1, SEC(101), SEC(101)), 0);
    ck_assert_int_eq(kf_avail_answer_cacheable(1, SEC(100), 0), 0);
    /* a server without a listener (no mod_watchdog) caches by the TTL alone */
    ck_assert_int_eq(kf_avail_answer_cacheable(0, SEC(100), 0), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("availability_trust");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, proven_facts_answer_with_this_servers_clock_until_a_notice_names_them);
    tcase_add_test(tc, facts_of_any_professional_follow_each_of_them);
    tcase_add_test(tc, an_unheard_listener_the_ttl_and_the_facts_bound_send_them_to_the_database);
    tcase_add_test(tc, answers_are_cached_only_while_the_listener_is_heard);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
