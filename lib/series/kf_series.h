#ifndef KF_SERIES_H
#define KF_SERIES_H
/* Series (API.md "Series, seats and teams"): a service may be booked as a run of `count`
 * occurrences, one every week, every two weeks or every month, at the same wall-clock time
 * in the professional's zone. Here: the service's `series` field (its bounds, its stored
 * form and its JSON), the `repeat`/`count` a customer asks for, the wall-clock date of each
 * occurrence and what a series charges. Pure: instants in a zone are availability's
 * (kf_series_slots.h).
 *
 * "month" is the same weekday of the same week of the month: a first start on the 2nd
 * Tuesday repeats on the 2nd Tuesday of each month. A start on a 5th weekday (day 29-31)
 * repeats on the last such weekday of each month, since not every month has a 5th. */
#include <apr_pools.h>
#include <jansson.h>
#include "kf_fields.h"

#define KF_SERIES_COUNT_MIN 2
#define KF_SERIES_COUNT_MAX 12

typedef enum {
    KF_SERIES_NONE = 0,
    KF_SERIES_WEEK,
    KF_SERIES_TWO_WEEKS,
    KF_SERIES_MONTH
} kf_series_every;

/* A service's series rule; every == KF_SERIES_NONE: the service is booked once. */
typedef struct kf_series_rule {
    kf_series_every every;
    int min, max;         /* how many occurrences a customer may ask for */
    int pay_all;          /* 1: the checkout charges every occurrence; 0: the first only */
} kf_series_rule;

/* "week" | "2weeks" | "month" (NULL or anything else: KF_SERIES_NONE), and back. */
kf_series_every kf_series_every_parse(const char *s);
const char *kf_series_every_name(kf_series_every every);

/* Reads the body's `series` (absent: *v unchanged; null: none; an object: every, min, max,
 * pay, all required, 2 <= min <= max <= 12), recording errors under "series.<key>". */
void kf_series_field(kf_fields *f, const json_t *body, kf_series_rule *v);

/* Whether kf_series_field recorded an error (then the rule stays as it was). */
int kf_series_field_failed(const kf_fields *f);

/* Why a service cannot have both (NULL: it can): a series is one customer's run of bookings
 * with one professional, so a service booked as a series has no collective team
 * ("series_with_team") and is no group class, capacity above 1 ("series_with_capacity").
 * The message id, for the field "series". */
const char *kf_series_combination_problem(const kf_series_rule *v, int team_size, long capacity);

/* The rule as stored (services.series, jsonb text), or NULL for none; and back (NULL or
 * unreadable text: none). */
const char *kf_series_stored(apr_pool_t *p, const kf_series_rule *v);
void kf_series_from_stored(const char *stored, kf_series_rule *v);

/* The rule as the API shows it: null, or {"every", "min", "max", "pay"}. A new reference. */
json_t *kf_series_json(const kf_series_rule *v);

/* What a customer asked (availability's and a hold's `repeat`/`count`; NULL: not sent),
 * judged against the service's rule: NULL when fine (*every, *count the series asked for;
 * KF_SERIES_NONE and 1 when neither was sent), else the field in fault ("repeat" or
 * "count") with *why its message id. */
const char *kf_series_asked(const kf_series_rule *rule, const char *repeat, const char *count,
                            kf_series_every *every, int *n, const char **why);

/* The wall-clock time (seconds since 1970-01-01T00:00 of that wall clock) of occurrence k
 * (0: the first) of a series whose first one is at wall-clock `first`. */
apr_int64_t kf_series_local_start(kf_series_every every, apr_int64_t first, int k);

/* A change's "scope" (cancel, reschedule): absent or "one": the occurrence asked (0), "rest":
 * it and the later occurrences of its series (1); anything else an error of "scope". */
int kf_series_scope_read(kf_fields *f, const json_t *body);

/* The most days after its first start that the last of `count` occurrences every `every`
 * may start (a month's same weekday drifts by up to a week): how far availability reads. */
int kf_series_span_days(kf_series_every every, int count);

/* What the checkout of a series of `count` occurrences charges when one occurrence charges
 * `each`: every occurrence (pay_all), or the first only. */
apr_int64_t kf_series_charge(int pay_all, int count, apr_int64_t each);

/* What occurrence `index` (1..count) itself was charged of that: its share when it is
 * cancelled. */
apr_int64_t kf_series_share(int pay_all, int index, apr_int64_t each);

#endif
