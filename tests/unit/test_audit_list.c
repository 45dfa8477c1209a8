/* Unit tests for lib/operations/kf_audit_list.c: which audit queries a merchant may ask, and
 * what a row of the audit list shows. */
#include "kf_check.h"
#include "kf_audit_list.h"
#include "kf_json.h"

#include <string.h>

static apr_table_t *query(const char *const *pairs)
{
    apr_table_t *t = apr_table_make(pool, 4);
    for (; pairs[0]; pairs += 2) {
        apr_table_addn(t, pairs[0], pairs[1]);
    }
    return t;
}

START_TEST(defaults_and_a_full_query)
{
    kf_audit_query q;
    const char *none[] = {NULL};
    ck_assert(kf_audit_query_read(query(none), &q));
    ck_assert_ptr_null(q.action);
    ck_assert_int_eq(q.page, 1);
    ck_assert_int_eq(q.per_page, KF_AUDIT_PER_PAGE_DEFAULT);
    const char *all[] = {"action", "service.update", "from", "2026-11-01", "to", "2026-11-01",
                         "page", "3", "per_page", "100", "utm", "x", "utm", "y", NULL};
    ck_assert(kf_audit_query_read(query(all), &q));   /* unknown names, even repeated: ignored */
    ck_assert_str_eq(q.action, "service.update");
    ck_assert_str_eq(q.from, "2026-11-01");
    ck_assert_int_eq(q.page, 3);
    ck_assert_int_eq(q.per_page, 100);
}
END_TEST

START_TEST(bad_queries_are_refused)
{
    kf_audit_query q;
    const char *repeated[] = {"page", "1", "page", "2", NULL};
    const char *empty_action[] = {"action", "", NULL};
    const char *long_action[] = {"action", NULL, NULL};
    const char *bad_utf8[] = {"action", "caf\xc3", NULL};
    const char *no_date[] = {"from", "2026-02-30", NULL};
    const char *backwards[] = {"from", "2026-11-02", "to", "2026-11-01", NULL};
    const char *big_page[] = {"per_page", "101", NULL};
    const char *zero_page[] = {"page", "0", NULL};
    char *action = apr_palloc(pool, KF_AUDIT_ACTION_MAX + 2);
    memset(action, 'a', KF_AUDIT_ACTION_MAX + 1);
    action[KF_AUDIT_ACTION_MAX + 1] = '\0';
    long_action[1] = action;
    ck_assert(!kf_audit_query_read(query(repeated), &q));
    ck_assert(!kf_audit_query_read(query(empty_action), &q));
    ck_assert(!kf_audit_query_read(query(long_action), &q));
    ck_assert(!kf_audit_query_read(query(bad_utf8), &q));
    ck_assert(!kf_audit_query_read(query(no_date), &q));
    ck_assert(!kf_audit_query_read(query(backwards), &q));
    ck_assert(!kf_audit_query_read(query(big_page), &q));
    ck_assert(!kf_audit_query_read(query(zero_page), &q));
}
END_TEST

START_TEST(a_query_string_is_decoded_as_httpd_decodes_it)
{
    kf_audit_query q;
    ck_assert(kf_audit_query_parse(pool, NULL, &q));
    ck_assert_ptr_null(q.action);
    ck_assert(kf_audit_query_parse(pool, "action=service%2Eupdate&&from=2026-11-01&page=2&utm", &q));
    ck_assert_str_eq(q.action, "service.update");
    ck_assert_str_eq(q.from, "2026-11-01");
    ck_assert_int_eq(q.page, 2);
    ck_assert(kf_audit_query_parse(pool, "action=a+b%2Bc", &q));
    ck_assert_str_eq(q.action, "a b+c");      /* '+' is a space, an escaped one a plus */
    ck_assert(kf_audit_query_parse(pool, "utm=1&utm=2", &q));
}
END_TEST

START_TEST(a_badly_encoded_or_repeated_query_is_refused)
{
    kf_audit_query q;
    ck_assert(!kf_audit_query_parse(pool, "action=a%2", &q));       /* cut escape */
    ck_assert(!kf_audit_query_parse(pool, "action=a%zz", &q));      /* not hex */
    ck_assert(!kf_audit_query_parse(pool, "action=a%00b", &q));     /* a NUL byte */
    ck_assert(!kf_audit_query_parse(pool, "action=a%2Fb", &q));     /* an encoded slash */
    ck_assert(!kf_audit_query_parse(pool, "x%zz=1", &q));           /* any name's too */
    ck_assert(!kf_audit_query_parse(pool, "page=1&pag%65=2", &q));  /* the same name twice */
}
END_TEST

START_TEST(a_row_shows_its_changes_and_user)
{
    const char *row[KF_AUDIT_COLUMNS] = {"42", "service.update", "service", "s-1",
                                         "{\"price\":[100,200]}", "u-1", "ana@example.com",
                                         "203.0.113.7", "curl/8", "2026-11-01T10:00:00Z"};
    json_t *item = kf_audit_item_json(pool, row);
    ck_assert_str_eq(kf_json_dump(pool, item),
                     "{\"id\":42,\"action\":\"service.update\",\"entity_type\":\"service\","
                     "\"entity_id\":\"s-1\",\"changes\":{\"price\":[100,200]},"
                     "\"user\":{\"id\":\"u-1\",\"email\":\"ana@example.com\"},"
                     "\"ip\":\"203.0.113.7\",\"user_agent\":\"curl/8\","
                     "\"created_at\":\"2026-11-01T10:00:00Z\"}");
    json_decref(item);
    /* a system action: no user, no address; unreadable changes show as none */
    const char *system[KF_AUDIT_COLUMNS] = {"7", "booking.expire", "reservation", "r-1", "{",
                                            NULL, NULL, NULL, NULL, "2026-11-01T10:00:00Z"};
    item = kf_audit_item_json(pool, system);
    ck_assert_str_eq(kf_json_dump(pool, item),
                     "{\"id\":7,\"action\":\"booking.expire\",\"entity_type\":\"reservation\","
                     "\"entity_id\":\"r-1\",\"changes\":{},\"user\":null,\"ip\":null,"
                     "\"user_agent\":null,\"created_at\":\"2026-11-01T10:00:00Z\"}");
    kf_audit_query q = {NULL, NULL, NULL, 2, 10};
    const char *const *page[] = {row, system};
    json_t *body = kf_audit_page_json(pool, page, 2, 11, &q);
    ck_assert_str_eq(kf_json_dump(pool, json_object_get(body, "total")), "11");
    ck_assert_int_eq(json_integer_value(json_object_get(body, "page")), 2);
    json_t *items = json_object_get(body, "items");
    ck_assert_int_eq(json_array_size(items), 2);    /* in the rows' order, each as above */
    ck_assert(json_equal(json_array_get(items, 1), item));
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "id")), 42);
    json_decref(item);
    json_decref(body);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("audit_list");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, defaults_and_a_full_query);
    tcase_add_test(tc, bad_queries_are_refused);
    tcase_add_test(tc, a_query_string_is_decoded_as_httpd_decodes_it);
    tcase_add_test(tc, a_badly_encoded_or_repeated_query_is_refused);
    tcase_add_test(tc, a_row_shows_its_changes_and_user);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
