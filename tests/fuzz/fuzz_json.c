/* JSON bodies: the parser with its limits and the typed readers every handler uses. */
#include "fuzz_common.h"
#include "kf_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    kf_json_error err;
    json_t *doc = kf_json_parse_object(p, (const char *)data, size, &err);
    if (doc) {
        const char *s = NULL;
        json_int_t i = 0;
        int b = 0;
        json_t *o = NULL;
        kf_json_get_string(doc, "email", &s);
        kf_json_get_int(doc, "amount", &i);
        kf_json_get_bool(doc, "accepted_terms", &b);
        kf_json_get_object(doc, "customer", &o);
        kf_json_get_array(doc, "service_ids", &o);
        kf_json_path(doc, "data.transaction.reference");
        kf_json_dump(p, doc);
    }
    apr_pool_destroy(p);
    return 0;
}
