#ifndef MOD_KF_NEW_BOOKING_H
#define MOD_KF_NEW_BOOKING_H
/* A booking being made (POST /api/public/bookings), or paid again (POST
 * /api/public/bookings/{id}/pay), as the executor's effects see it: what the effects of the
 * state machine's book (or pay_again) read from the request, and the slot where they leave
 * what the reply shows. Only those moves have one; any other move runs its effects without
 * (an effect that needs one then fails). */
#include "mod_kf_request.h"
#include "mod_kf_db.h"
#include "kf_customer.h"
#include "kf_reservation.h"

struct kfm_checkout;

typedef struct kfm_new_booking {
    /* what the request brings */
    kfm_req *kr;                   /* its connection is given back while a provider answers */
    const char *booking_token;     /* the booking's own, named by the checkout's return address */
    const kf_customer *customer;   /* who pays */
    const char *charge_type;       /* what the booking charges, as written on it */
    apr_int64_t amount;
    const char *currency;
    const char *purchase_id;       /* packages: the purchase whose session pays for it, or NULL */
    const char *hold_expires;      /* the hold's own deadline, its again when no checkout is made */
    int paying_again;              /* a failed or expired booking paid again: no checkout made,
                                      it fails again (its hold was used up) */
    int series;                    /* the first occurrence of a series: the others follow it */
    /* what the effects leave */
    int sessions_left;             /* packages: the purchase's sessions after this one */
    struct kfm_checkout *checkout; /* the payment prepared with the move, asked after the commit */
    json_t *payment;               /* the checkout made, as the reply shows it (pool-owned) */
    int provider_error;            /* the tenant has no usable provider, or the provider made no
                                      checkout: 502 provider_error */
} kfm_new_booking;

/* An effect of the executor's table that reads and fills a booking being made, in the
 * move's transaction. */
typedef apr_status_t kfm_new_booking_effect_fn(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                               kfm_new_booking *nb);

/* The answer (`status`: 201 made, 200 paid again): the booking as written (`made`, its
 * KF_BOOKING_MADE_COL_* columns) in state `next`, with its token, what the effects left (its
 * checkout, a package's sessions) and where to follow it. */
int kfm_new_booking_reply(kfm_req *kr, int status, const char *const *made, kf_res_state next,
                          const kfm_new_booking *nb);

/* One that runs after the move's commit, with no transaction open: APR_ENOENT when what it
 * asked of another server was not made (the state machine's checkout_failed follows). */
typedef apr_status_t kfm_new_booking_after_fn(const kfm_ctx *c, kfm_new_booking *nb);

#endif
