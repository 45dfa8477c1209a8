/* The JSON shape catalog resources share: see kf_catalog_json.h. */
#include "kf_catalog_json.h"

#include <string.h>
#include <apr_strings.h>

json_t *kf_catalog_json_int(const char *text)
{
    return text ? json_integer((json_int_t)apr_atoi64(text)) : json_null();
}

json_t *kf_catalog_json_bool(const char *text)
{
    return json_boolean(text && strcmp(text, "t") == 0);
}

json_t *kf_catalog_json_str(const char *text)
{
    return text ? json_string(text) : json_null();
}

json_t *kf_catalog_id_list(apr_pool_t *p, const char *csv)
{
    json_t *arr = json_array();
    if (!csv || !*csv) {
        return arr;
    }
    char *state = NULL;
    for (char *tok = apr_strtok(apr_pstrdup(p, csv), ",", &state); tok;
         tok = apr_strtok(NULL, ",", &state)) {
        json_array_append_new(arr, json_string(tok));
    }
    return arr;
}

json_t *kf_catalog_row_json(const char *id, const char *name, const char *description)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", kf_catalog_json_str(id));
    json_object_set_new(o, "name", kf_catalog_json_str(name));
    json_object_set_new(o, "description", kf_catalog_json_str(description));
    return o;
}

void kf_catalog_row_json_close(json_t *o, const char *archived, const char *created_at,
                               const char *updated_at)
{
    json_object_set_new(o, "archived", kf_catalog_json_bool(archived));
    json_object_set_new(o, "created_at", kf_catalog_json_str(created_at));
    json_object_set_new(o, "updated_at", kf_catalog_json_str(updated_at));
}

json_t *kf_catalog_price_json(apr_int64_t amount, const char *currency)
{
    return json_pack("{s:I, s:s}", "amount", (json_int_t)amount, "currency", currency);
}

json_t *kf_catalog_changes(const json_t *body, const char *const *keys)
{
    json_t *changes = json_object();
    for (; *keys; keys++) {
        json_t *v = json_object_get(body, *keys);
        if (v) {
            json_object_set_new(changes, *keys, json_deep_copy(v));
        }
    }
    return changes;
}
