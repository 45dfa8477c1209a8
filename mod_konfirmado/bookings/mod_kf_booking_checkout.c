/* A booking's payment and a package's session, as the executor's effects. See
 * mod_kf_booking_checkout.h. */
#include "mod_kf_booking_checkout.h"
#include "mod_kf_payments.h"
#include "mod_kf_purchase_life.h"
#include "kf_json.h"
#include "kf_payment_view.h"

apr_status_t kfm_booking_session_spend(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                       kfm_new_booking *nb)
{
    if (!nb || !nb->purchase_id) {
        return APR_EINVAL;
    }
    return kfm_purchase_spend_session(nb->kr, nb->purchase_id, id, &nb->sessions_left);
}

apr_status_t kfm_booking_checkout_prepare(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                          kfm_new_booking *nb)
{
    if (!nb) {
        return APR_EINVAL;
    }
    const kf_customer *who = nb->customer;
    kfm_booking_made made = {id, nb->booking_token, who->name, who->email, who->phone,
                             nb->charge_type, nb->amount, nb->currency};
    int code = kfm_payment_start_for_booking(nb->kr, &made, &nb->checkout);
    if (code == HTTP_BAD_GATEWAY) {
        nb->provider_error = 1;
        return APR_ENOENT;
    }
    return code == 0 ? APR_SUCCESS : APR_EGENERAL;
}

apr_status_t kfm_booking_checkout_make(const kfm_ctx *c, kfm_new_booking *nb)
{
    kfm_checkout *ck = nb->checkout;
    if (!ck) {
        return APR_SUCCESS;   /* nothing to collect: no payment was prepared */
    }
    apr_status_t made = kfm_payment_checkout_make(nb->kr, ck);
    if (made == APR_ENOENT) {
        nb->provider_error = 1;
    }
    else if (made == APR_SUCCESS) {
        nb->payment = kf_json_own(c->p, kf_payment_checkout_view(c->p, ck->prov->name,
                                                                 ck->session.url, &ck->co));
    }
    return made;
}

apr_status_t kfm_booking_checkout_abandon(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                          kfm_new_booking *nb)
{
    return nb && nb->checkout ? kfm_payment_checkout_abandon(nb->kr, db, nb->checkout)
                              : APR_EINVAL;
}
