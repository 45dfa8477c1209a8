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
 * row, both professionals' availability bumped.
 * Scope "rest" of an occurrence of a series (API.md "Series, seats and teams"): its later
 * occurrences still active move with it in the same transaction (mod_kf_reschedule_rest.c
 * decides and places them), each recorded with the same effects as the one asked; the first
 * of them another booking holds refuses the whole move (409 slot_unavailable naming it), as a
 * series' hold does. */
#include "mod_kf_changes_feature.h"
#include "mod_kf_changes_columns.h"
#include "mod_kf_reschedule_rest.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_admin_bookings.h"
#include "mod_kf_bookings_feature.h"
#include "mod_kf_audit.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_holds.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_api_error.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_reschedule.h"
#include "kf_reservation.h"
#include "kf_series.h"
#include "kf_text.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

const kfm_sql kfm_reschedule_sql[] = {
    /* id, token hash (booking or mails'), host subdomain */
    {"kf_resched_booking",
     KFM_RESCHED_FACTS
     " WHERE r.id = %s::uuid AND " KFM_SQL_TOKEN_OPENS("r")
     "   AND (%s::text IS NULL OR t.subdomain = %s::text) FOR UPDATE OF r"},
    /* id, the session's tenant */
    {"kf_resched_booking_admin",
     KFM_RESCHED_FACTS " WHERE r.id = %s::uuid AND r.tenant_id = %s::uuid FOR UPDATE OF r"},
    /* the hold, by its token hash: live or not (an expired hold answers hold_expired) */
    {"kf_resched_hold",
     "SELECT " KFM_SQL_COLUMNS(KFM_RESCHED_HOLD_COLUMNS)
     " FROM reservations r WHERE r.hold_token_hash = %s FOR UPDATE"},
    /* hold id, booking id, its state as read: the booking takes the used hold's slot (a
     * class's: its seat; a team's: its members, sql/084), its time before kept (the status is the state machine's:
     * kfm_booking_move) */
    {"kf_resched_slot",
     "WITH h AS (SELECT starts_at, ends_at, blocked, professional_id, seat, team_ids"
     "   FROM reservations WHERE id = %s::uuid),"
     " up AS (UPDATE reservations r SET previous_starts_at = r.starts_at,"
     "   previous_ends_at = r.ends_at, starts_at = h.starts_at, ends_at = h.ends_at,"
     "   blocked = h.blocked, professional_id = h.professional_id, seat = h.seat,"
     "   team_ids = h.team_ids,"
     "   reschedule_count = r.reschedule_count + 1, ics_sequence = r.ics_sequence + 1,"
     "   updated_at = now() FROM h WHERE r.id = %s::uuid AND r.status = %s RETURNING r.id)"
     " SELECT " KFM_SQL_COLUMNS(KFM_RESCHED_SLOT_COLUMNS) " FROM h, up"},
    /* id: a booking moved in its professional's calendar */
    {"kf_resched_booking_calendar", KFM_RESCHED_FACTS " WHERE r.id = %s::uuid FOR UPDATE OF r"},
    /* id, new start (seconds), same: whether the booking's blocked range at the new start
     * (its length and its service's buffers) is free of the professional's other bookings.
     * A seat of a class never is: its event is the class's, shared with the other seats,
     * and each customer moves their own seat */
    {"kf_resched_calendar_free",
     "SELECT NOT EXISTS (SELECT 1 FROM reservations r JOIN services s ON s.id = r.service_id"
     "   WHERE r.id = %s::uuid AND (r.seat IS NOT NULL OR EXISTS (SELECT 1 FROM reservations o"
     "     WHERE o.professional_id = r.professional_id AND o.id <> r.id"
     "     AND o.status IN " KFM_SQL_ACTIVE_STATES " AND NOT " KFM_SQL_DUE("o")
     "     AND o.blocked && tstzrange(to_timestamp(%s::bigint)"
     "       - make_interval(mins => s.buffer_before_minutes), to_timestamp(%s::bigint)"
     "       + (r.ends_at - r.starts_at) + make_interval(mins => s.buffer_after_minutes)))))"},
    /* the booking at the new start (KFM_RESCHED_TO_SQL) */
    {"kf_resched_to", KFM_RESCHED_TO_SQL("")},
    {NULL, NULL},
};

/* A moved booking's state, effects and audit row (its slot already taken), in the caller's
 * transaction. */
static apr_status_t record_move(kfm_req *kr, const char *const *v, const kf_res_outcome *o,
                                const char *const *now_at, int by_merchant)
{
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    const char *id = v[KF_RESCHED_COL_ID];
    apr_status_t rv = kfm_booking_move(&c, kr->db, id,
                                       (kf_res_state)kf_res_state_parse(v[KF_RESCHED_COL_STATUS]),
                                       o, NULL);
    /* APR_NOTFOUND, APR_EAGAIN: the row was locked as read, this cannot happen */
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_effects(&c, kr->db, id, o);
    }
    if (rv == APR_SUCCESS) {
        json_t *changes = kf_reschedule_audit_changes(now_at, by_merchant);
        rv = by_merchant
                 ? kfm_audit(kr, kr->db, "booking.reschedule", "booking", id, changes)
                 : kfm_audit_as(kr, kr->db, v[KF_RESCHED_COL_TENANT], NULL, "booking.reschedule",
                                "booking", id, changes);
    }
    return rv;
}

/* 409 slot_unavailable naming the occurrence taken, as a series' hold answers it. */
static int reply_occurrence_taken(kfm_req *kr, const char *start)
{
    json_t *err = kf_api_error(kr->locale, "slot_unavailable", "slot_unavailable", NULL);
    json_object_set_new(json_object_get(err, "error"), "occurrence",
                        json_pack("{s:s}", "start", start));
    return kfm_reply_json(kr, HTTP_CONFLICT, err);
}

/* The move, for both doors: locks the booking (facts_label with args) and the hold (by its
 * token hash), asks the state machine, and in one transaction uses the hold up, moves the
 * booking (`rest`: and its series' later occurrences), queues the callbacks and the mails and
 * writes the audit rows; then answers. *moved: 1 when the booking moved (the hold is used
 * up), else the answer is an error. */
static int reschedule_with_hold(kfm_req *kr, const char *facts_label, int nargs,
                                const char **args, const char *hold_hash, int by_merchant,
                                int rest, int *moved_out)
{
    request_rec *r = kr->r;
    kfm_tx tx;
    const char *v[KF_RESCHED_COL_COUNT], *hv[KF_RESCHED_HOLD_COL_COUNT] = {NULL};
    *moved_out = 0;
    if (!kfm_booking_lock(kr, facts_label, nargs, args, &tx, v, KF_RESCHED_COL_COUNT)) {
        return OK;
    }
    const char *hargs[] = {hold_hash};
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_resched_hold", 1, hargs, hv,
                                        KF_RESCHED_HOLD_COL_COUNT);
    if (rv != APR_SUCCESS && rv != APR_NOTFOUND) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    int have_hold = rv == APR_SUCCESS;
    kf_res_facts facts = kf_reschedule_facts(v, have_hold ? hv : NULL, by_merchant);
    kf_res_outcome o = kf_change_next(v[KF_RESCHED_COL_STATUS], KF_RES_RESCHEDULE, &facts);
    if (o.refused) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, o.refused);
    }
    kfm_later_move *later = NULL;
    const char *refused = NULL;
    int nlater = rest ? kfm_reschedule_rest_decide(kr, v, by_merchant, &later, &refused) : 0;
    if (nlater < 0) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (refused) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_CONFLICT, refused);
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const char *old_professional = v[KF_RESCHED_COL_PROFESSIONAL];
    /* the hold is used up (its slot passes to the booking), then the booking moves there */
    kf_res_outcome u = kf_reservation_next(KF_RES_HELD, KF_RES_HOLD_USED, NULL);
    rv = kfm_booking_move(&c, kr->db, hv[KF_RESCHED_HOLD_COL_ID], KF_RES_HELD, &u, NULL);
    const char *margs[] = {hv[KF_RESCHED_HOLD_COL_ID], v[KF_RESCHED_COL_ID], v[KF_RESCHED_COL_STATUS]};
    const char *now_at[KF_RESCHED_MOVED_COL_COUNT] = {NULL};
    if (rv == APR_SUCCESS) {
        rv = kfm_db_select_row(r, kr->db, r->pool, "kf_resched_slot", 3, margs, now_at,
                               KF_RESCHED_MOVED_COL_COUNT);
    }
    const char *taken = NULL;
    if (rv == APR_SUCCESS && nlater > 0) {
        rv = kfm_reschedule_rest_place(kr, v, now_at, later, nlater, &taken);
    }
    if (rv == APR_SUCCESS && taken) {
        kfm_db_rollback(r, &tx);
        return reply_occurrence_taken(kr, taken);
    }
    /* the one asked, then the later ones, each with its own notices, callback and audit */
    if (rv == APR_SUCCESS) {
        rv = record_move(kr, v, &o, now_at, by_merchant);
    }
    for (int i = 0; rv == APR_SUCCESS && i < nlater; i++) {
        rv = record_move(kr, later[i].v, &later[i].o, later[i].now_at, by_merchant);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    *moved_out = 1;
    kfm_availability_cache_bump_professional(kr, old_professional);
    const char *new_professional = now_at[KF_RESCHED_MOVED_COL_PROFESSIONAL];
    if (strcmp(old_professional, new_professional) != 0) {
        kfm_availability_cache_bump_professional(kr, new_professional);
    }
    json_t *reply = kf_reschedule_reply(v, now_at);
    if (v[KF_RESCHED_COL_SERIES_INDEX] &&
        kfm_booking_series_add(kr, v[KF_RESCHED_COL_ID], json_object_get(reply, "booking")) !=
            APR_SUCCESS) {
        json_decref(reply);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, reply);
}

int kfm_handle_public_booking_reschedule(kfm_req *kr)
{
    const char *bargs[5];
    json_t *body = NULL;
    if (!kfm_public_booking_args(kr, kfm_public_bearer(kr), bargs)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (kfm_public_booking_token_expired(kr, bargs)) {
        return kfm_reply_error(kr, HTTP_GONE, "token_expired");
    }
    if (kfm_read_json(kr, &body) != APR_SUCCESS) {
        return OK;
    }
    kf_fields f;
    kf_fields_init(&f, kr->r->pool, kr->locale);
    const char *hold_hash = kf_reschedule_hold_hash(kr->r->pool, &f, body);
    int rest = kf_series_scope_read(&f, body);
    if (!hold_hash || !kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    int moved = 0;
    return reschedule_with_hold(kr, "kf_resched_booking", 5, bargs, hold_hash, 0, rest, &moved);
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
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    kf_reschedule_merchant_read(&f, body, &start, &professional);
    int rest = kf_series_scope_read(&f, body);
    if (!kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    /* the booking and what the policy says before a slot is taken for it (read only: the
     * move itself locks and asks again) */
    const char *args[] = {id, kr->session->tenant.id};
    const char *v[KF_RESCHED_COL_COUNT];
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_resched_booking_admin", 2, args,
                                        v, KF_RESCHED_COL_COUNT);
    if (rv == APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "booking_not_found");
    }
    if (rv != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *refused = kf_reschedule_merchant_refusal(v[KF_RESCHED_COL_STATUS]);
    if (refused) {
        return kfm_reply_error(kr, HTTP_CONFLICT, refused);
    }
    /* the start must be offered now, exactly as a hold through the booking's link: the same
     * check, the same insert (not counted in the funnel) */
    kfm_hold hold;
    const char *code = v[KF_RESCHED_COL_LINK]
                           ? kfm_hold_take(kr, v[KF_RESCHED_COL_LINK], v[KF_RESCHED_COL_SUBDOMAIN], v[KF_RESCHED_COL_SERVICE],
                                           professional ? professional : v[KF_RESCHED_COL_PROFESSIONAL],
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
        /* of a series' rest, the occurrence asked is the first one taken */
        return rest && v[KF_RESCHED_COL_SERIES_INDEX]
                   ? reply_occurrence_taken(kr, kf_time_utc_text(r->pool, start))
                   : kfm_reply_error(kr, HTTP_CONFLICT, "slot_unavailable");
    }
    int moved = 0;
    int ret = reschedule_with_hold(kr, "kf_resched_booking_admin", 2, args, hold.token_hash, 1,
                                   rest, &moved);
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

apr_status_t kfm_booking_moved_in_calendar(kfm_req *kr, const char *booking_id,
                                           apr_int64_t start, const char *note)
{
    request_rec *r = kr->r;
    kfm_tx tx;
    const char *at = kfm_db_int64(r->pool, start);
    const char *args[] = {booking_id};
    const char *fargs[] = {booking_id, at, at};
    const char *v[KF_RESCHED_COL_COUNT], *slot_free = NULL;
    if (kfm_db_begin(r, kr->db, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (kfm_db_select_row(r, kr->db, r->pool, "kf_resched_booking_calendar", 1, args, v,
                          KF_RESCHED_COL_COUNT) != APR_SUCCESS ||
        kfm_db_select_row(r, kr->db, r->pool, "kf_resched_calendar_free", 3, fargs, &slot_free,
                          1) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return APR_EGENERAL;
    }
    int state = kf_res_state_parse(v[KF_RESCHED_COL_STATUS]);
    /* the professional's side moved it: no cutoff nor limit; the time must be free here */
    kf_res_facts facts = kf_reschedule_facts(v, NULL, 1);
    facts.slot_free = kf_text_true(slot_free);
    kf_res_outcome o = kf_change_next(v[KF_RESCHED_COL_STATUS], KF_RES_RESCHEDULE, &facts);
    if (o.refused) {
        kfm_db_rollback(r, &tx);
        return strcmp(o.refused, "slot_unavailable") == 0 ? APR_EBUSY : APR_SUCCESS;
    }
    kfm_ctx c = kfm_ctx_of_request(r);
    const char *margs[] = {booking_id, at, at, at, at, booking_id, v[KF_RESCHED_COL_STATUS]};
    const char *now_at[KF_RESCHED_MOVED_COL_COUNT] = {NULL};
    apr_status_t rv = kfm_db_select_row(r, kr->db, r->pool, "kf_resched_to", 7, margs, now_at,
                                        KF_RESCHED_MOVED_COL_COUNT);
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_move(&c, kr->db, booking_id, (kf_res_state)state, &o, NULL);
    }
    if (rv == APR_SUCCESS) {
        rv = kfm_booking_effects(&c, kr->db, booking_id, &o);
    }
    if (rv == APR_SUCCESS) {
        json_t *changes = kf_reschedule_audit_changes(now_at, 1);
        json_object_set_new(changes, "note", json_string(note));
        rv = kfm_audit_as(kr, kr->db, v[KF_RESCHED_COL_TENANT], NULL, "booking.reschedule",
                          "booking", booking_id, changes);
    }
    if (rv != APR_SUCCESS || kfm_db_commit(r, &tx) != APR_SUCCESS) {
        kfm_db_rollback(r, &tx);
        return APR_EGENERAL;
    }
    kfm_log(kr, APLOG_INFO, "booking %s moved in its professional's calendar", booking_id);
    kfm_availability_cache_bump_professional(kr, v[KF_RESCHED_COL_PROFESSIONAL]);
    return APR_SUCCESS;
}
