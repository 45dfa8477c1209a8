/* The parser's vocabulary and a sentence's words respelled to it (kf_assistant_rules.h):
 * customers write "afernoon", "miercole", "tardecita"; the rules read afternoon, miercoles,
 * tarde. Names of the catalog are matched on their own (kf_fuzzy_names), fillers and
 * numbers are never respelled. */
#include "kf_assistant_rules.h"
#include "kf_assistant_fuzzy.h"

#include <apr_strings.h>
#include <string.h>

/* Words of the rules people shorten or misspell, beside the parts of the day, weekdays and
 * months. */
#define OTHER_WORDS "mediodia|medianoche|midday|midnight|tonight|tomorrow|temprano|pronto|poco"

#define NLISTS (4 + 7 + 12)

/* The vocabulary: lists of '|'-separated words. */
static void vocabulary(const char *lists[NLISTS])
{
    int n = 0;
    lists[n++] = KF_RULE_MORNING;
    lists[n++] = KF_RULE_AFTERNOON;
    lists[n++] = KF_RULE_EVENING;
    lists[n++] = OTHER_WORDS;
    for (int d = 1; d <= 7; d++) {
        lists[n++] = kf_rule_weekday_names[d];
    }
    for (int m = 1; m <= 12; m++) {
        lists[n++] = kf_rule_month_names[m];
    }
}

/* Calls fn with each vocabulary word (NUL-terminated) until it returns nonzero; that value. */
static int each_word(int (*fn)(const char *word, void *baton), void *baton)
{
    const char *lists[NLISTS];
    vocabulary(lists);
    char word[32];
    for (int l = 0; l < NLISTS; l++) {
        for (const char *a = lists[l]; a;) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if (al < sizeof(word)) {
                memcpy(word, a, al);
                word[al] = 0;
                int r = fn(word, baton);
                if (r) {
                    return r;
                }
            }
            a = bar ? bar + 1 : NULL;
        }
    }
    return 0;
}

static int spelled_alike(const char *word, void *baton)
{
    const char *w = baton;
    size_t wl = strlen(w), l = strlen(word);
    return !strcmp(w, word) || (wl == l + 1 && w[l] == 's' && !strncmp(w, word, l));
}

int kf_rule_known(const char *w)
{
    return each_word(spelled_alike, (void *)w);
}

/* The vocabulary word closest to a word: the lowest cost, two readings at it none. */
typedef struct closest {
    const char *w;
    int cost, tie;
    char reading[32];
} closest;

static int compare(const char *word, void *baton)
{
    closest *c = baton;
    int cost = kf_fuzzy_cost(c->w, word);
    if (cost < 0) {
        return 0;
    }
    /* "mañanita" is the morning: a diminutive of mañana is never tomorrow */
    const char *reading = !strcmp(word, "manana") && kf_fuzzy_diminutive(c->w, word) ? "morning" : word;
    if (c->cost < 0 || cost < c->cost) {
        c->cost = cost;
        c->tie = 0;
        apr_cpystrn(c->reading, reading, sizeof(c->reading));
    }
    else if (cost == c->cost && strcmp(c->reading, reading) != 0) {
        c->tie = 1;
    }
    return 0;
}

/* The words of the services' and professionals' names (from p). */
static apr_array_header_t *names_words(apr_pool_t *p, const kf_assistant_catalog *catalog)
{
    apr_array_header_t *words = apr_array_make(p, 16, sizeof(const char *));
    for (int list = 0; list < 2; list++) {
        const kf_assistant_item *items = list ? catalog->professionals : catalog->services;
        int n = list ? catalog->nprofessionals : catalog->nservices;
        for (int s = 0; s < n; s++) {
            kf_word nw[16];
            int nn = items[s].name ? kf_words_split(p, items[s].name, nw, 16) : 0;
            for (int j = 0; j < nn; j++) {
                APR_ARRAY_PUSH(words, const char *) = nw[j].w;
            }
        }
    }
    return words;
}

static int one_of(const apr_array_header_t *words, const char *w)
{
    for (int i = 0; i < words->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(words, i, const char *), w)) {
            return 1;
        }
    }
    return 0;
}

static int letters_only(const char *w)
{
    for (; *w; w++) {
        if (*w < 'a' || *w > 'z') {
            return 0;
        }
    }
    return 1;
}

void kf_rule_spell(kf_parse *ps, const kf_assistant_catalog *catalog)
{
    apr_array_header_t *names = NULL;
    for (int i = 0; i < ps->n; i++) {
        const char *w = ps->w[i].w;
        if (ps->w[i].used || strlen(w) < 4 || !letters_only(w) || kf_words_number(w) >= 0 ||
            kf_rule_filler(w) || kf_rule_known(w)) {
            continue;
        }
        if (!names) {
            names = names_words(ps->p, catalog);
        }
        if (one_of(names, w)) {
            continue;
        }
        closest c = {.w = w, .cost = -1};
        each_word(compare, &c);
        if (c.cost > 0 && !c.tie) {
            ps->w[i].w = apr_pstrdup(ps->p, c.reading);
        }
    }
}
