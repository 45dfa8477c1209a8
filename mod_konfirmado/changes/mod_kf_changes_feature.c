/* The changes feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_changes_feature.h"
#include "mod_kf_calendar.h"

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
    {{"DELETE", "/api/admin/bookings/{id}/mark"}, kfm_handle_admin_booking_unmark,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/public/bookings/{id}/cancel"}, kfm_handle_public_booking_cancel,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/public/bookings/{id}/reschedule"}, kfm_handle_public_booking_reschedule,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    /* a new checkout, like making a booking: counted like one; the provider is asked with
     * the connection given back */
    {{"POST", "/api/public/bookings/{id}/pay"}, kfm_handle_public_booking_pay,
     KFM_AUTH_PUBLIC, KFM_NEEDS_JSON_OBJECT | KFM_NEEDS_OWN_DB, KFM_CHARGE_PUBLIC_BOOKING, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_cancel_sql, kfm_reschedule_sql, kfm_reschedule_rest_sql, kfm_attendance_sql,
    kfm_pay_again_sql,
    NULL,
};

static const kfm_job jobs[] = {
    {"auto-complete", kfm_auto_complete_job_register},
    {NULL, NULL},
};

/* A cancellation or move made in the professional's calendar is a change of the booking:
 * the calendars feature, below, is handed the two ways to make it. */
static void hand_changes_outside(void)
{
    kfm_calendars_when_changed_outside(kfm_booking_cancelled_in_calendar,
                                       kfm_booking_moved_in_calendar);
}

static const kfm_handoff handoffs[] = {
    {"calendars", "kfm_calendars_when_changed_outside", hand_changes_outside},
    KFM_HANDOFFS_END,
};

const kfm_feature kfm_changes_feature = {
    .name = "changes",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .handoffs = handoffs,
};
