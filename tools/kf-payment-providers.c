/* Prints the payment providers' registry (lib/payments/kf_payment_providers.c), one line per
 * provider in its order, tab-separated: name, label, its settings besides "mode" (comma-
 * separated, a secret one as name*), whether the expiry job ends its checkouts (1/0), its
 * KonfirmadoProviderURL names (comma-separated) and the currencies it charges in (comma-
 * separated). tests/e2e/test_contract_providers.py compares it with every list of providers
 * docs/openapi.yaml keeps. */
#include "kf_payment.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

/* The URL names of prov among every provider's. */
static void print_url_names(const char *const *names, const kf_payment_provider *prov)
{
    const char *sep = "";
    apr_size_t n = strlen(prov->name);
    for (int i = 0; names[i]; i++) {
        if (strncmp(names[i], prov->name, n) == 0 && names[i][n] == '-') {
            printf("%s%s", sep, names[i]);
            sep = ",";
        }
    }
}

int main(void)
{
    apr_pool_t *p = NULL;
    if (apr_initialize() != APR_SUCCESS || apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return 1;
    }
    const char *const *url_names = kf_payment_url_names(p);
    for (int i = 0; kf_payment_providers[i]; i++) {
        const kf_payment_provider *prov = kf_payment_providers[i];
        printf("%s\t%s\t", prov->name, prov->label);
        for (int k = 0; prov->settings[k].field; k++) {
            printf("%s%s%s", k ? "," : "", prov->settings[k].field,
                   prov->settings[k].slot == KF_PAYMENT_SLOT_PUBLIC ? "" : "*");
        }
        printf("\t%d\t", prov->close_checkout != NULL);
        print_url_names(url_names, prov);
        printf("\t");
        for (int k = 0; prov->currencies[k]; k++) {
            printf("%s%s", k ? "," : "", prov->currencies[k]);
        }
        printf("\n");
    }
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
