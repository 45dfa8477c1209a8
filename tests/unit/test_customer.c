/* Unit tests for lib/bookings/kf_customer.c: the customer rules of POST /api/public/bookings. */
#include "kf_check_fields.h"
#include "kf_customer.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

START_TEST(names)
{
    ck_assert_ptr_null(kf_customer_check_name("Jo"));
    ck_assert_ptr_null(kf_customer_check_name("Ñu"));            /* 2 code points, 3 bytes */
    ck_assert_ptr_null(kf_customer_check_name("María José Pérez"));
    char hundred[256] = "";
    for (int i = 0; i < 100; i++) {
        strcat(hundred, "é");
    }
    ck_assert_ptr_null(kf_customer_check_name(hundred));          /* 100 code points */
    strcat(hundred, "e");
    ck_assert_str_eq(kf_customer_check_name(hundred), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name("J"), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name(""), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name("   "), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name(NULL), "customer_name_length");
    ck_assert_str_eq(kf_customer_check_name("Ana\nMaría"), "customer_name_invalid");
}
END_TEST

START_TEST(emails)
{
    static const char *good[] = {
        "juan@example.com", "first.last+tag@sub.example.co", "x!#$%&'*+/=?^_`{|}~-@example.com",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ck_assert_msg(kf_customer_check_email(good[i]) == NULL, "%s", good[i]);
    }
    static const char *bad[] = {
        "", "juan", "juan@", "@example.com", "juan@@example.com", ".juan@example.com",
        "juan.@example.com", "ju..an@example.com", "juan@example..com", "juan@.example.com",
        "juan pérez@example.com", "juan@exa mple.com", "\"unterminated@example.com",
        "juan@[1.2.3.4", "a\"b@example.com", "juan@example.com.",
        /* the booking's mails could never be sent to these */
        "ana@clinica", "a@b", "\"john doe\"@example.com", "user@[192.168.0.1]",
        "josé@ejemplo.co",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(kf_customer_check_email(bad[i]) != NULL, "%s", bad[i]);
    }
    ck_assert_ptr_nonnull(kf_customer_check_email(NULL));
    /* 254 bytes is the limit */
    char addr[300];
    memset(addr, 'a', 64);
    addr[64] = '@';
    memset(addr + 65, 'b', 254 - 65 - 4);
    addr[65 + 50] = addr[65 + 110] = addr[65 + 170] = '.';   /* DNS labels: 63 bytes at most */
    strcpy(addr + 254 - 4, ".com");
    ck_assert_int_eq(strlen(addr), 254);
    ck_assert_ptr_null(kf_customer_check_email(addr));
    memmove(addr + 1, addr, 255);
    ck_assert_str_eq(kf_customer_check_email(addr), "customer_email_too_long");
}
END_TEST

START_TEST(phones)
{
    ck_assert_ptr_null(kf_customer_check_phone("+12025550123", NULL));
    ck_assert_ptr_null(kf_customer_check_phone("+12345678", "US"));          /* 8 digits */
    ck_assert_ptr_null(kf_customer_check_phone("+123456789012345", "MX"));   /* 15 digits */
    ck_assert_str_eq(kf_customer_check_phone("+1234567", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("+1234567890123456", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("573001234567", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("+57 300 1234567", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone("", NULL), "customer_phone_invalid");
    ck_assert_str_eq(kf_customer_check_phone(NULL, NULL), "customer_phone_invalid");
    /* Colombia: +57 and exactly 10 digits */
    ck_assert_ptr_null(kf_customer_check_phone("+573001234567", "CO"));
    ck_assert_str_eq(kf_customer_check_phone("+57300123456", "CO"), "customer_phone_invalid_co");
    ck_assert_str_eq(kf_customer_check_phone("+5730012345678", "CO"), "customer_phone_invalid_co");
    ck_assert_str_eq(kf_customer_check_phone("+12025550123", "CO"), "customer_phone_invalid_co");
    ck_assert_ptr_null(kf_customer_check_phone("+5730012345678", "MX"));
}
END_TEST

START_TEST(notes)
{
    char text[4100] = "";
    ck_assert_ptr_null(kf_customer_check_notes(NULL));
    ck_assert_ptr_null(kf_customer_check_notes(""));
    for (int i = 0; i < 1000; i++) {
        strcat(text, "ñ");
    }
    ck_assert_ptr_null(kf_customer_check_notes(text));
    strcat(text, "x");
    ck_assert_str_eq(kf_customer_check_notes(text), "notes_too_long");
}
END_TEST

/* The customer of a body, each field's first problem (the purchase page and the booking
 * read it so). */
static void read_customer(const char *text, const char *country, int terms_needed,
                          kf_customer *c, const char *problem[KF_CUSTOMER_FIELDS])
{
    json_t *body = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(body);
    kf_customer_read(body, country, terms_needed, c, problem);
    /* the strings are the body's: copied before it goes */
    c->name = c->name ? apr_pstrdup(pool, c->name) : NULL;
    c->email = c->email ? apr_pstrdup(pool, c->email) : NULL;
    c->phone = c->phone ? apr_pstrdup(pool, c->phone) : NULL;
    json_decref(body);
}

START_TEST(read_from_a_body)
{
    kf_customer c;
    const char *problem[KF_CUSTOMER_FIELDS];
    read_customer("{\"customer\": {\"name\": \"Ana Ruiz\", \"email\": \"ana@example.com\","
                  " \"phone\": \"+573001234567\"}, \"accepted_terms\": true}", "CO", 1, &c, problem);
    for (int i = 0; i < KF_CUSTOMER_FIELDS; i++) {
        ck_assert_ptr_null(problem[i]);
    }
    ck_assert_str_eq(c.name, "Ana Ruiz");
    ck_assert_str_eq(c.email, "ana@example.com");
    ck_assert_str_eq(c.phone, "+573001234567");

    /* the +57 rule is the tenant's country's; the terms only when asked for */
    read_customer("{\"customer\": {\"name\": \"Ana Ruiz\", \"email\": \"ana@example.com\","
                  " \"phone\": \"+14155550100\"}}", "CO", 0, &c, problem);
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_PHONE], "customer_phone_invalid_co");
    ck_assert_ptr_null(problem[KF_CUSTOMER_FIELD_TERMS]);
    read_customer("{\"customer\": {\"name\": \"Ana Ruiz\", \"email\": \"ana@example.com\","
                  " \"phone\": \"+14155550100\"}, \"accepted_terms\": false}", NULL, 1, &c, problem);
    ck_assert_ptr_null(problem[KF_CUSTOMER_FIELD_PHONE]);
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_TERMS], "terms_required");
}
END_TEST

START_TEST(read_problems)
{
    kf_customer c;
    const char *problem[KF_CUSTOMER_FIELDS];
    read_customer("{\"customer\": \"Ana\", \"accepted_terms\": 1}", NULL, 1, &c, problem);
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_CUSTOMER], "field_wrong_type");
    ck_assert_ptr_null(problem[KF_CUSTOMER_FIELD_NAME]);
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_TERMS], "field_wrong_type");
    ck_assert_ptr_null(c.name);

    read_customer("{\"customer\": {\"name\": \" \", \"email\": \"ana\", \"phone\": null}}",
                  NULL, 1, &c, problem);
    ck_assert_ptr_null(problem[KF_CUSTOMER_FIELD_CUSTOMER]);
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_NAME], "customer_name_length");
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_EMAIL], "customer_email_invalid");
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_PHONE], "field_required");
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_TERMS], "terms_required");
    ck_assert_ptr_null(c.phone);

    read_customer("{}", NULL, 0, &c, problem);
    ck_assert_str_eq(problem[KF_CUSTOMER_FIELD_CUSTOMER], "field_required");
    ck_assert_ptr_null(problem[KF_CUSTOMER_FIELD_TERMS]);
}
END_TEST

START_TEST(field_names)
{
    ck_assert_str_eq(kf_customer_field_name(KF_CUSTOMER_FIELD_CUSTOMER), "customer");
    ck_assert_str_eq(kf_customer_field_name(KF_CUSTOMER_FIELD_NAME), "customer.name");
    ck_assert_str_eq(kf_customer_field_name(KF_CUSTOMER_FIELD_EMAIL), "customer.email");
    ck_assert_str_eq(kf_customer_field_name(KF_CUSTOMER_FIELD_PHONE), "customer.phone");
    ck_assert_str_eq(kf_customer_field_name(KF_CUSTOMER_FIELD_TERMS), "accepted_terms");
    ck_assert_ptr_null(kf_customer_field_name(KF_CUSTOMER_FIELDS));
}
END_TEST

/* ---- the merchant's correction of a booking's customer ---- */

/* Ana's booking at a Colombian business. */
static const char *stored[KF_CUSTOMER_COL_COUNT] = {"Ana Peña", "ana@example.com",
                                                    "+573001234567", "CO"};

static kf_customer change(kf_fields *f, const char *text)
{
    kf_customer c;
    kf_fields_init(f, pool, KF_LOCALE_EN);
    const json_t *customer = kf_customer_change_of(f, parse(text));
    ck_assert_ptr_nonnull(customer);
    kf_customer_change_read(f, customer, stored, &c);
    return c;
}

START_TEST(a_correction_needs_the_customer_object)
{
    kf_fields f;
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_ptr_null(kf_customer_change_of(&f, parse("{}")));
    ck_assert_str_eq(error_of(&f, "customer"), "This field is required.");
    kf_fields_init(&f, pool, KF_LOCALE_EN);
    ck_assert_ptr_null(kf_customer_change_of(&f, parse("{\"customer\": \"Ana\"}")));
    ck_assert_str_eq(error_of(&f, "customer"), "This field has the wrong type.");
}
END_TEST

START_TEST(only_what_changes_is_written)
{
    kf_fields f;
    kf_customer c = change(&f, "{\"customer\": {\"name\": \"Ana Peña\", "
                               "\"email\": \"ana.p@example.com\"}}");
    ck_assert(kf_fields_ok(&f));
    ck_assert_ptr_null(c.name);     /* the same name */
    ck_assert_str_eq(c.email, "ana.p@example.com");
    ck_assert_ptr_null(c.phone);    /* not sent */
    c = change(&f, "{\"customer\": {}}");
    ck_assert(!c.name && !c.email && !c.phone);
}
END_TEST

START_TEST(a_correction_follows_the_rules_of_a_new_booking)
{
    kf_fields f;
    kf_customer c = change(&f, "{\"customer\": {\"name\": null, \"email\": \"nope\", "
                               "\"phone\": \"+12025550123\"}}");
    ck_assert(!c.name && !c.email && !c.phone);
    ck_assert_str_eq(error_of(&f, "customer.name"), "This field is required.");
    ck_assert_ptr_nonnull(error_of(&f, "customer.email"));
    /* the business is Colombian: a Colombian number */
    ck_assert_ptr_nonnull(error_of(&f, "customer.phone"));
    change(&f, "{\"customer\": {\"phone\": 3001234567}}");
    ck_assert_str_eq(error_of(&f, "customer.phone"), "This field has the wrong type.");
}
END_TEST

START_TEST(the_audit_masks_the_customer)
{
    kf_customer c = {"Ana María", "ana.p@example.com", "+573009876543"};
    json_t *changes = kf_customer_change_audit(pool, &c);
    ck_assert(json_is_true(json_object_get(changes, "customer.name")));
    const char *email = json_string_value(json_object_get(changes, "customer.email"));
    const char *phone = json_string_value(json_object_get(changes, "customer.phone"));
    ck_assert_str_eq(email, kf_mask_email(pool, "ana.p@example.com"));
    ck_assert_ptr_null(strstr(email, "ana.p"));
    ck_assert_ptr_null(strstr(phone, "9876"));
    json_decref(changes);
    kf_customer only_name = {"Ana María", NULL, NULL};
    ck_assert_str_eq(text_of(kf_customer_change_audit(pool, &only_name)), "{\"customer.name\":true}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("customer");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, names);
    tcase_add_test(tc, emails);
    tcase_add_test(tc, phones);
    tcase_add_test(tc, notes);
    tcase_add_test(tc, read_from_a_body);
    tcase_add_test(tc, read_problems);
    tcase_add_test(tc, field_names);
    tcase_add_test(tc, a_correction_needs_the_customer_object);
    tcase_add_test(tc, only_what_changes_is_written);
    tcase_add_test(tc, a_correction_follows_the_rules_of_a_new_booking);
    tcase_add_test(tc, the_audit_masks_the_customer);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
