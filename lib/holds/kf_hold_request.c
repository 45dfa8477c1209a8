/* Holding a slot. See kf_hold_request.h. */
#include "kf_hold_request.h"
#include "kf_catalog_rules.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

void kf_hold_request_read(kf_fields *f, const json_t *body, kf_hold_request *h)
{
    static const char *const names[] = {"link", "service", "professional", "start"};
    memset(h, 0, sizeof(*h));
    const char **out[] = {&h->link, &h->service, &h->professional, &h->start_text};
    for (int i = 0; i < 4; i++) {
        kf_json_field got = kf_json_get_string(body, names[i], out[i]);
        if (got == KF_JSON_FIELD_ABSENT || got == KF_JSON_FIELD_NULL) {
            kf_fields_fail(f, names[i], "field_required");
        }
        else if (got == KF_JSON_FIELD_WRONG_TYPE) {
            kf_fields_fail(f, names[i], "field_wrong_type");
        }
    }
    if (h->start_text && kf_time_parse_rfc3339(h->start_text, &h->start) == KF_TIME_INVALID) {
        kf_fields_fail(f, "start", "start_invalid");
    }
    apr_int64_t count = 0;
    kf_field_string(f, body, "repeat", "repeat", KF_FIELD_NULLABLE, 1, 20, &h->repeat);
    if (kf_field_int(f, body, "count", "count", KF_FIELD_NULLABLE, 1, 99, &count) ==
        KF_FIELD_VALUE) {
        h->count = apr_psprintf(f->pool, "%d", (int)count);
    }
}

const char *kf_hold_request_refusal(kf_hold_request *h)
{
    if (!kf_link_slug_ok(h->link)) {
        return "link_not_found";
    }
    if (!kf_is_uuid(h->service)) {
        return "service_not_found";
    }
    h->any = strcmp(h->professional, "any") == 0;
    if (!h->any && !kf_is_uuid(h->professional)) {
        return "professional_not_found";
    }
    if (kf_time_parse_rfc3339(h->start_text, &h->start) != KF_TIME_OK) {
        return "slot_unavailable";
    }
    return NULL;
}

json_t *kf_hold_reply(const char *id, const char *token, const char *professional,
                      const char *start, const char *end, const char *expires_at)
{
    return json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s}}", "hold", "id", id, "token", token,
                     "professional", professional, "start", start, "end", end,
                     "expires_at", expires_at);
}

json_t *kf_hold_series_reply(json_t *reply, const char *const *starts, const char *const *ends,
                             int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(list, json_pack("{s:s, s:s}", "start", starts[i], "end", ends[i]));
    }
    json_object_set_new(json_object_get(reply, "hold"), "occurrences", list);
    return reply;
}

void kf_hold_insert_args(apr_pool_t *p, const kf_slot_params *sp, const kf_slot *slot,
                         const char *token_hash, int ttl, const char *client_network, int funnel,
                         const char *visit, const char **args)
{
    apr_int64_t block_start, block_end;
    kf_slot_blocked(sp, slot->start, slot->end, &block_start, &block_end);
    args[4] = apr_psprintf(p, "%" APR_INT64_T_FMT, slot->start);
    args[5] = apr_psprintf(p, "%" APR_INT64_T_FMT, slot->end);
    args[6] = apr_psprintf(p, "%" APR_INT64_T_FMT, block_start);
    args[7] = apr_psprintf(p, "%" APR_INT64_T_FMT, block_end);
    args[8] = token_hash;
    args[9] = apr_itoa(p, ttl);
    args[10] = client_network;
    args[11] = funnel ? visit : NULL;
    args[12] = funnel ? "t" : "f";
}
