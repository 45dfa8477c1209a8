/* Unit tests for lib/catalog/kf_catalog_rules.c: times, dates, timestamps, overlaps, money, prices,
 * emails, what links sell. */
#include "kf_email.h"
#include "kf_check_fields.h"
#include "kf_catalog_rules.h"
#include "kf_time.h"

#include <stdio.h>
#include <string.h>

START_TEST(hhmm_parses_valid_times)
{
    int m = -1;
    ck_assert(kf_hhmm_parse("00:00", 0, &m));
    ck_assert_int_eq(m, 0);
    ck_assert(kf_hhmm_parse("09:30", 0, &m));
    ck_assert_int_eq(m, 570);
    ck_assert(kf_hhmm_parse("23:59", 0, &m));
    ck_assert_int_eq(m, 1439);
    ck_assert(kf_hhmm_parse("24:00", 1, &m));
    ck_assert_int_eq(m, 1440);
}
END_TEST

START_TEST(hhmm_refuses_everything_else)
{
    static const char *bad[] = {"", "9:30", "09:3", "0930", "09.30", "24:00", "24:01", "25:00",
                                "12:60", "-1:00", "09:30 ", " 09:30", "09:30:00", "ab:cd",
                                "１２:00", "+9:30"};
    int m = 77;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!kf_hhmm_parse(bad[i], 0, &m), "accepted %s", bad[i]);
    }
    ck_assert(!kf_hhmm_parse("24:30", 1, &m));
    ck_assert(!kf_hhmm_parse(NULL, 1, &m));
    ck_assert_int_eq(m, 77);
}
END_TEST

START_TEST(hhmm_formats)
{
    ck_assert_str_eq(kf_hhmm_format(pool, 0), "00:00");
    ck_assert_str_eq(kf_hhmm_format(pool, 545), "09:05");
    ck_assert_str_eq(kf_hhmm_format(pool, 1440), "24:00");
    ck_assert_ptr_null(kf_hhmm_format(pool, 1441));
    ck_assert_ptr_null(kf_hhmm_format(pool, -1));
}
END_TEST

START_TEST(dates)
{
    apr_int64_t d = -1;
    ck_assert(kf_date_parse("1970-01-01", &d));
    ck_assert_int_eq(d, 0);
    ck_assert(kf_date_parse("2024-02-29", &d));
    ck_assert(kf_date_parse("2000-02-29", NULL));
    ck_assert(kf_date_parse("2026-12-31", &d));
    ck_assert_int_eq(d, 20818);
    ck_assert(!kf_date_parse("2025-02-29", NULL));
    ck_assert(!kf_date_parse("1900-02-29", NULL));
    ck_assert(!kf_date_parse("2026-04-31", NULL));
    ck_assert(!kf_date_parse("2026-13-01", NULL));
    ck_assert(!kf_date_parse("2026-00-10", NULL));
    ck_assert(!kf_date_parse("2026-01-00", NULL));
    ck_assert(!kf_date_parse("2026-1-01", NULL));
    ck_assert(!kf_date_parse("2026/01/01", NULL));
    ck_assert(!kf_date_parse("2026-01-01T00:00:00Z", NULL));
    ck_assert(!kf_date_parse("", NULL));
    ck_assert(!kf_date_parse(NULL, NULL));
}
END_TEST

START_TEST(utc_timestamps)
{
    apr_int64_t t = 0;
    ck_assert(kf_utc_timestamp_parse("1970-01-01T00:00:00Z", &t));
    ck_assert_int_eq(t, 0);
    ck_assert(kf_utc_timestamp_parse("2026-12-01T14:00:00Z", &t));
    ck_assert_int_eq(t, 1796133600);
    ck_assert_str_eq(kf_time_utc_text(pool, t), "2026-12-01T14:00:00Z");
    ck_assert(kf_utc_timestamp_parse("2024-02-29T23:59:59Z", &t));
    ck_assert_str_eq(kf_time_utc_text(pool, t), "2024-02-29T23:59:59Z");
    ck_assert_str_eq(kf_time_utc_text(pool, -1), "1969-12-31T23:59:59Z");

    static const char *bad[] = {"2026-12-01T14:00:00", "2026-12-01T14:00:00+00:00",
                                "2026-12-01T14:00:00.000Z", "2026-12-01 14:00:00Z",
                                "2026-12-01T24:00:00Z", "2026-12-01T14:60:00Z",
                                "2026-12-01T14:00:60Z", "2026-02-30T14:00:00Z",
                                "2026-12-01t14:00:00z", "2026-12-01", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!kf_utc_timestamp_parse(bad[i], &t), "accepted %s", bad[i]);
    }
}
END_TEST

START_TEST(overlaps_by_group)
{
    kf_minute_range r[] = {
        {1, 540, 720},   /* Mon 09-12 */
        {1, 720, 900},   /* Mon 12-15: touches, fine */
        {2, 600, 700},   /* Tue: another day */
        {1, 700, 760},   /* Mon 11:40-12:40: overlaps [0] (first found) */
        {2, 0, 1440},    /* Tue whole day: overlaps [2] */
        {3, 600, 600},   /* empty: never conflicts */
        {3, 500, 700},
    };
    int conflict[7];
    ck_assert_int_eq(kf_ranges_find_overlaps(r, 7, conflict), 2);
    ck_assert_int_eq(conflict[0], -1);
    ck_assert_int_eq(conflict[1], -1);
    ck_assert_int_eq(conflict[2], -1);
    ck_assert_int_eq(conflict[3], 0);
    ck_assert_int_eq(conflict[4], 2);
    ck_assert_int_eq(conflict[5], -1);
    ck_assert_int_eq(conflict[6], -1);
}
END_TEST

START_TEST(overlap_identical_and_contained)
{
    kf_minute_range r[] = {{5, 600, 900}, {5, 600, 900}, {5, 650, 700}};
    int conflict[3];
    ck_assert_int_eq(kf_ranges_find_overlaps(r, 3, conflict), 2);
    ck_assert_int_eq(conflict[1], 0);
    ck_assert_int_eq(conflict[2], 0);
    ck_assert_int_eq(kf_ranges_find_overlaps(r, 0, conflict), 0);
}
END_TEST

START_TEST(charge_types)
{
    ck_assert_int_eq(kf_charge_type_parse("total"), KF_CHARGE_TOTAL);
    ck_assert_int_eq(kf_charge_type_parse("partial"), KF_CHARGE_PARTIAL);
    ck_assert_int_eq(kf_charge_type_parse("free"), KF_CHARGE_FREE);
    ck_assert_int_eq(kf_charge_type_parse("Total"), KF_CHARGE_INVALID);
    ck_assert_int_eq(kf_charge_type_parse(""), KF_CHARGE_INVALID);
    ck_assert_int_eq(kf_charge_type_parse(NULL), KF_CHARGE_INVALID);
    ck_assert_str_eq(kf_charge_type_name(KF_CHARGE_PARTIAL), "partial");
    ck_assert_ptr_null(kf_charge_type_name(KF_CHARGE_INVALID));
}
END_TEST

START_TEST(deposits_round_up)
{
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_TOTAL, 12000000, 25), 12000000);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_FREE, 0, 25), 0);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, 12000000, 25), 3000000);
    /* ceil: 101 × 25 / 100 = 25.25 -> 26; 1 × 1% -> 1 */
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, 101, 25), 26);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, 1, 1), 1);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, 199, 50), 100);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, 200, 50), 100);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, KF_MONEY_MAX, 99),
                     KF_MONEY_MAX / 100 * 99);
    /* refused inputs */
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, 100, 0), -1);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_PARTIAL, 100, 100), -1);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_FREE, 100, 25), -1);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_TOTAL, 0, 25), -1);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_TOTAL, -5, 25), -1);
    ck_assert_int_eq(kf_charge_amount(KF_CHARGE_INVALID, 100, 25), -1);
}
END_TEST

START_TEST(charge_problems)
{
    ck_assert_ptr_null(kf_charge_problem(KF_CHARGE_TOTAL, 1));
    ck_assert_ptr_null(kf_charge_problem(KF_CHARGE_FREE, 0));
    ck_assert_str_eq(kf_charge_problem(KF_CHARGE_FREE, 5), "free_needs_zero");
    ck_assert_str_eq(kf_charge_problem(KF_CHARGE_PARTIAL, 0), "paid_needs_amount");
    ck_assert_str_eq(kf_charge_problem(KF_CHARGE_TOTAL, 0), "paid_needs_amount");
    ck_assert_str_eq(kf_charge_problem(KF_CHARGE_TOTAL, -1), "amount_out_of_range");
    ck_assert_str_eq(kf_charge_problem(KF_CHARGE_TOTAL, KF_MONEY_MAX + 1), "amount_out_of_range");
}
END_TEST

START_TEST(currency_codes)
{
    ck_assert(kf_currency_code_valid("COP"));
    ck_assert(kf_currency_code_valid("USD"));
    ck_assert(!kf_currency_code_valid("cop"));
    ck_assert(!kf_currency_code_valid("CO"));
    ck_assert(!kf_currency_code_valid("COPX"));
    ck_assert(!kf_currency_code_valid("C0P"));
    ck_assert(!kf_currency_code_valid(NULL));
}
END_TEST

START_TEST(email_addresses)
{
    static const char *good[] = {"ana@example.com", "a.b+tag@sub.example.co",
                                 "o'brien@example.ie", "user_1-2@xn--80ak6aa92e.com"};
    static const char *bad[] = {"", "ana", "ana@", "@example.com", "ana@@example.com",
                                ".ana@example.com", "ana.@example.com", "an..a@example.com",
                                "ana@example..com", "ana@-example.com", "ana@example-.com",
                                "ana example@example.com", "ana@exa mple.com",
                                "añа@example.com", "ana@[192.0.2.1]", "\"unterminated@x.com",
                                "ana@example.com.", "ana@exa_mple.com", "x@localhost",
                                "\"john doe\"@example.com", "ana@clinica"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ck_assert_msg(kf_email_valid(good[i]), "refused %s", good[i]);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!kf_email_valid(bad[i]), "accepted %s", bad[i]);
    }
    ck_assert(!kf_email_valid(NULL));
}
END_TEST

START_TEST(email_lengths)
{
    char local[66], addr[300];
    memset(local, 'a', 64);
    local[64] = '\0';
    snprintf(addr, sizeof(addr), "%s@example.com", local);
    ck_assert(kf_email_valid(addr));
    memset(local, 'a', 65);
    local[65] = '\0';
    snprintf(addr, sizeof(addr), "%s@example.com", local);
    ck_assert(!kf_email_valid(addr));
    /* 254 bytes in all is the limit: 64 + 1 + 189 */
    char domain[200];
    memset(domain, 'b', sizeof(domain));
    memcpy(domain + 60, ".", 1);
    memcpy(domain + 120, ".", 1);
    memcpy(domain + 180, ".", 1);
    domain[185] = '\0';
    memset(local, 'a', 64);
    local[64] = '\0';
    snprintf(addr, sizeof(addr), "%s@%s", local, domain);
    ck_assert_int_eq(strlen(addr), 250);
    ck_assert(kf_email_valid(addr));
    domain[185] = 'c';
    domain[190] = '\0';
    snprintf(addr, sizeof(addr), "%s@%s", local, domain);
    ck_assert_int_eq(strlen(addr), 255);
    ck_assert(!kf_email_valid(addr));
}
END_TEST

START_TEST(min_max_templates)
{
    ck_assert_str_eq(kf_fill_min_max(pool, "entre {min} y {max}.", 3, 100), "entre 3 y 100.");
    ck_assert_str_eq(kf_fill_min_max(pool, "at most {max}", 0, 2000), "at most 2000");
    ck_assert_str_eq(kf_fill_min_max(pool, "{max}-{min}-{max}", 1, 2), "2-1-2");
    ck_assert_str_eq(kf_fill_min_max(pool, "no numbers", 1, 2), "no numbers");
    ck_assert_str_eq(kf_fill_min_max(pool, "{mix}", 1, 2), "{mix}");
}
END_TEST

START_TEST(link_slugs)
{
    ck_assert(kf_link_slug_ok("abcdefghijklmnop"));
    ck_assert(kf_link_slug_ok("A-b_c0123456789xyz"));
    ck_assert(!kf_link_slug_ok("abcdefghijklmno"));          /* 15 */
    ck_assert(!kf_link_slug_ok("abcdefghijklmnop/"));
    ck_assert(!kf_link_slug_ok("abcdefghijklmnöp"));
    ck_assert(!kf_link_slug_ok(NULL));
}
END_TEST

START_TEST(fill_named_placeholders)
{
    const char *names[] = {"{names}", "“4 sesiones”, “Bono”", NULL};
    ck_assert_str_eq(kf_fill(pool, "de {names}: quítalos", names), "de “4 sesiones”, “Bono”: quítalos");
    const char *two[] = {"{min}", "COP 0,01", "{max}", NULL, NULL};
    ck_assert_str_eq(kf_fill(pool, "{max}<{min}<{max}", two), "<COP 0,01<");
    ck_assert_str_eq(kf_fill(pool, "{min}", NULL), "{min}");
}
END_TEST

START_TEST(price_reads_amount_and_currency)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    apr_int64_t amount = -1;
    const char *currency = NULL;
    json_t *b = parse("{\"price\": {\"amount\": 40000000, \"currency\": \"COP\"}}");
    ck_assert_int_eq(kf_field_price(&f, b, KF_FIELD_REQUIRED, 1, "COP", &amount, &currency),
                     KF_FIELD_VALUE);
    ck_assert(amount == 40000000);
    ck_assert_str_eq(currency, "COP");
    ck_assert(kf_fields_ok(&f));
    /* absent: required on POST, nothing on PATCH */
    amount = 7;
    ck_assert_int_eq(kf_field_price(&f, parse("{}"), KF_FIELD_OPTIONAL, 1, "COP", &amount,
                                    &currency), KF_FIELD_SKIPPED);
    ck_assert(amount == 7 && kf_fields_ok(&f));
    ck_assert_int_eq(kf_field_price(&f, parse("{}"), KF_FIELD_REQUIRED, 1, "COP", &amount,
                                    &currency), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "price"), "Este campo es obligatorio.");
    /* the bounds themselves are fine */
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    ck_assert_int_eq(kf_field_price(&f, parse("{\"price\": {\"amount\": 0, \"currency\": \"COP\"}}"),
                                    KF_FIELD_REQUIRED, 0, "COP", &amount, &currency), KF_FIELD_VALUE);
    ck_assert(amount == 0);
    ck_assert_int_eq(kf_field_price(&f, parse("{\"price\": {\"amount\": 100000000000000, \"currency\": \"COP\"}}"),
                                    KF_FIELD_REQUIRED, 1, "COP", &amount, &currency), KF_FIELD_VALUE);
    ck_assert(amount == KF_MONEY_MAX);
}
END_TEST

START_TEST(price_range_errors_speak_major_units)
{
    kf_fields f;
    apr_int64_t amount = 5;
    const char *currency = "XXX";
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    ck_assert_int_eq(kf_field_price(&f, parse("{\"price\": {\"amount\": 0, \"currency\": \"COP\"}}"),
                                    KF_FIELD_REQUIRED, 1, "COP", &amount, &currency), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "price.amount"), "Debe ser al menos COP 0,01.");
    ck_assert(amount == 5);
    ck_assert_str_eq(currency, "COP");   /* the valid part is taken */

    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_field_price(&f, parse("{\"price\": {\"amount\": -5, \"currency\": \"COP\"}}"),
                   KF_FIELD_REQUIRED, 1, "COP", &amount, &currency);
    ck_assert_str_eq(error_of(&f, "price.amount"), "Must be at least COP 0.01.");

    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_field_price(&f, parse("{\"price\": {\"amount\": 100000000000001, \"currency\": \"USD\"}}"),
                   KF_FIELD_REQUIRED, 0, "USD", &amount, &currency);
    ck_assert_str_eq(error_of(&f, "price.amount"), "Must be at most USD 1,000,000,000,000.00.");
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    kf_field_price(&f, parse("{\"price\": {\"amount\": 9223372036854775807, \"currency\": \"COP\"}}"),
                   KF_FIELD_REQUIRED, 0, "COP", &amount, &currency);
    ck_assert_str_eq(error_of(&f, "price.amount"), "Debe ser como máximo COP 1.000.000.000.000,00.");
    /* a service may be free: its least price is zero */
    kf_fields_init(&f, pool, KF_LOCALE_ES);
    kf_field_price(&f, parse("{\"price\": {\"amount\": -1, \"currency\": \"CLP\"}}"),
                   KF_FIELD_REQUIRED, 0, "CLP", &amount, &currency);
    ck_assert_str_eq(error_of(&f, "price.amount"), "Debe ser al menos CLP 0.");
    /* stored values out of range get the same words */
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_price_fail_range(&f, "price.amount", KF_MONEY_MAX + 1, 0, "COP");
    ck_assert_str_eq(error_of(&f, "price.amount"), "Must be at most COP 1,000,000,000,000.00.");
    ck_assert(amount == 5);
}
END_TEST

START_TEST(price_wrong_shapes)
{
    kf_fields f;
    apr_int64_t amount = 5;
    const char *currency = NULL;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_int_eq(kf_field_price(&f, parse("{\"price\": 4000}"), KF_FIELD_REQUIRED, 1,
                                    "COP", &amount, &currency), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "price"), "Must be an object.");
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_int_eq(kf_field_price(&f, parse("{\"price\": {\"amount\": 12.5, \"currency\": \"usd\"}}"),
                                    KF_FIELD_OPTIONAL, 1, "COP", &amount, &currency), KF_FIELD_BAD);
    ck_assert_str_eq(error_of(&f, "price.amount"), "Must be an integer.");
    ck_assert_str_eq(error_of(&f, "price.currency"), "Must be an ISO 4217 currency code, e.g. COP.");
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_field_price(&f, parse("{\"price\": {\"amount\": 100, \"currency\": \"USD\"}}"),
                   KF_FIELD_OPTIONAL, 1, "COP", &amount, &currency);
    ck_assert_str_eq(error_of(&f, "price.currency"), "Must be the currency configured for your business.");
    ck_assert(amount == 100);
    ck_assert_ptr_null(currency);
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    kf_field_price(&f, parse("{\"price\": {}}"), KF_FIELD_OPTIONAL, 1, "COP", &amount, &currency);
    ck_assert_str_eq(error_of(&f, "price.amount"), "This field is required.");
    ck_assert_str_eq(error_of(&f, "price.currency"), "This field is required.");
}
END_TEST

START_TEST(links_sell_packages_they_can_book)
{
    const char *svc = "7a0c8d2e-1111-4b5e-9c3d-000000000001";
    const char *other = "7a0c8d2e-1111-4b5e-9c3d-000000000002";
    const char *pro = "7a0c8d2e-2222-4b5e-9c3d-000000000001";
    /* a link of any service and professional sells a package of any active service */
    ck_assert(kf_link_sells_package(NULL, NULL, svc, 1, 0));
    ck_assert(!kf_link_sells_package(NULL, NULL, svc, 0, 0));      /* its service archived */
    /* a preselected service: only its packages, whatever the case of the ids */
    ck_assert(kf_link_sells_package(svc, NULL, svc, 1, 0));
    ck_assert(kf_link_sells_package("7A0C8D2E-1111-4B5E-9C3D-000000000001", NULL, svc, 1, 0));
    ck_assert(!kf_link_sells_package(other, NULL, svc, 1, 1));
    /* a preselected professional: only services they offer */
    ck_assert(kf_link_sells_package(NULL, pro, svc, 1, 1));
    ck_assert(!kf_link_sells_package(NULL, pro, svc, 1, 0));
    ck_assert(kf_link_sells_package(svc, pro, svc, 1, 1));
    ck_assert(!kf_link_sells_package(svc, pro, svc, 1, 0));
    ck_assert(!kf_link_sells_package(svc, pro, NULL, 1, 1));
}
END_TEST

START_TEST(a_list_shows_every_row_when_a_flag_asks)
{
    const char *const flags[] = {"include_archived", "include_inactive", NULL};
    apr_table_t *q = apr_table_make(pool, 2);
    ck_assert(!kf_catalog_lists_all(q, flags));
    ck_assert(!kf_catalog_lists_all(NULL, flags));
    apr_table_set(q, "include_inactive", "yes");
    ck_assert(!kf_catalog_lists_all(q, flags));
    apr_table_set(q, "include_inactive", "1");
    ck_assert(kf_catalog_lists_all(q, flags));
    ck_assert(!kf_catalog_lists_all(q, NULL));
    apr_table_set(q, "include_archived", "true");
    ck_assert(kf_catalog_lists_all(q, flags));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("catalog_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, hhmm_parses_valid_times);
    tcase_add_test(tc, hhmm_refuses_everything_else);
    tcase_add_test(tc, hhmm_formats);
    tcase_add_test(tc, dates);
    tcase_add_test(tc, utc_timestamps);
    tcase_add_test(tc, overlaps_by_group);
    tcase_add_test(tc, overlap_identical_and_contained);
    tcase_add_test(tc, charge_types);
    tcase_add_test(tc, deposits_round_up);
    tcase_add_test(tc, charge_problems);
    tcase_add_test(tc, currency_codes);
    tcase_add_test(tc, email_addresses);
    tcase_add_test(tc, email_lengths);
    tcase_add_test(tc, link_slugs);
    tcase_add_test(tc, min_max_templates);
    tcase_add_test(tc, fill_named_placeholders);
    tcase_add_test(tc, price_reads_amount_and_currency);
    tcase_add_test(tc, price_range_errors_speak_major_units);
    tcase_add_test(tc, price_wrong_shapes);
    tcase_add_test(tc, links_sell_packages_they_can_book);
    tcase_add_test(tc, a_list_shows_every_row_when_a_flag_asks);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
