#ifndef KF_ASSISTANT_GATE_H
#define KF_ASSISTANT_GATE_H
/* The language model's share of a server (KonfirmadoAssistantLLMConcurrency,
 * KonfirmadoAssistantLLMPerMinute): at most so many calls at once and so many in a minute,
 * counted in memory every child of the server shares, without a lock (compare-and-swap on
 * 64-bit words, as kf_rl_table). Nobody waits at the gate: a call it refuses is not made and
 * the built-in parser's answer stands. Zeroed memory is an open gate with nothing counted.
 *
 * A call holds one place while it runs, stamped with the second it started; a stamp older
 * than `held_max` (longer than any call may last) is a call whose process died, and its place
 * is free again. The minute is a fixed window that starts at its first call (kf_ratelimit.h),
 * kept in one place of a kf_rl_table. */
#include <apr.h>

/* The most calls at once a gate counts. */
#define KF_ASSISTANT_GATE_PLACES 256

typedef struct kf_assistant_gate {
    volatile apr_uint64_t place[KF_ASSISTANT_GATE_PLACES];   /* a call's start; 0: free */
    volatile apr_uint64_t minute;                            /* the minute's window */
} kf_assistant_gate;

typedef struct kf_assistant_gate_limits {
    int concurrency;          /* calls at once, 1..KF_ASSISTANT_GATE_PLACES */
    int per_minute;           /* calls per minute's window, 1..KF_DIRECTIVE_COUNT_MAX */
    apr_int64_t held_max;     /* seconds after which a held place is deemed abandoned */
} kf_assistant_gate_limits;

typedef enum kf_assistant_gate_answer {
    KF_GATE_ENTERED = 0,      /* the call may be made: leave with the place given */
    KF_GATE_BUSY,             /* `concurrency` calls are running: nothing counted */
    KF_GATE_SPENT             /* the minute's calls are made: nothing counted */
} kf_assistant_gate_answer;

/* A call asking to start at `now` (unix seconds, > 0): KF_GATE_ENTERED with *place, the
 * place it holds until kf_assistant_gate_leave; a refused call counts in neither limit. */
kf_assistant_gate_answer kf_assistant_gate_enter(kf_assistant_gate *gate,
                                                 const kf_assistant_gate_limits *limits,
                                                 apr_int64_t now, int *place);

/* The call that entered at `started` into `place` is over: the place is free (unless it was
 * deemed abandoned and taken since, then it is left to its new call). */
void kf_assistant_gate_leave(kf_assistant_gate *gate, int place, apr_int64_t started);

#endif
