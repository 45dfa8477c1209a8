/* Times in a sentence: clock times in their es/en spellings, ranges, "after", "before",
 * "around", parts of the day, exclusions and durations (see kf_assistant_rules.h). */
#include "kf_assistant_rules.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* ---- times ---- */

/* A time at words[i..]: "5", "5pm", "17:30", "17h", "cinco y media de la tarde", "noon",
 * "el mediodía" ("antes del mediodía"). `bare`: a number alone counts (after "at", "after",
 * "a las"...). Minutes, with *count. */
static int read_time(kf_parse *ps, int i, int bare, int *count)
{
    int k = kf_rule_match(ps, i, "el|del|the", NULL);
    if (kf_rule_match(ps, i + k, "noon|midday|mediodia|lunchtime", NULL)) {
        *count = k + 1;
        return 720;
    }
    k = kf_rule_match(ps, i, "las|la", NULL);
    if (kf_rule_match(ps, i + k, "midnight|medianoche", NULL)) {
        *count = k + 1;
        return 0;
    }
    if (i + k >= ps->n || ps->w[i + k].used) {
        return -1;
    }
    const char *w = ps->w[i + k].w;
    int h = -1, m = 0, marked = 0, leading_zero = w[0] == '0' && strlen(w) > 1;
    if (strchr(w, ':') || (strchr(w, '.') && strlen(w) <= 5)) {
        if (!isdigit((unsigned char)w[0]) || strspn(w, "0123456789") > 2 ||
            sscanf(w, "%d%*[:.]%d", &h, &m) != 2 || h > 24 || m < 0 || m > 59 ||
            strlen(strpbrk(w, ":.") + 1) != 2 || !isdigit((unsigned char)strpbrk(w, ":.")[1])) {
            return -1;
        }
        marked = 1;
    }
    else if ((h = kf_words_number(w)) < 0 || h > 24 || strchr(w, '/') || strchr(w, '-')) {
        return -1;
    }
    k++;
    int pm = -1, sk;
    if ((sk = kf_rule_match(ps, i + k, "am|a", NULL)) && (strcmp(ps->w[i + k].w, "a") != 0 ||
                                                 kf_rule_match(ps, i + k + 1, "m", NULL))) {
        pm = 0;
        k += kf_rule_match(ps, i + k, "a m", NULL) == 2 ? 2 : 1;
    }
    else if ((sk = kf_rule_match(ps, i + k, "pm|p", NULL)) && (strcmp(ps->w[i + k].w, "p") != 0 ||
                                                      kf_rule_match(ps, i + k + 1, "m", NULL))) {
        pm = 1;
        k += kf_rule_match(ps, i + k, "p m", NULL) == 2 ? 2 : 1;
    }
    else if ((sk = kf_rule_match(ps, i + k, "h|hs|hrs|horas|oclock|hours", NULL))) {
        marked = 1;
        k += sk;
    }
    if ((sk = kf_rule_match(ps, i + k, "y media", NULL)) || (sk = kf_rule_match(ps, i + k, "and a half", NULL))) {
        m = 30;
        k += sk;
    }
    else if ((sk = kf_rule_match(ps, i + k, "y cuarto", NULL))) {
        m = 15;
        k += sk;
    }
    else if ((sk = kf_rule_match(ps, i + k, "menos cuarto", NULL))) {
        m = -15;
        k += sk;
    }
    if ((sk = kf_rule_match(ps, i + k, "en punto", NULL))) {
        k += sk;
        marked = 1;
    }
    if ((sk = kf_rule_match(ps, i + k, "de|por|en la manana", NULL)) == 3 ||
        (sk = kf_rule_match(ps, i + k, "in the morning", NULL)) == 3) {
        pm = 0;
        k += sk;
    }
    else if ((sk = kf_rule_match(ps, i + k, "de|por|en la tarde|noche", NULL)) == 3 ||
             (sk = kf_rule_match(ps, i + k, "in the afternoon|evening", NULL)) == 3 ||
             (sk = kf_rule_match(ps, i + k, "at night", NULL)) == 2) {
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

static kf_part_of_day part_at(kf_parse *ps, int i, int *count)
{
    int k;
    if ((k = kf_rule_match(ps, i, "?in|por|en|de|during ?the|la " KF_RULE_MORNING, NULL)) &&
        (k >= 2 || !kf_rule_match(ps, i, "manana", NULL))) {
        *count = k;
        return KF_PART_MORNING;
    }
    if ((k = kf_rule_match(ps, i, "?a primera hora", NULL)) >= 2 ||
        (k = kf_rule_match(ps, i, "first thing ?in ?the ?morning", NULL)) >= 2) {
        *count = k;
        return KF_PART_MORNING;
    }
    if ((k = kf_rule_match(ps, i, "?early|first ?in ?the morning|thing", NULL)) >= 2 && strcmp(ps->w[i].w, "in") != 0) {
        *count = k;
        return KF_PART_MORNING;
    }
    if ((k = kf_rule_match(ps, i, "?in|por|en|de|during ?the|la|las " KF_RULE_AFTERNOON, NULL))) {
        *count = k;
        return KF_PART_AFTERNOON;
    }
    if ((k = kf_rule_match(ps, i, "?in|por|en|de|during|at ?the|la|las " KF_RULE_EVENING, NULL))) {
        *count = k;
        return KF_PART_EVENING;
    }
    if ((k = kf_rule_match(ps, i, "after work|school", NULL)) == 2 ||
        (k = kf_rule_match(ps, i, "despues del trabajo", NULL)) == 3) {
        *count = k;
        return KF_PART_EVENING;
    }
    return KF_PART_NONE;
}

static void set_times(kf_parse *ps, int earliest, int latest)
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

int kf_rule_times(kf_parse *ps, int i)
{
    int k, c = 0, t, u;
    kf_intent *in = ps->in;
    /* exclusions first: "except noon", "menos a mediodía", "but not mornings", "not Monday" */
    if ((k = kf_rule_match(ps, i, "except|excepto|menos|salvo|but|pero|not|no|excluding|sin ?not|no "
                   "?at|a|el|los|on|in|the|por|la|las|al", NULL))) {
        int d;
        kf_part_of_day part;
        if (!strcmp(ps->w[i].w, "menos") && kf_rule_match(ps, i + 1, "cuarto", NULL)) {
            return 0;
        }
        if ((t = read_time(ps, i + k, 1, &c)) >= 0) {
            int k2 = k + c, c2 = 0;
            int to = -1;
            if (kf_rule_match(ps, i + k2, "to|a|y|and|-", NULL) && (to = read_time(ps, i + k2 + 1, 1, &c2)) > t) {
                add_exclusion(in, t, to);
                k2 += 1 + c2;
            }
            else {
                add_exclusion(in, t, t == 720 ? 780 : t + 60);
            }
            in->named |= KF_INTENT_TIMES;
            kf_rule_take(ps, i, k2);
            return 1;
        }
        if (kf_rule_match(ps, i + k, "lunch|almuerzo|comida", NULL)) {
            add_exclusion(in, 720, 840);
            in->named |= KF_INTENT_TIMES;
            kf_rule_take(ps, i, k + 1);
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
            kf_rule_take(ps, i, k + c);
            return 1;
        }
        if (i + k < ps->n && !ps->w[i + k].used && (d = kf_rule_weekday_of(ps->w[i + k].w))) {
            in->excluded_weekdays |= 1u << d;
            kf_rule_take(ps, i, k + 1);
            return 1;
        }
    }
    /* ranges: "between 2 and 4", "entre las 2 y las 4", "from 9 to 11", "de 3 a 5", "2-4pm" */
    if ((k = kf_rule_match(ps, i, "between|entre|from|de|desde ?the", NULL)) &&
        (t = read_time(ps, i + k, 1, &c)) >= 0) {
        int k2 = k + c, c2 = 0;
        if (kf_rule_match(ps, i + k2, "and|y|to|a|until|till|hasta|-", NULL) &&
            (u = read_time(ps, i + k2 + 1, 1, &c2)) >= 0) {
            if (u <= t && u + 720 < 1440) {
                u += 720;
            }
            if (t > u && t >= 720 && t - 720 < u) {
                t -= 720;   /* "from 9 to 11am" */
            }
            set_times(ps, t, u - 1);
            kf_rule_take(ps, i, k2 + 1 + c2);
            return 1;
        }
    }
    if (i < ps->n && !ps->w[i].used && strchr(ps->w[i].w, '-') && !strchr(ps->w[i].w + 1, '/') &&
        strlen(ps->w[i].w) <= 5) {
        int a = -1, b = -1;
        if (sscanf(ps->w[i].w, "%d-%d", &a, &b) == 2 && a >= 1 && a <= 23 && b >= 1 && b <= 24) {
            k = 1;
            int pm = kf_rule_match(ps, i + 1, "pm", NULL), am = kf_rule_match(ps, i + 1, "am", NULL);
            k += pm + am;
            if (pm || (!am && b <= 7)) {
                b = b % 12 + 12;
                if (a < 12 && a + 12 < b) {
                    a += 12;
                }
            }
            if (a < b) {
                set_times(ps, a * 60, b * 60 - 1);
                kf_rule_take(ps, i, k);
                return 1;
            }
        }
    }
    /* after / before / around / at */
    if ((k = kf_rule_match(ps, i, "a partir de|del ?las|la", NULL)) >= 3 ||
        (k = kf_rule_match(ps, i, "not|no before|antes ?de ?las|la", NULL)) >= 2 ||
        (k = kf_rule_match(ps, i, "after|past|despues|desde|starting|from ?de|del|at|from ?las|la", NULL)) >= 1) {
        if ((t = read_time(ps, i + k, 1, &c)) >= 0) {
            set_times(ps, t, -1);
            kf_rule_take(ps, i, k + c);
            return 1;
        }
        if (kf_rule_match(ps, i, "after|despues", NULL) && kf_rule_match(ps, i + k, "lunch|almuerzo|comer", NULL)) {
            set_times(ps, 840, -1);
            kf_rule_take(ps, i, k + 1);
            return 1;
        }
    }
    if ((k = kf_rule_match(ps, i, "before|antes|until|till|hasta|by ?de", NULL)) &&
        (t = read_time(ps, i + k, 1, &c)) >= 0 &&
        !(kf_rule_match(ps, i, "by", NULL) && !strchr(ps->w[i + k].w, ':') && c == 1 && t > 1440)) {
        set_times(ps, -1, t - 1);
        kf_rule_take(ps, i, k + c);
        return 1;
    }
    if ((k = kf_rule_match(ps, i, "around|about|sobre|hacia|approximately|approx|roughly|cerca|alrededor|eso "
                   "?de", NULL)) &&
        (k += kf_rule_match(ps, i + k, "las|la", NULL)) && (t = read_time(ps, i + k, 1, &c)) >= 0) {
        if (i > 0 && kf_rule_match(ps, i - 1, "a", NULL) && !strcmp(ps->w[i].w, "eso")) {
            kf_rule_take(ps, i - 1, 1);
        }
        set_times(ps, t - 60 < 0 ? 0 : t - 60, t + 60 > 1439 ? 1439 : t + 60);
        kf_rule_take(ps, i, k + c);
        return 1;
    }
    if ((k = kf_rule_match(ps, i, "at|a|@ ?around|about", NULL)) && (t = read_time(ps, i + k, 1, &c)) >= 0 &&
        (strcmp(ps->w[i].w, "a") != 0 || kf_rule_match(ps, i + 1, "las|la", NULL) ||
         kf_rule_match(ps, i + 1, "mediodia|medianoche", NULL))) {
        if (k == 2) {
            set_times(ps, t - 60 < 0 ? 0 : t - 60, t + 60 > 1439 ? 1439 : t + 60);
        }
        else if (t == 720 && kf_rule_match(ps, i + k, "mediodia", NULL)) {
            set_times(ps, 720, 780);
        }
        else {
            set_times(ps, t, t);
        }
        kf_rule_take(ps, i, k + c);
        return 1;
    }
    if ((k = kf_rule_match(ps, i, "al|at|a|around ?el mediodia|noon|midday|lunchtime", NULL)) ||
        (k = kf_rule_match(ps, i, "lunchtime|noon|midday|mediodia", NULL))) {
        if (kf_rule_match(ps, i, "around", NULL)) {
            set_times(ps, 660, 780);
        }
        else if (kf_rule_match(ps, i + k - 1, "noon", NULL) && kf_rule_match(ps, i, "at", NULL)) {
            set_times(ps, 720, 720);
        }
        else {
            set_times(ps, 720, 780);
        }
        kf_rule_take(ps, i, k);
        return 1;
    }
    if ((t = read_time(ps, i, 0, &c)) >= 0) {
        set_times(ps, t, t);
        kf_rule_take(ps, i, c);
        return 1;
    }
    kf_part_of_day part = part_at(ps, i, &c);
    if (part != KF_PART_NONE) {
        /* two parts ("Friday evening or Saturday morning"): either, so no bound */
        in->part = (in->named & KF_INTENT_TIMES) && in->part != KF_PART_NONE && in->part != part
                   ? KF_PART_NONE : part;
        in->named |= KF_INTENT_TIMES;
        kf_rule_take(ps, i, c);
        return 1;
    }
    if ((k = kf_rule_match(ps, i, "early|temprano|temprana", NULL)) && !(i > 0 && kf_rule_match(ps, i - 1, "mas|more", NULL))) {
        in->part = KF_PART_MORNING;
        in->named |= KF_INTENT_TIMES;
        kf_rule_take(ps, i, k);
        return 1;
    }
    if ((k = kf_rule_match(ps, i, "late|tarde", NULL)) == 1 && !(i > 0 && kf_rule_match(ps, i - 1, "mas|more", NULL)) &&
        strcmp(ps->w[i].w, "late") == 0) {
        in->part = KF_PART_EVENING;
        in->named |= KF_INTENT_TIMES;
        kf_rule_take(ps, i, k);
        return 1;
    }
    return 0;
}

/* ---- durations, professionals, follow-ups ---- */

int kf_rule_durations(kf_parse *ps, int i)
{
    int k, num = -1, minutes = 0;
    if ((k = kf_rule_match(ps, i, "?an|one|una|1 hour|hora and|y a|media half", NULL)) >= 3 &&
        (kf_rule_match(ps, i + k - 2, "y media", NULL) || kf_rule_match(ps, i + k - 3, "and a half", NULL))) {
        minutes = 90;
    }
    else if ((k = kf_rule_match(ps, i, "half an hour", NULL)) == 3 || (k = kf_rule_match(ps, i, "media hora", NULL)) == 2) {
        minutes = 30;
    }
    else if ((k = kf_rule_match(ps, i, "# min|mins|minute|minutes|minuto|minutos|mn", &num)) == 2 && num >= 5 && num <= 480) {
        minutes = num;
    }
    else if ((k = kf_rule_match(ps, i, "# hour|hours|hora|horas|hr|hrs", &num)) == 2 && num >= 1 && num <= 8 &&
             !(i > 0 && kf_rule_match(ps, i - 1, "las|at|a", NULL))) {
        minutes = num * 60;
    }
    else if ((k = kf_rule_match(ps, i, "an|a hour|hr", NULL)) == 2 || (k = kf_rule_match(ps, i, "one hour", NULL)) == 2) {
        minutes = 60;
    }
    else if (i < ps->n && !ps->w[i].used && sscanf(ps->w[i].w, "%d.5", &num) == 1 &&
             strstr(ps->w[i].w, ".5") && kf_rule_match(ps, i + 1, "hour|hours|horas|h", NULL)) {
        minutes = num * 60 + 30;
        k = 2;
    }
    if (!minutes) {
        return 0;
    }
    ps->in->duration = minutes;
    ps->in->named |= KF_INTENT_DURATION;
    kf_rule_take(ps, i, k);
    if (i + k < ps->n) {
        kf_rule_take(ps, i + k, kf_rule_match(ps, i + k, "long|session|sesion|de|duration|duracion|appointment", NULL));
    }
    return 1;
}
