/* Unit suite for lib/holds/kf_hold_request.c: what a customer holding a slot is told of
 * their request before any availability is read, and of the hold taken. */
#include "kf_check_fields.h"

#include "kf_hold_request.h"

#define UUID "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"

static kf_hold_request read_hold(kf_fields *f, const char *text)
{
    kf_hold_request h;
    kf_fields_init(f, pool, KF_LOCALE_EN);
    kf_hold_request_read(f, parse(text), &h);
    return h;
}

START_TEST(every_field_is_required)
{
    kf_fields f;
    read_hold(&f, "{\"link\": 5, \"professional\": null}");
    ck_assert_str_eq(text_of(kf_fields_take(&f)),
                     "{\"link\":\"This field has the wrong type.\","
                     "\"service\":\"This field is required.\","
                     "\"professional\":\"This field is required.\","
                     "\"start\":\"This field is required.\"}");
}
END_TEST

/* A series' repeat and count are read as sent (the service's rule judges them later); a count
 * that is no whole number is the request's own error. Its hold lists every occurrence. */
START_TEST(a_series_is_asked_with_repeat_and_count)
{
    kf_fields f;
    kf_hold_request h = read_hold(&f, "{\"link\": \"abc\", \"service\": \"" UUID "\","
                                      " \"professional\": \"any\", \"start\": \"2026-12-01T14:00:00Z\","
                                      " \"repeat\": \"week\", \"count\": 13}");
    ck_assert(kf_fields_ok(&f));
    ck_assert_str_eq(h.repeat, "week");
    ck_assert_str_eq(h.count, "13");
    h = read_hold(&f, "{\"link\": \"abc\", \"service\": \"" UUID "\", \"professional\": \"any\","
                      " \"start\": \"2026-12-01T14:00:00Z\"}");
    ck_assert_ptr_null(h.repeat);
    ck_assert_ptr_null(h.count);
    read_hold(&f, "{\"link\": \"abc\", \"service\": \"" UUID "\", \"professional\": \"any\","
                  " \"start\": \"2026-12-01T14:00:00Z\", \"repeat\": 7, \"count\": \"3\"}");
    ck_assert_str_eq(text_of(kf_fields_take(&f)),
                     "{\"repeat\":\"Must be a string.\","
                     "\"count\":\"Must be an integer.\"}");
    const char *starts[] = {"2026-12-01T14:00:00Z", "2026-12-08T14:00:00Z"};
    const char *ends[] = {"2026-12-01T15:00:00Z", "2026-12-08T15:00:00Z"};
    json_t *reply = kf_hold_series_reply(kf_hold_reply("h-1", "tok", "p-1", starts[0], ends[0],
                                                       "2026-11-30T14:10:00Z"),
                                         starts, ends, 2);
    json_t *occurrences = json_object_get(json_object_get(reply, "hold"), "occurrences");
    ck_assert_str_eq(text_of(json_incref(occurrences)),
                     "[{\"start\":\"2026-12-01T14:00:00Z\",\"end\":\"2026-12-01T15:00:00Z\"},"
                     "{\"start\":\"2026-12-08T14:00:00Z\",\"end\":\"2026-12-08T15:00:00Z\"}]");
    json_decref(reply);
}
END_TEST

START_TEST(an_unreadable_start_is_a_field_error)
{
    kf_fields f;
    read_hold(&f, "{\"link\": \"corte-de-pelo-2026\", \"service\": \"" UUID "\", \"professional\": \"any\","
                  " \"start\": \"tomorrow\"}");
    ck_assert_ptr_nonnull(error_of(&f, "start"));
    ck_assert_int_eq(json_object_size(f.errors), 1);
}
END_TEST

START_TEST(the_shape_alone_refuses_unknown_things)
{
    kf_fields f;
    kf_hold_request h = read_hold(&f, "{\"link\": \"corte-de-pelo-2026\", \"service\": \"" UUID "\","
                                      " \"professional\": \"any\", \"start\": \"2026-04-02T15:00:00Z\"}");
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(kf_hold_request_refusal(&h));
    ck_assert(h.any);
    ck_assert_int_eq(h.start, 1775142000);
    h.professional = UUID;
    ck_assert_ptr_null(kf_hold_request_refusal(&h));
    ck_assert(!h.any);
    h.professional = "luis";
    ck_assert_str_eq(kf_hold_request_refusal(&h), "professional_not_found");
    h.service = "corte";
    ck_assert_str_eq(kf_hold_request_refusal(&h), "service_not_found");
    h.link = "../etc";
    ck_assert_str_eq(kf_hold_request_refusal(&h), "link_not_found");
}
END_TEST

START_TEST(a_fraction_of_a_second_is_never_on_the_grid)
{
    kf_fields f;
    kf_hold_request h = read_hold(&f, "{\"link\": \"corte-de-pelo-2026\", \"service\": \"" UUID "\","
                                      " \"professional\": \"any\","
                                      " \"start\": \"2026-04-02T15:00:00.5Z\"}");
    ck_assert(kf_fields_ok(&f));
    ck_assert_str_eq(kf_hold_request_refusal(&h), "slot_unavailable");
}
END_TEST

START_TEST(the_hold_says_when_it_runs_out)
{
    ck_assert_str_eq(text_of(kf_hold_reply("h-1", "tok", UUID, "2026-04-02T15:00:00Z",
                                           "2026-04-02T15:30:00Z", "2026-04-02T14:10:00Z")),
                     "{\"hold\":{\"id\":\"h-1\",\"token\":\"tok\",\"professional\":\"" UUID "\","
                     "\"start\":\"2026-04-02T15:00:00Z\",\"end\":\"2026-04-02T15:30:00Z\","
                     "\"expires_at\":\"2026-04-02T14:10:00Z\"}}");
}
END_TEST

START_TEST(the_insert_takes_the_slot_its_blocked_range_and_the_funnel)
{
    kf_slot_params sp = {.duration = 1800, .interval = 1800, .buffer_before = 600,
                         .buffer_after = 300};
    kf_slot slot = {.start = 1800000000, .end = 1800001800};
    const char *args[KF_HOLD_INSERT_ARGS] = {"t", "s", "p", "l"};
    kf_hold_insert_args(pool, &sp, &slot, "hash", 600, "203.0.113.9", 1, "visit-1", args);
    ck_assert_str_eq(args[4], "1800000000");
    ck_assert_str_eq(args[5], "1800001800");
    ck_assert_str_eq(args[6], "1799999400");
    ck_assert_str_eq(args[7], "1800002100");
    ck_assert_str_eq(args[8], "hash");
    ck_assert_str_eq(args[9], "600");
    ck_assert_str_eq(args[10], "203.0.113.9");
    ck_assert_str_eq(args[11], "visit-1");
    ck_assert_str_eq(args[12], "t");
    /* a merchant's move: not in the funnel, so no visit */
    kf_hold_insert_args(pool, &sp, &slot, "hash", 600, "203.0.113.9", 0, "visit-1", args);
    ck_assert_ptr_null(args[11]);
    ck_assert_str_eq(args[12], "f");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hold_request");
    TCase *tc = tcase_create("hold_request");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, every_field_is_required);
    tcase_add_test(tc, a_series_is_asked_with_repeat_and_count);
    tcase_add_test(tc, the_insert_takes_the_slot_its_blocked_range_and_the_funnel);
    tcase_add_test(tc, an_unreadable_start_is_a_field_error);
    tcase_add_test(tc, the_shape_alone_refuses_unknown_things);
    tcase_add_test(tc, a_fraction_of_a_second_is_never_on_the_grid);
    tcase_add_test(tc, the_hold_says_when_it_runs_out);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
