/* The mails of a booking's life (see mod_kf_booking_mail.h). The statement reads what the
 * mails say; lib/ writes them (kf_when for dates and amounts, kf_ics for the invite, the
 * templates of kf_mail_template.c); the outbox seals and delivers them. */
#include "mod_kf_booking_mail.h"
#include "kf_location.h"
#include "mod_kf_config.h"
#include "mod_kf_mail.h"
#include "mod_kf_messaging.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_public_request.h"
#include "kf_text.h"
#include "kf_change_notice.h"
#include "kf_crypto.h"
#include "kf_i18n.h"
#include "kf_ics.h"
#include "kf_reservation.h"
#include "kf_twilio.h"
#include "kf_url.h"
#include "kf_when.h"

#include "util_script.h"

#include <apr_strings.h>
#include <string.h>

enum {
    BM_ID, BM_TENANT, BM_CUSTOMER_NAME, BM_CUSTOMER_EMAIL, BM_CUSTOMER_PHONE, BM_NOTES,
    BM_CUSTOMER_ZONE, BM_CUSTOMER_LOCAL, BM_PRO_ZONE, BM_PRO_LOCAL, BM_PRO_NAME, BM_PRO_EMAIL,
    BM_SERVICE, BM_BUSINESS, BM_LOCALE, BM_COLOR, BM_NOTIFY, BM_START, BM_END, BM_SEQUENCE,
    BM_CHARGE_TYPE, BM_AMOUNT, BM_CURRENCY, BM_MANAGE_SEALED, BM_BEFORE_CUSTOMER_LOCAL,
    BM_BEFORE_PRO_LOCAL, BM_CANCELLED_BY, BM_CANCEL_REASON, BM_REFUND_AMOUNT, BM_REFUND_STATUS,
    BM_LINK_SLUG, BM_LOCATION_TYPE, BM_LOCATION_VALUE, BM_PRO_VIDEO_URL, BM_COLUMNS
};
_Static_assert(BM_COLUMNS == KFM_BM_DETAILS_COLUMNS, "kf_bm_details's columns");

const kfm_sql kfm_booking_mail_sql[] = {
    {"kf_bm_details", KFM_BM_DETAILS_SELECT},
    /* the calendar.ics download: the booking or manage token, on its tenant's host */
    {"kf_bm_ics_access",
     "SELECT r.status FROM reservations r JOIN tenants t ON t.id = r.tenant_id"
     " WHERE r.id = %s::uuid AND (r.booking_token_hash = %s OR r.manage_token_hash = %s)"
     "   AND (%s::text IS NULL OR t.subdomain = %s::text)"},
    /* hash, sealed token, id */
    {"kf_bm_manage_token",
     "UPDATE reservations SET manage_token_hash = %s, manage_token_sealed = %s WHERE id = %s::uuid"},
    {NULL, NULL},
};

/* What one booking's mails say, read once. */
typedef struct booking_facts {
    const char *v[BM_COLUMNS];
    kf_locale locale;
    const char *link;           /* the customer's page of the booking, with the manage token */
} booking_facts;

static const char *paid_text(apr_pool_t *p, const booking_facts *b)
{
    int en = b->locale == KF_LOCALE_EN;
    if (strcmp(b->v[BM_CHARGE_TYPE], "package") == 0) {
        return en ? "Included in your package" : "Incluida en tu paquete";
    }
    if (strcmp(b->v[BM_CHARGE_TYPE], "free") == 0 || apr_atoi64(b->v[BM_AMOUNT]) <= 0) {
        return en ? "Free" : "Sin costo";
    }
    const char *amount = kf_money_text(p, b->locale, apr_atoi64(b->v[BM_AMOUNT]), b->v[BM_CURRENCY]);
    if (strcmp(b->v[BM_CHARGE_TYPE], "partial") == 0) {
        return apr_pstrcat(p, amount, en ? " (deposit; the rest at the appointment)"
                                         : " (anticipo; el resto en la cita)", NULL);
    }
    return amount;
}

/* A time in the reader's zone, and a line with the other party's when the zones differ:
 * the booking's time, or (before) the time it had before its last move. */
static void when_lines(apr_pool_t *p, const booking_facts *b, int for_customer, int before,
                       const char **when, const char **other)
{
    int customer_local = before ? BM_BEFORE_CUSTOMER_LOCAL : BM_CUSTOMER_LOCAL;
    int pro_local = before ? BM_BEFORE_PRO_LOCAL : BM_PRO_LOCAL;
    const char *mine_zone = b->v[for_customer ? BM_CUSTOMER_ZONE : BM_PRO_ZONE];
    const char *mine_local = b->v[for_customer ? customer_local : pro_local];
    const char *their_zone = b->v[for_customer ? BM_PRO_ZONE : BM_CUSTOMER_ZONE];
    const char *their_local = b->v[for_customer ? pro_local : customer_local];
    *when = mine_local ? kf_when_long(p, b->locale, mine_local, mine_zone) : NULL;
    *other = "";
    if (mine_local && their_local && strcmp(mine_zone, their_zone) != 0) {
        int en = b->locale == KF_LOCALE_EN;
        const char *label = for_customer ? (en ? "Professional's time: " : "Hora del profesional: ")
                                         : (en ? "Customer's time: " : "Hora del cliente: ");
        *other = apr_pstrcat(p, label, kf_when_long(p, b->locale, their_local, their_zone), "\n",
                             NULL);
    }
}

/* The booking's place: the service's location, a video link replaced by the professional's. */
static kf_location place_of(const booking_facts *b)
{
    return kf_location_resolve(kf_location_type_parse(b->v[BM_LOCATION_TYPE]),
                               b->v[BM_LOCATION_VALUE], b->v[BM_PRO_VIDEO_URL]);
}

static json_t *mail_vars(apr_pool_t *p, const booking_facts *b, int for_customer)
{
    const char *when = NULL, *other = NULL, *before = NULL, *before_other = NULL;
    when_lines(p, b, for_customer, 0, &when, &other);
    when_lines(p, b, for_customer, 1, &before, &before_other);
    const char *color = b->v[BM_COLOR] && *b->v[BM_COLOR] ? b->v[BM_COLOR] : "#3B82F6";
    kf_location loc = place_of(b);
    const char *place = kf_location_line(p, &loc, b->locale);
    json_t *vars = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "business_name", b->v[BM_BUSINESS], "customer_name", b->v[BM_CUSTOMER_NAME],
                     "service", b->v[BM_SERVICE], "professional", b->v[BM_PRO_NAME],
                     "when", when ? when : "", "when_other", other, "paid", paid_text(p, b),
                     "link", b->link ? b->link : "", "brand_color", color, "brand_text", "#ffffff",
                     "customer_email", b->v[BM_CUSTOMER_EMAIL],
                     "customer_phone", b->v[BM_CUSTOMER_PHONE], "notes", b->v[BM_NOTES],
                     "before", before ? before : "", "before_other", before_other);
    if (vars) {
        json_object_set_new(vars, "place", json_string(place ? apr_pstrcat(p, place, "\n", NULL) : ""));
    }
    return vars;
}

/* The invite for one reader: the same UID and sequence for everybody. */
static const char *invite(const kfm_ctx *c, const booking_facts *b, kf_ics_method method,
                          const char *attendee_name, const char *attendee_email)
{
    const kfm_server_conf *conf = kfm_conf_get(c->s);
    const char *from = kfm_conf_mail_from(conf);
    const char *organizer = from ? strrchr(from, '<') : NULL;
    const char *organizer_email = organizer ? apr_pstrndup(c->p, organizer + 1, strcspn(organizer + 1, ">"))
                                            : from;
    const char *host = kfm_conf_public_url(conf);
    host = strstr(host, "://") ? strstr(host, "://") + 3 : host;
    host = apr_pstrndup(c->p, host, strcspn(host, ":/"));
    int en = b->locale == KF_LOCALE_EN;
    kf_ics_event ev = {0};
    ev.method = method;
    ev.uid = apr_pstrcat(c->p, b->v[BM_ID], "@", host, NULL);
    ev.sequence = atoi(b->v[BM_SEQUENCE]);
    ev.start = apr_time_from_sec(apr_atoi64(b->v[BM_START]));
    ev.end = apr_time_from_sec(apr_atoi64(b->v[BM_END]));
    ev.stamp = apr_time_now();
    ev.summary = apr_pstrcat(c->p, b->v[BM_SERVICE], " · ", b->v[BM_BUSINESS], NULL);
    ev.description = b->link && *b->link
        ? apr_pstrcat(c->p, en ? "With " : "Con ", b->v[BM_PRO_NAME], ".\n",
                      en ? "Your booking: " : "Tu reserva: ", b->link, NULL)
        : apr_pstrcat(c->p, en ? "With " : "Con ", b->v[BM_PRO_NAME], ".", NULL);
    ev.url = b->link && *b->link ? b->link : NULL;
    ev.organizer_name = b->v[BM_BUSINESS];
    ev.organizer_email = organizer_email;
    ev.attendee_name = attendee_name;
    ev.attendee_email = attendee_email;
    kf_location loc = place_of(b);
    kf_location_to_ics(c->p, &loc, b->locale, &ev);
    return kf_ics_build(c->p, &ev);
}

/* One mail of the booking to `to`. `mail_id`: NULL queues a new mail (a refusal is recorded as
 * a failed one); else the refused mail of that id is written again, and a refusal is the
 * answer (nothing recorded). */
static apr_status_t queue_mail(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                               const booking_facts *facts, const char *to,
                               const char *template_name, int for_customer,
                               const char *attendee_name, kf_ics_method method, json_t *extra)
{
    /* the booking's page opens with the customer's token: only the customer gets it */
    booking_facts mine = *facts;
    if (!for_customer) {
        mine.link = NULL;
        if (extra && json_object_get(extra, "book_again")) {
            json_object_set_new(extra, "book_again", json_string(""));
        }
    }
    const booking_facts *b = &mine;
    const char *ics = invite(c, b, method, attendee_name, to);
    if (!ics) {
        KFM_CTX_LOG(c, APLOG_ERR, "booking %s: its invite could not be written", b->v[BM_ID]);
        json_decref(extra);
        return mail_id ? APR_EGENERAL
                       : kfm_mail_record_refused_for(c, db, b->v[BM_TENANT], b->v[BM_ID], to,
                                                     template_name);
    }
    json_t *vars = mail_vars(c->p, b, for_customer);
    if (extra) {
        json_object_update(vars, extra);
        json_decref(extra);
    }
    apr_status_t rv = kfm_mail_queue_into(c, db, mail_id, b->v[BM_TENANT], b->v[BM_ID], to,
                                          template_name, b->locale, vars, ics,
                                          method == KF_ICS_CANCEL ? "CANCEL" : "REQUEST");
    /* A mail that cannot be queued never undoes the booking, its payment or its callback:
     * it is recorded as a failed mail instead. Only a failure to record it fails. */
    return rv == APR_SUCCESS || mail_id
               ? rv
               : kfm_mail_record_refused_for(c, db, b->v[BM_TENANT], b->v[BM_ID], to, template_name);
}

/* The people of a booking: the customer, the professional, the business's address (when it
 * is not the professional's). */
static apr_status_t queue_all(const kfm_ctx *c, ap_dbd_t *db, const booking_facts *b,
                              const char *customer_template, const char *notice_template,
                              kf_ics_method method, json_t *extra)
{
    apr_status_t rv = APR_SUCCESS;
    if (b->v[BM_CUSTOMER_EMAIL] && *b->v[BM_CUSTOMER_EMAIL]) {
        rv = queue_mail(c, db, NULL, b, b->v[BM_CUSTOMER_EMAIL], customer_template, 1,
                   b->v[BM_CUSTOMER_NAME], method, extra ? json_deep_copy(extra) : NULL);
    }
    if (rv == APR_SUCCESS && b->v[BM_PRO_EMAIL] && *b->v[BM_PRO_EMAIL]) {
        rv = queue_mail(c, db, NULL, b, b->v[BM_PRO_EMAIL], notice_template, 0, b->v[BM_PRO_NAME], method,
                   extra ? json_deep_copy(extra) : NULL);
    }
    if (rv == APR_SUCCESS && b->v[BM_NOTIFY] && *b->v[BM_NOTIFY] &&
        (!b->v[BM_PRO_EMAIL] || strcasecmp(b->v[BM_NOTIFY], b->v[BM_PRO_EMAIL]) != 0)) {
        rv = queue_mail(c, db, NULL, b, b->v[BM_NOTIFY], notice_template, 0, b->v[BM_BUSINESS], method,
                   extra ? json_deep_copy(extra) : NULL);
    }
    json_decref(extra);
    return rv;
}

/* kf_bm_details's columns in row 0 of `res`, from column `first` on. */
static apr_status_t facts_of(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *res, int first,
                             booking_facts *b)
{
    if (kfm_db_rows(db, res) != 1) {
        return APR_EGENERAL;
    }
    for (int i = 0; i < BM_COLUMNS; i++) {
        b->v[i] = kfm_db_value(db, c->p, res, 0, first + i);
    }
    b->locale = b->v[BM_LOCALE] && strcmp(b->v[BM_LOCALE], "en") == 0 ? KF_LOCALE_EN : KF_LOCALE_ES;
    b->link = NULL;
    return APR_SUCCESS;
}

static apr_status_t read_facts(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                               booking_facts *b)
{
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id};
    if (kfm_db_select(c->r, db, "kf_bm_details", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return facts_of(c, db, res, 0, b);
}

/* The booking's own page (/book/manage/{id}?token=), opened with `token`. */
static const char *booking_page(const kfm_ctx *c, const booking_facts *b, const char *token)
{
    return apr_pstrcat(c->p, kf_url_trim_slash(c->p, kfm_conf_public_url(kfm_conf_get(c->s))),
                       "/book/manage/", b->v[BM_ID], "?token=", token, NULL);
}


/* The mails' link opens the booking's page with a token of its own: the booking token stays
 * with the browser that booked. The first customer mail makes it (its hash for the check, its
 * sealed form for the next mails); later mails open the sealed one, so every mail carries the
 * same link. NULL when it cannot be made or opened (logged): the mail goes without a link. */
static const char *customer_link(const kfm_ctx *c, ap_dbd_t *db, const booking_facts *b)
{
    const kf_keyring *keys = kfm_conf_get(c->s)->keyring;
    const char *sealed = b->v[BM_MANAGE_SEALED];
    if (sealed) {
        char *token = NULL;
        apr_size_t len = 0;
        apr_status_t rv = kf_open(c->p, keys, sealed, kf_manage_token_aad(c->p, b->v[BM_ID]), &token, &len);
        if (rv == APR_SUCCESS) {
            return booking_page(c, b, token);
        }
        KFM_CTX_LOG(c, APLOG_WARNING, "booking %s: its manage link does not open (%s): a new one "
                   "is made", b->v[BM_ID], kf_crypto_strerror(rv));
    }
    const char *token = NULL, *hash = NULL, *seal = NULL;
    if (kf_manage_token_make(c->p, keys, b->v[BM_ID], &token, &hash, &seal) != APR_SUCCESS) {
        return NULL;
    }
    const char *targs[] = {hash, seal, b->v[BM_ID]};
    if (kfm_db_exec(c->r, db, "kf_bm_manage_token", NULL, 3, targs) != APR_SUCCESS) {
        return NULL;
    }
    return booking_page(c, b, token);
}

static apr_status_t mails_paid(const kfm_ctx *c, ap_dbd_t *db, booking_facts *b)
{
    b->link = customer_link(c, db, b);
    if (!b->link) {
        return APR_EGENERAL;
    }
    return queue_all(c, db, b, "booking_confirmed", "booking_notice", KF_ICS_REQUEST, NULL);
}

apr_status_t kfm_booking_mails_paid_from(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *facts,
                                        int first)
{
    booking_facts b;
    return facts_of(c, db, facts, first, &b) == APR_SUCCESS ? mails_paid(c, db, &b)
                                                             : APR_EGENERAL;
}

/* The booking link the customer booked through (/book/{slug}), to book again; NULL when the
 * booking came without one. */
static const char *book_again_url(const kfm_ctx *c, const booking_facts *b)
{
    if (!b->v[BM_LINK_SLUG]) {
        return NULL;
    }
    return apr_pstrcat(c->p, kf_url_trim_slash(c->p, kfm_conf_public_url(kfm_conf_get(c->s))),
                       "/book/", kf_url_encode(c->p, b->v[BM_LINK_SLUG]), NULL);
}

static apr_int64_t refund_amount(const booking_facts *b)
{
    return b->v[BM_REFUND_AMOUNT] ? apr_atoi64(b->v[BM_REFUND_AMOUNT]) : 0;
}

/* What a cancellation mail adds: who, why, the refund, the link to book again. */
static json_t *cancel_vars(const kfm_ctx *c, const booking_facts *b)
{
    kf_cancel_lines l = kf_cancel_notice_lines(c->p, b->locale, b->v[BM_CANCELLED_BY],
                                               b->v[BM_CANCEL_REASON], refund_amount(b),
                                               b->v[BM_CURRENCY], b->v[BM_REFUND_STATUS],
                                               book_again_url(c, b));
    return json_pack("{s:s, s:s, s:s, s:s}", "cancelled_by", l.by, "reason", l.reason, "refund",
                     l.refund, "book_again", l.book_again);
}

apr_status_t kfm_booking_mails_cancelled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id)
{
    booking_facts b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    b.link = NULL;
    const char *again = book_again_url(c, &b);
    apr_status_t rv = queue_all(c, db, &b, "booking_cancelled", "booking_cancelled", KF_ICS_CANCEL,
                                cancel_vars(c, &b));
    if (rv == APR_SUCCESS && b.v[BM_CUSTOMER_PHONE] && *b.v[BM_CUSTOMER_PHONE]) {
        const char *when = kf_when_long(c->p, b.locale, b.v[BM_CUSTOMER_LOCAL], b.v[BM_CUSTOMER_ZONE]);
        const char *text = kf_cancelled_text(
            c->p, b.locale, b.v[BM_BUSINESS], b.v[BM_SERVICE], b.v[BM_PRO_NAME], when ? when : "",
            b.v[BM_CANCELLED_BY], b.v[BM_CANCEL_REASON],
            kf_refund_text(c->p, b.locale, refund_amount(&b), b.v[BM_CURRENCY], b.v[BM_REFUND_STATUS]),
            again);
        rv = kfm_message_queue_change(c, db, reservation_id, "cancelled", text);
    }
    return rv;
}

int kfm_handle_public_booking_calendar(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    kfm_rows *res = NULL;
    const char *args[5];
    const char *token = kfm_public_query_token(kr);
    if (!kfm_public_booking_args(kr, token, args)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kfm_db_select(r, kr->db, "kf_bm_ics_access", &res, 5, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    /* an appointment exists once the booking is paid; a cancelled one downloads as such */
    const char *status = kfm_db_value(kr->db, r->pool, res, 0, 0);
    int cancelled = strcmp(status, "cancelled") == 0;
    if (!cancelled && strcmp(status, "paid") != 0 && strcmp(status, "confirmed") != 0) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    kfm_ctx cx = kfm_ctx_of_request(r);
    booking_facts b;
    if (read_facts(&cx, kr->db, id, &b) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    b.link = booking_page(&cx, &b, token);
    const char *ics = invite(&cx, &b, cancelled ? KF_ICS_CANCEL : KF_ICS_PUBLISH,
                             b.v[BM_CUSTOMER_NAME], b.v[BM_CUSTOMER_EMAIL]);
    if (!ics) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    ap_set_content_type(r, "text/calendar; charset=utf-8");
    apr_table_setn(r->headers_out, "Content-Disposition", "attachment; filename=\"booking.ics\"");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rputs(ics, r);
    return OK;
}

apr_status_t kfm_booking_mails_rescheduled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id)
{
    booking_facts b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    b.link = customer_link(c, db, &b);
    apr_status_t rv = queue_all(c, db, &b, b.link ? "booking_rescheduled_customer" : "booking_rescheduled",
                                "booking_rescheduled", KF_ICS_REQUEST, NULL);
    if (rv == APR_SUCCESS && b.v[BM_CUSTOMER_PHONE] && *b.v[BM_CUSTOMER_PHONE]) {
        const char *before = NULL, *now = NULL, *unused = NULL;
        when_lines(c->p, &b, 1, 1, &before, &unused);
        when_lines(c->p, &b, 1, 0, &now, &unused);
        rv = kfm_message_queue_change(c, db, reservation_id, "rescheduled",
                                      kf_rescheduled_text(c->p, b.locale, b.v[BM_BUSINESS],
                                                          b.v[BM_SERVICE], b.v[BM_PRO_NAME],
                                                          before ? before : "", now ? now : "",
                                                          b.link));
    }
    return rv;
}

apr_status_t kfm_booking_mail_reminder(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                      int lead_minutes)
{
    booking_facts b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int by_mail = b.v[BM_CUSTOMER_EMAIL] && *b.v[BM_CUSTOMER_EMAIL];
    int by_text = b.v[BM_CUSTOMER_PHONE] && *b.v[BM_CUSTOMER_PHONE];
    if (!by_mail && !by_text) {
        return APR_SUCCESS;
    }
    b.link = customer_link(c, db, &b);
    apr_status_t rv = APR_SUCCESS;
    if (by_mail) {
        int en = b.locale == KF_LOCALE_EN;
        const char *lead = lead_minutes % 1440 == 0
            ? apr_psprintf(c->p, en ? "%d day(s)" : "%d día(s)", lead_minutes / 1440)
            : lead_minutes % 60 == 0 ? apr_psprintf(c->p, en ? "%d hour(s)" : "%d hora(s)", lead_minutes / 60)
                                     : apr_psprintf(c->p, "%d min", lead_minutes);
        json_t *vars = mail_vars(c->p, &b, 1);
        json_object_set_new(vars, "lead", json_string(lead));
        rv = kfm_mail_queue_invite_for(c, db, b.v[BM_TENANT], b.v[BM_ID], b.v[BM_CUSTOMER_EMAIL],
                                       "booking_reminder", b.locale, vars, NULL, NULL);
        if (rv != APR_SUCCESS) {
            /* kept as failed; the text still goes */
            rv = kfm_mail_record_refused_for(c, db, b.v[BM_TENANT], b.v[BM_ID], b.v[BM_CUSTOMER_EMAIL],
                                         "booking_reminder");
        }
    }
    /* the text too, when the business sends them (a no-op otherwise): queued after the mail,
     * sent by its own job, so a text that fails never holds the mail back */
    if (rv == APR_SUCCESS && by_text) {
        const char *when = kf_when_long(c->p, b.locale, b.v[BM_CUSTOMER_LOCAL], b.v[BM_CUSTOMER_ZONE]);
        kf_location loc = place_of(&b);
        rv = kfm_message_queue_reminder(
            c, db, reservation_id, lead_minutes,
            kf_twilio_reminder_text(c->p, b.locale, b.v[BM_BUSINESS], b.v[BM_SERVICE],
                                    b.v[BM_PRO_NAME], when ? when : "",
                                    kf_location_line(c->p, &loc, b.locale), b.link));
    }
    return rv;
}

/* The booking mails that can be written again from the booking as it is now: whether only
 * the customer gets it, and its invite's method. A reminder is not among them: its moment
 * has passed. */
static const struct {
    const char *template_name;
    int customer_only;
    kf_ics_method method;
} mails_again[] = {
    {"booking_confirmed", 1, KF_ICS_REQUEST},
    {"booking_notice", 0, KF_ICS_REQUEST},
    {"booking_rescheduled_customer", 1, KF_ICS_REQUEST},
    {"booking_rescheduled", 0, KF_ICS_REQUEST},
    {"booking_cancelled", 0, KF_ICS_CANCEL},
};

apr_status_t kfm_booking_mail_again(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                                    const char *reservation_id, const char *template_name,
                                    const char *to)
{
    size_t i = 0;
    while (i < sizeof mails_again / sizeof mails_again[0] &&
           strcmp(mails_again[i].template_name, template_name) != 0) {
        i++;
    }
    if (i == sizeof mails_again / sizeof mails_again[0]) {
        return APR_ENOTIMPL;
    }
    booking_facts b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *customer = b.v[BM_CUSTOMER_EMAIL];
    int for_customer = mails_again[i].customer_only ||
                       (to && customer && strcasecmp(to, customer) == 0);
    const char *attendee = b.v[BM_BUSINESS];
    if (for_customer) {
        /* the customer's address as the booking has it now: a corrected one is used */
        to = customer;
        attendee = b.v[BM_CUSTOMER_NAME];
    }
    else if (to && b.v[BM_PRO_EMAIL] && strcasecmp(to, b.v[BM_PRO_EMAIL]) == 0) {
        attendee = b.v[BM_PRO_NAME];
    }
    if (!to || !*to) {
        return APR_EINVAL;
    }
    int cancelled = mails_again[i].method == KF_ICS_CANCEL;
    b.link = for_customer && !cancelled ? customer_link(c, db, &b) : NULL;
    return queue_mail(c, db, mail_id, &b, to, template_name, for_customer, attendee,
                      mails_again[i].method, cancelled ? cancel_vars(c, &b) : NULL);
}
