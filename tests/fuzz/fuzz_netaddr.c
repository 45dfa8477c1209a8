/* The outbound rule: address texts in every spelling, CIDR ranges, URL hosts; the network a
 * client is counted as by the attempt limits. */
#include "fuzz_common.h"
#include "kf_netaddr.h"
#include "kf_ratelimit.h"
#include "kf_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *text = fuzz_text(p, data, size);
    kf_ipaddr a;
    if (kf_ipaddr_parse(text, &a)) {
        kf_ipaddr_is_internal(&a);
    }
    kf_cidr c;
    apr_array_header_t *allow = apr_array_make(p, 1, sizeof(kf_cidr));
    if (!kf_cidr_parse(text, &c)) {
        APR_ARRAY_PUSH(allow, kf_cidr) = c;
    }
    kf_outbound_host_ok(allow, text);
    kf_rl_client_network(p, text, 64);
    kf_rl_client_network(p, text, (int)(size % 130));
    kf_url_check(p, text, KF_URL_ALLOW_HTTP);
    const char *host = kf_url_host(p, text);
    if (host) {
        kf_outbound_host_ok(NULL, host);
    }
    apr_pool_destroy(p);
    return 0;
}
