#ifndef KF_CHECK_FIELDS_H
#define KF_CHECK_FIELDS_H
/* What the suites of field readers (kf_fields.h, kf_field_price) and of request bodies share:
 * a JSON body from text in the test's pool, the message recorded at a path, a JSON answer as
 * compact text. */
#include "kf_check.h"
#include "kf_fields.h"
#include "kf_json.h"

#include <string.h>

static inline json_t *parse(const char *text)
{
    json_t *j = kf_json_parse(pool, text, strlen(text), NULL);
    ck_assert_ptr_nonnull(j);
    return j;
}

/* j as compact text (keys in the order they were set) in the test's pool; j is released. */
static inline const char *text_of(json_t *j)
{
    const char *text = kf_json_dump(pool, j);
    json_decref(j);
    return text ? text : "(null)";
}

static inline const char *error_of(kf_fields *f, const char *path)
{
    return json_string_value(json_object_get(f->errors, path));
}

#endif
