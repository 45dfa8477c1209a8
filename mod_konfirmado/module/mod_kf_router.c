/* Every /api endpoint, in one table: method, path pattern, handler, who may call it.
 * Unknown paths answer 404 not_found; a known path with another method answers 405
 * method_not_allowed with an Allow header. */
#include "mod_kf_handlers.h"
#include "mod_kf_host.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_db.h"
#include "mod_kf_session.h"
#include "mod_kf_availability_cache.h"
#include "kf_route.h"


/* Who may call an endpoint. */
typedef enum {
    KFM_AUTH_PUBLIC = 0,  /* anyone: health, auth forms, public booking API, webhooks */
    KFM_AUTH_SESSION,     /* a merchant session (reads): else 401 unauthenticated */
    KF_AUTH_CSRF         /* a session and X-CSRF-Token (state changes): else 401 / 403 csrf_failed */
} kfm_auth_level;

/* What an endpoint needs before its handler runs. */
enum {
    KFM_NEEDS_NOTHING = 0,
    KFM_NEEDS_DB = 1,         /* a ready connection in kr->db, else 503 before the handler */
    KFM_DB_ON_DEMAND = 2      /* the handler takes one (kfm_req_db) only when it needs it: a
                                cached availability answer needs none, so it costs no pool
                                checkout and a cold server opens no connection for it */
};

typedef struct kfm_endpoint {
    kf_route route;          /* must stay first: kf_route_find reads it */
    kfm_handler_fn handler;
    kfm_auth_level auth;
    int needs;               /* KF_NEEDS_* */
    apr_size_t body_limit;   /* 0: the JSON limit of API.md (64 KiB) */
} kfm_endpoint;

static const kfm_endpoint endpoints[] = {
    /* method, path                     handler                      auth            needs */
    {{"GET", "/api/health"},            kfm_handle_health,            KFM_AUTH_PUBLIC, KFM_NEEDS_NOTHING, 0},
    {{"POST", "/api/diagnostics/echo"}, kfm_handle_diagnostics_echo,  KFM_AUTH_PUBLIC, KFM_NEEDS_NOTHING, 0},
    {{"GET", "/api/diagnostics/db"},    kfm_handle_diagnostics_db,    KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},

    /* merchant accounts (API.md "Merchant accounts") */
    {{"POST", "/api/auth/register"},    kfm_handle_register,          KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/auth/verify-email"}, kfm_handle_verify_email,     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/auth/login"},       kfm_handle_login,             KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/auth/logout"},      kfm_handle_logout,            KF_AUTH_CSRF,   KFM_NEEDS_DB, 0},
    {{"GET", "/api/auth/me"},           kfm_handle_me,                KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"POST", "/api/auth/forgot-password"}, kfm_handle_forgot_password, KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/auth/reset-password"}, kfm_handle_reset_password, KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},

    /* tenant settings (API.md "Admin API": tenant, callback secret, logo, payments) */
    {{"GET", "/api/admin/tenant"},      kfm_handle_tenant_get,        KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"PATCH", "/api/admin/tenant"},    kfm_handle_tenant_patch,      KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/tenant/callback-secret"}, kfm_handle_tenant_callback_secret,
     KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/tenant/logo"}, kfm_handle_tenant_logo_upload, KF_AUTH_CSRF, KFM_NEEDS_DB,
     KFM_BODY_LIMIT_UPLOAD},
    {{"GET", "/api/public/tenants/{tenant_id}/logo"}, kfm_handle_tenant_logo_public,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"PUT", "/api/admin/tenant/payments/{provider}"}, kfm_handle_tenant_payments_put,
     KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/tenant/payments/{provider}/test"}, kfm_handle_tenant_payments_test,
     KF_AUTH_CSRF, KFM_NEEDS_DB, 0},

    /* catalog (API.md "Admin API": services, professionals, links) */
    {{"GET", "/api/admin/services"},              kfm_handle_services_list,        KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/services"},             kfm_handle_services_create,      KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/services/{id}"},         kfm_handle_services_get,         KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"PATCH", "/api/admin/services/{id}"},       kfm_handle_services_update,      KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"DELETE", "/api/admin/services/{id}"},      kfm_handle_services_archive,     KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/professionals"},         kfm_handle_professionals_list,   KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/professionals"},        kfm_handle_professionals_create, KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/professionals/{id}"},    kfm_handle_professionals_get,    KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"PATCH", "/api/admin/professionals/{id}"},  kfm_handle_professionals_update, KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"DELETE", "/api/admin/professionals/{id}"}, kfm_handle_professionals_archive, KF_AUTH_CSRF,   KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/links"},                 kfm_handle_links_list,           KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/links"},                kfm_handle_links_create,         KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/links/{id}"},            kfm_handle_links_get,            KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"PATCH", "/api/admin/links/{id}"},          kfm_handle_links_update,         KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"DELETE", "/api/admin/links/{id}"},         kfm_handle_links_deactivate,     KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},

    /* packages (API.md "Admin API": Packages) */
    {{"GET", "/api/admin/packages"},              kfm_handle_packages_list,        KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/packages"},             kfm_handle_packages_create,      KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/packages/{id}"},         kfm_handle_packages_get,         KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"PATCH", "/api/admin/packages/{id}"},       kfm_handle_packages_update,      KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"DELETE", "/api/admin/packages/{id}"},      kfm_handle_packages_archive,     KF_AUTH_CSRF,    KFM_NEEDS_DB, 0},
    {{"POST", "/api/public/purchases"},           kfm_handle_public_purchase_create, KFM_AUTH_PUBLIC, KFM_DB_ON_DEMAND, 0},
    {{"GET", "/api/public/purchases/{id}"},       kfm_handle_public_purchase_status, KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},

    /* admin bookings (API.md "Admin API": bookings list, CSV export, detail) */
    {{"GET", "/api/admin/bookings"},      kfm_handle_admin_bookings_list, KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/bookings.csv"},  kfm_handle_admin_bookings_csv,  KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/bookings/{id}"}, kfm_handle_admin_booking_get,   KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"PATCH", "/api/admin/bookings/{id}"}, kfm_handle_admin_booking_customer, KF_AUTH_CSRF, KFM_NEEDS_DB, 0},

    /* audit */
    {{"POST", "/api/admin/tenant/callback-test"}, kfm_handle_admin_callback_test, KF_AUTH_CSRF,
     KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/metrics"},     kfm_handle_admin_metrics,     KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"GET", "/api/admin/audit"},       kfm_handle_audit_list,        KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},

    /* deliveries (API.md "After booking") */
    {{"GET", "/api/admin/deliveries"}, kfm_handle_deliveries_list, KFM_AUTH_SESSION, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/deliveries/{id}/resend"}, kfm_handle_delivery_resend, KF_AUTH_CSRF,
     KFM_NEEDS_DB, 0},

    /* payments (API.md "Provider webhooks" Wompi, "Merchant callback") */
    {{"POST", "/api/webhooks/wompi"},   kfm_handle_webhook_wompi,     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/webhooks/stripe"},  kfm_handle_webhook_stripe,    KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/webhooks/mercadopago"}, kfm_handle_webhook_mercadopago, KFM_AUTH_PUBLIC,
     KFM_NEEDS_DB, 0},
    {{"POST", "/api/webhooks/airwallex"}, kfm_handle_webhook_airwallex, KFM_AUTH_PUBLIC,
     KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/bookings/{id}/cancel"}, kfm_handle_admin_booking_cancel, KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/bookings/{id}/refund"}, kfm_handle_admin_booking_refund, KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"PUT", "/api/admin/tenant/messaging/twilio"}, kfm_handle_tenant_twilio_put, KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"DELETE", "/api/admin/tenant/messaging/twilio"}, kfm_handle_tenant_twilio_delete, KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/bookings/{id}/reschedule"}, kfm_handle_admin_booking_reschedule,
     KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"POST", "/api/admin/bookings/{id}/callback"}, kfm_handle_admin_booking_callback, KF_AUTH_CSRF, KFM_NEEDS_DB, 0},

    /* professionals' calendars (API.md "Calendar connection") */
    {{"POST", "/api/admin/professionals/{id}/invitation"}, kfm_handle_admin_calendar_invitation,
     KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"DELETE", "/api/admin/professionals/{id}/calendar"}, kfm_handle_admin_calendar_disconnect,
     KF_AUTH_CSRF, KFM_NEEDS_DB, 0},
    {{"GET", "/api/public/invitations/{invitation}"}, kfm_handle_public_invitation, KFM_AUTH_PUBLIC,
     KFM_NEEDS_DB, 0},
    {{"POST", "/api/public/invitations/{invitation}/calcom"}, kfm_handle_public_invitation_calcom,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"GET", "/api/oauth/{provider}/start"}, kfm_handle_oauth_start, KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"GET", "/api/oauth/{provider}/callback"}, kfm_handle_oauth_callback, KFM_AUTH_PUBLIC,
     KFM_NEEDS_DB, 0},
    {{"POST", "/api/webhooks/google"}, kfm_handle_webhook_google, KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/webhooks/microsoft"}, kfm_handle_webhook_microsoft, KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/webhooks/calcom/{tenant}"}, kfm_handle_webhook_calcom, KFM_AUTH_PUBLIC,
     KFM_NEEDS_DB, 0},

    /* public booking (API.md "Public booking API") */
    {{"GET", "/api/public/links/{link}"}, kfm_handle_public_link, KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"GET", "/api/public/links/{link}/availability"}, kfm_handle_public_availability,
     KFM_AUTH_PUBLIC, KFM_DB_ON_DEMAND, 0},
    {{"POST", "/api/public/holds"}, kfm_handle_public_hold_create, KFM_AUTH_PUBLIC,
     KFM_DB_ON_DEMAND, 0},
    {{"DELETE", "/api/public/holds/{id}"}, kfm_handle_public_hold_release, KFM_AUTH_PUBLIC,
     KFM_NEEDS_DB, 0},
    {{"POST", "/api/public/bookings"}, kfm_handle_public_booking_create, KFM_AUTH_PUBLIC,
     KFM_DB_ON_DEMAND, 0},
    {{"GET", "/api/public/bookings/{id}"}, kfm_handle_public_booking_status, KFM_AUTH_PUBLIC,
     KFM_NEEDS_DB, 0},
    {{"GET", "/api/public/bookings/{id}/calendar.ics"}, kfm_handle_public_booking_calendar,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/public/bookings/{id}/cancel"}, kfm_handle_public_booking_cancel,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
    {{"POST", "/api/public/bookings/{id}/reschedule"}, kfm_handle_public_booking_reschedule,
     KFM_AUTH_PUBLIC, KFM_NEEDS_DB, 0},
};

/* The per-IP limit a public endpoint is charged to (API.md "Hosts and tenants"), or -1. */
static int public_limit_of(const kfm_endpoint *ep)
{
    if (ep->handler == kfm_handle_public_link || ep->handler == kfm_handle_public_availability ||
        ep->handler == kfm_handle_public_booking_status ||
        ep->handler == kfm_handle_public_invitation ||
        ep->handler == kfm_handle_public_invitation_calcom ||
        ep->handler == kfm_handle_public_purchase_status) {
        return KFM_LIMIT_PUBLIC_READ;
    }
    if (ep->handler == kfm_handle_public_hold_create) {
        return KFM_LIMIT_PUBLIC_HOLD;
    }
    if (ep->handler == kfm_handle_public_booking_create ||
        ep->handler == kfm_handle_public_purchase_create) {
        return KFM_LIMIT_PUBLIC_BOOKING;
    }
    return -1;
}

/* 503 with the reason: the database is unreachable, or migrations are pending. */
static int reply_db_unavailable(kfm_req *kr, kfm_db_state st)
{
    apr_table_setn(kr->r->err_headers_out, "Retry-After", "5");
    if (st == KFM_DB_SCHEMA_OUTDATED) {
        return kfm_reply_error(kr, HTTP_SERVICE_UNAVAILABLE, "schema_outdated");
    }
    if (st == KFM_DB_BROKEN) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_error_msg(kr, HTTP_SERVICE_UNAVAILABLE, "service_unavailable",
                              "database_unavailable");
}

int kfm_req_db(kfm_req *kr, int *rc)
{
    if (kr->db) {
        return 1;
    }
    kfm_db_state st = kfm_db_acquire(kr->r, &kr->db, NULL);
    if (st != KFM_DB_OK) {
        kr->db = NULL;
        *rc = reply_db_unavailable(kr, st);
        return 0;
    }
    return 1;
}

void kfm_req_db_give_back(kfm_req *kr)
{
    if (kr->db_own && kr->db) {
        kfm_db_close(kr->r->server, kr->db);   /* rolls back a transaction left open */
        kr->db = NULL;
    }
    kr->db_own = 0;
}

static apr_status_t give_back_at_end(void *data)
{
    kfm_req_db_give_back(data);
    return APR_SUCCESS;
}

int kfm_req_db_own(kfm_req *kr, int *rc)
{
    if (kr->db) {
        return 1;
    }
    kfm_db_state st = kfm_db_open_for_request(kr->r, &kr->db);
    if (st != KFM_DB_OK) {
        kr->db = NULL;
        if (rc) {
            *rc = reply_db_unavailable(kr, st);
        }
        return 0;
    }
    kr->db_own = 1;
    if (!kr->db_cleanup) {
        apr_pool_cleanup_register(kr->r->pool, kr, give_back_at_end, apr_pool_cleanup_null);
        kr->db_cleanup = 1;
    }
    return 1;
}

/* Claims /api/ URIs for the module so that no file-system mapping happens for them. */
int kfm_router_translate(request_rec *r)
{
    const kfm_server_conf *conf = kfm_conf_get(r->server);
    if (kfm_conf_engine(conf) != 1 || r->main || !r->uri) {
        return DECLINED;
    }
    if (strncmp(r->uri, "/api/", 5) != 0 && strcmp(r->uri, "/api") != 0) {
        return DECLINED;
    }
    r->handler = KFM_API_HANDLER;
    r->filename = apr_pstrcat(r->pool, "konfirmado:", r->uri, NULL);
    return OK;
}

int kfm_router_map_to_storage(request_rec *r)
{
    return r->handler && strcmp(r->handler, KFM_API_HANDLER) == 0 ? OK : DECLINED;
}

int kfm_router_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, KFM_API_HANDLER) != 0) {
        return DECLINED;
    }
    kfm_req *kr = kfm_req_make(r);
    /* every path of the module: a host that is neither the platform, a tenant subdomain,
     * nor a tenant's own domain serves nothing (no tenant's data, no login) */
    switch (kfm_host_resolve(r, kr->conf, &kr->db, &kr->host_tenant)) {
    case KFM_REQ_HOST_UNKNOWN:
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "unknown_host");
    case KF_REQ_HOST_DB_DOWN:
        return reply_db_unavailable(kr, KFM_DB_DOWN);
    default:
        break;
    }
    kf_route_match match;
    kf_route_result found = kf_route_find(r->pool, endpoints,
                                          sizeof(endpoints) / sizeof(endpoints[0]),
                                          sizeof(endpoints[0]), r->method, r->uri, &match);
    if (found == KF_ROUTE_NOT_FOUND) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    if (found == KF_ROUTE_BAD_METHOD) {
        apr_table_setn(r->err_headers_out, "Allow", match.allow);
        return kfm_reply_error(kr, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    const kfm_endpoint *ep = &endpoints[match.index];
    kr->params = match.params;
    int limit = public_limit_of(ep);
    apr_int64_t wait = limit >= 0 ? kfm_limit_public(kr, (kfm_limit_kind)limit) : 0;
    if (wait > 0) {
        return kfm_reply_too_many_requests(kr, wait);
    }
    if (ep->body_limit) {
        kr->body_limit = ep->body_limit;
    }
    if (!kr->db && ((ep->needs & KFM_NEEDS_DB) || ep->auth != KFM_AUTH_PUBLIC)) {
        kfm_db_state st = kfm_db_acquire(r, &kr->db, NULL);
        if (st != KFM_DB_OK) {
            return reply_db_unavailable(kr, st);
        }
    }
    if (ep->auth != KFM_AUTH_PUBLIC) {
        kr->session = kfm_session_load(kr, kr->db);
        if (!kr->session) {
            return kfm_reply_error(kr, HTTP_UNAUTHORIZED, "unauthenticated");
        }
        if (ep->auth == KF_AUTH_CSRF && !kfm_session_csrf_ok(kr, kr->session)) {
            return kfm_reply_error(kr, HTTP_FORBIDDEN, "csrf_failed");
        }
    }
    int rc = ep->handler(kr);
    kfm_availability_cache_after_write(kr);
    return rc;
}
