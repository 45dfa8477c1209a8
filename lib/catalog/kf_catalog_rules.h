#ifndef KF_CATALOG_RULES_H
#define KF_CATALOG_RULES_H
/* Pure rules of the catalog admin API (API.md "Admin API": services, professionals,
 * links): wall-clock times, dates, UTC timestamps, range overlap, money and deposits,
 * e-mail addresses. No I/O, no httpd, no clock: callers pass "now" in. */
#include <apr_pools.h>
#include "kf_fields.h"
#include "kf_time.h"
#include "kf_money.h"   /* KF_MONEY_MAX */
#include <apr_time.h>
#include <apr_tables.h>

#define KF_MINUTES_PER_DAY 1440

/* "HH:MM" (exactly five characters, 00..23 and 00..59) -> minutes since midnight.
 * "24:00" is accepted only when allow_end_of_day (the end of a range). 1 when valid. */
int kf_hhmm_parse(const char *text, int allow_end_of_day, int *minutes);

/* Minutes since midnight (0..1440) -> "HH:MM" ("24:00" for 1440); NULL when out of range. */
const char *kf_hhmm_format(apr_pool_t *p, int minutes);

/* Whether a list asks for every row: one of `flags` (NULL-terminated; NULL: none) is
 * "true" or "1" in its query. */
int kf_catalog_lists_all(const apr_table_t *query, const char *const *flags);

/* Dates (YYYY-MM-DD) are parsed by kf_date_parse in kf_time.h. */

/* "YYYY-MM-DDTHH:MM:SSZ" (API.md: UTC, 'Z', no fraction) -> seconds since the epoch.
 * 1 when valid (leap seconds are not: SS is 00..59). */
int kf_utc_timestamp_parse(const char *text, apr_int64_t *epoch_seconds);

/* One time range of a day, [start, end) in minutes. `group` is what makes two ranges
 * comparable: the weekday of a schedule, or a date's number for exceptions. */
typedef struct kf_minute_range {
    int group;
    int start;
    int end;
} kf_minute_range;

/* Ranges are half-open like the database's int4range: 09:00–12:00 and 12:00–15:00 touch
 * and do not overlap. For each range i, conflict[i] becomes the index of an earlier range
 * (smaller index) of the same group that it overlaps, or -1. Returns how many ranges
 * conflict. Ranges with start >= end are the caller's to refuse; they never conflict. */
int kf_ranges_find_overlaps(const kf_minute_range *ranges, int count, int *conflict);

typedef enum {
    KF_CHARGE_INVALID = -1,
    KF_CHARGE_TOTAL = 0,
    KF_CHARGE_PARTIAL,
    KF_CHARGE_FREE
} kf_charge_type;

/* "total" | "partial" | "free" -> the type, anything else KF_CHARGE_INVALID. */
kf_charge_type kf_charge_type_parse(const char *text);
const char *kf_charge_type_name(kf_charge_type type);

/* What the customer pays when booking (DESIGN.md "Money"): the price for total, 0 for
 * free, ceil(price × percent / 100) for partial. -1 when the inputs break the rules of
 * kf_charge_problem (callers check that first). */
/* Booking link slugs as links are made (kf_random_token of KF_LINK_SLUG_BYTES) and as the
 * schema allows them: [A-Za-z0-9_-]{16,64} (sql/003_catalog.sql). */
#define KF_LINK_SLUG_BYTES 16
int kf_link_slug_ok(const char *slug);

apr_int64_t kf_charge_amount(kf_charge_type type, apr_int64_t price, int deposit_percent);

/* Cross-field rule of a service's price and charge. NULL when fine, else the message id
 * of what is wrong with the price amount:
 *   "amount_out_of_range"  price < 0 or > KF_MONEY_MAX
 *   "free_needs_zero"      a free service must cost 0 (so its price never misleads)
 *   "paid_needs_amount"    total or partial needs a price > 0 (a provider cannot charge 0:
 *                          such a service is "free") */
const char *kf_charge_problem(kf_charge_type type, apr_int64_t price);

/* ISO 4217 shape: three uppercase ASCII letters. */
int kf_currency_code_valid(const char *text);


/* The "price" object of a catalog row, one reader for services and packages:
 * {"amount": integer minor units (API.md "Money") in min..KF_MONEY_MAX, "currency": an
 * ISO 4217 code that must be the tenant's}. A bad amount is a field error at "price.amount"
 * worded in the currency's major units, as the merchant types them ("Debe ser al menos
 * COP 0,01."); a bad currency one at "price.currency". flags: KF_FIELD_REQUIRED when the
 * price must be there (POST). Each valid part is written to *amount / *currency; returns
 * KF_FIELD_VALUE when both were. */
kf_field_result kf_field_price(kf_fields *f, const json_t *body, int flags, apr_int64_t min,
                               const char *tenant_currency, apr_int64_t *amount,
                               const char **currency);

/* Records at path what is wrong with an amount outside min..KF_MONEY_MAX, in major units of
 * currency: "at least" the minimum when below it, else "at most" the maximum. */
void kf_price_fail_range(kf_fields *f, const char *path, apr_int64_t amount, apr_int64_t min,
                         const char *currency);

/* Whether a link can sell a package: each of its sessions must be bookable through the link
 * (the public link lists only such packages, a purchase is refused otherwise). The package's
 * service must be active, be the link's preselected service when it has one (NULL: any),
 * and be offered by the link's preselected professional when it has one
 * (professional_offers_service says whether that professional offers it). Ids compare
 * case-blind (a sent UUID may be upper case). */
int kf_link_sells_package(const char *link_service_id, const char *link_professional_id,
                          const char *package_service_id, int service_active,
                          int professional_offers_service);

#endif
