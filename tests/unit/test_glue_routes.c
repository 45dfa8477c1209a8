/* The router's table (mod_kf_route_table.c) on a stub of httpd: a method and path reach the
 * handler declared for them, an unknown path is 404 and a known one with another method 405
 * with Allow, both in API.md's error shape; and every route of the module's own table, as
 * tools/kf-routes prints it from the features' descriptors, is reached by its method and a
 * path of its pattern (no route hides behind one declared before it). */
#include "glue/kf_check_glue.h"
#include "mod_kf_route_table.h"
#include "mod_kf_counters.h"

#include <stdio.h>
#include <string.h>

/* ---- a small table of test endpoints, each its own handler ---- */

static const char *handled;   /* the name of the handler that ran */

#define HANDLER(name)                                                                        \
    static int name(kfm_req *kr)                                                             \
    {                                                                                        \
        handled = #name;                                                                     \
        return OK;                                                                           \
    }
HANDLER(list_things)
HANDLER(add_thing)
HANDLER(get_thing)
HANDLER(change_thing)
HANDLER(get_part)

#define ENDPOINT(method, pattern, handler) \
    {{method, pattern}, handler, KFM_AUTH_PUBLIC, KFM_NEEDS_NOTHING, KFM_CHARGE_NONE, 0}

static const kfm_endpoint things_endpoints[] = {
    ENDPOINT("GET", "/api/things", list_things),
    ENDPOINT("POST", "/api/things", add_thing),
    ENDPOINT("GET", "/api/things/{id}", get_thing),
    ENDPOINT("PATCH", "/api/things/{id}", change_thing),
    KFM_ENDPOINTS_END,
};
static const kfm_endpoint parts_endpoints[] = {
    ENDPOINT("GET", "/api/others/{other}/parts/{part}", get_part),
    KFM_ENDPOINTS_END,
};
static const kfm_feature things = {.name = "things", .endpoints = things_endpoints};
static const kfm_feature parts = {.name = "parts", .endpoints = parts_endpoints};

static kfm_route_table table;

static void setup(void)
{
    kf_check_glue_setup();
    static const kfm_feature *const features[] = {&things, &parts, NULL};
    ck_assert_int_eq(kfm_route_table_make(pool, kf_check_server(), features, &table), OK);
    handled = NULL;
}

/* The request routed and, when an endpoint is found, its handler run. */
static kfm_req *route(const char *method, const char *path)
{
    kfm_req *kr = kfm_req_make(kf_check_request(method, path, NULL));
    int reply = -1;
    const kfm_endpoint *ep = kfm_route_table_find(&table, kr, &reply);
    if (ep) {
        ck_assert_int_eq(reply, -1);
        ck_assert_int_eq(ep->handler(kr), OK);
    }
    else {
        ck_assert_int_eq(reply, OK);
    }
    return kr;
}

START_TEST(each_method_and_path_reaches_its_handler)
{
    static const struct { const char *method, *path, *handler; } cases[] = {
        {"GET", "/api/things", "list_things"},
        {"POST", "/api/things", "add_thing"},
        {"GET", "/api/things/42", "get_thing"},
        {"PATCH", "/api/things/42", "change_thing"},
        {"GET", "/api/others/7/parts/x1", "get_part"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        handled = NULL;
        route(cases[i].method, cases[i].path);
        ck_assert_msg(handled && strcmp(handled, cases[i].handler) == 0, "%s %s ran %s",
                      cases[i].method, cases[i].path, handled ? handled : "nothing");
    }
}
END_TEST

START_TEST(captures_and_pattern_are_handed_on)
{
    kfm_req *kr = route("GET", "/api/others/7/parts/x1");
    ck_assert_str_eq(apr_table_get(kr->params, "other"), "7");
    ck_assert_str_eq(apr_table_get(kr->params, "part"), "x1");
    /* the status page counts requests by the pattern, never by the path */
    ck_assert_str_eq(apr_table_get(kr->r->notes, KFM_ROUTE_NOTE),
                     "/api/others/{other}/parts/{part}");
}
END_TEST

START_TEST(head_is_answered_by_get)
{
    route("HEAD", "/api/things/42");
    ck_assert_str_eq(handled, "get_thing");
}
END_TEST

START_TEST(unknown_path_is_404)
{
    static const char *const paths[] = {"/api", "/api/", "/api/nothing", "/api/things/",
                                        "/api/things/42/more", "/api/others//parts/x1",
                                        "/api/THINGS", NULL};
    for (int i = 0; paths[i]; i++) {
        kfm_req *kr = route("GET", paths[i]);
        ck_assert_msg(handled == NULL, "%s ran %s", paths[i], handled);
        kf_check_error(kr->r, HTTP_NOT_FOUND, "not_found");
        ck_assert_ptr_null(kf_check_header(kr->r, "Allow"));
        ck_assert_ptr_null(apr_table_get(kr->r->notes, KFM_ROUTE_NOTE));
    }
}
END_TEST

START_TEST(another_method_is_405_with_allow)
{
    kfm_req *kr = route("DELETE", "/api/things");
    ck_assert_ptr_null(handled);
    kf_check_error(kr->r, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed");
    ck_assert_str_eq(kf_check_header(kr->r, "Allow"), "GET, HEAD, POST");

    kr = route("PUT", "/api/things/42");
    kf_check_error(kr->r, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed");
    ck_assert_str_eq(kf_check_header(kr->r, "Allow"), "GET, HEAD, PATCH");

    kr = route("POST", "/api/others/7/parts/x1");
    ck_assert_str_eq(kf_check_header(kr->r, "Allow"), "GET, HEAD");
}
END_TEST

START_TEST(a_route_declared_twice_stops_the_server)
{
    static const kfm_endpoint again[] = {
        ENDPOINT("PATCH", "/api/things/{id}", get_part),
        KFM_ENDPOINTS_END,
    };
    static const kfm_feature other = {.name = "other", .endpoints = again};
    static const kfm_feature *const features[] = {&things, &other, NULL};
    kfm_route_table twice;
    ck_assert_int_ne(kfm_route_table_make(pool, kf_check_server(), features, &twice), OK);
    ck_assert_int_eq(kf_check_log_count("PATCH /api/things/{id} is declared twice (feature "
                                        "other)"), 1);
}
END_TEST

/* ---- the module's table ---- */

static int unused_handler(kfm_req *kr)
{
    return OK;
}

/* The module's table as tools/kf-routes prints it ("METHOD PATH FEATURE" per endpoint, in
 * the router's order), made into features of endpoints again. */
static void module_table(kfm_route_table *out)
{
    FILE *f = popen(KF_BUILDDIR "/tools/kf-routes", "r");
    ck_assert_msg(f != NULL, "cannot run tools/kf-routes");
    apr_array_header_t *features = apr_array_make(pool, 24, sizeof(kfm_feature *));
    apr_array_header_t *endpoints = NULL;
    const char *feature_name = "";
    char line[512];
    while (fgets(line, sizeof(line), f)) {
        char method[16], pattern[256], name[64];
        ck_assert_msg(sscanf(line, "%15s %255s %63s", method, pattern, name) == 3, "line: %s",
                      line);
        if (strcmp(name, feature_name) != 0) {
            endpoints = apr_array_make(pool, 16, sizeof(kfm_endpoint));
            kfm_feature *feature = apr_pcalloc(pool, sizeof(*feature));
            feature->name = feature_name = apr_pstrdup(pool, name);
            feature->endpoints = (const kfm_endpoint *)endpoints;   /* set once complete */
            APR_ARRAY_PUSH(features, kfm_feature *) = feature;
        }
        APR_ARRAY_PUSH(endpoints, kfm_endpoint) = (kfm_endpoint)ENDPOINT(
            apr_pstrdup(pool, method), apr_pstrdup(pool, pattern), unused_handler);
    }
    ck_assert_int_eq(pclose(f), 0);
    ck_assert_int_gt(features->nelts, 1);
    const kfm_feature **list = apr_pcalloc(pool, sizeof(*list) * (apr_size_t)(features->nelts + 1));
    for (int i = 0; i < features->nelts; i++) {
        kfm_feature *feature = APR_ARRAY_IDX(features, i, kfm_feature *);
        apr_array_header_t *eps = (apr_array_header_t *)feature->endpoints;
        APR_ARRAY_PUSH(eps, kfm_endpoint) = (kfm_endpoint)KFM_ENDPOINTS_END;
        feature->endpoints = (const kfm_endpoint *)eps->elts;
        list[i] = feature;
    }
    ck_assert_int_eq(kfm_route_table_make(pool, kf_check_server(), list, out), OK);
}

/* A path of the pattern: each {name} as "sample-name", which no literal segment is. */
static const char *path_of(const char *pattern)
{
    const char *path = "";
    for (const char *c = pattern; *c;) {
        if (*c == '{') {
            const char *close = strchr(c, '}');
            path = apr_pstrcat(pool, path, "sample-", apr_pstrndup(pool, c + 1,
                                                                   (apr_size_t)(close - c - 1)),
                               NULL);
            c = close + 1;
        }
        else {
            path = apr_pstrcat(pool, path, apr_pstrndup(pool, c, 1), NULL);
            c++;
        }
    }
    return path;
}

START_TEST(every_route_of_the_module_is_reached_by_its_method)
{
    kfm_route_table ours;
    module_table(&ours);
    for (apr_size_t i = 0; i < ours.count; i++) {
        const kf_route *want = &ours.endpoints[i].route;
        const char *path = path_of(want->pattern);
        const char *methods[] = {want->method, strcmp(want->method, "GET") == 0 ? "HEAD" : NULL};
        for (int m = 0; m < 2 && methods[m]; m++) {
            kfm_req *kr = kfm_req_make(kf_check_request(methods[m], path, NULL));
            int reply = -1;
            const kfm_endpoint *ep = kfm_route_table_find(&ours, kr, &reply);
            ck_assert_msg(ep == &ours.endpoints[i], "%s %s reaches %s %s", methods[m], path,
                          ep ? ep->route.method : "no route",
                          ep ? ep->route.pattern : apr_itoa(pool, kr->r->status));
            ck_assert_str_eq(apr_table_get(kr->r->notes, KFM_ROUTE_NOTE), want->pattern);
        }
    }
}
END_TEST

START_TEST(every_path_of_the_module_answers_another_method_405)
{
    static const char *const all[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};
    kfm_route_table ours;
    module_table(&ours);
    for (apr_size_t i = 0; i < ours.count; i++) {
        const kf_route *route = &ours.endpoints[i].route;
        const char *path = path_of(route->pattern);
        int refused = 0;
        for (int m = 0; all[m]; m++) {
            kfm_req *kr = kfm_req_make(kf_check_request(all[m], path, NULL));
            int reply = -1;
            if (kfm_route_table_find(&ours, kr, &reply)) {
                continue;
            }
            kf_check_error(kr->r, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed");
            const char *allow = kf_check_header(kr->r, "Allow");
            ck_assert_msg(allow && strstr(allow, route->method), "%s %s: Allow %s", all[m], path,
                          allow ? allow : "missing");
            refused++;
        }
        ck_assert_msg(refused > 0, "%s takes every method", path);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("glue_routes");
    TCase *tc = tcase_create("table");
    tcase_add_checked_fixture(tc, setup, kf_test_teardown);
    tcase_add_test(tc, each_method_and_path_reaches_its_handler);
    tcase_add_test(tc, captures_and_pattern_are_handed_on);
    tcase_add_test(tc, head_is_answered_by_get);
    tcase_add_test(tc, unknown_path_is_404);
    tcase_add_test(tc, another_method_is_405_with_allow);
    tcase_add_test(tc, a_route_declared_twice_stops_the_server);
    suite_add_tcase(s, tc);
    TCase *whole = tcase_create("module_table");
    tcase_add_checked_fixture(whole, kf_check_glue_setup, kf_test_teardown);
    tcase_add_test(whole, every_route_of_the_module_is_reached_by_its_method);
    tcase_add_test(whole, every_path_of_the_module_answers_another_method_405);
    suite_add_tcase(s, whole);
    return kf_run_suite(s);
}
