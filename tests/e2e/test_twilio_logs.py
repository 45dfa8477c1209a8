"""The error log names whom a text or a mail went to only by its last 4 characters
(DESIGN.md: full emails and phone numbers never reach a log): the Twilio job's lines (sent
and refused) and the mail queue's and the mail job's lines."""
import secrets

from payments_helpers import wait_for
from test_booking_mails import mails_to
from test_messaging import Business, account, outbox, texts


def log_since(stack, start):
    with open(stack["KF_ERROR_LOG"], "rb") as f:
        f.seek(start)
        return f.read().decode("utf-8", "replace")


def log_end(stack):
    with open(stack["KF_ERROR_LOG"], "rb") as f:
        return f.seek(0, 2)


def test_texts_and_mails_are_logged_by_their_last_four(api, stack, fakes, maildir):
    phone = "+5730055%05d" % secrets.randbelow(100000)
    biz = Business(api, stack, phone=phone)
    settings = dict(account(fakes), channel="whatsapp")
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    start = log_end(stack)
    booking, email = biz.booking_due()
    mails_to(maildir, email, n=2)
    wait_for(lambda: texts(fakes, settings["account_sid"]), what="the text")
    wait_for(lambda: outbox(booking["id"]) and outbox(booking["id"])[0] == "sent", what="recorded sent")
    log = log_since(stack, start)
    assert "sent to ***" + phone[-4:] + " (SM" in log
    assert "to ***" + email[-4:] + " queued" in log and "to ***" + email[-4:] + " sent" in log
    for whole in (phone, phone[1:], email, email.split("@")[0]):
        assert whole not in log, "%s in the error log" % whole


def test_a_refused_number_is_logged_masked(api, stack, fakes, maildir, allow_log):
    allow_log("message .* failed after attempt")
    phone = "+5730099%05d" % secrets.randbelow(100000)
    biz = Business(api, stack, phone=phone)
    settings = account(fakes, unsubscribed=[phone])
    assert biz.admin.put("/api/admin/tenant/messaging/twilio", json=settings).status_code == 200
    start = log_end(stack)
    booking, _ = biz.booking_due()
    wait_for(lambda: outbox(booking["id"]) and outbox(booking["id"])[0] == "failed",
             what="the refusal recorded")
    log = log_since(stack, start)
    assert "to ***%s failed" % phone[-4:] in log
    assert phone not in log and phone[1:] not in log
