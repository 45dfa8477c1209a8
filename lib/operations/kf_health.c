/* The health answer: see kf_health.h. */
#include "kf_health.h"
#include "kf_version.h"

json_t *kf_health_json(kf_health_state st, int schema)
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
    return body;
}

const char *kf_health_problem(kf_health_state st)
{
    return st == KF_HEALTH_DB_DOWN ? "database down"
         : st == KF_HEALTH_SCHEMA_OUTDATED ? "schema outdated" : "statements broken";
}
