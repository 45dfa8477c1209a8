/* Unit tests for lib/database/kf_pg_rows.c: a select's rows as libpq answers them, read by
 * position, with SQL NULL told apart from an empty string. The results are built with libpq's
 * own calls (PQmakeEmptyPGresult, PQsetvalue), as a server's answer would fill them. */
#include "kf_check.h"
#include "kf_pg_rows.h"

/* A result of two text columns and the rows given (NULL: SQL NULL). */
static PGresult *two_columns(int nrows, const char *const values[][2])
{
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc attrs[2] = {{.name = "id", .typid = 25, .typlen = -1, .atttypmod = -1},
                             {.name = "note", .typid = 25, .typlen = -1, .atttypmod = -1}};
    ck_assert_int_eq(PQsetResultAttrs(res, 2, attrs), 1);
    for (int r = 0; r < nrows; r++) {
        for (int c = 0; c < 2; c++) {
            const char *v = values[r][c];
            ck_assert_int_eq(PQsetvalue(res, r, c, (char *)v, v ? (int)strlen(v) : -1), 1);
        }
    }
    return res;
}

START_TEST(values_are_read_by_row_and_column)
{
    const char *const values[][2] = {{"7", ""}, {"8", NULL}};
    kf_pg_rows *rows = kf_pg_rows_keep(pool, two_columns(2, values));
    ck_assert_int_eq(kf_pg_rows_count(rows), 2);
    ck_assert_str_eq(kf_pg_rows_value(rows, 0, 0), "7");
    ck_assert_str_eq(kf_pg_rows_value(rows, 1, 0), "8");
    /* an empty text is a value; SQL NULL is none */
    ck_assert_str_eq(kf_pg_rows_value(rows, 0, 1), "");
    ck_assert_ptr_null(kf_pg_rows_value(rows, 1, 1));
    const char *v[2] = {"x", "x"};
    kf_pg_rows_row(rows, 1, v, 2);
    ck_assert_str_eq(v[0], "8");
    ck_assert_ptr_null(v[1]);
}
END_TEST

START_TEST(what_is_not_there_reads_as_null)
{
    const char *const values[][2] = {{"7", "a"}};
    kf_pg_rows *rows = kf_pg_rows_keep(pool, two_columns(1, values));
    ck_assert_ptr_null(kf_pg_rows_value(rows, 1, 0));    /* no such row */
    ck_assert_ptr_null(kf_pg_rows_value(rows, -1, 0));
    ck_assert_ptr_null(kf_pg_rows_value(rows, 0, 2));    /* no such column */
    ck_assert_ptr_null(kf_pg_rows_value(rows, 0, -1));
    /* a reader that asks for more columns than the statement has gets NULL for them */
    const char *v[3];
    kf_pg_rows_row(rows, 0, v, 3);
    ck_assert_str_eq(v[1], "a");
    ck_assert_ptr_null(v[2]);
    /* no rows at all (a failed select): none, and every value NULL */
    ck_assert_int_eq(kf_pg_rows_count(NULL), 0);
    ck_assert_ptr_null(kf_pg_rows_value(NULL, 0, 0));
}
END_TEST

START_TEST(every_row_at_once_for_the_core)
{
    const char *const values[][2] = {{"1", "a"}, {"2", NULL}, {"3", "c"}};
    kf_pg_rows *rows = kf_pg_rows_keep(pool, two_columns(3, values));
    int n = -1;
    const char *const *const *all = kf_pg_rows_all(rows, pool, 2, &n);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(all[0][0], "1");
    ck_assert_str_eq(all[2][1], "c");
    ck_assert_ptr_null(all[1][1]);
    ck_assert_ptr_null(all[3]);     /* ends with NULL */
    all = kf_pg_rows_all(NULL, pool, 2, &n);
    ck_assert_int_eq(n, 0);
    ck_assert_ptr_null(all[0]);
}
END_TEST

START_TEST(the_result_goes_with_its_pool)
{
    /* valgrind's leak check is the assertion: the result is cleared with the pool */
    apr_pool_t *p = NULL;
    apr_pool_create(&p, pool);
    const char *const values[][2] = {{"1", "a"}};
    kf_pg_rows *rows = kf_pg_rows_keep(p, two_columns(1, values));
    ck_assert_int_eq(kf_pg_rows_count(rows), 1);
    apr_pool_destroy(p);
}
END_TEST

START_TEST(integers_travel_as_text)
{
    ck_assert_str_eq(kf_pg_int64(pool, 0), "0");
    ck_assert_str_eq(kf_pg_int64(pool, -42), "-42");
    ck_assert_str_eq(kf_pg_int64(pool, APR_INT64_C(9007199254740993)), "9007199254740993");
    ck_assert_int_eq(kf_pg_number("9007199254740993"), APR_INT64_C(9007199254740993));
    ck_assert_int_eq(kf_pg_number("-5"), -5);
    ck_assert_int_eq(kf_pg_number(NULL), 0);     /* SQL NULL counts as none */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_rows");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, values_are_read_by_row_and_column);
    tcase_add_test(tc, what_is_not_there_reads_as_null);
    tcase_add_test(tc, every_row_at_once_for_the_core);
    tcase_add_test(tc, the_result_goes_with_its_pool);
    tcase_add_test(tc, integers_travel_as_text);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
