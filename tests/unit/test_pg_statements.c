/* Unit tests for lib/database/kf_pg_statements.c: the statements a server may run. */
#include "kf_check.h"
#include "kf_pg_statements.h"

START_TEST(a_declared_statement_is_run_with_its_arguments)
{
    kf_pg_statements *s = kf_pg_statements_make(pool);
    ck_assert_ptr_null(kf_pg_statements_declare(s, "kf_ping", "SELECT 1"));
    ck_assert_ptr_null(kf_pg_statements_declare(
        s, "kf_tenant_get", "SELECT name FROM tenants WHERE id = %s::uuid AND name LIKE '10%%'"));
    ck_assert(kf_pg_statements_known(s, "kf_ping"));
    const char *why = NULL;
    ck_assert_str_eq(kf_pg_statements_sql(s, pool, "kf_ping", 0, &why), "SELECT 1");
    ck_assert_ptr_nonnull(kf_pg_statements_sql(s, pool, "kf_tenant_get", 1, &why));
    ck_assert_ptr_null(why);
}
END_TEST

START_TEST(a_call_with_other_arguments_is_refused)
{
    kf_pg_statements *s = kf_pg_statements_make(pool);
    kf_pg_statements_declare(s, "kf_two", "UPDATE t SET a = %s WHERE id = %s::uuid");
    const char *why = NULL;
    ck_assert_ptr_null(kf_pg_statements_sql(s, pool, "kf_two", 1, &why));
    ck_assert_str_eq(why, "statement kf_two takes 2 argument(s), was given 1");
    ck_assert_ptr_null(kf_pg_statements_sql(s, pool, "kf_three", 2, &why));
    ck_assert_str_eq(why, "unknown statement label kf_three");
    ck_assert(!kf_pg_statements_known(s, "kf_three"));
    /* before any was declared (a startup that failed), none is known */
    ck_assert(!kf_pg_statements_known(NULL, "kf_two"));
    ck_assert_ptr_null(kf_pg_statements_sql(NULL, pool, "kf_two", 2, &why));
    ck_assert_str_eq(why, "unknown statement label kf_two");
}
END_TEST

START_TEST(a_label_is_declared_once_with_its_sql)
{
    kf_pg_statements *s = kf_pg_statements_make(pool);
    ck_assert_ptr_null(kf_pg_statements_declare(s, "kf_a", "SELECT 1"));
    ck_assert_str_eq(kf_pg_statements_declare(s, "kf_a", "SELECT 2"),
                     "statement label kf_a is declared twice");
    const char *why = NULL;
    ck_assert_str_eq(kf_pg_statements_sql(s, pool, "kf_a", 0, &why), "SELECT 1");
    ck_assert_str_eq(kf_pg_statements_declare(s, "", "SELECT 1"),
                     "statement  has an empty label or SQL");
    ck_assert_str_eq(kf_pg_statements_declare(s, "kf_b", ""),
                     "statement kf_b has an empty label or SQL");
    ck_assert_ptr_nonnull(kf_pg_statements_declare(s, "kf_c", NULL));
    ck_assert(!kf_pg_statements_known(s, "kf_b"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_statements");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, a_declared_statement_is_run_with_its_arguments);
    tcase_add_test(tc, a_call_with_other_arguments_is_refused);
    tcase_add_test(tc, a_label_is_declared_once_with_its_sql);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
