/* Moving a booking to another time. See kf_reschedule.h. */
#include "kf_reschedule.h"
#include "kf_series_slots.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"

#include <stdlib.h>
#include <string.h>

const char *kf_reschedule_hold_hash(apr_pool_t *p, kf_fields *f, const json_t *body)
{
    const char *token = NULL;
    if (kf_json_get_string(body, "hold_token", &token) != KF_JSON_FIELD_OK ||
        !kf_token_shape_ok(token)) {
        kf_fields_fail(f, "hold_token", "hold_token_invalid");
        return NULL;
    }
    return kf_sha256_hex(p, token, strlen(token));
}

/* Instant t on the wall clock of `zone` (NULL: UTC), and back. */
static apr_int64_t wall_of(const kf_zone *zone, apr_int64_t t)
{
    return t + (zone ? kf_zone_offset(zone, t) : 0);
}

static apr_int64_t instant_of(const kf_zone *zone, apr_int64_t wall)
{
    return zone ? kf_zone_instant(zone, wall) : wall;
}

void kf_reschedule_rest_starts(const kf_zone *zone, kf_series_every every, apr_int64_t from,
                               apr_int64_t to, int index, const int *indexes,
                               const apr_int64_t *olds, int n, apr_int64_t *out)
{
    apr_int64_t starts[KF_SERIES_COUNT_MAX];
    apr_int64_t shift = wall_of(zone, to) - wall_of(zone, from);
    for (int i = 0; i < n; i++) {
        int later = indexes[i] - index;
        if (every == KF_SERIES_NONE || later < 0 || later >= KF_SERIES_COUNT_MAX) {
            out[i] = instant_of(zone, wall_of(zone, olds[i]) + shift);
            continue;
        }
        kf_series_starts(zone, every, to, later + 1, starts);
        out[i] = starts[later];
    }
}

void kf_reschedule_merchant_read(kf_fields *f, const json_t *body, apr_int64_t *start,
                                 const char **professional)
{
    const char *start_text = NULL;
    kf_json_field got = kf_json_get_string(body, "start", &start_text);
    if (got == KF_JSON_FIELD_ABSENT || got == KF_JSON_FIELD_NULL) {
        kf_fields_fail(f, "start", "field_required");
    }
    else if (got == KF_JSON_FIELD_WRONG_TYPE) {
        kf_fields_fail(f, "start", "field_wrong_type");
    }
    else if (kf_time_parse_rfc3339(start_text, start) == KF_TIME_INVALID) {
        kf_fields_fail(f, "start", "start_invalid");
    }
    *professional = NULL;
    got = kf_json_get_string(body, "professional", professional);
    if (got == KF_JSON_FIELD_WRONG_TYPE) {
        kf_fields_fail(f, "professional", "field_wrong_type");
    }
    else if (got == KF_JSON_FIELD_OK && !kf_is_uuid(*professional)) {
        kf_fields_fail(f, "professional", "professional_id_invalid");
    }
    else if (got != KF_JSON_FIELD_OK) {
        *professional = NULL;
    }
}

int kf_reschedule_hold_fits(const char *const *hold, const char *service, const char *tenant)
{
    return hold && kf_text_true(hold[KF_RESCHED_HOLD_COL_LIVE]) && service && tenant &&
           strcmp(hold[KF_RESCHED_HOLD_COL_SERVICE], service) == 0 &&
           strcmp(hold[KF_RESCHED_HOLD_COL_TENANT], tenant) == 0;
}

kf_res_facts kf_reschedule_facts(const char *const *booking, const char *const *hold,
                                 int by_merchant)
{
    kf_res_facts facts = {0};
    facts.before_cutoff = kf_text_true(booking[KF_RESCHED_COL_BEFORE_CUTOFF]);
    facts.reschedules_left = atoi(booking[KF_RESCHED_COL_LEFT]);
    facts.by_merchant = by_merchant;
    facts.slot_free = kf_reschedule_hold_fits(hold, booking[KF_RESCHED_COL_SERVICE],
                                              booking[KF_RESCHED_COL_TENANT]);
    return facts;
}

const char *kf_reschedule_merchant_refusal(const char *status)
{
    kf_res_facts facts = {0};
    facts.by_merchant = 1;
    facts.slot_free = 1;
    return kf_change_next(status, KF_RES_RESCHEDULE, &facts).refused;
}

json_t *kf_reschedule_reply(const char *const *booking, const char *const *moved)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", booking[KF_RESCHED_COL_ID],
                          "status", booking[KF_RESCHED_COL_STATUS],
                          "start", moved[KF_RESCHED_MOVED_COL_START],
                          "end", moved[KF_RESCHED_MOVED_COL_END],
                          "professional", moved[KF_RESCHED_MOVED_COL_PROFESSIONAL]);
    return json_pack("{s:o}", "booking", b);
}

json_t *kf_reschedule_audit_changes(const char *const *moved, int by_merchant)
{
    return json_pack("{s:s, s:s, s:s}", "start", moved[KF_RESCHED_MOVED_COL_START],
                     "professional_id", moved[KF_RESCHED_MOVED_COL_PROFESSIONAL],
                     "by", by_merchant ? "merchant" : "customer");
}
