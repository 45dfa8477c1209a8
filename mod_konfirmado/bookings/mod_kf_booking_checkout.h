#ifndef MOD_KF_BOOKING_CHECKOUT_H
#define MOD_KF_BOOKING_CHECKOUT_H
/* What the payments feature does for a booking being made, as effects of the state
 * machine's book in the executor's table (mod_kf_booking_state.c): a package's session
 * spent, or the payment prepared with the move and its checkout asked after the commit, or
 * abandoned when the provider made none. */
#include "mod_kf_new_booking.h"

/* KF_RES_FX_SESSION_SPENT: one session of nb->purchase_id spent on booking `id`, which
 * records the purchase; nb->sessions_left after it. */
kfm_new_booking_effect_fn kfm_booking_session_spend;

/* KF_RES_FX_CHECKOUT, in the move's transaction: the payment row (nb->checkout). The tenant
 * has no usable provider: nb->provider_error and APR_ENOENT (roll back). */
kfm_new_booking_effect_fn kfm_booking_checkout_prepare;

/* KF_RES_FX_CHECKOUT, after the commit: the provider's checkout, the request's connection
 * given back meanwhile, recorded and shown (nb->payment). APR_ENOENT when the provider made
 * none (nb->provider_error); anything else: logged, the payment's window runs out. */
kfm_new_booking_after_fn kfm_booking_checkout_make;

/* KF_RES_FX_CHECKOUT_ABANDONED: the payment of nb->checkout marked error. */
kfm_new_booking_effect_fn kfm_booking_checkout_abandon;

#endif
