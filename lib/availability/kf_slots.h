#ifndef KF_SLOTS_H
#define KF_SLOTS_H
/* The slot engine: pure computation over UTC instants (seconds since the epoch).
 *
 * Working hours arrive already turned into UTC windows (kf_hours_windows resolves each
 * wall-clock range in the professional's zone, DST included), busy intervals are the
 * blocked ranges of active reservations plus calendar busy times. A slot:
 *   - starts inside its window, on the grid start + k * interval of that window, and ends
 *     (start + duration) no later than the end of the window's stretch: windows of one
 *     professional that abut (24:00 of one date, 00:00 of the next) are one stretch of
 *     time, so a slot may span midnight;
 *   - has its blocked range [start - buffer_before, end + buffer_after) disjoint from
 *     every busy interval of its professional (half-open, like tstzrange '[)');
 *   - starts in [from, to), not before `earliest` (now + minimum notice) and before
 *     `latest` (now + horizon).
 * No time zone and no clock is read here: `now` is folded into earliest/latest. */
#include <apr_pools.h>
#include <apr_tables.h>

typedef struct kf_window {
    apr_int64_t start, end;  /* UTC, start < end */
    int prof;                /* professional index 0..nprof-1 */
    int day;                 /* local date of the range in the professional's zone (any
                                stable number, e.g. days since the epoch): "that day" */
} kf_window;

typedef struct kf_busy {
    apr_int64_t start, end;  /* UTC, half-open */
    int prof;
} kf_busy;

typedef struct kf_slot_params {
    int duration;            /* seconds, > 0 */
    int interval;            /* seconds, > 0 */
    int buffer_before;       /* seconds, >= 0 */
    int buffer_after;        /* seconds, >= 0 */
    apr_int64_t from, to;    /* slot starts in [from, to) */
    apr_int64_t earliest;    /* start >= earliest */
    apr_int64_t latest;      /* start < latest */
    int capacity;            /* customers per start: 0 or 1 one, more a group class
                                (kf_seats.h; ignored by kf_slots_compute) */
    int team;                /* members a booking needs together: 0 one professional, 2..5
                                a collective team (kf_team.h; ignored by kf_slots_compute) */
} kf_slot_params;

typedef struct kf_slot {
    apr_int64_t start, end;
    int prof;
    int load;                /* busy intervals of that professional starting inside its
                                windows of that day: how booked the day already is */
    int seats_left;          /* a group class's places left (kf_seats_keep_free), else 0 */
} kf_slot;

typedef enum {
    KF_SLOTS_ALL = 0,        /* every free (professional, start), ordered by start, then
                                least loaded, then professional index */
    KF_SLOTS_ONE_PER_START   /* the first of each start in that order ("any") */
} kf_slots_mode;

/* Computes the free slots. Inputs need no order and are not modified; windows of one
 * professional must not overlap. Busy intervals may overlap. The result is allocated from
 * p in one piece (no allocation per slot); returns the number of slots, -1 on bad params. */
int kf_slots_compute(apr_pool_t *p, const kf_slot_params *sp, int nprof,
                     const kf_window *windows, int nwindows,
                     const kf_busy *busy, int nbusy, kf_slots_mode mode, kf_slot **out);

/* Keeps the first slot of each start of slots sorted as KF_SLOTS_ALL sorts them (what
 * KF_SLOTS_ONE_PER_START returns); returns the new count. */
int kf_slots_one_per_start(kf_slot *slots, int n);

/* The range a slot blocks: [start - buffer_before, end + buffer_after), what the slot
 * engine keeps disjoint from busy intervals and what a hold must find free. */
void kf_slot_blocked(const kf_slot_params *sp, apr_int64_t start, apr_int64_t end,
                     apr_int64_t *block_start, apr_int64_t *block_end);

/* The last instant (seconds) until which slots computed at `now` stay the same by the
 * clock alone: earliest and latest move with the clock, so the first offered start
 * `slots[0]` (slots sorted by start, n of them) leaves at now + (start - earliest), and
 * the first grid start at or after `latest` that fits a window and [from, to) enters at
 * now + (start - latest). One second earlier than that, for the rounding of now.
 * APR_INT64_MAX when neither can happen. Busy intervals are ignored (conservative). */
apr_int64_t kf_slots_clock_stable_until(const kf_slot_params *sp, const kf_window *windows,
                                        int nwindows, const kf_slot *slots, int n,
                                        apr_int64_t now);

/* Appends to `out` (kf_busy of professional `prof`) the parts of `busy` not covered by any
 * of `holes`, clipped to [from, to): a connected calendar's busy times less the
 * professional's own bookings, which that calendar shows too. Inputs need no order and may
 * overlap; their `prof` is ignored. Scratch copies come from p. */
void kf_busy_less(apr_pool_t *p, int prof, const kf_busy *busy, int nbusy, const kf_busy *holes,
                  int nholes, apr_int64_t from, apr_int64_t to, apr_array_header_t *out);

/* Offsets of a display zone over a period: `at` sorted ascending; the offset of changes[i]
 * holds from changes[i].at until the next change (the first one also before its at). */
typedef struct kf_tz_change {
    apr_int64_t at;
    int offset;              /* seconds east of UTC */
} kf_tz_change;

/* Offset in effect at t. *cursor (start at 0) makes a sweep over increasing t linear. */
int kf_tz_offset_at(const kf_tz_change *changes, int n, apr_int64_t t, int *cursor);

#endif
