/* Unit tests for lib/operations/kf_health.c: what an operator's health check reads. */
#include "kf_check.h"
#include "kf_health.h"
#include "kf_json.h"
#include "kf_version.h"

#include <apr_strings.h>

START_TEST(a_healthy_server)
{
    json_t *body = kf_health_json(KF_HEALTH_OK, KF_SCHEMA_VERSION, NULL);
    ck_assert_str_eq(kf_json_dump(pool, body),
                     apr_psprintf(pool, "{\"status\":\"ok\",\"database\":\"ok\",\"version\":\"%s\","
                                  "\"schema\":{\"expected\":%d,\"current\":%d,\"status\":\"ok\"}}",
                                  KF_VERSION, KF_SCHEMA_VERSION, KF_SCHEMA_VERSION));
    json_decref(body);
}
END_TEST

START_TEST(what_stops_a_server)
{
    json_t *down = kf_health_json(KF_HEALTH_DB_DOWN, -1, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(down, "status")), "unavailable");
    ck_assert_str_eq(json_string_value(json_object_get(down, "database")), "down");
    json_t *schema = json_object_get(down, "schema");
    ck_assert(json_is_null(json_object_get(schema, "current")));
    ck_assert_str_eq(json_string_value(json_object_get(schema, "status")), "unknown");
    json_decref(down);
    json_t *old = kf_health_json(KF_HEALTH_SCHEMA_OUTDATED, KF_SCHEMA_VERSION - 1, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(old, "database")), "ok");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(old, "schema"), "status")),
                     "outdated");
    json_decref(old);
    json_t *broken = kf_health_json(KF_HEALTH_BROKEN, KF_SCHEMA_VERSION, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(broken, "status")), "unavailable");
    json_decref(broken);
    ck_assert_str_eq(kf_health_problem(KF_HEALTH_DB_DOWN), "database down");
    ck_assert_str_eq(kf_health_problem(KF_HEALTH_BROKEN), "statements broken");
}
END_TEST

static const char *failed_field(json_t *body, const char *field)
{
    return json_string_value(json_object_get(json_object_get(body, "failed"), field));
}

START_TEST(the_answer_names_the_dependency_that_failed)
{
    json_t *ok = kf_health_json(KF_HEALTH_OK, KF_SCHEMA_VERSION, NULL);
    ck_assert_ptr_null(json_object_get(ok, "failed"));
    json_decref(ok);
    json_t *down = kf_health_json(KF_HEALTH_DB_DOWN, -1, "PostgreSQL was shut down or restarted");
    ck_assert_str_eq(failed_field(down, "dependency"), "database");
    ck_assert_str_eq(failed_field(down, "reason"), "PostgreSQL was shut down or restarted");
    json_decref(down);
    json_t *unknown = kf_health_json(KF_HEALTH_DB_DOWN, -1, NULL);
    ck_assert_str_eq(failed_field(unknown, "reason"), "PostgreSQL cannot be reached");
    json_decref(unknown);
    json_t *old = kf_health_json(KF_HEALTH_SCHEMA_OUTDATED, 12, NULL);
    ck_assert_str_eq(failed_field(old, "dependency"), "schema");
    ck_assert_str_eq(failed_field(old, "reason"),
                     apr_psprintf(pool, "the database schema is at version 12, this module needs "
                                  "%d: run konfirmado-migrate", KF_SCHEMA_VERSION));
    json_decref(old);
    json_t *ahead = kf_health_json(KF_HEALTH_SCHEMA_OUTDATED, KF_SCHEMA_VERSION + 2, NULL);
    ck_assert_str_eq(failed_field(ahead, "reason"),
                     apr_psprintf(pool, "the database schema is at version %d, past this "
                                  "module's %d with a change that is not additive: reload Apache "
                                  "with the newer module", KF_SCHEMA_VERSION + 2, KF_SCHEMA_VERSION));
    json_decref(ahead);
    json_t *broken = kf_health_json(KF_HEALTH_BROKEN, KF_SCHEMA_VERSION, NULL);
    ck_assert_str_eq(failed_field(broken, "dependency"), "statements");
    json_decref(broken);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("health");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_healthy_server);
    tcase_add_test(tc, what_stops_a_server);
    tcase_add_test(tc, the_answer_names_the_dependency_that_failed);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
