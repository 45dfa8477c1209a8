#ifndef KF_CUSTOMER_H
#define KF_CUSTOMER_H
/* Checks of a customer's details on a booking (API.md "POST /api/public/bookings").
 * Each returns NULL when the value is acceptable, else the kf_i18n message id that says
 * why. Strings are NUL-terminated valid UTF-8 (the JSON parser guarantees it). */
#include <jansson.h>

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

#endif
