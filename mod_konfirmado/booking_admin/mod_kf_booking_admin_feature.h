#ifndef MOD_KF_BOOKING_ADMIN_FEATURE_H
#define MOD_KF_BOOKING_ADMIN_FEATURE_H
/* The merchant's side of bookings: the list, its CSV export, a booking's detail, the
 * correction of its customer's contact and a refund. It stands on bookings/ (the booking, its
 * state machine and executor) and below changes/, whose actions share its opening
 * (mod_kf_admin_bookings.h). What the feature hands the module (its descriptor,
 * mod_kf_booking_admin_feature.c), and the handlers and statement tables that descriptor
 * lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_booking_admin_feature;

/* endpoints */
int kfm_handle_admin_bookings_list(kfm_req *kr);
int kfm_handle_admin_bookings_csv(kfm_req *kr);
int kfm_handle_admin_booking_get(kfm_req *kr);
int kfm_handle_admin_booking_customer(kfm_req *kr);
int kfm_handle_admin_booking_refund(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_booking_customer_sql[];
extern const kfm_sql kfm_admin_bookings_sql[];
extern const kfm_sql kfm_admin_refund_sql[];

#endif
