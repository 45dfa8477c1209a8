#ifndef KF_BOOKING_CREATE_H
#define KF_BOOKING_CREATE_H
/* Making a booking of a live hold (API.md "POST /api/public/bookings"), in two calls: the
 * request read (every field checked, the tokens' hashes made once, the booking's own token
 * minted), then, from the facts the glue read in one statement, one decision: the request's
 * problems, a refusal, or what the booking charges, where the state machine's book takes it
 * and how long it waits for its money. The glue writes what it is told. Pure but for the
 * hashes and the new token: "now" is an argument. */
#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>
#include <jansson.h>

#include "kf_customer.h"
#include "kf_purchase.h"
#include "kf_reservation.h"
#include "kf_metadata.h"

/* A booking request's fields, in the order their problems are told (kf_booking_field_name:
 * their names in an answer's "fields"); the customer's are kf_customer_field's, in turn. */
enum {
    KF_BOOKING_FIELD_HOLD_TOKEN,
    KF_BOOKING_FIELD_PURCHASE_TOKEN,
    KF_BOOKING_FIELD_CUSTOMER,
    KF_BOOKING_FIELD_NOTES = KF_BOOKING_FIELD_CUSTOMER + KF_CUSTOMER_FIELDS,
    KF_BOOKING_FIELD_TIMEZONE,
    KF_BOOKING_FIELD_METADATA,    /* named by its key when a value is at fault */
    KF_BOOKING_FIELDS
};

const char *kf_booking_field_name(int field);

/* The request as read. Strings are the body's, hashes the pool's. */
typedef struct kf_booking_request {
    const char *hold_token;
    const char *hold_hash;        /* NULL: no token of a token's shape */
    const char *purchase_token;   /* packages: a session of this purchase, or NULL */
    const char *purchase_hash;    /* NULL: none of a token's shape */
    kf_customer customer;         /* its phone checked by the E.164 rule alone: the hold's
                                     tenant's country is the decision's */
    const char *notes;
    const char *timezone;         /* the zone the customer booked in (for their mails), or NULL */
    const char *problem[KF_BOOKING_FIELDS];   /* each field's first problem (a message id) */
    const char *metadata;         /* the merchant's ids sent (kf_metadata.h's text), or NULL */
    const char *metadata_field;   /* the field a metadata problem names */
    const char *booking_token;    /* the booking's own, for its customer's browser: new at each
                                     reading; only its hash is stored */
    const char *booking_hash;
} kf_booking_request;

/* Reads a booking request's JSON object, and mints the booking's token. */
void kf_booking_request_read(apr_pool_t *p, const json_t *body, kf_booking_request *in);

/* What the glue read, locked, in the request's transaction. */
typedef struct kf_booking_hold {
    const char *charge_type;   /* its service's charge rule: "total" | "partial" | "free" */
    apr_int64_t price;         /* its service's price, minor units */
    int deposit_percent;       /* its service's deposit, for "partial" */
    int purchase_session;      /* packages: a session of a purchase, paid already */
    int series_count;          /* the first of a series of that many occurrences (kf_series.h),
                                  or 0 */
    int series_pay_all;        /* the series' checkout charges every occurrence */
} kf_booking_hold;

typedef struct kf_booking_facts {
    int hold_live;             /* the hold the token names is live, on the host's tenant */
    const char *country;       /* that tenant's (the +57 rule) */
    kf_booking_hold hold;      /* purchase_session: the purchase below was found */
    /* packages: the purchase the token names, of the hold's tenant */
    kf_pur_state purchase_state;
    int purchase_due;          /* its deadline passed, not yet recorded */
    int purchase_ever_paid;
    int purchase_same_service; /* of the hold's service */
    int sessions_total, sessions_used;
    const char *link_metadata; /* the metadata of the link the hold was made through */
} kf_booking_facts;

/* The columns of the facts statement: the live hold of the host's tenant, locked, with what
 * its service charges and its tenant's country, and the purchase the token names. */
enum {
    KF_BOOKING_FACT_COL_HOLD_ID, KF_BOOKING_FACT_COL_CHARGE_TYPE, KF_BOOKING_FACT_COL_PRICE,
    KF_BOOKING_FACT_COL_DEPOSIT, KF_BOOKING_FACT_COL_CURRENCY, KF_BOOKING_FACT_COL_EXPIRES,
    KF_BOOKING_FACT_COL_COUNTRY, KF_BOOKING_FACT_COL_PURCHASE_ID,
    KF_BOOKING_FACT_COL_PURCHASE_STATUS, KF_BOOKING_FACT_COL_PURCHASE_DUE,
    KF_BOOKING_FACT_COL_PURCHASE_EVER_PAID, KF_BOOKING_FACT_COL_PURCHASE_SAME_SERVICE,
    KF_BOOKING_FACT_COL_SESSIONS_TOTAL, KF_BOOKING_FACT_COL_SESSIONS_USED,
    KF_BOOKING_FACT_COL_LINK_METADATA,
    KF_BOOKING_FACT_COL_SERIES_COUNT,   /* the series the hold is the first of, or NULL */
    KF_BOOKING_FACT_COL_SERIES_PAY,     /* its service's series.pay */
    KF_BOOKING_FACT_COL_COUNT
};

/* The facts of the statement's row (KF_BOOKING_FACT_COL_COUNT values): the hold is live; a
 * purchase in an unknown state counts as failed. */
void kf_booking_facts_of(const char *const *row, kf_booking_facts *f);

typedef struct kf_booking_decision {
    /* the refusal, as API.md's error code and its HTTP status, or NULL: the booking is made.
     * "validation_failed": problem[] says what (the request's, and the phone's +57 rule) */
    const char *refusal;
    int status;
    const char *problem[KF_BOOKING_FIELDS];
    const char *metadata_field;   /* the field a metadata problem names */
    const char *metadata;      /* what the booking records: the link's with the request's over
                                  it (kf_metadata_merge), or NULL */
    const char *charge_type;   /* what the booking records: the service's rule, "free" for
                                  a purchase's session */
    apr_int64_t amount;        /* what it asks the customer for, minor units (0: nothing); of a
                                  series, what its first occurrence is charged */
    apr_int64_t checkout;      /* what its checkout collects: amount, or of a series what
                                  kf_series_charge asks for all of it */
    kf_res_outcome outcome;    /* the state machine's book: pending_payment with its checkout
                                  (KF_RES_FX_CHECKOUT), or paid now (a purchase's session
                                  spent: KF_RES_FX_SESSION_SPENT) */
    apr_int64_t deadline;      /* when it runs out (seconds since the epoch): a booking waiting
                                  for its money lasts the payment window; 0 for none */
} kf_booking_decision;

/* The decision for request `in` and facts `f` read at `now` (seconds since the epoch), with
 * the payment window of `payment_window` seconds (texts in p). The request's metadata goes
 * over its link's; more than KF_METADATA_KEYS keys together is a problem of "metadata". Refusals in this order: the request's
 * problems (400 validation_failed), no live hold (409 hold_expired), the purchase's
 * (404 purchase_not_found, kf_purchase_session_refusal). APR_SUCCESS and *d, or APR_EINVAL
 * when the service charges what the catalog refuses (kf_charge_amount: the hold cannot be
 * booked). */
apr_status_t kf_booking_decide(apr_pool_t *p, const kf_booking_request *in, const kf_booking_facts *f,
                               apr_int64_t now, apr_int64_t payment_window,
                               kf_booking_decision *d);

/* A refusal's "fields" (API.md's validation_failed: each field's message id, by its name),
 * or NULL for any other refusal. The caller owns the object. */
json_t *kf_booking_refusal_fields(const kf_booking_decision *d);

/* Where the created booking's answer sends the customer's browser to read it again: {public_url}/api/public/bookings/
 * {id}?token={token} (a trailing slash of public_url dropped). */
const char *kf_booking_status_url(apr_pool_t *p, const char *public_url, const char *id,
                                  const char *token);

/* The customer must accept the terms, except for a session of a purchase: they were
 * accepted when it was bought. */
int kf_booking_terms_needed(int purchase_session);

#endif
