/* GET /api/public/links/{link}/availability (API.md "Public booking API"): one statement
 * loads everything, the slot engine (lib/availability/kf_slots.c) computes, and the answer is written
 * straight into one buffer: no per-slot query and no per-slot allocation. Answers are
 * kept in the shared availability cache (mod_kf_availability_cache.h) until a write of this
 * server changes them, the clock does, or their short TTL ends. */
#include "mod_kf_availability_feature.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_public_request.h"
#include "mod_kf_availability_facts.h"
#include "kf_availability_answer.h"
#include "mod_kf_db_read.h"
#include "mod_kf_zones.h"
#include "kf_series.h"
#include "kf_time.h"

#include "util_script.h"

/* The facts of days `days` (the request's, and for a series the later weeks it reaches):
 * facts this child keeps may answer with no connection; else one is taken (the read
 * replica's, when there is one within its lag), and goes back to the pool as soon as the
 * facts are read: the slots are computed and the answer written without it. `rc` is the
 * answer when no connection could be had (APR_EINIT returned). */
static apr_status_t load(kfm_req *kr, const char *slug, const char *subdomain,
                         const kf_availability_query *q, int days, kfm_availability *av,
                         int *from_replica, int *rc)
{
    apr_status_t loaded = kfm_availability_load(kr, slug, subdomain, q->service, q->professional,
                                                q->from, days, q->tz, av);
    if (loaded == APR_EAGAIN) {
        if (!kfm_req_db_own_read(kr, rc)) {
            return APR_EINIT;
        }
        *from_replica = kr->db_replica;
        loaded = kfm_availability_load(kr, slug, subdomain, q->service, q->professional, q->from,
                                       days, q->tz, av);
        kfm_req_db_give_back(kr);
    }
    return loaded;
}

/* `repeat` and `count` (API.md "Series, seats and teams"): the starts whose every occurrence
 * is free, each judged as a single slot is but past the horizon (kf_series_slots.h). The facts
 * are read over the asked days and the weeks the series reaches past them; the answer is not
 * cached (few ask it, and its key would differ by every count). */
static int series_availability(kfm_req *kr, const char *slug, const char *subdomain,
                               const kf_availability_query *q, const char *repeat,
                               const char *count)
{
    request_rec *r = kr->r;
    int asked = count ? atoi(count) : 1;
    asked = asked < 1 ? 1 : asked > KF_SERIES_COUNT_MAX ? KF_SERIES_COUNT_MAX : asked;
    int reach = kf_series_span_days(kf_series_every_parse(repeat), asked);
    kfm_availability av;
    int from_replica = 0, rc = OK;
    apr_status_t loaded = load(kr, slug, subdomain, q, q->days + reach, &av, &from_replica, &rc);
    if (loaded == APR_EINIT) {
        return rc;
    }
    if (loaded != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (strcmp(av.status, "ok") != 0) {
        return kfm_reply_error(kr, kf_api_public_status(av.status), av.status);
    }
    kf_series_every every;
    int n;
    const char *why = NULL;
    const char *field = kf_series_asked(&av.series, repeat, count, &every, &n, &why);
    if (field) {
        kf_fields f;
        kf_fields_init(&f, r->pool, kr->locale);
        kf_fields_fail(&f, field, why);
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    apr_int64_t to = kfm_availability_days_end(kr, &av, q->days);
    kf_slot *slots = NULL;
    int m = kfm_availability_series_slots(kr, &av, every, n, av.params.from, to,
                                          KF_SLOTS_ONE_PER_START, &slots);
    if (m < 0) {
        kfm_log(kr, APLOG_ERR, "service of link %s has invalid slot parameters", slug);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    av.params.to = to;
    const char *json = NULL;
    apr_size_t len = 0;
    kf_availability_answer_json(r->pool, &av, q->days, slots, m, &json, &len);
    return kfm_reply_json_text(kr, HTTP_OK, json, len);
}

/* The answer to q computed from the facts (and, under `key`, kept in the cache): 1 with
 * *json and *len, else 0 with *rc the reply already made (an error); rc NULL: nothing is
 * replied (the answer has left already, this one only fills the cache). */
static int answer_of(kfm_req *kr, const char *slug, const char *subdomain,
                     kf_availability_query *q, const char *key, const char **json,
                     apr_size_t *len, int *rc)
{
    request_rec *r = kr->r;
    /* before the statement: see mod_kf_availability_cache.h */
    kfm_availability_gens *gens = key ? kfm_availability_cache_snapshot(kr) : NULL;
    kfm_availability av;
    int from_replica = 0;
    apr_status_t loaded = load(kr, slug, subdomain, q, q->days, &av, &from_replica, rc);
    /* a collective service is offered over its whole team, whichever member was named */
    if (loaded == APR_SUCCESS && strcmp(av.status, "ok") == 0 && av.params.team &&
        q->professional) {
        q->professional = NULL;
        loaded = load(kr, slug, subdomain, q, q->days, &av, &from_replica, rc);
    }
    if (loaded == APR_EINIT) {
        return 0;
    }
    kf_slot *slots = NULL;
    int n = 0;
    if (loaded == APR_SUCCESS && strcmp(av.status, "ok") == 0) {
        n = kfm_availability_slots(kr, &av, KF_SLOTS_ONE_PER_START, &slots);
        if (n < 0) {
            kfm_log(kr, APLOG_ERR, "service of link %s has invalid slot parameters", slug);
        }
    }
    if (loaded != APR_SUCCESS || n < 0) {
        if (rc) {
            *rc = kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        return 0;
    }
    if (strcmp(av.status, "ok") != 0) {
        if (rc) {
            *rc = kfm_reply_error(kr, kf_api_public_status(av.status), av.status);
        }
        return 0;
    }
    kf_availability_answer_json(r->pool, &av, q->days, slots, n, json, len);
    if (key) {
        apr_int64_t until = kf_availability_answer_stable_until(&av, q->from != NULL, slots, n);
        /* a replica's answer may be KonfirmadoReadMaxLag old already: kept no longer than
         * that again, so that a change it missed shows within twice the lag */
        apr_int64_t lag_bound = apr_time_sec(apr_time_now()) + kfm_db_read_max_lag();
        if (from_replica && until > lag_bound) {
            until = lag_bound;
        }
        kfm_availability_cache_put(kr, key, gens, &av, until, *json, *len);
    }
    return 1;
}

int kfm_handle_public_availability(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *slug = apr_table_get(kr->params, "link");
    const char *subdomain = NULL;
    apr_table_t *args = NULL;
    kf_availability_query q;

    if (!kfm_public_host(kr, &subdomain) || !kf_link_slug_ok(slug)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    ap_args_to_table(r, &args);
    const char *bad = kf_availability_query_check(
        apr_table_get(args, "service"), apr_table_get(args, "professional"),
        apr_table_get(args, "from"), apr_table_get(args, "days"), apr_table_get(args, "tz"), &q);
    if (bad) {
        return kfm_reply_error(kr, kf_api_public_status(bad), bad);
    }

    const char *repeat = apr_table_get(args, "repeat"), *count = apr_table_get(args, "count");
    if (repeat || count) {
        return series_availability(kr, slug, subdomain, &q, repeat, count);
    }

    const char *key = NULL, *json = NULL;
    apr_size_t len = 0;
    if (kfm_availability_cache_enabled()) {
        key = kf_availability_answer_key(r->pool, subdomain, slug, &q);
        if (kfm_availability_cache_get(kr, key, &json, &len)) {
            int replied = kfm_reply_json_text(kr, HTTP_OK, json, len);
            if (kfm_availability_cache_refresh_due(kr)) {
                /* the answer served lapsed by its TTL alone: it leaves now, and this
                 * request computes the next one for those who ask after */
                ap_rflush(r);
                answer_of(kr, slug, subdomain, &q, key, &json, &len, NULL);
            }
            return replied;
        }
    }
    int rc = OK;
    if (!answer_of(kr, slug, subdomain, &q, key, &json, &len, &rc)) {
        return rc;
    }
    return kfm_reply_json_text(kr, HTTP_OK, json, len);
}
