/* Field-level validation of JSON bodies: see kf_fields.h. */
#include "kf_fields.h"
#include "kf_json.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

void kf_fields_init(kf_fields *f, apr_pool_t *p, kf_locale locale)
{
    f->pool = p;
    f->locale = locale;
    f->errors = kf_json_obj(p);
}

/* The first error of a field is the one shown. */
static void set_once(kf_fields *f, const char *path, const char *text)
{
    if (!json_object_get(f->errors, path)) {
        json_object_set_new(f->errors, path, json_string(text));
    }
}

void kf_fields_fail_with(kf_fields *f, const char *path, const char *message_id,
                         const char *const *pairs)
{
    set_once(f, path, kf_fill(f->pool, kf_message(message_id, f->locale), pairs));
}

void kf_fields_fail_range(kf_fields *f, const char *path, const char *message_id,
                          apr_int64_t min, apr_int64_t max)
{
    set_once(f, path, kf_fill_min_max(f->pool, kf_message(message_id, f->locale), min, max));
}

void kf_fields_fail(kf_fields *f, const char *path, const char *message_id)
{
    kf_fields_fail_range(f, path, message_id, 0, 0);
}

int kf_fields_ok(const kf_fields *f)
{
    return json_object_size(f->errors) == 0;
}

int kf_fields_has(const kf_fields *f, const char *path)
{
    return json_object_get(f->errors, path) != NULL;
}

json_t *kf_fields_take(kf_fields *f)
{
    return json_incref(f->errors);
}

const char *kf_fields_path_index(kf_fields *f, const char *prefix, int index)
{
    return apr_psprintf(f->pool, "%s[%d]", prefix, index);
}

const char *kf_fields_path_key(kf_fields *f, const char *prefix, const char *key)
{
    return apr_pstrcat(f->pool, prefix, ".", key, NULL);
}

/* Absent / null handling shared by every reader: KF_FIELD_VALUE means "go on and check
 * the value". */
static kf_field_result presence(kf_fields *f, kf_json_field got, const char *path, int flags,
                                const char *wrong_type_id)
{
    switch (got) {
    case KF_JSON_FIELD_OK:
        return KF_FIELD_VALUE;
    case KF_JSON_FIELD_ABSENT:
        if (flags & KF_FIELD_REQUIRED) {
            kf_fields_fail(f, path, "field_required");
            return KF_FIELD_BAD;
        }
        return KF_FIELD_SKIPPED;
    case KF_JSON_FIELD_NULL:
        if (flags & KF_FIELD_NULLABLE) {
            return KF_FIELD_SKIPPED;
        }
        kf_fields_fail(f, path, (flags & KF_FIELD_REQUIRED) ? "field_required" : wrong_type_id);
        return KF_FIELD_BAD;
    default:
        kf_fields_fail(f, path, wrong_type_id);
        return KF_FIELD_BAD;
    }
}

static int has_control_chars(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r') || *c == 0x7f) {
            return 1;
        }
    }
    return 0;
}

kf_field_result kf_field_string(kf_fields *f, const json_t *obj, const char *key,
                                const char *path, int flags, apr_size_t min, apr_size_t max,
                                const char **out)
{
    const char *s = NULL;
    kf_field_result r = presence(f, kf_json_get_string(obj, key, &s), path, flags,
                                 "field_not_string");
    if (r != KF_FIELD_VALUE) {
        if (r == KF_FIELD_SKIPPED) {
            *out = NULL;
        }
        return r;
    }
    /* jansson strings may hold \u0000; a C string would silently cut there */
    json_t *v = json_object_get(obj, key);
    if (strlen(s) != json_string_length(v) || has_control_chars(s)) {
        kf_fields_fail(f, path, "field_control_chars");
        return KF_FIELD_BAD;
    }
    apr_size_t n = kf_utf8_length(s);
    if (n < min || n > max) {
        kf_fields_fail_range(f, path,
                             min == 0 ? "field_too_long" : "field_length",
                             (apr_int64_t)min, (apr_int64_t)max);
        return KF_FIELD_BAD;
    }
    *out = s;
    return KF_FIELD_VALUE;
}

kf_field_result kf_field_int(kf_fields *f, const json_t *obj, const char *key, const char *path,
                             int flags, apr_int64_t min, apr_int64_t max, apr_int64_t *out)
{
    json_int_t v = 0;
    kf_field_result r = presence(f, kf_json_get_int(obj, key, &v), path, flags,
                                 "field_not_integer");
    if (r != KF_FIELD_VALUE) {
        return r;
    }
    if (v < min || v > max) {
        kf_fields_fail_range(f, path, "field_int_range", min, max);
        return KF_FIELD_BAD;
    }
    *out = (apr_int64_t)v;
    return KF_FIELD_VALUE;
}

kf_field_result kf_field_bool(kf_fields *f, const json_t *obj, const char *key,
                              const char *path, int flags, int *out)
{
    int v = 0;
    kf_field_result r = presence(f, kf_json_get_bool(obj, key, &v), path, flags,
                                 "field_not_boolean");
    if (r == KF_FIELD_VALUE) {
        *out = v;
    }
    return r;
}

kf_field_result kf_field_object(kf_fields *f, const json_t *obj, const char *key,
                                const char *path, int flags, json_t **out)
{
    json_t *v = NULL;
    kf_field_result r = presence(f, kf_json_get_object(obj, key, &v), path, flags,
                                 "field_not_object");
    *out = r == KF_FIELD_VALUE ? v : NULL;
    return r;
}

kf_field_result kf_field_array(kf_fields *f, const json_t *obj, const char *key,
                               const char *path, int flags, apr_size_t max_items, json_t **out)
{
    json_t *v = NULL;
    kf_field_result r = presence(f, kf_json_get_array(obj, key, &v), path, flags,
                                 "field_not_array");
    *out = NULL;
    if (r != KF_FIELD_VALUE) {
        return r;
    }
    if (json_array_size(v) > max_items) {
        kf_fields_fail_range(f, path, "field_too_many_items", 0, (apr_int64_t)max_items);
        return KF_FIELD_BAD;
    }
    *out = v;
    return KF_FIELD_VALUE;
}

kf_field_result kf_field_url(kf_fields *f, const json_t *obj, const char *key, const char *path,
                             int flags, apr_size_t min, apr_size_t max, kf_url_policy policy,
                             const char **out)
{
    const char *url = NULL;
    kf_field_result r = kf_field_string(f, obj, key, path, flags, min, max, &url);
    if (r != KF_FIELD_VALUE) {
        return r;
    }
    if (kf_url_check(f->pool, url, policy) != NULL) {
        kf_fields_fail(f, path, "invalid_url");
        return KF_FIELD_BAD;
    }
    *out = url;
    return KF_FIELD_VALUE;
}
