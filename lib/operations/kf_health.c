/* The health answer: see kf_health.h. */
#include "kf_health.h"
#include "kf_version.h"

#include <stdio.h>

static json_t *failed(kf_health_state st, int schema, const char *db_reason)
{
    const char *dependency = "statements";
    const char *reason = "a statement does not prepare: the module's SQL and the database's "
                         "schema disagree (the error log names it)";
    char text[160];
    if (st == KF_HEALTH_DB_DOWN) {
        dependency = "database";
        reason = db_reason ? db_reason : "PostgreSQL cannot be reached";
    }
    else if (st == KF_HEALTH_SCHEMA_OUTDATED && schema > KF_SCHEMA_VERSION) {
        dependency = "schema";
        snprintf(text, sizeof(text), "the database schema is at version %d, past this module's "
                 "%d with a change that is not additive: reload Apache with the newer module",
                 schema, KF_SCHEMA_VERSION);
        reason = text;
    }
    else if (st == KF_HEALTH_SCHEMA_OUTDATED) {
        dependency = "schema";
        snprintf(text, sizeof(text), "the database schema is at version %d, this module needs "
                 "%d: run konfirmado-migrate", schema, KF_SCHEMA_VERSION);
        reason = text;
    }
    return json_pack("{s:s, s:s}", "dependency", dependency, "reason", reason);
}

json_t *kf_health_json(kf_health_state st, int schema, const char *db_reason)
{
    json_t *body = json_object();
    json_object_set_new(body, "status", json_string(st == KF_HEALTH_OK ? "ok" : "unavailable"));
    json_object_set_new(body, "database", json_string(st == KF_HEALTH_DB_DOWN ? "down" : "ok"));
    json_object_set_new(body, "version", json_string(KF_VERSION));
    json_t *sch = json_object();
    json_object_set_new(sch, "expected", json_integer(KF_SCHEMA_VERSION));
    json_object_set_new(sch, "current", schema >= 0 ? json_integer(schema) : json_null());
    json_object_set_new(sch, "status", json_string(st == KF_HEALTH_SCHEMA_OUTDATED ? "outdated"
                                                   : st == KF_HEALTH_DB_DOWN       ? "unknown"
                                                                                   : "ok"));
    json_object_set_new(body, "schema", sch);
    if (st != KF_HEALTH_OK) {
        json_object_set_new(body, "failed", failed(st, schema, db_reason));
    }
    return body;
}

const char *kf_health_problem(kf_health_state st)
{
    return st == KF_HEALTH_DB_DOWN ? "database down"
         : st == KF_HEALTH_SCHEMA_OUTDATED ? "schema outdated" : "statements broken";
}
