#ifndef KF_HEALTH_H
#define KF_HEALTH_H
/* The answer of GET /api/health (API.md "Operations"): whether this server can serve, its
 * database, version and schema. */
#include <jansson.h>

typedef enum kf_health_state {
    KF_HEALTH_OK = 0,
    KF_HEALTH_DB_DOWN,           /* no connection, or it did not answer */
    KF_HEALTH_SCHEMA_OUTDATED,   /* migrations pending */
    KF_HEALTH_BROKEN             /* a statement does not prepare */
} kf_health_state;

/* The answer's body; `schema` the database's schema version (< 0: not known). A state
 * other than KF_HEALTH_OK adds "failed": {"dependency", "reason"}: which dependency stops
 * this server ("database", "schema", "statements") and why, in an operator's words;
 * `db_reason` what the database's outage was found to be (NULL: not known). */
json_t *kf_health_json(kf_health_state st, int schema, const char *db_reason);

/* What the log says of a state other than KF_HEALTH_OK. */
const char *kf_health_problem(kf_health_state st);

#endif
