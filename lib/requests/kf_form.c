/* Form bodies (see kf_form.h). */
#include "kf_form.h"
#include "kf_query.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <string.h>
#include <strings.h>

/* 1 when the media type of content_type is `type` (any case), alone or with parameters. */
static int media_is(const char *content_type, const char *type)
{
    size_t n = strlen(type);
    if (!content_type || strncasecmp(content_type, type, n) != 0) {
        return 0;
    }
    char next = content_type[n];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

kf_form_kind kf_form_kind_of(const char *content_type)
{
    if (media_is(content_type, "application/x-www-form-urlencoded")) {
        return KF_FORM_URLENCODED;
    }
    if (media_is(content_type, "multipart/form-data")) {
        return KF_FORM_MULTIPART;
    }
    return KF_FORM_NONE;
}

static const char *urlencoded_field(apr_pool_t *p, const char *body, apr_size_t len,
                                    const char *name)
{
    while (len && (body[len - 1] == '\r' || body[len - 1] == '\n')) {
        len--;
    }
    apr_table_t *fields = NULL;
    const char *bad = NULL;
    if (kf_query_parse(p, apr_pstrmemdup(p, body, len), &fields, &bad) != KF_QUERY_OK) {
        return NULL;
    }
    return apr_table_get(fields, name);
}

/* The boundary parameter of a multipart Content-Type (quoted or not), or NULL. */
static const char *boundary_of(apr_pool_t *p, const char *content_type)
{
    for (const char *s = strchr(content_type, ';'); s; s = strchr(s + 1, ';')) {
        const char *param = s + 1 + strspn(s + 1, " \t");
        if (strncasecmp(param, "boundary=", 9) != 0) {
            continue;
        }
        const char *v = param + 9;
        size_t n = *v == '"' ? strcspn(++v, "\"") : strcspn(v, "; \t");
        return n >= 1 && n <= 70 ? apr_pstrmemdup(p, v, n) : NULL;
    }
    return NULL;
}

/* Where `needle` (n bytes) first occurs in hay (len bytes), or NULL. */
static const char *find(const char *hay, apr_size_t len, const char *needle, apr_size_t n)
{
    for (apr_size_t i = 0; n <= len && i <= len - n; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return hay + i;
        }
    }
    return NULL;
}

/* 1 when a Content-Disposition value (form-data; name="x"; ...) names the field `name`,
 * quoted or not; filename= is no name. */
static int disposition_names(apr_pool_t *p, const char *value, const char *name)
{
    const char *quoted = apr_pstrcat(p, "name=\"", name, "\"", NULL);
    const char *bare = apr_pstrcat(p, "name=", name, NULL);
    size_t quoted_len = strlen(quoted), bare_len = strlen(bare);
    for (const char *at = strstr(value, "name="); at; at = strstr(at + 1, "name=")) {
        if (at > value && !strchr("; \t", at[-1])) {
            continue;
        }
        if (strncmp(at, quoted, quoted_len) == 0 ||
            (strncmp(at, bare, bare_len) == 0 && strchr("; \t", at[bare_len]))) {
            return 1;
        }
    }
    return 0;
}

/* 1 when a part's headers (len bytes) name the form field `name`. */
static int part_names(apr_pool_t *p, const char *headers, apr_size_t len, const char *name)
{
    const char *line = apr_pstrmemdup(p, headers, len);
    while (*line) {
        size_t end = strcspn(line, "\r\n");
        if (strncasecmp(line, "Content-Disposition:", 20) == 0) {
            return disposition_names(p, apr_pstrmemdup(p, line + 20, end - 20), name);
        }
        line += end;
        line += strspn(line, "\r\n");
    }
    return 0;
}

static const char *multipart_field(apr_pool_t *p, const char *content_type, const char *body,
                                   apr_size_t len, const char *name)
{
    const char *boundary = boundary_of(p, content_type);
    if (!boundary) {
        return NULL;
    }
    /* each part follows "--boundary" and its line end; the last delimiter is "--boundary--" */
    const char *delimiter = apr_pstrcat(p, "--", boundary, NULL);
    apr_size_t dlen = strlen(delimiter);
    const char *end = body + len;
    const char *at = find(body, len, delimiter, dlen);
    const char *found = NULL;
    while (at) {
        const char *part = at + dlen;
        if (end - part >= 2 && part[0] == '-' && part[1] == '-') {
            break;                                         /* the close delimiter */
        }
        part += strspn(part, " \t");
        part += *part == '\r' ? 1 : 0;
        if (part >= end || *part != '\n') {
            return NULL;
        }
        part++;
        const char *next = find(part, (apr_size_t)(end - part), delimiter, dlen);
        if (!next) {
            return NULL;                                   /* no close delimiter */
        }
        /* the part is what lies before the line end that precedes the next delimiter */
        const char *stop = next;
        if (stop > part && stop[-1] == '\n') {
            stop--;
            if (stop > part && stop[-1] == '\r') {
                stop--;
            }
        }
        const char *blank = find(part, (apr_size_t)(stop - part), "\r\n\r\n", 4);
        apr_size_t gap = 4;
        const char *lf = find(part, (apr_size_t)(stop - part), "\n\n", 2);
        if (!blank || (lf && lf < blank)) {
            blank = lf;
            gap = 2;
        }
        if (blank && part_names(p, part, (apr_size_t)(blank - part), name)) {
            if (found) {
                return NULL;                               /* twice: ambiguous */
            }
            found = apr_pstrmemdup(p, blank + gap, (apr_size_t)(stop - blank - gap));
        }
        at = next;
    }
    return found;
}

const char *kf_form_field(apr_pool_t *p, const char *content_type, const char *body,
                          apr_size_t len, const char *name)
{
    if (!body || !name) {
        return NULL;
    }
    switch (kf_form_kind_of(content_type)) {
    case KF_FORM_URLENCODED:
        return urlencoded_field(p, body, len, name);
    case KF_FORM_MULTIPART:
        return multipart_field(p, content_type, body, len, name);
    default:
        return NULL;
    }
}
