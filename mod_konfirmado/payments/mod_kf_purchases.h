#ifndef MOD_KF_PURCHASES_H
#define MOD_KF_PURCHASES_H
/* Packages, the customer's side (API.md "Admin API": Packages): buying a package through a
 * link (POST /api/public/purchases: a purchase and its payment through the tenant's
 * provider, exactly like a booking's) and the purchase page's data (GET
 * /api/public/purchases/{id}?token=). What follows a purchase's payment is
 * mod_kf_purchase_life.h. */
#include "mod_kf_request.h"
#include "mod_kf_db.h"


#endif
