/* The word matcher of the assistant's parser: see kf_assistant_rules.h. */
#include "kf_assistant_rules.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- matching words ---- */

/* Whether word i is one of the '|'-separated alternatives of `alts` (len bytes). */
static int is_one_of(const kf_parse *ps, int i, const char *alts, size_t len)
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
int kf_rule_match(const kf_parse *ps, int i, const char *pattern, int *num)
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

void kf_rule_take(kf_parse *ps, int i, int k)
{
    for (int j = i; j < i + k && j < ps->n; j++) {
        ps->w[j].used = 1;
    }
}
