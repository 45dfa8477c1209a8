/* /api/diagnostics/... endpoints — only with KonfirmadoDiagnostics On (tests, never production).
 * They run the shared plumbing without any business logic, so the end-to-end tests can
 * pin the rules of API.md "Conventions" (body limits, JSON errors) and the database guard
 * (503 schema_outdated) before the features that rely on them exist. */
#include "mod_kf_operations_feature.h"
#include "mod_kf_db.h"

int kfm_handle_diagnostics_echo(kfm_req *kr)
{
    json_t *body = NULL;
    if (kfm_conf_diagnostics(kr->conf) != 1) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    json_t *answer = json_object();
    json_object_set(answer, "received", body);
    json_object_set_new(answer, "request_id", json_string(kr->id));
    json_object_set_new(answer, "locale", json_string(kf_locale_tag(kr->locale)));
    return kfm_reply_json(kr, HTTP_OK, answer);
}

/* GET /api/diagnostics/db: reached only through the router's database guard. */
int kfm_handle_diagnostics_db(kfm_req *kr)
{
    if (kfm_conf_diagnostics(kr->conf) != 1) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    if (kfm_db_ping(kr->r, kr->db) != APR_SUCCESS) {
        return kfm_reply_error_msg(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable",
                                  "database_unavailable");
    }
    json_t *answer = json_object();
    json_object_set_new(answer, "database", json_string("ok"));
    return kfm_reply_json(kr, HTTP_OK, answer);
}
