/* Unit suite for lib/messaging/kf_delivery_reason.c: what a failed mail, text or notification
 * to the merchant's site is told as, from what its outbox kept. */
#include "kf_check.h"
#include "kf_delivery_reason.h"

#define ASSERT_REASON(r, name, number)                                                        \
    do {                                                                                      \
        kf_delivery_reason got_ = (r);                                                        \
        ck_assert_msg(got_.code != NULL, "no reason, expected %s", name);                     \
        ck_assert_str_eq(got_.code, name);                                                    \
        ck_assert_int_eq(got_.answer, number);                                                \
    } while (0)

static kf_delivery_reason mail(const char *fault, const char *error)
{
    return kf_delivery_reason_of("email", "failed", "lucia@correo.example", fault, error);
}

static kf_delivery_reason text(const char *error)
{
    return kf_delivery_reason_of("sms", "failed", "+573001234567", NULL, error);
}

static kf_delivery_reason site(const char *error)
{
    return kf_delivery_reason_of("callback", "failed", "https://clinica.example/hook", NULL, error);
}

START_TEST(nothing_failed_has_no_reason)
{
    ck_assert_ptr_null(kf_delivery_reason_of("email", "sent", "a@b.example", NULL, NULL).code);
    ck_assert_ptr_null(kf_delivery_reason_of("email", "pending", "a@b.example", NULL, NULL).code);
    ck_assert_ptr_null(kf_delivery_reason_of("callback", "pending", "https://x.example", "", "").code);
    /* a sent one's old error is history, not a reason */
    ck_assert_ptr_null(kf_delivery_reason_of("sms", "sent", "+573001234567", NULL, "HTTP 503").code);
}
END_TEST

/* The SMTP answer as kf_mail_send records it, and the fault beside it. */
START_TEST(a_mail_the_recipients_server_refused)
{
    ASSERT_REASON(mail("recipient", "smtp error 55: RCPT failed: 550 (server said 550)"),
                  "mail_mailbox_missing", 550);
    ASSERT_REASON(mail("recipient", "smtp error 55: RCPT failed: 551 (server said 551)"),
                  "mail_mailbox_missing", 551);
    ASSERT_REASON(mail("recipient", "smtp error 55: RCPT failed: 553 (server said 553)"),
                  "mail_address_invalid", 553);
    /* a row failed before faults were kept: the reply alone says it */
    ASSERT_REASON(mail(NULL, "550 mailbox unavailable"), "mail_mailbox_missing", 550);
    ASSERT_REASON(mail(NULL, "550 5.1.1 <lucia@correo.example>: User unknown"),
                  "mail_mailbox_missing", 550);
}
END_TEST

START_TEST(a_full_mailbox_whether_for_now_or_for_good)
{
    ASSERT_REASON(mail("recipient", "smtp error 55: RCPT failed: 552 (server said 552)"),
                  "mail_mailbox_full", 552);
    ASSERT_REASON(mail("busy", "smtp error 55: RCPT failed: 452 (server said 452)"),
                  "mail_mailbox_full", 452);
    ASSERT_REASON(mail(NULL, "550 5.2.2 The email account is over quota"), "mail_mailbox_full",
                  550);
}
END_TEST

START_TEST(a_mail_refused_as_spam)
{
    /* a 554 after the message is a refusal of the message, even where the fault names us */
    ASSERT_REASON(mail("sender", "smtp error 8: Weird server reply (server said 554)"),
                  "mail_spam", 554);
    ASSERT_REASON(mail("recipient", "550 5.7.1 Message rejected as spam"), "mail_spam", 550);
    ASSERT_REASON(mail(NULL, "554 5.7.1 Service unavailable; client host listed on a blocklist"),
                  "mail_spam", 554);
}
END_TEST

/* The platform's mail service refusing us is never the merchant's setting to check. */
START_TEST(the_mail_service_refusing_us_is_ours)
{
    ASSERT_REASON(mail("sender", "smtp error 67: Login denied (server said 535)"),
                  "mail_service_refused", 535);
    ASSERT_REASON(mail("sender", "smtp error 55: MAIL failed: 530 (server said 530)"),
                  "mail_service_refused", 530);
    ASSERT_REASON(mail("sender", "smtp error 55: MAIL failed: 553 (server said 553)"),
                  "mail_service_refused", 553);
    ASSERT_REASON(mail("sender", "resend 403 validation_error: The example.com domain is not verified"),
                  "mail_service_refused", 0);
    ASSERT_REASON(mail(NULL, "smtp error 67: Authentication failed: 535"), "mail_service_refused",
                  535);
}
END_TEST

START_TEST(a_mail_server_that_did_not_answer_or_was_busy)
{
    ASSERT_REASON(mail("unreachable", "smtp error 28: Operation timed out after 30000 milliseconds"),
                  "mail_no_answer", 0);
    ASSERT_REASON(mail("unreachable", "smtp error 7: Failed to connect to mail.example port 25"),
                  "mail_no_answer", 0);
    ASSERT_REASON(mail("unreachable", "resend: not reachable"), "mail_no_answer", 0);
    ASSERT_REASON(mail(NULL, "timeout"), "mail_no_answer", 0);
    ASSERT_REASON(mail("busy", "smtp error 55: RCPT failed: 450 (server said 450)"), "mail_busy", 450);
    ASSERT_REASON(mail("busy", "resend 429 rate_limit_exceeded: Too many requests"), "mail_busy", 0);
    ASSERT_REASON(mail(NULL, "421 4.3.2 Service not available"), "mail_busy", 421);
}
END_TEST

START_TEST(a_mail_never_sent_says_whether_its_address_was_the_trouble)
{
    ASSERT_REASON(mail("unsendable", "not deliverable: recipient is not a valid address"),
                  "mail_address_invalid", 0);
    ASSERT_REASON(mail("recipient", "resend 422 validation_error: Invalid `to` field. The email "
                                    "address needs to follow the `email@example.com` format."),
                  "mail_address_invalid", 0);
    /* refused at queue time: the address itself tells */
    ASSERT_REASON(kf_delivery_reason_of("email", "failed", "ana@clinica", NULL,
                                        "not queued: the recipient or the message was refused"),
                  "mail_address_invalid", 0);
    ASSERT_REASON(mail(NULL, "not queued: the recipient or the message was refused"),
                  "mail_not_prepared", 0);
    ASSERT_REASON(mail("unsendable", "the sealed body cannot be opened with the configured KonfirmadoKeyFile"),
                  "mail_not_prepared", 0);
    ASSERT_REASON(mail("unsendable", NULL), "mail_not_prepared", 0);
}
END_TEST

START_TEST(a_mail_error_nothing_explains)
{
    ASSERT_REASON(mail(NULL, "something odd"), "unknown", 0);
}
END_TEST

/* Twilio's code leads what it said (kf_twilio_read_answer). */
START_TEST(a_text_to_a_number_that_cannot_take_it)
{
    ASSERT_REASON(text("21211 The 'To' number +57300123 is not a valid phone number."),
                  "text_number_invalid", 21211);
    ASSERT_REASON(text("21614 'To' number is not a valid mobile number"), "text_number_invalid",
                  21614);
    ASSERT_REASON(text("63003 Channel could not find To address"), "text_number_invalid", 63003);
    ASSERT_REASON(text("21610 Attempt to send to unsubscribed recipient"), "text_unsubscribed",
                  21610);
    /* a STOP we keep ourselves: the text was never tried */
    ASSERT_REASON(kf_delivery_reason_of("whatsapp", "suppressed", "+573001234567", NULL, NULL),
                  "text_unsubscribed", 0);
}
END_TEST

START_TEST(a_text_the_merchants_twilio_account_refused)
{
    ASSERT_REASON(text("20003 Authenticate"), "text_account", 20003);
    ASSERT_REASON(text("21606 The From phone number is not a valid, SMS-capable number"),
                  "text_account", 21606);
    ASSERT_REASON(text("21608 The number is unverified. Trial accounts cannot send messages to "
                       "unverified numbers"), "text_account", 21608);
    ASSERT_REASON(text("HTTP 401"), "text_account", 401);
    ASSERT_REASON(text("messaging is no longer configured"), "text_account", 0);
}
END_TEST

START_TEST(a_text_twilio_could_not_take_then)
{
    ASSERT_REASON(text("HTTP 503"), "text_provider_down", 503);
    ASSERT_REASON(text("20429 Too Many Requests"), "text_provider_down", 20429);
    ASSERT_REASON(text("Twilio could not be reached"), "text_provider_down", 0);
    ASSERT_REASON(text("Operation timed out after 10000 milliseconds"), "text_provider_down", 0);
    ASSERT_REASON(text("the appointment has started: a reminder now would be late"),
                  "text_too_late", 0);
    ASSERT_REASON(text("not queued: the text could not be sealed"), "text_not_prepared", 0);
    ASSERT_REASON(text("30001 Queue overflow"), "unknown", 30001);
}
END_TEST

/* The connection's error kind (kf_http_error_kind) or the site's HTTP status. */
START_TEST(a_notification_the_merchants_site_did_not_take)
{
    ASSERT_REASON(site("timeout"), "site_timeout", 0);
    ASSERT_REASON(site("tls_error"), "site_tls", 0);
    ASSERT_REASON(site("dns_error"), "site_dns", 0);
    ASSERT_REASON(site("connection_refused"), "site_refused", 0);
    ASSERT_REASON(site("blocked_address"), "site_blocked", 0);
    ASSERT_REASON(site("HTTP 301"), "site_redirect", 301);
    ASSERT_REASON(site("HTTP 401"), "site_unauthorized", 401);
    ASSERT_REASON(site("HTTP 403"), "site_unauthorized", 403);
    ASSERT_REASON(site("HTTP 404"), "site_not_found", 404);
    ASSERT_REASON(site("HTTP 422"), "site_rejected", 422);
    ASSERT_REASON(site("HTTP 500"), "site_error", 500);
    ASSERT_REASON(site("HTTP 503"), "site_error", 503);
    ASSERT_REASON(site("customer data erased"), "unknown", 0);
}
END_TEST

START_TEST(a_number_is_read_only_where_it_stands_whole)
{
    /* four digits are not an SMTP reply, six are not Twilio's code */
    ASSERT_REASON(mail(NULL, "5501 odd"), "unknown", 0);
    ASSERT_REASON(text("212110 odd"), "unknown", 0);
    ASSERT_REASON(site("HTTP 5000"), "unknown", 0);
    ASSERT_REASON(kf_delivery_reason_of("pigeon", "failed", NULL, NULL, "lost"), "unknown", 0);
}
END_TEST

static Suite *delivery_reason_suite(void)
{
    Suite *s = suite_create("delivery_reason");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, nothing_failed_has_no_reason);
    tcase_add_test(tc, a_mail_the_recipients_server_refused);
    tcase_add_test(tc, a_full_mailbox_whether_for_now_or_for_good);
    tcase_add_test(tc, a_mail_refused_as_spam);
    tcase_add_test(tc, the_mail_service_refusing_us_is_ours);
    tcase_add_test(tc, a_mail_server_that_did_not_answer_or_was_busy);
    tcase_add_test(tc, a_mail_never_sent_says_whether_its_address_was_the_trouble);
    tcase_add_test(tc, a_mail_error_nothing_explains);
    tcase_add_test(tc, a_text_to_a_number_that_cannot_take_it);
    tcase_add_test(tc, a_text_the_merchants_twilio_account_refused);
    tcase_add_test(tc, a_text_twilio_could_not_take_then);
    tcase_add_test(tc, a_notification_the_merchants_site_did_not_take);
    tcase_add_test(tc, a_number_is_read_only_where_it_stands_whole);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(delivery_reason_suite());
}
