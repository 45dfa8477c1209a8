/* A Cal.com webhook's change and what it does to our booking (kf_calendar_outside.h). */
#include "kf_calendar_outside.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

static const struct {
    const char *trigger;
    kf_calcom_change_kind kind;
} triggers[] = {
    {"BOOKING_CREATED", KF_CALCOM_CHANGE_CREATED},
    {"BOOKING_RESCHEDULED", KF_CALCOM_CHANGE_RESCHEDULED},
    {"BOOKING_CANCELLED", KF_CALCOM_CHANGE_CANCELLED},
};

static const char *text_of(apr_pool_t *p, const json_t *obj, const char *key)
{
    const char *s = NULL;
    return kf_json_get_string(obj, key, &s) == KF_JSON_FIELD_OK && *s ? apr_pstrdup(p, s) : NULL;
}

static apr_int64_t time_of(const json_t *obj, const char *key)
{
    const char *s = NULL;
    apr_int64_t t = 0;
    if (kf_json_get_string(obj, key, &s) != KF_JSON_FIELD_OK ||
        kf_time_parse_rfc3339(s, &t) == KF_TIME_INVALID) {
        return 0;
    }
    return t;
}

int kf_calendar_calcom_change(apr_pool_t *p, const char *body, apr_size_t len,
                              kf_calcom_change *out)
{
    memset(out, 0, sizeof(*out));
    json_t *root = kf_json_parse_object(p, body, len, NULL);
    const char *trigger = NULL;
    json_t *payload = NULL;
    if (!root || kf_json_get_string(root, "triggerEvent", &trigger) != KF_JSON_FIELD_OK ||
        kf_json_get_object(root, "payload", &payload) != KF_JSON_FIELD_OK) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++) {
        if (strcmp(trigger, triggers[i].trigger) == 0) {
            out->kind = triggers[i].kind;
        }
    }
    out->uid = text_of(p, payload, "uid");
    out->from_uid = out->kind == KF_CALCOM_CHANGE_RESCHEDULED
                        ? text_of(p, payload, "rescheduleUid") : NULL;
    out->start = time_of(payload, "startTime");
    out->end = time_of(payload, "endTime");
    return 1;
}

const char *kf_calendar_calcom_change_target(const kf_calcom_change *ch)
{
    switch (ch->kind) {
    case KF_CALCOM_CHANGE_CANCELLED:
        return ch->uid;
    case KF_CALCOM_CHANGE_RESCHEDULED:
        return ch->from_uid;
    default:
        return NULL;
    }
}

kf_cal_outside_facts kf_calendar_outside_facts_of(const char *const *row)
{
    kf_cal_outside_facts f = {kf_text_true(row[KF_CAL_OUTSIDE_COL_BOOKED]),
                              kf_text_true(row[KF_CAL_OUTSIDE_COL_IN_STEP]),
                              apr_atoi64(row[KF_CAL_OUTSIDE_COL_START])};
    return f;
}

kf_cal_outside_action kf_calendar_outside_action(const kf_calcom_change *ch,
                                                 const kf_cal_outside_facts *f)
{
    if (!f->booked || !f->in_step) {
        return KF_CAL_OUTSIDE_NOTHING;   /* over already, or a change of ours in flight */
    }
    if (ch->kind == KF_CALCOM_CHANGE_CANCELLED && ch->uid) {
        return KF_CAL_OUTSIDE_CANCEL;
    }
    if (ch->kind == KF_CALCOM_CHANGE_RESCHEDULED && ch->from_uid && ch->uid && ch->start > 0) {
        return ch->start != f->start ? KF_CAL_OUTSIDE_MOVE : KF_CAL_OUTSIDE_ADOPT;
    }
    return KF_CAL_OUTSIDE_NOTHING;
}

kf_cal_changed kf_calendar_event_changed(kf_cal_outcome o, apr_int64_t written_start,
                                         apr_int64_t written_end, apr_int64_t start,
                                         apr_int64_t end)
{
    if (o == KF_CAL_GONE) {
        return KF_CAL_CHANGED_DELETED;
    }
    if (o != KF_CAL_OK) {
        return KF_CAL_CHANGED_UNKNOWN;
    }
    return start == written_start && end == written_end ? KF_CAL_CHANGED_NONE
                                                        : KF_CAL_CHANGED_MOVED;
}

const char *kf_calendar_changed_name(kf_cal_changed c)
{
    return c == KF_CAL_CHANGED_DELETED ? "deleted" : c == KF_CAL_CHANGED_MOVED ? "moved" : NULL;
}

int kf_calendar_changed_news(const char *const *row, kf_cal_changed c, apr_int64_t start,
                             apr_int64_t end)
{
    const char *flag = row[KF_CAL_WATCH_FLAG];
    const char *now = kf_calendar_changed_name(c);
    if (c == KF_CAL_CHANGED_UNKNOWN) {
        return 0;
    }
    if (!flag || !now) {
        return (flag == NULL) != (now == NULL);
    }
    if (strcmp(flag, now) != 0) {
        return 1;
    }
    return c == KF_CAL_CHANGED_MOVED &&
           (!row[KF_CAL_WATCH_FLAG_START] || !row[KF_CAL_WATCH_FLAG_END] ||
            apr_atoi64(row[KF_CAL_WATCH_FLAG_START]) != start ||
            apr_atoi64(row[KF_CAL_WATCH_FLAG_END]) != end);
}

json_t *kf_calendar_changed_json(const char *const *row)
{
    if (!row || !row[KF_CAL_CHANGED_COL_KIND]) {
        return json_null();
    }
    json_t *o = json_pack("{s:s, s:s?}", "kind", row[KF_CAL_CHANGED_COL_KIND], "seen_at",
                          row[KF_CAL_CHANGED_COL_SEEN]);
    if (row[KF_CAL_CHANGED_COL_START] && row[KF_CAL_CHANGED_COL_END]) {
        json_object_set_new(o, "start", json_string(row[KF_CAL_CHANGED_COL_START]));
        json_object_set_new(o, "end", json_string(row[KF_CAL_CHANGED_COL_END]));
    }
    return o;
}

int kf_calendar_outside_polled(const kf_calendar_provider *prov)
{
    return prov->read_event && prov->notices == KF_CAL_NOTICES_NONE;
}
