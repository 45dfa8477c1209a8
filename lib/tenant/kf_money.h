#ifndef KF_MONEY_H
#define KF_MONEY_H
/* Money (API.md "Conventions"): integer minor units of an ISO 4217 currency, the one place
 * that knows each currency's decimals, how people read and type amounts in a locale and which
 * codes exist (which ones a payment provider takes is its own description's,
 * kf_payment_provider). Pure functions; results live in the caller's pool. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_i18n.h"

/* Largest price accepted, in minor units (COP 1.000.000.000.000,00): keeps price × 99 far
 * inside int64 and anything a payment provider would take. */
#define KF_MONEY_MAX 100000000000000LL

/* Digits after the decimal point of a currency (ISO 4217): 0 for CLP, JPY, KRW, PYG, ...,
 * 3 for BHD, IQD, JOD, KWD, LYD, OMR, TND, else 2. */
int kf_currency_exponent(const char *currency);

/* 1 for an active ISO 4217 code ("COP", "KWD"), 0 for anything else ("XYZ", "cop"). */
int kf_currency_known(const char *currency);

/* The currency a business in `country` (ISO 3166-1 alpha-2) prices in by default: CO -> COP,
 * CL -> CLP, US -> USD, ES -> EUR, ...; NULL for a country without one listed. */
const char *kf_currency_of_country(const char *country);

/* minor units -> "75.76" (exactly, no floating point), as providers that speak major units
 * want them. */
const char *kf_money_major(apr_pool_t *p, apr_int64_t minor, const char *currency);

/* A JSON number in major units (75.76 or 75) -> minor units, rounded to the nearest; APR_EINVAL
 * when it is not a number, negative or too large. */
apr_status_t kf_money_minor_of(const json_t *major, const char *currency, apr_int64_t *minor);

/* minor units -> what people read, in the locale: "COP 120.000,50" (es) / "COP 120,000.50"
 * (en), the major units grouped every three digits and the currency's own decimals; a zero
 * minor part is left out ("COP 120.000", "USD 12", "CLP 15.000", "KWD 1,250" es). */
const char *kf_money_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                          const char *currency);

/* minor units -> every decimal of the currency, for a person who types major units and must
 * see the exact amount: "COP 0,01" / "COP 0.01", "USD 1,000.00" (en), "CLP 1.500" (es). */
const char *kf_money_text_exact(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                                const char *currency);

/* The inverse of both: "COP 120.000,50" (es) -> 12000050. The currency prefix is optional
 * (when present it must be `currency`); groups are of three digits; the decimals, when
 * present, exactly the currency's. APR_EINVAL for anything else. */
apr_status_t kf_money_parse(const char *text, kf_locale locale, const char *currency,
                            apr_int64_t *amount);

#endif
