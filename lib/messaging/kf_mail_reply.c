/* Where a customer's reply goes (kf_mail.h, API.md "Replies"). The address is read when the
 * mail is sent, not when it is queued: a mail leaves within seconds of its queueing, and one
 * that waited (a relay down) should reach the address the business reads now, not one it
 * has since left. */
#include "kf_mail.h"
#include "kf_email.h"

#include <string.h>

/* The mails to a customer about a booking or a purchase (kf_booking_mail.c's customer
 * templates, the reminder, and the package's receipt). */
static const char *const customer_mails[] = {
    "booking_confirmed", "booking_reminder", "booking_rescheduled_customer",
    "booking_cancelled", "purchase_paid", NULL,
};

int kf_mail_replies_to_business(const char *name)
{
    for (int i = 0; name && customer_mails[i]; i++) {
        if (strcmp(customer_mails[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *kf_mail_reply_to(const char *setting, const char *notification_email,
                             const char *owner_email, int owner_verified)
{
    if (setting && kf_email_valid(setting)) {
        return setting;
    }
    if (notification_email && kf_email_valid(notification_email)) {
        return notification_email;
    }
    return owner_verified && owner_email && kf_email_valid(owner_email) ? owner_email : NULL;
}
