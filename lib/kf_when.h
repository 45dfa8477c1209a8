#ifndef KF_WHEN_H
#define KF_WHEN_H
/* Dates, times and amounts as people read them in mails: "martes 1 de diciembre de 2026,
 * 10:00" / "Tuesday, December 1, 2026, 10:00 AM" from a wall-clock time of a zone (the
 * zone's arithmetic is PostgreSQL's AT TIME ZONE; this only names days and months), and
 * "COP 120.000" / "USD 12.50". */
#include <apr_pools.h>
#include "kf_i18n.h"

/* local: "YYYY-MM-DDTHH:MM" (seconds and an offset may follow and are ignored), the wall
 * clock in `zone`. Returns the long form followed by " (zone)" when zone is given, or
 * NULL when local is not a valid date and time. */
const char *kf_when_long(apr_pool_t *p, kf_locale locale, const char *local, const char *zone);

/* minor units (kf_currency_exponent) -> "COP 120.000" (es) / "COP 120,000" (en); every
 * other currency with its own decimals: "USD 12.50" / "USD 12,50" (es), "CLP 15.000" (es),
 * "JPY 1,500" (en), "KWD 1,250" (es). */
const char *kf_money_text(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                          const char *currency);

/* minor units -> every decimal of the currency (kf_currency_exponent), for a person who
 * types major units and must see the exact amount: "COP 0,01" / "COP 0.01",
 * "USD 1,000.00" (en), "CLP 1.500" (es), "KWD 1,234" (es). */
const char *kf_money_text_exact(apr_pool_t *p, kf_locale locale, apr_int64_t amount,
                                const char *currency);

#endif
