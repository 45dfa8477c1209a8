/* The public availability answer: see kf_availability_answer.h. */
#include "kf_availability_answer.h"
#include "kf_text.h"
#include "kf_time.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

static int tz_chars_ok(const char *tz)
{
    apr_size_t n = strlen(tz);
    return n > 0 && n <= 64 && strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_+-/") == n;
}

static int parse_days(const char *s, int *days)
{
    apr_size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 3 || strspn(s, "0123456789") != n) {
        return 0;
    }
    *days = atoi(s);
    return *days >= 1 && *days <= KF_AVAIL_DAYS_MAX;
}

const char *kf_availability_query_check(const char *service, const char *professional,
                                        const char *from, const char *days, const char *tz,
                                        kf_availability_query *q)
{
    q->service = service;
    q->professional = professional;
    q->from = from;
    q->days = KF_AVAIL_DAYS_DEFAULT;
    q->tz = tz;
    if (!service || !*service || (from && !kf_date_parse(from, NULL)) ||
        (days && !parse_days(days, &q->days)) || (professional && !*professional)) {
        return "invalid_parameter";
    }
    if (tz && !tz_chars_ok(tz)) {
        return "invalid_timezone";
    }
    if (professional && strcmp(professional, "any") == 0) {
        q->professional = NULL;
    }
    if (!kf_is_uuid(service)) {
        return "service_not_found";
    }
    if (q->professional && !kf_is_uuid(q->professional)) {
        return "professional_not_found";
    }
    return NULL;
}

static char *put(char *p, const char *s, apr_size_t n)
{
    memcpy(p, s, n);
    return p + n;
}
#define PUT_LIT(p, lit) put((p), (lit), sizeof(lit) - 1)

void kf_availability_answer_json(apr_pool_t *pool, const kf_availability *av, int days,
                                 const kf_slot *slots, int n, const char **json,
                                 apr_size_t *len)
{
    /* ids are canonical UUIDs (36), the zone name at most 64 safe characters */
    apr_size_t per_slot = sizeof("{\"start\":\"\",\"end\":\"\",\"local\":\"\",\"professional\":\"\"},")
                          + 2 * KF_TIME_UTC_LEN + KF_TIME_LOCAL_LEN + 36
                          + sizeof(",\"seats_left\":") + 11;
    int seated = kf_capacity_seated(av->params.capacity);
    apr_size_t cap = 256 + strlen(av->timezone) + (apr_size_t)n * per_slot;
    char *buf = apr_palloc(pool, cap);
    char *p = buf;
    int y, m, d, cursor = 0;
    const kf_tz_change *changes = (const kf_tz_change *)av->changes->elts;

    kf_civil_from_days(av->from_day, &y, &m, &d);
    p += apr_snprintf(p, cap, "{\"timezone\":\"%s\",\"from\":\"%04d-%02d-%02d\",\"days\":%d,"
                      "\"slots\":[", av->timezone, y, m, d, days);
    for (int i = 0; i < n; i++) {
        const char *prof = av->prof_ids[slots[i].prof];
        p = PUT_LIT(p, "{\"start\":\"");
        kf_time_format_utc(p, slots[i].start);
        p += KF_TIME_UTC_LEN;
        p = PUT_LIT(p, "\",\"end\":\"");
        kf_time_format_utc(p, slots[i].end);
        p += KF_TIME_UTC_LEN;
        p = PUT_LIT(p, "\",\"local\":\"");
        kf_time_format_local(p, slots[i].start,
                             kf_tz_offset_at(changes, av->changes->nelts, slots[i].start, &cursor));
        p += KF_TIME_LOCAL_LEN;
        p = PUT_LIT(p, "\",\"professional\":\"");
        p = put(p, prof, strlen(prof));
        *p++ = '"';
        if (seated) {
            /* a group class: its places left (always at least one: a full class is not offered) */
            p += apr_snprintf(p, 32, ",\"seats_left\":%d", slots[i].seats_left);
        }
        *p++ = '}';
        if (i + 1 < n) {
            *p++ = ',';
        }
    }
    p = PUT_LIT(p, "]}");
    *json = buf;
    *len = (apr_size_t)(p - buf);
}

const char *kf_availability_answer_key(apr_pool_t *p, const char *subdomain, const char *slug,
                                       const kf_availability_query *q)
{
    return apr_psprintf(p, "av|%s|%s|%s|%s|%s|%d|%s", subdomain ? subdomain : "", slug,
                        q->service, q->professional ? q->professional : "any",
                        q->from ? q->from : "", q->days, q->tz ? q->tz : "");
}

apr_int64_t kf_availability_answer_stable_until(const kf_availability *av, int has_from,
                                                const kf_slot *slots, int n)
{
    apr_int64_t until = kf_slots_clock_stable_until(&av->params,
                                                    (const kf_window *)av->windows->elts,
                                                    av->windows->nelts, slots, n, av->now);
    if (av->runs_out_at != APR_INT64_MAX && av->runs_out_at - 1 < until) {
        until = av->runs_out_at - 1;
    }
    if (!has_from && av->params.from + 23 * 3600 - 1 < until) {
        until = av->params.from + 23 * 3600 - 1;
    }
    return until;
}
