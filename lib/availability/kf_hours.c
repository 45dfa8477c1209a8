/* Working hours to windows: see kf_hours.h. */
#include "kf_hours.h"

int kf_iso_weekday(apr_int64_t day)
{
    return (int)((((day % 7) + 7) % 7 + 3) % 7) + 1;   /* 1970-01-01 was a Thursday (4) */
}

static void add_window(const kf_zone *zone, int prof, apr_int64_t day, int start_minute,
                       int end_minute, apr_array_header_t *windows)
{
    kf_window *w = apr_array_push(windows);
    w->prof = prof;
    w->day = (int)day;
    w->start = kf_zone_instant(zone, day * 86400 + start_minute * 60);
    w->end = kf_zone_instant(zone, day * 86400 + end_minute * 60);
}

void kf_hours_windows(const kf_zone *zone, int prof, const kf_weekly_range *weekly,
                      int nweekly, const kf_day_exception *exceptions, int nexceptions,
                      apr_int64_t first_day, apr_int64_t last_day, apr_array_header_t *windows)
{
    for (apr_int64_t day = first_day; day <= last_day; day++) {
        int excepted = 0;
        for (int i = 0; i < nexceptions; i++) {
            const kf_day_exception *e = &exceptions[i];
            if (e->prof == prof && e->day == day) {
                excepted = 1;
                if (!e->closed) {
                    add_window(zone, prof, day, e->start_minute, e->end_minute, windows);
                }
            }
        }
        if (excepted) {
            continue;
        }
        int weekday = kf_iso_weekday(day);
        for (int i = 0; i < nweekly; i++) {
            const kf_weekly_range *h = &weekly[i];
            if (h->prof == prof && h->weekday == weekday) {
                add_window(zone, prof, day, h->start_minute, h->end_minute, windows);
            }
        }
    }
}
