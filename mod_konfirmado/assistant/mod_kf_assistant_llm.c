/* The optional language-model reader of the booking assistant: see mod_kf_assistant_llm.h
 * and lib/assistant/kf_assistant_llm.h (what is sent and how the answer is checked). */
#include "mod_kf_assistant_llm.h"
#include "mod_kf_assistant_conf.h"
#include "mod_kf_assistant_gate.h"
#include "mod_kf_provider_http.h"
#include "kf_assistant_llm.h"

int kfm_assistant_llm_on(kfm_req *kr)
{
    return kfm_assistant_conf_llm_url(kfm_assistant_conf_of(kr->r->server)) != NULL;
}

void kfm_assistant_llm_ask(kfm_req *kr, const char *text, apr_int64_t today,
                           const kf_assistant_catalog *catalog, kf_intent *in)
{
    const kfm_assistant_conf *conf = kfm_assistant_conf_of(kr->r->server);
    const char *url = kfm_assistant_conf_llm_url(conf);
    apr_int64_t started = apr_time_sec(apr_time_now());
    int place = -1;
    if (!url || !kfm_assistant_gate_enter(kr, started, &place)) {
        return;
    }
    const char *key = kf_assistant_llm_key(kr->r->pool, kfm_assistant_conf_llm_key_file(conf));
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kf_http_client *http = kfm_provider_http(&c);
    if (kfm_conf_allow_insecure_urls(c.conf) == 1) {
        kf_http_allow_insecure_prefix(http, url);   /* tests point it at tests/fakes */
    }
    kf_http_request *req = kf_assistant_llm_request(kr->r->pool, url,
                                                    kfm_assistant_conf_llm_model(conf), key, text,
                                                    today, catalog,
                                                    kfm_assistant_conf_llm_timeout(conf));
    kf_http_response *resp = NULL;
    const char *why = NULL;
    apr_status_t rv = kf_http_perform(http, kr->r->pool, req, &resp, &why);
    kfm_assistant_gate_leave(place, started);
    if (rv != APR_SUCCESS) {
        kfm_log(kr, APLOG_WARNING, "assistant language model not reached (%s): the built-in "
                "parser's intent is answered", why ? why : "?");
        return;
    }
    kf_assistant_llm llm;
    if (resp->status != 200 ||
        !kf_assistant_llm_read(kr->r->pool, resp->body, resp->body_len, today, catalog, &llm)) {
        kfm_log(kr, APLOG_WARNING, "assistant language model answered %d without an intent: the "
                "built-in parser's intent is answered", resp->status);
        return;
    }
    kf_assistant_llm_apply(&llm, catalog, in);
}
