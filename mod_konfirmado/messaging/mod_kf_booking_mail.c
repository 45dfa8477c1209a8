/* The mails of a booking's life (see mod_kf_booking_mail.h). The statement reads what the
 * mails say into kf_booking_mail_facts; lib/ says what they say and to whom
 * (kf_booking_mail.c); the outbox seals and delivers them. */
#include "mod_kf_booking_mail.h"
#include "mod_kf_sql.h"
#include "mod_kf_messaging_conf.h"
#include "mod_kf_config.h"
#include "mod_kf_mail.h"
#include "mod_kf_messaging.h"
#include "mod_kf_messaging_feature.h"
#include "mod_kf_public_request.h"
#include "kf_booking_mail.h"
#include "kf_crypto.h"
#include "kf_portal.h"
#include "kf_preferences.h"
#include "kf_mail.h"
#include "kf_reservation.h"
#include "kf_text.h"
#include "kf_url.h"

#include "util_script.h"

#include <apr_strings.h>
#include <string.h>

/* Columns of kf_bm_reminder_prefs. */
#define REMINDER_PREFS_COLUMNS(FIRST, NEXT)                                                 \
    FIRST(PREFS_ID, "p.id")                                                                 \
    NEXT(PREFS_MAIL_ON, "coalesce(p.reminders_email, true)")                                \
    NEXT(PREFS_TEXT_ON, "coalesce(p.reminders_text, true)")                                 \
    NEXT(PREFS_SUBDOMAIN, "t.subdomain")                                                    \
    NEXT(PREFS_UNSUBSCRIBE_SEALED, "p.unsubscribe_token_sealed")
enum { REMINDER_PREFS_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) PREFS_COLUMNS };

const kfm_sql kfm_booking_mail_sql[] = {
    {"kf_bm_details", KFM_BM_DETAILS_SELECT},
    /* the calendar.ics download: the booking or manage token, on its tenant's host */
    {"kf_bm_ics_access",
     "SELECT r.status FROM reservations r JOIN tenants t ON t.id = r.tenant_id"
     " WHERE r.id = %s::uuid AND " KFM_SQL_TOKEN_OPENS("r")
     "   AND (%s::text IS NULL OR t.subdomain = %s::text)"},
    /* hash, sealed token, id */
    {"kf_bm_manage_token",
     "UPDATE reservations SET manage_token_hash = %s, manage_token_sealed = %s WHERE id = %s::uuid"},
    /* who is reminded (API.md "Customer portal ... and preferences"): the customer's row of
     * preferences at the tenant (made now: it keeps the unsubscribe token, and stays locked
     * until the transaction ends, so two reminders of one customer make one token) and the
     * tenant's host; a phone's STOP is the text queue's (kf_message_queue) */
    {"kf_bm_reminder_prefs",
     "WITH b AS (SELECT r.tenant_id, lower(coalesce(r.customer_email, '')) AS email"
     "   FROM reservations r WHERE r.id = %s::uuid),"
     " p AS (INSERT INTO customer_preferences (tenant_id, email)"
     "   SELECT tenant_id, email FROM b WHERE email <> ''"
     "   ON CONFLICT (tenant_id, email) DO UPDATE SET email = EXCLUDED.email"
     "   RETURNING id, reminders_email, reminders_text, unsubscribe_token_sealed)"
     " SELECT " KFM_SQL_COLUMNS(REMINDER_PREFS_COLUMNS)
     " FROM b JOIN tenants t ON t.id = b.tenant_id LEFT JOIN p ON true"},
    /* hash, sealed token, preferences id */
    {"kf_bm_unsubscribe_token",
     "UPDATE customer_preferences SET unsubscribe_token_hash = %s, unsubscribe_token_sealed = %s"
     " WHERE id = %s::uuid"},
    /* a moment (seconds) as the wall clock of a zone, as the mails' times are read */
    {"kf_bm_wall_clock",
     "WITH m AS (SELECT to_timestamp(%s::bigint) AS at, %s::text AS zone)"
     " SELECT " KFM_BM_LOCAL_MINUTE("m.at", "m.zone") " FROM m"},
    /* zone, booking id: the wall clock of each occurrence of the booking's series in that
     * zone, in order (none: no series) */
    {"kf_bm_series_when",
     "WITH m AS (SELECT o.starts_at AS at, %s::text AS zone, o.series_index FROM reservations me"
     "  JOIN reservations o ON o.series_id = me.series_id WHERE me.id = %s::uuid)"
     " SELECT " KFM_BM_LOCAL_MINUTE("m.at", "m.zone") " FROM m ORDER BY m.series_index"},
    /* booking id: the later occurrences of its series, in order (none: no series) */
    {"kf_bm_series_later",
     "SELECT o.id FROM reservations me JOIN reservations o ON o.series_id = me.series_id"
     " AND o.series_index > me.series_index WHERE me.id = %s::uuid ORDER BY o.series_index"},
    {NULL, NULL},
};

/* The confirmation of a series lists every occurrence, in the reader's zone. */
static apr_status_t add_series_dates(const kfm_ctx *c, ap_dbd_t *db,
                                     const kf_booking_mail_facts *mine, int for_customer,
                                     json_t *vars)
{
    const char *zone = for_customer ? mine->customer_zone : mine->professional_zone;
    const char *args[] = {zone, mine->id};
    kfm_rows *res = NULL;
    if (kfm_db_select(c->r, db, "kf_bm_series_when", &res, 2, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(db, c->p, res, 1, &n);
    const char **locals = apr_palloc(c->p, sizeof(char *) * (apr_size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        locals[i] = rows[i][0];
    }
    kf_booking_mail_series_dates(c->p, vars, mine->locale, zone, locals, n);
    return APR_SUCCESS;
}

/* One booking's mails: its facts, its tenant and its sealed manage token. */
typedef struct booking_mails {
    kf_booking_mail_facts facts;
    const char *tenant_id;
    const char *manage_sealed;
    int series_first;            /* the first occurrence of a series */
} booking_mails;

/* kf_bm_details's columns in row 0 of `res`, from column `first` on, as the mails tell the
 * booking; without the customer's page yet. */
static apr_status_t facts_of(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *res, int first,
                             booking_mails *b)
{
    if (kfm_db_rows(db, res) != 1) {
        return APR_EGENERAL;
    }
    const char *v[KF_BM_COLUMNS];
    for (int i = 0; i < KF_BM_COLUMNS; i++) {
        v[i] = kfm_db_value(db, c->p, res, 0, first + i);
    }
    b->tenant_id = v[KF_BM_COL_TENANT];
    b->manage_sealed = v[KF_BM_COL_MANAGE_SEALED];
    b->series_first = v[KF_BM_COL_SERIES_FIRST] && strcmp(v[KF_BM_COL_SERIES_FIRST], "t") == 0;
    kf_booking_mail_facts_of(c->p, v, kfm_conf_public_url(c->conf),
                             kfm_conf_base_domain(c->conf), &b->facts);
    return APR_SUCCESS;
}

static apr_status_t read_facts(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                               booking_mails *b)
{
    kfm_rows *res = NULL;
    const char *args[] = {reservation_id};
    if (kfm_db_select(c->r, db, "kf_bm_details", &res, 1, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return facts_of(c, db, res, 0, b);
}

/* The invite for one reader, from this server's name and sender. */
static const char *invite(const kfm_ctx *c, const kf_booking_mail_facts *f, kf_ics_method method,
                          const char *attendee_name, const char *attendee_email)
{
    const kfm_server_conf *conf = c->conf;
    return kf_booking_invite_from(c->p, f, method, attendee_name, attendee_email,
                                  kfm_messaging_conf_mail_from(kfm_messaging_conf_of(c->s)),
                                  kfm_conf_public_url(conf), apr_time_now());
}

/* The confirmation's invite of a series: one VEVENT per occurrence, each with its own UID (the
 * one its later changes' invites carry), in order. NULL when one could not be written. */
static const char *series_invite(const kfm_ctx *c, ap_dbd_t *db, const char *ics,
                                 const kf_booking_mail_facts *first, kf_ics_method method,
                                 const kf_booking_recipient *to)
{
    const char *args[] = {first->id};
    kfm_rows *res = NULL;
    if (kfm_db_select(c->r, db, "kf_bm_series_later", &res, 1, args) != APR_SUCCESS) {
        return NULL;
    }
    int n = kfm_db_rows(db, res);
    for (int i = 0; i < n && ics; i++) {
        booking_mails later;
        if (read_facts(c, db, kfm_db_value(db, c->p, res, i, 0), &later) != APR_SUCCESS) {
            return NULL;
        }
        const kf_booking_mail_facts mine = kf_booking_mail_facts_for(&later.facts, to->for_customer);
        ics = kf_ics_merge(c->p, ics, invite(c, &mine, method, to->attendee_name, to->to));
    }
    return ics;
}

/* One mail of `event` to one reader. `mail_id`: NULL queues a new mail (a refusal is
 * recorded as a failed one); else the refused mail of that id is written again, and a
 * refusal is the answer (nothing recorded). */
static apr_status_t queue_mail(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                               const booking_mails *b, kf_booking_mail_event event,
                               const kf_booking_recipient *to)
{
    const kf_booking_mail_facts mine = kf_booking_mail_facts_for(&b->facts, to->for_customer);
    kf_ics_method method = kf_booking_mail_method(event);
    const char *ics = invite(c, &mine, method, to->attendee_name, to->to);
    if (ics && event == KF_BOOKING_MAIL_PAID && b->series_first) {
        ics = series_invite(c, db, ics, &mine, method, to);
    }
    apr_status_t rv = APR_EGENERAL;
    if (!ics) {
        KFM_CTX_LOG(c, APLOG_ERR, "booking %s: its invite could not be written", mine.id);
    }
    else {
        json_t *vars = kf_booking_mail_vars(c->p, &mine, event, to->for_customer);
        rv = vars && event == KF_BOOKING_MAIL_PAID && b->series_first
                 ? add_series_dates(c, db, &mine, to->for_customer, vars) : APR_SUCCESS;
        rv = rv == APR_SUCCESS
                 ? kfm_mail_queue_into(c, db, mail_id, b->tenant_id, mine.id, to->to,
                                       to->template_name, mine.locale, vars, ics,
                                       method == KF_ICS_CANCEL ? "CANCEL" : "REQUEST")
                 : rv;
    }
    /* A mail that cannot be queued never undoes the booking, its payment or its callback:
     * it is recorded as a failed mail instead. Only a failure to record it fails. */
    return rv == APR_SUCCESS || mail_id
               ? rv
               : kfm_mail_record_refused_for(c, db, b->tenant_id, mine.id, to->to,
                                             to->template_name);
}

/* The mails of `event` to everybody who gets them (kf_booking_mails_for). */
static apr_status_t queue_all(const kfm_ctx *c, ap_dbd_t *db, const booking_mails *b,
                              kf_booking_mail_event event)
{
    kf_booking_recipient to[KF_BOOKING_RECIPIENTS_MAX];
    int n = kf_booking_mails_for(event, &b->facts, to);
    apr_status_t rv = APR_SUCCESS;
    for (int i = 0; i < n && rv == APR_SUCCESS; i++) {
        rv = queue_mail(c, db, NULL, b, event, &to[i]);
    }
    return rv;
}

/* The mails' link opens the booking's page with a token of its own: the booking token stays
 * with the browser that booked. The first customer mail makes it (its hash for the check, its
 * sealed form for the next mails); later mails open the sealed one, so every mail carries the
 * same link. NULL when it cannot be made or opened (logged): the mail goes without a link. */
static const char *customer_link(const kfm_ctx *c, ap_dbd_t *db, const booking_mails *b)
{
    return kfm_booking_manage_url(c, db, b->facts.id, b->manage_sealed);
}

const char *kfm_booking_manage_url(const kfm_ctx *c, ap_dbd_t *db, const char *id,
                                   const char *manage_sealed)
{
    const kf_keyring *keys = c->conf->keyring;
    const char *public_url = kfm_conf_public_url(c->conf);
    const char *hash = NULL, *seal = NULL;
    apr_status_t refused = APR_SUCCESS;
    const char *token = kf_booking_link_token(c->p, keys, id, manage_sealed, &hash, &seal,
                                              &refused);
    if (refused != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "booking %s: its manage link does not open (%s): a new one "
                   "is made", id, kf_crypto_strerror(refused));
    }
    const char *targs[] = {hash, seal, id};
    if (!token || (hash && kfm_db_exec(c->r, db, "kf_bm_manage_token", NULL, 3, targs) != APR_SUCCESS)) {
        return NULL;
    }
    return kf_booking_page_url(c->p, public_url, id, token);
}

apr_status_t kfm_booking_mails_paid_from(const kfm_ctx *c, ap_dbd_t *db, kfm_rows *facts,
                                        int first)
{
    booking_mails b;
    if (facts_of(c, db, facts, first, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    b.facts.link = customer_link(c, db, &b);
    if (!b.facts.link) {
        return APR_EGENERAL;
    }
    return queue_all(c, db, &b, KF_BOOKING_MAIL_PAID);
}

apr_status_t kfm_booking_mail_meeting_link(const kfm_ctx *c, ap_dbd_t *db,
                                           const char *reservation_id)
{
    booking_mails b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    b.facts.link = customer_link(c, db, &b);
    if (!b.facts.link) {
        return APR_EGENERAL;
    }
    kf_booking_recipient to[KF_BOOKING_RECIPIENTS_MAX];
    int n = kf_booking_mails_for(KF_BOOKING_MAIL_PAID, &b.facts, to);
    return n > 0 && to[0].for_customer ? queue_mail(c, db, NULL, &b, KF_BOOKING_MAIL_PAID, &to[0])
                                       : APR_SUCCESS;
}

apr_status_t kfm_booking_mail_calendar_changed(const kfm_ctx *c, ap_dbd_t *db,
                                              const char *reservation_id, const char *kind,
                                              const char *moved_start)
{
    booking_mails b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const char *moved_local = NULL;
    if (moved_start) {
        const char *args[] = {moved_start, b.facts.professional_zone};
        if (kfm_db_select_row(c->r, db, c->p, "kf_bm_wall_clock", 2, args, &moved_local, 1) !=
            APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    kf_booking_recipient to[KF_BOOKING_RECIPIENTS_MAX];
    int n = kf_booking_calendar_changed_mails(&b.facts, to);
    apr_status_t rv = APR_SUCCESS;
    for (int i = 0; i < n && rv == APR_SUCCESS; i++) {
        json_t *vars = kf_booking_calendar_changed_vars(c->p, &b.facts, kind, moved_local);
        /* no invite: one would put back the event the professional moved or deleted */
        rv = vars ? kfm_mail_queue_into(c, db, NULL, b.tenant_id, b.facts.id, to[i].to,
                                        to[i].template_name, b.facts.locale, vars, NULL, NULL)
                  : APR_EINVAL;
    }
    return rv;
}

apr_status_t kfm_booking_mails_cancelled(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id)
{
    booking_mails b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    apr_status_t rv = queue_all(c, db, &b, KF_BOOKING_MAIL_CANCELLED);
    if (rv == APR_SUCCESS && b.facts.customer_phone && *b.facts.customer_phone) {
        rv = kfm_message_queue(c, db, reservation_id, "cancelled", 0, b.facts.locale,
                                      kf_booking_cancelled_text(c->p, &b.facts));
    }
    return rv;
}

int kfm_handle_public_booking_calendar(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = apr_table_get(kr->params, "id");
    const char *args[5];
    const char *token = kfm_public_query_token(kr);
    if (!kfm_public_booking_args(kr, token, args)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kfm_public_booking_token_expired(kr, args)) {
        return kfm_reply_error(kr, HTTP_GONE, "token_expired");
    }
    const char *status = NULL;
    apr_status_t found = kfm_db_select_row(r, kr->db, r->pool, "kf_bm_ics_access", 5, args,
                                           &status, 1);
    if (found != APR_SUCCESS && found != APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kf_ics_method method;
    if (found == APR_NOTFOUND || !kf_booking_ics_method(status, &method)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    kfm_ctx cx = kfm_ctx_of_request(r);
    booking_mails b;
    if (read_facts(&cx, kr->db, id, &b) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    b.facts.link = kf_booking_page_url(r->pool, kfm_conf_public_url(kr->conf), id, token);
    const char *ics = invite(&cx, &b.facts, method, b.facts.customer_name, b.facts.customer_email);
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
    booking_mails b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    b.facts.link = customer_link(c, db, &b);
    apr_status_t rv = queue_all(c, db, &b, KF_BOOKING_MAIL_RESCHEDULED);
    if (rv == APR_SUCCESS && b.facts.customer_phone && *b.facts.customer_phone) {
        rv = kfm_message_queue(c, db, reservation_id, "rescheduled", 0, b.facts.locale,
                                      kf_booking_rescheduled_text(c->p, &b.facts));
    }
    return rv;
}

/* The one-click unsubscribe of a customer's reminder mails, on the tenant's own host: the
 * row's kept token, so every reminder carries the same link; the first reminder makes it
 * (its hash for the check, its sealed form for the next mails). NULL when it cannot be made
 * (logged): the mail goes without one. */
static const char *unsubscribe_url(const kfm_ctx *c, ap_dbd_t *db, const char *const *pref)
{
    const char *root = kf_url_tenant_root(c->p, kfm_conf_public_url(c->conf),
                                             pref[PREFS_SUBDOMAIN], kfm_conf_base_domain(c->conf));
    const char *id = pref[PREFS_ID];
    if (!root || !id) {
        return NULL;
    }
    const char *hash = NULL, *seal = NULL;
    apr_status_t refused = APR_SUCCESS;
    const char *token = kf_kept_token(c->p, c->conf->keyring, kf_unsubscribe_token_aad(c->p, id),
                                      pref[PREFS_UNSUBSCRIBE_SEALED], &hash, &seal, &refused);
    if (refused != APR_SUCCESS) {
        KFM_CTX_LOG(c, APLOG_WARNING, "customer preferences %s: the unsubscribe link does not "
                    "open (%s): a new one is made", id, kf_crypto_strerror(refused));
    }
    const char *args[] = {hash, seal, id};
    if (!token || (hash && kfm_db_exec(c->r, db, "kf_bm_unsubscribe_token", NULL, 3, args) !=
                               APR_SUCCESS)) {
        return NULL;
    }
    return kf_portal_unsubscribe_url(c->p, root, token);
}

apr_status_t kfm_booking_mail_reminder(const kfm_ctx *c, ap_dbd_t *db, const char *reservation_id,
                                      int lead_minutes)
{
    booking_mails b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    const kf_booking_mail_facts *f = &b.facts;
    const char *args[] = {reservation_id};
    const char *pref[PREFS_COLUMNS];
    if (kfm_db_select_row(c->r, db, c->p, "kf_bm_reminder_prefs", 1, args, pref,
                          PREFS_COLUMNS) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int channels = kf_reminder_channels(f->customer_email && *f->customer_email,
                                        f->customer_phone && *f->customer_phone,
                                        kf_text_true(pref[PREFS_MAIL_ON]),
                                        kf_text_true(pref[PREFS_TEXT_ON]));
    int by_mail = channels & KF_REMIND_MAIL;
    int by_text = channels & KF_REMIND_TEXT;
    if (!by_mail && !by_text) {
        KFM_CTX_LOG(c, APLOG_INFO, "booking %s: its customer turned reminders off", f->id);
        return APR_SUCCESS;
    }
    b.facts.link = customer_link(c, db, &b);
    apr_status_t rv = APR_SUCCESS;
    if (by_mail) {
        const char *unsubscribe = unsubscribe_url(c, db, pref);
        json_t *vars = kf_booking_reminder_vars(c->p, f, lead_minutes, unsubscribe);
        rv = kfm_mail_queue_unsubscribable(c, db, b.tenant_id, f->id, f->customer_email,
                                           "booking_reminder", f->locale, vars, unsubscribe);
        if (rv != APR_SUCCESS) {
            /* kept as failed; the text still goes */
            rv = kfm_mail_record_refused_for(c, db, b.tenant_id, f->id, f->customer_email,
                                             "booking_reminder");
        }
    }
    /* the text too, when the business sends them (a no-op otherwise): queued after the mail,
     * sent by its own job, so a text that fails never holds the mail back */
    if (rv == APR_SUCCESS && by_text) {
        rv = kfm_message_queue(c, db, reservation_id, "reminder", lead_minutes, f->locale,
                                        kf_booking_reminder_text(c->p, f));
    }
    return rv;
}

apr_status_t kfm_booking_mail_again(const kfm_ctx *c, ap_dbd_t *db, const char *mail_id,
                                    const char *reservation_id, const char *template_name,
                                    const char *to)
{
    kf_booking_mail_event event;
    if (!kf_booking_mail_again_event(template_name, &event)) {
        return APR_ENOTIMPL;
    }
    booking_mails b;
    if (read_facts(c, db, reservation_id, &b) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    kf_booking_recipient reader;
    if (!kf_booking_mail_again_to(&b.facts, template_name, to, &reader)) {
        return APR_EINVAL;
    }
    b.facts.link = reader.for_customer && event != KF_BOOKING_MAIL_CANCELLED
                       ? customer_link(c, db, &b) : NULL;
    return queue_mail(c, db, mail_id, &b, event, &reader);
}
