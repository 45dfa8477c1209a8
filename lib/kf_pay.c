/* Charge rules, payment statuses and the provider registry: see kf_pay.h. */
#include "kf_pay.h"
#include "kf_crypto.h"

#include <string.h>

apr_status_t kf_charge_amount(const char *charge_type, apr_int64_t price, int deposit_percent,
                              apr_int64_t *amount)
{
    if (!charge_type || !amount || price < 0) {
        return APR_EINVAL;
    }
    if (strcmp(charge_type, "free") == 0) {
        *amount = 0;
        return APR_SUCCESS;
    }
    if (strcmp(charge_type, "total") == 0) {
        *amount = price;
        return APR_SUCCESS;
    }
    if (strcmp(charge_type, "partial") == 0) {
        if (deposit_percent < 1 || deposit_percent > 99 || price > APR_INT64_MAX / 100) {
            return APR_EINVAL;
        }
        /* Rounded up to whole minor units: the merchant never gets less than the percent. */
        *amount = (price * deposit_percent + 99) / 100;
        return APR_SUCCESS;
    }
    return APR_EINVAL;
}

const char *kf_pay_status_name(kf_pay_status s)
{
    switch (s) {
    case KF_PAY_PENDING: return "pending";
    case KF_PAY_APPROVED: return "approved";
    case KF_PAY_DECLINED: return "declined";
    case KF_PAY_ERROR: return "error";
    case KF_PAY_VOIDED: return "voided";
    default: return "unknown";
    }
}

int kf_pay_status_is_failure(kf_pay_status s)
{
    return s == KF_PAY_DECLINED || s == KF_PAY_ERROR || s == KF_PAY_VOIDED;
}

const kf_pay_provider *kf_pay_provider_find(const char *name)
{
    static const kf_pay_provider *const providers[] = {&kf_pay_wompi, NULL};
    for (int i = 0; name && providers[i]; i++) {
        if (strcmp(providers[i]->name, name) == 0) {
            return providers[i];
        }
    }
    return NULL;
}

const char *kf_pay_new_reference(apr_pool_t *p)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char raw[20];
    if (kf_random_bytes(raw, sizeof(raw)) != APR_SUCCESS) {
        return NULL;
    }
    char *ref = apr_palloc(p, 3 + sizeof(raw) + 1);
    memcpy(ref, "KF-", 3);
    for (apr_size_t i = 0; i < sizeof(raw); i++) {
        ref[3 + i] = alphabet[raw[i] & 31];   /* 5 uniform bits per character */
    }
    ref[3 + sizeof(raw)] = '\0';
    return ref;
}
