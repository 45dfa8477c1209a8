/* The booking assistant's sentence parser (kf_assistant_intent.h): rules tried at each word
 * in a fixed order, each taking the words it understood; names are matched last against
 * what is left, and what no rule took is reported as not understood. */
#include "kf_assistant_intent.h"
#include "kf_assistant_text.h"
#include "kf_assistant_zones.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse {
    apr_pool_t *p;
    kf_word *w;
    int n;
    apr_int64_t today;
    int wd;                    /* today's ISO weekday */
    kf_locale locale;
    kf_intent *in;
    /* what the rules found */
    int has_range;
    apr_int64_t from, to;
    unsigned weekdays;         /* named weekdays (bits 1 << ISO) */
    int weekdays_every;        /* "los lunes", "mondays": every one in the range */
    int next_weekday;          /* "next Tuesday": strictly after today */
    int pm_hint;               /* "de la tarde" without a time yet */
} parse;

/* ---- matching words ---- */

/* Whether word i is one of the '|'-separated alternatives of `alts` (len bytes). */
static int is_one_of(const parse *ps, int i, const char *alts, size_t len)
{
    if (i >= ps->n || ps->w[i].used) {
        return 0;
    }
    const char *w = ps->w[i].w;
    size_t wl = strlen(w);
    const char *a = alts, *end = alts + len;
    while (a < end) {
        const char *bar = memchr(a, '|', (size_t)(end - a));
        size_t al = bar ? (size_t)(bar - a) : (size_t)(end - a);
        if (al == 1 && *a == '#' && kf_words_number(w) >= 0) {
            return 1;
        }
        if (al == wl && strncmp(a, w, al) == 0) {
            return 1;
        }
        a += al + 1;
    }
    return 0;
}

/* Matches `pattern` at word i: slots separated by spaces, each a set of alternatives
 * separated by '|' ('#' any number), '?' before a slot making it optional. How many words
 * it took (0: no match); the last number matched goes to *num when num is given. */
static int match(const parse *ps, int i, const char *pattern, int *num)
{
    int k = 0;
    const char *s = pattern;
    while (*s) {
        const char *sp = strchr(s, ' ');
        size_t len = sp ? (size_t)(sp - s) : strlen(s);
        int optional = *s == '?';
        const char *alts = s + optional;
        size_t alen = len - (size_t)optional;
        if (is_one_of(ps, i + k, alts, alen)) {
            if (num && kf_words_number(ps->w[i + k].w) >= 0 && memchr(alts, '#', alen)) {
                *num = kf_words_number(ps->w[i + k].w);
            }
            k++;
        }
        else if (!optional) {
            return 0;
        }
        s += len + (sp ? 1 : 0);
    }
    return k;
}

static void take(parse *ps, int i, int k)
{
    for (int j = i; j < i + k && j < ps->n; j++) {
        ps->w[j].used = 1;
    }
}

/* ---- dates ---- */

int kf_assistant_weekday(apr_int64_t day)
{
    return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

static void set_range(parse *ps, apr_int64_t from, apr_int64_t to)
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

/* A copy of a name's alternative on the stack (they are short). */
#define apr_pstrndup_stack(a, al) (memcpy(alt, (a), (al)), alt[(al)] = 0, alt)

static int weekday_of_word(const char *w)
{
    char alt[16];
    static const char *const names[] = {
        NULL, "monday|mon|lunes", "tuesday|tue|tues|martes", "wednesday|wed|miercoles",
        "thursday|thu|thurs|jueves", "friday|fri|viernes", "saturday|sat|sabado",
        "sunday|sun|domingo"};
    for (int d = 1; d <= 7; d++) {
        const char *a = names[d];
        size_t wl = strlen(w);
        while (a) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if ((al == wl && strncmp(a, w, al) == 0) ||
                (wl == al + 1 && w[al] == 's' && al > 3 && strncmp(a, w, al) == 0) ||
                (al >= 6 && wl >= 5 && kf_words_distance(w, apr_pstrndup_stack(a, al), 1) <= 1)) {
                return d;
            }
            a = bar ? bar + 1 : NULL;
        }
    }
    return 0;
}

static int month_of_word(const char *w)
{
    static const char *const names[] = {
        NULL, "january|jan|enero|ene", "february|feb|febrero", "march|mar|marzo",
        "april|apr|abril|abr", "may|mayo", "june|jun|junio", "july|jul|julio",
        "august|aug|agosto|ago", "september|sep|sept|septiembre|setiembre",
        "october|oct|octubre", "november|nov|noviembre", "december|dec|diciembre|dic"};
    size_t wl = strlen(w);
    for (int m = 1; m <= 12; m++) {
        const char *a = names[m];
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
static apr_int64_t civil_date(const parse *ps, int y, int m, int d)
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
static apr_int64_t day_of_month(const parse *ps, int d)
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
static int numeric_date(parse *ps, int i)
{
    const char *w = ps->w[i].w;
    int a = 0, b = 0, c = 0;
    char sep = 0;
    if (strchr(w, '-') && strlen(w) == 10 && kf_date_parse(w, NULL)) {
        apr_int64_t day;
        kf_date_parse(w, &day);
        set_range(ps, day, day);
        take(ps, i, 1);
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
    take(ps, i, 1);
    return 1;
}

/* "December 3", "Dec 3rd, 2026", "3 December", "3rd of December", "3 de diciembre (de 2026)". */
static int named_date(parse *ps, int i)
{
    int m = i < ps->n && !ps->w[i].used ? month_of_word(ps->w[i].w) : 0;
    int k = 0, d = -1, y = 0;
    if (m) {
        /* month first: "may" only with a number after it */
        if (i + 1 < ps->n && !ps->w[i + 1].used && kf_words_digits(ps->w[i + 1].w)) {
            d = atoi(ps->w[i + 1].w);
            k = 2;
            k += match(ps, i + k, "st|nd|rd|th", NULL);
        }
        else {
            return 0;
        }
    }
    else if (i < ps->n && !ps->w[i].used && kf_words_digits(ps->w[i].w) && strlen(ps->w[i].w) <= 2) {
        d = atoi(ps->w[i].w);
        k = 1;
        k += match(ps, i + k, "st|nd|rd|th", NULL);
        k += match(ps, i + k, "of|de", NULL);
        if (i + k >= ps->n || ps->w[i + k].used || !(m = month_of_word(ps->w[i + k].w))) {
            return 0;
        }
        k++;
    }
    else {
        return 0;
    }
    int yk = match(ps, i + k, "?de|of #", &y);
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
    take(ps, i, k);
    return 1;
}

static int dates(parse *ps, int i)
{
    parse *s = ps;
    int k, num = -1;
    apr_int64_t t = s->today;
    int wd = s->wd;
    if ((k = match(s, i, "pasado manana", NULL)) || (k = match(s, i, "the day after tomorrow", NULL)) ||
        (k = match(s, i, "day after tomorrow", NULL))) {
        set_range(s, t + 2, t + 2);
    }
    else if ((k = match(s, i, "today|hoy", NULL))) {
        set_range(s, t, t);
    }
    else if ((k = match(s, i, "tonight", NULL)) || (k = match(s, i, "esta noche", NULL))) {
        set_range(s, t, t);
        s->in->part = KF_PART_EVENING;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = match(s, i, "this|esta morning|manana", NULL)) == 2) {
        set_range(s, t, t);
        s->in->part = KF_PART_MORNING;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = match(s, i, "this|esta afternoon|tarde", NULL)) == 2) {
        set_range(s, t, t);
        s->in->part = KF_PART_AFTERNOON;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = match(s, i, "this evening", NULL))) {
        set_range(s, t, t);
        s->in->part = KF_PART_EVENING;
        s->in->named |= KF_INTENT_TIMES;
    }
    else if ((k = match(s, i, "tomorrow|tmrw|tomorow|tommorow", NULL)) ||
             ((k = match(s, i, "manana", NULL)) &&
              !(i > 0 && match(s, i - 1, "la|las|una", NULL)))) {
        set_range(s, t + 1, t + 1);
    }
    else if ((k = match(s, i, "?the|el|la next|proximo|proxima|siguiente weekend", NULL)) ||
             (k = match(s, i, "?el proximo|siguiente fin de semana", NULL)) ||
             (k = match(s, i, "?el fin de semana que viene", NULL))) {
        int next = strstr(s->w[i].w, "next") || match(s, i, "?el proximo|siguiente", NULL) ||
                   match(s, i + k - 2, "que viene", NULL);
        apr_int64_t sat = t + (6 - wd + 7) % 7;
        if (wd == 7) {
            sat = t - 1;
        }
        if (next && wd >= 6) {
            sat += 7;
        }
        set_range(s, sat < t ? t : sat, sat + 1);
    }
    else if ((k = match(s, i, "?this|the|on weekend|weekends", NULL)) ||
             (k = match(s, i, "?este|el fin|finde de semana", NULL)) ||
             (k = match(s, i, "?este|el finde", NULL))) {
        apr_int64_t sat = wd == 7 ? t - 1 : t + (6 - wd + 7) % 7;
        set_range(s, sat < t ? t : sat, sat + 1);
    }
    else if ((k = match(s, i, "?the next|following week", NULL)) == 2 || k == 3 ||
             (k = match(s, i, "?la proxima|siguiente semana", NULL)) >= 2 ||
             (k = match(s, i, "?la semana proxima|siguiente", NULL)) >= 2 ||
             (k = match(s, i, "?la semana que viene", NULL)) >= 3 ||
             (k = match(s, i, "?la otra semana", NULL)) >= 2) {
        apr_int64_t monday = t + (8 - wd);
        set_range(s, monday, monday + 6);
    }
    else if ((k = match(s, i, "this|esta week|semana", NULL)) == 2) {
        set_range(s, t, t + (7 - wd));
    }
    else if ((k = match(s, i, "?the next month", NULL)) >= 2 ||
             (k = match(s, i, "?el proximo|siguiente mes", NULL)) >= 2 ||
             (k = match(s, i, "?el mes que viene", NULL)) >= 3) {
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
    else if ((k = match(s, i, "in|en|within|dentro ?de # day|days|dia|dias", &num)) >= 3 ||
             (k = match(s, i, "# day|days from now|today", &num)) == 4 ||
             (k = match(s, i, "# day|days from|after today|now", &num)) == 3) {
        if (num < 0 || num > 366) {
            return 0;
        }
        set_range(s, t + num, t + num);
    }
    else if ((k = match(s, i, "in|en|within|dentro ?de # week|weeks|semana|semanas", &num)) >= 3 ||
             (k = match(s, i, "# week|weeks from now|today", &num)) == 4 ||
             (k = match(s, i, "in|en ?a|una week|semana", NULL)) >= 2 ||
             (k = match(s, i, "a couple of weeks", NULL)) == 4) {
        if (num < 0) {
            num = strstr(s->w[i].w, "a") && k == 4 && !strcmp(s->w[i].w, "a") ? 2 : 1;
        }
        if (num > 52) {
            return 0;
        }
        set_range(s, t + 7 * num, t + 7 * num + 6);
    }
    else if ((k = match(s, i, "?the|el # st|nd|rd|th|de", &num)) >= 2 &&
             (strcmp(s->w[i + k - 1].w, "de") != 0) && num >= 1 && num <= 31 &&
             (strcmp(s->w[i].w, "the") == 0 || ordinal_suffix(s->w[i + k - 1].w))) {
        apr_int64_t day = day_of_month(s, num);
        if (day < 0) {
            return 0;
        }
        set_range(s, day, day);
    }
    else if ((k = match(s, i, "?el dia #", &num)) >= 2 && num >= 1 && num <= 31 &&
             !month_of_word(i + k < s->n ? s->w[i + k].w : "") &&
             !match(s, i + k, "?de month|mes", NULL)) {
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
    take(s, i, k);
    return 1;
}

/* Weekdays: "Friday", "next Tuesday", "el próximo martes", "el martes que viene",
 * "los lunes", "on Mondays". */
static int weekdays(parse *ps, int i)
{
    int k = match(ps, i, "?on|the|el|los|este|this|next|proximo|coming", NULL);
    int next = k && match(ps, i, "next|proximo|coming", NULL);
    int every = k && match(ps, i, "los", NULL);
    if (k && match(ps, i + k, "next|proximo", NULL)) {   /* "el próximo martes" */
        next = 1;
        k++;
    }
    if (i + k >= ps->n || ps->w[i + k].used) {
        return 0;
    }
    int d = weekday_of_word(ps->w[i + k].w);
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
    int after = match(ps, i + k, "que viene", NULL);
    if (after) {
        next = 1;
        k += after;
    }
    else if ((after = match(ps, i + k, "next|proximo", NULL)) && !match(ps, i + k, "next week", NULL)) {
        next = 1;
        k += after;
    }
    ps->weekdays |= 1u << d;
    ps->weekdays_every |= every;
    ps->next_weekday |= next;
    take(ps, i, k);
    return 1;
}

/* ---- times ---- */

/* A time at words[i..]: "5", "5pm", "17:30", "17h", "cinco y media de la tarde", "noon".
 * `bare`: a number alone counts (after "at", "after", "a las"...). Minutes, with *count. */
static int read_time(parse *ps, int i, int bare, int *count)
{
    int k = match(ps, i, "las|la", NULL);
    if (match(ps, i + k, "noon|midday|mediodia|lunchtime", NULL)) {
        *count = k + 1;
        return 720;
    }
    if (match(ps, i + k, "midnight|medianoche", NULL)) {
        *count = k + 1;
        return 0;
    }
    if (i + k >= ps->n || ps->w[i + k].used) {
        return -1;
    }
    const char *w = ps->w[i + k].w;
    int h = -1, m = 0, marked = 0, leading_zero = w[0] == '0' && strlen(w) > 1;
    if (strchr(w, ':') || (strchr(w, '.') && strlen(w) <= 5)) {
        if (sscanf(w, "%d%*[:.]%d", &h, &m) != 2 || m > 59 || strlen(strpbrk(w, ":.") + 1) != 2) {
            return -1;
        }
        marked = 1;
    }
    else if ((h = kf_words_number(w)) < 0 || h > 24 || strchr(w, '/') || strchr(w, '-')) {
        return -1;
    }
    k++;
    int pm = -1, sk;
    if ((sk = match(ps, i + k, "am|a", NULL)) && (strcmp(ps->w[i + k].w, "a") != 0 ||
                                                 match(ps, i + k + 1, "m", NULL))) {
        pm = 0;
        k += match(ps, i + k, "a m", NULL) == 2 ? 2 : 1;
    }
    else if ((sk = match(ps, i + k, "pm|p", NULL)) && (strcmp(ps->w[i + k].w, "p") != 0 ||
                                                      match(ps, i + k + 1, "m", NULL))) {
        pm = 1;
        k += match(ps, i + k, "p m", NULL) == 2 ? 2 : 1;
    }
    else if ((sk = match(ps, i + k, "h|hs|hrs|horas|oclock|hours", NULL))) {
        marked = 1;
        k += sk;
    }
    if ((sk = match(ps, i + k, "y media", NULL)) || (sk = match(ps, i + k, "and a half", NULL))) {
        m = 30;
        k += sk;
    }
    else if ((sk = match(ps, i + k, "y cuarto", NULL))) {
        m = 15;
        k += sk;
    }
    else if ((sk = match(ps, i + k, "menos cuarto", NULL))) {
        m = -15;
        k += sk;
    }
    if ((sk = match(ps, i + k, "en punto", NULL))) {
        k += sk;
        marked = 1;
    }
    if ((sk = match(ps, i + k, "de|por|en la manana", NULL)) == 3 ||
        (sk = match(ps, i + k, "in the morning", NULL)) == 3) {
        pm = 0;
        k += sk;
    }
    else if ((sk = match(ps, i + k, "de|por|en la tarde|noche", NULL)) == 3 ||
             (sk = match(ps, i + k, "in the afternoon|evening", NULL)) == 3 ||
             (sk = match(ps, i + k, "at night", NULL)) == 2) {
        pm = 1;
        k += sk;
    }
    if (!bare && !marked && pm < 0) {
        return -1;
    }
    if (pm >= 0) {
        if (h < 1 || h > 12) {
            return -1;
        }
        h = h % 12 + (pm ? 12 : 0);
    }
    else if (!leading_zero && h >= 1 && h <= 7 && !(marked && strchr(w, ':') == NULL && h < 1)) {
        h += 12;   /* "after 5" is five in the afternoon: nobody books at 5 in the morning */
    }
    if (h > 23 && !(h == 24 && m == 0)) {
        return -1;
    }
    int minutes = h * 60 + m;
    if (minutes < 0 || minutes > 1440) {
        return -1;
    }
    *count = k;
    return minutes >= 1440 ? 1439 : minutes;
}

static void add_exclusion(kf_intent *in, int from, int to)
{
    if (in->nexcluded < KF_INTENT_MAX_EXCLUDED && from < to) {
        in->excluded_from[in->nexcluded] = from;
        in->excluded_to[in->nexcluded] = to;
        in->nexcluded++;
    }
}

static kf_part_of_day part_at(parse *ps, int i, int *count)
{
    int k;
    if ((k = match(ps, i, "?in|por|en|de|during ?the|la morning|mornings|manana|mananas", NULL)) &&
        (k >= 2 || !match(ps, i, "manana", NULL))) {
        *count = k;
        return KF_PART_MORNING;
    }
    if ((k = match(ps, i, "?early|first ?in ?the morning|thing", NULL)) >= 2 && strcmp(ps->w[i].w, "in") != 0) {
        *count = k;
        return KF_PART_MORNING;
    }
    if ((k = match(ps, i, "?in|por|en|de|during ?the|la|las afternoon|afternoons|tarde|tardes|arvo", NULL))) {
        *count = k;
        return KF_PART_AFTERNOON;
    }
    if ((k = match(ps, i, "?in|por|en|de|during|at ?the|la|las evening|evenings|noche|noches|night|nights", NULL))) {
        *count = k;
        return KF_PART_EVENING;
    }
    if ((k = match(ps, i, "after work|school", NULL)) == 2 ||
        (k = match(ps, i, "despues del trabajo", NULL)) == 3) {
        *count = k;
        return KF_PART_EVENING;
    }
    return KF_PART_NONE;
}

static void set_times(parse *ps, int earliest, int latest)
{
    kf_intent *in = ps->in;
    if (earliest >= 0 && (in->earliest < 0 || earliest > in->earliest)) {
        in->earliest = earliest;
    }
    if (latest >= 0 && (in->latest < 0 || latest < in->latest)) {
        in->latest = latest;
    }
    in->named |= KF_INTENT_TIMES;
}

static int times(parse *ps, int i)
{
    int k, c = 0, t, u;
    kf_intent *in = ps->in;
    /* exclusions first: "except noon", "menos a mediodía", "but not mornings", "not Monday" */
    if ((k = match(ps, i, "except|excepto|menos|salvo|but|pero|not|no|excluding|sin ?not|no "
                   "?at|a|el|los|on|in|the|por|la|las|al", NULL))) {
        int d;
        kf_part_of_day part;
        if (!strcmp(ps->w[i].w, "menos") && match(ps, i + 1, "cuarto", NULL)) {
            return 0;
        }
        if ((t = read_time(ps, i + k, 1, &c)) >= 0) {
            int k2 = k + c, c2 = 0;
            int to = -1;
            if (match(ps, i + k2, "to|a|y|and|-", NULL) && (to = read_time(ps, i + k2 + 1, 1, &c2)) > t) {
                add_exclusion(in, t, to);
                k2 += 1 + c2;
            }
            else {
                add_exclusion(in, t, t == 720 ? 780 : t + 60);
            }
            in->named |= KF_INTENT_TIMES;
            take(ps, i, k2);
            return 1;
        }
        if (match(ps, i + k, "lunch|almuerzo|comida", NULL)) {
            add_exclusion(in, 720, 840);
            in->named |= KF_INTENT_TIMES;
            take(ps, i, k + 1);
            return 1;
        }
        if ((part = part_at(ps, i + k, &c)) != KF_PART_NONE) {
            if (part == KF_PART_MORNING) {
                add_exclusion(in, 0, 720);
            }
            else if (part == KF_PART_AFTERNOON) {
                add_exclusion(in, 720, 1140);
            }
            else {
                add_exclusion(in, 1020, 1440);
            }
            in->named |= KF_INTENT_TIMES;
            take(ps, i, k + c);
            return 1;
        }
        if (i + k < ps->n && !ps->w[i + k].used && (d = weekday_of_word(ps->w[i + k].w))) {
            in->excluded_weekdays |= 1u << d;
            take(ps, i, k + 1);
            return 1;
        }
    }
    /* ranges: "between 2 and 4", "entre las 2 y las 4", "from 9 to 11", "de 3 a 5", "2-4pm" */
    if ((k = match(ps, i, "between|entre|from|de|desde ?the", NULL)) &&
        (t = read_time(ps, i + k, 1, &c)) >= 0) {
        int k2 = k + c, c2 = 0;
        if (match(ps, i + k2, "and|y|to|a|until|till|hasta|-", NULL) &&
            (u = read_time(ps, i + k2 + 1, 1, &c2)) >= 0) {
            if (u <= t && u + 720 < 1440) {
                u += 720;
            }
            if (t > u && t >= 720 && t - 720 < u) {
                t -= 720;   /* "from 9 to 11am" */
            }
            set_times(ps, t, u - 1);
            take(ps, i, k2 + 1 + c2);
            return 1;
        }
    }
    if (i < ps->n && !ps->w[i].used && strchr(ps->w[i].w, '-') && !strchr(ps->w[i].w + 1, '/') &&
        strlen(ps->w[i].w) <= 5) {
        int a = -1, b = -1;
        if (sscanf(ps->w[i].w, "%d-%d", &a, &b) == 2 && a >= 1 && a <= 23 && b >= 1 && b <= 24) {
            k = 1;
            int pm = match(ps, i + 1, "pm", NULL), am = match(ps, i + 1, "am", NULL);
            k += pm + am;
            if (pm || (!am && b <= 7)) {
                b = b % 12 + 12;
                if (a < 12 && a + 12 < b) {
                    a += 12;
                }
            }
            if (a < b) {
                set_times(ps, a * 60, b * 60 - 1);
                take(ps, i, k);
                return 1;
            }
        }
    }
    /* after / before / around / at */
    if ((k = match(ps, i, "a partir de ?las|la", NULL)) >= 3 ||
        (k = match(ps, i, "not|no before|antes ?de ?las|la", NULL)) >= 2 ||
        (k = match(ps, i, "after|past|despues|desde|starting|from ?de|del|at|from ?las|la", NULL)) >= 1) {
        if ((t = read_time(ps, i + k, 1, &c)) >= 0) {
            set_times(ps, t, -1);
            take(ps, i, k + c);
            return 1;
        }
        if (match(ps, i, "after|despues", NULL) && match(ps, i + k, "lunch|almuerzo|comer", NULL)) {
            set_times(ps, 840, -1);
            take(ps, i, k + 1);
            return 1;
        }
    }
    if ((k = match(ps, i, "before|antes|until|till|hasta|by ?de", NULL)) &&
        (t = read_time(ps, i + k, 1, &c)) >= 0 &&
        !(match(ps, i, "by", NULL) && !strchr(ps->w[i + k].w, ':') && c == 1 && t > 1440)) {
        set_times(ps, -1, t - 1);
        take(ps, i, k + c);
        return 1;
    }
    if ((k = match(ps, i, "around|about|sobre|hacia|approximately|approx|roughly|cerca|alrededor|eso "
                   "?de", NULL)) &&
        (k += match(ps, i + k, "las|la", NULL)) && (t = read_time(ps, i + k, 1, &c)) >= 0) {
        if (i > 0 && match(ps, i - 1, "a", NULL) && !strcmp(ps->w[i].w, "eso")) {
            take(ps, i - 1, 1);
        }
        set_times(ps, t - 60 < 0 ? 0 : t - 60, t + 60 > 1439 ? 1439 : t + 60);
        take(ps, i, k + c);
        return 1;
    }
    if ((k = match(ps, i, "at|a|@ ?around|about", NULL)) && (t = read_time(ps, i + k, 1, &c)) >= 0 &&
        (strcmp(ps->w[i].w, "a") != 0 || match(ps, i + 1, "las|la", NULL) ||
         match(ps, i + 1, "mediodia|medianoche", NULL))) {
        if (k == 2) {
            set_times(ps, t - 60 < 0 ? 0 : t - 60, t + 60 > 1439 ? 1439 : t + 60);
        }
        else if (t == 720 && match(ps, i + k, "mediodia", NULL)) {
            set_times(ps, 720, 780);
        }
        else {
            set_times(ps, t, t);
        }
        take(ps, i, k + c);
        return 1;
    }
    if ((k = match(ps, i, "al|at|a|around ?el mediodia|noon|midday|lunchtime", NULL)) ||
        (k = match(ps, i, "lunchtime|noon|midday|mediodia", NULL))) {
        if (match(ps, i, "around", NULL)) {
            set_times(ps, 660, 780);
        }
        else if (match(ps, i + k - 1, "noon", NULL) && match(ps, i, "at", NULL)) {
            set_times(ps, 720, 720);
        }
        else {
            set_times(ps, 720, 780);
        }
        take(ps, i, k);
        return 1;
    }
    if ((t = read_time(ps, i, 0, &c)) >= 0) {
        set_times(ps, t, t);
        take(ps, i, c);
        return 1;
    }
    kf_part_of_day part = part_at(ps, i, &c);
    if (part != KF_PART_NONE) {
        in->part = part;
        in->named |= KF_INTENT_TIMES;
        take(ps, i, c);
        return 1;
    }
    if ((k = match(ps, i, "early|temprano|temprana", NULL)) && !(i > 0 && match(ps, i - 1, "mas|more", NULL))) {
        in->part = KF_PART_MORNING;
        in->named |= KF_INTENT_TIMES;
        take(ps, i, k);
        return 1;
    }
    if ((k = match(ps, i, "late|tarde", NULL)) == 1 && !(i > 0 && match(ps, i - 1, "mas|more", NULL)) &&
        strcmp(ps->w[i].w, "late") == 0) {
        in->part = KF_PART_EVENING;
        in->named |= KF_INTENT_TIMES;
        take(ps, i, k);
        return 1;
    }
    return 0;
}

/* ---- durations, professionals, follow-ups ---- */

static int durations(parse *ps, int i)
{
    int k, num = -1, minutes = 0;
    if ((k = match(ps, i, "?an|one|una|1 hour|hora and|y a|media half", NULL)) >= 3 &&
        (match(ps, i + k - 2, "y media", NULL) || match(ps, i + k - 3, "and a half", NULL))) {
        minutes = 90;
    }
    else if ((k = match(ps, i, "half an hour", NULL)) == 3 || (k = match(ps, i, "media hora", NULL)) == 2) {
        minutes = 30;
    }
    else if ((k = match(ps, i, "# min|mins|minute|minutes|minuto|minutos|mn", &num)) == 2 && num >= 5 && num <= 480) {
        minutes = num;
    }
    else if ((k = match(ps, i, "# hour|hours|hora|horas|hr|hrs", &num)) == 2 && num >= 1 && num <= 8 &&
             !(i > 0 && match(ps, i - 1, "las|at|a", NULL))) {
        minutes = num * 60;
    }
    else if ((k = match(ps, i, "an|a hour|hr", NULL)) == 2 || (k = match(ps, i, "one hour", NULL)) == 2) {
        minutes = 60;
    }
    else if (i < ps->n && !ps->w[i].used && sscanf(ps->w[i].w, "%d.5", &num) == 1 &&
             strstr(ps->w[i].w, ".5") && match(ps, i + 1, "hour|hours|horas|h", NULL)) {
        minutes = num * 60 + 30;
        k = 2;
    }
    if (!minutes) {
        return 0;
    }
    ps->in->duration = minutes;
    ps->in->named |= KF_INTENT_DURATION;
    take(ps, i, k);
    if (i + k < ps->n) {
        take(ps, i + k, match(ps, i + k, "long|session|sesion|de|duration|duracion|appointment", NULL));
    }
    return 1;
}

static int anyone(parse *ps, int i)
{
    int k;
    if ((k = match(ps, i, "any|anytime|cualquier|whatever|a ?any|cualquier time|day|hour|hora|dia|momento|moment|slot|one",
                   NULL)) >= 2 ||
        (k = match(ps, i, "anytime", NULL))) {
        if (!match(ps, i + k - 1, "one", NULL) || !match(ps, i, "any", NULL)) {
            take(ps, i, k);   /* "any time", "a cualquier hora": no constraint */
            return 1;
        }
    }
    if ((k = match(ps, i, "?with|con anyone|anybody|whoever|cualquiera|quienquiera", NULL)) ||
        (k = match(ps, i, "?with|con quien sea", NULL)) >= 2 ||
        (k = match(ps, i, "?with|con cualquier|any professional|profesional|person|persona|stylist|therapist|one|doctor", NULL)) >= 2 ||
        (k = match(ps, i, "no preference", NULL)) == 2 ||
        (k = match(ps, i, "?me da igual ?con ?quien", NULL)) >= 2 ||
        (k = match(ps, i, "no importa con quien", NULL)) == 4 ||
        (k = match(ps, i, "sin preferencia", NULL)) == 2 ||
        (k = match(ps, i, "whoever is free|available", NULL)) ||
        (k = match(ps, i, "any", NULL))) {
        ps->in->professional = "any";
        ps->in->named |= KF_INTENT_PROFESSIONAL;
        take(ps, i, k + match(ps, i + k, "is free|available", NULL) +
                 match(ps, i + k, "que este libre|disponible", NULL));
        return 1;
    }
    return 0;
}

static int ordinal(const char *w)
{
    static const char *const words[] = {
        NULL, "first|1st|primero|primera|primer|1", "second|2nd|segundo|segunda|2",
        "third|3rd|tercero|tercera|tercer|3", "fourth|4th|cuarto|cuarta|4",
        "fifth|5th|quinto|quinta|5"};
    for (int o = 1; o <= 5; o++) {
        const char *a = words[o];
        size_t wl = strlen(w);
        while (a) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if (al == wl && strncmp(a, w, al) == 0) {
                return o;
            }
            a = bar ? bar + 1 : NULL;
        }
    }
    if (!strcmp(w, "last") || !strcmp(w, "ultimo") || !strcmp(w, "ultima")) {
        return -1;
    }
    return 0;
}

static int follow_ups(parse *ps, int i)
{
    int k;
    kf_intent *in = ps->in;
    if ((k = match(ps, i, "as soon as possible", NULL)) == 4 || (k = match(ps, i, "asap|soonest", NULL)) ||
        (k = match(ps, i, "lo antes posible", NULL)) == 3 || (k = match(ps, i, "cuanto antes", NULL)) == 2 ||
        (k = match(ps, i, "lo mas pronto ?posible", NULL)) >= 3 ||
        (k = match(ps, i, "the|el|la earliest|first|primer|primera|proximo|proxima available|free|disponible|libre|hueco|turno|cita|slot|opening|time", NULL)) == 3 ||
        (k = match(ps, i, "earliest|first|next available|free|opening|slot", NULL)) == 2 ||
        (k = match(ps, i, "primer|primera hueco|turno|hora|cita ?disponible|libre", NULL)) >= 2 ||
        (k = match(ps, i, "lo|la|el primero|primera|proximo|proxima disponible|libre|que haya", NULL)) >= 3 ||
        (k = match(ps, i, "right away|now", NULL)) == 2 || (k = match(ps, i, "ya mismo", NULL)) == 2) {
        in->asap = 1;
        take(ps, i, k);
        return 1;
    }
    /* "later", "a bit later", "más tarde", "un poco más tarde"; "tarde" alone is the afternoon */
    if ((k = match(ps, i, "?something|algo|un ?a|poco ?bit|little ?mas later|tarde", NULL)) &&
        (match(ps, i + k - 1, "later", NULL) || (k >= 2 && match(ps, i + k - 2, "mas tarde", NULL) == 2))) {
        in->follow = KF_FOLLOW_LATER;
        take(ps, i, k);
        return 1;
    }
    /* "earlier", "sooner", "más temprano", "más pronto", "antes" (not "antes de las 5") */
    if ((k = match(ps, i, "?something|algo|un ?a|poco ?bit|little ?mas earlier|sooner|temprano|pronto|antes", NULL)) &&
        (match(ps, i + k - 1, "earlier|sooner", NULL) ||
         (k >= 2 && match(ps, i + k - 2, "mas temprano|pronto|antes", NULL) == 2) ||
         (match(ps, i + k - 1, "antes", NULL) && !match(ps, i + k, "de|del", NULL)))) {
        in->follow = KF_FOLLOW_EARLIER;
        take(ps, i, k);
        return 1;
    }
    if ((k = match(ps, i, "?a|an|some another|other|different|otro|otra|distinto|diferente day|dia|date|fecha", NULL)) >= 2) {
        in->follow = KF_FOLLOW_OTHER_DAY;
        take(ps, i, k);
        return 1;
    }
    if ((k = match(ps, i, "?i|me ?want|take|quiero|prefiero|elijo|tomo|pick|choose ?the|el|la|option|opcion|number|numero", NULL)),
        i + k < ps->n && !ps->w[i + k].used) {
        int o = ordinal(ps->w[i + k].w);
        int digits = kf_words_digits(ps->w[i + k].w);
        int before_ok = k > 0 || ps->n <= 2;
        if (o && (!digits || (k > 0 && match(ps, i + k - 1, "option|opcion|number|numero|the|la|el", NULL)))
            && before_ok && !match(ps, i + k + 1, "of|de|week|semana|day|dia|st|nd|rd|th", NULL) &&
            !(i + k + 1 < ps->n && month_of_word(ps->w[i + k + 1].w))) {
            k++;
            k += match(ps, i + k, "one|uno|una|option|opcion|slot|time|hora|horario", NULL);
            k += match(ps, i + k, "please|por favor", NULL);
            in->follow = KF_FOLLOW_PICK;
            in->pick = o;
            take(ps, i, k);
            return 1;
        }
    }
    return 0;
}

/* ---- names ---- */

static const char *const filler[] = {
    "a", "an", "the", "i", "im", "me", "my", "we", "our", "you", "your", "is", "are", "be", "am",
    "for", "with", "on", "in", "at", "of", "to", "and", "or", "please", "pls", "can", "could",
    "would", "will", "find", "need", "want", "like", "book", "booking", "appointment", "appt",
    "time", "times", "slot", "slots", "some", "there", "available", "availability", "do",
    "does", "have", "has", "get", "free", "open", "hi", "hello", "hey", "thanks", "thank",
    "it", "that", "this", "what", "when", "which", "something", "anything", "session",
    "schedule", "see", "show", "look", "looking", "also", "maybe", "perhaps", "day", "days",
    "date", "ok", "okay", "yes", "good", "great", "just", "only", "one", "spot", "reserve",
    "let", "lets", "make", "how", "about", "from", "by", "if", "possible", "local",
    "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "al", "para", "por", "con",
    "en", "mi", "me", "yo", "quiero", "queria", "quisiera", "necesito", "busco", "buscar",
    "cita", "turno", "reservar", "reserva", "agendar", "agenda", "pedir", "puede", "puedes",
    "podria", "podrias", "favor", "hay", "algo", "algun", "alguna", "disponible", "disponibles",
    "libre", "libres", "que", "y", "o", "u", "hola", "buenas", "buenos", "gracias", "dia",
    "dias", "horario", "horarios", "hueco", "huecos", "espacio", "sesion", "tengas", "tienes",
    "tiene", "tienen", "a", "es", "sea", "ser", "si", "se", "lo", "le", "nos", "ver", "mostrar",
    "muestrame", "dame", "consigueme", "encuentrame", "find", "hora", "momento", "citas",
    "apartar", "programar", "separar", "vale", "bueno", "bien", "perfecto", "sobre",
    "estoy", "vivo", "live", "was", "wait", "based", "zone", "timezone", "zona", "horaria", "mine", "mio",
    "dr", "dra", "doctor", "doctora", "mr", "mrs", "ms", "miss", "sr", "sra", "srta", "senor",
    "senora", "senorita", "profe", "then", "entonces", "mejor", "better", "prefer", "prefiero",
    "preferably", "preferiblemente", "ideally", "idealmente", "somewhere", "sometime", "cuando",
    "donde", "where", "who", "quien", "tambien", "please", "porfa", "porfavor", "nuevo", "new",
    "un", "otra", "vez", "again", "as", "como", "tipo", "kind", "sort", "any", "whenever",
    NULL,
};

static int is_filler(const char *w)
{
    for (int f = 0; filler[f]; f++) {
        if (!strcmp(w, filler[f])) {
            return 1;
        }
    }
    return 0;
}

/* How well the unused words match `name`: 2 per word spelled exactly, 1 per word close
 * to it; the words matched are marked in `hit`. */
static int name_score(parse *ps, const char *name, int *hit)
{
    kf_word nw[16];
    int nn = kf_words_split(ps->p, name, nw, 16), score = 0;
    for (int j = 0; j < nn; j++) {
        const char *part = nw[j].w;
        if (strlen(part) < 3 || is_filler(part) || kf_words_digits(part)) {
            continue;
        }
        for (int i = 0; i < ps->n; i++) {
            const char *w = ps->w[i].w;
            if (ps->w[i].used || strlen(w) < 3 || kf_words_digits(w)) {
                continue;
            }
            if (!strcmp(w, part) || (strlen(w) == strlen(part) + 1 && w[strlen(w) - 1] == 's' &&
                                     !strncmp(w, part, strlen(part)))) {
                score += 2;
                hit[i] = 1;
                break;
            }
            if (!is_filler(w) && kf_words_close(w, part)) {
                score += 1;
                hit[i] = 1;
                break;
            }
        }
    }
    return score;
}

/* The best-matching item of `items`, its words taken; NULL when none matches. */
static const kf_assistant_item *best_item(parse *ps, const kf_assistant_item *items, int n)
{
    int best = 0, best_score = 0;
    int *hit = apr_pcalloc(ps->p, sizeof(int) * (apr_size_t)(ps->n + 1));
    int *best_hit = apr_pcalloc(ps->p, sizeof(int) * (apr_size_t)(ps->n + 1));
    for (int s = 0; s < n; s++) {
        memset(hit, 0, sizeof(int) * (apr_size_t)ps->n);
        int score = items[s].name ? name_score(ps, items[s].name, hit) : 0;
        if (score > best_score) {
            best_score = score;
            best = s;
            memcpy(best_hit, hit, sizeof(int) * (apr_size_t)ps->n);
        }
    }
    if (!best_score) {
        return NULL;
    }
    for (int i = 0; i < ps->n; i++) {
        if (best_hit[i]) {
            ps->w[i].used = 1;
        }
    }
    return &items[best];
}

/* ---- the sentence ---- */

static kf_locale language(const parse *ps, kf_locale fallback)
{
    static const char *const es[] = {
        "el", "la", "los", "las", "de", "por", "con", "manana", "tarde", "hoy", "quiero",
        "una", "cita", "semana", "proxima", "proximo", "que", "para", "despues", "antes", "hora",
        "dia", "dias", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
        "noche", "quien", "sea", "necesito", "mas", "temprano", "otro", "segunda", "primera",
        "pasado", "en", "fin", "hay", "algo", "mediodia", "lo", "posible", "estoy", "busco", NULL};
    static const char *const en[] = {
        "the", "with", "tomorrow", "today", "next", "week", "after", "before", "morning",
        "afternoon", "evening", "i", "me", "on", "at", "for", "please", "any", "time", "day",
        "days", "in", "find", "book", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "around", "later", "earlier", "anyone", "second", "first", "is",
        "soon", "weekend", "am", "pm", "my", "im", "need", "want", "can", "this", "between", NULL};
    int nes = 0, nen = 0;
    for (int i = 0; i < ps->n; i++) {
        for (int j = 0; es[j]; j++) {
            nes += !strcmp(ps->w[i].w, es[j]);
        }
        for (int j = 0; en[j]; j++) {
            nen += !strcmp(ps->w[i].w, en[j]);
        }
    }
    return nes > nen ? KF_LOCALE_ES : nen > nes ? KF_LOCALE_EN : fallback;
}

static void zones(parse *ps, const kf_assistant_catalog *catalog)
{
    for (int i = 0; i < ps->n; i++) {
        int k = 0;
        const char *z = ps->w[i].used ? NULL : kf_assistant_zone_at(ps->w, ps->n, i, &k);
        if (!z) {
            continue;
        }
        /* a professional called Santiago is not a city */
        int is_name = 0;
        for (int p = 0; p < catalog->nprofessionals && !is_name; p++) {
            kf_word nw[16];
            int nn = kf_words_split(ps->p, catalog->professionals[p].name, nw, 16);
            for (int j = 0; j < nn; j++) {
                is_name |= !strcmp(nw[j].w, ps->w[i].w);
            }
        }
        if (is_name && !(i > 0 && match(ps, i - 1, "in|en|de", NULL))) {
            continue;
        }
        ps->in->timezone = z;
        ps->in->named |= KF_INTENT_ZONE;
        take(ps, i, k);
        if (i > 0) {
            take(ps, i - 1, match(ps, i - 1, "in|en|de|desde|from", NULL));
        }
        take(ps, i + k, match(ps, i + k, "time|hora", NULL));
    }
    for (int i = 0; i < ps->n; i++) {
        int k = match(ps, i, "my|mi|your|tu|su|local time|hora|zona ?horaria", NULL);
        if (k >= 2) {
            take(ps, i, k);
        }
        take(ps, i, match(ps, i, "time|hora zone|zona", NULL) == 2 ? 2 : 0);
    }
}

/* Dates the rules found, into the intent: weekdays placed in the range (or the next ones),
 * and the default period from today. */
static void settle_dates(parse *ps)
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

static void not_understood(parse *ps, const char *text)
{
    for (int i = 0; i < ps->n; i++) {
        if (ps->w[i].used || is_filler(ps->w[i].w)) {
            continue;
        }
        int j = i;
        while (j + 1 < ps->n && !ps->w[j + 1].used && !is_filler(ps->w[j + 1].w)) {
            j++;
        }
        *(const char **)apr_array_push(ps->in->not_understood) =
            apr_pstrndup(ps->p, text + ps->w[i].start, (apr_size_t)(ps->w[j].end - ps->w[i].start));
        i = j;
    }
}

const char *kf_assistant_default_service(const kf_assistant_catalog *catalog,
                                         const char *professional, int duration)
{
    if (catalog->nservices == 0) {
        return NULL;
    }
    const kf_assistant_item *pro = NULL;
    for (int p = 0; professional && p < catalog->nprofessionals; p++) {
        if (!strcmp(catalog->professionals[p].id, professional)) {
            pro = &catalog->professionals[p];
        }
    }
    const char *first_offered = NULL;
    for (int s = 0; s < catalog->nservices; s++) {
        const char *id = catalog->services[s].id;
        int offered = !pro || !pro->offers;
        for (int o = 0; !offered && pro->offers[o]; o++) {
            offered = !strcmp(pro->offers[o], id);
        }
        if (!offered) {
            continue;
        }
        if (duration && catalog->services[s].minutes == duration) {
            return id;
        }
        if (!first_offered) {
            first_offered = id;
        }
    }
    return first_offered ? first_offered : catalog->services[0].id;
}

void kf_assistant_parse(apr_pool_t *p, const char *text, apr_int64_t now, const char *zone_name,
                        kf_locale locale, kf_assistant_zone_fn zone_fn, void *baton,
                        const kf_assistant_catalog *catalog, kf_intent *in)
{
    memset(in, 0, sizeof(*in));
    in->earliest = in->latest = -1;
    in->timezone = zone_name;
    in->not_understood = apr_array_make(p, 2, sizeof(const char *));
    parse ps = {.p = p, .in = in};
    ps.w = apr_palloc(p, sizeof(kf_word) * KF_ASSISTANT_MAX_WORDS);
    ps.n = kf_words_split(p, text, ps.w, KF_ASSISTANT_MAX_WORDS);
    ps.locale = in->locale = language(&ps, locale);

    /* the zone first: relative dates count from today in it */
    zones(&ps, catalog);
    const kf_zone *zone = zone_fn(baton, in->timezone);
    if (!zone) {
        in->timezone = zone_name;
        in->named &= ~(unsigned)KF_INTENT_ZONE;
        zone = zone_fn(baton, zone_name);
    }
    apr_int64_t offset = zone ? kf_zone_offset(zone, now) : 0;
    ps.today = kf_utc_day_of(now + offset);
    ps.wd = kf_assistant_weekday(ps.today);

    /* professionals' and services' names before the grammar: "Ana" is nobody's date */
    const kf_assistant_item *pro = best_item(&ps, catalog->professionals, catalog->nprofessionals);
    if (pro) {
        in->professional = pro->id;
        in->named |= KF_INTENT_PROFESSIONAL;
    }
    for (int i = 0; i < ps.n; i++) {
        if (ps.w[i].used) {
            continue;
        }
        if (follow_ups(&ps, i) || dates(&ps, i) || weekdays(&ps, i) || durations(&ps, i) ||
            times(&ps, i) || anyone(&ps, i)) {
            continue;
        }
    }
    const kf_assistant_item *svc = best_item(&ps, catalog->services, catalog->nservices);
    if (svc) {
        in->service = svc->id;
        in->named |= KF_INTENT_SERVICE;
    }
    else {
        in->service = kf_assistant_default_service(catalog, pro ? pro->id : NULL, in->duration);
    }
    settle_dates(&ps);
    if (in->earliest >= 0 && in->latest >= 0 && in->latest < in->earliest) {
        int t = in->latest;   /* "before 9 after 5": keep both, the wider reading */
        in->latest = in->earliest;
        in->earliest = t;
    }
    not_understood(&ps, text);
}

void kf_assistant_merge(const kf_intent *before, kf_intent *next)
{
    kf_intent merged = *before;
    merged.not_understood = next->not_understood;
    merged.follow = next->follow;
    merged.pick = next->pick;
    merged.locale = next->locale;
    merged.named = before->named | next->named;
    if (next->named & KF_INTENT_SERVICE) {
        merged.service = next->service;
    }
    if (next->named & KF_INTENT_PROFESSIONAL) {
        merged.professional = next->professional;
    }
    if (next->named & KF_INTENT_ZONE) {
        merged.timezone = next->timezone;
    }
    if (next->named & KF_INTENT_DURATION) {
        merged.duration = next->duration;
        if (!(next->named & KF_INTENT_SERVICE)) {
            merged.service = next->service;
        }
    }
    if (next->named & KF_INTENT_DATES) {
        merged.from = next->from;
        merged.to = next->to;
        merged.excluded_weekdays = next->excluded_weekdays;
        merged.asap = next->asap;
    }
    if (next->named & KF_INTENT_TIMES) {
        merged.part = next->part;
        merged.earliest = next->earliest;
        merged.latest = next->latest;
        merged.nexcluded = next->nexcluded;
        memcpy(merged.excluded_from, next->excluded_from, sizeof(merged.excluded_from));
        memcpy(merged.excluded_to, next->excluded_to, sizeof(merged.excluded_to));
    }
    if (next->asap) {
        merged.asap = 1;
    }
    *next = merged;
}

const char *kf_assistant_hhmm(apr_pool_t *p, int minutes)
{
    return apr_psprintf(p, "%02d:%02d", minutes / 60, minutes % 60);
}

void kf_assistant_reconcile(const kf_assistant_catalog *catalog, kf_intent *in)
{
    if (!in->service || !in->professional || !strcmp(in->professional, "any")) {
        return;
    }
    for (int p = 0; p < catalog->nprofessionals; p++) {
        const kf_assistant_item *pro = &catalog->professionals[p];
        if (strcmp(pro->id, in->professional) != 0 || !pro->offers) {
            continue;
        }
        for (int o = 0; pro->offers[o]; o++) {
            if (!strcmp(pro->offers[o], in->service)) {
                return;
            }
        }
        if (in->named & KF_INTENT_SERVICE) {
            in->professional = "any";
        }
        else {
            in->service = kf_assistant_default_service(catalog, pro->id, in->duration);
        }
        return;
    }
}
