#ifndef KF_HOURS_H
#define KF_HOURS_H
/* A professional's working hours, as the catalog stores them (weekly ranges and dated
 * exceptions, wall-clock minutes of the professional's zone), turned into the slot engine's
 * UTC windows. The rule of which ranges a date has lives here: a date with exceptions takes
 * its open ones (a closed exception leaves it without any), any other date the weekly
 * ranges of its ISO weekday. Each end is resolved on its own (kf_zone_instant), so a range
 * lasts the absolute time between its two wall-clock ends across a DST change. */
#include <apr_tables.h>
#include "kf_slots.h"
#include "kf_zone.h"

typedef struct kf_weekly_range {
    int prof;                   /* professional index, as in kf_window */
    int weekday;                /* ISO: 1 = Monday .. 7 = Sunday */
    int start_minute, end_minute;
} kf_weekly_range;

typedef struct kf_day_exception {
    int prof;
    apr_int64_t day;            /* local date, days since the epoch */
    int closed;                 /* 1: no hours that day (the minutes are ignored) */
    int start_minute, end_minute;
} kf_day_exception;

/* ISO weekday (1 = Monday) of a date given as days since the epoch. */
int kf_iso_weekday(apr_int64_t day);

/* Appends to `windows` (kf_window) the windows of professional `prof` (rows of other
 * professionals are skipped) on its local dates first_day..last_day. */
void kf_hours_windows(const kf_zone *zone, int prof, const kf_weekly_range *weekly,
                      int nweekly, const kf_day_exception *exceptions, int nexceptions,
                      apr_int64_t first_day, apr_int64_t last_day, apr_array_header_t *windows);

/* Whose hours a professional whose calendar keeps its own (Cal.com's, for the event type
 * bookings are made with) offers: the tenant's setting calcom_hours. */
typedef enum {
    KF_HOURS_OURS = 0,          /* "ours": the professional's hours here */
    KF_HOURS_CALENDAR = 1,      /* "calcom": the calendar's bookable times instead */
    KF_HOURS_BOTH = 2           /* "both": only what both allow */
} kf_hours_source;

/* Makes windows[from..] (professional `prof`'s, appended by kf_hours_windows for its local
 * dates first_day..last_day) follow `source`, given the calendar's bookable times
 * (`bookable`, kf_busy; other professionals' skipped): OURS leaves them; CALENDAR puts in
 * their place the bookable times within those dates, each on the local date (in zone) it
 * starts; BOTH keeps of each window what lies in a bookable time. */
void kf_hours_with_calendar(apr_array_header_t *windows, int from, int prof,
                            kf_hours_source source, const kf_busy *bookable, int nbookable,
                            const kf_zone *zone, apr_int64_t first_day, apr_int64_t last_day);

#endif
