/* A provider's failure to make a checkout: see kf_payment_failure.h. */
#include "kf_payment_failure.h"
#include "kf_http.h"

#include <string.h>

const char *kf_payment_failure_kind(apr_status_t rv, int http_status)
{
    if (rv == APR_EACCES || http_status == 401 || http_status == 403) {
        return "refused_key";
    }
    if (http_status >= 500 && http_status <= 599) {
        return "server_error";
    }
    if (rv == APR_SUCCESS || http_status != 0 || rv == APR_EINVAL || rv == APR_ENOSPC) {
        return "other";
    }
    /* no HTTP answer: the transport's own words, two of them kept apart */
    return strcmp(kf_http_error_kind(rv), "timeout") == 0 ? "timeout" : "connection";
}

json_t *kf_payment_failure_record(const char *provider, apr_status_t rv, int http_status)
{
    return json_pack("{s:s, s:s, s:o}", "provider", provider ? provider : "",
                     "kind", kf_payment_failure_kind(rv, http_status), "http_status",
                     http_status > 0 ? json_integer(http_status) : json_null());
}
