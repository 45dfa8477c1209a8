/* A question to the booking assistant, checked: see kf_assistant_request.h. */
#include "kf_assistant_request.h"
#include "kf_assistant_answer.h"
#include "kf_zone.h"

#include <string.h>

static int blank(const char *s)
{
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            return 0;
        }
    }
    return 1;
}

void kf_assistant_request_read(kf_fields *f, const json_t *body, kf_assistant_request *q)
{
    memset(q, 0, sizeof(*q));
    if (kf_field_string(f, body, "text", "text", KF_FIELD_REQUIRED, 1, KF_ASSISTANT_TEXT_MAX,
                        &q->text) == KF_FIELD_VALUE && blank(q->text)) {
        kf_fields_fail(f, "text", "assistant_text_blank");
    }
    if (kf_field_string(f, body, "tz", "tz", KF_FIELD_NULLABLE, 1, 64, &q->tz) == KF_FIELD_VALUE &&
        !kf_zone_name_ok(q->tz)) {
        kf_fields_fail(f, "tz", "tenant_timezone");
    }
    if (kf_field_string(f, body, "context", "context", KF_FIELD_NULLABLE, 1,
                        KF_ASSISTANT_CONTEXT_MAX, &q->context) == KF_FIELD_BAD) {
        q->context = NULL;
    }
}

const char *kf_assistant_event_read(kf_fields *f, const json_t *body)
{
    const char *event = NULL;
    if (kf_field_string(f, body, "event", "event", KF_FIELD_REQUIRED, 1, 32, &event) != KF_FIELD_VALUE) {
        return NULL;
    }
    if (!strcmp(event, "opened")) {
        return "assistant_opened";
    }
    if (!strcmp(event, "slot_picked")) {
        return "assistant_slot_picked";
    }
    kf_fields_fail(f, "event", "assistant_event_invalid");
    return NULL;
}

int kf_assistant_request_context(apr_pool_t *p, kf_fields *f, const kf_assistant_request *q,
                                 kf_assistant_zone_fn zone_fn, void *baton, kf_intent *before,
                                 kf_assistant_offer *offers, int *noffers)
{
    int has_before = 0;
    if (q->context && !(has_before = kf_assistant_context_decode(p, q->context, before, offers,
                                                                 noffers) &&
                                     zone_fn(baton, before->timezone))) {
        kf_fields_fail(f, "context", "assistant_context_invalid");
    }
    if (q->tz && kf_fields_ok(f) && !zone_fn(baton, q->tz)) {
        kf_fields_fail(f, "tz", "tenant_timezone");
    }
    return has_before;
}

void kf_assistant_request_settle(const kf_assistant_request *q, const kf_intent *before,
                                 kf_assistant_zone_fn zone_fn, void *baton, kf_intent *in)
{
    if (before) {
        kf_assistant_merge(before, in);
        if (q->tz && !(in->named & KF_INTENT_ZONE)) {
            in->timezone = q->tz;
        }
    }
    if (!zone_fn(baton, in->timezone)) {
        in->timezone = "UTC";
    }
}
