#ifndef KF_PURCHASE_VIEW_H
#define KF_PURCHASE_VIEW_H
/* A customer's purchase of a package as the customer sees it (API.md "Public booking API":
 * POST /api/public/purchases, GET /api/public/purchases/{id}), from the stored rows. JSON
 * functions return new references. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_purchase.h"

/* The columns of a purchase just made. */
enum {
    KF_PUR_NEW_COL_ID, KF_PUR_NEW_COL_PAY_BY, KF_PUR_NEW_COL_SESSIONS, KF_PUR_NEW_COL_AMOUNT,
    KF_PUR_NEW_COL_CURRENCY,
    KF_PUR_NEW_COL_COUNT
};

/* The columns of a purchase as its page reads it: its state, package, service, link,
 * customer and the tenant's look. */
enum {
    KF_PUR_COL_ID, KF_PUR_COL_STATUS, KF_PUR_COL_DUE, KF_PUR_COL_EVER_PAID, KF_PUR_COL_TOTAL,
    KF_PUR_COL_USED, KF_PUR_COL_EXPIRES, KF_PUR_COL_PAY_BY, KF_PUR_COL_PAID_AT,
    KF_PUR_COL_PACKAGE_ID, KF_PUR_COL_PACKAGE_NAME, KF_PUR_COL_PACKAGE_DESCRIPTION,
    KF_PUR_COL_VALID_DAYS, KF_PUR_COL_AMOUNT, KF_PUR_COL_CURRENCY, KF_PUR_COL_SERVICE_ID,
    KF_PUR_COL_SERVICE_NAME, KF_PUR_COL_DURATION, KF_PUR_COL_LINK, KF_PUR_COL_TENANT_NAME,
    KF_PUR_COL_LOGO, KF_PUR_COL_PRIMARY, KF_PUR_COL_SECONDARY, KF_PUR_COL_TIMEZONE,
    KF_PUR_COL_LOCALE, KF_PUR_COL_TERMS, KF_PUR_COL_CUSTOMER_NAME, KF_PUR_COL_CUSTOMER_EMAIL,
    KF_PUR_COL_CUSTOMER_PHONE,
    KF_PUR_COL_COUNT
};

/* The columns of a booking made with a purchase's session. */
enum {
    KF_PUR_BOOKING_COL_ID, KF_PUR_BOOKING_COL_START, KF_PUR_BOOKING_COL_END,
    KF_PUR_BOOKING_COL_STATUS, KF_PUR_BOOKING_COL_DUE, KF_PUR_BOOKING_COL_RETURNED,
    KF_PUR_BOOKING_COL_PROFESSIONAL,
    KF_PUR_BOOKING_COL_COUNT
};

/* The new purchase (row: KF_PUR_NEW_COL_COUNT values): pending payment, every session left,
 * with its page's token and url and its payment (not stolen). */
json_t *kf_purchase_created_view(const char *const *row, const char *token, json_t *payment,
                                 const char *url);

/* What the customer is told of the purchase (row: KF_PUR_COL_COUNT values): its state as
 * seen now (kf_pur_state_seen of the stored one; expired when unknown), the package,
 * service, sessions (none left once expired), dates, link and customer. */
kf_pur_state kf_purchase_seen(const char *const *row);

/* An approval could still change the stored purchase (row: KF_PUR_COL_COUNT values): worth
 * asking the provider when the customer comes back from the checkout. */
int kf_purchase_awaits_approval(const char *const *row);

/* {"purchase", "tenant"}: the page's answer, with the bookings (stolen) made with it. */
json_t *kf_purchase_page_view(const char *const *row, json_t *bookings);

/* One booking made with a session (row: KF_PUR_BOOKING_COL_COUNT values), with the status the
 * customer is told (`seen`). */
json_t *kf_purchase_booking_view(const char *const *row, const char *seen);

/* The purchase's page, where the customer comes back from paying and books its sessions:
 * {public_url}/book/purchase/{id}?token={token} (a trailing slash of public_url dropped). */
const char *kf_purchase_page_url(apr_pool_t *p, const char *public_url, const char *id,
                                 const char *token);

#endif
