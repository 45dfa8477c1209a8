#ifndef KF_AVAILABILITY_FACTS_H
#define KF_AVAILABILITY_FACTS_H
/* What availability depends on, as the facts statements return it (one row per fact, its
 * kind in the first column: L the link, S the service, P a professional, H a weekly range,
 * E a dated exception, B a reservation's blocked range, C a calendar's stored busy time,
 * O a calendar's stored bookable time (Cal.com's hours),
 * A the client network's live holds, V the owners' versions), sorted into a struct; the
 * first instant at which the same statement would answer differently by time alone; the
 * first error of API.md's order they give; and the slot engine's input made from them.
 * Instants of the rows are in microseconds (the database's), of the engine in seconds. */
#include <apr_pools.h>
#include <apr_tables.h>
#include "kf_slots.h"
#include "kf_seat_slots.h"
#include "kf_team_slots.h"
#include "kf_series_slots.h"
#include "kf_hours.h"
#include "kf_zone.h"

/* Columns of the facts statements: (k, id, w, x, y, z, a..f); what each holds depends on
 * the row's kind. */
enum {
    KF_FACTS_COL_KIND, KF_FACTS_COL_ID, KF_FACTS_COL_W, KF_FACTS_COL_X, KF_FACTS_COL_Y,
    KF_FACTS_COL_Z, KF_FACTS_COL_A, KF_FACTS_COL_B, KF_FACTS_COL_C, KF_FACTS_COL_D,
    KF_FACTS_COL_E, KF_FACTS_COL_F, KF_FACTS_COLUMNS
};

typedef struct kf_facts_prof {
    const char *id, *zone, *calendar;   /* calendar: none, connected, error */
    apr_int64_t synced_at, busy_until;
    int retry_pending, has_busy, busy_until_known;
    int has_bookable;                   /* its calendar keeps hours of its own (O rows) */
} kf_facts_prof;

typedef struct kf_facts_reservation {
    int prof;
    apr_int64_t start, end;          /* the blocked range */
    apr_int64_t starts_at, ends_at;  /* the booking itself */
    apr_int64_t until;               /* when it stops blocking by itself (0: never) */
    int seat;                        /* a seat of a class of the service asked for */
} kf_facts_reservation;

/* The rows sorted: professionals indexed (by id, only those the link allows). */
typedef struct kf_facts {
    const char *link_id, *tenant_id, *tenant_zone, *link_service, *link_prof, *link_expires_us;
    int link_expired;
    apr_int64_t now_us;                /* the database's clock */
    const char *service_id, *service_tenant;
    const char *const *service;        /* the S row's values */
    kf_facts_prof *profs;
    int nprof;
    apr_array_header_t *weekly;        /* kf_weekly_range */
    apr_array_header_t *exceptions;    /* kf_day_exception */
    apr_array_header_t *reservations;  /* kf_facts_reservation */
    apr_array_header_t *calendar;      /* kf_busy: stored calendar busy times */
    apr_array_header_t *bookable;      /* kf_busy: stored calendar bookable times */
    int calendar_hours;                /* kf_hours_source: the tenant's calcom_hours */
    int active_holds;
    apr_int64_t first_hold_ends_in;
    const char *owners, *versions;     /* the V row (availability only) */
    apr_int64_t valid_until_us;        /* the statement answers the same until then */
    int nrows;
} kf_facts;

/* Sorts `nrows` rows (KF_FACTS_COLUMNS values each, NULL for SQL NULL; they must outlive
 * *f) into *f, allocated from `pool`. */
void kf_facts_read(apr_pool_t *pool, const char *const *const *rows, int nrows, kf_facts *f);

/* The first error of API.md's order that the link, service and professional give, or NULL:
 * link_not_found, link_expired, invalid_timezone (`zone_ok` 0: the display zone does not
 * exist), service_not_found, professional_not_found (professional_id asked, none offered). */
const char *kf_facts_status(const kf_facts *f, const char *professional_id, int zone_ok);

/* The key under which facts read by `statement` with `args` (NULL: "\1") are kept,
 * unit-separated. */
const char *kf_facts_key(apr_pool_t *p, const char *statement, int nargs, const char *const *args);

/* Whether kept facts answer as reading them would: their owners' versions as just read
 * (NULL: none has one) are those read with them, and the clock (`now_us`, the database's)
 * has not reached their bound. */
int kf_facts_still_current(const kf_facts *kept, const char *versions, apr_int64_t now_us);

/* Columns of the rows that prove kept facts current: the versions statements
 * (kf_availability_versions_*: the clock and the versions), and the hold check
 * (kf_hold_check_one: those, whether a calendar is connected, and the client network's live
 * holds as kf_facts reads them from an A row). */
enum {
    KF_FACTS_CHECK_NOW_US, KF_FACTS_CHECK_VERSIONS, KF_FACTS_VERSIONS_COLUMNS,
    KF_FACTS_CHECK_CALENDAR = KF_FACTS_VERSIONS_COLUMNS, KF_FACTS_CHECK_ACTIVE_HOLDS,
    KF_FACTS_CHECK_FIRST_HOLD_ENDS_IN, KF_FACTS_HOLD_CHECK_COLUMNS
};

/* Kept facts answering again: 1 with *f their copy (shared, read only) with the clock of
 * `row` when they are still current by it (and, with `hold_check`, no calendar was
 * connected since, and the client's holds are those of the row); else 0. */
int kf_facts_reuse(const kf_facts *kept, const char *const *row, int hold_check, kf_facts *f);

/* Kept hold facts judging a hold before anything proves them current: 1 with *f their copy
 * at `now_us` (the database's clock as this process last learned it) and no live holds of
 * the client counted, when `now_us` is before they lapse by themselves; else 0. The hold's
 * insert then proves what the check would have (kf_hold_insert_unchecked), or is refused and
 * the hold judged again. */
int kf_facts_reuse_unchecked(const kf_facts *kept, apr_int64_t now_us, kf_facts *f);

/* Whether availability facts just read are worth keeping: they describe an open link's
 * service (an error answer is cheap to read again, and its owners are not all known), with
 * their owners, in at most max_rows rows. */
int kf_facts_keepable(const kf_facts *f, const char *professional_id, int max_rows);

/* The copy of a hold judgement's facts that judges later holds of the same professional
 * around the same dates, allocated from `pool`, or NULL when they cannot: its catalog rows
 * (link, service, the professional, its hours and exceptions) with the catalog's version,
 * and no busy time (other reservations are left to the exclusion constraint; a professional
 * with a calendar is not kept). It holds until the link expires. */
kf_facts *kf_facts_for_holds(apr_pool_t *pool, const kf_facts *read, const char *professional_id,
                             int max_rows);

/* The days and instants a facts statement reads. */
typedef struct kf_facts_period {
    apr_int64_t day_lo, day_hi;     /* local dates of the working hours (days since the epoch) */
    apr_int64_t busy_lo, busy_hi;   /* busy times (seconds) */
} kf_facts_period;

/* Availability of `days` days from `base` (the day asked for, or today by this server's
 * clock): the display zone's today (by the database's clock) is within a day of it, and
 * zones differ by at most 26 hours: three days of margin on each side. */
kf_facts_period kf_facts_period_of_days(apr_int64_t base, int days);

/* The judgement of one start: every window of the start's local day lies within 25 hours
 * of it, so the busy times within 26 hours count "how booked the day is" as availability
 * counts it; the dates read are the start's UTC week (Monday to Sunday) and two days either
 * side, which hold the start's local dates and the day either side of each. The same for
 * every start of that week, so one read serves them all. */
kf_facts_period kf_facts_period_of_start(apr_int64_t start);

/* The slot engine's input of one request, and what the answer reports besides slots. */
typedef struct kf_availability {
    const char *status;          /* "ok", or link_not_found, link_expired, invalid_timezone,
                                    service_not_found, professional_not_found */
    const char *timezone;        /* the display zone */
    apr_int64_t from_day;        /* the first day shown (days since the epoch) */
    apr_int64_t now;             /* the database's clock (whole seconds, rounded down) */
    apr_int64_t runs_out_at;     /* first instant a busy range or the link runs out by
                                    itself (APR_INT64_MAX: none): the answer changes then */
    kf_slot_params params;
    int nprof;
    const char **prof_ids;       /* index -> professional id, sorted by id */
    const char **prof_calendars; /* index -> calendar connection status (none, connected, error) */
    apr_int64_t *prof_synced_at; /* index -> when its busy times were read (0: never) */
    int *prof_retry_pending;     /* index -> a failed read waits for its retry */
    apr_array_header_t *windows; /* kf_window */
    apr_array_header_t *busy;    /* kf_busy */
    apr_array_header_t *seats;   /* kf_seat_taken: a seated service's classes */
    apr_array_header_t *changes; /* kf_tz_change of the display zone, by instant */
    int active_holds;            /* hold judgement: live holds of the client network,
                                    counted up to the limit */
    apr_int64_t first_hold_ends_in; /* seconds until the first of them ends */
    const char *unchecked_versions; /* a hold judged on kept facts nothing proved current yet
                                       (kf_facts_reuse_unchecked): their catalog's versions
                                       ("" none), which its insert proves; NULL: proven */
    apr_int64_t unchecked_now_us;   /* and the clock they were judged at, the client network
                                       whose live holds count (NULL: none) and their limit */
    const char *unchecked_network;
    int unchecked_limit;
    const char *link_id, *tenant_id; /* status ok: the link and its tenant */
    const char *tenant_zone;     /* status ok: the tenant's zone (its week, its days) */
    kf_series_rule series;       /* the service's series rule (kf_series.h) */
    const kf_zone **prof_zones;  /* index -> its zone (NULL: unknown), set by the caller that
                                    loads them; NULL: none set */
} kf_availability;

/* Empty, status "internal_error" until filled. */
void kf_availability_init(apr_pool_t *p, kf_availability *av);

/* av's link, clock, service parameters (the booking notice and horizon from the clock) and
 * professionals, from facts whose status is ok. */
void kf_availability_from_facts(apr_pool_t *p, const kf_facts *f, kf_availability *av);

/* Places the period of an availability answer: its first day (`asked`, else today in the
 * display zone by the facts' clock) and its instants [from, to). 0 when that period is not
 * within what `read` covers (this server's clock and the database's differ by a day or
 * more): the answer cannot be computed. */
int kf_availability_place(kf_availability *av, const kf_zone *zone, const apr_int64_t *asked,
                          int days, const kf_facts_period *read);

/* Working windows of professional i (in `zone`, its own) on its local dates first..last:
 * its hours, or its calendar's, or what both allow, as the tenant chose
 * (kf_hours_with_calendar; a calendar without hours of its own leaves its hours). A zone
 * the system does not know (NULL) gives it none: nothing is offered that could not be
 * placed in time. */
void kf_availability_add_windows(const kf_facts *f, int i, const kf_zone *zone,
                                 apr_int64_t first, apr_int64_t last, kf_availability *av);

/* Busy times of [lo, hi): the blocked ranges of active reservations (and when the first of
 * them stops blocking by itself), and a connected calendar's stored busy times (everything
 * past the period it covers) less the professional's own bookings. A seated service's own
 * seats are not busy times but places taken (av->seats: kf_seats_keep_free). */
void kf_availability_add_busy(apr_pool_t *p, const kf_facts *f, apr_int64_t lo, apr_int64_t hi,
                              kf_availability *av);

/* The free slots of av (kf_slots_compute), of a seated service only those with a place left
 * (kf_seats_keep_free) before `mode` keeps one per start, of a collective service one per
 * start at which every member is free (kf_team_keep_common, whatever `mode`); -1 on bad
 * parameters. */
int kf_availability_slots(apr_pool_t *p, const kf_availability *av, kf_slots_mode mode,
                          kf_slot **out);

/* The first starts of a series of `count` occurrences every `every` (kf_series_keep_free):
 * the free slots of av with the horizon lifted for the later occurrences, kept when they start
 * in [from, to) before av's own horizon and every occurrence is free for their professional
 * (in its zone, av->prof_zones), before `mode` keeps one per start; -1 on bad parameters. */
int kf_availability_series_slots(apr_pool_t *p, const kf_availability *av,
                                 kf_series_every every, int count, apr_int64_t from,
                                 apr_int64_t to, kf_slots_mode mode, kf_slot **out);

/* Professional i offers nothing in the period (its busy times are not known: better no
 * slot than a double booking). */
void kf_availability_block(kf_availability *av, int i);

/* The professionals' calendars at av->now (kf_calendar_busy_known, stale: the most seconds
 * busy times may be old): one whose busy times are unknown or too old offers nothing
 * (kf_availability_block), and av->runs_out_at comes no later than the moment a known one
 * goes stale. How many were blocked. */
int kf_availability_guard_calendars(kf_availability *av, apr_int64_t stale);

#endif
