#include "kf_check.h"
#include "kf_route.h"

#include <apr_tables.h>

/* Like the glue's table: entries start with a kf_route, followed by other fields. */
typedef struct {
    kf_route route;
    int tag;
} test_entry;

static const test_entry table[] = {
    {{"GET", "/api/health"}, 1},
    {{"GET", "/api/admin/services"}, 2},
    {{"POST", "/api/admin/services"}, 3},
    {{"GET", "/api/admin/services/{id}"}, 4},
    {{"PATCH", "/api/admin/services/{id}"}, 5},
    {{"DELETE", "/api/admin/services/{id}"}, 6},
    {{"GET", "/api/admin/bookings.csv"}, 7},
    {{"GET", "/api/admin/bookings/{id}"}, 8},
    {{"POST", "/api/admin/bookings/{id}/callback"}, 9},
    {{"GET", "/api/public/links/{link}/availability"}, 10},
    /* a capture declared before the literal it could take */
    {{"POST", "/api/webhooks/{provider}"}, 11},
    {{"POST", "/api/webhooks/google"}, 12},
    {{"POST", "/api/webhooks/calcom/{tenant}"}, 13},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static kf_route_result find(const char *method, const char *path, kf_route_match *m)
{
    return kf_route_find(pool, table, NTABLE, sizeof(table[0]), method, path, m);
}

START_TEST(literal_path_matches_its_method)
{
    kf_route_match m;
    ck_assert_int_eq(find("GET", "/api/health", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 1);
    ck_assert_int_eq(find("POST", "/api/admin/services", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 3);
}
END_TEST

START_TEST(captures_are_returned_by_name)
{
    kf_route_match m;
    ck_assert_int_eq(find("PATCH", "/api/admin/services/svc_123", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 5);
    ck_assert_str_eq(apr_table_get(m.params, "id"), "svc_123");
    ck_assert_int_eq(find("GET", "/api/public/links/abc/availability", &m), KF_ROUTE_FOUND);
    ck_assert_str_eq(apr_table_get(m.params, "link"), "abc");
    ck_assert_int_eq(find("POST", "/api/admin/bookings/b1/callback", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 9);
    ck_assert_str_eq(apr_table_get(m.params, "id"), "b1");
}
END_TEST

START_TEST(literal_wins_where_declared_first)
{
    kf_route_match m;
    ck_assert_int_eq(find("GET", "/api/admin/bookings.csv", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 7);
    ck_assert_int_eq(find("GET", "/api/admin/bookings/bookings.csv", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 8);
}
END_TEST

START_TEST(a_literal_wins_over_a_capture_declared_first)
{
    kf_route_match m;
    ck_assert_int_eq(find("POST", "/api/webhooks/google", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 12);
    ck_assert_ptr_null(apr_table_get(m.params, "provider"));
    ck_assert_int_eq(find("POST", "/api/webhooks/stripe", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 11);
    ck_assert_str_eq(apr_table_get(m.params, "provider"), "stripe");
    ck_assert_int_eq(find("POST", "/api/webhooks/calcom/t1", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 13);
    /* both take POST: it is said once */
    ck_assert_int_eq(find("GET", "/api/webhooks/google", &m), KF_ROUTE_BAD_METHOD);
    ck_assert_str_eq(m.allow, "POST");
}
END_TEST

START_TEST(unknown_paths_are_not_found)
{
    kf_route_match m;
    ck_assert_int_eq(find("GET", "/api/nothing", &m), KF_ROUTE_NOT_FOUND);
    ck_assert_int_eq(find("GET", "/api/health/", &m), KF_ROUTE_NOT_FOUND);
    ck_assert_int_eq(find("GET", "/api/healthz", &m), KF_ROUTE_NOT_FOUND);
    ck_assert_int_eq(find("GET", "/api/admin/services/", &m), KF_ROUTE_NOT_FOUND);
    ck_assert_int_eq(find("GET", "/api/admin/services//x", &m), KF_ROUTE_NOT_FOUND);
    ck_assert_int_eq(find("GET", "/api/admin/services/a/b", &m), KF_ROUTE_NOT_FOUND);
    ck_assert_int_eq(find("GET", "", &m), KF_ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(wrong_method_lists_allowed_ones)
{
    kf_route_match m;
    ck_assert_int_eq(find("PUT", "/api/admin/services/x", &m), KF_ROUTE_BAD_METHOD);
    ck_assert_str_eq(m.allow, "GET, HEAD, PATCH, DELETE");
    ck_assert_int_eq(find("DELETE", "/api/health", &m), KF_ROUTE_BAD_METHOD);
    ck_assert_str_eq(m.allow, "GET, HEAD");
}
END_TEST

START_TEST(head_is_served_by_get_routes)
{
    kf_route_match m;
    ck_assert_int_eq(find("HEAD", "/api/health", &m), KF_ROUTE_FOUND);
    ck_assert_int_eq(table[m.index].tag, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("route");
    TCase *tc = tcase_create("find");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, literal_path_matches_its_method);
    tcase_add_test(tc, captures_are_returned_by_name);
    tcase_add_test(tc, literal_wins_where_declared_first);
    tcase_add_test(tc, unknown_paths_are_not_found);
    tcase_add_test(tc, wrong_method_lists_allowed_ones);
    tcase_add_test(tc, head_is_served_by_get_routes);
    tcase_add_test(tc, a_literal_wins_over_a_capture_declared_first);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
