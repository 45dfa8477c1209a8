#ifndef KF_METADATA_H
#define KF_METADATA_H
/* The merchant's own ids on a link, a booking or a package purchase (API.md "Metadata"): an
 * object of at most KF_METADATA_KEYS keys of 1 to KF_METADATA_KEY_LENGTH characters from
 * [A-Za-z0-9_.-], each value a string of at most KF_METADATA_VALUE_LENGTH characters (UTF-8
 * code points, no control characters). Stored as JSON text with its keys sorted, which is
 * also the order a callback carries them in. */
#include <apr_pools.h>
#include <jansson.h>

#define KF_METADATA_KEYS 20
#define KF_METADATA_KEY_LENGTH 40
#define KF_METADATA_VALUE_LENGTH 500

/* What is wrong with a metadata object: the field at fault ("metadata" or
 * "metadata.<key>", as API.md's validation_failed names it) and the message id
 * (kf_i18n catalog). */
typedef struct kf_metadata_problem {
    const char *field;
    const char *message_id;
} kf_metadata_problem;

/* Reads `value` (NULL: absent; JSON null: none). 1 with *text the object as compact JSON,
 * keys sorted (NULL when absent, null or empty); 0 with *why. Strings are p's. */
int kf_metadata_read(apr_pool_t *p, const json_t *value, const char **text,
                     kf_metadata_problem *why);

/* A link's metadata with a booking's or purchase's over it (the latter's value wins for a
 * key both have); either may be NULL. 1 with *text (NULL when both are empty); 0 with *why
 * when the two together have more than KF_METADATA_KEYS keys. */
int kf_metadata_merge(apr_pool_t *p, const char *link_text, const char *own_text,
                      const char **text, kf_metadata_problem *why);

/* The stored text as a new object with its keys sorted, or NULL when it is NULL, empty or
 * no object. The caller owns it. */
json_t *kf_metadata_object(const char *text);

#endif
