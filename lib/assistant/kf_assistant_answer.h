#ifndef KF_ASSISTANT_ANSWER_H
#define KF_ASSISTANT_ANSWER_H
/* The booking assistant's answer (API.md "Booking assistant"): the intent, the slots in the
 * customer's zone (and the professional's when it differs), one sentence in the request's
 * language, and the context a follow-up sends back; and that context read again, checked
 * like any input since it comes back from the client. */
#include <jansson.h>
#include "kf_assistant_slots.h"
#include "kf_assistant_series.h"

#define KF_ASSISTANT_CONTEXT_MAX 4096

/* What the answer shows of the slots' professionals, by the engine's index. */
typedef struct kf_assistant_view {
    const kf_assistant_catalog *catalog;
    const kf_zone *customer;               /* the intent's zone */
    const char *const *prof_ids;
    const char *const *prof_zone_names;    /* NULL entries: not known */
    const kf_zone *const *prof_zones;
    /* the service's series rule and the verdict on the series asked (kf_assistant_series.h);
     * with OK, the slots are the series' first starts, every / count of them */
    const kf_series_rule *series_rule;     /* NULL: none */
    kf_assistant_series_verdict series;
    kf_series_every every;
    int count;
    int seated;                            /* a group class: the slots' places left are shown */
} kf_assistant_view;

/* The answer's JSON (a new reference) for `context` (what kf_assistant_context_encode gave). */
json_t *kf_assistant_answer(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                            const kf_assistant_view *v, const char *context);

/* The one sentence of the answer, in the intent's language. */
const char *kf_assistant_reply(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                               const kf_assistant_view *v);

/* The context of a follow-up: the intent and the times just offered. */
const char *kf_assistant_context_encode(apr_pool_t *p, const kf_intent *in,
                                        const kf_assistant_choice *ch, const kf_assistant_view *v);

/* Reads a context back into *in (its parts, ready for kf_assistant_merge) and the times
 * offered (at most KF_ASSISTANT_MAX_SLOTS, *noffers). 0 when it is not one this server
 * writes: wrong encoding, shape, types or ranges. */
int kf_assistant_context_decode(apr_pool_t *p, const char *text, kf_intent *in,
                                kf_assistant_offer *offers, int *noffers);

#endif
