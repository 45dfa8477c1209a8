/* POST /api/diagnostics/echo — only with KonfirmadoDiagnostics On (tests, never production).
 * Runs a body through the same reading and parsing every JSON endpoint uses and echoes
 * it, so the end-to-end tests can pin the limits and errors of API.md "Conventions". */
#include "mod_kf_handlers.h"

int kf_handle_diagnostics_echo(kf_req *kr)
{
    json_t *body = NULL;
    if (kf_conf_diagnostics(kr->conf) != 1) {
        return kf_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    if (kf_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    json_t *answer = json_object();
    json_object_set(answer, "received", body);
    json_object_set_new(answer, "request_id", json_string(kr->id));
    json_object_set_new(answer, "locale", json_string(kf_locale_tag(kr->locale)));
    return kf_reply_json(kr, HTTP_OK, answer);
}
