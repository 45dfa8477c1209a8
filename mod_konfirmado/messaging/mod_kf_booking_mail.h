#ifndef MOD_KF_BOOKING_MAIL_H
#define MOD_KF_BOOKING_MAIL_H
/* The mails of a booking's life (API.md "After booking"): when it becomes paid, the
 * customer's confirmation and the notices to the professional and to the business's
 * notification address, each with the calendar invite (lib/calendars/kf_ics.c). Queued in the
 * transaction that makes the booking paid; delivered by the mail job. */
#include "mod_kf.h"
#include "mod_kf_db.h"
#include "mod_kf_sql.h"
#include "kf_booking_mail.h"


/* A time as the wall clock of `zone` shows it, to the minute, with the zone's offset then. */
#define KFM_BM_LOCAL_MINUTE(t, zone) KFM_SQL_WALL_CLOCK(t, zone)

/* The customer's zone: the one they booked in when it is known, else the business's. */
#define KFM_BM_CUSTOMER_ZONE "coalesce(r.customer_timezone, t.timezone)"

/* What a booking's mails say, at the positions of kf_booking_mail.h (KF_BM_COL_*). */
#define KFM_BM_DETAILS_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(KF_BM_COL_ID, "r.id")                                                             \
    NEXT(KF_BM_COL_TENANT, "r.tenant_id")                                                   \
    NEXT(KF_BM_COL_CUSTOMER_NAME, "r.customer_name")                                        \
    NEXT(KF_BM_COL_CUSTOMER_EMAIL, "r.customer_email")                                      \
    NEXT(KF_BM_COL_CUSTOMER_PHONE, "coalesce(r.customer_phone, '')")                        \
    NEXT(KF_BM_COL_NOTES, "coalesce(r.notes, '')")                                          \
    NEXT(KF_BM_COL_CUSTOMER_ZONE, KFM_BM_CUSTOMER_ZONE)                                     \
    NEXT(KF_BM_COL_CUSTOMER_LOCAL, KFM_BM_LOCAL_MINUTE("r.starts_at", KFM_BM_CUSTOMER_ZONE))\
    NEXT(KF_BM_COL_PRO_ZONE, "p.timezone")                                                  \
    NEXT(KF_BM_COL_PRO_LOCAL, KFM_BM_LOCAL_MINUTE("r.starts_at", "p.timezone"))             \
    NEXT(KF_BM_COL_PRO_NAME, "p.name")                                                      \
    NEXT(KF_BM_COL_PRO_EMAIL, "p.email")                                                    \
    NEXT(KF_BM_COL_SERVICE, "s.name")                                                       \
    NEXT(KF_BM_COL_BUSINESS, "t.name")                                                      \
    NEXT(KF_BM_COL_LOCALE, "t.locale")                                                      \
    NEXT(KF_BM_COL_COLOR, "t.primary_color")                                                \
    NEXT(KF_BM_COL_NOTIFY, "t.notification_email")                                          \
    NEXT(KF_BM_COL_START, "floor(extract(epoch FROM r.starts_at))::bigint")                 \
    NEXT(KF_BM_COL_END, "floor(extract(epoch FROM r.ends_at))::bigint")                     \
    NEXT(KF_BM_COL_SEQUENCE, "r.ics_sequence")                                              \
    /* packages: a session of a purchase was paid with the package */                       \
    NEXT(KF_BM_COL_CHARGE_TYPE, "CASE WHEN r.purchase_id IS NOT NULL THEN 'package' ELSE"   \
                                " coalesce(r.charge_type, 'free') END")                     \
    /* a series' first occurrence: what the series' one checkout charged, every share */   \
    NEXT(KF_BM_COL_AMOUNT, "CASE WHEN r.series_index = 1 THEN (SELECT sum(x.charge_amount)"  \
                           " FROM reservations x WHERE x.series_id = r.id)"                  \
                           " ELSE coalesce(r.charge_amount, 0) END")                         \
    NEXT(KF_BM_COL_CURRENCY, "coalesce(r.currency, t.currency)")                            \
    NEXT(KF_BM_COL_MANAGE_SEALED, "r.manage_token_sealed")                                  \
    /* what a change notice adds: the time before a move, who cancelled and why, what goes  \
     * back, and the booking link to book again */                                          \
    NEXT(KF_BM_COL_BEFORE_CUSTOMER_LOCAL,                                                   \
         KFM_BM_LOCAL_MINUTE("r.previous_starts_at", KFM_BM_CUSTOMER_ZONE))                 \
    NEXT(KF_BM_COL_BEFORE_PRO_LOCAL, KFM_BM_LOCAL_MINUTE("r.previous_starts_at", "p.timezone"))\
    NEXT(KF_BM_COL_CANCELLED_BY, "r.cancelled_by")                                          \
    NEXT(KF_BM_COL_CANCEL_REASON, "r.cancel_reason")                                        \
    NEXT(KF_BM_COL_REFUND_AMOUNT, "pay.refund_amount")                                      \
    NEXT(KF_BM_COL_REFUND_STATUS, "pay.refund_status")                                      \
    NEXT(KF_BM_COL_LINK_SLUG, "l.slug")                                                     \
    /* the place, resolved now: a corrected address or link reaches every later mail */     \
    NEXT(KF_BM_COL_LOCATION_TYPE, "s.location_type")                                        \
    NEXT(KF_BM_COL_LOCATION_VALUE, "s.location_value")                                      \
    NEXT(KF_BM_COL_PRO_VIDEO_URL, "p.video_url")                                            \
    NEXT(KF_BM_COL_LOCATION_PROVIDER, "s.location_provider")                                \
    NEXT(KF_BM_COL_PRO_VIDEO_PROVIDER, "p.video_provider")                                  \
    NEXT(KF_BM_COL_MEETING_URL, "r.meeting_url")                                            \
    /* the tenant's own host, where the notices' dashboard link opens the booking */        \
    NEXT(KF_BM_COL_SUBDOMAIN, "t.subdomain")                                                \
    /* a team's other members, who are told as its professional is (sql/084), from the     \
     * booking's own list: a booking without a team reads none (`= ANY (r.team_ids)` would \
     * read every professional of every business, in a plan made for any booking) */       \
    NEXT(KF_BM_COL_TEAM,                                                                    \
         "(SELECT json_agg(json_build_array(tp.name, tp.email) ORDER BY m.n)"               \
         " FROM unnest(r.team_ids) WITH ORDINALITY AS m(id, n)"                             \
         " JOIN professionals tp ON tp.id = m.id"                                           \
         " WHERE tp.id <> r.professional_id AND tp.email IS NOT NULL)::text")               \
    NEXT(KF_BM_COL_SERIES_FIRST, "r.series_index = 1")
KFM_SQL_ROW_CHECK(KFM_BM_DETAILS_COLUMNS, KF_BM_COLUMNS)

/* What a booking's mails say, as it is now ($1: its id). Also the second half of
 * kf_booking_paid_facts (mod_kf_booking_paid.c). */
#define KFM_BM_DETAILS_SELECT \
    "SELECT " KFM_SQL_COLUMNS(KFM_BM_DETAILS_COLUMNS) \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id" \
    " JOIN services s ON s.id = r.service_id JOIN professionals p ON p.id = r.professional_id" \
    " LEFT JOIN booking_links l ON l.id = r.link_id" \
    " LEFT JOIN LATERAL (SELECT refund_amount, refund_status FROM payments" \
    "   WHERE reservation_id = r.id AND status = 'approved'" \
    "   ORDER BY approved_at DESC LIMIT 1) pay ON true" \
    " WHERE r.id = %s::uuid"

/* The booking just became paid (a webhook, a return check, the reconciliation job, or a
 * free booking's creation): queues its mails and gives it the manage-link token they carry
 * (unless it has one), from its facts as kf_booking_paid_facts read them: kf_bm_details's
 * columns in row 0 of `facts`, from column `first` on. An error means the caller's
 * transaction must roll back. */
apr_status_t kfm_booking_mails_paid_from(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *facts,
                                        int first);

/* The booking's own meeting room was just made (its join URL stored, its ics_sequence
 * grown): the customer gets the confirmation again, now with the link in the mail and in an
 * invite of the same UID that updates the event (the first one said the link would follow). */
apr_status_t kfm_booking_mail_meeting_link(const kfm_ctx *c, ap_dbd_t *db,
                                           const char *reservation_id);

/* The booking's event was deleted (kind "deleted") or moved (kind "moved", to moved_start,
 * Unix seconds as text) in the professional's own calendar: the professional and the front
 * desk get booking_calendar_changed, which says what the calendar did, that the booking is
 * unchanged, and what the dashboard offers. No invite goes with it. */
apr_status_t kfm_booking_mail_calendar_changed(const kfm_ctx *c, ap_dbd_t *db,
                                              const char *reservation_id, const char *kind,
                                              const char *moved_start);

/* The booking moved (its ics_sequence already grown, its time before kept): the same people
 * get the time before and the new one side by side, with a METHOD:REQUEST invite of the same
 * UID that moves the event in their calendars; the customer a text too, when the business
 * sends them. */
apr_status_t kfm_booking_mails_rescheduled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id);

/* The booking was just cancelled (its ics_sequence already grown, who and why recorded, the
 * refund asked): the same people get the cancellation with a METHOD:CANCEL invite that takes
 * it out of their calendars, who cancelled, the reason and what goes back; the customer the
 * booking link to book again, and a text when the business sends them. */
apr_status_t kfm_booking_mails_cancelled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id);

/* The booking's page with its mails' manage token ({public}/book/manage/{id}?token=): the
 * sealed one kept (manage_sealed) opened, else a new one made and kept; NULL when none can
 * be made (logged). */
const char *kfm_booking_manage_url(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                   const char *manage_sealed);

/* A reminder to the customer, `lead_minutes` before the start (the reminder job's): by mail
 * with a one-click unsubscribe, and by text, each unless the customer turned it off. */
apr_status_t kfm_booking_mail_reminder(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                      int lead_minutes);

/* Writes booking mail `template_name` (one that could not be queued) again into mail
 * `mail_id`, from the booking as it is now; a customer's mail goes to the booking's customer
 * address as it is now. APR_ENOTIMPL for a mail that cannot be written again (a reminder),
 * another error when it is refused again (nothing changes then). */
apr_status_t kfm_booking_mail_again(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                                    const char *reservation_id, const char *template_name,
                                    const char *to);

#endif
