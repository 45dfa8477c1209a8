/* The assistant's words: see kf_assistant_text.h. */
#include "kf_assistant_text.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

/* The ASCII letter of a two-byte UTF-8 Latin-1 letter (0xC3 xx), lowercased, or 0. */
static char fold_latin1(unsigned char second)
{
    static const char map[64] =
        /* 0x80..0x9F: À..ß uppercase */
        "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
        /* 0xA0..0xBF: à..ÿ lowercase */
        "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    if (second < 0x80 || second > 0xBF) {
        return 0;
    }
    char c = map[second - 0x80];
    return (c >= 'a' && c <= 'z') ? c : 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int kf_words_split(apr_pool_t *p, const char *text, kf_word *words, int max)
{
    apr_size_t len = strlen(text);
    char *buf = apr_palloc(p, len + 1);
    int *from = apr_palloc(p, sizeof(int) * (len + 1));
    apr_size_t n = 0;
    /* fold into buf, each folded byte remembering where it started in text */
    for (apr_size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0xC3 && i + 1 < len) {
            char f = fold_latin1((unsigned char)text[i + 1]);
            buf[n] = f ? f : ' ';
            from[n++] = (int)i;
            i += 2;
        }
        else if (c >= 0x80) {
            buf[n] = (c >= 0xC0) ? ' ' : '\x01';   /* continuation bytes vanish below */
            from[n++] = (int)i;
            i++;
        }
        else {
            buf[n] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            from[n++] = (int)i;
            i++;
        }
    }
    buf[n] = 0;
    from[n] = (int)len;
    int count = 0;
    for (apr_size_t i = 0; i < n && count < max;) {
        char c = buf[i];
        int alpha = c >= 'a' && c <= 'z';
        if (!alpha && !is_digit(c)) {
            i++;
            continue;
        }
        apr_size_t j = i;
        char *w = apr_palloc(p, n - i + 1);
        apr_size_t k = 0;
        if (alpha) {
            while (j < n && ((buf[j] >= 'a' && buf[j] <= 'z') || buf[j] == '\x01' ||
                             (buf[j] == '\'' && j + 1 < n && buf[j + 1] >= 'a' && buf[j + 1] <= 'z'))) {
                if (buf[j] != '\x01' && buf[j] != '\'') {
                    w[k++] = buf[j];
                }
                j++;
            }
            /* "a.m." / "p.m." */
            if (k == 1 && (w[0] == 'a' || w[0] == 'p') && j + 2 < n + 1 && buf[j] == '.' &&
                buf[j + 1] == 'm') {
                w[k++] = 'm';
                j += 2;
                if (j < n && buf[j] == '.') {
                    j++;
                }
            }
        }
        else {
            while (j < n && (is_digit(buf[j]) ||
                             ((buf[j] == ':' || buf[j] == '/' || buf[j] == '-' || buf[j] == '.')
                              && j + 1 < n && is_digit(buf[j + 1]) && k > 0))) {
                w[k++] = buf[j++];
            }
        }
        w[k] = 0;
        words[count].w = w;
        words[count].start = from[i];
        words[count].end = from[j];
        words[count].used = 0;
        count++;
        i = j;
    }
    return count;
}

int kf_words_edits(const char *a, const char *b, int limit, int (*substitution)(char, char))
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la - lb > limit || lb - la > limit || la > 40 || lb > 40) {
        return limit + 1;
    }
    int d[41][41];
    for (int i = 0; i <= la; i++) {
        d[i][0] = i;
    }
    for (int j = 0; j <= lb; j++) {
        d[0][j] = j;
    }
    for (int i = 1; i <= la; i++) {
        int row_min = limit + 1;
        for (int j = 1; j <= lb; j++) {
            char x = a[i - 1], y = b[j - 1];
            int cost = x == y ? 0 : substitution ? substitution(x, y) : 1;
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) {
                v = d[i][j - 1] + 1;
            }
            if (d[i - 1][j - 1] + cost < v) {
                v = d[i - 1][j - 1] + cost;
            }
            if (i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == y && d[i - 2][j - 2] + 1 < v) {
                v = d[i - 2][j - 2] + 1;
            }
            d[i][j] = v;
            if (v < row_min) {
                row_min = v;
            }
        }
        if (row_min > limit) {
            return limit + 1;
        }
    }
    return d[la][lb] > limit ? limit + 1 : d[la][lb];
}

int kf_words_distance(const char *a, const char *b, int limit)
{
    return kf_words_edits(a, b, limit, NULL);
}

int kf_words_close(const char *w, const char *name)
{
    int len = (int)strlen(name);
    int limit = len <= 3 ? 0 : len <= 5 ? 1 : 2;
    if (len == 3 && strlen(w) == 4 && w[0] == name[0]) {
        limit = 1;   /* "Anna" for Ana: a letter more, the same start */
    }
    return kf_words_distance(w, name, limit) <= limit;
}

int kf_words_digits(const char *w)
{
    if (!*w) {
        return 0;
    }
    for (; *w; w++) {
        if (!is_digit(*w)) {
            return 0;
        }
    }
    return 1;
}

int kf_words_number(const char *w)
{
    static const struct { const char *word; int value; } words[] = {
        {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
        {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12},
        {"fifteen", 15}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fortyfive", 45},
        {"sixty", 60}, {"ninety", 90},
        {"un", 1}, {"uno", 1}, {"una", 1}, {"dos", 2}, {"tres", 3}, {"cuatro", 4},
        {"cinco", 5}, {"seis", 6}, {"siete", 7}, {"ocho", 8}, {"nueve", 9}, {"diez", 10},
        {"once", 11}, {"doce", 12}, {"quince", 15}, {"veinte", 20}, {"treinta", 30},
        {"cuarenta", 40}, {"sesenta", 60}, {"noventa", 90},
    };
    if (kf_words_digits(w)) {
        return strlen(w) <= 4 ? atoi(w) : -1;
    }
    for (apr_size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(w, words[i].word) == 0) {
            return words[i].value;
        }
    }
    return -1;
}
