#ifndef MOD_KF_ASSISTANT_CONF_H
#define MOD_KF_ASSISTANT_CONF_H
/* The booking assistant's directives: the optional language-model reader of the sentences
 * the built-in parser does not fully understand (off unless KonfirmadoAssistantLLM is set),
 * one X(T, field, "Directive", KIND, default, "help") each (mod_kf_config.h's generators). */
#include "mod_kf_config.h"

#define KFM_ASSISTANT_DIRECTIVES(X, T)                                                       \
    X(T, llm_url, "KonfirmadoAssistantLLM", URL, NULL,                                       \
      "URL of an OpenAI-compatible chat-completions endpoint asked about the sentences the " \
      "built-in parser does not fully understand; unset: the built-in parser alone")         \
    X(T, llm_key_file, "KonfirmadoAssistantLLMKeyFile", TEXT, NULL,                          \
      "file holding the endpoint's API key, sent as a Bearer token")                         \
    X(T, llm_model, "KonfirmadoAssistantLLMModel", TEXT, "gpt-4o-mini",                      \
      "the model named in each request")                                                     \
    X(T, llm_timeout, "KonfirmadoAssistantLLMTimeout", SECONDS, 5,                           \
      "seconds an answer is awaited; past them the built-in parser's intent is answered")    \
    X(T, llm_concurrency, "KonfirmadoAssistantLLMConcurrency", COUNT, 4,                     \
      "calls to the endpoint at once in the whole server (at most 256); a sentence that "    \
      "finds them all running gets the built-in parser's intent (main server only)")         \
    X(T, llm_per_minute, "KonfirmadoAssistantLLMPerMinute", COUNT, 60,                       \
      "calls to the endpoint per minute in the whole server; past them the built-in "        \
      "parser's intent is answered (main server only)")

KFM_CONF_DECLARE(kfm_assistant_conf, KFM_ASSISTANT_DIRECTIVES)

#endif
