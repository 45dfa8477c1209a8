/* The calendars feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_calendars_feature.h"
#include "mod_kf_calendars_conf.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/admin/professionals/{id}/invitation"}, kfm_handle_admin_calendar_invitation,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"DELETE", "/api/admin/professionals/{id}/calendar"}, kfm_handle_admin_calendar_disconnect,
     KFM_AUTH_CSRF, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/bookings/{id}/calendar-change/accept"},
     kfm_handle_admin_calendar_change_accept, KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/bookings/{id}/calendar-change/restore"},
     kfm_handle_admin_calendar_change_restore, KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/professionals/{id}/calendars"}, kfm_handle_admin_calendar_choices,
     KFM_AUTH_SESSION, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"PUT", "/api/admin/professionals/{id}/calendars"}, kfm_handle_admin_calendar_choose,
     KFM_AUTH_CSRF, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/public/invitations/{invitation}"}, kfm_handle_public_invitation,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    {{"GET", "/api/public/invitations/{invitation}/calendars"},
     kfm_handle_public_invitation_calendars, KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB,
     KFM_CHARGE_PUBLIC_READ, 0},
    {{"PUT", "/api/public/invitations/{invitation}/calendars"},
     kfm_handle_public_invitation_choose, KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB,
     KFM_CHARGE_PUBLIC_READ, 0},
    {{"POST", "/api/public/invitations/{invitation}/calcom"}, kfm_handle_public_invitation_calcom,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_PUBLIC_READ, 0},
    {{"POST", "/api/public/invitations/{invitation}/caldav"}, kfm_handle_public_invitation_caldav,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_PUBLIC_READ, 0},
    {{"GET", "/api/oauth/{provider}/start"}, kfm_handle_oauth_start,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_OAUTH_START, 0},
    {{"GET", "/api/oauth/{provider}/callback"}, kfm_handle_oauth_callback,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/webhooks/google"}, kfm_handle_webhook_google,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/webhooks/microsoft"}, kfm_handle_webhook_microsoft,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/webhooks/calcom/{tenant}"}, kfm_handle_webhook_calcom,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/calendar/orphans"}, kfm_handle_admin_calendar_orphans,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/calendar/orphans/{id}/remove"}, kfm_handle_admin_calendar_orphan_remove,
     KFM_AUTH_CSRF, KFM_NEEDS_OWN_DB, KFM_CHARGE_NONE, 0},
    {{"DELETE", "/api/admin/calendar/orphans/{id}"}, kfm_handle_admin_calendar_orphan_forget,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_calendar_sql, kfm_calendar_sync_job_sql, kfm_calendar_connect_sql,
    kfm_calendar_webhooks_sql, kfm_calendar_events_sql, kfm_calendar_orphans_sql,
    kfm_calendar_choices_sql, kfm_calendar_outside_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"calendar_sync", kfm_calendar_sync_job_register},
    {"calendar_events", kfm_calendar_events_job_register},
    {"calendar_orphans", kfm_calendar_orphans_job_register},
    {NULL, NULL},
};

const kfm_feature kfm_calendars_feature = {
    .name = "calendars",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .directives = &kfm_calendars_conf_directives,
};
