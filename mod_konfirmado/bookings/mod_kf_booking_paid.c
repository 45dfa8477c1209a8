/* What follows a booking becoming paid. See mod_kf_booking_paid.h. */
#include "mod_kf_booking_paid.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_booking_mail.h"
#include "mod_kf_calendar.h"
#include "mod_kf_callback_queue.h"

const kfm_sql kfm_booking_paid_sql[] = {
    /* the callback's facts, then the mails': $1 and $2 the booking's id. One statement
     * instead of two on the path of every approval. */
    {"kf_booking_paid_facts",
     "SELECT * FROM (" KFM_CB_BOOKING_SELECT ") cb, (" KFM_BM_DETAILS_SELECT ") bm"},
    {NULL, NULL},
};

apr_status_t kfm_booking_paid_effects(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id)
{
    kfm_rows *facts = NULL;
    const char *args[] = {reservation_id, reservation_id};
    apr_status_t rv = kfm_db_select(c->r, db, "kf_booking_paid_facts", &facts, 2, args);
    if (rv == APR_SUCCESS) {
        rv = kfm_callback_queue_from(c, db, facts, 0, reservation_id, "booking.paid");
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_mails_paid_from(c, db, facts, KF_CB_BK_COLUMNS);
    }
    return rv == APR_SUCCESS ? kfm_calendar_event_queue(c, db, reservation_id) : rv;
}

apr_status_t kfm_booking_series_paid_effects(const kfm_ctx *c, ap_dbd_t *db,
                                             const char *reservation_id)
{
    kfm_rows *facts = NULL;
    const char *args[] = {reservation_id, reservation_id};
    apr_status_t rv = kfm_db_select(c->r, db, "kf_booking_paid_facts", &facts, 2, args);
    if (rv == APR_SUCCESS) {
        rv = kfm_callback_queue_from(c, db, facts, 0, reservation_id, "booking.paid");
    }
    return rv == APR_SUCCESS ? kfm_calendar_event_queue(c, db, reservation_id) : rv;
}
