/* Keeping a calendar connection alive and read: see kf_calendar_sync.h. */
#include "kf_calendar_sync.h"

#include <apr_strings.h>
#include <string.h>

int kf_calendar_access_usable(const char *access, apr_int64_t expires_at, apr_int64_t now,
                              const char *refused)
{
    return access && expires_at > now + KF_CALENDAR_ACCESS_MARGIN &&
           !(refused && strcmp(access, refused) == 0);
}

void kf_calendar_busy_window(apr_int64_t now, apr_int64_t horizon_days, apr_int64_t *from,
                             apr_int64_t *to)
{
    apr_int64_t days = horizon_days > 0 && horizon_days < KF_CALENDAR_BUSY_MAX_DAYS
                           ? horizon_days : KF_CALENDAR_BUSY_MAX_DAYS;
    *from = now - KF_CALENDAR_BUSY_BACK;
    *to = now + (days + 2) * 86400;
}

int kf_calendar_busy_wants_new_token(const kf_calendar_provider *prov, kf_cal_outcome o,
                                     const char *why)
{
    return o == KF_CAL_RETRY && prov->oauth && why && strstr(why, "HTTP 401") != NULL;
}

kf_cal_channel_plan kf_calendar_channel_plan(const kf_calendar_provider *prov,
                                             const kf_cal_channel *ch, const char *secret,
                                             apr_int64_t now)
{
    if (!prov->watch) {
        return KF_CAL_CHANNEL_KEEP;   /* no notifications (CalDAV): polled, nothing to keep */
    }
    if (!ch->id || !secret) {
        return KF_CAL_CHANNEL_OPEN;
    }
    if (ch->expires_at == 0 || ch->expires_at - now > KF_CALENDAR_CHANNEL_RENEW_BEFORE) {
        return KF_CAL_CHANNEL_KEEP;
    }
    return prov->renew ? KF_CAL_CHANNEL_RENEW : KF_CAL_CHANNEL_OPEN;
}

const char *kf_calendar_busy_array(apr_pool_t *p, const apr_array_header_t *busy, int ends)
{
    const kf_cal_busy *b = (const kf_cal_busy *)busy->elts;
    const char *out = "{";
    for (int i = 0; i < busy->nelts; i++) {
        out = apr_psprintf(p, "%s%s%" APR_INT64_T_FMT, out, i ? "," : "",
                           ends ? b[i].end : b[i].start);
    }
    return apr_pstrcat(p, out, "}", NULL);
}
