/* Dates in a sentence: today, tomorrow, weekdays, weeks, weekends, months, "in N days",
 * explicit dates in Spanish and English forms (see kf_assistant_rules.h). */
#include "kf_assistant_rules.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dates ---- */

int kf_assistant_weekday(apr_int64_t day)
{
    return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

static void set_range(kf_parse *ps, apr_int64_t from, apr_int64_t to)
{
    if (!ps->has_range) {
        ps->from = from;
        ps->to = to;
        ps->has_range = 1;
        return;
    }
    if (from < ps->from) {
        ps->from = from;
    }
    if (to > ps->to) {
        ps->to = to;
    }
}

const char *const kf_rule_weekday_names[8] = {
    NULL, "monday|mon|lunes", "tuesday|tue|tues|martes", "wednesday|wed|miercoles",
    "thursday|thu|thurs|jueves", "friday|fri|viernes", "saturday|sat|sabado",
    "sunday|sun|domingo"};

const char *const kf_rule_month_names[13] = {
    NULL, "january|jan|enero|ene", "february|feb|febrero", "march|mar|marzo",
    "april|apr|abril|abr", "may|mayo", "june|jun|junio", "july|jul|julio",
    "august|aug|agosto|ago", "september|sep|sept|septiembre|setiembre",
    "october|oct|octubre", "november|nov|noviembre", "december|dec|diciembre|dic"};

int kf_rule_weekday_of(const char *w)
{
    size_t wl = strlen(w);
    for (int d = 1; d <= 7; d++) {
        const char *a = kf_rule_weekday_names[d];
        while (a) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if ((al == wl && strncmp(a, w, al) == 0) ||
                (wl == al + 1 && w[al] == 's' && al > 3 && strncmp(a, w, al) == 0)) {
                return d;
            }
            a = bar ? bar + 1 : NULL;
        }
    }
    return 0;
}

int kf_rule_month_of(const char *w)
{
    size_t wl = strlen(w);
    for (int m = 1; m <= 12; m++) {
        const char *a = kf_rule_month_names[m];
        while (a) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if (al == wl && strncmp(a, w, al) == 0) {
                return m;
            }
            a = bar ? bar + 1 : NULL;
        }
    }
    return 0;
}

/* The date of day/month (year 0: this year's, or next year's once passed); -1 if none. */
static apr_int64_t civil_date(const kf_parse *ps, int y, int m, int d)
{
    if (m < 1 || m > 12 || d < 1 || d > 31) {
        return -1;
    }
    int ty, tm, td;
    kf_civil_from_days(ps->today, &ty, &tm, &td);
    int year = y ? (y < 100 ? 2000 + y : y) : ty;
    apr_int64_t day = kf_days_from_civil(year, m, d);
    int cy, cm, cd;
    kf_civil_from_days(day, &cy, &cm, &cd);
    if (cm != m || cd != d) {
        return -1;   /* February 30 */
    }
    if (!y && day < ps->today) {
        day = kf_days_from_civil(year + 1, m, d);
    }
    return day;
}

/* Day of the month alone ("the 5th", "el día 5"): the next one on or after today. */
static apr_int64_t day_of_month(const kf_parse *ps, int d)
{
    int y, m, td;
    kf_civil_from_days(ps->today, &y, &m, &td);
    for (int k = 0; k < 3; k++) {
        apr_int64_t day = civil_date(ps, y, m, d);
        if (day >= ps->today) {
            return day;
        }
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    return -1;
}

static int ordinal_suffix(const char *w)
{
    return !strcmp(w, "st") || !strcmp(w, "nd") || !strcmp(w, "rd") || !strcmp(w, "th");
}

/* Numeric dates: 2026-12-03, 3/12, 3/12/2026 (day first in Spanish, month first in English). */
static int numeric_date(kf_parse *ps, int i)
{
    const char *w = ps->w[i].w;
    int a = 0, b = 0, c = 0;
    char sep = 0;
    if (strchr(w, '-') && strlen(w) == 10 && kf_date_parse(w, NULL)) {
        apr_int64_t day;
        kf_date_parse(w, &day);
        set_range(ps, day, day);
        kf_rule_take(ps, i, 1);
        return 1;
    }
    if (strchr(w, '/')) {
        sep = '/';
    }
    else if (strchr(w, '.') && strchr(w, '.') != strrchr(w, '.')) {
        sep = '.';   /* 3.12.2026; "1.5" is a number */
    }
    if (!sep) {
        return 0;
    }
    char fmt[16];
    apr_snprintf(fmt, sizeof(fmt), "%%d%c%%d%c%%d", sep, sep);
    int got = sscanf(w, fmt, &a, &b, &c);
    if (got < 2) {
        return 0;
    }
    int d = ps->locale == KF_LOCALE_EN ? b : a, m = ps->locale == KF_LOCALE_EN ? a : b;
    if (m > 12 && d <= 12) {     /* 25/12 in English, 12/25 in Spanish: only one reading */
        int t = d;
        d = m;
        m = t;
    }
    apr_int64_t day = civil_date(ps, got == 3 ? c : 0, m, d);
    if (day < 0) {
        return 0;
    }
    set_range(ps, day, day);
    kf_rule_take(ps, i, 1);
    return 1;
}

/* "December 3", "Dec 3rd, 2026", "3 December", "3rd of December", "3 de diciembre (de 2026)". */
static int named_date(kf_parse *ps, int i)
{
    int m = i < ps->n && !ps->w[i].used ? kf_rule_month_of(ps->w[i].w) : 0;
    int k = 0, d = -1, y = 0;
    if (m) {
        /* month first: "may" only with a number after it */
        if (i + 1 < ps->n && !ps->w[i + 1].used && kf_words_digits(ps->w[i + 1].w)) {
            d = atoi(ps->w[i + 1].w);
            k = 2;
            k += kf_rule_match(ps, i + k, "st|nd|rd|th", NULL);
        }
        else {
            return 0;
        }
    }
    else if (i < ps->n && !ps->w[i].used && kf_words_digits(ps->w[i].w) && strlen(ps->w[i].w) <= 2) {
        d = atoi(ps->w[i].w);
        k = 1;
        k += kf_rule_match(ps, i + k, "st|nd|rd|th", NULL);
        k += kf_rule_match(ps, i + k, "of|de", NULL);
        if (i + k >= ps->n || ps->w[i + k].used || !(m = kf_rule_month_of(ps->w[i + k].w))) {
            return 0;
        }
        k++;
    }
    else {
        return 0;
    }
    int yk = kf_rule_match(ps, i + k, "?de|of #", &y);
    if (yk && y >= 2000 && y <= 2100) {
        k += yk;
    }
    else {
        y = 0;
    }
    apr_int64_t day = civil_date(ps, y, m, d);
    if (day < 0) {
        return 0;
    }
    set_range(ps, day, day);
    kf_rule_take(ps, i, k);
    return 1;
}

int kf_rule_dates(kf_parse *ps, int i)
{
    kf_parse *s = ps;
    int k, num = -1;
    apr_int64_t t = s->today;
    int wd = s->wd;
    if ((k = kf_rule_match(s, i, "pasado manana", NULL)) || (k = kf_rule_match(s, i, "the day after tomorrow", NULL)) ||
        (k = kf_rule_match(s, i, "day after tomorrow", NULL))) {
        set_range(s, t + 2, t + 2);
    }
    else if ((k = kf_rule_match(s, i, "today|hoy", NULL))) {
        set_range(s, t, t);
    }
    else if ((k = kf_rule_match(s, i, "tonight", NULL)) || (k = kf_rule_match(s, i, "esta noche", NULL))) {
        set_range(s, t, t);
        s->in->part = KF_PART_EVENING;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = kf_rule_match(s, i, "this|esta morning|manana", NULL)) == 2) {
        set_range(s, t, t);
        s->in->part = KF_PART_MORNING;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = kf_rule_match(s, i, "this|esta afternoon|tarde", NULL)) == 2) {
        set_range(s, t, t);
        s->in->part = KF_PART_AFTERNOON;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = kf_rule_match(s, i, "this evening", NULL))) {
        set_range(s, t, t);
        s->in->part = KF_PART_EVENING;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = kf_rule_match(s, i, "tomorrow|tmrw", NULL)) ||
             ((k = kf_rule_match(s, i, "manana", NULL)) &&
              !(i > 0 && kf_rule_match(s, i - 1, "la|las|una", NULL)))) {
        set_range(s, t + 1, t + 1);
    }
    else if ((k = kf_rule_match(s, i, "?the|el|la next|proximo|proxima|siguiente weekend", NULL)) ||
             (k = kf_rule_match(s, i, "?el proximo|siguiente fin de semana", NULL)) ||
             (k = kf_rule_match(s, i, "?el fin de semana que viene", NULL))) {
        int next = strstr(s->w[i].w, "next") || kf_rule_match(s, i, "?el proximo|siguiente", NULL) ||
                   kf_rule_match(s, i + k - 2, "que viene", NULL);
        apr_int64_t sat = t + (6 - wd + 7) % 7;
        if (wd == 7) {
            sat = t - 1;
        }
        if (next && wd >= 6) {
            sat += 7;
        }
        set_range(s, sat < t ? t : sat, sat + 1);
    }
    else if ((k = kf_rule_match(s, i, "?this|the|on weekend|weekends", NULL)) ||
             (k = kf_rule_match(s, i, "?este|el fin|finde de semana", NULL)) ||
             (k = kf_rule_match(s, i, "?este|el finde", NULL))) {
        apr_int64_t sat = wd == 7 ? t - 1 : t + (6 - wd + 7) % 7;
        set_range(s, sat < t ? t : sat, sat + 1);
    }
    else if ((k = kf_rule_match(s, i, "?the next|following week", NULL)) == 2 || k == 3 ||
             (k = kf_rule_match(s, i, "?la proxima|siguiente semana", NULL)) >= 2 ||
             (k = kf_rule_match(s, i, "?la semana proxima|siguiente", NULL)) >= 2 ||
             (k = kf_rule_match(s, i, "?la semana que viene", NULL)) >= 3 ||
             (k = kf_rule_match(s, i, "?la otra semana", NULL)) >= 2) {
        apr_int64_t monday = t + (8 - wd);
        set_range(s, monday, monday + 6);
    }
    else if ((k = kf_rule_match(s, i, "this|esta week|semana", NULL)) == 2) {
        set_range(s, t, t + (7 - wd));
    }
    else if ((k = kf_rule_match(s, i, "?the next month", NULL)) >= 2 ||
             (k = kf_rule_match(s, i, "?el proximo|siguiente mes", NULL)) >= 2 ||
             (k = kf_rule_match(s, i, "?el mes que viene", NULL)) >= 3) {
        int y, m, d;
        kf_civil_from_days(t, &y, &m, &d);
        if (++m > 12) {
            m = 1;
            y++;
        }
        apr_int64_t first = kf_days_from_civil(y, m, 1);
        apr_int64_t last = (m == 12 ? kf_days_from_civil(y + 1, 1, 1) : kf_days_from_civil(y, m + 1, 1)) - 1;
        set_range(s, first, last);
    }
    else if ((k = kf_rule_match(s, i, "in|en|within|dentro ?de # day|days|dia|dias", &num)) >= 3 ||
             (k = kf_rule_match(s, i, "# day|days from now|today", &num)) == 4 ||
             (k = kf_rule_match(s, i, "# day|days from|after today|now", &num)) == 3) {
        if (num < 0 || num > 366) {
            return 0;
        }
        set_range(s, t + num, t + num);
    }
    else if ((k = kf_rule_match(s, i, "in|en|within|dentro ?de # week|weeks|semana|semanas", &num)) >= 3 ||
             (k = kf_rule_match(s, i, "# week|weeks from now|today", &num)) == 4 ||
             (k = kf_rule_match(s, i, "in|en ?a|una week|semana", NULL)) >= 2 ||
             (k = kf_rule_match(s, i, "a couple of weeks", NULL)) == 4) {
        if (num < 0) {
            num = strstr(s->w[i].w, "a") && k == 4 && !strcmp(s->w[i].w, "a") ? 2 : 1;
        }
        if (num > 52) {
            return 0;
        }
        set_range(s, t + 7 * num, t + 7 * num + 6);
    }
    else if ((k = kf_rule_match(s, i, "?the|el # st|nd|rd|th|de", &num)) >= 2 &&
             (strcmp(s->w[i + k - 1].w, "de") != 0) && num >= 1 && num <= 31 &&
             (strcmp(s->w[i].w, "the") == 0 || ordinal_suffix(s->w[i + k - 1].w))) {
        apr_int64_t day = day_of_month(s, num);
        if (day < 0) {
            return 0;
        }
        set_range(s, day, day);
    }
    else if ((k = kf_rule_match(s, i, "?el dia #", &num)) >= 2 && num >= 1 && num <= 31 &&
             !kf_rule_month_of(i + k < s->n ? s->w[i + k].w : "") &&
             !kf_rule_match(s, i + k, "?de month|mes", NULL)) {
        apr_int64_t day = day_of_month(s, num);
        if (day < 0) {
            return 0;
        }
        set_range(s, day, day);
    }
    else if (numeric_date(s, i) || named_date(s, i)) {
        return 1;
    }
    else {
        return 0;
    }
    kf_rule_take(s, i, k);
    return 1;
}

/* Weekdays: "Friday", "next Tuesday", "el próximo martes", "el martes que viene",
 * "los lunes", "on Mondays". */
int kf_rule_weekdays(kf_parse *ps, int i)
{
    int k = kf_rule_match(ps, i, "?on|the|el|los|este|this|next|proximo|coming", NULL);
    int next = k && kf_rule_match(ps, i, "next|proximo|coming", NULL);
    int every = k && kf_rule_match(ps, i, "los", NULL);
    if (k && kf_rule_match(ps, i + k, "next|proximo", NULL)) {   /* "el próximo martes" */
        next = 1;
        k++;
    }
    if (i + k >= ps->n || ps->w[i + k].used) {
        return 0;
    }
    int d = kf_rule_weekday_of(ps->w[i + k].w);
    if (!d) {
        return 0;
    }
    size_t wl = strlen(ps->w[i + k].w);
    if (ps->w[i + k].w[wl - 1] == 's' && d != 2 && d != 3 && d != 4 && d != 5 && d != 1) {
        every = 1;   /* "mondays", "saturdays" (the Spanish names end in s anyway) */
    }
    if (ps->locale == KF_LOCALE_EN && ps->w[i + k].w[wl - 1] == 's') {
        every = 1;
    }
    k++;
    int after = kf_rule_match(ps, i + k, "que viene", NULL);
    if (after) {
        next = 1;
        k += after;
    }
    else if ((after = kf_rule_match(ps, i + k, "next|proximo", NULL)) && !kf_rule_match(ps, i + k, "next week", NULL)) {
        next = 1;
        k += after;
    }
    ps->weekdays |= 1u << d;
    ps->weekdays_every |= every;
    ps->next_weekday |= next;
    kf_rule_take(ps, i, k);
    return 1;
}

/* Dates the rules found, into the intent: weekdays placed in the range (or the next ones),
 * and the default period from today. */
void kf_rule_settle_dates(kf_parse *ps)
{
    kf_intent *in = ps->in;
    apr_int64_t t = ps->today;
    if (ps->weekdays) {
        apr_int64_t lo = ps->has_range ? ps->from : t, hi = ps->has_range ? ps->to : t + 13;
        if (!ps->has_range && !ps->weekdays_every) {
            /* each named weekday's next date: from the first to the last of them */
            apr_int64_t first = -1, last = -1;
            for (int d = 1; d <= 7; d++) {
                if (!(ps->weekdays & (1u << d))) {
                    continue;
                }
                apr_int64_t day = t + (d - ps->wd + 7) % 7;
                if (ps->next_weekday && day == t) {
                    day += 7;
                }
                if (first < 0 || day < first) {
                    first = day;
                }
                if (day > last) {
                    last = day;
                }
            }
            lo = first;
            hi = last;
        }
        if (lo < t) {
            lo = t;
        }
        while (lo <= hi && !(ps->weekdays & (1u << kf_assistant_weekday(lo)))) {
            lo++;
        }
        while (hi >= lo && !(ps->weekdays & (1u << kf_assistant_weekday(hi)))) {
            hi--;
        }
        if (lo <= hi) {
            ps->from = lo;
            ps->to = hi;
            ps->has_range = 1;
            if (hi > lo) {
                in->excluded_weekdays |= ~ps->weekdays & 0xFEu;
            }
        }
    }
    if (ps->has_range) {
        in->from = ps->from;
        in->to = ps->to;
        in->named |= KF_INTENT_DATES;
    }
    else {
        in->from = t;
        in->to = t + KF_INTENT_DAYS_DEFAULT - 1;
    }
}
