#ifndef KF_FIELDS_H
#define KF_FIELDS_H
/* Field-level validation of JSON request bodies: typed readers that check one field each
 * and record what is wrong under a path-like key ("price.amount", "schedule[1].end") with
 * a message in the request's locale, so that one answer lists every bad field at once
 * (API.md: 400 validation_failed with "fields").
 *
 * Each reader returns KF_FIELD_VALUE when *out holds a valid value, KF_FIELD_SKIPPED when
 * the field is absent (or null, when nulls are allowed: *out is then set to NULL / the
 * reader's "no value") and nothing was recorded, or KF_FIELD_BAD after recording an error.
 * Only the first error of a path is kept. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_i18n.h"
#include "kf_url.h"

typedef struct kf_fields {
    apr_pool_t *pool;
    kf_locale locale;
    json_t *errors;   /* path -> message; owned by the pool (see kf_json.h) */
} kf_fields;

typedef enum {
    KF_FIELD_BAD = -1,
    KF_FIELD_SKIPPED = 0,
    KF_FIELD_VALUE = 1
} kf_field_result;

/* What a reader accepts besides a value of its type. */
enum {
    KF_FIELD_OPTIONAL = 0,  /* absent is fine (PATCH, or fields with defaults) */
    KF_FIELD_REQUIRED = 1,  /* absent is "required" */
    KF_FIELD_NULLABLE = 2   /* null is fine and means "no value" */
};

void kf_fields_init(kf_fields *f, apr_pool_t *p, kf_locale locale);

/* Records message `message_id` (kf_i18n catalog) for path, "{min}"/"{max}" filled in. */
void kf_fields_fail(kf_fields *f, const char *path, const char *message_id);
void kf_fields_fail_range(kf_fields *f, const char *path, const char *message_id,
                          apr_int64_t min, apr_int64_t max);
/* Records message_id with its placeholders filled in: pairs is {"{name}", "value", ...,
 * NULL} (kf_fill). */
void kf_fields_fail_with(kf_fields *f, const char *path, const char *message_id,
                         const char *const *pairs);

int kf_fields_ok(const kf_fields *f);
int kf_fields_has(const kf_fields *f, const char *path);

/* A new reference to the errors object, for the glue's kfm_reply_fields (which steals it). */
json_t *kf_fields_take(kf_fields *f);

/* "prefix[i]" / "prefix[i].key" / "prefix.key" in f->pool. */
const char *kf_fields_path_index(kf_fields *f, const char *prefix, int index);
const char *kf_fields_path_key(kf_fields *f, const char *prefix, const char *key);

/* A string of min..max code points (kf_utf8_length) without control characters other
 * than tab/newline. Leading/trailing whitespace is kept as sent. */
kf_field_result kf_field_string(kf_fields *f, const json_t *obj, const char *key,
                                const char *path, int flags, apr_size_t min, apr_size_t max,
                                const char **out);

/* An integer (JSON integer: 1.0 and "1" are wrong types) in min..max. */
kf_field_result kf_field_int(kf_fields *f, const json_t *obj, const char *key, const char *path,
                             int flags, apr_int64_t min, apr_int64_t max, apr_int64_t *out);

kf_field_result kf_field_bool(kf_fields *f, const json_t *obj, const char *key,
                              const char *path, int flags, int *out);

/* An object or an array (no check of the contents). */
kf_field_result kf_field_object(kf_fields *f, const json_t *obj, const char *key,
                                const char *path, int flags, json_t **out);
kf_field_result kf_field_array(kf_fields *f, const json_t *obj, const char *key,
                               const char *path, int flags, apr_size_t max_items, json_t **out);

/* A URL: a string of min..max code points (kf_field_string, with flags) that kf_url_check
 * accepts under `policy` ("invalid_url" at path otherwise). *out is written only with a
 * valid URL. */
kf_field_result kf_field_url(kf_fields *f, const json_t *obj, const char *key, const char *path,
                             int flags, apr_size_t min, apr_size_t max, kf_url_policy policy,
                             const char **out);

#endif
