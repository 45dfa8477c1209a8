/* The language model's share of this server: see mod_kf_assistant_gate.h. */
#include "mod_kf_assistant_gate.h"
#include "mod_kf_assistant_conf.h"
#include "kf_assistant_gate.h"

#include <apr_shm.h>

/* Longer than any call may last past its timeout (name resolution, the key file): a place
 * held longer is a call whose process died. */
#define HELD_PAST_TIMEOUT 60

/* Set once in post_config, before the children exist, and only read afterwards; the gate
 * itself is changed by compare-and-swap only. */
static kf_assistant_gate *gate;
static kf_assistant_gate_limits limits;

int kfm_assistant_gate_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                   server_rec *s)
{
    apr_shm_t *shm = NULL;
    /* anonymous: inherited by every child, gone with this generation's configuration */
    apr_status_t rv = apr_shm_create(&shm, sizeof(kf_assistant_gate), NULL, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s, "mod_konfirmado: cannot create the shared "
                     "counts of the assistant's language model");
        return !OK;
    }
    gate = apr_shm_baseaddr_get(shm);
    memset(gate, 0, sizeof(*gate));
    const kfm_assistant_conf *conf = kfm_assistant_conf_of(s);
    limits.concurrency = kfm_assistant_conf_llm_concurrency(conf);
    limits.per_minute = kfm_assistant_conf_llm_per_minute(conf);
    /* the longest wait of any virtual host's calls */
    limits.held_max = 0;
    for (server_rec *v = s; v; v = v->next) {
        apr_int64_t timeout = kfm_assistant_conf_llm_timeout(kfm_assistant_conf_of(v));
        if (timeout > limits.held_max) {
            limits.held_max = timeout;
        }
    }
    limits.held_max += HELD_PAST_TIMEOUT;
    return OK;
}

int kfm_assistant_gate_enter(kfm_req *kr, apr_int64_t now, int *place)
{
    kf_assistant_gate_answer a = gate ? kf_assistant_gate_enter(gate, &limits, now, place)
                                      : KF_GATE_BUSY;
    if (a == KF_GATE_BUSY) {
        kfm_log(kr, APLOG_INFO, "assistant language model not asked: %d calls are running "
                "(KonfirmadoAssistantLLMConcurrency); the built-in parser's intent is answered",
                limits.concurrency);
    }
    else if (a == KF_GATE_SPENT) {
        kfm_log(kr, APLOG_INFO, "assistant language model not asked: %d calls were made this "
                "minute (KonfirmadoAssistantLLMPerMinute); the built-in parser's intent is "
                "answered", limits.per_minute);
    }
    return a == KF_GATE_ENTERED;
}

void kfm_assistant_gate_leave(int place, apr_int64_t started)
{
    if (gate) {
        kf_assistant_gate_leave(gate, place, started);
    }
}
