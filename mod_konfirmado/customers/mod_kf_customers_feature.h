#ifndef MOD_KF_CUSTOMERS_FEATURE_H
#define MOD_KF_CUSTOMERS_FEATURE_H
/* Customers in control (API.md "Customer portal ("my bookings") and preferences"): the
 * portal's sign-in by mailed link, its session, the customer's bookings and preferences,
 * the one-click unsubscribe of reminder mails, STOP replies to texts, and the merchant's
 * list of customers. What the feature hands the module (mod_kf_customers_feature.c), and
 * the handlers and statement tables that descriptor lists. */
#include "mod_kf_feature.h"

extern const kfm_feature kfm_customers_feature;

/* endpoints */
int kfm_handle_portal_login(kfm_req *kr);
int kfm_handle_portal_session(kfm_req *kr);
int kfm_handle_portal_logout(kfm_req *kr);
int kfm_handle_portal_business(kfm_req *kr);
int kfm_handle_portal_details(kfm_req *kr);
int kfm_handle_portal_bookings(kfm_req *kr);
int kfm_handle_portal_preferences_get(kfm_req *kr);
int kfm_handle_portal_preferences_patch(kfm_req *kr);
int kfm_handle_unsubscribe_page(kfm_req *kr);
int kfm_handle_unsubscribe(kfm_req *kr);
int kfm_handle_twilio_inbound(kfm_req *kr);
int kfm_handle_admin_customers(kfm_req *kr);

/* statement tables */
extern const kfm_sql kfm_portal_sql[];
extern const kfm_sql kfm_portal_business_sql[];
extern const kfm_sql kfm_portal_details_sql[];
extern const kfm_sql kfm_portal_bookings_sql[];
extern const kfm_sql kfm_preferences_sql[];
extern const kfm_sql kfm_text_replies_sql[];
extern const kfm_sql kfm_customer_list_sql[];

#endif
