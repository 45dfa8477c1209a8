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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
