/* Unit suite for lib/catalog/kf_link_assign.c: what a link's body may say of who takes a
 * booking made for "any professional" (assign, weights), and how the weights are shown. */
#include "kf_check_catalog.h"
#include "kf_link_assign.h"

static kf_link_assign fresh(void)
{
    kf_link_assign a = {kf_assign_rule_name(KF_ASSIGN_LEAST_BOOKED), NULL};
    return a;
}

START_TEST(the_rules_have_names)
{
    kf_assign_rule rule = KF_ASSIGN_LEAST_BOOKED;
    ck_assert(kf_assign_rule_parse("weights", &rule));
    ck_assert_int_eq(rule, KF_ASSIGN_WEIGHTS);
    ck_assert(kf_assign_rule_parse("least_booked", &rule));
    ck_assert_int_eq(rule, KF_ASSIGN_LEAST_BOOKED);
    ck_assert(!kf_assign_rule_parse("round_robin", &rule));
    ck_assert(!kf_assign_rule_parse(NULL, &rule));
    ck_assert_str_eq(kf_assign_rule_name(KF_ASSIGN_WEIGHTS), "weights");
}
END_TEST

START_TEST(weights_are_stored_by_lower_case_id)
{
    kf_link_assign a = fresh();
    ck_assert_int_eq(kf_link_assign_read(&lookup, &fields,
                                         parse("{\"assign\": \"weights\", \"weights\": {\""
                                               "BBBBBBBB-bbbb-4bbb-8bbb-bbbbbbbbbbbb\": 3, \""
                                               PRO_A "\": 1}}"),
                                         NULL, &a), 0);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(a.assign, "weights");
    ck_assert_str_eq(a.weights, "{\"" PRO_A "\":1,\"" PRO_B "\":3}");
    ck_assert_str_eq(text_of(kf_link_assign_weights_json(a.weights)),
                     "{\"" PRO_A "\":1,\"" PRO_B "\":3}");
    ck_assert_str_eq(text_of(kf_link_assign_weights_json(NULL)), "null");
}
END_TEST

START_TEST(nothing_sent_keeps_what_is_stored)
{
    kf_link_assign a = {"weights", "{\"" PRO_A "\":2}"};
    kf_link_assign_read(&lookup, &fields, parse("{\"name\": \"x\"}"), SERVICE_A, &a);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(a.assign, "weights");
    ck_assert_str_eq(a.weights, "{\"" PRO_A "\":2}");
    ck_assert_int_eq(catalog.asked, 0);
    /* back to least_booked: the weights stay for a later return */
    kf_link_assign_read(&lookup, &fields, parse("{\"assign\": \"least_booked\"}"), NULL, &a);
    ck_assert(kf_fields_ok(&fields));
    ck_assert_str_eq(a.assign, "least_booked");
    ck_assert_ptr_nonnull(a.weights);
}
END_TEST

START_TEST(bad_weights_are_named_one_by_one)
{
    kf_link_assign a = fresh();
    kf_link_assign_read(&lookup, &fields,
                        parse("{\"assign\": \"weights\", \"weights\": {"
                              "\"" PRO_A "\": -1, \"" PRO_B "\": 101, \"" ARCHIVED "\": 5,"
                              " \"luis\": 5, \"" SERVICE_A "\": 2.5}}"),
                        NULL, &a);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"weights." PRO_A "\":\"Must be an integer from 1 to 100.\","
                     "\"weights." PRO_B "\":\"Must be an integer from 1 to 100.\","
                     "\"weights.luis\":\"Is not an active professional of your business.\","
                     "\"weights." SERVICE_A "\":\"Must be an integer.\","
                     "\"weights." ARCHIVED "\":\"Is not an active professional of your business.\"}");
}
END_TEST

START_TEST(zero_is_not_a_weight)
{
    kf_link_assign a = fresh();
    kf_link_assign_read(&lookup, &fields, parse("{\"weights\": {\"" PRO_A "\": 0}}"), NULL, &a);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"weights." PRO_A "\":\"Must be an integer from 1 to 100.\"}");
}
END_TEST

START_TEST(a_weighted_professional_must_offer_the_links_service)
{
    kf_link_assign a = fresh();
    kf_link_assign_read(&lookup, &fields,
                        parse("{\"weights\": {\"" PRO_A "\": 1, \"" PRO_B "\": 1}}"), SERVICE_B, &a);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"weights." PRO_A "\":\"This professional does not offer the chosen service.\"}");
}
END_TEST

START_TEST(the_weights_rule_needs_a_weight)
{
    kf_link_assign a = fresh();
    kf_link_assign_read(&lookup, &fields, parse("{\"assign\": \"weights\"}"), NULL, &a);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"weights\":\"To share by weights, give at least one professional a weight "
                     "from 1 to 100.\"}");
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    a.assign = "weights";
    a.weights = "{\"" PRO_A "\":2}";
    kf_link_assign_read(&lookup, &fields, parse("{\"weights\": {}}"), NULL, &a);
    ck_assert(kf_fields_has(&fields, "weights"));
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_link_assign_read(&lookup, &fields, parse("{\"weights\": null}"), NULL, &a);
    ck_assert(kf_fields_has(&fields, "weights"));
}
END_TEST

START_TEST(shapes_other_than_a_rule_and_an_object_are_refused)
{
    kf_link_assign a = fresh();
    kf_link_assign_read(&lookup, &fields, parse("{\"assign\": \"round_robin\", \"weights\": [1]}"),
                        NULL, &a);
    ck_assert_str_eq(errors_text(&fields),
                     "{\"assign\":\"Must be least_booked or weights.\","
                     "\"weights\":\"Must be an object.\"}");
    kf_fields_init(&fields, pool, KF_LOCALE_EN);
    kf_link_assign_read(&lookup, &fields, parse("{\"assign\": 2}"), NULL, &a);
    ck_assert(kf_fields_has(&fields, "assign"));
}
END_TEST

START_TEST(a_lookup_that_fails_stops_the_write)
{
    kf_link_assign a = fresh();
    catalog.broken = 1;
    ck_assert_int_eq(kf_link_assign_read(&lookup, &fields,
                                         parse("{\"weights\": {\"" PRO_A "\": 1}}"), NULL, &a),
                     -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("link_assign");
    TCase *tc = tcase_create("body");
    tcase_add_checked_fixture(tc, catalog_setup, kf_test_teardown);
    tcase_add_test(tc, the_rules_have_names);
    tcase_add_test(tc, weights_are_stored_by_lower_case_id);
    tcase_add_test(tc, nothing_sent_keeps_what_is_stored);
    tcase_add_test(tc, bad_weights_are_named_one_by_one);
    tcase_add_test(tc, zero_is_not_a_weight);
    tcase_add_test(tc, a_weighted_professional_must_offer_the_links_service);
    tcase_add_test(tc, the_weights_rule_needs_a_weight);
    tcase_add_test(tc, shapes_other_than_a_rule_and_an_object_are_refused);
    tcase_add_test(tc, a_lookup_that_fails_stops_the_write);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
