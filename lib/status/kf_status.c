/* The status page's rules and text: see kf_status.h. */
#include "kf_status.h"

#include <string.h>

static const char *const class_names[KF_STATUS_CLASS_COUNT] = {
    [KF_STATUS_CLASS_PUBLIC] = "public",
    [KF_STATUS_CLASS_ADMIN] = "admin",
    [KF_STATUS_CLASS_AUTH] = "auth",
    [KF_STATUS_CLASS_WEBHOOKS] = "webhooks",
    [KF_STATUS_CLASS_OAUTH] = "oauth",
    [KF_STATUS_CLASS_HEALTH] = "health",
    [KF_STATUS_CLASS_DIAGNOSTICS] = "diagnostics",
    [KF_STATUS_CLASS_OTHER] = "other",
    [KF_STATUS_CLASS_UNROUTED] = "unrouted",
};

kf_status_class kf_status_class_of(const char *route_pattern)
{
    static const char api[] = "/api/";
    if (!route_pattern) {
        return KF_STATUS_CLASS_UNROUTED;
    }
    if (strncmp(route_pattern, api, sizeof(api) - 1) != 0) {
        return KF_STATUS_CLASS_OTHER;
    }
    const char *segment = route_pattern + sizeof(api) - 1;
    size_t len = strcspn(segment, "/");
    for (int c = 0; c < KF_STATUS_CLASS_OTHER; c++) {
        if (strlen(class_names[c]) == len && strncmp(segment, class_names[c], len) == 0) {
            return (kf_status_class)c;
        }
    }
    return KF_STATUS_CLASS_OTHER;
}

const char *kf_status_class_name(kf_status_class c)
{
    return c >= 0 && c < KF_STATUS_CLASS_COUNT ? class_names[c] : "other";
}

kf_status_code_class kf_status_code_class_of(int http_status)
{
    if (http_status >= 200 && http_status < 300) {
        return KF_STATUS_2XX;
    }
    if (http_status >= 300 && http_status < 400) {
        return KF_STATUS_3XX;
    }
    if (http_status >= 400 && http_status < 500) {
        return KF_STATUS_4XX;
    }
    return KF_STATUS_5XX;
}

const char *kf_status_code_class_name(kf_status_code_class c)
{
    static const char *const names[KF_STATUS_CODE_CLASS_COUNT] = {"2xx", "3xx", "4xx", "5xx"};
    return c >= 0 && c < KF_STATUS_CODE_CLASS_COUNT ? names[c] : "5xx";
}

const long long kf_status_bucket_us[KF_STATUS_BUCKET_COUNT] = {
    1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 10000000,
};

int kf_status_bucket_of(long long us)
{
    for (int i = 0; i < KF_STATUS_BUCKET_COUNT; i++) {
        if (us <= kf_status_bucket_us[i]) {
            return i;
        }
    }
    return KF_STATUS_BUCKET_COUNT;
}

kf_status_text *kf_status_text_make(apr_pool_t *p)
{
    kf_status_text *t = apr_palloc(p, sizeof(*t));
    t->p = p;
    t->parts = apr_array_make(p, 256, sizeof(const char *));
    return t;
}

static void put(kf_status_text *t, const char *s)
{
    *(const char **)apr_array_push(t->parts) = s;
}

/* A HELP text escapes backslash and line feed; a label value also the double quote. */
static const char *escaped(apr_pool_t *p, const char *s, int quote)
{
    size_t extra = 0;
    for (const char *c = s; *c; c++) {
        extra += *c == '\\' || *c == '\n' || (quote && *c == '"');
    }
    if (!extra) {
        return s;
    }
    char *out = apr_palloc(p, strlen(s) + extra + 1);
    char *o = out;
    for (const char *c = s; *c; c++) {
        if (*c == '\n') {
            *o++ = '\\';
            *o++ = 'n';
            continue;
        }
        if (*c == '\\' || (quote && *c == '"')) {
            *o++ = '\\';
        }
        *o++ = *c;
    }
    *o = '\0';
    return out;
}

void kf_status_family(kf_status_text *t, const char *name, const char *type, const char *help)
{
    put(t, apr_pstrcat(t->p, "# HELP ", name, " ", escaped(t->p, help, 0), "\n# TYPE ", name,
                       " ", type, "\n", NULL));
}

static const char *label_set(apr_pool_t *p, const char *const *labels, const char *extra_key,
                             const char *extra_value)
{
    const char *set = "";
    for (int i = 0; labels && labels[i]; i += 2) {
        set = apr_pstrcat(p, set, *set ? "," : "", labels[i], "=\"",
                          escaped(p, labels[i + 1], 1), "\"", NULL);
    }
    if (extra_key) {
        set = apr_pstrcat(p, set, *set ? "," : "", extra_key, "=\"", extra_value, "\"", NULL);
    }
    return *set ? apr_pstrcat(p, "{", set, "}", NULL) : "";
}

void kf_status_sample(kf_status_text *t, const char *name, const char *const *labels,
                      const char *value)
{
    put(t, apr_pstrcat(t->p, name, label_set(t->p, labels, NULL, NULL), " ", value, "\n", NULL));
}

const char *kf_status_count(apr_pool_t *p, unsigned long long n)
{
    return apr_psprintf(p, "%" APR_UINT64_T_FMT, (apr_uint64_t)n);
}

const char *kf_status_seconds(apr_pool_t *p, long long us)
{
    if (us < 0) {
        us = 0;   /* a lag or a duration is never negative; a clock step back reads 0 */
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT ".%06" APR_INT64_T_FMT, (apr_int64_t)(us / 1000000),
                       (apr_int64_t)(us % 1000000));
}

void kf_status_histogram(kf_status_text *t, const char *name, const char *const *labels,
                         const unsigned long long *counts, unsigned long long sum_us)
{
    const char *bucket = apr_pstrcat(t->p, name, "_bucket", NULL);
    unsigned long long cumulative = 0;
    for (int i = 0; i <= KF_STATUS_BUCKET_COUNT; i++) {
        cumulative += counts[i];
        const char *le = i < KF_STATUS_BUCKET_COUNT ? kf_status_seconds(t->p, kf_status_bucket_us[i])
                                                   : "+Inf";
        put(t, apr_pstrcat(t->p, bucket, label_set(t->p, labels, "le", le), " ",
                           kf_status_count(t->p, cumulative), "\n", NULL));
    }
    put(t, apr_pstrcat(t->p, name, "_sum", label_set(t->p, labels, NULL, NULL), " ",
                       kf_status_seconds(t->p, (long long)sum_us), "\n", NULL));
    put(t, apr_pstrcat(t->p, name, "_count", label_set(t->p, labels, NULL, NULL), " ",
                       kf_status_count(t->p, cumulative), "\n", NULL));
}

const char *kf_status_text_join(const kf_status_text *t)
{
    return apr_array_pstrcat(t->p, t->parts, '\0');
}
