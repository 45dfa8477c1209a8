/* Unit tests for lib/database/kf_schema.c: which schemas a module serves from, as an upgrade
 * meets them (migrate first, reload after). */
#include "kf_check.h"
#include "kf_schema.h"

START_TEST(its_own_schema_fits)
{
    ck_assert_int_eq(kf_schema_judge(46, 46, 0), KF_SCHEMA_FITS);
}
END_TEST

START_TEST(an_older_schema_lacks_what_the_module_needs)
{
    ck_assert_int_eq(kf_schema_judge(46, 45, 0), KF_SCHEMA_BEHIND);
    ck_assert_int_eq(kf_schema_judge(46, 0, 0), KF_SCHEMA_BEHIND);
}
END_TEST

START_TEST(a_newer_additive_schema_is_served_until_the_reload)
{
    /* the upgrade migrated 47 and 48, both additive: the old module keeps answering */
    ck_assert_int_eq(kf_schema_judge(46, 47, 0), KF_SCHEMA_FITS);
    ck_assert_int_eq(kf_schema_judge(46, 48, 0), KF_SCHEMA_FITS);
}
END_TEST

START_TEST(a_breaking_migration_past_the_module_stops_it)
{
    ck_assert_int_eq(kf_schema_judge(46, 47, 47), KF_SCHEMA_AHEAD_BREAKING);
    ck_assert_int_eq(kf_schema_judge(46, 49, 48), KF_SCHEMA_AHEAD_BREAKING);
    /* a breaking migration the module already has, or one not yet applied, does not count */
    ck_assert_int_eq(kf_schema_judge(46, 47, 30), KF_SCHEMA_FITS);
    ck_assert_int_eq(kf_schema_judge(46, 47, 48), KF_SCHEMA_FITS);
    ck_assert_int_eq(kf_schema_judge(46, 46, 46), KF_SCHEMA_FITS);
}
END_TEST

START_TEST(a_refused_schema_says_what_to_do)
{
    ck_assert_ptr_null(kf_schema_refusal(pool, 46, 47, 0));
    ck_assert_str_eq(kf_schema_refusal(pool, 46, 45, 0),
                     "database schema is at version 45, this module needs 46: run "
                     "konfirmado-migrate");
    ck_assert_str_eq(kf_schema_refusal(pool, 46, 48, 47),
                     "database schema is at version 48 and its migration 47 is not additive; "
                     "this module knows up to 46: reload Apache with the module of that schema");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schema_fit");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, its_own_schema_fits);
    tcase_add_test(tc, an_older_schema_lacks_what_the_module_needs);
    tcase_add_test(tc, a_newer_additive_schema_is_served_until_the_reload);
    tcase_add_test(tc, a_breaking_migration_past_the_module_stops_it);
    tcase_add_test(tc, a_refused_schema_says_what_to_do);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
