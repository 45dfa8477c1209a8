/* The changes feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_changes_feature.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/admin/bookings/{id}/cancel"}, kfm_handle_admin_booking_cancel,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/bookings/{id}/reschedule"}, kfm_handle_admin_booking_reschedule,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/bookings/{id}/complete"}, kfm_handle_admin_booking_complete,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/bookings/{id}/no-show"}, kfm_handle_admin_booking_no_show,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/public/bookings/{id}/cancel"}, kfm_handle_public_booking_cancel,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/public/bookings/{id}/reschedule"}, kfm_handle_public_booking_reschedule,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_cancel_sql, kfm_reschedule_sql, kfm_attendance_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"auto-complete", kfm_auto_complete_job_register},
    {NULL, NULL},
};

const kfm_feature kfm_changes_feature = {
    .name = "changes",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
};
