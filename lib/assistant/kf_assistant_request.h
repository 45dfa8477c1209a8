#ifndef KF_ASSISTANT_REQUEST_H
#define KF_ASSISTANT_REQUEST_H
/* What a question to the booking assistant sends (API.md "Booking assistant"): the text
 * (1 to 500 characters, not blank), the customer's zone and a follow-up's context, each
 * checked with its field's message; and the page's funnel event. */
#include "kf_fields.h"
#include "kf_assistant_answer.h"

#define KF_ASSISTANT_TEXT_MAX 500

typedef struct kf_assistant_request {
    const char *text;
    const char *tz;        /* NULL: the context's or the tenant's zone */
    const char *context;   /* NULL: a new conversation */
} kf_assistant_request;

void kf_assistant_request_read(kf_fields *f, const json_t *body, kf_assistant_request *q);

/* The question's follow-up and zone, once its body is read: a context this server wrote
 * whose zone loads (zone_fn) is read back into *before, with the times it offered (offers,
 * *noffers): 1. A context that is not one is the field error "assistant_context_invalid"
 * (0), then a tz that does not load "tenant_timezone"; no context: 0. */
int kf_assistant_request_context(apr_pool_t *p, kf_fields *f, const kf_assistant_request *q,
                                 kf_assistant_zone_fn zone_fn, void *baton, kf_intent *before,
                                 kf_assistant_offer *offers, int *noffers);

/* The question's intent once its sentence is parsed into *in: a follow-up's read over the
 * intent `before` (NULL: none), in the question's tz unless the sentence named a zone; a
 * zone that does not load is replaced by UTC (a tenant's zone this system does not know:
 * still an answer). */
void kf_assistant_request_settle(const kf_assistant_request *q, const kf_intent *before,
                                 kf_assistant_zone_fn zone_fn, void *baton, kf_intent *in);

/* The funnel event a page reports: "opened" or "slot_picked" as the funnel's name
 * (assistant_opened, assistant_slot_picked); NULL with a field error otherwise. */
const char *kf_assistant_event_read(kf_fields *f, const json_t *body);

#endif
