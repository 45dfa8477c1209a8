#ifndef KF_QUERY_H
#define KF_QUERY_H
/* Query strings (application/x-www-form-urlencoded, as in r->args) decoded into a table. */
#include <apr_pools.h>
#include <apr_tables.h>

typedef enum {
    KF_QUERY_OK = 0,
    KF_QUERY_BAD_ENCODING,   /* a bad %-escape, a decoded NUL byte, or invalid UTF-8 */
    KF_QUERY_REPEATED        /* a name given twice: ambiguous, refused rather than guessed */
} kf_query_status;

/* Decodes "a=1&b=x%20y&c" into a -> "1", b -> "x y", c -> "" ('+' is a space; empty
 * pieces between '&' are skipped). NULL or "" -> an empty table. On an error *bad is the
 * offending name (decoded, else raw, else "?"; always valid UTF-8) and *out is still set to what was read. */
kf_query_status kf_query_parse(apr_pool_t *p, const char *args, apr_table_t **out,
                               const char **bad);

/* A value that is a positive decimal integer no larger than max ("page", "per_page"), else 0. */
int kf_query_positive(const char *s, int max);

#endif
