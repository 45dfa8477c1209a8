/* Unit tests for lib/catalog/kf_fields.c: typed field readers and their error messages. */
#include "kf_check_fields.h"

START_TEST(strings_by_code_points)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    /* "Añú" is 3 code points and 5 bytes: within 3..3 */
    json_t *o = parse("{\"a\": \"Añú\", \"b\": \"ab\", \"c\": \"ñññññ\"}");
    const char *s = NULL;
    ck_assert_int_eq(kf_field_string(&f, o, "a", "a", KF_FIELD_REQUIRED, 3, 3, &s), KF_FIELD_VALUE);
    ck_assert_str_eq(s, "Añú");
    ck_assert_int_eq(kf_field_string(&f, o, "b", "b", KF_FIELD_REQUIRED, 3, 100, &s), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "b"), "Debe tener entre 3 y 100 caracteres.");
    ck_assert_int_eq(kf_field_string(&f, o, "c", "c", 0, 0, 4, &s), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "c"), "Debe tener como máximo 4 caracteres.");
    ck_assert(!kf_fields_ok(&f));
}
END_TEST

START_TEST(required_absent_null)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *o = parse("{\"n\": null}");
    const char *s = "untouched";
    ck_assert_int_eq(kf_field_string(&f, o, "x", "x", KF_FIELD_OPTIONAL, 0, 5, &s), KF_FIELD_SKIPPED);
    ck_assert_ptr_null(s);
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(kf_field_string(&f, o, "n", "n", KF_FIELD_NULLABLE, 0, 5, &s), KF_FIELD_SKIPPED);
    ck_assert(kf_fields_ok(&f));
    ck_assert_int_eq(kf_field_string(&f, o, "x", "x", KF_FIELD_REQUIRED, 0, 5, &s), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "x"), "This field is required.");
    ck_assert_int_eq(kf_field_string(&f, o, "n", "n2", KF_FIELD_OPTIONAL, 0, 5, &s), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "n2"), "Must be a string.");
    ck_assert_int_eq(kf_field_string(&f, o, "n", "n3", KF_FIELD_REQUIRED, 0, 5, &s), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "n3"), "This field is required.");
}
END_TEST

START_TEST(integers_are_strict)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *o = parse("{\"ok\": 30, \"str\": \"30\", \"flt\": 30.0, \"bool\": true, \"low\": 14,"
                      " \"big\": 9007199254740993}");
    apr_int64_t n = -1;
    ck_assert_int_eq(kf_field_int(&f, o, "ok", "ok", KF_FIELD_REQUIRED, 15, 480, &n), KF_FIELD_VALUE);
    ck_assert_int_eq(n, 30);
    ck_assert_int_eq(kf_field_int(&f, o, "str", "str", 0, 15, 480, &n), KF_FIELD_BAD);
    ck_assert_int_eq(kf_field_int(&f, o, "flt", "flt", 0, 15, 480, &n), KF_FIELD_BAD);
    ck_assert_int_eq(kf_field_int(&f, o, "bool", "bool", 0, 15, 480, &n), KF_FIELD_BAD);
    ck_assert_int_eq(kf_field_int(&f, o, "low", "low", 0, 15, 480, &n), KF_FIELD_BAD);
    ck_assert_int_eq(kf_field_int(&f, o, "big", "big", 0, 0, 100, &n), KF_FIELD_BAD);
    ck_assert_int_eq(n, 30);
    ck_assert_str_eq(error_of(&f, "str"), "Must be an integer.");
    ck_assert_str_eq(error_of(&f, "flt"), "Must be an integer.");
    ck_assert_str_eq(error_of(&f, "bool"), "Must be an integer.");
    ck_assert_str_eq(error_of(&f, "low"), "Must be an integer from 15 to 480.");
    ck_assert_str_eq(error_of(&f, "big"), "Must be an integer from 0 to 100.");
    ck_assert_int_eq(json_object_size(f.errors), 5);
}
END_TEST

START_TEST(booleans_objects_arrays)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    json_t *o = parse("{\"b\": false, \"i\": 0, \"o\": {}, \"a\": [1, 2, 3]}");
    int b = -1;
    json_t *v = NULL;
    ck_assert_int_eq(kf_field_bool(&f, o, "b", "b", KF_FIELD_REQUIRED, &b), KF_FIELD_VALUE);
    ck_assert_int_eq(b, 0);
    ck_assert_int_eq(kf_field_bool(&f, o, "i", "i", KF_FIELD_REQUIRED, &b), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "i"), "Debe ser true o false.");
    ck_assert_int_eq(kf_field_object(&f, o, "o", "o", 0, &v), KF_FIELD_VALUE);
    ck_assert(json_is_object(v));
    ck_assert_int_eq(kf_field_object(&f, o, "a", "a-as-object", 0, &v), KF_FIELD_BAD);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(kf_field_array(&f, o, "a", "a", 0, 3, &v), KF_FIELD_VALUE);
    ck_assert_int_eq(json_array_size(v), 3);
    ck_assert_int_eq(kf_field_array(&f, o, "a", "a2", 0, 2, &v), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "a2"), "Admite como máximo 2 elementos.");
    ck_assert_int_eq(kf_field_array(&f, o, "o", "o2", 0, 2, &v), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "o2"), "Debe ser una lista.");
}
END_TEST

START_TEST(control_characters_refused)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    json_t *o = parse("{\"bell\": \"a\\u0007b\", \"nl\": \"line\\nline\\tend\", \"del\": \"x\\u007f\"}");
    const char *s = NULL;
    ck_assert_int_eq(kf_field_string(&f, o, "bell", "bell", 0, 0, 100, &s), KF_FIELD_BAD);
    ck_assert_int_eq(kf_field_string(&f, o, "nl", "nl", 0, 0, 100, &s), KF_FIELD_VALUE);
    ck_assert_int_eq(kf_field_string(&f, o, "del", "del", 0, 0, 100, &s), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "bell"), "Contains characters that are not allowed.");
}
END_TEST

START_TEST(first_error_of_a_path_wins_and_paths)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_fields_fail(&f, "schedule[1].end", "time_invalid_end");
    kf_fields_fail(&f, "schedule[1].end", "range_end_before_start");
    ck_assert(kf_fields_has(&f, "schedule[1].end"));
    ck_assert(!kf_fields_has(&f, "schedule[1]"));
    ck_assert_str_eq(error_of(&f, "schedule[1].end"), "Must be a time HH:MM from 00:01 to 24:00.");
    ck_assert_str_eq(kf_fields_path_index(&f, "schedule", 2), "schedule[2]");
    ck_assert_str_eq(kf_fields_path_key(&f, "price", "amount"), "price.amount");
    json_t *taken = kf_fields_take(&f);
    ck_assert_int_eq(json_object_size(taken), 1);
    json_decref(taken);
}
END_TEST

START_TEST(every_catalog_message_is_translated)
{
    static const char *ids[] = {
        "field_required", "field_not_string", "field_not_integer", "field_not_boolean",
        "field_not_object", "field_not_array", "field_control_chars", "field_length",
        "field_too_long", "field_int_range", "field_too_many_items", "invalid_url",
        "invalid_email", "currency_invalid", "currency_mismatch", "amount_out_of_range",
        "free_needs_zero", "paid_needs_amount", "charge_type_invalid", "weekday_invalid",
        "time_invalid", "time_invalid_end", "range_end_before_start", "range_overlaps",
        "date_invalid", "exception_closed_with_hours", "exception_date_closed",
        "timestamp_invalid", "timestamp_past", "professional_id_invalid", "service_id_invalid",
        "professional_not_offering", "service_archived", "professional_archived",
        "price_at_least", "price_at_most", "link_package_not_sold",
    };
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        ck_assert_msg(kf_message_known(ids[i]), "no message for %s", ids[i]);
        ck_assert_msg(strcmp(kf_message(ids[i], KF_LOCALE_ES), kf_message(ids[i], KF_LOCALE_EN)),
                      "%s is not translated", ids[i]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fields");
    TCase *tc = tcase_create("readers");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, strings_by_code_points);
    tcase_add_test(tc, required_absent_null);
    tcase_add_test(tc, integers_are_strict);
    tcase_add_test(tc, booleans_objects_arrays);
    tcase_add_test(tc, control_characters_refused);
    tcase_add_test(tc, first_error_of_a_path_wins_and_paths);
    tcase_add_test(tc, every_catalog_message_is_translated);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
