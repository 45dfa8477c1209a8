#ifndef KF_ASSISTANT_LLM_H
#define KF_ASSISTANT_LLM_H
/* The optional second reader of a sentence the built-in parser did not fully understand:
 * an OpenAI-compatible chat-completions endpoint (POST {model, messages, response_format:
 * json_schema}) asked for the same intent. It is sent the sentence with emails, phone
 * numbers and the customer's name masked (kf_assistant_mask), today's date and weekday, and
 * the link's service and professional names (the merchant's catalog): nothing about the
 * customer. Its answer is checked like any
 * input: a field that does not fit (a date outside the next 62 days, a name not in the
 * catalog, a time that is no HH:MM) is dropped, never trusted. */
#include <apr_pools.h>
#include "kf_assistant_intent.h"
#include "kf_http.h"

/* What the endpoint may say, each field optional (absent or null: it did not say). */
typedef struct kf_assistant_llm {
    const char *service, *professional;   /* ids of the catalog, or "any" */
    apr_int64_t from, to;                 /* -1: not said */
    kf_part_of_day part;
    int earliest, latest;                 /* -1: not said */
} kf_assistant_llm;

/* The request body for `text` asked on local date `today` with `model`. */
const char *kf_assistant_llm_body(apr_pool_t *p, const char *model, const char *text,
                                  apr_int64_t today, const kf_assistant_catalog *catalog);

/* The endpoint's API key: the first line of the key file at `path` (read when asked, so a
 * rotated key is used at once), or NULL (no path, a file that cannot be read, is empty, or
 * holds 4096 bytes or more, or an empty first line). */
const char *kf_assistant_llm_key(apr_pool_t *p, const char *path);

/* The question to the endpoint at `url`: the body of kf_assistant_llm_body POSTed as JSON,
 * the key (when not NULL) as Bearer, the answer awaited at most timeout_s seconds and at
 * most 64 KiB long. */
kf_http_request *kf_assistant_llm_request(apr_pool_t *p, const char *url, const char *model,
                                          const char *key, const char *text, apr_int64_t today,
                                          const kf_assistant_catalog *catalog,
                                          apr_int64_t timeout_s);

/* Reads the endpoint's answer (the chat completion's JSON) into *out: 1 when it had a
 * message whose content is an intent object (its bad fields dropped), else 0. */
int kf_assistant_llm_read(apr_pool_t *p, const char *body, apr_size_t len, apr_int64_t today,
                          const kf_assistant_catalog *catalog, kf_assistant_llm *out);

/* Fills in what the parser did not name from what the endpoint said; when that gave
 * something, the words the parser did not understand are considered understood. */
void kf_assistant_llm_apply(const kf_assistant_llm *llm, const kf_assistant_catalog *catalog,
                            kf_intent *in);

#endif
