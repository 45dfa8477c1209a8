#ifndef KF_LINK_H
#define KF_LINK_H
/* A booking link of the catalog (API.md "Admin API": links): a random slug that opens the
 * public booking page, optionally preselecting a service and/or a professional (who must
 * then offer that service), and the packages it sells. What a POST or PATCH body says,
 * with its field errors, which packages it cannot sell, and the JSON of a stored row. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_metadata.h"
#include "kf_catalog_lookup.h"
#include "kf_link_assign.h"

#define KF_LINK_MAX_PACKAGES 100

/* The columns of a stored link, in the order the glue's statements select them. */
enum {
    KF_LINK_COL_ID, KF_LINK_COL_SLUG, KF_LINK_COL_NAME, KF_LINK_COL_SERVICE,
    KF_LINK_COL_PROFESSIONAL, KF_LINK_COL_EXPIRES, KF_LINK_COL_ACTIVE, KF_LINK_COL_CREATED,
    KF_LINK_COL_UPDATED,
    KF_LINK_COL_PACKAGES,   /* "id,id" of the active packages it offers */
    KF_LINK_COL_METADATA,   /* the merchant's defaults for its bookings (JSON), or NULL */
    KF_LINK_COL_ASSIGN,     /* who takes "any professional": kf_assign_rule_name */
    KF_LINK_COL_WEIGHTS,    /* the weights of that rule (JSON object), or NULL */
    KF_LINK_COL_COUNT
};

/* The columns of a package a link would sell, as kf_link_refuse_unsold reads them. */
enum { KF_LINK_PKG_NAME, KF_LINK_PKG_SERVICE, KF_LINK_PKG_SERVICE_ACTIVE, KF_LINK_PKG_OFFERED,
       KF_LINK_PKG_COUNT };

/* A link as written: the stored row (or a new, active one) overlaid with what was sent. */
typedef struct kf_link {
    const char *name, *service_id, *professional_id, *expires_at;
    int active;
    json_t *package_ids;   /* the sent list, or NULL (the offer stays) */
    const char *metadata;  /* kf_metadata.h's text, or NULL: none */
    kf_link_assign assign; /* who takes "any professional" and the weights */
} kf_link;

void kf_link_start(kf_link *v, const char *const *row);

/* Reads every sent field of body over *v, recording field errors (create: the name is
 * required). expires_at must be after now (seconds since the epoch); the references must be
 * active rows, and a preselected professional must offer the preselected service (either
 * may have been sent now or be the stored one); assign and weights as kf_link_assign_read
 * says. -1 when the lookup failed. */
int kf_link_read(kf_fields *f, const json_t *body, int create, apr_int64_t now,
                 const kf_catalog_lookup *lk, kf_link *v);

/* The packages whose offer must be checked, as a uuid[] literal, or NULL: those sent
 * (checked: `packages`, `count` of them), or on a PATCH of what the link preselects the
 * ones it has (stored_csv, "id,id"). A PATCH of service_id or professional_id that would
 * leave packages the link cannot sell is refused rather than dropping them: the merchant
 * chose those packages and a silent drop would take them off the booking page unnoticed. */
const char *kf_link_offer(apr_pool_t *p, const kf_link *v, const json_t *body, int create,
                          const char *packages, int count, const char *stored_csv);

/* Of the packages of the offer (rows of KF_LINK_PKG_COUNT values), those the link cannot
 * sell (kf_link_sells_package) are named in one field error at package_ids. */
void kf_link_refuse_unsold(kf_fields *f, const kf_link *v, const char *const *const *rows,
                           int n);

/* The public booking page (GET /api/public/links/{link}) as its statement builds it: each
 * service's charge {type, deposit_percent, currency} becomes {type, amount, currency}, what
 * the customer will be asked by the rule payments use (kf_payment_charge). APR_EINVAL when
 * a service's charge cannot be computed. */
apr_status_t kf_link_page_charges(json_t *page);

/* A stored link (row: KF_LINK_COL_COUNT values) at `url` as the API shows it. */
json_t *kf_link_json(apr_pool_t *p, const char *const *row, const char *url);

#endif
