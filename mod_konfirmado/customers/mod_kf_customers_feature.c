/* The customers feature as the module sees it: endpoints and statements. */
#include "mod_kf_customers_feature.h"

static const kfm_endpoint endpoints[] = {
    /* {method, path}, handler,
     who may call, what it needs first, the per-IP limit it counts against, body limit */
    /* the portal's state changes come from its own pages only (API.md): a page of another
     * site, a sibling tenant's host among them, is refused */
    {{"POST", "/api/public/me/login"}, kfm_handle_portal_login,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_NEEDS_JSON_OBJECT | KFM_NEEDS_SAME_SITE | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"POST", "/api/public/me/session"}, kfm_handle_portal_session,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_NEEDS_JSON_OBJECT | KFM_NEEDS_SAME_SITE | KFM_LEAVES_AVAILABILITY,
     KFM_CHARGE_PUBLIC_READ, 0},
    {{"POST", "/api/public/me/logout"}, kfm_handle_portal_logout,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_NEEDS_JSON_IF_ANY | KFM_NEEDS_SAME_SITE | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    /* the business's name, logo and colours, for the pages without a booking link */
    {{"GET", "/api/public/me/business"}, kfm_handle_portal_business,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    /* the signed-in customer's own details, for this host's booking page to fill its form */
    {{"GET", "/api/public/me/details"}, kfm_handle_portal_details,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    {{"GET", "/api/public/me/bookings"}, kfm_handle_portal_bookings,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    {{"GET", "/api/public/me/preferences"}, kfm_handle_portal_preferences_get,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, KFM_CHARGE_PUBLIC_READ, 0},
    {{"PATCH", "/api/public/me/preferences"}, kfm_handle_portal_preferences_patch,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_NEEDS_JSON_OBJECT | KFM_NEEDS_SAME_SITE,
     KFM_CHARGE_PUBLIC_READ, 0},
    {{"GET", "/api/public/unsubscribe"}, kfm_handle_unsubscribe_page,
     KFM_AUTH_PUBLIC, KFM_NEEDS_NOTHING, KFM_CHARGE_PUBLIC_READ, 0},
    /* RFC 8058: a mail provider's server POSTs the form "List-Unsubscribe=One-Click" (no
     * Origin: no page's); the page's button POSTs JSON. The handler reads which. */
    {{"POST", "/api/public/unsubscribe"}, kfm_handle_unsubscribe,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_NEEDS_SAME_SITE | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_PUBLIC_READ, 0},
    {{"POST", "/api/webhooks/twilio/{tenant}"}, kfm_handle_twilio_inbound,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB | KFM_LEAVES_AVAILABILITY, KFM_CHARGE_NONE, 0},
    {{"GET", "/api/admin/customers"}, kfm_handle_admin_customers,
     KFM_AUTH_SESSION, KFM_NEEDS_DB, KFM_CHARGE_NONE, 0},
    KFM_ENDPOINTS_END,
};

static const kfm_sql *const statements[] = {
    kfm_portal_sql,
    kfm_portal_business_sql,
    kfm_portal_details_sql,
    kfm_portal_bookings_sql,
    kfm_preferences_sql,
    kfm_text_replies_sql,
    kfm_customer_list_sql,
    NULL,
};

const kfm_feature kfm_customers_feature = {
    .name = "customers",
    .endpoints = endpoints,
    .statements = statements,
};
