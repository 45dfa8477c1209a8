#ifndef KF_ASSISTANT_CATALOG_H
#define KF_ASSISTANT_CATALOG_H
/* The link's catalog as the assistant reads it from its statement's rows, what a follow-up's
 * context may name of it, and the days availability is read for an intent. */
#include "kf_assistant_intent.h"

/* The columns of the catalog's rows: the link's row first (kind "L": its status as id, the
 * tenant's zone as name), then services ("S": id, name, minutes, capacity) and professionals
 * ("P": id, name, zone, the ids of the services they offer, comma-separated). */
enum { KF_ASSISTANT_CAT_KIND, KF_ASSISTANT_CAT_ID, KF_ASSISTANT_CAT_NAME,
       KF_ASSISTANT_CAT_MINUTES, KF_ASSISTANT_CAT_ZONE, KF_ASSISTANT_CAT_OFFERS,
       KF_ASSISTANT_CAT_CAPACITY, KF_ASSISTANT_CAT_COLUMNS };

/* *cat from the n rows (from p, pointing into them); *status is the link's ("ok" or its
 * error code; "internal_error" when no link row came) and *tenant_zone its tenant's. */
void kf_assistant_catalog_of_rows(apr_pool_t *p, const char *const *const *rows, int n,
                                  kf_assistant_catalog *cat, const char **status,
                                  const char **tenant_zone);

/* Whether the service and professional a context names (NULL: none; "any" professional)
 * are the catalog's. */
int kf_assistant_catalog_names(const kf_assistant_catalog *cat, const kf_intent *before);

/* The zone names of the professionals the slot engine indexes (prof_ids, n), by the catalog:
 * an array of n + 1 from p, NULL where the catalog does not know one. */
const char **kf_assistant_catalog_zones(apr_pool_t *p, const kf_assistant_catalog *cat,
                                        const char *const *prof_ids, int n);

/* The zones of those n names (kf_assistant_catalog_zones), loaded by zone_fn: an array of
 * n + 1 from p, NULL where a name is NULL or does not load. */
const kf_zone **kf_assistant_zones_of(apr_pool_t *p, const char *const *names, int n,
                                      kf_assistant_zone_fn zone_fn, void *baton);

/* The days availability is read for an intent asked on day `today` (days since the epoch):
 * from today to the last day asked or two weeks, and a week more for the nearest
 * alternatives, at most max_days; *first the first as YYYY-MM-DD. */
int kf_assistant_days_to_read(apr_pool_t *p, const kf_intent *in, apr_int64_t today,
                              int max_days, const char **first);

#endif
