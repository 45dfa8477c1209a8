/* Calendars: everything a provider or a notification sender writes to us, read from untrusted
 * bytes: Graph notification bodies, Cal.com webhook signatures and bodies, and each
 * provider's answers (token endpoint, busy times, bookable hours, account, events, channels)
 * through a fake HTTP client. */
#include "fuzz_common.h"
#include "kf_calendar_providers.h"
#include "kf_calendar_outside.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *body = apr_pstrmemdup(p, (const char *)data, size);
    apr_array_header_t *notices = apr_array_make(p, 4, sizeof(kf_cal_notice));
    kf_calendar_graph_notices(p, body, size, notices);
    kf_calendar_calcom_signature_ok(p, "cal_secret", body, size, body);
    kf_calcom_change change;
    if (kf_calendar_calcom_change(p, body, size, &change)) {
        kf_cal_outside_facts facts = {1, 1, 1800000000};
        kf_calendar_calcom_change_target(&change);
        kf_calendar_outside_action(&change, &facts);
    }

    fuzz_answer.body = body;
    fuzz_answer.len = size;
    /* the first byte picks the status, so error bodies are read too */
    static const int statuses[] = {200, 201, 400, 401, 404, 410, 429, 500};
    fuzz_answer.status = size ? statuses[data[0] % 8] : 200;
    kf_http_client *c = kf_http_client_create(p, &fuzz_http, NULL);
    const kf_calendar_provider *all[] = {&kf_calendar_google, &kf_calendar_microsoft,
                                         &kf_calendar_calcom};
    kf_calendar_app app = {"client", "secret"};
    kf_calendar_grant g = {.access_token = "token", .calendar_id = "primary", .event_type_id = "1001"};
    kf_cal_event ev = {"Consulta \xE2\x80\x94 Ana", "", 1800000000, 1800003600, "America/Bogota",
                       NULL, NULL, "Ana", "ana@example.com", "booking"};
    for (int i = 0; i < 3; i++) {
        const kf_calendar_provider *prov = all[i];
        kf_calendar_endpoints ep = prov->default_endpoints();
        const char *why = NULL, *out = NULL;
        kf_calendar_tokens t;
        if (prov->exchange_code) {
            prov->exchange_code(p, c, &ep, &app, "code", "verifier", "https://k.example/cb", &t, &why);
            prov->refresh(p, c, &ep, &app, "refresh", &t, &why);
        }
        prov->account(p, c, &ep, &g, &out, &why);
        apr_array_header_t *busy = apr_array_make(p, 4, sizeof(kf_cal_busy));
        if (prov->busy(p, c, &ep, &g, 1800000000, 1801000000, busy, &why) == KF_CAL_OK) {
            kf_calendar_busy_merge(busy);
        }
        if (prov->bookable) {
            apr_array_header_t *open = apr_array_make(p, 4, sizeof(kf_cal_busy));
            int known = 0;
            prov->bookable(p, c, &ep, &g, 1800000000, 1801000000, open, &known, &why);
        }
        prov->put_event(p, c, &ep, &g, &ev, NULL, &out, &why);
        prov->put_event(p, c, &ep, &g, &ev, "event", &out, &why);
        prov->delete_event(p, c, &ep, &g, "event", &why);
        kf_cal_channel ch;
        memset(&ch, 0, sizeof(ch));
        prov->watch(p, c, &ep, &g, "https://k.example/api/webhooks/x", "s", 1800000000, 86400, &ch, &why);
        if (prov->renew) {
            kf_cal_channel old = {"sub", NULL, 1800000000};
            prov->renew(p, c, &ep, &g, 1800000000, 86400, &old, &why);
        }
    }
    apr_pool_destroy(p);
    return 0;
}
