/* The benchmark's baseline (mod_kf_status_feature.h): the same httpd answering a body of the
 * size asked for from memory, with no application work. bench/run measures every figure
 * against it: unlike a static file, it costs no file syscalls, whose price varies from one
 * machine to another, so a ratio to it measures the module, not the machine. A POST is
 * acknowledged at once (204, its body read and dropped): the merchant endpoint of the
 * callback benchmark. Off unless KonfirmadoBenchBaseline On. */
#include "mod_kf_status_feature.h"
#include "mod_kf_operations_conf.h"
#include "kf_bench_baseline.h"

#include <http_protocol.h>
#include <string.h>

/* One body for the process, filled once: every answer writes from it, as a cached
 * availability answer writes from the cache. */
static char body[KF_BENCH_BASELINE_MAX_BYTES];
static int body_filled;

static int reply_error(request_rec *r, int status, const char *code, const char *message)
{
    const char *text =
        apr_psprintf(r->pool, "{\"error\":\"%s\",\"message\":\"%s\"}", code, message);
    r->status = status;
    ap_set_content_type(r, "application/json; charset=utf-8");
    ap_set_content_length(r, (apr_off_t)strlen(text));
    if (!r->header_only) {
        ap_rwrite(text, (int)strlen(text), r);
    }
    return OK;
}

int kfm_bench_baseline_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, KFM_BENCH_BASELINE_HANDLER) != 0) {
        return DECLINED;
    }
    if (!kfm_operations_conf_bench_baseline(kfm_operations_conf_of(r->server))) {
        return reply_error(r, HTTP_NOT_FOUND, "not_found",
                           "KonfirmadoBenchBaseline is Off on this server");
    }
    r->allowed |= (AP_METHOD_BIT << M_GET) | (AP_METHOD_BIT << M_POST);
    if (r->method_number == M_POST) {
        /* a receiver that acknowledges at once: the callback benchmark's merchant */
        if (ap_discard_request_body(r) != OK) {
            return reply_error(r, HTTP_BAD_REQUEST, "bad_request", "body not read");
        }
        r->status = HTTP_NO_CONTENT;
        return OK;
    }
    if (r->method_number != M_GET) {
        return reply_error(r, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "GET or POST only");
    }
    long n = kf_bench_baseline_bytes(r->args);
    if (n == 0) {
        return reply_error(r, HTTP_BAD_REQUEST, "invalid_parameter",
                           "bytes must be a whole number from 1 to 1048576");
    }
    if (!body_filled) {
        /* a race between threads writes the same bytes twice: harmless */
        memset(body, 'x', sizeof body);
        body_filled = 1;
    }
    ap_set_content_type(r, "application/json; charset=utf-8");
    ap_set_content_length(r, (apr_off_t)n);
    if (!r->header_only) {
        ap_rwrite(body, (int)n, r);
    }
    return OK;
}
