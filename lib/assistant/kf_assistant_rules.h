#ifndef KF_ASSISTANT_RULES_H
#define KF_ASSISTANT_RULES_H
/* The parser's state and the rules it tries at each word (kf_assistant_parse.c runs them in
 * order): the word matcher (kf_assistant_match.c), dates and weekdays
 * (kf_assistant_dates.c), times, parts of the day, exclusions and durations
 * (kf_assistant_times.c). Private to lib/assistant. */
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
} kf_parse;

/* Matches `pattern` at word i: slots separated by spaces, each a set of alternatives
 * separated by '|' ('#' any number), '?' before a slot making it optional. How many words
 * it took (0: no match); the last number matched goes to *num when num is given. Words a
 * rule took already never match. */
int kf_rule_match(const kf_parse *ps, int i, const char *pattern, int *num);

/* Marks words i..i+k-1 as understood. */
void kf_rule_take(kf_parse *ps, int i, int k);

/* A weekday's (ISO 1..7) or month's (1..12) name in es/en, a plural weekday or one typo
 * in a long weekday name tolerated; 0 when w is none. */
int kf_rule_weekday_of(const char *w);
int kf_rule_month_of(const char *w);

/* Each rule: 1 when it took the words at i (and noted what they say), else 0. */
int kf_rule_dates(kf_parse *ps, int i);
int kf_rule_weekdays(kf_parse *ps, int i);
int kf_rule_times(kf_parse *ps, int i);
int kf_rule_durations(kf_parse *ps, int i);

/* The dates the rules found, into the intent: weekdays placed in the range (or the next
 * ones), else the default period from today. */
void kf_rule_settle_dates(kf_parse *ps);

#endif
