/* Ids and references of a catalog write checked against the tenant's rows: see
 * kf_catalog_lookup.h. */
#include "kf_catalog_lookup.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_lib.h>

const char *kf_catalog_bad_id(kf_catalog_kind kind)
{
    return kind == KF_CATALOG_PROFESSIONALS ? "professional_id_invalid"
           : kind == KF_CATALOG_PACKAGES   ? "package_id_invalid"
                                           : "service_id_invalid";
}

/* PostgreSQL prints uuids in lower case: ids are compared that way. */
static char *lower(apr_pool_t *p, const char *id)
{
    char *s = apr_pstrdup(p, id);
    for (char *c = s; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return s;
}

int kf_catalog_is_active(const kf_catalog_lookup *lk, apr_pool_t *p, kf_catalog_kind kind,
                         const char *id)
{
    apr_hash_t *found = lk->active(lk->ctx, p, kind, apr_pstrcat(p, "{", id, "}", NULL));
    if (!found) {
        return -1;
    }
    return apr_hash_count(found) > 0;
}

int kf_catalog_check_ids(const kf_catalog_lookup *lk, kf_fields *f, const json_t *ids,
                         const char *path, kf_catalog_kind kind, const char **pg_array,
                         int *count)
{
    apr_pool_t *p = f->pool;
    const char *bad_id = kf_catalog_bad_id(kind);
    apr_hash_t *distinct = apr_hash_make(p);
    apr_array_header_t *list = apr_array_make(p, (int)json_array_size(ids) + 1, sizeof(const char *));
    size_t i;
    json_t *item;

    *pg_array = "{}";
    *count = 0;
    json_array_foreach(ids, i, item) {
        const char *id = json_string_value(item);
        if (!json_is_string(item)) {
            kf_fields_fail(f, kf_fields_path_index(f, path, (int)i), "field_not_string");
        }
        else if (!kf_is_uuid(id)) {
            kf_fields_fail(f, kf_fields_path_index(f, path, (int)i), bad_id);
        }
        else {
            char *low = lower(p, id);
            if (!apr_hash_get(distinct, low, APR_HASH_KEY_STRING)) {
                apr_hash_set(distinct, low, APR_HASH_KEY_STRING, "");
                APR_ARRAY_PUSH(list, const char *) = low;
            }
        }
    }
    if (apr_hash_count(distinct) == 0) {
        return 0;
    }
    const char *array = kf_pg_array(p, list);
    apr_hash_t *found = lk->active(lk->ctx, p, kind, array);
    if (!found) {
        return -1;
    }
    json_array_foreach(ids, i, item) {
        if (json_is_string(item) && kf_is_uuid(json_string_value(item)) &&
            !apr_hash_get(found, lower(p, json_string_value(item)), APR_HASH_KEY_STRING)) {
            kf_fields_fail(f, kf_fields_path_index(f, path, (int)i), bad_id);
        }
    }
    *pg_array = array;
    *count = (int)apr_hash_count(distinct);
    return 0;
}

int kf_catalog_reference_field(const kf_catalog_lookup *lk, kf_fields *f, const json_t *obj,
                               const char *key, kf_catalog_kind kind, const char **dest)
{
    const char *id = NULL;
    kf_field_result r = kf_field_string(f, obj, key, key, KF_FIELD_NULLABLE, 0, 64, &id);
    if (r == KF_FIELD_BAD || !json_object_get(obj, key)) {
        return 0;
    }
    if (id) {
        int active = kf_is_uuid(id) ? kf_catalog_is_active(lk, f->pool, kind, id) : 0;
        if (active < 0) {
            return -1;
        }
        if (!active) {
            kf_fields_fail(f, key, kf_catalog_bad_id(kind));
            return 0;
        }
    }
    *dest = id;
    return 0;
}
