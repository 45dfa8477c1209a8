/* What a booking's mails and texts say and whom they go to (see kf_booking_mail.h). */
#include "kf_booking_mail.h"
#include "kf_crypto.h"
#include "kf_reservation.h"
#include "kf_mail.h"
#include "kf_change_notice.h"
#include "kf_twilio.h"
#include "kf_url.h"
#include "kf_when.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KF_BOOKING_MAIL_COLOR "#3B82F6"

const char *kf_booking_page_url(apr_pool_t *p, const char *public_url, const char *booking_id,
                                const char *token)
{
    return apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/book/manage/", booking_id,
                       "?token=", token, NULL);
}

const char *kf_booking_dashboard_url(apr_pool_t *p, const char *public_url,
                                     const char *subdomain, const char *base_domain,
                                     const char *booking_id)
{
    const char *root = kf_url_tenant_root(p, public_url, subdomain, base_domain);
    return apr_pstrcat(p, root ? root : kf_url_trim_slash(p, public_url),
                       "/dashboard/bookings/", booking_id, NULL);
}

const char *kf_booking_again_url(apr_pool_t *p, const char *public_url, const char *slug)
{
    if (!slug) {
        return NULL;
    }
    return apr_pstrcat(p, kf_url_trim_slash(p, public_url), "/book/", kf_url_encode(p, slug),
                       NULL);
}

const char *kf_booking_paid_text(apr_pool_t *p, const kf_booking_mail_facts *f)
{
    int en = f->locale == KF_LOCALE_EN;
    if (strcmp(f->charge_type, "package") == 0) {
        return en ? "Included in your package" : "Incluida en tu paquete";
    }
    if (strcmp(f->charge_type, "free") == 0 || f->amount <= 0) {
        return en ? "Free" : "Sin costo";
    }
    const char *amount = kf_money_text(p, f->locale, f->amount, f->currency);
    if (strcmp(f->charge_type, "partial") == 0) {
        return apr_pstrcat(p, amount, en ? " (deposit; the rest at the appointment)"
                                         : " (anticipo; el resto en la cita)", NULL);
    }
    return amount;
}

void kf_booking_when_lines(apr_pool_t *p, const kf_booking_mail_facts *f, int for_customer,
                           int before, const char **when, const char **other)
{
    const char *customer_local = before ? f->before_customer_local : f->customer_local;
    const char *pro_local = before ? f->before_professional_local : f->professional_local;
    const char *mine_zone = for_customer ? f->customer_zone : f->professional_zone;
    const char *mine_local = for_customer ? customer_local : pro_local;
    const char *their_zone = for_customer ? f->professional_zone : f->customer_zone;
    const char *their_local = for_customer ? pro_local : customer_local;
    *when = mine_local ? kf_when_long(p, f->locale, mine_local, mine_zone) : NULL;
    *other = "";
    if (mine_local && their_local && strcmp(mine_zone, their_zone) != 0) {
        int en = f->locale == KF_LOCALE_EN;
        const char *label = for_customer ? (en ? "Professional's time: " : "Hora del profesional: ")
                                         : (en ? "Customer's time: " : "Hora del cliente: ");
        *other = apr_pstrcat(p, label, kf_when_long(p, f->locale, their_local, their_zone), "\n",
                             NULL);
    }
}

/* The customer's template of each event, and the notice the professional and the business
 * get. */
static const struct {
    const char *customer;
    const char *notice;
} templates[] = {
    [KF_BOOKING_MAIL_PAID] = {"booking_confirmed", "booking_notice"},
    [KF_BOOKING_MAIL_RESCHEDULED] = {"booking_rescheduled_customer", "booking_rescheduled"},
    [KF_BOOKING_MAIL_CANCELLED] = {"booking_cancelled", "booking_cancelled_notice"},
};

/* Whether out[from..to) has `email` already (without case). */
static int notified(const kf_booking_recipient *out, int from, int to, const char *email)
{
    for (int i = from; i < to; i++) {
        if (strcasecmp(out[i].to, email) == 0) {
            return 1;
        }
    }
    return 0;
}

int kf_booking_mails_for(kf_booking_mail_event event, const kf_booking_mail_facts *f,
                         kf_booking_recipient out[KF_BOOKING_RECIPIENTS_MAX])
{
    int n = 0;
    if (kf_has_text(f->customer_email)) {
        out[n++] = (kf_booking_recipient){
            f->customer_email, templates[event].customer, 1, f->customer_name};
    }
    int staff = n;   /* where the professional's and the members' notices begin */
    if (kf_has_text(f->professional_email)) {
        out[n++] = (kf_booking_recipient){f->professional_email, templates[event].notice, 0,
                                          f->professional};
    }
    for (int i = 0; i < f->team_count && i < KF_TEAM_MAX; i++) {
        if (kf_has_text(f->team_emails[i]) && !notified(out, staff, n, f->team_emails[i])) {
            out[n++] = (kf_booking_recipient){f->team_emails[i], templates[event].notice, 0,
                                              f->team_names[i]};
        }
    }
    if (kf_has_text(f->notify_email) && !notified(out, staff, n, f->notify_email)) {
        out[n++] = (kf_booking_recipient){f->notify_email, templates[event].notice, 0,
                                          f->business};
    }
    return n;
}

int kf_booking_calendar_changed_mails(const kf_booking_mail_facts *f,
                                      kf_booking_recipient out[KF_BOOKING_RECIPIENTS_MAX])
{
    kf_booking_recipient all[KF_BOOKING_RECIPIENTS_MAX];
    int n = kf_booking_mails_for(KF_BOOKING_MAIL_PAID, f, all), kept = 0;
    for (int i = 0; i < n; i++) {
        if (!all[i].for_customer) {
            out[kept] = all[i];
            out[kept++].template_name = "booking_calendar_changed";
        }
    }
    return kept;
}

json_t *kf_booking_calendar_changed_vars(apr_pool_t *p, const kf_booking_mail_facts *f,
                                         const char *kind, const char *moved_local)
{
    int moved = kind && strcmp(kind, "moved") == 0;
    if (!moved && !(kind && strcmp(kind, "deleted") == 0)) {
        return NULL;
    }
    const char *change = kf_message("calendar_changed_deleted", f->locale);
    if (moved) {
        const char *when = kf_when_long(p, f->locale, moved_local, f->professional_zone);
        const char *pairs[] = {"{when}", when ? when : "", NULL};
        change = kf_fill(p, kf_message("calendar_changed_moved", f->locale), pairs);
    }
    json_t *vars = kf_booking_mail_vars(p, f, KF_BOOKING_MAIL_PAID, 0);
    if (vars) {
        json_object_set_new(vars, "change", json_string(change));
        json_object_set_new(vars, "actions",
                            json_string(kf_message(moved ? "calendar_changed_actions_moved"
                                                         : "calendar_changed_actions_deleted",
                                                   f->locale)));
    }
    return vars;
}

kf_ics_method kf_booking_mail_method(kf_booking_mail_event event)
{
    return event == KF_BOOKING_MAIL_CANCELLED ? KF_ICS_CANCEL : KF_ICS_REQUEST;
}

kf_booking_mail_facts kf_booking_mail_facts_for(const kf_booking_mail_facts *f, int for_customer)
{
    kf_booking_mail_facts mine = *f;
    if (for_customer) {
        mine.dashboard = NULL;
    }
    else {
        mine.link = NULL;
        mine.book_again = NULL;
    }
    return mine;
}

/* What a cancellation adds: who, why, the refund, the link to book again. */
static void add_cancel_vars(apr_pool_t *p, const kf_booking_mail_facts *f, json_t *vars)
{
    kf_cancel_lines l = kf_cancel_notice_lines(p, f->locale, f->cancelled_by, f->cancel_reason,
                                               f->refund_amount, f->currency, f->refund_status,
                                               f->book_again);
    json_object_set_new(vars, "cancelled_by", json_string(l.by));
    json_object_set_new(vars, "reason", json_string(l.reason));
    json_object_set_new(vars, "refund", json_string(l.refund));
    json_object_set_new(vars, "book_again", json_string(l.book_again));
}

void kf_booking_mail_series_dates(apr_pool_t *p, json_t *vars, kf_locale locale,
                                  const char *zone, const char *const *locals, int n)
{
    if (!vars || n < 2) {
        return;
    }
    const char *lines = "";
    for (int i = 0; i < n; i++) {
        const char *when = locals[i] ? kf_when_long(p, locale, locals[i], zone) : NULL;
        lines = apr_psprintf(p, "%s%d. %s\n", lines, i + 1, when ? when : "");
    }
    json_object_set_new(vars, "series_dates", json_string(lines));
}

json_t *kf_booking_mail_vars(apr_pool_t *p, const kf_booking_mail_facts *facts,
                             kf_booking_mail_event event, int for_customer)
{
    kf_booking_mail_facts mine = kf_booking_mail_facts_for(facts, for_customer);
    const kf_booking_mail_facts *f = &mine;
    const char *when = NULL, *other = NULL, *before = NULL, *before_other = NULL;
    kf_booking_when_lines(p, f, for_customer, 0, &when, &other);
    kf_booking_when_lines(p, f, for_customer, 1, &before, &before_other);
    const char *color = kf_has_text(f->brand_color) ? f->brand_color : KF_BOOKING_MAIL_COLOR;
    const char *place = kf_location_line(p, &f->place, f->locale);
    json_t *vars = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "business_name", f->business, "customer_name", f->customer_name,
                     "service", f->service, "professional", f->professional,
                     "when", when ? when : "", "when_other", other,
                     "paid", kf_booking_paid_text(p, f), "link", f->link ? f->link : "",
                     "brand_color", color, "brand_text", "#ffffff",
                     "customer_email", f->customer_email, "customer_phone", f->customer_phone,
                     "notes", f->notes, "before", before ? before : "",
                     "before_other", before_other);
    if (!vars) {
        return NULL;
    }
    json_object_set_new(vars, "place", json_string(place ? apr_pstrcat(p, place, "\n", NULL) : ""));
    json_object_set_new(vars, "dashboard_link", json_string(f->dashboard ? f->dashboard : ""));
    json_object_set_new(vars, "series_dates", json_string(""));   /* a series': its dates */
    if (event == KF_BOOKING_MAIL_CANCELLED) {
        add_cancel_vars(p, f, vars);
    }
    return vars;
}

const char *kf_booking_reminder_lead(apr_pool_t *p, kf_locale locale, int lead_minutes)
{
    int en = locale == KF_LOCALE_EN;
    if (lead_minutes % 1440 == 0) {
        return apr_psprintf(p, en ? "%d day(s)" : "%d día(s)", lead_minutes / 1440);
    }
    if (lead_minutes % 60 == 0) {
        return apr_psprintf(p, en ? "%d hour(s)" : "%d hora(s)", lead_minutes / 60);
    }
    return apr_psprintf(p, "%d min", lead_minutes);
}

json_t *kf_booking_reminder_vars(apr_pool_t *p, const kf_booking_mail_facts *f, int lead_minutes,
                                 const char *unsubscribe_url)
{
    json_t *vars = kf_booking_mail_vars(p, f, KF_BOOKING_MAIL_PAID, 1);
    if (vars) {
        json_object_set_new(vars, "unsubscribe_url",
                            json_string(unsubscribe_url ? unsubscribe_url : ""));
        json_object_set_new(vars, "lead",
                            json_string(kf_booking_reminder_lead(p, f->locale, lead_minutes)));
    }
    return vars;
}

const char *kf_booking_invite(apr_pool_t *p, const kf_booking_mail_facts *f, kf_ics_method method,
                              const char *attendee_name, const char *attendee_email,
                              const char *organizer_email, const char *host, apr_time_t stamp)
{
    int en = f->locale == KF_LOCALE_EN;
    int linked = kf_has_text(f->link);
    kf_ics_event ev = {0};
    ev.method = method;
    ev.uid = apr_pstrcat(p, f->id, "@", host, NULL);
    ev.sequence = f->sequence;
    ev.start = f->start;
    ev.end = f->end;
    ev.stamp = stamp;
    ev.summary = apr_pstrcat(p, f->service, " · ", f->business, NULL);
    ev.description = linked
        ? apr_pstrcat(p, en ? "With " : "Con ", f->professional, ".\n",
                      en ? "Your booking: " : "Tu reserva: ", f->link, NULL)
        : apr_pstrcat(p, en ? "With " : "Con ", f->professional, ".", NULL);
    ev.url = linked ? f->link : NULL;
    ev.organizer_name = f->business;
    ev.organizer_email = organizer_email;
    ev.attendee_name = attendee_name;
    ev.attendee_email = attendee_email;
    kf_location_to_ics(p, &f->place, f->locale, &ev);
    return kf_ics_build(p, &ev);
}

const char *kf_booking_reminder_text(apr_pool_t *p, const kf_booking_mail_facts *f)
{
    const char *when = kf_when_long(p, f->locale, f->customer_local, f->customer_zone);
    return kf_twilio_reminder_text(p, f->locale, f->business, f->service, f->professional,
                                   when ? when : "", kf_location_line(p, &f->place, f->locale),
                                   f->link);
}

const char *kf_booking_rescheduled_text(apr_pool_t *p, const kf_booking_mail_facts *f)
{
    const char *before = NULL, *now = NULL, *unused = NULL;
    kf_booking_when_lines(p, f, 1, 1, &before, &unused);
    kf_booking_when_lines(p, f, 1, 0, &now, &unused);
    return kf_rescheduled_text(p, f->locale, f->business, f->service, f->professional,
                               before ? before : "", now ? now : "", f->link);
}

const char *kf_booking_cancelled_text(apr_pool_t *p, const kf_booking_mail_facts *f)
{
    const char *when = kf_when_long(p, f->locale, f->customer_local, f->customer_zone);
    return kf_cancelled_text(p, f->locale, f->business, f->service, f->professional,
                             when ? when : "", f->cancelled_by, f->cancel_reason,
                             kf_refund_text(p, f->locale, f->refund_amount, f->currency,
                                            f->refund_status),
                             f->book_again);
}

/* The booking mails that can be written again, whether only the customer gets them, and
 * the event each tells of. */
static const struct {
    const char *template_name;
    int customer_only;
    kf_booking_mail_event event;
} mails_again[] = {
    {"booking_confirmed", 1, KF_BOOKING_MAIL_PAID},
    {"booking_notice", 0, KF_BOOKING_MAIL_PAID},
    {"booking_rescheduled_customer", 1, KF_BOOKING_MAIL_RESCHEDULED},
    {"booking_rescheduled", 0, KF_BOOKING_MAIL_RESCHEDULED},
    {"booking_cancelled", 0, KF_BOOKING_MAIL_CANCELLED},
    {"booking_cancelled_notice", 0, KF_BOOKING_MAIL_CANCELLED},
};

static int mail_again_index(const char *template_name)
{
    for (size_t i = 0; template_name && i < sizeof mails_again / sizeof mails_again[0]; i++) {
        if (strcmp(mails_again[i].template_name, template_name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int kf_booking_mail_again_event(const char *template_name, kf_booking_mail_event *event)
{
    int i = mail_again_index(template_name);
    if (i < 0) {
        return 0;
    }
    *event = mails_again[i].event;
    return 1;
}

int kf_booking_mail_again_to(const kf_booking_mail_facts *f, const char *template_name,
                             const char *to, kf_booking_recipient *out)
{
    int i = mail_again_index(template_name);
    if (i < 0) {
        return 0;
    }
    const char *customer = f->customer_email;
    kf_booking_mail_event event = mails_again[i].event;
    out->for_customer = mails_again[i].customer_only ||
                        (to && customer && strcasecmp(to, customer) == 0);
    /* what that reader gets for the event now: a notice written before the dashboard link
     * and the customer's contact were in it gets them */
    out->template_name = out->for_customer ? templates[event].customer
                                           : templates[event].notice;
    out->to = to;
    out->attendee_name = f->business;
    if (out->for_customer) {
        /* the customer's address as the booking has it now: a corrected one is used */
        out->to = customer;
        out->attendee_name = f->customer_name;
    }
    else if (to && f->professional_email && strcasecmp(to, f->professional_email) == 0) {
        out->attendee_name = f->professional;
    }
    return kf_has_text(out->to);
}

/* A team's other members ([[name, email]...], NULL: none) into f, copied into p. */
static void team_of(apr_pool_t *p, const char *team, kf_booking_mail_facts *f)
{
    json_t *members = team ? json_loads(team, 0, NULL) : NULL;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m) {
        const char *name = json_string_value(json_array_get(m, 0));
        const char *email = json_string_value(json_array_get(m, 1));
        if (email && f->team_count < KF_TEAM_MAX) {
            f->team_names[f->team_count] = apr_pstrdup(p, name ? name : "");
            f->team_emails[f->team_count++] = apr_pstrdup(p, email);
        }
    }
    json_decref(members);
}

void kf_booking_mail_facts_of(apr_pool_t *p, const char *const *v, const char *public_url,
                              const char *base_domain, kf_booking_mail_facts *f)
{
    kf_location_source place = {v[KF_BM_COL_LOCATION_TYPE], v[KF_BM_COL_LOCATION_VALUE],
                                v[KF_BM_COL_LOCATION_PROVIDER], v[KF_BM_COL_PRO_VIDEO_URL],
                                v[KF_BM_COL_PRO_VIDEO_PROVIDER], v[KF_BM_COL_MEETING_URL]};
    *f = (kf_booking_mail_facts){
        .id = v[KF_BM_COL_ID],
        .locale = kf_locale_of_tag(v[KF_BM_COL_LOCALE]),
        .business = v[KF_BM_COL_BUSINESS],
        .brand_color = v[KF_BM_COL_COLOR],
        .notify_email = v[KF_BM_COL_NOTIFY],
        .service = v[KF_BM_COL_SERVICE],
        .professional = v[KF_BM_COL_PRO_NAME],
        .professional_email = v[KF_BM_COL_PRO_EMAIL],
        .professional_zone = v[KF_BM_COL_PRO_ZONE],
        .professional_local = v[KF_BM_COL_PRO_LOCAL],
        .before_professional_local = v[KF_BM_COL_BEFORE_PRO_LOCAL],
        .customer_name = v[KF_BM_COL_CUSTOMER_NAME],
        .customer_email = v[KF_BM_COL_CUSTOMER_EMAIL],
        .customer_phone = v[KF_BM_COL_CUSTOMER_PHONE],
        .customer_zone = v[KF_BM_COL_CUSTOMER_ZONE],
        .customer_local = v[KF_BM_COL_CUSTOMER_LOCAL],
        .before_customer_local = v[KF_BM_COL_BEFORE_CUSTOMER_LOCAL],
        .notes = v[KF_BM_COL_NOTES],
        .start = apr_time_from_sec(v[KF_BM_COL_START] ? apr_atoi64(v[KF_BM_COL_START]) : 0),
        .end = apr_time_from_sec(v[KF_BM_COL_END] ? apr_atoi64(v[KF_BM_COL_END]) : 0),
        .sequence = v[KF_BM_COL_SEQUENCE] ? atoi(v[KF_BM_COL_SEQUENCE]) : 0,
        .charge_type = v[KF_BM_COL_CHARGE_TYPE],
        .amount = v[KF_BM_COL_AMOUNT] ? apr_atoi64(v[KF_BM_COL_AMOUNT]) : 0,
        .currency = v[KF_BM_COL_CURRENCY],
        .cancelled_by = v[KF_BM_COL_CANCELLED_BY],
        .cancel_reason = v[KF_BM_COL_CANCEL_REASON],
        .refund_amount = v[KF_BM_COL_REFUND_AMOUNT] ? apr_atoi64(v[KF_BM_COL_REFUND_AMOUNT]) : 0,
        .refund_status = v[KF_BM_COL_REFUND_STATUS],
        .place = kf_location_of(&place),
        .link = NULL,
        .book_again = kf_booking_again_url(p, public_url, v[KF_BM_COL_LINK_SLUG]),
        .dashboard = kf_booking_dashboard_url(p, public_url, v[KF_BM_COL_SUBDOMAIN], base_domain,
                                              v[KF_BM_COL_ID]),
    };
    team_of(p, v[KF_BM_COL_TEAM], f);
}

const char *kf_booking_invite_from(apr_pool_t *p, const kf_booking_mail_facts *f,
                                   kf_ics_method method, const char *attendee_name,
                                   const char *attendee_email, const char *mail_from,
                                   const char *public_url, apr_time_t stamp)
{
    const char *organizer_email = NULL;
    if (mail_from && kf_mail_parse_mailbox(p, mail_from, NULL, &organizer_email) != APR_SUCCESS) {
        organizer_email = NULL;
    }
    const char *host = kf_url_host(p, public_url);
    return kf_booking_invite(p, f, method, attendee_name, attendee_email, organizer_email,
                             host ? host : "", stamp);
}

int kf_booking_ics_method(const char *status, kf_ics_method *method)
{
    int state = kf_res_state_parse(status);
    if (state == KF_RES_CANCELLED) {
        *method = KF_ICS_CANCEL;
        return 1;
    }
    *method = KF_ICS_PUBLISH;
    return kf_res_state_paid(state);
}

const char *kf_booking_link_token(apr_pool_t *p, const kf_keyring *keys, const char *booking_id,
                                  const char *kept_sealed, const char **hash, const char **sealed,
                                  apr_status_t *kept_refused)
{
    return kf_kept_token(p, keys, kf_manage_token_aad(p, booking_id), kept_sealed, hash, sealed,
                         kept_refused);
}
