/* Events left behind in a calendar: see kf_calendar_orphans.h. */
#include "kf_calendar_orphans.h"
#include "kf_text.h"

#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int kf_calendar_connection_replaced(const char *old_provider, const char *old_account,
                                    const char *new_provider, const char *new_account)
{
    return old_provider && !(same(old_provider, new_provider) && same(old_account, new_account));
}

int kf_calendar_orphan_retry_in(kf_cal_outcome o, int attempts)
{
    if (o == KF_CAL_OK) {
        return 0;
    }
    if (o == KF_CAL_REVOKED || attempts >= KF_CALENDAR_ORPHAN_MAX_ATTEMPTS) {
        return -1;
    }
    return kf_calendar_retry_seconds(attempts);
}

static json_t *text_or_null(const char *v)
{
    return v ? json_string(v) : json_null();
}

json_t *kf_calendar_orphan_json(const char *const *row)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", text_or_null(row[KF_CAL_ORPHAN_ID]));
    json_object_set_new(o, "professional",
                        json_pack("{s:o, s:o}", "id", text_or_null(row[KF_CAL_ORPHAN_PROFESSIONAL]),
                                  "name", text_or_null(row[KF_CAL_ORPHAN_PROFESSIONAL_NAME])));
    json_object_set_new(o, "provider", text_or_null(row[KF_CAL_ORPHAN_PROVIDER]));
    json_object_set_new(o, "account", text_or_null(row[KF_CAL_ORPHAN_ACCOUNT]));
    json_object_set_new(o, "event_id", text_or_null(row[KF_CAL_ORPHAN_EVENT_ID]));
    json_object_set_new(o, "start", text_or_null(row[KF_CAL_ORPHAN_START]));
    json_object_set_new(o, "end", text_or_null(row[KF_CAL_ORPHAN_END]));
    json_object_set_new(o, "booking_id", text_or_null(row[KF_CAL_ORPHAN_BOOKING]));
    json_object_set_new(o, "status", json_string(kf_text_true(row[KF_CAL_ORPHAN_DUE]) ? "retrying"
                                                                                     : "failed"));
    json_object_set_new(o, "attempts", json_integer(row[KF_CAL_ORPHAN_ATTEMPTS]
                                                        ? atoi(row[KF_CAL_ORPHAN_ATTEMPTS]) : 0));
    json_object_set_new(o, "error", text_or_null(row[KF_CAL_ORPHAN_ERROR]));
    json_object_set_new(o, "created_at", text_or_null(row[KF_CAL_ORPHAN_CREATED]));
    return o;
}

kf_cal_outcome kf_calendar_orphan_replaced_grant(apr_pool_t *p, const kf_keyring *keys,
                                                 const char *professional_id,
                                                 const char *secret_sealed, const char *account,
                                                 const char *calendar_url, kf_calendar_grant *g,
                                                 const char **why)
{
    const char *secret = kf_open_text(p, keys, secret_sealed,
                                      kf_calendar_secret_aad(p, professional_id));
    if (!secret) {
        *why = "the replaced calendar's access cannot be opened";
        return KF_CAL_REVOKED;
    }
    g->access_token = secret;
    /* CalDAV: the password of that account, on that collection */
    g->user = account;
    g->calendar_id = calendar_url ? calendar_url : "primary";
    return KF_CAL_OK;
}
