#ifndef MOD_KF_BOOKING_CUSTOMER_H
#define MOD_KF_BOOKING_CUSTOMER_H
/* The merchant corrects a booking's customer contact (PATCH /api/admin/bookings/{id}). */
#include "mod_kf_request.h"
#include "mod_kf_sql.h"
#include "mod_kf_db.h"

/* Statement table, listed in mod_kf_db.c's all_sql. */
extern const kfm_sql kfm_booking_customer_sql[];

#endif
