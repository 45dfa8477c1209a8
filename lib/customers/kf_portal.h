#ifndef KF_PORTAL_H
#define KF_PORTAL_H
/* The customer's portal, "my bookings" (API.md "Customer portal"): how long a mailed
 * sign-in link and a session last, the session's cookie, which bookings a tab lists, and
 * the addresses on a tenant's own host that mails carry. Pure: "now" is the caller's. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"

#define KF_PORTAL_SIGN_IN_SECONDS 900      /* a sign-in link: 15 minutes, used once */
#define KF_PORTAL_SESSION_SECONDS 43200    /* a session: 12 hours */
#define KF_PORTAL_COOKIE "kf_customer"
#define KF_PORTAL_PAGE "/book/me"

/* The tabs of the portal. */
typedef enum { KF_PORTAL_UPCOMING = 0, KF_PORTAL_PAST } kf_portal_scope;

/* ?scope=: "upcoming" (also when absent or empty) or "past"; 0 for anything else. */
int kf_portal_scope_parse(const char *text, kf_portal_scope *out);

/* Set-Cookie of the portal's session: host-only (no Domain), Path=/, HttpOnly, Secure,
 * SameSite=Lax, Max-Age; value "" and max_age 0 clear it. */
const char *kf_portal_cookie(apr_pool_t *p, const char *value, long max_age);

/* {root}/book/me?token={token} (the sign-in link). */
const char *kf_portal_sign_in_url(apr_pool_t *p, const char *root, const char *token);

/* The sign-in form {"email"}: the address, normalized, or NULL with its error in f. */
const char *kf_portal_login_read(kf_fields *f, const json_t *body);

/* The session form {"token"}: the link's token as sent, or NULL with its error in f. */
const char *kf_portal_session_read(kf_fields *f, const json_t *body);

/* The sign-in mail's variables (a new reference): the link on the tenant's own host
 * (kf_url_tenant_root) and the business's name; NULL when there is no such root. */
json_t *kf_portal_sign_in_vars(apr_pool_t *p, const char *public_url, const char *subdomain,
                               const char *base_domain, const char *token, const char *business);

/* {root}/api/public/unsubscribe?token={token} (percent-encoded). */
const char *kf_portal_unsubscribe_url(apr_pool_t *p, const char *root, const char *token);

/* The portal's booking: the status page's {"booking": {...}} (stolen) unwrapped, with its
 * "manage_url" (NULL: null) added, and "actions" as the list of what the customer can do from
 * the portal (API.md): "cancel" and "reschedule" as the status page's policy allows them,
 * "add_to_calendar" for a standing booking whose page still opens and whose appointment is
 * still to come (`ended`: it ended by the caller's now), "receipt" once a payment was
 * approved, "book_again" while its link is active; the status page's reschedules left kept
 * as "reschedules_left". A new reference. */
json_t *kf_portal_booking(json_t *status_view, const char *manage_url, int ended);

#endif
