/* A payment tried without its provider. See kf_payment_trial.h. */
#include "kf_payment_trial.h"
#include "kf_url.h"

#include <apr_strings.h>
#include <string.h>

const char *kf_payment_trial_refusal(apr_pool_t *p, const kf_payment_provider *prov,
                                     const char *provider_name, const char *account_mode,
                                     int has_secrets, const char *payment_mode,
                                     const char *payment_status)
{
    if (!prov) {
        return apr_psprintf(p, "no payment provider is called %s", provider_name);
    }
    if (!prov->trial_notice) {
        return apr_psprintf(p, "%s cannot be tried without %s: its checkouts or notices need "
                               "its API; try it with %s's test mode on a server that reaches it",
                            prov->label, prov->label, prov->label);
    }
    if (!account_mode) {
        return apr_psprintf(p, "the tenant has no %s account any more", prov->label);
    }
    if (strcmp(account_mode, "test") != 0 || !payment_mode || strcmp(payment_mode, "test") != 0) {
        return apr_psprintf(p, "refused: the tenant's %s account is in %s mode, and a payment "
                               "is tried only in test mode (a live notice would confirm a "
                               "booking that nobody paid)",
                            prov->label,
                            strcmp(account_mode, "test") != 0 ? account_mode : payment_mode);
    }
    if (!has_secrets) {
        return apr_psprintf(p, "the tenant's %s account has no events secret to sign with",
                            prov->label);
    }
    if (!payment_status || strcmp(payment_status, "pending") != 0) {
        return apr_psprintf(p, "the payment is %s already: only a pending payment is tried",
                            payment_status ? payment_status : "unknown");
    }
    return NULL;
}

const char *kf_payment_trial_transaction_id(apr_pool_t *p, apr_time_t now, apr_uint32_t nonce)
{
    return apr_psprintf(p, "konfirmado-test-%" APR_INT64_T_FMT "-%05u",
                        (apr_int64_t)apr_time_sec(now), (unsigned)(nonce % 100000));
}

const char *kf_payment_trial_webhook_url(apr_pool_t *p, const char *site_url,
                                         const kf_payment_provider *prov)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, site_url), "/api/webhooks/", prov->name, NULL);
}
