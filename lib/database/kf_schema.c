/* Whether a module may serve from a schema: see kf_schema.h. */
#include "kf_schema.h"

#include <apr_strings.h>

kf_schema_fit kf_schema_judge(int expected, int current, int first_breaking)
{
    if (current < expected) {
        return KF_SCHEMA_BEHIND;
    }
    if (first_breaking > expected && first_breaking <= current) {
        return KF_SCHEMA_AHEAD_BREAKING;
    }
    return KF_SCHEMA_FITS;
}

const char *kf_schema_refusal(apr_pool_t *p, int expected, int current, int first_breaking)
{
    switch (kf_schema_judge(expected, current, first_breaking)) {
    case KF_SCHEMA_BEHIND:
        return apr_psprintf(p, "database schema is at version %d, this module needs %d: run "
                            "konfirmado-migrate", current, expected);
    case KF_SCHEMA_AHEAD_BREAKING:
        return apr_psprintf(p, "database schema is at version %d and its migration %d is not "
                            "additive; this module knows up to %d: reload Apache with the "
                            "module of that schema", current, first_breaking, expected);
    case KF_SCHEMA_FITS:
        break;
    }
    return NULL;
}
