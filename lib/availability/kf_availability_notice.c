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

int kf_avail_listener_failed(kf_avail_listener_clock *k, apr_time_t now)
{
    k->retry_at = now + apr_time_from_sec(kf_availability_notice_retry_seconds(k->failures));
    return k->failures++ == 0;
}

int kf_avail_listener_connected(kf_avail_listener_clock *k)
{
    int after_failures = k->failures > 0;
    k->failures = 0;
    return after_failures;
}

int kf_avail_listener_take_due(kf_avail_listener_clock *k, apr_time_t now)
{
    if (now < k->next_take) {
        return 0;
    }
    k->next_take = now + KF_AVAIL_TAKE_EVERY;
    return 1;
}

int kf_avail_listener_vacuum_due(kf_avail_listener_clock *k, int may_vacuum, apr_time_t now)
{
    if (!may_vacuum || k->taken == 0 || now < k->next_vacuum) {
        return 0;
    }
    k->next_vacuum = now + KF_AVAIL_VACUUM_EVERY;
    k->taken = 0;
    return 1;
}

apr_interval_time_t kf_avail_listener_wait(const kf_avail_listener_clock *k, apr_time_t now)
{
    return k->next_take > now ? k->next_take - now : 0;
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
