/* Whether a module may serve from a schema: see kf_schema.h. */
#include "kf_schema.h"

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
