/* Unit tests for lib/core/kf_csv.c: RFC 4180 quoting and the formula-injection guard. */
#include "kf_check.h"
#include <string.h>

#include "kf_csv.h"

START_TEST(plain_fields_are_written_as_is)
{
    ck_assert_str_eq(kf_csv_field(pool, "Ana María"), "Ana María");
    ck_assert_str_eq(kf_csv_field(pool, ""), "");
    ck_assert_str_eq(kf_csv_field(pool, NULL), "");
    ck_assert_str_eq(kf_csv_field(pool, "2026-12-01T14:00:00Z"), "2026-12-01T14:00:00Z");
    /* an apostrophe or a quote in the middle needs nothing... */
    ck_assert_str_eq(kf_csv_field(pool, "O'Brien"), "O'Brien");
}
END_TEST

START_TEST(special_characters_are_quoted)
{
    ck_assert_str_eq(kf_csv_field(pool, "Pérez, Ana"), "\"Pérez, Ana\"");
    ck_assert_str_eq(kf_csv_field(pool, "say \"hi\""), "\"say \"\"hi\"\"\"");
    ck_assert_str_eq(kf_csv_field(pool, "\""), "\"\"\"\"");
    ck_assert_str_eq(kf_csv_field(pool, "line1\nline2"), "\"line1\nline2\"");
    ck_assert_str_eq(kf_csv_field(pool, "line1\r\nline2"), "\"line1\r\nline2\"");
    ck_assert_str_eq(kf_csv_field(pool, "a,\"b\"\n"), "\"a,\"\"b\"\"\n\"");
}
END_TEST

START_TEST(formula_starts_are_guarded)
{
    ck_assert_int_eq(kf_csv_needs_guard("=1+1"), 1);
    ck_assert_int_eq(kf_csv_needs_guard("+573001234567"), 1);
    ck_assert_int_eq(kf_csv_needs_guard("-2"), 1);
    ck_assert_int_eq(kf_csv_needs_guard("@SUM(A1)"), 1);
    ck_assert_int_eq(kf_csv_needs_guard("\tx"), 1);
    ck_assert_int_eq(kf_csv_needs_guard("\rx"), 1);
    ck_assert_int_eq(kf_csv_needs_guard("a=1"), 0);
    ck_assert_int_eq(kf_csv_needs_guard(" =1"), 0);
    ck_assert_int_eq(kf_csv_needs_guard(""), 0);
    ck_assert_int_eq(kf_csv_needs_guard(NULL), 0);

    ck_assert_str_eq(kf_csv_field(pool, "=HYPERLINK(\"http://evil\")"),
                     "\"'=HYPERLINK(\"\"http://evil\"\")\"");
    ck_assert_str_eq(kf_csv_field(pool, "=1+1"), "'=1+1");
    ck_assert_str_eq(kf_csv_field(pool, "+573001234567"), "'+573001234567");
    ck_assert_str_eq(kf_csv_field(pool, "-5"), "'-5");
    ck_assert_str_eq(kf_csv_field(pool, "@cmd"), "'@cmd");
    ck_assert_str_eq(kf_csv_field(pool, "\t=1"), "'\t=1");
    /* a guarded cell that also needs quotes: the apostrophe goes inside the quotes */
    ck_assert_str_eq(kf_csv_field(pool, "\r=1"), "\"'\r=1\"");
    ck_assert_str_eq(kf_csv_field(pool, "=A1,B1"), "\"'=A1,B1\"");
}
END_TEST

/* Excel in es-CO splits on ';': a cell holding one is quoted, or "a;=1" would reach it as
 * two cells, the second a formula. */
START_TEST(semicolons_are_quoted)
{
    ck_assert_str_eq(kf_csv_field(pool, "a;b"), "\"a;b\"");
    ck_assert_str_eq(kf_csv_field(pool, "Peña;"), "\"Peña;\"");
    const char *cells[] = {"x;y", "z"};
    ck_assert_str_eq(kf_csv_record(pool, cells, 2), "\"x;y\",z\r\n");
}
END_TEST

/* A reader splitting on the other separator ignores quotes in the middle of its piece:
 * a formula character right after a ',' or ';' inside a cell is guarded too. */
START_TEST(formula_after_a_separator_inside_a_cell_is_guarded)
{
    ck_assert_str_eq(kf_csv_field(pool, "x;=cmd|' /C calc'!A0"), "\"x;'=cmd|' /C calc'!A0\"");
    ck_assert_str_eq(kf_csv_field(pool, "x,=1"), "\"x,'=1\"");
    ck_assert_str_eq(kf_csv_field(pool, "=1;+2,-3;@4"), "\"'=1;'+2,'-3;'@4\"");
    ck_assert_str_eq(kf_csv_field(pool, "a;\tb"), "\"a;'\tb\"");
    /* a separator at the end, or followed by anything else, adds nothing */
    ck_assert_str_eq(kf_csv_field(pool, "a; =1,"), "\"a; =1,\"");
    ck_assert_str_eq(kf_csv_field(pool, "1,5;2"), "\"1,5;2\"");
}
END_TEST

START_TEST(records_end_with_crlf)
{
    const char *cells[] = {"id", "Pérez, Ana", NULL, "=1", "x\"y"};
    ck_assert_str_eq(kf_csv_record(pool, cells, 5), "id,\"Pérez, Ana\",,'=1,\"x\"\"y\"\r\n");
    const char *one[] = {"solo"};
    ck_assert_str_eq(kf_csv_record(pool, one, 1), "solo\r\n");
    const char *empty[] = {NULL, NULL};
    ck_assert_str_eq(kf_csv_record(pool, empty, 2), ",\r\n");
    ck_assert_str_eq(kf_csv_record(pool, NULL, 0), "\r\n");
    ck_assert_int_eq((int)strlen(KF_CSV_BOM), 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, plain_fields_are_written_as_is);
    tcase_add_test(tc, special_characters_are_quoted);
    tcase_add_test(tc, formula_starts_are_guarded);
    tcase_add_test(tc, semicolons_are_quoted);
    tcase_add_test(tc, formula_after_a_separator_inside_a_cell_is_guarded);
    tcase_add_test(tc, records_end_with_crlf);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
