#ifndef KF_SCHEMA_H
#define KF_SCHEMA_H
/* Whether a module may serve from a database's schema (docs/operating.md "Upgrades").
 *
 * A module needs at least its own schema version (KF_SCHEMA_VERSION). A newer schema is
 * served as long as every migration past the module's version is additive: it only adds
 * (tables, nullable or defaulted columns, indexes, functions), so the older module's
 * statements read and write as before. That is what lets an upgrade migrate first while
 * the running module keeps answering, and reload Apache afterwards. A migration declares
 * itself additive with the line KF_SCHEMA_ADDITIVE_MARK; konfirmado-migrate records it in
 * kf_schema_migrations.additive. A migration that changes or removes what older modules use
 * makes them refuse (503 schema_outdated: the module is the outdated one) until the reload. */

#include <apr_pools.h>

#define KF_SCHEMA_ADDITIVE_MARK "-- konfirmado: additive"

typedef enum kf_schema_fit {
    KF_SCHEMA_FITS = 0,         /* serve */
    KF_SCHEMA_BEHIND,           /* the database lacks migrations the module needs */
    KF_SCHEMA_AHEAD_BREAKING    /* the database went past the module with a breaking change */
} kf_schema_fit;

/* `current` the database's newest migration, `first_breaking` the lowest migration above
 * `expected` that is not additive (0: none). */
kf_schema_fit kf_schema_judge(int expected, int current, int first_breaking);

/* NULL when the module serves from that schema, else the log's line of why not and what
 * the operator does about it (from p). */
const char *kf_schema_refusal(apr_pool_t *p, int expected, int current, int first_breaking);

#endif
