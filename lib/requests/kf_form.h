#ifndef KF_FORM_H
#define KF_FORM_H
/* Form bodies: application/x-www-form-urlencoded and multipart/form-data (RFC 7578), the two
 * a mail provider's one-click unsubscribe (RFC 8058) may send. Only text fields are read. */
#include <apr_pools.h>

typedef enum {
    KF_FORM_NONE = 0,      /* not a form */
    KF_FORM_URLENCODED,    /* application/x-www-form-urlencoded */
    KF_FORM_MULTIPART      /* multipart/form-data (with its boundary parameter) */
} kf_form_kind;

/* Which form a Content-Type announces (any case, with its parameters). */
kf_form_kind kf_form_kind_of(const char *content_type);

/* The value of the field `name` in a form body of `len` bytes (NUL-terminated) announced by
 * `content_type`, from p; NULL when the body is no such form, or has no such field or has
 * it twice. Trailing line ends of an urlencoded body are not part of its last value. */
const char *kf_form_field(apr_pool_t *p, const char *content_type, const char *body,
                          apr_size_t len, const char *name);

#endif
