#include "kf_calendar_busy.h"

static apr_status_t none_busy(const kf_calendar_busy_provider *self, apr_pool_t *p,
                              const char *professional_id, int prof, apr_int64_t from,
                              apr_int64_t to, apr_array_header_t *out)
{
    return APR_SUCCESS;
}

const kf_calendar_busy_provider kf_calendar_busy_none = {"none", none_busy, NULL};

const kf_calendar_busy_provider *kf_calendar_busy_find(const char *name)
{
    (void)name;
    return &kf_calendar_busy_none;
}
