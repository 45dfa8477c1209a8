/* Small parsers of request parts: query strings (the audit list's too), static paths, CSV
 * cells, database error messages made safe to log, tokens; a customer's text to a business
 * (STOP, BAJA...), the merchant's customer query. */
#include "fuzz_common.h"
#include "kf_audit_list.h"
#include "kf_crypto.h"
#include "kf_csv.h"
#include "kf_customer_list.h"
#include "kf_pg_session.h"
#include "kf_query.h"
#include "kf_static.h"
#include "kf_text_replies.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *text = fuzz_text(p, data, size);
    apr_table_t *q = NULL;
    const char *bad = NULL;
    kf_query_parse(p, text, &q, &bad);
    kf_audit_query aq;
    kf_audit_query_parse(p, text, &aq);
    const char *rel = NULL;
    if (kf_static_classify(text, &rel) == KF_STATIC_ASSET && rel) {
        kf_static_rel_ok(rel);
    }
    const char *cells[] = {text, "x", text};
    kf_csv_record(p, cells, 3);
    kf_pg_error_summary(p, text);
    kf_pg_error_is_constraint(text);
    kf_token_shape_ok(text);
    kf_text_reply_of(text);
    kf_customer_query cq;
    const char *why = NULL;
    if (q && !kf_customer_query_read(q, &cq, &why)) {
        kf_customer_query_pattern(p, cq.q);
    }
    apr_pool_destroy(p);
    return 0;
}
