#ifndef KF_CATALOG_JSON_H
#define KF_CATALOG_JSON_H
/* The JSON shape every catalog resource shares (API.md "Admin API"): column values as the
 * database hands them back (text, NULL for SQL NULL) turned into JSON members, and the
 * audit's record of what a write sent. Pure: values in, new JSON references out. */
#include <apr_pools.h>
#include <jansson.h>

/* A column value as a new JSON value: integer, boolean ("t"/"f"), or string / null. */
json_t *kf_catalog_json_int(const char *text);
json_t *kf_catalog_json_bool(const char *text);
json_t *kf_catalog_json_str(const char *text);

/* "a,b,c" (array_to_string of ids) -> a new JSON array of strings ([] for NULL or ""). */
json_t *kf_catalog_id_list(apr_pool_t *p, const char *csv);

/* A new row object of a resource that archives (services, professionals, packages), opened
 * with the members it shows first: id, name, description ... */
json_t *kf_catalog_row_json(const char *id, const char *name, const char *description);
/* ... and closed with the ones it shows last: archived ("t"/"f"), created_at, updated_at. */
void kf_catalog_row_json_close(json_t *o, const char *archived, const char *created_at,
                               const char *updated_at);

/* {"amount": amount, "currency": currency}: a price as the API shows it. */
json_t *kf_catalog_price_json(apr_int64_t amount, const char *currency);

/* The audit "changes" of a write: the fields of `body` named in `keys` (NULL-terminated),
 * as sent. A new object. */
json_t *kf_catalog_changes(const json_t *body, const char *const *keys);

#endif
