/* A series in a sentence ("todos los lunes por 6 semanas", "every other Tuesday, 4 sessions",
 * "una vez al mes por 3 meses") and what the service's rule makes of it: see
 * kf_assistant_series.h and kf_assistant_rules.h. */
#include "kf_assistant_series.h"
#include "kf_assistant_rules.h"

#include <apr_strings.h>

/* Counts above this are no session count ("for 300 weeks"): the words are left alone. */
#define COUNT_WORDS_MAX 99

static int weekday_at(const kf_parse *ps, int i)
{
    return i < ps->n && !ps->w[i].used ? kf_rule_weekday_of(ps->w[i].w) : 0;
}

static void how_often(kf_parse *ps, kf_series_every every, int weekday)
{
    ps->in->repeat = every;
    ps->in->named |= KF_INTENT_SERIES;
    if (weekday) {
        /* the first occurrence falls on that weekday: each of them in the period */
        ps->weekdays |= 1u << weekday;
        ps->weekdays_every = 1;
    }
}

/* "todos los lunes", "every Monday", "every other Tuesday", "los martes de por medio" */
static int every_weekday(kf_parse *ps, int i)
{
    int k, d;
    if (kf_rule_match(ps, i, "todos|todas los|las", NULL) == 2 && (d = weekday_at(ps, i + 2))) {
        k = 3;
    }
    else if (kf_rule_match(ps, i, "every|cada other|second|otro", NULL) == 2 &&
             (d = weekday_at(ps, i + 2))) {
        how_often(ps, KF_SERIES_TWO_WEEKS, d);
        kf_rule_take(ps, i, 3);
        return 1;
    }
    else if (kf_rule_match(ps, i, "every|cada", NULL) && (d = weekday_at(ps, i + 1))) {
        k = 2;
    }
    else if ((k = kf_rule_match(ps, i, "?los|las|el", NULL), d = weekday_at(ps, i + k)) &&
             kf_rule_match(ps, i + k + 1, "?de por medio", NULL) >= 2) {
        how_often(ps, KF_SERIES_TWO_WEEKS, d);
        kf_rule_take(ps, i, k + 1 + kf_rule_match(ps, i + k + 1, "?de por medio", NULL));
        return 1;
    }
    else {
        return 0;
    }
    how_often(ps, KF_SERIES_WEEK, d);
    kf_rule_take(ps, i, k);
    return 1;
}

/* "every week", "cada dos semanas", "biweekly", "una vez al mes", "monthly" */
static int every_period(kf_parse *ps, int i)
{
    int k, num = -1;
    kf_series_every every;
    if ((k = kf_rule_match(ps, i, "every|cada other|second|otra week|semana", NULL)) == 3 ||
        ((k = kf_rule_match(ps, i, "every|cada # weeks|semanas", &num)) == 3 && num == 2) ||
        (k = kf_rule_match(ps, i, "every ?a fortnight", NULL)) >= 2 ||
        ((k = kf_rule_match(ps, i, "cada # dias|days", &num)) == 3 && (num == 14 || num == 15)) ||
        (k = kf_rule_match(ps, i, "biweekly|fortnightly|quincenal|quincenalmente|quincenales", NULL))) {
        every = KF_SERIES_TWO_WEEKS;
    }
    else if ((k = kf_rule_match(ps, i, "every|cada week|semana", NULL)) == 2 ||
             (k = kf_rule_match(ps, i, "todas las semanas", NULL)) == 3 ||
             (k = kf_rule_match(ps, i, "once a|per week", NULL)) == 3 ||
             (k = kf_rule_match(ps, i, "una vez a|por ?la semana", NULL)) >= 4 ||
             (k = kf_rule_match(ps, i, "weekly|semanal|semanales|semanalmente", NULL))) {
        every = KF_SERIES_WEEK;
    }
    else if ((k = kf_rule_match(ps, i, "every|cada month|mes", NULL)) == 2 ||
             (k = kf_rule_match(ps, i, "todos los meses", NULL)) == 3 ||
             (k = kf_rule_match(ps, i, "once a|per month", NULL)) == 3 ||
             (k = kf_rule_match(ps, i, "una vez al|por mes", NULL)) == 4 ||
             (k = kf_rule_match(ps, i, "monthly|mensual|mensuales|mensualmente", NULL))) {
        every = KF_SERIES_MONTH;
    }
    else {
        return 0;
    }
    how_often(ps, every, 0);
    kf_rule_take(ps, i, k);
    return 1;
}

/* "por 6 semanas", "for the next 3 months", "4 veces", "4 sessions", "6 lunes seguidos";
 * one session is no series. */
static int how_many(kf_parse *ps, int i)
{
    int k, num = -1, d = 0, *into;
    if ((k = kf_rule_match(ps, i, "por|durante|for|during ?the|las|los ?next|proximas|proximos # weeks|semanas", &num)) >= 3 ||
        (k = kf_rule_match(ps, i, "# weeks|semanas seguidas|consecutivas|straight", &num)) >= 3 ||
        (k = kf_rule_match(ps, i, "# weeks in a row", &num)) == 5) {
        into = &ps->series_weeks;
    }
    else if ((k = kf_rule_match(ps, i, "por|durante|for|during ?the|los ?next|proximos # months|meses", &num)) >= 3 ||
             (k = kf_rule_match(ps, i, "# months|meses seguidos|consecutivos|straight", &num)) >= 3 ||
             (k = kf_rule_match(ps, i, "# months in a row", &num)) == 5) {
        into = &ps->series_months;
    }
    else if ((k = kf_rule_match(ps, i, "# vez|veces|time|times|sesion|sesiones|session|sessions|clase|clases|class|classes|cita|citas|appointment|appointments|ocasiones", &num)) == 2 ||
             ((k = kf_rule_match(ps, i, "#", &num)) && num >= 2 && (d = weekday_at(ps, i + 1)))) {
        into = &ps->series_times;
    }
    else {
        return 0;
    }
    if (num < 1 || num > COUNT_WORDS_MAX) {
        return 0;
    }
    if (d) {   /* "6 lunes", "6 Mondays": six weeks of Mondays */
        k = 2 + kf_rule_match(ps, i + 2, "seguidos|consecutivos|consecutive|straight", NULL);
        k += kf_rule_match(ps, i + k, "in a row", NULL) == 3 ? 3 : 0;
        how_often(ps, ps->in->repeat ? ps->in->repeat : KF_SERIES_WEEK, d);
    }
    if (num > 1) {
        *into = num;
        ps->in->named |= KF_INTENT_SERIES;
    }
    kf_rule_take(ps, i, k);
    return 1;
}

int kf_rule_series(kf_parse *ps, int i)
{
    return every_weekday(ps, i) || every_period(ps, i) || how_many(ps, i);
}

void kf_rule_settle_series(kf_parse *ps)
{
    kf_intent *in = ps->in;
    if (ps->series_times) {
        in->count = ps->series_times;
    }
    else if (ps->series_weeks) {
        /* a span of weeks: as many sessions as fit in it */
        in->repeat = in->repeat ? in->repeat : KF_SERIES_WEEK;
        in->count = in->repeat == KF_SERIES_TWO_WEEKS ? (ps->series_weeks + 1) / 2
                    : in->repeat == KF_SERIES_MONTH ? (ps->series_weeks + 3) / 4
                    : ps->series_weeks;
    }
    else if (ps->series_months) {
        in->repeat = in->repeat ? in->repeat : KF_SERIES_MONTH;
        in->count = in->repeat == KF_SERIES_WEEK ? ps->series_months * 4
                    : in->repeat == KF_SERIES_TWO_WEEKS ? ps->series_months * 2
                    : ps->series_months;
    }
}

kf_assistant_series_verdict kf_assistant_series_judge(apr_pool_t *p, const kf_intent *in,
                                                      const kf_series_rule *rule,
                                                      kf_series_every *every, int *count)
{
    *every = KF_SERIES_NONE;
    *count = 1;
    if (!in->repeat && !in->count) {
        return KF_ASSISTANT_SERIES_NONE;
    }
    /* a count alone is the service's own series; the rule is the availability endpoint's */
    const char *repeat = kf_series_every_name(in->repeat ? in->repeat : rule->every);
    const char *n = in->count ? apr_itoa(p, in->count) : NULL;
    const char *why = NULL;
    if (!kf_series_asked(rule, repeat ? repeat : "", n ? n : "", every, count, &why)) {
        return KF_ASSISTANT_SERIES_OK;
    }
    *every = KF_SERIES_NONE;
    *count = 1;
    return !strcmp(why, "series_not_offered") ? KF_ASSISTANT_SERIES_SINGLE
                                              : KF_ASSISTANT_SERIES_OUTSIDE;
}

int kf_assistant_series_reach(const kf_intent *in)
{
    if (!in->repeat && !in->count) {
        return 0;
    }
    int n = in->count < 1 ? KF_SERIES_COUNT_MAX : in->count > KF_SERIES_COUNT_MAX
                                                      ? KF_SERIES_COUNT_MAX : in->count;
    /* a frequency not said is the service's: the farthest one */
    return kf_series_span_days(in->repeat ? in->repeat : KF_SERIES_MONTH, n);
}
