#include "kf_csv.h"

#include <string.h>
#include <apr_strings.h>

int kf_csv_needs_guard(const char *cell)
{
    if (!cell) {
        return 0;
    }
    switch (cell[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return 1;
    default:
        return 0;
    }
}

static int is_separator(char c)
{
    return c == ';' || c == ',';
}

static int needs_quotes(const char *s)
{
    return strpbrk(s, ";,\"\r\n") != NULL;
}

/* How many apostrophes the guard adds: one at the start, one after each separator that a
 * formula character follows. */
static apr_size_t guards_in(const char *cell)
{
    apr_size_t n = (apr_size_t)kf_csv_needs_guard(cell);
    for (const char *c = cell; *c; c++) {
        n += is_separator(c[0]) && kf_csv_needs_guard(c + 1);
    }
    return n;
}

const char *kf_csv_field(apr_pool_t *p, const char *cell)
{
    if (!cell) {
        return "";
    }
    apr_size_t guards = guards_in(cell);
    int quoted = needs_quotes(cell);
    if (!guards && !quoted) {
        return cell;
    }
    apr_size_t quotes = 0;
    for (const char *c = cell; *c; c++) {
        quotes += *c == '"';
    }
    char *out = apr_palloc(p, strlen(cell) + quotes + guards + 3);
    char *o = out;
    if (quoted) {
        *o++ = '"';
    }
    if (kf_csv_needs_guard(cell)) {
        *o++ = '\'';
    }
    for (const char *c = cell; *c; c++) {
        if (*c == '"') {
            *o++ = '"';
        }
        *o++ = *c;
        if (is_separator(c[0]) && kf_csv_needs_guard(c + 1)) {
            *o++ = '\'';
        }
    }
    if (quoted) {
        *o++ = '"';
    }
    *o = '\0';
    return out;
}

const char *kf_csv_record(apr_pool_t *p, const char *const *cells, int n)
{
    apr_size_t total = 2;
    const char **fields = apr_palloc(p, sizeof(*fields) * (apr_size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) {
        fields[i] = kf_csv_field(p, cells[i]);
        total += strlen(fields[i]) + (i > 0);
    }
    char *out = apr_palloc(p, total + 1);
    char *o = out;
    for (int i = 0; i < n; i++) {
        if (i > 0) {
            *o++ = KF_CSV_SEPARATOR;
        }
        apr_size_t len = strlen(fields[i]);
        memcpy(o, fields[i], len);
        o += len;
    }
    memcpy(o, "\r\n", 3);
    return out;
}
