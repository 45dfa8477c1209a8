/* The merchant's side of bookings as the module sees it: endpoints and statements. */
#include "mod_kf_booking_admin_feature.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    {{"GET", "/api/admin/bookings"}, kfm_handle_admin_bookings_list,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/bookings.csv"}, kfm_handle_admin_bookings_csv,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/bookings/{id}"}, kfm_handle_admin_booking_get,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"PATCH", "/api/admin/bookings/{id}"}, kfm_handle_admin_booking_customer,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/admin/bookings/{id}/refund"}, kfm_handle_admin_booking_refund,
     KFM_AUTH_CSRF, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_admin_bookings_sql, kfm_booking_customer_sql, kfm_admin_refund_sql,
    NULL,
};

const kfm_feature kfm_booking_admin_feature = {
    .name = "booking_admin",
    .endpoints = endpoints,
    .statements = statements,
};
