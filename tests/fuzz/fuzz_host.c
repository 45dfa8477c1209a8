/* Host headers -> tenants, and the custom domains tenants save. */
#include "fuzz_common.h"
#include "kf_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *text = fuzz_text(p, data, size);
    const char *name = NULL;
    kf_host_classify(p, text, "konfirmado.example", &name);
    kf_host_classify(p, text, "Example.COM.", &name);
    if (!kf_custom_domain_check(text, "konfirmado.example")) {
        kf_host_name_normalize(p, text);
    }
    apr_pool_destroy(p);
    return 0;
}
