/* Moving a booking to another time (API.md "After booking"). Same booking, same payment: the
 * booking takes a hold's time and professional and the hold is used up, in one transaction,
 * so the old slot is free and the new one never double-booked (the exclusion constraint
 * still judges). Two doors, one move (reschedule_with_hold):
 * - the customer takes a hold of the same service through the link as usual, then
 *   POST /api/public/bookings/{id}/reschedule {"hold_token"} with the booking's (or its
 *   mails') token: before the cutoff, within max_reschedules;
 * - the merchant, POST /api/admin/bookings/{id}/reschedule {"start", "professional"?}: the
 *   start must be offered now, checked and held exactly as POST /api/public/holds does
 *   (kfm_hold_take, through the booking's link), then moved like the customer's; no cutoff,
 *   no limit.
 * The state machine decides (cutoff, limit, a live hold); the effects: history,
 * SEQUENCE + 1, the booking.rescheduled callback, the mails with the moved invite (the
 * reminders name the start they reminded of, so the new time is reminded again), the audit
 * row, both professionals' availability bumped. */
#include "mod_kf_bookings_feature.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_audit.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_public.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_reservation.h"
#include "kf_text.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

enum {
    RF_ID, RF_STATUS, RF_TENANT, RF_SERVICE, RF_PROFESSIONAL, RF_BEFORE_CUTOFF, RF_LEFT,
    RF_LINK, RF_SUBDOMAIN, RF_COLUMNS
};

/* The facts the decision needs, the booking locked. */
#define RESCHED_FACTS                                                                        \
    "SELECT r.id, r.status, r.tenant_id, r.service_id, r.professional_id,"                  \
    "  " KFM_SQL_BEFORE_CUTOFF("r", "t.reschedule_cutoff_hours") ","            \
    "  t.max_reschedules - r.reschedule_count, l.slug, t.subdomain"                          \
    " FROM reservations r JOIN tenants t ON t.id = r.tenant_id"                              \
    " LEFT JOIN booking_links l ON l.id = r.link_id"
enum { RH_ID, RH_SERVICE, RH_TENANT, RH_PROFESSIONAL, RH_LIVE, RH_COLUMNS };

/* Columns of kf_resched_slot: where the booking is now. */
enum { MOVED_START, MOVED_END, MOVED_PROFESSIONAL };

const kfm_sql kfm_reschedule_sql[] = {
    /* id, token hash (booking or mails'), host subdomain */
    {"kf_resched_booking",
     RESCHED_FACTS
     " WHERE r.id = %s::uuid AND (r.booking_token_hash = %s OR r.manage_token_hash = %s)"
     "   AND (%s::text IS NULL OR t.subdomain = %s::text) FOR UPDATE OF r"},
    /* id, the session's tenant */
    {"kf_resched_booking_admin",
     RESCHED_FACTS " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    /* the hold, by its token hash: live or not (an expired hold answers hold_expired) */
    {"kf_resched_hold",
     "SELECT r.id, r.service_id, r.tenant_id, r.professional_id, " KFM_SQL_LIVE_HOLD("r")
     " FROM reservations r WHERE r.hold_token_hash = %s FOR UPDATE"},
    /* hold id, booking id, its state as read: the booking takes the used hold's slot, its
     * time before kept (the status is the state machine's: kfm_booking_move) */
    {"kf_resched_slot",
     "WITH h AS (SELECT starts_at, ends_at, blocked, professional_id FROM reservations"
     "   WHERE id = %s::uuid),"
     " up AS (UPDATE reservations r SET previous_starts_at = r.starts_at,"
     "   previous_ends_at = r.ends_at, starts_at = h.starts_at, ends_at = h.ends_at,"
     "   blocked = h.blocked, professional_id = h.professional_id,"
     "   reschedule_count = r.reschedule_count + 1, ics_sequence = r.ics_sequence + 1,"
     "   updated_at = now() FROM h WHERE r.id = %s::uuid AND r.status = %s RETURNING r.id)"
     " SELECT " KFM_SQL_RFC3339("h.starts_at") ", " KFM_SQL_RFC3339("h.ends_at") ","
     "   h.professional_id FROM h, up"},
    {NULL, NULL},
};

/* The move, for both doors: locks the booking (facts_label with args) and the hold (by its
 * token hash), asks the state machine, and in one transaction uses the hold up, moves the
 * booking, queues the callback and the mails and writes the audit row; then answers.
 * *moved: 1 when the booking moved (the hold is used up), else the answer is an error. */
static int reschedule_with_hold(kfm_req *kr, const char *facts_label, int nargs,
                                const char **args, const char *hold_hash, int by_merchant,
                                int *moved_out)
{
    request_rec *r = kr->r;
    kfm_tx tx;
    kfm_rows *res = NULL, *hres = NULL;
    *moved_out = 0;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *hargs[] = {hold_hash};
    if (kfm_db_select(r, kr->db, facts_label, &res, nargs, args) != APR_SUCCESS ||
        kfm_db_select(r, kr->db, "kf_resched_hold", &hres, 1, hargs) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    const char *v[RF_COLUMNS], *hv[RH_COLUMNS] = {NULL};
    kfm_db_row(kr->db, r->pool, res, 0, v, RF_COLUMNS);
    int have_hold = kfm_db_rows(kr->db, hres) == 1;
    if (have_hold) {
        kfm_db_row(kr->db, r->pool, hres, 0, hv, RH_COLUMNS);
    }
    int state = kf_res_state_parse(v[RF_STATUS]);
    kf_res_facts facts = {0};
    facts.before_cutoff = strcmp(v[RF_BEFORE_CUTOFF], "t") == 0;
    facts.reschedules_left = atoi(v[RF_LEFT]);
    facts.by_merchant = by_merchant;
    /* the new slot is "free" when the hold holding it is live and is of this booking's
     * service and business: the hold already excludes everybody else */
    facts.slot_free = have_hold && strcmp(hv[RH_LIVE], "t") == 0 &&
                      strcmp(hv[RH_SERVICE], v[RF_SERVICE]) == 0 &&
                      strcmp(hv[RH_TENANT], v[RF_TENANT]) == 0;
    kf_res_outcome o = kf_reservation_next(state < 0 ? KF_RES_HELD : (kf_res_state)state,
                                           KF_RES_RESCHEDULE, &facts);
    if (o.refused) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_CONFLICT, o.refused);
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const char *old_professional = v[RF_PROFESSIONAL];
    /* the hold is used up (its slot passes to the booking), then the booking moves there */
    kf_res_outcome u = kf_reservation_next(KF_RES_HELD, KF_RES_HOLD_USED, NULL);
    apr_status_t rv = kfm_booking_move(&c, kr->db, hv[RH_ID], KF_RES_HELD, &u, NULL);
    const char *margs[] = {hv[RH_ID], v[RF_ID], v[RF_STATUS]};
    kfm_rows *moved = NULL;
    if (rv == APR_SUCCESS) {
        rv = kfm_db_select(r, kr->db, "kf_resched_slot", &moved, 3, margs);
    }
    if (rv == APR_SUCCESS && kfm_db_rows(kr->db, moved) != 1) {
        rv = APR_EGENERAL;
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_move(&c, kr->db, v[RF_ID], (kf_res_state)state, &o, NULL);
    }
    if (rv == APR_EAGAIN) {
        rv = APR_EGENERAL;   /* both rows were locked as read: this cannot happen */
    }
    const char *now_at[3] = {NULL, NULL, NULL};
    if (rv == APR_SUCCESS) {
        kfm_db_row(kr->db, r->pool, moved, 0, now_at, 3);
    }
    const char *start = now_at[MOVED_START], *end = now_at[MOVED_END];
    const char *new_professional = now_at[MOVED_PROFESSIONAL];
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_effects(&c, kr->db, v[RF_ID], &o);
    }
    if (rv == APR_SUCCESS) {
        json_t *changes = json_pack("{s:s, s:s, s:s}", "start", start, "professional_id",
                                    new_professional, "by", by_merchant ? "merchant" : "customer");
        rv = by_merchant
                 ? kfm_audit(kr, kr->db, "booking.reschedule", "booking", v[RF_ID], changes)
                 : kfm_audit_as(kr, kr->db, v[RF_TENANT], NULL, "booking.reschedule", "booking",
                               v[RF_ID], changes);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    *moved_out = 1;
    kfm_availability_cache_bump_professional(kr, old_professional);
    if (strcmp(old_professional, new_professional) != 0) {
        kfm_availability_cache_bump_professional(kr, new_professional);
    }
    json_t *booking = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", v[RF_ID], "status", v[RF_STATUS],
                                "start", start, "end", end, "professional", new_professional);
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:o}", "booking", booking));
}

int kfm_handle_public_booking_reschedule(kfm_req *kr)
{
    const char *bargs[5];
    json_t *body = NULL;
    if (!kfm_public_booking_args(kr, kfm_public_bearer(kr), bargs)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    const char *hold_token = NULL;
    if (kf_json_get_string(body, "hold_token", &hold_token) != KF_JSON_FIELD_OK ||
        !kf_token_shape_ok(hold_token)) {
        return kfm_reply_fields(kr, json_pack("{s:s}", "hold_token",
                                             kf_message("hold_token_invalid", kr->locale)));
    }
    int moved = 0;
    return reschedule_with_hold(kr, "kf_resched_booking", 5, bargs,
                                kf_sha256_hex(kr->r->pool, hold_token, strlen(hold_token)), 0,
                                &moved);
}

/* {"start", "professional"?}: field errors, or NULL with *start and *professional (NULL:
 * the booking's own). */
static json_t *admin_fields(kfm_req *kr, json_t *body, apr_int64_t *start,
                            const char **professional)
{
    json_t *fields = json_object();
    const char *start_text = NULL;
    kf_json_field f = kf_json_get_string(body, "start", &start_text);
    if (f == KF_JSON_FIELD_ABSENT || f == KF_JSON_FIELD_NULL) {
        json_object_set_new(fields, "start", json_string(kf_message("field_required", kr->locale)));
    }
    else if (f == KF_JSON_FIELD_WRONG_TYPE) {
        json_object_set_new(fields, "start", json_string(kf_message("field_wrong_type", kr->locale)));
    }
    else if (kf_time_parse_rfc3339(start_text, start) == KF_TIME_INVALID) {
        json_object_set_new(fields, "start", json_string(kf_message("start_invalid", kr->locale)));
    }
    *professional = NULL;
    f = kf_json_get_string(body, "professional", professional);
    if (f == KF_JSON_FIELD_WRONG_TYPE) {
        json_object_set_new(fields, "professional",
                            json_string(kf_message("field_wrong_type", kr->locale)));
    }
    else if (f == KF_JSON_FIELD_OK && !kf_is_uuid(*professional)) {
        json_object_set_new(fields, "professional",
                            json_string(kf_message("professional_id_invalid", kr->locale)));
    }
    else if (f != KF_JSON_FIELD_OK) {
        *professional = NULL;
    }
    if (json_object_size(fields) == 0) {
        json_decref(fields);
        return NULL;
    }
    return fields;
}

int kfm_handle_admin_booking_reschedule(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *id = NULL;
    json_t *body = NULL;
    if (!kfm_admin_booking_action(kr, &id, &body)) {
        return OK;
    }
    apr_int64_t start = 0;
    const char *professional = NULL;
    json_t *fields = admin_fields(kr, body, &start, &professional);
    if (fields) {
        return kfm_reply_fields(kr, fields);
    }
    /* the booking and what the policy says before a slot is taken for it (read only: the
     * move itself locks and asks again) */
    const char *args[] = {id, kr->session->tenant.id};
    kfm_rows *res = NULL;
    if (kfm_db_select(r, kr->db, "kf_resched_booking_admin", &res, 2, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (kfm_db_rows(kr->db, res) != 1) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    const char *v[RF_COLUMNS];
    kfm_db_row(kr->db, r->pool, res, 0, v, RF_COLUMNS);
    int state = kf_res_state_parse(v[RF_STATUS]);
    kf_res_facts facts = {0};
    facts.by_merchant = 1;
    facts.slot_free = 1;
    kf_res_outcome o = kf_reservation_next(state < 0 ? KF_RES_HELD : (kf_res_state)state,
                                           KF_RES_RESCHEDULE, &facts);
    if (o.refused) {
        return kfm_reply_error(kr, HTTP_CONFLICT, o.refused);
    }
    /* the start must be offered now, exactly as a hold through the booking's link: the same
     * check, the same insert (not counted in the funnel) */
    kfm_hold hold;
    const char *code = v[RF_LINK]
                           ? kfm_hold_take(kr, v[RF_LINK], v[RF_SUBDOMAIN], v[RF_SERVICE],
                                           professional ? professional : v[RF_PROFESSIONAL],
                                           start, 0, NULL, 0, &hold)
                           : "slot_unavailable";
    if (!code) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (strcmp(code, "professional_not_found") == 0) {
        return kfm_reply_fields(kr, json_pack("{s:s}", "professional",
                                             kf_message("professional_not_offering", kr->locale)));
    }
    if (strcmp(code, "ok") != 0) {
        /* taken, outside hours or off the grid; or the booking's link no longer offers
         * anything (deactivated, expired) */
        kfm_log(kr, APLOG_INFO, "merchant reschedule of %s refused: %s", id, code);
        return kfm_reply_error(kr, HTTP_CONFLICT, "slot_unavailable");
    }
    int moved = 0;
    int ret = reschedule_with_hold(kr, "kf_resched_booking_admin", 2, args, hold.token_hash, 1,
                                   &moved);
    if (!moved) {
        /* refused meanwhile (cancelled in between) or failed: the slot is not kept */
        kfm_ctx c = kfm_ctx_of_request(r);
        kf_res_outcome d = kf_reservation_next(KF_RES_HELD, KF_RES_RELEASE, NULL);
        if (kfm_booking_move(&c, kr->db, hold.id, KF_RES_HELD, &d, NULL) == APR_SUCCESS) {
            kfm_availability_cache_bump_professional(kr, hold.professional);
        }
    }
    return ret;
}
