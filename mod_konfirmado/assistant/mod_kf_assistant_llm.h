#ifndef MOD_KF_ASSISTANT_LLM_H
#define MOD_KF_ASSISTANT_LLM_H
/* The optional language-model reader (KonfirmadoAssistantLLM): asked through the provider
 * HTTP client (its URL policy and timeouts) while the request holds no database connection. */
#include "mod_kf_request.h"
#include "kf_assistant_intent.h"

/* Whether the server has an endpoint configured. */
int kfm_assistant_llm_on(kfm_req *kr);

/* Asks the endpoint about `text` (local date `today`) and fills in what the parser left
 * unnamed in *in; any failure is logged and leaves *in as it was, and so does a call the
 * server's limits refuse (mod_kf_assistant_gate.h): it is not made, nobody waits. */
void kfm_assistant_llm_ask(kfm_req *kr, const char *text, apr_int64_t today,
                           const kf_assistant_catalog *catalog, kf_intent *in);

#endif
