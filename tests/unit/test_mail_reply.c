#include "kf_check.h"
#include "kf_mail.h"
#include "kf_tenant_rules.h"

#include <string.h>

/* The setting wins; unset, the notification address; without one, the owner's once verified. */
START_TEST(replies_go_to_the_setting_else_the_notification_address_else_the_owner)
{
    ck_assert_str_eq(kf_mail_reply_to("citas@clinica.example", "agenda@clinica.example",
                                      "owner@clinica.example", 1),
                     "citas@clinica.example");
    ck_assert_str_eq(kf_mail_reply_to(NULL, "agenda@clinica.example", "owner@clinica.example", 1),
                     "agenda@clinica.example");
    ck_assert_str_eq(kf_mail_reply_to("", "agenda@clinica.example", "owner@clinica.example", 1),
                     "agenda@clinica.example");
    ck_assert_str_eq(kf_mail_reply_to(NULL, NULL, "owner@clinica.example", 1),
                     "owner@clinica.example");
    /* an owner who never proved the address gets no replies: nobody may be sure it is theirs */
    ck_assert_ptr_null(kf_mail_reply_to(NULL, NULL, "owner@clinica.example", 0));
    ck_assert_ptr_null(kf_mail_reply_to(NULL, NULL, NULL, 1));
    /* a stored value that is no address (written by hand) is passed over, never sent */
    ck_assert_str_eq(kf_mail_reply_to("a@b.co\r\nBcc: x@y.z", "agenda@clinica.example", NULL, 0),
                     "agenda@clinica.example");
    ck_assert_ptr_null(kf_mail_reply_to("not-an-address", "x", "y", 1));
}
END_TEST

/* Customers' mails about a booking or a purchase; nobody else's. */
START_TEST(only_customers_mails_about_a_booking_or_purchase_reply_to_the_business)
{
    static const char *const customers[] = {"booking_confirmed", "booking_reminder",
                                            "booking_rescheduled_customer", "booking_cancelled",
                                            "purchase_paid"};
    for (size_t i = 0; i < sizeof customers / sizeof customers[0]; i++) {
        ck_assert_msg(kf_mail_template_known(customers[i]), "%s", customers[i]);
        ck_assert_msg(kf_mail_replies_to_business(customers[i]), "%s", customers[i]);
    }
    static const char *const others[] = {
        "portal_sign_in", "booking_notice", "booking_rescheduled", "booking_cancelled_notice",
        "verify_email", "reset_password", "account_locked", "calendar_error", "merchant_alert",
        "no_such_template"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        ck_assert_msg(!kf_mail_replies_to_business(others[i]), "%s", others[i]);
    }
    ck_assert(!kf_mail_replies_to_business(NULL));
}
END_TEST

/* A header cannot be injected through the setting: the PATCH refuses it, a value stored by
 * other means is passed over, and a message built with it is refused. */
START_TEST(a_reply_to_cannot_inject_a_header)
{
    static const char *const bad[] = {"a@b.co\r\nBcc: x@y.z", "a@b.co\nBcc: x@y.z",
                                      "a@b.co\rBcc: x@y.z", "Eve <a@b.co>", "a@b.co, x@y.z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_str_eq(kf_tenant_field_check("reply_to_email", bad[i], KF_URL_HTTPS_ONLY),
                         "invalid_email");
        ck_assert_ptr_null(kf_mail_reply_to(bad[i], NULL, NULL, 0));
        kf_mail_message m = {0};
        m.from = "Konfirmado <no-reply@k.example>";
        m.to = "ana@example.com";
        m.subject = "Reserva confirmada";
        m.text = "Hola";
        m.html = "<p>Hola</p>";
        m.reply_to = bad[i];
        const char *built = NULL, *why = NULL;
        ck_assert_int_eq(kf_mail_build(pool, &m, &built, &why), APR_EINVAL);
        ck_assert_ptr_nonnull(strstr(why, "Reply-To"));
    }
    ck_assert_ptr_null(kf_tenant_field_check("reply_to_email", "citas@clinica.example",
                                             KF_URL_HTTPS_ONLY));
    ck_assert(kf_tenant_field_nullable("reply_to_email"));
    ck_assert_str_eq(kf_tenant_fields[KF_TENANT_REPLY_TO_EMAIL], "reply_to_email");
}
END_TEST

static Suite *mail_reply_suite(void)
{
    Suite *s = suite_create("mail_reply");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, replies_go_to_the_setting_else_the_notification_address_else_the_owner);
    tcase_add_test(tc, only_customers_mails_about_a_booking_or_purchase_reply_to_the_business);
    tcase_add_test(tc, a_reply_to_cannot_inject_a_header);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(mail_reply_suite());
}
