#ifndef MOD_KF_BOOKING_CUSTOMER_H
#define MOD_KF_BOOKING_CUSTOMER_H
/* The merchant corrects a booking's customer contact (PATCH /api/admin/bookings/{id}). */
#include "mod_kf_request.h"
#include "mod_kf_sql.h"
#include "mod_kf_db.h"


#endif
