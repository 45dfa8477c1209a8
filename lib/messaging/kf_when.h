#ifndef KF_WHEN_H
#define KF_WHEN_H
/* Dates, times and amounts as people read them in mails: "martes 1 de diciembre de 2026,
 * 10:00" / "Tuesday, December 1, 2026, 10:00 AM" from a wall-clock time of a zone (the
 * zone's arithmetic is PostgreSQL's AT TIME ZONE; this only names days and months).
 * Amounts: kf_money.h. */
#include <apr_pools.h>
#include "kf_i18n.h"
#include "kf_money.h"   /* kf_money_text, kf_money_text_exact */

/* local: "YYYY-MM-DDTHH:MM" (seconds and an offset may follow and are ignored), the wall
 * clock in `zone`. Returns the long form followed by " (zone)" when zone is given, or
 * NULL when local is not a valid date and time. */
const char *kf_when_long(apr_pool_t *p, kf_locale locale, const char *local, const char *zone);

#endif
