#ifndef KF_CUSTOMER_H
#define KF_CUSTOMER_H
/* Checks of a customer's details on a booking (API.md "POST /api/public/bookings").
 * Each returns NULL when the value is acceptable, else the kf_i18n message id that says
 * why. Strings are NUL-terminated valid UTF-8 (the JSON parser guarantees it). */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"

/* 2..100 code points, not only white space, no control characters. */
const char *kf_customer_check_name(const char *name);

/* kf_email_valid (kf_email.h), the one email rule: "customer_email_too_long" over 254
 * bytes, "customer_email_invalid" otherwise. */
const char *kf_customer_check_email(const char *email);

/* E.164: '+' and 8..15 digits; when country is "CO": '+57' and exactly 10 digits. */
const char *kf_customer_check_phone(const char *phone, const char *country);

/* At most 1000 code points. */
const char *kf_customer_check_notes(const char *notes);

/* The customer of a public booking or purchase as its body gives it: {"customer": {"name",
 * "email", "phone"}, "accepted_terms"}. */
typedef struct kf_customer {
    const char *name, *email, *phone;   /* NULL when absent or mistyped */
} kf_customer;

/* Its fields, in the order their problems are told, and their names in an answer's
 * "fields" (kf_customer_field_name). */
typedef enum {
    KF_CUSTOMER_FIELD_CUSTOMER,
    KF_CUSTOMER_FIELD_NAME,
    KF_CUSTOMER_FIELD_EMAIL,
    KF_CUSTOMER_FIELD_PHONE,
    KF_CUSTOMER_FIELD_TERMS,
    KF_CUSTOMER_FIELDS
} kf_customer_field;

const char *kf_customer_field_name(kf_customer_field f);

/* Reads the customer of `body` into *c and each field's first problem (a message id, or
 * NULL) into problem[]: name, email and phone required (the phone of a tenant of `country`,
 * NULL for the E.164 rule alone), accepted_terms true when `terms_needed`. The strings are
 * the body's. */
void kf_customer_read(const json_t *body, const char *country, int terms_needed, kf_customer *c,
                      const char *problem[KF_CUSTOMER_FIELDS]);

/* The merchant's correction of a booking's customer (PATCH /api/admin/bookings/{id}
 * {"customer": {"name"?, "email"?, "phone"?}}). */

/* The columns of the booking's customer as the correction reads it, locked. */
enum {
    KF_CUSTOMER_COL_NAME, KF_CUSTOMER_COL_EMAIL, KF_CUSTOMER_COL_PHONE,
    KF_CUSTOMER_COL_COUNTRY,   /* the tenant's: the phone rule */
    KF_CUSTOMER_COL_COUNT
};

/* The body's "customer" object, or NULL after recording in f that it is missing or is no
 * object. */
const json_t *kf_customer_change_of(kf_fields *f, const json_t *body);

/* The fields of `customer` that change the stored row (KF_CUSTOMER_COL_COUNT values),
 * checked by the rules of a new booking; NULL when absent, unchanged or wrong (the error
 * recorded in f under "customer.<field>"). */
void kf_customer_change_read(kf_fields *f, const json_t *customer, const char *const *row,
                             kf_customer *changed);

/* What the audit says changed: the name as true, the email and phone masked as the logs
 * mask people. */
json_t *kf_customer_change_audit(apr_pool_t *p, const kf_customer *changed);

#endif
