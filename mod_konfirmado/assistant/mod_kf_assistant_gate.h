#ifndef MOD_KF_ASSISTANT_GATE_H
#define MOD_KF_ASSISTANT_GATE_H
/* The language model's share of this server (kf_assistant_gate.h): one gate in anonymous
 * shared memory made before the children fork, so every child and thread counts the same
 * calls, with the main server's KonfirmadoAssistantLLMConcurrency and
 * KonfirmadoAssistantLLMPerMinute. */
#include "mod_kf_request.h"

/* post_config: the gate, empty, and its limits read; !OK after logging when no shared memory
 * can be had. */
int kfm_assistant_gate_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                   server_rec *s);

/* A call to the model about to start at `now`: 1 with *place held (give it back with
 * kfm_assistant_gate_leave), or 0, logged, when the server's limits refuse it; never waits. */
int kfm_assistant_gate_enter(kfm_req *kr, apr_int64_t now, int *place);

/* The call that entered at `started` is over. */
void kfm_assistant_gate_leave(int place, apr_int64_t started);

#endif
