#ifndef KF_ASSISTANT_RULES_H
#define KF_ASSISTANT_RULES_H
/* The parser's state and the rules it tries at each word (kf_assistant_parse.c runs them in
 * order): the word matcher (kf_assistant_match.c), the words respelled to the parser's
 * vocabulary first (kf_assistant_spelling.c), dates and weekdays (kf_assistant_dates.c),
 * times, parts of the day, exclusions and durations (kf_assistant_times.c). Private to
 * lib/assistant. */
#include "kf_assistant_intent.h"
#include "kf_assistant_text.h"

typedef struct kf_parse {
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
    int series_weeks;          /* a series "for N weeks", "for N months", "N times" */
    int series_months;
    int series_times;
} kf_parse;

/* Matches `pattern` at word i: slots separated by spaces, each a set of alternatives
 * separated by '|' ('#' any number), '?' before a slot making it optional. How many words
 * it took (0: no match); the last number matched goes to *num when num is given. Words a
 * rule took already never match. */
int kf_rule_match(const kf_parse *ps, int i, const char *pattern, int *num);

/* Marks words i..i+k-1 as understood. */
void kf_rule_take(kf_parse *ps, int i, int k);

/* The words naming each part of the day ('|'-separated, as patterns write them). */
#define KF_RULE_MORNING "morning|mornings|manana|mananas"
#define KF_RULE_AFTERNOON "afternoon|afternoons|tarde|tardes|arvo"
#define KF_RULE_EVENING "evening|evenings|noche|noches|night|nights"

/* Weekdays' names in es/en by ISO number (1..7), months' by number (1..12), each
 * '|'-separated. */
extern const char *const kf_rule_weekday_names[8];
extern const char *const kf_rule_month_names[13];

/* A weekday's (ISO 1..7) or month's (1..12) name in es/en, a plural weekday tolerated; 0
 * when w is none (misspellings are respelled before: kf_rule_spell). */
int kf_rule_weekday_of(const char *w);
int kf_rule_month_of(const char *w);

/* Whether w is a filler ("a", "the", "quiero", "please"...): never a name's typo, never
 * reported as not understood. */
int kf_rule_filler(const char *w);

/* Whether w is a word of the parser's vocabulary (parts of the day, weekdays, months...)
 * as spelled, or its plural. */
int kf_rule_known(const char *w);

/* Each unused word that is no filler, number, known word or word of the catalog's names,
 * respelled to the one vocabulary word it is a diminutive or a typo of (kf_assistant_fuzzy.h):
 * "afernoon" is afternoon, "miercole" miercoles, "tardecita" tarde, and "mañanita" the
 * morning (never tomorrow). */
void kf_rule_spell(kf_parse *ps, const kf_assistant_catalog *catalog);

/* Each rule: 1 when it took the words at i (and noted what they say), else 0. */
int kf_rule_dates(kf_parse *ps, int i);
int kf_rule_weekdays(kf_parse *ps, int i);
int kf_rule_times(kf_parse *ps, int i);
int kf_rule_durations(kf_parse *ps, int i);
/* A series (kf_assistant_series.c): how often ("todos los lunes", "every other week",
 * "monthly") and how many ("por 6 semanas", "4 sessions", "6 Mondays"). */
int kf_rule_series(kf_parse *ps, int i);

/* The dates the rules found, into the intent: weekdays placed in the range (or the next
 * ones), else the default period from today. */
void kf_rule_settle_dates(kf_parse *ps);

/* The series the rules found, into the intent's repeat and count: a span ("for 6 weeks")
 * counts the sessions that fit in it at the frequency asked (weekly when none was). */
void kf_rule_settle_series(kf_parse *ps);

#endif
