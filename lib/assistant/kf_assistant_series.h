#ifndef KF_ASSISTANT_SERIES_H
#define KF_ASSISTANT_SERIES_H
/* A series the customer asks the assistant for (the intent's repeat and count, read by
 * kf_rule_series) judged by the service's series rule exactly as availability judges its
 * `repeat`/`count` (kf_series_asked), and how far availability is read for it. */
#include "kf_assistant_intent.h"

typedef enum {
    KF_ASSISTANT_SERIES_NONE = 0,  /* no series asked */
    KF_ASSISTANT_SERIES_OK,        /* the series the rule allows: its starts are offered */
    KF_ASSISTANT_SERIES_SINGLE,    /* the service has no series: single sessions instead */
    KF_ASSISTANT_SERIES_OUTSIDE    /* outside the rule (count, frequency, no count said):
                                      nothing is offered, the reply tells the rule */
} kf_assistant_series_verdict;

/* The verdict on in's series for a service of `rule`; with OK, the series to read (*every,
 * *count), else KF_SERIES_NONE and 1. A count alone asks for the service's own frequency. */
kf_assistant_series_verdict kf_assistant_series_judge(apr_pool_t *p, const kf_intent *in,
                                                      const kf_series_rule *rule,
                                                      kf_series_every *every, int *count);

/* The days past the asked ones that availability reads for in's series (0: none asked),
 * as the availability endpoint reads them (kf_series_span_days, the count bounded). */
int kf_assistant_series_reach(const kf_intent *in);

#endif
