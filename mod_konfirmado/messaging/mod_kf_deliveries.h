#ifndef MOD_KF_DELIVERIES_H
#define MOD_KF_DELIVERIES_H
/* Deliveries (API.md "After booking"): the mails, texts and merchant callbacks of the
 * session tenant's bookings, read through the `deliveries` view over their outboxes. */
#include "mod_kf_request.h"
#include "mod_kf_sql.h"
#include "mod_kf_db.h"

#include <jansson.h>


/* The deliveries of booking `booking_id` of the session tenant, oldest first: a new array,
 * NULL on a database error. */
json_t *kfm_deliveries_of_booking(kfm_req *kr, const char *booking_id);

#endif
