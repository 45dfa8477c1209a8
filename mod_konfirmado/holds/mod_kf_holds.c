/* POST /api/public/holds and DELETE /api/public/holds/{id} (API.md "Public booking API").
 *
 * A hold is accepted only for a start the availability engine offers right now: one
 * statement (kf_hold_judge_one/_any, the availability statement's facts around that start)
 * reads what judges that one start, and the same slot engine decides over the
 * period [start, start + 1 s); the client network's live holds are counted in the same
 * round trip. Where the child kept those facts from an earlier hold, they judge it with no
 * read, and the insert proves them current (kf_hold_insert_unchecked) or the hold is judged
 * again on facts read then. The slot is then taken
 * by one INSERT ... ON CONFLICT DO NOTHING into reservations, whose exclusion constraint
 * makes two overlapping active reservations of one professional impossible on any number
 * of servers. Only when it refuses are the overlapping holds and payment windows that
 * already ran out marked expired, and the insert tried once more behind that expiry. A
 * group class's hold takes a numbered seat instead (kf_hold_seat), the same way twice. A
 * collective service's hold is the same insert: the row holds its whole team (sql/084), so
 * the constraint refuses it when any member is taken, and nothing is held. */
#include "mod_kf_holds_feature.h"
#include "mod_kf_holds_conf.h"
#include "mod_kf_booking_state.h"
#include "mod_kf_calendar.h"
#include "mod_kf_sql.h"
#include "mod_kf_ratelimit.h"
#include "mod_kf_holds.h"
#include "mod_kf_holds_sql.h"
#include "mod_kf_availability_cache.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"
#include "kf_reservation.h"
#include "kf_hold_request.h"
#include "kf_assign.h"
#include "mod_kf_zones.h"
#include "kf_seats.h"


/* Columns of kf_hold_of_token. */
#define HOLD_OF_TOKEN_COLUMNS(FIRST, NEXT)                                                  \
    FIRST(OF_TOKEN_STATUS, "r.status")                                                      \
    NEXT(OF_TOKEN_PROFESSIONAL, "r.professional_id::text")
enum { HOLD_OF_TOKEN_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) OF_TOKEN_COLUMNS };

const kfm_sql kfm_holds_sql[] = {
    /* tenant, service, professional, link, start and end epochs, blocked range's start and
     * end (epochs), token hash, ttl seconds, client network, visit, whether it counts in the
     * funnel (a customer's hold; not a merchant's move): all from the judgement
     * (kf_hold_judge_* and the slot engine), so nothing is read again here. One statement,
     * one transaction: the exclusion constraint decides. */
    {"kf_hold_insert", HOLD_INSERT_SQL},
    /* The same for a slot judged on facts kept in the process, with what proves them current
     * (mod_kf_holds_sql.h): one round trip where the check and the insert took two. */
    {"kf_hold_insert_unchecked", HOLD_INSERT_UNCHECKED_SQL},
    /* The same, once the first was refused: the holds and payment windows that ran out and
     * overlap the range are marked expired first (the insert waits for `e`'s row). Apart
     * because a slot is rarely held by one of those: the sweep clears them within
     * KonfirmadoExpiryInterval, and the free slot's insert needs no row locked. One more
     * argument after the insert's: the state machine's expire moves (kf_res_expiry_moves). */
    {"kf_hold_insert_freeing",
     HOLD_INSERT_ARGS
     " e AS MATERIALIZED (SELECT kf_expire_due(a.prof_id, a.blocked_range, NULL, %s::jsonb) AS n"
     "  FROM a),"
     HOLD_INSERT_ROW("a CROSS JOIN e")},
    /* A seat of a group class: the insert's arguments, then NULL or the expire moves. The
     * unique index of a class's seats and the exclusion constraint decide (sql/082). */
    {"kf_hold_seat", HOLD_SEAT_SQL},
    /* id, token hash, host subdomain (NULL: platform): the hold its token opens, locked */
    {"kf_hold_of_token",
     "SELECT " KFM_SQL_COLUMNS(HOLD_OF_TOKEN_COLUMNS) " FROM reservations r JOIN tenants t"
     "  ON t.id = r.tenant_id WHERE r.id = %s::uuid AND r.hold_token_hash = %s"
     "  AND (%s::text IS NULL OR t.subdomain = %s::text) FOR UPDATE OF r"},
    {NULL, NULL},
};


/* A series' hold taken (kfm_hold_take_series), answered: its occurrences, or the field in
 * fault, or the first occurrence taken. */
static int reply_series(kfm_req *kr, const kf_hold_request *h, const char *subdomain,
                        const char *network, int limit)
{
    request_rec *r = kr->r;
    kfm_hold_series s;
    const char *code = kfm_hold_take_series(kr, h, subdomain, network, limit, &s);
    kfm_req_db_give_back(kr);
    if (!code) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (strcmp(code, "active_hold_limit") == 0) {
        return kfm_reply_too_many_requests(kr, s.first.retry_after);
    }
    if (strcmp(code, "validation_failed") == 0) {
        kf_fields f;
        kf_fields_init(&f, r->pool, kr->locale);
        kf_fields_fail(&f, s.field, s.why);
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    if (strcmp(code, "slot_unavailable") == 0) {
        json_t *err = kf_api_error(kr->locale, code, code, NULL);
        json_object_set_new(json_object_get(err, "error"), "occurrence",
                            json_pack("{s:s}", "start", s.refused_at));
        return kfm_reply_json(kr, HTTP_CONFLICT, err);
    }
    if (strcmp(code, "ok") != 0) {
        return kfm_reply_error(kr, kf_api_public_status(code), code);
    }
    json_t *reply = kf_hold_reply(s.first.id, s.first.token, s.first.professional, s.first.start,
                                  s.first.end, s.first.expires_at);
    return kfm_reply_json(kr, HTTP_CREATED, kf_hold_series_reply(reply, s.starts, s.ends,
                                                                 s.count));
}

int kfm_handle_public_hold_create(kfm_req *kr)
{
    request_rec *r = kr->r;
    kf_hold_request h;
    const char *subdomain = NULL;
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    kf_hold_request_read(&f, kr->body, &h);
    if (!kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    const char *refused = !kfm_public_host(kr, &subdomain) ? "link_not_found"
                                                           : kf_hold_request_refusal(&h);
    if (refused) {
        return kfm_reply_error(kr, kf_api_public_status(refused), refused);
    }

    /* A connection only from here to the hold taken: neither a client sending its body
     * slowly nor the answer being written keeps one of the pool's DBDMax. */
    int rc;
    if (!kfm_req_db_own(kr, &rc)) {
        return rc;
    }
    /* At most KonfirmadoActiveHoldLimit live holds per client network, as every per-client
     * limit counts a client: one visitor cannot sit on a professional's whole day, from one
     * address or from all of an IPv6 /64 (counted in kfm_hold_take's one statement). */
    kfm_hold hold;
    int limit = kfm_holds_conf_active_hold_limit(kfm_holds_conf_of(r->server));
    const char *network = kfm_limit_network(r, kr->conf);
    if (h.repeat || h.count) {
        return reply_series(kr, &h, subdomain, network, limit);
    }
    const char *code = kfm_hold_take(kr, h.link, subdomain, h.service, h.any ? NULL : h.professional,
                                     h.start, 1, network, limit, &hold);
    kfm_req_db_give_back(kr);
    if (code && strcmp(code, "active_hold_limit") == 0) {
        kfm_log(kr, APLOG_INFO, "hold refused: %s holds %d active holds already", network,
               limit);
        return kfm_reply_too_many_requests(kr, hold.retry_after);
    }
    if (!code) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (strcmp(code, "ok") != 0) {
        return kfm_reply_error(kr, kf_api_public_status(code), code);
    }
    return kfm_reply_json(kr, HTTP_CREATED, kf_hold_reply(hold.id, hold.token, hold.professional,
                                                         hold.start, hold.end, hold.expires_at));
}


/* Judged again: kfm_hold_take's facts kept in the process were not proven current. */
static const char judge_again[] = "judge_again";

/* kfm_hold_take, judged on facts kept in the process without proving them first when
 * `kept`: judge_again when its insert finds them out of date, or they refuse the slot. */
static const char *take(kfm_req *kr, const char *link, const char *subdomain,
                        const char *service, const char *professional, apr_int64_t start,
                        int funnel, const char *client_network, int active_limit, int kept,
                        kfm_hold *out)
{
    request_rec *r = kr->r;
    kfm_availability av;
    if ((kept ? kfm_hold_judge_load_kept : kfm_hold_judge_load)(
            kr, link, subdomain, service, professional, start, client_network, active_limit,
            &av) != APR_SUCCESS) {
        return NULL;
    }
    /* judged on facts nothing proved current yet: only a slot to take goes on (its insert
     * proves them); a refusal, or a team's judgement, is made again on proven facts */
    if (av.unchecked_versions && (strcmp(av.status, "ok") != 0 || av.params.team)) {
        return judge_again;
    }
    if (client_network && kf_hold_limit_reached(av.active_holds, active_limit)) {
        out->retry_after = kf_hold_retry_after((long)av.first_hold_ends_in);
        return "active_hold_limit";
    }
    if (strcmp(av.status, "ok") != 0) {
        return av.status;
    }
    /* a collective service is judged over its whole team, whichever member was named (a
     * merchant's reschedule names the booking's) */
    if (professional && av.params.team) {
        professional = NULL;
        if (kfm_hold_judge_load(kr, link, subdomain, service, NULL, start, NULL, 0, &av) !=
            APR_SUCCESS) {
            return NULL;
        }
        if (strcmp(av.status, "ok") != 0) {
            return av.status;
        }
    }
    if (kfm_hold_refresh_busy(kr, &av) &&
        (!kr->db ||
         kfm_hold_judge_load(kr, link, subdomain, service, professional, start, NULL, 0, &av)
             != APR_SUCCESS)) {
        return NULL;
    }
    kf_slot *slots = NULL;
    int n = kfm_availability_slots(kr, &av, KF_SLOTS_ALL, &slots);
    kf_assign_candidate *free_at_start = NULL;
    int nfree = kfm_hold_free_professionals(kr, &av, slots, n, start, &free_at_start);
    if (nfree < 0) {
        return NULL;
    }
    const char *token = kf_random_token(r->pool, 32);
    const char *token_hash = kf_sha256_hex(r->pool, token, strlen(token));

    /* in the link's order: one taken by someone else meanwhile (the exclusion constraint
     * refused the insert) leaves the slot to the next */
    for (int i = 0; i < nfree; i++) {
        const kf_slot *slot = &slots[free_at_start[i].slot];
        const char *made[KFM_HOLD_COLUMN_COUNT];
        int taken = kfm_hold_try(kr, service, funnel, kfm_limit_network(r, kr->conf), &av, slot,
                                 token_hash, made);
        if (taken < 0) {
            return NULL;
        }
        if (taken == KFM_HOLD_JUDGE_AGAIN) {
            return judge_again;
        }
        if (!taken) {
            continue;
        }
        /* committed: cached availability of this professional is out of date (expired rows
         * marked on the way were not blocking anything, so a refused insert changed nothing
         * that availability shows); a team's hold holds every member (sql/084): each one's */
        for (int k = 0; k < av.nprof; k++) {
            if (av.params.team || k == slot->prof) {
                kfm_availability_cache_bump_professional(kr, av.prof_ids[k]);
            }
        }
        out->id = made[KFM_HOLD_ID];
        out->token = token;
        out->token_hash = token_hash;
        out->professional = av.prof_ids[slot->prof];
        out->start = made[KFM_HOLD_START];
        out->end = made[KFM_HOLD_END];
        out->expires_at = made[KFM_HOLD_EXPIRES];
        return "ok";
    }
    return av.unchecked_versions ? judge_again : "slot_unavailable";
}

const char *kfm_hold_take(kfm_req *kr, const char *link, const char *subdomain,
                          const char *service, const char *professional, apr_int64_t start,
                          int funnel, const char *client_network, int active_limit,
                          kfm_hold *out)
{
    const char *code = take(kr, link, subdomain, service, professional, start, funnel,
                            client_network, active_limit, 1, out);
    return code != judge_again ? code
                               : take(kr, link, subdomain, service, professional, start, funnel,
                                      client_network, active_limit, 0, out);
}

int kfm_handle_public_hold_release(kfm_req *kr)
{
    const char *id = apr_table_get(kr->params, "id");
    const char *token = kfm_public_bearer(kr);
    const char *subdomain = NULL;
    if (!kfm_public_host(kr, &subdomain) || !kf_is_uuid(id) || !token) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    /* only a hold can be let go of; anything else is not found (no hint what it became) */
    const char *args[] = {id, kf_sha256_hex(kr->r->pool, token, strlen(token)), subdomain,
                          subdomain};
    kfm_ctx c = kfm_ctx_of_request(kr->r);
    kfm_tx tx;
    const char *hold[OF_TOKEN_COLUMNS];
    apr_status_t found = kfm_db_begin(kr->r, kr->db, &tx) == APR_SUCCESS
                             ? kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_hold_of_token", 4,
                                                 args, hold, OF_TOKEN_COLUMNS)
                             : APR_EGENERAL;
    if (found != APR_SUCCESS && found != APR_NOTFOUND) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    int state = found == APR_SUCCESS ? kf_res_state_parse(hold[OF_TOKEN_STATUS]) : -1;
    kf_res_outcome o = kf_reservation_next(state < 0 ? KF_RES_CANCELLED : (kf_res_state)state,
                                           KF_RES_RELEASE, NULL);
    if (state < 0 || o.refused) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_NOT_FOUND, "not_found");
    }
    apr_status_t rv = kfm_booking_move(&c, kr->db, id, (kf_res_state)state, &o, NULL);
    if (rv != APR_SUCCESS || kfm_db_commit(kr->r, &tx) != APR_SUCCESS) {
        return kfm_rollback_and_reply(kr, &tx, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_availability_cache_bump_professional(kr, hold[OF_TOKEN_PROFESSIONAL]);
    return kfm_reply_empty(kr, HTTP_NO_CONTENT);
}
