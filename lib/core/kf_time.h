#ifndef KF_TIME_H
#define KF_TIME_H
/* UTC instants as seconds since the epoch, and their text forms of API.md: RFC 3339 with
 * `Z` (no fraction) for UTC, with an explicit offset for `local` fields, and YYYY-MM-DD
 * dates. Pure arithmetic (no TZ, no libc time zone state), safe in any thread. */
#include <apr.h>
#include <apr_pools.h>

#define KF_TIME_UTC_LEN 20    /* "2026-12-01T14:00:00Z" */
#define KF_TIME_LOCAL_LEN 25  /* "2026-12-01T09:00:00-05:00" */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
apr_int64_t kf_days_from_civil(int y, int m, int d);
void kf_civil_from_days(apr_int64_t days, int *y, int *m, int *d);

/* The UTC day (days since the epoch) that contains instant t (seconds), rounding down
 * before the epoch too. */
apr_int64_t kf_utc_day_of(apr_int64_t t);

/* Writes KF_TIME_UTC_LEN chars + NUL into buf. */
void kf_time_format_utc(char *buf, apr_int64_t t);
/* The same, allocated from p. */
const char *kf_time_utc_text(apr_pool_t *p, apr_int64_t t);
/* Writes the wall-clock time t + offset (seconds east of UTC) with that offset:
 * KF_TIME_LOCAL_LEN chars + NUL. */
void kf_time_format_local(char *buf, apr_int64_t t, int offset);

typedef enum {
    KF_TIME_INVALID = 0,
    KF_TIME_OK,              /* a whole second */
    KF_TIME_FRACTION         /* valid, with a non-zero fraction of a second (truncated) */
} kf_time_parse_result;

/* RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm); 't' and 'z'
 * accepted as RFC 3339 allows; calendar-checked (no Feb 30, no hour 24, no leap second). */
kf_time_parse_result kf_time_parse_rfc3339(const char *s, apr_int64_t *t);

/* A payment provider's timestamp: RFC 3339 as above, or with the offset written without its
 * colon ("2026-05-12T00:00:00+0000", as Airwallex writes it). *usec = microseconds since the
 * epoch, the fraction of a second kept (to order attempts made within one second). 1 or 0. */
int kf_time_parse_provider(const char *s, apr_int64_t *usec);

/* The n decimal digits at s as a number in *out: 1, or 0 when one of them is not a digit
 * (the parts of "YYYY-MM-DDTHH:MM" and its kin). */
int kf_parse_digits(const char *s, int n, int *out);

/* YYYY-MM-DD, calendar-checked; *days = days since the epoch. Returns 1 or 0. */
int kf_date_parse(const char *s, apr_int64_t *days /* may be NULL */);

#endif
