#include "kf_customer.h"
#include "kf_text.h"
#include "kf_email.h"
#include "kf_json.h"

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

const char *kf_customer_check_phone(const char *phone, const char *country)
{
    if (!kf_phone_e164(phone)) {
        return "customer_phone_invalid";
    }
    if (country && strcmp(country, "CO") == 0 &&
        (strlen(phone) != 13 || strncmp(phone, "+57", 3) != 0)) {
        return "customer_phone_invalid_co";
    }
    return NULL;
}

const char *kf_customer_check_notes(const char *notes)
{
    return notes && kf_utf8_length(notes) > 1000 ? "notes_too_long" : NULL;
}

const char *kf_customer_field_name(kf_customer_field f)
{
    static const char *const names[KF_CUSTOMER_FIELDS] = {
        "customer", "customer.name", "customer.email", "customer.phone", "accepted_terms",
    };
    return f < KF_CUSTOMER_FIELDS ? names[f] : NULL;
}

/* A required string: NULL and its problem when absent or mistyped. */
static const char *required(const json_t *obj, const char *key, const char **problem)
{
    const char *v = NULL;
    kf_json_field f = kf_json_get_string(obj, key, &v);
    *problem = f == KF_JSON_FIELD_OK          ? NULL
               : f == KF_JSON_FIELD_WRONG_TYPE ? "field_wrong_type"
                                               : "field_required";
    return f == KF_JSON_FIELD_OK ? v : NULL;
}

void kf_customer_read(const json_t *body, const char *country, int terms_needed, kf_customer *c,
                      const char *problem[KF_CUSTOMER_FIELDS])
{
    json_t *customer = NULL;
    int terms = 0;
    memset(c, 0, sizeof(*c));
    for (int i = 0; i < KF_CUSTOMER_FIELDS; i++) {
        problem[i] = NULL;
    }
    kf_json_field f = kf_json_get_object(body, "customer", &customer);
    if (f != KF_JSON_FIELD_OK) {
        problem[KF_CUSTOMER_FIELD_CUSTOMER] =
            f == KF_JSON_FIELD_WRONG_TYPE ? "field_wrong_type" : "field_required";
    }
    else {
        const char **why = problem;
        if ((c->name = required(customer, "name", &why[KF_CUSTOMER_FIELD_NAME]))) {
            why[KF_CUSTOMER_FIELD_NAME] = kf_customer_check_name(c->name);
        }
        if ((c->email = required(customer, "email", &why[KF_CUSTOMER_FIELD_EMAIL]))) {
            why[KF_CUSTOMER_FIELD_EMAIL] = kf_customer_check_email(c->email);
        }
        if ((c->phone = required(customer, "phone", &why[KF_CUSTOMER_FIELD_PHONE]))) {
            why[KF_CUSTOMER_FIELD_PHONE] = kf_customer_check_phone(c->phone, country);
        }
    }
    f = kf_json_get_bool(body, "accepted_terms", &terms);
    if (f == KF_JSON_FIELD_WRONG_TYPE) {
        problem[KF_CUSTOMER_FIELD_TERMS] = "field_wrong_type";
    }
    else if (terms_needed && (f != KF_JSON_FIELD_OK || !terms)) {
        problem[KF_CUSTOMER_FIELD_TERMS] = "terms_required";
    }
}

const json_t *kf_customer_change_of(kf_fields *f, const json_t *body)
{
    json_t *customer = NULL;
    kf_json_field got = kf_json_get_object(body, "customer", &customer);
    if (got != KF_JSON_FIELD_OK) {
        kf_fields_fail(f, "customer",
                       got == KF_JSON_FIELD_WRONG_TYPE ? "field_wrong_type" : "field_required");
        return NULL;
    }
    return customer;
}

/* The field `key` when sent: checked with `check` (phone: the tenant's country). NULL when
 * absent, unchanged or wrong. */
static const char *change_of(kf_fields *f, const json_t *customer, const char *key,
                             const char *(*check)(const char *), const char *country,
                             const char *current)
{
    const char *v = NULL;
    kf_json_field got = kf_json_get_string(customer, key, &v);
    if (got == KF_JSON_FIELD_ABSENT) {
        return NULL;
    }
    const char *path = kf_fields_path_key(f, "customer", key);
    if (got != KF_JSON_FIELD_OK) {
        kf_fields_fail(f, path, got == KF_JSON_FIELD_NULL ? "field_required" : "field_wrong_type");
        return NULL;
    }
    const char *why = check ? check(v) : kf_customer_check_phone(v, country);
    if (why) {
        kf_fields_fail(f, path, why);
        return NULL;
    }
    return current && strcmp(current, v) == 0 ? NULL : v;
}

void kf_customer_change_read(kf_fields *f, const json_t *customer, const char *const *row,
                             kf_customer *changed)
{
    changed->name = change_of(f, customer, "name", kf_customer_check_name, NULL,
                              row[KF_CUSTOMER_COL_NAME]);
    changed->email = change_of(f, customer, "email", kf_customer_check_email, NULL,
                               row[KF_CUSTOMER_COL_EMAIL]);
    changed->phone = change_of(f, customer, "phone", NULL, row[KF_CUSTOMER_COL_COUNTRY],
                               row[KF_CUSTOMER_COL_PHONE]);
}

json_t *kf_customer_change_audit(apr_pool_t *p, const kf_customer *changed)
{
    json_t *changes = json_object();
    if (changed->name) {
        json_object_set_new(changes, "customer.name", json_true());
    }
    if (changed->email) {
        kf_json_set_str(changes, "customer.email", kf_mask_email(p, changed->email));
    }
    if (changed->phone) {
        kf_json_set_str(changes, "customer.phone", kf_mask_phone(p, changed->phone));
    }
    return changes;
}
