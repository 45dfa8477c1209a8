#ifndef MOD_KF_BOOKING_STATE_H
#define MOD_KF_BOOKING_STATE_H
/* The executor of the booking's state machine: lib/bookings/kf_reservation.c decides what an event
 * does to a booking; this runs the move with the one statement that changes a booking's
 * status (kf_reservation_move, sql/functions/kf_reservation_move.sql: a compare-and-set from the
 * state read, the reason, the deadline and the history line, together). */
#include "mod_kf.h"
#include "mod_kf_db.h"
#include "mod_kf_new_booking.h"
#include "kf_reservation.h"


/* What a move writes besides the state, reason and history line (NULL: nothing). */
typedef struct kfm_booking_move_with {
    const char *deadline;       /* a timestamptz as text: kept when the next state runs out
                                   (held, pending_payment); NULL: the one it has */
    const char *manage_hash;    /* a booking becoming paid: the token of its mails' link */
    const char *manage_sealed;  /* (hash and sealed form), kept when it has one already */
} kfm_booking_move_with;

/* Moves booking `id` from `from` as outcome `o` says (o->next, o->reason; a reschedule's
 * o->next == from writes its history line only). APR_SUCCESS when it moved, APR_EAGAIN
 * when the booking is no longer in `from` (nothing changed), else the database's error. */
apr_status_t kfm_booking_move(const kfm_ctx *c, ap_dbd_t *db, const char *id, kf_res_state from,
                              const kf_res_outcome *o, const kfm_booking_move_with *with);

/* The same among writes sent together (kfm_db_defer_writes), whose answer nobody waits
 * for: a booking no longer in `from` fails the statement, and with it the transaction. */
apr_status_t kfm_booking_move_queued(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                     kf_res_state from, const kf_res_outcome *o,
                                     const kfm_booking_move_with *with);

/* Runs the effects of outcome `o` for booking `id` in the move's transaction, from one
 * table (funnel, callbacks, mails, the professional's calendar event). The money
 * (KF_RES_FX_REFUND_FLAG) and the availability caches after the commit (KF_RES_FX_SLOT_*)
 * are the caller's. */
apr_status_t kfm_booking_effects(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                 const kf_res_outcome *o);

/* The making of booking `id` of its hold, in the caller's transaction: the machine's book
 * (`o`, from held; or its pay_again, from failed or expired) moved with `with` (its
 * deadline), then o's effects from the same table with the booking being made: a package's
 * session spent (nb->sessions_left), or its payment prepared (nb->checkout), or, paid now,
 * the callback, mails and calendar event. As kfm_booking_move, then the effects' error
 * (nb->provider_error: the tenant has no usable provider). */
apr_status_t kfm_booking_make(const kfm_ctx *c, ap_dbd_t *db, const char *id, kf_res_state from,
                              const kf_res_outcome *o, const kfm_booking_move_with *with,
                              kfm_new_booking *nb);

/* A series' later occurrences (kf_series.h) follow the move `o` of its first one, `id`, from
 * `from` (the same deadline): each still in `from` moves the same way, in order, with its own
 * callback and calendar event; the customer's mails, the checkout and the funnel are the
 * first's. A booking that is no series has none to follow. In the caller's transaction. */
apr_status_t kfm_booking_series_follow(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                       kf_res_state from, const kf_res_outcome *o,
                                       const kfm_booking_move_with *with);

/* The same in two steps, for writes sent together (kfm_db_defer_writes): the later
 * occurrences still in `from` read first (a read sends what is queued), moved after the
 * first's effects are queued. */
typedef struct kfm_booking_followers {
    const char **ids;
    int n;
} kfm_booking_followers;
apr_status_t kfm_booking_series_followers(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                          kf_res_state from, kfm_booking_followers *out);
apr_status_t kfm_booking_series_move(const kfm_ctx *c, ap_dbd_t *db,
                                     const kfm_booking_followers *f, kf_res_state from,
                                     const kf_res_outcome *o, const kfm_booking_move_with *with);

/* After that commit, no transaction open: what o's effects ask of another server, the
 * checkout (nb->payment). None made: the machine's checkout_failed takes the booking back to
 * its hold (nb->hold_expires), or a booking paid again back to failed (its slot freed), and
 * abandons its payment, in its own transaction on the request's connection, and APR_ENOENT
 * (nb->provider_error, unless that failed too); anything else was logged. */
apr_status_t kfm_booking_made_after_commit(const kfm_ctx *c, const char *id,
                                           const kf_res_outcome *o, kfm_new_booking *nb);

/* A cancellation the state machine decided (o: `res_id` from `from` to cancelled), in the
 * caller's transaction: the move with who (`by`: "merchant" | "customer") and the note; its
 * invites' SEQUENCE grows. */
apr_status_t kfm_booking_cancel(const kfm_ctx *c, ap_dbd_t *db, const char *res_id, const char *from,
                                const kf_res_outcome *o, const char *by, const char *note);

/* Then, once the payment's refund is written (the callback and the mails tell it): the
 * session of a package goes back (before the cutoff), and o's effects run. */
apr_status_t kfm_booking_cancel_effects(const kfm_ctx *c, ap_dbd_t *db, const char *res_id,
                                        const kf_res_outcome *o, int before_cutoff);

/* Merchants' 2xx to n bookings' callbacks (booking_ids[i] told events[i]; handed to the
 * callbacks feature at startup): the machine's `callback acknowledged` for each booking.paid,
 * which confirms a booking still paid, all in one statement. */
apr_status_t kfm_booking_callback_acknowledged(const kfm_ctx *c, ap_dbd_t *db,
                                               const char *const *booking_ids,
                                               const char *const *events, int n);

#endif
