/* Prints the router's table, one "METHOD PATH FEATURE" line per endpoint, in the order the
 * router builds it: the features list of mod_konfirmado.c (included here, since the list is
 * static there) and each feature's descriptor; then the one file the contract names that is
 * served beside the router, as "static" (GET /embed.js, kf_static.h).
 * tests/e2e/test_contract_routes.py compares it with docs/openapi.yaml.
 *
 * Only the descriptors are linked (Makefile.am): their handlers, statement tables and jobs
 * stay unresolved and read as null, never called. A descriptor left out of the link reads as
 * a null feature, which this program refuses rather than print a shorter table. */
#include "mod_konfirmado.c"
#include "kf_static.h"

#include <stdio.h>

int main(void)
{
    const size_t listed = sizeof(features) / sizeof(features[0]) - 1;
    for (size_t f = 0; f < listed; f++) {
        if (!features[f]) {
            fprintf(stderr, "kf-routes: feature %zu of mod_konfirmado.c is not linked: add its "
                    "descriptor to tools_kf_routes_SOURCES in Makefile.am\n", f + 1);
            return 1;
        }
    }
    for (size_t f = 0; f < listed; f++) {
        for (const kfm_endpoint *ep = features[f]->endpoints; ep && ep->route.method; ep++) {
            printf("%s %s %s\n", ep->route.method, ep->route.pattern, features[f]->name);
        }
    }
    printf("GET %s static\n", KF_STATIC_EMBED_URI);
    return 0;
}
