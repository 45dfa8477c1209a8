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
