#include "kf_check.h"
#include "kf_money.h"
#include "kf_payment.h"

#include <string.h>

START_TEST(amounts_as_people_write_them)
{
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 12000000, "COP"), "COP 120.000");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 12000000, "COP"), "COP 120,000");
    /* cents are never dropped, in pesos neither */
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 12000050, "COP"), "COP 120.000,50");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 12000050, "COP"), "COP 120,000.50");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 99, "COP"), "COP 0,99");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 123456789, "USD"), "USD 1,234,567.89");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 1250, "EUR"), "EUR 12,50");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 5, "USD"), "USD 0.05");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 4500, "USD"), "USD 45");
    /* currencies without minor units, or with three: amounts are minor units of each */
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 15000, "CLP"), "CLP 15.000");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 1500, "JPY"), "JPY 1,500");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, 1250, "KWD"), "KWD 1,250");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 1234567, "KWD"), "KWD 1,234.567");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_EN, 1234000, "KWD"), "KWD 1,234");
    ck_assert_str_eq(kf_money_text(pool, KF_LOCALE_ES, -250, "USD"), "USD -2,50");
}
END_TEST

START_TEST(exact_amounts_show_every_decimal_of_the_currency)
{
    /* where a cent matters (the least a price may be): COP keeps its decimals */
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 1, "COP"), "COP 0,01");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, 1, "COP"), "COP 0.01");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 0, "COP"), "COP 0,00");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 100000000000000LL, "COP"),
                     "COP 1.000.000.000.000,00");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, 100000000000000LL, "USD"),
                     "USD 1,000,000,000,000.00");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 12000050, "COP"), "COP 120.000,50");
    /* the currency's own exponent: none for CLP, three for KWD */
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 1500, "CLP"), "CLP 1.500");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_ES, 1234, "KWD"), "KWD 1,234");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, 5, "KWD"), "KWD 0.005");
    ck_assert_str_eq(kf_money_text_exact(pool, KF_LOCALE_EN, -250, "USD"), "USD -2.50");
}
END_TEST

START_TEST(typed_amounts_are_read_in_the_locale)
{
    apr_int64_t v = -1;
    ck_assert_int_eq(kf_money_parse("COP 120.000,50", KF_LOCALE_ES, "COP", &v), APR_SUCCESS);
    ck_assert_int_eq(v, 12000050);
    ck_assert_int_eq(kf_money_parse("120,000.50", KF_LOCALE_EN, "COP", &v), APR_SUCCESS);
    ck_assert_int_eq(v, 12000050);
    ck_assert_int_eq(kf_money_parse("15000", KF_LOCALE_ES, "CLP", &v), APR_SUCCESS);
    ck_assert_int_eq(v, 15000);
    /* "1,250" KWD is one thousand two hundred fifty dinars in English, 1.250 in Spanish */
    ck_assert_int_eq(kf_money_parse("1,250", KF_LOCALE_EN, "KWD", &v), APR_SUCCESS);
    ck_assert_int_eq(v, 1250000);
    ck_assert_int_eq(kf_money_parse("1,250", KF_LOCALE_ES, "KWD", &v), APR_SUCCESS);
    ck_assert_int_eq(v, 1250);
    /* decimals must be exactly the currency's; groups of three */
    ck_assert_int_eq(kf_money_parse("12,5", KF_LOCALE_ES, "USD", &v), APR_EINVAL);
    ck_assert_int_eq(kf_money_parse("15,5", KF_LOCALE_ES, "CLP", &v), APR_EINVAL);
    ck_assert_int_eq(kf_money_parse("1.23.456", KF_LOCALE_ES, "COP", &v), APR_EINVAL);
    ck_assert_int_eq(kf_money_parse("1.2345", KF_LOCALE_ES, "COP", &v), APR_EINVAL);
    ck_assert_int_eq(kf_money_parse("USD 12", KF_LOCALE_ES, "COP", &v), APR_EINVAL);
    ck_assert_int_eq(kf_money_parse("", KF_LOCALE_ES, "COP", &v), APR_EINVAL);
}
END_TEST

START_TEST(currencies_known_and_taken_by_each_provider)
{
    ck_assert_int_eq(kf_currency_exponent("COP"), 2);
    ck_assert_int_eq(kf_currency_exponent("CLP"), 0);
    ck_assert_int_eq(kf_currency_exponent("JPY"), 0);
    ck_assert_int_eq(kf_currency_exponent("KWD"), 3);
    ck_assert(kf_currency_known("COP") && kf_currency_known("KWD") && kf_currency_known("ZWL"));
    ck_assert(!kf_currency_known("XYZ") && !kf_currency_known("cop") && !kf_currency_known("CO"));
    ck_assert(!kf_currency_known(NULL) && !kf_currency_known("COPX"));
    ck_assert_str_eq(kf_currency_of_country("CO"), "COP");
    ck_assert_str_eq(kf_currency_of_country("CL"), "CLP");
    ck_assert_str_eq(kf_currency_of_country("ES"), "EUR");
    ck_assert_ptr_null(kf_currency_of_country("AQ"));
    /* which a provider takes is its description's (kf_payment_provider.currencies) */
    ck_assert(kf_payment_accepts_currency(kf_payment_provider_find("wompi"), "COP"));
    ck_assert(!kf_payment_accepts_currency(kf_payment_provider_find("wompi"), "USD"));
    ck_assert(kf_payment_accepts_currency(kf_payment_provider_find("mercadopago"), "CLP"));
    ck_assert(!kf_payment_accepts_currency(kf_payment_provider_find("mercadopago"), "KWD"));
    ck_assert(kf_payment_accepts_currency(kf_payment_provider_find("stripe"), "KWD"));
    ck_assert(kf_payment_accepts_currency(kf_payment_provider_find("airwallex"), "USD"));
    ck_assert(!kf_payment_accepts_currency(NULL, "USD"));
    ck_assert_ptr_null(kf_payment_currencies_of("paypal"));
    ck_assert_ptr_eq(kf_payment_currencies_of("stripe"), kf_payment_provider_find("stripe")->currencies);
}
END_TEST

/* ---- properties, over every currency the providers take ---- */

/* a fixed sequence (xorshift), so that a failure is the same on every run */
static apr_uint64_t next_random(apr_uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static void check_text(const char *text, apr_int64_t amount, const char *cur, kf_locale locale,
                       int exact)
{
    char mark = locale == KF_LOCALE_EN ? '.' : ',', group = locale == KF_LOCALE_EN ? ',' : '.';
    int exponent = kf_currency_exponent(cur);
    apr_int64_t unit = 1;
    for (int i = 0; i < exponent; i++) {
        unit *= 10;
    }
    /* formatting then parsing back gives the amount */
    apr_int64_t back = -1;
    ck_assert_msg(kf_money_parse(text, locale, cur, &back) == APR_SUCCESS && back == amount,
                  "%s does not read back as %lld", text, (long long)amount);
    ck_assert_msg(strncmp(text, cur, 3) == 0 && text[3] == ' ', "%s: no currency first", text);
    const char *digits = text + 4;
    const char *dec = strchr(digits, mark);
    size_t major_len = dec ? (size_t)(dec - digits) : strlen(digits);
    /* grouping every three digits: from the right, a group mark after each three (one
     * assertion per text, not per digit: the suite also runs under valgrind) */
    int run = 0, grouped_ok = 1;
    for (size_t i = major_len; i-- > 0;) {
        if (digits[i] == group) {
            grouped_ok &= run == 3;
            run = 0;
        }
        else {
            grouped_ok &= digits[i] >= '0' && digits[i] <= '9';
            run++;
        }
    }
    ck_assert_msg(grouped_ok && run >= 1 && run <= 3, "%s: not grouped by three", text);
    /* decimals: exactly the exponent when the minor part is not zero (or exact), else none */
    if (amount % unit != 0 || (exact && exponent > 0)) {
        ck_assert_msg(dec && strlen(dec + 1) == (size_t)exponent, "%s: not %d decimals", text,
                      exponent);
    }
    else {
        ck_assert_msg(!dec, "%s: decimals of a zero minor part", text);
    }
}

START_TEST(every_accepted_currency_reads_back_grouped_with_its_decimals)
{
    apr_uint64_t state = 0x9E3779B97F4A7C15ULL;
    static const apr_int64_t edges[] = {0, 1, 9, 10, 99, 100, 999, 1000, 1001, 12000050,
                                        12000000, 123456789, 100000000000000LL};
    int checked = 0;
    for (int pi = 0; kf_payment_providers[pi]; pi++) {
        const char *const *list = kf_payment_providers[pi]->currencies;
        ck_assert_ptr_nonnull(list);
        for (int ci = 0; list[ci]; ci++) {
            const char *cur = list[ci];
            ck_assert_msg(kf_currency_known(cur), "%s takes %s, not ISO 4217",
                          kf_payment_providers[pi]->name, cur);
            apr_pool_t *sub = NULL;
            apr_pool_create(&sub, pool);    /* cleared per currency: the suite runs under valgrind */
            for (int k = 0; k < 24; k++) {
                apr_int64_t amount = k < (int)(sizeof(edges) / sizeof(edges[0]))
                    ? edges[k]
                    : (apr_int64_t)(next_random(&state) % (apr_uint64_t)(100000000000000LL + 1)
                                    >> (next_random(&state) % 40));
                for (int loc = 0; loc < 2; loc++) {
                    kf_locale locale = loc ? KF_LOCALE_EN : KF_LOCALE_ES;
                    check_text(kf_money_text(sub, locale, amount, cur), amount, cur, locale, 0);
                    check_text(kf_money_text_exact(sub, locale, amount, cur), amount, cur,
                               locale, 1);
                    checked++;
                }
            }
            apr_pool_destroy(sub);
        }
    }
    ck_assert_int_gt(checked, 1000);
}
END_TEST

static Suite *money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, amounts_as_people_write_them);
    tcase_add_test(tc, exact_amounts_show_every_decimal_of_the_currency);
    tcase_add_test(tc, typed_amounts_are_read_in_the_locale);
    tcase_add_test(tc, currencies_known_and_taken_by_each_provider);
    tcase_add_test(tc, every_accepted_currency_reads_back_grouped_with_its_decimals);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(money_suite());
}
