/* The booking assistant's directives: their unset values, merge rule and startup check. */
#include "mod_kf_assistant_conf.h"
#include "kf_assistant_gate.h"

#include <http_main.h> /* ap_server_conf: the main server, whose limits count */

/* The language model's limits count the calls of the whole server (kf_assistant_gate.h):
 * its places bound the calls at once, and a virtual host cannot have limits of its own. */
static int check_llm_limits(server_rec *s, const void *conf, apr_pool_t *ptemp)
{
    int at_once = kfm_assistant_conf_llm_concurrency(conf);
    if (at_once > KF_ASSISTANT_GATE_PLACES) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: "
                     "KonfirmadoAssistantLLMConcurrency must be at most %d, not %d",
                     KF_ASSISTANT_GATE_PLACES, at_once);
        return !OK;
    }
    const kfm_assistant_conf *main_conf = ap_server_conf && s != ap_server_conf
                                          ? kfm_assistant_conf_of(ap_server_conf) : NULL;
    if (main_conf && (at_once != kfm_assistant_conf_llm_concurrency(main_conf) ||
                      kfm_assistant_conf_llm_per_minute(conf) !=
                          kfm_assistant_conf_llm_per_minute(main_conf))) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "mod_konfirmado: "
                     "KonfirmadoAssistantLLMConcurrency and KonfirmadoAssistantLLMPerMinute "
                     "count the whole server's calls: set them in the main server config, not "
                     "in the virtual host %s", s->server_hostname ? s->server_hostname : "");
        return !OK;
    }
    return OK;
}

KFM_CONF_DEFINE(kfm_assistant_conf, KFM_ASSISTANT_DIRECTIVES, "assistant", check_llm_limits);
