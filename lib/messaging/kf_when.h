#ifndef KF_WHEN_H
#define KF_WHEN_H
/* The one way mails and texts write a date and time, as the booking pages write it through
 * Intl (htdocs/static/wizard/format.js: formatDateTimeLong, zoneLabel; es-CO for es, en-US
 * for en): the long date, " · ", the 12-hour time, then the zone's city and its offset at
 * that moment:
 *   "jueves, 3 de diciembre de 2026 · 3:30 p. m. (hora de Bogota, GMT-5)"
 *   "Thursday, December 3, 2026 · 3:30 PM (Bogota time, GMT-5)"
 * The spaces inside the time are no-break ones ("3:30 p. m." with U+00A0), as browsers' Intl
 * writes them, so that it stays on one line. The wall clock and its offset come with the
 * time (PostgreSQL's AT TIME ZONE, the rules of the zone at that instant: summer and winter
 * differ); this only writes them.
 * Amounts: kf_money.h. */
#include <apr_pools.h>
#include "kf_i18n.h"
#include "kf_money.h"   /* kf_money_text, kf_money_text_exact */

/* local: "YYYY-MM-DDTHH:MM" (a space instead of the T too), then optionally ":SS", then
 * optionally the zone's offset at that time ("Z", "+05:30", "-04:00"): the wall clock of
 * `zone` (an IANA name). Returns the long form, followed by the zone ("(hora de Bogota,
 * GMT-5)"; without an offset only the city) when zone is given; NULL when local is no
 * valid date and time. */
const char *kf_when_long(apr_pool_t *p, kf_locale locale, const char *local, const char *zone);

#endif
