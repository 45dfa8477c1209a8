#include "httpd.h"
#include "http_config.h"

static void kf_register_hooks(apr_pool_t *p) { (void)p; }

AP_DECLARE_MODULE(konfirmado) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, kf_register_hooks, AP_MODULE_FLAG_NONE
};
