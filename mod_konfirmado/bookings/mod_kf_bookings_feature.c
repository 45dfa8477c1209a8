/* The bookings feature as the module sees it: endpoints, statements, jobs. */
#include "mod_kf_bookings_feature.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_callbacks.h"
#include "mod_kf_booking_payments.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"POST", "/api/public/bookings"}, kfm_handle_public_booking_create,
     KFM_AUTH_PUBLIC, KFM_NEEDS_JSON_OBJECT | KFM_NEEDS_OWN_DB, KFM_CHARGE_PUBLIC_BOOKING, 0},
    {{"GET", "/api/public/bookings/{id}"}, kfm_handle_public_booking_status,
     KFM_AUTH_PUBLIC, KFM_NEEDS_OWN_DB, KFM_CHARGE_PUBLIC_READ, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_bookings_sql, kfm_booking_status_sql, kfm_booking_state_sql, kfm_booking_payments_sql,
    kfm_booking_paid_sql, kfm_expiry_sql,
    NULL,
};

/* What a merchant's 2xx to a callback and a payment event do to a booking are the bookings'
 * moves: callbacks and payments, below, are handed them. */
static void hand_callback_acknowledged(void)
{
    kfm_callbacks_when_acknowledged(kfm_booking_callback_acknowledged);
}

static void hand_payment_moves(void)
{
    kfm_payments_move_bookings_with(&kfm_booking_payment_moves_of_bookings);
}

static const kfm_handoff handoffs[] = {
    {"callbacks", "kfm_callbacks_when_acknowledged", hand_callback_acknowledged},
    {"payments", "kfm_payments_move_bookings_with", hand_payment_moves},
    KFM_HANDOFFS_END,
};

static const kfm_job jobs[] = {
    {"expiry", kfm_expiry_job_register},
    {"checkouts", kfm_checkouts_job_register},
    {NULL, NULL},
};

const kfm_feature kfm_bookings_feature = {
    .name = "bookings",
    .endpoints = endpoints,
    .statements = statements,
    .jobs = jobs,
    .handoffs = handoffs,
};
