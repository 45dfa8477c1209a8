#ifndef KF_ALERTS_H
#define KF_ALERTS_H
/* Merchant alerts: what keeps going wrong on a business's side, raised while it holds,
 * resolved when it clears, mailed to the business at most once per kind per hour and shown
 * on the dashboard's home until resolved (sql/053_merchant_alerts.sql). The facts are read
 * by the alerts job; this file decides what each one does to the alert. */
#include <apr.h>
#include <apr_pools.h>
#include <jansson.h>

#include "kf_i18n.h"

typedef enum {
    KF_ALERT_CALLBACKS_FAILING = 0,   /* the merchant's callback URL keeps failing */
    KF_ALERT_CALENDAR_NOT_SYNCING,     /* a professional's calendar cannot be read */
    KF_ALERT_WEBHOOK_SIGNATURES,       /* payment webhooks fail their signature check */
    KF_ALERT_MESSAGES_BOUNCING,        /* mails or texts about bookings failed for good */
    KF_ALERT_PAYMENTS_FAILING,         /* the payment provider makes no checkouts */
    KF_ALERT_CALENDAR_CHANGED,         /* bookings' events deleted or moved in a calendar */
    KF_ALERT_KINDS
} kf_alert_kind;

/* Callbacks: this many failed attempts within KF_ALERT_CALLBACK_WINDOW, none answered 2xx
 * after them. */
#define KF_ALERT_CALLBACK_FAILURES "3"
#define KF_ALERT_CALLBACK_WINDOW "1 hour"
/* A calendar with a read error and no good read for this long. */
#define KF_ALERT_CALENDAR_STALE "1 hour"
/* Webhooks refused for their signature: this many within the window. */
#define KF_ALERT_SIGNATURE_FAILURES "3"
#define KF_ALERT_SIGNATURE_WINDOW "1 hour"
/* Mails and texts given up within this window. */
#define KF_ALERT_BOUNCE_WINDOW "24 hours"
/* Checkouts the provider did not make (audit action payment.provider_error): raised after
 * this many within the window; the open alert holds until a checkout is made after the
 * last of them. */
#define KF_ALERT_PAYMENT_FAILURES "3"
#define KF_ALERT_PAYMENT_WINDOW "10 minutes"
/* ... of the failures this recent: after a day with no checkout tried, the alert resolves. */
#define KF_ALERT_PAYMENT_KEPT "24 hours"
/* At most one mail per business and kind in this many seconds. */
#define KF_ALERT_MAIL_EVERY_SECONDS 3600
/* Resolved alerts listed with ?all=true: those resolved within this many days. */
#define KF_ALERT_RESOLVED_LISTED_DAYS 30

/* "callbacks_failing", ...; NULL for a kind out of range. */
const char *kf_alert_kind_name(kf_alert_kind kind);
/* The kind of a name, or -1. */
int kf_alert_kind_of(const char *name);

/* What the job knows of one business and kind at `now` (seconds). */
typedef struct kf_alert_facts {
    int holds;               /* the condition holds now */
    int open;                /* an alert is open (not resolved) */
    int mailed;              /* the open alert was mailed */
    int dismissed;           /* the open alert was dismissed by the merchant */
    int told_elsewhere;      /* the business was already mailed about this very thing (a
                              * calendar's refusal has its own mail) */
    apr_int64_t last_mail;   /* the last mail of this kind to the business (seconds), 0: none */
    apr_int64_t now;
} kf_alert_facts;

/* The columns of a kind's row, one per business where the problem holds or an alert is open:
 * the business, whether it holds, its detail, whether it was told elsewhere, the open alert
 * (NULL: none), whether that was mailed and dismissed, the last mail of the kind (seconds)
 * and the database's now (seconds). */
enum { KF_ALERT_ROW_TENANT, KF_ALERT_ROW_HOLDS, KF_ALERT_ROW_DETAIL, KF_ALERT_ROW_TOLD,
       KF_ALERT_ROW_ALERT, KF_ALERT_ROW_MAILED, KF_ALERT_ROW_DISMISSED, KF_ALERT_ROW_LAST_MAIL,
       KF_ALERT_ROW_NOW, KF_ALERT_ROW_COLUMNS };

/* The facts of such a row (booleans as PostgreSQL writes them). */
kf_alert_facts kf_alert_facts_of(const char *const *row);

typedef enum {
    KF_ALERT_NOTHING = 0,    /* no alert and nothing wrong */
    KF_ALERT_RAISE,          /* a new alert */
    KF_ALERT_KEEP,           /* the open alert is seen again */
    KF_ALERT_RESOLVE         /* the open alert is over */
} kf_alert_step;

typedef struct kf_alert_plan {
    kf_alert_step step;
    int mail;                /* mail the business now (with a raise or a keep) */
} kf_alert_plan;

/* What the facts do: raise while it holds and none is open, keep while both, resolve when
 * it clears. Mail an alert not mailed yet, unless dismissed, told elsewhere, or another
 * mail of its kind went within KF_ALERT_MAIL_EVERY_SECONDS (then a later run mails it, if
 * it still holds). */
kf_alert_plan kf_alert_decide(const kf_alert_facts *facts);

/* The alert's words in `locale`: a title and what to do about it. */
const char *kf_alert_title(kf_alert_kind kind, kf_locale locale);
const char *kf_alert_advice(kf_alert_kind kind, kf_locale locale);

/* The facts of an alert (the job's reads give them as a JSON object, its fields by kind:
 * callbacks {"failures", "last_status", "last_error"}; calendars {"calendars": [{"professional",
 * "provider", "error"}], "more"}; signatures {"refused"}; bounces {"mails", "texts", "last", "last_channel", "last_to",
 * "last_fault"}; payments {"failures", "provider", "last_kind", "last_status"}, the kind as
 * kf_payment_failure_kind names it),
 * told in `locale`. Anything else (a detail written before details were facts) is given back
 * as it is; NULL as "". */
const char *kf_alert_detail_text(apr_pool_t *p, kf_alert_kind kind, const char *facts,
                                 kf_locale locale);

/* The last failure an alert's facts name, as it was kept: callbacks_failing names the site's
 * error or HTTP status, messages_bouncing the channel ("email", "sms", "whatsapp"), recipient,
 * mail fault and error. The glue words it with the deliveries' reason (kf_delivery_reason.h),
 * which stands beside alerts, not under them; the alert's own text gives only the counts.
 * 1 when there is one; the texts point into `facts`. */
typedef struct kf_alert_last_failure {
    const char *channel, *to, *fault, *error;
    int status;              /* the site's HTTP answer, 0 when none */
} kf_alert_last_failure;
int kf_alert_last_failure_of(kf_alert_kind kind, const json_t *facts,
                             kf_alert_last_failure *out);

/* The variables of the "merchant_alert" mail: title, advice, detail (the facts told in
 * `locale`), business_name and the dashboard's home as link. */
json_t *kf_alert_mail_vars(apr_pool_t *p, kf_alert_kind kind, kf_locale locale,
                           const char *detail, const char *business_name,
                           const char *public_url);

/* An alert's row as the merchant's list reads it, and its JSON. */
enum {
    KF_ALERT_COL_ID, KF_ALERT_COL_KIND, KF_ALERT_COL_DETAIL, KF_ALERT_COL_RAISED,
    KF_ALERT_COL_LAST_SEEN, KF_ALERT_COL_RESOLVED, KF_ALERT_COL_DISMISSED, KF_ALERT_COLUMNS
};
/* The detail is told in `locale` (kf_alert_detail_text). */
json_t *kf_alert_json(apr_pool_t *p, const char *const *row, kf_locale locale);

#endif
