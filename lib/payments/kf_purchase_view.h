#ifndef KF_PURCHASE_VIEW_H
#define KF_PURCHASE_VIEW_H
/* A customer's purchase of a package as the customer sees it (API.md "Public booking API":
 * POST /api/public/purchases, GET /api/public/purchases/{id}), from the stored rows. JSON
 * functions return new references. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_purchase.h"
#include "kf_payment.h"
#include "kf_i18n.h"
#include "kf_fields.h"
#include "kf_metadata.h"

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

/* What a customer asks to buy (POST /api/public/purchases, beside the customer's fields). */
typedef struct kf_purchase_ask {
    const char *link;        /* the link's slug, or NULL when refused */
    const char *package;     /* the package's id, or NULL when refused */
    const char *metadata;    /* the merchant's ids sent (kf_metadata.h's text), or NULL */
} kf_purchase_ask;

/* Reads the link (a link's slug, else field_required), the package (an id, else
 * package_id_invalid) and the metadata (kf_metadata_read) into *ask, errors into f. */
void kf_purchase_ask_read(kf_fields *f, const json_t *body, kf_purchase_ask *ask);

/* What the new purchase's payment (row: KF_PUR_NEW_COL_COUNT values) is started with: the
 * purchase, its price and the end of its payment window, into *in (who pays, the page and
 * the description are the caller's). */
void kf_purchase_payment_of(const char *const *row, kf_payment_start *in);

/* What a payment event's plan (an approval or a decline) does to the purchase as it is
 * locked: its status and whether it was ever paid ("t"/"f"). 1 with *from (its state then)
 * and *o (kf_purchase_next's), 0 for a status the state machine does not know. */
int kf_purchase_payment_outcome(const char *status, const char *ever_paid,
                                const kf_payment_plan *plan, kf_pur_state *from,
                                kf_pur_outcome *o);

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

/* The columns of a paid purchase as its customer's mail reads it: the purchase, its tenant,
 * customer, package, service and sessions, until when (local time, and the tenant's zone),
 * what was paid, the business, its language and colour, and the page's sealed token. */
enum {
    KF_PUR_MAIL_COL_ID, KF_PUR_MAIL_COL_TENANT, KF_PUR_MAIL_COL_CUSTOMER_NAME,
    KF_PUR_MAIL_COL_CUSTOMER_EMAIL, KF_PUR_MAIL_COL_PACKAGE, KF_PUR_MAIL_COL_SERVICE,
    KF_PUR_MAIL_COL_SESSIONS, KF_PUR_MAIL_COL_EXPIRES_LOCAL, KF_PUR_MAIL_COL_ZONE,
    KF_PUR_MAIL_COL_AMOUNT, KF_PUR_MAIL_COL_CURRENCY, KF_PUR_MAIL_COL_BUSINESS,
    KF_PUR_MAIL_COL_LOCALE, KF_PUR_MAIL_COL_COLOR, KF_PUR_MAIL_COL_SEALED,
    KF_PUR_MAIL_COL_COUNT
};

/* The language of a purchase's mail (row: KF_PUR_MAIL_COL_COUNT values): the tenant's
 * English, else Spanish. */
kf_locale kf_purchase_mail_locale(const char *const *row);

/* The purchase_paid mail's variables (row: KF_PUR_MAIL_COL_COUNT values): the business, the
 * customer, the package, its service and sessions, until when (`expires`, the long date in
 * the mail's language; NULL: empty), what was paid in that language, the page's `link`, and
 * the tenant's colour (the house blue without one) with white text. New reference. */
json_t *kf_purchase_paid_mail(apr_pool_t *p, const char *const *row, const char *expires,
                              const char *link);

#endif
