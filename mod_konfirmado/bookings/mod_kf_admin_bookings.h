#ifndef MOD_KF_ADMIN_BOOKINGS_H
#define MOD_KF_ADMIN_BOOKINGS_H
/* Admin bookings (API.md "Admin API": list, CSV export, detail): what the list and the
 * export share. The statements live in mod_kf_admin_bookings.c. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_booking_filter.h"


/* POST /api/admin/bookings/{id}/<action> (cancel, reschedule, refund): the {id} and the JSON
 * body. 1 with both read; 0 after answering (404 booking_not_found for an id that is no
 * uuid, or the body's own error): the handler returns OK. */
int kfm_admin_booking_action(kfm_req *kr, const char **id, json_t **body);

/* An action's first write step: a transaction begun and the session tenant's booking {id}
 * read through the statement `label` (arguments: id, tenant) into v[0..n). 1 with the row;
 * 0 after answering 500 internal_error or 404 booking_not_found (unknown, or another
 * tenant's), the transaction rolled back: the handler returns OK. */
int kfm_admin_booking_lock(kfm_req *kr, const char *label, const char *id, kfm_tx *tx,
                          const char **v, int n);

/* Columns of every booking row the statements return, in order. */
enum {
    KFM_AB_ID = 0,
    KFM_AB_STATUS,
    KFM_AB_STATUS_REASON,
    KFM_AB_START,            /* RFC 3339 UTC, no fraction */
    KFM_AB_END,
    KFM_AB_LOCAL_START,      /* in the tenant's zone, with its offset */
    KFM_AB_SERVICE_ID,
    KFM_AB_SERVICE_NAME,
    KFM_AB_PROFESSIONAL_ID,
    KFM_AB_PROFESSIONAL_NAME,
    KFM_AB_CUSTOMER_NAME,
    KFM_AB_CUSTOMER_EMAIL,
    KFM_AB_CUSTOMER_PHONE,
    KFM_AB_CHARGE_TYPE,
    KFM_AB_CHARGE_AMOUNT,
    KFM_AB_CURRENCY,
    KFM_AB_CREATED_AT,
    KFM_AB_NOTES,
    KFM_AB_ACCEPTED_TERMS_AT,
    KFM_AB_STARTS_AT_RAW,    /* exact starts_at, the keyset cursor of the export */
    KFM_AB_LINK,             /* the booking link's slug while it is active (a reschedule's
                               times are the ones it offers), else NULL */
    KFM_AB_DISPUTE,          /* the state of a dispute of its payment, NULL when none */
    KFM_AB_COLUMNS
};

/* Number of string arguments the filter part of a statement takes, after the tenant id. */
#define KFM_AB_FILTER_ARGS 16

/* Reads the request's query string into *f (page and per_page left out, unchecked, when
 * ignore_paging). 0, or -1 after answering 400 invalid_parameter (the handler then
 * returns OK). */
int kfm_admin_bookings_read_filter(kfm_req *kr, kf_booking_filter *f, int ignore_paging);

/* Writes the tenant id and the filter arguments (1 + KFM_AB_FILTER_ARGS) into args. */
void kfm_admin_bookings_filter_args(kfm_req *kr, const kf_booking_filter *f, const char **args);

#endif
