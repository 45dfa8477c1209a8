/* Shared by every fuzz target (tests/fuzz/run builds them with clang's libFuzzer, ASan and
 * UBSan): APR initialised once, a pool per input, the input as a NUL-terminated copy. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <stddef.h>
#include <stdint.h>

static apr_pool_t *fuzz_pool(void)
{
    static int ready = 0;
    if (!ready) {
        apr_initialize();
        ready = 1;
    }
    apr_pool_t *p = NULL;
    apr_pool_create(&p, NULL);
    return p;
}

/* The input as a C string (inputs with a NUL are cut there: what a header or URL holds). */
static const char *fuzz_text(apr_pool_t *p, const uint8_t *data, size_t size)
{
    return apr_pstrmemdup(p, (const char *)data, size);
}

/* A fake HTTP client for the targets that read providers' answers: every request gets
 * fuzz_answer (status and body), which the target sets from its input. */
#include "kf_http.h"

static struct {
    int status;
    const char *body;
    apr_size_t len;
} fuzz_answer = {200, "", 0};

static inline apr_status_t fuzz_perform(void *baton, apr_pool_t *p, const kf_http_request *req,
                                        kf_http_response **resp, const char **why)
{
    kf_http_response *r = apr_pcalloc(p, sizeof(*r));
    r->status = fuzz_answer.status;
    r->headers = apr_table_make(p, 1);
    r->body = fuzz_answer.body;
    r->body_len = fuzz_answer.len;
    *resp = r;
    return APR_SUCCESS;
}

static const kf_http_impl fuzz_http __attribute__((unused)) = {"fuzz", fuzz_perform};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
