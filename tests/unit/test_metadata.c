/* The merchant's metadata: what is accepted, what is refused and where, and how a link's and
 * a booking's are merged. */
#include "kf_check.h"
#include "kf_metadata.h"

#include <string.h>

static int read_text(const char *json, const char **text, kf_metadata_problem *why)
{
    json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
    int ok = kf_metadata_read(pool, v, text, why);
    json_decref(v);
    return ok;
}

START_TEST(an_object_of_strings_is_kept_with_its_keys_sorted)
{
    const char *text = NULL;
    kf_metadata_problem why = {0};
    ck_assert_int_eq(read_text("{\"order\": \"A-17\", \"customer\": \"88\", \"crm.id\": \"x_1\"}",
                               &text, &why), 1);
    ck_assert_str_eq(text, "{\"crm.id\":\"x_1\",\"customer\":\"88\",\"order\":\"A-17\"}");
    /* null and {} are no metadata */
    ck_assert_int_eq(read_text("null", &text, &why), 1);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(read_text("{}", &text, &why), 1);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(kf_metadata_read(pool, NULL, &text, &why), 1);
    ck_assert_ptr_null(text);
}
END_TEST

START_TEST(the_bounds_hold_at_their_edges)
{
    const char *text = NULL;
    kf_metadata_problem why = {0};
    char value[1100], json[1200];
    /* 500 characters, two bytes each: accepted; 501: refused on its key */
    strcpy(value, "");
    for (int i = 0; i < 500; i++) {
        strcat(value, "ñ");
    }
    snprintf(json, sizeof json, "{\"k\": \"%s\"}", value);
    ck_assert_int_eq(read_text(json, &text, &why), 1);
    strcat(value, "a");
    snprintf(json, sizeof json, "{\"k\": \"%s\"}", value);
    ck_assert_int_eq(read_text(json, &text, &why), 0);
    ck_assert_str_eq(why.field, "metadata.k");
    ck_assert_str_eq(why.message_id, "metadata_value_invalid");
    /* 20 keys: accepted; 21: refused */
    strcpy(json, "{");
    for (int i = 0; i < 21; i++) {
        char pair[32];
        snprintf(pair, sizeof pair, "%s\"k%d\": \"v\"", i ? ", " : "", i);
        strcat(json, pair);
        if (i == 19) {
            char twenty[1200];
            snprintf(twenty, sizeof twenty, "%s}", json);
            ck_assert_int_eq(read_text(twenty, &text, &why), 1);
        }
    }
    strcat(json, "}");
    ck_assert_int_eq(read_text(json, &text, &why), 0);
    ck_assert_str_eq(why.field, "metadata");
    ck_assert_str_eq(why.message_id, "metadata_too_many_keys");
    /* a key of 40 characters: accepted; 41: refused */
    ck_assert_int_eq(read_text("{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": \"v\"}", &text, &why), 1);
    ck_assert_int_eq(read_text("{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": \"v\"}", &text, &why), 0);
    ck_assert_str_eq(why.message_id, "metadata_key_invalid");
}
END_TEST

START_TEST(anything_else_is_refused_with_its_field)
{
    static const struct {
        const char *json, *field, *message_id;
    } bad[] = {
        {"[\"a\"]", "metadata", "metadata_not_object"},
        {"\"order=1\"", "metadata", "metadata_not_object"},
        {"{\"order\": 17}", "metadata.order", "metadata_value_invalid"},
        {"{\"order\": null}", "metadata.order", "metadata_value_invalid"},
        {"{\"order\": {\"a\": \"b\"}}", "metadata.order", "metadata_value_invalid"},
        {"{\"order\": \"a\\nb\"}", "metadata.order", "metadata_value_invalid"},
        {"{\"\": \"v\"}", "metadata", "metadata_key_invalid"},
        {"{\"pedido nº\": \"v\"}", "metadata", "metadata_key_invalid"},
        {"{\"a/b\": \"v\"}", "metadata", "metadata_key_invalid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *text = "untouched";
        kf_metadata_problem why = {0};
        ck_assert_msg(read_text(bad[i].json, &text, &why) == 0, "%s accepted", bad[i].json);
        ck_assert_str_eq(why.field, bad[i].field);
        ck_assert_str_eq(why.message_id, bad[i].message_id);
    }
}
END_TEST

START_TEST(a_bookings_metadata_goes_over_its_links)
{
    const char *text = NULL;
    kf_metadata_problem why = {0};
    ck_assert_int_eq(kf_metadata_merge(pool, "{\"campaign\": \"fall\", \"order\": \"link\"}",
                                       "{\"order\": \"A-17\"}", &text, &why), 1);
    ck_assert_str_eq(text, "{\"campaign\":\"fall\",\"order\":\"A-17\"}");
    ck_assert_int_eq(kf_metadata_merge(pool, NULL, NULL, &text, &why), 1);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(kf_metadata_merge(pool, "{\"a\": \"1\"}", NULL, &text, &why), 1);
    ck_assert_str_eq(text, "{\"a\":\"1\"}");
    /* 15 of the link's and 10 of the booking's, none shared: more than 20 together */
    char link[400] = "{", own[400] = "{";
    for (int i = 0; i < 15; i++) {
        char pair[32];
        snprintf(pair, sizeof pair, "%s\"l%d\": \"v\"", i ? ", " : "", i);
        strcat(link, pair);
        if (i < 10) {
            snprintf(pair, sizeof pair, "%s\"b%d\": \"v\"", i ? ", " : "", i);
            strcat(own, pair);
        }
    }
    strcat(link, "}");
    strcat(own, "}");
    ck_assert_int_eq(kf_metadata_merge(pool, link, own, &text, &why), 0);
    ck_assert_str_eq(why.field, "metadata");
    ck_assert_str_eq(why.message_id, "metadata_too_many_keys");
}
END_TEST

START_TEST(stored_metadata_reads_back_sorted)
{
    /* PostgreSQL's jsonb writes shorter keys first */
    json_t *o = kf_metadata_object("{\"b\": \"2\", \"aa\": \"1\"}");
    char *dumped = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    ck_assert_str_eq(dumped, "{\"aa\":\"1\",\"b\":\"2\"}");
    free(dumped);
    json_decref(o);
    ck_assert_ptr_null(kf_metadata_object(NULL));
    ck_assert_ptr_null(kf_metadata_object("{}"));
    ck_assert_ptr_null(kf_metadata_object("[1]"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metadata");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, an_object_of_strings_is_kept_with_its_keys_sorted);
    tcase_add_test(tc, the_bounds_hold_at_their_edges);
    tcase_add_test(tc, anything_else_is_refused_with_its_field);
    tcase_add_test(tc, a_bookings_metadata_goes_over_its_links);
    tcase_add_test(tc, stored_metadata_reads_back_sorted);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
