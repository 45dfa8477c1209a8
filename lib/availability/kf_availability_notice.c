/* Availability notifications between servers: see kf_availability_notice.h. */
#include "kf_availability_notice.h"
#include "kf_text.h"

#include <string.h>
#include <apr_strings.h>

#define UUID_LEN 36

int kf_availability_notice_ids(apr_pool_t *p, const char *payload, apr_array_header_t **ids)
{
    *ids = apr_array_make(p, 4, sizeof(const char *));
    if (!payload || !*payload) {
        return 0;
    }
    for (const char *at = payload; at && *at; ) {
        const char *comma = strchr(at, ',');
        size_t n = comma ? (size_t)(comma - at) : strlen(at);
        const char *id = n == UUID_LEN ? apr_pstrmemdup(p, at, n) : NULL;
        if (!id || !kf_is_uuid(id)) {
            (*ids)->nelts = 0;
            return 0;
        }
        *(const char **)apr_array_push(*ids) = id;
        at = comma ? comma + 1 : NULL;
    }
    return 1;
}

int kf_availability_notice_retry_seconds(int failures)
{
    return failures < 5 ? failures + 1 : 5;
}

const char *kf_conninfo_text(apr_pool_t *p, const char *const *keywords,
                             const char *const *values, int n)
{
    const char *text = "";
    for (int i = 0; i < n; i++) {
        if (!values[i] || !*values[i]) {
            continue;
        }
        /* values quoted as libpq wants: single quotes, \\ and \' escaped */
        const char *q = "";
        for (const char *v = values[i]; *v; v++) {
            q = apr_psprintf(p, "%s%s%c", q, (*v == '\'' || *v == '\\') ? "\\" : "", *v);
        }
        text = apr_psprintf(p, "%s%s%s='%s'", text, *text ? " " : "", keywords[i], q);
    }
    return text;
}
