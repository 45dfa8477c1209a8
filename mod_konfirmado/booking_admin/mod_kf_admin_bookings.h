#ifndef MOD_KF_ADMIN_BOOKINGS_H
#define MOD_KF_ADMIN_BOOKINGS_H
/* Admin bookings (API.md "Admin API": list, CSV export, detail): what the list and the
 * export share. The statements live in mod_kf_admin_bookings.c. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_booking_filter.h"
#include "kf_booking_view.h"


/* POST /api/admin/bookings/{id}/<action> (cancel, reschedule, refund): the {id} and the JSON
 * body. 1 with both read; 0 after answering (404 booking_not_found for an id that is no
 * uuid, or the body's own error): the handler returns OK. */
int kfm_admin_booking_action(kfm_req *kr, const char **id, json_t **body);

/* A change's first write step: a transaction begun and the booking the statement `label`
 * selects with args read into v[0..n). 1 with the row; 0 after answering 500
 * internal_error or 404 booking_not_found (no row), the transaction rolled back: the
 * handler returns OK. */
int kfm_booking_lock(kfm_req *kr, const char *label, int nargs, const char *const *args,
                     kfm_tx *tx, const char **v, int n);

/* The same of the session tenant's booking {id} (the statement's arguments: id, tenant):
 * unknown, or another tenant's, is 404 booking_not_found. */
int kfm_admin_booking_lock(kfm_req *kr, const char *label, const char *id, kfm_tx *tx,
                          const char **v, int n);

/* Reads the request's query string into *f (page and per_page left out, unchecked, when
 * ignore_paging). 0, or -1 after answering 400 invalid_parameter (the handler then
 * returns OK). */
int kfm_admin_bookings_read_filter(kfm_req *kr, kf_booking_filter *f, int ignore_paging);

#endif
