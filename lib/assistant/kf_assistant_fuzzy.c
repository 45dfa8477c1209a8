/* The assistant's fuzzy word matcher: see kf_assistant_fuzzy.h. */
#include "kf_assistant_fuzzy.h"
#include "kf_assistant_text.h"

#include <string.h>

int kf_fuzzy_typos(size_t len)
{
    return len >= 8 ? 2 : len >= 5 ? 1 : 0;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Whether stem[0..sl) is base[0..bl) with the spelling a diminutive's ending asks for: the
 * same letters, or a final c, g or z written qu, gu or c ("poc-" as "poqu-"). */
static int respelled_stem(const char *stem, size_t sl, const char *base, size_t bl)
{
    if (sl == bl && !strncmp(stem, base, bl)) {
        return 1;
    }
    if (bl < 2 || strncmp(stem, base, bl - 1) != 0) {
        return 0;
    }
    char last = base[bl - 1];
    if (sl == bl + 1 && stem[sl - 1] == 'u' && (last == 'c' || last == 'g')) {
        return stem[bl - 1] == (last == 'c' ? 'q' : 'g');
    }
    return sl == bl && last == 'z' && stem[sl - 1] == 'c';
}

int kf_fuzzy_diminutive(const char *w, const char *word)
{
    static const char *const endings[] = {
        "ecitos", "ecitas", "ecito", "ecita", "citos", "citas", "cito", "cita",
        "itos", "itas", "ito", "ita", NULL};
    size_t wl = strlen(w), bl = strlen(word);
    if (bl < 3) {
        return 0;
    }
    for (int e = 0; endings[e]; e++) {
        size_t el = strlen(endings[e]);
        if (wl < el + 2 || strcmp(w + wl - el, endings[e]) != 0) {
            continue;
        }
        size_t sl = wl - el;
        /* "tarde-cita", "facial-ito"; "masaj-ito", "manan-ita" */
        if (respelled_stem(w, sl, word, bl) ||
            (is_vowel(word[bl - 1]) && respelled_stem(w, sl, word, bl - 1))) {
            return 1;
        }
    }
    return 0;
}

/* What writing one letter for another costs: one for letters that sound alike, so that
 * people write one for the other (b and v, c with s, z, k or q, g and j, i and y), else
 * two, as a real word one letter away ("light", "lines") is no typo of night or lunes. */
static int letter_for_letter(char a, char b)
{
    static const char *const alike[] = {"bv", "csz", "ckq", "gj", "iy", NULL};
    for (int g = 0; alike[g]; g++) {
        if (strchr(alike[g], a) && strchr(alike[g], b)) {
            return 1;
        }
    }
    return 2;
}

int kf_fuzzy_cost(const char *w, const char *word)
{
    if (!strcmp(w, word)) {
        return 0;
    }
    if (kf_fuzzy_diminutive(w, word)) {
        return 1;
    }
    size_t wl = strlen(w), l = strlen(word);
    int limit = kf_fuzzy_typos(wl < l ? wl : l);
    if (!limit) {
        return -1;
    }
    int d = kf_words_edits(w, word, limit, letter_for_letter);
    return d <= limit ? 1 + d : -1;
}

int kf_fuzzy_names(const char *w, const char *word)
{
    if (kf_words_close(w, word) || kf_fuzzy_diminutive(w, word)) {
        return 1;
    }
    size_t wl = strlen(w), stem = strlen(word);
    if (stem && is_vowel(word[stem - 1])) {
        stem--;
    }
    return stem >= 5 && wl >= stem && wl <= stem + 6 && !strncmp(w, word, stem);
}
