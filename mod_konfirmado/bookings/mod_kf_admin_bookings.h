#ifndef MOD_KF_ADMIN_BOOKINGS_H
#define MOD_KF_ADMIN_BOOKINGS_H
/* Admin bookings (API.md "Admin API": list, CSV export, detail): what the list and the
 * export share. The statements live in mod_kf_admin_bookings.c. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_booking_filter.h"

extern const kfm_sql kfm_admin_bookings_sql[];

/* POST /api/admin/bookings/{id}/<action> (cancel, reschedule, refund): the {id} and the JSON
 * body. 1 with both read; 0 after answering (404 booking_not_found for an id that is no
 * uuid, or the body's own error): the handler returns OK. */
int kfm_admin_booking_action(kfm_req *kr, const char **id, json_t **body);

/* Columns of every booking row the statements return, in order. */
enum {
    KF_AB_ID = 0,
    KF_AB_STATUS,
    KF_AB_STATUS_REASON,
    KF_AB_START,            /* RFC 3339 UTC, no fraction */
    KF_AB_END,
    KF_AB_LOCAL_START,      /* in the tenant's zone, with its offset */
    KF_AB_SERVICE_ID,
    KF_AB_SERVICE_NAME,
    KF_AB_PROFESSIONAL_ID,
    KF_AB_PROFESSIONAL_NAME,
    KF_AB_CUSTOMER_NAME,
    KF_AB_CUSTOMER_EMAIL,
    KF_AB_CUSTOMER_PHONE,
    KF_AB_CHARGE_TYPE,
    KF_AB_CHARGE_AMOUNT,
    KF_AB_CURRENCY,
    KF_AB_CREATED_AT,
    KF_AB_NOTES,
    KF_AB_ACCEPTED_TERMS_AT,
    KF_AB_STARTS_AT_RAW,    /* exact starts_at, the keyset cursor of the export */
    KF_AB_LINK,             /* the booking link's slug while it is active (a reschedule's
                               times are the ones it offers), else NULL */
    KF_AB_DISPUTE,          /* the state of a dispute of its payment, NULL when none */
    KF_AB_COLUMNS
};

/* Number of string arguments the filter part of a statement takes, after the tenant id. */
#define KF_AB_FILTER_ARGS 16

/* Reads the request's query string into *f (page and per_page left out, unchecked, when
 * ignore_paging). 0, or -1 after answering 400 invalid_parameter (the handler then
 * returns OK). */
int kfm_admin_bookings_read_filter(kfm_req *kr, kf_booking_filter *f, int ignore_paging);

/* Writes the tenant id and the filter arguments (1 + KF_AB_FILTER_ARGS) into args. */
void kfm_admin_bookings_filter_args(kfm_req *kr, const kf_booking_filter *f, const char **args);

#endif
