#ifndef KF_PACKAGE_H
#define KF_PACKAGE_H
/* A package of the catalog (API.md "Admin API": Packages): N sessions of one of the
 * tenant's services sold at one price, valid for some days once paid. What a POST or PATCH
 * body says, with its field errors, and the JSON of a stored row. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_catalog_lookup.h"

/* A package's fields (the admin API's validation; the table checks the same). */
#define KF_PACKAGE_NAME_MIN 3
#define KF_PACKAGE_NAME_MAX 100
#define KF_PACKAGE_DESCRIPTION_MAX 2000
#define KF_PACKAGE_SESSIONS_MIN 1
#define KF_PACKAGE_SESSIONS_MAX 52
#define KF_PACKAGE_VALID_DAYS_MIN 1
#define KF_PACKAGE_VALID_DAYS_MAX 730
#define KF_PACKAGE_PRICE_MIN 1     /* a package is paid for: a free one would be a link */

/* The columns of a stored package, in the order the glue's statements select them. */
enum {
    KF_PKG_COL_ID, KF_PKG_COL_NAME, KF_PKG_COL_DESCRIPTION, KF_PKG_COL_SERVICE,
    KF_PKG_COL_SESSIONS, KF_PKG_COL_PRICE, KF_PKG_COL_CURRENCY, KF_PKG_COL_VALID_DAYS,
    KF_PKG_COL_ARCHIVED, KF_PKG_COL_CREATED, KF_PKG_COL_UPDATED,
    KF_PKG_COL_COUNT
};

/* A package as written: the stored row (or nothing, in the tenant's currency) overlaid
 * with what was sent. */
typedef struct kf_package {
    const char *name, *description, *service_id, *currency;
    apr_int64_t sessions, price, valid_days;
} kf_package;

/* A new package in the tenant's currency, or with row (KF_PKG_COL_COUNT values) the stored
 * one. */
void kf_package_start(kf_package *v, const char *tenant_currency, const char *const *row);

/* Reads every sent field of body over *v, recording field errors (create: the required
 * ones must be there). An empty description is none; the service must be an active one of
 * the tenant's (a package of an archived one cannot be sold). -1 when the lookup failed. */
int kf_package_read(kf_fields *f, const json_t *body, int create, const char *tenant_currency,
                    const kf_catalog_lookup *lk, kf_package *v);

/* A stored package (row: KF_PKG_COL_COUNT values) as the API shows it. */
json_t *kf_package_json(const char *const *row);

#endif
