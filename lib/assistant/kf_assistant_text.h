#ifndef KF_ASSISTANT_TEXT_H
#define KF_ASSISTANT_TEXT_H
/* A customer's sentence as the assistant's parser reads it: words folded to lowercase ASCII
 * (accents dropped, so "mañana" is "manana" and "Gómez" is "gomez"), each with the span of
 * the original text it came from; "a.m." and "p.m." are "am" and "pm", and a number glued
 * to a word ("30-minute", "5pm") is two words. Digits joined by ':', '/', '-' or '.' stay
 * one word ("17:30", "3/12", "2026-12-03"). */
#include <apr_pools.h>

typedef struct kf_word {
    const char *w;       /* folded, NUL-terminated */
    int start, end;      /* byte span in the original text */
    int used;            /* a rule of the parser took it */
} kf_word;

/* The words of text (at most max), allocated from p; how many. */
int kf_words_split(apr_pool_t *p, const char *text, kf_word *words, int max);

/* Edit distance (insertions, deletions, substitutions, and a swap of two neighbours
 * counting one) between a and b, stopping at limit + 1. */
int kf_words_distance(const char *a, const char *b, int limit);

/* The same with `substitution` giving what writing one letter for another costs (NULL: 1). */
int kf_words_edits(const char *a, const char *b, int limit, int (*substitution)(char, char));

/* Whether word w is `name` with the typos its length allows: none up to 3 letters, one
 * up to 5, two from 6. */
int kf_words_close(const char *w, const char *name);

/* A number written as digits or as an es/en word ("five", "cinco", "una"): its value, else -1. */
int kf_words_number(const char *w);

/* Whether w is made of digits only. */
int kf_words_digits(const char *w);

#endif
