/* A sentence as it may leave the server: see kf_assistant_mask.h. */
#include "kf_assistant_mask.h"
#include "kf_assistant_text.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

#define NAME_LOWERCASE_WORDS_MAX 5

/* An introduction: its folded words, whether any word after it is a name (else only
 * capitalised ones), and whether a ':' must follow it ("nombre: Ana"). Longest first. */
typedef struct intro {
    const char *words;
    int any_case;
    int colon;
} intro;

static const intro intros[] = {
    {"under the name of", 1, 0}, {"in the name of", 1, 0}, {"under the name", 1, 0},
    {"mi nombre es", 1, 0}, {"my name is", 1, 0}, {"a nombre de", 1, 0},
    {"i am called", 1, 0}, {"im called", 1, 0},
    {"me llamo", 1, 0}, {"my names", 1, 0}, {"me dicen", 1, 0}, {"me llaman", 1, 0},
    {"nombre", 1, 1}, {"name", 1, 1},
    {"this is", 0, 0}, {"call me", 0, 0}, {"i am", 0, 0},
    {"soy", 0, 0}, {"im", 0, 0}, {"habla", 0, 0},
    {NULL, 0, 0},
};

/* Words that start the rest of the sentence, never part of a name. Kept short: a word
 * wrongly here lets a name through ("Domingo" is a name, so Sunday's Spanish is not here). */
static const char *const ends_name[] = {
    "y", "e", "o", "u", "and", "or", "but", "pero", "que", "quiero", "queria", "quisiera",
    "necesito", "busco", "i", "im", "want", "would", "need", "like", "para", "por", "for",
    "con", "with", "a", "en", "in", "on", "at", "el", "the", "un", "una", "an", "hoy",
    "manana", "pasado", "today", "tomorrow", "tonight", "next", "this", "este", "esta",
    "proximo", "proxima", "mi", "my", "me", "please", "porfa", "gracias", "thanks", "cita",
    "turno", "appointment", "book", "reservar", "agendar", "soy", "am", "is", "es", "tarde",
    "noche", "morning", "afternoon", "evening", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "lunes", "martes", "miercoles", "jueves", "viernes",
    "sabado", NULL,
};

/* Particles inside a name ("de la Cruz", "van Dijk"): part of it only before a name word. */
static const char *const particles[] = {
    "de", "del", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "der", "den",
    "di", "du", NULL,
};

static int listed(const char *const *list, const char *w)
{
    for (int i = 0; list[i]; i++) {
        if (!strcmp(list[i], w)) {
            return 1;
        }
    }
    return 0;
}

/* Whether the word at text + at starts with a capital: A-Z or a Latin-1 capital (À..Þ). */
static int capitalised(const char *text, int at)
{
    const unsigned char *s = (const unsigned char *)text + at;
    return (s[0] >= 'A' && s[0] <= 'Z') || (s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0x9E &&
                                            s[1] != 0x97);
}

/* Whether text[from, to) holds only what may stand between two words of one name: spaces,
 * hyphens, and a full stop after an initial ("Ana M. Pérez"). */
static int joins(const char *text, int from, int to, int after_initial)
{
    for (int i = from; i < to; i++) {
        char c = text[i];
        if (c != ' ' && c != '\t' && c != '-' && !(c == '.' && after_initial)) {
            return 0;
        }
    }
    return 1;
}

static int has_colon(const char *text, int from, int to)
{
    for (int i = from; i < to; i++) {
        if (text[i] == ':') {
            return 1;
        }
    }
    return 0;
}

/* How many words the introduction `in` takes at word i (0: none there). */
static int intro_at(const kf_word *w, int n, int i, const char *text, const intro *in)
{
    int k = 0;
    for (const char *s = in->words; *s; k++) {
        apr_size_t len = strcspn(s, " ");
        if (i + k >= n || strlen(w[i + k].w) != len || strncmp(w[i + k].w, s, len) != 0) {
            return 0;
        }
        s += len + (s[len] == ' ');
    }
    if (in->colon && (i + k >= n || !has_colon(text, w[i + k - 1].end, w[i + k].start))) {
        return 0;
    }
    return k;
}

/* The last word of the name that starts at word j after `in` (whose last word is j - 1),
 * or -1 when none does. */
static int name_end(const kf_word *w, int n, int j, const char *text, const intro *in)
{
    int last = -1, lowercase = 0;
    for (int k = j; k < n; k++) {
        int from = w[k - 1].end, initial = k > j && w[k - 1].end - w[k - 1].start == 1;
        int gap_ok = k == j ? joins(text, from, w[k].start, 0) ||
                                  (in->colon && has_colon(text, from, w[k].start))
                            : joins(text, from, w[k].start, initial);
        if (!gap_ok || kf_words_number(w[k].w) >= 0 || listed(ends_name, w[k].w)) {
            break;
        }
        if (listed(particles, w[k].w)) {
            if (last < 0) {
                break;          /* "soy de Bogotá": no name starts with a particle */
            }
            continue;
        }
        if (!capitalised(text, w[k].start) &&
            (!in->any_case || ++lowercase > NAME_LOWERCASE_WORDS_MAX)) {
            break;
        }
        last = k;
    }
    return last;
}

const char *kf_assistant_mask(apr_pool_t *p, const char *text)
{
    text = kf_mask_text(p, text);
    int max = (int)strlen(text) + 1;      /* a word per byte at most ("5p5p") */
    kf_word *w = apr_palloc(p, sizeof(kf_word) * (apr_size_t)max);
    int n = kf_words_split(p, text, w, max);
    const char *out = "";
    int copied = 0;             /* text before this is in out */
    for (int i = 0; i < n; i++) {
        for (const intro *in = intros; in->words; in++) {
            int k = intro_at(w, n, i, text, in);
            int last = k ? name_end(w, n, i + k, text, in) : -1;
            if (last >= 0) {
                out = apr_pstrcat(p, out, apr_pstrndup(p, text + copied,
                                                       (apr_size_t)(w[i + k].start - copied)),
                                  "***", NULL);
                copied = w[last].end;
                i = last;
                break;
            }
            if (k) {
                break;          /* the longest introduction here gave no name */
            }
        }
    }
    return apr_pstrcat(p, out, text + copied, NULL);
}
