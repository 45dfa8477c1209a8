#ifndef KF_I18N_H
#define KF_I18N_H
/* Locales and the human messages of API error codes (es default, en), and the templates
 * they are filled from. */
#include <apr.h>
#include <apr_pools.h>

typedef enum {
    KF_LOCALE_ES = 0,
    KF_LOCALE_EN = 1
} kf_locale;

/* Picks es or en from an Accept-Language header honouring q-values and order;
 * anything else (or NULL) falls back to es. */
kf_locale kf_locale_negotiate(const char *accept_language);

/* "es" or "en". */
const char *kf_locale_tag(kf_locale locale);
/* A stored tag's locale: "en" is English, anything else (NULL too) Spanish. */
kf_locale kf_locale_of_tag(const char *tag);

/* Message for an error code or message id of API.md; an unknown id yields a generic
 * message (never NULL), so a new code can never produce an empty answer. */
const char *kf_message(const char *id, kf_locale locale);

/* 1 when the id has its own entry in the catalog (tests use it to keep it complete). */
int kf_message_known(const char *id);

/* ---- message templates ---- */

/* text with each placeholder of pairs ({"{name}", "value", ..., NULL}) put in, left to
 * right; a NULL value puts nothing. Text without placeholders is copied. */
const char *kf_fill(apr_pool_t *p, const char *text, const char *const *pairs);

/* A "{min}" and "{max}" template ("Debe tener entre {min} y {max} caracteres.") with the
 * numbers put in. Text without placeholders is copied. */
const char *kf_fill_min_max(apr_pool_t *p, const char *text, apr_int64_t min, apr_int64_t max);

#endif
