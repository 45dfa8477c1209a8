/* Unit suite for lib/changes/kf_reschedule.c: what a customer or a merchant asks when
 * moving a booking, where a series' later occurrences go with it, what the state machine is
 * told and what they are answered. */
#include "kf_check_fields.h"
#include "kf_check_zone.h"

#include "kf_crypto.h"
#include "kf_reschedule.h"
#include "kf_time.h"

#define UUID "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"

/* Ana's confirmed haircut, one reschedule left, before the cutoff. */
static const char *booking[KF_RESCHED_COL_COUNT] = {
    "b-1", "confirmed", "tenant-1", "service-1", "prof-1", "t", "1", "corte-de-pelo-2026", "barber"};

START_TEST(the_customer_names_a_hold_by_its_token)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    const char *token = kf_random_token(pool, 32);
    char body[200];
    snprintf(body, sizeof(body), "{\"hold_token\": \"%s\"}", token);
    const char *hash = kf_reschedule_hold_hash(pool, &f, parse(body));
    ck_assert_str_eq(hash, kf_sha256_hex(pool, token, strlen(token)));
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(kf_reschedule_hold_hash(pool, &f, parse("{\"hold_token\": \"short\"}")));
    ck_assert_ptr_nonnull(error_of(&f, "hold_token"));
}
END_TEST

START_TEST(the_merchant_names_a_start_and_perhaps_a_professional)
{
    kf_fields f;
    apr_int64_t start = 0;
    const char *professional = "unset";
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_reschedule_merchant_read(&f, parse("{\"start\": \"2026-04-02T15:00:00Z\"}"), &start,
                                &professional);
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(start, 1775142000);
    ck_assert_ptr_null(professional);   /* the booking's own */
    kf_reschedule_merchant_read(&f, parse("{\"start\": \"2026-04-02T15:00:00Z\", "
                                          "\"professional\": \"" UUID "\"}"), &start, &professional);
    ck_assert_str_eq(professional, UUID);
    kf_reschedule_merchant_read(&f, parse("{\"professional\": \"luis\"}"), &start, &professional);
    ck_assert_str_eq(error_of(&f, "start"), "This field is required.");
    ck_assert_ptr_nonnull(error_of(&f, "professional"));
    ck_assert_int_eq(json_object_size(f.errors), 2);
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_reschedule_merchant_read(&f, parse("{\"start\": \"next week\", \"professional\": 7}"),
                                &start, &professional);
    ck_assert_ptr_nonnull(error_of(&f, "start"));
    ck_assert_str_eq(error_of(&f, "professional"), "This field has the wrong type.");
}
END_TEST

START_TEST(the_new_slot_is_free_only_under_a_live_hold_of_the_same_service)
{
    const char *hold[KF_RESCHED_HOLD_COL_COUNT] = {"h-1", "service-1", "tenant-1", "prof-2", "t"};
    kf_res_facts facts = kf_reschedule_facts(booking, hold, 0);
    ck_assert(facts.slot_free);
    ck_assert(facts.before_cutoff);
    ck_assert_int_eq(facts.reschedules_left, 1);
    ck_assert(!facts.by_merchant);
    hold[KF_RESCHED_HOLD_COL_LIVE] = "f";        /* it ran out */
    ck_assert(!kf_reschedule_facts(booking, hold, 0).slot_free);
    hold[KF_RESCHED_HOLD_COL_LIVE] = "t";
    hold[KF_RESCHED_HOLD_COL_SERVICE] = "service-2";
    ck_assert(!kf_reschedule_facts(booking, hold, 0).slot_free);
    hold[KF_RESCHED_HOLD_COL_SERVICE] = "service-1";
    hold[KF_RESCHED_HOLD_COL_TENANT] = "tenant-2";
    ck_assert(!kf_reschedule_facts(booking, hold, 1).slot_free);
    ck_assert(!kf_reschedule_facts(booking, NULL, 1).slot_free);
}
END_TEST

/* Before a slot is taken for the merchant's move, the policy is asked of the stored status
 * alone: no cutoff nor limit for the merchant, only a paid or confirmed booking moves. */
START_TEST(the_merchant_moves_only_a_paid_or_confirmed_booking)
{
    ck_assert_ptr_null(kf_reschedule_merchant_refusal("paid"));
    ck_assert_ptr_null(kf_reschedule_merchant_refusal("confirmed"));
    ck_assert_str_eq(kf_reschedule_merchant_refusal("cancelled"), "reschedule_closed");
    ck_assert_str_eq(kf_reschedule_merchant_refusal("pending_payment"), "reschedule_closed");
    ck_assert_str_eq(kf_reschedule_merchant_refusal("completed"), "reschedule_closed");
    ck_assert_str_eq(kf_reschedule_merchant_refusal(NULL), "reschedule_closed");
}
END_TEST

START_TEST(the_answer_says_where_the_booking_is_now)
{
    const char *moved[KF_RESCHED_MOVED_COL_COUNT] = {"2026-04-03T15:00:00Z",
                                                     "2026-04-03T15:30:00Z", "prof-2"};
    ck_assert_str_eq(text_of(kf_reschedule_reply(booking, moved)),
                     "{\"booking\":{\"id\":\"b-1\",\"status\":\"confirmed\","
                     "\"start\":\"2026-04-03T15:00:00Z\",\"end\":\"2026-04-03T15:30:00Z\","
                     "\"professional\":\"prof-2\"}}");
    ck_assert_str_eq(text_of(kf_reschedule_audit_changes(moved, 1)),
                     "{\"start\":\"2026-04-03T15:00:00Z\",\"professional_id\":\"prof-2\","
                     "\"by\":\"merchant\"}");
}
END_TEST

/* Wall clock (or UTC) seconds of y-m-d h:mi. */
static apr_int64_t at(int y, int m, int d, int h, int mi)
{
    return kf_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
}

START_TEST(the_rest_of_a_series_keeps_its_rhythm_from_the_new_start)
{
    /* the 2nd of 5 weekly sessions in New York moves from Tuesday 2026-10-20 10:00 (14:00Z)
     * to Wednesday 2026-10-21 11:00 (15:00Z); the 4th was cancelled: the 3rd and 5th follow,
     * at 11:00 wall clock after DST ends on 2026-11-01 (16:00Z) */
    const kf_zone *ny = zone("America/New_York");
    int later[] = {3, 5};
    apr_int64_t olds[] = {at(2026, 10, 27, 14, 0), at(2026, 11, 10, 15, 0)};
    apr_int64_t from = at(2026, 10, 20, 14, 0), to = at(2026, 10, 21, 15, 0);
    apr_int64_t out[2];
    kf_reschedule_rest_starts(ny, KF_SERIES_WEEK, from, to, 2, later, olds, 2, out);
    ck_assert_int_eq(out[0], at(2026, 10, 28, 15, 0));
    ck_assert_int_eq(out[1], at(2026, 11, 11, 16, 0));
    /* every two weeks in UTC */
    kf_reschedule_rest_starts(NULL, KF_SERIES_TWO_WEEKS, from, to, 1, later, olds, 1, out);
    ck_assert_int_eq(out[0], at(2026, 11, 18, 15, 0));
    /* monthly: moved to the 3rd Thursday (2026-10-15 is the 3rd Thursday of October), the
     * next one is November's 3rd Thursday, not four weeks later */
    int next[] = {2};
    kf_reschedule_rest_starts(NULL, KF_SERIES_MONTH, at(2026, 10, 1, 9, 0),
                              at(2026, 10, 15, 9, 0), 1, next, olds, 1, out);
    ck_assert_int_eq(out[0], at(2026, 11, 19, 9, 0));
    /* nothing later: nothing written */
    kf_reschedule_rest_starts(ny, KF_SERIES_WEEK, from, to, 2, later, olds, 0, NULL);
}
END_TEST

START_TEST(a_rest_without_a_rule_any_more_moves_by_the_same_wall_clock_shift)
{
    /* the service is no series now: each later occurrence moves from where it stands by the
     * asked one's shift (a day and an hour later), the wall clock kept across DST's end */
    const kf_zone *ny = zone("America/New_York");
    int later[] = {3, 4};
    apr_int64_t olds[] = {at(2026, 10, 27, 14, 0), at(2026, 11, 5, 15, 0)};
    apr_int64_t out[2];
    kf_reschedule_rest_starts(ny, KF_SERIES_NONE, at(2026, 10, 20, 14, 0),
                              at(2026, 10, 21, 15, 0), 2, later, olds, 2, out);
    ck_assert_int_eq(out[0], at(2026, 10, 28, 15, 0));
    ck_assert_int_eq(out[1], at(2026, 11, 6, 16, 0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reschedule");
    TCase *tc = tcase_create("reschedule");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, the_customer_names_a_hold_by_its_token);
    tcase_add_test(tc, the_merchant_names_a_start_and_perhaps_a_professional);
    tcase_add_test(tc, the_new_slot_is_free_only_under_a_live_hold_of_the_same_service);
    tcase_add_test(tc, the_merchant_moves_only_a_paid_or_confirmed_booking);
    tcase_add_test(tc, the_answer_says_where_the_booking_is_now);
    tcase_add_test(tc, the_rest_of_a_series_keeps_its_rhythm_from_the_new_start);
    tcase_add_test(tc, a_rest_without_a_rule_any_more_moves_by_the_same_wall_clock_shift);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
