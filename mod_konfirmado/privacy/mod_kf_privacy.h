#ifndef MOD_KF_PRIVACY_H
#define MOD_KF_PRIVACY_H
/* A customer's personal data at one business (docs/privacy.md), as other features ask for
 * it: everything held about an address, its erasure (the one path of the merchant's erase,
 * a request carried out and the retention job), and a customer's request to be erased.
 * r may be NULL on a job's connection; email is valid (kf_privacy_email_check). */
#include "mod_kf_request.h"

/* Who reads an export: the merchant's also holds the STOP of the numbers the customer
 * booked with; the customer's own (the portal) holds only what the signed-in address owns. */
typedef enum { KFM_EXPORT_FOR_MERCHANT, KFM_EXPORT_FOR_CUSTOMER } kfm_export_reader;

/* Everything held about the customer at the tenant (a new reference): {"email",
 * "bookings", "purchases", "payments", "messages", "consents", "preferences",
 * "text_opt_outs" (the merchant's only), "erasure_requests"}; NULL when the database
 * failed (logged). */
json_t *kfm_privacy_customer_export(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                    const char *email, kfm_export_reader reader);

/* Erases the customer's personal data at the tenant, in the caller's transaction: every
 * booking and purchase made with the address gets the tombstone, what was queued for them
 * is dropped, the address's own preferences, portal sessions and sign-in links go, and its
 * pending erasure requests are marked carried out (`by`: "merchant" or "automatic"). Nothing
 * else is touched, however the bookings' fields read; a number's STOP stays. *erased: how
 * many bookings. */
apr_status_t kfm_privacy_erase_customer(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                        const char *email, const char *by, int *erased);

/* Records the customer's request to be erased (one pending request per address: asking
 * again answers the same one). *id: the request's id; *erases_at: when the privacy job carries
 * it out by itself (RFC 3339), NULL when only the merchant's confirmation does. */
apr_status_t kfm_privacy_erasure_request(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                         const char *email, const char **id,
                                         const char **erases_at);

/* The customer's pending erasure request, as kfm_privacy_erasure_request answers it; *id
 * NULL when there is none. */
apr_status_t kfm_privacy_pending_erasure(request_rec *r, ap_dbd_t *db, const char *tenant_id,
                                         const char *email, const char **id,
                                         const char **erases_at);

#endif
