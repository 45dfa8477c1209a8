#ifndef MOD_KF_MESSAGING_COLUMNS_H
#define MOD_KF_MESSAGING_COLUMNS_H
/* The columns the messaging statements select, at the positions of the core's readers
 * (mod_kf_sql.h, KFM_SQL_COLUMNS). */
#include "mod_kf_sql.h"
#include "kf_mail.h"
#include "kf_deliveries.h"
#include "kf_twilio.h"

/* A mail claimed from the outbox: kf_mail.h's KF_OUTBOX_COL_*, from the mails leased, and
 * for a mail to a customer its tenant (t) and that tenant's first user (owner). */
#define KFM_OUTBOX_COLUMNS(FIRST, NEXT)                                                     \
    FIRST(KF_OUTBOX_COL_ID, "leased.id")                                                    \
    NEXT(KF_OUTBOX_COL_RECIPIENT, "recipient")                                              \
    NEXT(KF_OUTBOX_COL_SUBJECT, "subject")                                                  \
    NEXT(KF_OUTBOX_COL_TEXT, "body_text")                                                   \
    NEXT(KF_OUTBOX_COL_HTML, "body_html")                                                   \
    NEXT(KF_OUTBOX_COL_ATTEMPTS, "attempts")                                                \
    NEXT(KF_OUTBOX_COL_CREATED, "queued")                                                   \
    NEXT(KF_OUTBOX_COL_AGE, "waited")                                                       \
    NEXT(KF_OUTBOX_COL_CALENDAR, "calendar")                                                \
    NEXT(KF_OUTBOX_COL_CALENDAR_METHOD, "calendar_method")                                  \
    NEXT(KF_OUTBOX_COL_LIST_UNSUBSCRIBE, "list_unsubscribe")                                \
    NEXT(KF_OUTBOX_COL_REPLY_SETTING, "t.reply_to_email")                                   \
    NEXT(KF_OUTBOX_COL_REPLY_NOTIFY, "t.notification_email")                                \
    NEXT(KF_OUTBOX_COL_REPLY_OWNER, "owner.email")                                          \
    NEXT(KF_OUTBOX_COL_REPLY_OWNER_VERIFIED, "owner.verified")
KFM_SQL_ROW_CHECK(KFM_OUTBOX_COLUMNS, KF_OUTBOX_COLUMNS)

/* A delivery as the merchant sees it: kf_deliveries.h's KF_DELIVERY_COL_*. */
#define KFM_DELIVERY_COLUMNS(FIRST, NEXT)                                                   \
    FIRST(KF_DELIVERY_COL_ID, "id")                                                         \
    NEXT(KF_DELIVERY_COL_BOOKING, "booking_id")                                             \
    NEXT(KF_DELIVERY_COL_CHANNEL, "channel")                                                \
    NEXT(KF_DELIVERY_COL_KIND, "kind")                                                      \
    NEXT(KF_DELIVERY_COL_TO, "recipient")                                                   \
    NEXT(KF_DELIVERY_COL_ERROR, "error")                                                    \
    NEXT(KF_DELIVERY_COL_ATTEMPTS, "attempts")                                              \
    NEXT(KF_DELIVERY_COL_LAST, KFM_SQL_RFC3339("last_attempt_at"))                          \
    NEXT(KF_DELIVERY_COL_STATUS, "status")                                                  \
    NEXT(KF_DELIVERY_COL_FAULT, "fault")
KFM_SQL_ROW_CHECK(KFM_DELIVERY_COLUMNS, KF_DELIVERY_COLUMNS)

/* A tenant's texts' settings as the merchant sees them: kf_twilio.h's KF_TWILIO_VIEW_*. */
#define KFM_TWILIO_VIEW_COLUMNS(FIRST, NEXT)                                                \
    FIRST(KF_TWILIO_VIEW_SID, "account_sid")                                                \
    NEXT(KF_TWILIO_VIEW_FROM, "sender")                                                     \
    NEXT(KF_TWILIO_VIEW_CHANNEL, "channel")                                                 \
    NEXT(KF_TWILIO_VIEW_LAST4, "token_last4")                                               \
    NEXT(KF_TWILIO_VIEW_UPDATED, KFM_SQL_RFC3339("updated_at"))
KFM_SQL_ROW_CHECK(KFM_TWILIO_VIEW_COLUMNS, KF_TWILIO_VIEW_COLUMNS)

/* A tenant's stored Twilio account: kf_twilio.h's KF_TWILIO_ACCT_*. */
#define KFM_TWILIO_ACCOUNT_COLUMNS(FIRST, NEXT)                                             \
    FIRST(KF_TWILIO_ACCT_SID, "account_sid")                                                \
    NEXT(KF_TWILIO_ACCT_FROM, "sender")                                                     \
    NEXT(KF_TWILIO_ACCT_CHANNEL, "channel")                                                 \
    NEXT(KF_TWILIO_ACCT_SEALED, "secrets_sealed")
KFM_SQL_ROW_CHECK(KFM_TWILIO_ACCOUNT_COLUMNS, KF_TWILIO_ACCT_COLUMNS)

#endif
