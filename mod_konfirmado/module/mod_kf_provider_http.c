/* The provider APIs' HTTP client: see mod_kf_provider_http.h. */
#include "mod_kf_provider_http.h"
#include "mod_kf_config.h"

kf_http_client *kfm_provider_http(const kfm_ctx *c)
{
    const kfm_server_conf *conf = c->conf;
    kf_http_client *http = kf_http_curl_client_create(c->p);
    if (kfm_conf_allow_insecure_urls(conf) == 1) {
        const apr_array_header_t *urls = apr_table_elts(conf->provider_urls);
        const apr_table_entry_t *e = (const apr_table_entry_t *)urls->elts;
        for (int i = 0; i < urls->nelts; i++) {
            kf_http_allow_insecure_prefix(http, e[i].val);
        }
    }
    return http;
}
