#ifndef KF_ASSISTANT_REQUEST_H
#define KF_ASSISTANT_REQUEST_H
/* What a question to the booking assistant sends (API.md "Booking assistant"): the text
 * (1 to 500 characters, not blank), the customer's zone and a follow-up's context, each
 * checked with its field's message; and the page's funnel event. */
#include "kf_fields.h"

#define KF_ASSISTANT_TEXT_MAX 500

typedef struct kf_assistant_request {
    const char *text;
    const char *tz;        /* NULL: the context's or the tenant's zone */
    const char *context;   /* NULL: a new conversation */
} kf_assistant_request;

void kf_assistant_request_read(kf_fields *f, const json_t *body, kf_assistant_request *q);

/* The funnel event a page reports: "opened" or "slot_picked" as the funnel's name
 * (assistant_opened, assistant_slot_picked); NULL with a field error otherwise. */
const char *kf_assistant_event_read(kf_fields *f, const json_t *body);

#endif
