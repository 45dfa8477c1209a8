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

static apr_int64_t local_day(const kf_zone *zone, apr_int64_t t)
{
    apr_int64_t local = t + kf_zone_offset(zone, t);
    return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

void kf_hours_with_calendar(apr_array_header_t *windows, int from, int prof,
                            kf_hours_source source, const kf_busy *bookable, int nbookable,
                            const kf_zone *zone, apr_int64_t first_day, apr_int64_t last_day)
{
    if (source == KF_HOURS_OURS || from > windows->nelts) {
        return;
    }
    int n = windows->nelts - from;
    kf_window *ours = apr_palloc(windows->pool, sizeof(kf_window) * (apr_size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        ours[i] = APR_ARRAY_IDX(windows, from + i, kf_window);
    }
    windows->nelts = from;
    if (source == KF_HOURS_CALENDAR) {
        apr_int64_t lo = kf_zone_instant(zone, first_day * 86400);
        apr_int64_t hi = kf_zone_instant(zone, (last_day + 1) * 86400);
        for (int j = 0; j < nbookable; j++) {
            const kf_busy *b = &bookable[j];
            apr_int64_t start = b->start > lo ? b->start : lo;
            apr_int64_t end = b->end < hi ? b->end : hi;
            if (b->prof != prof || start >= end) {
                continue;
            }
            kf_window *w = apr_array_push(windows);
            w->prof = prof;
            w->day = (int)local_day(zone, start);
            w->start = start;
            w->end = end;
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < nbookable; j++) {
            const kf_busy *b = &bookable[j];
            apr_int64_t start = b->start > ours[i].start ? b->start : ours[i].start;
            apr_int64_t end = b->end < ours[i].end ? b->end : ours[i].end;
            if (b->prof != prof || start >= end) {
                continue;
            }
            kf_window *w = apr_array_push(windows);
            *w = ours[i];
            w->start = start;
            w->end = end;
        }
    }
}
