/* A link's rule for "any professional": see kf_link_assign.h. */
#include "kf_link_assign.h"
#include "kf_text.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <string.h>

static const char *const rule_names[] = {"least_booked", "weights"};

const char *kf_assign_rule_name(kf_assign_rule rule)
{
    return rule_names[rule == KF_ASSIGN_WEIGHTS ? 1 : 0];
}

int kf_assign_rule_parse(const char *name, kf_assign_rule *rule)
{
    for (int i = 0; name && i < 2; i++) {
        if (strcmp(name, rule_names[i]) == 0) {
            *rule = i == 1 ? KF_ASSIGN_WEIGHTS : KF_ASSIGN_LEAST_BOOKED;
            return 1;
        }
    }
    return 0;
}

/* PostgreSQL prints uuids in lower case: the stored keys are written that way. */
static char *lower(apr_pool_t *p, const char *id)
{
    char *s = apr_pstrdup(p, id);
    for (char *c = s; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return s;
}

/* The sent weights object: each key an active professional who offers service_id (NULL:
 * any), each value in range; *out the stored text (NULL: none). -1 when the lookup failed. */
static int read_weights(const kf_catalog_lookup *lk, kf_fields *f, const json_t *weights,
                        const char *service_id, const char **out)
{
    apr_pool_t *p = f->pool;
    if (json_object_size(weights) > KF_ASSIGN_MAX_WEIGHTS) {
        kf_fields_fail_range(f, "weights", "field_too_many_items", 0, KF_ASSIGN_MAX_WEIGHTS);
        return 0;
    }
    apr_array_header_t *ids = apr_array_make(p, 8, sizeof(const char *));
    json_t *stored = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)weights, key, value) {
        const char *path = kf_fields_path_key(f, "weights", key);
        apr_int64_t weight = 0;
        if (!kf_is_uuid(key)) {
            kf_fields_fail(f, path, "professional_id_invalid");
        }
        else if (kf_field_int(f, weights, key, path, KF_FIELD_REQUIRED, KF_ASSIGN_WEIGHT_MIN,
                              KF_ASSIGN_WEIGHT_MAX, &weight) == KF_FIELD_VALUE) {
            const char *id = lower(p, key);
            APR_ARRAY_PUSH(ids, const char *) = id;
            json_object_set_new(stored, id, json_integer((json_int_t)weight));
        }
    }
    apr_hash_t *active = ids->nelts
        ? lk->active(lk->ctx, p, KF_CATALOG_PROFESSIONALS, kf_pg_array(p, ids))
        : apr_hash_make(p);
    int failed = active == NULL;
    json_object_foreach((json_t *)weights, key, value) {
        const char *path = kf_fields_path_key(f, "weights", key);
        const char *id = kf_is_uuid(key) ? lower(p, key) : NULL;
        if (failed || !id || !json_object_get(stored, id)) {
            continue;
        }
        if (!apr_hash_get(active, id, APR_HASH_KEY_STRING)) {
            kf_fields_fail(f, path, "professional_id_invalid");
            continue;
        }
        int offers = service_id ? lk->offers(lk->ctx, service_id, id) : 1;
        failed = offers < 0;
        if (offers == 0) {
            kf_fields_fail(f, path, "professional_not_offering");
        }
    }
    if (!failed && json_object_size(stored) > 0) {
        char *text = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS);
        *out = text ? apr_pstrdup(p, text) : NULL;
        free(text);
        failed = text == NULL;
    }
    else {
        *out = NULL;
    }
    json_decref(stored);
    return failed ? -1 : 0;
}

int kf_link_assign_read(const kf_catalog_lookup *lk, kf_fields *f, const json_t *body,
                        const char *service_id, kf_link_assign *a)
{
    const char *name = NULL;
    kf_assign_rule rule;
    if (kf_field_string(f, body, "assign", "assign", KF_FIELD_OPTIONAL, 1, 100, &name) ==
        KF_FIELD_VALUE) {
        if (kf_assign_rule_parse(name, &rule)) {
            a->assign = kf_assign_rule_name(rule);
        }
        else {
            kf_fields_fail(f, "assign", "assign_invalid");
        }
    }
    const json_t *weights = json_object_get(body, "weights");
    size_t errors_before = json_object_size(f->errors);
    if (json_is_null(weights)) {
        a->weights = NULL;
    }
    else if (weights && !json_is_object(weights)) {
        kf_fields_fail(f, "weights", "field_not_object");
    }
    else if (weights && read_weights(lk, f, weights, service_id, &a->weights) != 0) {
        return -1;
    }
    /* a rule that cannot work; unless the weights sent were refused already */
    if (json_object_size(f->errors) == errors_before && strcmp(a->assign, "weights") == 0 &&
        !a->weights) {
        kf_fields_fail(f, "weights", "weights_required");
    }
    return 0;
}

json_t *kf_link_assign_weights_json(const char *weights)
{
    json_t *o = weights ? json_loads(weights, 0, NULL) : NULL;
    return json_is_object(o) ? o : (json_decref(o), json_null());
}
