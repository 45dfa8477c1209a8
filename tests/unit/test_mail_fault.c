#include "kf_check.h"
#include "kf_mail.h"
#include "kf_mail_fault.h"

#include <string.h>

static const char *const INVALID_TO =
    "Invalid `to` field. The email address needs to follow the `email@example.com` or "
    "`Name <email@example.com>` format.";

/* Only what concerns the recipient is for good; whatever concerns us or the service waits. */
START_TEST(only_a_recipient_or_a_mail_that_cannot_be_built_fails_for_good)
{
    ck_assert_int_eq(kf_mail_fault_verdict(KF_MAIL_FAULT_NONE), KF_MAIL_SENT);
    ck_assert_int_eq(kf_mail_fault_verdict(KF_MAIL_FAULT_RECIPIENT), KF_MAIL_REFUSED);
    ck_assert_int_eq(kf_mail_fault_verdict(KF_MAIL_FAULT_UNSENDABLE), KF_MAIL_REFUSED);
    /* a key or sender refused fails every mail alike: the rest of the run waits too */
    ck_assert_int_eq(kf_mail_fault_verdict(KF_MAIL_FAULT_SENDER), KF_MAIL_HOLD);
    ck_assert_int_eq(kf_mail_fault_verdict(KF_MAIL_FAULT_UNREACHABLE), KF_MAIL_HOLD);
    ck_assert_int_eq(kf_mail_fault_verdict(KF_MAIL_FAULT_BUSY), KF_MAIL_RETRY);
}
END_TEST

START_TEST(fault_names_are_what_the_outbox_keeps)
{
    ck_assert_ptr_null(kf_mail_fault_name(KF_MAIL_FAULT_NONE));
    ck_assert_str_eq(kf_mail_fault_name(KF_MAIL_FAULT_RECIPIENT), "recipient");
    ck_assert_str_eq(kf_mail_fault_name(KF_MAIL_FAULT_UNSENDABLE), "unsendable");
    ck_assert_str_eq(kf_mail_fault_name(KF_MAIL_FAULT_SENDER), "sender");
    ck_assert_str_eq(kf_mail_fault_name(KF_MAIL_FAULT_BUSY), "busy");
    ck_assert_str_eq(kf_mail_fault_name(KF_MAIL_FAULT_UNREACHABLE), "unreachable");
    ck_assert_ptr_null(kf_mail_fault_name(KF_MAIL_FAULTS));
    ck_assert_ptr_null(kf_mail_fault_name((kf_mail_fault)-1));
}
END_TEST

START_TEST(resend_a_key_refused_is_ours_to_fix_not_a_bounce)
{
    ck_assert_int_eq(kf_mail_fault_of_resend(200, NULL, NULL), KF_MAIL_FAULT_NONE);
    ck_assert_int_eq(kf_mail_fault_of_resend(401, "missing_api_key", "Missing API key"),
                     KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(kf_mail_fault_of_resend(403, "invalid_api_key", "API key is invalid"),
                     KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(kf_mail_fault_of_resend(403, "validation_error",
                                             "The konfirmado.example domain is not verified."),
                     KF_MAIL_FAULT_SENDER);
    /* a 422 about something of ours (the From, an attachment) is no bounce either */
    ck_assert_int_eq(kf_mail_fault_of_resend(422, "invalid_from_address",
                                             "Invalid `from` field."),
                     KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(kf_mail_fault_of_resend(409, "invalid_idempotent_request",
                                             "Same idempotency key used with a different "
                                             "request payload."),
                     KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(kf_mail_fault_of_resend(404, NULL, NULL), KF_MAIL_FAULT_SENDER);
}
END_TEST

START_TEST(resend_the_recipient_refused_is_a_bounce)
{
    ck_assert_int_eq(kf_mail_fault_of_resend(422, "validation_error", INVALID_TO),
                     KF_MAIL_FAULT_RECIPIENT);
    ck_assert_int_eq(kf_mail_fault_of_resend(400, "validation_error", INVALID_TO),
                     KF_MAIL_FAULT_RECIPIENT);
    /* the same words with another status are not a judgement of the address */
    ck_assert_int_eq(kf_mail_fault_of_resend(403, "validation_error", INVALID_TO),
                     KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(kf_mail_fault_of_resend(500, "application_error", INVALID_TO),
                     KF_MAIL_FAULT_BUSY);
}
END_TEST

START_TEST(resend_its_own_trouble_is_waited_out)
{
    ck_assert_int_eq(kf_mail_fault_of_resend(429, "rate_limit_exceeded", "Too many requests."),
                     KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(kf_mail_fault_of_resend(429, "daily_quota_exceeded", NULL),
                     KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(kf_mail_fault_of_resend(500, "application_error", NULL), KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(kf_mail_fault_of_resend(503, NULL, NULL), KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(kf_mail_fault_of_resend(409, "concurrent_idempotent_requests", NULL),
                     KF_MAIL_FAULT_BUSY);
    ck_assert_int_eq(kf_mail_fault_of_resend(302, NULL, NULL), KF_MAIL_FAULT_BUSY);
}
END_TEST

/* The comparable SMTP answers: a mailbox refused at RCPT TO is the recipient's; the relay
 * refusing our sender, relaying or content is ours; 4xx and outages wait. */
START_TEST(smtp_reads_the_same_way)
{
    ck_assert_int_eq(kf_mail_fault_of_smtp(APR_SUCCESS), KF_MAIL_FAULT_NONE);
    ck_assert_int_eq(kf_mail_fault_of_smtp(KF_MAIL_ERECIPIENT), KF_MAIL_FAULT_RECIPIENT);
    ck_assert_int_eq(kf_mail_fault_of_smtp(KF_MAIL_EREFUSED), KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(kf_mail_fault_of_smtp(APR_EINVAL), KF_MAIL_FAULT_SENDER);
    ck_assert_int_eq(kf_mail_fault_of_smtp(APR_ECONNREFUSED), KF_MAIL_FAULT_UNREACHABLE);
    ck_assert_int_eq(kf_mail_fault_of_smtp(APR_TIMEUP), KF_MAIL_FAULT_UNREACHABLE);
    ck_assert_int_eq(kf_mail_fault_of_smtp(APR_EGENERAL), KF_MAIL_FAULT_BUSY);   /* 4xx */
}
END_TEST

static Suite *mail_fault_suite(void)
{
    Suite *s = suite_create("mail_fault");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, only_a_recipient_or_a_mail_that_cannot_be_built_fails_for_good);
    tcase_add_test(tc, fault_names_are_what_the_outbox_keeps);
    tcase_add_test(tc, resend_a_key_refused_is_ours_to_fix_not_a_bounce);
    tcase_add_test(tc, resend_the_recipient_refused_is_a_bounce);
    tcase_add_test(tc, resend_its_own_trouble_is_waited_out);
    tcase_add_test(tc, smtp_reads_the_same_way);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return kf_run_suite(mail_fault_suite());
}
