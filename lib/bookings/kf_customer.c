#include "kf_customer.h"
#include "kf_text.h"
#include "kf_email.h"

#include <string.h>

const char *kf_customer_check_name(const char *name)
{
    apr_size_t n = kf_utf8_length(name);
    int visible = 0;
    if (!name || n < 2 || n > 100) {
        return "customer_name_length";
    }
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            return "customer_name_invalid";
        }
        visible = visible || *c != ' ';
    }
    return visible ? NULL : "customer_name_length";
}

/* RFC 5322 atext, plus any byte of a UTF-8 sequence (RFC 6532 UTF8-non-ascii). */
const char *kf_customer_check_email(const char *email)
{
    if (email && strlen(email) > KF_EMAIL_MAX) {
        return "customer_email_too_long";
    }
    return kf_email_valid(email) ? NULL : "customer_email_invalid";
}

static int all_digits(const char *s, apr_size_t n)
{
    for (apr_size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

const char *kf_customer_check_phone(const char *phone, const char *country)
{
    apr_size_t len = phone ? strlen(phone) : 0;
    if (len < 9 || len > 16 || phone[0] != '+' || !all_digits(phone + 1, len - 1)) {
        return "customer_phone_invalid";
    }
    if (country && strcmp(country, "CO") == 0 &&
        (len != 13 || strncmp(phone, "+57", 3) != 0)) {
        return "customer_phone_invalid_co";
    }
    return NULL;
}

const char *kf_customer_check_notes(const char *notes)
{
    return notes && kf_utf8_length(notes) > 1000 ? "notes_too_long" : NULL;
}
