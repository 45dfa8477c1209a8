/* "testcal": a calendar provider that exists only in the unit tests, written the way a new
 * one is, in one file: what it is (name, labels, its OAuth application's directive, its
 * KonfirmadoProviderURL name, how its notices are verified, its form's refusal) and its
 * protocol. Its one other line is the registry's (kf_calendar_providers_test.c); nothing else
 * of the tree names it, and test_calendar_registry.c shows every rule reading it from there.
 *
 * Its protocol, made up: a calendar that is never busy and takes every event under the
 * booking's reference. */
#include "kf_calendar.h"

static kf_calendar_endpoints testcal_endpoints(void)
{
    kf_calendar_endpoints ep = {"https://login.testcal.example", "https://login.testcal.example",
                                "https://api.testcal.example"};
    return ep;
}

static int testcal_form_refused(kf_cal_outcome o, kf_fields *f)
{
    if (o != KF_CAL_REVOKED) {
        return 0;
    }
    kf_fields_fail(f, "api_key", "testcal_key_refused");
    return 1;
}

static kf_cal_outcome testcal_account(apr_pool_t *p, kf_http_client *http,
                                      const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                      const char **account, const char **why)
{
    *account = "someone@testcal.example";
    return KF_CAL_OK;
}

static kf_cal_outcome testcal_busy(apr_pool_t *p, kf_http_client *http,
                                   const kf_calendar_endpoints *ep, const kf_calendar_grant *g,
                                   apr_int64_t from, apr_int64_t to, apr_array_header_t *out,
                                   const char **why)
{
    return KF_CAL_OK;
}

static kf_cal_outcome testcal_put_event(apr_pool_t *p, kf_http_client *http,
                                        const kf_calendar_endpoints *ep,
                                        const kf_calendar_grant *g, const kf_cal_event *ev,
                                        const char *event_id, const char **new_id,
                                        const char **why)
{
    *new_id = ev->reference;
    return KF_CAL_OK;
}

static kf_cal_outcome testcal_delete_event(apr_pool_t *p, kf_http_client *http,
                                           const kf_calendar_endpoints *ep,
                                           const kf_calendar_grant *g, const char *event_id,
                                           const char **why)
{
    return KF_CAL_OK;
}

static const kf_calendar_url testcal_urls[] = {
    {"testcal-login", KF_CAL_URL_AUTH | KF_CAL_URL_TOKEN},
    {"testcal-api", KF_CAL_URL_API},
    {NULL, 0},
};

const kf_calendar_provider kf_calendar_testcal = {
    .name = "testcal",
    .label = "Test Calendar",
    .short_label = "TestCal",
    .oauth_client = "KonfirmadoTestcalClient",
    .urls = testcal_urls,
    .notices = KF_CAL_NOTICES_SIGNED,
    .default_endpoints = testcal_endpoints,
    .form_refused = testcal_form_refused,
    .account = testcal_account,
    .busy = testcal_busy,
    .put_event = testcal_put_event,
    .delete_event = testcal_delete_event,
};
