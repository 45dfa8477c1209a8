#ifndef KF_CUSTOMER_H
#define KF_CUSTOMER_H
/* Checks of a customer's details on a booking (API.md "POST /api/public/bookings").
 * Each returns NULL when the value is acceptable, else the kf_i18n message id that says
 * why. Strings are NUL-terminated valid UTF-8 (the JSON parser guarantees it). */

/* 2..100 code points, not only white space, no control characters. */
const char *kf_customer_check_name(const char *name);

/* kf_email_valid (kf_email.h), the one email rule: "customer_email_too_long" over 254
 * bytes, "customer_email_invalid" otherwise. */
const char *kf_customer_check_email(const char *email);

/* E.164: '+' and 8..15 digits; when country is "CO": '+57' and exactly 10 digits. */
const char *kf_customer_check_phone(const char *phone, const char *country);

/* At most 1000 code points. */
const char *kf_customer_check_notes(const char *notes);

#endif
