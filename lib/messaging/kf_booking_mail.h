#ifndef KF_BOOKING_MAIL_H
#define KF_BOOKING_MAIL_H
/* What a booking's mails and texts say and whom they go to (API.md "After booking"): when
 * it becomes paid, moves or is cancelled, and its reminders. The glue reads the booking into
 * kf_booking_mail_facts; everything here is pure (no clock: an invite's stamp is an
 * argument), results in the caller's pool. The words of a change are kf_change_notice's,
 * dates kf_when's, amounts kf_money's, the place kf_location's, the invite kf_ics's. */
#include <apr_pools.h>
#include <apr_time.h>
#include <jansson.h>

#include "kf_crypto.h"
#include "kf_i18n.h"
#include "kf_ics.h"
#include "kf_location.h"
#include "kf_team.h"

/* One booking as its mails tell it. Local times are a zone's wall clock,
 * "YYYY-MM-DDTHH:MM"; the "before" ones are NULL when the booking never moved. */
typedef struct kf_booking_mail_facts {
    const char *id;
    kf_locale locale;
    const char *business;
    const char *brand_color;            /* NULL or "": the house blue */
    const char *notify_email;           /* the business's notification address, or NULL */
    const char *service;
    const char *professional;
    const char *professional_email;
    const char *professional_zone;
    const char *professional_local;
    const char *before_professional_local;
    const char *customer_name;
    const char *customer_email;
    const char *customer_phone;
    const char *customer_zone;          /* the zone they booked in, else the business's */
    const char *customer_local;
    const char *before_customer_local;
    const char *notes;
    apr_time_t start, end;
    int sequence;                       /* the invite's SEQUENCE */
    const char *charge_type;            /* "full" | "partial" | "free" | "package" */
    apr_int64_t amount;                 /* minor units of currency */
    const char *currency;
    const char *cancelled_by;           /* "customer" | "merchant" | NULL */
    const char *cancel_reason;
    apr_int64_t refund_amount;          /* minor units; 0 when nothing goes back */
    const char *refund_status;
    kf_location place;                  /* already resolved (kf_location_resolve) */
    const char *link;                   /* the customer's page with its manage token, or NULL */
    const char *dashboard;              /* the booking in the merchant dashboard, or NULL */
    const char *book_again;             /* the booking link to book again, or NULL */
    /* a team's booking (kf_team.h): its other members with an address, who get the
     * professional's notices too */
    int team_count;
    const char *team_names[KF_TEAM_MAX];
    const char *team_emails[KF_TEAM_MAX];
} kf_booking_mail_facts;

/* Columns of the statement that reads what a booking's mails say (the glue's kf_bm_details). */
enum {
    KF_BM_COL_ID, KF_BM_COL_TENANT, KF_BM_COL_CUSTOMER_NAME, KF_BM_COL_CUSTOMER_EMAIL,
    KF_BM_COL_CUSTOMER_PHONE, KF_BM_COL_NOTES, KF_BM_COL_CUSTOMER_ZONE, KF_BM_COL_CUSTOMER_LOCAL,
    KF_BM_COL_PRO_ZONE, KF_BM_COL_PRO_LOCAL, KF_BM_COL_PRO_NAME, KF_BM_COL_PRO_EMAIL,
    KF_BM_COL_SERVICE, KF_BM_COL_BUSINESS, KF_BM_COL_LOCALE, KF_BM_COL_COLOR, KF_BM_COL_NOTIFY,
    KF_BM_COL_START, KF_BM_COL_END, KF_BM_COL_SEQUENCE, KF_BM_COL_CHARGE_TYPE, KF_BM_COL_AMOUNT,
    KF_BM_COL_CURRENCY, KF_BM_COL_MANAGE_SEALED, KF_BM_COL_BEFORE_CUSTOMER_LOCAL,
    KF_BM_COL_BEFORE_PRO_LOCAL, KF_BM_COL_CANCELLED_BY, KF_BM_COL_CANCEL_REASON,
    KF_BM_COL_REFUND_AMOUNT, KF_BM_COL_REFUND_STATUS, KF_BM_COL_LINK_SLUG, KF_BM_COL_LOCATION_TYPE,
    KF_BM_COL_LOCATION_VALUE, KF_BM_COL_PRO_VIDEO_URL, KF_BM_COL_LOCATION_PROVIDER,
    KF_BM_COL_PRO_VIDEO_PROVIDER, KF_BM_COL_MEETING_URL, KF_BM_COL_SUBDOMAIN,
    KF_BM_COL_TEAM,   /* the team's other members with an address: JSON [[name, email]...] */
    KF_BM_COL_SERIES_FIRST,   /* "t": the first occurrence of a series (its mails list them all) */
    KF_BM_COLUMNS
};

/* The facts of such a row (KF_BM_COLUMNS values; local times as KFM_SQL_WALL_CLOCK writes
 * them, with their offset; start and end in Unix seconds) as the mails tell the booking: its
 * locale, its place resolved, the link to book again under public_url, the booking in the
 * dashboard on the tenant's own host (kf_booking_dashboard_url); without the customer's page
 * yet (link NULL). */
void kf_booking_mail_facts_of(apr_pool_t *p, const char *const *row, const char *public_url,
                              const char *base_domain, kf_booking_mail_facts *f);

/* What happened to the booking. */
typedef enum {
    KF_BOOKING_MAIL_PAID = 0,
    KF_BOOKING_MAIL_RESCHEDULED,
    KF_BOOKING_MAIL_CANCELLED
} kf_booking_mail_event;

/* The booking's own page, /book/manage/{id}?token=, under the public URL. */
const char *kf_booking_page_url(apr_pool_t *p, const char *public_url, const char *booking_id,
                                const char *token);

/* The booking in the merchant dashboard, /dashboard/bookings/{id}, on the tenant's own host
 * ({subdomain}.{base_domain} under the public URL's scheme and port, where its session is),
 * else on the public URL's host (no base domain configured). */
const char *kf_booking_dashboard_url(apr_pool_t *p, const char *public_url,
                                     const char *subdomain, const char *base_domain,
                                     const char *booking_id);

/* The booking link to book again, /book/{slug} (slug percent-encoded); NULL without slug. */
const char *kf_booking_again_url(apr_pool_t *p, const char *public_url, const char *slug);

/* What was paid, in the customer's words: "Sin costo", "Incluida en tu paquete",
 * "COP 120.000" or "USD 45.50 (deposit; the rest at the appointment)". */
const char *kf_booking_paid_text(apr_pool_t *p, const kf_booking_mail_facts *f);

/* The booking's time (before: the one it had before its last move) in the reader's zone
 * (*when, NULL when unknown), and *other, a line with the other party's time when their
 * zones differ ("" when they do not). */
void kf_booking_when_lines(apr_pool_t *p, const kf_booking_mail_facts *f, int for_customer,
                           int before, const char **when, const char **other);

/* One person among those a mail goes to. */
typedef struct kf_booking_recipient {
    const char *to;
    const char *template_name;
    int for_customer;
    const char *attendee_name;          /* their name in the invite */
} kf_booking_recipient;

#define KF_BOOKING_RECIPIENTS_MAX (3 + KF_TEAM_MAX)

/* Who gets a mail of `event`, in the order they are queued: the customer, the professional,
 * a team's other members (each address once), and the business's notification address
 * unless it is one of theirs (compared without case); each only with an address. The professional and the business get the notice of the
 * event (booking_notice, booking_rescheduled, booking_cancelled_notice). Returns how many
 * were written into out. */
int kf_booking_mails_for(kf_booking_mail_event event, const kf_booking_mail_facts *f,
                         kf_booking_recipient out[KF_BOOKING_RECIPIENTS_MAX]);

/* Who is told that the booking's event was deleted or moved in the professional's own
 * calendar (booking_calendar_changed): the professional and the business's notification
 * address, as the notices of kf_booking_mails_for; never the customer, for whom nothing has
 * changed yet. Returns how many were written into out. */
int kf_booking_calendar_changed_mails(const kf_booking_mail_facts *f,
                                      kf_booking_recipient out[KF_BOOKING_RECIPIENTS_MAX]);

/* Its variables: a notice's (kf_booking_mail_vars), with "change", what the calendar did
 * (kind "deleted", or "moved" to moved_local, the professional's wall clock as kf_when_long
 * reads it), and "actions", what the booking in the dashboard offers for it. NULL for an
 * unknown kind. New reference. */
json_t *kf_booking_calendar_changed_vars(apr_pool_t *p, const kf_booking_mail_facts *f,
                                         const char *kind, const char *moved_local);

/* The invite's method a mail of `event` carries: CANCEL for a cancellation, else REQUEST. */
kf_ics_method kf_booking_mail_method(kf_booking_mail_event event);

/* The facts as one reader may see them: the customer's page and the link to book again
 * open with the customer's token, so nobody else gets them; the dashboard is the business's. */
kf_booking_mail_facts kf_booking_mail_facts_for(const kf_booking_mail_facts *f, int for_customer);

/* The variables of a booking mail (kf_mail_template.c): business_name, customer_name,
 * service, professional, when, when_other, before, before_other, paid, link, dashboard_link
 * (the professional's and the business's; "" for the customer), place, brand_color,
 * brand_text, customer_email, customer_phone, notes; a cancellation adds cancelled_by,
 * reason, refund and book_again. Times are kf_when_long's. New reference. */
/* A series' confirmation (n >= 2 occurrences): "series_dates", one numbered line per
 * occurrence's wall clock (locals[], as kf_when_long reads them) in `zone`. Fewer: nothing. */
void kf_booking_mail_series_dates(apr_pool_t *p, json_t *vars, kf_locale locale,
                                  const char *zone, const char *const *locals, int n);

json_t *kf_booking_mail_vars(apr_pool_t *p, const kf_booking_mail_facts *f,
                             kf_booking_mail_event event, int for_customer);

/* The same for a reminder `lead_minutes` before the start: the customer's, with "lead" and
 * "unsubscribe_url", the page that turns the reminders off (NULL: "", none could be made). */
json_t *kf_booking_reminder_vars(apr_pool_t *p, const kf_booking_mail_facts *f, int lead_minutes,
                                 const char *unsubscribe_url);

/* How long before: "1 día(s)", "2 hour(s)", "30 min". */
const char *kf_booking_reminder_lead(apr_pool_t *p, kf_locale locale, int lead_minutes);

/* The invite one reader gets: the same UID ("<id>@<host>") and sequence for everybody, the
 * service and business as summary, the professional and the customer's page (when the
 * facts have it) in the description, the place. organizer_email may be NULL. NULL when it
 * cannot be written (kf_ics_build). */
const char *kf_booking_invite(apr_pool_t *p, const kf_booking_mail_facts *f, kf_ics_method method,
                              const char *attendee_name, const char *attendee_email,
                              const char *organizer_email, const char *host, apr_time_t stamp);

/* The same from this server's settings: the organizer is the configured sender's address
 * (mail_from, "Name <addr>"; none when unset or not a mailbox), the UID's host the public
 * URL's. */
const char *kf_booking_invite_from(apr_pool_t *p, const kf_booking_mail_facts *f,
                                   kf_ics_method method, const char *attendee_name,
                                   const char *attendee_email, const char *mail_from,
                                   const char *public_url, apr_time_t stamp);

/* The token of the mails' link to the booking's page: the one kept (sealed) when it opens
 * with keys, so that every mail carries the same link; else a new one, *hash and *sealed
 * then set for the caller to keep (NULL otherwise). *kept_refused: why the kept one did not
 * open (APR_SUCCESS when it did or there was none). NULL when no token can be made. */
const char *kf_booking_link_token(apr_pool_t *p, const kf_keyring *keys, const char *booking_id,
                                  const char *kept_sealed, const char **hash, const char **sealed,
                                  apr_status_t *kept_refused);

/* How a booking in `status` downloads as calendar.ics: 1 with *method (PUBLISH once paid,
 * CANCEL once cancelled), 0 when it has no appointment to download (not found). */
int kf_booking_ics_method(const char *status, kf_ics_method *method);

/* The texts (SMS / WhatsApp) to the customer, in their zone: a reminder (with the place and
 * their page), a move (before and now), a cancellation (who, why, the refund, book again). */
const char *kf_booking_reminder_text(apr_pool_t *p, const kf_booking_mail_facts *f);
const char *kf_booking_rescheduled_text(apr_pool_t *p, const kf_booking_mail_facts *f);
const char *kf_booking_cancelled_text(apr_pool_t *p, const kf_booking_mail_facts *f);

/* A booking mail that could not be queued, written again from the booking as it is now.
 * The event its template tells of, or 0 for a template that cannot be written again (a
 * reminder: its moment has passed). */
int kf_booking_mail_again_event(const char *template_name, kf_booking_mail_event *event);

/* Its reader: a customer's mail (the template is the customer's, or `to` is the customer's
 * address) goes to the customer's address as the booking has it now; another keeps `to`,
 * with the professional's name for the professional's address and the business's else.
 * The template is the one that reader gets for the event now (kf_booking_mails_for).
 * 0 when there is no address to send it to. */
int kf_booking_mail_again_to(const kf_booking_mail_facts *f, const char *template_name,
                             const char *to, kf_booking_recipient *out);

#endif
