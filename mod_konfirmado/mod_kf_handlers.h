#ifndef MOD_KF_HANDLERS_H
#define MOD_KF_HANDLERS_H
/* Endpoint handlers. Each answers through the kf_reply_* helpers and returns OK. */
#include "mod_kf_request.h"

typedef int (*kf_handler_fn)(kf_req *kr);

int kf_handle_health(kf_req *kr);
int kf_handle_diagnostics_echo(kf_req *kr);
int kf_handle_diagnostics_db(kf_req *kr);

/* merchant accounts */

/* tenant settings */

/* catalog */

/* audit */

/* static/wizard: the /book shell and /static files of KonfirmadoHtdocs (mod_kf_static.c) */
int kf_static_translate(request_rec *r);
int kf_static_map_to_storage(request_rec *r);

/* The translate_name/handler pair that routes /api/ to the table in mod_kf_router.c. */
int kf_router_translate(request_rec *r);
int kf_router_map_to_storage(request_rec *r);
int kf_router_handler(request_rec *r);

#endif
