#ifndef MOD_KF_PORTAL_H
#define MOD_KF_PORTAL_H
/* The customer signed in to the portal of the tenant the request's host names. */
#include "mod_kf_request.h"

typedef struct kfm_customer {
    const char *tenant_id;
    const char *email;        /* lower case */
    const char *token_hash;   /* the session's */
} kfm_customer;

/* The live session of the request's kf_customer cookie on this tenant's host into *out: 1,
 * or 0 after answering (401 unauthenticated, or 500). */
int kfm_portal_customer(kfm_req *kr, kfm_customer *out);

#endif
