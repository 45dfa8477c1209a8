#ifndef MOD_KF_HANDLERS_H
#define MOD_KF_HANDLERS_H
/* Endpoint handlers. Each answers through the kfm_reply_* helpers and returns OK. */
#include "mod_kf_request.h"

typedef int (*kfm_handler_fn)(kfm_req *kr);

int kfm_handle_health(kfm_req *kr);
int kfm_handle_diagnostics_echo(kfm_req *kr);
int kfm_handle_diagnostics_db(kfm_req *kr);

/* merchant accounts */
int kfm_handle_register(kfm_req *kr);
int kfm_handle_verify_email(kfm_req *kr);
int kfm_handle_login(kfm_req *kr);
int kfm_handle_logout(kfm_req *kr);
int kfm_handle_me(kfm_req *kr);
int kfm_handle_forgot_password(kfm_req *kr);
int kfm_handle_reset_password(kfm_req *kr);

/* tenant settings */
int kfm_handle_tenant_get(kfm_req *kr);
int kfm_handle_tenant_patch(kfm_req *kr);
int kfm_handle_tenant_callback_secret(kfm_req *kr);
int kfm_handle_tenant_logo_upload(kfm_req *kr);
int kfm_handle_tenant_logo_public(kfm_req *kr);
int kfm_handle_tenant_payments_put(kfm_req *kr);
int kfm_handle_tenant_payments_test(kfm_req *kr);

/* catalog */
int kfm_handle_services_list(kfm_req *kr);
int kfm_handle_services_create(kfm_req *kr);
int kfm_handle_services_get(kfm_req *kr);
int kfm_handle_services_update(kfm_req *kr);
int kfm_handle_services_archive(kfm_req *kr);
int kfm_handle_professionals_list(kfm_req *kr);
int kfm_handle_professionals_create(kfm_req *kr);
int kfm_handle_professionals_get(kfm_req *kr);
int kfm_handle_professionals_update(kfm_req *kr);
int kfm_handle_professionals_archive(kfm_req *kr);
int kfm_handle_links_list(kfm_req *kr);
int kfm_handle_links_create(kfm_req *kr);
int kfm_handle_links_get(kfm_req *kr);
int kfm_handle_links_update(kfm_req *kr);
int kfm_handle_links_deactivate(kfm_req *kr);
/* packages (mod_kf_packages.c, mod_kf_purchases.c) */
int kfm_handle_packages_list(kfm_req *kr);
int kfm_handle_packages_create(kfm_req *kr);
int kfm_handle_packages_get(kfm_req *kr);
int kfm_handle_packages_update(kfm_req *kr);
int kfm_handle_packages_archive(kfm_req *kr);
int kfm_handle_public_purchase_create(kfm_req *kr);
int kfm_handle_public_purchase_status(kfm_req *kr);

/* admin bookings */
int kfm_handle_admin_bookings_list(kfm_req *kr);
int kfm_handle_admin_bookings_csv(kfm_req *kr);
int kfm_handle_admin_booking_get(kfm_req *kr);

/* audit */
int kfm_handle_audit_list(kfm_req *kr);

/* deliveries */
int kfm_handle_deliveries_list(kfm_req *kr);
int kfm_handle_delivery_resend(kfm_req *kr);
int kfm_handle_admin_booking_customer(kfm_req *kr);

/* payments */
int kfm_handle_webhook_wompi(kfm_req *kr);
int kfm_handle_webhook_stripe(kfm_req *kr);
int kfm_handle_webhook_mercadopago(kfm_req *kr);
int kfm_handle_webhook_airwallex(kfm_req *kr);
int kfm_handle_admin_booking_callback(kfm_req *kr);

/* public booking (API.md "Public booking API") */
int kfm_handle_public_link(kfm_req *kr);
int kfm_handle_public_availability(kfm_req *kr);
int kfm_handle_public_hold_create(kfm_req *kr);
int kfm_handle_public_hold_release(kfm_req *kr);
int kfm_handle_public_booking_create(kfm_req *kr);
int kfm_handle_public_booking_status(kfm_req *kr);
int kfm_handle_public_booking_calendar(kfm_req *kr);
int kfm_handle_admin_metrics(kfm_req *kr);
int kfm_handle_admin_callback_test(kfm_req *kr);
int kfm_handle_public_booking_cancel(kfm_req *kr);
int kfm_handle_admin_booking_cancel(kfm_req *kr);
int kfm_handle_admin_booking_refund(kfm_req *kr);
int kfm_handle_tenant_twilio_put(kfm_req *kr);
int kfm_handle_tenant_twilio_delete(kfm_req *kr);
int kfm_handle_public_booking_reschedule(kfm_req *kr);
int kfm_handle_admin_booking_reschedule(kfm_req *kr);
/* professionals' calendars (mod_kf_calendar_connect.c, mod_kf_calendar_webhooks.c) */
int kfm_handle_admin_calendar_invitation(kfm_req *kr);
int kfm_handle_admin_calendar_disconnect(kfm_req *kr);
int kfm_handle_public_invitation(kfm_req *kr);
int kfm_handle_public_invitation_calcom(kfm_req *kr);
int kfm_handle_oauth_start(kfm_req *kr);
int kfm_handle_oauth_callback(kfm_req *kr);
int kfm_handle_webhook_google(kfm_req *kr);
int kfm_handle_webhook_microsoft(kfm_req *kr);
int kfm_handle_webhook_calcom(kfm_req *kr);
int kfm_expiry_job_register(apr_pool_t *pconf, server_rec *s, const char *instance);

/* static/wizard: the /book shell and /static files of KonfirmadoHtdocs (mod_kf_static.c) */
int kfm_static_translate(request_rec *r);
int kfm_static_map_to_storage(request_rec *r);

/* The translate_name/handler pair that routes /api/ to the table in mod_kf_router.c. */
int kfm_router_translate(request_rec *r);
int kfm_router_map_to_storage(request_rec *r);
int kfm_router_handler(request_rec *r);
/* For a KFM_DB_ON_DEMAND route: a ready connection in kr->db (taken now if there is none).
 * 1, or 0 after answering 503 (500 for a broken one) in *rc, as the router would have. */
int kfm_req_db(kfm_req *kr, int *rc);
/* For a handler that waits on another service (a payment provider) between two pieces of
 * database work, or has work left after its last statement (computing and writing a large
 * answer): kfm_req_db_own takes a connection the request can give back with
 * kfm_req_db_give_back before the wait (and take again after) or once its statements are
 * done, so that a slow provider or client ties up a worker thread, not one of the pool's
 * DBDMax connections. A connection the
 * request holds already (a custom domain's look-up, mod_dbd's request-scoped one) is used
 * and kept until the request ends. Same answers as kfm_req_db on failure; with rc NULL
 * (taken again mid-request) nothing is answered: the caller answers. */
int kfm_req_db_own(kfm_req *kr, int *rc);
void kfm_req_db_give_back(kfm_req *kr);

#endif
