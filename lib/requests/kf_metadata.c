/* The merchant's metadata (see kf_metadata.h). */
#include "kf_metadata.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static int fail(kf_metadata_problem *why, const char *field, const char *message_id)
{
    why->field = field;
    why->message_id = message_id;
    return 0;
}

static int key_ok(const char *key)
{
    size_t n = strlen(key);
    if (n < 1 || n > KF_METADATA_KEY_LENGTH) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

static int value_ok(const json_t *value)
{
    const char *s = json_string_value(value);
    if (!s || !kf_utf8_valid(s, json_string_length(value))) {
        return 0;
    }
    for (const char *c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            return 0;
        }
    }
    return kf_utf8_length(s) <= KF_METADATA_VALUE_LENGTH &&
           strlen(s) == json_string_length(value);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A copy of object o with its keys sorted. */
static json_t *sorted_copy(const json_t *o)
{
    size_t n = json_object_size(o), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    const char *key;
    json_t *value, *sorted = json_object();
    if (!keys) {
        return sorted;
    }
    json_object_foreach((json_t *)o, key, value) {
        keys[i++] = key;
    }
    qsort(keys, n, sizeof *keys, by_key);
    for (i = 0; i < n; i++) {
        json_object_set(sorted, keys[i], json_object_get(o, keys[i]));
    }
    free(keys);
    return sorted;
}

/* The object with its keys sorted, as compact JSON in p; NULL when it is empty. */
static const char *sorted_text(apr_pool_t *p, const json_t *o)
{
    if (json_object_size(o) == 0) {
        return NULL;
    }
    json_t *sorted = sorted_copy(o);
    char *dumped = json_dumps(sorted, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *text = dumped ? apr_pstrdup(p, dumped) : NULL;
    free(dumped);
    json_decref(sorted);
    return text;
}

int kf_metadata_read(apr_pool_t *p, const json_t *value, const char **text,
                     kf_metadata_problem *why)
{
    *text = NULL;
    if (!value || json_is_null(value)) {
        return 1;
    }
    if (!json_is_object(value)) {
        return fail(why, "metadata", "metadata_not_object");
    }
    if (json_object_size(value) > KF_METADATA_KEYS) {
        return fail(why, "metadata", "metadata_too_many_keys");
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)value, key, v) {
        if (!key_ok(key)) {
            return fail(why, "metadata", "metadata_key_invalid");
        }
        if (!value_ok(v)) {
            return fail(why, apr_pstrcat(p, "metadata.", key, NULL), "metadata_value_invalid");
        }
    }
    *text = sorted_text(p, value);
    return 1;
}

json_t *kf_metadata_object(const char *text)
{
    json_t *o = text && *text ? json_loads(text, 0, NULL) : NULL;
    json_t *sorted = json_is_object(o) && json_object_size(o) > 0 ? sorted_copy(o) : NULL;
    json_decref(o);
    return sorted;
}

int kf_metadata_merge(apr_pool_t *p, const char *link_text, const char *own_text,
                      const char **text, kf_metadata_problem *why)
{
    json_t *merged = kf_metadata_object(link_text);
    json_t *own = kf_metadata_object(own_text);
    if (!merged) {
        merged = json_object();
    }
    if (own) {
        json_object_update(merged, own);
    }
    json_decref(own);
    int ok = json_object_size(merged) <= KF_METADATA_KEYS;
    *text = ok ? sorted_text(p, merged) : NULL;
    json_decref(merged);
    return ok ? 1 : fail(why, "metadata", "metadata_too_many_keys");
}
