#include "kf_query.h"
#include "kf_text.h"

#include <string.h>
#include <apr_strings.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes src[0..len) into a new string; NULL when the text is not well formed. */
static char *decode(apr_pool_t *p, const char *src, apr_size_t len)
{
    char *out = apr_palloc(p, len + 1);
    apr_size_t n = 0;
    for (apr_size_t i = 0; i < len; i++) {
        if (src[i] == '+') {
            out[n++] = ' ';
        }
        else if (src[i] == '%') {
            if (len - i < 3) {
                return NULL;
            }
            int hi = hex_value(src[i + 1]), lo = hex_value(src[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                return NULL;   /* not an escape, or a NUL byte */
            }
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        }
        else {
            out[n++] = src[i];
        }
    }
    out[n] = '\0';
    return kf_utf8_valid(out, n) ? out : NULL;
}

kf_query_status kf_query_parse(apr_pool_t *p, const char *args, apr_table_t **out,
                               const char **bad)
{
    apr_table_t *t = apr_table_make(p, 8);
    *out = t;
    *bad = NULL;
    const char *piece = args ? args : "";
    while (*piece) {
        const char *end = strchr(piece, '&');
        apr_size_t len = end ? (apr_size_t)(end - piece) : strlen(piece);
        if (len > 0) {
            const char *eq = memchr(piece, '=', len);
            apr_size_t name_len = eq ? (apr_size_t)(eq - piece) : len;
            char *name = decode(p, piece, name_len);
            char *value = eq ? decode(p, eq + 1, len - name_len - 1) : apr_pstrdup(p, "");
            if (!name || !value) {
                /* the raw name is quoted back to the client: keep it valid UTF-8 */
                const char *raw = apr_pstrndup(p, piece, name_len);
                *bad = name ? name : kf_utf8_valid(raw, name_len) ? raw : "?";
                return KF_QUERY_BAD_ENCODING;
            }
            if (apr_table_get(t, name)) {
                *bad = name;
                return KF_QUERY_REPEATED;
            }
            apr_table_setn(t, name, value);
        }
        if (!end) {
            break;
        }
        piece = end + 1;
    }
    return KF_QUERY_OK;
}

int kf_query_positive(const char *s, int max)
{
    long v = 0;
    if (!s || !*s || strlen(s) > 9) {
        return 0;
    }
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9') {
            return 0;
        }
        v = v * 10 + (*c - '0');
    }
    return v >= 1 && v <= max ? (int)v : 0;
}
