/* The language model's share of a server: see kf_assistant_gate.h. */
#include "kf_assistant_gate.h"
#include "kf_rl_table.h"

#include <apr_atomic.h>

/* The minute's window as a kf_rl_table of one place, under a key of its own. */
#define MINUTE_KEY "assistant-llm"
#define MINUTE_SECONDS 60

/* Whether a place stamped `stamp` is free for a call at `now`: empty, or held longer than
 * any call lasts (also when the clock went back that far). */
static int free_at(apr_uint64_t stamp, apr_int64_t now, apr_int64_t held_max)
{
    apr_int64_t age = now - (apr_int64_t)stamp;
    return stamp == 0 || age > held_max || age < -held_max;
}

/* A place for a call at `now` among the first `n`: its index, or -1 when all are held. */
static int take_place(kf_assistant_gate *gate, int n, apr_int64_t now, apr_int64_t held_max)
{
    for (int i = 0; i < n; i++) {
        apr_uint64_t old = apr_atomic_read64(&gate->place[i]);
        if (free_at(old, now, held_max) &&
            apr_atomic_cas64(&gate->place[i], (apr_uint64_t)now, old) == old) {
            return i;
        }
    }
    return -1;
}

kf_assistant_gate_answer kf_assistant_gate_enter(kf_assistant_gate *gate,
                                                 const kf_assistant_gate_limits *limits,
                                                 apr_int64_t now, int *place)
{
    int n = limits->concurrency < KF_ASSISTANT_GATE_PLACES ? limits->concurrency
                                                           : KF_ASSISTANT_GATE_PLACES;
    *place = -1;
    if (now <= 0 || n <= 0) {
        return KF_GATE_BUSY;
    }
    int at = take_place(gate, n, now, limits->held_max);
    if (at < 0) {
        return KF_GATE_BUSY;
    }
    /* the place first: a busy gate spends nothing of the minute */
    kf_rl_rule minute = {(unsigned int)(limits->per_minute > 0 ? limits->per_minute : 0),
                         MINUTE_SECONDS};
    apr_int64_t wait = 0;
    /* one place: any key lands on it, so no secret is needed to spread keys */
    static const unsigned char one_place[KF_SIPHASH_KEY_LEN];
    kf_rl_table window;
    kf_rl_table_attach(&window, &gate->minute, 1, one_place);
    if (!kf_rl_table_take(&window, MINUTE_KEY, &minute, now, &wait) || wait > 0) {
        kf_assistant_gate_leave(gate, at, now);
        return KF_GATE_SPENT;
    }
    *place = at;
    return KF_GATE_ENTERED;
}

void kf_assistant_gate_leave(kf_assistant_gate *gate, int place, apr_int64_t started)
{
    if (place >= 0 && place < KF_ASSISTANT_GATE_PLACES) {
        apr_atomic_cas64(&gate->place[place], 0, (apr_uint64_t)started);
    }
}
