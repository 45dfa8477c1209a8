/* The messaging feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_messaging_feature.h"
#include "mod_kf_messaging_conf.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"GET", "/api/admin/deliveries"}, kfm_handle_deliveries_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/deliveries/{id}/resend"}, kfm_handle_delivery_resend,
     KFM_AUTH_CSRF, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"PUT", "/api/admin/tenant/messaging/twilio"}, kfm_handle_tenant_twilio_put,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"DELETE", "/api/admin/tenant/messaging/twilio"}, kfm_handle_tenant_twilio_delete,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/public/bookings/{id}/calendar.ics"}, kfm_handle_public_booking_calendar,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_mail_sql, kfm_booking_mail_sql, kfm_reminders_sql, kfm_messaging_sql,
    kfm_deliveries_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"mail", kfm_mail_jobs_register},
    {"reminders", kfm_reminders_job_register},
    {"messages", kfm_messages_job_register},
    {NULL, NULL},
};

const kfm_feature kfm_messaging_feature = {
    .name = "messaging",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .directives = &kfm_messaging_conf_directives,
};
