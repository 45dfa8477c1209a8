#ifndef MOD_KF_HANDLERS_H
#define MOD_KF_HANDLERS_H
/* Endpoint handlers. Each answers through the kf_reply_* helpers and returns OK. */
#include "mod_kf_request.h"

typedef int (*kf_handler_fn)(kf_req *kr);

int kf_handle_health(kf_req *kr);
int kf_handle_diagnostics_echo(kf_req *kr);
int kf_handle_diagnostics_db(kf_req *kr);

/* merchant accounts */
int kf_handle_register(kf_req *kr);
int kf_handle_verify_email(kf_req *kr);
int kf_handle_login(kf_req *kr);
int kf_handle_logout(kf_req *kr);
int kf_handle_me(kf_req *kr);
int kf_handle_forgot_password(kf_req *kr);
int kf_handle_reset_password(kf_req *kr);

/* tenant settings */
int kf_handle_tenant_get(kf_req *kr);
int kf_handle_tenant_patch(kf_req *kr);
int kf_handle_tenant_callback_secret(kf_req *kr);
int kf_handle_tenant_logo_upload(kf_req *kr);
int kf_handle_tenant_logo_public(kf_req *kr);
int kf_handle_tenant_wompi_put(kf_req *kr);
int kf_handle_tenant_wompi_test(kf_req *kr);

/* catalog */
int kf_handle_services_list(kf_req *kr);
int kf_handle_services_create(kf_req *kr);
int kf_handle_services_get(kf_req *kr);
int kf_handle_services_update(kf_req *kr);
int kf_handle_services_archive(kf_req *kr);
int kf_handle_professionals_list(kf_req *kr);
int kf_handle_professionals_create(kf_req *kr);
int kf_handle_professionals_get(kf_req *kr);
int kf_handle_professionals_update(kf_req *kr);
int kf_handle_professionals_archive(kf_req *kr);
int kf_handle_links_list(kf_req *kr);
int kf_handle_links_create(kf_req *kr);
int kf_handle_links_get(kf_req *kr);
int kf_handle_links_update(kf_req *kr);
int kf_handle_links_deactivate(kf_req *kr);

/* admin bookings */
int kf_handle_admin_bookings_list(kf_req *kr);
int kf_handle_admin_bookings_csv(kf_req *kr);
int kf_handle_admin_booking_get(kf_req *kr);

/* audit */
int kf_handle_audit_list(kf_req *kr);

/* payments */
int kf_handle_webhook_wompi(kf_req *kr);
int kf_handle_admin_booking_callback(kf_req *kr);

/* public booking (API.md "Public booking API") */
int kf_handle_public_link(kf_req *kr);
int kf_handle_public_availability(kf_req *kr);
int kf_handle_public_hold_create(kf_req *kr);
int kf_handle_public_hold_release(kf_req *kr);
int kf_handle_public_booking_create(kf_req *kr);
int kf_handle_public_booking_status(kf_req *kr);
int kf_handle_public_booking_calendar(kf_req *kr);
int kf_handle_admin_metrics(kf_req *kr);
int kf_handle_admin_callback_test(kf_req *kr);
int kf_handle_public_booking_cancel(kf_req *kr);
int kf_handle_admin_booking_cancel(kf_req *kr);
int kf_handle_public_booking_reschedule(kf_req *kr);
int kf_expiry_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

/* static/wizard: the /book shell and /static files of KonfirmadoHtdocs (mod_kf_static.c) */
int kf_static_translate(request_rec *r);
int kf_static_map_to_storage(request_rec *r);

/* The translate_name/handler pair that routes /api/ to the table in mod_kf_router.c. */
int kf_router_translate(request_rec *r);
int kf_router_map_to_storage(request_rec *r);
int kf_router_handler(request_rec *r);

#endif
